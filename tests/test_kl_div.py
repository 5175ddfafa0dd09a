"""lb.kl_div against torch.nn.functional.kl_div in float64, for every reduction and log_target.

Where torch returns nan (a zero target against a -inf input, or a -inf log-target), lossbook
returns the exact 0 of 0 * log 0 = 0; those cases are checked against that value, not torch.
"""

import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _reference import strict, tt
from hypothesis import given
from hypothesis import strategies as st

import lossbook as lb

RTOL = 1e-10
# A KL divergence near 0 is a difference of nearly equal sums: allow the rounding of the terms.
ATOL = 1e-14
KL_REDUCTIONS = ["none", "sum", "mean", "batchmean"]


def ours_and_torch(x, t, reduction, log_target):
    """Both results; the "mean" reduction must warn in both, the others must not warn at all."""
    if reduction == "mean":
        with pytest.warns(UserWarning, match="batchmean"):
            ours = lb.kl_div(x, t, reduction=reduction, log_target=log_target)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = F.kl_div(tt(x), tt(t), reduction=reduction, log_target=log_target)
    else:
        ours = strict(lb.kl_div, x, t, reduction=reduction, log_target=log_target)
        ref = F.kl_div(tt(x), tt(t), reduction=reduction, log_target=log_target)
    return ours, ref.numpy()


