"""Analytic gradients of the losses in :mod:`lossbook.losses_embedding`.

Each ``<loss>_grad`` takes exactly the arguments of ``<loss>``. A loss of one input returns
d loss / d input; a loss of two or three inputs returns a tuple, one gradient per input in the
order of the arguments (``input1, input2``; ``anchor, positive, negative``; ``query, key``),
each shaped like its input. Targets get no gradient. For ``reduction="none"`` these are the
gradients of ``loss.sum()``. Where a hinge is met exactly (its argument is 0) the gradient
passes, as torch's ``clamp_min`` lets it.
"""

from __future__ import annotations

import numpy as np

from ._validation import refuses_legacy_reduction
from .activations import softmax
from .losses import reduce_grad
from .losses_embedding import (
    cosine_similarity,
    pairwise_distance,
    similarity_logits,
    validate_cosine_embedding,
    validate_hinge_embedding,
    validate_info_nce,
    validate_margin_ranking,
    validate_triplet,
    validate_triplet_with_distance,
)

__all__ = [
    "margin_ranking_loss_grad",
    "hinge_embedding_loss_grad",
    "cosine_embedding_loss_grad",
    "triplet_margin_loss_grad",
    "triplet_margin_with_distance_loss_grad",
    "info_nce_loss_grad",
]


@refuses_legacy_reduction
def margin_ranking_loss_grad(input1, input2, target, *, margin=0.0, reduction="mean"):
    """The gradients of margin_ranking_loss: ``(-target, target)`` where the hinge is active.

    Examples
    --------
    >>> margin_ranking_loss_grad([2.0], [1.5], [1.0], margin=1.0)
    (array([-1.]), array([1.]))
    """
    x1, x2, y, margin = validate_margin_ranking(input1, input2, target, margin, reduction,
                                                "margin_ranking_loss_grad")
    with np.errstate(over="ignore"):
        active = -y * (x1 - x2) + margin >= 0
    d1 = np.where(active, -y, 0).astype(x1.dtype)
    return reduce_grad(d1, reduction, x1.size), reduce_grad(0.0 - d1, reduction, x1.size)


@refuses_legacy_reduction
def hinge_embedding_loss_grad(input, target, *, margin=1.0, reduction="mean"):
    """d hinge_embedding_loss / d input: 1 where the target is 1, -1 where it is -1 and the
    input is within the margin, else 0.

    Examples
    --------
    >>> hinge_embedding_loss_grad([0.3, 0.3, 2.0], [1.0, -1.0, -1.0], reduction="sum")
    array([ 1., -1.,  0.])
    """
    x, y, margin = validate_hinge_embedding(input, target, margin, reduction,
                                            "hinge_embedding_loss_grad")
    with np.errstate(over="ignore"):
        grad = np.where(y == 1, 1.0, np.where(margin - x >= 0, -1.0, 0.0))
    return reduce_grad(grad.astype(x.dtype), reduction, x.size)


@refuses_legacy_reduction
def cosine_embedding_loss_grad(input1, input2, target, *, margin=0.0, reduction="mean"):
    """The gradients of cosine_embedding_loss, ``(d / d input1, d / d input2)``.

    With ``n1 = |x1|**2 + 1e-12`` (and n2 alike), ``d cos / d x1 = x2 / sqrt(n1 n2) - cos * x1
    / n1``; the loss's slope in cos is -1 where the target is 1 and 1 where it is -1 and
    ``cos >= margin``.

    Examples
    --------
    >>> d1, d2 = cosine_embedding_loss_grad([[1.0, 0.0]], [[0.0, 1.0]], [1.0])
    >>> d1.round(6), d2.round(6)
    (array([[ 0., -1.]]), array([[-1.,  0.]]))
    """
    x1, x2, y, margin = validate_cosine_embedding(input1, input2, target, margin, reduction,
                                                  "cosine_embedding_loss_grad")
    cos, norm_sq1, norm_sq2 = cosine_similarity(x1, x2)
    denom = (np.sqrt(norm_sq1) * np.sqrt(norm_sq2))[..., None]
    slope = np.where(y == 1, -1.0, np.where(cos - margin >= 0, 1.0, 0.0))[..., None]
    d1 = slope * (x2 / denom - cos[..., None] * x1 / norm_sq1[..., None]) + 0.0  # no -0.0
    d2 = slope * (x1 / denom - cos[..., None] * x2 / norm_sq2[..., None]) + 0.0
    return reduce_grad(d1, reduction, cos.size), reduce_grad(d2, reduction, cos.size)


def distance_slope(x1, x2, p, eps):
    """d pairwise_distance(x1, x2) / d x1 = ``sign(u) |u|**(p-1) / d**(p-1)``, u = x1 - x2 + eps
    (0 where the distance or u is 0, as torch's norm gives); d / d x2 is its negative."""
    u = x1 - x2 + eps
    d = pairwise_distance(x1, x2, p, eps)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 ** (p - 1) for p < 1: unused
        slope = np.sign(u) * np.abs(u) ** (p - 1) / d ** (p - 1)
    return np.where((d > 0) & (u != 0), slope, 0.0)


