"""Notebook tooling of the book: not a test module and not part of the lossbook package.

Three jobs, one module, run from the repository root:

``python -m booktools.notebooks execute NOTEBOOK.ipynb ...``  (``make notebooks``)
    Re-execute notebooks in place (one thread, like a Binder user), keep one output per stream,
    and strip metadata noise, so nbval and the site see fresh outputs.

``python -m booktools.notebooks hygiene NOTEBOOK.ipynb ...``  (``make test``)
    Check the committed files against the chapter standard (no execution): metadata, the Colab
    cell, execution counts, alt text and captions, one import cell, exercises with checks.

``python -m pytest -p booktools.notebooks --nbval ... chapters/*.ipynb``  (``make test``)
    As a pytest plugin beside nbval, reuse nbval's execution of every notebook (each notebook
    runs once per ``make test``) for what nbval does not compare:

    - figure freshness: nbval compares text outputs only, so every PNG a cell draws is compared
      with the stored one. Two PNGs match when they have the same size and at most 0.5% of their
      pixels differ by more than 32 (of 255) in any channel: that tolerates anti-aliasing
      differences between machines, not a moved line;
    - the Binder budget: after a notebook's last cell, an extra test item asks the kernel for its
      own CPU time (user plus system, which load on the machine does not inflate) and peak
      resident memory; at most 15 s and 1 GB on one thread.
"""

from __future__ import annotations

import ast
import base64
import io
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbval.plugin import IPyNbCell, IPyNbFile
from PIL import Image

COLAB_TAGS = {"remove-cell", "nbval-skip"}
TIMEOUT_PER_CELL = 120
MAX_CPU_SECONDS = 15.0
MAX_MEMORY_MB = 1024.0
PIXEL_LEVELS = 32
MAX_DIFFERENT_FRACTION = 0.005


