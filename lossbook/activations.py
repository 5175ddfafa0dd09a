"""Activation functions and their derivatives, computed without overflow.

Each function takes an array (or anything ``np.asarray`` reads as numbers) and returns an array
of the same shape; float32 stays float32, everything else is computed in float64.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_no_nan, first_index

__all__ = [
    "step",
    "sigmoid",
    "tanh",
    "relu",
    "softmax",
    "log_softmax",
    "step_derivative",
    "sigmoid_derivative",
    "tanh_derivative",
    "relu_derivative",
    "softmax_jacobian",
    "log_softmax_jacobian",
]


def _arr(x, func):
    """Any real array, empty included; NaN is refused (+-inf is fine where there is a limit)."""
    x = as_float_array(x, "x", func, allow_empty=True)
    check_no_nan(x, "x", func)
    return x


def _rows(x, axis, func):
    """``x`` for a softmax along ``axis``: that axis exists, is not empty, and no slice along it
    is all -inf (whose softmax, 0 / 0, is undefined). Returns x and its maxima along the axis."""
    x = _arr(x, func)
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{func}: axis must be an integer, got {axis!r}.")
    if x.ndim == 0 or not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"{func}: x has shape {x.shape}, which has no axis {axis}. Pass a 1-D array of scores "
            "or an (N, C) array with axis=-1."
        )
    if x.shape[axis] == 0:
        raise ValueError(
            f"{func}: x has shape {x.shape}, with no entries along axis {axis}; a softmax needs at "
            "least one score."
        )
    if x.size == 0:
        return x, np.zeros_like(x.max(axis=axis, keepdims=True, initial=0))
    m = np.max(x, axis=axis, keepdims=True)
    if not np.isfinite(m).all():
        where = first_index(~np.isfinite(m))
        raise ValueError(
            f"{func}: the scores at {where} (axis {axis}) have maximum {float(m[where])}; +inf, or "
            "-inf for every class, has no softmax. Scores must be finite, with -inf allowed only "
            "for some classes."
        )
    return x, m


def step(x):
    """The step function: 1 where ``x > 0``, else 0.

    Examples
    --------
    >>> step([-1.0, 0.0, 2.0])
    array([0., 0., 1.])
    """
    x = _arr(x, "step")
    return (x > 0).astype(x.dtype)


def step_derivative(x):
    """The step function's slope: 0 everywhere.

    At ``x = 0`` the step function jumps and has no derivative; like every framework we return 0
    there too. This is the point of chapter 5: a zero slope tells gradient descent nothing.

    Examples
    --------
    >>> step_derivative([-1.0, 0.0, 2.0])
    array([0., 0., 0.])
    """
    x = _arr(x, "step_derivative")
    return np.zeros_like(x)


def sigmoid(x):
    """The logistic sigmoid 1 / (1 + exp(-x)), stable for any ``x``.

    For ``x < 0`` it uses exp(x) / (1 + exp(x)), so exp never overflows.

    Examples
    --------
    >>> sigmoid([0.0, 1000.0, -1000.0])
    array([0.5, 1. , 0. ])
    """
    return _sigmoid(_arr(x, "sigmoid"))


def _sigmoid(x):
    # 1 / (1 + exp(-x)) for x >= 0 and exp(x) / (1 + exp(x)) for x < 0, as one expression: the
    # numerator exp(min(x, 0)) is 1 or exp(x). The same numbers as np.where(x >= 0, ...), without
    # its per-element branch, which costs about 10 ns an element on random signs.
    return np.exp(np.minimum(x, 0)) / (1 + np.exp(-np.abs(x)))


def sigmoid_derivative(x):
    """sigmoid(x) * (1 - sigmoid(x)); never exactly zero for finite, moderate ``x``.

    Examples
    --------
    >>> float(sigmoid_derivative([0.0])[0])
    0.25
    """
    s = _sigmoid(_arr(x, "sigmoid_derivative"))
    return s * (1 - s)


def tanh(x):
    """The hyperbolic tangent.

    Examples
    --------
    >>> tanh([0.0])
    array([0.])
    """
    return np.tanh(_arr(x, "tanh"))


def tanh_derivative(x):
    """The derivative of tanh, ``1 - tanh(x)**2``.

    Examples
    --------
    >>> tanh_derivative([0.0])
    array([1.])
    """
    t = np.tanh(_arr(x, "tanh_derivative"))
    return 1 - t * t


def relu(x):
    """The rectified linear unit max(x, 0).

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    x = _arr(x, "relu")
    return np.maximum(x, 0)


