"""The book's maintenance tools: not tests, and not part of the lossbook package learners import.

One job per module, each importing only what its job needs (run from the repository root; the
Makefile does):

``booktools`` (this file, standard library only)
    the repository root, the lists of notebooks (English and translated) and the one-thread
    environment every tool and test uses; ``python -m booktools notebooks`` (or
    ``translated-notebooks [CODE]``) prints a list for the Makefile.
``booktools.editions`` (standard library only)
    the book's editions: the one table of its languages (``locale/editions.toml``).
``booktools.execute``
    re-execute notebooks and store their outputs (``make notebooks``).
``booktools.standard``
    the chapter standard: the rules every chapter notebook follows (Colab cell, sections,
    exercises, figures with alt text and captions), used by ``make test``'s hygiene step and the tests.
``booktools.nbval_plugin``
    a pytest plugin beside nbval (``-p booktools.nbval_plugin``): in nbval's own run it compares
    every figure with the stored one and holds each notebook to the Binder budget.
``booktools.browser``
    a Chromium for the browser tests (found, or installed without root where possible) and axe-core.
``booktools.pageweight``
    what a reader downloads to open a page (``python -m booktools.pageweight``).
``booktools.lock``
    the lock file of every installed package (``make lock``) and its agreement with the lists.
``booktools.translations``
    the translated editions: their build configuration, notebooks and progress
    (``locale/README.md``).
``booktools.steps``
    ``make test``'s steps side by side, each timed and logged.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One thread, like a Binder user, and the same numbers on every machine. Set by every tool that
# runs the book's code (notebook kernels inherit it) and by the unit tests' conftest.
SINGLE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}


def single_thread_env() -> None:
    """Put the one-thread settings into this process's environment (and its children's)."""
    os.environ.update(SINGLE_THREAD)
    # A kernel must draw inline (PNG outputs), whatever backend the caller's shell sets.
    os.environ.pop("MPLBACKEND", None)


def notebooks() -> list[Path]:
    """The chapter notebooks, in reading order (their file names start with the chapter number)."""
    return sorted((ROOT / "chapters").glob("*.ipynb"))


def translated_notebooks(code: str | None = None) -> list[Path]:
    """The translated editions' notebooks (or those of edition ``code``), one per chapter
    notebook, edition by edition, each in the chapters' order."""
    from booktools import editions

    chosen = [editions.get(code)] if code else editions.translated()
    return [e.notebook(p) for e in chosen for p in notebooks()]


def notebook_command(module: str, action, argv: list[str]) -> int:
    """The command line of a tool that takes notebook paths: ``action(paths)``, or its usage."""
    if not argv or any(not a.endswith(".ipynb") for a in argv):
        print(f"usage: python -m {module} NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    return action(argv)


def _main(argv: list[str]) -> int:
    if argv == ["notebooks"] or argv[:1] == ["translated-notebooks"] and len(argv) <= 2:
        found = notebooks() if argv == ["notebooks"] else translated_notebooks(*argv[1:])
        print(" ".join(p.relative_to(ROOT).as_posix() for p in found))
        return 0
    print("usage: python -m booktools {notebooks,translated-notebooks [CODE]}", file=sys.stderr)
    return 2
