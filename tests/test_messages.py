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
from lossbook.checks import _voice
from lossbook.checks._registry import CHECKS

LOCALE = Path(_voice.LOCALEDIR)
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
    return re.findall(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,})+", rest)


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
    assert capsys.readouterr().out.startswith("Not yet: you have not answered yet.")


def test_the_language_comes_from_lossbook_lang(pseudo, monkeypatch, capsys):
    monkeypatch.setenv("LOSSBOOK_LANG", "qps")
    assert lb.set_language(localedir=pseudo) == "qps"
    lb.checks.check_mse(None, [1.0], [0.0])
    assert capsys.readouterr().out.startswith(f"{OPEN}Not yet: {CLOSE}{OPEN}you have not")
    monkeypatch.delenv("LOSSBOOK_LANG")
    assert lb.set_language() == "en"


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
                said += 1
    finally:
        lb.set_language("en")
    assert said > 300
