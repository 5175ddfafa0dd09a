"""The registry of the checks: the engine's third seam, and how to write a check.

A new check is one function in a topic module: the learner's ``answer`` first, then the
exercise's inputs; it returns the table the engine judges the answer against, and its one
registration carries the inputs the tests run it on. Every sentence a learner reads is in
``_()`` (``lossbook/locale/README.md``)::

    @check(examples=[example([0.25, 0.75], [0.0, 1.0])])
    def check_cross_entropy_nats(answer, probs, target) -> Problem:
        '''Check a cross-entropy in nats.'''
        p, t = as_array(probs, "probs"), as_array(target, "target")
        nats = -np.sum(t * np.log(p))
        return Problem(
            right=nats,
            what=_("the cross-entropy in nats"),
            idea=_("revisit which logarithm the chapter's cross-entropy uses."),
            recipe=_("-sum(t * np.log(p)), with the natural log."),
            mistakes=[
                Mistake(nats / np.log(10), _("that is the base-10 logarithm."), _("use np.log.")),
                Mistake(-nats, _("the sign is flipped."), _("cross-entropy is minus the sum.")),
            ],
        )

The check prints one verdict and never raises, whatever the answer or the inputs are;
``check_cross_entropy_nats.problem(probs, target)`` gives the table without printing, and the
tests feed every mistake of every check, for each of its examples, and expect its message.
``lossbook.checks`` exports every registered check by its name: nothing else to list.

A wrong answer that no mistake explains gets the ladder: the ``idea`` to revisit after the first
wrong try, the ``recipe`` from the second try at the same check on (in one kernel; re-running a
cell is a try). ``None``, ``...``, 0 and all zeros are placeholders, not tries.

A check whose answer is the learner's own function is a table of cases, run through
:func:`run_cases`::

    @check_function(reference=right_mse, examples=[example()], idea=N_("..."), recipe=N_("..."))
    def check_mse_function(answer) -> Feedback:
        cases = [Case(([1.0, 2.0], [0.0, 0.0]), N_("two numbers"))]
        return run_cases(answer, cases, _judge_case, right=_("right on every test."))

where ``_judge_case(case, value) -> Feedback`` judges what the function returned on one case
(often with a value check's ``.problem(...).assess(value)``); an exception the function raised
gets a hint chosen by its type. ``reference`` is a right answer, for the tests.
"""

from __future__ import annotations

import copy
import functools
import inspect
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from .._i18n import N_, _
from ._answers import describe, quiet
from ._judge import Feedback, Problem, ladder
from ._voice import Verdict, report

__all__ = [
    "check",
    "check_function",
    "example",
    "Example",
    "CHECKS",
    "call",
    "Outcome",
    "Case",
    "run_cases",
    "forget_tries",
]


FUNCTION_NUDGE = N_("pass your function in place of None (without ()), then run the cell.")


class Example(NamedTuple):
    """Inputs of a check for the tests: ``check(answer, *args, **kwargs)``."""

    args: tuple
    kwargs: dict


def example(*args, **kwargs) -> Example:
    """The inputs a check is called with after the answer, for its registration."""
    return Example(args, kwargs)


CHECKS: list[Callable[..., Verdict]] = []
"""Every check made with :func:`check` or :func:`check_function`, in definition order."""

_TRIES: dict[str, int] = {}


def forget_tries() -> None:
    """Forget every earlier wrong answer: each check's hint ladder starts again (for tests)."""
    _TRIES.clear()


def _said(name: str, said: Feedback) -> Verdict:
    """Print ``said`` and count it on ``name``'s ladder when it was a wrong try."""
    if not said.ok and said.tried:
        _TRIES[name] = _TRIES.get(name, 0) + 1
    return report(said.ok, said.message, said.hint)


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
        tried=False,
    )


def check(*, examples: Sequence[Example]) -> Callable[[Callable[..., Problem]], Callable[..., Verdict]]:
    """Register ``name(answer, *inputs) -> Problem`` as the check a notebook calls.

    The one registration of a check: ``examples`` (inputs made with :func:`example`, at least
    one) sit beside it, and the tests feed every mistake of its table for each of them. The
    check prints one verdict and never raises, whatever the answer or the inputs are;
    ``name.problem(*inputs)`` is the table without an answer, for tests and other checks.
    """
    return functools.partial(_check, examples=_examples(examples))


def _check(build: Callable[..., Problem], *, examples) -> Callable[..., Verdict]:
    name = build.__name__

    @functools.wraps(build)
    def run(answer=None, *args, **kwargs) -> Verdict:
        with quiet():
            try:
                problem = build(answer, *args, **kwargs)
            except Exception as err:  # noqa: BLE001 - inputs a learner may have changed
                return _said(name, _unusable(name, err))
            said = problem.assess(answer, _TRIES.get(name, 0))
        return _said(name, said)

    run.problem = functools.wraps(build)(lambda *args, **kwargs: build(None, *args, **kwargs))
    return _register(run, examples)


