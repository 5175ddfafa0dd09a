"""Self-checks for the chapter on training a classifier end to end.

Mini-batches and optimiser steps, how the spread of a mini-batch loss shrinks with the batch
size, one SGD step with weight decay, early stopping on the validation loss, precision and
recall from a confusion matrix, and the expected calibration error. Each check recomputes its
reference from the exercise's inputs and names the usual mistakes.
"""

from __future__ import annotations

import math

import numpy as np

from .._i18n import N_, _
from ..metrics import calibration_bins
from ._answers import as_array, as_number, fmt
from ._judge import Feedback, Mistake, Problem
from ._registry import Case, check, check_function, example, run_cases


def _count(value, name: str, *, low: int = 1) -> int:
    """An exercise input that must be a whole number >= ``low``."""
    x = as_number(value, name)
    if not x.is_integer() or x < low:
        raise ValueError(f"{name} must be a whole number >= {low}; got {fmt(x)}")
    return int(x)


@check(
    examples=[
        example(1079, 32, 20),
        example(1079, 32, 20, drop_last=True),
        example(100, 10, 3),
    ]
)
def check_optimizer_steps(answer, n, batch_size, epochs, drop_last=False) -> Problem:
    """Check the number of optimiser steps of a training run.

    ``n`` training examples, mini-batches of ``batch_size``, ``epochs`` passes over the data; one
    step per mini-batch. The last, smaller batch of an epoch counts unless ``drop_last``.
    """
    n, b, e = _count(n, "n"), _count(batch_size, "batch_size"), _count(epochs, "epochs")
    full, with_last = n // b, -(-n // b)
    per_epoch = full if drop_last else with_last
    total = e * per_epoch
    return Problem(
        right=total,
        what=_("the number of optimiser steps"),
        correct=_("{total} steps: {per_epoch} mini-batches per epoch times {e} epochs.").format(
            total=total, per_epoch=per_epoch, e=e
        ),
        idea=_("count the mini-batches of one epoch, then multiply by the number of epochs."),
        recipe=(
            _(
                "one step per mini-batch: an epoch has n // batch_size full batches, plus one smaller "
                "batch for the remainder unless drop_last=True."
            )
        ),
        mistakes=[
            Mistake(
                e * full if not drop_last and n % b else None,
                _(
                    "that leaves out the last, smaller batch of every epoch, as int(), // or round() "
                    "do when the fraction is below one half."
                ),
                _(
                    "with drop_last=False the remainder forms one more batch: math.ceil(n / "
                    "batch_size) per epoch."
                ),
            ),
            Mistake(
                e * with_last if drop_last and n % b else None,
                _("that counts the last, incomplete batch, which drop_last=True leaves out."),
                _("use n // batch_size batches per epoch."),
            ),
            Mistake(
                e * n / b if n % b else None,
                _("that is epochs * n / batch_size without rounding: a number of steps is a whole number."),
                _("count whole mini-batches per epoch."),
            ),
            Mistake(
                per_epoch if e > 1 else None,
                _("that is one epoch's steps."),
                _("multiply by the number of epochs."),
            ),
            Mistake(
                e * n if b > 1 else None,
                _("that is one step per example, as if batch_size were 1."),
                _("one step per mini-batch, not per example."),
            ),
        ],
    )


@check(examples=[example(0.3, 0.04), example(0.42, 0.1)])
def check_batch_size_for_spread(answer, sigma, target_spread) -> Problem:
    """Check the smallest batch size whose mini-batch loss spreads by at most ``target_spread``.

    The per-example losses have standard deviation ``sigma``; the mean of ``B`` of them drawn at
    random spreads by about ``sigma / sqrt(B)``, so the answer is the smallest whole ``B`` with
    ``sigma / sqrt(B) <= target_spread``.
    """
    s, t = as_number(sigma, "sigma"), as_number(target_spread, "target_spread")
    if not (np.isfinite(s) and np.isfinite(t) and s > 0 and t > 0):
        raise ValueError("sigma and target_spread must be positive numbers")
    exact = (s / t) ** 2
    right = max(1, math.ceil(exact - 1e-9))
    floor = math.floor(exact + 1e-9)

    def unless_right(value):
        return None if value == right or abs(value - right) < 1e-9 else value

    return Problem(
        right=right,
        what=_("the smallest batch size"),
        correct=_("B = {right}: sigma / sqrt(B) = {0} <= {1}.").format(
            fmt(s / math.sqrt(right)), fmt(t), right=right
        ),
        idea=_(
            "revisit how the spread of a mini-batch mean shrinks as the batch grows, and which way to "
            "round."
        ),
        recipe=_("the spread shrinks like 1 / sqrt(B): B >= (sigma / target_spread) ** 2, rounded up."),
        mistakes=[
            Mistake(
                unless_right(math.ceil(s / t - 1e-9)),
                _(
                    "that makes the spread shrink like 1 / B; it shrinks like 1 / sqrt(B), so halving "
                    "it takes four times the batch."
                ),
                _("square the ratio: B >= (sigma / target_spread) ** 2."),
            ),
            Mistake(
                unless_right(floor) if floor >= 1 else None,
                _(
                    "that rounds down (as int() does, or round() below one half), so the spread is "
                    "still a little above the target."
                ),
                _("round up with math.ceil: the smallest whole B that is large enough."),
            ),
            Mistake(
                unless_right(exact),
                _("a batch size is a whole number."),
                _("round (sigma / target_spread) ** 2 up."),
            ),
            Mistake(
                unless_right(math.ceil(s**2 / t - 1e-9)),
                _("that squares sigma but not the target spread."),
                _("B >= (sigma / target_spread) ** 2 = sigma ** 2 / target_spread ** 2."),
            ),
        ],
    )


