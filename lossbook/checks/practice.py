"""Self-checks for the chapter "Losses in practice": class weights, pos_weight, ignore_index,
reductions and the learning rate, the Gaussian noise variance, and a multi-label loss. (Label
smoothing is checked by ``check_label_smoothing``, shared with the
cross-entropy chapter.)

Each check builds its ``Problem`` (see ``lossbook.checks._judge``) from the exercise's inputs
(nothing is hard-coded) and names the typical mistake when the answer matches one.
"""

from __future__ import annotations

import math

import numpy as np

from .._i18n import N_, _
from ..activations import log_softmax
from ._answers import as_array, as_number, fmt, logits_and_classes
from ._judge import Feedback, Mistake, Problem
from ._registry import Case, check, check_function, example, run_cases


def _per_sample_nll(z: np.ndarray, target: np.ndarray) -> np.ndarray:
    """-log softmax(z)[i, target[i]] for each row (target: class indices)."""
    return -log_softmax(z)[np.arange(len(target)), target]


@check(
    examples=[
        example(
            [
                [1, 0, 0],
                [0, 0, 1],
                [1, 1, 0],
                [0, 0, 0],
                [0, 0, 1],
                [0, 1, 0],
                [0, 0, 0],
                [0, 0, 1],
                [1, 0, 0],
                [0, 0, 0],
                [0, 0, 1],
                [0, 0, 1],
            ]
        ),
        example([1, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
    ]
)
def check_pos_weight(answer, target) -> Problem:
    """Check the ``pos_weight`` for ``BCEWithLogitsLoss`` computed from 0/1 targets.

    The usual choice is (number of negatives) / (number of positives), one value per label (per
    column when ``target`` is (N, L)), so that the positives weigh as much in total as the
    negatives.

    Parameters
    ----------
    answer : float or array-like of shape (L,), or None
        The learner's ``pos_weight``.
    target : array-like of 0/1, shape (N,) or (N, L)
        The training labels.

    Examples
    --------
    >>> check_pos_weight(3.0, [1, 0, 0, 0, 1, 0, 0, 0])
    Correct: pos_weight = 3 = negatives / positives.
    True
    >>> check_pos_weight(0.25, [1, 0, 0, 0, 1, 0, 0, 0])
    Not yet: 0.25 is the fraction of positives.
    Hint: pos_weight is n_negative / n_positive.
    False
    """
    t = as_array(target, "target")
    if t.ndim not in (1, 2) or not np.all((t == 0) | (t == 1)):
        raise ValueError(f"target must hold 0/1 labels, shape (N,) or (N, L); got {t.shape}")
    n = t.shape[0]
    n_pos = t.sum(axis=0)
    n_neg = n - n_pos
    if np.any(n_pos == 0) or np.any(n_neg == 0):
        raise ValueError(
            "a label has no positive or no negative example, so n_negative / n_positive is undefined for it"
        )
    right = n_neg / n_pos
    pooled = (t.size - t.sum()) / t.sum()
    return Problem(
        right=right,
        what="pos_weight",
        correct=_("pos_weight = {0} = negatives / positives.").format(fmt(right)),
        idea=_("revisit what pos_weight balances: the positives against the negatives of each tag."),
        recipe=_(
            "count the negatives and the positives (per column for multi-label targets, giving shape "
            "{0}) and divide the first by the second."
        ).format(right.shape),
        mistakes=[
            Mistake(
                n_neg // n_pos if np.any(n_neg % n_pos) else None,
                _("that uses integer division (//), which drops the fraction."),
                _("divide with /, so that 7 / 5 is 1.4, not 1."),
            ),
            Mistake(
                n_pos / n_neg,
                _("that is positives / negatives, the inverse."),
                _(
                    "pos_weight multiplies the loss of the positive examples, so it must be large "
                    "when positives are rare: use n_negative / n_positive."
                ),
            ),
            Mistake(
                n_neg / n,
                _("{0} is the fraction of negatives.").format(fmt(n_neg / n)),
                _("divide by the number of positives, not by the number of examples."),
            ),
            Mistake(
                n_pos / n,
                _("{0} is the fraction of positives.").format(fmt(n_pos / n)),
                _("pos_weight is n_negative / n_positive."),
            ),
            Mistake(
                n / n_pos,
                _("that is N / n_positive, which counts the positives on both sides."),
                _("use n_negative / n_positive."),
            ),
            Mistake(
                pooled if t.ndim == 2 else None,
                _("{0} is one number pooled over all labels.").format(fmt(pooled)),
                _("with multi-label targets give one pos_weight per column (count along axis=0)."),
            ),
            Mistake(
                np.full_like(right, pooled) if t.ndim == 2 else None,
                _("that is the pooled ratio for every label."),
                _("each column needs its own count (count along axis=0)."),
            ),
        ],
    )


@check(
    examples=[
        example(
            [[1.0, 2.0, 0.5], [2.2, 0.3, 0.1], [0.2, 0.4, 1.9], [1.5, 1.4, 0.2]],
            [1, 0, 2, 0],
            [0.5, 2.0, 4.0],
        )
    ]
)
def check_weighted_cross_entropy(answer, logits, target, weight) -> Problem:
    """Check a class-weighted mean cross-entropy (``F.cross_entropy(..., weight=w)``).

    The reference is ``sum_i w[y_i] * l_i / sum_i w[y_i]``, with ``l_i = -log softmax(z_i)[y_i]``:
    the weighted mean divides by the sum of the weights of the targets, not by N.

    Parameters
    ----------
    answer : float or None
        The learner's loss.
    logits : array-like of shape (N, C)
    target : array-like of int, shape (N,)
        Class indices.
    weight : array-like of shape (C,)
        One weight per class.

    Examples
    --------
    >>> z = [[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    >>> check_weighted_cross_entropy(None, z, [0, 1, 1], [1.0, 3.0])
    Not yet: put your answer in place of None, then run the cell.
    False
    """
    z, t = logits_and_classes(logits, target)
    class_weight = as_array(weight, "weight")
    if class_weight.shape != (z.shape[1],) or np.any(class_weight < 0):
        raise ValueError(f"weight must hold {z.shape[1]} non-negative class weights")
    losses = _per_sample_nll(z, t)
    w = class_weight[t]
    if w.sum() == 0:
        raise ValueError("the targets' weights sum to 0")
    right = float((w * losses).sum() / w.sum())
    n = len(losses)
    weighted_sum = float((w * losses).sum())
    return Problem(
        right=right,
        what=_("the weighted mean cross-entropy"),
        correct=_(
            "the weighted mean is {right:.4f} (sum of weighted losses / sum of the targets' weights {0:.4f})."
        ).format(w.sum(), right=right),
        idea=_("revisit what PyTorch's weighted mean divides by: not the number of examples."),
        recipe=_(
            "compute -log softmax at the true class for each example, weight it by "
            "weight[target[i]], sum, and divide by weight[target].sum()."
        ),
        mistakes=[
            Mistake(
                -right,
                _("{0} has the wrong sign.").format(fmt(-right)),
                _("the loss is MINUS the log-probability."),
            ),
            Mistake(
                weighted_sum / n,
                _("{0} divides by N = {n}.").format(fmt(weighted_sum / n), n=n),
                _(
                    "with class weights, PyTorch's 'mean' divides by the sum of the weights of the "
                    "targets ({0:.4f})."
                ).format(w.sum()),
            ),
            Mistake(
                losses.mean(),
                _("{0} is the unweighted mean.").format(fmt(losses.mean())),
                _("multiply each example's loss by weight[target[i]]."),
            ),
            Mistake(
                weighted_sum,
                _("{0} is the weighted sum.").format(fmt(weighted_sum)),
                _("the 'mean' reduction still divides by the sum of the targets' weights."),
            ),
            Mistake(
                right / math.log(10),
                _("{0} uses the base-10 logarithm.").format(fmt(right / math.log(10))),
                _("PyTorch uses the natural log (np.log)."),
            ),
            Mistake(
                weighted_sum / class_weight.sum(),
                _("{0} divides by the sum of the class weights.").format(
                    fmt(weighted_sum / class_weight.sum())
                ),
                _("divide by the sum of the weights of each example's true class, weight[target].sum()."),
            ),
        ],
    )


@check(
    examples=[
        example(
            [
                [0.3, 1.2, -0.5, 0.0],
                [2.0, 0.1, 0.3, -1.0],
                [0.0, 0.0, 0.0, 0.0],
                [0.5, -0.2, 1.5, 0.7],
                [1.0, 2.0, 3.0, 4.0],
                [-1.0, 0.5, 0.2, 0.1],
            ],
            [1, 0, 3, 2, -100, -100],
        )
    ]
)
def check_ignore_index_loss(answer, logits, target, *, ignore_index: int = -100) -> Problem:
    """Check a mean cross-entropy where positions labelled ``ignore_index`` are left out.

    When every position is ignored the mean is 0/0, which PyTorch returns as nan; so does this
    check.

    Parameters
    ----------
    answer : float or None
    logits : array-like of shape (N, C)
    target : array-like of int, shape (N,)
        Class indices, with ``ignore_index`` at padded or unlabeled positions.
    ignore_index : int, default -100

    Examples
    --------
    >>> check_ignore_index_loss(2 * math.log(2), [[0.0, 0.0], [0.0, 0.0], [5.0, 1.0]], [1, 0, -100])
    Not yet: 1.38629 is the sum over the kept positions.
    Hint: the 'mean' divides it by their number (2).
    False
    """
    ignore = as_number(ignore_index, "ignore_index")
    z, t = logits_and_classes(logits, target, allowed=(ignore,))
    keep = t != ignore
    if not keep.any():
        return Problem(
            right=math.nan,
            what=_("the mean over no positions"),
            correct=_("every position is ignored, so the mean is 0/0 = nan (as in torch)."),
            idea=_("revisit what ignore_index does: an ignored position counts neither in the sum nor in the "
                   "number averaged."),
            recipe=_("every position is ignored: the mean of nothing is 0/0 = nan."),
        )
    losses = _per_sample_nll(z[keep], t[keep])
    right = float(losses.mean())
    k = int(keep.sum())
    as_zero = _per_sample_nll(z, np.where(keep, t, 0)).mean()
    return Problem(
        right=right,
        what=_("the mean over the kept positions"),
        correct=_("the mean over the {k} kept positions is {right:.4f}.").format(k=k, right=right),
        idea=_(
            "revisit what ignore_index does: an ignored position counts neither in the sum nor in the "
            "number averaged."
        ),
        recipe=_(
            "select target != ignore_index, compute -log softmax at the true class for those rows "
            "only, and average."
        ),
        mistakes=[
            Mistake(
                losses.sum() / len(t) if k < len(t) else None,
                _("{0} divides by all {1} positions.").format(fmt(losses.sum() / len(t)), len(t)),
                _(
                    "the ignored ones count neither in the sum "
                    "nor in the count: divide by the {k} kept "
                    "positions."
                ).format(k=k),
            ),
            Mistake(
                as_zero if k < len(t) else None,
                _("{0} treats the padded positions as class 0.").format(fmt(as_zero)),
                _("they must be left out entirely."),
            ),
            Mistake(
                losses.sum() if k > 1 else None,
                _("{0} is the sum over the kept positions.").format(fmt(losses.sum())),
                _("the 'mean' divides it by their number ({k}).").format(k=k),
            ),
            Mistake(
                right / math.log(10),
                _("{0} uses the base-10 logarithm.").format(fmt(right / math.log(10))),
                _("use the natural log."),
            ),
        ],
    )


def _classes(classes) -> int | None:
    """The number of classes of a cross-entropy's logits, or None for MSELoss."""
    if classes is None:
        return None
    c = as_number(classes, "classes")
    if not c.is_integer() or c < 2:
        raise ValueError(f"classes must be a whole number >= 2; got {fmt(c)}")
    return int(c)


@check(examples=[example(0.1, (64, 3)), example(0.1, (64,), classes=3)])
def check_sum_learning_rate(answer, lr: float, target_shape, classes=None) -> Problem:
    """Check the learning rate that makes reduction="sum" take the same SGD steps as "mean".

    With ``MSELoss(reduction="mean")`` the loss is divided by the number of elements of the target
    (batch size times outputs per example), so its gradient is that many times smaller than with
    ``"sum"``; plain SGD takes identical steps if the learning rate is divided by it.

    Parameters
    ----------
    answer : float or None
        The learner's learning rate for reduction="sum".
    lr : float
        The learning rate used with reduction="mean".
    target_shape : tuple of int
        Shape of one batch of targets, e.g. (64, 3).
    classes : int, optional
        For ``CrossEntropyLoss`` with class-index targets of ``target_shape`` (e.g. (64,)): the
        number of classes C of the logits, (64, C). Its "mean" averages the per-example losses,
        one per target index, not the logits.

    Examples
    --------
    >>> check_sum_learning_rate(0.1 / 12, 0.1, (4, 3))
    Correct: lr = 0.1 / 12 = 0.008333: 'mean' divides by all 12 elements of the target.
    True
    """
    lr = as_number(lr, "lr")
    shape = as_array(target_shape, "target_shape")
    if shape.ndim != 1 or shape.size == 0 or np.any(shape < 1) or np.any(shape != np.round(shape)):
        raise ValueError("target_shape must be a tuple of positive whole numbers")
    if not lr > 0:
        raise ValueError(f"lr must be positive; got {lr}")
    shape = tuple(int(s) for s in shape)
    count = math.prod(shape)
    right = lr / count
    batch = shape[0]
    c = _classes(classes)
    return Problem(
        right=right,
        what=_("the learning rate for reduction='sum'"),
        correct=_(
            "lr = {lr:g} / {count} = {right:.4g}: 'mean' divides by all {count} elements of the target."
        ).format(lr=lr, count=count, right=right),
        idea=_("how much larger is the gradient of the sum than the gradient of the mean?"),
        recipe=_("the gradient of the sum is (number of averaged elements) times the gradient of the mean."),
        mistakes=[
            Mistake(
                1 / count if lr != 1 else None,
                _("that is 1 / (number of elements): the learning rate itself is missing."),
                _("scale the learning rate you have: lr / (number of averaged elements)."),
            ),
            Mistake(
                lr / batch if batch != count else None,
                _("{0} divides by the batch size {batch}.").format(fmt(lr / batch), batch=batch),
                _(
                    "MSELoss's 'mean' averages over every element of the target, {shape}: {count} of them."
                ).format(shape=shape, count=count),
            ),
            Mistake(
                lr * count,
                _("{0} goes the wrong direction.").format(fmt(lr * count)),
                _("the sum's gradient is larger, so the learning rate must be smaller."),
            ),
            Mistake(
                lr * batch if batch != count else None,
                _("{0} goes the wrong direction.").format(fmt(lr * batch)),
                _(
                    "divide, and by every element: 'mean' averages over every element, "
                    "not only over the batch."
                ),
            ),
            Mistake(
                lr / (count * c) if c else None,
                _(
                    "that divides by all {n} logits; CrossEntropyLoss's 'mean' averages the {count} "
                    "per-example losses, one per target index."
                ).format(n=count * (c or 1), count=count),
                _("count the elements of the loss before the mean, not those of the logits."),
            ),
            Mistake(
                lr,
                _("{0} is the learning rate of 'mean'.").format(fmt(lr)),
                _(
                    "with the same learning rate "
                    "the steps are {count} times "
                    "larger with 'sum' (and "
                    "training may diverge)."
                ).format(count=count),
            ),
        ],
    )


@check(examples=[example([0.8, -1.1, 0.3, 1.7, -0.6, 0.9, -1.4])])
def check_gaussian_variance(answer, residuals) -> Problem:
    """Check the noise variance that minimises the Gaussian negative log-likelihood.

    For fixed predictions with residuals ``r_i = y_i - mu_i``, the variance that minimises
    ``mean(0.5 * (log var + r_i**2 / var))`` is ``mean(r_i**2)``: the MSE.

    Parameters
    ----------
    answer : float or None
    residuals : array-like of shape (N,)

    Examples
    --------
    >>> check_gaussian_variance(3.0, [1.0, -1.0, 2.0, 0.0])
    Not yet: 3 divides by N - 2: the unbiased estimate for the residuals of a fitted line (two
             parameters).
    Hint: the maximum-likelihood variance divides by N.
    False
    """
    r = as_array(residuals, "residuals").reshape(-1)
    if r.size == 0 or not np.all(np.isfinite(r)) or not np.any(r):
        raise ValueError("residuals must be finite and not all zero")
    n = r.size
    right = float(np.mean(r**2))
    return Problem(
        right=right,
        what=_("the maximum-likelihood variance"),
        correct=_("var = mean(r**2) = {right:.4f}, the MSE of the residuals.").format(right=right),
        idea=_("set the derivative of the NLL with respect to the variance to zero."),
        recipe=_(
            "differentiate 0.5 * (log v + r**2 / v) with respect to v, average over the examples, "
            "and solve for v."
        ),
        mistakes=[
            Mistake(
                math.sqrt(right),
                _("{0} is the standard deviation.").format(fmt(math.sqrt(right))),
                _("the variance is its square."),
            ),
            Mistake(
                np.sum(r**2) / (n - 2) if n > 2 else None,
                _(
                    "{0} divides by N - 2: the unbiased "
                    "estimate for the residuals of a "
                    "fitted line (two parameters)."
                ).format(fmt(np.sum(r**2) / max(n - 2, 1))),
                _("the maximum-likelihood variance divides by N."),
            ),
            Mistake(
                np.sum(r**2) / (n - 1) if n > 1 else None,
                _(
                    "{0} divides by N - 1, the sample "
                    "variance's denominator (for a fitted "
                    "line's residuals the unbiased one is "
                    "N - 2)."
                ).format(fmt(np.sum(r**2) / max(n - 1, 1))),
                _("the maximum-likelihood variance divides by N."),
            ),
            Mistake(
                np.var(r) if not np.isclose(np.var(r), right, rtol=1e-6, atol=0) else None,
                _("{0} is np.var of the residuals, which subtracts their mean first.").format(fmt(np.var(r))),
                _("the Gaussian is centred on the prediction, so use mean(r**2)."),
            ),
            Mistake(
                right / 2,
                _("{0} is half the variance.").format(fmt(right / 2)),
                _("the 1/2 in the NLL multiplies both terms and cancels."),
            ),
            Mistake(
                np.sum(r**2) if n > 1 else None,
                _("{0} is the sum of squared residuals.").format(fmt(np.sum(r**2))),
                _("divide by N."),
            ),
        ],
    )


def _multi_hot(labels, shape: tuple[int, int]) -> np.ndarray:
    """The (N, L) float multi-hot matrix of ``labels``: one list of tag numbers per example."""
    n, n_labels = shape
    if isinstance(labels, (str, bytes)) or len(labels) != n:
        raise ValueError(f"labels must hold one list of tags for each of the {n} examples")
    target = np.zeros(shape)
    for i, tags in enumerate(labels):
        idx = np.asarray(tags, dtype=np.float64).reshape(-1)
        if np.any(idx != np.round(idx)) or np.any(idx < 0) or np.any(idx >= n_labels):
            raise ValueError(f"the tags of example {i} must be whole numbers in [0, {n_labels - 1}]")
        target[i, idx.astype(np.int64)] = 1.0
    return target


def _bce_terms(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    """-[t log sigmoid(z) + (1 - t) log(1 - sigmoid(z))] per element, stably: softplus(z) - t z."""
    return np.logaddexp(0.0, logits) - target * logits


@check(
    examples=[
        example(
            [
                [1.2, -0.8, 0.5, -1.5],
                [-0.3, 2.0, -1.1, 0.2],
                [-1.0, -0.5, -2.0, -0.7],
                [0.9, 0.4, -0.6, 1.8],
                [-0.2, -1.3, 1.1, 0.0],
            ],
            [[0, 2], [1], [], [3, 0, 1], [2]],
        ),
        example([[0.5, -2.0, 1.5], [3.0, 0.2, -0.4]], [[2], [0, 1]]),
    ]
)
def check_multi_label_loss(answer, logits, labels) -> Problem:
    """Check ``BCEWithLogitsLoss`` on a multi-hot target.

    ``logits`` has shape (N, L); ``labels`` holds, for each of the N examples, the list of its
    tags (numbers 0 to L - 1; a list may be empty). The right answer is the mean over all N * L
    elements of the binary cross-entropy with logits against the multi-hot target.
    """
    z = as_array(logits, "logits")
    if z.ndim != 2:
        raise ValueError(f"logits must have shape (N, L), got {z.shape}")
    n, n_labels = z.shape
    target = _multi_hot(labels, z.shape)
    terms = _bce_terms(z, target)
    right = float(terms.mean())
    first_only = _multi_hot([list(np.asarray(tags).reshape(-1)[:1]) for tags in labels], z.shape)
    log_p = z - np.logaddexp(0.0, z)  # log sigmoid(z)
    log_q = z - np.logaddexp.reduce(z, axis=1, keepdims=True)  # log softmax(z): what CrossEntropyLoss uses
    elements = f"N * L = {n} * {n_labels} = {n * n_labels}"
    return Problem(
        right=right,
        what=_("the mean binary cross-entropy with logits against the multi-hot target"),
        correct=_(
            "BCEWithLogitsLoss = {0}: the mean over all {elements} elements of the multi-hot target."
        ).format(fmt(right), elements=elements),
        idea=_("revisit the multi-hot target: one yes/no decision per tag, and which elements are averaged."),
        recipe=_(
            "target[i, tags] = 1.0 for each example i; then the mean over all elements of -[t log "
            "sigmoid(z) + (1 - t) log(1 - sigmoid(z))]."
        ),
        mistakes=[
            Mistake(
                terms.sum(axis=1).mean(),
                _("that sums over the tags and averages over the {n} examples only.").format(n=n),
                _("BCEWithLogitsLoss's 'mean' divides by every element of the target: {elements}.").format(
                    elements=elements
                ),
            ),
            Mistake(
                terms.sum(),
                _("that is the sum over all elements (reduction='sum')."),
                _("divide by the number of elements, {elements}.").format(elements=elements),
            ),
            Mistake(
                _bce_terms(z, first_only).mean(),
                _("your target keeps only the first tag of each example."),
                _(
                    "a multi-hot row has a 1.0 for every tag in the example's list "
                    "(and none for an empty list)."
                ),
            ),
            Mistake(
                _bce_terms(z, 1.0 - target).mean(),
                _("your target is inverted: 1 where a tag does not apply."),
                _("put 1.0 at the listed tags and 0.0 everywhere else."),
            ),
            Mistake(
                float((-target * log_p).mean()),
                _(
                    "that keeps only the positive part -t log "
                    "sigmoid(z); every tag that does not apply adds "
                    "-(1 - t) log(1 - sigmoid(z))."
                ),
                _("use both terms of the binary cross-entropy."),
            ),
            Mistake(
                _bce_terms(1.0 / (1.0 + np.exp(-z)), target).mean(),
                _("that applies the sigmoid twice: BCEWithLogitsLoss takes logits and applies it itself."),
                _("pass the logits, not sigmoid(logits)."),
            ),
            Mistake(
                float(-(target * log_q).sum(axis=1).mean()),
                _(
                    "that is CrossEntropyLoss with the "
                    "multi-hot target: its softmax makes "
                    "the tags compete, and a photo "
                    "without tags contributes nothing."
                ),
                _("multi-label targets take BCEWithLogitsLoss: one independent yes/no answer per tag."),
            ),
            Mistake(
                right / np.log(10), _("that is the base-10 logarithm."), _("use np.log, the natural log.")
            ),
        ],
    )


@check(
    examples=[
        example(
            [[1.0, 2.0, 0.5], [2.2, 0.3, 0.1], [0.2, 0.4, 1.9], [1.5, 1.4, 0.2]],
            [1, 0, 2, 0],
            [0.5, 2.0, 4.0],
            10,
        ),
        example([[0.3, -0.2], [1.0, 0.5], [-0.4, 0.8]], [0, 1, 1], [1.0, 3.0], 0.5),
    ]
)
def check_weight_scale(answer, logits, target, weight, scale) -> Problem:
    """Check the factors by which a class-weighted cross-entropy changes when every class weight
    is multiplied by ``scale``: ``(factor with reduction 'mean', factor with reduction 'sum')``.

    'mean' divides the weighted sum by the sum of the targets' weights, which grows by the same
    factor, so it does not change; 'sum' grows by ``scale``. The factors are computed from the
    losses themselves.
    """
    z, t = logits_and_classes(logits, target)
    w = as_array(weight, "weight")
    k = as_number(scale, "scale")
    if w.shape != (z.shape[1],) or np.any(w < 0) or w[t].sum() == 0:
        raise ValueError(f"weight must hold {z.shape[1]} non-negative class weights, not all 0 on targets")
    if not (np.isfinite(k) and k > 0 and k != 1):
        raise ValueError(f"scale must be a positive number other than 1; got {fmt(k)}")
    losses = _per_sample_nll(z, t)

    def reduced(ws):
        return float((ws[t] * losses).sum() / ws[t].sum()), float((ws[t] * losses).sum())

    (mean0, sum0), (mean1, sum1) = reduced(w), reduced(k * w)
    right = [mean1 / mean0, sum1 / sum0]
    return Problem(
        right=right,
        what=_("(the factor with 'mean', the factor with 'sum')"),
        correct=_(
            "'mean' stays at {0:.4f}: it divides by the sum of the targets' weights, which grows by "
            "{k:g} too; 'sum' grows by {k:g}, from {1:.4f} to {2:.4f}."
        ).format(mean1, sum0, sum1, k=k),
        idea=_("revisit what the weighted 'mean' divides by, and whether that changes with the weights."),
        recipe=_(
            "'mean' = sum(w[y_i] * l_i) / sum(w[y_i]): scale every w and both sums scale alike; "
            "'sum' has no denominator."
        ),
        mistakes=[
            Mistake(
                [k, k],
                _(
                    "'mean' does not grow: it divides by the sum of the targets' weights, which grows "
                    "by the same factor."
                ),
                _("write the weighted mean as a fraction and scale its numerator and denominator."),
            ),
            Mistake(
                [1.0, 1.0],
                _("'sum' has no denominator: every weighted loss, and so their sum, grows by the factor."),
                _("only the weighted mean divides the factor away."),
            ),
            Mistake([k, 1.0], _("the two factors are swapped."), _("answer ('mean' factor, 'sum' factor).")),
        ],
    )


# The cases of check_masked_loss_function: (logits, target) with -100 at the ignored positions.
_MASKED_CASES = (
    Case(
        (
            np.array(
                [
                    [0.3, 1.2, -0.5, 0.0],
                    [2.0, 0.1, 0.3, -1.0],
                    [0.0, 0.0, 0.0, 0.0],
                    [0.5, -0.2, 1.5, 0.7],
                    [1.0, 2.0, 3.0, 4.0],
                    [-1.0, 0.5, 0.2, 0.1],
                ]
            ),
            np.array([1, 0, 3, 2, -100, -100]),
        ),
        N_("the exercise's 6 positions"),
    ),
    Case(
        (np.array([[1.0, -1.0, 0.5], [0.2, 0.3, 2.0], [3.0, 0.0, -2.0]]), np.array([2, -100, 0])),
        N_("3 positions, one of them ignored"),
    ),
)


def _reference_masked_loss(logits, target):
    """A right answer to the exercise, for the tests."""
    z, t = np.asarray(logits, dtype=float), np.asarray(target)
    keep = t != -100
    return float(-log_softmax(z[keep])[np.arange(keep.sum()), t[keep]].mean())


def _judge_masked_case(case: Case, value) -> Feedback:
    """What the learner's function returned on one case, against check_ignore_index_loss's table."""
    return check_ignore_index_loss.problem(*case.args).judge_value(value)


@check_function(
    idea=N_("revisit what the mean of F.cross_entropy divides by when some targets are ignore_index."),
    recipe=N_(
        "keep = target != -100; return the mean of the kept positions' losses only: their sum / keep.sum()."
    ),
    reference=_reference_masked_loss,
    examples=[example()],
)
def check_masked_loss_function(answer) -> Feedback:
    """Check a learner's ``masked_cross_entropy(logits, target)``: the value of
    ``F.cross_entropy(logits, target)`` with its default ``ignore_index=-100``, on a few cases.

    Examples
    --------
    >>> check_masked_loss_function(_reference_masked_loss)
    Correct: your function agrees with F.cross_entropy on every test: the mean runs over the kept
             positions only.
    True
    """
    return run_cases(
        answer,
        _MASKED_CASES,
        _judge_masked_case,
        right=_(
            "your function agrees with F.cross_entropy on every test: the mean runs over the kept "
            "positions only."
        ),
    )
