"""The voice of the self-checks, the engine's last seam: every sentence a learner reads goes
through one catalogue, and :func:`report` prints it as one verdict.

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
import textwrap
from pathlib import Path

import numpy as np

__all__ = ["DOMAIN", "LOCALEDIR", "ENV_VAR", "set_language", "get_language", "_", "N_", "report", "Verdict"]

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


class Verdict:
    """The result of a self-check: true or false, and silent in a notebook.

    It behaves like a bool (``if``, ``assert``, ``==``) and prints as ``True`` or ``False`` in
    plain Python, but Jupyter shows nothing for it, so a check cell's output is just the check's
    message, not a stray ``True``.

    Examples
    --------
    >>> v = Verdict(True)
    >>> bool(v), v == True, v
    (True, True, True)
    """

    __slots__ = ("ok",)

    def __init__(self, ok):
        self.ok = bool(ok)

    def __bool__(self):
        return self.ok

    def __eq__(self, other):
        return self.ok == bool(other) if isinstance(other, (bool, np.bool_, Verdict)) else NotImplemented

    def __hash__(self):
        return hash(self.ok)

    def __repr__(self):
        return repr(self.ok)

    def _ipython_display_(self):
        """Jupyter calls this instead of showing the repr: the check has printed its message."""


_WIDTH = 88  # a notebook's output column; longer lines continue, indented under the text


def _wrap(label: str, text: str) -> str:
    """``label`` and ``text`` on one line, wrapped at ``_WIDTH`` with the text's indent."""
    return textwrap.fill(
        " ".join(str(text).split()),
        width=_WIDTH,
        initial_indent=label,
        subsequent_indent=" " * len(label),
        break_on_hyphens=False,
        break_long_words=False,
    )


def report(ok: bool, message: str, hint: str | None = None) -> Verdict:
    """Print the verdict of a self-check and return it.

    Parameters
    ----------
    ok : bool
        Whether the learner's answer is right.
    message : str
        What was checked (when ``ok``) or what is wrong (when not).
    hint : str, optional
        Why it may be wrong and what to try; printed only when ``ok`` is false.

    Returns
    -------
    Verdict
        ``ok`` as a :class:`Verdict`: true or false like a bool (so ``assert check(...)``
        works), but not echoed by Jupyter at the end of a cell.

    Notes
    -----
    Whitespace in ``message`` and ``hint`` is collapsed and lines longer than 88 characters
    continue on the next line, indented, so a verdict is always one ``Correct:`` or
    ``Not yet:`` line and at most one ``Hint:`` line, each perhaps continued.

    Examples
    --------
    >>> report(True, "0.6931 nats, the natural-log cross-entropy.")
    Correct: 0.6931 nats, the natural-log cross-entropy.
    True
    >>> report(False, "you returned 0.30103.", hint="that is log base 10; use np.log.")
    Not yet: you returned 0.30103.
    Hint: that is log base 10; use np.log.
    False
    """
    if ok:
        print(_wrap(_("Correct: "), message))
    else:
        print(_wrap(_("Not yet: "), message))
        if hint:
            print(_wrap(_("Hint: "), hint))
    return Verdict(ok)
