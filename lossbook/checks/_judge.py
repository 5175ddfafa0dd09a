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

from .._i18n import N_, _
from ._answers import close, fmt, not_tried, read_answer
from ._voice import Verdict, report

__all__ = ["Mistake", "Feedback", "Problem", "judge", "NOT_ANSWERED", "PLACEHOLDER", "ladder", "rounded_to"]


NOT_ANSWERED = N_("put your answer in place of None, then run the cell.")

PLACEHOLDER = N_("{0} reads as a placeholder, not an answer: put the value your code computes in its place.")

_NUMBERS_HINT = N_("answer with a number or an array of numbers (a numpy array or a tensor is fine).")

_ROUNDED_HINT = N_(
    "pass the full value: assign what your code computed (answer = ...) instead of typing the printed digits."
)


class Mistake(NamedTuple):
    """A typical wrong answer: the value it gives, what it means, and what to try."""

    value: Any
    message: str
    hint: str | None = None


class Feedback(NamedTuple):
    """What a check says, before it is printed: right or not, a message, a hint, and whether the
    answer was a try (a placeholder, a rounded right value and a right answer are not)."""

    ok: bool
    message: str
    hint: str | None = None
    tried: bool = True


def ladder(said: Feedback, idea: str, recipe: str, tries: int) -> Feedback:
    """The hint ladder for a wrong answer that no table row explains: the idea to revisit after
    the first wrong try, the recipe from the second on (``tries`` counts the earlier ones)."""
    if said.ok or said.hint or not said.tried:
        return said
    return said._replace(hint=idea if tries < 1 else recipe)


def _matches(a: np.ndarray, value: np.ndarray, rtol: float, atol: float) -> bool:
    """Whether answer ``a`` is ``value``; a one-element answer counts as a plain number."""
    if value.shape == () and a.size == 1:
        a = a.reshape(())
    return close(a, value, rtol, atol)


def rounded_to(a: np.ndarray, right: np.ndarray) -> int | None:
    """The significant figures (2 to 5) to which ``right`` was rounded to give ``a``, or None.

    Each entry may be rounded to its own number of figures (a printed array); the most is
    returned. Whole-number answers (counts) are never called rounded.

    >>> rounded_to(np.array(1.77), np.array(1.774823)), rounded_to(np.array(1.7), np.array(1.774823))
    (3, None)
    """
    if a.shape != right.shape or np.all(right == np.round(right)) or not np.all(np.isfinite(a)):
        return None
    most = 0
    for x, r in zip(a.ravel(), right.ravel(), strict=True):
        if r == 0 or x == r:
            if x != r:
                return None
            continue
        k = next((k for k in range(2, 6) if abs(float(f"{r:.{k - 1}e}") - x) <= 1e-12 * abs(r)), None)
        if k is None:
            return None
        most = max(most, k)
    return most or None


def _factor(a: np.ndarray, right: np.ndarray) -> Feedback | None:
    """A wrong answer that is the right one times a whole number, or divided by one, or negated."""
    if not np.all(np.isfinite(a)) or not np.any(right) or np.any((right == 0) != (a == 0)):
        return None
    with np.errstate(all="ignore"):
        ratio = a[right != 0] / right[right != 0]
    r = float(ratio.flat[0])
    if not np.allclose(ratio, r, rtol=1e-6, atol=0):
        return None
    if abs(r + 1) < 1e-6:
        return Feedback(False, _("your answer has the right size but the wrong sign."))
    for k in range(2, 1001):
        if abs(r - k) < 1e-6 * k:
            return Feedback(False, _("your answer is {k} times the right value.").format(k=k))
        if abs(r * k - 1) < 1e-6:
            return Feedback(False, _("your answer is the right value divided by {k}.").format(k=k))
    return None


