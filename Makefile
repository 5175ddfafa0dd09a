# The two commands that do everything on a fresh machine:
#   make book   build the site into _build/html
#   make test   run every test (lint, unit tests, doctests, notebooks, figures, book, browser)
# Both create .venv and install what they need.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
# One thread: what a Binder user gets, and the same numbers on every machine.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export PYTHONHASHSEED := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Kernels and tools started by the tests come from .venv.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: book test venv lint unit notebooks-test hygiene figures book-strict site-test \
        notebooks serve clean

book: venv
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The site is built. Open $(CURDIR)/_build/html/index.html in a browser,"
	@echo "or run 'make serve' and visit http://127.0.0.1:8000/"

test: venv lint unit notebooks-test hygiene figures book-strict site-test
	@echo "make test: every check passed"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	@touch $(STAMP)

lint: venv
	$(BIN)/ruff check .

unit: venv
	$(BIN)/python -m pytest -q tests lossbook -p no:nbval

notebooks-test: venv
	$(BIN)/python -m pytest -q --nbval --nbval-current-env \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg -o addopts="" $(NOTEBOOKS)

hygiene: venv
	$(BIN)/nbstripout --keep-output --keep-count --verify $(NOTEBOOKS)
	$(BIN)/python tests/check_notebooks.py $(NOTEBOOKS)

figures: venv
	$(BIN)/python tests/check_figures.py $(NOTEBOOKS)

book-strict: venv
	rm -rf _build/html
	$(BIN)/jupyter-book build . -W -n --keep-going

site-test: venv
	bash tests/browser/setup.sh
	$(BIN)/python -m pytest -q tests/browser -p no:nbval -o addopts=""

# Re-execute notebooks in place and strip their noise: `make notebooks` or
# `make notebooks NB=chapters/03-mean-squared-error.ipynb`.
NB ?= $(NOTEBOOKS)
notebooks: venv
	$(BIN)/python tests/execute_notebooks.py $(NB)

serve: book
	@echo "Serving _build/html on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build .pytest_cache .hypothesis tests/browser/node_modules
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
