"""A tiny fully connected network in numpy: weights, bias, weighted sum, activation.

``Dense`` stores its weight as (out_features, in_features), exactly like ``torch.nn.Linear``, so
weights copied from torch give the same numbers here.
"""

from __future__ import annotations

import numpy as np

from . import _params
from . import activations as _act
from ._validation import as_float_array, check_finite, check_positive_number

__all__ = ["Dense", "MLP"]

_ACTIVATIONS = _act.ACTIVATIONS


def _check_activation(name, func="Dense", param="activation"):
    if not isinstance(name, str):
        raise TypeError(f"{func}: {param} must be the name of an activation, one of "
                        f"{sorted(_ACTIVATIONS)}, got {type(name).__name__} {name!r}.")
    if name not in _ACTIVATIONS:
        raise ValueError(
            f"{func}: unknown {param} {name!r}; choose one of {sorted(_ACTIVATIONS)}."
        )
    return name


class Dense:
    """One fully connected layer: ``activation(x @ weight.T + bias)``.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of the layer's input and output.
    activation : str
        "identity", "step", "sigmoid", "tanh", "relu" or "softmax".
    bias : bool
        Whether the layer adds a bias (a layer without one cannot shift its output).
    rng : numpy.random.Generator
        Where the initial weights come from: U(-1/sqrt(in), 1/sqrt(in)), torch's default range.

    Examples
    --------
    >>> layer = Dense.from_weights([[1.0, -1.0]], [0.5], activation="relu")
    >>> layer([[3.0, 1.0]])
    array([[2.5]])
    >>> layer.num_parameters()
    3
    """

    def __init__(self, in_features, out_features, *, activation="identity", bias=True, rng):
        rng = _params.generator(rng, "Dense")
        in_features = _params.integer(in_features, "in_features", "Dense", low=1)
        out_features = _params.integer(out_features, "out_features", "Dense", low=1)
        bias = _params.flag(bias, "bias", "Dense")
        bound = 1 / np.sqrt(in_features)
        self.weight = rng.uniform(-bound, bound, size=(out_features, in_features))
        self.bias = rng.uniform(-bound, bound, size=out_features) if bias else None
        self.activation = _check_activation(activation)
        self.grad_weight = self.grad_bias = None
        self.weighted_sum = self._input = None

    @classmethod
    def from_weights(cls, weight, bias=None, *, activation="identity"):
        """A layer with this weight, shape (out_features, in_features), and bias (out_features,)."""
        layer = cls.__new__(cls)
        layer.weight = as_float_array(weight, "weight", "Dense.from_weights").astype(np.float64)
        check_finite(layer.weight, "weight", "Dense.from_weights")
        if layer.weight.ndim != 2:
            raise ValueError(
                f"Dense.from_weights: weight must be 2-D (out_features, in_features), "
                f"got shape {layer.weight.shape}."
            )
        if bias is not None:
            bias = as_float_array(bias, "bias", "Dense.from_weights").astype(np.float64)
            check_finite(bias, "bias", "Dense.from_weights")
            if bias.shape != (layer.weight.shape[0],):
                raise ValueError(
                    f"Dense.from_weights: bias has shape {bias.shape}; with weight of shape "
                    f"{layer.weight.shape} it needs shape ({layer.weight.shape[0]},)."
                )
        layer.bias = bias
        layer.activation = _check_activation(activation)
        layer.grad_weight = layer.grad_bias = None
        layer.weighted_sum = layer._input = None
        return layer

    @property
    def in_features(self):
        return self.weight.shape[1]

    @property
    def out_features(self):
        return self.weight.shape[0]

    def forward(self, x):
        """Weighted sum, plus bias, through the activation; remembers what backward needs."""
        x = as_float_array(x, "x", "Dense.forward").astype(np.float64, copy=False)
        check_finite(x, "x", "Dense.forward")
        if x.ndim not in (1, 2) or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Dense.forward: x has shape {x.shape}, but the layer takes {self.in_features} "
                f"inputs: pass shape ({self.in_features},) or (N, {self.in_features})."
            )
        z = x @ self.weight.T
        if self.bias is not None:
            z = z + self.bias
        self._input, self.weighted_sum = x, z
        return _ACTIVATIONS[self.activation][0](z)

    __call__ = forward

    def backward(self, grad_out):
        """Given d loss / d output, set grad_weight and grad_bias and return d loss / d input."""
        if self.weighted_sum is None:
            raise RuntimeError("Dense.backward: call forward first.")
        grad_out = as_float_array(grad_out, "grad_out", "Dense.backward").astype(np.float64)
        check_finite(grad_out, "grad_out", "Dense.backward")
        if grad_out.shape != self.weighted_sum.shape:
            raise ValueError(
                f"Dense.backward: grad_out has shape {grad_out.shape}, but the layer's last output "
                f"had shape {self.weighted_sum.shape}: pass d loss / d output, one entry per output."
            )
        derivative = _ACTIVATIONS[self.activation][1]
        if derivative is None:
            # softmax mixes a row's outputs, so its derivative is a Jacobian, not elementwise;
            # the product with grad_out is s * (g - sum_k g_k s_k) for each row.
            s = _act.softmax(self.weighted_sum)
            grad_z = s * (grad_out - (grad_out * s).sum(axis=-1, keepdims=True))
        else:
            grad_z = grad_out * derivative(self.weighted_sum)
        x2, g2 = np.atleast_2d(self._input), np.atleast_2d(grad_z)
        self.grad_weight = g2.T @ x2
        self.grad_bias = g2.sum(axis=0) if self.bias is not None else None
        return grad_z @ self.weight

    def num_parameters(self):
        """Weights plus biases."""
        return self.weight.size + (0 if self.bias is None else self.bias.size)

    def __repr__(self):
        return (f"Dense(in_features={self.in_features}, out_features={self.out_features}, "
                f"activation={self.activation!r}, bias={self.bias is not None})")


