"""Self-checks for the chapter "Losses in practice": class weights, pos_weight, ignore_index,
reductions and the learning rate, label smoothing, and the Gaussian noise variance.

Each check computes its reference from the exercise's inputs (nothing is hard-coded), compares
the learner's answer, and names the typical mistake when the answer matches one.
"""

from __future__ import annotations

import math

import numpy as np

from ..activations import log_softmax
from ._feedback import is_close, report

__all__ = [
    "check_pos_weight",
    "check_weighted_cross_entropy",
    "check_ignore_index_loss",
    "check_sum_learning_rate",
    "check_gaussian_variance",
    "check_label_smoothing_loss",
]

_NOT_ANSWERED = "you have not answered yet (answer is None)."
_RTOL = 1e-5  # answers computed in float32 (torch's default) still count


def _log_softmax(logits) -> np.ndarray:
    """Stable log-softmax over the last axis, in float64 (lossbook's own, on a float64 copy)."""
    return log_softmax(np.asarray(logits, dtype=np.float64))


def _per_sample_nll(logits, target) -> np.ndarray:
    """-log softmax(logits)[i, target[i]] for each row (target: class indices)."""
    logp = _log_softmax(logits)
    target = np.asarray(target, dtype=np.int64)
    return -logp[np.arange(len(target)), target]


def _first_match(answer, candidates, *, rtol: float = _RTOL) -> str | None:
    """The hint of the first candidate ``(value, hint)`` that ``answer`` equals, else None."""
    for value, hint in candidates:
        if is_close(answer, value, rtol=rtol):
            return hint
    return None


