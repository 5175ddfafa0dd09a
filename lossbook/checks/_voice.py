"""The voice of the self-checks: every sentence a learner reads goes through one catalogue.

The messages are written in English, the source language, and marked ``_("...")`` where they
are said (or ``N_("...")`` where a constant is defined at import time, then ``_(CONSTANT)`` where
it is said). ``_`` looks the message up in the ``lossbook`` gettext domain of the chosen
language: ``lb.set_language("ko")``, or the environment variable ``LOSSBOOK_LANG``; English
(no catalogue) is the default. A message without a translation stays English.

The catalogues live in ``lossbook/locale/``: ``lossbook.pot`` (the template, extracted from the
code by ``make messages``) and ``<lang>/LC_MESSAGES/lossbook.po`` with its compiled ``.mo``
(committed beside it, so an editable install, Binder and a fresh clone need no build step; a
test checks that each ``.mo`` matches its ``.po``). ``lossbook/locale/README.md`` has the workflow.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

__all__ = ["DOMAIN", "LOCALEDIR", "ENV_VAR", "set_language", "get_language", "_", "N_"]

DOMAIN = "lossbook"
LOCALEDIR = Path(__file__).resolve().parent.parent / "locale"
ENV_VAR = "LOSSBOOK_LANG"

_state: dict = {"language": None, "translation": None}


def set_language(language: str | None = None, *, localedir: str | os.PathLike | None = None) -> str:
    """Choose the language of the self-checks' messages; returns the language now in use.

    Parameters
    ----------
    language : str or None
        A language code such as ``"en"`` or ``"ko"``. ``None`` goes back to the default: the
        environment variable ``LOSSBOOK_LANG`` if set, else English.
    localedir : path, optional
        Where the catalogues are (``<localedir>/<language>/LC_MESSAGES/lossbook.mo``); the
        package's own ``lossbook/locale`` by default. For tests and new translations.

    Examples
    --------
    >>> set_language("en")
    'en'
    >>> set_language()  # back to the default
    'en'
    """
    if language is None:
        language = os.environ.get(ENV_VAR) or "en"
    if not isinstance(language, str) or not language:
        raise TypeError(f"set_language: language must be a language code such as 'ko', got {language!r}.")
    where = LOCALEDIR if localedir is None else Path(localedir)
    if language != "en" and not (where / language / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
        known = sorted(p.name for p in where.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())
        raise ValueError(
            f"set_language: no {DOMAIN} catalogue for {language!r} in {where}; "
            f"languages with a catalogue: {', '.join(['en', *known])}."
        )
    _state["translation"] = gettext.translation(DOMAIN, localedir=where, languages=[language], fallback=True)
    _state["language"] = language
    return language


def get_language() -> str:
    """The language the self-checks speak now (``"en"`` unless chosen otherwise)."""
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