class MLP:
    """Layers applied in order, like ``torch.nn.Sequential``.

    Examples
    --------
    >>> net = MLP.from_sizes([2, 3, 1], rng=np.random.default_rng(0))
    >>> net
    MLP(
      (0): Dense(in_features=2, out_features=3, activation='relu', bias=True)
      (1): Dense(in_features=3, out_features=1, activation='identity', bias=True)
    )
    >>> net.num_parameters()
    13
    >>> net(np.zeros((4, 2))).shape
    (4, 1)
    """

    def __init__(self, layers):
        self.layers = list(layers)
        for a, b in zip(self.layers, self.layers[1:], strict=False):
            if a.out_features != b.in_features:
                raise ValueError(
                    f"MLP: a layer with {a.out_features} outputs is followed by one that takes "
                    f"{b.in_features} inputs; the sizes must chain."
                )

    @classmethod
    def from_sizes(cls, sizes, *, activation="relu", output_activation="identity", rng):
        """Layers of the given sizes, e.g. [2, 3, 1]: hidden layers use ``activation``."""
        func = "MLP.from_sizes"
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
            raise TypeError(f"{func}: sizes must be a list of layer widths, e.g. [2, 3, 1], "
                            f"got {type(sizes).__name__} {sizes!r}.")
        sizes = [_params.integer(size, f"sizes[{i}]", func, low=1,
                                 hint="Each size is a number of units, e.g. [2, 3, 1].")
                 for i, size in enumerate(sizes)]
        if len(sizes) < 2:
            raise ValueError(f"{func}: need at least an input and an output size, got {sizes}.")
        _params.generator(rng, func)
        _check_activation(activation, func, "activation")
        _check_activation(output_activation, func, "output_activation")
        acts = [activation] * (len(sizes) - 2) + [output_activation]
        return cls(Dense(i, o, activation=a, rng=rng)
                   for i, o, a in zip(sizes[:-1], sizes[1:], acts, strict=True))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    __call__ = forward

    def backward(self, grad_out):
        """Backpropagate d loss / d output through every layer; returns d loss / d input."""
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def sgd_step(self, lr):
        """Move every parameter against its gradient: p <- p - lr * grad."""
        lr = check_positive_number(lr, "lr", "MLP.sgd_step")
        for layer in self.layers:
            if layer.grad_weight is None:
                raise RuntimeError("MLP.sgd_step: call backward first.")
            layer.weight -= lr * layer.grad_weight
            if layer.bias is not None:
                layer.bias -= lr * layer.grad_bias

    def num_parameters(self):
        return sum(layer.num_parameters() for layer in self.layers)

    def __repr__(self):
        lines = [f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers)]
        return "MLP(\n" + "\n".join(lines) + "\n)"
