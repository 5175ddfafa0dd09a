"""lb.ctc_loss and lb.ctc_loss_grad against torch.nn.functional.ctc_loss and its autograd.

In float64 at rtol 1e-9: on the sample inputs PyTorch's own test suite uses for ctc_loss
(``op_db``'s entry ``nn.functional.ctc_loss``), on a hand-checked anchor, and on hypothesis cases
with repeated labels, empty targets, zero input lengths and infeasible alignments, with and
without ``zero_infinity``. The gradients also against ``numerical_gradient``. Bad input: every
refusal by design is listed, each with what torch does instead.
"""

from __future__ import annotations

import math
import warnings
from functools import partial

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _reference import strict, tt
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

RTOL = 1e-9
# A gradient entry is exp(lp) - gamma, a difference of two probabilities: where they nearly
# cancel, rounding of either (about 1e-16) is all that is left, so an absolute floor is needed.
GRAD_ATOL = 1e-13
REDUCTIONS = ["mean", "sum", "none"]


def torch_ctc(lp, targets, il, tl, **kwargs):
    """torch's loss and its autograd gradient (of the sum for "none") on numpy input."""
    x = tt(lp).requires_grad_()
    loss = F.ctc_loss(x, tt(targets), tt(il), tt(tl), **kwargs)
    loss.sum().backward()
    return loss.detach().numpy(), x.grad.numpy()


def random_log_probs(rng, shape, dtype=np.float64):
    return lb.log_softmax(rng.normal(size=shape) * 2).astype(dtype)


# --------------------------------------------------------------------------- the anchor


def test_the_anchor_three_paths_of_four():
    """T = 2, each step uniform over {blank, a}; "a" is read by "a-", "-a" and "aa": 3/4."""
    lp = np.log(np.full((2, 2), 0.5))
    assert lb.ctc_loss(lp, [1], 2, 1, reduction="sum") == pytest.approx(-math.log(0.75), rel=1e-15)
    assert round(lb.ctc_loss(lp, [1], 2, 1, reduction="sum"), 6) == 0.287682
    # torch's gradient: exp(lp) - gamma; gamma(a) is 2/3 at each step ("a-", "aa" at t = 0)
    np.testing.assert_allclose(lb.ctc_loss_grad(lp, [1], 2, 1, reduction="sum"),
                               [[0.5 - 1 / 3, 0.5 - 2 / 3]] * 2, rtol=1e-15)
    ours = lb.ctc_loss(lp[:, None], [[1]], [2], [1], reduction="none")
    ref, grad = torch_ctc(lp[:, None], [[1]], [2], [1], reduction="none")
    np.testing.assert_allclose(ours, ref, rtol=1e-15)
    np.testing.assert_allclose(lb.ctc_loss_grad(lp[:, None], [[1]], [2], [1], reduction="none"),
                               grad, rtol=1e-15)


def test_an_impossible_target_is_inf_or_zero_with_zero_infinity():
    lp = np.log(np.full((2, 2), 0.5))
    assert lb.ctc_loss(lp, [1, 1], 2, 2) == math.inf  # "aa" needs "a-a": 3 steps
    assert lb.ctc_loss(lp, [1, 1], 2, 2, zero_infinity=True) == 0.0
    np.testing.assert_array_equal(lb.ctc_loss_grad(lp, [1, 1], 2, 2, zero_infinity=True), 0.0)
    ref, grad = torch_ctc(lp[:, None], [[1, 1]], [2], [2], zero_infinity=True)
    assert ref == 0.0 and (grad == 0).all()


def test_repeated_labels_need_a_blank_between_them():
    """"aa" on three steps: the one path "a-a"; "ab" needs no blank: two steps are enough."""
    rng = np.random.default_rng(0)
    lp = random_log_probs(rng, (3, 3))
    only_path = lp[0, 1] + lp[1, 0] + lp[2, 1]
    assert lb.ctc_loss(lp, [1, 1], 3, 2, reduction="sum") == pytest.approx(-only_path, rel=1e-14)
    assert lb.ctc_loss(lp, [1, 1], 2, 2, reduction="sum") == math.inf
    assert lb.ctc_loss(lp, [1, 2], 2, 2, reduction="sum") == pytest.approx(
        -(lp[0, 1] + lp[1, 2]), rel=1e-14)