def relu_derivative(x):
    """1 where ``x > 0``, else 0 (0 at ``x = 0``, as in PyTorch).

    Examples
    --------
    >>> relu_derivative([-2.0, 0.0, 3.0])
    array([0., 0., 1.])
    """
    x = _arr(x, "relu_derivative")
    return (x > 0).astype(x.dtype)


def log_softmax(x, axis: int = -1):
    """log(softmax(x)) computed as x - logsumexp(x): exact even for huge logits.

    Examples
    --------
    >>> log_softmax([1000.0, 0.0, -1000.0]).round(4)
    array([    0., -1000., -2000.])
    """
    x, m = _rows(x, axis, "log_softmax")
    return log_softmax_given_max(x, m, axis)


def softmax(x, axis: int = -1):
    """exp(x) / sum(exp(x)) along ``axis``, with the maximum subtracted first so exp cannot overflow.

    Examples
    --------
    >>> softmax([1.0, 1.0])
    array([0.5, 0.5])
    >>> softmax([1000.0, 0.0])
    array([1., 0.])
    """
    return _softmax(x, axis, "softmax")


def _softmax(x, axis, func):
    x, m = _rows(x, axis, func)
    return softmax_given_max(x, m, axis)


# The one softmax and log-softmax of the package (losses and gradients use them too): x - m with
# m the finite maxima along ``axis``, so no exp overflows and the largest term is exp(0) = 1.


def _shifted(x, m):
    with np.errstate(over="ignore"):  # a gap beyond the float range is -inf: exp gives 0
        return x - m


def softmax_given_max(x, m, axis=-1):
    """softmax(x) along ``axis``, given the (finite) maxima ``m`` of x along it (keepdims)."""
    e = np.exp(_shifted(x, m))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax_given_max(x, m, axis=-1):
    """log_softmax(x) = (x - m) - log(sum(exp(x - m))) along ``axis``, given the maxima ``m``."""
    shifted = _shifted(x, m)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_sum_exp(x, axis=-1):
    """log(sum(exp(x))) along ``axis`` (removed), stable: m + log(sum(exp(x - m))) with m the
    maximum, so no exp overflows. Where every entry is -inf (every probability 0) the result is
    -inf; +inf and NaN are the caller's to refuse."""
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(m > -np.inf, m, 0).astype(x.dtype, copy=False)  # all -inf: exp(-inf) = 0
    with np.errstate(divide="ignore"):  # log(0) = -inf, exact
        return np.squeeze(m, axis) + np.log(np.sum(np.exp(_shifted(x, m)), axis=axis))


def softmax_jacobian(x):
    """d softmax(x)_i / d x_j = s_i (delta_ij - s_j), over the last axis: shape (..., C, C).

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    s = _softmax(x, -1, "softmax_jacobian")
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    return s[..., :, None] * eye - s[..., :, None] * s[..., None, :]


def log_softmax_jacobian(x):
    """d log_softmax(x)_i / d x_j = delta_ij - s_j, over the last axis: shape (..., C, C).

    Examples
    --------
    >>> log_softmax_jacobian([0.0, 0.0])
    array([[ 0.5, -0.5],
           [-0.5,  0.5]])
    """
    s = _softmax(x, -1, "log_softmax_jacobian")
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    return eye - s[..., None, :]


def _identity(x):
    return x


def _identity_derivative(x):
    return np.ones_like(x)


#: The one table of activations by name, for layers (``Dense(..., activation="relu")``) and the
#: self-checks: (function, derivative). Softmax mixes a row's outputs, so its derivative is a
#: Jacobian (:func:`softmax_jacobian`), not an elementwise function: None here.
ACTIVATIONS = {
    "identity": (_identity, _identity_derivative),
    "step": (step, step_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "softmax": (softmax, None),
}
