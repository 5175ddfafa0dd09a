"""Notebook hygiene and the chapter standard, checked on the committed files (no execution).

Usage: python tests/check_notebooks.py chapters/*.ipynb   (run by `make test`)
Exits 1 and lists every problem found.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))
from _notebooks import COLAB_TAGS  # noqa: E402

ALLOWED_METADATA = {"kernelspec", "language_info"}
NEEDS_OUTPUT = re.compile(r"\bprint\(|lb\.checks\.|plt\.|\bax\.")
IMPORT = re.compile(r"^\s*(import|from)\s+\w", re.M)


def problems_in(path: Path) -> list[str]:
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


def main(paths: list[str]) -> int:
    failed = 0
    for name in paths:
        problems = problems_in(Path(name))
        for p in problems:
            print(f"{name}: {p}")
        failed += bool(problems)
    print(f"notebook hygiene: {len(paths) - failed} of {len(paths)} notebooks clean")
    return 1 if failed or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
