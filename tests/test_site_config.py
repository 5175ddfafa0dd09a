"""Static checks of what readers get besides the pages: launch buttons, Colab, Binder, publishing.

These read files only (no build, no browser); the browser tests in tests/browser check the built
site itself.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from booktools import notebooks
from booktools.lock import pins as _requirements
from booktools.standard import COLAB_CELL, GLOSSARY_TERMS, KOREAN_TERMS

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPO_URL = CONFIG["repository"]["url"]
BRANCH = CONFIG["repository"]["branch"]
NOTEBOOKS = notebooks()



def test_config_keeps_the_lead_settings():
    assert CONFIG["execute"]["execute_notebooks"] == "off"
    assert CONFIG["sphinx"]["recursive_update"] is True
    assert CONFIG["sphinx"]["config"]["nitpicky"] is True


def test_launch_and_page_buttons_are_configured():
    html = CONFIG["html"]
    for key in ("use_repository_button", "use_issues_button", "use_edit_page_button",
                "use_download_button"):
        assert html[key] is True, key
    launch = CONFIG["launch_buttons"]
    assert launch["binderhub_url"] == "https://mybinder.org"
    assert launch["colab_url"] == "https://colab.research.google.com"
    assert REPO_URL.startswith("https://github.com/") and not REPO_URL.endswith("/")
    assert CONFIG["repository"]["path_to_book"] == ""


def test_repository_url_lives_only_in_config():
    """Other config files name no repository url: it is read from _config.yml."""
    others = [ROOT / "binder" / "requirements.txt", ROOT / ".github" / "workflows" / "pages.yml",
              ROOT / "Makefile", ROOT / "requirements.txt", ROOT / "requirements-book.txt"]
    for path in others:
        if path.exists():
            assert REPO_URL.split("://", 1)[1] not in path.read_text(encoding="utf-8"), path


def test_math_is_typeset_at_build_time():
    """KaTeX typesets the math while Sphinx writes the pages (_ext/lossbook_math.py): no MathJax,
    no math library for the reader to download."""
    sphinx = CONFIG["sphinx"]
    assert not any("mathjax" in ext for ext in sphinx["extra_extensions"])
    assert not any(k.startswith("mathjax") for k in sphinx["config"])
    for ext in ("lossbook_site", "lossbook_math"):
        assert (ROOT / "_ext" / f"{ext}.py").exists()
        assert sphinx["local_extensions"][ext] == "_ext/"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_the_colab_cell(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, f"{notebook.name} has no code cell"
    first = code[0]
    source = "".join(first["source"]) if isinstance(first["source"], list) else first["source"]
    assert source.strip() == COLAB_CELL, (
        f"{notebook.name}: the first code cell must be the Colab install cell, exactly:\n"
        f"{COLAB_CELL}"
    )
    tags = first.get("metadata", {}).get("tags", [])
    assert "remove-cell" in tags and "nbval-skip" in tags, f"{notebook.name}: tags are {tags}"


def test_binder_requirements_are_runtime_only_and_cpu_torch():
    binder = ROOT / "binder" / "requirements.txt"
    text = binder.read_text(encoding="utf-8")
    lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    assert "-e ." in lines, "lossbook itself must be installed from the repository"
    pins = _requirements(binder)
    root = _requirements(ROOT / "requirements.txt")
    assert pins["torch"] == root["torch"] + "+cpu", "torch: the CPU build of the root pin"
    for name in ("numpy", "matplotlib", "scikit-learn", "koreanize-matplotlib"):
        assert pins[name] == root[name], f"{name}: binder pins {pins[name]}, root {root[name]}"
    tools = {"jupyter-book", "sphinx", "pytest", "hypothesis", "nbval", "nbclient", "nbstripout",
             "ruff", "playwright", "linkchecker", "sphinx-exercise", "quickjs"}
    assert not tools & set(pins), f"book or test tools in binder: {tools & set(pins)}"
    assert set(pins) == {"torch", "numpy", "matplotlib", "scikit-learn", "koreanize-matplotlib"}


def test_root_requirements_name_no_other_index():
    for name in ("requirements.txt", "requirements-book.txt"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "--extra-index-url" not in text and "--index-url" not in text, name


def test_book_requirements_are_the_build_only():
    """`make book` installs requirements-book.txt: no torch, no test tools; requirements.txt is
    the complete list and includes it."""
    book = _requirements(ROOT / "requirements-book.txt")
    assert set(book) == {"numpy", "matplotlib", "jupyter-book", "sphinx-exercise",
                         "quickjs"}, set(book)
    root_lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-r requirements-book.txt" in root_lines
    assert "-e ." in (ROOT / "requirements-book.txt").read_text(encoding="utf-8").splitlines()
    full = _requirements(ROOT / "requirements.txt")
    for name in ("torch", "scikit-learn", "pytest", "nbval", "playwright", "linkchecker"):
        assert name in full and name not in book, name
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m booktools.lock install requirements-book.txt" in makefile
    assert re.search(r"^book: \$\(BOOK_STAMP\)$", makefile, re.M), "make book installs the book list"


def test_binder_runtime_matches_the_ci_image():
    """Binder's Python and CI's are the one pair that must agree (the stored outputs come from
    it); the unit suite itself runs on any Python pyproject.toml admits."""
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    images = re.findall(r"image:\s*python:(\d+\.\d+)-", workflow)
    assert images and set(images) == {runtime.removeprefix("python-")}, (runtime, images)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    lowest = re.search(r'requires-python = ">=(\d+)\.(\d+)"', project).groups()
    assert sys.version_info[:2] >= tuple(map(int, lowest)), "this Python is below requires-python"


def test_pages_workflow_tests_then_publishes():
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    steps = wf["jobs"]["test"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "bash .ci/run" in runs, "the workflow runs CI's one entry point"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == "make test", "and .ci/run runs the README's test command"
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload and upload[0]["with"]["path"] == "_build/html"
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])


def test_glossary_has_every_term_with_korean():
    text = (ROOT / "chapters" / "glossary.md").read_text(encoding="utf-8")
    assert text.startswith("(glossary)=")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    assert ":sorted:" in block
    entries = {}
    current = None
    for line in block.splitlines():
        if line and not line.startswith((" ", ":")):
            current = line.strip()
            entries[current] = ""
        elif current:
            entries[current] += line.strip() + " "
    missing = [t for t in GLOSSARY_TERMS if t not in entries]
    assert not missing, f"glossary lacks {missing}"
    for term, body in entries.items():
        assert body.startswith("Korean: "), f"{term}: definition must start with its Korean term"
        assert len(body.split(". ", 1)[-1]) > 20, f"{term}: definition too short"
    for term, korean in KOREAN_TERMS.items():
        assert korean in entries[term], f"{term}: Korean term {korean} missing"


def test_one_bibliography_in_the_book():
    sources = list((ROOT / "chapters").glob("*.md")) + list((ROOT / "chapters").glob("*.ipynb"))
    sources += list(ROOT.glob("*.md"))
    with_bib = [p.name for p in sources if "{bibliography}" in p.read_text(encoding="utf-8")]
    assert with_bib == ["references.md"]
    refs = (ROOT / "chapters" / "references.md").read_text(encoding="utf-8")
    assert refs.startswith("(references)=")


def test_browser_tests_need_no_node():
    """axe-core comes from a pinned PyPI package; nothing in the tests needs npm or Node."""
    assert "axe-playwright-python" in _requirements(ROOT / "requirements.txt")
    assert not list((ROOT / "tests").rglob("package*.json"))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "npm" not in makefile and "node " not in makefile


def test_every_korean_term_the_chapters_give_is_in_the_glossary():
    glossary = (ROOT / "chapters" / "glossary.md").read_text(encoding="utf-8")
    pages = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.md")), *NOTEBOOKS]
    used = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        used |= set(re.findall(r"\(([가-힣][가-힣 \-]*)\)", text))
    missing = sorted(t for t in used if t not in glossary)
    assert not missing, f"Korean terms used in the chapters but not in the glossary: {missing}"
