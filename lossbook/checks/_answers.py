"""Reading answers and exercise inputs, and the one closeness rule: the engine's first seam.

A learner's answer may be anything (a number, a list, a numpy array, a torch tensor with or
without grad, text, a function); :func:`read_answer` reads it as a float array or says why it
cannot, and never raises. :func:`as_array`, :func:`as_number` and :func:`logits_and_classes` read
an exercise's own inputs for every topic module. :func:`is_close` is the one closeness rule.
"""

from __future__ import annotations

import contextlib
import decimal
import numbers
import warnings

import numpy as np

from .._i18n import _

__all__ = [
    "read_answer",
    "as_array",
    "as_number",
    "fmt",
    "describe",
    "close",
    "is_close",
    "quiet",
    "not_tried",
    "logits_and_classes",
]


def fmt(value) -> str:
    """A short, stable rendering of a number or array for a message (never raises).

    Text is shown as text, and a negative zero as 0.

    >>> fmt(0.30102999566), fmt([0.5, 2.0]), fmt(np.zeros((4, 4))), fmt(-0.0), fmt("0.5")
    ('0.30103', '[0.5, 2. ]', 'an array of shape (4, 4)', '0', "the text '0.5'")
    """
    if isinstance(value, (str, bytes)):
        return describe(value)
    try:
        arr = np.asarray(value, dtype=np.float64)
    except Exception:  # noqa: BLE001 - anything a learner typed
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "..."
    arr = arr + 0.0  # -0.0 + 0.0 is 0.0: never print "-0"
    if arr.ndim == 0:
        return f"{float(arr):.6g}"
    if arr.size > 12:
        return _("an array of shape {0}").format(arr.shape)
    return np.array2string(arr, precision=4, suppress_small=True, separator=", ")


def _plain(value, depth: int = 0):
    """``value`` with every tensor detached and moved to numpy (lists of tensors included)."""
    if depth > 20:
        raise ValueError("nested too deep")
    if callable(getattr(value, "detach", None)):  # a torch tensor; torch is never imported
        value = value.detach().cpu()
        try:
            return value.numpy()
        except (TypeError, RuntimeError):  # bfloat16 and friends: numpy has no such dtype
            return value.double().numpy()
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    return value


def describe(value) -> str:
    """What a learner passed, in a few words: "the text 'abc'", 'a dict', 'a float', ..."""
    if isinstance(value, (str, bytes)):
        shown = repr(value) if len(repr(value)) <= 30 else repr(value)[:27] + "..."
        return _("the text {shown}").format(shown=shown)
    if callable(value) and not hasattr(value, "__array__"):
        return _("a function ({0})").format(getattr(value, "__name__", type(value).__name__))
    if isinstance(value, np.ndarray):
        return _("a numpy array")
    if callable(getattr(value, "detach", None)):
        return _("a tensor")
    named = {list: _("a list"), tuple: _("a tuple"), dict: _("a dict"), float: _("a float"), int: _("an int")}
    return named.get(type(value)) or _("a value of type {0}").format(type(value).__name__)


def _numbers(arr: np.ndarray) -> np.ndarray | None:
    """An object array of Python numbers (Fraction, Decimal, ...) as floats, else None."""
    if not all(isinstance(v, (numbers.Real, decimal.Decimal)) for v in arr.flat):
        return None
    try:
        return arr.astype(np.float64)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return None


def read_answer(answer) -> tuple[np.ndarray | None, str | None]:
    """Read a learner's answer as a float64 array, or say why it cannot be read.

    Numbers, lists, numpy arrays and torch tensors (with or without grad, on any device) are
    read; text, dicts, complex numbers, ragged lists and everything else give a reason. Never
    raises and never warns.

    Returns
    -------
    (array, None) or (None, reason)

    Examples
    --------
    >>> read_answer([1, 2.5])
    (array([1. , 2.5]), None)
    >>> read_answer("0.5")
    (None, "got the text '0.5'")
    """
    if answer is None:
        return None, _("got None")
    if (
        isinstance(answer, (str, bytes, dict, set, frozenset))
        or callable(answer)
        and not (hasattr(answer, "__array__") or hasattr(answer, "detach"))
    ):
        return None, _("got {0}").format(describe(answer))
    if hasattr(answer, "__next__") and not hasattr(answer, "__array__"):
        return None, _("got a generator or iterator; make it a list first: list(...)")
    try:
        with quiet():
            arr = np.asarray(_plain(answer))
    except Exception:  # noqa: BLE001 - a ragged list, an object whose __array__ fails, ...
        return None, _("got {0} that is not one array of numbers").format(describe(answer))
    if arr.dtype.kind == "c":
        return None, _("got complex numbers")
    if arr.dtype.kind in "US":
        convert = _(" (.astype(float) converts them)") if isinstance(answer, np.ndarray) else ""
        return None, _("got {0} of text; numbers are needed{convert}").format(
            describe(answer), convert=convert
        )
    if arr.dtype.kind == "O":  # Fractions, Decimals, or things that are not numbers
        arr = _numbers(arr)
    if arr is None or arr.dtype.kind not in "biuf":
        if any(v is None for v in np.asarray(_plain(answer), dtype=object).flat):
            return None, _("got {0} with None in it; every entry needs a number, 0 included").format(
                describe(answer)
            )
        return None, _("got {0} that is not made of numbers").format(describe(answer))
    return arr.astype(np.float64), None


