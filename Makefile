# The four commands of the series (see README.md). Each one bootstraps .venv by itself when it is
# missing or older than requirements.txt / pyproject.toml, then does its job.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.bootstrapped
# Notebooks to execute or benchmark (default: all of notebooks/NN_*.ipynb).
NB     ?=
# Extra arguments for `make lab`, e.g. LAB_ARGS="--port=8890 --no-browser".
LAB_ARGS ?=

# Kernels started by nbval, nbclient or JupyterLab find the venv's python first.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test lint unit nbval determinism browser execute bench clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

## lab: JupyterLab on 127.0.0.1 with token authentication, opened on notebooks/
lab: $(STAMP)
	$(BIN)/python scripts/lab.py $(LAB_ARGS)

## test: lint; unit, hygiene, environment and harness tests; strict nbval over every notebook and
## the determinism check, both offline; the browser test (JupyterLab in headless Chromium)
test: lint unit nbval determinism browser

lint: $(STAMP)
	$(BIN)/ruff check helpers tests scripts notebooks

unit: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow" tests

nbval: $(STAMP)
	$(BIN)/python scripts/offline.py $(BIN)/python scripts/run_nbval.py $(NB)

determinism: $(STAMP)
	$(BIN)/python scripts/offline.py $(BIN)/python -m pytest -m slow tests

browser: $(STAMP)
	$(BIN)/python -m pytest -m browser tests

## execute: re-execute notebooks in place (fresh kernel, top to bottom, the settings nbval uses)
execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(NB)
	$(BIN)/python scripts/readme_figures.py

## bench: per-notebook time and peak memory, suite time over the floor; updates README.md
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(NB)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
