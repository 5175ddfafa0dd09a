"""Chapter 8's self-checks replayed as a learner meets them: each exercise's typical wrong method
lands on another number, gets its named diagnosis (in English and in Korean), and an answer no
table row explains climbs the ladder: the idea after the first wrong try, the recipe after the
second. The inputs are the chapter's own (chapters/08-beyond-the-mean.ipynb).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _reference import said_not_yet

import lossbook as lb
from lossbook._i18n import particles

C = lb.checks

REPAIR_HOURS = np.array([0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 6.0, 14.0])
SENSOR = np.array([9.0, 9.5, 10.0, 10.2, 10.8, 30.0, 31.0])
LOG_RATES = np.array([0.5, 1.2, 2.0, 1.6, 0.1, 2.3])
COUNTS = np.array([2.0, 3.0, 8.0, 4.0, 0.0, 12.0])
BUG = float(F.poisson_nll_loss(torch.tensor(LOG_RATES).exp(), torch.tensor(COUNTS)))
RATES = torch.tensor(LOG_RATES).exp()
EXACT = float(-torch.distributions.Poisson(RATES).log_prob(torch.tensor(COUNTS)).mean())
STIRLING = float(F.poisson_nll_loss(torch.tensor(LOG_RATES), torch.tensor(COUNTS), full=True))

# (check, inputs, the learner's answer, what the English check says)
H = (REPAIR_HOURS, 0.75)
MISTAKES = [
    (C.check_pinball_minimiser, H, np.quantile(REPAIR_HOURS, 0.75), "np.quantile's value"),
    (C.check_pinball_minimiser, H, np.quantile(REPAIR_HOURS, 0.25, method="inverted_cdf"),
     "the residual's sign is swapped"),
    (C.check_pinball_minimiser, H, REPAIR_HOURS.mean(), "the minimiser of the squared error"),
    (C.check_pinball_minimiser, H, np.median(REPAIR_HOURS), "the median"),
    (C.check_pinball_minimiser, H, 2.5, "one value too low"),
    (C.check_huber_minimiser, (SENSOR, 1.0), np.median(SENSOR), "as if every residual were clipped"),
    (C.check_huber_minimiser, (SENSOR, 1.0), SENSOR.mean(), "with no residual clipped"),
    (C.check_huber_minimiser, (SENSOR, 1.0), SENSOR[:5].mean(), "Huber does not drop them"),
    (C.check_poisson_loss, (LOG_RATES, COUNTS), BUG, "what the buggy code returns"),
    (C.check_poisson_loss, (LOG_RATES, COUNTS), EXACT, "the exact -log P"),
    (C.check_poisson_loss, (LOG_RATES, COUNTS), STIRLING, "full=True"),
    (C.check_regression_loss_choice, (), [1, 2, 3, 5], "for counts"),
    (C.check_regression_loss_choice, (), [4, 2, 1, 5], "about half of the parcels"),
    (C.check_regression_loss_choice, (), [4, 2, 3, 3], "not an error bar"),
]


def test_the_right_answers_are_what_torch_and_the_chapter_compute():
    c = np.linspace(0.0, 20.0, 20001)
    pinball = [lb.pinball_loss(np.full(10, v), REPAIR_HOURS, quantile=0.75) for v in c]
    assert C.check_pinball_minimiser.problem(REPAIR_HOURS, 0.75).right == c[np.argmin(pinball)] == 3.0
    huber = [float(F.huber_loss(torch.full((7,), v, dtype=torch.float64), torch.tensor(SENSOR))) for v in c]
    assert math.isclose(C.check_huber_minimiser.problem(SENSOR, 1.0).right, c[np.argmin(huber)], abs_tol=1e-3)
    assert C.check_huber_minimiser.problem(SENSOR, 1.0).right == 10.375
    right = float(F.poisson_nll_loss(torch.tensor(LOG_RATES), torch.tensor(COUNTS)))
    assert math.isclose(C.check_poisson_loss.problem(LOG_RATES, COUNTS).right, right, rel_tol=1e-12)


@pytest.mark.parametrize("check,args,answer,says", MISTAKES,
                         ids=[f"{m[0].__name__}-{m[3][:24]}" for m in MISTAKES])
def test_each_wrong_method_lands_elsewhere_and_is_named(check, args, answer, says, language):
    problem = check.problem(*args)
    a = np.asarray(answer, dtype=float)
    assert not np.allclose(a, np.asarray(problem.right, dtype=float), rtol=1e-4), "the data hide this mistake"
    named = [m for value, m in problem.live_mistakes() if value.shape == a.shape and np.allclose(value, a)]
    assert len(named) == 1
    said = said_not_yet(check, answer, *args)
    assert " ".join(particles(named[0].message).split()) in said, said
    if language == "en":
        assert says in said, said
    else:
        assert re.search("[\uac00-\ud7a3]", said), said
    assert " ".join(problem.idea.split()) not in said  # a named mistake, not the ladder's hint


def test_an_unexplained_answer_climbs_the_ladder(language):
    problem = C.check_pinball_minimiser.problem(REPAIR_HOURS, 0.75)
    assert "Hint" not in said_not_yet(C.check_pinball_minimiser, None, REPAIR_HOURS, 0.75)  # a nudge only
    first = said_not_yet(C.check_pinball_minimiser, 4.2, REPAIR_HOURS, 0.75)
    assert " ".join(problem.idea.split()) in first and " ".join(problem.recipe.split()) not in first
    second = said_not_yet(C.check_pinball_minimiser, 4.3, REPAIR_HOURS, 0.75)
    assert " ".join(problem.recipe.split()) in second, second


def test_the_choice_says_which_situations_are_right(language):
    said = said_not_yet(C.check_regression_loss_choice, [4, 1, 1, 5])
    if language == "en":
        assert "right for situation(s) 1, 4; not yet for 2, 3." in said, said
        out_of_range = said_not_yet(C.check_regression_loss_choice, [4, 2, 3, 6])
        assert "each choice is one of the numbers 1 to 5." in out_of_range
    else:
        assert "상황 1, 4은(는)" not in said and "상황 1, 4" in said, said