def as_array(value, name: str = "input") -> np.ndarray:
    """An exercise input as a float64 array (tensors detached); ``ValueError`` naming it if not.

    >>> as_array([1, 2])
    array([1., 2.])
    """
    arr, reason = read_answer(value)
    if arr is None:
        raise ValueError(f"{name} must be numbers; {reason}")
    return arr


def as_number(value, name: str = "input") -> float:
    """An exercise input that is one number, as a float (a 0-d tensor or a 1-element array too).

    >>> as_number([0.5])
    0.5
    """
    arr = as_array(value, name)
    if arr.size != 1:
        raise ValueError(f"{name} must be one number; got shape {arr.shape}")
    return float(arr.reshape(()))


def close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    """The one closeness rule: the same shape, the same non-finite entries (NaN matches NaN: a
    loss that is nan in torch, e.g. a mean over no counted rows, is answered by nan), and the
    finite entries within ``atol + rtol * abs(b)`` (inf - inf is never computed)."""
    if a.shape != b.shape:
        return False
    finite = np.isfinite(a) & np.isfinite(b)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    if not np.all(same[~finite]):
        return False
    with np.errstate(all="ignore"):
        return bool(np.all(np.abs(a[finite] - b[finite]) <= atol + rtol * np.abs(b[finite])))


def not_tried(answer) -> bool:
    """Whether ``answer`` is a placeholder rather than a try: None, ``...``, 0 or all zeros.

    >>> not_tried(None), not_tried(0), not_tried(np.zeros(3)), not_tried([0.0, 0.5]), not_tried("0")
    (True, True, True, False, False)
    """
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, (str, bytes, bool, np.bool_)) or callable(answer):
        return False
    arr, _reason = read_answer(answer)
    return arr is not None and arr.size > 0 and not np.any(arr)


@contextlib.contextmanager
def quiet():
    """No numpy or Python warnings while a check computes: its verdict is all it says."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def is_close(answer, expected, *, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether ``answer`` is a number (or array) equal to ``expected`` within the tolerances.

    Never raises: a missing answer (``None``), a string, or an array of the wrong shape is
    simply not close. Uses ``abs(answer - expected) <= atol + rtol * abs(expected)`` element-wise;
    the engine judges every answer by the same rule (NaN matches NaN).

    Examples
    --------
    >>> is_close(0.693147, np.log(2), rtol=1e-5)
    True
    >>> is_close(None, 1.0), is_close(np.nan, np.nan)
    (False, True)
    """
    a, _unread = read_answer(answer)
    e, _unread = read_answer(expected)
    return a is not None and e is not None and close(a, e, rtol, atol)


def logits_and_classes(logits, target, *, allowed=()) -> tuple[np.ndarray, np.ndarray]:
    """Finite (N, C) logits with C >= 2, and one class index per row as int64; a target may
    also hold a value in ``allowed`` (an ignore_index)."""
    z, t = as_array(logits, "logits"), as_array(target, "target")
    if z.ndim != 2 or z.shape[1] < 2 or not np.all(np.isfinite(z)):
        raise ValueError(f"logits must be finite, of shape (N, C) with C >= 2; got {z.shape}")
    index = (t == np.round(t)) & (t >= 0) & (t < z.shape[1])
    if t.shape != (z.shape[0],) or not np.all(index | np.isin(t, allowed)):
        also = "".join(f" or {v:g}" for v in allowed)
        raise ValueError(
            f"target must hold one class index in [0, {z.shape[1]}){also} per row; got shape {t.shape}"
        )
    return z, t.astype(np.int64)
