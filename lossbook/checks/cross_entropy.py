"""Self-checks for the cross-entropy chapter.

Each check builds its ``Problem`` (see ``lossbook.checks._judge``) from the exercise's inputs:
the right answer and the answers the usual mistakes produce (a base-10 or base-2 logarithm, a
sum instead of a mean, a forgotten minus sign, the wrong class, probabilities passed where
logits belong so that softmax runs twice, a naive softmax that overflows).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._i18n import N_, _
from ..activations import log_softmax, softmax
from ._answers import as_array, as_number, close, describe, fmt, logits_and_classes, read_answer
from ._judge import Feedback, Mistake, Problem, one_of
from ._registry import Case, check, check_function, example, run_cases

_GENERIC_HINT = N_(
    "write the formula -sum_k t_k log p_k with np.log (natural log) and check each step "
    "on the first example by hand."
)


def _probs_and_classes(probs, target) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities as (N, C) rows and the true class of each row (index or one-hot target)."""
    p, t = as_array(probs, "probs"), as_array(target, "target")
    if p.ndim not in (1, 2) or p.shape[-1] < 2 or np.any(p <= 0) or np.any(p > 1):
        raise ValueError(f"probs must be (C,) or (N, C) probabilities in (0, 1]; got shape {p.shape}")
    if t.shape == p.shape:  # one-hot rows
        if not np.all((t == 0) | (t == 1)) or not np.all(t.sum(axis=-1) == 1):
            raise ValueError("a target shaped like probs must be one-hot")
        t = np.argmax(t, axis=-1)
    p2, y = p.reshape(-1, p.shape[-1]), t.reshape(-1)
    if y.size != p2.shape[0] or np.any(y != np.round(y)) or np.any((y < 0) | (y >= p2.shape[1])):
        raise ValueError(f"target must hold one class index in [0, {p2.shape[1]}) per row of probs")
    return p2, y.astype(np.int64)


