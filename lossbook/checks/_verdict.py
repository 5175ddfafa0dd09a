"""The voice of every exercise self-check: one line that says correct or not yet, and a hint."""

from __future__ import annotations

import textwrap

import numpy as np

from ._voice import _

__all__ = ["report", "is_close", "Verdict"]


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


def is_close(answer, expected, *, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether ``answer`` is a number (or array) equal to ``expected`` within the tolerances.

    Never raises: a missing answer (``None``), a string, or an array of the wrong shape is
    simply not close. Uses ``abs(answer - expected) <= atol + rtol * abs(expected)`` element-wise.

    Examples
    --------
    >>> is_close(0.693147, np.log(2), rtol=1e-5)
    True
    >>> is_close(None, 1.0)
    False
    """
    if answer is None:
        return False
    try:
        a = np.asarray(answer, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if a.shape != e.shape:
        return False
    # Non-finite entries must match exactly (inf == inf; NaN is never close); only the finite
    # entries are compared with the tolerances, so inf - inf is never computed.
    finite = np.isfinite(a) & np.isfinite(e)
    if not np.array_equal(a[~finite], e[~finite]):
        return False
    return bool(np.all(np.abs(a[finite] - e[finite]) <= atol + rtol * np.abs(e[finite])))
