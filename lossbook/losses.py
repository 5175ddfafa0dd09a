"""Loss functions with the semantics of ``torch.nn.functional``, in plain numpy.

Prediction first, target second, options keyword-only. Scalar reductions return a Python float;
``reduction="none"`` returns an array. float32 input is computed in float32, float64 in float64.
Every function refuses bad input with a message that says what is wrong and how to fix it.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import (
    refuses_legacy_reduction,
    validate_binary,
    validate_binary_logits,
    validate_classification,
    validate_kl,
    validate_probs_target,
    validate_regression,
)
from .activations import log_softmax_given_max

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


# --------------------------------------------------------------------------- reduction
# One reduction for every loss, and its derivative for every gradient (lossbook.gradients).


def reduce(loss: np.ndarray, reduction: str, count=None):
    """Reduce the loss terms: "none" keeps them, "sum" adds them, "mean" divides the sum by
    ``count`` (the number of terms unless the loss says otherwise: cross-entropy's weighted
    mean), "batchmean" (kl_div's) by the batch size ``loss.shape[0]``.

    Scalar results are Python floats. A sum beyond the float range is inf, as in torch, without
    numpy's overflow warning; a mean over a count of 0 (every target ignored) is nan, as in torch.
    """
    if reduction == "none":
        return loss
    with np.errstate(over="ignore"):
        if reduction == "mean" and count is None:
            return float(loss.mean())
        total = loss.sum()
    if reduction == "sum":
        return float(total)
    if reduction == "batchmean":
        return float(total / loss.shape[0])
    return float(total / count) if count else math.nan


def reduce_grad(grad: np.ndarray, reduction: str, count=None) -> np.ndarray:
    """The derivative of :func:`reduce`: ``grad`` (of each term) divided as ``reduce`` divides.

    For "mean", ``count`` is what the loss divides by (every element of ``grad`` when None); a
    count of 0 gives nan everywhere, as the loss is then nan.
    """
    if reduction == "mean":
        count = grad.size if count is None else count
        return grad / count if count else np.full_like(grad, math.nan)
    if reduction == "batchmean":
        return grad / grad.shape[0]
    return grad


def negate(x):
    """-x, except that a zero stays 0.0 rather than -0.0 (which numpy prints as "-0.")."""
    return 0.0 - x


# --------------------------------------------------------------------------- regression


@refuses_legacy_reduction
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


@refuses_legacy_reduction
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


@refuses_legacy_reduction
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
        # 0.5 a**2 up to delta, then delta (a - 0.5 delta): the square of the part up to delta,
        # plus delta times the rest (no branch per element, which is slow in numpy)
        small = np.minimum(a, delta)
        loss = (0.5 * small * small + delta * (a - small)).astype(input.dtype, copy=False)
    return reduce(loss, reduction)


# --------------------------------------------------------------------------- classification
# Each classification loss is loss_i = -sum_c a_ic * log p_ic, with the coefficients a of
# class_coefficients (the target, smoothed and weighted); a term whose coefficient is 0 is exactly
# 0, even where log p_ic = -inf, so ignored rows, zero-weight classes and impossible classes
# contribute nothing and never make a nan.


@refuses_legacy_reduction
def cross_entropy(input, target, *, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """Cross-entropy of logits against class indices or class probabilities.

    Mirrors ``torch.nn.functional.cross_entropy``: softmax and log are applied for you, through
    the log-sum-exp form, so any finite logits give an exact result (no inf, no NaN).

    Parameters
    ----------
    input : array-like of shape (N, C), (C,) or (N, C, d1, ..., dk)
        Logits (raw scores), not probabilities. A warning is raised when every row looks like
        probabilities. -inf marks a class that cannot occur; +inf and NaN are refused. The last
        shape, as in torch, holds a class per position (a pixel, a time step): the classes are
        on axis 1.
    target : array-like
        Either class indices, integers of shape (N,) (a scalar for (C,) input, (N, d1, ..., dk)
        for (N, C, d1, ..., dk)), or class probabilities (floats) of the input's shape that sum
        to 1 over the classes (one-hot or soft labels).
    weight : array-like of shape (C,), optional
        A rescaling weight per class.
    ignore_index : int
        Index targets equal to this value contribute nothing (and are not counted in the mean).
    reduction : {"mean", "sum", "none"}
        With index targets and ``weight``, "mean" divides by the sum of the targets' weights,
        not by N; with probability targets it divides by N.
    label_smoothing : float in [0, 1]
        Mixes the target with the uniform distribution: (1 - eps) * target + eps / C.

    Returns
    -------
    float or numpy.ndarray
        A float for "mean" and "sum"; one loss per row for "none". If every target is ignored,
        "mean" is NaN, as in torch.

    Notes
    -----
    loss_i = logsumexp(z_i) - z_{i, y_i} = -log softmax(z_i)_{y_i}. Ignored rows and rows whose
    class weight is 0 contribute exactly 0, even with a -inf logit (torch returns nan for a
    zero-weight row with a -inf logit).

    Examples
    --------
    >>> round(cross_entropy([[2.0, 1.0, 0.1]], [0]), 4)
    0.417
    >>> cross_entropy([1000.0, 0.0, -1000.0], 2)
    2000.0
    """
    z, t, counted, w, eps, m = validate_classification(
        input, target, weight=weight, ignore_index=ignore_index, reduction=reduction,
        label_smoothing=label_smoothing, func="cross_entropy")
    z2 = z.reshape(-1, z.shape[-1])  # (N, C); m holds its finite row maxima, shape (N, 1)
    if counted is None or eps > 0:  # soft or smoothed targets: -sum_c a_ic log softmax(z_i)_c
        a = class_coefficients(t, counted, w, eps, z2.shape[1], z.dtype)
        loss = _weighted_log_loss(a, log_softmax_given_max(z2, m))
    else:  # one class y_i per row: w_{y_i} * (logsumexp(z_i) - z_{i, y_i})
        rows = row_weights(t, counted, w, z.dtype)
        # (z_{i, y_i} - m_i) first: exact for large logits (log-sum + m_i - z_{i, y_i} is not)
        with np.errstate(over="ignore"):  # a target logit beyond the float range below m: inf
            nll = _log_sum_exp_shifted(z2, m) - (z2[np.arange(len(z2)), t] - m[:, 0])
        loss = rows * np.where(rows > 0, nll, 0)  # a row that counts 0 is 0, even if nll is inf
    loss = loss.astype(z.dtype, copy=False).reshape(z.shape[:-1])
    return reduce(loss, reduction, count=mean_count(t, counted, w, z.dtype))


def _weighted_log_loss(a, logp):
    """-sum_c a_ic logp_ic, where a term with a_ic = 0 is 0 even if logp_ic is -inf."""
    return negate((a * np.where(a > 0, logp, 0)).sum(axis=1))


# Rows of logits processed at a time by _log_sum_exp_shifted: 512 KB, e.g. 128 rows of 1000
# float32 logits, small enough to stay in a core's L2 cache between the subtract, exp and sum,
# and large enough that the per-block cost of the numpy calls stays small (measured with
# benchmarks/: 256 KB blocks were 10-20% slower, 1 MB no faster).
_BLOCK_BYTES = 512 * 1024


def _log_sum_exp_shifted(z2, m):
    """log(sum_j exp(z_ij - m_i)) of 2-D logits with row maxima m, shape (N,): the speed path.

    The same as ``np.log(np.exp(z2 - m).sum(axis=1))``, computed a block of rows at a time, so
    the logits are read from memory once rather than three times and float32 stays float32.
    """
    n, c = z2.shape
    log_sum = np.empty(n, dtype=z2.dtype)
    rows = max(1, _BLOCK_BYTES // (c * z2.itemsize))
    buf = np.empty((min(rows, n), c), dtype=z2.dtype)
    ones = np.ones(c, dtype=z2.dtype)
    for start in range(0, n, rows):
        block, m_block = z2[start:start + rows], m[start:start + rows]
        shifted = buf[: len(block)]
        with np.errstate(over="ignore"):  # a gap beyond the float range is -inf: exp gives 0
            np.subtract(block, m_block, out=shifted)
        np.exp(shifted, out=shifted)
        # row sums as a matrix-vector product: the same sum, about 3x faster than sum(axis=1)
        np.matmul(shifted, ones, out=log_sum[start:start + rows])
    np.log(log_sum, out=log_sum)
    return log_sum


@refuses_legacy_reduction
def nll_loss(input, target, *, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of log-probabilities, like ``torch.nn.functional.nll_loss``.

    Parameters
    ----------
    input : array-like of shape (N, C), (C,) or (N, C, d1, ..., dk)
        Log-probabilities, e.g. ``log_softmax(logits)``; -inf for probability 0. A warning is
        raised if an entry is positive: a log-probability never is.
    target : array-like of int, shape (N,), () or (N, d1, ..., dk)
        Class indices.
    weight, ignore_index, reduction
        As in :func:`cross_entropy`: "mean" divides by the sum of the targets' weights.

    Examples
    --------
    >>> round(nll_loss(np.log([[0.3, 0.2, 0.5]]), [2]), 4)
    0.6931
    """
    x, t, counted, w, _, _ = validate_classification(
        input, target, weight=weight, ignore_index=ignore_index, reduction=reduction,
        label_smoothing=0.0, func="nll_loss", log_probs=True)
    x2 = x.reshape(-1, x.shape[-1])
    rows = row_weights(t, counted, w, x.dtype)
    picked = np.where(rows > 0, x2[np.arange(len(x2)), t], 0)
    loss = negate(rows * picked).astype(x.dtype, copy=False)
    return reduce(loss.reshape(x.shape[:-1]), reduction, count=rows.sum())


# --------------------------------------------------------------------------- textbook form

_LOGS = {2.0: np.log2, 10.0: np.log10, math.e: np.log}


@refuses_legacy_reduction
def cross_entropy_from_probs(probs, target, *, base=math.e, reduction="mean"):
    """The textbook cross-entropy -sum_k t_k log(p_k) on probabilities, in any log base.

    Parameters
    ----------
    probs : array-like of shape (N, C) or (C,)
        Predicted probabilities; every row in [0, 1] and summing to 1.
    target : array-like
        One-hot or soft labels of the same shape (rows summing to 1), or class indices (integers
        of shape (N,), or a scalar for (C,) probs).
    base : float > 0, not 1
        The logarithm's base: e (the default, nats; what PyTorch uses), 2 (bits) or 10.
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    Terms with t_k = 0 contribute 0 (0 * log 0 = 0). A true class predicted with probability 0
    gives inf: nothing is clipped.

    Examples
    --------
    >>> t, p = [0, 0, 1], [0.3, 0.2, 0.5]
    >>> round(cross_entropy_from_probs(p, t), 4)
    0.6931
    >>> round(cross_entropy_from_probs(p, t, base=10), 5)
    0.30103
    >>> cross_entropy_from_probs(p, t, base=2)
    1.0
    """
    p, p2, t2, base = validate_probs_target(probs, target, base, reduction,
                                            "cross_entropy_from_probs")
    log = _LOGS.get(base)
    if log is None:
        log_base = math.log(base)

        def log(x):
            return np.log(x) / log_base

    with np.errstate(divide="ignore"):  # log 0 = -inf where the target has weight: inf, exact
        loss = negate((t2 * log(np.where(t2 > 0, p2, 1))).sum(axis=1))
    loss = loss.astype(p.dtype, copy=False)
    if reduction == "none":
        return loss.reshape(p.shape[:-1])
    return reduce(loss, reduction)


def class_coefficients(t, counted, w, eps, n_classes, dtype):
    """The (N, C) array a: the target (smoothed by ``eps``) times the class weight ``w``.

    ``t`` is (N, C) probabilities (``counted`` None) or (N,) class indices, with ``counted``
    False for ignored rows, whose coefficients are 0.
    """
    if counted is None:
        a = t * (1 - eps) + eps / n_classes if eps > 0 else t
        return a if w is None else a * w
    n = len(t)
    a = np.zeros((n, n_classes), dtype=dtype)
    a[np.arange(n), t] = (1 - eps) * (1 if w is None else w[t])
    if eps > 0:  # the smoothing part counts even where the target's class weight is 0
        a += (eps / n_classes) * (1 if w is None else w)
    a[~counted] = 0
    return a


def row_weights(t, counted, w, dtype):
    """The weight each row's class index counts with: 0 for an ignored row, else w[t_i] (or 1)."""
    return counted.astype(dtype) if w is None else np.where(counted, w[t], 0).astype(dtype)


def mean_count(t, counted, w, dtype):
    """What "mean" divides by: N for probability targets, else the rows' total weight."""
    return len(t) if counted is None else row_weights(t, counted, w, dtype).sum()


# --------------------------------------------------------------------------- binary


@refuses_legacy_reduction
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


@refuses_legacy_reduction
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
    softplus(x) = max(x, 0) + log1p(exp(-abs(x))). This keeps the tiny loss of a confidently right
    negative (t = 0, z below about -37), which torch's form, log(exp(-m) + exp(-z - m)), rounds
    to 0; for a confidently right positive both are exact.

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


@refuses_legacy_reduction
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
