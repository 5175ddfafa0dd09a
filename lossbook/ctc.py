"""Connectionist temporal classification (CTC), like ``torch.nn.functional.ctc_loss``.

A speech or handwriting model emits, at each of T time steps, log-probabilities over C classes:
the labels and one extra class, the *blank*. The target, say "ab", is shorter than T and not
aligned with the time steps. CTC scores it by the probability of every *alignment*: every path of
T symbols that reads "ab" once repeated symbols are merged and blanks dropped. With the blank
written "-" and T = 3: "ab-", "a-b", "-ab", "aab" and "abb" (Graves et al., 2006).

The sum over all paths is a short dynamic programme over the *extended* target, the labels with
a blank before, between and after them: "-a-b-" for "ab", 2L + 1 positions for L labels. At each
time step a path sits at one position, and from one step to the next it may

* stay at its position (the same symbol again),
* step to the next position,
* skip the blank between two labels, but only if the two labels differ: between the two a's of
  "aa" the blank is required, or the path would read "a".

The forward variable alpha[t, s] is the log-probability of all path prefixes of length t + 1 that
end at position s. The loss is minus the log-probability of the paths that end, at the last time
step, on the final blank or on the last label. Everything is in log space, added with the stable
log-sum-exp, because a product of T probabilities underflows for long inputs.
"""

from __future__ import annotations

import numpy as np

from ._validation import refuses_legacy_reduction, validate_ctc
from .activations import log_sum_exp
from .losses import negate, reduce

__all__ = ["ctc_loss", "ctc_loss_grad"]


@refuses_legacy_reduction
def ctc_loss(log_probs, targets, input_lengths, target_lengths, *, blank=0, reduction="mean",
             zero_infinity=False):
    """The CTC loss: -log of the total probability of every alignment of each target.

    Mirrors ``torch.nn.functional.ctc_loss``.

    Parameters
    ----------
    log_probs : array-like of shape (T, N, C), or (T, C) for one sequence
        Log-probabilities over the C classes (the blank included) at each time step, time first:
        ``log_softmax(logits, axis=-1)``. -inf is probability 0; NaN and +inf are refused. A time
        step whose probabilities do not sum to 1 gives a warning (torch computes silently).
    targets : array-like of int
        The label sequences, without blanks: padded, shape (N, S) with S >= max(target_lengths)
        (what follows each sequence's length is ignored), or concatenated, shape
        (sum(target_lengths),). For (T, C) input, one sequence of shape (S,).
    input_lengths : int or array-like of int, shape (N,)
        How many time steps of each sequence count (at most T).
    target_lengths : int or array-like of int, shape (N,)
        How many labels each target has (0 is allowed: the target is empty).
    blank : int
        The class index of the blank. No target label may equal it.
    reduction : {"mean", "sum", "none"}
        "mean" divides each loss by its target length (at least 1), then averages over the batch;
        "sum" adds the losses; "none" keeps one loss per sequence.
    zero_infinity : bool
        Replace an infinite loss (a target that no path can read, e.g. longer than its input)
        by 0, and its gradient by 0.

    Returns
    -------
    float or numpy.ndarray
        A float for "mean" and "sum"; shape (N,) for "none" (shape () for one sequence).

    Notes
    -----
    A target of L labels of which r are repeats (the same label twice in a row) needs at least
    L + r time steps, one blank between each repeat; with fewer, no path reads it and the loss is
    inf (0 with ``zero_infinity``). An input length of 0 reads only the empty target (loss 0).

    Examples
    --------
    Two steps, each uniform over the blank and "a" (class 1); the target "a" is read by three of
    the four paths, "a-", "-a" and "aa", so the loss is -log(3/4):

    >>> log_probs = np.log(np.full((2, 2), 0.5))
    >>> round(ctc_loss(log_probs, [1], 2, 1, reduction="sum"), 6)
    0.287682
    >>> ctc_loss(log_probs, [1, 1], 2, 2, reduction="sum")  # "aa" needs 3 steps: "a-a"
    inf
    >>> ctc_loss(log_probs, [1, 1], 2, 2, reduction="sum", zero_infinity=True)
    0.0
    """
    lp, labels, il, tl, batched, zero_infinity = validate_ctc(
        log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity,
        "ctc_loss")
    ext, can_skip = extended_targets(labels, blank)
    nll = negative_log_likelihood(ctc_forward(lp, ext, can_skip), il, tl)
    if zero_infinity:
        nll = np.where(nll == np.inf, 0, nll).astype(lp.dtype, copy=False)
    if reduction == "mean":  # each loss per target label, then the batch average (torch's mean)
        return reduce(nll / np.maximum(tl, 1).astype(lp.dtype), "mean")
    return reduce(nll if batched else nll.reshape(()), reduction)


