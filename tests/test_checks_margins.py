"""The chapter 9 self-checks against the libraries they describe: the right value of each is
what torch or lossbook computes for the exercise's inputs (the generic tests in test_checks.py
feed every mistake of every table)."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

import lossbook as lb
from lossbook.checks import margins


def test_multi_margin_at_init_is_torchs_value_for_zero_scores():
    for c, margin in ((10, 1.0), (4, 2.0), (2, 0.5)):
        torch_value = F.multi_margin_loss(torch.zeros(3, c, dtype=torch.float64),
                                          torch.arange(3) % c, margin=margin).item()
        problem = margins.check_multi_margin_at_init.problem(c, margin=margin)
        assert math.isclose(problem.right, torch_value, rel_tol=1e-12)


def test_focal_bug_right_value_is_lossbooks_sigmoid_focal_loss():
    (z, t), _ = margins.check_focal_bug.examples[0]
    problem = margins.check_focal_bug.problem(z, t)
    expected = lb.sigmoid_focal_loss(np.array(z), np.array(t), reduction="mean")
    assert math.isclose(problem.right, expected, rel_tol=1e-12)
    assert not math.isclose(problem.mistakes[0].value, expected, rel_tol=1e-3)   # the bug shows


def test_prior_shift_moves_the_posterior_to_the_new_prior():
    """A posterior computed under the training prior, shifted, equals Bayes' rule under the new one."""
    pi, pi2, likelihood_ratio = 0.2, 0.02, 3.0
    shift = margins.check_prior_shift.problem(pi, pi2).right
    old_logit = math.log(likelihood_ratio * pi / (1 - pi))
    new_posterior = likelihood_ratio * pi2 / (likelihood_ratio * pi2 + (1 - pi2))
    assert math.isclose(1 / (1 + math.exp(-(old_logit + shift))), new_posterior, rel_tol=1e-12)


def test_margin_choice_accepts_only_the_four_reasons():
    assert margins.check_margin_choice.problem().right.tolist() == [2, 3, 4, 5]
