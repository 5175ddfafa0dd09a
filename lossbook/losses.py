"""Loss functions with the semantics of ``torch.nn.functional``, in plain numpy.

Prediction first, target second, options keyword-only. Scalar reductions return a Python float;
``reduction="none"`` returns an array. float32 input is computed in float32, float64 in float64.
Every function refuses bad input with a message that says what is wrong and how to fix it.
"""

from __future__ import annotations

import numpy as np

from ._classification import cross_entropy, cross_entropy_from_probs, nll_loss
from ._validation import reduce, validate_binary, validate_binary_logits, validate_kl, validate_regression

__all__ = [
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "kl_div",
    "cross_entropy_from_probs",
]


# --------------------------------------------------------------------------- regression


def mse_loss(input, target, *, reduction="mean"):
    """Mean squared error between predictions and targets, like ``torch.nn.functional.mse_loss``.

    Parameters
    ----------
    input : array-like of shape (n,) or (n, d)
        Predictions.
    target : array-like, same shape as ``input``
        True values. Shapes must match exactly: (n, 1) against (n,) is refused, because
        broadcasting would silently compare every prediction with every target.
    reduction : {"mean", "sum", "none"}
        "mean" divides the sum of squared errors by the number of elements, "sum" does not
        (that is the SSE), "none" keeps one squared error per element.

    Returns
    -------
    float or numpy.ndarray
        A float for "mean" and "sum", an array shaped like ``input`` for "none".

    Notes
    -----
    ``MSE = (1/n) * sum_i (input_i - target_i)**2``. There is no factor 1/2.

    Examples
    --------
    >>> mse_loss([1.0, 2.0], [0.0, 0.0])
    2.5
    >>> mse_loss([1.0, 2.0], [0.0, 0.0], reduction="sum")
    5.0
    """
    input, target, _ = validate_regression(input, target, reduction, "mse_loss")
    with np.errstate(over="ignore"):  # beyond the float range: inf, as in torch
        diff = input - target
        return reduce(diff * diff, reduction)


def l1_loss(input, target, *, reduction="mean"):
    """Mean absolute error, like ``torch.nn.functional.l1_loss``.

    Parameters
    ----------
    input, target : array-like of the same shape
        Predictions and true values.
    reduction : {"mean", "sum", "none"}

    Examples
    --------
    >>> l1_loss([1.0, -2.0], [0.0, 0.0])
    1.5
    """
    input, target, _ = validate_regression(input, target, reduction, "l1_loss")
    with np.errstate(over="ignore"):  # beyond the float range: inf, as in torch
        return reduce(np.abs(input - target), reduction)


def huber_loss(input, target, *, reduction="mean", delta=1.0):
    """Huber loss, like ``torch.nn.functional.huber_loss``: squared near zero, linear far away.

    Parameters
    ----------
    input, target : array-like of the same shape
    reduction : {"mean", "sum", "none"}
    delta : float > 0
        Where the loss switches from ``0.5 * d**2`` to ``delta * (abs(d) - 0.5 * delta)``.

    Examples
    --------
    >>> huber_loss([0.5, 3.0], [0.0, 0.0], reduction="none")
    array([0.125, 2.5  ])
    """
    input, target, delta = validate_regression(input, target, reduction, "huber_loss", delta=delta)
    with np.errstate(over="ignore"):  # beyond the float range: inf, as in torch
        a = np.abs(input - target)
        loss = np.where(a < delta, 0.5 * a * a, delta * (a - 0.5 * delta)).astype(input.dtype,
                                                                                    copy=False)
    return reduce(loss, reduction)


# --------------------------------------------------------------------------- binary


def binary_cross_entropy(input, target, *, weight=None, reduction="mean"):
    """Binary cross-entropy of probabilities, like ``torch.nn.functional.binary_cross_entropy``.

    Parameters
    ----------
    input : array-like
        Probabilities in [0, 1] (after a sigmoid). Values outside [0, 1] are refused.
    target : array-like, same shape
        Targets in [0, 1].
    weight : array-like, optional
        Broadcastable to the input's shape; multiplies each element's loss. "mean" still divides
        by the number of elements.
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    loss = -(t * log(p) + (1 - t) * log(1 - p)), with 0 * log(0) taken as 0. The result is exact:
    torch clamps each log at -100, so where p is 0 and t is 1 torch returns 100 and we return inf,
    and for p below about 4e-44 torch's value is capped. Prefer
    :func:`binary_cross_entropy_with_logits`, which never needs the clamp.

    Examples
    --------
    >>> round(binary_cross_entropy([0.5], [1.0]), 4)
    0.6931
    """
    p, t, w = validate_binary(input, target, weight, reduction, "binary_cross_entropy")
    with np.errstate(divide="ignore"):
        pos = np.where(t > 0, t * np.log(np.where(t > 0, p, 1)), 0)
        neg = np.where(t < 1, (1 - t) * np.log1p(-np.where(t < 1, p, 0)), 0)
    loss = -(pos + neg)
    if w is not None:
        loss = np.where(w > 0, loss, 0) * w  # weight 0 drops an element, even an infinite one
    return reduce(loss.astype(p.dtype, copy=False), reduction)


