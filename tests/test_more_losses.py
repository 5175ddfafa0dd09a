"""The losses beyond the first eight, at extreme values, and the three torch does not ship.

Each loss runs through lossbook and a torch reference in float64 (``torch.nn.functional``'s own
function, or for ``pinball_loss``, ``sigmoid_focal_loss`` and ``info_nce_loss`` the formula
written in torch); values agree at rtol 1e-9 and the gradients with autograd. Hypothesis drives
them to large margins, near-zero norms in the cosine and triplet losses, rates near 0 with
``log_input=False`` and variances below eps. The gradients are also checked against
``numerical_gradient``, the refusals by design are listed, and torch's deprecated
``size_average``/``reduce`` are refused by every loss.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _reference import strict
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import mean_pinball_loss

import lossbook as lb

REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


def _reduce(loss, reduction):
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def torch_pinball(input, target, quantile=0.5, reduction="mean"):
    r = target - input
    return _reduce(torch.maximum(quantile * r, (quantile - 1) * r), reduction)


def torch_focal(input, target, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss's formula (torchvision is not a dependency), with
    the cross-entropy as softplus terms: torch's binary_cross_entropy_with_logits rounds a
    loss below about 1e-7 (lossbook.binary_cross_entropy_with_logits's Notes), and softplus's
    threshold raised above the logits tested (beyond it, its slope is taken as exactly 1)."""
    p = torch.sigmoid(input)
    bce = (1 - target) * F.softplus(input, threshold=50) + target * F.softplus(-input, threshold=50)
    p_t = p * target + (1 - p) * (1 - target)
    loss = bce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * target + (1 - alpha) * (1 - target)) * loss
    return _reduce(loss, reduction)


def torch_info_nce(query, key, temperature=0.1, reduction="mean"):
    logits = F.normalize(query, dim=1) @ F.normalize(key, dim=1).T / temperature
    return F.cross_entropy(logits, torch.arange(len(query)), reduction=reduction)


REFERENCE = {"pinball_loss": torch_pinball, "sigmoid_focal_loss": torch_focal,
             "info_nce_loss": torch_info_nce}
# the arguments each gradient differentiates (the tuple a _grad returns, in this order)
DIFFERENTIATED = {"gaussian_nll_loss": (0, 2), "margin_ranking_loss": (0, 1),
                  "cosine_embedding_loss": (0, 1), "triplet_margin_loss": (0, 1, 2),
                  "triplet_margin_with_distance_loss": (0, 1, 2), "info_nce_loss": (0, 1)}


def agree_with_torch(name, *args, rtol=1e-9, atol=1e-300, grad_atol=1e-12, **kwargs):
    """lossbook's loss and gradients against torch's (no warning from lossbook)."""
    reference = REFERENCE.get(name) or getattr(F, name)
    got = strict(getattr(lb, name), *args, **kwargs)
    targs = [torch.tensor(a) if isinstance(a, np.ndarray) else a for a in args]
    which = DIFFERENTIATED.get(name, (0,))
    for i in which:
        targs[i].requires_grad_(True)
    want = reference(*targs, **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                                for k, v in kwargs.items()})
    np.testing.assert_allclose(got, want.detach().numpy(), rtol=rtol, atol=atol)
    grads = strict(getattr(lb, f"{name}_grad"), *args, **kwargs)
    grads = grads if isinstance(grads, tuple) else (grads,)
    wants = torch.autograd.grad(want.sum(), [targs[i] for i in which])
    for g, w in zip(grads, wants, strict=True):
        np.testing.assert_allclose(g, w.numpy(), rtol=1e-9, atol=grad_atol)
    return got


def arrays(shape, elements):
    return st.builds(np.array, st.lists(elements, min_size=math.prod(shape),
                                        max_size=math.prod(shape))).map(lambda a: a.reshape(shape))


moderate = st.floats(-5, 5)
signs = st.sampled_from([-1.0, 1.0])


# --------------------------------------------------------------------------- extreme values


@given(arrays((6,), st.floats(-1e6, 1e6)), arrays((6,), st.floats(-1e6, 1e6)),
       arrays((6,), signs), st.floats(-1e6, 1e6), REDUCTIONS)
def test_margin_ranking_loss_at_large_margins(x1, x2, y, margin, reduction):
    agree_with_torch("margin_ranking_loss", x1, x2, y, margin=margin, reduction=reduction)


