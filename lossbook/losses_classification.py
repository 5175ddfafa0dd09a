"""Classification losses beyond cross-entropy: margins, several labels per example, focal.

``soft_margin_loss``, ``multi_margin_loss``, ``multilabel_margin_loss`` and
``multilabel_soft_margin_loss`` mirror ``torch.nn.functional``; ``sigmoid_focal_loss`` mirrors
``torchvision.ops.sigmoid_focal_loss``. As in :mod:`lossbook.losses`: scores first, target
second, options keyword-only. Each loss's validator is here too; its gradient in
:mod:`lossbook.gradients_classification` calls the same one.

lossbook is stricter than torch about targets: a ±1 target must be -1 or 1 and a 0/1 target
in [0, 1] (torch computes something for any number), and weights must be >= 0.
"""

from __future__ import annotations

import numpy as np

from . import _params
from ._validation import (
    as_float_array,
    check_class_target,
    check_finite,
    check_reduction,
    check_same_shape,
    check_weight,
    class_scores,
    first_index,
    read_labels,
    refuses_legacy_reduction,
    validate_binary_logits,
)
from .activations import sigmoid
from .losses import _softplus, binary_cross_entropy_with_logits, reduce

__all__ = [
    "soft_margin_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "sigmoid_focal_loss",
]


# --------------------------------------------------------------------------- validation


def check_signs(t, name, func):
    """Every entry of ``t`` is -1 or 1: the target of a margin loss."""
    bad = (t != 1) & (t != -1)
    if bad.any():
        where = first_index(bad)
        raise ValueError(
            f"{func}: {name} must hold -1 or 1, got {float(t[where]):.6g} at index {where}. "
            f"For 0/1 labels pass 2 * {name} - 1; torch would compute a meaningless loss."
        )


def validate_soft_margin(input, target, reduction, func):
    """soft_margin_loss: finite scores and targets of -1 or 1, of one shape."""
    check_reduction(reduction, func)
    x, y = check_same_shape(input, target, func)
    check_signs(y, "target", func)
    return x, y


def scores_and_classes(input, func):
    """Scores of shape (N, C) or (C,), or one score of shape () (a single class), as given, and
    their (N, C) view; finite."""
    x = as_float_array(input, "input", func)
    x2 = x.reshape(1, 1) if x.ndim == 0 else class_scores(x, "input", func)[1]
    check_finite(x2, "input", func)
    return x, x2


def validate_multi_margin(input, target, p, margin, weight, reduction, func):
    """multi_margin_loss: scores (N, C), (C,) or (), one class index per row, p of 1 or 2."""
    check_reduction(reduction, func)
    p = _params.integer(p, "p", func, low=1, high=2, hint="1 is the hinge, 2 the squared hinge.")
    margin = _params.real(margin, "margin", func)
    x, x2 = scores_and_classes(input, func)
    n, c = x2.shape
    y = read_labels(target, "target", func)
    if y.ndim > 1 or y.size != n:
        raise ValueError(
            f"{func}: input has shape {x.shape}, so target needs one class index per row: shape "
            f"{(n,) if x.ndim == 2 else '() or (1,)'}, got {y.shape}."
        )
    y = check_class_target(y, c, func).reshape(n)
    w = None if weight is None else check_weight(weight, c, func, x.dtype)
    return x, x2, y, p, margin, w


def validate_multilabel_margin(input, target, reduction, func):
    """multilabel_margin_loss: scores (N, C), (C,) or (); targets of the same shape holding the
    label indices of each row, ended by -1 if there are fewer than C.

    Returns x, its (N, C) view, the target's first J columns (N, J), J the most labels a row
    lists (the positions after every row's last label add nothing, and the (N, J, C) hinges are
    then no larger than needed), and two masks: ``listed`` (N, J) (position j holds a label,
    before the first -1) and ``is_label`` (N, C) (class k is one of the row's labels).
    """
    check_reduction(reduction, func)
    x, x2 = scores_and_classes(input, func)
    n, c = x2.shape
    y = read_labels(target, "target", func)
    if y.shape != x.shape:
        raise ValueError(
            f"{func}: target must have the input's shape {x.shape} (the labels of each row, "
            f"padded with -1), got {y.shape}. For a 0/1 indicator matrix, use "
            "multilabel_soft_margin_loss, or build the label lists as the Notes of "
            "multilabel_margin_loss show."
        )
    y2 = y.reshape(n, c)
    bad = (y2 < -1) | (y2 >= c)
    if bad.any():
        where = first_index(bad)
        raise ValueError(
            f"{func}: target holds {y2[where].item()} at {where}, but a label must be a class "
            f"index in [0, {c - 1}], or -1 to end the row's labels."
        )
    listed = np.cumprod(y2 != -1, axis=1).astype(bool)  # the positions before the first -1
    is_label = np.zeros((n, c), dtype=bool)
    rows = np.broadcast_to(np.arange(n)[:, None], (n, c))
    is_label[rows[listed], y2[listed]] = True
    most = int(listed.sum(axis=1).max())
    return x, x2, y2[:, :most], listed[:, :most], is_label