def _softplus(x):
    """log(1 + exp(x)) without overflow or loss of precision."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def binary_cross_entropy_with_logits(input, target, *, weight=None, pos_weight=None,
                                     reduction="mean"):
    """Binary cross-entropy on logits, like ``torch.nn.functional.binary_cross_entropy_with_logits``.

    Parameters
    ----------
    input : array-like
        Logits (any finite real numbers); the sigmoid is applied inside, stably.
    target : array-like, same shape
        Targets in [0, 1].
    weight : array-like, optional
        Broadcastable to the input's shape; multiplies each element's loss.
    pos_weight : array-like, optional
        Weight of the positive term, broadcastable to the input (usually shape (C,)): values
        above 1 raise recall, e.g. n_negative / n_positive for an imbalanced class.
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    loss = pos_weight * t * softplus(-z) + (1 - t) * softplus(z), with
    softplus(x) = max(x, 0) + log1p(exp(-abs(x))). This is exact to the last bit even where torch's
    form, log(exp(-m) + exp(-z - m)), rounds a tiny loss (abs(z) above about 37) to 0.

    Examples
    --------
    >>> round(binary_cross_entropy_with_logits([0.0], [1.0]), 4)
    0.6931
    """
    z, t, w, pw = validate_binary_logits(input, target, weight, pos_weight, reduction,
                                         "binary_cross_entropy_with_logits")
    loss = (1 - t) * _softplus(z)
    pos = t * _softplus(-z)
    loss = loss + (pos if pw is None else pos * pw)
    if w is not None:
        loss = loss * w
    return reduce(loss.astype(z.dtype, copy=False), reduction)


# --------------------------------------------------------------------------- divergence


def kl_div(input, target, *, reduction="mean", log_target=False):
    """Kullback-Leibler divergence D_KL(target || exp(input)), like ``torch.nn.functional.kl_div``.

    Note the order: ``input`` is the model's *log*-probabilities log q, ``target`` the reference
    distribution t, and the result is sum t * (log t - log q).

    Parameters
    ----------
    input : array-like
        Log-probabilities, e.g. ``log_softmax(logits)``: every entry <= 0 (-inf for probability 0).
        Positive entries are refused (probabilities or logits passed by mistake); torch accepts them.
    target : array-like, same shape as ``input``
        Probabilities in [0, 1], or log-probabilities (<= 0) with ``log_target=True``.
    reduction : {"mean", "batchmean", "sum", "none"}
        "batchmean" divides the sum by the batch size ``input.shape[0]``: that is the KL divergence
        averaged over the batch. "mean" divides by the number of *elements*, N * C, which is the KL
        divergence divided by C as well; it is torch's default, and both torch and lossbook warn
        when it is used. "batchmean" needs a batch axis: for a single distribution of shape (C,)
        torch would divide by C, so lossbook refuses it and asks for "sum" or shape (1, C).
    log_target : bool
        Whether ``target`` holds log-probabilities.

    Returns
    -------
    float or numpy.ndarray
        A float for "mean", "batchmean" and "sum"; the pointwise terms t * (log t - input) for
        "none".

    Notes
    -----
    Terms with target 0 are exactly 0 (0 * log 0 = 0), whatever the input, even -inf; torch
    returns nan for such a term when input is -inf, or when ``log_target=True`` and the target is
    -inf. A target above 0 where input is -inf gives inf: nothing is clipped.

    Examples
    --------
    >>> t = [[0.5, 0.5]]
    >>> kl_div(np.log([[0.5, 0.5]]), t, reduction="batchmean")
    0.0
    >>> round(kl_div(np.log([[0.25, 0.75]]), t, reduction="batchmean"), 4)
    0.1438
    >>> round(kl_div(np.log([[0.25, 0.75]]), np.log(t), reduction="batchmean", log_target=True), 4)
    0.1438
    """
    x, t, log_target = validate_kl(input, target, reduction, log_target, "kl_div")
    # Terms with target 0 are masked before any arithmetic, so 0 * (-inf) never happens.
    present = t > -np.inf if log_target else t > 0
    safe_x = np.where(present, x, 0)
    if log_target:
        safe_t = np.where(present, t, 0)
        loss = np.exp(safe_t) * (safe_t - safe_x)
    else:
        safe_t = np.where(present, t, 1)
        loss = t * np.log(safe_t) - t * safe_x
    return reduce(np.where(present, loss, 0).astype(x.dtype, copy=False), reduction)
