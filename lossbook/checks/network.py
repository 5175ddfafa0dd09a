"""Self-checks for the exercises on the structure of a network (chapter "ch-network-structure").

Each check recomputes the reference answer from the exercise's inputs, compares the learner's
answer with it and, when they differ, tries the usual wrong turns one by one (forgot the bias,
forgot the activation, transposed the weight matrix, counted the weights but not the biases,
flipped the sign of the gradient, ...) so the hint can name the mistake rather than just say "wrong".

Weights follow torch's ``nn.Linear`` layout: ``weight`` has shape (out_features, in_features),
so a layer computes ``activation(x @ weight.T + bias)`` for a batch ``x`` of shape (N, in).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

import numpy as np

from ..activations import relu, sigmoid, step, tanh
from ._feedback import Verdict, is_close, report

__all__ = [
    "check_neuron_output",
    "check_parameter_count",
    "check_layer_output",
    "check_mlp_output",
    "check_first_layer_grad",
]

_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "identity": lambda z: z,
    "relu": relu,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "step": step,
}

# An answer typed with a few decimals is "close"; a computed one is "exact".
_RTOL, _ATOL = 1e-5, 1e-8
_ROUNDED_RTOL = 2e-3

_NOT_ANSWERED = "you have not answered yet."


def _say(ok: bool, message: str, *, hint: str | None = None) -> Verdict:
    """``report``, with message and hint wrapped to fit a notebook's output box."""
    message = textwrap.fill(message, width=72, initial_indent=" " * 9,
                            subsequent_indent=" " * 9, break_on_hyphens=False)[9:]
    if hint:
        hint = textwrap.fill(hint, width=72, initial_indent=" " * 6,
                             subsequent_indent=" " * 6, break_on_hyphens=False)[6:]
    return report(ok, message, hint=hint)


# ----------------------------------------------------------------------------- helpers


def _activation(name: str, func: str) -> Callable[[np.ndarray], np.ndarray]:
    """The activation called ``name``; a wrong name is the exercise author's bug, so it raises."""
    if name not in _ACTIVATIONS:
        raise ValueError(
            f"{func}: activation={name!r} is not one of {sorted(_ACTIVATIONS)}."
        )
    return _ACTIVATIONS[name]


def _to_array(answer) -> np.ndarray | None:
    """The answer as a float64 array, or None if it is not numeric (never raises)."""
    if hasattr(answer, "detach"):  # a torch tensor, possibly with requires_grad
        answer = answer.detach().cpu().numpy()
    if isinstance(answer, (str, bytes, dict, set)):
        return None
    try:
        arr = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr


