"""A pytest plugin beside nbval: figures and the Binder budget, in nbval's own run.

    python -m pytest -p booktools.nbval_plugin --nbval ... chapters/*.ipynb     (``make test``)

nbval re-executes every notebook and compares its text outputs; this plugin reuses that run (each
notebook runs once per ``make test``) for what nbval does not compare:

- figure freshness: every PNG a cell draws is compared with the stored one. Two PNGs match when
  they have the same size and at most 0.5% of their pixels differ by more than 32 (of 255) in any
  channel: that tolerates anti-aliasing differences between machines, not a moved line;
- the Binder budget: after a notebook's last cell, an extra test item asks the kernel for its own
  CPU time and peak resident memory; a fixed reference workload runs in the same kernel twice
  before the first cell and twice after the last (the median of the four is the unit; the runs
  before are not counted as the notebook's CPU). On one thread its runs agree within about 2%,
  also on a loaded machine (16 runs of 0.169 to 0.175 s at a load average of 9 on two cores), so
  four runs give a stable median; more would only add CPU to every notebook.
  The CPU time is judged in units of that workload, not in seconds of whatever machine runs the
  tests: a machine twice as slow, or one whose cores are busy with other work, slows the notebook
  and the reference alike. The unit is calibrated so that the budget means 15 s of CPU on the
  slow machine the budget is for (each core about 2.3 times slower than a 2025 laptop; Binder's
  may be as slow): ``REFERENCE_SECONDS`` is the reference workload's CPU time there.
"""

from __future__ import annotations

import ast
import base64
import io
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pytest
from nbval.plugin import IPyNbCell, IPyNbFile
from PIL import Image

from booktools import single_thread_env

PIXEL_LEVELS = 32
MAX_DIFFERENT_FRACTION = 0.005

# The Binder budget: CPU seconds on the slow reference machine, and peak memory.
MAX_CPU_SECONDS = 15.0
MAX_MEMORY_MB = 1024.0
# The reference workload's CPU time on that machine, calibrated from the six notebooks' CPU times
# measured there (5.3, 10.6, 7.3, 5.9, 8.6 and 18.8 s for chapters 1, 3 to 7 as of 2026-12-01) and
# their ratios to the workload measured in the same kernels here (least squares; every notebook's
# figure came out within 10% of the measured one).
REFERENCE_SECONDS = 0.34
REFERENCE_REPEATS = 2  # before the first cell, and again after the last

# Runs in the notebook's kernel after its last cell: a little of each kind of work a chapter does
# (the interpreter, numpy's small matrix products and element-wise maths, a torch training loop
# with autograd), on one thread, with its own seeded data. The median of a few runs is the unit.
REFERENCE_WORKLOAD = '''
def __booktools_reference__():
    import time
    import numpy as np
    import torch
    start = time.process_time()
    total = 0
    for i in range(600_000):
        total += (i * i) % 7
    a = np.random.default_rng(0).standard_normal((96, 96))
    for _ in range(600):
        a = np.tanh(a @ a.T / 96.0)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(256, 64, generator=g, dtype=torch.float64)
    y = torch.randint(0, 10, (256,), generator=g)
    w = torch.zeros(64, 10, dtype=torch.float64, requires_grad=True)
    for _ in range(600):
        loss = torch.nn.functional.cross_entropy(x @ w, y)
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            w.grad.zero_()
    return time.process_time() - start
'''

_USAGE_EXPRESSION = ("(lambda r: (r.ru_utime + r.ru_stime, r.ru_maxrss / 1024))"
                     "(__import__('resource').getrusage(__import__('resource').RUSAGE_SELF))")
# The workload runs a few times before the notebook's first cell and again after its last; the
# median of all the runs is the unit: the machine's state while the notebook ran, not one moment.
_REFERENCE_RUNS = f"[__booktools_reference__() for _ in range({REFERENCE_REPEATS})]"


@dataclass(frozen=True)
class Usage:
    """What one notebook cost in its kernel: CPU seconds (user + system), peak MB, and the CPU
    seconds of the reference workload in the same kernel."""

    cpu: float
    peak_mb: float
    reference: float

    @property
    def normalised(self) -> float:
        """The CPU time in seconds of the reference machine: cpu in units of the workload."""
        return self.cpu / self.reference * REFERENCE_SECONDS

    def problems(self) -> list[str]:
        found = []
        if self.normalised > MAX_CPU_SECONDS:
            found.append(f"took {self.normalised:.1f} s of CPU on the reference machine "
                         f"(budget {MAX_CPU_SECONDS:.0f} s; {self.cpu:.1f} s here, where the "
                         f"reference workload took {self.reference:.3f} s against "
                         f"{REFERENCE_SECONDS:.3f} s there)")
        if self.peak_mb > MAX_MEMORY_MB:
            found.append(f"peaked at {self.peak_mb:.0f} MB (budget {MAX_MEMORY_MB:.0f} MB)")
        return found

    def line(self) -> str:
        return (f"{self.cpu:.1f} s CPU here, {self.normalised:.1f} s on the reference machine "
                f"(reference workload {self.reference:.3f} s here), {self.peak_mb:.0f} MB peak "
                f"(budget {MAX_CPU_SECONDS:.0f} s, {MAX_MEMORY_MB:.0f} MB)")


# --- figures --------------------------------------------------------------------------------------

