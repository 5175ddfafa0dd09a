"""lb.accuracy: multiclass argmax and thresholded binary."""

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
    # predicted = probs >= 0.5 -> [0, 1, 1, 0, 1]
    assert lb.accuracy(probs, target) == 0.6
    assert lb.accuracy(probs, target, threshold=0.8) == pytest.approx(0.2)


def test_binary_threshold_on_logits():
    logits = np.array([-2.0, 0.0, 3.0, -0.1])
    target = np.array([0, 1, 1, 1])
    assert lb.accuracy(logits, target, threshold=0.0) == 0.75
    # float labels are refused with the fix in the message, not silently cast
    with pytest.raises(TypeError, match="(?s)target.*float64.*astype"):
        lb.accuracy(logits, target.astype(float), threshold=0.0)
    # the threshold is inclusive: a score equal to it predicts 1
    assert lb.accuracy(np.array([0.5]), np.array([1])) == 1.0


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