@check(
    examples=[
        example([0.5, -1.0, 2.0], [0.1, 0.2, -0.3], 0.1, 0.01),
        example([[1.0, -2.0], [0.0, 3.0]], [[0.5, 0.5], [-1.0, 0.0]], 0.05, 0.2),
    ]
)
def check_weight_decay_step(answer, weight, grad, lr, weight_decay) -> Problem:
    """Check one SGD step with weight decay, as ``torch.optim.SGD(..., weight_decay=...)`` takes it.

    ``grad`` is
    the gradient of the data loss alone. Adding ``(weight_decay / 2) * ||w||^2`` to the loss
    adds ``weight_decay * w`` to the gradient, so the new weight is
    ``w - lr * (grad + weight_decay * w)``.
    """
    w, g = as_array(weight, "weight"), as_array(grad, "grad")
    if w.shape != g.shape:
        raise ValueError(f"weight and grad must have one shape; got {w.shape} and {g.shape}")
    lr, wd = as_number(lr, "lr"), as_number(weight_decay, "weight_decay")
    right = w - lr * (g + wd * w)
    return Problem(
        right=right,
        what=_("the weight after one SGD step with weight decay"),
        idea=_("revisit what weight decay adds to the gradient before the step."),
        recipe=_("the decay term adds weight_decay * weight to the gradient before the step."),
        mistakes=[
            Mistake(
                w - lr * (g - wd * w),
                _("the decay term has the wrong sign: it pushes the weights away from 0."),
                _("weight decay adds + weight_decay * weight to the gradient."),
            ),
            Mistake(
                lr * (g + wd * w),
                _("that is the size of the step, lr * (grad + weight_decay * weight), not the new weight."),
                _("subtract the step from the weight."),
            ),
            Mistake(
                w - lr * g,
                _("that is a plain SGD step: the weight decay is missing."),
                _("add weight_decay * weight to the gradient."),
            ),
            Mistake(
                w - lr * (g + wd / 2 * w),
                _(
                    "that uses weight_decay / 2 as the decay: the 1/2 in "
                    "(weight_decay / 2) * ||w||^2 cancels when you "
                    "differentiate."
                ),
                _("the gradient of (lambda / 2) * ||w||^2 is lambda * w."),
            ),
            Mistake(
                w - lr * (g + 2 * wd * w),
                _(
                    "that differentiates weight_decay * ||w||^2, without "
                    "the 1/2; weight_decay=lambda means (lambda / 2) * "
                    "||w||^2."
                ),
                _("the decay adds weight_decay * weight to the gradient, not twice that."),
            ),
            Mistake(
                w - lr * g - wd * w,
                _("that subtracts the decay without the learning rate."),
                _("multiply the whole gradient, decay included, by lr."),
            ),
            Mistake(
                w + lr * (g + wd * w),
                _("that steps uphill: the sign is flipped."),
                _("subtract lr times the gradient."),
            ),
        ],
    )


# The cases of check_weight_decay_function: (weight, grad, lr, weight_decay), and what they are.
_DECAY_CASES = (
    Case((np.array([0.5, -1.0, 2.0]), np.array([0.1, 0.2, -0.3]), 0.1, 0.01), N_("the exercise's weights")),
    Case(
        (np.array([[1.0, -2.0], [0.0, 3.0]]), np.array([[0.5, 0.5], [-1.0, 0.0]]), 0.05, 0.2),
        N_("a (2, 2) weight matrix, lr=0.05, weight_decay=0.2"),
    ),
)


