"""The classification losses: ``cross_entropy``, ``nll_loss`` and the textbook
``cross_entropy_from_probs``. Re-exported by :mod:`lossbook.losses`, where they are documented.

Each writes its loss as loss_i = -sum_c a_ic * log p_ic with the coefficients a of
:class:`ClassProblem` (the target, smoothed and weighted); a term whose coefficient is 0 is
exactly 0, even where log p_ic = -inf, so ignored rows, zero-weight classes and impossible classes
contribute nothing and never make a nan.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import (
    finite_row_max,
    reduce,
    validate_classification,
    validate_probs_target,
    warn_if_probabilities,
)

__all__ = ["cross_entropy", "nll_loss", "cross_entropy_from_probs"]


def cross_entropy(input, target, *, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """Cross-entropy of logits against class indices or class probabilities.

    Mirrors ``torch.nn.functional.cross_entropy``: softmax and log are applied for you, through
    the log-sum-exp form, so any finite logits give an exact result (no inf, no NaN).

    Parameters
    ----------
    input : array-like of shape (N, C) or (C,)
        Logits (raw scores), not probabilities. A warning is raised when every row looks like
        probabilities. -inf marks a class that cannot occur; +inf and NaN are refused.
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
    func = "cross_entropy"
    # The logits' values are checked below, as each path first reads them (before any exp).
    problem = validate_classification(input, target, weight=weight, ignore_index=ignore_index,
                                      reduction=reduction, label_smoothing=label_smoothing,
                                      func=func, check_logits=False)
    z, z2 = problem.z, problem.z2
    if problem.probability_target or problem.label_smoothing > 0:
        m = finite_row_max(z2, func)
        warn_if_probabilities(z2, m, func, stacklevel=2)
        loss = _weighted_log_loss(problem.coefficients(), _log_softmax_rows(z2, m))
    else:
        # Fast path: loss_i = log(sum_j exp(z_ij - m_i)) - (z_{i, y_i} - m_i), one read of the
        # logits. Subtracting m_i from z_{i, y_i} first keeps the result exact when the logits
        # are large (adding m_i to the log-sum and subtracting z_{i, y_i} after loses the small part).
        m, log_sum = _row_max_and_log_sum_exp(z2, func)
        warn_if_probabilities(z2, m, func, stacklevel=2)
        row_w = problem.row_weight
        with np.errstate(over="ignore"):  # a target logit beyond the float range below m: inf
            nll = log_sum - (z2[np.arange(len(z2)), problem.target] - m[:, 0])
        loss = row_w * np.where(row_w > 0, nll, 0)  # a row that counts 0 is 0, even if nll is inf
    return _reduce_rows(loss.astype(z.dtype, copy=False), problem, reduction)


def _weighted_log_loss(a, logp):
    """-sum_c a_ic logp_ic, where a term with a_ic = 0 is 0 even if logp_ic is -inf."""
    return 0.0 - (a * np.where(a > 0, logp, 0)).sum(axis=1)  # 0.0 - : no -0.


def _reduce_rows(loss, problem, reduction):
    if reduction == "none":
        return loss.reshape(problem.z.shape[:-1])
    with np.errstate(over="ignore"):  # a sum beyond the float range is inf, as in torch
        total = loss.sum()
    if reduction == "sum":
        return float(total)
    denom = problem.mean_denominator()
    if denom == 0:
        return math.nan  # every target ignored (or weighted 0): torch returns nan too
    return float(total / denom)


# Rows of logits processed at a time by the fast path: 512 KB, e.g. 128 rows of 1000 float32
# logits, small enough to stay in a core's L2 cache between the max, subtract, exp and sum, and
# large enough that the per-block cost of the numpy calls stays small (measured with
# benchmarks/: 256 KB blocks were 10-20% slower, 1 MB no faster).
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
            finite_row_max(z2, func)  # raises, naming the row and the value
        shifted = buf[: len(block)]
        with np.errstate(over="ignore"):  # a gap beyond the float range is -inf: exp gives 0
            np.subtract(block, m_block, out=shifted)
        np.exp(shifted, out=shifted)
        # row sums as a matrix-vector product: the same sum, about 3x faster than sum(axis=1)
        np.matmul(shifted, ones, out=log_sum[start:start + rows])
    np.log(log_sum, out=log_sum)
    return m, log_sum


def _log_softmax_rows(z2, m):
    with np.errstate(over="ignore"):  # as in _row_max_and_log_sum_exp
        shifted = z2 - m
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def nll_loss(input, target, *, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of log-probabilities, like ``torch.nn.functional.nll_loss``.

    Parameters
    ----------
    input : array-like of shape (N, C) or (C,)
        Log-probabilities, e.g. ``log_softmax(logits)``; -inf for probability 0. A warning is
        raised if an entry is positive: a log-probability never is.
    target : array-like of int, shape (N,) or scalar
        Class indices.
    weight, ignore_index, reduction
        As in :func:`cross_entropy`: "mean" divides by the sum of the targets' weights.

    Examples
    --------
    >>> round(nll_loss(np.log([[0.3, 0.2, 0.5]]), [2]), 4)
    0.6931
    """
    problem = validate_classification(input, target, weight=weight, ignore_index=ignore_index,
                                      reduction=reduction, label_smoothing=0.0, func="nll_loss",
                                      log_probs=True)
    row_w, x2 = problem.row_weight, problem.z2
    picked = np.where(row_w > 0, x2[np.arange(len(x2)), problem.target], 0)
    loss = (0.0 - row_w * picked).astype(problem.z.dtype, copy=False)  # 0.0 - : no -0.
    return _reduce_rows(loss, problem, reduction)


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
    p, p2, t2, base = validate_probs_target(probs, target, base, reduction,
                                            "cross_entropy_from_probs")
    log = _LOGS.get(base)
    if log is None:
        log_base = math.log(base)

        def log(x):
            return np.log(x) / log_base

    with np.errstate(divide="ignore"):  # log 0 = -inf where the target has weight: inf, exact
        loss = -(t2 * log(np.where(t2 > 0, p2, 1))).sum(axis=1)
    loss = (loss + 0.0).astype(p.dtype, copy=False)
    if reduction == "none":
        return loss.reshape(p.shape[:-1])
    return reduce(loss, reduction)
