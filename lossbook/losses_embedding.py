"""Losses that compare two or three inputs: rankings, similarities and embeddings.

``margin_ranking_loss``, ``hinge_embedding_loss``, ``cosine_embedding_loss``,
``triplet_margin_loss`` and ``triplet_margin_with_distance_loss`` mirror
``torch.nn.functional``; ``info_nce_loss`` (the contrastive loss of CPC and SimCLR) is not in
torch. Options are keyword-only; a ±1 target must be -1 or 1. Each loss's validator is here
too; its gradient in :mod:`lossbook.gradients_embedding` calls the same one.
"""

from __future__ import annotations

import numpy as np

from . import _params
from ._validation import (
    as_float_array,
    check_finite,
    check_reduction,
    check_same_shape,
    first_index,
    refuses_legacy_reduction,
    shape_mismatch_message,
)
from .activations import log_softmax
from .losses import reduce
from .losses_classification import check_signs

__all__ = [
    "margin_ranking_loss",
    "hinge_embedding_loss",
    "cosine_embedding_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
    "info_nce_loss",
]

#: What torch adds to each squared norm in cosine_embedding_loss, so that a zero vector has
#: cosine 0 with everything rather than 0 / 0: 1e-12 as a float32 constant, 9.99999996e-13
#: (the difference shows in the cosine of vectors shorter than about 1e-4).
EPSILON = float(np.float32(1e-12))


# --------------------------------------------------------------------------- validation


def validate_margin_ranking(input1, input2, target, margin, reduction, func):
    """margin_ranking_loss: two score arrays and ±1 targets, all of one shape."""
    check_reduction(reduction, func)
    margin = _params.real(margin, "margin", func)
    x1, x2 = check_same_shape(input1, input2, func, names=("input1", "input2"))
    _, y = check_same_shape(x1, target, func, names=("input1", "target"))
    check_signs(y, "target", func)
    return x1, x2, y, margin


def validate_hinge_embedding(input, target, margin, reduction, func):
    """hinge_embedding_loss: distances and ±1 targets of one shape."""
    check_reduction(reduction, func)
    margin = _params.real(margin, "margin", func)
    x, y = check_same_shape(input, target, func)
    check_signs(y, "target", func)
    return x, y, margin


def vectors(arrays, names, func):
    """Arrays of vectors, all of one shape: (N, D) (a batch) or (D,) (one vector)."""
    out = [as_float_array(a, name, func) for a, name in zip(arrays, names, strict=True)]
    for a, name in zip(out, names, strict=True):
        if a.ndim not in (1, 2):
            raise ValueError(f"{func}: {name} must have shape (N, D) or (D,), got {a.shape}. "
                             f"Flatten each example into one vector: {name}.reshape(N, -1).")
        if a.shape != out[0].shape:
            raise ValueError(shape_mismatch_message(func, out[0].shape, a.shape, (names[0], name)))
        check_finite(a, name, func)
    dtype = np.result_type(*out)
    return [a.astype(dtype, copy=False) for a in out]


def check_finite_result(value, what, func):
    """Refuse a norm or distance that overflowed the float range (inf would give inf - inf)."""
    if not np.isfinite(value).all():
        where = first_index(~np.isfinite(np.atleast_1d(value)))
        raise ValueError(f"{func}: the {what} at {where} is beyond the float range. Scale the "
                         "inputs down (divide by their largest entry).")


def validate_cosine_embedding(input1, input2, target, margin, reduction, func):
    """cosine_embedding_loss: two arrays of vectors and one ±1 target per vector."""
    check_reduction(reduction, func)
    margin = _params.real(margin, "margin", func, hint="Usually in [-1, 1]; 0 or 0.5 are common.")
    x1, x2 = vectors((input1, input2), ("input1", "input2"), func)
    y = as_float_array(target, "target", func)
    if y.shape != x1.shape[:-1]:
        raise ValueError(f"{func}: input1 has shape {x1.shape}, so target needs one -1 or 1 per "
                         f"vector: shape {x1.shape[:-1]}, got {y.shape}.")
    check_signs(y, "target", func)
    return x1, x2, y, margin