def _reference_decay_step(weight, grad, lr, weight_decay):
    """A right answer to the exercise, for the tests."""
    w, g = np.asarray(weight, dtype=float), np.asarray(grad, dtype=float)
    return w - lr * (g + weight_decay * w)


def _judge_decay_case(case: Case, value) -> Feedback:
    """What the learner's step returned on one case, against check_weight_decay_step's table."""
    return check_weight_decay_step.problem(*case.args).judge_value(value)


@check_function(
    idea=N_("revisit what weight_decay adds to the gradient, and what the learning rate multiplies."),
    recipe=N_("return weight - lr * (grad + weight_decay * weight): the decay term is part of the gradient."),
    reference=_reference_decay_step,
    examples=[example()],
)
def check_weight_decay_function(answer) -> Feedback:
    """Check a learner's ``sgd_step(weight, grad, lr, weight_decay)``: one step of
    ``torch.optim.SGD(..., lr=lr, weight_decay=weight_decay)`` without momentum, on a few cases.

    Examples
    --------
    >>> check_weight_decay_function(lambda w, g, lr, wd: w - lr * (g + wd * w))
    Correct: your step agrees with torch.optim.SGD on every test: the decay shrinks each weight
             by the factor 1 - lr * weight_decay.
    True
    """
    return run_cases(
        answer,
        _DECAY_CASES,
        _judge_decay_case,
        right=_(
            "your step agrees with torch.optim.SGD on every test: the decay shrinks each weight by "
            "the factor 1 - lr * weight_decay."
        ),
    )


@check(examples=[example(14, 24, 100), example(3, 8, 50)])
def check_saved_weights_epoch(answer, kept, stopped, max_epochs) -> Problem:
    """Check which epoch's weights an early-stopping loop that saves ``model.state_dict()``
    without cloning it hands back.

    The loop reports ``kept`` as its best epoch and stops after epoch ``stopped`` (of at most
    ``max_epochs``). ``state_dict()`` returns the model's own tensors, which every later step
    changes in place, so ``load_state_dict`` puts back the weights of epoch ``stopped``.
    """
    k, s, m = _count(kept, "kept"), _count(stopped, "stopped"), _count(max_epochs, "max_epochs")
    if not k < s <= m:
        raise ValueError("kept, stopped and max_epochs must satisfy kept < stopped <= max_epochs")
    return Problem(
        right=s,
        what=_("the epoch whose weights the model holds"),
        correct=_(
            "the model holds the weights of epoch {s}, the last one trained: the saved dictionary "
            "held the model's own tensors, so it changed with every step after epoch {k}."
        ).format(s=s, k=k),
        idea=_("revisit what model.state_dict() returns: copies of the weights, or the tensors themselves?"),
        recipe=_(
            "the dictionary's tensors are the parameters themselves; the steps after the best epoch "
            "change them in place until the loop stops, and load_state_dict puts back what they hold then."
        ),
        mistakes=[
            Mistake(
                k,
                _(
                    "that is the epoch the function reports, but without clone() the saved dictionary "
                    "holds the model's own tensors, not a copy of their values at epoch {k}."
                ).format(k=k),
                _("follow those tensors: the optimiser changes them in place at every later step."),
            ),
            Mistake(
                m if m != s else None,
                _(
                    "training still stops after epoch {s}: the loop tests best_loss and best_epoch, "
                    "plain numbers that the missing clone() does not touch."
                ).format(s=s),
                _("only the saved weights are wrong, not when the loop stops."),
            ),
            Mistake(
                s - 1 if s - 1 != k else None,
                _("that is one epoch early: the epoch that breaks the loop has trained before its test."),
                _("the loop trains an epoch, then evaluates it, then decides to stop."),
            ),
        ],
    )


def _early_stopping(losses: np.ndarray, patience: int) -> tuple[int, int]:
    """(epoch kept, last epoch run), epochs numbered from 1."""
    best, best_loss = 1, losses[0]
    for epoch, loss in enumerate(losses[1:], start=2):
        if epoch - best > patience:
            return best, epoch - 1
        if loss < best_loss:
            best, best_loss = epoch, loss
    return best, len(losses)


