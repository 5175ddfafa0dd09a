"""Every bad input from the contract is refused with a message a learner can act on.

Each message must name the function and the argument and quote the offending shape or value;
nothing is renormalised, clipped or broadcast silently.
"""

import re
import warnings

import numpy as np
import pytest

import lossbook as lb

BAD = (ValueError, TypeError)


def says(*parts):
    """A regex for pytest.raises(match=...) that needs every part, in any order.

    Plain strings are matched literally; re.Pattern objects are used as they are.
    """
    look = "".join(
        f"(?=.*?{p.pattern if isinstance(p, re.Pattern) else re.escape(p)})" for p in parts
    )
    return re.compile(f"(?s)^{look}")


def either(*options):
    return re.compile("(?:" + "|".join(re.escape(o) for o in options) + ")")


def rx(pattern):
    return re.compile(pattern)


LOGITS = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, -1.0, 0.0], [0.0, 0.0, 1.0]])
INDEX = np.array([0, 2, 1, 2])
PROBS = np.array([[0.2, 0.3, 0.5]] * 4)


# --------------------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    "fn",
    [lb.mse_loss, lb.l1_loss, lb.huber_loss, lb.binary_cross_entropy,
     lb.binary_cross_entropy_with_logits],
)
def test_column_against_flat_is_refused(fn):
    # torch only warns and then broadcasts to (32, 32); we refuse.
    x = np.full((32, 1), 0.5)
    y = np.full(32, 0.5)
    with pytest.raises(ValueError, match=says(fn.__name__, "input", "target", "(32, 1)", "(32,)",
                                              either("squeeze(1)", "reshape(-1, 1)"))):
        fn(x, y)  # ... and says how to fix it
    with pytest.raises(ValueError, match=says(fn.__name__, "(32, 1)", "(32,)")):
        fn(y, x)


@pytest.mark.parametrize("fn", [lb.mse_loss, lb.l1_loss, lb.huber_loss])
def test_regression_shape_mismatch(fn):
    with pytest.raises(ValueError, match=says(fn.__name__, "(3, 2)", "(2, 3)")):
        fn(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=says("(4,)", "(3,)")):
        fn(np.zeros(4), np.zeros(3))


def test_cross_entropy_target_shape_mismatch():
    with pytest.raises(ValueError, match=says("cross_entropy", "target", "(4, 1)")):
        lb.cross_entropy(LOGITS, INDEX.reshape(-1, 1))
    with pytest.raises(ValueError, match=says("cross_entropy", "target", "(3,)", "(4, 3)")):
        lb.cross_entropy(LOGITS, INDEX[:3])
    with pytest.raises(ValueError, match=says("cross_entropy", "target", "(4, 2)", "(4, 3)")):
        lb.cross_entropy(LOGITS, PROBS[:, :2] / PROBS[:, :2].sum(1, keepdims=True))


def test_cross_entropy_input_of_wrong_rank():
    with pytest.raises(ValueError, match=says("cross_entropy", "input", "()", "(N, C)")):
        lb.cross_entropy(np.float64(1.0), 0)
    # (N, C, d1) is torch's layout for a class per position, and the target is then (N, d1)
    with pytest.raises(ValueError, match=says("cross_entropy", "target", "(2, 3, 4)", "(2, 4)",
                                              "(2, 3)")):
        lb.cross_entropy(np.zeros((2, 3, 4)), np.zeros((2, 3), dtype=np.int64))
    assert lb.cross_entropy(np.zeros((2, 3, 4)), np.zeros((2, 4), dtype=np.int64)) == (
        pytest.approx(np.log(3), rel=1e-15))


def test_nll_loss_target_shape_mismatch():
    with pytest.raises(ValueError, match=says("nll_loss", "target", "(3,)")):
        lb.nll_loss(np.log(PROBS), INDEX[:3])


def test_cross_entropy_from_probs_target_shape_mismatch():
    with pytest.raises(ValueError, match=says("cross_entropy_from_probs", "target", "(4, 2)")):
        lb.cross_entropy_from_probs(PROBS, np.eye(2)[[0, 1, 0, 1]])