def validate_triplet(anchor, positive, negative, margin, p, eps, swap, reduction, func):
    """triplet_margin_loss: three arrays of vectors of one shape, a norm degree p > 0."""
    check_reduction(reduction, func)
    margin = _params.real(margin, "margin", func)
    p = _params.real(p, "p", func, low=0.0, open_low=True, hint="2 is the Euclidean distance.")
    eps = _params.real(eps, "eps", func, low=0.0, hint="torch's default is 1e-6.")
    swap = _params.flag(swap, "swap", func)
    a, pos, neg = vectors((anchor, positive, negative), ("anchor", "positive", "negative"), func)
    return a, pos, neg, margin, p, eps, swap


def validate_triplet_with_distance(anchor, positive, negative, distance_function, margin, swap,
                                   reduction, func):
    """triplet_margin_with_distance_loss: as triplet_margin_loss, a distance function (or None
    for the Euclidean one) and a margin > 0 (torch's rule)."""
    check_reduction(reduction, func)
    if distance_function is not None and not callable(distance_function):
        raise TypeError(f"{func}: distance_function must be a function of two arrays of vectors "
                        f"that returns their distances, or None, got {type(distance_function).__name__}.")
    margin = _params.real(margin, "margin", func, low=0.0, open_low=True, hint="torch requires "
                          "a margin > 0; 1.0 is its default.")
    swap = _params.flag(swap, "swap", func)
    a, pos, neg = vectors((anchor, positive, negative), ("anchor", "positive", "negative"), func)
    return a, pos, neg, margin, swap


def validate_info_nce(query, key, temperature, reduction, func):
    """info_nce_loss: two (N, D) arrays of nonzero vectors and a temperature > 0."""
    check_reduction(reduction, func)
    temperature = _params.real(temperature, "temperature", func, low=0.0, open_low=True,
                               hint="0.1 is common; smaller values sharpen the softmax.")
    q, k = vectors((query, key), ("query", "key"), func)
    if q.ndim != 2:
        raise ValueError(f"{func}: query and key must have shape (N, D), a batch of pairs, got "
                         f"{q.shape}. For one pair, the loss is 0; pass at least two.")
    for a, name in ((q, "query"), (k, "key")):
        norms = np.linalg.norm(a, axis=1)
        check_finite_result(norms, f"norm of {name}'s row", func)
        if (norms == 0).any():
            row = first_index(norms == 0)[0]
            raise ValueError(f"{func}: row {row} of {name} is a zero vector, which has no "
                             "direction and so no cosine similarity. Drop it from the batch.")
    return q, k, temperature


# --------------------------------------------------------------------------- losses


@refuses_legacy_reduction
def margin_ranking_loss(input1, input2, target, *, margin=0.0, reduction="mean"):
    """Ranks two scores, like ``torch.nn.functional.margin_ranking_loss``.

    Parameters
    ----------
    input1, input2 : array-like of the same shape
        The two scores of each pair.
    target : array-like, same shape
        1 where ``input1`` should rank higher, -1 where ``input2`` should.
    margin : float
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    ``max(0, -target * (input1 - input2) + margin)``: zero once the right score leads by the
    margin.

    Examples
    --------
    >>> margin_ranking_loss([2.0], [1.5], [1.0], margin=1.0)
    0.5
    """
    x1, x2, y, margin = validate_margin_ranking(input1, input2, target, margin, reduction,
                                                "margin_ranking_loss")
    with np.errstate(over="ignore"):  # beyond the float range: inf, as in torch
        loss = np.maximum(-y * (x1 - x2) + margin, 0)
    return reduce(loss.astype(x1.dtype, copy=False), reduction)


@refuses_legacy_reduction
def hinge_embedding_loss(input, target, *, margin=1.0, reduction="mean"):
    """Pulls similar pairs' distances down and pushes dissimilar ones past a margin, like
    ``torch.nn.functional.hinge_embedding_loss``.

    Parameters
    ----------
    input : array-like
        Distances (e.g. the L1 distance between two embeddings).
    target : array-like, same shape
        1 for a similar pair, -1 for a dissimilar one.
    margin : float
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    ``input`` where the target is 1, ``max(0, margin - input)`` where it is -1.

    Examples
    --------
    >>> hinge_embedding_loss([0.3, 0.3], [1.0, -1.0], reduction="none")
    array([0.3, 0.7])
    """
    x, y, margin = validate_hinge_embedding(input, target, margin, reduction,
                                            "hinge_embedding_loss")
    with np.errstate(over="ignore"):  # beyond the float range: inf, as in torch
        loss = np.where(y == 1, x, np.maximum(margin - x, 0))
    return reduce(loss.astype(x.dtype, copy=False), reduction)


