"""Self-checks for the exercises of the mean squared error chapter.

Each check recomputes the right answer from the same inputs the exercise uses, compares the
learner's answer with it, and when they differ tries the usual mistakes one by one (a sum
instead of a mean, a forgotten square, the 1/2 factor, a broadcast (N, 1) against (N,), RMSE
instead of MSE, a gradient without its 2 or its 1/N) so the hint can name the one that was made.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._feedback import Verdict, is_close, report

__all__ = [
    "check_mse",
    "check_rmse",
    "check_mse_gradient",
    "check_line_gradient_step",
    "check_mse_function",
]

_NOT_ANSWERED = "you have not answered yet."


def _pair(y_pred, y) -> tuple[np.ndarray, np.ndarray]:
    """The exercise's inputs as float64 arrays of one shape (they come from the notebook)."""
    p = np.asarray(y_pred, dtype=np.float64)
    t = np.asarray(y, dtype=np.float64)
    if p.shape != t.shape:
        # The check itself is called with the exercise's arrays; compare like with like.
        p, t = p.reshape(-1), t.reshape(-1)
    return p, t


def _broadcast_mse(p: np.ndarray, t: np.ndarray) -> float:
    """What ``mean((p.reshape(-1, 1) - t) ** 2)`` gives: every prediction against every target."""
    return float(np.mean((p.reshape(-1, 1) - t.reshape(1, -1)) ** 2))


def _diagnose(answer, mistakes, *, rtol: float = 1e-6) -> tuple[str, str] | None:
    """The first (message, hint) whose wrong value ``answer`` matches, or None."""
    for value, message, hint in mistakes:
        if is_close(answer, value, rtol=rtol):
            return message, hint
    return None


def _fmt(value) -> str:
    return f"{float(value):.6g}"


def _to_array(answer) -> np.ndarray | None:
    """``answer`` as a float64 array, or None if it is not numbers (a string, a tensor that
    still requires grad, ...)."""
    try:
        return np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError, RuntimeError):
        return None


def _not_numbers(answer, what: str) -> Verdict:
    if type(answer).__name__ == "Tensor":
        return report(
            False,
            "got a torch tensor that still requires grad, so numpy cannot read it.",
            hint=".item() gives one number, .detach().numpy() an array.",
        )
    shown = repr(answer) if isinstance(answer, str) else f"a {type(answer).__name__}"
    return report(False, f"got {shown}; {what} is made of numbers.", hint="answer with numbers.")


def _scalar_or_report(answer, n: int, what: str) -> Verdict | None:
    """Report a missing or non-scalar answer; return None when ``answer`` is a usable scalar."""
    if answer is None:
        return report(False, _NOT_ANSWERED, hint=f"compute {what} and assign it to `answer`.")
    arr = _to_array(answer)
    if arr is None:
        return _not_numbers(answer, what)
    if arr.size != 1:
        return report(
            False,
            f"your answer has {arr.size} numbers; {what} is one number.",
            hint=(
                f"you kept one term per example ({n} examples), as reduction='none' does; "
                "reduce them with .mean() (or np.mean)."
                if arr.size == n
                else "reduce the squared errors to a single number with np.mean."
            ),
        )
    return None


def _describe(value) -> str:
    """A short, machine-independent description of what a learner's function returned."""
    try:
        return _fmt(value)
    except (TypeError, ValueError):
        return f"a {type(value).__name__}"


def _as_scalar(answer) -> float:
    return float(np.asarray(answer, dtype=np.float64).reshape(-1)[0])