def _fmt(x) -> str:
    """A short, stable text for the learner's answer, whatever it is (never raises)."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return repr(x)[:60]
    if arr.ndim == 0:
        return f"{float(arr):.4f}"
    if arr.size > 10:
        return f"an array of shape {arr.shape}"
    return np.array2string(arr, separator=", ", formatter={"float_kind": lambda v: f"{v:.4g}"})


def check_pos_weight(answer, target) -> bool:
    """Check the ``pos_weight`` for ``BCEWithLogitsLoss`` computed from 0/1 targets.

    The usual choice is (number of negatives) / (number of positives), one value per label
    (per column when ``target`` is (N, L)), so that the positives weigh as much in total as
    the negatives.

    Parameters
    ----------
    answer : float or array-like of shape (L,), or None
        The learner's ``pos_weight``.
    target : array-like of 0/1, shape (N,) or (N, L)
        The training labels.

    Returns
    -------
    bool
        Whether the answer is right.

    Examples
    --------
    >>> check_pos_weight(3.0, [1, 0, 0, 0, 1, 0, 0, 0])
    Correct: pos_weight = 3.0000 = negatives / positives.
    True
    >>> check_pos_weight(0.25, [1, 0, 0, 0, 1, 0, 0, 0])
    Not yet: you gave 0.2500.
    Hint: that is the fraction of positives; pos_weight is n_negative / n_positive.
    False
    """
    if answer is None:
        return report(False, _NOT_ANSWERED, hint="count the negatives and the positives.")
    t = np.asarray(target, dtype=np.float64)
    n_pos = t.sum(axis=0)
    n_neg = t.shape[0] - n_pos
    if np.any(n_pos == 0) or np.any(n_neg == 0):
        return report(False, "a label has no positive or no negative example, so "
                      "n_negative / n_positive is undefined for it.",
                      hint="pos_weight needs both kinds of example in every column.")
    expected = n_neg / n_pos
    if is_close(answer, expected, rtol=_RTOL):
        return report(True, f"pos_weight = {_fmt(expected)} = negatives / positives.")
    n = t.shape[0]
    candidates = [
        (n_pos / n_neg, "that is positives / negatives, the inverse: pos_weight multiplies the "
         "loss of the positive examples, so it must be large when positives are rare. "
         "Use n_negative / n_positive."),
        (n_neg / n, "that is the fraction of negatives; divide by the number of positives, "
         "not by the number of examples."),
        (n_pos / n, "that is the fraction of positives; pos_weight is n_negative / n_positive."),
        (n / n_pos, "that is N / n_positive, which counts the positives on both sides; use "
         "n_negative / n_positive."),
    ]
    if t.ndim == 2:
        pooled = (t.size - t.sum()) / t.sum()
        candidates.append((pooled, "that is one number pooled over all labels; with multi-label "
                           "targets give one pos_weight per column (count along axis=0)."))
        candidates.append((np.full_like(expected, pooled), "each column needs its own count; "
                           "you used the pooled ratio for every label (count along axis=0)."))
    hint = _first_match(answer, candidates)
    if hint is None:
        shape = np.shape(expected)
        hint = ("count the negatives and the positives (per column for multi-label targets, "
                f"giving shape {shape}) and divide the first by the second.")
    return report(False, f"you gave {_fmt(answer)}.",
                  hint=hint)


def check_weighted_cross_entropy(answer, logits, target, weight) -> bool:
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

    Returns
    -------
    bool

    Examples
    --------
    >>> z = [[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    >>> check_weighted_cross_entropy(None, z, [0, 1, 1], [1.0, 3.0])
    ... # doctest: +NORMALIZE_WHITESPACE
    Not yet: you have not answered yet (answer is None).
    Hint: weight each example's loss by the weight of its true class, then divide by the sum of
    those weights.
    False
    """
    if answer is None:
        return report(False, _NOT_ANSWERED, hint="weight each example's loss by the weight of "
                      "its true class, then divide by the sum of those weights.")
    losses = _per_sample_nll(logits, target)
    w = np.asarray(weight, dtype=np.float64)[np.asarray(target, dtype=np.int64)]
    expected = float((w * losses).sum() / w.sum())
    if is_close(answer, expected, rtol=_RTOL):
        return report(True, f"the weighted mean is {expected:.4f} "
                      f"(sum of weighted losses / sum of the targets' weights {w.sum():.4f}).")
    n = len(losses)
    hint = _first_match(answer, [
        ((w * losses).sum() / n, f"you divided by N = {n}. With class weights, PyTorch's 'mean' "
         f"divides by the sum of the weights of the targets ({w.sum():.4f})."),
        (losses.mean(), "that is the unweighted mean: multiply each example's loss by "
         "weight[target[i]]."),
        ((w * losses).sum(), "that is the weighted sum; the 'mean' reduction still divides by "
         "the sum of the targets' weights."),
        (expected / math.log(10), "that is the base-10 logarithm; PyTorch uses the natural "
         "log (np.log)."),
        ((w * losses).sum() / np.asarray(weight, dtype=np.float64).sum(),
         "you divided by the sum of the class weights; divide by the sum of the weights of "
         "each example's true class, weight[target].sum()."),
    ])
    return report(False, f"you gave {_fmt(answer)}, which is not the expected value.",
                  hint=hint or "compute -log softmax at the true class for each example, "
                  "weight it by weight[target[i]], sum, and divide by weight[target].sum().")


