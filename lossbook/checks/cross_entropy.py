"""Self-checks for the cross-entropy chapter (chapter 4).

Each check recomputes the reference answer from the exercise's inputs, then compares the
learner's answer with it and with the answers the usual mistakes produce: a base-10 or base-2
logarithm, a sum instead of a mean, a forgotten minus sign, the wrong class, probabilities
passed where logits belong (softmax applied twice), a naive softmax that overflows.
"""

from __future__ import annotations

import math

import numpy as np

from ..activations import log_softmax, softmax
from ..gradients import cross_entropy_grad
from ..losses import cross_entropy, cross_entropy_from_probs
from ._feedback import Verdict, is_close, report

__all__ = [
    "check_cross_entropy",
    "check_cross_entropy_grad",
    "check_label_smoothing",
    "check_stable_cross_entropy",
    "check_softmax_floor",
]

_NOT_ANSWERED = "you have not answered yet."
_RTOL = 1e-5


def _as_array(answer):
    """The answer as a float64 array, or None when it cannot be read as numbers."""
    if answer is None:
        return None
    if hasattr(answer, "detach"):  # a torch tensor, possibly on the autograd graph
        answer = answer.detach().cpu().numpy()
    try:
        return np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _fmt(a):
    """A short, stable rendering of the learner's answer for a message."""
    a = np.asarray(a)
    if a.ndim == 0:
        return f"{float(a):.6g}"
    return np.array2string(a, precision=4, suppress_small=True, max_line_width=80)


def _index_target(target, probs):
    """Class indices from index targets, or from one-hot rows shaped like ``probs``."""
    t = np.asarray(target)
    if t.shape == probs.shape:
        return np.argmax(t, axis=-1)
    return t.astype(np.int64)


def _not_a_number(a, name="your answer"):
    return report(
        False,
        f"{name} is {_fmt(a)}, which is not a finite number.",
        hint="inf or nan means a log of 0 or an exp that overflowed. Compute log-probabilities "
        "with the log-sum-exp form (lb.log_softmax) instead of np.log(softmax(z)).",
    )


_GENERIC_HINT = ("write the formula -sum_k t_k log p_k with np.log (natural log) and check each "
                 "step on the first example by hand.")


def _unreadable(answer):
    return report(False, f"{answer!r} is not a number.",
                  hint="assign a number (or an array of numbers) to answer.")


def _diagnose(a, expected, candidates, what, hint=_GENERIC_HINT):
    """Report on answer ``a``: correct, or the first candidate mistake it matches."""
    if is_close(a, expected, rtol=_RTOL):
        return report(True, f"{_fmt(a)} is {what}.")
    for value, message, why in candidates:
        # skip impossible or infinite candidates (is_close(x, inf) would be true for any x)
        if value is not None and np.all(np.isfinite(value)) and is_close(a, value, rtol=_RTOL):
            return report(False, f"{_fmt(a)} {message}", hint=why)
    if is_close(a, expected, rtol=1e-3):
        return report(False, f"{_fmt(a)} agrees with {what} only to about 3 digits.",
                      hint="compute the answer with numpy instead of typing a rounded number.")
    if a.shape != np.shape(expected):
        return report(
            False,
            f"your answer has shape {a.shape}, expected shape {np.shape(expected)}.",
            hint="a loss with reduction='mean' is a single number: average the per-example losses.",
        )
    return report(False, f"{_fmt(a)} is not {what}.", hint=hint)


