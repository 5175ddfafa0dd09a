"""What a learner might pass by mistake never escapes as a raw numpy error, a nan or a warning.

Every public numeric function of lossbook is called with junk (empty arrays, 0-d values, ragged
lists, strings, None, booleans, NaN, infinities, wrong shapes) in every argument position; it must
either return a result without any warning, or raise a ValueError or TypeError whose message starts
with the function's name.
"""

import math
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
# CTC: log-probabilities (T=3, N=2, C=3), padded targets, input and target lengths
GOOD["ctc_lp"] = np.log(np.stack([GOOD["probs"]] * 3))
GOOD["ctc_targets"] = np.array([[1, 2], [2, 0]])
GOOD["ctc_il"] = np.array([3, 2])
GOOD["ctc_tl"] = np.array([2, 1])
GOOD.update({
    "counts": np.array([0.0, 3.0]),
    "var": np.array([0.5, 1.0]),
    "signs": np.array([1.0, -1.0]),
    "x2": np.array([0.25, 2.0]),
    "labels": np.array([[0, -1, 1], [2, 1, -1]]),
    "multihot": np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]),
    "logits2": np.array([[1.0, -0.5, 0.0], [0.3, 0.2, -3.0]]),
    "logits3": np.array([[0.0, 1.5, 1.0], [-1.0, 0.0, 2.0]]),
})

# the losses beyond the first eight, and their gradients: (name, good positional arguments)
MORE_LOSSES = [
    ("smooth_l1_loss", ("x", "x2")),
    ("poisson_nll_loss", ("x", "counts")),
    ("gaussian_nll_loss", ("x", "x2", "var")),
    ("pinball_loss", ("x", "x2")),
    ("soft_margin_loss", ("x", "signs")),
    ("multi_margin_loss", ("logits", "index")),
    ("multilabel_margin_loss", ("logits", "labels")),
    ("multilabel_soft_margin_loss", ("logits", "multihot")),
    ("sigmoid_focal_loss", ("x", "t")),
    ("margin_ranking_loss", ("x", "x2", "signs")),
    ("hinge_embedding_loss", ("x", "signs")),
    ("cosine_embedding_loss", ("logits", "logits2", "signs")),
    ("triplet_margin_loss", ("logits", "logits2", "logits3")),
    ("triplet_margin_with_distance_loss", ("logits", "logits2", "logits3")),
    ("info_nce_loss", ("logits", "logits2")),
    ("ctc_loss", ("ctc_lp", "ctc_targets", "ctc_il", "ctc_tl")),
]

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
    (getattr(lb, f"{name}{suffix}"), f"{name}{suffix}", good)
    for name, good in MORE_LOSSES for suffix in ("", "_grad")
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
    "ctc_loss": ["blank", "reduction", "zero_infinity"],
    "smooth_l1_loss": ["beta", "reduction"],
    "poisson_nll_loss": ["log_input", "full", "eps", "reduction"],
    "gaussian_nll_loss": ["full", "eps", "reduction"],
    "pinball_loss": ["quantile", "reduction"],
    "soft_margin_loss": ["reduction"],
    "multi_margin_loss": ["p", "margin", "weight", "reduction"],
    "multilabel_margin_loss": ["reduction"],
    "multilabel_soft_margin_loss": ["weight", "reduction"],
    "sigmoid_focal_loss": ["alpha", "gamma", "reduction"],
    "margin_ranking_loss": ["margin", "reduction"],
    "hinge_embedding_loss": ["margin", "reduction"],
    "cosine_embedding_loss": ["margin", "reduction"],
    "triplet_margin_loss": ["margin", "p", "eps", "swap", "reduction"],
    "triplet_margin_with_distance_loss": ["distance_function", "margin", "swap", "reduction"],
    "info_nce_loss": ["temperature", "reduction"],
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
    for arr in outcome if isinstance(outcome, tuple) else (outcome,):  # a gradient per input
        check_result(np.asarray(arr), name)


def check_result(arr, name):
    assert arr.dtype.kind == "f"
    # nan only where torch gives it too: the mean over rows that all count 0
    assert not np.isnan(arr).any() or name in ("cross_entropy", "nll_loss", "cross_entropy_grad",
                                               "nll_loss_grad")


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


