# The two commands that do everything on a fresh machine:
#   make book   build the site into _build/html (installs only the book's toolchain)
#   make test   run every test (lint, unit tests, doctests of the package and of the Markdown
#               pages, notebooks with their figures and Binder budget, hygiene, book, browser)
# Both create .venv and install what they need. `make test` runs its independent steps side by side
# (booktools/steps.py), each with its own log, and prints every step's time at the end.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installed once per change of the lists or the lock: the book's toolchain, then everything else.
BOOK_STAMP := $(VENV)/.book-installed
TEST_STAMP := $(VENV)/.test-installed
# The chapter notebooks and the one-thread environment are defined once, in booktools/__init__.py
# (every tool and test that runs the book's code sets that environment itself). The editions
# (English, Korean) are the table locale/editions.toml, read through booktools/editions.py. A
# translated edition's notebooks: the same code cells with its strings and comments
# (booktools/translations.py), executed like the English ones (`make CODE-notebooks`, e.g.
# `make ko-notebooks`) and re-executed by nbval.
NOTEBOOKS := $(shell $(PYTHON) -m booktools notebooks)
TRANSLATIONS := $(shell $(PYTHON) -m booktools.editions translations)
TRANSLATED_NOTEBOOKS := $(shell $(PYTHON) -m booktools translated-notebooks)
# $(call edition,CODE,FIELD): one field of one edition's row of the table.
edition = $(shell $(PYTHON) -m booktools.editions field $(1) $(2))
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Kernels and tools started by the tests come from .venv.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# nbval's kernel and the notebook checks (booktools/nbval_plugin.py) run the notebooks in this run only.
NBVAL := $(BIN)/python -m pytest -q -p booktools.nbval_plugin -p no:cacheprovider --nbval --nbval-current-env \
         --nbval-sanitize-with tests/nbval_sanitize.cfg -o addopts=""
# The fast tier: no Sphinx, no notebooks, no browser (pytest markers in pyproject.toml).
FAST := not translations and not notebooks and not site and not sphinx

.PHONY: help book test check venv book-venv lint unit fast notebooks-test hygiene book-strict site-test \
        browser-tools site-pages site-links notebooks serve clean translations translations-status lock messages \
        $(TRANSLATIONS:%=%-notebooks)

# The translated editions (locale/README.md): the same sources with an edition's catalogues,
# built into its build folder and copied to its folder of the site (the Korean one: _build/ko,
# then _build/html/ko), so that every edition has the same page paths.
define build-translations
	@set -e; for code in $(TRANSLATIONS); do \
	  build=$$($(PYTHON) -m booktools.editions field $$code build); \
	  site=$$($(PYTHON) -m booktools.editions field $$code site); \
	  mkdir -p $$build; \
	  $(BIN)/python -m booktools.translations config $$code > $$build/_config.yml; \
	  echo "jupyter-book build ($$code) into $$build, then _build/html/$$site"; \
	  $(BIN)/jupyter-book build . --config $$build/_config.yml --path-output $$build -W -n --keep-going $(1); \
	  rm -rf _build/html/$$site && cp -r $$build/_build/html _build/html/$$site; \
	done
endef

