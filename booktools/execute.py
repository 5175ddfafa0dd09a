"""Re-execute notebooks in place, the way a Binder user runs them (``make notebooks``).

    python -m booktools.execute NOTEBOOK.ipynb [...]

One thread, one output per stream, only the kernel and language metadata kept, then nbstripout's
noise removal (outputs and execution counts stay), so nbval and the site see fresh outputs.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from booktools import notebook_command, single_thread_env

TIMEOUT_PER_CELL = 120


def merge_streams(nb) -> None:
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


def execute(paths: list[str]) -> int:
    """Re-execute each notebook in place, keep only the kernel and language metadata, strip noise."""
    single_thread_env()
    for name in paths:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=TIMEOUT_PER_CELL, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        seconds = time.perf_counter() - start
        merge_streams(nb)
        nb.metadata = nbformat.from_dict({
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        })
        nbformat.write(nb, path)
        # Keep the outputs and the execution counts (1, 2, 3, ... after a clean run), which nbval
        # needs to know a cell's stored outputs are real.
        subprocess.run([sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count",
                        str(path)], check=True)
        print(f"executed {path} in {seconds:.1f} s")
    return 0


def main(argv: list[str]) -> int:
    return notebook_command("booktools.execute", execute, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
