"""Re-execute every notebook and compare its figures with the stored PNGs; also hold each
notebook to the Binder budget: on one thread, at most 15 s of CPU time (the kernel's user plus
system time, which load on the machine does not inflate) and at most 1 GB of memory.

nbval compares text outputs only, so a figure drawn from changed code or data would go stale
unnoticed; this script catches it. Two PNGs match when they have the same size and at most
0.5% of their pixels differ by more than 32 (of 255) in any channel: that tolerates
anti-aliasing differences between machines, not a moved line.

Usage: python tests/check_figures.py chapters/*.ipynb   (run by `make test`)
"""

from __future__ import annotations

import base64
import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from _notebooks import COLAB_TAGS, execute  # noqa: E402

MAX_SECONDS = 15.0
MAX_MEMORY_MB = 1024.0
PIXEL_LEVELS = 32
MAX_DIFFERENT_FRACTION = 0.005


def pngs(nb):
    """(cell index, output index, image array) for every PNG output."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or COLAB_TAGS <= set(cell.metadata.get("tags", [])):
            continue
        for j, out in enumerate(cell.get("outputs", [])):
            data = out.get("data", {}).get("image/png")
            if data:
                img = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
                yield i, j, np.asarray(img, dtype=np.int16)


def compare(stored, fresh) -> list[str]:
    old, new = list(pngs(stored)), list(pngs(fresh))
    if len(old) != len(new):
        return [f"{len(old)} stored figures but {len(new)} after re-execution"]
    problems = []
    for (ci, _, a), (_, _, b) in zip(old, new, strict=True):
        if a.shape != b.shape:
            problems.append(f"cell {ci}: figure size {a.shape[1]}x{a.shape[0]} stored, "
                            f"{b.shape[1]}x{b.shape[0]} now")
            continue
        frac = float(np.mean(np.abs(a - b).max(axis=2) > PIXEL_LEVELS))
        if frac > MAX_DIFFERENT_FRACTION:
            problems.append(f"cell {ci}: {frac:.2%} of the pixels differ; re-run `make notebooks`")
    return problems


def run_one(path: Path) -> dict:
    """Execute one notebook (in this process's child kernel) and measure it."""
    stored = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    execute(fresh, path)
    wall = time.perf_counter() - start
    # The kernel was our child and has been reaped: its CPU time and peak resident memory are
    # recorded here. CPU time is what one thread costs whatever else the machine is doing;
    # wall time is reported beside it.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = sum(1 for _ in pngs(stored))
    return {"seconds": usage.ru_utime + usage.ru_stime, "wall": wall,
            "peak_mb": usage.ru_maxrss / 1024, "figures": figures,
            "problems": compare(stored, fresh)}


def main(paths: list[str]) -> int:
    if len(paths) == 2 and paths[0] == "--one":
        print(json.dumps(run_one(Path(paths[1]))))
        return 0
    failed = 0
    total_figures = 0
    for name in paths:
        proc = subprocess.run([sys.executable, __file__, "--one", name],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{name}: execution failed\n{proc.stderr[-3000:]}")
            failed += 1
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        problems = r["problems"]
        if r["seconds"] > MAX_SECONDS:
            problems.append(f"took {r['seconds']:.1f} s of CPU on one thread "
                            f"(budget {MAX_SECONDS:.0f} s)")
        if r["peak_mb"] > MAX_MEMORY_MB:
            problems.append(f"peaked at {r['peak_mb']:.0f} MB (budget {MAX_MEMORY_MB:.0f} MB)")
        total_figures += r["figures"]
        status = "ok" if not problems else "FAILED"
        print(f"{name}: {status}: {r['figures']} figures, {r['seconds']:.1f} s CPU "
              f"({r['wall']:.1f} s wall), {r['peak_mb']:.0f} MB peak")
        for p in problems:
            print(f"  {p}")
        failed += bool(problems)
    print(f"figures: {len(paths) - failed} of {len(paths)} notebooks fresh and within budget "
          f"({total_figures} figures compared)")
    return 1 if failed or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
