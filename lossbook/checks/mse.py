"""Self-checks for the exercises of the mean squared error chapter.

Each check builds its ``Problem`` (see ``lossbook.checks._judge``) from the exercise's inputs:
the right answer, and the usual mistakes (a sum instead of a mean, a forgotten square, the 1/2
factor, a broadcast (N, 1) against (N,), RMSE instead of MSE, a gradient without its 2 or its
1/N) so the hint can name the one that was made.
"""

from __future__ import annotations

import numpy as np

from .._i18n import N_, _
from ._answers import as_array, as_number, close, describe, fmt, read_answer
from ._judge import Feedback, Mistake, Problem
from ._registry import Case, call, check, check_function, example, run_cases

# Inputs of the examples below.
_Y_PRED = np.array([2.5, 0.0, 2.0, 8.0, 4.5])
_Y_TRUE = np.array([3.0, -0.5, 2.0, 7.0, 6.5])


def _pair(y_pred, y) -> tuple[np.ndarray, np.ndarray]:
    """The exercise's inputs as float64 arrays; of different shapes, both flattened."""
    p, t = as_array(y_pred, "y_pred"), as_array(y, "y")
    if p.shape != t.shape:
        if p.size != t.size:
            raise ValueError(f"y_pred has {p.size} values but y has {t.size}")
        p, t = p.reshape(-1), t.reshape(-1)
    if p.size == 0:
        raise ValueError("y_pred and y are empty")
    return p, t


def _broadcast_mse(p: np.ndarray, t: np.ndarray) -> float:
    """What ``mean((p.reshape(-1, 1) - t) ** 2)`` gives: every prediction against every target."""
    return float(np.mean((p.reshape(-1, 1) - t.reshape(1, -1)) ** 2))


@check(examples=[example(_Y_PRED, _Y_TRUE), example([1.0, -2.0, 0.5], [0.5, 1.0, 2.5])])
def check_mse(answer, y_pred, y) -> Problem:
    """Check a mean squared error.

    Parameters
    ----------
    answer : float or None
        The learner's MSE.
    y_pred, y : array-like of shape (n,)
        The predictions and targets the exercise gives.

    Returns
    -------
    Verdict
        True (like a bool) when ``answer`` equals ``mean((y_pred - y) ** 2)``.

    Examples
    --------
    >>> check_mse(2.5, [1.0, 2.0], [0.0, 0.0])
    Correct: MSE = 2.5, the mean of the squared errors.
    True
    >>> check_mse(5.0, [1.0, 2.0], [0.0, 0.0])
    Not yet: 5 is the sum of the squared errors (SSE), not their mean.
    Hint: divide by the number of examples (2): use np.mean, not np.sum, or reduction='mean'.
    False
    """
    p, t = _pair(y_pred, y)
    e = p - t
    mse = float(np.mean(e**2))
    n = p.size
    return Problem(
        right=mse,
        what=_("the MSE"),
        rtol=1e-6,
        correct=_("MSE = {0}, the mean of the squared errors.").format(fmt(mse)),
        idea=_("revisit what the MSE averages: one squared error per example."),
        recipe=_("subtract the targets from the predictions, square each difference, take the mean."),
        shape_hint=_("the MSE is one number: reduce the squared errors with np.mean."),
        mistakes=[
            Mistake(
                float(np.sum(e**2)),
                _("{0} is the sum of the squared errors (SSE), not their mean.").format(fmt(np.sum(e**2))),
                _(
                    "divide by the number of examples ({n}): use np.mean, not np.sum, or reduction='mean'."
                ).format(n=n),
            ),
            Mistake(
                np.sqrt(mse),
                _("{0} is the root mean squared error (RMSE), the square root of the MSE.").format(
                    fmt(np.sqrt(mse))
                ),
                _("MSE has no square root: stop at np.mean((y_pred - y) ** 2)."),
            ),
            Mistake(
                0.5 * mse,
                _("{0} is half the MSE: you put the 1/2 factor in front.").format(fmt(0.5 * mse)),
                _(
                    "some books define the loss as 1/2 * MSE for a tidier derivative; MSE itself (and "
                    "torch's MSELoss) has no 1/2."
                ),
            ),
            Mistake(
                float(np.mean(np.abs(e))),
                _("{0} is the mean absolute error (MAE): absolute values, not squares.").format(
                    fmt(np.mean(np.abs(e)))
                ),
                _("square each error, (y_pred - y) ** 2, instead of taking np.abs."),
            ),
            Mistake(
                float(np.mean(e)),
                _("{0} is the mean of the errors: you forgot to square them.").format(fmt(np.mean(e))),
                _("positive and negative errors cancel in a plain mean; square each error first."),
            ),
            Mistake(
                float(np.mean(e)) ** 2,
                _("{0} is the square of the mean error, not the mean of the squared errors.").format(
                    fmt(np.mean(e) ** 2)
                ),
                _("square each error first, then average: np.mean((y_pred - y) ** 2)."),
            ),
            Mistake(
                float(np.mean(p**2 - t**2)),
                _("{0} is mean(y_pred**2 - y**2): you squared before subtracting.").format(
                    fmt(np.mean(p**2 - t**2))
                ),
                _("subtract first, then square: (y_pred - y) ** 2."),
            ),
            Mistake(
                _broadcast_mse(p, t),
                _(
                    "{0} is what broadcasting gives when predictions of shape ({n}, 1) meet targets "
                    "of shape ({n},): every prediction against every target."
                ).format(fmt(_broadcast_mse(p, t)), n=n),
                _("make the shapes equal first, e.g. y_pred.reshape(-1) or y.reshape(-1, 1)."),
            ),
            Mistake(
                e**2 if n > 1 else None,
                _("you kept one squared error per example, as reduction='none' does."),
                _("reduce them to one number with .mean() (or np.mean)."),
            ),
        ],
    )


