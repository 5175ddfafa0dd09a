"""Self-checks for the chapter on why we train on a loss and report accuracy.

Each check builds its ``Problem`` (see ``lossbook.checks._judge``) from the inputs it is given
and recognises the typical mistakes (a percentage instead of a fraction, a count instead of an
average, a finite-difference step that straddles a jump, a missing ``1/N`` or ``1/T``).
"""

from __future__ import annotations

import numpy as np

from .._i18n import _
from ..activations import sigmoid_derivative
from ._answers import as_array, as_number, close, fmt
from ._judge import Mistake, Problem
from ._registry import check, example

# Inputs of the examples below.


def _accuracy_example(w):
    x, y = np.array([-2.0, -1.0, 0.5, 1.5, 3.0]), np.array([0, 0, 1, 1, 0])
    return float(np.mean((w * x + 0.2 > 0) == y))


def _loss_example(w):
    x, y = np.array([-2.0, -1.0, 0.5, 1.5, 3.0]), np.array([0, 0, 1, 1, 0])
    z = w * x + 0.2
    return float(np.mean(np.logaddexp(0, z) - y * z))


_X2 = np.array([[0.5, 1.2], [-1.0, 0.3], [2.0, -0.7], [0.1, 0.9], [-0.4, -1.5], [1.3, 0.2]])
_Y2 = np.array([1, 0, 1, 1, 0, 0])


def _labels(target, n: int, name: str = "target") -> np.ndarray:
    t = as_array(target, name)
    if t.shape != (n,) or np.any(t != np.round(t)):
        raise ValueError(f"{name} must hold {n} whole-number labels; got shape {t.shape}")
    return t


@check(
    examples=[
        example([2.1, -0.6, 0.4, -1.7, 0.2, 3.0, -0.8, 0.1], [1, 0, 0, 0, 1, 1, 1, 0]),
        example([[2.0, 0.5, 0.1], [0.2, 1.0, 3.0], [1.0, 0.0, 0.5]], [0, 1, 0]),
    ]
)
def check_accuracy(answer, logits, target) -> Problem:
    """Check an accuracy computed from logits, as a fraction in [0, 1].

    Parameters
    ----------
    answer : float or None
        The learner's accuracy.
    logits : array-like of shape (n,) or (n, c)
        Binary logits (predict class 1 where the logit is > 0) or class scores (argmax).
    target : array-like of shape (n,)
        0/1 labels (binary) or class indices.

    Examples
    --------
    >>> check_accuracy(0.5, [2.0, -1.0], [1, 1])
    Correct: accuracy 0.5000, 1 of 2 examples right.
    True
    """
    z = as_array(logits, "logits")
    if z.ndim not in (1, 2) or z.shape[0] == 0:
        raise ValueError(f"logits must be (n,) or (n, c) with n > 0; got {z.shape}")
    t = _labels(target, z.shape[0])
    binary = z.ndim == 1
    predicted = (z > 0.0) if binary else z.argmax(axis=1)
    correct = predicted == t
    n, right_count = correct.size, int(correct.sum())
    right = right_count / n
    return Problem(
        right=right,
        what=_("the accuracy"),
        rtol=1e-6,
        near=None,
        correct=_("accuracy {right:.4f}, {right_count} of {n} examples right.").format(
            right=right, right_count=right_count, n=n
        ),
        idea=_("revisit how a logit becomes a predicted class, and what accuracy counts."),
        recipe=_(
            "predict class 1 where the logit is > 0 (argmax of the scores for several classes), "
            "compare with the targets, and take the mean."
        ),
        shape_hint=_("accuracy is a single float: the mean of (prediction == target)."),
        mistakes=[
            Mistake(
                100 * right,
                _("{0} is a percentage.").format(fmt(100 * right)),
                _(
                    "lb.accuracy, sklearn and torchmetrics return a fraction in [0, 1]; divide by 100 "
                    "(or format it with f'{acc:.1%}' when you print)."
                ),
            ),
            Mistake(
                right_count if n > 1 else None,
                _("{right_count} is the number of correct examples, not the accuracy.").format(
                    right_count=right_count
                ),
                _(
                    "average instead of counting: (predicted == target).mean() (that is {right_count} / {n})."
                ).format(right_count=right_count, n=n),
            ),
            Mistake(
                1 - right,
                _("{0} is the error rate (the share of wrong examples).").format(fmt(1 - right)),
                _("accuracy counts the examples where the prediction equals the target."),
            ),
            Mistake(
                np.mean((z > 0.5) == t) if binary else None,
                _("that is the accuracy with the logits thresholded at 0.5."),
                _(
                    "a logit of 0 is a probability of 0.5, so logits are thresholded at 0 "
                    "(lb.accuracy(logits, target, threshold=0.0))."
                ),
            ),
            Mistake(
                np.mean(np.round(z) == t) if binary else None,
                _("that compares the rounded logits with the labels: a logit is a score, not a class."),
                _("turn each logit into a class first: class 1 where the logit is above 0."),
            ),
            Mistake(
                np.mean(t == 1) if binary else None,
                _("that is the accuracy of predicting class 1 for every example."),
                _(
                    "did you apply the sigmoid and then threshold at 0? Threshold probabilities at "
                    "0.5, or logits at 0."
                ),
            ),
        ],
    )