def validate_multilabel_soft_margin(input, target, weight, reduction, func):
    """multilabel_soft_margin_loss: scores (N, C) or (C,), 0/1 targets, a weight >= 0."""
    x, t, w, _ = validate_binary_logits(input, target, weight, None, reduction, func)
    class_scores(x, "input", func)  # the shape: (N, C) or (C,)
    return x, t, w


def validate_focal(input, target, alpha, gamma, reduction, func):
    """sigmoid_focal_loss: logits and 0/1 targets of one shape; alpha <= 1, gamma >= 0."""
    x, t, _, _ = validate_binary_logits(input, target, None, None, reduction, func)
    alpha = _params.real(alpha, "alpha", func, high=1.0, hint="It weights the positive class "
                         "(0.25 is the paper's choice); a negative alpha means no weighting.")
    gamma = _params.real(gamma, "gamma", func, low=0.0, hint="0 gives the cross-entropy; 2 is "
                         "the paper's choice.")
    return x, t, alpha, gamma


# --------------------------------------------------------------------------- losses


@refuses_legacy_reduction
def soft_margin_loss(input, target, *, reduction="mean"):
    """The logistic loss on ±1 labels, like ``torch.nn.functional.soft_margin_loss``.

    Parameters
    ----------
    input : array-like
        Scores (logits), any shape.
    target : array-like, same shape
        -1 or 1.
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    ``log(1 + exp(-target * input))``, computed as softplus so that it never overflows (torch's
    ``log1p(exp(...))`` is inf beyond a margin of about -710). It is
    :func:`~lossbook.losses.binary_cross_entropy_with_logits` with the 0/1 target ``(target + 1) / 2``.

    Examples
    --------
    >>> soft_margin_loss([2.0, -1.0], [1.0, 1.0], reduction="none").round(4)
    array([0.1269, 1.3133])
    """
    x, y = validate_soft_margin(input, target, reduction, "soft_margin_loss")
    return reduce(_softplus(-y * x).astype(x.dtype, copy=False), reduction)


@refuses_legacy_reduction
def multi_margin_loss(input, target, *, p=1, margin=1.0, weight=None, reduction="mean"):
    """The multi-class hinge loss, like ``torch.nn.functional.multi_margin_loss``.

    Parameters
    ----------
    input : array-like of shape (N, C) or (C,)
        Scores.
    target : array-like of int, shape (N,) (or () or (1,) for (C,) input)
        Class indices.
    p : {1, 2}
        1 for the hinge, 2 for the squared hinge.
    margin : float
        How far the target's score must lead every other class.
    weight : array-like of shape (C,), optional
        A weight >= 0 per class; a row's loss is scaled by its target's weight.
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    ``loss_i = sum_{j != y_i} w_{y_i} * max(0, margin - x_{i, y_i} + x_ij)**p / C``: note the
    division by the number of classes C, as in torch.

    Examples
    --------
    >>> round(multi_margin_loss([[13.0, -7.0, 11.0]], [0], margin=10.0), 4)
    2.6667
    """
    x, x2, y, p, margin, w = validate_multi_margin(input, target, p, margin, weight, reduction,
                                                   "multi_margin_loss")
    n, c = x2.shape
    rows = np.arange(n)
    rival = np.maximum(margin - x2[rows, y][:, None] + x2, 0) ** p  # (N, C)
    rival[rows, y] = 0  # the target is not its own rival
    if w is not None:
        rival = rival * w[y][:, None]
    loss = rival.sum(axis=1) / c
    shape = np.shape(target) if x.ndim < 2 else (n,)
    return reduce(loss.astype(x.dtype, copy=False).reshape(shape), reduction)


