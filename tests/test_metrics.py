"""lb.accuracy: multiclass argmax and thresholded binary."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import lossbook as lb


def test_multiclass_argmax():
    scores = np.array([[0.1, 2.0, -1.0], [3.0, 0.0, 0.0], [0.0, 0.0, 5.0], [1.0, 2.0, 3.0]])
    target = np.array([1, 0, 1, 2])
    acc = lb.accuracy(scores, target)
    assert type(acc) is float
    assert acc == 0.75


@given(st.integers(0, 2**32 - 1), st.integers(1, 50), st.integers(2, 6))
def test_multiclass_matches_torch_argmax(seed, n, c):
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(n, c))
    target = rng.integers(0, c, size=n)
    ref = (torch.from_numpy(scores).argmax(dim=1) == torch.from_numpy(target)).double().mean()
    assert lb.accuracy(scores, target) == pytest.approx(ref.item(), rel=1e-15)
    assert 0.0 <= lb.accuracy(scores, target) <= 1.0


def test_binary_threshold_on_probabilities():
    probs = np.array([0.1, 0.5, 0.7, 0.49, 0.9])
    target = np.array([0, 1, 1, 1, 0])
    # predicted = probs > 0.5 -> [0, 0, 1, 0, 1]: 0.5 itself predicts class 0
    assert lb.accuracy(probs, target) == pytest.approx(0.4)
    assert lb.accuracy(probs, target, threshold=0.8) == pytest.approx(0.2)


def test_binary_threshold_on_logits():
    logits = np.array([-2.0, 0.0, 3.0, -0.1])
    target = np.array([0, 1, 1, 1])
    # predicted = logits > 0 -> [0, 0, 1, 0]: a logit of exactly 0 predicts class 0
    assert lb.accuracy(logits, target, threshold=0.0) == 0.5
    # float labels are refused with the fix in the message, not silently cast
    with pytest.raises(TypeError, match="(?s)target.*float64.*astype"):
        lb.accuracy(logits, target.astype(float), threshold=0.0)
    # the threshold is strict, as in the chapters (predict 1 where logit > 0): a tie predicts 0
    assert lb.accuracy(np.array([0.5]), np.array([1])) == 0.0
    assert lb.accuracy(np.array([0.5]), np.array([0])) == 1.0


def test_accuracy_accepts_lists_and_float32():
    assert lb.accuracy([[0.0, 1.0], [1.0, 0.0]], [1, 1]) == 0.5
    assert lb.accuracy(np.array([0.2, 0.8], dtype=np.float32), [0, 1]) == 1.0


def test_accuracy_is_not_a_loss_it_ignores_confidence():
    # Same accuracy for a barely-right and a confidently-right model; different loss.
    target = np.array([0, 1])
    barely = np.array([[0.1, 0.0], [0.0, 0.1]])
    sure = np.array([[5.0, 0.0], [0.0, 5.0]])
    assert lb.accuracy(barely, target) == lb.accuracy(sure, target) == 1.0
    assert lb.cross_entropy(barely, target) > lb.cross_entropy(sure, target)


# --- confusion matrix, precision and recall: against scikit-learn ---------------------------

@pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")
@given(st.integers(0, 2**32 - 1), st.integers(1, 60), st.integers(1, 7))
def test_confusion_matrix_matches_sklearn(seed, n, c):
    from sklearn.metrics import confusion_matrix

    rng = np.random.default_rng(seed)
    y_true, y_pred = rng.integers(0, c, size=n), rng.integers(0, c, size=n)
    ours = lb.confusion_matrix(y_true, y_pred, num_classes=c)
    assert ours.dtype == np.int64 and ours.shape == (c, c)
    np.testing.assert_array_equal(ours, confusion_matrix(y_true, y_pred, labels=list(range(c))))
    np.testing.assert_array_equal(ours.sum(axis=1), np.bincount(y_true, minlength=c))
    assert np.trace(ours) == np.sum(y_true == y_pred)


def test_confusion_matrix_default_num_classes_and_orientation():
    cm = lb.confusion_matrix([2, 2, 2], [0, 2, 2])
    # rows are true classes, columns predictions; classes 0..2 from the largest label
    np.testing.assert_array_equal(cm, [[0, 0, 0], [0, 0, 0], [1, 0, 2]])
    assert lb.confusion_matrix([0], [0], num_classes=4).shape == (4, 4)


@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.integers(1, 6),
       st.sampled_from([0.0, 1.0, np.nan]))
def test_precision_recall_match_sklearn(seed, n, c, zero_division):
    from sklearn.metrics import precision_recall_fscore_support

    rng = np.random.default_rng(seed)
    y_true, y_pred = rng.integers(0, c, size=n), rng.integers(0, c, size=n)
    precision, recall = lb.precision_recall(y_true, y_pred, num_classes=c,
                                            zero_division=zero_division)
    ref_p, ref_r, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=list(range(c)), average=None, zero_division=zero_division)
    np.testing.assert_allclose(precision, ref_p, rtol=1e-15, equal_nan=True)
    np.testing.assert_allclose(recall, ref_r, rtol=1e-15, equal_nan=True)


def test_precision_recall_zero_division_cases():
    # class 2 never occurs and is never predicted; class 1 occurs but is never predicted
    precision, recall = lb.precision_recall([0, 0, 1], [0, 0, 0], num_classes=3)
    assert precision.tolist() == [2 / 3, 0.0, 0.0]
    assert recall.tolist() == [1.0, 0.0, 0.0]
    precision, recall = lb.precision_recall([0, 0, 1], [0, 0, 0], num_classes=3, zero_division=1)
    assert precision.tolist() == [2 / 3, 1.0, 1.0]
    assert recall.tolist() == [1.0, 0.0, 1.0]    # class 1 has examples: its recall is a real 0
    precision, _ = lb.precision_recall([0, 0, 1], [0, 0, 0], num_classes=3,
                                       zero_division=float("nan"))
    assert np.isnan(precision[1:]).all() and precision[0] == 2 / 3


@pytest.mark.parametrize(
    ("func", "args", "kwargs", "error", "match"),
    [
        (lb.confusion_matrix, ([0, 1], [0]), {}, ValueError, r"y_true has shape \(2,\).*\(1,\)"),
        (lb.confusion_matrix, ([0, 1], [0.0, 1.0]), {}, TypeError, "(?s)y_pred holds float64.*astype"),
        (lb.confusion_matrix, ([0, 3], [0, 1]), {"num_classes": 3}, ValueError,
         "num_classes=3.*up to 3.*num_classes=4"),
        (lb.confusion_matrix, ([0, -1], [0, 1]), {}, ValueError, "negative label -1"),
        (lb.confusion_matrix, ([], []), {}, ValueError, "non-empty 1-D"),
        (lb.confusion_matrix, ([0], [[0.2, 0.8]]), {}, ValueError, r"\(1, 2\).*y_pred.argmax"),
        (lb.confusion_matrix, ([0], [0]), {"num_classes": 2.0}, TypeError, "num_classes must be an int"),
        (lb.confusion_matrix, (torch.tensor([0]), [0]), {}, TypeError, "torch tensor"),
        (lb.precision_recall, ([0], [0]), {"zero_division": 0.5}, ValueError, "0.0, 1.0 or nan.*0.5"),
        (lb.precision_recall, ([0], [0]), {"zero_division": "warn"}, TypeError, "zero_division"),
    ],
)
def test_label_metrics_refuse_bad_input(func, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        func(*args, **kwargs)


# --- calibration: against an independent reference built on sklearn's calibration_curve ----

def _reference_ece(probs, y, n_bins):
    """ECE from scikit-learn's binned accuracies and confidences and a manual weighted sum."""
    from sklearn.calibration import calibration_curve

    conf, correct = probs.max(axis=1), (probs.argmax(axis=1) == y).astype(float)
    prob_true, prob_pred = calibration_curve(correct, conf, n_bins=n_bins, strategy="uniform")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    counts = np.array([np.sum((conf > lo) & (conf <= hi))
                       for lo, hi in zip(edges[:-1], edges[1:], strict=True)])
    counts = counts[counts > 0]       # calibration_curve drops empty bins
    return float(np.sum(counts / len(y) * np.abs(prob_true - prob_pred))), prob_true, prob_pred