@check(
    examples=[
        example(np.array([[12.0], [15.5], [9.0], [20.0], [14.0]]), np.array([10.0, 16.0, 10.5, 17.0, 14.5])),
        example(_Y_PRED, _Y_TRUE),
    ]
)
def check_rmse(answer, y_pred, y) -> Problem:
    """Check a root mean squared error.

    Examples
    --------
    >>> check_rmse(3.5, [3.0, 4.0], [0.0, 0.0])
    Not yet: 3.5 is the mean absolute error (MAE), not the RMSE.
    Hint: RMSE = np.sqrt(np.mean((y_pred - y) ** 2)): square, average, then take the root.
    False
    """
    p, t = _pair(y_pred, y)
    e = p - t
    n = p.size
    mse = float(np.mean(e**2))
    rmse = float(np.sqrt(mse))
    root_sse = float(np.sqrt(np.sum(e**2)))
    return Problem(
        right=rmse,
        what=_("the RMSE"),
        rtol=1e-6,
        correct=_("RMSE = {0}, in the same units as the targets (MSE = {1}).").format(fmt(rmse), fmt(mse)),
        idea=_("revisit the order of the RMSE's three steps, and the shapes of y_pred and y."),
        recipe=_("RMSE = np.sqrt(np.mean((y_pred - y) ** 2))."),
        shape_hint=_("the RMSE is one number: average the squared errors, then take the root."),
        mistakes=[
            Mistake(
                mse,
                _("{0} is the MSE: you forgot the square root.").format(fmt(mse)),
                _("RMSE = np.sqrt(MSE); it is back in the units of the targets."),
            ),
            Mistake(
                root_sse,
                _("{0} is the square root of the sum of squared errors, not of their mean.").format(
                    fmt(root_sse)
                ),
                _("average the squared errors over the {n} examples before the square root.").format(n=n),
            ),
            Mistake(
                root_sse / n,
                _("{0} divides the square root of the SSE by N: the 1/N must sit inside the root.").format(
                    fmt(root_sse / n)
                ),
                _("RMSE = np.sqrt(np.sum(e ** 2) / N), not np.sqrt(np.sum(e ** 2)) / N."),
            ),
            Mistake(
                float(np.mean(np.abs(e))),
                _("{0} is the mean absolute error (MAE), not the RMSE.").format(fmt(np.mean(np.abs(e)))),
                _("RMSE = np.sqrt(np.mean((y_pred - y) ** 2)): square, average, then take the root."),
            ),
            Mistake(
                float(np.sqrt(0.5 * mse)),
                _("{0} is the square root of half the MSE: drop the 1/2 factor.").format(
                    fmt(np.sqrt(0.5 * mse))
                ),
                _("RMSE = np.sqrt(np.mean((y_pred - y) ** 2)), with no 1/2."),
            ),
            Mistake(
                float(np.sqrt(_broadcast_mse(p, t))),
                _("{0} comes from a broadcast: (N, 1) predictions against (N,) targets.").format(
                    fmt(np.sqrt(_broadcast_mse(p, t)))
                ),
                _("make the shapes equal first, e.g. y_pred.reshape(-1)."),
            ),
        ],
    )