@dataclass
class Problem:
    """One exercise's right answer and the mistakes a check recognises.

    ``right`` is what the learner should give and ``what`` names it ("the MSE"); ``idea`` is the
    hint after a first wrong answer that no mistake explains (which idea to revisit, never the
    formula) and ``recipe`` the hint from the second on (how to get the answer); before any
    answer a neutral nudge is said instead. ``mistakes`` are the wrong answers we expect, each
    named with its own hint; ``correct`` the message for a right answer; ``diagnose(answer_array)``
    an optional last look that returns a ``(message, hint)`` or None. Answers within
    ``rtol``/``atol`` are right; a right value rounded to 2 to 5 significant figures is told so,
    and an answer within ``near`` (relative) is called close.
    """

    right: Any
    what: str
    idea: str
    recipe: str
    mistakes: Sequence[Mistake] = ()
    correct: str | None = None
    rtol: float = 1e-5
    atol: float = 1e-8
    near: float | None = 1e-3
    diagnose: Callable[[np.ndarray], tuple[str, str | None] | None] | None = None
    shape_hint: str | None = None
    right_array: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        self.right_array = np.asarray(self.right, dtype=np.float64)

    def live_mistakes(self) -> list[tuple[np.ndarray, Mistake]]:
        """The mistakes that can happen here: not None, no nan, not a placeholder (all zeros),
        different from the right value."""
        live = []
        for m in self.mistakes:
            if m.value is None:
                continue
            value = np.asarray(m.value, dtype=np.float64)
            if (
                np.isnan(value).any()
                or not np.any(value)
                or _matches(value, self.right_array, self.rtol, self.atol)
            ):
                continue
            live.append((value, m))
        return live

    def assess(self, answer, tries: int = 0) -> Feedback:
        """Judge ``answer`` without printing; never raises. ``tries`` counts the learner's
        earlier wrong answers to this check (the hint ladder)."""
        if answer is None or answer is Ellipsis:
            return Feedback(False, _(NOT_ANSWERED), None, tried=False)
        if not_tried(answer) and np.any(self.right_array):
            return Feedback(False, _(PLACEHOLDER).format(fmt(answer)), None, tried=False)
        return ladder(self.judge_value(answer), self.idea, self.recipe, tries)

    def judge_value(self, answer) -> Feedback:
        """Judge a value as it is: no placeholder rule, no ladder (for the value a learner's
        function returned)."""
        right, rtol, atol = self.right_array, self.rtol, self.atol
        a, reason = read_answer(answer)
        if a is None:
            hint = (
                _(_NUMBERS_HINT)
                if not callable(answer)
                else (_("call your function and pass what it returns: check(f(...)), not check(f)."))
            )
            return Feedback(False, _("{reason}; the answer must be numbers.").format(reason=reason), hint)
        if _matches(a, right, rtol, atol):
            return Feedback(True, self.correct or _("{0} is {1}.").format(fmt(right), self.what))
        same_numbers = a.size == right.size and close(a.reshape(right.shape), right, rtol, atol)
        if a.shape != right.shape and same_numbers:
            return Feedback(
                False,
                _("your answer has the right numbers but shape {0}; the answer has shape {1}.").format(
                    a.shape, right.shape
                ),
                _shape_hint(a, right),
            )
        for value, m in self.live_mistakes():
            if _matches(a, value, rtol, atol):
                return Feedback(False, m.message, m.hint)
        if not (right.shape == () and a.size == 1) and a.shape != right.shape:
            wanted = _("one number") if right.shape == () else _("shape {0}").format(right.shape)
            got = _("one number") if a.shape == () else _("shape {0}").format(a.shape)
            return Feedback(
                False,
                _("your answer has {got}; the answer has {wanted}.").format(got=got, wanted=wanted),
                self.shape_hint or _shape_hint(a, right),
            )
        a = a.reshape(right.shape)
        if not np.all(np.isfinite(a)):
            return Feedback(False, _("your answer contains nan or inf."))
        if self.diagnose is not None:
            found = self.diagnose(a)
            if found:
                return Feedback(False, *found)
        k = rounded_to(a, right)
        if k is not None:
            message = (
                _("{0} is {1}, rounded to {k} significant figures.").format(fmt(a), self.what, k=k)
                if a.ndim == 0
                else _("your answer is {0}, rounded.").format(self.what)
            )
            return Feedback(False, message, _(_ROUNDED_HINT), tried=False)
        if self.near and close(a, right, self.near, atol):
            return Feedback(
                False,
                _("{0} is close to {1}, but not within a relative {rtol:g}.").format(
                    fmt(a), self.what, rtol=rtol
                ),
                _(_ROUNDED_HINT),
                tried=False,
            )
        factor = _factor(a, right)
        if factor is not None:
            return factor
        shown = fmt(a) if a.size <= 12 else _("your answer")
        return Feedback(False, _("{shown} is not {0}.").format(self.what, shown=shown))


