"""Metrics: what we report about a model but do not train on."""

from __future__ import annotations

import numpy as np

from ._validation import _as_array, as_float_array, check_no_nan

__all__ = ["accuracy"]


def accuracy(input, target, *, threshold=0.5):
    """The fraction of examples classified correctly, a float in [0, 1].

    Parameters
    ----------
    input : array-like of shape (N, C) or (N,)
        Scores of shape (N, C) (logits or probabilities): the predicted class is the argmax of
        each row. Or a 1-D array of N binary scores: the prediction is ``input >= threshold``.
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
    scores = as_float_array(input, "input", func)
    check_no_nan(scores, "input", func)
    t = _as_array(target, "target", func)
    if t.dtype == np.bool_:
        t = t.astype(np.int64)
    if not np.issubdtype(t.dtype, np.integer):
        raise TypeError(
            f"{func}: target holds {t.dtype} values; expected integer labels. "
            "Use target.astype(np.int64) if they are whole numbers."
        )
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
        predicted = (scores >= threshold).astype(np.int64)
    return float(np.mean(predicted == t))