def _random_probs(rng, n, c, sharpness):
    logits = sharpness * rng.normal(size=(n, c))
    return lb.softmax(logits, axis=1)


@given(st.integers(0, 2**32 - 1), st.integers(1, 200), st.integers(2, 6),
       st.sampled_from([1, 5, 10, 15]), st.floats(0.1, 5.0))
def test_ece_and_bins_match_reference(seed, n, c, n_bins, sharpness):
    rng = np.random.default_rng(seed)
    probs = _random_probs(rng, n, c, sharpness)
    y = rng.integers(0, c, size=n)
    ref, prob_true, prob_pred = _reference_ece(probs, y, n_bins)
    assert lb.expected_calibration_error(probs, y, n_bins=n_bins) == pytest.approx(ref, abs=1e-12)
    bins = lb.calibration_bins(probs, y, n_bins=n_bins)
    full = bins.counts > 0
    assert bins.counts.sum() == n and bins.counts.dtype == np.int64
    np.testing.assert_allclose(bins.accuracy[full], prob_true, rtol=1e-12)
    np.testing.assert_allclose(bins.confidence[full], prob_pred, rtol=1e-12)
    np.testing.assert_array_equal(bins.accuracy[~full], 0.0)
    np.testing.assert_allclose(bins.edges, np.linspace(0, 1, n_bins + 1))


