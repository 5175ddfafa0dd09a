"""Analytic gradients of the losses in :mod:`lossbook.losses_regression`.

As in :mod:`lossbook.gradients`: each ``<loss>_grad`` takes exactly the arguments of ``<loss>``
and returns d loss / d input, shaped like ``input``; for ``reduction="none"`` the gradient of
``loss.sum()``. ``gaussian_nll_loss_grad`` returns a pair, (d loss / d input, d loss / d var),
since a network often predicts the variance too.
"""

from __future__ import annotations

import numpy as np

from ._validation import refuses_legacy_reduction
from .losses import reduce_grad
from .losses_regression import (
    validate_gaussian,
    validate_pinball,
    validate_poisson,
    validate_smooth_l1,
)

__all__ = [
    "smooth_l1_loss_grad",
    "poisson_nll_loss_grad",
    "gaussian_nll_loss_grad",
    "pinball_loss_grad",
]


@refuses_legacy_reduction
def smooth_l1_loss_grad(input, target, *, reduction="mean", beta=1.0):
    """d smooth_l1_loss / d input: ``d / beta`` inside [-beta, beta], ``sign(d)`` outside.

    Examples
    --------
    >>> smooth_l1_loss_grad([0.5, 3.0], [0.0, 0.0], reduction="sum")
    array([0.5, 1. ])
    """
    x, t, beta = validate_smooth_l1(input, target, beta, reduction, "smooth_l1_loss_grad")
    with np.errstate(over="ignore"):  # beyond the float range: still of its sign, clipped
        d = x - t
        # d / beta inside [-beta, beta], its sign outside; beta = 0: the absolute error's
        grad = np.clip(d / beta, -1, 1) if beta else np.sign(d)
    return reduce_grad(grad.astype(x.dtype, copy=False), reduction, x.size)


@refuses_legacy_reduction
def poisson_nll_loss_grad(input, target, *, log_input=True, full=False, eps=1e-8,
                          reduction="mean"):
    """d poisson_nll_loss / d input: ``exp(input) - target`` with ``log_input``, else
    ``1 - target / (input + eps)``. The Stirling term of ``full`` does not depend on input.

    Examples
    --------
    >>> poisson_nll_loss_grad([0.0], [3.0])
    array([-2.])
    """
    x, t, log_input, _, eps = validate_poisson(input, target, log_input, full, eps, reduction,
                                               "poisson_nll_loss_grad")
    with np.errstate(over="ignore", divide="ignore"):  # exp(710) is inf, t / 0 is inf
        if log_input:
            grad = np.exp(x) - t
        else:
            grad = 1 - np.where(t > 0, t / np.where(t > 0, x + eps, 1), 0)
    return reduce_grad(grad.astype(x.dtype, copy=False), reduction, x.size)


def sum_to_shape(grad, shape):
    """Sum ``grad`` over the axes along which a value of ``shape`` was broadcast into it (all
    of them for shape (), the axes of size 1 for a shape of grad's length)."""
    if len(shape) < grad.ndim:
        return grad.sum()
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=axes, keepdims=True)


@refuses_legacy_reduction
def gaussian_nll_loss_grad(input, target, var, *, full=False, eps=1e-6, reduction="mean"):
    """The gradients of gaussian_nll_loss: ``(d loss / d input, d loss / d var)``.

    With ``v = max(var, eps)`` and ``r = input - target``: d / d input is ``r / v`` and
    d / d var is ``(1 / v - r**2 / v**2) / 2``, summed over the elements a variance is shared by;
    it has var's shape (0-d for a number). As in torch, the clamp at eps does not stop the
    gradient: it is taken at the clamped value.

    Examples
    --------
    >>> d_input, d_var = gaussian_nll_loss_grad([2.0], [0.0], [1.0])
    >>> d_input, d_var
    (array([2.]), array([-1.5]))
    """
    x, t, v, _, eps = validate_gaussian(input, target, var, full, eps, reduction,
                                        "gaussian_nll_loss_grad")
    v = np.maximum(np.broadcast_to(v, x.shape), eps)
    with np.errstate(over="ignore"):  # beyond the float range: inf, as in torch
        r = x - np.broadcast_to(t, x.shape)
        d_input = r / v
        d_var = 0.5 * (1 / v - (r / v) ** 2)
    shape = np.shape(var)
    if shape == x.shape[:-1] and shape != x.shape:  # one variance per row: summed along it
        d_var = d_var.sum(axis=-1)
    else:  # a shared axis of size 1, or one number for everything
        d_var = sum_to_shape(d_var, shape)
    return (reduce_grad(d_input, reduction, x.size),
            reduce_grad(np.asarray(d_var).reshape(shape), reduction, x.size))


@refuses_legacy_reduction
def pinball_loss_grad(input, target, *, quantile=0.5, reduction="mean"):
    """d pinball_loss / d input: ``-quantile`` below the target, ``1 - quantile`` above it, and
    their average ``0.5 - quantile`` where input equals the target (0 for the median, as
    ``l1_loss_grad`` gives; torch's autograd of ``maximum`` splits a tie the same way).

    Examples
    --------
    >>> pinball_loss_grad([1.0, 1.0, 3.0], [3.0, 0.0, 3.0], quantile=0.9, reduction="sum")
    array([-0.9,  0.1, -0.4])
    """
    x, t, q = validate_pinball(input, target, quantile, reduction, "pinball_loss_grad")
    grad = np.where(x < t, -q, np.where(x > t, 1 - q, 0.5 - q))
    return reduce_grad(grad.astype(x.dtype, copy=False), reduction, x.size)
