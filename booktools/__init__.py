"""The book's maintenance tools: not tests, and not part of the lossbook package learners import.

Run from the repository root (the Makefile does):

``python -m booktools.notebooks execute|hygiene NOTEBOOK.ipynb ...``
    re-execute notebooks and store their outputs (``make notebooks``); check the committed
    notebooks against the chapter standard (``make test``). Loaded as a pytest plugin beside
    nbval (``-p booktools.notebooks``), it also compares every figure with the stored one and
    holds each notebook to the Binder budget, in nbval's own run.

``python -m booktools.translations config|notebooks|status|prune``
    the Korean edition: its build configuration (``make book``), the Korean notebooks in ``ko/``
    and the per-page progress (``make translations``). See ``locale/README.md``.

Importing the package imports nothing else, so ``make book`` (which installs only the book's
toolchain) can run the translations module without the test tools.
"""
