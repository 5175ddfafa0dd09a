"""Every Python example on a Markdown page runs, and its printed output is compared.

pytest's doctest support runs the pages (pyproject.toml: ``--doctest-glob=*.md`` and the pages in
``testpaths``). It only sees examples written with prompts, so these tests keep every Python
example on a page in that form:

```pycon
>>> import lossbook as lb
>>> lb.mse_loss([1.0, 2.0], [0.0, 0.0])
2.5

```

The blank line before the closing fence ends the last example's expected output (doctest reads
output up to a blank line or the next prompt). Code that is not Python to run goes in a
``text`` or ``bash`` block.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.md"))]
PYTHON = {"python", "python3", "py", "ipython", "ipython3"}
DOCTEST = {"pycon", "python-console", "pytb"}
# MyST directives that show code: ```{code-block} python and friends.
CODE_DIRECTIVE = re.compile(r"^\{(code-block|code|sourcecode|code-cell)\}\s*(\S*)")
PROMPT = re.compile(r"^\s*>>> ", re.M)


def _fences(text: str, where: str = ""):
    """(language, content, line) for every fenced block, also inside directives' bodies."""
    for token in MarkdownIt("commonmark").parse(text):
        if token.type != "fence":
            continue
        info = token.info.strip()
        line = token.map[0] + 1 if token.map else 0
        directive = CODE_DIRECTIVE.match(info)
        if directive:
            yield directive.group(2).lower() or "python", token.content, line
        elif info.startswith("{"):
            # Another directive (admonition, exercise, ...): its body is Markdown again.
            body = "\n".join(ln for ln in token.content.splitlines() if not ln.startswith(":"))
            for lang, content, inner in _fences(body):
                yield lang, content, line + inner
        else:
            yield (info.split() or [""])[0].lower(), token.content, line


def _page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_python_examples_are_doctests(page):
    problems = []
    for lang, content, line in _fences(page.read_text(encoding="utf-8")):
        if lang in PYTHON and not PROMPT.search(content):
            problems.append(
                f"line {line}: a ```{lang} block without >>> prompts is never run. Write it as "
                "```pycon with >>> prompts and the output it prints, or as ```text if it is not "
                "Python to run"
            )
        if lang in DOCTEST | PYTHON and PROMPT.search(content):
            lines = content.splitlines()
            if not lines[0].startswith(">>> "):
                problems.append(f"line {line}: a pycon block must start with a prompt (>>> )")
            if lines[-1].strip():
                problems.append(
                    f"line {line}: end the pycon block with a blank line before the closing "
                    "fence, or doctest reads the fence as expected output"
                )
    assert not problems, f"{_page_id(page)}:\n" + "\n".join(problems)


def test_pytest_runs_the_pages_as_doctests(pytestconfig):
    """The configuration pytest runs with (pyproject.toml) doctests every page."""
    assert "--doctest-glob=*.md" in pytestconfig.getini("addopts")
    testpaths = pytestconfig.getini("testpaths")
    for page in PAGES:
        rel = _page_id(page)
        assert rel in testpaths or rel.split("/")[0] in testpaths, (
            f"{rel} is not in pytest's testpaths, so its examples would not run"
        )


def test_the_pages_hold_examples():
    """The doctest run above is not empty: the pages have examples, and README.md has some."""
    parser = doctest.DocTestParser()
    counts = {_page_id(p): len(parser.get_examples(p.read_text(encoding="utf-8"))) for p in PAGES}
    assert counts["README.md"] >= 2, counts
    assert sum(counts.values()) >= 5, counts


def test_copy_button_leaves_out_prompts_and_output():
    """sphinx-copybutton copies only the code of a pycon block: prompts and output stay behind."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    prompt = config["copybutton_prompt_text"]
    assert config["copybutton_prompt_is_regexp"] is True
    assert config.get("copybutton_only_copy_prompt_lines", True) is True
    assert re.match(prompt, ">>> import lossbook").end() == 4
    assert re.match(prompt, "...     return x").end() == 4
    assert not re.match(prompt, "0.30103")