def test_pos_weight_of_wrong_length():
    with pytest.raises(ValueError, match=says("pos_weight", "(2,)")):
        lb.binary_cross_entropy_with_logits(
            np.zeros((4, 3)), np.zeros((4, 3)), pos_weight=np.ones(2)
        )


def test_binary_weight_of_wrong_shape():
    with pytest.raises(ValueError, match=says("weight", "(4, 2)")):
        lb.binary_cross_entropy(np.full((4, 3), 0.5), np.zeros((4, 3)), weight=np.ones((4, 2)))


# --------------------------------------------------------------------------- class-index targets


@pytest.mark.parametrize("fn,x", [(lb.cross_entropy, LOGITS), (lb.nll_loss, np.log(PROBS))])
def test_index_target_out_of_range(fn, x):
    with pytest.raises(ValueError, match=says(fn.__name__, "target", "3")):
        fn(x, np.array([0, 3, 1, 2]))
    with pytest.raises(ValueError, match=says(fn.__name__, "target", "7")):
        fn(x[0], 7)


@pytest.mark.parametrize("fn,x", [(lb.cross_entropy, LOGITS), (lb.nll_loss, np.log(PROBS))])
def test_index_target_negative(fn, x):
    with pytest.raises(ValueError, match=says(fn.__name__, "target", "-2")):
        fn(x, np.array([0, -2, 1, 2]))
    # -1 is refused too, unless it is the ignore_index
    with pytest.raises(ValueError, match=says(fn.__name__, "target", "-1")):
        fn(x, np.array([0, -1, 1, 2]))
    fn(x, np.array([0, -1, 1, 2]), ignore_index=-1)


@pytest.mark.parametrize("fn,x", [(lb.cross_entropy, LOGITS), (lb.nll_loss, np.log(PROBS))])
def test_index_target_not_integer(fn, x):
    # the offending thing is the dtype: float labels (even whole numbers) are not indices
    with pytest.raises(BAD, match=says(fn.__name__, "target", "float64")):
        fn(x, np.array([0.0, 0.5, 1.0, 2.0]))
    with pytest.raises(BAD, match=says(fn.__name__, "target", "float64", "astype")):
        fn(x, np.array([0.0, 1.0, 1.0, 2.0]))
    with pytest.raises(BAD, match=says(fn.__name__, "target")):
        fn(x, np.array(["a", "b", "c", "d"]))


def test_cross_entropy_from_probs_index_target_out_of_range():
    with pytest.raises(ValueError, match=says("cross_entropy_from_probs", "target", "3")):
        lb.cross_entropy_from_probs(PROBS, np.array([0, 3, 1, 2]))
    with pytest.raises(ValueError, match=says("cross_entropy_from_probs", "target", "-1")):
        lb.cross_entropy_from_probs(PROBS, np.array([0, -1, 1, 2]))


# --------------------------------------------------------------------------- probability targets


@pytest.mark.parametrize("fn,x", [(lb.cross_entropy, LOGITS), (lb.cross_entropy_from_probs, PROBS)])
def test_probability_target_negative(fn, x):
    target = PROBS.copy()
    target[1] = [-0.5, 0.5, 1.0]
    with pytest.raises(ValueError, match=says(fn.__name__, "target", "-0.5")):
        fn(x, target)


@pytest.mark.parametrize("fn,x", [(lb.cross_entropy, LOGITS), (lb.cross_entropy_from_probs, PROBS)])
def test_probability_target_rows_must_sum_to_one(fn, x):
    target = PROBS.copy()
    target[2] = [0.5, 0.5, 0.5]
    # quotes the row and its sum, and does not renormalise silently
    with pytest.raises(ValueError, match=says(fn.__name__, "target", rx(r"(?i:sum)"), "1.5",
                                              "row 2")):
        fn(x, target)
    with pytest.raises(ValueError, match=says(fn.__name__, "target", rx(r"(?i:sum)"))):
        fn(x[0], np.array([0.1, 0.1, 0.1]))


# --------------------------------------------------------------------------- NaN, empty, ragged


