"""Metrics: what we report about a model but do not train on."""

from __future__ import annotations

import math
import numbers
import warnings
from typing import NamedTuple

import numpy as np

from . import _params
from ._validation import as_float_array, check_distribution, check_no_nan, read_array, read_labels

__all__ = [
    "accuracy",
    "confusion_matrix",
    "precision_recall",
    "CalibrationBins",
    "calibration_bins",
    "expected_calibration_error",
]


def accuracy(input, target, *, threshold=0.5):
    """The fraction of examples classified correctly, a float in [0, 1].

    Parameters
    ----------
    input : array-like of shape (N, C) or (N,)
        Scores of shape (N, C) (logits or probabilities): the predicted class is the argmax of
        each row. Or a 1-D array of N binary scores: the prediction is ``input > threshold``
        (strictly: a score exactly at the threshold predicts class 0, as in the chapters).
    target : array-like of int, shape (N,)
        Class indices for (N, C) input; 0 or 1 for 1-D input.
    threshold : float
        Only for 1-D input. 0.5 for probabilities; use 0.0 for logits.

    Notes
    -----
    Accuracy is piecewise constant in the model's parameters: its derivative is 0 almost
    everywhere, which is why we train on a loss and only report accuracy.

    Examples
    --------
    >>> accuracy([[2.0, 0.1], [0.3, 0.9], [1.0, 0.0]], [0, 1, 1])
    0.6666666666666666
    >>> accuracy([0.9, 0.2, 0.6], [1, 0, 0])
    0.6666666666666666
    >>> accuracy([2.0, -1.0], [1, 0], threshold=0.0)
    1.0
    """
    func = "accuracy"
    threshold = _params.real(threshold, "threshold", func,
                             hint="Pass one number: 0.5 for probabilities, 0.0 for logits.")
    scores = as_float_array(input, "input", func)
    check_no_nan(scores, "input", func)
    t = read_labels(target, "target", func)
    if scores.ndim not in (1, 2):
        raise ValueError(f"{func}: input must have shape (N, C) or (N,), got {scores.shape}.")
    if t.shape != (scores.shape[0],):
        raise ValueError(
            f"{func}: input has {scores.shape[0]} examples (shape {scores.shape}) but target has "
            f"shape {t.shape}; give one label per example, shape ({scores.shape[0]},)."
        )
    if scores.ndim == 2:
        c = scores.shape[1]
        if t.min() < 0 or t.max() >= c:
            bad = int(t.min()) if t.min() < 0 else int(t.max())
            raise ValueError(
                f"{func}: target contains class {bad}, but input has {c} classes "
                f"(valid labels 0..{c - 1})."
            )
        predicted = scores.argmax(axis=1)
    else:
        if not np.isin(t, (0, 1)).all():
            raise ValueError(
                f"{func}: 1-D input means binary labels, but target holds values other than "
                f"0 and 1 (e.g. {int(t[~np.isin(t, (0, 1))][0])}). For C classes pass (N, C) scores."
            )
        predicted = (scores > threshold).astype(np.int64)
    return float(np.mean(predicted == t))


def _labels(values, name, func):
    """``values`` as a 1-D int64 array of labels >= 0, or an error that says what to do."""
    arr = read_array(values, name, func)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{func}: {name} must be a non-empty 1-D array of class labels, got shape {arr.shape}."
            + (f" For scores of shape (N, C), pass {name}.argmax(axis=1)." if arr.ndim == 2 else "")
        )
    arr = read_labels(arr, name, func)
    if arr.min() < 0:
        raise ValueError(f"{func}: {name} contains the negative label {int(arr.min())}; "
                         "class labels are 0, 1, 2, ...")
    return arr.astype(np.int64, copy=False)


def _label_pair(y_true, y_pred, num_classes, func):
    """Both label arrays checked, of equal length, and the number of classes."""
    t = _labels(y_true, "y_true", func)
    p = _labels(y_pred, "y_pred", func)
    if t.shape != p.shape:
        raise ValueError(f"{func}: y_true has shape {t.shape} but y_pred has shape {p.shape}; "
                         "give one predicted label per true label.")
    largest = int(max(t.max(), p.max()))
    if num_classes is None:
        return t, p, largest + 1
    num_classes = _params.integer(num_classes, "num_classes", func, low=1)
    if largest >= num_classes:
        raise ValueError(
            f"{func}: num_classes={num_classes}, but the labels go up to {largest}; labels must "
            f"be in 0..num_classes - 1, so pass num_classes={largest + 1} or more (or leave it out)."
        )
    return t, p, int(num_classes)


