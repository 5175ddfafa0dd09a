"""Self-checks for the chapter on why we train on a loss and report accuracy.

Every check recomputes the reference from the inputs it is given, recognises the typical
mistakes (a percentage instead of a fraction, a count instead of an average, a finite-difference
step that straddles a jump, a missing ``1/N`` or ``1/T``) and says what to try.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid_derivative
from ._feedback import Verdict, is_close, report

__all__ = [
    "check_accuracy",
    "check_loss_share",
    "check_accuracy_slope",
    "check_smallest_nudge",
    "check_soft_accuracy_grad",
]

_NOT_ANSWERED = "you have not answered yet."


def _as_scalar(value):
    """``value`` as a Python float if it holds exactly one number, else None (never raises)."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if arr.size != 1:
        return None
    return float(arr.reshape(()))


def check_accuracy(answer, logits, target) -> Verdict:
    """Check an accuracy computed from logits, as a fraction in [0, 1].

    Parameters
    ----------
    answer : float or None
        The learner's accuracy.
    logits : array-like of shape (n,) or (n, c)
        Binary logits (predict class 1 where the logit is >= 0) or class scores (argmax).
    target : array-like of shape (n,)
        0/1 labels (binary) or class indices.

    Returns
    -------
    Verdict
        Whether the answer is right (true or false like a bool).

    Examples
    --------
    >>> check_accuracy(0.5, [2.0, -1.0], [1, 1])
    Correct: accuracy 0.5000, 1 of 2 examples right.
    True
    """
    if answer is None:
        return report(False, _NOT_ANSWERED)
    logits = np.asarray(logits, dtype=np.float64)
    target = np.asarray(target)
    if logits.ndim == 1:
        predicted = (logits >= 0.0).astype(np.int64)
        at_half = (logits >= 0.5).astype(np.int64)
        all_positive = np.ones_like(predicted)  # sigmoid, then threshold at 0: sigmoid > 0 always
    else:
        predicted = logits.argmax(axis=1)
        at_half = all_positive = None
    correct = predicted == target
    n, right = correct.size, int(correct.sum())
    expected = right / n
    value = _as_scalar(answer)
    if value is None:
        return report(False, f"expected one number, got {answer!r}.",
                      hint="accuracy is a single float: the mean of (prediction == target).")
    if is_close(value, expected):
        return report(True, f"accuracy {expected:.4f}, {right} of {n} examples right.")
    if is_close(value, 100 * expected):
        hint = ("that is a percentage. lb.accuracy, sklearn and torchmetrics return a fraction "
                "in [0, 1]; divide by 100 (or format it with f'{acc:.1%}' when you print).")
    elif is_close(value, right):
        hint = ("that is the number of correct examples, not the accuracy: average instead of "
                f"counting, (predicted == target).mean() (that is {right} / {n}).")
    elif is_close(value, 1 - expected):
        hint = ("that is the error rate (the share of wrong examples). Accuracy counts the "
                "examples where the prediction equals the target.")
    elif at_half is not None and is_close(value, np.mean(at_half == target)):
        hint = ("you thresholded the logits at 0.5. A logit of 0 is a probability of 0.5, so "
                "logits are thresholded at 0 (lb.accuracy(logits, target, threshold=0.0)).")
    elif all_positive is not None and is_close(value, np.mean(all_positive == target)):
        hint = ("every example came out as class 1: did you apply the sigmoid and then threshold "
                "at 0? Threshold probabilities at 0.5, or logits at 0.")
    else:
        hint = ("predict class 1 where the logit is >= 0 (argmax of the scores for several "
                "classes), compare with the targets, and take the mean.")
    return report(False, f"you returned {value:.4f}.", hint=hint)