def _pngs(outputs) -> list[str]:
    """The base64 data of every PNG among ``outputs``."""
    return [data for out in outputs or [] if (data := (out.get("data") or {}).get("image/png"))]


def _images(outputs) -> list:
    """Every PNG among ``outputs``, as an (height, width, 3) int16 array."""
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"),
                       dtype=np.int16) for data in _pngs(outputs)]


def compare_figures(stored_outputs, fresh_outputs) -> list[str]:
    """What differs between the PNGs of a cell's stored outputs and those of its fresh run."""
    old, new = _images(stored_outputs), _images(fresh_outputs)
    if len(old) != len(new):
        return [f"{len(old)} stored figures but {len(new)} after re-execution"]
    problems = []
    for k, (a, b) in enumerate(zip(old, new, strict=True), start=1):
        if a.shape != b.shape:
            problems.append(f"figure {k}: size {a.shape[1]}x{a.shape[0]} stored, "
                            f"{b.shape[1]}x{b.shape[0]} now")
            continue
        frac = float(np.mean(np.abs(a - b).max(axis=2) > PIXEL_LEVELS))
        if frac > MAX_DIFFERENT_FRACTION:
            problems.append(f"figure {k}: {frac:.2%} of the pixels differ")
    return problems


# --- the budget -----------------------------------------------------------------------------------

# Per notebook: figures compared, and the budget measured (filled while the tests run).
_FIGURES: dict[str, int] = defaultdict(int)
_BUDGETS: dict[str, Usage] = {}
_BEFORE: dict[str, list[float]] = {}  # the workload's runs before each notebook's first cell


class BudgetError(Exception):
    """A notebook over the Binder budget, or a kernel that cannot say."""


def _ask(kernel, code: str, expression: str):
    """Run ``code`` silently in the kernel and return the value of ``expression`` there."""
    msg_id = kernel.kc.execute(code, silent=True, store_history=False,
                               user_expressions={"value": expression})
    while True:
        reply = kernel.get_message(stream="shell", timeout=120)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    result = reply["content"].get("user_expressions", {}).get("value", {})
    if reply["content"].get("status") != "ok" or result.get("status") != "ok":
        raise BudgetError(f"the kernel could not report {expression!r}: {reply['content']}")
    return ast.literal_eval(result["data"]["text/plain"])


def _reference_runs(kernel) -> list[float]:
    """The CPU seconds of REFERENCE_REPEATS runs of the workload in ``kernel``."""
    return [float(t) for t in _ask(kernel, REFERENCE_WORKLOAD, _REFERENCE_RUNS)]


class BinderBudget(pytest.Item):
    """The Binder budget of one notebook, measured in nbval's kernel after its last cell."""

    def runtest(self):
        kernel = self.parent.kernel
        if kernel is None or not kernel.is_alive():
            raise BudgetError("the kernel is not running (a cell crashed it?)")
        cpu, peak_mb = _ask(kernel, "", _USAGE_EXPRESSION)   # before the workload adds to it
        before = _BEFORE.get(self.parent.nodeid, [])
        runs = sorted(before + _reference_runs(kernel))
        # The runs before the first cell are not the notebook's work.
        usage = Usage(cpu - sum(before), peak_mb, runs[len(runs) // 2])
        _BUDGETS[self.parent.nodeid] = usage
        if problems := usage.problems():
            raise BudgetError("; ".join(problems))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, BudgetError):
            return f"{self.parent.nodeid}: over the Binder budget: {excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.parent.nodeid}::Binder budget"


# --- pytest hooks ---------------------------------------------------------------------------------

def pytest_configure(config):
    single_thread_env()


def pytest_collection_modifyitems(session, config, items):
    """After the last cell of each notebook, one more item: the Binder budget of that notebook.
    Every notebook item carries the ``notebooks`` marker (a slow group)."""
    result = []
    for i, item in enumerate(items):
        result.append(item)
        parent = item.parent
        if isinstance(parent, IPyNbFile) and (i + 1 == len(items) or items[i + 1].parent is not parent):
            result.append(BinderBudget.from_parent(parent, name="Binder budget"))
    for item in result:
        if isinstance(item.parent, IPyNbFile):
            item.add_marker(pytest.mark.notebooks)
    items[:] = result


def _check_figures(item) -> None:
    problems = compare_figures(item.cell.outputs, item.test_outputs)
    _FIGURES[item.parent.nodeid] += len(_pngs(item.cell.outputs))  # counted, not decoded again
    if problems:
        item.raise_cell_error(
            "Figures differ from the stored ones", "\n".join(problems)
            + "\nRe-run the notebook (`make notebooks NB=...`) and commit its outputs.")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Before a notebook's first cell, time the reference workload in its kernel; after nbval
    has run a cell and compared its text, compare its figures."""
    if isinstance(item, IPyNbCell) and item.parent.nodeid not in _BEFORE:
        kernel = item.parent.kernel
        _BEFORE[item.parent.nodeid] = (_reference_runs(kernel)
                                       if kernel is not None and kernel.is_alive() else [])
    result = yield
    if isinstance(item, IPyNbCell) and item.test_outputs is not None and not item.options["skip"]:
        _check_figures(item)
    return result


def pytest_terminal_summary(terminalreporter):
    for nodeid, usage in sorted(_BUDGETS.items()):
        terminalreporter.write_line(
            f"{nodeid}: {_FIGURES.get(nodeid, 0)} figures compared, {usage.line()}")