def test_array_subclasses_are_read_as_plain_arrays_or_refused():
    z = [[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)  # np.matrix itself warns
        matrix = np.matrix(z)
    assert lb.cross_entropy(matrix, [0, 2]) == lb.cross_entropy(np.array(z), [0, 2])
    np.testing.assert_array_equal(lb.softmax(matrix), lb.softmax(np.array(z)))
    assert type(lb.cross_entropy_grad(matrix, [0, 2])) is np.ndarray
    unmasked = np.ma.masked_array(z, mask=False)
    assert lb.mse_loss(unmasked, np.zeros((2, 3))) == lb.mse_loss(np.array(z), np.zeros((2, 3)))
    masked = np.ma.masked_array(z, mask=[[0, 1, 0], [0, 0, 0]])
    with pytest.raises(ValueError, match=r"^cross_entropy: input is a masked array .* "
                                         r"input\.filled\(value\)"):
        lb.cross_entropy(masked, [0, 2])


def test_a_list_of_tensors_that_require_grad_gets_our_message():
    torch = pytest.importorskip("torch")
    rows = [torch.tensor([1.0, 2.0], requires_grad=True), torch.tensor([0.5, -1.0])]
    for fn, name in [(lb.cross_entropy, "cross_entropy"), (lb.softmax, "softmax")]:
        with pytest.raises(TypeError, match=rf"^{name}: \w+ could not be read .*torch\.stack"):
            fn(rows, [0, 1]) if name == "cross_entropy" else fn(rows)


@pytest.mark.parametrize("dtype,big", [(np.float64, 1e200), (np.float32, 1e20)])
def test_results_beyond_the_float_range_are_inf_without_a_warning(dtype, big):
    """A diverged run's predictions: the loss overflows to inf, as in torch, and numpy is quiet."""
    x, t = np.array([big, -big], dtype=dtype), np.array([-big, big], dtype=dtype)
    top = np.finfo(dtype).max
    far, near = np.array([top, -top], dtype=dtype), np.array([-top, top], dtype=dtype)
    z = np.array([[top, -top, 0.0]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lb.mse_loss(x, t) == math.inf and lb.mse_loss(far, near) == math.inf
        assert lb.l1_loss(far, near, reduction="sum") == math.inf
        assert lb.huber_loss(far, near) == math.inf
        assert np.all(np.isinf(lb.mse_loss_grad(far, near)))
        np.testing.assert_array_equal(lb.l1_loss_grad(far, near), [0.5, -0.5])
        np.testing.assert_array_equal(lb.huber_loss_grad(far, near), [0.5, -0.5])
        assert lb.cross_entropy(z, [0]) == 0.0 and lb.cross_entropy(z, [1]) == math.inf
        assert lb.cross_entropy(z, [1], label_smoothing=0.1) == math.inf
        np.testing.assert_array_equal(lb.cross_entropy_grad(z, [0]), [[0.0, 0.0, 0.0]])
        np.testing.assert_array_equal(lb.softmax(z), [[1.0, 0.0, 0.0]])
        assert lb.log_softmax(z)[0, 1] == -math.inf
        half = np.full(4, top / 2, dtype=dtype)
        assert lb.mse_loss(np.sqrt(half), np.zeros(4, dtype=dtype), reduction="sum") == math.inf
        assert lb.nll_loss(-np.full((4, 2), top / 2, dtype=dtype), [0, 1, 0, 1]) == math.inf


def test_numerical_gradient_refuses_a_non_function_and_non_finite_values():
    with pytest.raises(TypeError, match=r"^numerical_gradient: f must be a function .* got int"):
        lb.numerical_gradient(3, [1.0])
    with pytest.raises(ValueError, match=r"^numerical_gradient: f returned nan at x with flat "
                                         r"entry 0 moved by \+eps"):
        lb.numerical_gradient(lambda v: math.nan, [1.0])
    with pytest.raises(ValueError, match=r"returned inf at x with flat entry 1 moved by \+eps"):
        lb.numerical_gradient(lambda v: 1.0 / (1.0 - v[1]) if v[1] < 2 else math.inf,
                              [0.0, 2.0 - 1e-6])
    with pytest.raises(TypeError, match=r"must return a single number .*\.item\(\)"):
        lb.numerical_gradient(lambda v: 1j, [1.0])


# ------------------------------------------------------------------ metrics, data and plotting
# (function, the name its messages start with, good positional arguments, good keyword
# arguments, the options that get junk). Junk in any position: our error, or a result.


def _bins():
    return lb.calibration_bins(GOOD["probs"], GOOD["index"], n_bins=2)


def _rng():
    return np.random.default_rng(0)


MORE_CALLS = [
    (lb.accuracy, "accuracy", ("logits", "index"), {}, ["threshold"]),
    (lb.confusion_matrix, "confusion_matrix", ("index", "index"), {}, ["num_classes"]),
    (lb.precision_recall, "precision_recall", ("index", "index"), {}, ["num_classes", "zero_division"]),
    (lb.calibration_bins, "calibration_bins", ("probs", "index"), {}, ["n_bins"]),
    (lb.expected_calibration_error, "expected_calibration_error", ("probs", "index"), {}, ["n_bins"]),
    (lb.data.noisy_line, "noisy_line", (5,), {"rng": _rng}, ["slope", "intercept", "noise", "x_range",
                                                            "outliers", "outlier_shift", "rng"]),
    (lb.data.blobs, "blobs", (3,), {"centers": [[0.0, 0.0], [5.0, 5.0]], "rng": _rng},
     ["centers", "spread", "rng"]),
    (lb.data.stratified_split, "stratified_split", (np.array([0, 1] * 10),), {"rng": _rng},
     ["val_size", "test_size", "rng"]),
    (lambda *a, **k: list(lb.data.minibatches(*a, **k)), "minibatches", (10,), {"batch_size": 3, "rng": _rng},
     ["batch_size", "shuffle", "drop_last", "rng"]),
    (lb.plotting.draw_network, "draw_network", ([2, 3, 1],), {},
     ["weight_labels", "bias_labels", "show_bias", "node_labels", "layer_names"]),
    (lb.plotting.draw_digits, "draw_digits", (np.zeros((3, 64)), [0, 1, 2]), {}, ["ncols"]),
    (lb.plotting.draw_curves, "draw_curves", ({"train": [1.0, 0.5]},), {"ylabel": "loss"},
     ["ylabel", "start", "mark", "mark_label"]),
    (lb.plotting.draw_confusion_matrix, "draw_confusion_matrix", (np.eye(3, dtype=np.int64),), {},
     ["class_names"]),
    (lb.plotting.draw_reliability_diagram, "draw_reliability_diagram", (_bins,), {}, []),
]


@pytest.fixture(scope="module")
def agg():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _good(value):
    if isinstance(value, str) and value in GOOD:
        return GOOD[value]
    return value() if callable(value) and value in (_rng, _bins) else value


@pytest.mark.parametrize("fn,name,good,good_kwargs,options", MORE_CALLS, ids=[c[1] for c in MORE_CALLS])
@settings(max_examples=60, deadline=None)
@given(position=st.integers(0, 9), value=junk)
def test_junk_in_metrics_data_and_plotting_gives_our_error_or_a_result(
        agg, fn, name, good, good_kwargs, options, position, value):
    import matplotlib.pyplot as plt

    args = [_good(g) for g in good]
    kwargs = {k: _good(v) for k, v in good_kwargs.items()}
    if position < len(args):
        args[position] = value
    elif options:
        kwargs[options[position % len(options)]] = value
    else:
        args[position % len(args)] = value
    outcome = call_quietly(fn, name, *args, **kwargs)
    plt.close("all")
    if isinstance(outcome, Exception):
        assert str(outcome).startswith(f"{name}: "), f"{type(outcome).__name__}: {outcome}"


def test_every_public_function_is_in_a_junk_sweep():
    swept = {c[1] for c in CALLS} | {c[1] for c in MORE_CALLS}
    public = {n for m in (*lb._TOP_LEVEL_MODULES, lb.data, lb.plotting) for n in m.__all__
              if callable(getattr(m, n)) and not isinstance(getattr(m, n), type)}
    public -= {"numerical_gradient", "load_iris", "load_diabetes", "load_digits", "use_book_style"}
    assert public <= swept, sorted(public - swept)