book: $(BOOK_STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(call build-translations)
	@echo
	@echo "The site is built. Open $(CURDIR)/_build/html/index.html in a browser,"
	@echo "or run 'make serve' and visit http://127.0.0.1:8000/"

help:
	@echo "make book            build the site into _build/html"
	@echo "make test            run every test, its steps side by side (TEST_JOBS=1: one at a time)"
	@echo "make check           the fast loop while editing: ruff, lossbook's tests and doctests,"
	@echo "                     the Markdown pages' examples (no Sphinx, notebooks or browser)"
	@echo "make notebooks [NB=chapters/XX.ipynb]   re-execute notebooks and store their outputs"
	@echo "make serve           build and serve the site on http://127.0.0.1:8000/"
	@echo "make book-venv       create .venv with the book's toolchain only (make test adds the rest)"
	@echo "make clean           remove what the builds made (_build, caches; .venv stays)"
	@echo "make translations    update the Korean catalogues and notebooks after English edits"
	@echo "make CODE-notebooks [NB=...]   re-execute an edition's notebooks: $(TRANSLATIONS:%=make %-notebooks)"
	@echo "make translations-status   translated, fuzzy and empty Korean messages per page"
	@echo "make lock            resolve requirements.txt anew into requirements.lock"
	@echo "make messages        update the self-checks' message catalogues (lossbook/locale)"
	@echo "make pdf             the printed book, both editions, into _build/pdf (TeX Live from apt)"
	@echo "steps of make test:  $(TEST_STEPS)"

# The steps of `make test` and which must pass before another starts (STEP:BEFORE,BEFORE).
# booktools/steps.py runs them side by side, TEST_JOBS at a time (default: the cores, at least 2),
# the longest first: each edition's PDF (the Korean one is the longest step), the site build, the
# browser tests of its pages, nbval, the unit tests; the site's links are checked once the PDFs
# are next to its pages. Each step's output goes to _build/test-logs/STEP.log (a failed step's
# end is printed), and every step's wall and CPU time is printed at the end, also when a step fails.
comma := ,
empty :=
space := $(empty) $(empty)
TEST_STEPS = $(lastword $(PDF_STEPS)) book-strict browser-tools $(filter-out $(lastword $(PDF_STEPS)),$(PDF_STEPS)) \
             site-pages:book-strict,browser-tools notebooks-test unit \
             site-links:book-strict,browser-tools,$(subst $(space),$(comma),$(PDF_STEPS)) \
             pdf-test:$(subst $(space),$(comma),$(PDF_STEPS)) hygiene lint
TEST_JOBS ?=
test: $(TEST_STAMP)
	@$(BIN)/python -m booktools.steps $(if $(TEST_JOBS),-j $(TEST_JOBS)) $(TEST_STEPS)
	@echo "make test: every check passed"

check: lint fast
	@echo "make check: the fast tier passed (make test runs everything)"

venv: $(TEST_STAMP)
book-venv: $(BOOK_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Both lists are installed with the lock as constraints (booktools/lock.py), so every transitive
# package is the one the site and the tests were written against. --no-compile: byte-compiling
# every installed file up front doubles the install time of `make book`, and the two site builds
# hardly notice.
$(BOOK_STAMP): requirements-book.txt requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m booktools.lock install requirements-book.txt
	@touch $@

# On Linux, torch comes from PyTorch's CPU-only index when it answers within a few seconds
# (booktools/lock.py says which build it used). `make test` byte-compiles the whole environment
# once after installing. Where PYTHONDONTWRITEBYTECODE is set (many container images and CI
# runners set it), Python would otherwise compile torch's thousands of modules again in every
# notebook kernel: measured, that nearly doubles each notebook's CPU time. Files that do not
# compile on this Python (a few test files of other Pythons) are skipped.
$(TEST_STAMP): requirements.txt $(BOOK_STAMP)
	$(BIN)/python -m booktools.lock install requirements.txt
	$(BIN)/python -c "import compileall, sys; compileall.compile_dir(sys.prefix + '/lib', quiet=2, workers=0)"
	@touch $@

lock: $(TEST_STAMP)
	$(BIN)/python -m booktools.lock update

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

# The package's unit tests and doctests, and the examples on the Markdown pages (README.md,
# intro.md, chapters/*.md): pyproject.toml's testpaths and --doctest-glob. `unit` runs them all
# (the catalogues' tests build the gettext templates with Sphinx); `fast` leaves out the slow groups.
unit: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -p no:nbval -p no:cacheprovider

fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -p no:nbval -p no:cacheprovider -m "$(FAST)"

# nbval re-executes every notebook and compares its text outputs; booktools (a pytest plugin)
# compares its figures and measures its CPU time and memory in the same run.
notebooks-test: $(TEST_STAMP)
	$(NBVAL) $(NOTEBOOKS) $(TRANSLATED_NOTEBOOKS)

hygiene: $(TEST_STAMP)
	$(BIN)/nbstripout --keep-output --keep-count --verify $(NOTEBOOKS) $(TRANSLATED_NOTEBOOKS)
	$(BIN)/python -m booktools.standard $(NOTEBOOKS)

# --all: a fresh Sphinx environment, so every page is read again and every warning shown. The
# site `make test` checks is the published one: it links the PDFs (LOSSBOOK_PDF=coming: they are
# built beside it, _ext/lossbook_latex.py), and site-links puts them next to the pages first.
book-strict: export LOSSBOOK_PDF = coming
book-strict: $(TEST_STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going --all
	$(call build-translations,--all)

# A Chromium for the browser tests: one the machine has, else playwright's own, else (as root on
# Debian) apt's; axe-core comes from a pinned PyPI package. booktools/browser.py says which.
browser-tools: $(TEST_STAMP)
	$(BIN)/python -m booktools.browser

# The browser tests: those of the pages (site-pages) need the site; LinkChecker's crawl
# (site-links) needs the PDFs next to the pages too, which `make test` builds beside the site.
SITE_PYTEST := $(BIN)/python -m pytest -q tests/browser -p no:nbval -p no:cacheprovider -o addopts=""
site-test: site-pages site-links

site-pages: book-strict browser-tools
	$(SITE_PYTEST) -k "not linkchecker"

site-links: book-strict browser-tools pdf
	$(call place-pdfs)
	$(SITE_PYTEST) -k "linkchecker"

# Re-execute notebooks in place and strip their noise: `make notebooks` or
# `make notebooks NB=chapters/03-mean-squared-error.ipynb`.
NB ?= $(NOTEBOOKS)
notebooks: $(TEST_STAMP)
	$(BIN)/python -m booktools.execute $(NB)

# The translated editions' catalogues after an English edit: new strings empty, changed ones fuzzy
# (with the old translation to start from); then their notebooks from the catalogues.
translations: $(TEST_STAMP)
	rm -rf _build/gettext
	$(BIN)/jupyter-book build . --builder custom --custom-builder gettext --path-output _build/gettext --keep-going --quiet
	$(BIN)/sphinx-intl update -p _build/gettext/_build/gettext $(TRANSLATIONS:%=-l %) -d locale -w 0 --no-obsolete
	$(BIN)/python -m booktools.translations prune _build/gettext/_build/gettext
	$(BIN)/python -m booktools.translations code _build/gettext/code
	$(BIN)/python -m booktools.translations notebooks
	$(BIN)/python -m booktools.translations status

# --- Translated notebooks: re-execute them after `make translations` changed their code cells ---
# One target per translated edition, CODE-notebooks: `make ko-notebooks` or
# `make ko-notebooks NB=ko/chapters/04-cross-entropy.ipynb`.
$(TRANSLATIONS:%=%-notebooks): %-notebooks: $(TEST_STAMP)
	$(BIN)/python -m booktools.execute $(or $(filter $(call edition,$*,notebooks)/%,$(NB)),$(shell $(PYTHON) -m booktools translated-notebooks $*))
# --- end of the translated notebooks ---

translations-status: $(BOOK_STAMP)
	$(BIN)/python -m booktools.translations status

# The self-checks' messages (lossbook/locale/README.md): extract the template from the code, merge
# it into each language's catalogue (new messages empty, changed ones fuzzy), compile the .mo files
# (committed, so an install needs no build step) and count the translated messages per language.
MESSAGES := lossbook/locale
messages:
	xgettext --language=Python --keyword=_ --keyword=N_ --from-code=UTF-8 --package-name=lossbook \
	  --msgid-bugs-address="" --add-location=file --sort-by-file --no-wrap \
	  -o $(MESSAGES)/lossbook.pot lossbook/checks/*.py lossbook/plotting.py 2>/dev/null
	sed -i '/^"POT-Creation-Date:/d' $(MESSAGES)/lossbook.pot
	@for po in $(MESSAGES)/*/LC_MESSAGES/lossbook.po; do \
	  msgmerge --quiet --update --backup=none --no-wrap --sort-by-file $$po $(MESSAGES)/lossbook.pot && \
	  printf '%s: ' $$po && msgfmt --check --statistics -o $${po%.po}.mo $$po || exit 1; \
	done

# --- The printed book (issue 22) -------------------------------------------------------------
# `make pdf`: every edition through Sphinx's LaTeX builder, then latexmk with xelatex
# (_ext/lossbook_latex.py holds the LaTeX settings), into _build/pdf/<the edition's PDF name>
# (lossbook.pdf, lossbook-ko.pdf: the editions' table). tests/pdf/setup.sh installs TeX Live,
# the Noto CJK fonts and poppler from Debian (apt-get as root; otherwise it prints the command).
# Rebuilt only when a source changed; copied next to the site when it has been built (the site
# links them then). `make pdf-test` (a step of `make test`) checks them (tests/pdf/test_pdf.py).
PDF := _build/pdf
PDF_SOURCES := _config.yml _toc.yml intro.md references.bib $(wildcard chapters/*) _ext/lossbook_latex.py \
               _ext/lossbook_i18n.py locale/editions.toml booktools/editions.py booktools/translations.py \
               $(shell find locale -name '*.po' -o -name config.yml)
# -halt-on-error: a LaTeX error stops the build instead of leaving a half-made PDF.
PDF_LATEX := LATEXMKOPTS=-silent LATEXOPTS="-interaction=nonstopmode -halt-on-error -file-line-error"
SOURCE_EDITION := $(firstword $(shell $(PYTHON) -m booktools.editions codes))
PDFS := $(foreach code,$(SOURCE_EDITION) $(TRANSLATIONS),$(PDF)/$(call edition,$(code),pdf))

.PHONY: pdf pdf-tools pdf-test

# Each edition's PDF next to its pages, where the site has been built.
define place-pdfs
	@$(BIN)/python -m booktools.editions place-pdfs
endef

pdf: $(PDFS)
	$(call place-pdfs)
	@ls -l $(PDFS)

pdf-tools:
	bash tests/pdf/setup.sh

# One rule per edition: $(1) its code, $(2) its LaTeX build folder, $(3) its PDF's name. The
# source edition builds with _config.yml itself, a translation with its generated configuration.
define pdf-rule
$(PDF)/$(3): $(PDF_SOURCES) $(BOOK_STAMP) | pdf-tools
	mkdir -p $(2)
	$(if $(filter $(1),$(SOURCE_EDITION)),,$(BIN)/python -m booktools.translations config $(1) > $(2)/_config.yml)
	$(BIN)/jupyter-book build . --builder latex $(if $(filter $(1),$(SOURCE_EDITION)),,--config $(2)/_config.yml) --path-output $(2) -W -n --keep-going
	$(MAKE) -C $(2)/_build/latex all-pdf $(PDF_LATEX)
	cp $(2)/_build/latex/$(3) $$@
endef
$(foreach code,$(SOURCE_EDITION) $(TRANSLATIONS),$(eval $(call pdf-rule,$(code),$(call edition,$(code),pdf_build),$(call edition,$(code),pdf))))
# pdf-CODE: one edition's PDF (make test builds them as steps side by side).
PDF_STEPS := $(foreach code,$(SOURCE_EDITION) $(TRANSLATIONS),pdf-$(code))
$(foreach code,$(SOURCE_EDITION) $(TRANSLATIONS),$(eval pdf-$(code): $(PDF)/$(call edition,$(code),pdf)))
.PHONY: $(PDF_STEPS)

pdf-test: pdf $(TEST_STAMP)
	$(BIN)/python -m pytest -q tests/pdf -p no:nbval -p no:cacheprovider -o addopts=""
# --- end of the printed book ------------------------------------------------------------------

serve: book
	@echo "Serving _build/html on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
