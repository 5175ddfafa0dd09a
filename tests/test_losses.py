"""Every loss against torch.nn.functional, in float64 to 1e-10 relative.

Random cases come from hypothesis (shapes, reductions, class weights, ignore_index with some
ignored rows, label smoothing, probability targets, pos_weight); extreme logits (|z| up to 1e4)
must give finite values and no warning at all. Where torch itself loses precision (BCE's log
clamp at -100, BCE-with-logits without log1p for well-classified hard targets), the reference
is exact arithmetic with mpmath, and the test says so.
"""

import math

import mpmath
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _reference import strict, tt
from hypothesis import given
from hypothesis import strategies as st

import lossbook as lb

RTOL = 1e-10
REDUCTIONS = ["mean", "sum", "none"]

reductions = st.sampled_from(REDUCTIONS)
seeds = st.integers(0, 2**32 - 1)
shapes = st.lists(st.integers(1, 6), min_size=1, max_size=3).map(tuple)


def assert_like_torch(ours, ref, reduction, *, rtol=RTOL, atol=0.0, dtype=np.float64):
    """Same kind of result as torch (float for scalar reductions, array for "none"), same values."""
    ref = ref.detach().numpy()
    if reduction == "none":
        assert isinstance(ours, np.ndarray | np.floating)
        assert np.shape(ours) == ref.shape
        assert ours.dtype == dtype
    else:
        assert type(ours) is float
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=atol)


# --------------------------------------------------------------------------- regression losses


@st.composite
def regression_case(draw):
    shape = draw(shapes)
    rng = np.random.default_rng(draw(seeds))
    scale = draw(st.sampled_from([1e-3, 1.0, 1e3]))
    x = rng.normal(size=shape) * scale
    y = rng.normal(size=shape) * scale
    return x, y, draw(reductions)


@given(regression_case())
def test_mse_loss_matches_torch(case):
    x, y, reduction = case
    ours = strict(lb.mse_loss, x, y, reduction=reduction)
    assert_like_torch(ours, F.mse_loss(tt(x), tt(y), reduction=reduction), reduction)


@given(regression_case())
def test_l1_loss_matches_torch(case):
    x, y, reduction = case
    ours = strict(lb.l1_loss, x, y, reduction=reduction)
    assert_like_torch(ours, F.l1_loss(tt(x), tt(y), reduction=reduction), reduction)


@given(regression_case(), st.floats(0.01, 10.0))
def test_huber_loss_matches_torch(case, delta):
    x, y, reduction = case
    ours = strict(lb.huber_loss, x, y, reduction=reduction, delta=delta)
    ref = F.huber_loss(tt(x), tt(y), reduction=reduction, delta=delta)
    assert_like_torch(ours, ref, reduction)


def test_regression_losses_default_to_mean_and_accept_lists():
    assert lb.mse_loss([1.0, 2.0], [0.0, 0.0]) == 2.5
    assert lb.mse_loss([1, 2], [0, 0]) == 2.5  # ints become float64
    assert lb.l1_loss([1.0, -3.0], [0.0, 0.0]) == 2.0
    # Huber: quadratic (0.5 d^2) inside delta, linear (delta (|d| - delta / 2)) outside.
    assert lb.huber_loss([0.5, 3.0], [0.0, 0.0], reduction="none").tolist() == [0.125, 2.5]
    assert lb.huber_loss([3.0], [0.0], delta=2.0) == 4.0


@pytest.mark.parametrize("fn", [lb.mse_loss, lb.l1_loss, lb.huber_loss])
def test_regression_losses_keep_float32(fn):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = rng.normal(size=(64, 3)).astype(np.float32)
    ref_fn = {lb.mse_loss: F.mse_loss, lb.l1_loss: F.l1_loss, lb.huber_loss: F.huber_loss}[fn]
    none = strict(fn, x, y, reduction="none")
    assert none.dtype == np.float32
    np.testing.assert_allclose(none, ref_fn(tt(x), tt(y), reduction="none").numpy(), rtol=1e-5)
    mean = strict(fn, x, y)
    assert type(mean) is float
    assert mean == pytest.approx(ref_fn(tt(x), tt(y)).item(), rel=1e-5)