@check(
    examples=[
        example([0.25, 0.6, 0.15], [0.0, 1.0, 0.0]),
        example([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.1, 0.7, 0.2], [0.5, 0.4, 0.1]], [0, 2, 1, 1]),
    ]
)
def check_cross_entropy(answer, probs, target) -> Problem:
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
    p, y = _probs_and_classes(probs, target)
    n, c = p.shape
    rows = np.arange(n)
    per_example = -np.log(p[rows, y])
    right = float(per_example.mean())
    argmax = np.argmax(p, axis=1)
    pred_class = float(-np.log(p[rows, argmax]).mean())
    as_logits = float(-log_softmax(p)[rows, y].mean())
    base10 = right / math.log(10)
    onehot = np.eye(c)[y]
    with np.errstate(divide="ignore"):
        bce_terms = -(onehot * np.log(p) + (1 - onehot) * np.log1p(-p))
    bce_sum = float(bce_terms.sum(axis=1).mean()) if np.all(np.isfinite(bce_terms)) else None
    mistakes = [
        Mistake(
            base10,
            _("{0} is the cross-entropy with log base 10.").format(fmt(base10)),
            _(
                "PyTorch and every framework use the natural log (np.log); {base10:.5f} / log10(e) = "
                "{right:.4f}."
            ).format(base10=base10, right=right),
        ),
        Mistake(
            right / math.log(2),
            _("{0} is the cross-entropy in bits (log base 2).").format(fmt(right / math.log(2))),
            _("frameworks report nats: use np.log, not np.log2."),
        ),
        Mistake(
            -right,
            _("{0} has the wrong sign.").format(fmt(-right)),
            _("log p is negative for p < 1, so the loss is MINUS the sum of t_k log p_k."),
        ),
        Mistake(
            as_logits,
            _("{0} is what torch.nn.functional.cross_entropy gives when it is fed probabilities.").format(
                fmt(as_logits)
            ),
            _(
                "cross_entropy expects logits and applies softmax "
                "itself, so softmax ran twice. Use "
                "F.nll_loss(torch.log(p), y), or pass logits."
            ),
        ),
        Mistake(
            right * n if n > 1 else None,
            _("{0} is the sum over the batch, not the mean.").format(fmt(right * n)),
            _("divide by the number of examples ({n}), or use reduction='mean'.").format(n=n),
        ),
        Mistake(
            right / c,
            _("{0} is a mean over all N * C = {1} entries of t * log p.").format(fmt(right / c), n * c),
            _(
                "sum over the classes first, then average over the examples: (-(t * "
                "np.log(p)).sum(axis=1)).mean(), not (-(t * np.log(p))).mean()."
            ),
        ),
        Mistake(
            per_example if n > 1 else None,
            _("those are the per-example losses."),
            _("the loss with reduction='mean' is one number: take their mean."),
        ),
        Mistake(
            pred_class if not np.array_equal(argmax, y) else None,
            _("{0} uses the predicted class (argmax of p), not the true class.").format(fmt(pred_class)),
            _("the loss looks up the probability of the LABEL's class: -log p[true class]."),
        ),
        Mistake(
            float(-np.log(p).sum(axis=1).mean()),
            _("{0} adds -log p over every class.").format(fmt(-np.log(p).sum(axis=1).mean())),
            _("multiply by the target t_k first: with a one-hot label only the true class counts."),
        ),
        Mistake(
            bce_sum,
            _("{0} is the binary cross-entropy of every class, one against the rest, added up.").format(
                fmt(bce_sum if bce_sum is not None else 0.0)
            ),
            _("the multi-class cross-entropy looks only at the true class: -log p[true class]."),
        ),
        Mistake(
            bce_sum / c if bce_sum is not None else None,
            _("{0} is the binary cross-entropy of every class, one against the rest, averaged.").format(
                fmt(bce_sum / c if bce_sum is not None else 0.0)
            ),
            _("the multi-class cross-entropy looks only at the true class: -log p[true class]."),
        ),
        Mistake(
            float(-np.log(p[:, y]).mean()) if n > 1 else None,
            _("{0} indexes p[:, y]: an N x N table of every row against every label.").format(
                fmt(-np.log(p[:, y]).mean())
            ),
            _("pair each row with its own label: p[np.arange(N), y], one probability per example."),
        ),
        Mistake(
            float((1.0 - p[rows, y]).mean()),
            _("{0} has no logarithm.").format(fmt((1.0 - p[rows, y]).mean())),
            _("the loss is -log p_true, not 1 - p_true."),
        ),
    ]
    for k in range(1, c):
        other = float(-np.log(p[rows, (y + k) % c]).mean())
        if not np.array_equal((y + k) % c, argmax):
            mistakes.append(
                Mistake(
                    other,
                    _("{0} uses the probability of a class that is not the label.").format(fmt(other)),
                    _(
                        "the label's class index (or the position of "
                        "the 1 in the one-hot vector) picks p_true; "
                        "Python counts from 0."
                    ),
                )
            )
    return Problem(
        right=right,
        what=_("the cross-entropy in nats"),
        correct=_("{0} is the cross-entropy in nats, as PyTorch reports it.").format(fmt(right)),
        mistakes=mistakes,
        idea=_(
            "revisit the chapter's definition: the probability of the true class, the natural log, the "
            "mean over examples."
        ),
        recipe=_(_GENERIC_HINT),
        shape_hint=_("a loss with reduction='mean' is a single number: average the per-example losses."),
    )