def test_calibration_accepts_float32_softmax_from_torch():
    logits = torch.randn(50, 10, generator=torch.Generator().manual_seed(0))
    probs = torch.softmax(logits, dim=1).numpy()          # float32 rows, sums off by ~1e-7
    y = np.arange(50) % 10
    ece = lb.expected_calibration_error(probs, y)
    assert ece == pytest.approx(_reference_ece(probs.astype(np.float64), y, 10)[0], rel=1e-6)


def test_ece_known_values():
    # perfectly calibrated: 4 predictions at confidence 0.75, 3 of them right
    probs = np.array([[0.75, 0.25]] * 4)
    assert lb.expected_calibration_error(probs, [0, 0, 0, 1]) == pytest.approx(0.0, abs=1e-15)
    # overconfident: confidence 0.99, accuracy 0.5 -> ECE 0.49
    probs = np.array([[0.99, 0.01]] * 2)
    assert lb.expected_calibration_error(probs, [0, 1]) == pytest.approx(0.49, rel=1e-12)
    # a confidence exactly on an edge goes to the bin on its left: (0.6, 0.7]
    bins = lb.calibration_bins(np.array([[0.7, 0.3]]), [0], n_bins=10)
    assert bins.counts.tolist() == [0] * 6 + [1] + [0] * 3


@pytest.mark.parametrize(
    ("probs", "y", "kwargs", "error", "match"),
    [
        ([[2.0, -1.0]], [0], {}, ValueError, "probabilities in"),
        ([[0.5, 0.4]], [0], {}, ValueError, "(?s)row 0 sums to 0.9.*Normalise"),
        ([0.2, 0.8], [0, 1], {}, ValueError, r"(?s)shape \(N, C\).*np.stack"),
        ([[0.5, 0.5]], [0, 1], {}, ValueError, r"1 rows.*shape \(1,\)"),
        ([[0.5, 0.5]], [2], {}, ValueError, "class 2.*2 columns"),
        ([[0.5, 0.5]], [0], {"n_bins": 0}, ValueError, "n_bins must be at least 1"),
        ([[0.5, 0.5]], [0], {"n_bins": 2.5}, TypeError, "n_bins must be an int"),
        ([[np.nan, 0.5]], [0], {}, ValueError, "NaN"),
    ],
)
def test_calibration_refuses_bad_input(probs, y, kwargs, error, match):
    for func in (lb.calibration_bins, lb.expected_calibration_error):
        with pytest.raises(error, match=match):
            func(probs, y, **kwargs)