def cosine_similarity(x1, x2):
    """torch's cosine in cosine_embedding_loss: x1 . x2 / sqrt((|x1|**2 + EPSILON) (|x2|**2 +
    EPSILON)) along the last axis, and the two squared norms with EPSILON added."""
    norm_sq1 = (x1 * x1).sum(axis=-1) + EPSILON
    norm_sq2 = (x2 * x2).sum(axis=-1) + EPSILON
    return (x1 * x2).sum(axis=-1) / (np.sqrt(norm_sq1) * np.sqrt(norm_sq2)), norm_sq1, norm_sq2


@refuses_legacy_reduction
def cosine_embedding_loss(input1, input2, target, *, margin=0.0, reduction="mean"):
    """Makes similar pairs' cosine 1 and dissimilar ones' at most the margin, like
    ``torch.nn.functional.cosine_embedding_loss``.

    Parameters
    ----------
    input1, input2 : array-like of shape (N, D) or (D,)
        The two vectors of each pair.
    target : array-like of shape (N,) or ()
        1 for a similar pair, -1 for a dissimilar one.
    margin : float
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    With cos the cosine similarity: ``1 - cos`` where the target is 1, ``max(0, cos -
    margin)`` where it is -1. As in torch, 1e-12 is added to each squared norm, so a zero
    vector has cosine 0 with everything, and vectors shorter than about 1e-6 have a cosine
    nearer 0 than their directions say.

    Examples
    --------
    >>> round(cosine_embedding_loss([[1.0, 0.0]], [[1.0, 1.0]], [1.0]), 4)
    0.2929
    """
    x1, x2, y, margin = validate_cosine_embedding(input1, input2, target, margin, reduction,
                                                  "cosine_embedding_loss")
    with np.errstate(over="ignore", invalid="ignore"):  # refused just below
        cos, norm_sq1, norm_sq2 = cosine_similarity(x1, x2)
    check_finite_result(norm_sq1 + norm_sq2, "squared norm", "cosine_embedding_loss")
    loss = np.where(y == 1, 1 - cos, np.maximum(cos - margin, 0))
    return reduce(loss.astype(x1.dtype, copy=False), reduction)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6):
    """torch's pairwise_distance: the p-norm of ``x1 - x2 + eps`` along the last axis (eps keeps
    the distance of two equal vectors away from the norm's kink at 0)."""
    return (np.abs(x1 - x2 + eps) ** p).sum(axis=-1) ** (1 / p)


@refuses_legacy_reduction
def triplet_margin_loss(anchor, positive, negative, *, margin=1.0, p=2.0, eps=1e-6, swap=False,
                        reduction="mean"):
    """Puts each anchor nearer its positive than its negative by a margin, like
    ``torch.nn.functional.triplet_margin_loss``.

    Parameters
    ----------
    anchor, positive, negative : array-like of shape (N, D) or (D,)
    margin : float
    p : float > 0
        The degree of the norm that measures distances (2: Euclidean).
    eps : float >= 0
        Added to each difference before the norm, as in torch.
    swap : bool
        Use the positive's distance to the negative instead where it is smaller.
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    ``max(d(a, p) - d(a, n) + margin, 0)`` with ``d(x, y) = ||x - y + eps||_p``.

    Examples
    --------
    >>> round(triplet_margin_loss([0.0, 0.0], [1.0, 0.0], [1.5, 0.0], eps=0.0), 4)
    0.5
    """
    a, pos, neg, margin, p, eps, swap = validate_triplet(
        anchor, positive, negative, margin, p, eps, swap, reduction, "triplet_margin_loss")
    with np.errstate(over="ignore"):
        d_pos = pairwise_distance(a, pos, p, eps)
        d_neg = pairwise_distance(a, neg, p, eps)
        if swap:
            d_neg = np.minimum(d_neg, pairwise_distance(pos, neg, p, eps))
    check_finite_result(d_pos + d_neg, "distance", "triplet_margin_loss")
    loss = np.maximum(margin + d_pos - d_neg, 0)
    return reduce(loss.astype(a.dtype, copy=False), reduction)