def confusion_matrix(y_true, y_pred, *, num_classes=None):
    """Count how often each true class was predicted as each class.

    Parameters
    ----------
    y_true : array-like of int, shape (N,)
        True class labels 0, 1, 2, ...
    y_pred : array-like of int, shape (N,)
        Predicted class labels (for scores, ``scores.argmax(axis=1)``).
    num_classes : int, optional
        Number of classes C; by default one more than the largest label seen. Pass it when a
        class may be missing from both arrays.

    Returns
    -------
    numpy.ndarray of int64, shape (C, C)
        Entry ``[i, j]`` counts the examples of true class ``i`` predicted as class ``j``: rows are
        true classes, columns predictions (scikit-learn's convention). The diagonal holds the
        correct predictions; row ``i`` sums to the number of examples of class ``i``.

    Examples
    --------
    >>> confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0])
    array([[1, 1, 0],
           [0, 1, 0],
           [1, 0, 1]])
    """
    return _confusion(y_true, y_pred, num_classes, "confusion_matrix")


def _confusion(y_true, y_pred, num_classes, func):
    """The confusion matrix, with messages naming ``func``, the function the learner called."""
    t, p, c = _label_pair(y_true, y_pred, num_classes, func)
    return np.bincount(c * t + p, minlength=c * c).reshape(c, c).astype(np.int64)


def _zero_division_value(zero_division, func):
    if isinstance(zero_division, bool) or not isinstance(zero_division, numbers.Real):
        raise TypeError(f"{func}: zero_division must be 0.0, 1.0 or nan, "
                        f"got {type(zero_division).__name__}.")
    value = float(zero_division)
    if not (value in (0.0, 1.0) or math.isnan(value)):
        raise ValueError(f"{func}: zero_division must be 0.0, 1.0 or nan, got {value:.6g}.")
    return value


def precision_recall(y_true, y_pred, *, num_classes=None, zero_division=0.0):
    """Per-class precision and recall.

    For class ``k``: precision = TP / (TP + FP), the share of the examples *predicted* as ``k``
    that really are ``k``; recall = TP / (TP + FN), the share of the examples that *are* ``k``
    that were found.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (N,)
        True and predicted class labels.
    num_classes : int, optional
        Number of classes C; by default one more than the largest label seen.
    zero_division : {0.0, 1.0, nan}
        The value given when a ratio is 0 / 0: the precision of a class that is never predicted,
        or the recall of a class with no examples. The default 0.0 is scikit-learn's default
        (``precision_recall_fscore_support`` with ``zero_division="warn"`` gives 0.0 too, with a
        warning); any of the three values gives what scikit-learn gives for the same setting.
        Choose nan only if you will handle it: it then propagates into any average.

    Returns
    -------
    precision, recall : numpy.ndarray of float64, shape (C,)

    Examples
    --------
    >>> precision, recall = precision_recall([0, 0, 1, 1], [0, 1, 1, 1])
    >>> precision.tolist(), recall.tolist()
    ([1.0, 0.6666666666666666], [0.5, 1.0])
    >>> precision_recall([0, 0], [0, 0], num_classes=2)[0].tolist()   # class 1: never predicted
    [1.0, 0.0]
    """
    func = "precision_recall"
    value = _zero_division_value(zero_division, func)
    cm = _confusion(y_true, y_pred, num_classes, func).astype(np.float64)
    tp = np.diag(cm)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    absent = np.flatnonzero((predicted == 0) & (actual == 0))
    if num_classes is None and absent.size:
        warnings.warn(
            f"{func}: class {int(absent[0])} never occurs in y_true or y_pred, but the labels go up "
            f"to {len(tp) - 1}, so it is counted as a class; its precision and recall are the "
            f"zero_division value {value}. If the labels are not 0..C-1, map them there first "
            "(np.unique(labels, return_inverse=True)); if the class exists, pass num_classes.",
            UserWarning,
            stacklevel=2,
        )
    precision = np.full(tp.shape, value)
    recall = np.full(tp.shape, value)
    np.divide(tp, predicted, out=precision, where=predicted > 0)
    np.divide(tp, actual, out=recall, where=actual > 0)
    return precision, recall


class CalibrationBins(NamedTuple):
    """The binned confidences behind a reliability diagram (see :func:`calibration_bins`)."""

    #: The bin edges ``np.linspace(0, 1, n_bins + 1)``, an array of n_bins + 1 floats.
    edges: np.ndarray
    #: How many examples have their confidence in each bin, n_bins integers.
    counts: np.ndarray
    #: The share of each bin's examples classified correctly (0.0 for an empty bin).
    accuracy: np.ndarray
    #: The mean top-class probability of each bin's examples (0.0 for an empty bin).
    confidence: np.ndarray


