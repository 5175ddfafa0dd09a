"""Self-checks on entropy and the Kullback-Leibler divergence (the cross-entropy chapter).

Cross-entropy splits into the entropy of the target and the KL divergence of the prediction
from it, H(t, p) = H(t) + D_KL(t || p). The check below recognises the usual confusions
between the three quantities, the swapped divergence, other log bases, and the result of
``kl_div``'s default ``reduction="mean"``.
"""

from __future__ import annotations

import numpy as np

from .._i18n import _
from ._answers import as_array, fmt
from ._judge import Mistake, Problem
from ._registry import check, example


def _distributions(probs, target) -> tuple[np.ndarray, np.ndarray]:
    """The prediction p and target t as float arrays of one shape, each row a distribution."""
    p, t = as_array(probs, "probs"), as_array(target, "target")
    if p.shape != t.shape or p.ndim not in (1, 2) or p.shape[-1] < 2:
        raise ValueError(
            f"probs and target must have one shape, (C,) or (N, C) with C >= 2; got {p.shape} and {t.shape}"
        )
    for name, d in (("probs", p), ("target", t)):
        if not np.all(np.isfinite(d)) or np.any(d < 0) or not np.allclose(d.sum(axis=-1), 1):
            raise ValueError(f"{name} must hold probabilities that sum to 1 along the last axis")
    if np.any((t > 0) & (p == 0)):
        raise ValueError("probs is 0 where target is not, so the divergence is infinite")
    return p, t


def _rows(value: np.ndarray, batched: bool) -> float:
    """One number per example, averaged over the batch (a single distribution is one row)."""
    return float(np.mean(value)) if batched else float(value)


@check(
    examples=[
        example([0.8, 0.2], [0.5, 0.5]),
        example([0.05, 0.05, 0.9], [0.1, 0.2, 0.7]),
        example([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], [[0.6, 0.3, 0.1], [0.0, 0.2, 0.8]]),
    ]
)
def check_kl_divergence(answer, probs, target) -> Problem:
    """Check D_KL(target || probs) in nats.

    ``probs`` is the model's distribution p and ``target`` the label's distribution t, both of
    shape (C,), or (N, C) for a batch, whose divergence is the mean over its rows, as
    ``kl_div(log p, t, reduction="batchmean")`` computes it. Classes with t = 0 contribute 0.
    """
    p, t = _distributions(probs, target)
    batched = p.ndim == 2
    keep = t > 0
    safe_t = np.where(keep, t, 1.0)  # 0 log 0 = 0: log 1 = 0 where t is 0
    log_t, log_p = np.log(safe_t), np.log(np.where(keep, p, 1.0))
    entropy = _rows(-np.sum(t * log_t, axis=-1), batched)
    cross = _rows(-np.sum(t * log_p, axis=-1), batched)
    kl = _rows(np.sum(t * (log_t - log_p), axis=-1), batched)
    with np.errstate(divide="ignore", invalid="ignore"):
        swapped = _rows(np.sum(p * (np.log(p) - np.log(t)), axis=-1), batched)
    n_classes = p.shape[-1]
    summed = kl * p.shape[0] if batched and p.shape[0] > 1 else None
    log_hint = _("use np.log, the natural log, so that the answer is in nats.")
    formula = _("D_KL(t || p) = sum_k t_k * log(t_k / p_k), or H(t, p) - H(t).")
    return Problem(
        right=kl,
        what=_("the KL divergence D_KL(t || p) in nats"),
        correct=_("D_KL(t || p) = {0} nats = H(t, p) - H(t) = {1} - {2}.").format(
            fmt(kl), fmt(cross), fmt(entropy)
        ),
        idea=_("revisit how the KL divergence, the cross-entropy and the entropy of the target are related."),
        recipe=(
            _(
                "compute sum_k t_k * log(t_k / p_k) with np.log; a class with t_k = 0 adds 0 (0 log 0 = "
                "0), so skip it rather than let 0 * log(0) give nan."
            )
        ),
        mistakes=[
            Mistake(
                cross,
                _("that is the cross-entropy H(t, p), not the divergence."),
                _("subtract the entropy H(t) = -sum_k t_k * log(t_k)."),
            ),
            Mistake(
                entropy,
                _(
                    "that is the entropy H(t) of the target: the smallest possible "
                    "cross-entropy, not this prediction's gap above it."
                ),
                formula,
            ),
            Mistake(
                swapped if np.isfinite(swapped) else None,
                _(
                    "that is D_KL(p || t), with the two distributions swapped; the divergence is not "
                    "symmetric."
                ),
                _("weight the logs by the target: sum_k t_k * log(t_k / p_k)."),
            ),
            Mistake(
                _rows(np.sum(t * (log_t - p), axis=-1), batched),
                _("that is kl_div fed the probabilities p, where it expects log-probabilities."),
                _("pass np.log(p) (or log_softmax of the logits) as kl_div's first argument."),
            ),
            Mistake(kl / np.log(2), _("that is the divergence in bits (log base 2)."), log_hint),
            Mistake(kl / np.log(10), _("that is the base-10 logarithm."), log_hint),
            Mistake(-kl, _("the sign is flipped: a KL divergence is never negative."), formula),
            Mistake(
                kl / n_classes,
                _(
                    "that is the divergence divided by the number of classes, C = "
                    "{n_classes}: what kl_div's default reduction='mean' returns."
                ).format(n_classes=n_classes),
                _(
                    "sum over the classes; over a batch, average over the examples only "
                    "(reduction='batchmean')."
                ),
            ),
            Mistake(
                summed,
                _("that is the sum over the examples, not the mean."),
                _("divide by the number of examples N, as reduction='batchmean' does."),
            ),
        ],
    )
