"""The package's languages: one gettext catalogue for every sentence a reader sees from lossbook.

The self-checks' messages and the figure labels of :mod:`lossbook.plotting` are written in
English, the source language, and marked ``_("...")`` where they are said (or ``N_("...")``
where a constant is defined at import time, then ``_(CONSTANT)`` where it is said). ``_`` looks
the message up in the ``lossbook`` gettext domain of the chosen language: ``lb.set_language("ko")``
or the environment variable ``LOSSBOOK_LANG``; English is the default.

The catalogues live in ``lossbook/locale/`` (``lossbook/locale/README.md`` has the workflow).
This module is the package's ground floor for text: it imports nothing of lossbook, so the
plotting module and the checks both use it without loading each other.

Korean particles after a value inserted into a sentence ("답(0.375)은", "N(2)으로") depend on how
the value is read aloud. A Korean message writes the particle in its paired form, ``은(는)``,
``이(가)``, ``을(를)``, ``와(과)`` or ``(으)로``, and :func:`particles` picks the right half from
the sound before it, once the values are in place.
"""

from __future__ import annotations

import gettext
import os
import re
import unicodedata
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LOCALEDIR",
    "ENV_VAR",
    "set_language",
    "get_language",
    "available_languages",
    "_",
    "N_",
    "particles",
    "display_width",
]

DOMAIN = "lossbook"
LOCALEDIR = Path(__file__).resolve().parent / "locale"
ENV_VAR = "LOSSBOOK_LANG"

_state: dict = {"language": None, "translation": None}

# A locale name as systems and people write it: "ko", "KO", "ko_KR", "ko-KR", "ko_KR.UTF-8".
_LOCALE = re.compile(r"^(?P<lang>[A-Za-z]{2,3})(?:[_-][A-Za-z0-9]{2,8})?(?:\.[A-Za-z0-9_-]+)?(?:@\w+)?$")


def available_languages(localedir: str | os.PathLike | None = None) -> list[str]:
    """The languages with a catalogue in ``localedir`` (the package's own by default), English first.

    >>> available_languages()
    ['en', 'ko']
    """
    where = LOCALEDIR if localedir is None else Path(localedir)
    found = sorted(p.name for p in where.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())
    return ["en", *[lang for lang in found if lang != "en"]]


def set_language(language: str | None = None, *, localedir: str | os.PathLike | None = None) -> str:
    """Choose the language of the self-checks and figure labels; returns the language now in use.

    Parameters
    ----------
    language : str or None
        A language, written as a code or a locale name: ``"ko"``, ``"KO"``, ``"ko_KR"``,
        ``"ko-KR"`` and ``"ko_KR.UTF-8"`` all choose Korean, ``"en"``, ``"en_US"`` English.
        ``None`` goes back to the default: the environment variable ``LOSSBOOK_LANG`` if set,
        else English.
    localedir : path, optional
        Where the catalogues are (``<localedir>/<language>/LC_MESSAGES/lossbook.mo``); the
        package's own ``lossbook/locale`` by default. For tests and new translations.

    Raises
    ------
    ValueError
        For a language without a catalogue, naming the languages that have one.

    Examples
    --------
    >>> set_language("ko_KR.UTF-8")
    'ko'
    >>> set_language("fr")
    Traceback (most recent call last):
    ...
    ValueError: set_language: no lossbook catalogue for 'fr'; the languages available are en, ko
    (e.g. set_language('ko')).
    >>> set_language()  # back to the default
    'en'
    """
    if language is None:
        language = os.environ.get(ENV_VAR) or "en"
    if not isinstance(language, str):
        raise TypeError(f"set_language: language must be a language code such as 'ko', got {language!r}.")
    where = LOCALEDIR if localedir is None else Path(localedir)
    known = available_languages(where)
    found = _LOCALE.match(language.strip())
    code = found.group("lang").lower() if found else None
    if code not in known:
        raise ValueError(
            f"set_language: no {DOMAIN} catalogue for {language!r}; the languages available are "
            f"{', '.join(known)} (e.g. set_language({known[-1]!r}))."
        )
    _state["translation"] = gettext.translation(DOMAIN, localedir=where, languages=[code], fallback=True)
    _state["language"] = code
    return code


