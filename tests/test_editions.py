"""One home for the editions: the table locale/editions.toml (booktools/editions.py).

_ext/, booktools/ and the Makefile read every language code, catalogue folder, edition folder
and PDF name from the table; none of them spells one out (the scan below reads their code, not
their comments and docstrings). The tests may name the Korean edition where they test Korean
behaviour (its search, its labels), but take its paths from the table too. A third language is
a row of the table and its catalogues: the last test builds the Makefile's view of such a table.
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

from booktools import ROOT, editions

EDITIONS = editions.editions()
READER = ROOT / "booktools" / "editions.py"
CODE_FILES = sorted([*(ROOT / "_ext").glob("*.py"), *(ROOT / "booktools").glob("*.py")])
TEST_FILES = sorted((ROOT / "tests").rglob("*.py"))


def _paths(e: editions.Edition) -> list[str]:
    """What names an edition's folders and files: catalogues, build folders, site folder, PDF."""
    found = [f"{editions.LOCALE_DIR}/{e.code}/", e.pdf, e.pdf_build]
    if not e.source:
        found += [e.catalogues, e.build, f"html/{e.site}".rstrip("/")]
    return found


def _strings(path: Path):
    """(line, text) of every string literal of a Python file that is not a docstring, and of
    every ``"locale" / "xx"`` path joint, as the source spells them."""
    source = path.read_text(encoding="utf-8")
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(body[0].value.lineno)
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT,
                                tokenize.DEDENT)]
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.STRING or tok.start[0] in docstrings:
            continue
        text = tok.string
        try:
            value = ast.literal_eval(text)
        except ValueError:  # an f-string: its literal parts, as written
            value = text
        yield tok.start[0], value if isinstance(value, str) else text
        # ROOT / "locale" / "xx": the book's catalogues (the package's own, lossbook/locale, are
        # not an edition's)
        if (value == editions.LOCALE_DIR and i >= 2 and tokens[i - 2].string == "ROOT"
                and tokens[i - 1].string == "/" and i + 2 < len(tokens)
                and tokens[i + 1].string == "/" and tokens[i + 2].type == tokenize.STRING):
            yield tok.start[0], f"{value}/{ast.literal_eval(tokens[i + 2].string)}/"


def spelled_out(path: Path, *, codes: bool) -> list[str]:
    """Where a Python file spells out an edition's code (a string that is just the code, or holds
    its site folder) or one of its paths; with ``codes=False``, its paths only."""
    found = []
    for line, text in _strings(path):
        for e in EDITIONS:
            bare = codes and (text == e.code or bool(e.site) and re.search(
                rf"(?<![\w.-]){re.escape(e.site)}", text) is not None)
            if bare or any(p in text for p in _paths(e)):
                found.append(f"{path.name}:{line}: {text!r} ({e.code})")
    return found