def single_thread_env() -> None:
    """One thread, like a Binder user, and the same numbers on every machine."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = "1"
    # The kernel must draw inline (PNG outputs), whatever backend the caller's shell sets.
    os.environ.pop("MPLBACKEND", None)
    os.environ.setdefault("PYTHONHASHSEED", "0")


# --- execute ------------------------------------------------------------------------------------

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


# --- hygiene ------------------------------------------------------------------------------------

ALLOWED_METADATA = {"kernelspec", "language_info"}
NEEDS_OUTPUT = re.compile(r"\bprint\(|lb\.checks\.|plt\.|\bax\.")
IMPORT = re.compile(r"^\s*(import|from)\s+\w", re.M)


def hygiene_problems(path: Path) -> list[str]:
    """Every way the committed notebook at ``path`` departs from the chapter standard."""
    nb = nbformat.read(path, as_version=4)
    found = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        found.append(f"not a valid notebook: {err.message}")
    extra = set(nb.metadata) - ALLOWED_METADATA
    if extra or set(nb.metadata.get("language_info", {})) - {"name"}:
        found.append(f"notebook metadata noise {sorted(extra) or 'in language_info'}: "
                     "run `make notebooks NB=...`")
    code = [c for c in nb.cells if c.cell_type == "code"]
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    body = [c for c in code if not COLAB_TAGS <= set(c.metadata.get("tags", []))]
    if len(body) == len(code):
        found.append("no Colab install cell (tags remove-cell and nbval-skip) before the imports")
    elif code[0] is body[0]:
        found.append("the Colab install cell must be the first code cell")
    counts = [c.get("execution_count") for c in code]
    if counts != list(range(1, len(code) + 1)):
        found.append(f"execution counts are {counts}, not 1..{len(code)} in order: "
                     "re-run the whole notebook with `make notebooks NB=...`")
    for i, cell in enumerate(code):
        where = f"code cell {i + 1}"
        for out in cell.get("outputs", []):
            if out.get("execution_count") not in (None, cell.get("execution_count")):
                found.append(f"{where}: an output's execution_count differs from its cell's")
            if out.output_type == "error":
                found.append(f"{where}: stores an error ({out.ename}); catch it and print the message")
            if out.output_type == "stream" and "Traceback" in out.text:
                found.append(f"{where}: stores a traceback")
            if out.output_type == "stream" and out.name == "stderr":
                found.append(f"{where}: writes to stderr (a warning?); catch it and print what "
                             "the reader should see")
            if "image/png" in out.get("data", {}):
                mystnb = cell.metadata.get("mystnb", {})
                if not mystnb.get("image", {}).get("alt"):
                    found.append(f"{where}: a figure without alt text (metadata mystnb.image.alt)")
                if not mystnb.get("figure", {}).get("caption"):
                    found.append(f"{where}: a figure without a caption (metadata mystnb.figure.caption)")
        if cell in body and NEEDS_OUTPUT.search(cell.source) and not cell.get("outputs"):
            found.append(f"{where}: prints or plots but has no stored output; execute the notebook")
    import_cells = [c for c in body if IMPORT.search(c.source)]
    if len(import_cells) != 1 or (body and import_cells and import_cells[0] is not body[0]):
        found.append(f"imports must all sit in one import cell right after the Colab cell "
                     f"(found them in {len(import_cells)} cells)")
    if len(body) > 1 and "default_rng(" not in body[1].source:
        found.append("the cell after the imports must be the seeded set-up cell (np.random.default_rng)")
    if not re.search(r"^\(ch-[\w-]+\)=", nb.cells[0].source, re.M):
        found.append("the first cell must open with the chapter's label, e.g. (ch-mse)=")
    for heading in ("What you will learn", "Summary"):
        if heading.lower() not in markdown.lower():
            found.append(f"no '{heading}' section")
    exercises = re.findall(r"\{exercise-start\}", markdown)
    solutions = re.findall(r"\{solution-start\}[^\n]*\n:class: dropdown", markdown)
    if len(exercises) < 4:
        found.append(f"{len(exercises)} exercises; the standard asks for at least 4")
    if len(solutions) != len(exercises):
        found.append(f"{len(exercises)} exercises but {len(solutions)} folded solutions")
    checks = sum("lb.checks." in c.source for c in body)
    if checks < 2 * len(exercises):
        found.append(f"{checks} cells call lb.checks; each exercise needs a learner cell and a "
                     "solution cell that run the check")
    return found


def hygiene(paths: list[str]) -> int:
    failed = 0
    for name in paths:
        problems = hygiene_problems(Path(name))
        for p in problems:
            print(f"{name}: {p}")
        failed += bool(problems)
    print(f"notebook hygiene: {len(paths) - failed} of {len(paths)} notebooks clean")
    return 1 if failed or not paths else 0


# --- figures and budget: a pytest plugin on nbval's run -------------------------------------------

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


# Per notebook: figures compared, and the budget measured (filled while the tests run).
_FIGURES: dict[str, int] = defaultdict(int)
_BUDGETS: dict[str, tuple[float, float]] = {}

_USAGE_EXPRESSION = ("(lambda r: (r.ru_utime + r.ru_stime, r.ru_maxrss / 1024))"
                     "(__import__('resource').getrusage(__import__('resource').RUSAGE_SELF))")


class BudgetError(Exception):
    """A notebook over the Binder budget, or a kernel that cannot say."""


class BinderBudget(pytest.Item):
    """The Binder budget of one notebook, measured in nbval's kernel after its last cell."""

    def runtest(self):
        kernel = self.parent.kernel
        if kernel is None or not kernel.is_alive():
            raise BudgetError("the kernel is not running (a cell crashed it?)")
        msg_id = kernel.kc.execute("", silent=True, store_history=False,
                                   user_expressions={"usage": _USAGE_EXPRESSION})
        while True:
            reply = kernel.get_message(stream="shell", timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        result = reply["content"]["user_expressions"]["usage"]
        if result.get("status") != "ok":
            raise BudgetError(f"the kernel could not report its usage: {result}")
        cpu, peak_mb = ast.literal_eval(result["data"]["text/plain"])
        _BUDGETS[self.parent.nodeid] = (cpu, peak_mb)
        problems = []
        if cpu > MAX_CPU_SECONDS:
            problems.append(f"took {cpu:.1f} s of CPU on one thread (budget {MAX_CPU_SECONDS:.0f} s)")
        if peak_mb > MAX_MEMORY_MB:
            problems.append(f"peaked at {peak_mb:.0f} MB (budget {MAX_MEMORY_MB:.0f} MB)")
        if problems:
            raise BudgetError("; ".join(problems))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, BudgetError):
            return f"{self.parent.nodeid}: over the Binder budget: {excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.parent.nodeid}::Binder budget"


def pytest_configure(config):
    single_thread_env()


def pytest_collection_modifyitems(session, config, items):
    """After the last cell of each notebook, one more item: the Binder budget of that notebook."""
    result = []
    for i, item in enumerate(items):
        result.append(item)
        parent = item.parent
        if isinstance(parent, IPyNbFile) and (i + 1 == len(items) or items[i + 1].parent is not parent):
            result.append(BinderBudget.from_parent(parent, name="Binder budget"))
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
    """After nbval has run a cell and compared its text, compare its figures."""
    result = yield
    if isinstance(item, IPyNbCell) and item.test_outputs is not None and not item.options["skip"]:
        _check_figures(item)
    return result


def pytest_terminal_summary(terminalreporter):
    for nodeid, (cpu, peak_mb) in sorted(_BUDGETS.items()):
        terminalreporter.write_line(
            f"{nodeid}: {_FIGURES.get(nodeid, 0)} figures compared, {cpu:.1f} s CPU, "
            f"{peak_mb:.0f} MB peak (budget {MAX_CPU_SECONDS:.0f} s, {MAX_MEMORY_MB:.0f} MB)")


# --- command line -------------------------------------------------------------------------------

COMMANDS = {"execute": execute, "hygiene": hygiene}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS or len(argv) < 2:
        print("usage: python -m booktools.notebooks {execute,hygiene} NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