@refuses_legacy_reduction
def multilabel_margin_loss(input, target, *, reduction="mean"):
    """The multi-label hinge loss, like ``torch.nn.functional.multilabel_margin_loss``.

    Parameters
    ----------
    input : array-like of shape (N, C) or (C,)
        Scores.
    target : array-like of int, same shape
        Each row lists the row's labels (class indices), then -1 if there are fewer than C;
        entries after the first -1 are ignored. ``[3, 0, -1, 1]`` means classes 3 and 0.
    reduction : {"mean", "sum", "none"}
        "none" gives one loss per row ((N,), or () for (C,) input).

    Notes
    -----
    ``loss_i = sum_{j listed} sum_{k not a label} max(0, 1 - (x_{i, y_ij} - x_ik)) / C``: every
    label must beat every non-label by 1. A label listed twice counts twice, as in torch. From a
    0/1 indicator matrix ``t``, the labels are ``np.where(t, np.arange(C), -1)`` sorted
    descending along each row.

    Examples
    --------
    >>> round(multilabel_margin_loss([0.1, 0.2, 0.4, 0.8], [3, 0, -1, 1]), 4)
    0.85
    """
    x, x2, y2, listed, is_label = validate_multilabel_margin(input, target, reduction,
                                                             "multilabel_margin_loss")
    n, c = x2.shape
    label_score = x2[np.arange(n)[:, None], np.where(listed, y2, 0)]  # (N, J): x_{i, y_ij}
    hinge = np.maximum(1 - label_score[:, :, None] + x2[:, None, :], 0)  # (N, J, K)
    counted = listed[:, :, None] & ~is_label[:, None, :]
    loss = np.where(counted, hinge, 0).sum(axis=(1, 2)) / c
    return reduce(loss.astype(x.dtype, copy=False).reshape(x.shape[:-1] if x.ndim == 2 else ()),
                  reduction)


@refuses_legacy_reduction
def multilabel_soft_margin_loss(input, target, *, weight=None, reduction="mean"):
    """Binary cross-entropy per class, averaged over the classes, like
    ``torch.nn.functional.multilabel_soft_margin_loss``.

    Parameters
    ----------
    input : array-like of shape (N, C) or (C,)
        Logits, one per class.
    target : array-like, same shape
        0/1 labels (or probabilities in [0, 1]).
    weight : array-like, optional
        A weight >= 0 per element, broadcastable to the input (usually shape (C,)).
    reduction : {"mean", "sum", "none"}
        "none" gives one loss per row; "mean" averages the rows.

    Notes
    -----
    ``loss_i = (1/C) sum_c w_c * BCE(x_ic, t_ic)``, with BCE the
    :func:`~lossbook.losses.binary_cross_entropy_with_logits` of one logit.

    Examples
    --------
    >>> round(multilabel_soft_margin_loss([[0.0, 0.0]], [[1.0, 0.0]]), 4)
    0.6931
    """
    x, t, w = validate_multilabel_soft_margin(input, target, weight, reduction,
                                              "multilabel_soft_margin_loss")
    bce = binary_cross_entropy_with_logits(x, t, weight=w, reduction="none")
    return reduce(bce.mean(axis=-1), reduction)


@refuses_legacy_reduction
def sigmoid_focal_loss(input, target, *, alpha=0.25, gamma=2.0, reduction="none"):
    """The focal loss for dense detection (Lin et al., 2017), like
    ``torchvision.ops.sigmoid_focal_loss``: a binary cross-entropy that down-weights easy
    examples.

    Parameters
    ----------
    input : array-like
        Logits, any shape.
    target : array-like, same shape
        0/1 labels (or probabilities in [0, 1]).
    alpha : float <= 1
        The weight of the positive term (``1 - alpha`` for the negative one); a negative alpha
        means no weighting.
    gamma : float >= 0
        How strongly easy examples are down-weighted; 0 gives the plain cross-entropy.
    reduction : {"none", "mean", "sum"}
        "none" is the default, as in torchvision.

    Notes
    -----
    With p = sigmoid(input) and p_t = p if the target is 1 else 1 - p (in general
    ``p * t + (1 - p) * (1 - t)``): ``loss = alpha_t * (1 - p_t)**gamma * BCE``, where
    ``alpha_t = alpha * t + (1 - alpha) * (1 - t)``.

    Examples
    --------
    >>> sigmoid_focal_loss([2.0, -2.0], [1.0, 1.0]).round(5)
    array([0.00045, 0.41252])
    """
    x, t, alpha, gamma = validate_focal(input, target, alpha, gamma, reduction,
                                        "sigmoid_focal_loss")
    bce = binary_cross_entropy_with_logits(x, t, reduction="none")
    p = sigmoid(x)
    p_t = p * t + (1 - p) * (1 - t)
    loss = bce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    return reduce(loss.astype(x.dtype, copy=False), reduction)
