"""Shared input checks. Each returns cleaned numpy arrays or raises an error a learner can act on.

Every message names the function and the argument, quotes the offending shape or value, and says
how to fix it. Nothing is renormalised, clipped, reshaped or broadcast silently.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def as_float_array(x, name: str, func: str, *, allow_empty: bool = False) -> np.ndarray:
    """Convert ``x`` to a float array: float32 and float64 are kept, integers become float64.

    Refuses ragged or non-numeric input, booleans, complex numbers, empty arrays and NaN.
    """
    arr = _as_array(x, name, func)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)
    ):
        raise TypeError(
            f"{func}: {name} must hold real numbers, got dtype {arr.dtype}. "
            f"Convert it first, e.g. np.asarray({name}, dtype=float)."
        )
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if arr.size == 0 and not allow_empty:
        raise ValueError(
            f"{func}: {name} is empty (shape {arr.shape}). A loss over no elements is undefined; "
            "pass at least one element."
        )
    return arr


def check_no_nan(arr: np.ndarray, name: str, func: str) -> None:
    """Refuse NaN anywhere in ``arr`` (one pass over the data)."""
    if np.isnan(arr).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(arr))[0])
        raise ValueError(
            f"{func}: {name} contains NaN (first at index {where}). "
            "A NaN usually comes from an earlier step (0/0, log of a negative number); fix it there."
        )


def _as_array(x, name: str, func: str) -> np.ndarray:
    if isinstance(x, np.ndarray):
        return x
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{func}: {name} must be an array of numbers, got {type(x).__name__}.")
    if hasattr(x, "detach") and hasattr(x, "numpy"):
        raise TypeError(
            f"{func}: {name} is a torch tensor; lossbook works on numpy arrays. "
            f"Pass {name}.detach().numpy()."
        )
    try:
        arr = np.asarray(x)
    except ValueError as err:  # ragged nested sequences
        raise ValueError(
            f"{func}: {name} is ragged (its rows have different lengths): {err}. "
            "Every row must have the same length."
        ) from None
    if arr.dtype == object:
        raise TypeError(
            f"{func}: {name} could not be read as an array of numbers (got object dtype, "
            "ragged rows or non-numeric entries). Every row must have the same length."
        )
    return arr


def check_reduction(reduction, func: str, *, extra: tuple[str, ...] = ()) -> str:
    """One of "mean", "sum", "none" (and the names in ``extra``, e.g. kl_div's "batchmean")."""
    allowed = REDUCTIONS + extra
    if not isinstance(reduction, str) or reduction not in allowed:
        more = "".join(f", {name!r}" for name in extra)
        raise ValueError(
            f"{func}: unknown reduction {reduction!r}. Use 'mean' (average over elements), "
            f"'sum' (add them up) or 'none' (one value per element){more}."
        )
    return reduction


def check_flag(value, name: str, func: str) -> bool:
    """A plain True or False (numpy booleans too), nothing that merely looks truthy."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{func}: {name} must be True or False, got {value!r}.")
    return bool(value)


def check_log_probabilities(x: np.ndarray, name: str, func: str) -> None:
    """Every entry <= 0 (a log-probability); -inf (probability 0) is allowed, NaN is not."""
    check_no_nan(x, name, func)
    hi = x.max()
    if hi > 0:
        where = tuple(int(i) for i in np.argwhere(x == hi)[0])
        raise ValueError(
            f"{func}: {name} must hold log-probabilities (<= 0), got {float(hi):.6g} at index "
            f"{where}. If these are probabilities, pass np.log({name}); if they are logits, pass "
            f"log_softmax({name})."
        )


def check_same_shape(input, target, func: str, names=("input", "target")):
    """Both as float arrays, NaN-free, with exactly the same shape."""
    a = as_float_array(input, names[0], func)
    b = as_float_array(target, names[1], func)
    if a.shape != b.shape:
        raise ValueError(shape_mismatch_message(func, a.shape, b.shape, names))
    check_no_nan(a, names[0], func)
    check_no_nan(b, names[1], func)
    dtype = np.result_type(a.dtype, b.dtype)
    return a.astype(dtype, copy=False), b.astype(dtype, copy=False)


def shape_mismatch_message(func: str, shape_a, shape_b, names=("input", "target")) -> str:
    a, b = names
    msg = f"{func}: {a} has shape {tuple(shape_a)} but {b} has shape {tuple(shape_b)}."
    try:
        broadcast = np.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        broadcast = None
    if broadcast is not None and broadcast != tuple(shape_a):
        msg += (
            f" Broadcasting would compare every {a} with every {b} (a {broadcast} result)"
            " instead of pairing them."
        )
    if len(shape_a) == 2 and shape_a[1] == 1 and tuple(shape_b) == (shape_a[0],):
        msg += f" Use {a}.squeeze(1) or {b}.reshape(-1, 1)."
    elif len(shape_b) == 2 and shape_b[1] == 1 and tuple(shape_a) == (shape_b[0],):
        msg += f" Use {b}.squeeze(1) or {a}.reshape(-1, 1)."
    else:
        msg += " Give both the same shape."
    return msg


_LOGITS_HINT = (
    "If these are logits (raw scores), use the *_with_logits form or apply a sigmoid or softmax first."
)


def check_probabilities(p: np.ndarray, name: str, func: str, hint: str = _LOGITS_HINT) -> None:
    """Every entry in [0, 1] (no NaN); ``hint`` says what to do about an entry outside."""
    check_no_nan(p, name, func)
    lo, hi = p.min(), p.max()
    if lo < 0 or hi > 1:
        bad = lo if lo < 0 else hi
        where = tuple(int(i) for i in np.argwhere(p == bad)[0])
        raise ValueError(
            f"{func}: {name} must hold probabilities in [0, 1], got {float(bad):.6g} at index {where}. "
            + hint
        )


def row_sum_tolerance(arr: np.ndarray) -> float:
    """How far a row of probabilities may sum from 1 through rounding alone."""
    n = arr.shape[-1] if arr.ndim else 1
    return max(1e-6, 8 * n * float(np.finfo(arr.dtype).eps))


def check_distribution(p: np.ndarray, name: str, func: str) -> None:
    """Probabilities along the last axis: entries in [0, 1], each row summing to 1."""
    check_probabilities(p, name, func)
    sums = p.sum(axis=-1)
    off = np.abs(sums - 1)
    tol = row_sum_tolerance(p)
    if (off > tol).any():
        i = tuple(int(j) for j in np.argwhere(np.atleast_1d(off) > tol)[0])
        s = float(np.atleast_1d(sums)[i])
        where = f"row {i[0]}" if p.ndim > 1 else "it"
        raise ValueError(
            f"{func}: {name} must be a probability distribution along the last axis, but {where} "
            f"sums to {s:.6g}, not 1. Normalise it yourself (p / p.sum(axis=-1, keepdims=True)) "
            "if that is what you mean; lossbook does not renormalise silently."
        )


def check_class_target(target, n_classes: int, func: str, *, ignore_index=None) -> np.ndarray:
    """Class indices: an integer array of values in [0, n_classes) or equal to ignore_index."""
    t = _as_array(target, "target", func)
    if t.dtype == np.bool_ or not np.issubdtype(t.dtype, np.integer):
        if np.issubdtype(t.dtype, np.floating) and t.size and np.all(np.mod(t, 1) == 0):
            hint = " Its values are whole numbers: use target.astype(np.int64)."
        else:
            hint = (
                " Class-index targets must be integers; for soft labels pass probabilities of "
                "the input's shape."
            )
        raise TypeError(f"{func}: target holds {t.dtype} values, expected integer class indices.{hint}")
    t = t.astype(np.int64, copy=False)
    if t.size == 0:
        raise ValueError(f"{func}: target is empty (shape {t.shape}); pass at least one label.")
    valid = t != ignore_index if ignore_index is not None else np.ones(t.shape, dtype=bool)
    bad = valid & ((t < 0) | (t >= n_classes))
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        value = int(t[where])
        extra = (
            f" (ignore_index is {ignore_index}; only that value may lie outside the range)"
            if ignore_index is not None
            else ""
        )
        raise ValueError(
            f"{func}: target has class index {value} at position {where}, but input has "
            f"{n_classes} classes, so indices must be in [0, {n_classes - 1}]{extra}. "
            "Check the label encoding (are labels 1-based?)."
        )
    return t


def check_weight(weight, n: int, func: str, dtype, name: str = "weight") -> np.ndarray:
    """A 1-D, NaN-free, non-negative weight vector of length n."""
    w = as_float_array(weight, name, func).astype(dtype, copy=False)
    if w.shape != (n,):
        raise ValueError(
            f"{func}: {name} has shape {w.shape}, but input has {n} classes, so it needs shape "
            f"({n},): one weight per class."
        )
    check_no_nan(w, name, func)
    if (w < 0).any():
        raise ValueError(f"{func}: {name} has a negative entry ({float(w.min()):.6g}); weights must be >= 0.")
    return w


def check_positive_number(value, name: str, func: str, *, forbid=None) -> float:
    """A finite real number > 0 (and, with ``forbid``, not equal to that value)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func}: {name} must be a real number, got {type(value).__name__}.")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{func}: {name} must be a positive number, got {value}.")
    if forbid is not None and value == forbid:
        raise ValueError(f"{func}: {name} must not be {forbid}: log base 1 is undefined.")
    return value


def check_label_smoothing(value, func: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func}: label_smoothing must be a number, got {type(value).__name__}.")
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(
            f"{func}: label_smoothing must be in [0, 1], got {value}. 0 means no smoothing; "
            "0.1 is a common choice."
        )
    return value


def reduce(loss: np.ndarray, reduction: str):
    """Apply a reduction; scalar results come back as Python floats."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return float(loss.sum())
    return float(loss.mean())
