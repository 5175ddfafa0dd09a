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
    # The kernel must draw inline (PNG outputs), whatever backend the caller's shell sets.
    os.environ.pop("MPLBACKEND", None)
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
    merge_streams(nb)
    return nb


def merge_streams(nb: nbformat.NotebookNode) -> None:
    """Join consecutive outputs of the same stream into one.

    ipykernel flushes stdout on a timer, so a cell whose prints straddle a slow call can store its
    text in two pieces, at different places from run to run; the site would show two boxes.
    """
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if (merged and out.output_type == "stream" and merged[-1].output_type == "stream"
                    and merged[-1].name == out.name):
                merged[-1].text += out.text
            else:
                merged.append(out)
        if "outputs" in cell:
            cell.outputs = merged


def normalise_metadata(nb: nbformat.NotebookNode) -> None:
    """Keep only what a notebook needs: the kernel and the language name."""
    nb.metadata = nbformat.from_dict({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })


def strip(path: Path) -> None:
    """Remove metadata noise; keep the outputs and the execution counts (1, 2, 3, ... after a
    clean run), which nbval needs to know a cell's stored outputs are real."""
    subprocess.run([sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count", str(path)],
                   check=True)