@check(
    examples=[
        example([[2.0, -1.0, 0.5], [0.0, 3.0, 1.0], [1.0, 1.0, 1.0]], [0, 2, 1]),
        example([[0.5, -0.2], [1.0, 2.0], [0.1, 0.3]], [1, 1, 0]),
    ]
)
def check_cross_entropy_grad(answer, logits, target) -> Problem:
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
    z, y = logits_and_classes(logits, target)
    n, c = z.shape
    onehot = np.eye(c)[y]
    p = softmax(z)
    right = (p - onehot) / n
    return Problem(
        right=right,
        what=_("the gradient of the mean cross-entropy"),
        correct=_("the gradient softmax(z) - onehot(y), divided by N = {n}.").format(n=n),
        idea=_(
            "revisit the gradient of softmax and cross-entropy together: which entry of each row "
            "changes, and the mean."
        ),
        recipe=_("check one row by hand: p = softmax(z); p[y] -= 1; then divide by N."),
        shape_hint=_("the gradient has the logits' shape {0}: one row per example.").format((n, c)),
        mistakes=[
            Mistake(
                right.T if n == c else None,
                _("your gradient is transposed."),
                _("one row per example, one column per class: the logits' layout."),
            ),
            Mistake(
                p - onehot if n > 1 else None,
                _("your gradient is the gradient of the SUM over the batch."),
                _("the mean divides the loss by N = {n}, so divide the gradient by N too.").format(n=n),
            ),
            Mistake(
                (onehot - p) / n,
                _("your gradient has the wrong sign."),
                _(
                    "it is softmax(z) - onehot(y): the true class's entry is negative, so gradient "
                    "descent raises its logit."
                ),
            ),
            Mistake(
                onehot - p if n > 1 else None,
                _("your gradient has the wrong sign and is not divided by N."),
                _("softmax(z) - onehot(y), then divide by N."),
            ),
            Mistake(
                p / n,
                _("your gradient forgets to subtract the one-hot label."),
                _("the derivative of -z_y adds -1 at the true class: softmax(z) - onehot(y)."),
            ),
            Mistake(
                -onehot / n,
                _("your gradient forgets the softmax term."),
                _("differentiate log-sum-exp(z) too: its gradient is softmax(z)."),
            ),
            Mistake(
                (softmax(p) - onehot) / n,
                _("your gradient applies softmax twice."),
                _("the logits go into softmax once: softmax(z) - onehot(y)."),
            ),
            *_axis_slips(z, lambda q: (q - onehot) / n),
            Mistake(
                (p - y[:, None]) / n,
                _("your gradient subtracts the index labels themselves, as if they were one-hot rows."),
                _("turn the labels into one-hot rows first, np.eye(C)[y], or subtract 1 at p[i, y_i] only."),
            ),
        ],
    )


def _axis_slips(z: np.ndarray, use: Callable[[np.ndarray], Any]) -> list[Mistake]:
    """The softmax slips of a square or batched table: over the wrong axis, over the whole table
    (scipy.special.softmax's default axis=None), a row maximum or sum without keepdims."""
    n, c = z.shape
    e = np.exp(z - z.max())
    slips = [
        (
            e / e.sum(axis=0, keepdims=True),
            _("the softmax runs down the columns (axis=0): each class is normalised over the examples."),
            _("normalise each row, over the classes: axis=1 (or axis=-1)."),
        ),
        (
            e / e.sum(),
            _("the softmax normalises the whole table at once, as scipy.special.softmax does by default."),
            _("pass axis=1 (scipy's softmax has axis=None by default), so each row sums to 1."),
        ),
    ]
    if n == c:  # a square table broadcasts a (N,) row maximum or sum silently
        shifted = np.exp(z - z.max(axis=1))
        slips.append((
            shifted / shifted.sum(axis=1, keepdims=True),
            _("the row maximum was subtracted without keepdims, so it broadcast along the wrong axis."),
            _("z.max(axis=1, keepdims=True) keeps the (N, 1) shape that lines up with the rows."),
        ))
        slips.append((
            np.exp(z) / np.exp(z).sum(axis=1),
            _("the row sum was divided without keepdims, so it broadcast along the wrong axis."),
            _("sum(axis=1, keepdims=True) keeps the (N, 1) shape that lines up with the rows."),
        ))
    return [Mistake(use(q), message, hint) for q, message, hint in slips if n > 1]