def calibration_bins(probs, y_true, *, n_bins=10):
    """Group predictions by confidence, and compare each group's confidence with its accuracy.

    The confidence of a prediction is its top-class probability, ``probs.max(axis=1)``; the
    prediction is ``probs.argmax(axis=1)``. The interval [0, 1] is cut into ``n_bins`` bins of
    equal width; bin ``m`` holds the confidences in ``(edges[m], edges[m + 1]]`` (the same bins
    as scikit-learn's ``calibration_curve(..., strategy="uniform")``). A model is calibrated
    when, in every bin, accuracy equals confidence.

    Parameters
    ----------
    probs : array-like of shape (N, C)
        Predicted probabilities, each row summing to 1 (apply a softmax to logits first).
    y_true : array-like of int, shape (N,)
        True class labels.
    n_bins : int
        Number of equal-width bins, at least 1.

    Returns
    -------
    CalibrationBins
        ``edges``, ``counts``, ``accuracy`` and ``confidence``, one entry per bin. Empty bins
        have count 0 and accuracy and confidence 0.0 (they carry no weight anywhere).

    Examples
    --------
    >>> bins = calibration_bins([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1], n_bins=2)
    >>> bins.counts.tolist(), bins.accuracy.tolist(), bins.confidence.round(2).tolist()
    ([0, 3], [0.0, 0.6666666666666666], [0.0, 0.8])
    """
    return _calibration(probs, y_true, n_bins, "calibration_bins")


def _calibration(probs, y_true, n_bins, func):
    """The bins of :func:`calibration_bins`, with messages naming ``func``."""
    p = as_float_array(probs, "probs", func)
    if p.ndim != 2 or p.shape[1] < 2:
        raise ValueError(
            f"{func}: probs must have shape (N, C) with C >= 2 classes, got {p.shape}. For a "
            "binary model with probabilities p of class 1, pass np.stack([1 - p, p], axis=1)."
        )
    check_distribution(p, "probs", func)     # at the precision it was computed in
    p = p.astype(np.float64, copy=False)
    t = _labels(y_true, "y_true", func)
    if t.shape != (p.shape[0],):
        raise ValueError(f"{func}: probs has {p.shape[0]} rows (shape {p.shape}) but y_true has "
                         f"shape {t.shape}; give one label per row, shape ({p.shape[0]},).")
    if t.max() >= p.shape[1]:
        raise ValueError(f"{func}: y_true contains class {int(t.max())}, but probs has "
                         f"{p.shape[1]} columns (valid labels 0..{p.shape[1] - 1}).")
    n_bins = _params.integer(n_bins, "n_bins", func, low=1, hint="10 is usual.")
    return _equal_width_bins(p.max(axis=1), (p.argmax(axis=1) == t).astype(np.float64),
                             int(n_bins))


def _equal_width_bins(confidence, correct, n_bins) -> CalibrationBins:
    """The bins of :func:`calibration_bins`, from checked inputs: each example's confidence and
    whether it was right (1.0 or 0.0). ``lossbook.checks`` bins an exercise's answer with it."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.searchsorted(edges[1:-1], confidence, side="left")   # (edges[m], edges[m+1]]
    counts = np.bincount(which, minlength=n_bins).astype(np.int64)
    sums_correct = np.bincount(which, weights=correct, minlength=n_bins)
    sums_conf = np.bincount(which, weights=confidence, minlength=n_bins)
    acc = np.zeros(n_bins)
    conf = np.zeros(n_bins)
    np.divide(sums_correct, counts, out=acc, where=counts > 0)
    np.divide(sums_conf, counts, out=conf, where=counts > 0)
    return CalibrationBins(edges, counts, acc, conf)


def expected_calibration_error(probs, y_true, *, n_bins=10):
    """Expected calibration error: how far confidence is from accuracy, on average.

    With the equal-width bins of :func:`calibration_bins` (``S_m`` the set of examples whose
    top-class probability falls in bin ``m``, ``N`` examples in all)::

        ECE = sum_m (|S_m| / N) * |accuracy(S_m) - confidence(S_m)|

    It lies between 0 and 1. Its value depends on the number and placement of the bins, and even
    a perfectly calibrated model scores above 0 on a finite sample, by chance; it approaches 0
    only as the bins fill up. An overconfident model (confidence above accuracy) and an
    underconfident one both raise it; the reliability diagram shows which.

    Parameters
    ----------
    probs : array-like of shape (N, C)
        Predicted probabilities, each row summing to 1.
    y_true : array-like of int, shape (N,)
        True class labels.
    n_bins : int
        Number of equal-width bins (10 is usual; the value depends on it).

    Returns
    -------
    float

    Examples
    --------
    >>> ece = expected_calibration_error([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1], n_bins=2)
    >>> round(ece, 4)          # one bin: confidence 0.8, accuracy 2/3
    0.1333
    """
    bins = _calibration(probs, y_true, n_bins, "expected_calibration_error")
    weights = bins.counts / bins.counts.sum()
    return float(np.sum(weights * np.abs(bins.accuracy - bins.confidence)))
