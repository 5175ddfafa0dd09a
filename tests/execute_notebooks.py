"""Re-execute notebooks in place and strip their noise, so nbval and the site see fresh outputs.

Usage: python tests/execute_notebooks.py chapters/03-mean-squared-error.ipynb [...]
(`make notebooks` runs it on every chapter; `make notebooks NB=...` on one.)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))
from _notebooks import execute, normalise_metadata, strip  # noqa: E402


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: execute_notebooks.py NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    for name in paths:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        execute(nb, path)
        seconds = time.perf_counter() - start
        normalise_metadata(nb)
        nbformat.write(nb, path)
        strip(path)
        print(f"executed {path} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