# --------------------------------------------------------------------------- cross-entropy


@st.composite
def classification_case(draw, *, allow_probs=True, allow_smoothing=True):
    """Logits (N, C) or (C,), targets, and keyword options, as numpy + torch-ready values."""
    rng = np.random.default_rng(draw(seeds))
    n = draw(st.integers(1, 8))
    c = draw(st.integers(1, 6))
    batched = draw(st.booleans())
    scale = draw(st.sampled_from([0.1, 1.0, 10.0, 100.0]))
    shape = (n, c) if batched else (c,)
    logits = rng.normal(size=shape) * scale
    kind = draw(st.sampled_from(["index", "probs"])) if allow_probs else "index"
    kwargs = {"reduction": draw(reductions)}
    if draw(st.booleans()):
        kwargs["weight"] = rng.uniform(0.1, 3.0, size=c)
    if allow_smoothing and draw(st.booleans()):
        kwargs["label_smoothing"] = draw(st.floats(0.0, 1.0))
    if kind == "probs":
        target = rng.dirichlet(np.ones(c), size=shape[:-1]) if c > 1 else np.ones(shape)
        if draw(st.booleans()):  # one-hot rows as probabilities
            target = np.eye(c)[rng.integers(0, c, size=shape[:-1])]
        return logits, target, kwargs
    ignore_index = draw(st.sampled_from([-100, -1, 0, 2]))
    if not batched:
        target = int(rng.integers(0, c))
        if target == ignore_index:
            ignore_index = -100
    else:
        target = rng.integers(0, c, size=n)
        ignored = rng.random(n) < draw(st.sampled_from([0.0, 0.3, 0.6]))
        target[ignored] = ignore_index
        kept = target != ignore_index
        if not kept.any():  # keep one row so "mean" is defined
            choices = [k for k in range(c) if k != ignore_index]
            if choices:
                target[0] = choices[0]
            else:
                target[0], ignore_index = 0, -100
    if ignore_index != -100 or draw(st.booleans()):
        kwargs["ignore_index"] = ignore_index
    return logits, target, kwargs


def torch_kwargs(kwargs):
    out = dict(kwargs)
    if "weight" in out:
        out["weight"] = tt(out["weight"])
    return out


# A row whose loss is below ~1e-16 is rounded to 0 by log(sum(exp)) (torch does the same): an
# absolute 1e-15 for such values that are ~0, far below the rounding of any O(1) loss.
ATOL_NEAR_ZERO = 1e-15


@given(classification_case())
def test_cross_entropy_matches_torch(case):
    logits, target, kwargs = case
    ours = strict(lb.cross_entropy, logits, target, **kwargs)
    ref = F.cross_entropy(tt(logits), tt(target), **torch_kwargs(kwargs))
    assert_like_torch(ours, ref, kwargs["reduction"], atol=ATOL_NEAR_ZERO)


@given(classification_case(allow_probs=False, allow_smoothing=False))
def test_nll_loss_matches_torch(case):
    logits, target, kwargs = case
    log_probs = F.log_softmax(tt(logits), dim=-1).numpy()
    ours = strict(lb.nll_loss, log_probs, target, **kwargs)
    ref = F.nll_loss(tt(log_probs), tt(target), **torch_kwargs(kwargs))
    assert_like_torch(ours, ref, kwargs["reduction"], atol=ATOL_NEAR_ZERO)


def test_cross_entropy_weighted_mean_divides_by_target_weights():
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]])
    target = np.array([0, 2])
    weight = np.array([1.0, 2.0, 4.0])
    per_row = lb.cross_entropy(logits, target, weight=weight, reduction="none")
    expected = per_row.sum() / (weight[0] + weight[2])
    assert lb.cross_entropy(logits, target, weight=weight) == pytest.approx(expected, rel=1e-14)


