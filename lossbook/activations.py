"""Activation functions and their derivatives, computed without overflow.

Each function takes an array (or anything ``np.asarray`` reads as numbers) and returns an array
of the same shape; float32 stays float32, everything else is computed in float64.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array

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
    return as_float_array(x, "x", func, allow_empty=True)


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
    x = _arr(x, "sigmoid")
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(x):
    """sigmoid(x) * (1 - sigmoid(x)); never exactly zero for finite, moderate ``x``.

    Examples
    --------
    >>> float(sigmoid_derivative([0.0])[0])
    0.25
    """
    s = sigmoid(x)
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
    """1 - tanh(x)**2.

    Examples
    --------
    >>> tanh_derivative([0.0])
    array([1.])
    """
    t = tanh(x)
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
    x = _arr(x, "log_softmax")
    m = np.max(x, axis=axis, keepdims=True)
    shifted = x - m
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(x, axis: int = -1):
    """exp(x) / sum(exp(x)) along ``axis``, with the maximum subtracted first so exp cannot overflow.

    Examples
    --------
    >>> softmax([1.0, 1.0])
    array([0.5, 0.5])
    >>> softmax([1000.0, 0.0])
    array([1., 0.])
    """
    x = _arr(x, "softmax")
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(x):
    """d softmax(x)_i / d x_j = s_i (delta_ij - s_j), over the last axis: shape (..., C, C).

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    s = softmax(x)
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
    s = softmax(x)
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    return eye - s[..., None, :]
