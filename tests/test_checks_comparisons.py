"""The chapter 10 self-checks against the libraries they describe: the right value of each is
what torch computes for the exercise's inputs, and each named mistake is the value the mistake
gives in torch (the generic tests in test_checks.py feed every mistake of every table)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lossbook.checks import comparisons


@pytest.mark.parametrize(("transcript", "steps", "classes", "paths"),
                         [("ab", 3, 3, 5), ("a", 2, 2, 3), ("aa", 3, 2, 1), ("ab", 4, 3, 15)])
def test_ctc_count_is_torchs_loss_of_a_uniform_recogniser(transcript, steps, classes, paths):
    log_p = torch.log(torch.full((steps, classes), 1 / classes, dtype=torch.float64))
    labels = torch.tensor([ord(c) - ord("a") + 1 for c in transcript])
    torch_sum = F.ctc_loss(log_p, labels, [steps], [len(transcript)], reduction="sum").item()
    problem = comparisons.check_ctc_count.problem(transcript, steps, classes)
    assert math.isclose(problem.right, torch_sum, rel_tol=1e-12)
    assert math.isclose(problem.right, steps * math.log(classes) - math.log(paths), rel_tol=1e-12)
    if len(transcript) > 1:   # the first mistake is torch's default reduction
        torch_mean = F.ctc_loss(log_p, labels, [steps], [len(transcript)]).item()
        assert math.isclose(problem.mistakes[0].value, torch_mean, rel_tol=1e-12)


def test_ctc_count_refuses_a_transcript_beyond_the_classes():
    with pytest.raises(ValueError, match="check_ctc_count"):
        comparisons.check_ctc_count.problem("ac", 3, 3)


def _distill_in_torch(student, teacher, temperature, *, reduction="batchmean", log_input=True):
    s = torch.tensor(student, dtype=torch.float64)
    t = torch.tensor(teacher, dtype=torch.float64)
    p = F.softmax(t / temperature, dim=1)
    q = (F.log_softmax if log_input else F.softmax)(s / temperature, dim=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # torch warns about reduction="mean"
        return F.kl_div(q, p, reduction=reduction).item()


def test_distillation_values_are_torchs():
    (student, teacher, temperature), _ = comparisons.check_distillation_bug.examples[0]
    problem = comparisons.check_distillation_bug.problem(student, teacher, temperature)
    t2 = temperature**2
    assert math.isclose(problem.right, t2 * _distill_in_torch(student, teacher, temperature),
                        rel_tol=1e-12)
    buggy = _distill_in_torch(student, teacher, temperature, reduction="mean", log_input=False)
    assert math.isclose(problem.mistakes[0].value, buggy, rel_tol=1e-12)   # the code as given
    assert math.isclose(problem.mistakes[1].value,
                        t2 * _distill_in_torch(student, teacher, temperature, reduction="mean"),
                        rel_tol=1e-12)
    swapped = t2 * _distill_in_torch(teacher, student, temperature)
    assert math.isclose(problem.mistakes[4].value, swapped, rel_tol=1e-12)
    values = [problem.right, *(m.value for m in problem.mistakes)]
    assert len({round(v, 6) for v in values}) == len(values)   # every mistake tells itself apart


def test_bpr_minimiser_minimises_the_torch_loss():
    for wins, n in ((7, 10), (3, 4), (1, 5)):
        d = torch.tensor(comparisons.check_bpr_minimiser.problem(wins, n).right, dtype=torch.float64,
                         requires_grad=True)
        one = torch.tensor(1.0, dtype=torch.float64)
        total = (wins * F.binary_cross_entropy_with_logits(d, one)
                 + (n - wins) * F.binary_cross_entropy_with_logits(-d, one))
        total.backward()
        assert abs(d.grad.item()) < 1e-12


def test_comparison_choice_accepts_only_the_five_losses():
    problem = comparisons.check_comparison_choice.problem()
    assert problem.right.tolist() == [1, 2, 3, 4, 5]
    for mistake in problem.mistakes:
        assert np.sum(np.asarray(mistake.value) != problem.right) == 1