def test_cross_entropy_ignored_rows_contribute_nothing():
    logits = np.array([[2.0, 0.0], [0.5, 0.1], [-1.0, 1.0]])
    target = np.array([0, -100, 1])
    none = lb.cross_entropy(logits, target, reduction="none")
    assert none[1] == 0.0
    kept = lb.cross_entropy(logits[[0, 2]], target[[0, 2]])
    assert lb.cross_entropy(logits, target) == pytest.approx(kept, rel=1e-14)


def test_cross_entropy_accepts_lists_and_a_scalar_target():
    ref = F.cross_entropy(torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64), torch.tensor(1))
    assert lb.cross_entropy([1.0, 2.0, 0.5], 1) == pytest.approx(ref.item(), rel=RTOL)
    assert lb.cross_entropy([[1.0, 2.0, 0.5]], [1]) == pytest.approx(ref.item(), rel=RTOL)


def test_cross_entropy_keeps_float32():
    rng = np.random.default_rng(2)
    logits = (rng.normal(size=(256, 10)) * 3).astype(np.float32)
    target = rng.integers(0, 10, size=256)
    none = strict(lb.cross_entropy, logits, target, reduction="none")
    assert none.dtype == np.float32
    ref32 = F.cross_entropy(tt(logits), tt(target), reduction="none").numpy()
    np.testing.assert_allclose(none, ref32, rtol=1e-5, atol=1e-6)
    mean = strict(lb.cross_entropy, logits, target, label_smoothing=0.1)
    assert type(mean) is float
    ref = F.cross_entropy(tt(logits), tt(target), label_smoothing=0.1).item()
    assert mean == pytest.approx(ref, rel=1e-5)
    probs = rng.dirichlet(np.ones(10), size=256).astype(np.float32)
    none = strict(lb.cross_entropy, logits, probs, reduction="none")
    assert none.dtype == np.float32
    ref32 = F.cross_entropy(tt(logits), tt(probs), reduction="none").numpy()
    np.testing.assert_allclose(none, ref32, rtol=1e-5, atol=1e-6)


# Logits with |z| up to 1e4, including the float64 exp overflow/underflow edges (709.8, 745).
EXTREME = np.array(
    [
        [1e4, -1e4, 0.0],
        [-1e4, 1e4, 1e4],
        [1e4, 1e4, 1e4],
        [-1e4, -1e4, -1e4],
        [710.0, -745.0, 0.0],
        [-750.0, 0.0, 800.0],
        [1e3, -1e3, 5e3],
    ]
)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", [{}, {"weight": [0.5, 1.0, 2.0]}, {"label_smoothing": 0.2}])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_cross_entropy_extreme_logits(reduction, options, dtype):
    logits = EXTREME.astype(dtype)
    for target in (np.array([0, 0, 1, 2, 1, 0, 1]), np.array([1, 2, 0, 1, 0, 2, 2])):
        ours = strict(lb.cross_entropy, logits, target, reduction=reduction, **options)
        assert np.all(np.isfinite(ours))
        kw = {k: tt(np.asarray(v, dtype=dtype)) if k == "weight" else v for k, v in options.items()}
        # float64 torch is exact here; float32 values are up to 2e4, so 1e-5 relative.
        ref = F.cross_entropy(tt(logits), tt(target), reduction=reduction, **kw)
        rtol, atol = (RTOL, ATOL_NEAR_ZERO) if dtype == np.float64 else (1e-5, 1e-6)
        assert_like_torch(ours, ref, reduction, rtol=rtol, atol=atol, dtype=dtype)


def test_cross_entropy_extreme_logits_with_probability_targets():
    target = np.tile([0.2, 0.3, 0.5], (len(EXTREME), 1))
    for reduction in REDUCTIONS:
        ours = strict(lb.cross_entropy, EXTREME, target, reduction=reduction, label_smoothing=0.1)
        ref = F.cross_entropy(tt(EXTREME), tt(target), reduction=reduction, label_smoothing=0.1)
        assert np.all(np.isfinite(ours))
        assert_like_torch(ours, ref, reduction)


