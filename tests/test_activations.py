"""Activations and their derivatives against torch (functions and autograd), and stability."""


import numpy as np
import pytest
import torch
from _reference import strict, tt
from hypothesis import given
from hypothesis import strategies as st

import lossbook as lb

RTOL = 1e-10
seeds = st.integers(0, 2**32 - 1)
shapes = st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple)


@st.composite
def arrays(draw):
    rng = np.random.default_rng(draw(seeds))
    scale = draw(st.sampled_from([0.1, 1.0, 10.0, 1e3]))
    return rng.normal(size=draw(shapes)) * scale


EXTREME = np.array([-1e4, -800.0, -745.0, -710.0, -40.0, -1e-300, 0.0, 1e-300, 40.0, 710.0,
                    745.0, 800.0, 1e4])

ELEMENTWISE = [
    (lb.sigmoid, torch.sigmoid),
    (lb.tanh, torch.tanh),
    (lb.relu, torch.relu),
    # torch's softplus returns x above threshold=20; logaddexp(x, 0) is the exact value
    (lb.softplus, lambda x: torch.logaddexp(x, torch.zeros_like(x))),
    (lb.step, lambda x: torch.heaviside(x, torch.zeros_like(x))),
]
DERIVATIVES = [
    (lb.sigmoid_derivative, torch.sigmoid),
    (lb.tanh_derivative, torch.tanh),
    (lb.relu_derivative, torch.relu),
]


# sigmoid' = s (1 - s) and tanh' = 1 - t^2 cancel where s or |t| is near 1: torch and lossbook
# both carry ~1e-16 absolute error there, so tails that are ~0 get atol 1e-15.
DERIV_ATOL = 1e-15


def autograd_elementwise(fn, x):
    x = tt(x).requires_grad_(True)
    fn(x).sum().backward()
    return x.grad.numpy()


@pytest.mark.parametrize("ours,ref", ELEMENTWISE, ids=lambda v: getattr(v, "__name__", "ref"))
@given(x=arrays())
def test_elementwise_activations_match_torch(ours, ref, x):
    out = strict(ours, x)
    assert out.shape == x.shape and out.dtype == np.float64
    np.testing.assert_allclose(out, ref(tt(x)).numpy(), rtol=RTOL, atol=1e-300)


@pytest.mark.parametrize("ours,ref", ELEMENTWISE, ids=lambda v: getattr(v, "__name__", "ref"))
def test_elementwise_activations_at_extremes(ours, ref):
    out = strict(ours, EXTREME)
    assert np.all(np.isfinite(out))
    # below 1e-300 (the subnormal tail of sigmoid) rounding may differ: atol 1e-300
    np.testing.assert_allclose(out, ref(tt(EXTREME)).numpy(), rtol=RTOL, atol=1e-300)
    out32 = strict(ours, EXTREME.astype(np.float32))
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, ref(tt(EXTREME.astype(np.float32))).numpy(), rtol=1e-6)


@pytest.mark.parametrize("ours,fn", DERIVATIVES, ids=lambda v: getattr(v, "__name__", "ref"))
@given(x=arrays())
def test_derivatives_match_autograd(ours, fn, x):
    out = strict(ours, x)
    assert out.shape == x.shape and out.dtype == np.float64
    np.testing.assert_allclose(out, autograd_elementwise(fn, x), rtol=RTOL, atol=DERIV_ATOL)


@pytest.mark.parametrize("ours,fn", DERIVATIVES, ids=lambda v: getattr(v, "__name__", "ref"))
def test_derivatives_at_extremes(ours, fn):
    out = strict(ours, EXTREME)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, autograd_elementwise(fn, EXTREME), rtol=RTOL,
                               atol=DERIV_ATOL)


def test_step_and_its_derivative():
    x = np.array([-2.0, -1e-300, 0.0, 1e-300, 3.0])
    np.testing.assert_array_equal(lb.step(x), [0.0, 0.0, 0.0, 1.0, 1.0])
    # flat everywhere; undefined at 0, returned as 0
    np.testing.assert_array_equal(lb.step_derivative(x), np.zeros(5))
    assert lb.step(x.astype(np.float32)).dtype == np.float32


