"""Checks of the printed book, both editions (``make pdf-test``, a step of ``make test``).

``make pdf`` builds ``_build/pdf/lossbook.pdf`` and ``_build/pdf/lossbook-ko.pdf``; these tests
read them with poppler (pdffonts, pdftotext, pdfinfo) and read the LaTeX logs next to them:

- every font is embedded, and a CJK font carries the Hangul (the English edition has Korean
  terms too);
- every page of ``_toc.yml`` is in the book, in order: its title (translated in the Korean
  edition, as the Korean site shows it) and a sentence of its first paragraphs;
- no TeX left in the text layer (a ``$`` around math, ``\\frac``);
- every exercise's solution is on a later page than the exercise;
- the bibliography lists every cited entry of references.bib inside the References chapter;
- the LaTeX log has no missing character, no undefined reference or citation, and no line
  wider than the text by more than ``OVERFULL_LIMIT_PT``;
- the page count is in a sane range, and each PDF's size is reported.

They run where ``make pdf`` ran; the plain ``pytest`` of ``make unit`` ignores this folder.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml

from booktools import editions
from booktools.translations import translations

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "_build" / "pdf"
# Each edition's PDF and its LaTeX log (the editions' table, locale/editions.toml).
EDITIONS = {
    e.code: (editions.PDF_DIR / e.pdf,
             ROOT / e.pdf_build / "_build" / "latex" / e.pdf.replace(".pdf", ".log"))
    for e in editions.editions()
}
# A line may stick out of the text block by at most this much (TeX's own rounding in a table
# or a code line is about 1 pt; a visible overrun is tens of points).
OVERFULL_LIMIT_PT = 3.0
PAGES_RANGE = (120, 500)
# Markup that does not reach the printed text as written.
_MARKUP = re.compile(r"[`{}$*\[\]<>|_\\]")


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pdf(edition: str) -> Path:
    path = EDITIONS[edition][0]
    assert path.exists(), f"{path} is missing: run `make pdf` first"
    return path


def _comparable(text: str) -> str:
    """Letters and digits only, lower case: line breaks, hyphenation and quotes do not count."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


_TEXT: dict[str, list[str]] = {}


def _pages(edition: str) -> list[str]:
    """The text of every page (pdftotext separates pages by form feeds)."""
    if edition not in _TEXT:
        _TEXT[edition] = _run("pdftotext", "-raw", "-enc", "UTF-8", str(_pdf(edition)), "-").split("\f")
    return _TEXT[edition]


# --- what the pages of _toc.yml say -----------------------------------------------------------

def _toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc["parts"]:
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