def test_nll_loss_extreme_log_probabilities():
    log_probs = F.log_softmax(tt(EXTREME), dim=-1).numpy()  # entries down to -2e4
    target = np.array([1, 0, 2, 0, 2, 1, 0])
    for reduction in REDUCTIONS:
        ours = strict(lb.nll_loss, log_probs, target, reduction=reduction)
        ref = F.nll_loss(tt(log_probs), tt(target), reduction=reduction)
        assert_like_torch(ours, ref, reduction)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(1000, 300), (257, 1000), (3, 70000)])
def test_cross_entropy_large_batches_match_torch(dtype, shape):
    # big enough that the fast path works through several blocks of rows, with a remainder
    rng = np.random.default_rng(13)
    logits = (rng.normal(size=shape) * 5).astype(dtype)
    target = rng.integers(0, shape[1], size=shape[0])
    ours = strict(lb.cross_entropy, logits, target, reduction="none")
    ref = F.cross_entropy(tt(logits), tt(target), reduction="none")
    rtol = RTOL if dtype == np.float64 else 1e-5
    assert_like_torch(ours, ref, "none", rtol=rtol, dtype=dtype)
    ours = strict(lb.cross_entropy, logits, target)
    assert ours == pytest.approx(F.cross_entropy(tt(logits), tt(target)).item(), rel=rtol)


def test_cross_entropy_bad_values_in_a_late_row_are_found():
    logits = np.random.default_rng(14).normal(size=(1000, 300))
    target = np.zeros(1000, dtype=np.int64)
    bad = logits.copy()
    bad[900, 7] = np.nan
    with pytest.raises(ValueError, match=r"(?s)cross_entropy.*input.*NaN.*\(900, 7\)"):
        strict(lb.cross_entropy, bad, target)
    bad = logits.copy()
    bad[700, 3] = np.inf
    with pytest.raises(ValueError, match=r"(?s)cross_entropy.*700.*inf"):
        strict(lb.cross_entropy, bad, target)
    bad = logits.copy()
    bad[999] = -np.inf  # a row with no possible class
    with pytest.raises(ValueError, match=r"(?s)cross_entropy.*999.*-inf"):
        strict(lb.cross_entropy, bad, target)


def test_cross_entropy_allows_minus_inf_for_impossible_classes():
    # -inf masks a class (as in attention masks); torch gives a finite loss, and so do we
    logits = np.array([[2.0, -np.inf, 0.5], [-np.inf, 1.0, -np.inf]])
    target = np.array([0, 1])
    for reduction in REDUCTIONS:
        ours = strict(lb.cross_entropy, logits, target, reduction=reduction)
        ref = F.cross_entropy(tt(logits), tt(target), reduction=reduction)
        assert_like_torch(ours, ref, reduction)
    # probability targets that give the masked class 0: 0 * log 0 counts as 0, so the loss is
    # finite (torch returns nan here: it computes 0 * -inf). Reference: the unmasked classes only.
    probs = np.array([[0.7, 0.0, 0.3], [0.0, 1.0, 0.0]])
    ours = strict(lb.cross_entropy, logits, probs, reduction="none")
    expected = [-(0.7 * math.log(math.exp(2.0) / (math.exp(2.0) + math.exp(0.5)))
                  + 0.3 * math.log(math.exp(0.5) / (math.exp(2.0) + math.exp(0.5)))), 0.0]
    np.testing.assert_allclose(ours, expected, rtol=RTOL)


def test_cross_entropy_warns_on_probability_looking_input():
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    with pytest.warns(UserWarning, match="(?i)probabilit") as record:
        lb.cross_entropy(probs, np.array([0, 2]))
    assert record[0].filename == __file__  # the warning points at the learner's line
    with pytest.warns(UserWarning, match="(?i)probabilit"):
        lb.cross_entropy(probs, probs)  # with probability targets too
    with pytest.warns(UserWarning, match="(?i)probabilit"):
        lb.cross_entropy(probs, np.array([0, 2]), label_smoothing=0.1)
    with pytest.warns(UserWarning, match="(?i)logit"):
        lb.cross_entropy(probs[0], 0)
    with pytest.warns(UserWarning, match="(?i)probabilit"):
        lb.cross_entropy(probs.astype(np.float32), np.array([0, 2]))