@check(
    examples=[
        example([0.9, 0.7, 0.6, 0.62, 0.61, 0.63, 0.64, 0.55], 3),
        example([1.0, 0.8, 0.85, 0.7, 0.72, 0.75, 0.74], 2),
    ]
)
def check_early_stopping(answer, val_losses, patience) -> Problem:
    """Check the epoch early stopping keeps, and the last epoch it trains.

    The answer is a pair ``(kept, stopped)``. ``val_losses[i]`` is the validation loss after
    epoch ``i + 1`` (epochs count from 1). Training stops once ``patience`` epochs in a row
    bring no new lowest validation loss, and keeps the weights of the epoch with the lowest one
    seen so far.
    """
    losses = as_array(val_losses, "val_losses")
    p = _count(patience, "patience")
    if losses.ndim != 1 or losses.size < 2 or not np.all(np.isfinite(losses)):
        raise ValueError("val_losses must be a list of at least two finite numbers")
    kept, stopped = _early_stopping(losses, p)
    overall = int(np.argmin(losses)) + 1
    return Problem(
        right=[kept, stopped],
        what=_("(the epoch kept, the last epoch trained)"),
        correct=(
            _(
                "training stops after epoch {stopped} and keeps the weights of epoch {kept}, "
                "validation loss {0}."
            ).format(fmt(losses[kept - 1]), stopped=stopped, kept=kept)
        ),
        idea=_(
            "revisit the early-stopping rule: the best epoch so far, and the patience counted from it "
            "(epochs from 1)."
        ),
        recipe=(
            _(
                "walk through the losses: remember the lowest so far and its epoch; stop when the "
                "current epoch is {p} epochs past it."
            ).format(p=p)
        ),
        mistakes=[
            Mistake(
                [kept - 1, stopped - 1],
                _("those are 0-based list indices; the exercise counts epochs from 1."),
                _("add 1 to each."),
            ),
            Mistake(
                [stopped, stopped],
                _("that keeps the last epoch's weights; early stopping keeps the best epoch seen."),
                _("keep the epoch with the lowest validation loss."),
            ),
            Mistake(
                [overall, stopped] if overall != kept else None,
                _(
                    "epoch {overall} has the lowest loss of the whole list, but training stopped "
                    "after epoch {stopped} and never saw it."
                ).format(overall=overall, stopped=stopped),
                _("only the epochs up to the stop count."),
            ),
            Mistake(
                [kept, min(kept + p - 1, losses.size)] if stopped == kept + p else None,
                _(
                    "the stop is one epoch early: patience counts the epochs without improvement, all "
                    "of them run."
                ),
                _("stop at kept + patience = {kept} + {p}.").format(kept=kept, p=p),
            ),
            Mistake([stopped, kept], _("the pair is in the wrong order."), _("answer (kept, stopped).")),
        ],
    )


def _confusion(cm) -> np.ndarray:
    c = as_array(cm, "cm")
    if c.ndim != 2 or c.shape[0] != c.shape[1] or c.shape[0] < 2 or np.any(c < 0):
        raise ValueError("cm must be a square matrix of counts, at least 2 by 2")
    return c


@check(
    examples=[
        example([[50, 2, 1], [3, 40, 7], [0, 5, 45]], 1),
        example([[8, 2], [4, 6]], 0),
    ]
)
def check_precision_recall(answer, cm, k) -> Problem:
    """Check the precision and recall of class ``k`` read off a confusion matrix.

    The answer is a pair ``(precision, recall)``. Rows of ``cm`` are true classes and columns predictions, as
    ``lb.confusion_matrix`` returns them.
    """
    c = _confusion(cm)
    k = _count(k, "k", low=0)
    if k >= c.shape[0]:
        raise ValueError(f"k must be a class of cm, 0..{c.shape[0] - 1}")
    tp, predicted, actual = c[k, k], c[:, k].sum(), c[k, :].sum()
    if predicted == 0 or actual == 0:
        raise ValueError("class k must be predicted at least once and occur at least once")
    precision, recall = tp / predicted, tp / actual
    acc = np.trace(c) / c.sum()
    return Problem(
        right=[precision, recall],
        what=_("(precision, recall) of class {k}").format(k=k),
        correct=(
            _(
                "class {k}: precision {0} (of {1} predicted {k}, {2} are {k}), recall {3} (of {4} "
                "true {k}, {5} found)."
            ).format(fmt(precision), int(predicted), int(tp), fmt(recall), int(actual), int(tp), k=k)
        ),
        idea=_("revisit which axis of the confusion matrix holds the true class and which the prediction."),
        recipe=(
            _(
                "rows are true classes, columns predictions: precision = cm[k, k] / cm[:, k].sum(), "
                "recall = cm[k, k] / cm[k, :].sum()."
            )
        ),
        mistakes=[
            Mistake(
                [recall, precision],
                _("precision and recall are swapped."),
                _("precision looks down the column of predictions; recall along the row of true examples."),
            ),
            Mistake(
                [100 * precision, 100 * recall], _("those are percentages."), _("give fractions in [0, 1].")
            ),
            Mistake(
                [acc, acc],
                _("that is the overall accuracy, for every class at once."),
                _("use only class k's row and column."),
            ),
        ],
    )