def test_an_empty_target_is_all_blanks_and_its_mean_divides_by_one():
    rng = np.random.default_rng(1)
    lp = random_log_probs(rng, (4, 2, 3))
    loss = lb.ctc_loss(lp, np.zeros((2, 0), dtype=np.int64), [4, 2], [0, 0], reduction="none")
    np.testing.assert_allclose(loss, [-lp[:, 0, 0].sum(), -lp[:2, 1, 0].sum()], rtol=1e-14)
    assert lb.ctc_loss(lp, [], [4, 2], [0, 0]) == pytest.approx(loss.mean(), rel=1e-14)
    # no time steps: only the empty target can be read (loss 0); any other is impossible
    np.testing.assert_array_equal(lb.ctc_loss(lp, [1], [0, 0], [0, 1], reduction="none"),
                                  [0.0, math.inf])


# --------------------------------------------------------------------------- torch's own samples


def _torch_samples():
    from torch.testing._internal.common_methods_invocations import op_db

    (op,) = [op for op in op_db if op.name == "nn.functional.ctc_loss"]
    torch.manual_seed(0)
    return list(op.sample_inputs("cpu", torch.float64, requires_grad=True))


def _numpy(value):
    return value.detach().numpy() if isinstance(value, torch.Tensor) else value


def test_torch_own_samples_loss_and_gradient():
    samples = _torch_samples()
    assert len(samples) == 12  # every reduction, zero_infinity, lengths as lists and as tensors
    for sample in samples:
        targets, il, tl = sample.args
        kwargs = sample.kwargs
        loss = F.ctc_loss(sample.input, targets, il, tl, **kwargs)
        loss.sum().backward()
        args = (_numpy(sample.input), _numpy(targets), _numpy(il), _numpy(tl))
        ours = strict(lb.ctc_loss, *args, **kwargs)
        np.testing.assert_allclose(ours, loss.detach().numpy(), rtol=RTOL)
        assert (type(ours) is float) == (kwargs["reduction"] != "none")
        grad = strict(lb.ctc_loss_grad, *args, **kwargs)
        np.testing.assert_allclose(grad, sample.input.grad.numpy(), rtol=RTOL, atol=GRAD_ATOL)


# --------------------------------------------------------------------------- hypothesis


