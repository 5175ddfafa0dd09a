"""Regression losses beyond the squared and absolute error, with torch's semantics in plain numpy.

``smooth_l1_loss``, ``poisson_nll_loss`` and ``gaussian_nll_loss`` mirror
``torch.nn.functional``; ``pinball_loss`` (the quantile loss) is not in torch. As in
:mod:`lossbook.losses`: prediction first, target second, options keyword-only, a Python float for
"mean" and "sum", an array for "none". Each loss's validator is here too; its gradient in
:mod:`lossbook.gradients_regression` calls the same one.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import _params
from ._validation import (
    as_float_array,
    check_finite,
    check_reduction,
    check_same_shape,
    first_index,
    refuses_legacy_reduction,
)
from .losses import reduce

__all__ = ["smooth_l1_loss", "poisson_nll_loss", "gaussian_nll_loss", "pinball_loss"]


# --------------------------------------------------------------------------- validation


def check_nonnegative(arr, name, func, fix):
    """Refuse a negative entry of ``arr``, quoting the first one and the ``fix``."""
    if (arr < 0).any():
        where = first_index(arr < 0)
        raise ValueError(f"{func}: {name} must be >= 0, got {float(arr[where]):.6g} at index "
                         f"{where}. {fix}")


def validate_smooth_l1(input, target, beta, reduction, func):
    """smooth_l1_loss: finite arrays of one shape and beta >= 0 (0 is the L1 loss)."""
    check_reduction(reduction, func)
    beta = _params.real(beta, "beta", func, low=0.0, hint="It is where the loss turns from "
                        "quadratic to linear; 1.0 is torch's default, 0 gives l1_loss.")
    x, t = check_same_shape(input, target, func)
    return x, t, beta


def validate_poisson(input, target, log_input, full, eps, reduction, func):
    """poisson_nll_loss: a log-rate (any finite number) or a rate (>= 0), counts >= 0."""
    check_reduction(reduction, func)
    log_input = _params.flag(log_input, "log_input", func)
    full = _params.flag(full, "full", func)
    eps = _params.real(eps, "eps", func, low=0.0, hint="It keeps log(input + eps) finite at a "
                       "rate of 0; torch's default is 1e-8.")
    x, t = check_same_shape(input, target, func)
    check_nonnegative(t, "target", func, "A Poisson target is a count (or a rate): 0, 1, 2, ...")
    if not log_input:
        check_nonnegative(x, "input", func, "With log_input=False, input is the rate itself; if "
                          "it is the log of the rate, pass log_input=True.")
    return x, t, log_input, full, eps


def validate_gaussian(input, target, var, full, eps, reduction, func):
    """gaussian_nll_loss: mean, target and variance, with torch's shape rules for var and target.

    ``var`` may be a number, have the input's shape, one fewer dimension (one variance per row:
    it is given a last axis of 1), or the input's shape with one axis of size 1. ``target`` has
    the input's shape or that shape with one axis of size 1. Returns x, t, v (shaped to
    broadcast against x), full, eps.
    """
    check_reduction(reduction, func)
    full = _params.flag(full, "full", func)
    eps = _params.real(eps, "eps", func, low=0.0, open_low=True, hint="The variance is clamped "
                       "at eps from below; torch's default is 1e-6.")
    x = as_float_array(input, "input", func)
    check_finite(x, "input", func)
    t = _broadcastable(target, x, "target", func)
    if isinstance(var, numbers.Real) and not isinstance(var, (bool, np.bool_)):
        var = np.full(x.shape, float(var), dtype=x.dtype)  # one variance for every element
    v = as_float_array(var, "var", func).astype(x.dtype, copy=False)
    if v.shape == x.shape[:-1] and v.shape != x.shape:
        v = v[..., None]  # one variance per row, used for every element of the row
    v = _broadcastable(v, x, "var", func)
    check_nonnegative(v, "var", func, "A variance is never negative; if the network outputs "
                      "it, pass it through softplus or exp first.")
    dtype = np.result_type(x.dtype, t.dtype, v.dtype)
    return x.astype(dtype, copy=False), t.astype(dtype), v.astype(dtype), full, eps


def _broadcastable(arr, x, name, func):
    """``arr`` as a finite float array of the input's shape, or of that shape with exactly one
    axis of size 1 (torch's rule for var; the documented one for target)."""
    a = as_float_array(arr, name, func).astype(x.dtype, copy=False)
    differ = [i for i in range(a.ndim) if a.ndim == x.ndim and a.shape[i] != x.shape[i]]
    shares_one_axis = len(differ) == 1 and a.shape[differ[0]] == 1
    if a.shape != x.shape and not shares_one_axis:
        raise ValueError(
            f"{func}: {name} has shape {a.shape} but input has shape {x.shape}. Give {name} the "
            f"input's shape, or that shape with one axis of size 1 (e.g. {(*x.shape[:-1], 1)}) "
            "to share a value along that axis; numpy's broadcasting from the right would pair "
            "the wrong elements."
        )
    check_finite(a, name, func)
    return a


def validate_pinball(input, target, quantile, reduction, func):
    """pinball_loss: finite arrays of one shape and a quantile in [0, 1]."""
    check_reduction(reduction, func)
    quantile = _params.real(quantile, "quantile", func, low=0.0, high=1.0,
                            hint="0.5 gives half the absolute error; 0.9 the 90th percentile.")
    x, t = check_same_shape(input, target, func)
    return x, t, quantile


# --------------------------------------------------------------------------- losses


@refuses_legacy_reduction
def smooth_l1_loss(input, target, *, reduction="mean", beta=1.0):
    """Smooth L1 loss, like ``torch.nn.functional.smooth_l1_loss``.

    Parameters
    ----------
    input, target : array-like of the same shape
    reduction : {"mean", "sum", "none"}
    beta : float >= 0
        Where the loss turns from ``0.5 * d**2 / beta`` to ``abs(d) - 0.5 * beta``; 0 gives
        the absolute error.

    Notes
    -----
    With d = input - target: ``0.5 * d**2 / beta`` if ``abs(d) < beta``, else
    ``abs(d) - 0.5 * beta``. It is :func:`~lossbook.losses.huber_loss` with ``delta = beta``, divided
    by beta: the slope far away is 1, not beta.

    Examples
    --------
    >>> smooth_l1_loss([0.5, 3.0], [0.0, 0.0], reduction="none")
    array([0.125, 2.5  ])
    >>> smooth_l1_loss([0.5, 3.0], [0.0, 0.0], reduction="none", beta=2.0)
    array([0.0625, 2.    ])
    """
    x, t, beta = validate_smooth_l1(input, target, beta, reduction, "smooth_l1_loss")
    with np.errstate(over="ignore"):  # beyond the float range: inf, as in torch
        a = np.abs(x - t)
        if beta == 0:  # no quadratic part: the absolute error, as in torch
            loss = a
        else:
            # 0.5 a**2 / beta up to beta, then a - 0.5 beta: the quadratic part up to beta plus
            # the rest (no branch per element, which is slow in numpy), as in huber_loss
            small = np.minimum(a, beta)
            loss = 0.5 * small * small / beta + (a - small)
    return reduce(loss.astype(x.dtype, copy=False), reduction)


def stirling_term(t):
    """Stirling's approximation of log(t!), t log t - t + log(2 pi t) / 2, where t > 1; else 0
    (torch adds it only for targets above 1, where it is accurate)."""
    big = t > 1
    safe = np.where(big, t, 2.0)
    return np.where(big, safe * np.log(safe) - safe + 0.5 * np.log(2 * math.pi * safe), 0)


@refuses_legacy_reduction
def poisson_nll_loss(input, target, *, log_input=True, full=False, eps=1e-8, reduction="mean"):
    """Negative log-likelihood of counts under a Poisson distribution, like
    ``torch.nn.functional.poisson_nll_loss``.

    Parameters
    ----------
    input : array-like
        The predicted rate: its logarithm (``log_input=True``, any real number) or the rate
        itself (``log_input=False``, >= 0).
    target : array-like, same shape
        Observed counts, >= 0 (torch accepts negative ones; they have no probability).
    log_input : bool
    full : bool
        Add Stirling's approximation of log(target!), for targets above 1, so that the loss is
        the full negative log-likelihood.
    eps : float >= 0
        With ``log_input=False``, the log is of ``input + eps``.
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    ``exp(input) - target * input`` with ``log_input``, else ``input - target * log(input +
    eps)``; a term with target 0 is the rate alone (0 log 0 = 0).

    Examples
    --------
    >>> round(poisson_nll_loss([math.log(3.0)], [5.0]), 5)
    -2.49306
    >>> round(poisson_nll_loss([math.log(3.0)], [5.0], full=True), 5)
    2.27779
    """
    x, t, log_input, full, eps = validate_poisson(input, target, log_input, full, eps, reduction,
                                                  "poisson_nll_loss")
    with np.errstate(over="ignore", divide="ignore"):  # exp(710) is inf, as in torch
        if log_input:  # input is log(rate)
            loss = np.exp(x) - t * x
        else:  # input is the rate; a count of 0 adds nothing, even at log(0)
            loss = x - np.where(t > 0, t * np.log(np.where(t > 0, x + eps, 1)), 0)
    if full:
        loss = loss + stirling_term(t)
    return reduce(loss.astype(x.dtype, copy=False), reduction)


@refuses_legacy_reduction
def gaussian_nll_loss(input, target, var, *, full=False, eps=1e-6, reduction="mean"):
    """Negative log-likelihood of targets under a Gaussian with mean ``input`` and variance
    ``var``, like ``torch.nn.functional.gaussian_nll_loss``.

    Parameters
    ----------
    input : array-like
        Predicted means.
    target : array-like
        Observed values: the input's shape, or that shape with one axis of size 1.
    var : array-like or float
        Predicted variances, >= 0: a number, the input's shape, one fewer dimension (one
        variance per row), or the input's shape with one axis of size 1.
    full : bool
        Add the constant ``log(2 pi) / 2``.
    eps : float > 0
        The variance is clamped at eps from below, as in torch.
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    ``0.5 * (log(max(var, eps)) + (input - target)**2 / max(var, eps))``. With var = 1 it is
    half the squared error plus a constant.

    Examples
    --------
    >>> round(gaussian_nll_loss([0.1], [0.0], [0.01]), 5)
    -1.80259
    >>> gaussian_nll_loss([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 2.0]], [1.0, 4.0],
    ...                   reduction="none")
    array([[0.        , 0.        ],
           [0.69314718, 1.19314718]])
    """
    x, t, v, full, eps = validate_gaussian(input, target, var, full, eps, reduction,
                                           "gaussian_nll_loss")
    v = np.maximum(v, eps)  # torch's floor on the variance
    with np.errstate(over="ignore"):  # beyond the float range: inf, as in torch
        loss = 0.5 * (np.log(v) + (x - t) ** 2 / v)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return reduce(loss.astype(x.dtype, copy=False), reduction)


@refuses_legacy_reduction
def pinball_loss(input, target, *, quantile=0.5, reduction="mean"):
    """The pinball (quantile) loss: minimising it makes ``input`` the ``quantile`` of the target.

    Not in torch; its mean is scikit-learn's ``mean_pinball_loss(target, input,
    alpha=quantile)``.

    Parameters
    ----------
    input : array-like
        Predicted quantiles.
    target : array-like, same shape
    quantile : float in [0, 1]
        0.5 is the median (the loss is then half the absolute error).
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    With r = target - input: ``quantile * r`` if r >= 0, else ``(quantile - 1) * r``, that is
    ``max(quantile * r, (quantile - 1) * r)``. A prediction below the target costs
    ``quantile`` per unit, one above it ``1 - quantile``.

    Examples
    --------
    >>> pinball_loss([1.0, 1.0], [3.0, 0.0], quantile=0.9, reduction="none")
    array([1.8, 0.1])
    """
    x, t, quantile = validate_pinball(input, target, quantile, reduction, "pinball_loss")
    with np.errstate(over="ignore"):  # beyond the float range: inf
        r = t - x
        loss = np.maximum(quantile * r, (quantile - 1) * r)
    return reduce(loss.astype(x.dtype, copy=False), reduction)
