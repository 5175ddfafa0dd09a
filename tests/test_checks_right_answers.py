"""The self-checks' right answers, computed again by PyTorch (not by the formulas the checks use).

tests/test_checks.py judges answers against ``check.problem(...).right``, the value each check
computes with its own formula; here that value is compared with torch's for every example of the
loss checks, and torch's value, handed to the check as a learner would, is called correct.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossbook.checks
from lossbook.checks._registry import CHECKS

T = torch.float64


def _t(a):
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=T)


def _grad(loss_of, z):
    z = _t(z).requires_grad_()
    loss_of(z).backward()
    return z.grad


def _cross_entropy(probs, target):
    p = _t(probs)
    if p.ndim == 1:  # one row, a one-hot or probability target
        return F.cross_entropy(torch.log(p)[None], _t(target)[None])  # log_softmax(log p) = log p
    return F.cross_entropy(torch.log(p), torch.tensor(target))


def _kl(probs, target):
    p, t = _t(probs), _t(target)
    return F.kl_div(torch.log(p), t, reduction="sum" if p.ndim == 1 else "batchmean")


def _multi_hot(labels, classes):
    y = torch.zeros(len(labels), classes, dtype=T)
    for row, ones in enumerate(labels):
        y[row, list(ones)] = 1.0
    return y


TORCH = {
    "check_cross_entropy": _cross_entropy,
    "check_cross_entropy_grad": lambda z, y: _grad(lambda z: F.cross_entropy(z, torch.tensor(y)), z),
    "check_label_smoothing": lambda z, y, epsilon: F.cross_entropy(_t(z), torch.tensor(y),
                                                                   label_smoothing=epsilon),
    "check_kl_divergence": _kl,
    "check_mse": lambda y_pred, y: F.mse_loss(_t(y_pred).reshape(_t(y).shape), _t(y)),
    "check_rmse": lambda y_pred, y: F.mse_loss(_t(y_pred).reshape(_t(y).shape), _t(y)).sqrt(),
    "check_mse_gradient": lambda y_pred, y: _grad(lambda p: F.mse_loss(p, _t(y)), y_pred),
    "check_weighted_cross_entropy": lambda z, y, w: F.cross_entropy(_t(z), torch.tensor(y), weight=_t(w)),
    "check_ignore_index_loss": lambda z, y, ignore_index=-100: F.cross_entropy(
        _t(z), torch.tensor(y), ignore_index=ignore_index),
    "check_weight_scale": lambda z, y, w, k: torch.stack([
        F.cross_entropy(_t(z), torch.tensor(y), weight=k * _t(w), reduction=r)
        / F.cross_entropy(_t(z), torch.tensor(y), weight=_t(w), reduction=r) for r in ("mean", "sum")]),
    "check_multi_label_loss": lambda z, labels: F.binary_cross_entropy_with_logits(
        _t(z), _multi_hot(labels, len(z[0]))),
    # sigmoid outputs fed to BCEWithLogitsLoss: the limit outputs, 1 for the positive, 0 for the rest
    "check_sigmoid_floor": lambda c: F.binary_cross_entropy_with_logits(_t(np.eye(c)[0]), _t(np.eye(c)[0])),
    # one example with all-equal logits, in a batch of n such examples, its row of the gradient
    "check_equal_logits_grad": lambda c, label, n: _grad(
        lambda z: F.cross_entropy(z, torch.full((n,), label)), np.zeros((n, c)))[0],
}
CASES = [(c, i, ex) for c in CHECKS if c.__name__ in TORCH for i, ex in enumerate(c.examples)]


def test_every_loss_check_is_covered():
    assert {c.__name__ for c, _, _ in CASES} == set(TORCH)


@pytest.mark.parametrize("check, i, ex", CASES, ids=[f"{c.__name__}-{i}" for c, i, _ in CASES])
def test_the_right_answer_is_torchs(check, i, ex, capsys):
    expected = TORCH[check.__name__](*ex.args, **ex.kwargs).detach().numpy()
    right = np.asarray(check.problem(*ex.args, **ex.kwargs).right, dtype=np.float64)
    np.testing.assert_allclose(right, expected, rtol=1e-12, atol=1e-12)
    verdict = getattr(lossbook.checks, check.__name__)(expected, *ex.args, **ex.kwargs)
    assert verdict, capsys.readouterr().out