def call_distance(distance_function, x1, x2, names, func):
    """``distance_function(x1, x2)`` (the Euclidean distance if None), checked: one finite
    distance per vector."""
    if distance_function is None:
        with np.errstate(over="ignore"):
            d = pairwise_distance(x1, x2)
    else:
        try:
            d = distance_function(x1, x2)
        except Exception as err:  # noqa: BLE001 - the learner's function, whatever it raises
            raise TypeError(f"{func}: distance_function({names}) raised {type(err).__name__}: "
                            f"{err}. It is called with two numpy arrays of vectors.") from None
    d = as_float_array(d, f"distance_function({names})", func)
    if d.shape != x1.shape[:-1]:
        raise ValueError(f"{func}: distance_function({names}) returned shape {d.shape}; it must "
                         f"return one distance per vector, shape {x1.shape[:-1]}.")
    check_finite(d, f"distance_function({names})", func)
    return d


@refuses_legacy_reduction
def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """The triplet loss with any distance, like
    ``torch.nn.functional.triplet_margin_with_distance_loss``.

    Parameters
    ----------
    anchor, positive, negative : array-like of shape (N, D) or (D,)
    distance_function : callable or None
        Takes two numpy arrays of vectors and returns one distance per vector; None is the
        Euclidean distance (torch's ``pairwise_distance``, with eps 1e-6).
    margin : float > 0
    swap : bool
    reduction : {"mean", "sum", "none"}

    Notes
    -----
    ``max(d(a, p) - d(a, n) + margin, 0)``, with the distance d given.

    Examples
    --------
    >>> def l1(x, y):
    ...     return np.abs(x - y).sum(axis=-1)
    >>> triplet_margin_with_distance_loss([0.0, 0.0], [1.0, 1.0], [1.0, 2.0], distance_function=l1)
    0.0
    """
    func = "triplet_margin_with_distance_loss"
    a, pos, neg, margin, swap = validate_triplet_with_distance(
        anchor, positive, negative, distance_function, margin, swap, reduction, func)
    d_pos = call_distance(distance_function, a, pos, "anchor, positive", func)
    d_neg = call_distance(distance_function, a, neg, "anchor, negative", func)
    if swap:
        d_neg = np.minimum(d_neg, call_distance(distance_function, pos, neg,
                                                "positive, negative", func))
    loss = np.maximum(margin + d_pos - d_neg, 0)
    return reduce(loss.astype(a.dtype, copy=False), reduction)


def similarity_logits(q, k, temperature):
    """The (N, N) cosine similarities of every query with every key, over the temperature."""
    q_unit = q / np.linalg.norm(q, axis=1, keepdims=True)
    k_unit = k / np.linalg.norm(k, axis=1, keepdims=True)
    return q_unit @ k_unit.T / temperature, q_unit, k_unit


@refuses_legacy_reduction
def info_nce_loss(query, key, *, temperature=0.1, reduction="mean"):
    """The InfoNCE contrastive loss (van den Oord et al., 2018; SimCLR's NT-Xent): row i of
    ``key`` is the positive of row i of ``query``, every other row a negative. Not in torch.

    Parameters
    ----------
    query, key : array-like of shape (N, D)
        N pairs of embeddings (nonzero vectors).
    temperature : float > 0
    reduction : {"mean", "sum", "none"}
        "none" gives one loss per query, shape (N,).

    Notes
    -----
    ``s_ij = cos(query_i, key_j) / temperature``; ``loss_i = -log softmax(s_i)_i``, the
    cross-entropy of row i of s against class i: ``cross_entropy(s, np.arange(N))``.

    Examples
    --------
    >>> round(info_nce_loss([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], temperature=1.0), 4)
    0.3133
    """
    q, k, temperature = validate_info_nce(query, key, temperature, reduction, "info_nce_loss")
    logits, _, _ = similarity_logits(q, k, temperature)
    loss = -np.diagonal(log_softmax(logits, axis=1))  # key i is the right "class" of query i
    return reduce(loss.astype(q.dtype, copy=False), reduction)