@check(
    examples=[
        example([[3.0, 0.0, -1.0, 0.5], [0.2, 0.1, 2.2, -0.4]], [0, 2], 0.2),
        example([[2.0, 0.5, 0.1, -1.0], [0.0, 3.0, 0.2, 0.1], [1.0, 1.0, 1.0, 1.0]], [0, 1, 3], epsilon=0.2),
    ]
)
def check_label_smoothing(answer, logits, target, epsilon) -> Problem:
    """Check a mean cross-entropy with label smoothing, as ``F.cross_entropy(label_smoothing=)``.

    The smoothed target is ``(1 - epsilon) * onehot + epsilon / C``: every class, the true one
    included, gets ``epsilon / C`` (PyTorch's convention, after Szegedy et al. 2016).

    Parameters
    ----------
    answer : float or None
    logits : array-like of shape (N, C)
    target : array-like of int, shape (N,)
    epsilon : float
        The smoothing, in (0, 1].

    Examples
    --------
    >>> z = [[2.0, 0.5, -1.0]]
    >>> check_label_smoothing(0.3913112, z, [0], 0.1)
    Correct: 0.391311 is the label-smoothed loss (epsilon = 0.1), as in PyTorch.
    True
    >>> check_label_smoothing(0.2413112, z, [0], epsilon=0.1)
    Not yet: 0.241311 is the loss without label smoothing.
    Hint: mix the one-hot label with the uniform distribution: (1 - 0.1) * onehot + 0.1 / C.
    False
    """
    z, y = logits_and_classes(logits, target)
    eps = as_number(epsilon, "epsilon")
    if not 0 < eps <= 1:
        raise ValueError(f"epsilon must be in (0, 1]; got {eps}")
    n, c = z.shape
    logp = log_softmax(z)
    onehot = np.eye(c)[y]

    def ce(t):
        return float(-(t * logp).sum(axis=1).mean())

    smoothed = (1 - eps) * onehot + eps / c
    right = ce(smoothed)

    def ce_of(q, t):  # the loss from probabilities q computed some other way
        return float(-(t * np.log(q)).sum(axis=1).mean())

    plain = ce(onehot)
    other = ce((1 - eps) * onehot + eps / (c - 1) * (1 - onehot))
    scaled = ce((1 - eps) * onehot)
    smoothed_p = float(-np.log(((1 - eps) * np.exp(logp) + eps / c)[np.arange(n), y]).mean())
    return Problem(
        right=right,
        what=_("the label-smoothed loss (epsilon = {eps:g}), as in PyTorch").format(eps=eps),
        idea=_("revisit how label smoothing changes the target, then the cross-entropy against that target."),
        recipe=_(
            "t = (1 - eps) * onehot + eps / C; loss_i = -sum_c t_ic log softmax(z_i)_c; then average "
            "over the examples."
        ),
        shape_hint=_("the loss with reduction='mean' is one number: average over the examples."),
        mistakes=[
            *_axis_slips(z, lambda q: ce_of(q, smoothed)),
            Mistake(
                plain,
                _("{0} is the loss without label smoothing.").format(fmt(plain)),
                _(
                    "mix the one-hot label with the uniform distribution: (1 - {eps:g}) * onehot + "
                    "{eps:g} / C."
                ).format(eps=eps),
            ),
            Mistake(
                other,
                _("{0} spreads epsilon over the C - 1 = {1} other classes.").format(fmt(other), c - 1),
                _("PyTorch spreads epsilon over ALL C classes, the true one included: eps / C each."),
            ),
            Mistake(
                scaled,
                _("{0} only scales the one-hot label by 1 - epsilon.").format(fmt(scaled)),
                _("add epsilon / C to every class, so the target still sums to one."),
            ),
            Mistake(
                smoothed_p,
                _("{0} smooths the predicted probabilities.").format(fmt(smoothed_p)),
                _("smooth the target instead: t = (1 - eps) * onehot + eps / C."),
            ),
            Mistake(
                right * n if n > 1 else None,
                _("{0} is the sum over the batch, not the mean.").format(fmt(right * n)),
                _("divide by N = {n}.").format(n=n),
            ),
            Mistake(
                right / math.log(10),
                _("{0} uses log base 10.").format(fmt(right / math.log(10))),
                _("use the natural log, np.log."),
            ),
            Mistake(
                -right,
                _("{0} has the wrong sign.").format(fmt(-right)),
                _("the loss is MINUS sum_k t_k log p_k."),
            ),
        ],
    )


