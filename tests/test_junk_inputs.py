"""What a learner might pass by mistake never escapes as a raw numpy error, a nan or a warning.

Every public numeric function of lossbook is called with junk (empty arrays, 0-d values, ragged
lists, strings, None, booleans, NaN, infinities, wrong shapes) in every argument position; it must
either return a result without any warning, or raise a ValueError or TypeError whose message starts
with the function's name.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

GOOD = {
    "logits": np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]),
    "index": np.array([0, 2]),
    "probs": np.array([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]]),
    "p": np.array([0.25, 0.5]),
    "t": np.array([0.0, 1.0]),
    "x": np.array([0.5, -1.0]),
}
GOOD["logp"] = np.log(GOOD["probs"])

# (function, the name its messages start with, good positional arguments)
CALLS = [
    (lb.mse_loss, "mse_loss", ("x", "x")),
    (lb.l1_loss, "l1_loss", ("x", "x")),
    (lb.huber_loss, "huber_loss", ("x", "x")),
    (lb.cross_entropy, "cross_entropy", ("logits", "index")),
    (lb.nll_loss, "nll_loss", ("logp", "index")),
    (lb.binary_cross_entropy, "binary_cross_entropy", ("p", "t")),
    (lb.binary_cross_entropy_with_logits, "binary_cross_entropy_with_logits", ("x", "t")),
    (lb.kl_div, "kl_div", ("logp", "probs")),
    (lb.cross_entropy_from_probs, "cross_entropy_from_probs", ("probs", "index")),
    (lb.mse_loss_grad, "mse_loss_grad", ("x", "x")),
    (lb.l1_loss_grad, "l1_loss_grad", ("x", "x")),
    (lb.huber_loss_grad, "huber_loss_grad", ("x", "x")),
    (lb.cross_entropy_grad, "cross_entropy_grad", ("logits", "index")),
    (lb.nll_loss_grad, "nll_loss_grad", ("logp", "index")),
    (lb.binary_cross_entropy_grad, "binary_cross_entropy_grad", ("p", "t")),
    (lb.binary_cross_entropy_with_logits_grad, "binary_cross_entropy_with_logits_grad", ("x", "t")),
    (lb.kl_div_grad, "kl_div_grad", ("logp", "probs")),
    (lb.cross_entropy_from_probs_grad, "cross_entropy_from_probs_grad", ("probs", "index")),
] + [
    (fn, fn.__name__, ("x",))
    for fn in (lb.step, lb.sigmoid, lb.tanh, lb.relu, lb.softmax, lb.log_softmax,
               lb.step_derivative, lb.sigmoid_derivative, lb.tanh_derivative, lb.relu_derivative,
               lb.softmax_jacobian, lb.log_softmax_jacobian)
]
# keyword options and the junk each gets
OPTIONS = {
    "cross_entropy": ["weight", "ignore_index", "reduction", "label_smoothing"],
    "nll_loss": ["weight", "ignore_index", "reduction"],
    "binary_cross_entropy": ["weight", "reduction"],
    "binary_cross_entropy_with_logits": ["weight", "pos_weight", "reduction"],
    "huber_loss": ["delta", "reduction"],
    "kl_div": ["reduction", "log_target"],
    "cross_entropy_from_probs": ["base", "reduction"],
}

junk = st.sampled_from([
    None, "abc", "", b"x", [], [[]], (), {}, {"a": 1}, object(), 0, 1.5, True, np.nan, np.inf,
    -np.inf, np.array(0.5), np.zeros(0), np.zeros((0, 3)), np.zeros((2, 0)), [[1.0, 2.0], [3.0]],
    [1.0, "a"], [None, 1.0], np.array([True, False]), np.array([1 + 2j, 0j]),
    np.array([np.nan, 1.0]), np.array([np.inf, -np.inf]), np.ones((2, 3, 1)), np.ones((2, 1)),
    np.array(["a", "b"]), np.array([1, 2], dtype=np.int8), np.array([0.5, 0.5], dtype=np.float16),
    -100, 2, "mean", "batchmean", [0, 1, 2], [[0.5, 0.5]], lambda v: v,
])


def call_quietly(fn, name, *args, **kwargs):
    """The result, or the ValueError/TypeError raised. The only warnings allowed are our own
    deliberate ones (a UserWarning that starts with the function's name, e.g. kl_div's "mean")."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome = fn(*args, **kwargs)
        except (ValueError, TypeError) as err:
            outcome = err
    for w in caught:
        assert w.category is UserWarning and str(w.message).startswith(f"{name}: "), w
    return outcome


def check_outcome(outcome, name):
    if isinstance(outcome, Exception):
        # no raw numpy message: ours name the function first
        assert str(outcome).startswith(f"{name}: "), f"{type(outcome).__name__}: {outcome}"
        return
    arr = np.asarray(outcome)
    assert arr.dtype.kind == "f"
    # nan only where torch gives it too: the mean over rows that all count 0
    assert not np.isnan(arr).any() or name.startswith(("cross_entropy", "nll_loss"))


@pytest.mark.parametrize("fn,name,good", CALLS, ids=[c[1] for c in CALLS])
@settings(max_examples=100, deadline=None)
@given(position=st.integers(0, 9), value=junk)
def test_junk_in_any_argument_gives_our_error_or_a_result(fn, name, good, position, value):
    args = [GOOD[g] for g in good]
    kwargs = {}
    options = OPTIONS.get(name.removesuffix("_grad"), [])
    if position < len(args):
        args[position] = value
    elif options:
        kwargs[options[position % len(options)]] = value
    else:
        args[position % len(args)] = value
    check_outcome(call_quietly(fn, name, *args, **kwargs), name)


NETWORK_JUNK = [None, "abc", 2.0, [], [[1.0], [2.0, 3.0]], np.array([np.nan]), np.array([True]),
                np.ones((2, 2, 1)), np.zeros((0, 1))]


@pytest.mark.parametrize("value", NETWORK_JUNK, ids=repr)
def test_dense_refuses_junk_with_our_message(value):
    layer = lb.Dense.from_weights([[1.0]], [0.0])
    outcome = call_quietly(layer, "Dense.forward", value)
    if not isinstance(outcome, Exception):  # an empty batch is a batch
        assert np.asarray(value).shape == (0, 1)
        return
    assert str(outcome).startswith("Dense.forward: ")
    for where, call in [("Dense.from_weights", lambda: lb.Dense.from_weights(value)),
                        ("Dense.backward", lambda: (layer([[1.0]]), layer.backward(value)))]:
        outcome = call_quietly(call, where)
        assert isinstance(outcome, Exception) and str(outcome).startswith(f"{where}: "), outcome


def test_the_raw_errors_from_the_trust_issue_are_ours_now():
    with pytest.raises(ValueError, match=r"^Dense.forward: x has shape \(\)"):
        lb.Dense.from_weights([[1.0]])(2.0)
    with pytest.raises(ValueError, match=r"^softmax: x has shape \(0,\)"):
        lb.softmax([])
    with pytest.raises(ValueError, match=r"^cross_entropy: target is ragged"):
        lb.cross_entropy([[1.0, 2.0], [0.0, 1.0]], [[0.5, 0.5], [1.0]])
