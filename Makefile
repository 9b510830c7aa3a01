# botu — make targets. `make` (or `make help`) lists them.
# With no virtualenv/conda environment active, every target creates and uses ./.venv.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

VENV := .venv
SYSTEM_PYTHON ?= python3
# exact versions with hashes, generated from pyproject.toml by `make lock`
LOCK := requirements.lock
LOCK_ARGS ?=
INSTALL = $(PYTHON) -m pip install --quiet --require-hashes -r $(LOCK) && \
  $(PYTHON) -m pip install --quiet --no-deps --no-build-isolation -e .
export PYTHONHASHSEED := 0

ifneq ($(VIRTUAL_ENV),)
  PYTHON := $(VIRTUAL_ENV)/bin/python
  ENV_STAMP := .botu-env-active
else ifneq ($(filter botu,$(CONDA_DEFAULT_ENV)),)
  PYTHON := $(CONDA_PREFIX)/bin/python
  ENV_STAMP := .botu-env-active
else
  PYTHON := $(VENV)/bin/python
  ENV_STAMP := $(VENV)/.installed
endif

.PHONY: help env lock demo-data validate processed report test test-unit lint format bench lab clean \
        clean-all .botu-env-active

help: ## list the targets
	@awk 'BEGIN {FS = ":.*##"; printf "botu — make targets\n\n"} \
	  /^[a-zA-Z_-]+:.*##/ {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: $(LOCK) pyproject.toml
	$(SYSTEM_PYTHON) -m venv $(VENV)
	$(INSTALL)
	touch $@

.botu-env-active:
	@$(PYTHON) -c 'import botu, papermill, pytest, uv' 2>/dev/null || { $(INSTALL); }

env: $(ENV_STAMP) ## create the environment (.venv) from requirements.lock, botu installed editable

lock: ## refresh requirements.lock from pyproject.toml (LOCK_ARGS=--upgrade: newest versions)
	@test -x $(PYTHON) || $(SYSTEM_PYTHON) -m venv $(VENV)
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	  --generate-hashes --custom-compile-command 'make lock' --quiet $(LOCK_ARGS) -o $(LOCK)

demo-data: $(ENV_STAMP) ## regenerate the fictional demo data in data/raw from scripts/demo_data/
	$(PYTHON) scripts/make_demo_data.py

validate: $(ENV_STAMP) ## check data/raw; exit status 2 with file/row/column on problems
	$(PYTHON) -m botu validate

processed: $(ENV_STAMP) ## validate and write data/processed (tables, Excel copy, summary.json)
	$(PYTHON) -m botu build

report: $(ENV_STAMP) ## build everything: processed tables, notebooks per team, figures, reports/index.html
	$(PYTHON) -m botu report

test: $(ENV_STAMP) lint ## lint, then all tests (unit + the real pipeline on the demo data)
	$(PYTHON) -m pytest

test-unit: $(ENV_STAMP) ## only the fast tests (skip the notebook integration test)
	$(PYTHON) -m pytest -m "not integration"

lint: $(ENV_STAMP) ## ruff lint and format check
	$(PYTHON) -m ruff check botu tests benchmarks scripts
	$(PYTHON) -m ruff format --check botu tests benchmarks scripts

format: $(ENV_STAMP) ## ruff format and autofix
	$(PYTHON) -m ruff format botu tests benchmarks scripts
	$(PYTHON) -m ruff check --fix botu tests benchmarks scripts

bench: $(ENV_STAMP) ## speed ratios against the plain alternatives (benchmarks/)
	$(PYTHON) -m benchmarks

lab: $(ENV_STAMP) ## open JupyterLab on notebooks/ with the project environment
	$(PYTHON) -m jupyter lab --notebook-dir=notebooks

clean: ## remove generated outputs (processed tables, figures, reports)
	find data/processed figures reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +

clean-all: clean ## also remove the environment
	rm -rf $(VENV)