@st.composite
def ctc_case(draw):
    """Random batches: short and zero input lengths, empty targets, repeated labels (a small
    alphabet makes them common), targets longer than their input (infeasible)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_steps, n, n_classes = draw(st.integers(1, 8)), draw(st.integers(1, 4)), draw(st.integers(2, 5))
    blank = draw(st.integers(0, n_classes - 1))
    longest = draw(st.integers(0, 6))
    tl = rng.integers(0, longest + 1, size=n)
    il = rng.integers(0, n_steps + 1, size=n)
    labels = [c for c in range(n_classes) if c != blank]
    targets = rng.choice(labels, size=(n, longest)) if longest else np.zeros((n, 0), np.int64)
    lp = random_log_probs(rng, (n_steps, n, n_classes))
    return lp, targets, il, tl, blank


@settings(max_examples=200, deadline=None)
@given(ctc_case(), st.sampled_from(REDUCTIONS), st.booleans())
def test_loss_matches_torch(case, reduction, zero_infinity):
    lp, targets, il, tl, blank = case
    kwargs = dict(blank=blank, reduction=reduction, zero_infinity=zero_infinity)
    ref, grad = torch_ctc(lp, targets, il, tl, **kwargs)
    ours = strict(lb.ctc_loss, lp, targets, il, tl, **kwargs)
    np.testing.assert_allclose(ours, ref, rtol=RTOL)
    feasible = np.isfinite(lb.ctc_loss(lp, targets, il, tl, blank=blank, reduction="none"))
    if zero_infinity or feasible.all():
        ours_grad = strict(lb.ctc_loss_grad, lp, targets, il, tl, **kwargs)
        np.testing.assert_allclose(ours_grad, grad, rtol=RTOL, atol=GRAD_ATOL)
    else:  # torch's gradient is nan on the infeasible sequences' steps; an inf loss has none
        steps = np.arange(len(lp))[:, None] < il
        assert np.isnan(grad[steps & ~feasible]).all()
        with pytest.raises(ValueError, match=r"^ctc_loss_grad: sequence \d+ has an infinite loss "
                                             r".*zero_infinity=True"):
            lb.ctc_loss_grad(lp, targets, il, tl, **kwargs)


@settings(max_examples=50, deadline=None)
@given(ctc_case())
def test_concatenated_and_unbatched_targets_give_the_padded_answer(case):
    lp, targets, il, tl, blank = case
    padded = lb.ctc_loss(lp, targets, il, tl, blank=blank, reduction="none")
    concatenated = np.concatenate([row[:k] for row, k in zip(targets, tl, strict=True)])
    np.testing.assert_array_equal(
        lb.ctc_loss(lp, concatenated, il, tl, blank=blank, reduction="none"), padded)
    np.testing.assert_allclose(
        lb.ctc_loss(lp, concatenated, il, tl, blank=blank, reduction="none"),
        F.ctc_loss(tt(lp), tt(concatenated), tt(il), tt(tl), blank=blank, reduction="none"),
        rtol=RTOL)
    for i in range(len(il)):  # each sequence alone, as torch's unbatched (T, C) form
        alone = lb.ctc_loss(lp[:, i], targets[i], int(il[i]), int(tl[i]), blank=blank,
                            reduction="none")
        assert alone.shape == () and alone == padded[i]
        np.testing.assert_array_equal(
            lb.ctc_loss_grad(lp[:, i], targets[i], il[i], [tl[i]], blank=blank, reduction="none",
                             zero_infinity=True),
            lb.ctc_loss_grad(lp, targets, il, tl, blank=blank, reduction="none",
                             zero_infinity=True)[:, i])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_and_float32_agrees_with_torch(dtype):
    rng = np.random.default_rng(2)
    lp = random_log_probs(rng, (30, 4, 6), dtype)
    targets, il, tl = rng.integers(1, 6, size=(4, 8)), [30, 25, 12, 30], [8, 5, 3, 0]
    ref, grad = torch_ctc(lp, targets, il, tl, reduction="none")
    ours = lb.ctc_loss(lp, targets, il, tl, reduction="none")
    assert ours.dtype == dtype and lb.ctc_loss_grad(lp, targets, il, tl).dtype == dtype
    ours_grad = lb.ctc_loss_grad(lp, targets, il, tl, reduction="none")
    if dtype == np.float64:
        np.testing.assert_allclose(ours, ref, rtol=RTOL)
        np.testing.assert_allclose(ours_grad, grad, rtol=RTOL, atol=GRAD_ATOL)
        return
    # float32 rounds differently in each; both are as far from the float64 answer
    np.testing.assert_allclose(ours, ref, rtol=1e-6)
    exact = torch_ctc(lp.astype(np.float64), targets, il, tl, reduction="none")[1]
    assert np.abs(ours_grad - exact).max() <= 2 * np.abs(grad - exact).max() <= 1e-4


# --------------------------------------------------------------------------- gradient semantics


def test_the_gradient_is_torchs_the_logit_gradient_through_log_softmax():
    """torch's CTC backward returns exp(lp) - gamma: the derivative with respect to logits z
    with lp = log_softmax(z). The derivative with respect to lp as free numbers is -gamma."""
    rng = np.random.default_rng(3)
    z = rng.normal(size=(5, 2, 4))
    targets, il, tl = np.array([[1, 2, 2], [3, 1, 0]]), [5, 4], [3, 2]
    lp = lb.log_softmax(z)
    grad = lb.ctc_loss_grad(lp, targets, il, tl)

    def through_log_softmax(v):
        return lb.ctc_loss(lb.log_softmax(v), targets, il, tl)

    np.testing.assert_allclose(grad, lb.numerical_gradient(through_log_softmax, z),
                               rtol=1e-6, atol=1e-9)

    def of_free_log_probs(v):  # moving one entry makes a row unnormalised: we warn, on purpose
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return lb.ctc_loss(v, targets, il, tl)

    counted = (np.arange(5)[:, None] < np.array(il))[:, :, None]
    per_label = np.array([3, 2])[None, :, None] * 2  # the mean: / target length / batch size
    np.testing.assert_allclose(grad - np.where(counted, np.exp(lp), 0) / per_label,
                               lb.numerical_gradient(of_free_log_probs, lp), rtol=1e-6, atol=1e-9)
    # each counted step's gradient sums to 0 over the classes; beyond the input length it is 0
    np.testing.assert_allclose(grad.sum(axis=-1), 0, atol=1e-15)
    assert (grad[4, 1] == 0).all()


def test_minus_infinity_is_probability_zero_with_a_zero_gradient():
    """torch's gradient is nan wherever log_probs is -inf; the exact value is 0."""
    rng = np.random.default_rng(4)
    lp = random_log_probs(rng, (4, 1, 3))
    lp[1, 0, 2] = -np.inf  # a class that is not in the target
    lp[2, 0, 1] = -np.inf  # the target's class, at one step
    lp = lb.log_softmax(np.where(np.isinf(lp), -np.inf, lp))
    ref, grad = torch_ctc(lp, [[1]], [4], [1])
    assert np.isnan(grad[1, 0, 2]) and np.isnan(grad[2, 0, 1])
    ours = strict(lb.ctc_loss_grad, lp, [[1]], [4], [1])
    assert ours[1, 0, 2] == 0 and ours[2, 0, 1] == 0
    finite = ~np.isnan(grad)
    np.testing.assert_allclose(ours[finite], grad[finite], rtol=RTOL, atol=GRAD_ATOL)
    assert strict(lb.ctc_loss, lp, [[1]], [4], [1]) == pytest.approx(float(ref), rel=RTOL)


