"""The voice of the self-checks, the engine's last seam: :func:`report` prints a verdict.

Every sentence a learner reads goes through one catalogue (``lossbook/_i18n.py``: ``_`` and
``N_``, the language, Korean particles); this module prints one verdict from it: a ``Correct:``
or ``Not yet:`` line and at most one ``Hint:`` line, wrapped by display width.
"""

from __future__ import annotations

import numpy as np

from .._i18n import _, display_width, particles

__all__ = ["report", "Verdict"]


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


_WIDTH = 88  # a notebook's output column, in display columns; longer lines continue


def _words(text: str) -> list[str]:
    """The words of ``text``; a space inside brackets does not split ("f(a, b)" is one word)
    unless the bracketed group is longer than half a line (a sentence in parentheses)."""
    words, depth = [""], 0
    for ch in " ".join(str(text).split()):
        if ch == " " and depth <= 0 and words[-1]:
            words.append("")
            continue
        depth += (ch in "([{") - (ch in ")]}")
        words[-1] += ch
    long = _WIDTH // 2
    return [part for word in words for part in (word.split() if display_width(word) > long else [word])]


def _wrap(label: str, text: str) -> str:
    """``label`` and ``text`` wrapped at ``_WIDTH`` display columns (a Hangul character takes
    two), continuation lines indented under the text; a code expression is never split."""
    indent = " " * display_width(label)
    lines, line = [], label
    for word in _words(text):
        if line not in (label, indent) and display_width(line) + 1 + display_width(word) > _WIDTH:
            lines.append(line)
            line = indent + word
        else:
            line += ("" if line in (label, indent) else " ") + word
    lines.append(line)
    return "\n".join(lines)


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
    Whitespace in ``message`` and ``hint`` is collapsed and lines longer than 88 display columns
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
        print(_wrap(_("Correct: "), particles(message)))
    else:
        print(_wrap(_("Not yet: "), particles(message)))
        if hint:
            print(_wrap(_("Hint: "), particles(hint)))
    return Verdict(ok)