def check_mse(answer, y_pred, y) -> Verdict:
    """Check a mean squared error computed from ``y_pred`` and ``y``.

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
    early = _scalar_or_report(answer, p.size, "the mean squared error")
    if early is not None:
        return early
    a = _as_scalar(answer)
    e = p - t
    mse = float(np.mean(e**2))
    if is_close(a, mse):
        return report(True, f"MSE = {_fmt(mse)}, the mean of the squared errors.")
    mistakes = [
        (float(np.sum(e**2)),
         f"{_fmt(a)} is the sum of the squared errors (SSE), not their mean.",
         f"divide by the number of examples ({p.size}): use np.mean, not np.sum, "
         "or reduction='mean'."),
        (np.sqrt(mse),
         f"{_fmt(a)} is the root mean squared error (RMSE), the square root of the MSE.",
         "MSE has no square root: stop at np.mean((y_pred - y) ** 2)."),
        (0.5 * mse,
         f"{_fmt(a)} is half the MSE: you put the 1/2 factor in front.",
         "some books define the loss as 1/2 * MSE for a tidier derivative; MSE itself "
         "(and torch's MSELoss) has no 1/2."),
        (float(np.mean(np.abs(e))),
         f"{_fmt(a)} is the mean absolute error (MAE): absolute values, not squares.",
         "square each error, (y_pred - y) ** 2, instead of taking np.abs."),
        (float(np.mean(e)),
         f"{_fmt(a)} is the mean of the errors: you forgot to square them.",
         "positive and negative errors cancel in a plain mean; square each error first."),
        (float(np.mean(e)) ** 2,
         f"{_fmt(a)} is the square of the mean error, not the mean of the squared errors.",
         "square each error first, then average: np.mean((y_pred - y) ** 2)."),
        (float(np.mean(p**2 - t**2)),
         f"{_fmt(a)} is mean(y_pred**2 - y**2): you squared before subtracting.",
         "subtract first, then square: (y_pred - y) ** 2."),
        (_broadcast_mse(p, t),
         f"{_fmt(a)} is what broadcasting gives when predictions of shape ({p.size}, 1) meet "
         f"targets of shape ({p.size},): every prediction against every target.",
         "make the shapes equal first, e.g. y_pred.reshape(-1) or y.reshape(-1, 1)."),
    ]
    found = _diagnose(a, mistakes)
    if found:
        return report(False, found[0], hint=found[1])
    return report(
        False,
        f"{_fmt(a)} is not the MSE of these predictions.",
        hint="subtract the targets from the predictions, square each difference, take the mean.",
    )


def check_rmse(answer, y_pred, y) -> Verdict:
    """Check a root mean squared error computed from ``y_pred`` and ``y``.

    Examples
    --------
    >>> check_rmse(3.5, [3.0, 4.0], [0.0, 0.0])
    Not yet: 3.5 is the mean absolute error (MAE), not the RMSE.
    Hint: RMSE = np.sqrt(np.mean((y_pred - y) ** 2)): square, average, then take the root.
    False
    """
    p, t = _pair(y_pred, y)
    early = _scalar_or_report(answer, p.size, "the root mean squared error")
    if early is not None:
        return early
    a = _as_scalar(answer)
    e = p - t
    mse = float(np.mean(e**2))
    rmse = float(np.sqrt(mse))
    if is_close(a, rmse):
        return report(
            True, f"RMSE = {_fmt(rmse)}, in the same units as the targets (MSE = {_fmt(mse)})."
        )
    mistakes = [
        (mse,
         f"{_fmt(a)} is the MSE: you forgot the square root.",
         "RMSE = np.sqrt(MSE); it is back in the units of the targets."),
        (float(np.sqrt(np.sum(e**2))),
         f"{_fmt(a)} is the square root of the sum of squared errors, not of their mean.",
         f"average the squared errors over the {p.size} examples before the square root."),
        (float(np.sqrt(np.sum(e**2))) / p.size,
         f"{_fmt(a)} divides the square root of the SSE by N: the 1/N must sit inside the root.",
         "RMSE = np.sqrt(np.sum(e ** 2) / N), not np.sqrt(np.sum(e ** 2)) / N."),
        (float(np.mean(np.abs(e))),
         f"{_fmt(a)} is the mean absolute error (MAE), not the RMSE.",
         "RMSE = np.sqrt(np.mean((y_pred - y) ** 2)): square, average, then take the root."),
        (float(np.sqrt(0.5 * mse)),
         f"{_fmt(a)} is the square root of half the MSE: drop the 1/2 factor.",
         "RMSE = np.sqrt(np.mean((y_pred - y) ** 2)), with no 1/2."),
        (float(np.sqrt(_broadcast_mse(p, t))),
         f"{_fmt(a)} comes from a broadcast: (N, 1) predictions against (N,) targets.",
         "make the shapes equal first, e.g. y_pred.reshape(-1)."),
    ]
    found = _diagnose(a, mistakes)
    if found:
        return report(False, found[0], hint=found[1])
    return report(
        False,
        f"{_fmt(a)} is not the RMSE of these predictions.",
        hint="RMSE = np.sqrt(np.mean((y_pred - y) ** 2)).",
    )


def check_mse_gradient(answer, y_pred, y) -> Verdict:
    """Check the gradient of the MSE with respect to the predictions.

    The expected answer is ``2 * (y_pred - y) / N``, one entry per prediction.

    Examples
    --------
    >>> check_mse_gradient([1.0, 2.0], [1.0, 2.0], [0.0, 0.0])
    Correct: dMSE/dy_pred = 2 * (y_pred - y) / N, one entry per prediction.
    True
    """
    p, t = _pair(y_pred, y)
    n = p.size
    if answer is None:
        return report(
            False, _NOT_ANSWERED, hint="compute one derivative per prediction and assign it."
        )
    a = _to_array(answer)
    if a is None:
        return _not_numbers(answer, "the gradient")
    e = p - t
    grad = 2 * e / n
    if a.size == 1 and n > 1:
        return report(
            False,
            f"you gave one number; the gradient has one entry per prediction ({n}).",
            hint="do not sum or average the gradient: keep 2 * (y_pred - y) / N element-wise.",
        )
    if a.size == n * n and n > 1:
        return report(
            False,
            f"your gradient has shape {a.shape}: a broadcast of (N, 1) against (N,).",
            hint="make y_pred and y the same shape before subtracting.",
        )
    if a.size == n and a.shape != p.shape:
        a = a.reshape(p.shape)
    if is_close(a, grad):
        return report(True, "dMSE/dy_pred = 2 * (y_pred - y) / N, one entry per prediction.")
    mistakes = [
        (e / n,
         "your gradient is half the right one: it is missing the 2 from the square.",
         "d/dx x**2 = 2x; the 2 cancels only if the loss has the 1/2 factor, and MSE has none."),
        (2 * e,
         "your gradient is N times too big: it is missing the 1/N of the mean.",
         f"that is the gradient of the sum (SSE); divide by N = {n}."),
        (e,
         "your gradient is missing both the 2 and the 1/N.",
         "differentiate (1/N) * sum((y_pred - y) ** 2) term by term: 2 * (y_pred - y) / N."),
        (-grad,
         "your gradient has the wrong sign.",
         "differentiate with respect to y_pred, not y: the derivative of (y_pred - y)**2 "
         "is +2 * (y_pred - y)."),
        (np.sign(e) / n,
         "that is the gradient of the mean absolute error, sign(y_pred - y) / N.",
         "the derivative of a square grows with the error: 2 * (y_pred - y) / N."),
        (2 * e / n**2,
         "your gradient is divided by N twice.",
         "the 1/N appears once, from the mean."),
    ]
    found = _diagnose(a, mistakes)
    if found:
        return report(False, found[0], hint=found[1])
    return report(
        False,
        "this is not the gradient of the MSE.",
        hint="dMSE/dy_pred_i = 2 * (y_pred_i - y_i) / N.",
    )


def check_line_gradient_step(answer, x, y, *, w: float, b: float, lr: float) -> Verdict:
    """Check one gradient-descent step on the MSE of the line ``y_pred = w * x + b``.

    Parameters
    ----------
    answer : tuple (w_new, b_new) or None
    x, y : array-like of shape (n,)
    w, b : float
        The parameters before the step.
    lr : float
        The learning rate.

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
    xs = np.asarray(x, dtype=np.float64).reshape(-1)
    ys = np.asarray(y, dtype=np.float64).reshape(-1)
    if answer is None:
        return report(False, _NOT_ANSWERED, hint="return the pair (w_new, b_new).")
    a = _to_array(answer)
    if a is None:
        return _not_numbers(answer, "the pair (w_new, b_new)")
    a = a.reshape(-1)
    if a.size != 2:
        return report(
            False,
            f"your answer has {a.size} numbers; expected the pair (w_new, b_new).",
            hint="return a tuple: (w - lr * dw, b - lr * db).",
        )

    def step(scale: float, *, sign: float = -1.0, use_x: bool = True):
        e = w * xs + b - ys
        g = scale * e
        dw = np.sum(g * xs) if use_x else np.sum(g)
        db = np.sum(g)
        return np.array([w + sign * lr * dw, b + sign * lr * db]), np.array([dw, db])

    n = xs.size
    right, grads = step(2 / n)
    if is_close(a, right):
        return report(
            True,
            f"w = {_fmt(right[0])}, b = {_fmt(right[1])} after one step "
            f"(dL/dw = {_fmt(grads[0])}, dL/db = {_fmt(grads[1])}).",
        )
    mistakes = [
        (right[::-1],
         "you returned (b_new, w_new): the order is (w_new, b_new).",
         "swap the two numbers."),
        (step(2 / n, sign=+1.0)[0],
         "you stepped uphill: w + lr * dw makes the loss larger.",
         "gradient descent subtracts: w - lr * dw."),
        (grads,
         "you returned the gradients (dL/dw, dL/db), not the new parameters.",
         "take the step: (w - lr * dw, b - lr * db)."),
        (step(1 / n)[0],
         "your step is half as long: the gradient is missing the 2 (or has the 1/2 factor).",
         "dMSE/dw = (2/N) * sum((w*x + b - y) * x)."),
        (step(2.0)[0],
         "your step is N times too long: that is the gradient of the sum (SSE).",
         f"divide the gradient by N = {n}."),
        (step(2 / n, use_x=False)[0],
         "your dL/dw is missing the factor x from the chain rule.",
         "y_pred = w * x + b, so d y_pred / dw = x: dL/dw = (2/N) * sum((y_pred - y) * x)."),
    ]
    found = _diagnose(a, mistakes)
    if found:
        return report(False, found[0], hint=found[1])
    if is_close(a[1], right[1]):
        return report(False, "b_new is right but w_new is not.", hint="check dL/dw.")
    if is_close(a[0], right[0]):
        return report(False, "w_new is right but b_new is not.", hint="check dL/db.")
    return report(
        False,
        "this is not one gradient-descent step on the MSE.",
        hint="e = w*x + b - y; dw = 2*mean(e*x); db = 2*mean(e); then (w - lr*dw, b - lr*db).",
    )


