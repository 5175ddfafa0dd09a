"""The self-checks' translatable voice (lossbook/locale/README.md).

Every sentence a learner reads from a self-check comes from the ``lossbook`` gettext catalogue.
The proof: a pseudo-language generated here from the template, in which every message is wrapped
in brackets; with it chosen, every check is run on every example (no answer, the right answer,
each known mistake, unreadable and wrong answers, wrong functions) and every printed line must
consist of bracketed (translated) text and values only. A sentence that bypasses the catalogue
stays English outside the brackets, and the test names it.
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import numpy as np
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import lossbook as lb
import lossbook.checks
from lossbook import _i18n
from lossbook._i18n import display_width
from lossbook.checks._registry import CHECKS

LOCALE = Path(_i18n.LOCALEDIR)
POT = LOCALE / "lossbook.pot"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/lossbook.po"))
EXAMPLES = [(check, ex) for check in CHECKS for ex in check.examples]
OPEN, CLOSE = "\u27e6", "\u27e7"  # the pseudo-language's brackets


def _ids(catalog) -> set[str]:
    return {m.id for m in catalog if m.id}


def _read(path):
    with open(path, "rb") as f:
        return read_po(f)


def test_the_template_holds_every_marked_message_of_the_code():
    """lossbook.pot is current: run `make messages` after changing a message."""
    in_code = set()
    sources = [*Path(lossbook.checks.__file__).parent.glob("*.py"), Path(lossbook.plotting.__file__)]
    for path in sorted(sources):
        for _, message, _, _ in extract_from_file("python", path, keywords={"_": None, "N_": None}):
            in_code.add(message)
    assert in_code == _ids(_read(POT)), "run `make messages`: the template and the code differ"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_each_catalogue_has_every_message_and_its_mo_matches(po):
    catalog = _read(po)
    assert _ids(catalog) == _ids(_read(POT)), f"run `make messages` to merge {po}"
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    with open(po.with_suffix(".mo"), "rb") as f:
        compiled = gettext.GNUTranslations(f)
    in_mo = {k: v for k, v in compiled._catalog.items() if k}  # "" is the header
    assert in_mo == translated, f"{po.with_suffix('.mo')} is stale: run `make messages`"


@pytest.fixture
def pseudo(tmp_path):
    """The pseudo-language "qps": every message of the template, bracketed."""
    catalog = _read(POT)
    for message in catalog:
        if message.id:
            message.string = OPEN + message.id + CLOSE
    where = tmp_path / "qps" / "LC_MESSAGES"
    where.mkdir(parents=True)
    with open(where / "lossbook.mo", "wb") as f:
        write_mo(f, catalog)
    yield tmp_path
    lb.set_language("en")


def _untranslated(text: str) -> list[str]:
    """English phrases of ``text`` outside the brackets (values and single names are fine)."""
    flat = " ".join(line.strip() for line in text.splitlines())
    depth, outside = 0, []
    for ch in flat:
        depth += ch == OPEN
        outside.append(ch if depth == 0 else " ")
        depth -= ch == CLOSE
    rest = "".join(outside)
    return _english_words(rest)


def _english_words(text: str) -> list[str]:
    """The English words of ``text``: letters only, two or more, not part of code (np.log,
    reduction='mean', float32, ZeroDivisionError) and not a value (nan, inf)."""
    words, calls = [], re.compile(r"[\w.\]\[]+\([^()]*\)")
    while calls.search(text):  # a call, f(a, b), is code: innermost first
        text = calls.sub(" ", text)
    for chunk in text.split():
        word = chunk.strip(".,;:!?")
        if word.startswith("(") and word.endswith(")"):  # a word in parentheses; "(x" is code
            word = word[1:-1]
        if re.fullmatch(r"[A-Za-z]{2,}", word) and word not in ("nan", "inf") and not re.search(
            r"(Error|Exception|Warning)$", word
        ):
            words.append(word)
    return words


def _answers(check, ex):
    if hasattr(check, "problem"):
        problem = check.problem(*ex.args, **ex.kwargs)
        yield None
        yield problem.right
        yield from (m.value for m in problem.mistakes if m.value is not None)
        yield "0.5"
        yield np.full(np.shape(problem.right), 1234.5)
        yield np.ones(np.size(problem.right) + 1)
        yield [np.nan] * max(np.size(problem.right), 1)
        yield lambda: 0
    else:
        yield None
        yield check.reference
        yield 3.0
        yield lambda *a: 0.25
        yield lambda *a: None
        yield lambda *a: 1 / 0
        yield lambda *a: np.ones(7)


def test_every_sentence_of_every_check_comes_from_the_catalogue(pseudo, capsys):
    assert lb.set_language("qps", localedir=pseudo) == "qps"
    said = 0
    for check, ex in EXAMPLES:
        for answer in _answers(check, ex):
            capsys.readouterr()
            check(answer, *ex.args, **ex.kwargs)
            out = capsys.readouterr().out
            assert out.startswith(OPEN), out
            assert _untranslated(out) == [], (check.__name__, out)
            said += 1
    assert {c for c, _ in EXAMPLES} == set(CHECKS) and said > 300


def test_english_is_the_default_and_the_source(capsys):
    lb.set_language()
    assert lb.checks.get_language() == "en"
    lb.checks.check_mse(None, [1.0], [0.0])
    assert capsys.readouterr().out == "Not yet: put your answer in place of None, then run the cell.\n"


def test_the_language_comes_from_lossbook_lang(pseudo, monkeypatch, capsys):
    monkeypatch.setenv("LOSSBOOK_LANG", "qps")
    assert lb.set_language(localedir=pseudo) == "qps"
    lb.checks.check_mse(None, [1.0], [0.0])
    assert capsys.readouterr().out.startswith(f"{OPEN}Not yet: {CLOSE}{OPEN}put your answer")
    monkeypatch.delenv("LOSSBOOK_LANG")
    assert lb.set_language() == "en"


def test_english_words_are_found_one_by_one():
    assert _english_words("[1. , 2.] nan inf lb.relu reduction='mean' ZeroDivisionError") == []
    assert _english_words("a float") == ["float"] and _english_words("(nothing)") == ["nothing"]


@pytest.mark.parametrize("name", ["ko", "KO", "ko_KR", "ko-KR", "ko_KR.UTF-8", "ko-kr"])
def test_korean_is_chosen_by_any_spelling_of_its_locale(name):
    try:
        assert lb.set_language(name) == "ko" and lb.checks.get_language() == "ko"
    finally:
        lb.set_language("en")


@pytest.mark.parametrize("name", ["en", "EN", "en_US", "en-GB", "en_US.UTF-8"])
def test_english_is_chosen_by_any_spelling_of_its_locale(name):
    assert lb.set_language(name) == "en"


@pytest.mark.parametrize("name", ["fr", "xx", "kor", "korean", "ko KR", "", "C"])
def test_a_language_without_a_catalogue_is_refused_with_the_list(name):
    with pytest.raises(ValueError, match=r"no lossbook catalogue for .*the languages available are en, ko"):
        lb.set_language(name)
    assert lb.checks.get_language() in ("en", "ko")


@pytest.mark.parametrize("text,said", [
    ("답(0.375)은(는) 옳습니다.", "답(0.375)은 옳습니다."),  # 5 (오): a vowel
    ("N(2)(으)로 나누세요.", "N(2)로 나누세요."),  # 2 (이)
    ("N(3)(으)로 나누세요.", "N(3)으로 나누세요."),  # 3 (삼): ㅁ
    ("N(7)(으)로 나누세요.", "N(7)로 나누세요."),  # 7 (칠): ㄹ takes 로
    ("값 10이(가) 아닙니다.", "값 10이 아닙니다."),  # 10 (십)
    ("모양 (2,)은(는)", "모양 (2,)는"),
    ("모양 (3, 1)을(를)", "모양 (3, 1)을"),
    ("정확도은(는) 기울기와(과) 손실을(를)", "정확도는 기울기와 손실을"),
    ("합(SSE)이(가)", "합(SSE)이"),  # a gloss after a word: the word's sound (합)
    ("'tanh'을(를)", "'tanh'를"),  # h: read past quotes, a vowel by default
    ("손실의 81.1%을(를)", "손실의 81.1%를"),  # 퍼센트
    ("ValueError을(를)", "ValueError를"),  # a word read the English way: 에러
])
def test_a_paired_korean_particle_follows_the_sound_before_it(text, said):
    from lossbook._i18n import particles

    assert particles(text) == said


def test_korean_is_a_known_language_and_an_unknown_one_is_refused():
    assert lb.set_language("ko") == "ko"  # untranslated messages stay English
    with pytest.raises(ValueError, match="no lossbook catalogue for 'xx'.*en, ko"):
        lb.set_language("xx")
    with pytest.raises(TypeError, match="set_language: language must be"):
        lb.set_language(3)
    assert lb.set_language("en") == "en"


def test_the_readme_describes_the_workflow():
    text = (LOCALE / "README.md").read_text(encoding="utf-8")
    for needed in ("make messages", "LOSSBOOK_LANG", "set_language", "msgmerge", ".mo"):
        assert needed in text, needed


def test_a_report_in_english_is_unchanged():
    out = io.StringIO()
    from contextlib import redirect_stdout
    with redirect_stdout(out):
        lb.checks.report(False, "x.", "y.")
    assert out.getvalue() == "Not yet: x.\nHint: y.\n"


# --- Korean: every message translated, and every check answers in Korean ---------------------

KOREAN_PO = LOCALE / "ko" / "LC_MESSAGES" / "lossbook.po"
# English words a Korean message may hold: names from code and Python's own words.
# English words a Korean message may hold: names from code (a word beside an operator, or in a
# piece of code, in the English source), and the names of libraries and losses.
_NAMES = {"Python", "PyTorch", "torch", "numpy", "scipy", "sklearn", "torchmetrics", "SGD", "MSE", "RMSE",
          "SSE", "MAE", "ECE", "NLL", "ReLU", "KL", "CTC", "BPR", "InfoNCE", "None", "answer", "return",
          "nan", "inf", "float"}


def _code_words() -> set[str]:
    words = set(_NAMES)
    for message in _read(POT):
        text = message.id if isinstance(message.id, str) else ""
        for chunk in text.split():
            if re.search(r"[_=()\[\]*/.@<>']", chunk.rstrip(".,;:")):
                words.update(re.findall(r"[A-Za-z]{2,}", chunk))
        words.update(re.findall(r"([A-Za-z]{2,})\s*(?:[-+*/=@<>]|!=|\*\*)", text))
        words.update(re.findall(r"(?:[-+*/=@<>]|!=)\s*([A-Za-z]{2,})", text))
    return words


_CODE_WORDS = _code_words()
_HANGUL = re.compile("[\uac00-\ud7a3]")


def test_korean_catalogue_translates_every_message(capsys):
    catalog = _read(KOREAN_PO)
    ids = [m.id for m in catalog if m.id]
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    with capsys.disabled():
        print(f"\nlossbook ko: {len(ids) - len(missing)}/{len(ids)} self-check and figure messages "
              f"translated ({len(missing)} missing or fuzzy)")
    assert not missing, f"{KOREAN_PO}: translate these and run `make messages`:\n" + \
        "\n".join(f"  {m!r}" for m in missing[:20])


def test_every_check_answers_in_korean(capsys):
    """The odd answers and junk of the pseudo-language test, in Korean: no English line."""
    assert lb.set_language("ko") == "ko"
    said = 0
    try:
        for check, ex in EXAMPLES:
            for answer in _answers(check, ex):
                capsys.readouterr()
                check(answer, *ex.args, **ex.kwargs)
                out = capsys.readouterr().out
                lines = []  # one per message: an indented line continues the one above
                for line in out.splitlines():
                    if line.startswith(" ") and lines:
                        lines[-1] += " " + line.strip()
                    elif line.strip():
                        lines.append(line)
                assert lines and lines[0].startswith(("정답: ", "아직 아닙니다: ")), (check.__name__, out)
                english = [line for line in lines if not _HANGUL.search(line)]
                assert not english, (check.__name__, answer, english)
                text = " ".join(lines)
                for slip in ("은(는)", "이(가)", "을(를)", "와(과)", "(으)로", "그것", "목표"):
                    assert slip not in text, (check.__name__, slip, text)
                said_by_python = re.sub(r"(일으켰습니다|거부됩니다): [^힌]*", "", text)  # its own words
                leaked = [w for w in _english_words(said_by_python) if w not in _CODE_WORDS]
                assert not leaked, (check.__name__, leaked, text)
                for line in out.splitlines():  # display width: a Hangul character takes two columns
                    assert display_width(line) <= 88 or " " not in line.strip(), line
                assert all(line.rstrip()[-1] in ".)?:" for line in lines), (check.__name__, out)
                said += 1
    finally:
        lb.set_language("en")
    assert said > 300


def test_no_korean_message_fixes_a_particle_after_a_value():
    """After a value, a particle is written paired (은(는), (으)로, ...) and chosen when printed;
    after a Korean word it is written as that word needs (정확도는, never 정확도은(는))."""
    catalog = _read(KOREAN_PO)
    fixed = re.compile(r"\}(은|는|이|가|을|를|와|과|으로|로)(?=[\s.,):]|$)")
    paired_after_hangul = re.compile(r"[\uac00-\ud7a3](은\(는\)|이\(가\)|을\(를\)|와\(과\))")
    for message in catalog:
        if message.id and message.string:
            assert not fixed.search(message.string), (message.id, message.string)
            assert not paired_after_hangul.search(message.string), (message.id, message.string)
            for word in ("그것", "목표", "nats", "파라미터"):
                assert word not in message.string, (message.id, message.string)
