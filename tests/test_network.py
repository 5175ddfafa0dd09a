"""lb.Dense and lb.MLP against torch nn.Linear / nn.Sequential with the same weights."""

import numpy as np
import pytest
import torch
from _reference import tt
from torch import nn

import lossbook as lb

RTOL, ATOL = 1e-10, 1e-14

TORCH_ACTIVATIONS = {
    "identity": nn.Identity(),
    "sigmoid": nn.Sigmoid(),
    "tanh": nn.Tanh(),
    "relu": nn.ReLU(),
    "softmax": nn.Softmax(dim=-1),
}


def torch_linear(weight, bias):
    out_f, in_f = weight.shape
    layer = nn.Linear(in_f, out_f, bias=bias is not None, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(tt(weight))
        if bias is not None:
            layer.bias.copy_(tt(bias))
    return layer


@pytest.mark.parametrize("activation", list(TORCH_ACTIVATIONS))
@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("batch", [None, 1, 7])
def test_dense_forward_and_backward_match_torch(activation, with_bias, batch):
    rng = np.random.default_rng(10)
    weight = rng.normal(size=(4, 3))
    bias = rng.normal(size=4) if with_bias else None
    x = rng.normal(size=(3,) if batch is None else (batch, 3))
    grad_out = rng.normal(size=(4,) if batch is None else (batch, 4))

    layer = lb.Dense.from_weights(weight, bias, activation=activation)
    assert layer.activation == activation
    out = layer(x)

    lin = torch_linear(weight, bias)
    xt = tt(x).requires_grad_(True)
    zt = lin(xt)
    yt = TORCH_ACTIVATIONS[activation](zt)
    np.testing.assert_allclose(out, yt.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(layer.weighted_sum, zt.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(layer.forward(x), out, rtol=0, atol=0)

    grad_x = layer.backward(grad_out)
    (yt * tt(grad_out)).sum().backward()
    np.testing.assert_allclose(grad_x, xt.grad.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(layer.grad_weight, lin.weight.grad.numpy(), rtol=RTOL, atol=ATOL)
    assert layer.grad_weight.shape == weight.shape
    if with_bias:
        np.testing.assert_allclose(layer.grad_bias, lin.bias.grad.numpy(), rtol=RTOL, atol=ATOL)
    else:
        assert layer.bias is None


def test_dense_step_activation():
    weight = np.array([[1.0, -1.0], [0.5, 0.5]])
    layer = lb.Dense.from_weights(weight, np.array([0.0, -1.0]), activation="step")
    x = np.array([[2.0, 1.0], [0.0, 3.0]])
    np.testing.assert_array_equal(layer(x), [[1.0, 1.0], [0.0, 1.0]])
    np.testing.assert_array_equal(layer.weighted_sum, [[1.0, 0.5], [-3.0, 0.5]])
    # the step function is flat: no gradient flows (why the perceptron cannot use backprop)
    grad_x = layer.backward(np.ones((2, 2)))
    np.testing.assert_array_equal(grad_x, np.zeros((2, 2)))
    np.testing.assert_array_equal(layer.grad_weight, np.zeros((2, 2)))


def test_dense_init_like_torch():
    layer = lb.Dense(50, 20, rng=np.random.default_rng(0))
    assert layer.weight.shape == (20, 50) and layer.bias.shape == (20,)
    assert layer.weight.dtype == np.float64
    bound = 1 / np.sqrt(50)
    assert np.abs(layer.weight).max() <= bound and np.abs(layer.bias).max() <= bound
    assert np.abs(layer.weight).max() > 0.9 * bound  # uniform over the whole interval
    assert layer.num_parameters() == 50 * 20 + 20
    assert layer.num_parameters() == sum(p.numel() for p in nn.Linear(50, 20).parameters())
    no_bias = lb.Dense(50, 20, bias=False, rng=np.random.default_rng(0))
    assert no_bias.bias is None and no_bias.num_parameters() == 1000
    assert lb.Dense(3, 2, rng=np.random.default_rng(0)).activation == "identity"


def test_dense_init_is_deterministic_for_a_seed():
    a = lb.Dense(4, 3, activation="relu", rng=np.random.default_rng(42))
    b = lb.Dense(4, 3, activation="relu", rng=np.random.default_rng(42))
    c = lb.Dense(4, 3, activation="relu", rng=np.random.default_rng(43))
    np.testing.assert_array_equal(a.weight, b.weight)
    np.testing.assert_array_equal(a.bias, b.bias)
    assert not np.array_equal(a.weight, c.weight)


def test_dense_refuses_bad_input():
    layer = lb.Dense.from_weights(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"(?s)(?=.*\(5, 4\))(?=.*\b3\b)"):
        layer(np.ones((5, 4)))
    with pytest.raises(ValueError, match="activation"):
        lb.Dense.from_weights(np.ones((2, 3)), activation="swish")
    with pytest.raises(ValueError, match=r"(?s)(?=.*bias)(?=.*\(3,\))"):
        lb.Dense.from_weights(np.ones((2, 3)), np.ones(3))


def mlp_and_torch(sizes, activation, output_activation, seed=0):
    mlp = lb.MLP.from_sizes(sizes, activation=activation, output_activation=output_activation,
                            rng=np.random.default_rng(seed))
    modules = []
    for layer in mlp.layers:
        modules.append(torch_linear(layer.weight, layer.bias))
        modules.append(TORCH_ACTIVATIONS[layer.activation])
    return mlp, nn.Sequential(*modules)


@pytest.mark.parametrize(
    "activation,output_activation",
    [("relu", "identity"), ("tanh", "sigmoid"), ("sigmoid", "softmax")],
)
def test_mlp_forward_backward_match_torch(activation, output_activation):
    sizes = [3, 5, 4, 2]
    mlp, net = mlp_and_torch(sizes, activation, output_activation)
    assert [layer.activation for layer in mlp.layers] == [activation] * 2 + [output_activation]
    assert [layer.weight.shape for layer in mlp.layers] == [(5, 3), (4, 5), (2, 4)]
    assert mlp.num_parameters() == sum(p.numel() for p in net.parameters())

    rng = np.random.default_rng(11)
    x = rng.normal(size=(6, 3))
    grad_out = rng.normal(size=(6, 2))
    out = mlp(x)
    xt = tt(x).requires_grad_(True)
    yt = net(xt)
    np.testing.assert_allclose(out, yt.detach().numpy(), rtol=RTOL, atol=ATOL)

    grad_x = mlp.backward(grad_out)
    (yt * tt(grad_out)).sum().backward()
    np.testing.assert_allclose(grad_x, xt.grad.numpy(), rtol=RTOL, atol=ATOL)
    linears = [m for m in net if isinstance(m, nn.Linear)]
    for layer, lin in zip(mlp.layers, linears, strict=True):
        np.testing.assert_allclose(layer.grad_weight, lin.weight.grad.numpy(), rtol=RTOL,
                                   atol=ATOL)
        np.testing.assert_allclose(layer.grad_bias, lin.bias.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_mlp_training_step_matches_torch_sgd():
    mlp, net = mlp_and_torch([2, 8, 1], "tanh", "identity", seed=3)
    rng = np.random.default_rng(12)
    x = rng.normal(size=(16, 2))
    y = rng.normal(size=(16, 1))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(5):
        pred = mlp(x)
        mlp.backward(lb.mse_loss_grad(pred, y))
        mlp.sgd_step(0.1)
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(tt(x)), tt(y)).backward()
        opt.step()
    linears = [m for m in net if isinstance(m, nn.Linear)]
    for layer, lin in zip(mlp.layers, linears, strict=True):
        np.testing.assert_allclose(layer.weight, lin.weight.detach().numpy(), rtol=1e-9)
        np.testing.assert_allclose(layer.bias, lin.bias.detach().numpy(), rtol=1e-9)


def test_mlp_from_layers_and_single_sample():
    layers = [lb.Dense.from_weights(np.eye(2), np.zeros(2), activation="relu"),
              lb.Dense.from_weights(np.array([[1.0, 1.0]]))]
    mlp = lb.MLP(layers)
    assert mlp.layers[0] is layers[0] and len(mlp.layers) == 2
    np.testing.assert_array_equal(mlp(np.array([2.0, -3.0])), [2.0])
    assert mlp.num_parameters() == 6 + 2


def test_mlp_from_sizes_is_deterministic():
    a = lb.MLP.from_sizes([2, 3, 1], rng=np.random.default_rng(5))
    b = lb.MLP.from_sizes([2, 3, 1], rng=np.random.default_rng(5))
    for la, lb_ in zip(a.layers, b.layers, strict=True):
        np.testing.assert_array_equal(la.weight, lb_.weight)
        np.testing.assert_array_equal(la.bias, lb_.bias)
    assert [layer.activation for layer in a.layers] == ["relu", "identity"]


@pytest.mark.parametrize("sizes,error,message", [
    ([2.0, 3], TypeError, r"sizes\[0\] must be an integer, got float 2\.0"),
    ([2, 3.5, 1], TypeError, r"sizes\[1\] must be an integer, got float 3\.5"),
    ([2, True], TypeError, r"sizes\[1\] must be an integer, got bool True"),
    (["2", 3], TypeError, r"sizes\[0\] must be an integer, got str '2'"),
    ([2, 0], ValueError, r"sizes\[1\] must be at least 1, got 0"),
    (5, TypeError, r"sizes must be a list of layer widths, e\.g\. \[2, 3, 1\], got int 5"),
    ("23", TypeError, r"sizes must be a list of layer widths"),
    ([2], ValueError, r"need at least an input and an output size, got \[2\]"),
])
def test_mlp_from_sizes_speaks_as_itself_about_a_bad_size(sizes, error, message):
    with pytest.raises(error, match=r"^MLP\.from_sizes: " + message):
        lb.MLP.from_sizes(sizes, rng=np.random.default_rng(0))


def test_mlp_from_sizes_checks_its_other_options_under_its_own_name():
    with pytest.raises(TypeError, match=r"^MLP\.from_sizes: rng must be a numpy Generator"):
        lb.MLP.from_sizes([2, 3], rng=0)
    with pytest.raises(ValueError, match=r"^MLP\.from_sizes: unknown output_activation 'soft'"):
        lb.MLP.from_sizes([2, 3], rng=np.random.default_rng(0), output_activation="soft")
    with pytest.raises(TypeError, match=r"^MLP\.from_sizes: activation must be the name of an "
                                        r"activation, .* got NoneType None"):
        lb.MLP.from_sizes([2, 3, 1], rng=np.random.default_rng(0), activation=None)
    sizes = np.array([2, 3, 1])  # numpy integers are sizes too
    assert lb.MLP.from_sizes(sizes, rng=np.random.default_rng(0)).num_parameters() == 13