NAN_CASES = [
    (lb.mse_loss, np.array([1.0, np.nan]), np.array([0.0, 1.0])),
    (lb.l1_loss, np.array([1.0, 2.0]), np.array([0.0, np.nan])),
    (lb.huber_loss, np.array([np.nan, 2.0]), np.array([0.0, 1.0])),
    (lb.cross_entropy, np.array([[1.0, np.nan], [0.0, 1.0]]), np.array([0, 1])),
    (lb.cross_entropy, np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[0.5, 0.5], [np.nan, 1.0]])),
    (lb.nll_loss, np.array([[-0.1, np.nan]]), np.array([0])),
    (lb.binary_cross_entropy, np.array([0.5, np.nan]), np.array([0.0, 1.0])),
    (lb.binary_cross_entropy, np.array([0.5, 0.5]), np.array([0.0, np.nan])),
    (lb.binary_cross_entropy_with_logits, np.array([np.nan, 1.0]), np.array([0.0, 1.0])),
    (lb.cross_entropy_from_probs, np.array([[np.nan, 0.5]]), np.array([0])),
]


@pytest.mark.parametrize("fn,x,y", NAN_CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_nan_is_refused(fn, x, y):
    which = "input" if np.isnan(x).any() else "target"
    # the probability-input of cross_entropy_from_probs may be called "probs"
    name = either("input", "probs") if fn is lb.cross_entropy_from_probs else which
    with pytest.raises(ValueError, match=says(fn.__name__, name, rx(r"(?i:nan)"))):
        fn(x, y)


def test_nan_in_weights_is_refused():
    with pytest.raises(ValueError, match=says("cross_entropy", "weight", rx(r"(?i:nan)"))):
        lb.cross_entropy(LOGITS, INDEX, weight=np.array([1.0, np.nan, 1.0]))


def test_plus_infinite_logits_are_refused():
    # +inf logits have no defined loss (torch returns nan); -inf is allowed, see test_losses.py
    with pytest.raises(ValueError, match=says("cross_entropy", "input", rx(r"(?i:inf)"))):
        lb.cross_entropy(np.array([[np.inf, 0.0]]), np.array([0]))


@pytest.mark.parametrize(
    "fn,x,y",
    [
        (lb.mse_loss, [], []),
        (lb.l1_loss, np.zeros(0), np.zeros(0)),
        (lb.huber_loss, np.zeros((0, 2)), np.zeros((0, 2))),
        (lb.cross_entropy, np.zeros((0, 3)), np.zeros(0, dtype=np.int64)),
        (lb.nll_loss, np.zeros((0, 3)), np.zeros(0, dtype=np.int64)),
        (lb.binary_cross_entropy, np.zeros(0), np.zeros(0)),
        (lb.binary_cross_entropy_with_logits, np.zeros(0), np.zeros(0)),
        (lb.cross_entropy_from_probs, np.zeros((0, 3)), np.zeros(0, dtype=np.int64)),
        (lb.accuracy, np.zeros((0, 3)), np.zeros(0, dtype=np.int64)),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_empty_input_is_refused(fn, x, y):
    with pytest.raises(ValueError, match=says(fn.__name__, rx(r"(?i:empty|\(0,|0 )"))):
        fn(x, y)


def test_cross_entropy_with_no_classes_is_refused():
    with pytest.raises(ValueError, match=says("cross_entropy", "input", "(4, 0)")):
        lb.cross_entropy(np.zeros((4, 0)), np.zeros(4, dtype=np.int64))


@pytest.mark.parametrize(
    "fn", [lb.mse_loss, lb.l1_loss, lb.huber_loss, lb.binary_cross_entropy_with_logits]
)
def test_ragged_input_is_refused(fn):
    ragged = rx(r"(?i:ragged|nested|same length|sequence|rectangular|inhomogeneous)")
    with pytest.raises(BAD, match=says(fn.__name__, "input", ragged)):
        fn([[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize(
    "fn", [lb.mse_loss, lb.l1_loss, lb.huber_loss, lb.binary_cross_entropy_with_logits]
)
def test_non_numeric_input_is_refused(fn):
    with pytest.raises(TypeError, match=says(fn.__name__, "input")):
        fn(["a", "b"], [1.0, 2.0])
    with pytest.raises(TypeError, match=says(fn.__name__, "target")):
        fn([1.0, 2.0], [None, 2.0])
    with pytest.raises(TypeError, match=says(fn.__name__, "input")):
        fn(np.array([1 + 2j, 3j]), np.array([1.0, 2.0]))


def test_non_numeric_logits_are_refused():
    with pytest.raises(TypeError, match=says("cross_entropy", "input")):
        lb.cross_entropy([["a", "b"]], [0])


# --------------------------------------------------------------------------- options


REDUCTION_CALLS = [
    (lb.mse_loss, (np.zeros(2), np.zeros(2))),
    (lb.l1_loss, (np.zeros(2), np.zeros(2))),
    (lb.huber_loss, (np.zeros(2), np.zeros(2))),
    (lb.cross_entropy, (LOGITS, INDEX)),
    (lb.nll_loss, (np.log(PROBS), INDEX)),
    (lb.binary_cross_entropy, (np.full(2, 0.5), np.zeros(2))),
    (lb.binary_cross_entropy_with_logits, (np.zeros(2), np.zeros(2))),
    (lb.cross_entropy_from_probs, (PROBS, INDEX)),
]


@pytest.mark.parametrize("fn,args", REDUCTION_CALLS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("bad", ["avg", "MEAN", "elementwise_mean", None])
def test_unknown_reduction(fn, args, bad):
    with pytest.raises(BAD, match=says(fn.__name__, "reduction", repr(bad).strip("'"))):
        fn(*args, reduction=bad)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_label_smoothing_outside_unit_interval(bad):
    with pytest.raises(ValueError, match=says("cross_entropy", "label_smoothing", str(bad))):
        lb.cross_entropy(LOGITS, INDEX, label_smoothing=bad)
    with pytest.raises(ValueError, match=says("cross_entropy", "label_smoothing", str(bad))):
        lb.cross_entropy(LOGITS, PROBS, label_smoothing=bad)


@pytest.mark.parametrize("fn,x", [(lb.cross_entropy, LOGITS), (lb.nll_loss, np.log(PROBS))])
@pytest.mark.parametrize("size", [2, 4])
def test_class_weight_of_wrong_length(fn, x, size):
    with pytest.raises(ValueError, match=says(fn.__name__, "weight", str(size), "3")):
        fn(x, INDEX, weight=np.ones(size))


def test_class_weight_of_wrong_rank():
    with pytest.raises(ValueError, match=says("cross_entropy", "weight", "(1, 3)")):
        lb.cross_entropy(LOGITS, INDEX, weight=np.ones((1, 3)))


@pytest.mark.parametrize("bad", [1.5, -0.25])
def test_bce_input_outside_unit_interval(bad):
    with pytest.raises(ValueError, match=says("binary_cross_entropy", "input", str(bad))):
        lb.binary_cross_entropy(np.array([0.5, bad]), np.array([0.0, 1.0]))


@pytest.mark.parametrize("bad", [1.5, -0.25])
def test_bce_target_outside_unit_interval(bad):
    for fn, x in [(lb.binary_cross_entropy, [0.5, 0.5]),
                  (lb.binary_cross_entropy_with_logits, [3.0, -3.0])]:
        with pytest.raises(ValueError, match=says(fn.__name__, "target", str(bad))):
            fn(np.array(x), np.array([0.0, bad]))


@pytest.mark.parametrize("bad", [0, -2, 1, 1.0, float("nan")])
def test_base_not_positive_or_one(bad):
    with pytest.raises(ValueError, match=says("cross_entropy_from_probs", "base", str(bad))):
        lb.cross_entropy_from_probs(PROBS, INDEX, base=bad)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan")])
def test_huber_delta_not_positive(bad):
    with pytest.raises(ValueError, match=says("huber_loss", "delta", str(bad))):
        lb.huber_loss(np.zeros(2), np.ones(2), delta=bad)
    # the gradients validate through their loss, so the message names huber_loss
    with pytest.raises(ValueError, match=says("huber_loss", "delta", str(bad))):
        lb.huber_loss_grad(np.zeros(2), np.ones(2), delta=bad)


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        lb.mse_loss(np.zeros(2), np.zeros(2), "sum")
    with pytest.raises(TypeError):
        lb.cross_entropy(LOGITS, INDEX, None)


# --------------------------------------------------------------------------- accuracy


def test_accuracy_length_mismatch():
    with pytest.raises(ValueError, match=says("accuracy", "target", rx(r"\(5, 3\)|\b5\b"),
                                              rx(r"\(4,\)|\b4\b"))):
        lb.accuracy(np.zeros((5, 3)), np.zeros(4, dtype=np.int64))
    with pytest.raises(ValueError, match=says("accuracy", rx(r"\b5\b"), rx(r"\b4\b"))):
        lb.accuracy(np.zeros(5), np.zeros(4, dtype=np.int64))


def test_accuracy_bad_targets():
    with pytest.raises(ValueError, match=says("accuracy", "target", "3")):
        lb.accuracy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=says("accuracy", "target", "2")):
        lb.accuracy(np.array([0.2, 0.9]), np.array([0, 2]))
    with pytest.raises(ValueError, match=says("accuracy", "input", rx(r"(?i:nan)"))):
        lb.accuracy(np.array([0.2, np.nan]), np.array([0, 1]))


# --------------------------------------------------------------------------- gradients share checks


@pytest.mark.parametrize(
    "grad,args",
    [
        (lb.mse_loss_grad, (np.zeros((32, 1)), np.zeros(32))),
        (lb.l1_loss_grad, (np.zeros((32, 1)), np.zeros(32))),
        (lb.binary_cross_entropy_grad, (np.full((32, 1), 0.5), np.zeros(32))),
        (lb.binary_cross_entropy_with_logits_grad, (np.zeros((32, 1)), np.zeros(32))),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_gradients_refuse_shape_mismatch(grad, args):
    # a gradient validates as its loss does, and the message names the gradient called
    with pytest.raises(ValueError, match=says(f"{grad.__name__}: ", "(32, 1)", "(32,)")):
        grad(*args)


def test_gradients_refuse_bad_targets_and_options():
    with pytest.raises(ValueError, match=says("cross_entropy", "target", "3")):
        lb.cross_entropy_grad(LOGITS, np.array([0, 3, 1, 2]))
    with pytest.raises(ValueError, match=says("cross_entropy", "label_smoothing", "2")):
        lb.cross_entropy_grad(LOGITS, INDEX, label_smoothing=2)
    with pytest.raises(ValueError, match=says("cross_entropy", "target", rx(r"(?i:sum)"))):
        lb.cross_entropy_grad(LOGITS, PROBS * 2)
    with pytest.raises(ValueError, match=says("binary_cross_entropy", "input", "1.5")):
        lb.binary_cross_entropy_grad(np.array([0.5, 1.5]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=says("cross_entropy_from_probs", "base", "1")):
        lb.cross_entropy_from_probs_grad(PROBS, INDEX, base=1)
    with pytest.raises(BAD, match=says("mse_loss", "reduction", "avg")):
        lb.mse_loss_grad(np.zeros(2), np.zeros(2), reduction="avg")


def test_numerical_gradient_refuses_a_non_scalar_function():
    with pytest.raises(BAD, match=says("numerical_gradient", rx(r"(?i:scalar|float|number)"))):
        lb.numerical_gradient(lambda v: v * 2, np.ones(3))


# --------------------------------------------------------------------------- the NaN and inf rule
# One rule for every loss and gradient (written in lossbook/_validation.py and on the API page):
# NaN is refused, naming the argument; an infinity is refused too, except -inf where it means
# "probability 0" (logits of cross_entropy, log-probabilities of nll_loss and kl_div).

LOGP = np.log(PROBS)
ARGUMENTS = [  # (loss, keyword arguments, the names of its array arguments where -inf is allowed)
    (lb.mse_loss, {"input": np.zeros(3), "target": np.ones(3)}, ()),
    (lb.l1_loss, {"input": np.zeros(3), "target": np.ones(3)}, ()),
    (lb.huber_loss, {"input": np.zeros(3), "target": np.ones(3)}, ()),
    (lb.cross_entropy, {"input": LOGITS, "target": PROBS, "weight": np.ones(3)}, ("input",)),
    (lb.nll_loss, {"input": LOGP, "target": INDEX, "weight": np.ones(3)}, ("input",)),
    (lb.binary_cross_entropy, {"input": np.full(3, 0.5), "target": np.ones(3),
                               "weight": np.ones(3)}, ()),
    (lb.binary_cross_entropy_with_logits, {"input": np.zeros(3), "target": np.ones(3),
                                           "weight": np.ones(3), "pos_weight": np.ones(3)}, ()),
    (lb.kl_div, {"input": LOGP, "target": PROBS, "reduction": "batchmean"}, ("input",)),
    (lb.kl_div, {"input": LOGP, "target": LOGP, "reduction": "batchmean", "log_target": True},
     ("input", "target")),
    (lb.cross_entropy_from_probs, {"probs": PROBS, "target": PROBS}, ()),
]
RULE_CASES = [
    (fn, grad, kwargs, name, allowed)
    for fn, kwargs, allowed in ARGUMENTS
    for grad in (False, True)
    for name, value in kwargs.items()
    if isinstance(value, np.ndarray) and value.dtype.kind == "f"
]


def rule_id(case):
    fn, grad, kwargs, name, _ = case
    return f"{fn.__name__}{'_grad' if grad else ''}-{name}{'-log_target' if 'log_target' in kwargs else ''}"


def with_value(kwargs, name, value):
    arr = kwargs[name].copy()
    arr.flat[1] = value
    return {**kwargs, name: arr}


@pytest.mark.parametrize("case", RULE_CASES, ids=[rule_id(c) for c in RULE_CASES])
def test_nan_and_inf_follow_one_rule(case):
    fn, grad, kwargs, name, allowed = case
    func = getattr(lb, fn.__name__ + "_grad") if grad else fn
    where = "(1,)" if kwargs[name].ndim == 1 else "(0, 1)"
    with pytest.raises(ValueError, match=says(f"{func.__name__}: {name}", rx("NaN"), where)):
        func(**with_value(kwargs, name, np.nan))
    with pytest.raises(ValueError, match=says(f"{func.__name__}: ", name)):
        func(**with_value(kwargs, name, np.inf))
    if name in allowed:  # probability 0 for one class: a defined, warning-free result
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = func(**with_value(kwargs, name, -np.inf))
        assert not np.isnan(out).any()
    else:
        with pytest.raises(ValueError, match=says(f"{func.__name__}: ", name)):
            func(**with_value(kwargs, name, -np.inf))


def test_gradient_messages_name_the_gradient():
    for grad, args in [
        (lb.mse_loss_grad, (np.zeros((32, 1)), np.zeros(32))),
        (lb.cross_entropy_grad, (LOGITS, np.array([0, 3, 1, 2]))),
        (lb.nll_loss_grad, (LOGP, INDEX[:3])),
        (lb.binary_cross_entropy_grad, (np.array([0.5, 1.5]), np.zeros(2))),
        (lb.binary_cross_entropy_with_logits_grad, (np.zeros(2), np.full(2, 2.0))),
        (lb.cross_entropy_from_probs_grad, (PROBS * 2, INDEX)),
        (lb.kl_div_grad, (PROBS, PROBS)),
        (lb.huber_loss_grad, (np.zeros(2), np.zeros(3))),
    ]:
        with pytest.raises(ValueError, match=f"^{grad.__name__}: "):
            grad(*args)


def test_an_out_of_range_unsigned_label_is_quoted_as_it_is():
    target = np.array([2**63], dtype=np.uint64)  # int64 would wrap it to -2**63
    with pytest.raises(ValueError, match=r"^cross_entropy: target has class index "
                                         r"9223372036854775808 at position \(0,\)"):
        lb.cross_entropy([[1.0, 2.0]], target)
    assert lb.cross_entropy([[1.0, 2.0], [0.0, 1.0]], np.array([1, 200], dtype=np.uint8),
                            ignore_index=200) == lb.cross_entropy([[1.0, 2.0]], [1])