@pytest.mark.parametrize(
    "logits",
    [
        np.array([[2.0, -1.0, 0.3], [0.1, 0.2, 0.3]]),  # one row in [0, 1] not summing to 1
        np.array([[0.5, 0.2, 0.1], [0.1, 0.1, 0.3]]),  # all in [0, 1], rows do not sum to 1
        np.array([[1.5, -0.5, 0.0]]),  # sums to 1 but not in [0, 1]
        np.array([[0.7, 0.2, 0.1], [3.0, 1.0, -4.0]]),  # only some rows look like probabilities
        np.random.default_rng(3).normal(size=(100, 5)),
    ],
)
def test_cross_entropy_does_not_warn_on_logits(logits):
    target = np.zeros(len(logits), dtype=np.int64)
    strict(lb.cross_entropy, logits, target)
    strict(lb.cross_entropy, logits.astype(np.float32), target)


def test_nll_loss_warns_on_positive_input_but_not_on_log_probabilities():
    with pytest.warns(UserWarning, match="(?s)nll_loss.*positive"):
        lb.nll_loss(np.array([[2.0, 1.0, 0.1]]), np.array([0]))  # logits, not log-probs
    strict(lb.nll_loss, lb.log_softmax(np.array([[2.0, 1.0, 0.1], [1e4, 0.0, -1e4]])), [0, 2])


# --------------------------------------------------------------------------- binary cross-entropy


@st.composite
def binary_case(draw, *, logits):
    rng = np.random.default_rng(draw(seeds))
    shape = draw(shapes)
    if logits:
        scale = draw(st.sampled_from([0.1, 1.0, 10.0]))
        x = rng.normal(size=shape) * scale
    else:
        x = rng.uniform(1e-4, 1 - 1e-4, size=shape)  # away from 0 and 1: see the exact tests
    soft = draw(st.booleans())
    y = rng.uniform(0, 1, size=shape) if soft else rng.integers(0, 2, size=shape).astype(float)
    kwargs = {"reduction": draw(reductions)}
    weight_shape = draw(st.sampled_from([None, shape, shape[-1:]]))  # per element or per column
    if weight_shape is not None:
        kwargs["weight"] = rng.uniform(0.0, 3.0, size=weight_shape)
    if logits and draw(st.booleans()):
        kwargs["pos_weight"] = rng.uniform(0.1, 5.0, size=shape[-1:])
    return x, y, kwargs