def test_relu_derivative_is_zero_at_zero_like_torch():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(lb.relu_derivative(x), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(lb.relu_derivative(x), autograd_elementwise(torch.relu, x))


def test_activations_accept_lists_and_scalars():
    np.testing.assert_allclose(lb.sigmoid([0.0, 2.0]), torch.sigmoid(tt([0.0, 2.0])).numpy())
    assert np.asarray(lb.relu([1, -1])).dtype == np.float64
    assert float(lb.sigmoid(0.0)) == 0.5


# --------------------------------------------------------------------------- softmax


@st.composite
def softmax_case(draw):
    x = draw(arrays())
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    return x, axis


@given(softmax_case())
def test_softmax_matches_torch(case):
    x, axis = case
    out = strict(lb.softmax, x, axis=axis)
    np.testing.assert_allclose(out, torch.softmax(tt(x), dim=axis).numpy(), rtol=RTOL,
                               atol=1e-300)
    np.testing.assert_allclose(out.sum(axis=axis), 1.0, rtol=1e-14)


@given(softmax_case())
def test_log_softmax_matches_torch(case):
    x, axis = case
    out = strict(lb.log_softmax, x, axis=axis)
    # log-probabilities of the top class are ~0 (log(1 + tiny)): atol 1e-15 there.
    np.testing.assert_allclose(out, torch.log_softmax(tt(x), dim=axis).numpy(), rtol=RTOL,
                               atol=1e-15)


def test_softmax_is_stable_at_extreme_logits():
    x = np.array([[1e4, -1e4, 0.0], [1e4, 1e4, 1e4], [-1e4, -1e4, -1e4], [710.0, 0.0, -745.0]])
    p = strict(lb.softmax, x)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p, torch.softmax(tt(x), dim=-1).numpy(), rtol=RTOL, atol=1e-300)
    lp = strict(lb.log_softmax, x)
    assert np.all(np.isfinite(lp))
    np.testing.assert_allclose(lp, torch.log_softmax(tt(x), dim=-1).numpy(), rtol=RTOL)
    assert lp[0].tolist() == [0.0, -2e4, -1e4]
    for dtype in (np.float32,):
        p32 = strict(lb.softmax, x.astype(dtype))
        assert p32.dtype == dtype and np.all(np.isfinite(p32))
        lp32 = strict(lb.log_softmax, x.astype(dtype))
        assert lp32.dtype == dtype and np.all(np.isfinite(lp32))


def test_softmax_does_not_modify_its_input():
    x = np.array([[1.0, 2.0, 3.0]])
    before = x.copy()
    lb.softmax(x)
    lb.log_softmax(x)
    np.testing.assert_array_equal(x, before)


def torch_jacobian(fn, x):
    """Per-row Jacobian (..., C, C) of fn over the last axis."""
    rows = tt(x).reshape(-1, x.shape[-1])
    jac = [torch.autograd.functional.jacobian(fn, r) for r in rows]
    return torch.stack(jac).reshape(*x.shape, x.shape[-1]).numpy()


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 3, 5)])
def test_softmax_jacobian_matches_autograd(shape):
    x = np.random.default_rng(8).normal(size=shape) * 3
    jac = strict(lb.softmax_jacobian, x)
    assert jac.shape == (*shape, shape[-1])
    ref = torch_jacobian(lambda r: torch.softmax(r, dim=-1), x)
    np.testing.assert_allclose(jac, ref, rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 3, 5)])
def test_log_softmax_jacobian_matches_autograd(shape):
    x = np.random.default_rng(9).normal(size=shape) * 3
    jac = strict(lb.log_softmax_jacobian, x)
    assert jac.shape == (*shape, shape[-1])
    ref = torch_jacobian(lambda r: torch.log_softmax(r, dim=-1), x)
    np.testing.assert_allclose(jac, ref, rtol=RTOL, atol=1e-15)


def test_jacobians_at_extreme_logits():
    x = np.array([[1e4, -1e4, 0.0], [710.0, 0.0, -745.0]])
    for ours, fn in [(lb.softmax_jacobian, torch.softmax), (lb.log_softmax_jacobian,
                                                           torch.log_softmax)]:
        jac = strict(ours, x)
        assert np.all(np.isfinite(jac))
        ref = torch_jacobian(lambda r, f=fn: f(r, dim=-1), x)
        np.testing.assert_allclose(jac, ref, rtol=RTOL, atol=1e-15)