def check_cross_entropy(answer, probs, target) -> Verdict:
    """Check a cross-entropy (mean over the batch, natural log) computed from probabilities.

    Parameters
    ----------
    answer : float or None
        The learner's loss.
    probs : array-like of shape (C,) or (N, C)
        Predicted probabilities (each row sums to one).
    target : int, array-like of shape (N,) of class indices, or one-hot of ``probs``' shape
        The true classes.

    Examples
    --------
    >>> check_cross_entropy(0.6931472, [0.3, 0.2, 0.5], [0.0, 0.0, 1.0])
    Correct: 0.693147 is the cross-entropy in nats, as PyTorch reports it.
    True
    >>> check_cross_entropy(0.30103, [0.3, 0.2, 0.5], [0.0, 0.0, 1.0])
    Not yet: 0.30103 is the cross-entropy with log base 10.
    Hint: PyTorch and every framework use the natural log (np.log); 0.30103 / log10(e) = 0.6931.
    False
    """
    if answer is None:
        return report(False, _NOT_ANSWERED, hint="compute -sum_k t_k * log(p_k), with np.log.")
    a = _as_array(answer)
    if a is None:
        return _unreadable(answer)
    p = np.asarray(probs, dtype=np.float64)
    expected = cross_entropy_from_probs(p, target)
    if a.shape == () and not np.isfinite(a):
        return _not_a_number(a)
    p2 = p.reshape(-1, p.shape[-1])
    y = _index_target(target, p).reshape(-1)
    n = p2.shape[0]
    rows = np.arange(n)
    with np.errstate(all="ignore"):
        per_example = -np.log(p2[rows, y])
        argmax = np.argmax(p2, axis=1)
        pred_class = -np.log(p2[rows, argmax]).mean()
        other = [
            -np.log(p2[rows, (y + k) % p2.shape[1]]).mean() for k in range(1, p2.shape[1])
        ]
        as_logits = -log_softmax(p2)[rows, y].mean()
        all_classes = -np.log(p2).sum(axis=1).mean()
        no_log = (1.0 - p2[rows, y]).mean()
    candidates = [
        (expected / math.log(10), "is the cross-entropy with log base 10.",
         f"PyTorch and every framework use the natural log (np.log); "
         f"{expected / math.log(10):.5f} / log10(e) = {expected:.4f}."),
        (expected / math.log(2), "is the cross-entropy in bits (log base 2).",
         "frameworks report nats: use np.log, not np.log2."),
        (-expected, "has the wrong sign.",
         "log p is negative for p < 1, so the loss is MINUS the sum of t_k log p_k."),
        (as_logits, "is what torch.nn.functional.cross_entropy gives when it is fed probabilities.",
         "cross_entropy expects logits and applies softmax itself, so softmax ran twice. Use "
         "F.nll_loss(torch.log(p), y), or pass logits."),
        (expected * n if n > 1 else None, "is the sum over the batch, not the mean.",
         f"divide by the number of examples ({n}), or use reduction='mean'."),
        (per_example if n > 1 else None, "are the per-example losses.",
         "the loss with reduction='mean' is one number: take their mean."),
        (pred_class if not np.array_equal(argmax, y) else None,
         "uses the predicted class (argmax of p), not the true class.",
         "the loss looks up the probability of the LABEL's class: -log p[true class]."),
        (all_classes, "adds -log p over every class.",
         "multiply by the target t_k first: with a one-hot label only the true class counts."),
        (no_log, "has no logarithm.", "the loss is -log p_true, not 1 - p_true."),
    ]
    candidates += [
        (v, "uses the probability of a class that is not the label.",
         "the label's class index (or the position of the 1 in the one-hot vector) picks p_true; "
         "Python counts from 0.")
        for v in other
    ]
    return _diagnose(a, expected, candidates,
                     "the cross-entropy in nats, as PyTorch reports it")


def check_cross_entropy_grad(answer, logits, target) -> Verdict:
    """Check the gradient of the mean cross-entropy with respect to the logits.

    Parameters
    ----------
    answer : array-like of shape (N, C) or None
        The learner's gradient.
    logits : array-like of shape (N, C)
    target : array-like of shape (N,) of class indices

    Examples
    --------
    >>> z = np.log([[0.3, 0.2, 0.5]])
    >>> check_cross_entropy_grad([[0.3, 0.2, -0.5]], z, [2])
    Correct: the gradient softmax(z) - onehot(y), divided by N = 1.
    True
    """
    if answer is None:
        return report(False, _NOT_ANSWERED, hint="softmax(z) - onehot(y), then divide by N.")
    a = _as_array(answer)
    if a is None:
        return _unreadable(answer)
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(target, dtype=np.int64)
    expected = cross_entropy_grad(z, y)
    n, c = z.shape
    onehot = np.eye(c)[y]
    p = softmax(z)
    if a.shape == (c, n) and a.shape != (n, c):
        return report(False, f"your answer has shape {a.shape}, transposed.",
                      hint=f"the gradient has the logits' shape {(n, c)}: one row per example.")
    if a.shape != (n, c):
        return report(False, f"your answer has shape {a.shape}, expected {(n, c)}.",
                      hint="the gradient has the same shape as the logits.")
    if not np.all(np.isfinite(a)):
        return _not_a_number(a, "your gradient")
    candidates = [
        (expected.T if n == c else None, "is transposed.",
         "one row per example, one column per class: the logits' layout."),
        ((p - onehot), "is the gradient of the SUM over the batch.",
         f"the mean divides the loss by N = {n}, so divide the gradient by N too."),
        ((onehot - p) / n, "has the wrong sign.",
         "it is softmax(z) - onehot(y): the true class's entry is negative, so gradient descent "
         "raises its logit."),
        (onehot - p, "has the wrong sign and is not divided by N.",
         "softmax(z) - onehot(y), then divide by N."),
        (p / n, "forgets to subtract the one-hot label.",
         "the derivative of -z_y adds -1 at the true class: softmax(z) - onehot(y)."),
        (-onehot / n, "forgets the softmax term.",
         "differentiate log-sum-exp(z) too: its gradient is softmax(z)."),
        ((softmax(p) - onehot) / n, "applies softmax twice.",
         "the logits go into softmax once: softmax(z) - onehot(y)."),
    ]
    if is_close(a, expected, rtol=_RTOL, atol=1e-8):
        return report(True, f"the gradient softmax(z) - onehot(y), divided by N = {n}.")
    for value, message, hint in candidates:
        if value is not None and is_close(a, value, rtol=_RTOL, atol=1e-8):
            return report(False, f"your gradient {message}", hint=hint)
    return report(False, "your gradient does not match softmax(z) - onehot(y), divided by N.",
                  hint="check one row by hand: p = softmax(z); p[y] -= 1; then divide by N.")