@check(
    examples=[
        example([0.95, 0.9, 0.85, 0.1, 0.2, 0.05, 0.92, 0.15, 0.88, 0.01], [1, 1, 1, 0, 0, 0, 1, 0, 1, 1])
    ]
)
def check_loss_share(answer, probs, target) -> Problem:
    """Check the share of the total binary cross-entropy that the wrong predictions cause.

    Parameters
    ----------
    answer : float or None
        The learner's share, a fraction in [0, 1].
    probs : array-like of shape (n,)
        Predicted probabilities of class 1.
    target : array-like of shape (n,)
        0/1 labels.

    Examples
    --------
    >>> check_loss_share(0.5, [0.9, 0.2], [1, 0])
    Not yet: 0.5 is not the share of the loss that the wrong predictions cause.
    Hint: revisit which examples are wrong (the 0.5 threshold) and what part of the total
          loss they carry.
    False
    """
    p = as_array(probs, "probs")
    if p.ndim != 1 or p.size == 0 or np.any((p <= 0) | (p >= 1)):
        raise ValueError("probs must be a non-empty vector of probabilities in (0, 1)")
    t = _labels(target, p.size)
    per_example = -(t * np.log(p) + (1 - t) * np.log1p(-p))
    wrong = (p > 0.5) != (t == 1)
    n = wrong.size
    wrong_loss = float(per_example[wrong].sum())
    right = wrong_loss / float(per_example.sum())
    hint = (
        _("no prediction is wrong here, so the wrong ones cause none of the loss (share 0).")
        if not wrong.any()
        else _(
            "per-example loss: -(t*log(p) + (1-t)*log(1-p)) (lb.binary_cross_entropy with "
            "reduction='none'); a prediction is wrong when (p > 0.5) != t."
        )
    )
    return Problem(
        right=right,
        what=_("the share of the loss that the wrong predictions cause"),
        rtol=1e-4,
        correct=_(
            "the wrong predictions, {0} of {n} examples ({1:.0%} of the accuracy), cause "
            "{right:.1%} of the loss."
        ).format(int(wrong.sum()), wrong.mean(), n=n, right=right),
        idea=_(
            "revisit which examples are wrong (the 0.5 threshold) and what part of the total loss they "
            "carry."
        ),
        recipe=hint,
        shape_hint=_("the share is one float: (loss of the wrong examples) / (total loss)."),
        mistakes=[
            Mistake(
                100 * right,
                _("{0} is a percentage.").format(fmt(100 * right)),
                _("give the share as a fraction in [0, 1]."),
            ),
            Mistake(
                wrong.mean(),
                _("{0} is the share of wrong examples, which is what accuracy sees.").format(
                    fmt(wrong.mean())
                ),
                _(
                    "the question asks how much of the loss they cause: sum "
                    "their per-example losses and divide by the sum of all "
                    "per-example losses."
                ),
            ),
            Mistake(
                wrong_loss / n,
                _("{0} is the wrong examples' contribution to the mean loss.").format(fmt(wrong_loss / n)),
                _("divide it by the mean loss (or divide sums by sums) to get a share."),
            ),
            Mistake(
                wrong_loss,
                _("{0} is the loss of the wrong examples.").format(fmt(wrong_loss)),
                _("divide by the total loss to get a share."),
            ),
            Mistake(
                1 - right,
                _("{0} is the share of the correct examples.").format(fmt(1 - right)),
                _("the question asks for the wrong ones."),
            ),
        ],
    )


def _slope_of(fn, name):
    """``fn`` as a function of one float returning a float (a tensor's value is fine)."""
    if not callable(fn):
        raise ValueError(f"{name} must be a function of the weight")
    return lambda w: as_number(fn(w), f"{name}(w)")


