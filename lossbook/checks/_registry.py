"""The registry of the checks: the engine's third seam, and how to write a check.

A new check in a topic module: the one registration, with the examples beside it, and every
sentence a learner reads in ``_()`` (``lossbook/locale/README.md``)::

    @check(examples=[example([0.25, 0.75], [0.0, 1.0])])
    def check_cross_entropy_nats(probs, target) -> Problem:
        '''Check a cross-entropy in nats.

        Parameters
        ----------
        answer : float or None
            The learner's value (every check takes it first).
        probs, target : array-like
        '''
        p, t = as_array(probs, "probs"), as_array(target, "target")
        nats = -np.sum(t * np.log(p))
        return Problem(right=nats, what=_("the cross-entropy in nats"), mistakes=[
            Mistake(nats / np.log(10), _("that is the base-10 logarithm."), _("use np.log.")),
            Mistake(-nats, _("the sign is flipped."), _("cross-entropy is minus the sum.")),
        ])

The decorator gives the check the signature ``check_cross_entropy_nats(answer, probs, target)``;
``check_cross_entropy_nats.problem(probs, target)`` gives the table without printing, and the
tests feed every mistake of every check, for each of its examples, and expect its message. A
check whose answer is a function (the learner's own ``mse``) is a test on the same tables::

    @check_function(reference=right_mse, examples=[example()], recipe=N_("define mse(y_pred, y)."))
    def check_mse_function(fn) -> Feedback:
        out = call(fn, [1.0, 2.0], [0.0, 0.0])  # never raises: out.value or out.error
        if out.error is not None:
            return Feedback(False, _("your function {0}").format(out.says()), None)
        return check_mse.problem([1.0, 2.0], [0.0, 0.0]).assess(out.value)

It still prints one verdict and never raises; ``reference`` is a right answer for the tests.
"""

from __future__ import annotations

import copy
import functools
import inspect
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._answers import _describe, _quiet
from ._judge import NOT_ANSWERED, Feedback, Problem
from ._voice import N_, Verdict, _, report

__all__ = ["check", "check_function", "example", "Example", "CHECKS", "call", "Outcome"]


FUNCTION_NUDGE = N_("replace None with your function (without ()); the check says what is wrong.")


class Example(NamedTuple):
    """Inputs of a check for the tests: ``check(answer, *args, **kwargs)``."""

    args: tuple
    kwargs: dict


def example(*args, **kwargs) -> Example:
    """The inputs a check is called with after the answer, for a module's ``EXAMPLES``."""
    return Example(args, kwargs)


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


def check(*, examples: Sequence[Example]) -> Callable[[Callable[..., Problem]], Callable[..., Verdict]]:
    """Register ``build(*inputs) -> Problem`` as the check ``name(answer, *inputs) -> Verdict``.

    The one registration of a check: ``examples`` (inputs made with :func:`example`, at least
    one) sit beside it, and the tests feed every mistake of its table for each of them. The
    check prints one verdict and never raises, whatever the answer or the inputs are;
    ``name.problem(*inputs)`` is ``build`` itself, for tests that read the table.
    """
    return functools.partial(_check, examples=_examples(examples))


def _check(build: Callable[..., Problem], *, examples) -> Callable[..., Verdict]:

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

    return _register(run, build, "problem", examples)


def check_function(
    *,
    reference: Callable,
    examples: Sequence[Example],
    recipe: str = N_("define the function, then pass it (without ())."),
):
    """Register ``test(fn, *inputs) -> Feedback`` as a check whose answer is the learner's function.

    A missing answer (a neutral nudge), something that is not a function, and any error while
    testing it (the learner's code may fail in any way) become "Not yet", never an exception;
    ``recipe`` is the hint after a wrong function whose test gave none. ``reference``, a right
    answer, is kept as ``check.reference`` and ``examples`` as ``check.examples`` for the tests.
    """
    return functools.partial(
        _check_function, recipe=recipe, reference=reference, examples=_examples(examples)
    )


def _examples(examples) -> tuple[Example, ...]:
    examples = tuple(examples)
    if not examples or not all(isinstance(e, Example) for e in examples):
        raise TypeError("a check needs examples=[example(...), ...]: at least one, made with example()")
    return examples


def _check_function(test, *, recipe, reference, examples):
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
    return _register(run, test, "test", examples)


def _split_answer(args, kwargs):
    if "answer" in kwargs:
        return kwargs.pop("answer"), args
    return (args[0], args[1:]) if args else (None, args)


def _register(run, inner, attr, examples):
    """Give ``run`` the signature a learner calls: ``answer`` first (the value, or the learner's
    function for a function check), then the exercise's inputs; and list it in ``CHECKS``."""
    params = list(inspect.signature(inner).parameters.values())
    if attr == "test":  # the learner's function is the answer
        params = params[1:]
    params.insert(0, inspect.Parameter("answer", inspect.Parameter.POSITIONAL_OR_KEYWORD))
    run.__signature__ = inspect.Signature(params, return_annotation=Verdict)
    setattr(run, attr, inner)
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
        with _quiet():
            return Outcome(fn(*args), None)
    except Exception as err:  # noqa: BLE001 - the learner's code may fail in any way
        return Outcome(None, err)