def torch_binary_kwargs(kwargs):
    return {k: tt(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}


@given(binary_case(logits=False))
def test_binary_cross_entropy_matches_torch(case):
    p, y, kwargs = case
    ours = strict(lb.binary_cross_entropy, p, y, **kwargs)
    ref = F.binary_cross_entropy(tt(p), tt(y), **torch_binary_kwargs(kwargs))
    assert_like_torch(ours, ref, kwargs["reduction"])


@given(binary_case(logits=True))
def test_binary_cross_entropy_with_logits_matches_torch(case):
    z, y, kwargs = case
    ours = strict(lb.binary_cross_entropy_with_logits, z, y, **kwargs)
    ref = F.binary_cross_entropy_with_logits(tt(z), tt(y), **torch_binary_kwargs(kwargs))
    # For a well-classified hard target torch subtracts two numbers of size |z|, so its tiny
    # losses carry ~1e-16 * |z| absolute error: atol 1e-14 for those values that are ~0.
    assert_like_torch(ours, ref, kwargs["reduction"], atol=1e-14)


def test_binary_cross_entropy_keeps_float32():
    rng = np.random.default_rng(4)
    z = (rng.normal(size=(128, 3)) * 4).astype(np.float32)
    y = rng.integers(0, 2, size=(128, 3)).astype(np.float32)
    p = (1 / (1 + np.exp(-z))).astype(np.float32)
    for ours_fn, ref_fn, x in [
        (lb.binary_cross_entropy, F.binary_cross_entropy, p),
        (lb.binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits, z),
    ]:
        none = strict(ours_fn, x, y, reduction="none")
        assert none.dtype == np.float32
        np.testing.assert_allclose(
            none, ref_fn(tt(x), tt(y), reduction="none").numpy(), rtol=1e-5, atol=1e-6
        )
        mean = strict(ours_fn, x, y)
        assert type(mean) is float
        assert mean == pytest.approx(ref_fn(tt(x), tt(y)).item(), rel=1e-5)


def exact_bce_with_logits(z, t, pos_weight=1.0):
    """-(pw t log sigmoid(z) + (1 - t) log(1 - sigmoid(z))) in 50-digit arithmetic."""
    with mpmath.workdps(50):
        z, t, pw = mpmath.mpf(z), mpmath.mpf(t), mpmath.mpf(pos_weight)
        log_sig = -mpmath.log1p(mpmath.exp(-z))
        log_one_minus = -mpmath.log1p(mpmath.exp(z))
        return float(-(pw * t * log_sig + (1 - t) * log_one_minus))


@pytest.mark.parametrize("pos_weight", [None, 2.5])
def test_binary_cross_entropy_with_logits_extreme_is_exact(pos_weight):
    # torch loses these: for z = -40 and t = 0 it returns 0 instead of 4.25e-18, because it
    # does not keep log1p(exp(-|z|)) apart from a term of size |z|. The reference is mpmath.
    z = np.array([1e4, -1e4, 1e4, -1e4, 40.0, -40.0, 40.0, -40.0, 745.0, -745.0, 30.0, -30.0, 0.0])
    t = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.3, 0.7, 1.0])
    kwargs = {} if pos_weight is None else {"pos_weight": np.full(z.shape, pos_weight)}
    ours = strict(lb.binary_cross_entropy_with_logits, z, t, reduction="none", **kwargs)
    exact = [exact_bce_with_logits(a, b, pos_weight or 1.0) for a, b in zip(z, t, strict=True)]
    assert np.all(np.isfinite(ours))
    # z = 745 gives losses of 5e-324 (subnormal, one significant bit): atol 1e-320 there only.
    np.testing.assert_allclose(ours, exact, rtol=RTOL, atol=1e-320)


def test_binary_cross_entropy_is_exact_where_torch_clamps():
    # torch clamps log(p) at -100, so p = 1e-300 with t = 1 gives 100; the exact loss is
    # -log(1e-300) = 690.78. The reference is math.log in float64 (exact to rounding here).
    p = np.array([1e-300, 1.0 - 2.0**-53, 1e-60, 0.5])
    t = np.array([1.0, 0.0, 1.0, 1.0])
    ours = strict(lb.binary_cross_entropy, p, t, reduction="none")
    exact = [-math.log(1e-300), -math.log1p(-(1.0 - 2.0**-53)), -math.log(1e-60), math.log(2)]
    np.testing.assert_allclose(ours, exact, rtol=RTOL)
    assert F.binary_cross_entropy(tt(p[:1]), tt(t[:1])).item() == 100.0  # what torch says


def test_binary_cross_entropy_at_zero_and_one():
    # 0 log 0 counts as 0: a certain, correct prediction costs nothing (not nan).
    p, t = np.array([0.0, 1.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.5, 0.5])
    ours = strict(lb.binary_cross_entropy, p[:2], t[:2], reduction="none")
    assert ours.tolist() == [0.0, 0.0]
    # A certain, wrong prediction costs infinity (torch would say 100), without a warning.
    ours = strict(lb.binary_cross_entropy, np.array([0.0, 1.0]), np.array([1.0, 0.0]),
                  reduction="none")
    assert ours.tolist() == [math.inf, math.inf]
    assert math.isinf(strict(lb.binary_cross_entropy, p, t))
    # weight 0 drops an element, even one whose loss is infinite (not 0 * inf = nan)
    w = np.array([0.0, 1.0])
    ours = strict(lb.binary_cross_entropy, np.array([0.0, 0.5]), np.array([1.0, 1.0]), weight=w,
                  reduction="none")
    assert ours.tolist() == [0.0, math.log(2)]
    grad = strict(lb.binary_cross_entropy_grad, np.array([0.0, 0.5]), np.array([1.0, 1.0]),
                  weight=w, reduction="none")
    assert grad.tolist() == [0.0, -2.0]