@check(
    examples=[
        example([[0.9, 0.1], [0.8, 0.2], [0.6, 0.4], [0.3, 0.7], [0.45, 0.55]], [0, 1, 0, 1, 0]),
        example(
            [[0.7, 0.2, 0.1], [0.1, 0.85, 0.05], [0.3, 0.3, 0.4], [0.96, 0.02, 0.02]], [0, 2, 2, 0], n_bins=5
        ),
        example(
            [[0.7, 0.2, 0.1], [0.1, 0.85, 0.05], [0.3, 0.3, 0.4], [0.96, 0.02, 0.02], [0.5, 0.45, 0.05]],
            [0, 2, 2, 0, 1],
            n_bins=1,
        ),
    ]
)
def check_ece(answer, probs, y_true, n_bins=10) -> Problem:
    """Check an expected calibration error with equal-width bins.

    The confidence is the top-class
    probability; bin ``m`` holds confidences in ``(m / n_bins, (m + 1) / n_bins]``; the ECE is
    the sum over bins of (bin size / N) * ``|bin accuracy - bin mean confidence|``.
    """
    p = as_array(probs, "probs")
    y = as_array(y_true, "y_true")
    nb = _count(n_bins, "n_bins")
    if (
        p.ndim != 2
        or p.shape[1] < 2
        or y.shape != (p.shape[0],)
        or not np.allclose(p.sum(axis=1), 1)
        or np.any(p < 0)
    ):
        raise ValueError("probs must be (N, C) rows of probabilities and y_true N class labels")
    if not np.all(np.mod(y, 1) == 0) or y.min() < 0 or y.max() >= p.shape[1]:
        raise ValueError("y_true must hold class labels 0..C-1")
    y = y.astype(np.int64)
    conf = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(np.float64)
    bins = calibration_bins(p, y, n_bins=nb)
    full = bins.counts > 0
    acc, mean_conf = bins.accuracy[full], bins.confidence[full]
    weights = bins.counts[full] / len(y)
    ece = float(np.sum(weights * np.abs(acc - mean_conf)))
    true_conf = p[np.arange(len(y)), y]
    unweighted = float(np.mean(np.abs(acc - mean_conf)))
    per_example = float(np.mean(np.abs(correct - conf)))
    signed = abs(float(np.sum(weights * (acc - mean_conf))))
    bins10 = calibration_bins(p, y, n_bins=10)
    full10 = bins10.counts > 0
    ece10 = float(
        np.sum(bins10.counts[full10] / len(y) * np.abs(bins10.accuracy[full10] - bins10.confidence[full10]))
    )

    def unless_right(value):
        return None if abs(value - ece) <= 1e-9 + 1e-6 * ece else value

    return Problem(
        right=ece,
        what=_("the expected calibration error"),
        correct=_("ECE = {0} over {1} non-empty bins of {nb}.").format(fmt(ece), int(full.sum()), nb=nb),
        idea=_(
            "revisit the reliability diagram: bins of confidence, and each bin's gap weighted by its "
            "size."
        ),
        recipe=(
            _(
                "confidence = probs.max(axis=1); in each non-empty bin compare the share of correct "
                "predictions with the mean confidence; weight by bin size / N."
            )
        ),
        mistakes=[
            Mistake(
                unless_right(unweighted),
                _("that averages the bins equally; the ECE weights each bin by its share of the examples."),
                _("multiply each bin's gap by (bin size / N) and add them up."),
            ),
            Mistake(
                unless_right(signed),
                _("that adds signed gaps, so over- and underconfident bins cancel."),
                _("take the absolute gap in each bin before adding."),
            ),
            Mistake(
                unless_right(per_example),
                _("that compares each example's confidence with its own 0/1 correctness, without bins."),
                _("group the examples into bins first."),
            ),
            Mistake(
                unless_right(float(np.mean(np.abs(correct - true_conf)))),
                _(
                    "that uses the probability of the true class; the ECE uses the confidence of the "
                    "predicted (top) class."
                ),
                _("confidence = probs.max(axis=1)."),
            ),
            Mistake(100 * ece, _("that is a percentage."), _("give a fraction in [0, 1].")),
            Mistake(
                unless_right(ece10) if nb != 10 and not np.isclose(ece10, per_example) else None,
                _("that is the ECE with 10 bins, the chapter's; this exercise asks for n_bins={nb}.").format(
                    nb=nb
                ),
                _("cut [0, 1] into {nb} bins of equal width (one bin: all the examples together).").format(
                    nb=nb
                ),
            ),
        ],
    )