@given(arrays((6,), st.floats(-1e6, 1e6)), arrays((6,), signs), st.floats(-1e6, 1e6), REDUCTIONS)
def test_hinge_embedding_loss_at_large_margins(x, y, margin, reduction):
    agree_with_torch("hinge_embedding_loss", x, y, margin=margin, reduction=reduction)


@given(arrays((3, 4), st.floats(-1e3, 1e3)), st.lists(st.integers(0, 3), min_size=3, max_size=3),
       st.sampled_from([1, 2]), st.floats(-1e3, 1e3), REDUCTIONS)
def test_multi_margin_loss_at_large_margins(x, y, p, margin, reduction):
    agree_with_torch("multi_margin_loss", x, np.array(y), p=p, margin=margin, reduction=reduction)


@given(arrays((3, 4), moderate), st.lists(st.integers(-1, 3), min_size=12, max_size=12),
       REDUCTIONS)
def test_multilabel_margin_loss_with_padding_and_repeats(x, y, reduction):
    agree_with_torch("multilabel_margin_loss", x, np.array(y).reshape(3, 4), reduction=reduction)


@given(arrays((8,), st.floats(-700, 700)), arrays((8,), signs), REDUCTIONS)
def test_soft_margin_loss_far_from_zero(x, y, reduction):
    agree_with_torch("soft_margin_loss", x, y, reduction=reduction)


def test_soft_margin_loss_stays_finite_where_torch_overflows():
    assert lb.soft_margin_loss([800.0], [-1.0]) == 800.0
    assert F.soft_margin_loss(torch.tensor([800.0], dtype=torch.float64),
                              torch.tensor([-1.0], dtype=torch.float64)).item() == math.inf


@given(arrays((2, 3), moderate), arrays((2, 3), st.sampled_from([0.0, 1.0, 0.3])),
       arrays((3,), st.floats(0, 3)), REDUCTIONS)
def test_multilabel_soft_margin_loss_with_weights(x, t, w, reduction):
    agree_with_torch("multilabel_soft_margin_loss", x, t, weight=w, reduction=reduction)


near_zero_scale = st.sampled_from([0.0, 1e-300, 1e-20, 1e-9, 1e-6, 1e-3, 1.0, 1e6])


@given(arrays((3, 4), moderate), arrays((3, 4), moderate), near_zero_scale, near_zero_scale,
       arrays((3,), signs), st.floats(-1, 1), REDUCTIONS)
def test_cosine_embedding_loss_at_near_zero_norms(x1, x2, s1, s2, y, margin, reduction):
    agree_with_torch("cosine_embedding_loss", x1 * s1, x2 * s2, y, margin=margin,
                     reduction=reduction, atol=1e-15, grad_atol=1e-9)


@given(arrays((3, 4), moderate), arrays((3, 4), moderate), arrays((3, 4), moderate),
       near_zero_scale, st.sampled_from([1.0, 1.5, 2.0, 3.0]), st.sampled_from([0.0, 1e-6]),
       st.booleans(), st.floats(1e-6, 1e3), REDUCTIONS)
def test_triplet_margin_loss_at_near_zero_distances(a, pos, neg, scale, p, eps, swap, margin,
                                                    reduction):
    # the positive within `scale` of the anchor: the distance is near 0 (and eps dominates)
    agree_with_torch("triplet_margin_loss", a, a + scale * pos, neg, margin=margin, p=p, eps=eps,
                     swap=swap, reduction=reduction, atol=1e-12, grad_atol=1e-9)


@given(arrays((2, 3), moderate), arrays((2, 3), moderate), arrays((2, 3), moderate),
       st.booleans(), st.floats(1e-6, 1e3), REDUCTIONS)
def test_triplet_margin_with_distance_loss_default_distance(a, pos, neg, swap, margin,
                                                           reduction):
    agree_with_torch("triplet_margin_with_distance_loss", a, pos, neg, margin=margin, swap=swap,
                     reduction=reduction, atol=1e-12)


@given(arrays((6,), st.sampled_from([0.0, 1e-300, 1e-12, 1e-8, 1e-3, 0.5, 3.0])),
       arrays((6,), st.sampled_from([0.0, 0.5, 1.0, 2.0, 7.0, 1e6])), st.booleans(),
       st.sampled_from([0.0, 1e-8, 1e-3]), REDUCTIONS)