def check_ignore_index_loss(answer, logits, target, *, ignore_index: int = -100) -> bool:
    """Check a mean cross-entropy where positions labelled ``ignore_index`` are left out.

    Parameters
    ----------
    answer : float or None
    logits : array-like of shape (N, C)
    target : array-like of int, shape (N,)
        Class indices, with ``ignore_index`` at padded or unlabeled positions.
    ignore_index : int, default -100

    Returns
    -------
    bool

    Examples
    --------
    >>> check_ignore_index_loss(2 * math.log(2), [[0.0, 0.0], [0.0, 0.0], [5.0, 1.0]], [1, 0, -100])
    Not yet: you gave 1.3863, which is not the expected value.
    Hint: that is the sum over the kept positions; the 'mean' divides it by their number (2).
    False
    """
    if answer is None:
        return report(False, _NOT_ANSWERED, hint="keep only the positions whose target is not "
                      "ignore_index, then average their losses.")
    z = np.asarray(logits, dtype=np.float64)
    t = np.asarray(target, dtype=np.int64)
    keep = t != ignore_index
    if not keep.any():
        try:
            ok = bool(np.isnan(float(answer)))
        except (TypeError, ValueError):
            ok = False
        return report(ok, "every position is ignored, so the mean is 0/0 = nan (as in torch).")
    losses = _per_sample_nll(z[keep], t[keep])
    expected = float(losses.mean())
    if is_close(answer, expected, rtol=_RTOL):
        return report(True, f"the mean over the {keep.sum()} kept positions is {expected:.4f}.")
    as_zero = np.where(keep, t, 0)
    all_losses = _per_sample_nll(z, as_zero)
    hint = _first_match(answer, [
        (losses.sum() / len(t), f"you divided by all {len(t)} positions; the ignored ones count "
         f"neither in the sum nor in the count: divide by the {keep.sum()} kept positions."),
        (all_losses.mean(), "you treated the padded positions as class 0; they must be left "
         "out entirely."),
        (losses.sum(), "that is the sum over the kept positions; the 'mean' divides it by "
         f"their number ({keep.sum()})."),
        (expected / math.log(10), "that is the base-10 logarithm; use the natural log."),
    ])
    return report(False, f"you gave {_fmt(answer)}, which is not the expected value.",
                  hint=hint or "select target != ignore_index, compute -log softmax at the "
                  "true class for those rows only, and average.")


def check_sum_learning_rate(answer, lr: float, target_shape) -> bool:
    """Check the learning rate that makes reduction="sum" take the same SGD steps as "mean".

    With ``MSELoss(reduction="mean")`` the loss is divided by the number of elements of the
    target (batch size times outputs per example), so its gradient is that many times smaller
    than with ``"sum"``; plain SGD takes identical steps if the learning rate is divided by it.

    Parameters
    ----------
    answer : float or None
        The learner's learning rate for reduction="sum".
    lr : float
        The learning rate used with reduction="mean".
    target_shape : tuple of int
        Shape of one batch of targets, e.g. (64, 3).

    Returns
    -------
    bool

    Examples
    --------
    >>> check_sum_learning_rate(0.1 / 12, 0.1, (4, 3))
    Correct: lr = 0.1 / 12 = 0.008333: 'mean' divides by all 12 elements of the target.
    True
    """
    if answer is None:
        return report(False, _NOT_ANSWERED, hint="how much larger is the gradient of the sum "
                      "than the gradient of the mean?")
    shape = tuple(int(s) for s in target_shape)
    n_elements = math.prod(shape)
    expected = lr / n_elements
    if is_close(answer, expected, rtol=_RTOL):
        return report(True, f"lr = {lr:g} / {n_elements} = {expected:.4g}: 'mean' divides by all "
                      f"{n_elements} elements of the target.")
    batch = shape[0] if shape else 1
    hint = _first_match(answer, [
        (lr / batch, f"you divided by the batch size {batch}, but MSELoss's 'mean' averages over "
         f"every element of the target, {shape}: {n_elements} of them."),
        (lr * n_elements, "that is the wrong direction: the sum's gradient is larger, so the "
         "learning rate must be smaller."),
        (lr * batch, "that is the wrong direction, and 'mean' averages over every element, "
         "not only over the batch."),
        (lr, "with the same learning rate the steps are "
         f"{n_elements} times larger with 'sum' (and training may diverge)."),
    ])
    return report(False, f"you gave {_fmt(answer)}.",
                  hint=hint or "the gradient of the sum is (number of averaged elements) times "
                  "the gradient of the mean.")