# --------------------------------------------------------------------------- bad input


def _good():
    rng = np.random.default_rng(5)
    return random_log_probs(rng, (6, 2, 4)), np.array([[1, 2, 3], [3, 3, 0]]), [6, 5], [3, 2]


# Refusals by design: (what is wrong, the call's changes, error, message, what torch does)
REFUSALS = [
    ("an input length above T", {"il": [7, 5]}, ValueError,
     r"input_lengths has 7 for sequence 0, but log_probs has only T = 6", "RuntimeError"),
    ("a negative input length", {"il": [-1, 5]}, ValueError,
     r"input_lengths has the negative length -1 for sequence 0", "RuntimeError"),
    ("a negative target length", {"tl": [3, -2]}, ValueError,
     r"target_lengths has the negative length -2 for sequence 1", "RuntimeError"),
    ("float lengths", {"il": [6.0, 5.0]}, TypeError,
     r"input_lengths must hold integer lengths, got dtype float64\. Its values are whole "
     r"numbers: use np\.asarray\(input_lengths\)\.astype\(np\.int64\)", "RuntimeError"),
    ("one length too few", {"tl": [3]}, ValueError,
     r"target_lengths has shape \(1,\); it needs shape \(2,\): one length per sequence",
     "RuntimeError"),
    ("a target length beyond the padded targets", {"tl": [4, 2]}, ValueError,
     r"targets has shape \(2, 3\), but target_lengths asks for 4 labels; padded targets need at "
     r"least max\(target_lengths\) = 4 columns", "RuntimeError"),
    ("concatenated targets of the wrong length", {"targets": [1, 2, 3, 3]}, ValueError,
     r"1-D targets are the 2 label sequences one after another, so their length must be "
     r"sum\(target_lengths\) = 5, got 4", "RuntimeError"),
    ("a target equal to the blank", {"targets": [[1, 0, 3], [3, 3, 0]]}, ValueError,
     r"targets has the blank index 0; the blank is not a label .* in sequence 0, position 1",
     "a number"),
    ("a class beyond C", {"targets": [[1, 2, 3], [4, 3, 0]]}, ValueError,
     r"targets has the class index 4, but log_probs has 4 classes in sequence 1, position 0\. "
     r"Labels must be in \[0, 3\] and differ from blank=0", "reads out of bounds"),
    ("a negative class", {"targets": [[1, -1, 3], [3, 3, 0]]}, ValueError,
     r"targets has the class index -1", "a number"),
    ("float targets", {"targets": [[1.0, 2.0, 3.0], [3.0, 3.0, 0.0]]}, TypeError,
     r"targets holds float64 values; expected integer class labels\. Its values are whole "
     r"numbers: use targets\.astype\(np\.int64\)", "a number"),
    ("a blank outside the classes", {"blank": 4}, ValueError,
     r"blank must be between 0 and 3, got 4", "RuntimeError"),
    ("NaN in log_probs", {"nan": True}, ValueError,
     r"log_probs contains NaN \(first at index \(2, 1, 3\)\)", "nan"),
    ("+inf in log_probs", {"inf": True}, ValueError,
     r"log_probs contains \+inf at index \(2, 1, 3\)", "nan"),
    ("batch-first log_probs", {"lp4": True}, ValueError,
     r"log_probs must have shape \(T, N, C\) .* log_probs\.transpose\(1, 0, 2\)", "RuntimeError"),
]