def test_poisson_nll_loss_with_rates_near_zero(rate, count, full, eps, reduction):
    if eps == 0 and np.any((rate == 0) & (count > 0)):  # log(0): inf, as in torch
        assert lb.poisson_nll_loss(rate, count, log_input=False, eps=eps) == math.inf
        return
    both_zero = (rate == 0) & (count == 0) & (eps == 0)
    if both_zero.any():  # 0 log 0 = 0 here; torch's 0 * log(0) is nan
        ours = lb.poisson_nll_loss(rate, count, log_input=False, eps=eps, reduction="none")
        assert np.all(ours[both_zero] == 0)
        assert np.all(lb.poisson_nll_loss_grad(rate, count, log_input=False, eps=eps)[both_zero]
                      == 1 / rate.size)
        rate, count = rate[~both_zero], count[~both_zero]
        if not rate.size:
            return
    agree_with_torch("poisson_nll_loss", rate, count, log_input=False, full=full, eps=eps,
                     reduction=reduction, grad_atol=1e-6)


@given(arrays((6,), st.floats(-50, 50)), arrays((6,), st.sampled_from([0.0, 1.0, 5.0, 40.0])),
       st.booleans(), REDUCTIONS)
def test_poisson_nll_loss_with_log_rates(x, count, full, reduction):
    agree_with_torch("poisson_nll_loss", x, count, full=full, reduction=reduction)


@given(arrays((3, 2), moderate), arrays((3, 2), moderate),
       arrays((3, 2), st.sampled_from([0.0, 1e-9, 1e-6, 0.01, 1.0, 1e4])), st.booleans(),
       st.sampled_from([1e-6, 1e-3]), REDUCTIONS)
def test_gaussian_nll_loss_with_variances_below_eps(x, t, var, full, eps, reduction):
    agree_with_torch("gaussian_nll_loss", x, t, var, full=full, eps=eps, reduction=reduction,
                     grad_atol=1e-6)


@pytest.mark.parametrize("var_shape,target_shape", [((4, 3), (4, 3)), ((4,), (4, 3)),
                                                    ((4, 1), (4, 1)), ((1, 3), (1, 3))])
def test_gaussian_nll_loss_shares_variances_as_torch_does(var_shape, target_shape):
    rng = np.random.default_rng(0)
    x, t = rng.normal(size=(4, 3)), rng.normal(size=target_shape)
    var = rng.uniform(0.1, 2.0, size=var_shape)
    for reduction in ("mean", "none"):
        agree_with_torch("gaussian_nll_loss", x, t, var, reduction=reduction)
    assert lb.gaussian_nll_loss(x, x, 2.0) == pytest.approx(
        F.gaussian_nll_loss(torch.tensor(x), torch.tensor(x), 2.0).item(), rel=1e-12)


@given(arrays((2, 3), st.floats(-30, 30)), arrays((2, 3), st.sampled_from([0.0, 1.0, 0.25])),
       st.sampled_from([-1.0, 0.0, 0.25, 1.0]), st.sampled_from([0.0, 0.5, 1.0, 2.0, 5.0]),
       REDUCTIONS)
def test_sigmoid_focal_loss_against_torchvisions_formula(x, t, alpha, gamma, reduction):
    agree_with_torch("sigmoid_focal_loss", x, t, alpha=alpha, gamma=gamma, reduction=reduction,
                     atol=1e-15, grad_atol=1e-12)


@given(arrays((7,), st.floats(-1e3, 1e3)), arrays((7,), st.floats(-1e3, 1e3)),
       st.floats(0, 1), REDUCTIONS)
def test_pinball_loss_is_sklearns_mean_pinball_loss(x, t, quantile, reduction):
    agree_with_torch("pinball_loss", x, t, quantile=quantile, reduction=reduction)
    assert lb.pinball_loss(x, t, quantile=quantile) == pytest.approx(
        mean_pinball_loss(t, x, alpha=quantile), rel=1e-12, abs=1e-300)


@given(arrays((4, 3), moderate), arrays((4, 3), moderate), st.floats(0.01, 10), REDUCTIONS)
def test_info_nce_loss_is_cross_entropy_on_cosine_similarities(q, k, temperature, reduction):
    q, k = q + 0.1, k - 0.1  # rows of zeros are refused (no direction); tested below
    agree_with_torch("info_nce_loss", q, k, temperature=temperature, reduction=reduction,
                     atol=1e-12, grad_atol=1e-10)


# --------------------------------------------------------------------------- gradients