# --------------------------------------------------------------------------- textbook form


@st.composite
def probs_case(draw):
    rng = np.random.default_rng(draw(seeds))
    n, c = draw(st.integers(1, 8)), draw(st.integers(2, 6))
    batched = draw(st.booleans())
    shape = (n, c) if batched else (c,)
    probs = rng.dirichlet(np.ones(c), size=shape[:-1])
    kind = draw(st.sampled_from(["index", "onehot", "probs"]))
    if kind == "index":
        target = rng.integers(0, c, size=n) if batched else int(rng.integers(0, c))
    elif kind == "onehot":
        target = np.eye(c)[rng.integers(0, c, size=shape[:-1])]
    else:
        target = rng.dirichlet(np.ones(c), size=shape[:-1])
    base = draw(st.sampled_from([math.e, 10, 2, 0.5, 3.7]))
    return probs, target, base, draw(reductions)


@given(probs_case())
def test_cross_entropy_from_probs_is_the_textbook_formula(case):
    probs, target, base, reduction = case
    ours = strict(lb.cross_entropy_from_probs, probs, target, base=base, reduction=reduction)
    p = tt(probs)
    if isinstance(target, int) or np.ndim(target) < np.ndim(probs):
        t = F.one_hot(tt(target), probs.shape[-1]).double()
    else:
        t = tt(target)
    ref = -(t * torch.log(p)).sum(-1) / math.log(base)
    ref = {"mean": ref.mean(), "sum": ref.sum(), "none": ref}[reduction]
    assert_like_torch(ours, ref, reduction)


def test_cross_entropy_from_probs_bases():
    # The number some tutorials print for a 50 % prediction: log10(2) = 0.30103.
    assert lb.cross_entropy_from_probs([0.5, 0.5], 0, base=10) == pytest.approx(math.log10(2))
    assert lb.cross_entropy_from_probs([0.5, 0.5], 0, base=2) == pytest.approx(1.0)
    assert lb.cross_entropy_from_probs([0.5, 0.5], 0) == pytest.approx(math.log(2))


def test_cross_entropy_from_probs_zero_probability_of_other_classes():
    # 0 log 0 counts as 0: only the true class matters for a one-hot target.
    assert strict(lb.cross_entropy_from_probs, [[1.0, 0.0, 0.0]], [[1.0, 0.0, 0.0]]) == 0.0
    ours = strict(lb.cross_entropy_from_probs, [[0.5, 0.5, 0.0]], [0])
    assert ours == pytest.approx(math.log(2), rel=RTOL)


def test_cross_entropy_from_probs_equals_cross_entropy_on_log_probs():
    rng = np.random.default_rng(5)
    logits = rng.normal(size=(20, 4))
    target = rng.integers(0, 4, size=20)
    probs = lb.softmax(logits)
    assert lb.cross_entropy_from_probs(probs, target) == pytest.approx(
        lb.cross_entropy(logits, target), rel=1e-12
    )


def test_sequence_logits_with_classes_last_are_told_to_move_them():
    """(N, length, C) logits with (N, length) targets: torch's layout has the classes in dimension 1."""
    with pytest.raises(ValueError, match=r"C = 5 here.*C = 4.*np\.moveaxis\(input, -1, 1\)"):
        lb.cross_entropy(np.zeros((2, 5, 4)), np.zeros((2, 5), dtype=int))
    # moved as the message says, it is torch's layout and gives torch's value
    z = np.random.default_rng(0).normal(size=(2, 5, 4))
    t = np.array([[0, 1, 2, 3, 0], [3, 2, 1, 0, 1]])
    want = F.cross_entropy(torch.from_numpy(z).permute(0, 2, 1), torch.from_numpy(t))
    assert lb.cross_entropy(np.moveaxis(z, -1, 1), t) == pytest.approx(float(want), rel=1e-12)