def _fmt(value) -> str:
    """A short, stable rendering of a number or small array for a message."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return f"{float(arr):.4f}"
    return np.array2string(arr, precision=4, suppress_small=True, separator=", ")


def _verdict(
    answer,
    expected: np.ndarray,
    wrong_turns: Sequence[tuple[np.ndarray | None, str, str]],
    *,
    what: str,
    right: str,
    start_hint: str,
    generic_hint: str,
) -> Verdict:
    """Compare an array answer with ``expected`` and name the first wrong turn it matches.

    ``wrong_turns`` holds ``(value, message, hint)``: the value a typical mistake produces,
    what to tell the learner, and how to fix it. ``None`` values (a mistake that cannot
    happen for these inputs) are skipped.
    """
    if answer is None:
        return _say(False, _NOT_ANSWERED, hint=start_hint)
    arr = _to_array(answer)
    if arr is None:
        return _say(
            False,
            f"{what} should be a number or an array of numbers, not {type(answer).__name__}.",
            hint=start_hint,
        )
    expected = np.asarray(expected, dtype=np.float64)
    if is_close(arr, expected, rtol=_RTOL, atol=_ATOL):
        return _say(True, right)
    for value, message, hint in wrong_turns:
        if value is None:
            continue
        value = np.asarray(value, dtype=np.float64)
        if is_close(value, expected, rtol=_RTOL, atol=_ATOL):
            continue  # this mistake happens to give the right answer here
        if is_close(arr, value, rtol=_RTOL, atol=_ATOL):
            return _say(False, message, hint=hint)
    if arr.shape != expected.shape:
        hint = generic_hint
        if arr.ndim == 2 and arr.shape == expected.shape[::-1]:
            hint = (
                "your answer looks transposed: one row per example, one column per output "
                "neuron. Compute x @ weight.T, not weight @ x.T."
            )
        return _say(
            False,
            f"{what} has shape {arr.shape}, but the exercise needs shape {expected.shape}.",
            hint=hint,
        )
    if not np.all(np.isfinite(arr)):
        return _say(False, f"{what} contains nan or inf.", hint=generic_hint)
    if is_close(arr, expected, rtol=_ROUNDED_RTOL, atol=1e-4):
        return _say(
            False,
            f"{what} {_fmt(arr)} is close but not within a relative 1e-5.",
            hint="did you round or type the numbers by hand? Pass the value your code computed.",
        )
    return _say(False, f"{what} {_fmt(arr)} is not the expected value.", hint=generic_hint)


def _other_activations(z: np.ndarray, activation: str) -> list[tuple[np.ndarray, str, str]]:
    """Wrong turns: the right weighted sum passed through another activation."""
    turns = []
    for name, func in _ACTIVATIONS.items():
        if name in (activation, "identity"):
            continue
        turns.append(
            (
                func(z),
                f"that is the {name} of the weighted sum.",
                f"this exercise uses activation={activation!r}; apply lb.{activation}.",
            )
        )
    return turns


# ----------------------------------------------------------------------------- checks


def check_neuron_output(answer, x, w, b, *, activation: str = "sigmoid") -> Verdict:
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
    act = _activation(activation, "check_neuron_output")
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    b = float(b)
    weighted = float(w @ x)
    z = weighted + b
    expected = act(np.float64(z))
    turns = [
        (act(np.float64(weighted)), "your value is the output without the bias.",
         "the weighted sum is w · x + b: add the bias before the activation."),
        (np.float64(z), "your value is the weighted sum z = w · x + b itself.",
         f"a neuron passes z through its activation function: apply lb.{activation} to z."),
        (np.float64(weighted), "your value is w · x: no bias and no activation.",
         f"add the bias b, then apply lb.{activation}."),
        (act(np.float64(weighted - b)), "your value subtracts the bias.",
         "the bias is added: z = w · x + b."),
        (act(np.float64(weighted)) + b, "your value adds the bias after the activation.",
         "add the bias to the weighted sum, then apply the activation to the total."),
        (act(w * x + b), "your answer is one number per input: the products were not summed.",
         "the weighted sum adds up the products w_i * x_i: use w @ x (or np.sum(w * x))."),
        *_other_activations(np.float64(z), activation),
    ]
    return _verdict(
        answer, expected, turns,
        what="your output",
        right=f"the weighted sum is {z:.4f} and the neuron outputs {float(expected):.4f}.",
        start_hint=f"compute z = w @ x + b, then apply lb.{activation}(z).",
        generic_hint=f"compute z = w @ x + b, then apply lb.{activation}(z).",
    )


def check_parameter_count(answer, layer_sizes: Sequence[int]) -> Verdict:
    """Check the number of parameters of a fully connected network with biases.

    Parameters
    ----------
    answer : int or None
        The learner's count.
    layer_sizes : sequence of int
        Neurons per layer, input layer first: ``[4, 8, 3]`` is 4 inputs, one hidden layer of
        8 neurons and 3 outputs. Every layer after the input has a bias per neuron.

    Returns
    -------
    Verdict
        Usable as a bool.

    Examples
    --------
    >>> check_parameter_count(13, [2, 3, 1])
    Correct: 13 parameters (9 weights and 4 biases).
    True
    >>> check_parameter_count(9, [2, 3, 1])
    Not yet: 9 is the number of weights alone.
    Hint: every neuron after the input layer also has one bias: add
          out_features per layer.
    False
    """
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(
            f"check_parameter_count: layer_sizes={list(layer_sizes)!r} needs at least two "
            "positive sizes (inputs and outputs)."
        )
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    weights = sum(i * o for i, o in pairs)
    biases = sum(o for _, o in pairs)
    expected = weights + biases
    start = (
        "per layer: in_features * out_features weights plus out_features biases; "
        "add up the layers."
    )
    if answer is None:
        return _say(False, _NOT_ANSWERED, hint=start)
    arr = _to_array(answer)
    if arr is None or arr.ndim != 0:
        return _say(False, "a parameter count is one whole number.", hint=start)
    value = float(arr)
    if not np.isfinite(value) or value != round(value):
        return _say(False, f"{_fmt(value)} is not a whole number.", hint=start)
    count = int(round(value))
    if count == expected:
        return _say(True, f"{expected} parameters ({weights} weights and {biases} biases).")
    turns = [
        (weights, f"{count} is the number of weights alone.",
         "every neuron after the input layer also has one bias: add out_features per layer."),
        (expected + sizes[0], f"{count} gives the input layer biases too.",
         "the input layer only holds the data; biases belong to the layers that compute."),
        (sum(sizes), f"{count} is the number of neurons, not of parameters.",
         "count the connections between consecutive layers (in * out) plus one bias per neuron."),
        (weights + sum(i for i, _ in pairs), f"{count} gives one bias per input of each layer.",
         "a layer has one bias per output neuron: out_features biases, not in_features."),
        (sum(i * o + o for i, o in pairs[:-1]),
         f"{count} leaves out the last layer (the output layer).",
         "the output layer has weights and biases too."),
        (int(np.prod(sizes)), f"{count} multiplies all layer sizes together.",
         "layers are connected only to their neighbours: add in * out over consecutive pairs."),
    ]
    for value_, message, hint in turns:
        if value_ is not None and value_ != expected and count == value_:
            return _say(False, message, hint=hint)
    direction = "too few" if count < expected else "too many"
    return _say(False, f"{count} is {direction}.", hint=start)


def _forward(x, weights, biases, activations, *, transpose=()):
    """Forward pass; layer k uses weights[k].T when k is in ``transpose``. None if shapes clash."""
    h = x
    for k, (w, b, act) in enumerate(zip(weights, biases, activations, strict=True)):
        w = w.T if k in transpose else w
        if h.shape[-1] != w.shape[1]:
            return None
        z = h @ w.T
        if b is not None:
            z = z + b
        h = act(z)
    return h


def check_layer_output(answer, x, weight, bias, *, activation: str = "relu") -> Verdict:
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

    Returns
    -------
    Verdict
        Usable as a bool.

    Examples
    --------
    >>> check_layer_output([[1.0, 0.0]], [[1.0, 2.0]], [[1.0, 0.0], [0.0, -1.0]], [0.0, 0.0])
    Correct: the layer maps a (1, 2) batch to a (1, 2) output.
    True
    """
    act = _activation(activation, "check_layer_output")
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    bias = np.asarray(bias, dtype=np.float64)
    z = x @ weight.T + bias
    expected = act(z)
    square = weight.shape[0] == weight.shape[1]
    turns = [
        (act(x @ weight + bias) if square else None,
         "your output is what x @ weight gives: the weight matrix is used transposed.",
         "weight has shape (out_features, in_features), as in torch's nn.Linear: "
         "compute x @ weight.T + bias."),
        (act(x @ weight.T), "your output leaves out the bias.",
         "add the bias (one per output neuron) to x @ weight.T before the activation."),
        (z, "your output is the weighted sum, before the activation.",
         f"apply lb.{activation} to x @ weight.T + bias."),
        (x @ weight.T, "your output has neither bias nor activation.",
         f"add the bias, then apply lb.{activation}."),
        (act(x @ weight.T) + bias, "your output adds the bias after the activation.",
         "add the bias to the weighted sum, then apply the activation."),
        (expected.T, "your output is transposed: one row per output neuron.",
         "keep one row per example: x @ weight.T has shape (N, out_features)."),
        *_other_activations(z, activation),
    ]
    return _verdict(
        answer, expected, turns,
        what="your output",
        right=f"the layer maps a {x.shape} batch to a {expected.shape} output.",
        start_hint=f"compute lb.{activation}(x @ weight.T + bias): one row per example.",
        generic_hint=f"compute lb.{activation}(x @ weight.T + bias): one row per example.",
    )


