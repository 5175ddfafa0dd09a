"""The Binder budget (booktools/nbval_plugin.py), measured on real notebooks in real kernels.

Each test runs nbval with the plugin on a small notebook in a fresh pytest process (pytester),
exactly as ``make test`` runs the chapters, and reads the plugin's verdict and its figure in
seconds of the reference machine. The budget is set, for these notebooks only, from what the
light notebook measured on an idle core: then a notebook with five times its work fails, and
the light notebook run again while two busy processes share its one core passes, with about the
same figure. Nothing here is derived from the formula the plugin uses: the kernels are timed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import nbformat
import pytest

from booktools import ROOT

pytestmark = pytest.mark.notebooks  # real kernels: a slow group, left out by `make check`
pytest_plugins = ["pytester"]

# A chapter's kind of work (numpy's element-wise maths and small matrix products, a torch
# training loop), ``rounds`` times: the light notebook does it once (about 1 s of CPU on a 2025
# laptop, about as much as the kernel's start and imports), the heavy one HEAVIER times.
WORK = """
import numpy as np
import torch

def chapter_work(rounds):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((80, 80))
    g = torch.Generator().manual_seed(1)
    x = torch.randn(200, 32, generator=g, dtype=torch.float64)
    y = torch.randint(0, 5, (200,), generator=g)
    for _ in range(rounds):
        for _ in range(7000):
            a = np.tanh(a @ a.T / 80.0)
        w = torch.zeros(32, 5, dtype=torch.float64, requires_grad=True)
        for _ in range(7000):
            loss = torch.nn.functional.cross_entropy(x @ w, y)
            loss.backward()
            with torch.no_grad():
                w -= 0.1 * w.grad
                w.grad.zero_()
"""
HEAVIER = 5
# What the budget allows, in units of the light notebook's idle figure: between 1 (the light
# notebook on a busy core must stay under it) and HEAVIER (the heavy one must exceed it).
MARGIN = 1.6


def _notebook(path, rounds: int) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(WORK), nbformat.v4.new_code_cell(f"chapter_work({rounds})")]
    nbformat.write(nb, path)


def _measure(pytester, rounds: int, budget: float) -> tuple[bool, float]:
    """Run nbval with the plugin on a notebook doing ``rounds`` of work, with the budget set to
    ``budget`` seconds of the reference machine: (passed, its figure on the reference machine)."""
    pytester.makeconftest(f"import booktools.nbval_plugin as p\np.MAX_CPU_SECONDS = {budget!r}\n")
    _notebook(pytester.path / "chapter.ipynb", rounds)
    result = pytester.runpytest_subprocess(
        "-p", "booktools.nbval_plugin", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
        "-o", "addopts=", "chapter.ipynb")
    out = result.stdout.str()
    found = re.search(r"chapter\.ipynb: \d+ figures compared, [\d.]+ s CPU here, ([\d.]+) s on the "
                      r"reference machine", out)
    assert found, out[-3000:]
    outcomes = result.parseoutcomes()
    if outcomes.get("failed"):
        assert "over the Binder budget" in out, out[-3000:]  # and nothing else failed
    return not outcomes.get("failed"), float(found.group(1))


@pytest.fixture
def plugin_env(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def test_a_heavier_notebook_fails_and_a_busy_core_changes_no_verdict(pytester, plugin_env):
    passed, idle = _measure(pytester, 1, budget=1e6)
    assert passed and idle > 0
    budget = MARGIN * idle

    passed, heavy = _measure(pytester, HEAVIER, budget)
    assert not passed, (f"{HEAVIER} times the work came out at {heavy:.1f} s on the reference "
                        f"machine, within a budget of {budget:.1f} s (the light notebook: {idle:.1f} s)")

    with _busy_core():
        passed, busy = _measure(pytester, 1, budget)
    assert passed, (f"the light notebook on a busy core came out at {busy:.1f} s on the reference "
                    f"machine against {idle:.1f} s on an idle one (budget {budget:.1f} s)")
    print(f"\nBinder budget measured: light {idle:.2f} s, {HEAVIER}x heavier {heavy:.2f} s, light "
          f"on a core shared with two busy processes {busy:.2f} s (reference-machine seconds)")


class _busy_core:
    """This process and its children on one core, with two busy processes on the same core: the
    kernel gets about a third of it, so every second of its CPU takes about three of wall time."""

    def __enter__(self):
        self.before = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(self.before)})
        self.hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
        return self

    def __exit__(self, *exc):
        for hog in self.hogs:
            hog.kill()
            hog.wait()
        os.sched_setaffinity(0, self.before)