# ------------------------------------------------------------------ one label reader, one voice


def test_bool_labels_are_the_classes_0_and_1_everywhere():
    y = np.array([True, False, True, True])
    as_int = y.astype(np.int64)
    scores = np.array([[0.1, 2.9], [1.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert lb.accuracy(scores, y) == lb.accuracy(scores, as_int)
    np.testing.assert_array_equal(lb.confusion_matrix(y, y), lb.confusion_matrix(as_int, as_int))
    assert lb.cross_entropy(scores, y) == lb.cross_entropy(scores, as_int)
    assert lb.nll_loss(lb.log_softmax(scores), y) == lb.nll_loss(lb.log_softmax(scores), as_int)
    np.testing.assert_array_equal(lb.cross_entropy_grad(scores, y), lb.cross_entropy_grad(scores, as_int))
    for a, b in zip(lb.data.stratified_split(np.tile(y, 5), rng=np.random.default_rng(0)),
                    lb.data.stratified_split(np.tile(as_int, 5), rng=np.random.default_rng(0)), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("y_true,y_pred,kwargs,error", [
    ([-1, 0, 1], [0, 0, 1], {}, ValueError),      # scikit-learn's tests use such labels
    ([0.0, 1.0, 2.0], [0, 1, 2], {}, TypeError),
    ([0, 1, 0.5], [0, 1, 1], {}, TypeError),
    ([0, 1, 5], [0, 1, 1], {"num_classes": 3}, ValueError),
    ([0, 1], [0, 1], {"zero_division": "warn"}, TypeError),
])
def test_precision_recall_speaks_as_itself(y_true, y_pred, kwargs, error):
    with pytest.raises(error, match=r"^precision_recall: "):
        lb.precision_recall(y_true, y_pred, **kwargs)


def test_precision_recall_says_when_a_class_never_occurs():
    with pytest.warns(UserWarning, match=r"^precision_recall: class 1 never occurs in y_true or "
                                         r"y_pred.*zero_division value 0.0"):
        precision, recall = lb.precision_recall([0, 2, 2], [0, 2, 0])
    assert precision[1] == 0.0 and recall[1] == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every class present, or C given: nothing to say
        lb.precision_recall([0, 1, 2], [0, 2, 1])
        lb.precision_recall([0, 0], [0, 0], num_classes=2)


@pytest.mark.parametrize("probs,y_true,kwargs,error", [
    ([[0.5, 0.5]], [2], {}, ValueError),
    ([[0.5, 0.5]], [0.0], {}, TypeError),
    ([0.5, 0.5], [0], {}, ValueError),
    ([[0.5, 0.5]], [0], {"n_bins": 0}, ValueError),
])
def test_expected_calibration_error_speaks_as_itself(probs, y_true, kwargs, error):
    with pytest.raises(error, match=r"^expected_calibration_error: "):
        lb.expected_calibration_error(probs, y_true, **kwargs)


@pytest.mark.parametrize("threshold,error,message", [
    (None, TypeError, r"must be a real number, got NoneType None"),
    ("0.5", TypeError, r"must be a real number, got str '0\.5'"),
    (np.array([0.5, 0.2]), TypeError, r"must be a real number, got ndarray"),
    (np.nan, ValueError, r"must be a finite number .* got nan"),
    (True, TypeError, r"must be a real number, got bool True"),
])
def test_accuracy_refuses_a_threshold_that_is_not_one_number(threshold, error, message):
    """None, text or an array used to escape as numpy's own error (or, for an array of the
    batch's length, compare each score with its own threshold silently)."""
    pattern = r"^accuracy: threshold " + message + r".* 0\.5 for probabilities, 0\.0 for logits"
    with pytest.raises(error, match=pattern):
        lb.accuracy([0.9, 0.2], [1, 0], threshold=threshold)
    assert lb.accuracy([0.9, 0.2], [1, 0], threshold=np.float32(0.5)) == 1.0