@check(
    examples=[
        example(_Y_PRED, _Y_TRUE),
        example([[1.0, -2.0], [0.5, 3.0]], [[0.5, 1.0], [2.5, 1.0]]),
    ]
)
def check_mse_gradient(answer, y_pred, y) -> Problem:
    """Check the gradient of the MSE with respect to the predictions.

    The expected answer is ``2 * (y_pred - y) / N``, one entry per prediction, in the shape of
    ``y_pred``.

    Examples
    --------
    >>> check_mse_gradient([1.0, 2.0], [1.0, 2.0], [0.0, 0.0])
    Correct: dMSE/dy_pred = 2 * (y_pred - y) / N, one entry per prediction.
    True
    >>> check_mse_gradient([[1.0], [2.0]], [1.0, 2.0], [0.0, 0.0])
    Not yet: your answer has the right numbers but shape (2, 1); the answer has shape (2,).
    Hint: drop the extra axis of size 1 (.reshape(2,) or .squeeze()); a (N, 1) column
          meeting an (N,) row broadcasts, so check the shapes where you computed it.
    False
    """
    p, t = as_array(y_pred, "y_pred"), as_array(y, "y")
    if p.shape != t.shape or p.size == 0:
        raise ValueError(
            f"y_pred has shape {p.shape} and y has shape {t.shape}; the exercise "
            "gives two non-empty arrays of one shape"
        )
    n = p.size
    e = p - t
    grad = 2 * e / n
    return Problem(
        right=grad,
        what=_("the gradient"),
        rtol=1e-6,
        correct=_("dMSE/dy_pred = 2 * (y_pred - y) / N, one entry per prediction."),
        idea=_("revisit the derivative of a square and of a mean: one entry per prediction."),
        recipe=_("dMSE/dy_pred_i = 2 * (y_pred_i - y_i) / N."),
        shape_hint=_(
            "the gradient has one entry per prediction, shape {0}: do not sum or average it, "
            "and give y_pred and y the same shape before subtracting."
        ).format(p.shape),
        mistakes=[
            Mistake(
                e / n,
                _("your gradient is half the right one: it is missing the 2 from the square."),
                _("d/dx x**2 = 2x; the 2 cancels only if the loss has the 1/2 factor, and MSE has none."),
            ),
            Mistake(
                2 * e,
                _("your gradient is N times too big: it is missing the 1/N of the mean."),
                _("that is the gradient of the sum (SSE); divide by N = {n}.").format(n=n),
            ),
            Mistake(
                e,
                _("your gradient is missing both the 2 and the 1/N."),
                _("differentiate (1/N) * sum((y_pred - y) ** 2) term by term: 2 * (y_pred - y) / N."),
            ),
            Mistake(
                -grad,
                _("your gradient has the wrong sign."),
                _(
                    "differentiate with respect to y_pred, not y: the derivative of (y_pred - y)**2 "
                    "is +2 * (y_pred - y)."
                ),
            ),
            Mistake(
                np.sign(e) / n,
                _("that is the gradient of the mean absolute error, sign(y_pred - y) / N."),
                _("the derivative of a square grows with the error: 2 * (y_pred - y) / N."),
            ),
            Mistake(
                2 * e / n**2,
                _("your gradient is divided by N twice."),
                _("the 1/N appears once, from the mean."),
            ),
            Mistake(
                2 * (p.reshape(-1, 1) - t.reshape(1, -1)) / n if p.ndim == 1 and n > 1 else None,
                _("your gradient has shape ({n}, {n}): a broadcast of (N, 1) against (N,).").format(n=n),
                _("make y_pred and y the same shape before subtracting."),
            ),
        ],
    )