def triplet_grads(a, pos, neg, margin, p, eps, swap, reduction):
    """The gradients (anchor, positive, negative) of the triplet loss with a p-norm distance."""
    d_ap, d_an = pairwise_distance(a, pos, p, eps), pairwise_distance(a, neg, p, eps)
    g_ap, g_an = distance_slope(a, pos, p, eps), distance_slope(a, neg, p, eps)
    if swap:  # d_neg = min(d_an, d_pn); torch splits a tie evenly
        d_pn, g_pn = pairwise_distance(pos, neg, p, eps), distance_slope(pos, neg, p, eps)
        w_an = np.where(d_an < d_pn, 1.0, np.where(d_an == d_pn, 0.5, 0.0))
        d_neg = np.minimum(d_an, d_pn)
    else:
        g_pn, w_an, d_neg = 0.0, np.ones_like(d_an), d_an
    active = (margin + d_ap - d_neg >= 0)[..., None]
    w_an, w_pn = w_an[..., None], 1 - w_an[..., None]
    d_a = np.where(active, g_ap - w_an * g_an, 0.0)
    d_pos = np.where(active, 0.0 - g_ap - w_pn * g_pn, 0.0)
    d_neg_ = np.where(active, w_an * g_an + w_pn * g_pn, 0.0)
    count = d_ap.size
    return tuple(reduce_grad(g.astype(a.dtype), reduction, count) for g in (d_a, d_pos, d_neg_))


@refuses_legacy_reduction
def triplet_margin_loss_grad(anchor, positive, negative, *, margin=1.0, p=2.0, eps=1e-6,
                             swap=False, reduction="mean"):
    """The gradients of triplet_margin_loss, ``(d / d anchor, d / d positive, d / d negative)``.

    Where the hinge is active: ``g(a, p) - g(a, n)`` for the anchor, ``-g(a, p)`` for the
    positive and ``g(a, n)`` for the negative, with g the slope of the distance (for p = 2, the
    unit vector ``(a - p + eps) / d(a, p)``).

    Examples
    --------
    >>> d_a, d_p, d_n = triplet_margin_loss_grad([0.0, 0.0], [1.0, 0.0], [0.0, 1.5], eps=0.0)
    >>> d_a, d_p, d_n
    (array([-1.,  1.]), array([1., 0.]), array([ 0., -1.]))
    """
    a, pos, neg, margin, p, eps, swap = validate_triplet(
        anchor, positive, negative, margin, p, eps, swap, reduction, "triplet_margin_loss_grad")
    return triplet_grads(a, pos, neg, margin, p, eps, swap, reduction)


@refuses_legacy_reduction
def triplet_margin_with_distance_loss_grad(anchor, positive, negative, *, distance_function=None,
                                           margin=1.0, swap=False, reduction="mean"):
    """The gradients of triplet_margin_with_distance_loss for the default Euclidean distance
    (``distance_function=None``), as in :func:`triplet_margin_loss_grad`. For a distance of your
    own, lossbook cannot know its derivative: use :func:`~lossbook.gradients.numerical_gradient`.

    Examples
    --------
    >>> triplet_margin_with_distance_loss_grad([0.0], [1.0], [1.5])[0].round(6)
    array([0.])
    """
    func = "triplet_margin_with_distance_loss_grad"
    a, pos, neg, margin, swap = validate_triplet_with_distance(
        anchor, positive, negative, distance_function, margin, swap, reduction, func)
    if distance_function is not None:
        raise ValueError(
            f"{func}: the analytic gradient is known only for distance_function=None (the "
            "Euclidean distance). For your own distance, differentiate numerically: "
            "lb.numerical_gradient(lambda a: triplet_margin_with_distance_loss(a, positive, "
            "negative, distance_function=...), anchor).")
    return triplet_grads(a, pos, neg, margin, 2.0, 1e-6, swap, reduction)


@refuses_legacy_reduction
def info_nce_loss_grad(query, key, *, temperature=0.1, reduction="mean"):
    """The gradients of info_nce_loss, ``(d / d query, d / d key)``.

    With S the similarity logits, P = softmax(S) row by row and G = P - I (the cross-entropy's
    gradient): d / d unit queries is ``G @ K / temperature``, d / d unit keys
    ``G.T @ Q / temperature``, and each passes through the normalisation ``x / norm(x)``:
    ``(g - u (u . g)) / norm(x)``.

    Examples
    --------
    >>> d_q, d_k = info_nce_loss_grad([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]],
    ...                               temperature=1.0)
    >>> d_q.round(4)
    array([[0.    , 0.1345],
           [0.1345, 0.    ]])
    """
    q, k, temperature = validate_info_nce(query, key, temperature, reduction,
                                          "info_nce_loss_grad")
    logits, q_unit, k_unit = similarity_logits(q, k, temperature)
    g = reduce_grad(softmax(logits, axis=1) - np.eye(len(q)), reduction, len(q))
    d_q_unit = g @ k_unit / temperature
    d_k_unit = g.T @ q_unit / temperature

    def through_norm(d_unit, unit, x):
        return (d_unit - unit * (unit * d_unit).sum(axis=1, keepdims=True)) / np.linalg.norm(
            x, axis=1, keepdims=True)

    return through_norm(d_q_unit, q_unit, q), through_norm(d_k_unit, k_unit, k)
