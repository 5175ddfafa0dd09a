"""Analytic gradients (lb.*_grad) against torch autograd and against lb.numerical_gradient.

For reduction="none" the gradient is that of loss.sum(), which is what torch gives with
loss.sum().backward().
"""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _reference import strict
from hypothesis import given, settings
from hypothesis import strategies as st
from test_losses import (
    EXTREME,
    binary_case,
    classification_case,
    probs_case,
    regression_case,
    torch_binary_kwargs,
    torch_kwargs,
    tt,
)

import lossbook as lb

# Gradient entries are differences of O(1) numbers (softmax - target, sigmoid - target), so
# entries that should be ~0 carry ~1e-16 absolute rounding: atol 1e-13 for those.
RTOL, ATOL = 1e-10, 1e-13


def autograd(torch_loss, x, *args, **kwargs):
    """d sum(torch_loss(x, ...)) / dx as numpy."""
    x = tt(x).requires_grad_(True)
    torch_loss(x, *args, **kwargs).sum().backward()
    return x.grad.numpy()


def assert_grad(ours, ref, like, *, rtol=RTOL, atol=ATOL):
    assert isinstance(ours, np.ndarray)
    assert ours.shape == np.shape(like)
    assert ours.dtype == np.asarray(like).dtype
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=atol)


# --------------------------------------------------------------------------- against autograd


@given(regression_case())
def test_mse_loss_grad_matches_autograd(case):
    x, y, reduction = case
    ours = strict(lb.mse_loss_grad, x, y, reduction=reduction)
    assert_grad(ours, autograd(F.mse_loss, x, tt(y), reduction=reduction), x)


@given(regression_case())
def test_l1_loss_grad_matches_autograd(case):
    x, y, reduction = case
    ours = strict(lb.l1_loss_grad, x, y, reduction=reduction)
    assert_grad(ours, autograd(F.l1_loss, x, tt(y), reduction=reduction), x)


@given(regression_case(), st.floats(0.01, 10.0))
def test_huber_loss_grad_matches_autograd(case, delta):
    x, y, reduction = case
    ours = strict(lb.huber_loss_grad, x, y, reduction=reduction, delta=delta)
    ref = autograd(F.huber_loss, x, tt(y), reduction=reduction, delta=delta)
    assert_grad(ours, ref, x)


def test_regression_grads_at_kinks_follow_torch():
    # |d| = 0 for l1 (subgradient 0, like torch's sign) and |d| = delta for Huber.
    x, y = np.array([1.0, 2.0, 3.0, 0.0]), np.array([1.0, 1.0, 2.0, 1.0])
    assert_grad(lb.l1_loss_grad(x, y), autograd(F.l1_loss, x, tt(y)), x)
    assert_grad(lb.huber_loss_grad(x, y), autograd(F.huber_loss, x, tt(y)), x)


@given(classification_case())
def test_cross_entropy_grad_matches_autograd(case):
    logits, target, kwargs = case
    ours = strict(lb.cross_entropy_grad, logits, target, **kwargs)
    ref = autograd(F.cross_entropy, logits, tt(target), **torch_kwargs(kwargs))
    assert_grad(ours, ref, logits)


@given(classification_case(allow_probs=False, allow_smoothing=False))
def test_nll_loss_grad_matches_autograd(case):
    logits, target, kwargs = case
    log_probs = F.log_softmax(tt(logits), dim=-1).numpy()
    ours = strict(lb.nll_loss_grad, log_probs, target, **kwargs)
    ref = autograd(F.nll_loss, log_probs, tt(target), **torch_kwargs(kwargs))
    assert_grad(ours, ref, log_probs)


@given(binary_case(logits=False))
def test_binary_cross_entropy_grad_matches_autograd(case):
    p, y, kwargs = case
    ours = strict(lb.binary_cross_entropy_grad, p, y, **kwargs)
    ref = autograd(F.binary_cross_entropy, p, tt(y), **torch_binary_kwargs(kwargs))
    # torch computes (p - t) / max(p (1 - p), 1e-12); p stays in [1e-4, 1 - 1e-4] here, so the
    # clamp never acts. The gradient is up to 1e4 in size: atol scaled to that.
    assert_grad(ours, ref, p, atol=1e-13 * max(1.0, np.abs(ref).max()))


@given(binary_case(logits=True))
def test_binary_cross_entropy_with_logits_grad_matches_autograd(case):
    z, y, kwargs = case
    ours = strict(lb.binary_cross_entropy_with_logits_grad, z, y, **kwargs)
    ref = autograd(F.binary_cross_entropy_with_logits, z, tt(y), **torch_binary_kwargs(kwargs))
    assert_grad(ours, ref, z)