def makefile_spellings(text: str) -> list[str]:
    """The lines of a Makefile, comments left out, that spell out a code or a path of the table."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for e in EDITIONS:
            if (re.search(rf"(?<![\w]){re.escape(e.code)}(?![\w])", line)
                    or any(p in line for p in _paths(e))):
                found.append(f"Makefile:{number}: {line.strip()} ({e.code})")
    return found


@pytest.mark.parametrize("path", [p for p in CODE_FILES if p != READER],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_site_extensions_and_tools_read_the_editions_from_the_table(path):
    found = spelled_out(path, codes=True)
    assert not found, "read these from booktools.editions (locale/editions.toml):\n" + "\n".join(found)


def test_the_makefile_reads_the_editions_from_the_table():
    found = makefile_spellings((ROOT / "Makefile").read_text(encoding="utf-8"))
    assert not found, ("get these from `python -m booktools.editions` (locale/editions.toml):\n"
                       + "\n".join(found))


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_tests_take_the_editions_paths_from_the_table(path):
    found = spelled_out(path, codes=False)
    assert not found, "take these from booktools.editions:\n" + "\n".join(found)


def test_the_scan_finds_what_it_is_for(tmp_path):
    korean = EDITIONS[1]
    planted = tmp_path / "planted.py"
    planted.write_text(
        f'"""A docstring may say {korean.catalogues}."""\n'
        f"# and so may a comment: {korean.build}\n"
        f"LANGUAGE = {korean.code!r}\n"
        f"PDF = ROOT / {korean.pdf!r}\n"
        f'CATALOGUE = ROOT / "locale" / {korean.code!r} / "LC_MESSAGES"\n'
        f'URL = f"../{korean.site}{{page}}.html"\n', encoding="utf-8")
    found = spelled_out(planted, codes=True)
    assert [f.split(":")[1] for f in found] == ["3", "4", "5", "5", "6"], found
    assert [f.split(":")[1] for f in spelled_out(planted, codes=False)] == ["4", "5"]
    makefile = f"# make {korean.code}-notebooks\nX := {korean.build}\n\tcp a {korean.code}/b\n"
    assert [f.split(":")[1] for f in makefile_spellings(makefile)] == ["2", "3"]


def test_a_malformed_table_is_refused(tmp_path, monkeypatch):
    text = editions.TABLE.read_text(encoding="utf-8")
    bad = tmp_path / "editions.toml"
    korean = EDITIONS[1]
    bad.write_text(text.replace(f'catalogues = "{korean.catalogues}"', 'catalogues = "po/ko"'),
                   encoding="utf-8")
    monkeypatch.setattr(editions, "TABLE", bad)
    editions.editions.cache_clear()
    try:
        with pytest.raises(ValueError, match="Sphinx reads its catalogues from"):
            editions.editions()
    finally:
        editions.editions.cache_clear()


def test_a_third_language_is_a_row_of_the_table(tmp_path):
    """In a copy of the book's Makefile and tools whose table has a third row, the Makefile builds,
    executes and checks the third edition too (``make -n``: what it would run)."""
    korean = EDITIONS[1]
    block = editions.TABLE.read_text(encoding="utf-8")
    row = block[block.rindex("[[edition]]"):]
    third = (row.replace(f'"{korean.code}"', '"ja"').replace(f'"{korean.site}"', '"ja/"')
             .replace(korean.catalogues, "locale/ja/LC_MESSAGES").replace(korean.build, "_build/ja")
             .replace(korean.pdf_build, "_build/pdf/ja").replace(korean.pdf, "lossbook-ja.pdf"))
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / editions.TABLE.name).write_text(block + "\n" + third, encoding="utf-8")
    (tmp_path / "booktools").mkdir()
    for tool in ("__init__.py", "__main__.py", "editions.py"):
        (tmp_path / "booktools" / tool).write_bytes((ROOT / "booktools" / tool).read_bytes())
    (tmp_path / "Makefile").write_bytes((ROOT / "Makefile").read_bytes())
    for name in ["requirements.txt", "requirements-book.txt", "requirements.lock", "pyproject.toml",
                 "_config.yml", "_toc.yml", "intro.md", "references.bib", "_ext/lossbook_latex.py",
                 "_ext/lossbook_i18n.py", "booktools/translations.py",
                 *[p.relative_to(ROOT) for p in (ROOT / "chapters").iterdir()]]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).touch()
    out = subprocess.run(["make", "-n", "--no-print-directory", "pdf", "notebooks-test", "ja-notebooks"],
                         cwd=tmp_path, capture_output=True, text=True)
    printed = out.stdout + out.stderr
    assert out.returncode == 0, printed[-3000:]
    for expected in ["translations config ja > _build/pdf/ja/_config.yml",
                     "cp _build/pdf/ja/_build/latex/lossbook-ja.pdf _build/pdf/lossbook-ja.pdf",
                     "ja/chapters/04-cross-entropy.ipynb"]:
        assert expected in printed, f"{expected!r} not in:\n{printed[-3000:]}"
