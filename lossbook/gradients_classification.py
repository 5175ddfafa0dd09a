"""Analytic gradients of the losses in :mod:`lossbook.losses_classification`.

As in :mod:`lossbook.gradients`: each ``<loss>_grad`` takes exactly the arguments of ``<loss>``
and returns d loss / d input, shaped like ``input``; for ``reduction="none"`` the gradient of
``loss.sum()``. At a hinge's kink (a margin met exactly) the gradient is 0, as in torch.
"""

from __future__ import annotations

import numpy as np

from ._validation import refuses_legacy_reduction
from .activations import sigmoid
from .losses import binary_cross_entropy_with_logits, reduce_grad
from .losses_classification import (
    validate_focal,
    validate_multi_margin,
    validate_multilabel_margin,
    validate_multilabel_soft_margin,
    validate_soft_margin,
)

__all__ = [
    "soft_margin_loss_grad",
    "multi_margin_loss_grad",
    "multilabel_margin_loss_grad",
    "multilabel_soft_margin_loss_grad",
    "sigmoid_focal_loss_grad",
]


@refuses_legacy_reduction
def soft_margin_loss_grad(input, target, *, reduction="mean"):
    """d soft_margin_loss / d input = ``-target * sigmoid(-target * input)``.

    Examples
    --------
    >>> soft_margin_loss_grad([0.0], [1.0])
    array([-0.5])
    """
    x, y = validate_soft_margin(input, target, reduction, "soft_margin_loss_grad")
    grad = -y * sigmoid(-y * x)
    return reduce_grad(grad.astype(x.dtype, copy=False), reduction, x.size)


@refuses_legacy_reduction
def multi_margin_loss_grad(input, target, *, p=1, margin=1.0, weight=None, reduction="mean"):
    """d multi_margin_loss / d input. Each rival class j whose hinge ``h = margin - x_y + x_j``
    is above 0 gets ``w_y * p * h**(p - 1) / C``, and the target class minus the sum of them.

    Examples
    --------
    >>> multi_margin_loss_grad([[1.0, 0.5, -2.0]], [0])
    array([[-0.33333333,  0.33333333,  0.        ]])
    """
    x, x2, y, p, margin, w = validate_multi_margin(input, target, p, margin, weight, reduction,
                                                   "multi_margin_loss_grad")
    n, c = x2.shape
    rows = np.arange(n)
    hinge = margin - x2[rows, y][:, None] + x2  # (N, C)
    slope = np.where(hinge > 0, p * hinge ** (p - 1), 0.0)
    slope[rows, y] = 0  # the target is not its own rival
    if w is not None:
        slope = slope * w[y][:, None]
    grad = slope / c
    grad[rows, y] = 0.0 - slope.sum(axis=1) / c
    return reduce_grad(grad.astype(x.dtype, copy=False), reduction, n).reshape(x.shape)


@refuses_legacy_reduction
def multilabel_margin_loss_grad(input, target, *, reduction="mean"):
    """d multilabel_margin_loss / d input. Each (label j, non-label k) pair whose hinge
    ``1 - x_j + x_k`` is above 0 adds ``1 / C`` to class k and ``-1 / C`` to class j.

    Examples
    --------
    >>> multilabel_margin_loss_grad([0.1, 0.2, 0.4, 0.8], [3, 0, -1, 1])
    array([-0.5,  0.5,  0.5, -0.5])
    """
    x, x2, y2, listed, is_label = validate_multilabel_margin(input, target, reduction,
                                                             "multilabel_margin_loss_grad")
    n, c = x2.shape
    label_score = x2[np.arange(n)[:, None], np.where(listed, y2, 0)]  # (N, J)
    hinge = 1 - label_score[:, :, None] + x2[:, None, :]  # (N, J, K)
    active = (hinge > 0) & listed[:, :, None] & ~is_label[:, None, :]
    grad = active.sum(axis=1) / c  # every non-label k, once per label that it beats
    rows = np.broadcast_to(np.arange(n)[:, None], y2.shape)
    np.add.at(grad, (rows[listed], y2[listed]), -active.sum(axis=2)[listed] / c)
    return reduce_grad(grad.astype(x.dtype, copy=False), reduction, n).reshape(x.shape)


@refuses_legacy_reduction
def multilabel_soft_margin_loss_grad(input, target, *, weight=None, reduction="mean"):
    """d multilabel_soft_margin_loss / d input = ``w * (sigmoid(input) - target) / C``.

    Examples
    --------
    >>> multilabel_soft_margin_loss_grad([[0.0, 0.0]], [[1.0, 0.0]])
    array([[-0.25,  0.25]])
    """
    x, t, w = validate_multilabel_soft_margin(input, target, weight, reduction,
                                              "multilabel_soft_margin_loss_grad")
    c = x.shape[-1]
    grad = (sigmoid(x) - t) * (1 if w is None else w) / c
    return reduce_grad(grad.astype(x.dtype, copy=False), reduction, x.size // c)


@refuses_legacy_reduction
def sigmoid_focal_loss_grad(input, target, *, alpha=0.25, gamma=2.0, reduction="none"):
    """d sigmoid_focal_loss / d input.

    With s = sigmoid(input), q = 1 - p_t and BCE as in the loss: ``alpha_t * ((s - t) * q**gamma
    + BCE * gamma * q**(gamma - 1) * dq)``, where ``dq = -(2 t - 1) s (1 - s)`` is q's slope.
    Where q is 0 (a logit so large that s rounds to the target) the second term is 0, its limit.

    Examples
    --------
    >>> sigmoid_focal_loss_grad([0.0], [1.0], gamma=0.0, alpha=-1.0)
    array([-0.5])
    """
    x, t, alpha, gamma = validate_focal(input, target, alpha, gamma, reduction,
                                        "sigmoid_focal_loss_grad")
    s = sigmoid(x)
    bce = binary_cross_entropy_with_logits(x, t, reduction="none")
    q = 1 - (s * t + (1 - s) * (1 - t))
    dq = -(2 * t - 1) * s * (1 - s)
    with np.errstate(divide="ignore", invalid="ignore"):  # q**(gamma - 1) at q = 0: unused
        focus_slope = np.where(q > 0, gamma * q ** (gamma - 1) * dq, 0.0)
    grad = (s - t) * q ** gamma + bce * focus_slope
    if alpha >= 0:
        grad = (alpha * t + (1 - alpha) * (1 - t)) * grad
    return reduce_grad(grad.astype(x.dtype, copy=False), reduction, x.size)
