"""The chapter standard: what every chapter notebook holds, in one place.

    python -m booktools.standard NOTEBOOK.ipynb [...]     (``make test``'s hygiene step)

``hygiene_problems`` checks a committed notebook file (no execution): metadata, the Colab cell,
execution counts, stored outputs, alt text and captions, one import cell, the seeded set-up cell,
the required sections, exercises with folded solutions and checks. The constants below (the Colab
cell, the sections, the glossary terms the chapters teach with their Korean forms) are the rule
set; ``tests/test_site_config.py`` uses the same ones.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import yaml

from booktools import ROOT, notebook_command
from booktools.lock import pins

_CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPO_URL = _CONFIG["repository"]["url"]
BRANCH = _CONFIG["repository"]["branch"]

# The first code cell of every chapter, hidden on the site and skipped by nbval: on Colab (or in
# any environment without lossbook) it installs the package from the repository, and the package
# that ships the figures' Korean font at the version requirements.txt pins.
_FONT = pins(ROOT / "requirements.txt")["koreanize-matplotlib"]
COLAB_CELL = f'''# Colab or a fresh environment: install lossbook and the figures' Korean font if they are
# missing; does nothing otherwise.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("lossbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "lossbook @ git+{REPO_URL}@{BRANCH}"], check=True)
if importlib.util.find_spec("koreanize_matplotlib") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "koreanize-matplotlib=={_FONT}"], check=True)'''
COLAB_TAGS = {"remove-cell", "nbval-skip"}
REQUIRED_SECTIONS = ("What you will learn", "Summary")
MIN_EXERCISES = 4

# The glossary terms every chapter may link with {term}`...`: the terms the course teaches.
GLOSSARY_TERMS = [
    "input layer", "hidden layer", "output layer", "neuron", "weight", "bias", "weighted sum",
    "activation function", "loss function", "mean squared error", "sum of squared errors",
    "root mean squared error", "mean absolute error", "Huber loss", "residual", "cross-entropy",
    "binary cross-entropy", "negative log-likelihood", "one-hot encoding", "label", "logit",
    "softmax", "log-sum-exp", "label smoothing", "accuracy", "metric", "step function",
    "sigmoid function", "tanh", "ReLU", "gradient", "derivative", "gradient descent",
    "learning rate", "parameter", "forward pass", "backpropagation", "reduction", "batch",
    "class weight", "surrogate loss", "epoch", "maximum likelihood", "probability distribution",
    # chapter 8: what a regression loss predicts
    "minimiser", "median", "quantile", "pinball loss", "smooth L1 loss", "prediction interval",
    "coverage", "Poisson distribution", "heteroscedastic",
]
# The Korean form of the key terms (STYLE.md): the glossary gives each of them.
KOREAN_TERMS = {
    "input layer": "입력층", "hidden layer": "은닉층", "output layer": "출력층", "weight": "가중치",
    "bias": "편향", "weighted sum": "가중합", "activation function": "활성화 함수",
    "loss function": "손실 함수", "mean squared error": "평균 제곱 오차",
    "cross-entropy": "교차 엔트로피", "one-hot encoding": "원-핫 인코딩", "accuracy": "정확도",
    "step function": "계단 함수", "sigmoid function": "시그모이드 함수", "gradient": "기울기",
    "derivative": "미분", "logit": "로짓", "softmax": "소프트맥스",
}


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
    elif body and code[0] is body[0]:
        found.append("the Colab install cell must be the first code cell")
    elif code[0].source.strip() != COLAB_CELL:
        found.append("the Colab install cell differs from booktools.standard.COLAB_CELL")
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
    for heading in REQUIRED_SECTIONS:
        if heading.lower() not in markdown.lower():
            found.append(f"no '{heading}' section")
    exercises = re.findall(r"\{exercise-start\}", markdown)
    solutions = re.findall(r"\{solution-start\}[^\n]*\n:class: dropdown", markdown)
    if len(exercises) < MIN_EXERCISES:
        found.append(f"{len(exercises)} exercises; the standard asks for at least {MIN_EXERCISES}")
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


def main(argv: list[str]) -> int:
    return notebook_command("booktools.standard", hygiene, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
