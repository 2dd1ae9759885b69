# The commands of the series (see README.md). Each one bootstraps .venv by itself when it is
# missing or older than requirements*.txt / pyproject.toml / jupyter/, then does its job.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Two sets of packages (README, "Requirements"): the reader's (requirements.txt: what reading and
# running the notebooks needs, the same set as environment.yml) and the maintainer's tools on top
# (requirements-dev.txt). `make lab` installs the first, every other command both.
READER := $(VENV)/.reader
STAMP  := $(VENV)/.maintainer
JUPYTER_CONFIG := jupyter/jupyter_lab_config.json jupyter/lab/settings/overrides.json
# Notebooks to execute or benchmark (default: all of notebooks/NN_*.ipynb).
NB     ?=
# Extra arguments for `make lab`, e.g. LAB_ARGS="--port=8890 --no-browser".
LAB_ARGS ?=
# The notebooks' runs go through this: a network namespace with loopback only (empty: with the network,
# e.g. on macOS, where network namespaces do not exist).
OFFLINE ?= $(BIN)/python scripts/offline.py
# The GitHub repository (owner/name) that the site's launch and source links point to (`make site`).
SITE_REPOSITORY ?= OWNER/REPOSITORY

# Kernels started by nbval, nbclient or JupyterLab find the venv's python first.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test lint unit nbval portable determinism browser execute bench drift student site clean

$(READER): requirements.txt pyproject.toml $(JUPYTER_CONFIG)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python scripts/install_jupyter_config.py
	@# matplotlib's font cache, so that no notebook's first cell reports building it
	$(BIN)/python -c "import matplotlib.pyplot"
	@touch $@

$(STAMP): $(READER) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

## lab: JupyterLab on 127.0.0.1 with token authentication, opened on notebooks/
lab: $(READER)
	$(BIN)/python scripts/lab.py $(LAB_ARGS)

## test: lint; unit, hygiene, environment and harness tests; strict nbval over every notebook, again
## under PyTorch's other CPU kernels, and the determinism check, all offline; the site; the browser tests
test: lint unit nbval portable determinism site browser

lint: $(STAMP)
	$(BIN)/ruff check helpers tests scripts notebooks

unit: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow" tests

nbval: $(STAMP)
	$(OFFLINE) $(BIN)/python scripts/run_nbval.py $(NB)

## portable: strict nbval again under every kernel family below this CPU's own (ATEN_CPU_CAPABILITY)
portable: $(STAMP)
	$(OFFLINE) $(BIN)/python scripts/run_nbval.py --capability others $(NB)

determinism: $(STAMP)
	$(OFFLINE) $(BIN)/python -m pytest -m slow tests

browser: $(STAMP) site
	$(BIN)/python -m pytest -m browser tests

## execute: re-execute notebooks in place (fresh kernel, top to bottom, the settings nbval uses)
execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(NB)
	$(BIN)/python scripts/readme_figures.py

## bench: per-notebook time and peak memory, suite time over the floor; updates README.md
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(NB)

## student: the student edition in build/student/: solutions replaced by stubs, executed, each check "not solved yet"
student: $(STAMP)
	$(OFFLINE) $(BIN)/python scripts/make_student.py $(NB)

## site: the series' website in build/site/, from the notebooks as stored (no execution), built offline;
## any build warning fails it
site: $(STAMP)
	$(OFFLINE) $(BIN)/python scripts/build_site.py --repository $(SITE_REPOSITORY)

## drift: the notebooks under the newest releases of the reader's packages, in .venv-drift (not in test)
drift:
	$(PYTHON) scripts/drift.py

clean:
	rm -rf $(VENV) .venv-drift .pytest_cache .ruff_cache build *.egg-info