def check_gaussian_variance(answer, residuals) -> bool:
    """Check the noise variance that minimises the Gaussian negative log-likelihood.

    For fixed predictions with residuals ``r_i = y_i - mu_i``, the variance that minimises
    ``mean(0.5 * (log var + r_i**2 / var))`` is ``mean(r_i**2)``: the MSE.

    Parameters
    ----------
    answer : float or None
    residuals : array-like of shape (N,)

    Returns
    -------
    bool

    Examples
    --------
    >>> check_gaussian_variance(2.0, [1.0, -1.0, 2.0, 0.0])
    Not yet: you gave 2.0000, which is not the expected value.
    Hint: you divided by N - 1; the maximum-likelihood variance divides by N.
    False
    """
    if answer is None:
        return report(False, _NOT_ANSWERED, hint="set the derivative of the NLL with respect "
                      "to the variance to zero.")
    r = np.asarray(residuals, dtype=np.float64)
    n = r.size
    expected = float(np.mean(r**2))
    if is_close(answer, expected, rtol=_RTOL):
        return report(True, f"var = mean(r**2) = {expected:.4f}, the MSE of the residuals.")
    hint = _first_match(answer, [
        (math.sqrt(expected), "that is the standard deviation; the variance is its square."),
        (np.sum(r**2) / (n - 1) if n > 1 else math.nan,
         "you divided by N - 1; the maximum-likelihood variance divides by N."),
        (np.var(r), "np.var subtracts the mean of the residuals first; the Gaussian is centred "
         "on the prediction, so use mean(r**2)."),
        (expected / 2, "you halved it; the 1/2 in the NLL multiplies both terms and cancels."),
        (np.sum(r**2), "that is the sum of squared residuals; divide by N."),
    ])
    return report(False, f"you gave {_fmt(answer)}, which is not the expected value.",
                  hint=hint or "differentiate 0.5 * (log v + r**2 / v) with respect to v, "
                  "average over the examples, and solve for v.")


def check_label_smoothing_loss(answer, logits, target, *, epsilon: float) -> bool:
    """Check a mean cross-entropy with label smoothing, as ``F.cross_entropy(label_smoothing=)``.

    The smoothed target puts ``1 - epsilon + epsilon / C`` on the true class and ``epsilon / C``
    on every other class (PyTorch's convention, from Szegedy et al. 2016).

    Parameters
    ----------
    answer : float or None
    logits : array-like of shape (N, C)
    target : array-like of int, shape (N,)
    epsilon : float
        The smoothing, in [0, 1].

    Returns
    -------
    bool

    Examples
    --------
    >>> check_label_smoothing_loss(math.log(2), [[0.0, 0.0]], [0], epsilon=0.1)
    Correct: with epsilon = 0.1 the mean loss is 0.6931.
    True
    """
    if answer is None:
        return report(False, _NOT_ANSWERED, hint="build the smoothed target distribution, "
                      "then take -sum(q * log_softmax(z)).")
    logp = _log_softmax(logits)
    t = np.asarray(target, dtype=np.int64)
    n, c = logp.shape
    onehot = np.eye(c)[t]
    q = (1 - epsilon) * onehot + epsilon / c
    expected = float(-(q * logp).sum(axis=1).mean())
    if is_close(answer, expected, rtol=_RTOL):
        return report(True, f"with epsilon = {epsilon:g} the mean loss is {expected:.4f}.")
    q_other = (1 - epsilon) * onehot + (epsilon / (c - 1)) * (1 - onehot)
    p = np.exp(logp)
    p_smooth = (1 - epsilon) * p + epsilon / c
    hint = _first_match(answer, [
        (-(q_other * logp).sum(axis=1).mean(), f"you spread epsilon over the C - 1 = {c - 1} "
         f"wrong classes; PyTorch spreads it over all C = {c} classes (epsilon / C each, the "
         "true class keeps 1 - epsilon + epsilon / C)."),
        (float(-logp[np.arange(n), t].mean()), "that is the loss without smoothing."),
        (float(-np.log(p_smooth[np.arange(n), t]).mean()), "you smoothed the predicted "
         "probabilities; smooth the target instead, q = (1 - eps) * one_hot + eps / C."),
        (-(q * logp).sum(), "that is the sum over examples; the 'mean' divides by N."),
        (expected / math.log(10), "that is the base-10 logarithm; use the natural log."),
    ])
    return report(False, f"you gave {_fmt(answer)}, which is not the expected value.",
                  hint=hint or "q = (1 - eps) * one_hot + eps / C; loss_i = -sum_c q_ic "
                  "log softmax(z_i)_c; then average.")