def _bad_call(change):
    lp, targets, il, tl = _good()
    lp = lp.copy()
    if change.get("nan"):
        lp[2, 1, 3] = np.nan
    if change.get("inf"):
        lp[2, 1, 3] = np.inf
    if change.get("lp4"):
        lp = lp[None]
    args = (lp, change.get("targets", targets), change.get("il", il), change.get("tl", tl))
    return args, {"blank": change.get("blank", 0)}


@pytest.mark.parametrize("fn", [lb.ctc_loss, lb.ctc_loss_grad], ids=lambda f: f.__name__)
@pytest.mark.parametrize("what,change,error,message,torch_does", REFUSALS,
                         ids=[r[0] for r in REFUSALS])
def test_bad_input_is_refused_by_design(fn, what, change, error, message, torch_does):
    args, kwargs = _bad_call(change)
    with pytest.raises(error, match=rf"^{fn.__name__}: {message}"):
        fn(*args, **kwargs)


@pytest.mark.parametrize("what,change,torch_does",
                         [(r[0], r[1], r[4]) for r in REFUSALS if r[4] != "reads out of bounds"],
                         ids=[r[0] for r in REFUSALS if r[4] != "reads out of bounds"])
def test_what_torch_does_with_the_refused_input(what, change, torch_does):
    """torch refuses some of these too, and computes a meaningless number or nan from the rest
    (a class beyond C is not run: torch reads outside the tensor)."""
    args, kwargs = _bad_call(change)
    targets = torch.tensor(args[1])  # float targets stay float: torch takes them
    call = partial(F.ctc_loss, tt(args[0]), targets, tt(args[2]), tt(args[3]), **kwargs)
    if torch_does == "RuntimeError":
        with pytest.raises(RuntimeError):
            call()
    elif torch_does == "nan":
        assert torch.isnan(call()).item()
    else:
        assert torch_does == "a number" and torch.isfinite(call()).item()


def test_padding_after_the_target_length_is_ignored_as_in_torch():
    lp, targets, il, tl = _good()
    padded = np.array([[1, 2, 3, 99], [3, 3, -5, 0]])  # any integer after each length
    ours = lb.ctc_loss(lp, padded, il, tl, reduction="none")
    np.testing.assert_array_equal(ours, lb.ctc_loss(lp, targets, il, tl, reduction="none"))
    np.testing.assert_allclose(ours, F.ctc_loss(tt(lp), tt(padded), tt(il), tt(tl),
                                                reduction="none"), rtol=RTOL)


def test_lengths_as_ints_lists_tuples_and_arrays():
    lp, targets, il, tl = _good()
    expected = lb.ctc_loss(lp, targets, il, tl)
    for kind in (list, tuple, np.array, lambda v: np.array(v, dtype=np.int32)):
        assert lb.ctc_loss(lp, targets, kind(il), kind(tl)) == expected
    one = lb.ctc_loss(lp[:, 0], targets[0], 6, 3)
    for il0, tl0 in [(np.int64(6), 3), ([6], (3,)), (np.array(6), np.array([3]))]:
        assert lb.ctc_loss(lp[:, 0], targets[0], il0, tl0) == one
    assert lb.ctc_loss(lp[:, 0], targets[:1], 6, 3) == one  # torch takes (1, S) unbatched too
    with pytest.raises(ValueError, match=r"^ctc_loss: input_lengths has shape \(2,\); it needs a "
                                         r"single int: log_probs of shape \(T, C\) is one sequence"):
        lb.ctc_loss(lp[:, 0], targets[0], [6, 6], 3)
    with pytest.raises(ValueError, match=r"^ctc_loss: input_lengths has shape \(\); it needs "
                                         r"shape \(2,\)"):
        lb.ctc_loss(lp, targets, 6, tl)


def test_unnormalised_log_probs_warn_and_still_match_torch():
    """torch takes any numbers; its gradient assumes log_softmax output, so lossbook warns."""
    lp, targets, il, tl = _good()
    logits = lp + 1.5  # logits passed where log-probabilities belong
    with pytest.warns(UserWarning, match=r"^ctc_loss: log_probs at time 0 of sequence 0 are not "
                                         r"log-probabilities: their probabilities sum to 4\.48169"):
        ours = lb.ctc_loss(logits, targets, il, tl)
    assert ours == pytest.approx(F.ctc_loss(tt(logits), tt(targets), tt(il), tt(tl)).item(),
                                 rel=RTOL)
    # steps beyond an input length do not count: padding there is not checked
    padded = lp.copy()
    padded[5, 1] = 0.0
    strict(lb.ctc_loss, padded, targets, il, tl)
