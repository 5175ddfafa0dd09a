"""Judging an answer against a table: the engine's second seam.

A self-check is data plus one shared judge. A check builds a :class:`Problem` from the
exercise's inputs: the right value, what it is, and the mistakes we expect (each a
:class:`Mistake`: the value the mistake produces, what it means, what to try). The
:func:`check` decorator turns that builder into the function a notebook calls with the
learner's answer first; the engine reads the answer (number, list, numpy array, torch tensor
with or without grad), never raises, prints one ``Correct: ...`` or ``Not yet: ...`` line
(and a ``Hint: ...`` line) and returns a :class:`Verdict`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ._answers import _close, fmt, read_answer
from ._voice import N_, Verdict, _, report

__all__ = ["Mistake", "Feedback", "Problem", "judge", "NOT_ANSWERED", "NUDGE"]


NOT_ANSWERED = N_("you have not answered yet.")


NUDGE = N_("replace None with your answer; the check says what is wrong.")


_NUMBERS_HINT = N_("answer with a number or an array of numbers (a numpy array or a tensor is fine).")


class Mistake(NamedTuple):
    """A typical wrong answer: the value it gives, what it means, and what to try."""

    value: Any
    message: str
    hint: str | None = None


class Feedback(NamedTuple):
    """What a check says, before it is printed: right or not, a message, a hint."""

    ok: bool
    message: str
    hint: str | None = None


def _matches(a: np.ndarray, value: np.ndarray, rtol: float, atol: float) -> bool:
    """Whether answer ``a`` is ``value``; a one-element answer counts as a plain number."""
    if value.shape == () and a.size == 1:
        a = a.reshape(())
    return _close(a, value, rtol, atol)


def _shape_hint(a: np.ndarray, right: np.ndarray, what: str) -> str:
    if right.ndim == 0:
        return _("{what} is a single number: reduce your values to one (a mean or a sum?).").format(what=what)
    if a.ndim == 2 and a.shape == right.shape[::-1]:
        return _("your answer looks transposed: swap the axes (or check the order of a matrix product).")
    if a.size == right.size and 1 in a.shape:
        return _(
            "drop the extra axis of size 1 (.reshape{0} or .squeeze()); a (N, 1) column meeting "
            "an (N,) row broadcasts, so check the shapes where you computed it."
        ).format(right.shape)
    return _("print the shape after each step of your computation to see where it stops being {0}.").format(
        right.shape
    )


@dataclass
class Problem:
    """One exercise's right answer and the mistakes a check recognises.

    ``right`` is what the learner should give and ``what`` names it ("the MSE"); ``correct`` is
    the message for a right answer, ``hint`` the hint for an unrecognised wrong answer (``recipe``,
    the way to the answer, when there is no ``hint``; before any answer a neutral nudge is said
    instead, so a stored output never gives the answer away), ``diagnose(answer_array)`` an optional last look
    that returns a ``(message, hint)`` or None. Answers within ``rtol``/``atol`` are right;
    within ``near`` (relative) they are called rounded.
    """

    right: Any
    what: str
    mistakes: Sequence[Mistake] = ()
    correct: str | None = None
    recipe: str | None = None
    hint: str | None = None
    rtol: float = 1e-5
    atol: float = 1e-8
    near: float | None = 1e-3
    diagnose: Callable[[np.ndarray], tuple[str, str | None] | None] | None = None
    shape_hint: str | None = None
    right_array: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        self.right_array = np.asarray(self.right, dtype=np.float64)

    def live_mistakes(self) -> list[tuple[np.ndarray, Mistake]]:
        """The mistakes that can happen here: not None, no nan, different from the right value."""
        live = []
        for m in self.mistakes:
            if m.value is None:
                continue
            value = np.asarray(m.value, dtype=np.float64)
            if np.isnan(value).any() or _matches(value, self.right_array, self.rtol, self.atol):
                continue
            live.append((value, m))
        return live

    def assess(self, answer) -> Feedback:
        """Judge ``answer`` without printing; never raises."""
        if answer is None:  # a neutral nudge: the recipe comes only after a wrong answer
            return Feedback(False, _(NOT_ANSWERED), _(NUDGE))
        a, reason = read_answer(answer)
        if a is None:
            hint = (
                _(_NUMBERS_HINT)
                if not callable(answer)
                else (_("call your function and pass what it returns: check(f(...)), not check(f)."))
            )
            return Feedback(
                False,
                _("{reason}; the answer should be numbers: {0}.").format(self.what, reason=reason),
                hint,
            )
        right, rtol, atol = self.right_array, self.rtol, self.atol
        if _matches(a, right, rtol, atol):
            return Feedback(True, self.correct or _("{0} is {1}.").format(fmt(right), self.what))
        if (
            a.shape != right.shape
            and a.size == right.size
            and _close(a.reshape(right.shape), right, rtol, atol)
        ):
            return Feedback(
                False,
                _("your answer has the right numbers but shape {0}; {1} has shape {2}.").format(
                    a.shape, self.what, right.shape
                ),
                _shape_hint(a, right, self.what),
            )
        for value, m in self.live_mistakes():
            if _matches(a, value, rtol, atol):
                return Feedback(False, m.message, m.hint)
        if not (right.shape == () and a.size == 1) and a.shape != right.shape:
            wanted = _("is one number") if right.shape == () else _("has shape {0}").format(right.shape)
            return Feedback(
                False,
                _("your answer has shape {0}, but {1} {wanted}.").format(a.shape, self.what, wanted=wanted),
                self.shape_hint or _shape_hint(a, right, self.what),
            )
        a = a.reshape(right.shape)
        if not np.all(np.isfinite(a)):
            return Feedback(False, _("your answer contains nan or inf."), self.hint or self.recipe)
        if self.diagnose is not None:
            found = self.diagnose(a)
            if found:
                return Feedback(False, *found)
        if self.near and _close(a, right, self.near, atol):
            return Feedback(
                False,
                _("{0} is close to {1}, but not within a relative {rtol:g}.").format(
                    fmt(a), self.what, rtol=rtol
                ),
                _("pass the value your code computed instead of typing a rounded number."),
            )
        shown = fmt(a) if a.size <= 12 else _("your answer")
        return Feedback(
            False, _("{shown} is not {0}.").format(self.what, shown=shown), self.hint or self.recipe
        )


def judge(answer, problem: Problem | None = None, /, **fields) -> Verdict:
    """Judge ``answer`` against a :class:`Problem` (or its fields), print the verdict, return it.

    >>> judge(0.30103, right=np.log(2), what="the cross-entropy in nats", mistakes=[
    ...     Mistake(np.log10(2), "that is the base-10 logarithm.", "use np.log.")])
    Not yet: that is the base-10 logarithm.
    Hint: use np.log.
    False
    """
    problem = problem if problem is not None else Problem(**fields)
    return report(*problem.assess(answer))
