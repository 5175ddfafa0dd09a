"""The engine of every exercise self-check: read an answer, judge it, say one verdict.

A self-check is data plus one shared judge. A check builds a :class:`Problem` from the
exercise's inputs: the right value, what it is, and the mistakes we expect (each a
:class:`Mistake`: the value the mistake produces, what it means, what to try). The
:func:`check` decorator turns that builder into the function a notebook calls with the
learner's answer first; the engine reads the answer (number, list, numpy array, torch tensor
with or without grad), never raises, prints one ``Correct: ...`` or ``Not yet: ...`` line
(and a ``Hint: ...`` line) and returns a :class:`Verdict`. A new check in a topic module::

    @check
    def check_cross_entropy_nats(probs, target) -> Problem:
        '''Check a cross-entropy in nats; called as ``check_cross_entropy_nats(answer, probs, target)``.'''
        p, t = as_array(probs, "probs"), as_array(target, "target")
        nats = -np.sum(t * np.log(p))
        return Problem(right=nats, what="the cross-entropy in nats", mistakes=[
            Mistake(nats / np.log(10), "that is the base-10 logarithm.", "use np.log, the natural log."),
            Mistake(-nats, "the sign is flipped.", "cross-entropy is minus the sum."),
        ])

    EXAMPLES = {check_cross_entropy_nats: [example([0.25, 0.75], [0.0, 1.0])]}

``check_cross_entropy_nats.problem(probs, target)`` gives the table without printing, and the
module's ``EXAMPLES`` (inputs for every check it defines) let the tests feed every mistake of
every check and expect its message (a check without examples fails the tests). A check whose
answer is a function (the learner's own ``mse``) uses :func:`check_function` instead::

    @check_function(recipe="define mse(y_pred, y), then pass it.", reference=right_mse)
    def check_mse_function(fn) -> Feedback:
        out = call(fn, [1.0, 2.0], [0.0, 0.0])  # never raises: out.value or out.error
        if out.error is not None:
            return Feedback(False, f"your function {out.says()}", "...")
        return check_mse.problem([1.0, 2.0], [0.0, 0.0]).assess(out.value)

It still prints one verdict and never raises; ``reference`` is a right answer for the tests.
"""

from __future__ import annotations

import contextlib
import copy
import decimal
import functools
import inspect
import numbers
import textwrap
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ._verdict import Verdict, is_close, report
from ._voice import N_, _

__all__ = [
    "Verdict",
    "report",
    "is_close",
    "Mistake",
    "Feedback",
    "Problem",
    "judge",
    "check",
    "check_function",
    "example",
    "Example",
    "read_answer",
    "as_array",
    "as_number",
    "fmt",
    "call",
    "Outcome",
    "CHECKS",
    "NOT_ANSWERED",
]

NOT_ANSWERED = N_("you have not answered yet.")
NUDGE = N_("replace None with your answer; the check says what is wrong.")
FUNCTION_NUDGE = N_("replace None with your function (without ()); the check says what is wrong.")
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


class Example(NamedTuple):
    """Inputs of a check for the tests: ``check(answer, *args, **kwargs)``."""

    args: tuple
    kwargs: dict


def example(*args, **kwargs) -> Example:
    """The inputs a check is called with after the answer, for a module's ``EXAMPLES``."""
    return Example(args, kwargs)