def check_label_smoothing(answer, logits, target, epsilon) -> Verdict:
    """Check a mean cross-entropy with label smoothing, as PyTorch defines it.

    The smoothed target is ``(1 - epsilon) * onehot + epsilon / C``: every class, the true one
    included, gets ``epsilon / C``.

    Examples
    --------
    >>> z = [[2.0, 0.5, -1.0]]
    >>> check_label_smoothing(cross_entropy(z, [0], label_smoothing=0.1), z, [0], 0.1)
    Correct: 0.391311 is the label-smoothed loss (epsilon = 0.1), as in PyTorch.
    True
    >>> check_label_smoothing(cross_entropy(z, [0]), z, [0], 0.1)
    Not yet: 0.241311 is the loss without label smoothing.
    Hint: mix the one-hot label with the uniform distribution: (1 - 0.1) * onehot + 0.1 / C.
    False
    """
    if answer is None:
        return report(False, _NOT_ANSWERED,
                      hint="t = (1 - eps) * onehot + eps / C, then -sum(t * log_softmax(z)).")
    a = _as_array(answer)
    if a is None:
        return _unreadable(answer)
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(target, dtype=np.int64)
    n, c = z.shape
    expected = cross_entropy(z, y, label_smoothing=epsilon)
    if a.shape == () and not np.isfinite(a):
        return _not_a_number(a)
    logp = log_softmax(z)
    onehot = np.eye(c)[y]

    def ce(t):
        return float(-(t * logp).sum(axis=1).mean())

    other = (1 - epsilon) * onehot + epsilon / (c - 1) * (1 - onehot)
    candidates = [
        (ce(onehot), "is the loss without label smoothing.",
         f"mix the one-hot label with the uniform distribution: (1 - {epsilon}) * onehot + "
         f"{epsilon} / C."),
        (ce(other), f"spreads epsilon over the C - 1 = {c - 1} other classes.",
         "PyTorch spreads epsilon over ALL C classes, the true one included: eps / C each."),
        (ce((1 - epsilon) * onehot), "only scales the one-hot label by 1 - epsilon.",
         "add epsilon / C to every class, so the target still sums to one."),
        (ce(onehot * (1 - epsilon) + epsilon / c) * n, "is the sum over the batch, not the mean.",
         f"divide by N = {n}."),
        (expected / math.log(10), "uses log base 10.", "use the natural log."),
        (-expected, "has the wrong sign.", "the loss is MINUS sum_k t_k log p_k."),
    ]
    return _diagnose(a, expected, candidates,
                     f"the label-smoothed loss (epsilon = {epsilon}), as in PyTorch")