_STEPS = (1.0, 0.5, 0.1, 0.05, 0.025, 0.02, 0.01, 0.005, 1e-3, 1e-4)


@check(examples=[example(_accuracy_example, _loss_example, 0.3)])
def check_accuracy_slope(answer, accuracy_fn, loss_fn, w0) -> Problem:
    """Check the pair (d accuracy / dw, d loss / dw) at ``w0``, by central differences.

    Parameters
    ----------
    answer : tuple of two floats or None
        The learner's slopes of the accuracy and of the loss.
    accuracy_fn, loss_fn : callable
        Functions of one float (the weight) returning a float.
    w0 : float
        The point where the slopes are taken.

    Examples
    --------
    >>> check_accuracy_slope((0.0, 2.0), lambda w: float(w > 5), lambda w: w * w, 1.0)
    Correct: the accuracy is flat at w = 1.0000 (slope 0) while the loss has slope 2.0000.
    True
    """
    acc, loss = _slope_of(accuracy_fn, "accuracy_fn"), _slope_of(loss_fn, "loss_fn")
    w0 = as_number(w0, "w0")

    def central(f, h):
        return (f(w0 + h) - f(w0 - h)) / (2 * h)

    acc_slope, loss_slope = central(acc, 1e-6), central(loss, 1e-6)
    if not (np.isfinite(acc_slope) and np.isfinite(loss_slope)):
        raise ValueError(f"the functions do not give finite slopes at w0 = {w0}")
    big = [(_("a central difference with step {s:g}").format(s=s), central(acc, s)) for s in _STEPS]
    big += [
        (_("a forward difference with step {s:g}").format(s=s), (acc(w0 + s) - acc(w0)) / s) for s in _STEPS
    ]
    mistakes, seen = [], [acc_slope]
    for how, value in big:
        if not any(close(np.array(value), np.array(v), 1e-5, 1e-9) for v in seen):
            seen.append(value)
            mistakes.append(
                Mistake(
                    (value, loss_slope),
                    _(
                        "your accuracy slope matches {how}: that step reaches past a "
                        "jump, where one prediction flips."
                    ).format(how=how),
                    _("accuracy is flat between jumps, so with a small step (1e-6) the slope is 0."),
                )
            )
    mistakes += [
        Mistake(
            (acc_slope, -loss_slope),
            _("the loss slope has the wrong sign."),
            "(f(w0 + h) - f(w0 - h)) / (2h).",
        ),
        Mistake(
            (acc_slope, 0.0),
            _("the loss slope is not 0."),
            _("compute the loss from the probabilities, not from thresholded 0/1 predictions."),
        ),
        Mistake(
            (acc_slope, 2 * loss_slope),
            _("the loss slope is twice too big."),
            _("divide by 2h for a central difference."),
        ),
        Mistake(
            (loss_slope, acc_slope),
            _("the two slopes are swapped."),
            _("answer = (slope of the accuracy, slope of the loss)."),
        ),
    ]

    def which(a: np.ndarray):
        acc_ok = close(a[:1], np.array([acc_slope]), 1e-4, 1e-8)
        loss_ok = close(a[1:], np.array([loss_slope]), 1e-4, 1e-8)
        off = (
            _("the accuracy slope is off")
            if loss_ok
            else _("the loss slope is off")
            if acc_ok
            else _("both slopes are off")
        )
        return (
            _("{0}: you returned ({1:.4g}, {2:.4g}).").format(off, a[0], a[1]),
            _(
                "use a central difference (f(w0 + h) - f(w0 - h)) / (2h) with h = "
                "1e-6 for both; accuracy does not change for so small a nudge."
            ),
        )

    return Problem(
        right=(acc_slope, loss_slope),
        what=_("the pair (accuracy slope, loss slope)"),
        rtol=1e-4,
        atol=1e-8,
        near=None,
        diagnose=which,
        mistakes=mistakes,
        correct=_(
            "the accuracy is flat at w = {w0:.4f} (slope {acc_slope:.0f}) while the loss has "
            "slope {loss_slope:.4f}."
        ).format(w0=w0, acc_slope=acc_slope, loss_slope=loss_slope),
        idea=_("revisit the chapter's slope by a small nudge of w on each side, for both functions."),
        recipe=_(
            "answer = (slope of the accuracy, slope of the loss), each a central difference with h = "
            "1e-6."
        ),
        shape_hint=_("answer = (slope of the accuracy, slope of the loss): two numbers."),
    )


