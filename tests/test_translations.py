"""The Korean edition is complete and current (issue: the Korean edition kept in step by CI).

- the catalogues in locale/ko/LC_MESSAGES hold exactly the messages the English pages have now
  (a fresh gettext extraction); an English edit without `make translations` fails here;
- every message is translated and none is fuzzy; the failure names the page and the string, and
  the coverage (``ko: 1,031/1,031 messages``) is printed;
- every translation keeps its source's MyST roles and their targets, references, math and code
  (only words inside a formula's \\text{} may be translated);
- the Korean notebooks (ko/chapters) are current and executed; their code cells differ from the
  English ones only in strings and comments (token by token), and every reader-visible string and
  comment has a translation in locale/ko/LC_MESSAGES/code/ (a stale one names its cell);
- the Korean site takes the Korean notebooks' code cells and outputs;
- the Korean search stemmer strips the particles Korean attaches to the key terms.

`python -m booktools.translations status` prints the same counts per page; locale/README.md says how
to translate.
"""

from __future__ import annotations

import doctest
import io
import json
import re
import subprocess
import sys
import tokenize
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from markdown_it import MarkdownIt

from _ext import lossbook_i18n  # the site extension, imported from the repository root
from booktools import codecells, editions, translations

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.translations  # a slow group: `make check` leaves it out
KOREAN = editions.get("ko")  # the edition these tests check (its row of locale/editions.toml)

CATALOGUES = translations.catalogue_paths(KOREAN)
CATALOGUES_DIR = KOREAN.catalogue_dir
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
        f"{KOREAN.catalogues} does not match the pages of the book: run `make translations`.\n"
        f"  missing: {sorted(set(expected) - set(PAGES))}\n  orphaned: {sorted(set(PAGES) - set(expected))}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_catalogue_is_current(fresh_templates, page):
    pot = fresh_templates / f"{page}.pot"
    assert pot.exists(), f"{page}: the page is gone; run `make translations`"
    with pot.open("rb") as handle:
        english = {m.id for m in read_po(handle) if m.id}
    po = KOREAN.catalogue_dir / f"{page}.po"
    korean = {mid for mid, _, _ in translations.messages(po)}
    new, gone = sorted(english - korean), sorted(korean - english)
    assert not new and not gone, (
        f"{page}: the English text changed since the catalogue was made; run `make translations` "
        f"and translate what it marks.\n  new English strings:\n{_quote(new)}\n"
        f"  strings no longer in the English:\n{_quote(gone)}"
    )


def test_coverage(capsys):
    rows = translations.status(KOREAN)
    for label, part in (("pages", [r for r in rows if not r[0].startswith("code/")]),
                        ("code cells", [r for r in rows if r[0].startswith("code/")])):
        done = sum(r[1] for r in part)
        total = sum(r[1] + r[2] + r[3] for r in part)
        with capsys.disabled():
            print(f"\nko {label}: {done:,}/{total:,} messages ({sum(r[2] for r in part)} fuzzy, "
                  f"{sum(r[3] for r in part)} untranslated)")
        assert total > 0


