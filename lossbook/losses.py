"""Loss functions with the semantics of ``torch.nn.functional``, in plain numpy.

Prediction first, target second, options keyword-only. Scalar reductions return a Python float;
``reduction="none"`` returns an array. float32 input is computed in float32, float64 in float64.
Every function refuses bad input with a message that says what is wrong and how to fix it.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ._validation import (
    _as_array,
    as_float_array,
    check_class_target,
    check_distribution,
    check_flag,
    check_label_smoothing,
    check_log_probabilities,
    check_no_nan,
    check_positive_number,
    check_probabilities,
    check_reduction,
    check_same_shape,
    check_weight,
    reduce,
    row_sum_tolerance,
)

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
    MSE = (1/n) * sum_i (input_i - target_i)**2. There is no factor 1/2.

    Examples
    --------
    >>> mse_loss([1.0, 2.0], [0.0, 0.0])
    2.5
    >>> mse_loss([1.0, 2.0], [0.0, 0.0], reduction="sum")
    5.0
    """
    check_reduction(reduction, "mse_loss")
    input, target = check_same_shape(input, target, "mse_loss")
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
    check_reduction(reduction, "l1_loss")
    input, target = check_same_shape(input, target, "l1_loss")
    return reduce(np.abs(input - target), reduction)


def huber_loss(input, target, *, reduction="mean", delta=1.0):
    """Huber loss, like ``torch.nn.functional.huber_loss``: squared near zero, linear far away.

    Parameters
    ----------
    input, target : array-like of the same shape
    reduction : {"mean", "sum", "none"}
    delta : float > 0
        Where the loss switches from 0.5 * d**2 to delta * (abs(d) - 0.5 * delta).

    Examples
    --------
    >>> huber_loss([0.5, 3.0], [0.0, 0.0], reduction="none")
    array([0.125, 2.5  ])
    """
    check_reduction(reduction, "huber_loss")
    delta = check_positive_number(delta, "delta", "huber_loss")
    input, target = check_same_shape(input, target, "huber_loss")
    a = np.abs(input - target)
    loss = np.where(a < delta, 0.5 * a * a, delta * (a - 0.5 * delta)).astype(input.dtype, copy=False)
    return reduce(loss, reduction)


# --------------------------------------------------------------------------- classification


def _class_scores(input, name, func):
    """Scores of shape (N, C) or (C,) as a float array and a 2-D view."""
    z = as_float_array(input, name, func)
    if z.ndim not in (1, 2):
        raise ValueError(
            f"{func}: {name} must have shape (N, C) or (C,), got {z.shape}. Flatten extra "
            f"dimensions into the batch, e.g. {name}.reshape(-1, C)."
        )
    return z, (z[None, :] if z.ndim == 1 else z)


def _index_target(target, z, func, ignore_index):
    """Class indices matching scores ``z``: shape (N,) for (N, C) input, a scalar for (C,)."""
    n, c = (1, z.shape[0]) if z.ndim == 1 else z.shape
    t = _as_array(target, "target", func)
    expected = () if z.ndim == 1 else (n,)
    if t.shape != expected:
        if t.shape == z.shape:
            hint = (
                " It has the input's shape but holds integers: for one-hot or soft labels pass "
                "floats (target.astype(float)), or pass class indices (target.argmax(-1))."
            )
        elif z.ndim == 2 and t.shape == (n, 1):
            hint = " Use target.squeeze(1) or target.reshape(-1)."
        else:
            hint = " Pass one class index per row of input."
        raise ValueError(
            f"{func}: input has shape {z.shape}, so class-index target needs shape {expected}, "
            f"got {t.shape}.{hint}"
        )
    t = check_class_target(t, c, func, ignore_index=ignore_index)
    return t.reshape(-1)


def _is_probability_target(target, z):
    t = target if isinstance(target, np.ndarray) else np.asarray(target)
    return t.shape == z.shape and np.issubdtype(t.dtype, np.floating)


def _warn_if_probabilities(z2, m, func):
    """Warn when every row of ``z2`` lies in [0, 1] and sums to 1: logits were expected."""
    if m.max() > 1 or z2.min() < 0:
        return
    if np.all(np.abs(z2.sum(axis=1) - 1) <= row_sum_tolerance(z2)):
        warnings.warn(
            f"{func}: every row of input lies in [0, 1] and sums to 1, so it looks like "
            "probabilities. cross_entropy expects logits (raw scores) and applies softmax itself; "
            "passing probabilities applies softmax twice. Pass the logits, or use nll_loss on "
            "np.log(probs).",
            UserWarning,
            stacklevel=3,
        )


