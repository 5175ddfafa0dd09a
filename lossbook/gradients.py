"""Analytic gradients of the losses with respect to their input, and a numerical check.

Each ``<loss>_grad`` takes exactly the arguments of ``<loss>`` and returns d loss / d input, an
array shaped like ``input``. For ``reduction="none"`` it returns the gradient of ``loss.sum()``,
which is what torch autograd gives after ``loss.sum().backward()``.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import (
    as_float_array,
    check_positive_number,
    classes_back,
    refuses_legacy_reduction,
    validate_binary,
    validate_binary_logits,
    validate_classification,
    validate_kl,
    validate_probs_target,
    validate_regression,
)
from .activations import sigmoid, softmax_given_max
from .losses import class_coefficients, mean_count, negate, reduce_grad

__all__ = [
    "mse_loss_grad",
    "l1_loss_grad",
    "huber_loss_grad",
    "cross_entropy_grad",
    "nll_loss_grad",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits_grad",
    "kl_div_grad",
    "cross_entropy_from_probs_grad",
    "numerical_gradient",
]


@refuses_legacy_reduction
def mse_loss_grad(input, target, *, reduction="mean"):
    """d mse_loss / d input = 2 (input - target) / n for "mean" (no 1/n for "sum" or "none").

    Examples
    --------
    >>> mse_loss_grad([1.0, 2.0], [0.0, 0.0])
    array([1., 2.])
    """
    x, t, _ = validate_regression(input, target, reduction, "mse_loss_grad")
    with np.errstate(over="ignore"):  # beyond the float range: inf, as in torch
        return reduce_grad(2 * (x - t), reduction, x.size)


@refuses_legacy_reduction
def l1_loss_grad(input, target, *, reduction="mean"):
    """d l1_loss / d input = sign(input - target) / n (0 where they are equal, as in torch).

    Examples
    --------
    >>> l1_loss_grad([1.0, -2.0], [0.0, 0.0])
    array([ 0.5, -0.5])
    """
    x, t, _ = validate_regression(input, target, reduction, "l1_loss_grad")
    with np.errstate(over="ignore"):  # x - t beyond the float range is still of its sign
        return reduce_grad(np.sign(x - t), reduction, x.size)


@refuses_legacy_reduction
def huber_loss_grad(input, target, *, reduction="mean", delta=1.0):
    """d huber_loss / d input: the residual inside [-delta, delta], delta * sign outside.

    Examples
    --------
    >>> huber_loss_grad([0.5, 3.0], [0.0, 0.0], reduction="sum")
    array([0.5, 1. ])
    """
    x, t, delta = validate_regression(input, target, reduction, "huber_loss_grad", delta=delta)
    with np.errstate(over="ignore"):  # beyond the float range: inf, clipped to delta below
        d = x - t
    return reduce_grad(np.clip(d, -delta, delta).astype(x.dtype, copy=False), reduction, x.size)


@refuses_legacy_reduction
def cross_entropy_grad(input, target, *, weight=None, ignore_index=-100, reduction="mean",
                       label_smoothing=0.0):
    """d cross_entropy / d logits. For one-hot targets: (softmax(z) - onehot(y)) / N.

    In general, with loss_i = -sum_c a_ic log softmax(z_i)_c, the gradient is
    softmax(z_i) * sum_c a_ic - a_i, divided by the "mean" denominator.

    Examples
    --------
    >>> cross_entropy_grad([[0.0, 0.0]], [1])
    array([[ 0.5, -0.5]])
    """
    z, t, counted, w, eps, m = validate_classification(
        input, target, weight=weight, ignore_index=ignore_index, reduction=reduction,
        label_smoothing=label_smoothing, func="cross_entropy_grad")
    z2 = z.reshape(-1, z.shape[-1])
    a = class_coefficients(t, counted, w, eps, z2.shape[1], z.dtype)
    grad = softmax_given_max(z2, m) * a.sum(axis=1, keepdims=True) - a
    grad = reduce_grad(grad, reduction, mean_count(t, counted, w, z.dtype)).reshape(z.shape)
    return classes_back(grad, z.ndim)


@refuses_legacy_reduction
def nll_loss_grad(input, target, *, weight=None, ignore_index=-100, reduction="mean"):
    """d nll_loss / d input: -w_y at each row's target class, 0 elsewhere (divided by sum w_y).

    Examples
    --------
    >>> nll_loss_grad([[-1.0, -0.5]], [1])
    array([[ 0., -1.]])
    """
    x, t, counted, w, _, _ = validate_classification(
        input, target, weight=weight, ignore_index=ignore_index, reduction=reduction,
        label_smoothing=0.0, func="nll_loss_grad", log_probs=True)
    a = class_coefficients(t, counted, w, 0.0, x.shape[-1], x.dtype)
    grad = negate(a)
    grad = reduce_grad(grad, reduction, mean_count(t, counted, w, x.dtype)).reshape(x.shape)
    return classes_back(grad, x.ndim)


@refuses_legacy_reduction
def binary_cross_entropy_grad(input, target, *, weight=None, reduction="mean"):
    """d binary_cross_entropy / d p = (p - t) / (p (1 - p)), times weight, / n for "mean".

    At p = 0 or 1 the loss takes 0 log 0 = 0, so its derivative -t/p + (1 - t)/(1 - p) drops the
    term whose coefficient is 0: -1 at p = t = 1, 1 at p = t = 0, and -inf or inf where the loss
    itself is infinite. This is exact; torch, which divides by max(p (1 - p), 1e-12), gives 0 at
    p = t = 1 and -1e12 at p = 0, t = 1.

    Examples
    --------
    >>> binary_cross_entropy_grad([0.5], [1.0])
    array([-2.])
    >>> binary_cross_entropy_grad([1.0, 0.0], [1.0, 0.0], reduction="sum")
    array([-1.,  1.])
    """
    p, t, w = validate_binary(input, target, weight, reduction, "binary_cross_entropy_grad")
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = (p - t) / (p * (1 - p))
        edge = np.where(t > 0, -t / p, 0) + np.where(t < 1, (1 - t) / (1 - p), 0)
    grad = np.where((p > 0) & (p < 1), inside, edge).astype(p.dtype, copy=False)
    if w is not None:
        grad = np.where(w > 0, grad, 0) * w  # weight 0 drops an element, even an infinite one
    return reduce_grad(grad, reduction, p.size)


@refuses_legacy_reduction
def binary_cross_entropy_with_logits_grad(input, target, *, weight=None, pos_weight=None,
                                          reduction="mean"):
    """d binary_cross_entropy_with_logits / d z = (1 - t) sigmoid(z) - pos_weight t sigmoid(-z).

    Without pos_weight this is sigmoid(z) - t.

    Examples
    --------
    >>> binary_cross_entropy_with_logits_grad([0.0], [1.0])
    array([-0.5])
    """
    z, t, w, pw = validate_binary_logits(input, target, weight, pos_weight, reduction,
                                         "binary_cross_entropy_with_logits_grad")
    grad = (1 - t) * sigmoid(z) - (1 if pw is None else pw) * t * sigmoid(-z)
    if w is not None:
        grad = grad * w
    return reduce_grad(np.broadcast_to(grad, z.shape).astype(z.dtype), reduction, z.size)


@refuses_legacy_reduction
def cross_entropy_from_probs_grad(probs, target, *, base=math.e, reduction="mean"):
    """d cross_entropy_from_probs / d p = -t / (p ln(base)), / N for "mean".

    Examples
    --------
    >>> cross_entropy_from_probs_grad([0.5, 0.5], [0, 1])
    array([ 0., -2.])
    """
    p, p2, t2, base = validate_probs_target(probs, target, base, reduction,
                                            "cross_entropy_from_probs_grad")
    with np.errstate(divide="ignore"):  # -t/0 = -inf where the loss itself is inf: exact
        grad = np.where(t2 > 0, -t2 / (np.where(t2 > 0, p2, 1) * math.log(base)), 0)
    return reduce_grad(grad, reduction, p2.shape[0]).reshape(p.shape)


@refuses_legacy_reduction
def kl_div_grad(input, target, *, reduction="mean", log_target=False):
    """d kl_div / d input = -target (-exp(target) with log_target), / N * C for "mean", / N for
    "batchmean".

    Examples
    --------
    >>> kl_div_grad(np.log([[0.25, 0.75]]), [[0.5, 0.5]], reduction="batchmean")
    array([[-0.5, -0.5]])
    """
    x, t, log_target = validate_kl(input, target, reduction, log_target, "kl_div_grad")
    grad = negate(np.exp(t) if log_target else t)
    return reduce_grad(grad, reduction)


def numerical_gradient(f, x, *, eps=1e-6):
    """Central-difference gradient of a scalar function: (f(x + eps e_i) - f(x - eps e_i)) / 2 eps.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a number.
    x : array-like
        Where to differentiate; computed in float64 (a copy; ``x`` is not modified).
    eps : float > 0
        The step. The error of a central difference is about ``eps**2 * f'''`` (truncation) plus
        1e-16 * abs(f) / eps (rounding), so 1e-6 is a good default in float64. A step so large that
        it crosses a jump of f (as accuracy has) measures the jump, not a slope.

    Returns
    -------
    numpy.ndarray
        An array shaped like ``x``.

    Examples
    --------
    >>> numerical_gradient(lambda v: float((v ** 2).sum()), [1.0, -3.0]).round(6)
    array([ 2., -6.])
    """
    if not callable(f):
        raise TypeError(
            f"numerical_gradient: f must be a function that takes an array and returns a number, "
            f"got {type(f).__name__}. Pass the function itself, e.g. lambda w: loss(w)."
        )
    eps = check_positive_number(eps, "eps", "numerical_gradient")
    x = as_float_array(x, "x", "numerical_gradient").astype(np.float64, copy=True)
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = _scalar_value(f(x), i, "+")
        flat[i] = old - eps
        down = _scalar_value(f(x), i, "-")
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad



def _scalar_value(value, i, sign):
    """f's value at flat position ``i`` moved by ``sign`` eps, as a finite float, or our error."""
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001 - e.g. a tensor that requires grad
        arr = np.asarray(None)
    if arr.shape != () or not np.issubdtype(arr.dtype, np.number) or arr.dtype.kind == "c":
        raise TypeError(
            f"numerical_gradient: f must return a single number (a scalar loss), but it returned "
            f"{type(value).__name__} with shape {arr.shape}. Reduce it first, e.g. with .sum() "
            "or reduction='mean'; a torch result becomes a number with .item()."
        )
    result = float(arr)
    if not math.isfinite(result):
        raise ValueError(
            f"numerical_gradient: f returned {result} at x with flat entry {i} moved by {sign}eps; "
            "a central difference needs finite values. Find where f overflows (exp of a large "
            "number?) or divides 0 by 0, or differentiate at another point."
        )
    return result