def extended_targets(labels, blank):
    """The extended targets, shape (N, 2S + 1): blank, label 1, blank, label 2, ..., blank; and
    where a path may arrive by skipping the blank just before (a label unlike the one two back)."""
    n, s = labels.shape
    ext = np.full((n, 2 * s + 1), blank, dtype=np.int64)
    ext[:, 1::2] = labels
    can_skip = np.zeros(ext.shape, dtype=bool)
    can_skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    return ext, can_skip


def _shift(x, k):
    """x[..., s - k] at each position s along the last axis, -inf where s - k falls outside:
    k = 1 reads the position before, k = -1 the position after."""
    out = np.full_like(x, -np.inf)
    if k > 0:
        out[..., k:] = x[..., : x.shape[-1] - k]
    else:
        out[..., :k] = x[..., -k:]
    return out


def ctc_forward(lp, ext, can_skip):
    """log alpha, shape (T, N, 2S + 1), by the forward algorithm: lp is (T, N, C)."""
    emit = np.take_along_axis(lp, ext[None], axis=2)  # log p(symbol of position s) at each t
    alpha = np.full(emit.shape, -np.inf, dtype=lp.dtype)
    alpha[0, :, :2] = emit[0, :, :2]  # a path starts on the first blank or on the first label
    for t in range(1, len(lp)):
        prev = alpha[t - 1]
        stay = prev  # the same symbol again
        step = _shift(prev, 1)  # from the position before
        skip = np.where(can_skip, _shift(prev, 2), -np.inf)  # over a blank, between unlike labels
        alpha[t] = log_sum_exp(np.stack([stay, step, skip]), axis=0) + emit[t]
    return alpha


def negative_log_likelihood(alpha, il, tl):
    """-log p(target | input) per sequence: the paths that are, at the sequence's last time step,
    on the final blank (position 2L) or on the last label (2L - 1)."""
    n = np.arange(len(il))
    last = alpha[np.maximum(il - 1, 0), n]  # (N, 2S + 1): alpha at each sequence's last step
    on_blank = last[n, 2 * tl]
    on_label = np.where(tl > 0, last[n, np.maximum(2 * tl - 1, 0)], -np.inf)
    log_likelihood = log_sum_exp(np.stack([on_blank, on_label]), axis=0)
    # no time step at all: only the empty target is read, with probability 1
    log_likelihood = np.where(il > 0, log_likelihood, np.where(tl == 0, 0, -np.inf))
    return negate(log_likelihood.astype(alpha.dtype, copy=False))


# --------------------------------------------------------------------------- gradient


def ctc_backward(lp, ext, can_skip, il, tl):
    """log beta, shape (T, N, 2S + 1): the log-probability of the path suffixes from position s
    at step t to the end (the emission at t included), the forward algorithm run backwards."""
    emit = np.take_along_axis(lp, ext[None], axis=2)
    beta = np.full(emit.shape, -np.inf, dtype=lp.dtype)
    s = np.arange(ext.shape[1])
    ends = (s == 2 * tl[:, None]) | (s == 2 * tl[:, None] - 1)  # the final blank, the last label
    skip_from = np.zeros_like(can_skip)
    skip_from[:, :-2] = can_skip[:, 2:]  # from s a path may skip to s + 2
    for t in range(len(lp) - 1, -1, -1):
        if t + 1 < len(lp):
            after = beta[t + 1]
            stay, step = after, _shift(after, -1)
            skip = np.where(skip_from, _shift(after, -2), -np.inf)
            beta[t] = log_sum_exp(np.stack([stay, step, skip]), axis=0) + emit[t]
        last = il - 1 == t  # the sequences whose last step is t: their paths end here
        beta[t, last] = np.where(ends[last], emit[t, last], -np.inf)
    return beta