def _finite_row_max(z, func):
    """Row maxima of 2-D scores; NaN or +inf anywhere shows up here, so this is also the check."""
    m = z.max(axis=1, keepdims=True)
    if not np.isfinite(m).all():
        check_no_nan(z, "input", func)
        row = int(np.argwhere(~np.isfinite(m))[0, 0])
        raise ValueError(
            f"{func}: row {row} of input has maximum {float(m[row, 0]):.6g}: logits must be finite "
            "(-inf is allowed for a class that can never occur, but not a whole row of it)."
        )
    return m


def cross_entropy(input, target, *, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """Cross-entropy of logits against class indices or class probabilities.

    Mirrors ``torch.nn.functional.cross_entropy``: softmax and log are applied for you, through
    the log-sum-exp form, so any finite logits give an exact result (no inf, no NaN).

    Parameters
    ----------
    input : array-like of shape (N, C) or (C,)
        Logits (raw scores), not probabilities. A warning is raised when every row looks like
        probabilities.
    target : array-like
        Either class indices, integers of shape (N,) (or a scalar for (C,) input), or class
        probabilities (floats) of the input's shape whose rows sum to 1 (one-hot or soft labels).
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
    loss_i = logsumexp(z_i) - z_{i, y_i} = -log softmax(z_i)_{y_i}.

    Examples
    --------
    >>> round(cross_entropy([[2.0, 1.0, 0.1]], [0]), 4)
    0.417
    >>> cross_entropy([1000.0, 0.0, -1000.0], 2)
    2000.0
    """
    func = "cross_entropy"
    check_reduction(reduction, func)
    eps = check_label_smoothing(label_smoothing, func)
    z, z2 = _class_scores(input, "input", func)
    n, c = z2.shape
    w = None if weight is None else check_weight(weight, c, func, z.dtype)
    probability_target = _is_probability_target(target, z)
    if probability_target or eps > 0:
        m = _finite_row_max(z2, func)
        _warn_if_probabilities(z2, m, func)

    if probability_target:
        t = as_float_array(target, "target", func).astype(z.dtype, copy=False)
        check_distribution(t, "target", func)
        t2 = t.reshape(n, c)
        if eps > 0:
            t2 = t2 * (1 - eps) + eps / c
        logp = _log_softmax_rows(z2, m)
        coef = t2 if w is None else t2 * w
        # 0 * log p counts as 0 even where log p = -inf (a masked class): mask before multiplying
        loss = -(coef * np.where(coef > 0, logp, 0)).sum(axis=1)
        loss = loss.astype(z.dtype, copy=False)
        if reduction == "none":
            return loss.reshape(z.shape[:-1])
        return float(loss.sum()) if reduction == "sum" else float(loss.sum() / n)

    t = _index_target(target, z, func, ignore_index)
    valid = t != ignore_index
    safe_t = np.where(valid, t, 0)
    rows = np.arange(n)
    if eps == 0:
        # Fast path: loss_i = log(sum_j exp(z_ij - m_i)) - (z_{i, y_i} - m_i), one read of the
        # logits. Subtracting m_i from z_{i, y_i} first keeps the result exact when the logits
        # are large (adding m_i to the log-sum and subtracting z_{i, y_i} after loses the small part).
        m, log_sum = _row_max_and_log_sum_exp(z2, func)
        _warn_if_probabilities(z2, m, func)
        nll = log_sum - (z2[rows, safe_t] - m[:, 0])
        smooth = None
    else:
        logp = _log_softmax_rows(z2, m)
        nll = -logp[rows, safe_t]
        smooth = -(logp.sum(axis=1) if w is None else logp @ w)
    row_w = valid.astype(z.dtype) if w is None else np.where(valid, w[safe_t], 0).astype(z.dtype)
    loss = row_w * nll
    if smooth is not None:
        loss = (1 - eps) * loss + (eps / c) * np.where(valid, smooth, 0)
    loss = loss.astype(z.dtype, copy=False)
    if reduction == "none":
        return loss.reshape(()) if z.ndim == 1 else loss
    if reduction == "sum":
        return float(loss.sum())
    return _weighted_mean(loss, row_w)


# Rows of logits processed at a time by the fast path: 512 KB, e.g. 128 rows of 1000 float32
# logits, small enough to stay in a core's L2 cache between the max, subtract, exp and sum, and
# large enough that the per-block cost of the numpy calls stays small (measured on our machines:
# 256 KB blocks were 10-20% slower, 1 MB no faster).
_BLOCK_BYTES = 512 * 1024


def _row_max_and_log_sum_exp(z2, func):
    """Row maxima m (shape (N, 1)) and log(sum_j exp(z_ij - m_i)) (shape (N,)) of 2-D logits.

    The work goes a block of rows at a time, so the logits are read from memory once rather than
    four times (max, subtract, exp, sum) and float32 stays float32. A NaN or +inf anywhere makes
    its row's max non-finite, so the max doubles as the finiteness check, before any exp.
    """
    n, c = z2.shape
    m = np.empty((n, 1), dtype=z2.dtype)
    log_sum = np.empty(n, dtype=z2.dtype)
    rows = max(1, _BLOCK_BYTES // (c * z2.itemsize))
    buf = np.empty((min(rows, n), c), dtype=z2.dtype)
    ones = np.ones(c, dtype=z2.dtype)
    for start in range(0, n, rows):
        block, m_block = z2[start:start + rows], m[start:start + rows]
        np.max(block, axis=1, keepdims=True, out=m_block)
        if not np.isfinite(m_block).all():
            _finite_row_max(z2, func)  # raises, naming the row and the value
        shifted = buf[: len(block)]
        np.subtract(block, m_block, out=shifted)
        np.exp(shifted, out=shifted)
        # row sums as a matrix-vector product: the same sum, about 3x faster than sum(axis=1)
        np.matmul(shifted, ones, out=log_sum[start:start + rows])
    np.log(log_sum, out=log_sum)
    return m, log_sum


def _log_softmax_rows(z2, m):
    shifted = z2 - m
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _weighted_mean(loss, row_w):
    denom = row_w.sum()
    if denom == 0:
        return math.nan  # every target ignored (or weighted 0): torch returns nan too
    return float(loss.sum() / denom)


def nll_loss(input, target, *, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of log-probabilities, like ``torch.nn.functional.nll_loss``.

    Parameters
    ----------
    input : array-like of shape (N, C) or (C,)
        Log-probabilities, e.g. ``log_softmax(logits)``. A warning is raised if an entry is
        positive: a log-probability never is.
    target : array-like of int, shape (N,) or scalar
        Class indices.
    weight, ignore_index, reduction
        As in :func:`cross_entropy`: "mean" divides by the sum of the targets' weights.

    Examples
    --------
    >>> round(nll_loss(np.log([[0.3, 0.2, 0.5]]), [2]), 4)
    0.6931
    """
    func = "nll_loss"
    check_reduction(reduction, func)
    x, x2 = _class_scores(input, "input", func)
    n, c = x2.shape
    w = None if weight is None else check_weight(weight, c, func, x.dtype)
    check_no_nan(x2, "input", func)
    if x2.max() > 0:
        warnings.warn(
            f"{func}: input has positive entries (largest {float(x2.max()):.4g}), but "
            "log-probabilities are <= 0. Did you pass logits or probabilities? Use "
            "cross_entropy on logits, or nll_loss on log_softmax(logits).",
            UserWarning,
            stacklevel=2,
        )
    t = _index_target(target, x, func, ignore_index)
    valid = t != ignore_index
    safe_t = np.where(valid, t, 0)
    row_w = valid.astype(x.dtype) if w is None else np.where(valid, w[safe_t], 0).astype(x.dtype)
    picked = x2[np.arange(n), safe_t]
    loss = np.where(row_w > 0, -row_w * picked, 0).astype(x.dtype, copy=False)
    if reduction == "none":
        return loss.reshape(()) if x.ndim == 1 else loss
    if reduction == "sum":
        return float(loss.sum())
    return _weighted_mean(loss, row_w)


# --------------------------------------------------------------------------- binary


def _elementwise_weight(weight, shape, name, func, dtype):
    w = as_float_array(weight, name, func).astype(dtype, copy=False)
    try:
        ok = np.broadcast_shapes(w.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"{func}: {name} has shape {w.shape}, which does not broadcast to the input's shape "
            f"{tuple(shape)} without changing it. Give it shape {tuple(shape)} or (C,) for the "
            "last axis."
        )
    check_no_nan(w, name, func)
    if (w < 0).any():
        raise ValueError(f"{func}: {name} has a negative entry ({float(w.min()):.6g}); use weights >= 0.")
    return w


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
    func = "binary_cross_entropy"
    check_reduction(reduction, func)
    p, t = check_same_shape(input, target, func)
    check_probabilities(p, "input", func)
    check_probabilities(t, "target", func)
    with np.errstate(divide="ignore"):
        pos = np.where(t > 0, t * np.log(np.where(t > 0, p, 1)), 0)
        neg = np.where(t < 1, (1 - t) * np.log1p(-np.where(t < 1, p, 0)), 0)
    loss = -(pos + neg)
    if weight is not None:
        w = _elementwise_weight(weight, p.shape, "weight", func, p.dtype)
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
    func = "binary_cross_entropy_with_logits"
    check_reduction(reduction, func)
    z, t = check_same_shape(input, target, func)
    if np.isinf(z).any():
        raise ValueError(f"{func}: input contains inf; logits must be finite.")
    check_probabilities(t, "target", func)
    loss = (1 - t) * _softplus(z)
    pos = t * _softplus(-z)
    if pos_weight is not None:
        pos = pos * _elementwise_weight(pos_weight, z.shape, "pos_weight", func, z.dtype)
    loss = loss + pos
    if weight is not None:
        loss = loss * _elementwise_weight(weight, z.shape, "weight", func, z.dtype)
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
    func = "kl_div"
    check_reduction(reduction, func, extra=("batchmean",))
    log_target = check_flag(log_target, "log_target", func)
    x, t = check_same_shape(input, target, func)
    check_log_probabilities(x, "input", func)
    if log_target:
        check_log_probabilities(t, "target", func)
    else:
        check_probabilities(t, "target", func, hint="If these are log-probabilities, pass "
                            "log_target=True; if they are logits, pass softmax(target).")
    if reduction == "batchmean" and x.ndim < 2:
        raise ValueError(
            f"{func}: reduction='batchmean' divides by the batch size input.shape[0], but input has "
            f"shape {x.shape} and no batch axis (torch would divide by {x.shape[0] if x.ndim else 1}). "
            "For one distribution use reduction='sum', or pass input and target of shape (1, C)."
        )
    if reduction == "mean":
        warnings.warn(
            f"{func}: reduction='mean' divides the sum by the number of elements (N * C), not by "
            "the batch size N, so it is not the KL divergence. Use reduction='batchmean' for the "
            "KL divergence averaged over the batch (torch warns about this too).",
            UserWarning,
            stacklevel=2,
        )
    # Terms with target 0 are masked before any arithmetic, so 0 * (-inf) never happens.
    present = t > -np.inf if log_target else t > 0
    safe_x = np.where(present, x, 0)
    if log_target:
        safe_t = np.where(present, t, 0)
        loss = np.exp(safe_t) * (safe_t - safe_x)
    else:
        safe_t = np.where(present, t, 1)
        loss = t * np.log(safe_t) - t * safe_x
    loss = np.where(present, loss, 0).astype(x.dtype, copy=False)
    if reduction == "batchmean":
        return float(loss.sum() / x.shape[0])
    return reduce(loss, reduction)


# --------------------------------------------------------------------------- textbook form

_LOGS = {2.0: np.log2, 10.0: np.log10, math.e: np.log}


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
    func = "cross_entropy_from_probs"
    check_reduction(reduction, func)
    base = check_positive_number(base, "base", func, forbid=1.0)
    p, p2 = _class_scores(probs, "probs", func)
    check_distribution(p, "probs", func)
    n, c = p2.shape
    log = _LOGS.get(base)
    if log is None:
        log_base = math.log(base)

        def log(x):
            return np.log(x) / log_base

    t_arr = _as_array(target, "target", func)
    with np.errstate(divide="ignore"):
        if t_arr.shape == p.shape and t_arr.dtype != np.bool_:
            t = as_float_array(t_arr, "target", func).astype(p.dtype, copy=False)
            check_distribution(t, "target", func)
            t2 = t.reshape(n, c)
            loss = -np.where(t2 > 0, t2 * log(np.where(t2 > 0, p2, 1)), 0).sum(axis=1)
        else:
            idx = _index_target(t_arr, p, func, ignore_index=None)
            loss = -log(p2[np.arange(n), idx])
    loss = loss.astype(p.dtype, copy=False)
    if reduction == "none":
        return loss.reshape(()) if p.ndim == 1 else loss
    return reduce(loss, reduction)
