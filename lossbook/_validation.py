"""Shared input checks. Each returns cleaned numpy arrays or raises an error a learner can act on.

Every message names the function the learner called and the argument, quotes the offending shape
or value, and says how to fix it. Nothing is renormalised, clipped, reshaped or broadcast silently.
Each loss family has one validator here (``validate_regression``, ``validate_classification``,
``validate_binary``, ``validate_probs_target``, ``validate_kl``) that the loss and its gradient
both call, so the two accept exactly the same input and validate it once.

The NaN and infinity rule, for every loss and gradient:

    NaN in any argument is refused with a ValueError that names the argument and the first
    position. An infinity is refused too, except -inf where it means "probability 0": a logit of
    ``cross_entropy`` (not a whole row of them), a log-probability in ``nll_loss``, ``ctc_loss``
    and ``kl_div`` (input, and target with ``log_target=True``). A term whose target, weight or
    smoothing share is 0 is then exactly 0 (torch returns nan for some of these, from 0 * -inf),
    and a term with weight on the impossible class is inf, as in torch.

Finite inputs whose loss or gradient exceeds the float range (float32 predictions of 1e20 in
``mse_loss``, a sum of huge terms) give inf, as torch does, without numpy's overflow warning.

Activations take +-inf where they have a limit (``sigmoid(inf)`` is 1); NaN is refused there as
well, and so is a softmax over scores that are all -inf.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from . import _params

REDUCTIONS = ("mean", "sum", "none")


def as_float_array(x, name: str, func: str, *, allow_empty: bool = False) -> np.ndarray:
    """Convert ``x`` to a float array: float32 and float64 are kept, integers become float64.

    Refuses ragged or non-numeric input, booleans, complex numbers, empty arrays and NaN.
    """
    arr = read_array(x, name, func)
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


def first_index(mask: np.ndarray) -> tuple[int, ...]:
    """The index of the first true entry of ``mask``, as plain ints for a message."""
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _surely_finite(arr: np.ndarray) -> bool:
    """True if every entry of a float array is finite, told fast: the dot product of the entries
    with themselves (one BLAS pass, no temporary) is NaN or inf if any entry is. False means
    "look closer": a non-finite entry, or finite ones whose squares overflow the float range."""
    if arr.dtype.kind != "f" or not arr.flags.c_contiguous:
        return False
    flat = arr.reshape(-1)
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(np.dot(flat, flat)))


def check_no_nan(arr: np.ndarray, name: str, func: str) -> None:
    """Refuse NaN anywhere in ``arr`` (one pass over the data)."""
    if _surely_finite(arr):
        return
    if np.isnan(arr).any():
        where = first_index(np.isnan(arr))
        raise ValueError(
            f"{func}: {name} contains NaN (first at index {where}). "
            "A NaN usually comes from an earlier step (0/0, log of a negative number); fix it there."
        )


def check_finite(arr: np.ndarray, name: str, func: str) -> None:
    """Refuse NaN (named as such) and +-inf anywhere in ``arr``."""
    if _surely_finite(arr):
        return
    check_no_nan(arr, name, func)
    if not np.isfinite(arr).all():
        where = first_index(~np.isfinite(arr))
        raise ValueError(
            f"{func}: {name} contains {float(arr[where])} at index {where}; every value must be "
            "finite. An inf usually means an earlier step overflowed (training diverged, or exp "
            "of a large number); fix it there."
        )


def read_array(x, name: str, func: str) -> np.ndarray:
    """``x`` as a plain numpy array of any numeric dtype, or our error naming ``name``.

    Refuses None, text, torch tensors, ragged or object input and masked arrays with masked
    entries; integer and boolean arrays are returned as they are (callers check the dtype).
    """
    if isinstance(x, np.ma.MaskedArray) and np.ma.getmask(x).any():
        raise ValueError(
            f"{func}: {name} is a masked array with masked entries, and lossbook does not skip "
            f"them. Drop those entries, or fill them first: {name}.filled(value)."
        )
    if isinstance(x, np.ndarray):
        return np.asarray(x)  # a plain array: np.matrix and other subclasses behave differently
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{func}: {name} must be an array of numbers, got {type(x).__name__}.")
    if hasattr(x, "detach") and hasattr(x, "numpy"):
        raise TypeError(
            f"{func}: {name} is a torch tensor; lossbook works on numpy arrays. "
            f"Pass {name}.detach().numpy()."
        )
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError):  # ragged nested sequences, or objects numpy cannot read
        raise ValueError(
            f"{func}: {name} is ragged (its rows have different lengths) or not a nested list of "
            "numbers. Every row must have the same length, e.g. [[1.0, 2.0], [3.0, 4.0]]."
        ) from None
    except Exception as err:  # noqa: BLE001 - e.g. a list of torch tensors that require grad
        raise TypeError(
            f"{func}: {name} could not be read as an array of numbers ({type(err).__name__}: "
            f"{err}). A list of torch tensors becomes one array with "
            f"torch.stack({name}).detach().numpy()."
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


#: The stack level of a validator's warning that points at the learner's line: past the
#: validator, the loss and the wrapper of refuses_legacy_reduction.
LEARNER = 4


def refuses_legacy_reduction(loss):
    """Decorate a loss or gradient so that torch's deprecated ``size_average`` and ``reduce``
    arguments are refused with the ``reduction`` that replaces them (the rest of the call is
    ``loss`` itself)."""

    @functools.wraps(loss)
    def call(*args, **kwargs):
        if "size_average" in kwargs or "reduce" in kwargs:
            raise TypeError(legacy_reduction_message(loss.__name__, kwargs.get("size_average"),
                                                     kwargs.get("reduce")))
        return loss(*args, **kwargs)

    return call


def legacy_reduction_message(func: str, size_average, reduce) -> str:
    """What to write instead of torch's size_average and reduce (torch's own translation)."""
    flags = (size_average, reduce)
    if all(f is None or isinstance(f, (bool, np.bool_)) for f in flags):
        average, keep = (True if f is None else bool(f) for f in flags)
        use = "'mean'" if average and keep else "'sum'" if keep else "'none'"
        meant = f"size_average={size_average}, reduce={reduce} means reduction={use}"
    else:
        use, meant = "'mean', 'sum' or 'none'", "they took True or False"
    return (
        f"{func}: size_average and reduce are torch's deprecated arguments, replaced by "
        f"reduction; lossbook takes only reduction. Use reduction={use} ({meant})."
    )


def check_log_probabilities(x: np.ndarray, name: str, func: str) -> None:
    """Every entry <= 0 (a log-probability); -inf (probability 0) is allowed, NaN is not."""
    check_no_nan(x, name, func)
    hi = x.max()
    if hi > 0:
        where = first_index(x == hi)
        raise ValueError(
            f"{func}: {name} must hold log-probabilities (<= 0), got {float(hi):.6g} at index "
            f"{where}. If these are probabilities, pass np.log({name}); if they are logits, pass "
            f"log_softmax({name})."
        )


def check_same_shape(input, target, func: str, names=("input", "target"), *, finite=True):
    """Both as float arrays with exactly the same shape, NaN-free (and finite unless told not)."""
    a = as_float_array(input, names[0], func)
    b = as_float_array(target, names[1], func)
    if a.shape != b.shape:
        raise ValueError(shape_mismatch_message(func, a.shape, b.shape, names))
    check = check_finite if finite else check_no_nan
    check(a, names[0], func)
    check(b, names[1], func)
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
        where = first_index(p == bad)
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
        i = first_index(np.atleast_1d(off) > tol)
        s = float(np.atleast_1d(sums)[i])
        where = f"row {i[0]}" if p.ndim > 1 else "it"
        raise ValueError(
            f"{func}: {name} must be a probability distribution along the last axis, but {where} "
            f"sums to {s:.6g}, not 1. Normalise it yourself (p / p.sum(axis=-1, keepdims=True)) "
            "if that is what you mean; lossbook does not renormalise silently."
        )


def read_labels(values, name: str, func: str, *, other: str | None = None) -> np.ndarray:
    """Class labels, the one reader for losses, metrics and data: an integer array as it is, and
    booleans as the labels 0 and 1 (everywhere, on purpose: a bool label is a binary class).

    Floats, text and the like are refused with the fix: ``astype(np.int64)`` for whole numbers,
    else ``other`` (what to do instead, e.g. pass probabilities) or ``argmax`` for scores. The
    shape and the range of the labels are the caller's to check.
    """
    arr = read_array(values, name, func)
    if arr.dtype == np.bool_:
        return arr.astype(np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        if (np.issubdtype(arr.dtype, np.floating) and arr.size and np.isfinite(arr).all()
                and np.all(np.mod(arr, 1) == 0)):
            hint = f"Its values are whole numbers: use {name}.astype(np.int64)."
        else:
            hint = other or f"If these are scores, take {name}.argmax(axis=-1) first."
        raise TypeError(f"{func}: {name} holds {arr.dtype} values; expected integer class labels. {hint}")
    return arr


def check_class_target(target, n_classes: int, func: str, *, ignore_index=None) -> np.ndarray:
    """Class indices: an integer array of values in [0, n_classes) or equal to ignore_index."""
    t = read_labels(target, "target", func, other="Class-index targets must be integers; for "
                    "soft labels pass probabilities of the input's shape.")
    if t.size == 0:
        raise ValueError(f"{func}: target is empty (shape {t.shape}); pass at least one label.")
    # checked in the target's own dtype, so a uint64 label above 2**63 is quoted as it is
    valid = t != ignore_index if ignore_index is not None else np.ones(t.shape, dtype=bool)
    bad = valid & ((t < 0) | (t >= n_classes))
    if bad.any():
        where = first_index(bad)
        value = t[where].item()
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
    return t.astype(np.int64, copy=False)


def check_weight(weight, n: int, func: str, dtype, name: str = "weight") -> np.ndarray:
    """A 1-D, NaN-free, non-negative weight vector of length n."""
    w = as_float_array(weight, name, func).astype(dtype, copy=False)
    if w.shape != (n,):
        raise ValueError(
            f"{func}: {name} has shape {w.shape}, but input has {n} classes, so it needs shape "
            f"({n},): one weight per class."
        )
    check_finite(w, name, func)
    if (w < 0).any():
        raise ValueError(f"{func}: {name} has a negative entry ({float(w.min()):.6g}); weights must be >= 0.")
    return w


def check_positive_number(value, name: str, func: str) -> float:
    """A finite real number > 0."""
    return _params.real(value, name, func, low=0.0, open_low=True)


# --------------------------------------------------------------------------- loss families
# One validator per family, called by the loss and by its gradient with the name of the function
# the learner called, so both refuse the same input with the same message.


_NO_DELTA = object()


def validate_regression(input, target, reduction, func, *, delta=_NO_DELTA):
    """mse_loss, l1_loss, huber_loss: finite arrays of one shape (and huber's delta > 0)."""
    check_reduction(reduction, func)
    if delta is not _NO_DELTA:
        delta = check_positive_number(delta, "delta", func)
    x, t = check_same_shape(input, target, func)
    return x, t, delta


def class_scores(input, name, func, *, spatial=False):
    """Scores of shape (N, C) or (C,) as a float array and its 2-D view (N, C).

    With ``spatial``, also torch's (N, C, d1, ..., dk), a class per position (a pixel, a time
    step): returned with the classes moved last, (N, d1, ..., dk, C), and viewed as
    (N * d1 * ... * dk, C) rows.
    """
    z = as_float_array(input, name, func)
    if spatial and z.ndim > 2:
        z = np.moveaxis(z, 1, -1)
    elif z.ndim not in (1, 2):
        more = " or (N, C, d1, ..., dk)" if spatial else ""
        raise ValueError(
            f"{func}: {name} must have shape (N, C){more} or (C,) with at least one class, got "
            f"{z.shape}. Flatten extra dimensions into the batch, e.g. {name}.reshape(-1, C)."
        )
    if z.shape[-1] == 0:
        raise ValueError(f"{func}: {name} has shape {z.shape}, with no classes; pass at least one.")
    return z, z.reshape(-1, z.shape[-1])


def classes_back(grad, input_ndim):
    """A gradient computed with the classes last, (N, d1, ..., dk, C), in the input's layout
    (N, C, d1, ..., dk); (N, C) and (C,) are returned as they are."""
    return np.moveaxis(grad, -1, 1) if input_ndim > 2 else grad


def is_probability_target(target, shape, func):
    """Whether ``target`` holds class probabilities (floats of the scores' ``shape``)."""
    t = read_array(target, "target", func)
    return t.shape == shape and np.issubdtype(t.dtype, np.floating)


def index_target(target, z, func, ignore_index=None, shape=None):
    """Class indices matching scores ``z`` (classes last): one per row, shape z.shape[:-1]:
    (N,) for (N, C) input, a scalar for (C,), (N, d1, ..., dk) for (N, C, d1, ..., dk).
    ``shape`` is the input's own shape, for the message (z's by default)."""
    shape = z.shape if shape is None else shape
    n, c = (z.shape[0] if z.ndim > 1 else 1), z.shape[-1]
    t = read_array(target, "target", func)
    expected = z.shape[:-1]
    if t.shape != expected:
        if t.shape == shape:
            hint = (
                " It has the input's shape but holds integers: for one-hot or soft labels pass "
                "floats (target.astype(float)), or pass class indices (target.argmax(-1))."
            )
        elif z.ndim == 2 and t.shape == (n, 1):
            hint = " Use target.squeeze(1) or target.reshape(-1)."
        else:
            hint = " Pass one class index per row of input."
        raise ValueError(
            f"{func}: input has shape {shape}, so class-index target needs shape {expected}, "
            f"got {t.shape}.{hint}"
        )
    t = check_class_target(t, c, func, ignore_index=ignore_index)
    return t.reshape(-1)


def finite_row_max(z2, func):
    """Row maxima (N, 1) of 2-D logits. NaN or +inf anywhere, or a row of only -inf, makes a
    row's maximum non-finite, so this is also the check of the logits' values."""
    m = z2.max(axis=1, keepdims=True)
    if not np.isfinite(m).all():
        check_no_nan(z2, "input", func)
        row = first_index(~np.isfinite(m))[0]
        raise ValueError(
            f"{func}: row {row} of input has maximum {float(m[row, 0]):.6g}: logits must be finite "
            "(-inf is allowed for a class that can never occur, but not a whole row of it)."
        )
    return m


def warn_if_probabilities(z2, m, func, stacklevel):
    """Warn when every row of ``z2`` lies in [0, 1] and sums to 1: logits were expected."""
    if m.max() > 1 or z2.min() < 0:
        return
    if np.all(np.abs(z2.sum(axis=1) - 1) <= row_sum_tolerance(z2)):
        warnings.warn(
            f"{func}: every row of input lies in [0, 1] and sums to 1, so it looks like "
            "probabilities. cross_entropy expects logits (raw scores) and applies softmax itself; "
            "passing probabilities applies softmax twice. Pass the logits, or use nll_loss on "
            "np.log(probs).",
            UserWarning,
            stacklevel=stacklevel + 1,
        )


def validate_classification(input, target, *, weight, ignore_index, reduction, label_smoothing,
                            func, log_probs=False):
    """cross_entropy, nll_loss and their gradients: the input checked once, as plain arrays.

    Returns ``(z, t, counted, w, eps, m)``: the scores ``z`` as given, (N, C) or (C,), or with
    the classes moved last for torch's (N, C, d1, ..., dk) (:func:`class_scores`, N below is
    then N * d1 * ... * dk); the target
    ``t``, either (N, C) class probabilities (then ``counted`` is None) or (N,) class indices
    with ignored rows set to 0 and ``counted`` False for them; the class weights ``w`` or None;
    the label smoothing ``eps``; and the logits' row maxima ``m`` (N, 1), finite (None for
    log-probabilities). Logits: NaN, +inf or a row of only -inf is refused, and a warning is
    given when every row looks like probabilities. Log-probabilities (``log_probs=True``,
    nll_loss): NaN and +inf are refused, and a positive entry warns.
    """
    check_reduction(reduction, func)
    eps = _params.real(label_smoothing, "label_smoothing", func, low=0.0, high=1.0,
                       hint="0 means no smoothing; 0.1 is a common choice.")
    ignore_index = _params.integer(ignore_index, "ignore_index", func,
                                   hint="It is a class index; torch's default is -100.")
    z, z2 = class_scores(input, "input", func, spatial=True)
    n, c = z2.shape
    w = None if weight is None else check_weight(weight, c, func, z.dtype)
    shape = classes_back(z, z.ndim).shape  # the input's own shape
    if not log_probs and is_probability_target(target, shape, func):
        t = as_float_array(target, "target", func).astype(z.dtype, copy=False)
        t = np.moveaxis(t, 1, -1) if t.ndim > 2 else t  # classes last, as in z
        check_distribution(t, "target", func)
        t, counted = t.reshape(n, c), None
    else:
        t = index_target(target, z, func, ignore_index, shape=shape)
        counted = t != ignore_index
        t = np.where(counted, t, 0)
    if log_probs:
        top = z2.max()  # NaN if any entry is: then named by check_no_nan (one pass, not two)
        if np.isnan(top):
            check_no_nan(z2, "input", func)
        if top == np.inf:
            raise ValueError(f"{func}: input contains +inf; log-probabilities are <= 0.")
        if top > 0:
            warnings.warn(
                f"{func}: input has positive entries (largest {float(top):.4g}), but "
                "log-probabilities are <= 0. Did you pass logits or probabilities? Use "
                "cross_entropy on logits, or nll_loss on log_softmax(logits).",
                UserWarning,
                stacklevel=LEARNER,
            )
        return z, t, counted, w, eps, None
    m = finite_row_max(z2, func)
    warn_if_probabilities(z2, m, func, stacklevel=LEARNER)
    return z, t, counted, w, eps, m


def validate_probs_target(probs, target, base, reduction, func):
    """cross_entropy_from_probs: probability rows, and the target as an (N, C) array of weights
    (one-hot for class indices, soft labels as given). Returns p, its (N, C) view, t2, base."""
    check_reduction(reduction, func)
    base = check_positive_number(base, "base", func)
    if base == 1.0:
        raise ValueError(f"{func}: base must not be {base}: log base 1 is undefined.")
    p, p2 = class_scores(probs, "probs", func)
    check_distribution(p, "probs", func)
    n, c = p2.shape
    t = read_array(target, "target", func)
    if t.shape == p.shape and t.dtype != np.bool_:
        t2 = as_float_array(t, "target", func).astype(p.dtype, copy=False)
        check_distribution(t2, "target", func)
        t2 = t2.reshape(n, c)
    else:
        idx = index_target(t, p, func)
        t2 = np.zeros((n, c), dtype=p.dtype)
        t2[np.arange(n), idx] = 1
    return p, p2, t2, base


def elementwise_weight(weight, shape, name, func, dtype):
    """A finite, non-negative weight that broadcasts to ``shape`` without changing it."""
    w = as_float_array(weight, name, func).astype(dtype, copy=False)
    try:
        ok = np.broadcast_shapes(w.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"{func}: {name} has shape {w.shape}, which does not broadcast to the input's shape "
            f"{tuple(shape)} without changing it. Give it shape {tuple(shape)} or (C,) for the "
            "last axis."
        )
    check_finite(w, name, func)
    if (w < 0).any():
        raise ValueError(f"{func}: {name} has a negative entry ({float(w.min()):.6g}); use weights >= 0.")
    return w


def validate_binary(input, target, weight, reduction, func):
    """binary_cross_entropy: probabilities and targets in [0, 1] of one shape, an optional weight."""
    check_reduction(reduction, func)
    p, t = check_same_shape(input, target, func)
    check_probabilities(p, "input", func)
    check_probabilities(t, "target", func)
    w = None if weight is None else elementwise_weight(weight, p.shape, "weight", func, p.dtype)
    return p, t, w


def validate_binary_logits(input, target, weight, pos_weight, reduction, func):
    """binary_cross_entropy_with_logits: finite logits, targets in [0, 1], optional weights."""
    check_reduction(reduction, func)
    z, t = check_same_shape(input, target, func)
    check_probabilities(t, "target", func)
    w = None if weight is None else elementwise_weight(weight, z.shape, "weight", func, z.dtype)
    pw = None if pos_weight is None else elementwise_weight(pos_weight, z.shape, "pos_weight",
                                                            func, z.dtype)
    return z, t, w, pw


def validate_kl(input, target, reduction, log_target, func):
    """kl_div: log-probabilities, and probabilities or log-probabilities, of one shape."""
    check_reduction(reduction, func, extra=("batchmean",))
    log_target = _params.flag(log_target, "log_target", func)
    x, t = check_same_shape(input, target, func, finite=False)
    check_log_probabilities(x, "input", func)
    if log_target:
        check_log_probabilities(t, "target", func)
    else:
        check_probabilities(t, "target", func, hint="If these are log-probabilities, pass "
                            "log_target=True; if they are logits, pass softmax(target).")
    if reduction == "batchmean" and x.ndim < 2:
        raise ValueError(
            f"{func}: reduction='batchmean' divides by the batch size input.shape[0], but input has "
            f"shape {x.shape} and no batch axis (torch would divide by {x.shape[0] if x.ndim else 1}). "
            "For one distribution use reduction='sum', or pass input and target of shape (1, C)."
        )
    if reduction == "mean":
        warnings.warn(
            f"{func}: reduction='mean' divides the sum by the number of elements (N * C), not by "
            "the batch size N, so it is not the KL divergence. Use reduction='batchmean' for the "
            "KL divergence averaged over the batch (torch warns about this too).",
            UserWarning,
            stacklevel=LEARNER,
        )
    return x, t, log_target


# --------------------------------------------------------------------------- CTC


def read_lengths(values, name, func, n, batched, limit, why):
    """Sequence lengths: integers in [0, limit], shape (N,) for batched input; a single int (or
    shape (1,)) for one unbatched sequence. Returned as an int64 array of shape (N,); ``why``
    ends the message about a length above ``limit``."""
    arr = read_array(values, name, func)
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        whole = (np.issubdtype(arr.dtype, np.floating) and arr.size and np.isfinite(arr).all()
                 and np.all(np.mod(arr, 1) == 0))
        hint = f" Its values are whole numbers: use np.asarray({name}).astype(np.int64)." if whole else ""
        raise TypeError(f"{func}: {name} must hold integer lengths, got dtype {arr.dtype}.{hint}")
    ok = arr.shape == (n,) if batched else arr.shape in ((), (1,))
    if not ok:
        want = f"shape ({n},): one length per sequence of the batch" if batched else (
            "a single int: log_probs of shape (T, C) is one sequence")
        raise ValueError(f"{func}: {name} has shape {arr.shape}; it needs {want}.")
    if (arr < 0).any():
        where = first_index(np.atleast_1d(arr) < 0)[0]
        raise ValueError(f"{func}: {name} has the negative length {np.atleast_1d(arr)[where]} "
                         f"for sequence {where}; lengths are counts, >= 0.")
    if (arr > limit).any():  # compared in the array's own dtype: a huge uint64 is quoted as it is
        where = first_index(np.atleast_1d(arr) > limit)[0]
        raise ValueError(f"{func}: {name} has {np.atleast_1d(arr)[where]} for sequence {where}, "
                         f"but {why}.")
    return np.atleast_1d(arr).astype(np.int64)


def ctc_targets(t, tl, blank, n_classes, func, batched):
    """The label sequences as an (N, max(tl)) int64 array, padded with the blank: from padded
    targets ``t`` (N, S) or concatenated ones (sum(tl),), or one sequence (S,) or (1, S)
    unbatched. The first tl[n] labels of each sequence must be classes other than the blank."""
    n, longest = len(tl), int(tl.max())
    if not batched and t.ndim == 2 and t.shape[0] == 1:
        t = t[0]
    if batched and t.ndim == 1:  # concatenated: the sequences one after another
        if t.shape[0] != tl.sum():
            raise ValueError(
                f"{func}: 1-D targets are the {n} label sequences one after another, so their "
                f"length must be sum(target_lengths) = {tl.sum()}, got {t.shape[0]}. Or pass "
                f"padded targets of shape ({n}, S) with S >= max(target_lengths).")
        ends = np.cumsum(tl)
        seqs = [t[end - k:end] for end, k in zip(ends, tl, strict=True)]
    elif t.ndim == (2 if batched else 1) and (not batched or t.shape[0] == n):
        if t.shape[-1] < longest:
            raise ValueError(
                f"{func}: targets has shape {t.shape}, but target_lengths asks for {longest} "
                f"labels; padded targets need at least max(target_lengths) = {longest} columns.")
        rows = t.reshape(n, -1)
        seqs = [rows[i, :k] for i, k in enumerate(tl)]
    else:
        want = (f"({n}, S) (padded) or (sum(target_lengths),) = ({tl.sum()},) (concatenated)"
                if batched else "(S,): one label sequence")
        raise ValueError(f"{func}: targets has shape {t.shape}; it needs shape {want}.")
    labels = np.full((n, longest), blank, dtype=np.int64)
    for i, seq in enumerate(seqs):
        bad = (seq < 0) | (seq >= n_classes) | (seq == blank)
        if bad.any():
            k = int(np.argmax(bad))
            what = (f"the blank index {blank}; the blank is not a label (a target lists only "
                    "the labels, without blanks)" if seq[k] == blank
                    else f"the class index {seq[k]}, but log_probs has {n_classes} classes")
            raise ValueError(
                f"{func}: targets has {what} in sequence {i}, position {k}. Labels must be in "
                f"[0, {n_classes - 1}] and differ from blank={blank}.")
        labels[i, :len(seq)] = seq
    return labels


def validate_ctc(log_probs, targets, input_lengths, target_lengths, blank, reduction,
                 zero_infinity, func):
    """ctc_loss and its gradient: log-probabilities (T, N, C) or (T, C), the label sequences,
    the lengths. Returns (lp, labels, il, tl, batched, zero_infinity) with ``lp`` of shape
    (T, N, C) and ``labels`` (N, max(tl)) padded with the blank.

    NaN and +inf are refused; -inf (probability 0) is allowed. A time step (within its input
    length) whose probabilities do not sum to 1 is computed as torch does, with a warning: the
    gradient torch defines, and :func:`ctc_loss_grad` returns, assumes log_softmax output.
    """
    check_reduction(reduction, func)
    zero_infinity = _params.flag(zero_infinity, "zero_infinity", func)
    lp = as_float_array(log_probs, "log_probs", func)
    if lp.ndim not in (2, 3):
        raise ValueError(
            f"{func}: log_probs must have shape (T, N, C) (time, batch, classes) or (T, C) for "
            f"one sequence, got {lp.shape}. A batch-first (N, T, C) array needs "
            "log_probs.transpose(1, 0, 2).")
    batched = lp.ndim == 3
    lp3 = lp if batched else lp[:, None, :]
    n_steps, n, n_classes = lp3.shape
    check_no_nan(lp3, "log_probs", func)
    if (lp3 == np.inf).any():
        where = first_index(lp == np.inf)
        raise ValueError(f"{func}: log_probs contains +inf at index {where}; log-probabilities "
                         "are <= 0 (-inf is probability 0). Pass log_softmax(logits).")
    blank = _params.integer(blank, "blank", func, low=0, high=n_classes - 1,
                            hint=f"It is the class index of the blank; log_probs has {n_classes} "
                                 "classes.")
    il = read_lengths(input_lengths, "input_lengths", func, n, batched, n_steps,
                      f"log_probs has only T = {n_steps} time steps (shape {lp.shape}); each "
                      "input length must be <= T")
    t = read_array(targets, "targets", func)
    if t.size == 0 and t.dtype.kind in "fiu":  # [] or np.zeros((N, 0)): no labels at all
        t = t.astype(np.int64)
    t = read_labels(t, "targets", func, other="CTC targets are class indices (integers).")
    tl = read_lengths(target_lengths, "target_lengths", func, n, batched, t.size,
                      f"targets holds only {t.size} labels (shape {t.shape})")
    labels = ctc_targets(t, tl, blank, n_classes, func, batched)
    used = np.arange(n_steps)[:, None] < il[None, :]  # (T, N): the steps each sequence has
    with np.errstate(over="ignore"):  # a large positive entry: a total of inf, flagged below
        total = np.exp(lp3).sum(axis=-1)  # each step's total probability: 1 for log_softmax
    off = used & ~(np.abs(total - 1) <= row_sum_tolerance(lp3))
    if off.any():
        t, i = first_index(off)
        warnings.warn(
            f"{func}: log_probs at time {t} of sequence {i} are not log-probabilities: their "
            f"probabilities sum to {float(total[t, i]):.6g}, not 1. Pass "
            "log_softmax(logits, axis=-1); on unnormalised input the loss is computed as torch "
            "does, but its gradient (torch's and ctc_loss_grad's) assumes log_softmax output.",
            UserWarning,
            stacklevel=3,
        )
    return lp3, labels, il, tl, batched, zero_infinity