def check_loss_share(answer, probs, target) -> Verdict:
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
    Not yet: you returned 0.5000.
    Hint: no prediction is wrong here, so the wrong ones cause none of the loss (share 0).
    False
    """
    if answer is None:
        return report(False, _NOT_ANSWERED)
    p = np.asarray(probs, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    with np.errstate(divide="ignore"):
        per_example = -(t * np.log(p) + (1 - t) * np.log1p(-p))
    wrong = (p >= 0.5) != (t == 1)
    expected = float(per_example[wrong].sum() / per_example.sum())
    value = _as_scalar(answer)
    if value is None:
        return report(False, f"expected one number, got {answer!r}.",
                      hint="the share is one float: (loss of the wrong examples) / (total loss).")
    if is_close(value, expected, rtol=1e-4):
        return report(True, f"the wrong predictions, {int(wrong.sum())} of {wrong.size} "
                            f"examples ({wrong.mean():.0%} of the accuracy), cause "
                            f"{expected:.1%} of the loss.")
    n = wrong.size
    if not wrong.any():
        hint = "no prediction is wrong here, so the wrong ones cause none of the loss (share 0)."
    elif is_close(value, 100 * expected, rtol=1e-4):
        hint = "that is a percentage; give the share as a fraction in [0, 1]."
    elif is_close(value, wrong.mean()):
        hint = ("that is the share of wrong examples, which is what accuracy sees. The question "
                "asks how much of the loss they cause: sum their per-example losses and divide "
                "by the sum of all per-example losses.")
    elif is_close(value, per_example[wrong].sum() / n, rtol=1e-4):
        hint = ("that is the wrong examples' contribution to the mean loss; divide it by the "
                "mean loss (or divide sums by sums) to get a share.")
    elif is_close(value, per_example[wrong].sum(), rtol=1e-4):
        hint = "that is the loss of the wrong examples; divide by the total loss to get a share."
    elif is_close(value, 1 - expected, rtol=1e-4):
        hint = "that is the share of the correct examples; the question asks for the wrong ones."
    else:
        hint = ("per-example loss: -(t*log(p) + (1-t)*log(1-p)) (lb.binary_cross_entropy with "
                "reduction='none'); a prediction is wrong when (p >= 0.5) != t.")
    return report(False, f"you returned {value:.4f}.", hint=hint)


def check_accuracy_slope(answer, accuracy_fn, loss_fn, w0) -> Verdict:
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
    if answer is None:
        return report(False, _NOT_ANSWERED)
    try:
        acc_slope, loss_slope = (_as_scalar(a) for a in answer)
    except (TypeError, ValueError):
        acc_slope = loss_slope = None
    if acc_slope is None or loss_slope is None:
        return report(False, f"expected a pair of numbers, got {answer!r}.",
                      hint="answer = (slope of the accuracy, slope of the loss).")
    w0 = float(w0)

    def central(f, h):
        return (f(w0 + h) - f(w0 - h)) / (2 * h)

    h = 1e-6
    expected_acc, expected_loss = central(accuracy_fn, h), central(loss_fn, h)
    acc_ok = is_close(acc_slope, expected_acc, atol=1e-9)
    loss_ok = is_close(loss_slope, expected_loss, rtol=1e-4, atol=1e-8)
    if acc_ok and loss_ok:
        return report(True, f"the accuracy is flat at w = {w0:.4f} (slope {expected_acc:.0f}) "
                            f"while the loss has slope {expected_loss:.4f}.")
    hints = []
    if not acc_ok:
        steps = (1.0, 0.5, 0.1, 0.05, 0.025, 0.02, 0.01, 0.005, 1e-3, 1e-4)
        big_steps = [f"a central difference with step {s:g}" for s in steps
                     if is_close(acc_slope, central(accuracy_fn, s))]
        big_steps += [f"a forward difference with step {s:g}" for s in steps
                      if is_close(acc_slope, (accuracy_fn(w0 + s) - accuracy_fn(w0)) / s)]
        if big_steps:
            hints.append(f"your accuracy slope matches {big_steps[0]}: that step reaches past "
                         "a jump, where one prediction flips. Accuracy is flat between jumps, "
                         "so with a small step (1e-6) the slope is 0.")
        elif acc_slope != 0:
            hints.append("the accuracy slope should be 0: accuracy does not change for a small "
                         "nudge of the weight. Use a small step (1e-6) on both sides of w0.")
        else:
            hints.append("your accuracy slope is 0, but w0 sits on a jump here; recompute "
                         "with a step of 1e-6 around w0.")
    if not loss_ok:
        if is_close(loss_slope, -expected_loss, rtol=1e-4):
            hints.append("the loss slope has the wrong sign: (f(w0 + h) - f(w0 - h)) / (2h).")
        elif loss_slope == 0:
            hints.append("the loss slope is not 0: compute the loss from the probabilities, "
                         "not from thresholded 0/1 predictions.")
        elif is_close(loss_slope, central(loss_fn, 1e-6) * 2, rtol=1e-4):
            hints.append("the loss slope is twice too big: divide by 2h for a central difference.")
        else:
            hints.append("for the loss, use the same central difference: "
                         "(loss_fn(w0 + h) - loss_fn(w0 - h)) / (2h) with h = 1e-6.")
    wrong = [name for name, ok in (("accuracy", acc_ok), ("loss", loss_ok)) if not ok]
    return report(False, f"the {' and the '.join(wrong)} slope is off: you returned "
                         f"({acc_slope:.4g}, {loss_slope:.4g}).", hint=" ".join(hints))


def check_smallest_nudge(answer, X, y, weight, bias, *, index) -> Verdict:
    """Check the smallest increase of ``weight[index]`` that changes a neuron's accuracy.

    The neuron predicts class 1 where ``X @ weight + bias >= 0``. Increasing ``weight[index]`` by
    ``delta`` moves example ``i``'s logit by ``delta * X[i, index]``; its prediction flips at
    ``delta_i = -z_i / X[i, index]``. The answer is the smallest positive ``delta_i``.

    Parameters
    ----------
    answer : float or None
        The learner's nudge.
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
    Not yet: you returned 0.5000.
    Hint: no positive nudge changes a prediction here; the answer is inf.
    False
    """
    if answer is None:
        return report(False, _NOT_ANSWERED)
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(weight, dtype=np.float64)

    def flips(j):
        z = X @ w + float(bias)
        with np.errstate(divide="ignore", invalid="ignore"):
            d = -z / X[:, j]
        return d[np.isfinite(d)]

    d = flips(index)
    positive = d[d > 0]
    expected = float(positive.min()) if positive.size else float("inf")
    value = _as_scalar(answer)
    if value is None:
        return report(False, f"expected one number, got {answer!r}.",
                      hint="the nudge is one float: how much weight[index] must grow.")
    if not np.isfinite(expected):  # is_close(x, inf) would be true for every finite x
        ok = value == expected
        return report(ok, "no positive nudge flips a prediction: the answer is inf." if ok
                      else f"you returned {value:.4f}.",
                      hint="no positive nudge changes a prediction here; the answer is inf.")
    if is_close(value, expected, rtol=1e-6):
        return report(True, f"weight {index} must grow by {expected:.6f} before the first "
                            "prediction flips; below that the accuracy does not move.")
    if value < 0 and d[d < 0].size and is_close(value, d[d < 0].max(), rtol=1e-6):
        hint = ("that is the nearest flip when the weight decreases; the question asks how "
                "much it must grow (the smallest positive -z_i / X[i, index]).")
    elif d.size and is_close(value, np.abs(d).min(), rtol=1e-6):
        hint = ("that is the nearest flip in either direction; keep only the positive "
                "nudges, -z_i / X[i, index] > 0.")
    elif is_close(value, 1 / X.shape[0]):
        hint = ("that is how much the accuracy changes at the jump (one example); the "
                "question asks how far the weight must move to get there.")
    elif any(is_close(value, flips(j)[flips(j) > 0].min(), rtol=1e-6)
             for j in range(X.shape[1]) if j != index and (flips(j) > 0).any()):
        hint = (f"that is the answer for another weight; nudge weight[{index}] "
                f"(column {index} of X).")
    elif value > expected and abs(value - expected) <= 0.05 * expected + 1e-3:
        hint = ("close, but a grid search only brackets the jump. Solve z_i + delta * "
                "X[i, index] = 0 for every example and take the smallest positive delta.")
    elif value > expected:
        hint = ("a prediction flips before that: check every example, not only the "
                "misclassified ones (a correct prediction that flips also changes accuracy).")
    else:
        hint = ("for each example, its logit z_i = X[i] @ weight + bias changes by "
                "delta * X[i, index]; it flips at delta = -z_i / X[i, index].")
    return report(False, f"you returned {value:.4f}.", hint=hint)


def check_soft_accuracy_grad(answer, X, y, weight, bias, *, temperature) -> Verdict:
    """Check the gradient of a "soft accuracy" with respect to the weights.

    Soft accuracy replaces the step in accuracy by a sigmoid with a temperature ``T``:
    ``soft_acc(w) = mean_i sigmoid(s_i * z_i / T)`` with ``z = X @ w + bias`` and
    ``s_i = 2 * y_i - 1`` (+1 for class 1, -1 for class 0). Its gradient is
    ``mean_i sigmoid'(s_i z_i / T) * s_i * X[i] / T``.

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
    if answer is None:
        return report(False, _NOT_ANSWERED)
    X = np.asarray(X, dtype=np.float64)
    s = 2.0 * np.asarray(y, dtype=np.float64) - 1.0
    T = float(temperature)
    u = s * (X @ np.asarray(weight, dtype=np.float64) + float(bias)) / T
    slope = sigmoid_derivative(u)
    expected = (slope * s) @ X / (T * X.shape[0])
    try:
        value = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return report(False, f"expected an array of shape {expected.shape}, got {answer!r}.")
    shown = np.array2string(expected, precision=4, suppress_small=True)
    if is_close(value, expected, rtol=1e-5, atol=1e-10):
        return report(True, f"the soft-accuracy gradient at temperature {T:g} is {shown}.")
    if value.shape != expected.shape:
        hint = (f"your gradient has shape {value.shape}; the gradient with respect to the "
                f"weights has one entry per weight, shape {expected.shape}. Sum (average) over "
                "the examples.")
    elif is_close(value, expected * X.shape[0], rtol=1e-5):
        hint = "that is the sum over examples; soft accuracy is a mean, so divide by n."
    elif is_close(value, expected * T, rtol=1e-5):
        hint = "you forgot the 1/T from the chain rule: d/dw sigmoid(s z / T) = sigmoid' * s x / T."
    elif is_close(value, -expected, rtol=1e-5):
        hint = ("the sign is flipped: class 0 examples have s = -1 and class 1 examples s = +1, "
                "and the gradient of something we maximise points uphill.")
    elif is_close(value, (slope @ X) / (T * X.shape[0]), rtol=1e-5):
        hint = "you dropped the sign s_i = 2 y_i - 1 from the chain rule."
    else:
        hint = ("chain rule: for each example sigmoid'(u_i) * s_i * X[i] / T with "
                "u_i = s_i * z_i / T and sigmoid'(u) = sigmoid(u) (1 - sigmoid(u)); then average.")
    return report(False, "the gradient is off.", hint=hint)