# The cases of check_stable_cross_entropy; the last two overflow a naive softmax.
_STABLE_CASES = tuple(
    Case((np.array(z), np.array(y)), N_("logits {0}, targets {1}"), (z, y))
    for z, y in (
        ([[2.0, 1.0, 0.1]], [0]),
        ([[0.5, -1.0, 3.0], [1.0, 1.0, 1.0]], [2, 0]),
        ([[1000.0, 0.0, -1000.0]], [0]),
        ([[1000.0, 0.0, -1000.0], [-800.0, 10.0, 900.0]], [2, 0]),
    )
)


def _reference_cross_entropy(logits, target):
    """A right answer to the exercise, for the tests."""
    logits = np.asarray(logits, dtype=float)
    return float(-log_softmax(logits)[np.arange(len(target)), target].mean())


def _judge_stable_case(case: Case, value) -> Feedback:
    """What the learner's cross-entropy returned on one case: overflow, underflow, a clipped
    log and a sum are told apart."""
    z, y = case.args
    right = _reference_cross_entropy(z, y)
    problem = Problem(right=right, what=_("the mean cross-entropy"), idea="", recipe="", near=None)
    said = problem.judge_value(value)
    if said.ok:
        return said
    if isinstance(value, (str, bytes)):
        return Feedback(
            False,
            _("it returned {0}, not a number.").format(describe(value)),
            _("return the mean over the batch as a float, not as text."),
        )
    got, _unread = read_answer(value)
    if got is None or got.size != 1:
        return Feedback(
            False,
            _("it returned {0}, not one number.").format(fmt(value) if got is not None else describe(value)),
            _("return the mean over the batch as a float."),
        )
    got = float(got.reshape(()))
    loss = _("it returned {0}; the loss is {1}.").format(fmt(got), fmt(right))
    if np.isnan(got):
        return Feedback(
            False,
            loss,
            _("np.exp(1000) overflows to inf, and inf / inf is nan. Subtract the row maximum before exp "
              "and compute log p as z - max - log(sum(exp(z - max)))."),
        )
    if got == np.inf:
        return Feedback(
            False,
            loss,
            _("after the row maximum is subtracted, exp(-2000) underflows to 0 and log(0) is -inf: take "
              "no log of p; compute log p directly as z - max - log(sum(exp(z - max)))."),
        )
    if abs(float(np.max(z))) >= 1000 and got < right and got < 40:
        return Feedback(
            False,
            loss,
            _("a clipped log (log(p + 1e-7) or clip(p, 1e-7)) caps each example's loss near 16.12. "
              "Work with log-probabilities, never with p."),
        )
    if len(y) > 1 and close(np.array(got), np.array(right * len(y)), 1e-5, 1e-8):
        return Feedback(False, _("it returned the sum over the batch."), _("take the mean over examples."))
    return Feedback(False, loss)


@check_function(
    idea=N_("revisit why the chapter subtracts the row maximum, and where the log is taken."),
    recipe=N_("subtract the row maximum, then use log-sum-exp: loss_i = lse(z_i) - z_i[y_i]; then the mean."),
    reference=_reference_cross_entropy,
    examples=[example()],
)
def check_stable_cross_entropy(answer) -> Feedback:
    """Check a learner's function ``ce(logits, target) -> float`` for a stable mean cross-entropy.

    It is tried on ordinary logits and on extreme ones such as [1000, 0, -1000], where a naive
    softmax overflows, a softmax shifted by the maximum underflows before a log, and a clipped log
    caps the loss near 16.12.

    Examples
    --------
    >>> check_stable_cross_entropy(lambda z, y: float(-log_softmax(z)[np.arange(len(y)), y].mean()))
    Correct: exact on all 4 test cases, logits of +-1000 included.
    True
    """
    return run_cases(
        answer,
        _STABLE_CASES,
        _judge_stable_case,
        right=_("exact on all {0} test cases, logits of +-1000 included.").format(len(_STABLE_CASES)),
    )