@refuses_legacy_reduction
def ctc_loss_grad(log_probs, targets, input_lengths, target_lengths, *, blank=0,
                  reduction="mean", zero_infinity=False):
    """The gradient torch's autograd gives for ctc_loss with respect to ``log_probs``:
    ``exp(log_probs) - gamma``, by the forward-backward algorithm.

    gamma[t, n, c] is the posterior probability that the alignment of sequence n is on class c at
    step t: the sum, over the positions s of the extended target whose symbol is c, of
    alpha[t, s] * beta[t, s] / p(target), divided by the emission counted in both. Steps beyond a
    sequence's input length get 0.

    Note what this is. The derivative of the loss with respect to log_probs as free numbers is
    ``-gamma``; torch's CTC backward returns ``exp(log_probs) - gamma`` instead, the derivative
    with respect to the logits z when log_probs = log_softmax(z). Passed back through
    log_softmax, both give that same logit gradient (the extra term sums to 0 over the classes),
    so training is unaffected; only the value at log_probs differs. This function mirrors torch:
    ``numerical_gradient(lambda z: ctc_loss(log_softmax(z), ...), z)`` gives the same numbers.

    Takes exactly the arguments of :func:`ctc_loss`; returns an array shaped like ``log_probs``.
    For "none", the gradient of the sum of the losses. Where ``log_probs`` is -inf the gradient
    is exactly 0 (torch gives nan there). A sequence with infinite loss has no gradient: it is 0
    with ``zero_infinity=True`` and refused otherwise (torch gives nan).

    Examples
    --------
    >>> log_probs = np.log(np.full((2, 2), 0.5))
    >>> ctc_loss_grad(log_probs, [1], 2, 1, reduction="sum").round(4)
    array([[ 0.1667, -0.1667],
           [ 0.1667, -0.1667]])
    """
    func = "ctc_loss_grad"
    lp, labels, il, tl, batched, zero_infinity = validate_ctc(
        log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity, func)
    ext, can_skip = extended_targets(labels, blank)
    alpha = ctc_forward(lp, ext, can_skip)
    nll = negative_log_likelihood(alpha, il, tl)
    infinite = nll == np.inf
    if infinite.any() and not zero_infinity:
        i = int(np.argmax(infinite))
        raise ValueError(
            f"{func}: sequence {i} has an infinite loss (no path of its {il[i]} time steps reads "
            f"its {tl[i]} labels), and an infinite loss has no gradient. Pass zero_infinity=True "
            "to give such sequences loss 0 and gradient 0, as torch does, or check its "
            "input_lengths and target_lengths.")
    beta = ctc_backward(lp, ext, can_skip, il, tl)
    # log posterior of each position: alpha and beta both count the emission at t, once too often
    emit = np.take_along_axis(lp, ext[None], axis=2)
    finite_nll = np.where(infinite, 0, nll)[None, :, None]
    with np.errstate(invalid="ignore"):  # -inf - (-inf) where the emission is 0: masked next
        log_post = alpha + beta - emit + finite_nll
    post = np.exp(np.where(emit > -np.inf, log_post, -np.inf))
    # sum the positions of each class: (N, T, 2S + 1) @ (N, 2S + 1, C), one-hot by class
    one_hot = (ext[:, :, None] == np.arange(lp.shape[2])).astype(lp.dtype)
    gamma = np.matmul(post.transpose(1, 0, 2), one_hot).transpose(1, 0, 2)
    # how much each sequence counts in the reduction; infinite losses (zero_infinity) count 0
    scale = np.where(infinite, 0, 1).astype(lp.dtype)
    if reduction == "mean":
        scale = scale / (np.maximum(tl, 1) * len(tl)).astype(lp.dtype)
    # (T, N): the steps each sequence has, of the sequences that count
    counted = (np.arange(len(lp))[:, None] < il[None, :]) & (scale > 0)
    grad = np.where(counted[:, :, None], (np.exp(lp) - gamma) * scale[None, :, None], 0)
    grad = grad.astype(lp.dtype, copy=False)
    return grad if batched else grad[:, 0, :]