def _markdown_of(page: str) -> str:
    md = ROOT / f"{page}.md"
    if md.exists():
        return md.read_text(encoding="utf-8")
    nb = json.loads((ROOT / f"{page}.ipynb").read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _title_and_paragraphs(page: str) -> tuple[str, list[str]]:
    """The page's title and its plain paragraphs (as the catalogue's messages: one line each)."""
    text = _markdown_of(page)
    title = re.search(r"^# (.+)$", text, re.M).group(1).strip()
    body = text[text.index(title) + len(title):]
    paragraphs = []
    for block in re.split(r"\n\s*\n", body):
        lines = block.strip().splitlines()
        if not lines or lines[0].startswith(("#", "```", ":::", "(", "|", "-", "*", "1.", ">")):
            continue
        paragraphs.append(" ".join(line.strip() for line in lines))
    return title, paragraphs


def _sentence(paragraph: str, shortest: int) -> str | None:
    """A sentence of a paragraph with no markup in it, long enough to be found only there."""
    for sentence in re.split(r"(?<=[.!?。])\s+", paragraph):
        if len(sentence) >= shortest and not _MARKUP.search(sentence):
            return sentence
    return None


def _expected(edition: str) -> list[tuple[str, str, str]]:
    """(page, title, a sentence) of every page in _toc.yml order, in the edition's language."""
    rows = []
    for page in _toc_pages():
        title, paragraphs = _title_and_paragraphs(page)
        table = {}
        if edition == "ko":
            table = translations(editions.get(edition).catalogue_dir / f"{page}.po")
            title = table.get(title, title)
        sentence = None
        for paragraph in paragraphs:
            # A Korean syllable carries about as much as two or three Latin letters.
            sentence = _sentence(table.get(paragraph, paragraph), 12 if edition == "ko" else 25)
            if sentence:
                break
        assert sentence, f"{page}: no plain sentence found to look for"
        rows.append((page, title, sentence))
    return rows


# --- the tests --------------------------------------------------------------------------------

@pytest.mark.parametrize("edition", EDITIONS)
def test_every_font_is_embedded_and_hangul_has_a_cjk_font(edition):
    rows = _run("pdffonts", str(_pdf(edition))).splitlines()[2:]
    assert rows, "pdffonts lists no fonts"
    fonts = [(row.split()[0], row.split()[-5]) for row in rows]  # name, "emb" column
    not_embedded = [name for name, emb in fonts if emb != "yes"]
    assert not not_embedded, f"fonts not embedded: {not_embedded}"
    assert any("CJK" in name for name, _ in fonts), f"no CJK font among {fonts}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_of_the_toc_is_in_the_book_in_order(edition):
    text = _comparable("\n".join(_pages(edition)))
    position = 0
    for page, title, sentence in _expected(edition):
        assert _comparable(title) in text, f"{page}: title {title!r} is not in the PDF"
        found = text.find(_comparable(sentence), position)
        assert found >= 0, (f"{page}: {sentence!r} is not in the PDF after the page before it "
                            "in _toc.yml")
        position = found


def _headings(page: str) -> list[str]:
    """The section headings of a page (## and ###), without their markup-bearing ones."""
    found = re.findall(r"^#{2,3} (.+)$", _markdown_of(page), re.M)
    return [h.strip() for h in found if not _MARKUP.search(h)]


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_heading_is_in_the_book_in_the_editions_language(edition):
    text = _comparable("\n".join(_pages(edition)))
    missing = []
    for page in _toc_pages():
        table = (translations(editions.get(edition).catalogue_dir / f"{page}.po")
                 if not editions.get(edition).source else {})
        for heading in _headings(page):
            if _comparable(table.get(heading, heading)) not in text:
                missing.append((page, table.get(heading, heading)))
    assert not missing, f"headings not in the PDF: {missing}"


def test_the_book_speaks_each_editions_language():
    korean = "\n".join(_pages("ko"))
    for word in ("차례", "찾아보기", "1장", "연습 문제 해답", "그림 4.1", "들어가며", "용어집"):
        assert word in korean, f"{word!r} is not in the Korean PDF"
    english = "\n".join(_pages("en"))
    for word in ("Contents", "Index", "Chapter 1", "Solutions to the exercises", "Fig. 4.1",
                 "Introduction", "Glossary"):
        assert word in english, f"{word!r} is not in the English PDF"


def _inline_math(page: str) -> list[str]:
    return [m for m in re.findall(r"(?<![$\\])\$([^$\n]+)\$(?!\$)", _markdown_of(page)) if "\\" in m]


def _code_of(page: str) -> str:
    """The page's code: notebook code cells and Markdown code blocks (plot labels hold TeX)."""
    md = ROOT / f"{page}.md"
    if md.exists():
        return "\n".join(re.findall(r"^```.*?$(.*?)^```", md.read_text(encoding="utf-8"), re.M | re.S))
    nb = json.loads((ROOT / f"{page}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def _without_running_heads(pages: list[str]) -> list[str]:
    """The pages without their running header (the line most pages start with) and their footer
    (a last line that starts or ends with the page number), so that an entry broken across two
    pages reads as one."""
    firsts = [page.lstrip("\n").split("\n", 1)[0] for page in pages]
    header = max(set(firsts), key=firsts.count)
    kept = []
    for page in pages:
        lines = page.strip("\n").split("\n")
        if lines and lines[0] == header:
            lines = lines[1:]
        if lines and re.fullmatch(r"\d+(\s.*)?|.*\s\d+", lines[-1].strip()):
            lines = lines[:-1]
        kept.append("\n".join(lines))
    return kept


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_bibliography_is_in_the_references_chapter(edition):
    # An entry may run over a page break: read the pages without their running heads.
    text = _comparable("\n".join(_without_running_heads(_pages(edition))))
    rows = {page: sentence for page, _, sentence in _expected(edition)}
    start = text.find(_comparable(rows["chapters/references"]))
    end = text.find(_comparable(rows["chapters/lossbook-api"]), start)
    # The bibliography lists the entries the pages cite (as the site's does).
    cited = {key.strip() for page in _toc_pages()
             for keys in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", _markdown_of(page))
             for key in keys.split(",")}
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    titles = [title for key, title in re.findall(
        r"^@\w+\{([^,\s]+),.*?^\s*title\s*=\s*\{(.+?)\},?\s*$", bib, re.M | re.S)
        if key in cited and not _MARKUP.search(title)]
    assert len(titles) >= 5, f"only {len(titles)} titles of cited entries read from references.bib"
    outside = [t for t in titles if not 0 <= start < text.find(_comparable(t), start) < end]
    assert not outside, f"not listed in the References chapter: {outside}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_tex_in_the_text_layer(edition):
    """The prose's math is typeset: its TeX source is nowhere in the text (code may have TeX)."""
    text = "\n".join(_pages(edition))
    assert "$$" not in text
    code = "\n".join(_code_of(page) for page in _toc_pages())
    sources = [m for page in _toc_pages() for m in _inline_math(page) if m not in code]
    assert len(sources) > 50, f"only {len(sources)} formulas found in the pages"
    printed = [m for m in sources if f"${m}$" in text or (len(m) > 12 and m in text)]
    assert not printed, f"math printed as TeX: {printed[:5]}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_solutions_are_on_later_pages_than_their_exercises(edition):
    # sphinx-exercise's titles: "Exercise 4.13.1", "Solution to Exercise 4.13.1"; in Korean, in
    # the book's words (_ext/lossbook_i18n.py), "연습 문제 4.13.1", "해답: 연습 문제 4.13.1".
    exercise, solution = (("연습 문제", "해답: 연습 문제") if edition == "ko"
                          else ("Exercise", "Solution to Exercise"))
    pages = _pages(edition)
    where_exercise, where_solution = {}, {}
    for number, page in enumerate(pages, start=1):
        for line in page.splitlines():
            line = line.strip()
            m = re.fullmatch(rf"{solution} (\d+\.\d+\.\d+)\b.*", line)
            if m:
                where_solution.setdefault(m.group(1), number)
                continue
            m = re.fullmatch(rf"{exercise} (\d+\.\d+\.\d+)\b.*", line)
            if m:
                where_exercise.setdefault(m.group(1), number)
    assert len(where_exercise) >= 20, f"only {len(where_exercise)} exercises found"
    assert set(where_solution) == set(where_exercise), "exercises and solutions do not pair up"
    same_page = [k for k in where_exercise if where_solution[k] <= where_exercise[k]]
    assert not same_page, f"solutions on or before their exercise's page: {same_page}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_latex_log_is_clean(edition):
    log_path = EDITIONS[edition][1]
    assert log_path.exists(), f"{log_path} is missing: run `make pdf` first"
    log = log_path.read_text(encoding="utf-8", errors="replace")
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log)))
    assert not missing, f"characters missing from the fonts: {missing}"
    undefined = re.findall(r"(?:Reference|Citation) `[^']+' on page \d+ undefined", log)
    assert not undefined, f"undefined references: {undefined[:10]}"
    assert "There were undefined references" not in log
    wide = [float(pt) for pt in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    too_wide = [pt for pt in wide if pt > OVERFULL_LIMIT_PT]
    assert not too_wide, f"lines wider than the text by {too_wide} pt"


@pytest.mark.parametrize("edition", EDITIONS)
def test_page_count_and_size(edition):
    info = _run("pdfinfo", str(_pdf(edition)))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size_mb = _pdf(edition).stat().st_size / 1e6
    print(f"\n{_pdf(edition).name}: {pages} pages, {size_mb:.1f} MB")
    assert PAGES_RANGE[0] <= pages <= PAGES_RANGE[1], f"{pages} pages"
    assert size_mb < 20, f"{size_mb:.1f} MB"
    assert len(_pages(edition)) - 1 == pages  # pdftotext ends every page with a form feed