@st.composite
def kl_case(draw):
    """Log-probabilities and target distributions of shape (N, C) or (N, C, K), some targets 0."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=2, max_size=3)))
    scale = draw(st.sampled_from([0.1, 1.0, 10.0]))
    logits = rng.normal(size=shape) * scale
    x = F.log_softmax(tt(logits), dim=1).numpy()
    t = rng.dirichlet(np.ones(shape[1]), size=(shape[0],) + shape[2:])
    t = np.moveaxis(t, -1, 1)
    zeros = rng.random(shape) < draw(st.sampled_from([0.0, 0.3]))
    t = np.where(zeros, 0.0, t)
    return x, t, draw(st.sampled_from(KL_REDUCTIONS)), draw(st.booleans())


@given(kl_case())
def test_kl_div_matches_torch(case):
    x, t, reduction, log_target = case
    if log_target:
        with np.errstate(divide="ignore"):
            t = np.log(t)  # zero targets become -inf, where torch gives nan: compare them apart
    ours, ref = ours_and_torch(x, t, reduction, log_target)
    if reduction == "none":
        assert isinstance(ours, np.ndarray) and ours.shape == x.shape and ours.dtype == np.float64
        zero = np.isneginf(t) if log_target else t == 0
        assert (ours[zero] == 0).all()
        np.testing.assert_allclose(ours[~zero], ref[~zero], rtol=RTOL, atol=ATOL)
    else:
        assert type(ours) is float
        if not log_target or not np.isneginf(t).any():
            np.testing.assert_allclose(ours, ref, rtol=RTOL, atol=ATOL)
        # the -inf terms are 0, so the total is torch's total over the other terms
        finite = F.kl_div(tt(x), tt(t), reduction="none", log_target=log_target).numpy()
        total = np.where(np.isneginf(t), 0, finite).sum() if log_target else finite.sum()
        divisor = {"sum": 1, "mean": x.size, "batchmean": x.shape[0]}[reduction]
        assert ours == pytest.approx(total / divisor, rel=RTOL, abs=ATOL)


@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_is_the_kl_divergence_with_batchmean(log_target):
    q = np.array([[0.25, 0.75], [0.5, 0.5], [0.1, 0.9]])
    t = np.array([[0.5, 0.5], [0.5, 0.5], [0.9, 0.1]])
    kl = sum(ti * math.log(ti / qi) for ti, qi in zip(t.ravel(), q.ravel(), strict=True)) / 3
    target = np.log(t) if log_target else t
    ours = strict(lb.kl_div, np.log(q), target, reduction="batchmean", log_target=log_target)
    assert ours == pytest.approx(kl, rel=1e-13)
    # the pitfall: "mean" also divides by the 2 classes
    with pytest.warns(UserWarning, match="batchmean"):
        assert lb.kl_div(np.log(q), target, log_target=log_target) == pytest.approx(kl / 2, rel=1e-13)


def test_kl_div_is_cross_entropy_minus_entropy():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(5, 4))
    t = rng.dirichlet(np.ones(4), size=5)
    entropy = -(t * np.log(t)).sum() / 5
    kl = strict(lb.kl_div, lb.log_softmax(logits), t, reduction="batchmean")
    assert kl == pytest.approx(lb.cross_entropy(logits, t) - entropy, rel=1e-12)


def test_kl_div_zero_targets_contribute_exactly_zero():
    # torch gives nan for the first term (0 * -inf); 0 * log 0 = 0 is the exact value
    x = np.array([[-np.inf, 0.0]])
    assert strict(lb.kl_div, x, [[0.0, 1.0]], reduction="none").tolist() == [[0.0, 0.0]]
    assert strict(lb.kl_div, x, [[-np.inf, 0.0]], reduction="sum", log_target=True) == 0.0
    log_t = np.log([0.5, 0.5])
    assert strict(lb.kl_div, [[-1.0, -2.0]], [[-np.inf, 0.0]], reduction="none",
                  log_target=True).tolist() == [[0.0, 2.0]]
    assert math.isnan(F.kl_div(tt(x), tt([[0.0, 1.0]]), reduction="sum"))  # what torch does
    # a target above 0 where the model gives probability 0 is infinitely surprising: inf, no clip
    assert strict(lb.kl_div, [[-np.inf, 0.0]], [log_t], reduction="sum", log_target=True) == math.inf


@pytest.mark.parametrize("reduction", ["sum", "batchmean"])
def test_kl_div_beyond_the_float_range_is_inf_without_a_warning(reduction):
    # each term is 1e308, their sum overflows: inf as in torch, and no numpy overflow warning
    x, t = np.full((1, 2), -1e308), np.ones((1, 2))
    assert strict(lb.kl_div, x, t, reduction=reduction) == math.inf
    assert float(F.kl_div(tt(x), tt(t), reduction=reduction)) == math.inf


def test_kl_div_keeps_float32():
    x = np.log(np.array([[0.25, 0.75]], dtype=np.float32))
    t = np.array([[0.5, 0.5]], dtype=np.float32)
    assert strict(lb.kl_div, x, t, reduction="none").dtype == np.float32
    ref = F.kl_div(torch.from_numpy(x), torch.from_numpy(t), reduction="batchmean")
    assert strict(lb.kl_div, x, t, reduction="batchmean") == pytest.approx(float(ref), rel=1e-6)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        (([[0.5, 0.5]], [[0.5, 0.5]]), {}, ValueError, ["log-probabilities", "0.5", "np.log(input)"]),
        (([[-0.5, -1.0]], [[0.5, 0.5, 0.0]]), {}, ValueError, ["(1, 2)", "(1, 3)"]),
        (([[-0.5, -1.0]], [[1.5, 0.5]]), {}, ValueError, ["[0, 1]", "1.5", "log_target=True"]),
        (([[-0.5, -1.0]], [[0.5, 0.5]]), {"log_target": True}, ValueError,
         ["target", "log-probabilities", "0.5"]),
        (([[-0.5, np.nan]], [[0.5, 0.5]]), {}, ValueError, ["input", "NaN", "(0, 1)"]),
        (([-0.5, -1.0], [0.5, 0.5]), {"reduction": "batchmean"}, ValueError,
         ["batch", "(2,)", "reduction='sum'", "(1, C)"]),
        (([[-0.5, -1.0]], [[0.5, 0.5]]), {"reduction": "avg"}, ValueError, ["'avg'", "'batchmean'"]),
        (([[-0.5, -1.0]], [[0.5, 0.5]]), {"log_target": "yes"}, TypeError, ["log_target", "'yes'"]),
    ],
)
def test_kl_div_refuses_bad_input_with_a_clear_message(args, kwargs, error, words):
    with pytest.raises(error) as info:
        lb.kl_div(*args, reduction=kwargs.get("reduction", "sum"),
                  log_target=kwargs.get("log_target", False))
    message = str(info.value)
    assert message.startswith("kl_div: ")
    for word in words:
        assert word in message


@given(kl_case())
def test_kl_div_grad_matches_torch_autograd(case):
    x, t, reduction, log_target = case
    if log_target:
        t = np.log(np.where(t > 0, t, 1e-300))  # finite log-targets: torch's gradient is defined
    z = tt(x).requires_grad_(True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's own "mean" warning
        F.kl_div(z, tt(t), reduction=reduction, log_target=log_target).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore" if reduction == "mean" else "error")
        ours = lb.kl_div_grad(x, t, reduction=reduction, log_target=log_target)
    assert ours.shape == x.shape and ours.dtype == np.float64
    np.testing.assert_allclose(ours, z.grad.numpy(), rtol=RTOL, atol=1e-300)
    assert not np.signbit(ours[ours == 0]).any()  # 0, not -0., for zero targets


def test_kl_div_grad_is_zero_for_minus_inf_log_targets():
    grad = strict(lb.kl_div_grad, [[-1.0, -0.5]], [[-np.inf, 0.0]], reduction="sum",
                  log_target=True)
    assert grad.tolist() == [[0.0, -1.0]]