def _numerical_cases():
    rng = np.random.default_rng(1)
    x, t, v = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.uniform(0.5, 2, (3, 4))
    s, idx, w = np.sign(rng.normal(size=(3, 4))), np.array([0, 3, 1]), rng.uniform(0, 2, 4)
    a, p, n = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    return [
        ("smooth_l1_loss", (x, t), {"beta": 0.7}),
        ("poisson_nll_loss", (x, np.abs(t)), {"full": True}),
        ("poisson_nll_loss", (v, np.abs(t)), {"log_input": False}),
        ("gaussian_nll_loss", (x, t, v), {}),
        ("gaussian_nll_loss", (x, t, v[:, 0]), {"reduction": "sum"}),
        ("pinball_loss", (x, t), {"quantile": 0.8}),
        ("soft_margin_loss", (x, s), {}),
        ("multi_margin_loss", (x, idx), {"p": 2, "weight": w, "margin": 1.5}),
        ("multilabel_margin_loss", (x, np.array([[0, 2, -1, 1]] * 3)), {}),
        ("multilabel_soft_margin_loss", (x, (s > 0) * 1.0), {"weight": w}),
        ("sigmoid_focal_loss", (x, (s > 0) * 1.0), {"reduction": "mean"}),
        ("margin_ranking_loss", (x, t, s), {"margin": 0.3}),
        ("hinge_embedding_loss", (x, s), {"margin": 0.5}),
        ("cosine_embedding_loss", (x, t, s[:, 0]), {"margin": -0.2}),
        ("triplet_margin_loss", (a, p, n), {"margin": 2.0, "p": 3.0, "swap": True}),
        ("triplet_margin_with_distance_loss", (a, p, n), {"margin": 2.0}),
        ("info_nce_loss", (a, p), {"temperature": 0.5}),
    ]


@pytest.mark.parametrize("name,args,kwargs", _numerical_cases(), ids=lambda c: str(c)[:30])
def test_gradients_match_numerical_gradient(name, args, kwargs):
    loss = getattr(lb, name)
    grads = getattr(lb, f"{name}_grad")(*args, **kwargs)
    grads = grads if isinstance(grads, tuple) else (grads,)
    for i, g in zip(DIFFERENTIATED.get(name, (0,)), grads, strict=True):
        def f(value, i=i):
            moved = list(args)
            moved[i] = value
            return np.sum(loss(*moved, **kwargs))
        np.testing.assert_allclose(g, lb.numerical_gradient(f, args[i]), rtol=1e-6, atol=1e-8)


def test_custom_distances_have_no_analytic_gradient():
    a = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"^triplet_margin_with_distance_loss_grad: .*"
                                         r"numerical_gradient"):
        lb.triplet_margin_with_distance_loss_grad(a, a, a, distance_function=lambda x, y: x[:, 0])


# --------------------------------------------------------------------------- exact numbers


def test_the_numbers_a_chapter_quotes():
    assert lb.huber_loss([0.5], [0.0], delta=0.5) / lb.smooth_l1_loss([0.5], [0.0], beta=0.5) == 0.5
    assert lb.huber_loss([3.0], [0.0], delta=2.0) / lb.smooth_l1_loss([3.0], [0.0], beta=2.0) == 2.0
    assert round(lb.poisson_nll_loss([math.log(3)], [5.0]), 5) == -2.49306
    assert round(lb.poisson_nll_loss([math.log(3)], [5.0], full=True), 5) == 2.27779
    assert round(lb.gaussian_nll_loss([0.1], [0.0], [0.01]), 5) == -1.80259
    assert round(lb.multi_margin_loss([13.0, -7.0, 11.0], 0, margin=10.0), 4) == 2.6667
    assert lb.triplet_margin_loss([0.0], [1.0], [1.5]) == pytest.approx(0.5, abs=1e-5)
    assert lb.margin_ranking_loss([2.0], [1.5], [1.0], margin=1.0) == 0.5


def test_shapes_without_a_batch_axis():
    rng = np.random.default_rng(2)
    a, p, n = rng.normal(size=(3, 5))
    for reduction in ("mean", "none"):
        assert np.shape(agree_with_torch("triplet_margin_loss", a, p, n,
                                         reduction=reduction)) == ()
        assert np.shape(agree_with_torch("cosine_embedding_loss", a, p, np.array(-1.0),
                                         reduction=reduction)) == ()
        assert np.shape(agree_with_torch("multi_margin_loss", a, np.array(2),
                                         reduction=reduction)) == ()
        assert np.shape(agree_with_torch("multilabel_margin_loss", a, np.array([4, 1, -1, 0, 0]),
                                         reduction=reduction)) == ()