def get_language() -> str:
    """The language lossbook speaks now (``"en"`` unless chosen otherwise)."""
    if _state["translation"] is None:
        set_language()
    return _state["language"]


def _(message: str) -> str:
    """``message`` in the chosen language (English when it has no translation)."""
    if _state["translation"] is None:
        set_language()
    return _state["translation"].gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (a module constant)."""
    return message


# ----------------------------------------------------------------------------- Korean particles

# The paired particles a Korean message may write after a value: (after a final consonant,
# after a vowel). The rest of a pair is chosen by the sound before it.
_PAIRS = {
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
    "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)라": ("이라", "라"),
}
_PAIR = re.compile("|".join(re.escape(p) for p in _PAIRS))

# How a digit ends when read aloud: 영 일 이 삼 사 오 육 칠 팔 구 (0 ends 영, 십, 백, 천 or 만:
# always a final consonant); "l" marks the final ㄹ, which takes 로 like a vowel.
_DIGIT_END = dict(zip("0123456789", "clvcvvcllv", strict=True))
# How a Latin letter ends when spelled (엘, 엠, 엔, 알 end in a consonant).
_LETTER_END = {"l": "l", "m": "c", "n": "c", "r": "l"}
# Characters read past when looking for the last sound: closing brackets, quotes, punctuation.
_SILENT = set(" )]}'\"`.,;:")


def _ending(text: str) -> str | None:
    """How ``text`` ends when read aloud: "c" (a final consonant), "l" (ㄹ), "v" (a vowel), or
    None when it cannot be told (then the paired form stays).

    A gloss in parentheses right after a Korean word, "답(0.375)", is read past: the particle
    follows the word ("답(0.375)은").
    """
    if text.endswith(")"):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            depth += (text[i] == ")") - (text[i] == "(")
            if depth == 0:
                if i > 0 and "\uac00" <= text[i - 1] <= "\ud7a3":
                    return _ending(text[:i])
                break
    for ch in reversed(text):
        if ch in _SILENT:
            continue
        if "\uac00" <= ch <= "\ud7a3":  # a Hangul syllable: its final consonant, if any
            final = (ord(ch) - 0xAC00) % 28
            return "v" if final == 0 else "l" if final == 8 else "c"
        if ch in _DIGIT_END:
            return _DIGIT_END[ch]
        if ch == "%":  # 퍼센트
            return "v"
        if ch.isascii() and ch.isalpha():
            word = re.search(r"[A-Za-z]+$", text.rstrip("".join(_SILENT))).group(0)
            if len(word) > 1 and word.lower().endswith(("er", "or", "ar")):
                return "v"  # a word read the English way: Error (에러), Tensor (텐서)
            return _LETTER_END.get(ch.lower(), "v")
        return None
    return None


def particles(text: str) -> str:
    """``text`` with each paired Korean particle resolved by the sound before it.

    >>> particles("답(0.375)은 오류율입니다. N(2)(으)로 나누세요. 정확도은(는) 0.5이(가) 아닙니다.")
    '답(0.375)은 오류율입니다. N(2)로 나누세요. 정확도는 0.5가 아닙니다.'
    >>> particles("1(으)로, 3(으)로, 모양 (3, 1)은(는), 값 10을(를)")
    '1로, 3으로, 모양 (3, 1)은, 값 10을'
    """

    def pick(match: re.Match) -> str:
        end = _ending(text[: match.start()])
        if end is None:
            return match.group(0)
        after_consonant, after_vowel = _PAIRS[match.group(0)]
        if match.group(0) == "(으)로":
            return after_consonant if end == "c" else after_vowel
        return after_vowel if end == "v" else after_consonant

    return _PAIR.sub(pick, text)


def display_width(text: str) -> int:
    """The columns ``text`` takes in a fixed-width output: wide (Hangul, CJK) characters take two.

    >>> display_width("Hint: "), display_width("힌트: ")
    (6, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