@check(examples=[example([0.0, 1.0, 2.0, 3.0], [1.0, 2.5, 5.5, 7.0], w=0.5, b=0.0, lr=0.05)])
def check_line_gradient_step(answer, x, y, *, w: float, b: float, lr: float) -> Problem:
    """Check one gradient-descent step on the MSE of the line ``y_pred = w * x + b``.

    The answer is the pair ``(w_new, b_new)``.

    Examples
    --------
    >>> check_line_gradient_step((0.5, -0.5), [1.0], [0.0], w=2.0, b=1.0, lr=0.25)
    Correct: w = 0.5, b = -0.5 after one step (dL/dw = 6, dL/db = 6).
    True
    >>> check_line_gradient_step((1.25, 0.25), [1.0], [0.0], w=2.0, b=1.0, lr=0.25)
    Not yet: your step is half as long: the gradient is missing the 2 (or has the 1/2 factor).
    Hint: dMSE/dw = (2/N) * sum((w*x + b - y) * x).
    False
    """
    xs, ys = _pair(x, y)
    w, b, lr = as_number(w, "w"), as_number(b, "b"), as_number(lr, "lr")
    n = xs.size

    def step(scale: float, *, sign: float = -1.0, use_x: bool = True):
        g = scale * (w * xs + b - ys)
        dw = np.sum(g * xs) if use_x else np.sum(g)
        db = np.sum(g)
        return np.array([w + sign * lr * dw, b + sign * lr * db]), np.array([dw, db])

    right, grads = step(2 / n)

    def half_right(a: np.ndarray):
        if close(a[1:], right[1:], 1e-6, 1e-12):
            return _("b_new is right but w_new is not."), _("check dL/dw, then the step w - lr * dL/dw.")
        if close(a[:1], right[:1], 1e-6, 1e-12):
            return _("w_new is right but b_new is not."), _("check dL/db, then the step b - lr * dL/db.")
        return None

    # b's gradient taken after w moved: the update of w used before b's gradient is computed.
    w_first = w - lr * grads[0]
    b_after = b - lr * 2 / n * np.sum(w_first * xs + b - ys)

    return Problem(
        right=right,
        what=_("the pair (w_new, b_new)"),
        rtol=1e-6,
        diagnose=half_right,
        correct=_("w = {0}, b = {1} after one step (dL/dw = {2}, dL/db = {3}).").format(
            fmt(right[0]), fmt(right[1]), fmt(grads[0]), fmt(grads[1])
        ),
        idea=_(
            "revisit one step of gradient descent: both gradients at the old (w, b), then one update of "
            "each."
        ),
        recipe=_("e = w*x + b - y; dw = 2*mean(e*x); db = 2*mean(e); then (w - lr*dw, b - lr*db)."),
        shape_hint=_("return a tuple of two numbers: (w - lr * dw, b - lr * db)."),
        mistakes=[
            Mistake(
                right[::-1],
                _("you returned (b_new, w_new): the order is (w_new, b_new)."),
                _("swap the two numbers."),
            ),
            Mistake(
                step(2 / n, sign=+1.0)[0],
                _("you stepped uphill: w + lr * dw makes the loss larger."),
                _("gradient descent subtracts: w - lr * dw."),
            ),
            Mistake(
                right - np.array([w, b]),
                _("you returned the step (-lr * dL/dw, -lr * dL/db), not the new parameters."),
                _("add the step to the current values: (w + step_w, b + step_b)."),
            ),
            Mistake(
                (w_first, b_after),
                _("b's gradient used the updated w: both gradients belong to the old (w, b)."),
                _("compute dL/dw and dL/db first, from the same residuals, then update w and b."),
            ),
            Mistake(
                np.array([w, b]) - grads if lr != 1 else None,
                _("your step has no learning rate: you subtracted the whole gradient."),
                _("multiply the gradient by lr before subtracting it."),
            ),
            Mistake(
                grads,
                _("you returned the gradients (dL/dw, dL/db), not the new parameters."),
                _("take the step: (w - lr * dw, b - lr * db)."),
            ),
            Mistake(
                step(1 / n)[0],
                _("your step is half as long: the gradient is missing the 2 (or has the 1/2 factor)."),
                _("dMSE/dw = (2/N) * sum((w*x + b - y) * x)."),
            ),
            Mistake(
                step(2.0)[0],
                _("your step is N times too long: that is the gradient of the sum (SSE)."),
                _("divide the gradient by N = {n}.").format(n=n),
            ),
            Mistake(
                step(2 / n, use_x=False)[0],
                _("your dL/dw is missing the factor x from the chain rule."),
                _("y_pred = w * x + b, so d y_pred / dw = x: dL/dw = (2/N) * sum((y_pred - y) * x)."),
            ),
        ],
    )