@given(probs_case())
def test_cross_entropy_from_probs_grad_matches_autograd(case):
    probs, target, base, reduction = case

    def textbook(p, t):
        t = F.one_hot(t, p.shape[-1]).double() if t.dtype == torch.int64 else t
        loss = -(t * torch.log(p)).sum(-1) / math.log(base)
        return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]

    ours = strict(lb.cross_entropy_from_probs_grad, probs, target, base=base, reduction=reduction)
    # -t / (p ln base) is as large as 1 / p: atol scaled to the largest entry.
    ref = autograd(textbook, probs, tt(target))
    assert_grad(ours, ref, probs, atol=1e-13 * max(1.0, np.abs(ref).max()))


@pytest.mark.parametrize("options", [{}, {"weight": [0.5, 1.0, 2.0]}, {"label_smoothing": 0.3}])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_grad_at_extreme_logits(options, reduction):
    target = np.array([0, 0, 1, 2, 1, 0, 1])
    ours = strict(lb.cross_entropy_grad, EXTREME, target, reduction=reduction, **options)
    assert np.all(np.isfinite(ours))
    kw = {k: tt(np.asarray(v)) if k == "weight" else v for k, v in options.items()}
    ref = autograd(F.cross_entropy, EXTREME, tt(target), reduction=reduction, **kw)
    assert_grad(ours, ref, EXTREME)


def test_binary_cross_entropy_grad_at_zero_and_one_is_exact():
    # The loss takes 0 log 0 = 0, so at p = 0 or 1 its derivative -t/p + (1 - t)/(1 - p) drops the
    # term with coefficient 0. torch (dividing by max(p (1 - p), 1e-12)) says 0 at p = t = 1 and
    # p = t = 0, and -1e12 at p = 0, t = 1; the exact one-sided derivatives are -1, 1 and -inf.
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    t = np.array([0.0, 1.0, 1.0, 0.0, 0.5])
    ours = strict(lb.binary_cross_entropy_grad, p, t, reduction="sum")
    np.testing.assert_array_equal(ours, [1.0, -1.0, -np.inf, np.inf, 0.0])
    # one-sided finite differences of the exact loss agree where it is finite
    for i, sign in [(0, 1.0), (1, -1.0)]:
        h = 1e-7
        step = p.copy()
        step[i] += sign * h
        slope = sign * (lb.binary_cross_entropy(step[i:i + 1], t[i:i + 1], reduction="sum")
                        - lb.binary_cross_entropy(p[i:i + 1], t[i:i + 1], reduction="sum")) / h
        assert slope == pytest.approx(ours[i], rel=1e-6)
    p32, t32 = p[:2].astype(np.float32), t[:2].astype(np.float32)
    assert strict(lb.binary_cross_entropy_grad, p32, t32).dtype == np.float32


def test_binary_cross_entropy_with_logits_grad_at_extreme_logits():
    z = np.array([1e4, -1e4, 1e4, -1e4, 745.0, -745.0, 40.0, -40.0])
    t = np.array([1.0, 0.0, 0.0, 1.0, 0.3, 0.7, 1.0, 0.0])
    for pos_weight in (None, np.full(8, 3.0)):
        ours = strict(lb.binary_cross_entropy_with_logits_grad, z, t, pos_weight=pos_weight)
        assert np.all(np.isfinite(ours))
        ref = autograd(F.binary_cross_entropy_with_logits, z, tt(t),
                       pos_weight=None if pos_weight is None else tt(pos_weight))
        assert_grad(ours, ref, z)


def test_gradients_keep_float32():
    rng = np.random.default_rng(6)
    logits = rng.normal(size=(32, 5)).astype(np.float32)
    target = rng.integers(0, 5, size=32)
    g = strict(lb.cross_entropy_grad, logits, target)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, autograd(F.cross_entropy, logits, tt(target)), rtol=1e-5,
                               atol=1e-7)
    x = rng.normal(size=(32,)).astype(np.float32)
    for grad in (lb.mse_loss_grad, lb.l1_loss_grad, lb.huber_loss_grad,
                 lb.binary_cross_entropy_with_logits_grad):
        assert strict(grad, x, np.zeros_like(x)).dtype == np.float32


# --------------------------------------------------------------------------- numerical gradient


def test_numerical_gradient_of_known_functions():
    x = np.array([[0.5, -1.0, 2.0], [3.0, 0.0, -0.25]])
    g = lb.numerical_gradient(lambda v: float(np.sum(v**3)), x)
    assert g.shape == x.shape and g.dtype == np.float64
    # f is ~40 here: rounding 1e-16 * 40 / eps = 4e-9 absolute
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-8, atol=1e-8)
    g = lb.numerical_gradient(lambda v: float(np.sin(v).sum()), x, eps=1e-5)
    np.testing.assert_allclose(g, np.cos(x), rtol=1e-8, atol=1e-9)


