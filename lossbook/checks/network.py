"""Self-checks for the exercises on the structure of a network (chapter "ch-network-structure").

Each check builds its ``Problem`` (see ``lossbook.checks._judge``) from the exercise's inputs:
the right answer and the usual wrong turns (forgot the bias, forgot the activation, transposed
the weight matrix, counted the weights but not the biases, flipped the sign of the gradient, ...)
so the hint can name the mistake rather than just say "wrong".

Weights follow torch's ``nn.Linear`` layout: ``weight`` has shape (out_features, in_features),
so a layer computes ``activation(x @ weight.T + bias)`` for a batch ``x`` of shape (N, in).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .._i18n import _
from ..activations import ACTIVATIONS, relu
from ._answers import as_array, as_number, fmt
from ._judge import Mistake, Problem
from ._registry import check, example

# Inputs of the examples below.
_X = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0], [2.0, 2.0, -1.0], [-1.0, 0.0, 1.0]])
_W = np.array([[0.5, -1.0, 0.2], [1.0, 0.3, -0.4], [-0.6, 0.1, 0.9]])

# The exercises' activations, from the package's one table (softmax is no neuron's activation here).
_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    name: ACTIVATIONS[name][0] for name in ("identity", "relu", "sigmoid", "tanh", "step")
}


def _activation(name) -> Callable[[np.ndarray], np.ndarray]:
    if name not in _ACTIVATIONS:
        raise ValueError(f"activation={name!r} is not one of {sorted(_ACTIVATIONS)}")
    return _ACTIVATIONS[name]


def _other_activations(z: np.ndarray, activation: str) -> list[Mistake]:
    """Wrong turns: the right weighted sum passed through another activation.

    Activations that agree here (relu and step of a negative z are both 0) share one mistake,
    and one that leaves z as it is (relu of a positive z) is left to the "no activation" mistake.
    """
    groups: list[tuple[np.ndarray, list[str]]] = []
    for name, func in _ACTIVATIONS.items():
        if name in (activation, "identity"):
            continue
        value = func(z)
        if np.array_equal(value, z):
            continue
        for seen, names in groups:
            if np.array_equal(seen, value):
                names.append(name)
                break
        else:
            groups.append((value, [name]))
    return [
        Mistake(
            value,
            _(
                "that is the weighted sum passed through {0} instead."
            ).format(", ".join(f"lb.{n}" for n in names)),
            _("this exercise uses activation={activation!r}; apply lb.{activation}.").format(
                activation=activation
            ),
        )
        for value, names in groups
    ]


@check(
    examples=[
        example([0.5, -1.0, 2.0], [0.8, 0.2, -0.5], 0.3, activation="sigmoid"),
        example([1.0, 2.0], [0.7, 0.4], -0.3, activation="tanh"),
    ]
)
def check_neuron_output(answer, x, w, b, *, activation: str = "sigmoid") -> Problem:
    """Check the output of one neuron, ``activation(w · x + b)``.

    Parameters
    ----------
    answer : float or None
        The learner's output of the neuron.
    x, w : array-like of shape (n,)
        The inputs and the weights of the neuron.
    b : float
        The bias.
    activation : {"identity", "step", "sigmoid", "tanh", "relu"}
        The activation function of the neuron.

    Returns
    -------
    Verdict
        Whether the answer is right, usable as a bool (a message is printed either way).

    Examples
    --------
    >>> check_neuron_output(0.5, [1.0, 2.0], [0.5, -0.25], 0.0)
    Correct: the weighted sum is 0.0000 and the neuron outputs 0.5000.
    True
    """
    act = _activation(activation)
    x, w, b = as_array(x, "x"), as_array(w, "w"), as_number(b, "b")
    if x.ndim != 1 or x.shape != w.shape:
        raise ValueError(f"x and w must be vectors of one length; got {x.shape} and {w.shape}")
    weighted = float(w @ x)
    z = weighted + b
    right = float(act(np.float64(z)))
    recipe = _("compute z = w @ x + b, then apply lb.{activation}(z).").format(activation=activation)
    return Problem(
        right=right,
        what=_("the neuron's output"),
        idea=_("revisit the two steps of a neuron: the weighted sum, then the activation."),
        recipe=recipe,
        near=2e-3,
        correct=_("the weighted sum is {z:.4f} and the neuron outputs {right:.4f}.").format(z=z, right=right),
        mistakes=[
            Mistake(
                act(np.float64(weighted)),
                _("your value is the output without the bias."),
                _("the weighted sum is w · x + b: add the bias before the activation."),
            ),
            Mistake(
                z,
                _("your value is the weighted sum z = w · x + b itself."),
                _("a neuron passes z through its activation function: apply lb.{activation} to z.").format(
                    activation=activation
                ),
            ),
            Mistake(
                weighted,
                _("your value is w · x: no bias and no activation."),
                _("add the bias b, then apply lb.{activation}.").format(activation=activation),
            ),
            Mistake(
                act(np.float64(weighted - b)),
                _("your value subtracts the bias."),
                _("the bias is added: z = w · x + b."),
            ),
            Mistake(
                act(np.float64(weighted)) + b,
                _("your value adds the bias after the activation."),
                _("add the bias to the weighted sum, then apply the activation to the total."),
            ),
            Mistake(
                act(w * x + b) if x.size > 1 else None,
                _("your answer is one number per input: the products were not summed."),
                _("the weighted sum adds up the products w_i * x_i: use w @ x (or np.sum(w * x))."),
            ),
            Mistake(
                1 / (1 + np.exp(z)) if activation == "sigmoid" else None,
                _("your value is 1 - sigmoid(z): the sign in the exponent is flipped."),
                _("sigmoid(z) = 1 / (1 + exp(-z)), with a minus in the exponent."),
            ),
            *_other_activations(np.float64(z), activation),
        ],
    )


@check(examples=[example([4, 8, 8, 3]), example([3, 5, 2])])
def check_parameter_count(answer, layer_sizes: Sequence[int]) -> Problem:
    """Check the number of parameters of a fully connected network with biases.

    Parameters
    ----------
    answer : int or None
        The learner's count.
    layer_sizes : sequence of int
        Neurons per layer, input layer first: ``[4, 8, 3]`` is 4 inputs, one hidden layer of
        8 neurons and 3 outputs. Every layer after the input has a bias per neuron.

    Examples
    --------
    >>> check_parameter_count(13, [2, 3, 1])
    Correct: 13 parameters (9 weights and 4 biases).
    True
    >>> check_parameter_count(9, [2, 3, 1])
    Not yet: 9 is the number of weights alone.
    Hint: every neuron after the input layer also has one bias: add out_features per layer.
    False
    """
    sizes = as_array(layer_sizes, "layer_sizes")
    if sizes.ndim != 1 or sizes.size < 2 or np.any(sizes < 1) or np.any(sizes != np.round(sizes)):
        raise ValueError(
            f"layer_sizes={sizes.tolist()} needs at least two positive whole sizes (inputs and outputs)"
        )
    sizes = [int(s) for s in sizes]
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    weights = sum(i * o for i, o in pairs)
    biases = sum(o for _, o in pairs)
    right = weights + biases
    recipe = _("per layer: in_features * out_features weights plus out_features biases; add up the layers.")

    def count(a: np.ndarray):
        value = float(a)
        if value != round(value):
            return _("{0} is not a whole number.").format(fmt(value)), recipe
        return _("{0} is {1}.").format(int(value), "too few" if value < right else "too many"), recipe

    last = sum(i * o + o for i, o in pairs[:-1])
    return Problem(
        right=right,
        what=_("the number of parameters"),
        rtol=0.0,
        atol=1e-9,
        near=None,
        diagnose=count,
        idea=_("count layer by layer: one weight per connection, one bias per neuron that receives them."),
        recipe=recipe,
        correct=_("{right} parameters ({weights} weights and {biases} biases).").format(
            right=right, weights=weights, biases=biases
        ),
        mistakes=[
            Mistake(
                weights,
                _("{weights} is the number of weights alone.").format(weights=weights),
                _("every neuron after the input layer also has one bias: add out_features per layer."),
            ),
            Mistake(
                right + sizes[0],
                _("{0} gives the input layer biases too.").format(right + sizes[0]),
                _("the input layer only holds the data; biases belong to the layers that compute."),
            ),
            Mistake(
                sum(sizes),
                _("{0} is the number of neurons, not of parameters.").format(sum(sizes)),
                _("count the connections between consecutive layers (in * out) plus one bias per neuron."),
            ),
            Mistake(
                weights + sum(i for i, _ in pairs),
                _("{0} gives one bias per input of each layer.").format(weights + sum((i for i, _ in pairs))),
                _("a layer has one bias per output neuron: out_features biases, not in_features."),
            ),
            Mistake(
                last if len(pairs) > 1 else None,
                _("{last} leaves out the last layer (the output layer).").format(last=last),
                _("the output layer has weights and biases too."),
            ),
            Mistake(
                int(np.prod(sizes)),
                _("{0} multiplies all layer sizes together.").format(int(np.prod(sizes))),
                _("layers are connected only to their neighbours: add in * out over consecutive pairs."),
            ),
        ],
    )


def _forward(x, weights, biases, activations, *, transpose=()):
    """Forward pass; layer k uses weights[k].T when k is in ``transpose``. None if shapes clash."""
    h = x
    for k, (w, b, act) in enumerate(zip(weights, biases, activations, strict=True)):
        w = w.T if k in transpose else w
        if h.shape[-1] != w.shape[1]:
            return None
        z = h @ w.T
        h = act(z if b is None else z + b)
    return h


def _layer(weight, bias, name="weight"):
    w, b = as_array(weight, name), as_array(bias, "bias")
    if w.ndim != 2 or b.shape != (w.shape[0],):
        raise ValueError(
            f"{name} must be (out_features, in_features) and its bias "
            f"(out_features,); got {w.shape} and {b.shape}"
        )
    return w, b


@check(examples=[example(_X, _W, [0.1, -0.2, 0.3], activation="relu")])
def check_layer_output(answer, x, weight, bias, *, activation: str = "relu") -> Problem:
    """Check a dense layer on a batch: ``activation(x @ weight.T + bias)``.

    Parameters
    ----------
    answer : array-like of shape (N, out_features) or None
        The learner's layer output.
    x : array-like of shape (N, in_features)
        A batch of inputs, one row per example.
    weight : array-like of shape (out_features, in_features)
        The weight matrix in torch's ``nn.Linear`` layout.
    bias : array-like of shape (out_features,)
        One bias per output neuron.
    activation : {"identity", "step", "sigmoid", "tanh", "relu"}

    Examples
    --------
    >>> check_layer_output([[1.0, 0.0]], [[1.0, 2.0]], [[1.0, 0.0], [0.0, -1.0]], [0.0, 0.0])
    Correct: the layer maps a (1, 2) batch to a (1, 2) output.
    True
    """
    act = _activation(activation)
    x = as_array(x, "x")
    weight, bias = _layer(weight, bias)
    if x.ndim != 2 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"x must be (N, {weight.shape[1]}); got {x.shape}")
    z = x @ weight.T + bias
    right = act(z)
    recipe = _("compute lb.{activation}(x @ weight.T + bias): one row per example.").format(
        activation=activation
    )
    return Problem(
        right=right,
        what=_("the layer's output"),
        idea=_(
            "revisit the layer in batch form: every row of x goes through the same weights, bias and "
            "activation."
        ),
        recipe=recipe,
        near=2e-3,
        correct=_("the layer maps a {0} batch to a {1} output.").format(x.shape, right.shape),
        mistakes=[
            Mistake(
                act(x @ weight + bias) if weight.shape[0] == weight.shape[1] else None,
                _("your output is what x @ weight gives: the weight matrix is used transposed."),
                _(
                    "weight has shape (out_features, in_features), as in torch's nn.Linear: compute x "
                    "@ weight.T + bias."
                ),
            ),
            Mistake(
                act(x @ weight.T),
                _("your output leaves out the bias."),
                _("add the bias (one per output neuron) to x @ weight.T before the activation."),
            ),
            Mistake(
                z,
                _("your output is the weighted sum, before the activation."),
                _("apply lb.{activation} to x @ weight.T + bias.").format(activation=activation),
            ),
            Mistake(
                x @ weight.T,
                _("your output has neither bias nor activation."),
                _("add the bias, then apply lb.{activation}.").format(activation=activation),
            ),
            Mistake(
                act(x @ weight.T) + bias,
                _("your output adds the bias after the activation."),
                _("add the bias to the weighted sum, then apply the activation."),
            ),
            Mistake(
                right.T,
                _("your output is transposed: one row per output neuron."),
                _("keep one row per example: x @ weight.T has shape (N, out_features)."),
            ),
            *_other_activations(z, activation),
        ],
    )


@check(
    examples=[
        example(
            _X,
            [
                np.array([[0.2, -0.4, 0.6], [-0.3, 0.8, 0.1], [0.5, 0.5, -0.5]]),
                np.array([[1.0, -1.0, 0.5], [0.3, 0.7, -0.2]]),
            ],
            [np.array([0.0, 0.1, -0.1]), np.array([0.05, -0.05])],
            activation="tanh",
        )
    ]
)
def check_mlp_output(answer,
    x, weights: Sequence, biases: Sequence, *, activation: str = "relu", output_activation: str = "identity"
) -> Problem:
    """Check the forward pass of a multilayer perceptron.

    Parameters
    ----------
    answer : array-like or None
        The learner's network output.
    x : array-like of shape (in_features,) or (N, in_features)
        The input (one example or a batch).
    weights : sequence of array-like, each (out_features, in_features)
        The weight matrices, first layer first, in torch's ``nn.Linear`` layout.
    biases : sequence of array-like, each (out_features,)
        The biases, one array per layer.
    activation : {"identity", "step", "sigmoid", "tanh", "relu"}
        Activation of every hidden layer.
    output_activation : {"identity", "step", "sigmoid", "tanh", "relu"}
        Activation of the output layer.

    Examples
    --------
    >>> check_mlp_output([2.0], [1.0, -1.0], [[[1.0, 0.0], [0.0, 1.0]], [[2.0, 3.0]]],
    ...                  [[0.0, 0.0], [0.0]])
    Correct: the network outputs [2.].
    True
    """
    hidden, out = _activation(activation), _activation(output_activation)
    x = as_array(x, "x")
    if (
        isinstance(weights, np.ndarray)
        or isinstance(biases, np.ndarray)
        or len(weights) != len(biases)
        or not len(weights)
    ):
        raise ValueError("pass weights and biases as lists with one entry per layer")
    layers = [_layer(w, b, f"weights[{k}]") for k, (w, b) in enumerate(zip(weights, biases, strict=True))]
    weights, biases = [w for w, _ in layers], [b for _, b in layers]
    n = len(weights)
    acts = [hidden] * (n - 1) + [out]
    right = _forward(x, weights, biases, acts)
    if right is None:
        raise ValueError(
            "the weight shapes do not chain: each in_features must equal the previous out_features"
        )
    square = tuple(k for k, w in enumerate(weights) if w.shape[0] == w.shape[1])
    recipe = _(
        "layer by layer: h = lb.{activation}(h @ W.T + b) for the hidden layers, then the "
        "output layer with {output_activation!r}."
    ).format(activation=activation, output_activation=output_activation)
    return Problem(
        right=right,
        what=_("the network's output"),
        idea=_(
            "follow the network layer by layer: which layers apply the activation, and how each weight "
            "matrix is used."
        ),
        recipe=recipe,
        near=2e-3,
        correct=(
            _("the network outputs {0}.").format(fmt(right))
            if right.size <= 4
            else _("the network maps a {0} input to a {1} output.").format(x.shape, right.shape)
        ),
        mistakes=[
            Mistake(
                _forward(x, weights, biases, [_ACTIVATIONS["identity"]] * (n - 1) + [out]) if n > 1 else None,
                _("your output is what the network gives without its hidden activations."),
                _(
                    "apply lb.{activation} after every hidden layer; without it the layers collapse "
                    "into one linear map."
                ).format(activation=activation),
            ),
            Mistake(
                _forward(x, weights, [None] * n, acts),
                _("your output leaves out the biases."),
                _("every layer adds its bias to x @ weight.T before the activation."),
            ),
            Mistake(
                _forward(x, weights, biases, [hidden] * n) if activation != output_activation else None,
                _("your output applies {activation} to the output layer too.").format(activation=activation),
                _("the output layer here uses {output_activation!r}, not {activation!r}.").format(
                    output_activation=output_activation, activation=activation
                ),
            ),
            Mistake(
                _forward(x, weights, biases, acts, transpose=square) if square else None,
                _("your output is what you get with a weight matrix used transposed (x @ weight)."),
                _("weight has shape (out_features, in_features): compute x @ weight.T + bias."),
            ),
            Mistake(
                _forward(x, weights[:-1], biases[:-1], acts[:-1]) if n > 1 else None,
                _("your output stops after the hidden layer(s)."),
                _("run the output layer too: the last weight matrix and bias."),
            ),
        ],
    )


@check(
    examples=[
        example(
            [2.0, -1.0],
            [1.0],
            (np.array([[0.5, -1.0], [1.5, 0.5], [-0.5, 0.25]]), np.array([[1.0, 0.5, 2.0]])),
            (np.array([0.5, -1.0, 0.25]), np.array([0.25])),
        )
    ]
)
def check_first_layer_grad(answer, x, y, weights, biases) -> Problem:
    """Check dL/dW1 for a one-hidden-layer ReLU network and the squared error of one example.

    The network is ``y_hat = W2 @ relu(W1 @ x + b1) + b2`` and the loss is ``L = sum((y_hat - y) **
    2)`` (the mean squared error when there is one output).

    Parameters
    ----------
    answer : array-like of shape (hidden, in_features) or None
        The learner's gradient of the loss with respect to ``W1``; it has ``W1``'s shape.
    x : array-like of shape (in_features,)
        One input.
    y : array-like of shape (out_features,)
        Its target.
    weights : (W1, W2)
        The two weight matrices, in torch's layout (out_features, in_features).
    biases : (b1, b2)
        The two bias vectors.

    Examples
    --------
    >>> check_first_layer_grad([[2.0, 4.0]], [1.0, 2.0], [0.0], ([[1.0, 0.0]], [[1.0]]),
    ...                        ([0.0], [0.0]))
    Correct: dL/dW1 = outer(dL/dz1, x), with dL/dz1 = [2.].
    True
    """
    x, y = as_array(x, "x"), as_array(y, "y")
    (w1, b1), (w2, b2) = (
        _layer(w, b, f"W{k + 1}") for k, (w, b) in enumerate(zip(weights, biases, strict=True))
    )
    if x.shape != (w1.shape[1],) or w2.shape[1] != w1.shape[0] or y.shape != (w2.shape[0],):
        raise ValueError(f"shapes do not chain: x {x.shape}, W1 {w1.shape}, W2 {w2.shape}, y {y.shape}")
    z1 = w1 @ x + b1
    h = relu(z1)
    g_y_hat = 2.0 * (w2 @ h + b2 - y)
    g_h = w2.T @ g_y_hat
    g_z1 = np.where(z1 > 0, g_h, 0.0)
    right = np.outer(g_z1, x)
    recipe = _(
        "forward: z1 = W1 @ x + b1, h = relu(z1), y_hat = W2 @ h + b2; backward: dL/dy_hat = 2 "
        "* (y_hat - y), dL/dh = W2.T @ dL/dy_hat, dL/dz1 = dL/dh * relu'(z1), dL/dW1 = "
        "np.outer(dL/dz1, x)."
    )
    return Problem(
        right=right,
        what="dL/dW1",
        idea=_(
            "go back one link at a time from the loss: the output first, then through W2 and the ReLU to "
            "z1."
        ),
        recipe=recipe,
        near=2e-3,
        correct=_("dL/dW1 = outer(dL/dz1, x), with dL/dz1 = {0}.").format(fmt(g_z1 + 0.0)),
        mistakes=[
            Mistake(
                right.T,
                _("your gradient is transposed."),
                _("dL/dW1 has the shape of W1, (hidden, in_features): np.outer(dL/dz1, x)."),
            ),
            Mistake(
                np.outer(g_h, x),
                _("your gradient did not go through the ReLU."),
                _("multiply dL/dh by relu'(z1): 1 where z1 > 0, 0 where the neuron was silent."),
            ),
            Mistake(
                right / 2,
                _("your gradient is half the right size: the factor 2 is missing."),
                _("the derivative of (y_hat - y)**2 with respect to y_hat is 2 * (y_hat - y)."),
            ),
            Mistake(
                -right,
                _("your gradient has the wrong sign."),
                _("use y_hat - y (prediction minus target): dL/dy_hat = 2 * (y_hat - y)."),
            ),
            Mistake(
                np.outer(g_h * h, x),
                _("you multiplied by relu(z1) instead of its derivative."),
                _("ReLU's derivative is 1 where z1 > 0 and 0 elsewhere, not the value relu(z1)."),
            ),
            Mistake(
                g_z1,
                _("that is dL/dz1 (which is also dL/db1), not dL/dW1."),
                _("one more step: the weight W1[j, i] multiplies x[i], so dL/dW1 = np.outer(dL/dz1, x)."),
            ),
            Mistake(
                np.outer(g_y_hat, h),
                _("that is dL/dW2, the gradient of the output layer."),
                _("keep going back: through W2 (W2.T @ dL/dy_hat), through ReLU, then outer with x."),
            ),
            Mistake(
                np.outer(g_z1, h) if h.shape == x.shape else None,
                _("you used the hidden values h where the input x belongs."),
                _("W1 multiplies the input x, so dL/dW1 = np.outer(dL/dz1, x)."),
            ),
        ],
    )
