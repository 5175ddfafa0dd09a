"""Shared helpers for the notebook scripts: how we execute a notebook, and what we keep in it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

COLAB_TAGS = {"remove-cell", "nbval-skip"}
TIMEOUT_PER_CELL = 120


def single_thread_env() -> None:
    """One thread, like a Binder user, and the same numbers on every machine."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = "1"
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYTHONHASHSEED", "0")


def execute(nb: nbformat.NotebookNode, path: Path) -> nbformat.NotebookNode:
    """Execute ``nb`` in the folder of ``path`` with the python3 kernel of this environment."""
    single_thread_env()
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_PER_CELL,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def normalise_metadata(nb: nbformat.NotebookNode) -> None:
    """Keep only what a notebook needs: the kernel and the language name."""
    nb.metadata = nbformat.from_dict({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })


def strip(path: Path) -> None:
    """Remove execution counts and metadata noise, keep the outputs."""
    subprocess.run([sys.executable, "-m", "nbstripout", "--keep-output", str(path)], check=True)