def check_stable_cross_entropy(func) -> Verdict:
    """Check a learner's function ``func(logits, target) -> float`` for a stable mean cross-entropy.

    It is tried on ordinary logits and on extreme ones such as [1000, 0, -1000], where a naive
    softmax overflows and a clipped log caps the loss near 16.12.

    Examples
    --------
    >>> check_stable_cross_entropy(lambda z, y: cross_entropy(z, y))
    Correct: exact on all 4 test cases, logits of +-1000 included.
    True
    """
    if func is None:
        return report(False, _NOT_ANSWERED,
                      hint="subtract the row maximum, then use log-sum-exp: lse(z) - z[y].")
    if not callable(func):
        return report(False, f"expected a function, got {type(func).__name__}.",
                      hint="define def ce(logits, target): ... and pass ce itself, without ().")
    cases = [
        (np.array([[2.0, 1.0, 0.1]]), np.array([0])),
        (np.array([[0.5, -1.0, 3.0], [1.0, 1.0, 1.0]]), np.array([2, 0])),
        (np.array([[1000.0, 0.0, -1000.0]]), np.array([0])),
        (np.array([[1000.0, 0.0, -1000.0], [-800.0, 10.0, 900.0]]), np.array([2, 0])),
    ]
    for i, (z, y) in enumerate(cases):
        expected = cross_entropy(z, y)
        try:
            with np.errstate(all="ignore"):
                got = _as_array(func(z.copy(), y.copy()))
        except Exception as err:  # a learner's bug must not crash the check
            return report(False, f"your function raised {type(err).__name__}: {err}",
                          hint=f"test case {i + 1} had logits {z.tolist()} and targets {y.tolist()}.")
        case = f"logits {z.tolist()}, targets {y.tolist()}"
        if got is None or got.shape != ():
            shown = "nothing" if got is None else _fmt(got)
            return report(False, f"on {case} it returned {shown}, not one number.",
                          hint="return the mean over the batch as a float.")
        if is_close(got, expected, rtol=_RTOL, atol=1e-6):
            continue
        if not np.isfinite(got):
            return report(False, f"on {case} it returned {_fmt(got)}; the loss is {expected:.4f}.",
                          hint="np.exp(1000) overflows to inf. Subtract the row maximum before exp "
                          "and compute log p as z - max - log(sum(exp(z - max))).")
        if i >= 2 and got < expected and got < 40:
            return report(False, f"on {case} it returned {_fmt(got)}; the loss is {expected:.4f}.",
                          hint="a clipped log (log(p + 1e-7) or clip(p, 1e-7)) caps each example's "
                          "loss near 16.12. Work with log-probabilities, never with p.")
        if is_close(got, expected * len(y), rtol=_RTOL):
            return report(False, f"on {case} it returned the sum over the batch.",
                          hint="take the mean over examples.")
        return report(False, f"on {case} it returned {_fmt(got)}; the loss is {expected:.4f}.",
                      hint="compute -(z[y] - logsumexp(z)) per row, then the mean.")
    return report(True, f"exact on all {len(cases)} test cases, logits of +-1000 included.")


def check_softmax_floor(answer, num_classes) -> Verdict:
    """Check the lowest loss reachable when probabilities are passed to a cross-entropy on logits.

    A model whose outputs already went through softmax can at best output a one-hot vector;
    ``cross_entropy`` applies softmax again and gives ``log(1 + (C - 1) / e)``.

    Examples
    --------
    >>> check_softmax_floor(math.log(1 + 2 / math.e), 3)
    Correct: 0.551445 is the floor log(1 + (C - 1)/e) for C = 3 classes.
    True
    """
    if answer is None:
        return report(False, _NOT_ANSWERED,
                      hint="apply softmax once more to the best output, a one-hot vector.")
    a = _as_array(answer)
    if a is None:
        return _unreadable(answer)
    c = int(num_classes)
    best = np.eye(c)[0]
    expected = float(-log_softmax(best)[0])
    candidates = [
        (0.0, "would be the floor if softmax ran only once.",
         "the loss applies softmax to the one-hot vector again: -log(e / (e + C - 1))."),
        (math.log(c), "is the loss of the uniform prediction 1/C.",
         "the best the model can output is a one-hot vector, which the second softmax turns into "
         "e / (e + C - 1) for the true class."),
        (-expected, "has the wrong sign.", "a loss -log p with p < 1 is positive."),
        (expected / math.log(10), "uses log base 10.", "use the natural log."),
        (math.log(1 + c / math.e), "counts C instead of C - 1 other classes.",
         "the true class contributes e, each of the C - 1 others exp(0) = 1."),
    ]
    return _diagnose(a, expected, candidates, f"the floor log(1 + (C - 1)/e) for C = {c} classes",
                     hint="take the best output a softmax layer can give, the one-hot vector, apply "
                     "softmax to it once more, and take -log of the true class's entry.")