@check(examples=[example()])
def check_loss_of_probabilities(answer) -> Problem:
    """Check the choice of the PyTorch call that gives the mean cross-entropy of probabilities.

    The options: 1 ``F.cross_entropy(p, y)``, 2 ``F.nll_loss(p, y)``, 3
    ``F.nll_loss(torch.log(p), y)``. Only 3 is right: ``cross_entropy`` applies log-softmax to
    its input, and ``nll_loss`` only picks ``-input[i, y_i]``, so it needs log-probabilities.

    Examples
    --------
    >>> check_loss_of_probabilities(3)
    Correct: option 3: nll_loss takes log-probabilities, so take the log of p first.
    True
    """
    return Problem(
        right=3,
        what=_("the right option"),
        correct=_("option 3: nll_loss takes log-probabilities, so take the log of p first."),
        idea=_("revisit what each of the two functions does to its input before it picks the true class."),
        recipe=_("cross_entropy = nll_loss(log_softmax(input)); p is already a softmax output."),
        diagnose=one_of(1, 2, 3),
        mistakes=[
            Mistake(
                1,
                _("cross_entropy applies log-softmax to its input, so p would go through softmax twice."),
                _("which function only picks the true class's entry, with a minus sign?"),
            ),
            Mistake(
                2,
                _(
                    "nll_loss picks -p[i, y_i] itself: the mean of minus the probabilities, not of minus "
                    "their logs."
                ),
                _("give nll_loss the log-probabilities it expects."),
            ),
        ],
    )


def _softplus(x: float) -> float:
    return math.log1p(math.exp(-abs(x))) + max(x, 0.0)


@check(examples=[example(10), example(3)])
def check_sigmoid_floor(answer, num_labels) -> Problem:
    """Check the lowest loss reachable when sigmoid outputs are passed to ``BCEWithLogitsLoss``.

    A multi-label model whose outputs already went through sigmoid can at best output 1 for the
    one positive label and 0 for the ``num_labels - 1`` others; the loss applies sigmoid again,
    so it approaches ``(softplus(-1) + (C - 1) log 2) / C``, the mean over the C entries.

    Examples
    --------
    >>> check_sigmoid_floor((math.log(1 + 1 / math.e) + 2 * math.log(2)) / 3, 3)
    Correct: 0.566519 is the smallest mean loss for C = 3 labels.
    True
    """
    c = as_number(num_labels, "num_labels")
    if c != round(c) or c < 2:
        raise ValueError(f"num_labels must be a whole number >= 2; got {c}")
    c = int(c)
    positive, negative = _softplus(-1.0), math.log(2)
    right = (positive + (c - 1) * negative) / c
    return Problem(
        right=right,
        what=_("the smallest mean loss for C = {c} labels").format(c=c),
        idea=_(
            "revisit what BCEWithLogitsLoss does to its input first, and the best outputs a sigmoid "
            "can give for a positive and for a negative label."
        ),
        recipe=_(
            "the best outputs are 1 for the positive label and 0 for the others; the loss applies "
            "sigmoid again: -log sigmoid(1) for the positive, -log(1 - sigmoid(0)) for each negative; "
            "then the mean over the {c} entries."
        ).format(c=c),
        mistakes=[
            Mistake(
                math.log(1 + (c - 1) / math.e),
                _("{0} is the floor of a softmax output fed to cross_entropy, one loss per example.").format(
                    fmt(math.log(1 + (c - 1) / math.e))
                ),
                _(
                    "BCEWithLogitsLoss applies sigmoid to each entry on its own: one loss per label, then "
                    "the mean."
                ),
            ),
            Mistake(
                positive,
                _("{0} is the positive label's loss alone.").format(fmt(positive)),
                _("the {0} negative labels have a floor too: sigmoid(0) = 1/2, not 0.").format(c - 1),
            ),
            Mistake(
                negative,
                _("{0} is a negative label's loss alone.").format(fmt(negative)),
                _("the positive label's floor differs: the loss applies sigmoid to 1, not to 0."),
            ),
            Mistake(
                right * c,
                _("{0} is the sum over the {1} labels; the loss's default is the mean.").format(
                    fmt(right * c), c
                ),
                _("divide by the number of entries, C = {0}.").format(c),
            ),
            Mistake(
                1 / (1 + math.exp(-1)),
                _("{0} is the probability sigmoid(1), not a loss.").format(fmt(1 / (1 + math.exp(-1)))),
                _("take -log of the probability each label gets."),
            ),
            Mistake(
                -right,
                _("{0} has the wrong sign.").format(fmt(-right)),
                _("a loss -log p with p < 1 is positive."),
            ),
            Mistake(
                right / math.log(10),
                _("{0} uses log base 10.").format(fmt(right / math.log(10))),
                _("use the natural log."),
            ),
        ],
    )