# The cases of check_mse_function: the inputs, and what they are about.
_MSE_CASES = (
    Case((np.array([1.0, 2.0, 4.0]), np.array([0.0, 2.0, 1.0])), N_("three numbers")),
    Case((np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([[0.0, 1.0], [2.5, -1.0]])), N_("a (2, 2) batch")),
    Case((np.array([1.5, -2.0], np.float32), np.array([0.5, 1.0], np.float32)), N_("float32 arrays")),
    Case(([3.0, -1.0], [1.0, 1.0]), N_("Python lists")),
)
# Predictions (3, 1) against targets (3,): the function must refuse them.
_COLUMN, _ROW = np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0])


def _reference_mse(y_pred, y):
    """A right answer to the exercise, for the tests."""
    y_pred, y = np.asarray(y_pred, dtype=float), np.asarray(y, dtype=float)
    if y_pred.shape != y.shape:
        raise ValueError(f"mse: y_pred has shape {y_pred.shape} but y has shape {y.shape}")
    return float(np.mean((y_pred - y) ** 2))


def _judge_mse_case(case: Case, value) -> Feedback:
    """What the learner's function returned on one case, against check_mse's table."""
    said = check_mse.problem(*case.args).judge_value(value)
    if said.ok and not isinstance(value, float):
        return Feedback(
            False,
            _("your function returned {0}, not a Python float.").format(describe(value)),
            _("end it with return float(...), so the MSE is one plain number."),
        )
    shown = _("y_pred = {0}, y = {1}").format(*(np.asarray(a).tolist() for a in case.args))
    return said._replace(message=_("{0} ({shown})").format(said.message, shown=shown))


def _names_both_shapes(message: str) -> bool:
    return any(c in message for c in ("(3, 1)", "[3, 1]")) and any(r in message for r in ("(3,)", "[3]"))


@check_function(
    idea=N_("revisit the two jobs of the exercise's function: the mean of the squared errors, and refusing "
            "inputs of different shapes."),
    recipe=N_("convert both inputs with np.asarray, raise ValueError naming both shapes when they differ, "
              "then return float(np.mean((y_pred - y) ** 2))."),
    reference=_reference_mse,
    examples=[example()],
)
def check_mse_function(answer) -> Feedback:
    """Check a learner's ``mse(y_pred, y)``: right values, and a refusal of mismatched shapes.

    The function must return the mean squared error of two arrays (or lists) of one shape as a
    Python float, and raise ``ValueError`` naming both shapes when they differ, e.g. (N, 1)
    against (N,).

    Examples
    --------
    >>> def mse(y_pred, y):
    ...     y_pred, y = np.asarray(y_pred, dtype=float), np.asarray(y, dtype=float)
    ...     if y_pred.shape != y.shape:
    ...         raise ValueError(f"mse: shapes {y_pred.shape} and {y.shape} differ")
    ...     return float(np.mean((y_pred - y) ** 2))
    >>> check_mse_function(mse)
    Correct: right values on every test, and (3, 1) against (3,) is refused with: mse: shapes
             (3, 1) and (3,) differ
    True
    """
    failed = run_cases(answer, _MSE_CASES, _judge_mse_case)
    if failed is not None:
        return failed
    out = call(answer, _COLUMN, _ROW)
    if isinstance(out.error, ValueError):
        if not _names_both_shapes(str(out.error)):
            return Feedback(
                False,
                _("your function raises ValueError for (3, 1) against (3,), but its message does not "
                  "name both shapes: {0!r}.").format(str(out.error)),
                _("put both shapes in the message, e.g. with y_pred.shape and y.shape in an f-string."),
            )
        return Feedback(
            True,
            _("right values on every test, and (3, 1) against (3,) is refused with: {0}").format(out.error),
        )
    if out.error is not None:
        return Feedback(
            False,
            _("for (3, 1) against (3,) your function {0}, not ValueError.").format(out.says()),
            _("compare the shapes first and raise ValueError with both shapes in the message."),
        )
    got, _unread = read_answer(out.value)
    flattened = got is not None and got.size == 1 and float(got.reshape(())) == 0.0
    return Feedback(
        False,
        _("for predictions of shape (3, 1) and targets of shape (3,) your function returned {0}; "
          "it should refuse them with ValueError.").format(fmt(out.value)),
        _("your function flattens or reshapes the inputs, so a shape mistake passes unseen: compare "
          "y_pred.shape with y.shape and raise ValueError when they differ.")
        if flattened
        else _("broadcasting compared every prediction with every target. Compare y_pred.shape with "
               "y.shape and raise ValueError when they differ."),
    )