# Test cases for check_mse_function: (y_pred, y, what the case is about).
_FUNCTION_CASES = (
    (np.array([1.0, 2.0, 4.0]), np.array([0.0, 2.0, 1.0]), "three numbers"),
    (np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([[0.0, 1.0], [2.5, -1.0]]), "a (2, 2) batch"),
    (np.array([1.5, -2.0], dtype=np.float32), np.array([0.5, 1.0], dtype=np.float32), "float32"),
    ([3.0, -1.0], [1.0, 1.0], "Python lists"),
)


def check_mse_function(fn: Callable | None) -> Verdict:
    """Check a learner's ``mse(y_pred, y)``: right values, and a refusal of mismatched shapes.

    The function must return the mean squared error of two arrays (or lists) of one shape, and
    raise ``ValueError`` when the shapes differ, e.g. (N, 1) against (N,).

    Examples
    --------
    >>> def mse(y_pred, y):
    ...     y_pred, y = np.asarray(y_pred, dtype=float), np.asarray(y, dtype=float)
    ...     if y_pred.shape != y.shape:
    ...         raise ValueError(f"mse: shapes {y_pred.shape} and {y.shape} differ")
    ...     return float(np.mean((y_pred - y) ** 2))
    >>> check_mse_function(mse)
    Correct: right values on every test, and (3, 1) against (3,) is refused with:
    mse: shapes (3, 1) and (3,) differ
    True
    """
    if fn is None:
        return report(False, _NOT_ANSWERED, hint="define the function and pass it to the check.")
    if not callable(fn):
        return report(False, f"{fn!r} is not a function.", hint="pass the function itself.")
    for p, t, what in _FUNCTION_CASES:
        try:
            got = fn(p, t)
        except Exception as err:  # the learner's code may fail in any way; report, never raise
            return report(
                False,
                f"on {what}, your function raised {type(err).__name__}: {err}",
                hint="convert the inputs with np.asarray first, so lists work too.",
            )
        early = _scalar_or_report(got, np.size(p), "the MSE")
        if early is not None:
            return early
        if not _is_mse(got, p, t):
            print(f"(on {what}: y_pred = {np.asarray(p).tolist()}, y = {np.asarray(t).tolist()})")
            return check_mse(got, p, t)
    p, t = np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0])
    try:
        got = fn(p, t)
    except ValueError as err:
        if not str(err):
            return report(
                False,
                "your function raises ValueError for (3, 1) against (3,), but with no message.",
                hint="say what is wrong and how to fix it: quote both shapes.",
            )
        return report(
            True,
            "right values on every test, and (3, 1) against (3,) is refused with: " + str(err),
        )
    except Exception as err:  # the learner's code may fail in any way; report, never raise
        return report(
            False,
            f"for (3, 1) against (3,) your function raised {type(err).__name__}, "
            "not ValueError.",
            hint="compare the shapes first and raise ValueError with both shapes in the message.",
        )
    return report(
        False,
        f"for predictions of shape (3, 1) and targets of shape (3,) your function returned "
        f"{_describe(got)}; it should refuse them (the right MSE of these pairs is 0).",
        hint="broadcasting compared every prediction with every target. Compare "
        "y_pred.shape with y.shape and raise ValueError when they differ.",
    )


def _is_mse(answer, y_pred, y) -> bool:
    """Whether ``answer`` is the MSE of ``y_pred`` and ``y`` (no printing)."""
    p = np.asarray(y_pred, dtype=np.float64)
    t = np.asarray(y, dtype=np.float64)
    return is_close(answer, float(np.mean((p - t) ** 2)), rtol=1e-5)