def _shape_hint(a: np.ndarray, right: np.ndarray) -> str:
    if right.ndim == 0:
        return _("the answer is a single number: reduce your values to one (a mean or a sum?).")
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


def judge(answer, problem: Problem | None = None, /, **fields) -> Verdict:
    """Judge ``answer`` against a :class:`Problem` (or its fields), print the verdict, return it.

    >>> judge(0.30103, right=np.log(2), what="the cross-entropy in nats", idea="revisit the log.",
    ...       recipe="use np.log.", mistakes=[
    ...           Mistake(np.log10(2), "that is the base-10 logarithm.", "use np.log.")])
    Not yet: that is the base-10 logarithm.
    Hint: use np.log.
    False
    """
    problem = problem if problem is not None else Problem(**fields)
    return report(*problem.assess(answer)[:3])


def one_of(*options: int) -> Callable[[np.ndarray], tuple[str, str | None] | None]:
    """A ``Problem.diagnose`` for an exercise answered with an option's number (choose and
    defend): an answer that is none of ``options`` is asked to choose one.

    >>> one_of(1, 2, 3)(np.array(7.0))[0]
    '7 is not one of the options 1, 2, 3.'
    """

    def diagnose(a: np.ndarray) -> tuple[str, str | None] | None:
        if a.size == 1 and float(a.reshape(())) in options:
            return None
        return (
            _("{0} is not one of the options {1}.").format(fmt(a), ", ".join(map(str, options))),
            _("answer with the number of the option you choose, e.g. answer = {0}.").format(options[0]),
        )

    return diagnose


def one_per_situation(right: Sequence[int], options: Sequence[int] = (1, 2, 3, 4, 5)):
    """A ``Problem.diagnose`` for an exercise that matches situations to options (one option's
    number per situation, as in "choose a loss for each situation"): it says which situations
    the answer gets right when no table row explains it.

    >>> diagnose = one_per_situation((4, 2, 3, 5))
    >>> diagnose(np.array([4.0, 1.0, 3.0, 2.0]))[0]
    'right for situation(s) 1, 3; not yet for 2, 4.'
    >>> diagnose(np.array([4.0, 2.0]))[0]
    'give 4 numbers, one per situation.'
    """
    n = len(right)

    def diagnose(a: np.ndarray) -> tuple[str, str | None]:
        if a.shape != (n,):
            return _("give {0} numbers, one per situation.").format(n), None
        if not np.all(np.isin(a, options)):
            return _("each choice is one of the numbers {0} to {1}.").format(min(options), max(options)), None
        good = [str(k + 1) for k in range(n) if a[k] == right[k]]
        bad = [str(k + 1) for k in range(n) if a[k] != right[k]]
        if not good:
            return _("none of the {0} choices is right yet.").format(n), None
        return _("right for situation(s) {0}; not yet for {1}.").format(", ".join(good), ", ".join(bad)), None

    return diagnose


def one_situation_wrong(right: Sequence[int], k: int, choice: int) -> list[int]:
    """The answer ``right`` with situation ``k + 1`` answered ``choice``: a ``Mistake``'s value
    for one-per-situation exercises (:func:`one_per_situation`).

    >>> one_situation_wrong((4, 2, 3, 5), 0, 1)
    [1, 2, 3, 5]
    """
    wrong = list(right)
    wrong[k] = choice
    return wrong