@check(examples=[example(_X2, _Y2, [0.8, -0.5], 0.1, index=0)])
def check_smallest_nudge(answer, X, y, weight, bias, *, index) -> Problem:
    """Check the smallest increase of ``weight[index]`` that changes a neuron's accuracy.

    The neuron predicts class 1 where ``X @ weight + bias > 0``. Increasing ``weight[index]`` by
    ``delta`` moves example ``i``'s logit by ``delta * X[i, index]``; its prediction flips at
    ``delta_i = -z_i / X[i, index]``. The answer is the smallest positive ``delta_i``, or ``inf``
    when there is none.

    Parameters
    ----------
    answer : float or None
    X : array-like of shape (n, d)
    y : array-like of shape (n,)
        0/1 labels.
    weight : array-like of shape (d,)
    bias : float
    index : int
        Which weight is nudged.

    Examples
    --------
    >>> check_smallest_nudge(0.5, [[1.0], [2.0]], [1, 0], [-1.0], 2.0, index=0)
    Not yet: 0.5 is not the smallest nudge that flips a prediction.
    Hint: revisit when a prediction flips: its logit crosses 0 as the weight grows.
    False
    """
    X, w = as_array(X, "X"), as_array(weight, "weight")
    b, j = as_number(bias, "bias"), as_number(index, "index")
    if X.ndim != 2 or w.shape != (X.shape[1],) or j != round(j) or not 0 <= j < w.size:
        raise ValueError(
            f"X must be (n, d), weight (d,) and index a column of X; got {X.shape}, {w.shape} and {j}"
        )
    _labels(y, X.shape[0], "y")
    j = int(j)

    def flips(col):
        d = -(X @ w + b) / X[:, col]
        return d[np.isfinite(d)]

    d = flips(j)
    right = float(d[d > 0].min()) if (d > 0).any() else float("inf")
    others = [flips(k)[flips(k) > 0].min() for k in range(w.size) if k != j and (flips(k) > 0).any()]
    with np.errstate(all="ignore"):
        each = -(X @ w + b) / X[:, j]
    wrong = ((X @ w + b > 0) != (as_array(y, "y") == 1)) & np.isfinite(each) & (each > 0)
    wrong_only = float(each[wrong].min()) if wrong.any() else None
    if wrong_only is not None and close(np.array(wrong_only), np.array(right), 1e-6, 1e-8):
        wrong_only = None  # the first flip is a misclassified example: the shortcut lands on it

    def past(a: np.ndarray):
        value = float(a)
        if value > right and value - right <= 0.05 * right + 1e-3:
            return (
                _("{0} is a little past the first flip.").format(fmt(value)),
                _(
                    "a grid search only brackets "
                    "the jump. Solve z_i + delta * "
                    "X[i, index] = 0 for every "
                    "example and take the smallest "
                    "positive delta."
                ),
            )
        if value > right:
            return (
                _("a prediction flips before {0}.").format(fmt(value)),
                _(
                    "check every example, not only the "
                    "misclassified ones (a correct "
                    "prediction that flips also changes "
                    "accuracy)."
                ),
            )
        return None

    no_flip = not np.isfinite(right)
    return Problem(
        right=right,
        what=_("the smallest nudge that flips a prediction"),
        rtol=1e-6,
        near=None,
        diagnose=None if no_flip else past,
        correct=(
            _(
                "the weight of feature {j} (column {j} of X) must grow by {right:.6f} before the "
                "first prediction flips; below that the accuracy does not move."
            ).format(j=j, right=right)
            if not no_flip
            else _("no positive nudge flips a prediction: the answer is inf.")
        ),
        idea=_("revisit when a prediction flips: its logit crosses 0 as the weight grows."),
        recipe=(
            _("no positive nudge changes a prediction here; the answer is inf.")
            if no_flip
            else _(
                "for each example, its logit z_i = X[i] @ weight + bias changes by delta * X[i, index]; "
                "it flips at delta = -z_i / X[i, index]."
            )
        ),
        shape_hint=_("the nudge is one float: how much weight[index] must grow."),
        mistakes=[]
        if no_flip
        else [
            Mistake(
                d[d < 0].max() if (d < 0).any() else None,
                _("{0} is the nearest flip when the weight decreases.").format(fmt(d[d < 0].max()))
                if (d < 0).any()
                else "",
                _("the question asks how much it must grow (the smallest positive -z_i / X[i, index])."),
            ),
            Mistake(
                np.abs(d).min() if d.size and np.abs(d).min() != right else None,
                _("that is the nearest flip in either direction."),
                _("keep only the positive nudges, -z_i / X[i, index] > 0."),
            ),
            Mistake(
                wrong_only,
                _("that is the first flip among the misclassified examples only."),
                _("a correct prediction that flips changes the accuracy too: check every example."),
            ),
            Mistake(
                1 / X.shape[0],
                _("{0} is how much the accuracy changes at the jump (one example).").format(
                    fmt(1 / X.shape[0])
                ),
                _("the question asks how far the weight must move to get there."),
            ),
            *[
                Mistake(
                    v,
                    _("{0} is the answer for another weight.").format(fmt(v)),
                    _("nudge weight[{j}] (column {j} of X).").format(j=j),
                )
                for v in others[:1]
            ],
        ],
    )