def test_numerical_gradient_does_not_modify_x():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    lb.numerical_gradient(lambda v: float(v @ v), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_accepts_lists_and_float32():
    g = lb.numerical_gradient(lambda v: float(np.sum(np.asarray(v) ** 2)), [1.0, -2.0])
    np.testing.assert_allclose(g, [2.0, -4.0], rtol=1e-8)
    g = lb.numerical_gradient(lambda v: float(np.sum(v**2)), np.array([1.0, -2.0], np.float32))
    assert g.dtype == np.float64  # central differences need float64 steps
    np.testing.assert_allclose(g, [2.0, -4.0], rtol=1e-7)


# Central differences with eps = 1e-6: truncation ~eps^2 f''', rounding ~1e-16 |f| / eps, and
# f's own rounding grows with the number of terms summed. So rtol 1e-6 and an absolute
# tolerance of 1e-8 times the size of the loss (at least 1).
NUM_RTOL, NUM_ATOL = 1e-6, 1e-8


def assert_numeric(ours, loss, x, *args, **kwargs):
    def f(v):
        return float(np.sum(loss(v, *args, **kwargs)))

    ref = lb.numerical_gradient(f, x)
    np.testing.assert_allclose(ours, ref, rtol=NUM_RTOL, atol=NUM_ATOL * max(1.0, abs(f(x))))


@settings(max_examples=15)
@given(regression_case(), st.floats(0.05, 5.0))
def test_regression_grads_match_numerical_gradient(case, delta):
    x, y, reduction = case
    if np.abs(x).max() > 10:  # keep the finite-difference step meaningful
        x, y = x / 1e3, y / 1e3
    for loss, grad, kw in [
        (lb.mse_loss, lb.mse_loss_grad, {}),
        (lb.huber_loss, lb.huber_loss_grad, {"delta": delta}),
        (lb.l1_loss, lb.l1_loss_grad, {}),
    ]:
        d = np.abs(x - y)
        if loss is not lb.mse_loss and np.min(np.abs(d - kw.get("delta", 0.0))) < 1e-4:
            continue  # too close to the kink for a finite difference
        ours = grad(x, y, reduction=reduction, **kw)
        assert_numeric(ours, loss, x, y, reduction=reduction, **kw)


@settings(max_examples=15)
@given(classification_case())
def test_cross_entropy_grad_matches_numerical_gradient(case):
    logits, target, kwargs = case
    if np.abs(logits).max() > 50:
        logits = logits / 10
    ours = lb.cross_entropy_grad(logits, target, **kwargs)
    assert_numeric(ours, lb.cross_entropy, logits, target, **kwargs)


# a log-probability of ~0 nudged by +eps is positive, which nll_loss rightly warns about
@pytest.mark.filterwarnings("ignore:nll_loss. input has positive entries:UserWarning")
@settings(max_examples=15)
@given(classification_case(allow_probs=False, allow_smoothing=False))
def test_nll_loss_grad_matches_numerical_gradient(case):
    logits, target, kwargs = case
    log_probs = lb.log_softmax(logits)
    ours = lb.nll_loss_grad(log_probs, target, **kwargs)
    assert_numeric(ours, lb.nll_loss, log_probs, target, **kwargs)


@settings(max_examples=15)
@given(binary_case(logits=True))
def test_bce_with_logits_grad_matches_numerical_gradient(case):
    z, y, kwargs = case
    ours = lb.binary_cross_entropy_with_logits_grad(z, y, **kwargs)
    assert_numeric(ours, lb.binary_cross_entropy_with_logits, z, y, **kwargs)


def test_bce_and_textbook_grads_match_numerical_gradient():
    rng = np.random.default_rng(7)
    p = rng.uniform(0.05, 0.95, size=(6, 3))
    t = rng.uniform(0, 1, size=(6, 3))
    w = rng.uniform(0.5, 2.0, size=(6, 3))
    for reduction in ("mean", "sum", "none"):
        ours = lb.binary_cross_entropy_grad(p, t, weight=w, reduction=reduction)
        assert_numeric(ours, lb.binary_cross_entropy, p, t, weight=w, reduction=reduction)
    probs = rng.dirichlet(np.ones(4), size=5) * 0.9 + 0.025  # rows still sum to 1
    target = rng.integers(0, 4, size=5)
    for base in (math.e, 2, 10):
        ours = lb.cross_entropy_from_probs_grad(probs, target, base=base)
        # the loss refuses rows that do not sum to 1, so differentiate the textbook formula
        onehot = np.eye(4)[target]
        ref = lb.numerical_gradient(
            lambda q, oh=onehot, b=base: float(-(oh * np.log(q)).sum(-1).mean() / math.log(b)),
            probs,
        )
        np.testing.assert_allclose(ours, ref, rtol=NUM_RTOL, atol=NUM_ATOL)
