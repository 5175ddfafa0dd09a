"""Ignored rows, zero-weight rows and impossible classes contribute exactly nothing.

In every path of cross_entropy (the fast path, class weights, probability targets, label
smoothing), in nll_loss and in their gradients, a row that counts 0 (ignore_index, or class weight
0) and a term whose coefficient is 0 against a -inf logit add exactly 0: no nan and no
RuntimeWarning. The reference is torch. Where torch itself returns nan (0 * -inf: a zero-weight
class or a zero target against a -inf logit), the reference is torch with each -inf replaced by
-1e300: exp(-1e300 - max) is exactly 0 in float64, so every softmax value, every term with a
non-zero coefficient and every gradient entry are the same as with -inf, and the terms with a 0
coefficient are 0 * finite = 0, the exact value.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _reference import strict, tt

import lossbook as lb

RTOL = 1e-12
INF = np.inf
LOGITS = np.array([[-INF, 0.0, 1.0], [0.5, 0.2, -1.0], [2.0, -INF, 0.3]])
WEIGHT = np.array([0.0, 1.0, 2.0])
REDUCTIONS = ["mean", "sum", "none"]


def torch_loss_and_grad(fn, logits, target, **kwargs):
    z = tt(logits).requires_grad_(True)
    kwargs = {k: tt(v) if k == "weight" else v for k, v in kwargs.items()}
    loss = fn(z, tt(target), **kwargs)
    loss.sum().backward()
    return loss.detach().numpy(), z.grad.numpy()


def finite_stand_in(logits):
    return np.where(np.isneginf(logits), -1e300, logits)


CASES = {  # name: (target, options); every case has a row that counts 0 against a -inf logit
    "fast path, ignored row": ([-100, 1, 2], {}),
    "fast path, other ignore_index": ([7, 1, 2], {"ignore_index": 7}),
    "ignored row whose class 0 is -inf, weights": ([-100, 1, 0], {"weight": WEIGHT}),
    "weights, zero-weight row": ([0, 1, 2], {"weight": WEIGHT}),
    "label smoothing, ignored row": ([-100, 1, 0], {"label_smoothing": 0.1}),
    "smoothing and zero weight": ([0, 1, 0], {"weight": WEIGHT, "label_smoothing": 0.2}),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_cross_entropy_rows_that_count_zero_add_nothing(case, reduction):
    target, kwargs = CASES[case]
    target = np.array(target)
    logits = LOGITS if "label_smoothing" not in kwargs else LOGITS[:2]  # smoothing needs every
    target = target[: len(logits)]  # class possible in a counted row, or the loss is inf
    ours = strict(lb.cross_entropy, logits, target, reduction=reduction, **kwargs)
    grad = strict(lb.cross_entropy_grad, logits, target, reduction=reduction, **kwargs)
    ref, ref_grad = torch_loss_and_grad(F.cross_entropy, logits, target, reduction=reduction,
                                        **kwargs)
    if np.isnan(ref).any() or np.isnan(ref_grad).any():  # torch's 0 * -inf
        assert "weight" in kwargs
        ref, ref_grad = torch_loss_and_grad(F.cross_entropy, finite_stand_in(logits), target,
                                            reduction=reduction, **kwargs)
    np.testing.assert_allclose(ours, ref, rtol=RTOL)
    np.testing.assert_allclose(grad, ref_grad, rtol=RTOL, atol=1e-15)
    assert np.isfinite(grad).all() and np.isfinite(ours).all()
    if target[0] != 0 or "label_smoothing" not in kwargs:  # row 0 counts 0
        assert (grad[0] == 0).all()
        if reduction == "none":
            assert ours[0] == 0


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [None, WEIGHT], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_cross_entropy_probability_targets_with_zero_on_a_minus_inf_class(reduction, weight,
                                                                         smoothing):
    # torch gives nan for 0 * log(0); the exact term is 0
    target = np.array([[0.0, 0.25, 0.75], [0.2, 0.5, 0.3], [0.6, 0.0, 0.4]])
    kwargs = {} if weight is None else {"weight": weight}
    logits = LOGITS if smoothing == 0 else LOGITS[1:2]
    target = target if smoothing == 0 else target[1:2]
    ours = strict(lb.cross_entropy, logits, target, reduction=reduction,
                  label_smoothing=smoothing, **kwargs)
    grad = strict(lb.cross_entropy_grad, logits, target, reduction=reduction,
                  label_smoothing=smoothing, **kwargs)
    ref, ref_grad = torch_loss_and_grad(F.cross_entropy, finite_stand_in(logits), target,
                                        reduction=reduction, label_smoothing=smoothing, **kwargs)
    np.testing.assert_allclose(ours, ref, rtol=RTOL)
    np.testing.assert_allclose(grad, ref_grad, rtol=RTOL, atol=1e-15)
    if smoothing == 0:
        assert np.isnan(F.cross_entropy(tt(logits), tt(target), reduction="sum").item())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", ["ignored", "weight 0"])
def test_nll_loss_rows_that_count_zero_add_nothing(case, reduction):
    logp = lb.log_softmax(LOGITS)
    kwargs = {"weight": WEIGHT} if case == "weight 0" else {}
    target = np.array([0, 1, 2]) if kwargs else np.array([-100, 1, 2])
    ours = strict(lb.nll_loss, logp, target, reduction=reduction, **kwargs)
    grad = strict(lb.nll_loss_grad, logp, target, reduction=reduction, **kwargs)
    ref, ref_grad = torch_loss_and_grad(F.nll_loss, logp, target, reduction=reduction, **kwargs)
    if kwargs:
        assert np.isnan(ref).any()  # torch: weight 0 times log-probability -inf
        ref, ref_grad = torch_loss_and_grad(F.nll_loss, finite_stand_in(logp), target,
                                            reduction=reduction, **kwargs)
    np.testing.assert_allclose(ours, ref, rtol=RTOL)
    np.testing.assert_allclose(grad, ref_grad, rtol=RTOL)
    assert (grad[0] == 0).all() and not np.signbit(grad[0]).any()


def test_every_row_counting_zero_gives_nan_mean_like_torch_but_no_warning():
    target = np.array([-100, -100, -100])
    assert np.isnan(strict(lb.cross_entropy, LOGITS, target))
    assert np.isnan(F.cross_entropy(tt(LOGITS), tt(target)).item())
    assert strict(lb.cross_entropy, LOGITS, target, reduction="sum") == 0.0
    assert np.isnan(strict(lb.cross_entropy_grad, LOGITS, target)).all()


def test_a_counted_row_whose_target_is_impossible_is_inf_like_torch():
    target = np.array([0, 1, 2])  # row 0's target class has logit -inf
    ours = strict(lb.cross_entropy, LOGITS, target, reduction="none")
    ref = F.cross_entropy(tt(LOGITS), tt(target), reduction="none").numpy()
    assert ours[0] == np.inf == ref[0]
    np.testing.assert_allclose(ours[1:], ref[1:], rtol=RTOL)


def test_float32_masked_rows_stay_float32_and_finite():
    z = LOGITS.astype(np.float32)
    out = strict(lb.cross_entropy, z, np.array([-100, 1, 2]), reduction="none")
    assert out.dtype == np.float32 and out[0] == 0 and np.isfinite(out).all()
    ref = F.cross_entropy(torch.from_numpy(z), torch.tensor([-100, 1, 2]), reduction="none")
    np.testing.assert_allclose(out, ref.numpy(), rtol=1e-6)