def check_function(
    *,
    reference: Callable,
    examples: Sequence[Example],
    idea: str,
    recipe: str,
):
    """Register ``name(answer, *inputs) -> Feedback`` as a check whose answer is the learner's function.

    A missing answer (a neutral nudge), something that is not a function, and any error while
    testing it (the learner's code may fail in any way) become "Not yet", never an exception.
    ``idea`` and ``recipe`` (marked ``N_``) are the ladder's hints after a wrong function whose
    test named no hint. ``reference``, a right answer, is kept as ``check.reference`` and
    ``examples`` as ``check.examples`` for the tests.
    """
    return functools.partial(
        _check_function, idea=idea, recipe=recipe, reference=reference, examples=_examples(examples)
    )


def _examples(examples) -> tuple[Example, ...]:
    examples = tuple(examples)
    if not examples or not all(isinstance(e, Example) for e in examples):
        raise TypeError("a check needs examples=[example(...), ...]: at least one, made with example()")
    return examples


def _check_function(test, *, idea, recipe, reference, examples):
    name = test.__name__

    @functools.wraps(test)
    def run(answer=None, *args, **kwargs) -> Verdict:
        if answer is None or answer is Ellipsis:
            return _said(name, Feedback(False, _(FUNCTION_NUDGE), None, tried=False))
        if not callable(answer):
            return _said(
                name,
                Feedback(
                    False,
                    _("got {0}, not a function.").format(describe(answer)),
                    _("pass the function itself: check(my_function), without ()."),
                ),
            )
        try:
            with quiet():
                said = test(answer, *args, **kwargs)
        except Exception as err:  # noqa: BLE001 - e.g. a returned object whose == raises
            said = Feedback(
                False,
                _("testing your function failed with {0}: {err}").format(type(err).__name__, err=err),
                _("return a plain number (a float) from your function."),
            )
        return _said(name, ladder(said, _(idea), _(recipe), _TRIES.get(name, 0)))

    run.reference = reference
    run.test = test
    return _register(run, examples)


def _register(run, examples):
    """List ``run`` in ``CHECKS`` with its examples; its signature is its own ``def``'s."""
    run.__signature__ = inspect.signature(run.__wrapped__).replace(return_annotation=Verdict)
    run.examples = examples
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
        with quiet():
            return Outcome(fn(*args), None)
    except Exception as err:  # noqa: BLE001 - the learner's code may fail in any way
        return Outcome(None, err)


class Case(NamedTuple):
    """One test of a learner's function: the inputs it is called with, and what they are about
    (a message marked ``N_``, said as "on <label>", with ``shown`` filled into its fields)."""

    args: tuple
    label: str
    shown: tuple = ()


# The hint for an exception a learner's function raised, by the exception's type: the first
# type in this order that the exception is an instance of.
_ERROR_HINTS = (
    (
        NameError,
        N_("a name Python does not know: check its spelling (np.mean, not np.meen) and define it first."),
    ),
    (
        AttributeError,
        N_("a misspelt name after a dot: check its spelling (np.mean, not np.meen; .shape, .sum)."),
    ),
    (
        RecursionError,
        N_("the function calls itself without end: call np.mean, not the function being defined."),
    ),
    (ZeroDivisionError, N_("a division by zero: divide by the number of elements, which is never 0 here.")),
    (IndexError, N_("an index out of range: check which axis you index and how long it is.")),
    (TypeError, N_("a value of an unexpected type: the inputs may be lists; use np.asarray first.")),
)
_ERROR_HINT = N_("run your function on the case above yourself and read the line the error comes from.")


def error_hint(error: Exception) -> str:
    """The hint for an exception a learner's function raised, chosen by its type.

    >>> error_hint(NameError("name 'meen' is not defined"))[:28]
    'a name Python does not know:'
    """
    if isinstance(error, TypeError) and "positional argument" in str(error):
        return _("define the function with the exercise's parameters, e.g. def f(y_pred, y).")
    for kind, hint in _ERROR_HINTS:
        if isinstance(error, kind):
            return _(hint)
    return _(_ERROR_HINT)


def run_cases(
    fn: Callable,
    cases: Sequence[Case],
    judge: Callable[[Case, Any], Feedback | None],
    right: str | None = None,
) -> Feedback | None:
    """Run a learner's function on each case; the first that fails is said, else ``right``.

    For each case, ``fn`` is called on copies of ``case.args``: an exception gets a hint chosen
    by its type, ``None`` returned gets "end it with return", and any other value goes to
    ``judge(case, value)``, which returns a :class:`Feedback` (right or wrong) for that case.
    A wrong one is said "on <the case's label>: ...". When every case passes, the verdict is
    ``Feedback(True, right)``; a check that tests more afterwards leaves ``right`` out and gets
    ``None``.
    """
    for case in cases:
        what = _(case.label).format(*case.shown)
        out = call(fn, *case.args)
        if out.error is not None:
            said = _("on {what}, your function {0}.").format(out.says(), what=what)
            return Feedback(False, said, error_hint(out.error))
        if out.value is None:
            return Feedback(
                False,
                _("on {what}, your function returned nothing (None).").format(what=what),
                _("end it with return and the value."),
            )
        said = judge(case, out.value)
        if said is not None and not said.ok:
            return said._replace(message=_("on {what}: {0}").format(said.message, what=what))
    return None if right is None else Feedback(True, right)
