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

.PHONY: lab test lint unit nbval execute bench clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

## lab: JupyterLab on 127.0.0.1 with token authentication, opened on notebooks/
lab: $(STAMP)
	$(BIN)/python scripts/lab.py $(LAB_ARGS)

## test: lint, unit + hygiene + environment tests, strict nbval over every notebook
test: lint unit nbval

lint: $(STAMP)
	$(BIN)/ruff check helpers tests scripts notebooks

unit: $(STAMP)
	$(BIN)/python -m pytest tests

nbval: $(STAMP)
	$(BIN)/python scripts/run_nbval.py $(NB)

## execute: re-execute notebooks in place (fresh kernel, top to bottom, the settings nbval uses)
execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(NB)

## bench: per-notebook time and peak memory, suite time over the floor; updates README.md
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(NB)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
