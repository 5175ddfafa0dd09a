"""The book's maintenance tools: not tests, and not part of the lossbook package learners import.

One job per module, each importing only what its job needs (run from the repository root; the
Makefile does):

``booktools`` (this file, standard library only)
    the repository root, the lists of notebooks (English and Korean) and the one-thread
    environment every tool and test uses; ``python -m booktools notebooks`` (or
    ``korean-notebooks``) prints a list for the Makefile.
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
    the Korean edition: its build configuration, notebooks and progress (``locale/README.md``).
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


KOREAN_NOTEBOOKS = ROOT / "ko"  # mirrors chapters/: the Korean notebooks


def notebooks() -> list[Path]:
    """The chapter notebooks, in reading order (their file names start with the chapter number)."""
    return sorted((ROOT / "chapters").glob("*.ipynb"))


def korean_notebooks() -> list[Path]:
    """The Korean notebooks, one per chapter notebook, in the same order."""
    return [KOREAN_NOTEBOOKS / p.relative_to(ROOT) for p in notebooks()]


def notebook_command(module: str, action, argv: list[str]) -> int:
    """The command line of a tool that takes notebook paths: ``action(paths)``, or its usage."""
    if not argv or any(not a.endswith(".ipynb") for a in argv):
        print(f"usage: python -m {module} NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    return action(argv)


def _main(argv: list[str]) -> int:
    lists = {"notebooks": notebooks, "korean-notebooks": korean_notebooks}
    if len(argv) == 1 and argv[0] in lists:
        print(" ".join(p.relative_to(ROOT).as_posix() for p in lists[argv[0]]()))
        return 0
    print(f"usage: python -m booktools {{{','.join(lists)}}}", file=sys.stderr)
    return 2