@check(examples=[example(_X2, _Y2, [0.8, -0.5], 0.1, temperature=0.5)])
def check_soft_accuracy_grad(answer, X, y, weight, bias, *, temperature) -> Problem:
    """Check the gradient of a "soft accuracy" with respect to the weights.

    Soft accuracy replaces the step in accuracy by a sigmoid with a temperature ``T``: ``soft_acc(w)
    = mean_i sigmoid(s_i * z_i / T)`` with ``z = X @ w + bias`` and ``s_i = 2 * y_i - 1`` (+1 for
    class 1, -1 for class 0). Its gradient is ``mean_i sigmoid'(s_i z_i / T) * s_i * X[i] / T``.

    Parameters
    ----------
    answer : array-like of shape (d,) or None
        The learner's gradient with respect to ``weight``.
    X : array-like of shape (n, d)
    y : array-like of shape (n,)
        0/1 labels.
    weight : array-like of shape (d,)
    bias : float
    temperature : float
        ``T > 0``; small ``T`` makes the sigmoid a step.

    Examples
    --------
    >>> check_soft_accuracy_grad([0.25], [[1.0]], [1], [0.0], 0.0, temperature=1.0)
    Correct: the soft-accuracy gradient at temperature 1 is [0.25].
    True
    """
    X, w = as_array(X, "X"), as_array(weight, "weight")
    b, T = as_number(bias, "bias"), as_number(temperature, "temperature")
    if X.ndim != 2 or X.shape[0] == 0 or w.shape != (X.shape[1],) or not T > 0:
        raise ValueError(
            f"X must be (n, d), weight (d,) and temperature > 0; got {X.shape}, {w.shape} and {T}"
        )
    s = 2.0 * _labels(y, X.shape[0], "y") - 1.0
    n = X.shape[0]
    slope = sigmoid_derivative(s * (X @ w + b) / T)
    right = (slope * s) @ X / (T * n)
    shown = np.array2string(right, precision=4, suppress_small=True)
    return Problem(
        right=right,
        what=_("the soft-accuracy gradient"),
        rtol=1e-5,
        atol=1e-10,
        correct=_("the soft-accuracy gradient at temperature {T:g} is {shown}.").format(T=T, shown=shown),
        idea=_("revisit the chain rule through the sigmoid and the temperature, one link at a time."),
        recipe=_(
            "chain rule: for each example sigmoid'(u_i) * s_i * X[i] / T with u_i = s_i * z_i / T "
            "and sigmoid'(u) = sigmoid(u) (1 - sigmoid(u)); then average."
        ),
        shape_hint=_("the gradient has one entry per weight, shape {0}: average over the examples.").format(
            right.shape
        ),
        mistakes=[
            Mistake(
                right * n if n > 1 else None,
                _("that is the sum over examples."),
                _("soft accuracy is a mean, so divide by n."),
            ),
            Mistake(
                right * T if T != 1 else None,
                _("you forgot the 1/T from the chain rule."),
                _("d/dw sigmoid(s z / T) = sigmoid' * s x / T."),
            ),
            Mistake(
                -right,
                _("the sign is flipped."),
                _(
                    "class 0 examples have s = -1 and class 1 "
                    "examples s = +1, and the gradient of something "
                    "we maximise points uphill."
                ),
            ),
            Mistake(
                (slope @ X) / (T * n),
                _("you dropped the sign s_i = 2 y_i - 1 from the chain rule."),
                _("multiply each example's term by s_i."),
            ),
        ],
    )