def test_float32_stays_float32():
    x = np.array([[0.5, -1.0], [2.0, 0.0]], dtype=np.float32)
    s = np.array([[1.0, -1.0], [-1.0, 1.0]], dtype=np.float32)
    assert lb.smooth_l1_loss(x, s, reduction="none").dtype == np.float32
    assert lb.soft_margin_loss(x, s, reduction="none").dtype == np.float32
    assert lb.triplet_margin_loss(x, s, x * 2, reduction="none").dtype == np.float32
    assert lb.info_nce_loss(x + 1, s, reduction="none").dtype == np.float32
    assert lb.soft_margin_loss_grad(x, s).dtype == np.float32


# --------------------------------------------------------------------------- refusals

# Stricter than torch by design: each call torch answers, and the argument lossbook's
# ValueError names. torch computes a number for all of them; none has a meaning.
ONE = np.array([0.5, -1.0])
REFUSALS_BY_DESIGN = [
    ("margin_ranking_loss", (ONE, ONE, np.array([1.0, 0.0])), {}, "target must hold -1 or 1"),
    ("hinge_embedding_loss", (ONE, np.array([1.0, 0.0])), {}, "target must hold -1 or 1"),
    ("soft_margin_loss", (ONE, np.array([0.0, 1.0])), {}, "target must hold -1 or 1"),
    ("cosine_embedding_loss", (np.ones((2, 2)), np.ones((2, 2)), np.array([1.0, 0.0])), {},
     "target must hold -1 or 1"),
    ("multilabel_soft_margin_loss", (np.ones((1, 2)), np.array([[2.0, 0.0]])), {},
     "target must hold probabilities"),
    ("multilabel_soft_margin_loss", (np.ones((1, 2)), np.array([[1.0, 0.0]])),
     {"weight": np.array([1.0, -1.0])}, "weight has a negative entry"),
    ("multi_margin_loss", (np.ones((1, 2)), np.array([0])), {"weight": np.array([1.0, -1.0])},
     "weight has a negative entry"),
    ("sigmoid_focal_loss", (ONE, np.array([1.5, 0.0])), {}, "target must hold probabilities"),
    ("sigmoid_focal_loss", (ONE, np.array([1.0, 0.0])), {"alpha": 2.0}, "alpha must be"),
    ("poisson_nll_loss", (ONE, np.array([-1.0, 2.0])), {}, "target must be >= 0"),
    ("poisson_nll_loss", (ONE, np.array([1.0, 2.0])), {"log_input": False}, "input must be >= 0"),
    ("gaussian_nll_loss", (np.ones((2, 2)), np.ones(2), np.ones((2, 2))), {},
     "target has shape \\(2,\\)"),
]


@pytest.mark.parametrize("name,args,kwargs,message", REFUSALS_BY_DESIGN,
                         ids=[f"{c[0]}-{c[3][:20]}" for c in REFUSALS_BY_DESIGN])
def test_refusals_by_design(name, args, kwargs, message):
    reference = REFERENCE.get(name) or getattr(F, name)
    torch_value = reference(*(torch.tensor(a) for a in args),
                            **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                               for k, v in kwargs.items()})
    assert torch_value.numel() > 0  # torch answers
    for fn in (name, f"{name}_grad"):
        with pytest.raises(ValueError, match=rf"^{fn}: {message}"):
            getattr(lb, fn)(*args, **kwargs)


def _losses_and_gradients():
    return [name for name in lb.__all__ if callable(getattr(lb, name))
            and "reduction" in inspect.signature(getattr(lb, name)).parameters]


@pytest.mark.parametrize("name", _losses_and_gradients())
def test_size_average_and_reduce_are_refused_with_the_reduction_to_use(name):
    fn = getattr(lb, name)
    with pytest.raises(TypeError, match=rf"^{name}: size_average and reduce .* Use "
                                        r"reduction='sum' \(size_average=False"):
        fn(np.ones(2), np.ones(2), size_average=False)
    with pytest.raises(TypeError, match=r"Use reduction='none' \(size_average=None, reduce=False"):
        fn(np.ones(2), np.ones(2), reduce=False)


def test_every_new_loss_is_a_top_level_name():
    swept = set(_losses_and_gradients())
    for module in (lb.losses, lb.losses_regression, lb.losses_classification, lb.losses_embedding):
        for name in module.__all__:
            assert {name, f"{name}_grad"} <= swept, name
    assert {"ctc_loss", "ctc_loss_grad"} <= swept  # lossbook.ctc: the loss and its gradient
    for name in ("smooth_l1_loss", "info_nce_loss", "pinball_loss", "sigmoid_focal_loss"):
        assert getattr(lb, name).__module__.startswith("lossbook.losses_")