def fmt(value) -> str:
    """A short, stable rendering of a number or array for a message (never raises).

    >>> fmt(0.30102999566), fmt([0.5, 2.0]), fmt(np.zeros((4, 4)))
    ('0.30103', '[0.5, 2. ]', 'an array of shape (4, 4)')
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except Exception:  # noqa: BLE001 - anything a learner typed
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "..."
    if arr.ndim == 0:
        return f"{float(arr):.6g}"
    if arr.size > 12:
        return _("an array of shape {0}").format(arr.shape)
    return np.array2string(arr, precision=4, suppress_small=True, separator=", ")


def _plain(value, depth: int = 0):
    """``value`` with every tensor detached and moved to numpy (lists of tensors included)."""
    if depth > 20:
        raise ValueError("nested too deep")
    if callable(getattr(value, "detach", None)):  # a torch tensor; torch is never imported
        value = value.detach().cpu()
        try:
            return value.numpy()
        except (TypeError, RuntimeError):  # bfloat16 and friends: numpy has no such dtype
            return value.double().numpy()
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    return value


def _describe(value) -> str:
    """What a learner passed, in a few words: "the text 'abc'", 'a dict', 'an int', ..."""
    if isinstance(value, (str, bytes)):
        shown = repr(value) if len(repr(value)) <= 30 else repr(value)[:27] + "..."
        return _("the text {shown}").format(shown=shown)
    if callable(value) and not hasattr(value, "__array__"):
        return _("a function ({0})").format(getattr(value, "__name__", type(value).__name__))
    if isinstance(value, np.ndarray):
        return _("a numpy array")
    if callable(getattr(value, "detach", None)):
        return _("a tensor")
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _numbers(arr: np.ndarray) -> np.ndarray | None:
    """An object array of Python numbers (Fraction, Decimal, ...) as floats, else None."""
    if not all(isinstance(v, (numbers.Real, decimal.Decimal)) for v in arr.flat):
        return None
    try:
        return arr.astype(np.float64)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return None


def read_answer(answer) -> tuple[np.ndarray | None, str | None]:
    """Read a learner's answer as a float64 array, or say why it cannot be read.

    Numbers, lists, numpy arrays and torch tensors (with or without grad, on any device) are
    read; text, dicts, complex numbers, ragged lists and everything else give a reason. Never
    raises and never warns.

    Returns
    -------
    (array, None) or (None, reason)

    Examples
    --------
    >>> read_answer([1, 2.5])
    (array([1. , 2.5]), None)
    >>> read_answer("0.5")
    (None, "got the text '0.5'")
    """
    if answer is None:
        return None, _("got None")
    if (
        isinstance(answer, (str, bytes, dict, set, frozenset))
        or callable(answer)
        and not (hasattr(answer, "__array__") or hasattr(answer, "detach"))
    ):
        return None, _("got {0}").format(_describe(answer))
    if hasattr(answer, "__next__") and not hasattr(answer, "__array__"):
        return None, _("got a generator or iterator; make it a list first: list(...)")
    try:
        with _quiet():
            arr = np.asarray(_plain(answer))
    except Exception:  # noqa: BLE001 - a ragged list, an object whose __array__ fails, ...
        return None, _("got {0} that is not one array of numbers").format(_describe(answer))
    if arr.dtype.kind == "c":
        return None, _("got complex numbers")
    if arr.dtype.kind in "US":
        convert = _(" (.astype(float) converts them)") if isinstance(answer, np.ndarray) else ""
        return None, _("got {0} of text; numbers are needed{convert}").format(
            _describe(answer), convert=convert
        )
    if arr.dtype.kind == "O":  # Fractions, Decimals, or things that are not numbers
        arr = _numbers(arr)
    if arr is None or arr.dtype.kind not in "biuf":
        return None, _("got {0} that is not made of numbers").format(_describe(answer))
    return arr.astype(np.float64), None


def as_array(value, name: str = "input") -> np.ndarray:
    """An exercise input as a float64 array (tensors detached); ``ValueError`` naming it if not.

    >>> as_array([1, 2])
    array([1., 2.])
    """
    arr, reason = read_answer(value)
    if arr is None:
        raise ValueError(f"{name} must be numbers; {reason}")
    return arr


def as_number(value, name: str = "input") -> float:
    """An exercise input that is one number, as a float (a 0-d tensor or a 1-element array too).

    >>> as_number([0.5])
    0.5
    """
    arr = as_array(value, name)
    if arr.size != 1:
        raise ValueError(f"{name} must be one number; got shape {arr.shape}")
    return float(arr.reshape(()))


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    """Same shape, the same non-finite entries (nan counts as equal to nan), finite ones close."""
    if a.shape != b.shape:
        return False
    finite = np.isfinite(a) & np.isfinite(b)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    if not np.all(same[~finite]):
        return False
    with np.errstate(all="ignore"):
        return bool(np.all(np.abs(a[finite] - b[finite]) <= atol + rtol * np.abs(b[finite])))


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


CHECKS: list[Callable[..., Verdict]] = []
"""Every check made with :func:`check` or :func:`check_function`, in definition order."""


def _unusable(name: str, err: Exception) -> Feedback:
    return Feedback(
        False,
        _("{name} could not use the exercise's inputs ({0}: {err}).").format(
            type(err).__name__, name=name, err=err
        ),
        _(
            "call it as in the exercise; if you changed the exercise's variables, "
            "re-run the cells that define them."
        ),
    )


def check(build: Callable[..., Problem]) -> Callable[..., Verdict]:
    """Turn ``build(*inputs) -> Problem`` into the check ``name(answer, *inputs) -> Verdict``.

    The check prints one verdict and never raises, whatever the answer or the inputs are;
    ``name.problem(*inputs)`` is ``build`` itself, for tests that read the table.
    """

    @functools.wraps(build)
    def run(*args, **kwargs) -> Verdict:
        answer, args = _split_answer(args, kwargs)
        with _quiet():
            try:
                problem = build(*args, **kwargs)
            except Exception as err:  # noqa: BLE001 - inputs a learner may have changed
                return report(*_unusable(build.__name__, err))
            said = problem.assess(answer)
        return report(*said)

    return _register(run, build, "problem")


def check_function(
    test: Callable[..., Feedback] | None = None,
    *,
    recipe: str = N_("define the function, then pass it (without ())."),
    reference: Callable | None = None,
):
    """Turn ``test(fn, *inputs) -> Feedback`` into a check whose answer is the learner's function.

    A missing answer (a neutral nudge), something that is not a function, and any
    error while testing it (the learner's code may fail in any way) become "Not yet", never an
    exception. ``reference``, a right answer, is kept as ``check.reference`` for the tests. Use
    it bare (``@check_function``) or with options (``@check_function(recipe=..., reference=...)``).
    """
    if test is None:
        return functools.partial(check_function, recipe=recipe, reference=reference)

    @functools.wraps(test)
    def run(*args, **kwargs) -> Verdict:
        fn, args = _split_answer(args, kwargs)
        if fn is None:
            return report(False, _(NOT_ANSWERED), _(FUNCTION_NUDGE))
        if not callable(fn):
            return report(
                False,
                _("got {0}, not a function.").format(_describe(fn)),
                _("pass the function itself: check(my_function), without ()."),
            )
        try:
            with _quiet():
                said = test(fn, *args, **kwargs)
        except Exception as err:  # noqa: BLE001 - e.g. a returned object whose == raises
            said = Feedback(
                False,
                _("testing your function failed with {0}: {err}").format(type(err).__name__, err=err),
                _("return a plain number (a float) from your function."),
            )
        if not said.ok and not said.hint:  # the recipe only after a wrong answer
            said = said._replace(hint=_(recipe))
        return report(*said)

    run.reference = reference
    return _register(run, test, "test")


@contextlib.contextmanager
def _quiet():
    """No numpy or Python warnings while a check computes: its verdict is all it says."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def _split_answer(args, kwargs):
    if "answer" in kwargs:
        return kwargs.pop("answer"), args
    return (args[0], args[1:]) if args else (None, args)


def _register(run, inner, attr):
    params = list(inspect.signature(inner).parameters.values())
    if attr == "problem":
        params.insert(0, inspect.Parameter("answer", inspect.Parameter.POSITIONAL_OR_KEYWORD))
    run.__signature__ = inspect.Signature(params, return_annotation=Verdict)
    setattr(run, attr, inner)
    CHECKS.append(run)
    return run


class Outcome(NamedTuple):
    """What a learner's function did: returned ``value``, or raised ``error``."""

    value: Any
    error: Exception | None

    def says(self) -> str:
        """The error in a few words: 'raised ZeroDivisionError: division by zero'."""
        text = textwrap.shorten(" ".join(str(self.error).split()), 120)
        return _("raised {0}").format(type(self.error).__name__) + (f": {text}" if text else "")


def _copy(value):
    """A deep copy, so a learner's function cannot change the check's own inputs."""
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - e.g. a tensor in a graph; numpy arrays and lists copy
        return value.copy() if isinstance(value, np.ndarray) else value


def call(fn: Callable, *args) -> Outcome:
    """Run a learner's function on deep copies of ``args``, quietly; never raises.

    A function that changes its inputs in place (``z -= z.max()``, ``y_pred.append(...)``)
    changes only its copies: the check's test cases stay as they were.

    >>> call(lambda x: 1 / x, 0).says()
    'raised ZeroDivisionError: division by zero'
    """
    args = tuple(_copy(a) for a in args)
    try:
        with _quiet():
            return Outcome(fn(*args), None)
    except Exception as err:  # noqa: BLE001 - the learner's code may fail in any way
        return Outcome(None, err)