@pytest.mark.parametrize("page", PAGES)
def test_every_message_is_translated(page):
    po = KOREAN.catalogue_dir / f"{page}.po"
    fuzzy = [mid for mid, text, is_fuzzy in translations.messages(po) if is_fuzzy]
    empty = [mid for mid, text, is_fuzzy in translations.messages(po) if not is_fuzzy and not text]
    total = len(list(translations.messages(po)))
    assert not fuzzy and not empty, (
        f"{page}: {total - len(fuzzy) - len(empty)}/{total} messages translated in "
        f"{KOREAN.catalogues}/{page}.po\n"
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
    po = KOREAN.catalogue_dir / f"{page}.po"
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
    korean = sorted(p.relative_to(KOREAN.notebook_dir) for p in
                    KOREAN.notebook_dir.rglob("*.ipynb"))
    english = sorted(p.relative_to(ROOT) for p in ENGLISH_NOTEBOOKS)
    assert korean == english, (f"{KOREAN.notebooks}/ must mirror the notebooks in chapters/: run "
                               "`make translations`")


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_korean_notebook_is_current(english):
    korean = KOREAN.notebook(english)
    assert korean.exists(), f"{korean.relative_to(ROOT)} is missing: run `make translations`"
    assert korean.read_text(encoding="utf-8") == translations.dumps_notebook(
        translations.current_notebook(KOREAN, english)
    ), f"{korean.relative_to(ROOT)} is older than {english.name} or its catalogues: run `make translations`"


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_korean_code_cells_differ_only_in_strings_and_comments(english):
    """Cell by cell, token by token: names, numbers and calls are the English ones."""
    korean = KOREAN.notebook(english)
    en = json.loads(english.read_text(encoding="utf-8"))
    ko = json.loads(korean.read_text(encoding="utf-8"))
    assert ko["metadata"] == en["metadata"]
    assert [c["cell_type"] for c in ko["cells"]] == [c["cell_type"] for c in en["cells"]]
    table = translations.translations(CATALOGUES_DIR / english.relative_to(ROOT).with_suffix(".po"))
    problems = []
    for number, (a, b) in enumerate(zip(translations.code_cells(en), translations.code_cells(ko),
                                        strict=True), start=1):
        assert a.get("id") == b.get("id"), f"code cell {number}"
        assert translations.translated_metadata(a["metadata"], table) == b["metadata"], \
            f"code cell {number}: metadata differ beyond the caption and alt text"
        for found in codecells.differences(translations._source(a), translations._source(b)):
            problems.append(f"code cell {number} (id {a.get('id')}): {found}")
    assert not problems, f"{korean.relative_to(ROOT)} changes more than strings and comments:\n" + \
        "\n".join(problems)


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_korean_notebook_captions_and_alt_texts_are_korean(english):
    """A figure's caption and alt text (cell metadata, which myst-nb and some readers show) are
    the catalogue's Korean ones in the Korean notebook."""
    korean = KOREAN.notebook(english)
    ko = translations.code_cells(json.loads(korean.read_text(encoding="utf-8")))
    texts = [t for cell in ko for t in translations.metadata_texts(cell.get("metadata", {}))]
    english_left = [t for t in texts if not re.search("[\uac00-\ud7a3]", t)]
    assert texts and not english_left, (f"{korean.relative_to(ROOT)}: captions or alt texts in "
                                        f"English (translate them in the page's catalogue):\n"
                                        f"{_quote(english_left)}")


def _current_code_catalogue(english):
    """The Korean code catalogue of ``english`` (a notebook, or a page with examples) and the
    locations of the messages its code has now; fails naming what is new or gone since the
    catalogue was made."""
    po = translations.code_catalogue_path(KOREAN, english)
    assert po.exists(), f"{po.relative_to(ROOT)} is missing: run `make translations`"
    want = {m.id: m.locations for m in translations.code_template(english) if m.id}
    have = {mid for mid, _, _ in translations.messages(po)}
    new = [f"{english.name}:{want[m][0][1]}: {m}" for m in want if m not in have]
    gone = sorted(have - set(want))
    assert not new and not gone, (
        f"{english.name}: its code changed since {po.relative_to(ROOT)} was made; run "
        f"`make translations` and translate what it marks.\n  new:\n{_quote(new)}\n"
        f"  gone:\n{_quote(gone)}")
    return po, want


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_code_catalogue_is_current(english):
    _current_code_catalogue(english)


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_message_is_translated(english):
    """Every reader-visible string and comment of every code cell has a current translation."""
    po = translations.code_catalogue_path(KOREAN, english)
    done = translations.translations(po)
    nb = json.loads(english.read_text(encoding="utf-8"))
    shared = translations.notebook_shared_keys(nb)
    missing = [f"code cell {number}: {m.kind} {m.text!r}"
               for number, cell in enumerate(translations.code_cells(nb), start=1)
               for m in codecells.messages(translations._source(cell), shared) if m.text not in done]
    assert not missing, (f"{po.relative_to(ROOT)}: untranslated or fuzzy (fix the translation, "
                         f"delete '#, fuzzy', run `make translations`):\n{_quote(missing)}")


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_korean_notebook_is_executed(english):
    """The Korean notebook stores its own outputs: executed in order, where the English has them."""
    korean = KOREAN.notebook(english)
    en = translations.code_cells(json.loads(english.read_text(encoding="utf-8")))
    ko = translations.code_cells(json.loads(korean.read_text(encoding="utf-8")))
    counts = [c.get("execution_count") for c in ko]
    assert counts == list(range(1, len(ko) + 1)), (
        f"{korean.relative_to(ROOT)}: execution counts {counts}: execute it with "
        f"`make ko-notebooks NB={korean.relative_to(ROOT)}`")
    for number, (a, b) in enumerate(zip(en, ko, strict=True), start=1):
        kinds = [(o["output_type"], sorted(o.get("data", {}))) for o in a.get("outputs", [])]
        assert [(o["output_type"], sorted(o.get("data", {}))) for o in b.get("outputs", [])] \
            == kinds, f"{korean.relative_to(ROOT)}: code cell {number} outputs differ in kind"
        for out in b.get("outputs", []):
            assert out.get("name") != "stderr", f"code cell {number} writes to stderr: {out}"


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_korean_notebook_speaks_korean(english):
    """Printed outputs and drawn figures come from the Korean code (not copied English ones)."""
    korean = KOREAN.notebook(english)
    ko = translations.code_cells(json.loads(korean.read_text(encoding="utf-8")))
    printed = "".join("".join(o.get("text", "")) for c in ko for o in c.get("outputs", []))
    assert re.search("[\uac00-\ud7a3]", printed), f"{korean.relative_to(ROOT)} prints no Korean"
    assert 'lb.set_language("ko")' in translations._source(ko[2]), "the set-up cell must choose Korean"


def test_code_messages_are_what_a_reader_sees():
    cell = ('''loss = lb.mse_loss(a, b, reduction="sum")   # the total
print(f"loss {loss:.4f} of {h['train_loss'][-1]:.2f}", np.dtype("float32"))
ax.plot(x, y, "o-", color="C1", label="with a bias")
ax.set_xlabel("epoch")
cases = {"final model, test set": 1, "key": 2}
x = d["some key"]
def f():
    """Return one."""
''')
    found = [(m.kind, m.text) for m in codecells.messages(cell)]
    assert found == [("comment", "the total"), ("string", "loss {loss:.4f} of {h['train_loss'][-1]:.2f}"),
                     ("string", "with a bias"), ("string", "epoch"),
                     ("string", "final model, test set"), ("string", "Return one.")]
    table = {"the total": "합계", "epoch": "에포크", "with a bias": "편향 있음"}
    korean = codecells.translate(cell, table)
    assert 'ax.set_xlabel("에포크")' in korean and "# 합계" in korean and 'reduction="sum"' in korean
    assert codecells.differences(cell, korean) == []


def test_strings_shown_through_a_name_are_what_a_reader_sees():
    """A label bound to a name and then only printed, drawn or compared is text too."""
    cell = ('''result = "warns, then broadcasts" if caught else "runs silently"
print(f"case: {result}")
for name, idx in (("training", tr), ("test", te)):
    print(f"{name:10s} {len(idx)}")
for when in ("before", "after"):
    if when == "after":
        step()
    print(f"{when}:")
curves = {"validation": h["val_loss"]}
lb.plotting.draw_curves(curves, ylabel="loss")
for activation in ("step", "sigmoid"):
    print(f"{activation}", lb.Dense(activation=activation))
mode = "sum"
print(f"{mode}", F.mse_loss(a, b, reduction=mode))
''')
    found = [m.text for m in codecells.messages(cell) if m.kind == "string"]
    assert found == ["warns, then broadcasts", "runs silently", "case: {result}", "training",
                     "test", "before", "after", "after", "validation", "loss"]
    table = {"before": "학습 전", "after": "학습 후", "training": "훈련", "test": "테스트"}
    korean = codecells.translate(cell, table)
    # the comparison takes the same translation, so the Korean cell still trains after "before"
    assert '("학습 전", "학습 후")' in korean and 'when == "학습 후"' in korean
    assert 'activation in ("step", "sigmoid")' in korean and 'mode = "sum"' in korean
    assert codecells.differences(cell, korean) == []
    raising = 'if a != b:\n    raise ValueError(f"f: shapes {a} and {b} differ", "second")\n'
    assert [m.text for m in codecells.messages(raising)] == ["f: shapes {a} and {b} differ", "second"]


def test_a_label_looked_up_as_a_key_in_another_cell_is_translated_alike():
    """A dict keyed by labels in one cell, read by one of them in a later cell."""
    cells = ['models = {"no pos_weight": 1, "with weight": 2}\n'
             'for name, m in models.items():\n    print(name)\n',
             'print(models["no pos_weight"], d["other"])\n']
    shared = codecells.shared_keys(cells)
    assert shared == {"no pos_weight"}
    table = {"no pos_weight": "가중치 없음", "with weight": "가중치 있음"}
    korean = [codecells.translate(cell, table, shared) for cell in cells]
    assert 'models["가중치 없음"]' in korean[1] and 'd["other"]' in korean[1]
    namespace = {"print": lambda *a: None, "d": {"other": 0}}
    for cell in korean:
        exec(cell, namespace)  # no KeyError: the key is translated where it is read, too


def test_no_particle_that_depends_on_the_value_follows_a_field():
    """"정답 {i}를" prints "정답 1를": 은/는, 이/가, 을/를, 와/과, 으로/로 depend on the value, so a
    code string never puts one right after an f-string field (locale/README.md)."""
    particle = re.compile(r"\}(은|는|이|가|을|를|와|과|으로|로)(?![\uac00-\ud7a3])")
    found = [f"{translations.page_of(po)}: {text!r}" for po in translations.code_catalogue_paths(KOREAN)
             for _, text, _ in translations.messages(po) if particle.search(text)]
    assert not found, "\n".join(found)
    assert particle.search("정답 {i}를 {j}로 예측") and not particle.search("정답이 {i}인 숫자")


def test_code_differences_catch_everything_but_strings_and_comments():
    english = 'print(f"loss {loss:.4f}", n)  # note\n'
    assert codecells.differences(english, 'print(f"손실 {loss:.4f}", n)  # 메모\n') == []
    assert codecells.differences(english, 'print(f"{loss:.4f} 손실", n)\n') == []
    for bad in ['print(f"loss {loss:.2f}", n)\n', 'print(f"loss {loss2:.4f}", n)\n',
                'print("loss {loss:.4f}", n)\n', 'print(f"loss {loss:.4f}", m)\n',
                'print(f"loss {loss:.4f}", n, 1)\n', 'print(f"loss {loss:.4f}, n)\n']:
        assert codecells.differences(english, bad), bad


@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.name)
def test_korean_notebook_carries_the_translations(english):
    """Every translated paragraph of the catalogue reaches the Korean notebook's Markdown."""
    po = CATALOGUES_DIR / english.relative_to(ROOT).with_suffix(".po")
    table = {k: v for k, v in translations.translations(po).items() if v and v != k}
    korean = KOREAN.notebook(english)
    ko = json.loads(korean.read_text(encoding="utf-8"))
    en = json.loads(english.read_text(encoding="utf-8"))
    markdown = [(translations._source(a), translations._source(b)) for a, b in
                zip(en["cells"], ko["cells"], strict=True) if a["cell_type"] == "markdown"]
    # A message counts where it stands as text, not inside a name: the label "accuracy" of an
    # explorable figure is not a paragraph of ```{solution-start} ex-loss-vs-accuracy-1```.
    untouched = [src for src, ko_src in markdown
                 if src == ko_src and any(re.search(rf"(?<![\w-]){re.escape(msgid)}(?![\w-])", src)
                                          for msgid in table)]
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
    config = translations.edition_config(KOREAN)
    assert config["sphinx"]["config"]["language"] == "ko"
    assert config["sphinx"]["config"]["html_search_language"] == "ko"
    assert config["repository"]["path_to_book"] == KOREAN.notebooks
    assert config["latex"]["latex_documents"]["targetname"] == "lossbook-ko.tex"
    assert config["sphinx"]["config"]["html_theme_options"]["search_bar_text"] == "이 책에서 검색..."
    assert config["title"] != translations.yaml.safe_load(
        (ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert "lossbook_i18n" in config["sphinx"]["local_extensions"]


def test_the_korean_site_shows_the_korean_code_cells_and_outputs():
    """_ext/lossbook_i18n.py: the Korean build reads a chapter's code cells from ko/chapters."""
    from types import SimpleNamespace

    english = ENGLISH_NOTEBOOKS[0]
    docname = english.relative_to(ROOT).with_suffix("").as_posix()

    def app(language, builder="html"):
        return SimpleNamespace(config=SimpleNamespace(language=language), srcdir=str(ROOT),
                               builder=SimpleNamespace(name=builder),
                               env=SimpleNamespace(doc2path=lambda d: ROOT / f"{d}.ipynb"))

    text = english.read_text(encoding="utf-8")
    source = [text]
    lossbook_i18n._korean_code_cells(app("ko"), docname, source)
    shown = json.loads(source[0])
    en = json.loads(text)
    ko = json.loads(KOREAN.notebook(english).read_text(encoding="utf-8"))
    for a, b, c in zip(shown["cells"], en["cells"], ko["cells"], strict=True):
        if a["cell_type"] == "code":
            assert (a["source"], a["outputs"]) == (c["source"], c["outputs"])
        else:
            assert a == b  # Markdown stays English: Sphinx translates it from the page's catalogue
    for unchanged in (app("en"), app("ko", builder="gettext")):
        source = [text]
        lossbook_i18n._korean_code_cells(unchanged, docname, source)
        assert source == [text]


def test_a_pages_self_check_example_speaks_korean_on_the_korean_site():
    """The Korean build runs a page's self-check session again in Korean (same inputs)."""
    page = (ROOT / "chapters" / "00-how-to-use.md").read_text(encoding="utf-8")
    sessions = re.findall(r"```pycon\n(.*?)```", page, re.S)
    checked = [s for s in sessions if "lb.checks.check_" in s]
    assert checked, "the how-to-use page shows a self-check"
    for session in checked:
        korean = lossbook_i18n.korean_session(session, KOREAN.code)
        inputs = [line for line in session.splitlines() if line.startswith((">>>", "..."))]
        assert [line for line in korean.splitlines() if line.startswith((">>>", "..."))] == inputs
        said = [line for line in korean.splitlines() if not line.startswith((">>>", "..."))]
        assert said[0].startswith(("아직 아닙니다: ", "정답: ")), korean
        assert all(re.search("[\uac00-\ud7a3]", line) for line in said[:-1]), korean
        assert said[-1] in ("True", "False")


PAGES_WITH_EXAMPLES = translations.pages_with_examples()
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*(?:e[+-]?\d+)?")
# a name as code writes it (lb.checks, cross_entropy, torch.log): a word only if it is letters alone
_TOKEN = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


# Words that Python and numpy print as part of a value's repr (code, not English prose).
PYTHON_REPR_WORDS = ("True", "False", "None", "nan", "inf", "array", "dtype")


def test_the_primer_has_examples_with_a_code_catalogue():
    assert ROOT / "chapters" / "math-primer.md" in PAGES_WITH_EXAMPLES


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda p: p.name)
def test_every_page_example_message_is_translated(page):
    po, want = _current_code_catalogue(page)
    done = translations.translations(po)
    missing = [f"example {want[m][0][1]}: {m!r}" for m in want if m not in done]
    assert not missing, f"{po.relative_to(ROOT)}: untranslated or fuzzy:\n{_quote(missing)}"


@pytest.mark.parametrize("page", [*PAGES_WITH_EXAMPLES, ROOT / "chapters" / "00-how-to-use.md"],
                         ids=lambda p: p.name)
def test_a_pages_examples_print_korean_on_the_korean_site(page):
    """The Korean page runs every example again with its strings translated (the build shows
    this run): the code is the English code but for strings and comments, every printed number is
    the English one, and what it prints has no English left but the code's own names."""
    english = translations.sessions(page.read_text(encoding="utf-8"))
    korean = lossbook_i18n.korean_page_sessions(page, KOREAN)
    assert len(korean) == len(english)
    for en, ko in zip(english, korean, strict=True):
        parser = doctest.DocTestParser()
        en_examples = parser.get_examples(en)
        ko_examples = parser.get_examples(ko)
        assert len(ko_examples) == len(en_examples), ko
        names = set()
        for a, b in zip(en_examples, ko_examples, strict=True):
            assert codecells.differences(a.source, b.source) == [], b.source
            names.update(t.string for t in tokenize.generate_tokens(io.StringIO(a.source).readline)
                         if t.type == tokenize.NAME)  # the code's names, not its strings' words
            assert _NUMBER.findall(b.want) == _NUMBER.findall(a.want), (a.want, b.want)
            if "lb.checks." not in a.source:  # a check's message is the package's catalogue
                assert len(b.want.splitlines()) == len(a.want.splitlines()), (a.want, b.want)
        printed = [line for line in ko.splitlines() if not line.startswith((">>> ", "... "))]
        english_words = [w for line in printed for w in _TOKEN.findall(line)
                         if w.isalpha() and w.isascii() and len(w) > 1 and w not in names
                         and w not in PYTHON_REPR_WORDS and not w.isupper()]
        assert not english_words, f"{page.name}: English in the Korean output: {english_words}\n{ko}"


def test_the_korean_build_shows_the_korean_run_of_a_pages_examples():
    """The doctree hook puts the Korean run into the page's pycon blocks, in order; English and
    gettext builds and pages without examples are left alone."""
    from types import SimpleNamespace

    from docutils import nodes

    page = ROOT / "chapters" / "math-primer.md"
    english = translations.sessions(page.read_text(encoding="utf-8"))

    def run(language, builder="html", docname="chapters/math-primer"):
        doctree = nodes.section()
        for text in english:
            doctree += nodes.literal_block(text, text, language="pycon")
        doctree += nodes.literal_block("x = 1", "x = 1", language="python")
        app = SimpleNamespace(config=SimpleNamespace(language=language),
                              builder=SimpleNamespace(name=builder),
                              env=SimpleNamespace(docname=docname,
                                                  doc2path=lambda d: ROOT / f"{d}.md"))
        lossbook_i18n._korean_sessions(app, doctree)
        return [block.astext() for block in doctree.findall(nodes.literal_block)]

    shown = run("ko")
    assert shown[:-1] == lossbook_i18n.korean_page_sessions(page, KOREAN) and shown[-1] == "x = 1"
    printed = [line for text in shown for line in text.splitlines() if not line.startswith(">>>")]
    assert any(line.startswith("내트 ") for line in printed) and not any("nats" in line for line in printed)
    assert run("en") == [*english, "x = 1"]
    assert run("ko", builder="gettext") == [*english, "x = 1"]


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