@check(examples=[example(3, 1, 3), example(4, 0, 2)])
def check_equal_logits_grad(answer, num_classes, label, batch_size) -> Problem:
    """Check the gradient row of one example whose logits are all equal, in a mean over a batch.

    Equal logits give softmax 1/C for every class, so the example's row of the gradient of the
    mean cross-entropy is ``(1/C - onehot(label)) / N``.

    Examples
    --------
    >>> check_equal_logits_grad([1 / 9, -2 / 9, 1 / 9], 3, 1, 3)
    Correct: (1/C - onehot(y)) / N for C = 3, y = 1, N = 3.
    True
    """
    c, n = as_number(num_classes, "num_classes"), as_number(batch_size, "batch_size")
    y = as_number(label, "label")
    if c != round(c) or c < 2 or n != round(n) or n < 1 or y != round(y) or not 0 <= y < c:
        raise ValueError(
            f"num_classes must be a whole number >= 2, batch_size >= 1 and label in [0, num_classes); "
            f"got {c}, {n}, {y}"
        )
    c, n, y = int(c), int(n), int(y)
    onehot = np.eye(c)[y]
    uniform = np.full(c, 1 / c)
    right = (uniform - onehot) / n
    return Problem(
        right=right,
        what=_("the example's row of the gradient"),
        correct=_("(1/C - onehot(y)) / N for C = {c}, y = {y}, N = {n}.").format(c=c, y=y, n=n),
        idea=_("revisit what softmax gives when all logits are equal, and what the mean does to each row."),
        recipe=_("softmax of equal logits is 1/C per class; subtract 1 at the true class; divide by N."),
        shape_hint=_("the row has one entry per class: {0} numbers.").format(c),
        mistakes=[
            Mistake(
                uniform - onehot if n > 1 else None,
                _("that is the row of the gradient of the SUM over the batch."),
                _("the mean divides the loss by N = {n}, so divide the gradient by N too.").format(n=n),
            ),
            Mistake(
                (onehot - uniform) / n,
                _("the sign is flipped."),
                _("gradient descent raises the true class's logit, so its entry is negative."),
            ),
            Mistake(
                onehot - uniform if n > 1 else None,
                _("the sign is flipped and the row is not divided by N."),
                _("softmax(z) - onehot(y), then divide by N = {n}.").format(n=n),
            ),
            Mistake(
                uniform / n,
                _("that row forgets to subtract the one-hot label."),
                _("the derivative of -z_y adds -1 at the true class."),
            ),
            Mistake(
                -onehot / n,
                _("that row forgets the softmax term: equal logits do not give probabilities 0."),
                _("differentiate log-sum-exp(z) too: its gradient is softmax(z), here 1/C per class."),
            ),
        ],
    )