def check_mlp_output(
    answer,
    x,
    weights: Sequence,
    biases: Sequence,
    *,
    activation: str = "relu",
    output_activation: str = "identity",
) -> Verdict:
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

    Returns
    -------
    Verdict
        Usable as a bool.

    Examples
    --------
    >>> check_mlp_output([2.0], [1.0, -1.0], [[[1.0, 0.0], [0.0, 1.0]], [[2.0, 3.0]]],
    ...                  [[0.0, 0.0], [0.0]])
    Correct: the network outputs [2.].
    True
    """
    hidden = _activation(activation, "check_mlp_output")
    out = _activation(output_activation, "check_mlp_output")
    x = np.asarray(x, dtype=np.float64)
    weights = [np.asarray(w, dtype=np.float64) for w in weights]
    biases = [np.asarray(b, dtype=np.float64) for b in biases]
    if len(weights) != len(biases) or not weights:
        raise ValueError(
            f"check_mlp_output: got {len(weights)} weight matrices and {len(biases)} bias "
            "vectors; pass one of each per layer."
        )
    n = len(weights)
    acts = [hidden] * (n - 1) + [out]
    expected = _forward(x, weights, biases, acts)
    if expected is None:
        raise ValueError(
            "check_mlp_output: the weight shapes do not chain; each weight must be "
            "(out_features, in_features) with in_features equal to the previous out_features."
        )
    identity = _ACTIVATIONS["identity"]
    square = tuple(k for k, w in enumerate(weights) if w.shape[0] == w.shape[1])
    turns = [
        (_forward(x, weights, biases, [identity] * (n - 1) + [out]),
         "your output is what the network gives without its hidden activations.",
         f"apply lb.{activation} after every hidden layer; without it the layers collapse "
         "into one linear map."),
        (_forward(x, weights, [None] * n, acts), "your output leaves out the biases.",
         "every layer adds its bias to x @ weight.T before the activation."),
        (_forward(x, weights, biases, [hidden] * n),
         f"your output applies {activation} to the output layer too.",
         f"the output layer here uses {output_activation!r}, not {activation!r}."),
        (_forward(x, weights, biases, acts, transpose=square) if square else None,
         "your output is what you get with a weight matrix used transposed (x @ weight).",
         "weight has shape (out_features, in_features): compute x @ weight.T + bias."),
        (_forward(x, weights[:-1], biases[:-1], acts[:-1]) if n > 1 else None,
         "your output stops after the hidden layer(s).",
         "run the output layer too: the last weight matrix and bias."),
    ]
    return _verdict(
        answer, expected, turns,
        what="your output",
        right=(
            f"the network outputs {_fmt(expected)}." if expected.size <= 4
            else f"the network maps a {x.shape} input to a {expected.shape} output."
        ),
        start_hint=(
            f"layer by layer: h = lb.{activation}(h @ W.T + b) for the hidden layers, "
            f"then the output layer with {output_activation!r}."
        ),
        generic_hint=(
            f"layer by layer: h = lb.{activation}(h @ W.T + b) for the hidden layers, "
            f"then the output layer with {output_activation!r}."
        ),
    )


def check_first_layer_grad(answer, x, y, weights, biases) -> Verdict:
    """Check dL/dW1 for a one-hidden-layer ReLU network and the squared error of one example.

    The network is ``y_hat = W2 @ relu(W1 @ x + b1) + b2`` and the loss is
    ``L = sum((y_hat - y) ** 2)`` (the mean squared error when there is one output).

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

    Returns
    -------
    Verdict
        Usable as a bool.

    Examples
    --------
    >>> check_first_layer_grad([[2.0, 4.0]], [1.0, 2.0], [0.0], ([[1.0, 0.0]], [[1.0]]),
    ...                        ([0.0], [0.0]))
    Correct: dL/dW1 = outer(dL/dz1, x), with dL/dz1 = [2.].
    True
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w1, w2 = (np.asarray(w, dtype=np.float64) for w in weights)
    b1, b2 = (np.asarray(b, dtype=np.float64) for b in biases)
    z1 = w1 @ x + b1
    h = relu(z1)
    y_hat = w2 @ h + b2
    g_y_hat = 2.0 * (y_hat - y)
    g_h = w2.T @ g_y_hat
    g_z1 = np.where(z1 > 0, g_h, 0.0)
    expected = np.outer(g_z1, x)
    turns = [
        (expected.T, "your gradient is transposed.",
         "dL/dW1 has the shape of W1, (hidden, in_features): np.outer(dL/dz1, x)."),
        (np.outer(g_h, x), "your gradient did not go through the ReLU.",
         "multiply dL/dh by relu'(z1): 1 where z1 > 0, 0 where the neuron was silent."),
        (expected / 2, "your gradient is half the right size: the factor 2 is missing.",
         "the derivative of (y_hat - y)**2 with respect to y_hat is 2 * (y_hat - y)."),
        (-expected, "your gradient has the wrong sign.",
         "use y_hat - y (prediction minus target): dL/dy_hat = 2 * (y_hat - y)."),
        (np.outer(g_h * h, x), "you multiplied by relu(z1) instead of its derivative.",
         "ReLU's derivative is 1 where z1 > 0 and 0 elsewhere, not the value relu(z1)."),
        (g_z1, "that is dL/dz1 (which is also dL/db1), not dL/dW1.",
         "one more step: the weight W1[j, i] multiplies x[i], so dL/dW1 = np.outer(dL/dz1, x)."),
        (np.outer(g_y_hat, h), "that is dL/dW2, the gradient of the output layer.",
         "keep going back: through W2 (W2.T @ dL/dy_hat), through ReLU, then outer with x."),
        (np.outer(g_z1, h) if h.shape == x.shape else None,
         "you used the hidden values h where the input x belongs.",
         "W1 multiplies the input x, so dL/dW1 = np.outer(dL/dz1, x)."),
    ]
    start = ("forward: z1 = W1 @ x + b1, h = relu(z1), y_hat = W2 @ h + b2; backward: "
             "dL/dy_hat = 2 * (y_hat - y), dL/dh = W2.T @ dL/dy_hat, "
             "dL/dz1 = dL/dh * relu'(z1), dL/dW1 = np.outer(dL/dz1, x).")
    return _verdict(
        answer, expected, turns,
        what="your gradient",
        right=f"dL/dW1 = outer(dL/dz1, x), with dL/dz1 = {_fmt(g_z1 + 0.0)}.",
        start_hint=start,
        generic_hint=start,
    )
