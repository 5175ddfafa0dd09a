"""The Korean edition is complete and current (issue: the Korean edition kept in step by CI).

- the catalogues in locale/ko/LC_MESSAGES hold exactly the messages the English pages have now
  (a fresh gettext extraction); an English edit without `make translations` fails here;
- every message is translated and none is fuzzy; the failure names the page and the string, and
  the coverage (``ko: 1,031/1,031 messages``) is printed;
- every translation keeps its source's MyST roles and their targets, references, math and code
  (only words inside a formula's \\text{} may be translated);
- the Korean notebooks (ko/chapters) are current and share every code cell with their English
  source;
- the Korean search stemmer strips the particles Korean attaches to the key terms.

`python -m booktools.translations status` prints the same counts per page; locale/README.md says how
to translate.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from markdown_it import MarkdownIt

from _ext import lossbook_i18n  # the site extension, imported from the repository root
from booktools import translations

ROOT = Path(__file__).resolve().parent.parent

CATALOGUES = translations.catalogue_paths()
CATALOGUES_DIR = translations.CATALOGUES
PAGES = [translations.page_of(po) for po in CATALOGUES]
SHOW = 8  # strings quoted per failure; the count says how many more


def _quote(strings: list[str]) -> str:
    lines = [f"    {s[:110]!r}" for s in strings[:SHOW]]
    if len(strings) > SHOW:
        lines.append(f"    ... and {len(strings) - SHOW} more")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def fresh_templates(tmp_path_factory) -> Path:
    """The message templates of the English pages as they are now (Sphinx's gettext builder)."""
    out = tmp_path_factory.mktemp("gettext")
    done = subprocess.run(
        [sys.executable, "-c", "from jupyter_book.cli.main import main; main()",
         "build", str(ROOT), "--builder", "custom",
         "--custom-builder", "gettext", "--path-output", str(out), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    pots = out / "_build" / "gettext"
    assert done.returncode == 0 and pots.is_dir(), done.stdout[-3000:] + done.stderr[-3000:]
    return pots


def test_every_page_has_a_catalogue(fresh_templates):
    expected = sorted(p.relative_to(fresh_templates).with_suffix("").as_posix()
                      for p in fresh_templates.rglob("*.pot"))
    assert PAGES == expected, (
        "locale/ko/LC_MESSAGES does not match the pages of the book: run `make translations`.\n"
        f"  missing: {sorted(set(expected) - set(PAGES))}\n  orphaned: {sorted(set(PAGES) - set(expected))}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_catalogue_is_current(fresh_templates, page):
    pot = fresh_templates / f"{page}.pot"
    assert pot.exists(), f"{page}: the page is gone; run `make translations`"
    with pot.open("rb") as handle:
        english = {m.id for m in read_po(handle) if m.id}
    po = translations.CATALOGUES / f"{page}.po"
    korean = {mid for mid, _, _ in translations.messages(po)}
    new, gone = sorted(english - korean), sorted(korean - english)
    assert not new and not gone, (
        f"{page}: the English text changed since the catalogue was made; run `make translations` "
        f"and translate what it marks.\n  new English strings:\n{_quote(new)}\n"
        f"  strings no longer in the English:\n{_quote(gone)}"
    )


def test_coverage(capsys):
    rows = translations.status()
    done = sum(r[1] for r in rows)
    total = sum(r[1] + r[2] + r[3] for r in rows)
    with capsys.disabled():
        print(f"\nko: {done:,}/{total:,} messages ({sum(r[2] for r in rows)} fuzzy, "
              f"{sum(r[3] for r in rows)} untranslated)")
    assert total > 0


@pytest.mark.parametrize("page", PAGES)
def test_every_message_is_translated(page):
    po = translations.CATALOGUES / f"{page}.po"
    fuzzy = [mid for mid, text, is_fuzzy in translations.messages(po) if is_fuzzy]
    empty = [mid for mid, text, is_fuzzy in translations.messages(po) if not is_fuzzy and not text]
    total = len(list(translations.messages(po)))
    assert not fuzzy and not empty, (
        f"{page}: {total - len(fuzzy) - len(empty)}/{total} messages translated in "
        f"locale/ko/LC_MESSAGES/{page}.po\n"
        + (f"  fuzzy (the English changed; check the translation, then delete '#, fuzzy'):\n"
           f"{_quote(fuzzy)}\n" if fuzzy else "")
        + (f"  untranslated:\n{_quote(empty)}" if empty else "")
    )


# --- what a translation must keep -----------------------------------------------------------

_ROLE = re.compile(r"\{([\w:+.-]+)\}(`+)(.+?)\2", re.S)
_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$", re.S)
_LINK = re.compile(r"\]\(([^)\s]+)\)")
# Words inside \text{...} in math are prose a reader reads ("accuracy", "nats", "that is"): the
# Korean edition may translate them, and nothing else in a formula. A \text{} whose content is
# only words (Latin or Hangul letters and spaces) is compared as \text{…}; any other content
# (digits, symbols, commands) must stay character for character.
_TEXT = re.compile(r"\\text\{([^{}]*)\}")
_WORDS = re.compile(r"[A-Za-z\uac00-\ud7a3 ]+")


def _math_key(formula: str) -> str:
    return _TEXT.sub(lambda m: "\\text{…}" if _WORDS.fullmatch(m.group(1)) else m.group(0), formula)

_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
# Roles whose whole content is code or a key, not words: kept character for character.
_VERBATIM_ROLES = {"math", "cite", "cite:p", "cite:t", "eq", "py:func", "func", "py:class",
                   "class", "mod", "py:mod", "meth", "attr", "kbd", "code"}


_MARKDOWN = MarkdownIt("commonmark")


def emphasis(text: str) -> Counter:
    """How many *emphasis* and **strong** spans Markdown really renders in a message.

    Korean attaches particles to words, and a closing ``*`` between punctuation and a letter
    (``*어느 클래스인가?*라는``) is not a closing delimiter: the asterisks would show as text.
    """
    counts: Counter = Counter()
    for token in _MARKDOWN.parseInline(text):
        for child in token.children or []:
            if child.type in ("em_open", "strong_open"):
                counts[child.type.removesuffix("_open")] += 1
    return counts


def invariants(text: str) -> Counter:
    """The parts of a message a translation must keep: role targets, code, math, link targets,
    and its emphasis."""
    kept: Counter = emphasis(text)

    def role(match: re.Match) -> str:
        name, content = match.group(1), match.group(3)
        if name in _VERBATIM_ROLES:
            kept[f"{{{name}}}`{content}`"] += 1
        else:
            explicit = _EXPLICIT.match(content)
            target = explicit.group(2) if explicit else content
            kept[f"{{{name}}} -> {target}"] += 1
        return " "

    text = _ROLE.sub(role, text)
    for pattern, label in ((_CODE, "code"), (_DISPLAY_MATH, "math"), (_MATH, "math")):
        def keep(match: re.Match, label=label) -> str:
            kept[f"{label}: {_math_key(match.group(match.lastindex))}"] += 1
            return " "
        text = pattern.sub(keep, text)
    for target in _LINK.findall(text):
        kept[f"link -> {target}"] += 1
    return kept


def test_invariants_see_roles_math_and_code():
    source = "The {term}`loss function` of `lb.cross_entropy` is $-\\log p$, see {ref}`ch-ce`."
    good = "{term}`손실 함수 <loss function>`인 `lb.cross_entropy`는 $-\\log p$입니다({ref}`ch-ce`)."
    assert invariants(source) == invariants(good)
    for bad in [
        "{term}`손실 함수`인 `lb.cross_entropy`는 $-\\log p$입니다({ref}`ch-ce`).",  # target lost
        "{term}`손실 함수 <loss function>`인 lb.cross_entropy는 $-\\log p$입니다({ref}`ch-ce`).",
        "{term}`손실 함수 <loss function>`인 `lb.cross_entropy`는 $\\log p$입니다({ref}`ch-ce`).",
        "{term}`손실 함수 <loss function>`인 `lb.cross_entropy`는 $-\\log p$입니다.",
    ]:
        assert invariants(source) != invariants(bad), bad
    # Words inside \text{} may be translated; the rest of the formula may not change.
    formula = "$$\\text{accuracy} = \\frac{1}{N}$$ and $1 \\text{ nat} = 1.44$ bits"
    korean = "$$\\text{정확도} = \\frac{1}{N}$$, $1 \\text{ 내트} = 1.44$비트"
    assert invariants(formula) == invariants(korean)
    for bad in ["$$\\text{정확도} = \\frac{2}{N}$$, $1 \\text{ 내트} = 1.44$비트",  # formula changed
                "$$\\text{정확도} = \\frac{1}{N}$$, $1 \\text{ 1 내트} = 1.44$비트",  # not only words
                "$$\\text{정확도} = \\frac{1}{N}$$, $1 \\mathrm{ 내트} = 1.44$비트",  # \text dropped
                "$$정확도 = \\frac{1}{N}$$, $1 \\text{ 내트} = 1.44$비트"]:
        assert invariants(formula) != invariants(bad), bad
    question = "A classifier answers a different question: *which class is it?* Its answer"
    assert invariants(question) == invariants("분류기는 *어느 클래스인가*?라는 질문에 답합니다.")
    for bad in ["분류기는 *어느 클래스인가?*라는 질문에 답합니다.", "분류기는 어느 클래스인가?라는 질문"]:
        assert invariants(source) != invariants(bad), bad


@pytest.mark.parametrize("page", PAGES)
def test_translations_keep_roles_math_and_code(page):
    po = translations.CATALOGUES / f"{page}.po"
    broken = []
    for msgid, msgstr in translations.translations(po).items():
        want, got = invariants(msgid), invariants(msgstr)
        if want != got:
            lost = sorted((want - got).elements())
            added = sorted((got - want).elements())
            broken.append(f"{msgid[:80]!r}\n      lost: {lost}\n      added: {added}")
    assert not broken, (f"{page}: translations that change roles, math or code:\n"
                        + _quote(broken))


# --- Korean notebooks -----------------------------------------------------------------------

ENGLISH_NOTEBOOKS = translations.english_notebooks()


def test_every_notebook_has_a_korean_notebook():
    korean = sorted(p.relative_to(translations.KOREAN_NOTEBOOKS) for p in
                    translations.KOREAN_NOTEBOOKS.rglob("*.ipynb"))
    english = sorted(p.relative_to(ROOT) for p in ENGLISH_NOTEBOOKS)
    assert korean == english, "ko/ must mirror the notebooks in chapters/: run `make translations`"


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_korean_notebook_is_current(english):
    korean = translations.korean_notebook_path(english)
    assert korean.exists(), f"{korean.relative_to(ROOT)} is missing: run `make translations`"
    assert korean.read_text(encoding="utf-8") == translations.dumps_notebook(
        translations.korean_notebook(english)
    ), f"{korean.relative_to(ROOT)} is older than {english.name} or its catalogue: run `make translations`"


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_korean_notebook_shares_every_code_cell(english):
    korean = translations.korean_notebook_path(english)
    en = json.loads(english.read_text(encoding="utf-8"))
    ko = json.loads(korean.read_text(encoding="utf-8"))
    assert ko["metadata"] == en["metadata"]
    assert [c["cell_type"] for c in ko["cells"]] == [c["cell_type"] for c in en["cells"]]
    for i, (a, b) in enumerate(zip(en["cells"], ko["cells"], strict=True)):
        assert a.get("id") == b.get("id"), f"cell {i}"
        if a["cell_type"] == "code":
            assert a == b, f"{korean.relative_to(ROOT)}: code cell {i} differs from the English"


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_korean_notebook_carries_the_translations(english):
    """Every translated paragraph of the catalogue reaches the Korean notebook's Markdown."""
    po = CATALOGUES_DIR / english.relative_to(ROOT).with_suffix(".po")
    table = {k: v for k, v in translations.translations(po).items() if v and v != k}
    korean = translations.korean_notebook_path(english)
    ko = json.loads(korean.read_text(encoding="utf-8"))
    en = json.loads(english.read_text(encoding="utf-8"))
    markdown = [(translations._source(a), translations._source(b)) for a, b in
                zip(en["cells"], ko["cells"], strict=True) if a["cell_type"] == "markdown"]
    untouched = [src for src, ko_src in markdown
                 if src == ko_src and any(msgid in src for msgid in table)]
    assert not untouched, (f"{korean.relative_to(ROOT)}: Markdown cells left in English although "
                           f"the catalogue translates them:\n{_quote(untouched)}")


def test_translate_markdown_replaces_whole_paragraphs_only():
    table = {
        "Summary": "요약",
        "A loss is one number: large when the model is wrong.": "손실은 하나의 숫자입니다.",
        "Common mistake: softmax twice": "흔한 실수: 소프트맥스를 두 번",
        "wrong": "틀림",
    }
    source = ("## Summary\n\n- A loss is one number:\n  large when the model is wrong.\n\n"
              "```{admonition} Common mistake: softmax twice\n:class: warning\n```\n"
              "| wrong | right |\n|---|---|\n\nThe Summary says wrong things.\n")
    assert translations.translate_markdown(source, table) == (
        "## 요약\n\n- 손실은 하나의 숫자입니다.\n\n"
        "```{admonition} 흔한 실수: 소프트맥스를 두 번\n:class: warning\n```\n"
        "| 틀림 | right |\n|---|---|\n\nThe Summary says wrong things.\n"
    )


# --- Korean search --------------------------------------------------------------------------

@pytest.mark.parametrize("inflected, term", [
    ("손실 함수는", "손실 함수"), ("손실 함수를", "손실 함수"), ("교차 엔트로피의", "교차 엔트로피"),
    ("평균 제곱 오차가", "평균 제곱 오차"), ("정확도는", "정확도"), ("경사 하강법으로", "경사 하강법"),
    ("가중치와 편향이", "가중치 편향"), ("softmax를", "softmax"), ("계산합니다", "계산"),
])
def test_korean_stemmer_strips_particles(inflected, term):
    stem = [lossbook_i18n.stem_korean(w) for w in inflected.split()]
    assert stem == [lossbook_i18n.stem_korean(w) for w in term.split()]
    assert all(stem), stem


def test_korean_stemmer_never_empties_a_word():
    for word in ["이", "가", "의", "한", "는다", "입니다"]:
        assert lossbook_i18n.stem_korean(word)


def test_korean_build_config():
    config = translations.korean_config()
    assert config["sphinx"]["config"]["language"] == "ko"
    assert config["sphinx"]["config"]["html_search_language"] == "ko"
    assert config["repository"]["path_to_book"] == "ko"
    assert config["title"] != translations.yaml.safe_load(
        (ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert "lossbook_i18n" in config["sphinx"]["local_extensions"]


def test_exercise_labels_use_the_books_words(monkeypatch):
    """sphinx-exercise's own Korean catalogue says 연습 and 해답 연습 3; the book says 연습 문제."""
    import gettext
    from types import SimpleNamespace

    from sphinx import locale as sphinx_locale

    monkeypatch.setattr(sphinx_locale, "translators", dict(sphinx_locale.translators))
    package = gettext.NullTranslations()
    sphinx_locale.translators[("general", "exercise")] = package
    lossbook_i18n._exercise_labels(None, SimpleNamespace(language="ko"))
    translate = sphinx_locale.get_translation("exercise")
    assert translate("Exercise") == "연습 문제"
    assert translate("Solution to") == "해답:"
    assert translate("Something else") == "Something else"  # the package's catalogue still answers
    lossbook_i18n._exercise_labels(None, SimpleNamespace(language="en"))  # English: untouched
    sphinx_locale.translators[("general", "exercise")] = package
    lossbook_i18n._exercise_labels(None, SimpleNamespace(language="en"))
    assert sphinx_locale.translators[("general", "exercise")] is package


def test_api_catalogue_holds_only_the_pages_own_prose():
    """The API page translates its own prose; docstrings (``#:`` comments and napoleon's section
    titles included) stay English and never enter the catalogue, so no docstring is half Korean."""
    source = " ".join((ROOT / "chapters" / "lossbook-api.md").read_text(encoding="utf-8").split())
    po = CATALOGUES_DIR / "chapters" / "lossbook-api.po"
    foreign = [mid for mid, _, _ in translations.messages(po) if " ".join(mid.split()) not in source]
    assert not foreign, f"docstring text in the API page's catalogue:\n{_quote(foreign)}"


def test_display_math_takes_its_translation_verbatim():
    """Sphinx would parse a translated formula with MyST as "::" plus an indented block and render
    \\[::\\]; the Korean build puts the catalogue's text into the formula as it is."""
    from docutils import nodes
    from docutils.utils import new_document

    document = new_document("page")
    english = "\n\\text{accuracy} = \\frac{1}{N}\n"
    block = nodes.math_block(english, english)
    kept = nodes.math_block("\nx^2\n", "\nx^2\n")
    document += [block, kept]
    korean = {english: "\n\\text{정확도} = \\frac{1}{N}\n"}
    assert lossbook_i18n.translate_display_math(document, lambda m: korean.get(m, m)) == 1
    assert block.astext() == korean[english] and block["translated"]
    assert kept.astext() == "\nx^2\n" and not kept.get("translated")
