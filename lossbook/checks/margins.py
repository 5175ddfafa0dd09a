"""Self-checks for the chapter "Margins, focus and calibration": the multi-class hinge loss at
initialisation, a focal loss with a bug, the choice of a loss or a post-hoc fix for four
situations, and the logit shift for a new class prior.

Each check builds its ``Problem`` (see ``lossbook.checks._judge``) from the exercise's inputs
and names the typical mistake when the answer matches one.
"""

from __future__ import annotations

import math

import numpy as np

from .._i18n import N_, _
from ..activations import sigmoid
from ..losses import binary_cross_entropy_with_logits
from ._answers import as_array, as_number, fmt
from ._judge import Mistake, Problem, one_per_situation, one_situation_wrong
from ._registry import check, example


@check(examples=[example(10), example(4, margin=2.0)])
def check_multi_margin_at_init(answer, num_classes, *, margin=1.0) -> Problem:
    """Check the value of ``nn.MultiMarginLoss(margin=margin)`` when every score is 0.

    Every one of the C - 1 rivals then violates the margin by ``margin``, and torch divides the
    sum by the number of classes C: the loss is ``(C - 1) * margin / C``.

    Parameters
    ----------
    answer : float or None
        The learner's prediction.
    num_classes : int
        The number of classes C, at least 2.
    margin : float
        The margin (torch's default is 1).

    Examples
    --------
    >>> check_multi_margin_at_init(9.0, 10)
    Not yet: 9 is the sum over the 9 rivals, the Weston-Watkins SVM loss of CS231n's notes;
             torch's MultiMarginLoss divides it by the number of classes.
    Hint: divide by C = 10: (C - 1) * margin / C.
    False
    """
    c = int(as_number(num_classes, "num_classes"))
    m = as_number(margin, "margin")
    if c < 2 or c != as_number(num_classes, "num_classes") or not m > 0:
        raise ValueError(f"num_classes must be an integer >= 2 and margin > 0, got {num_classes}, {margin}")
    right = (c - 1) * m / c
    return Problem(
        right=right,
        what=_("the loss at initialisation"),
        correct=_("{0} = (C - 1) * margin / C: every rival misses the margin by {1}, and torch "
                  "divides the sum by C = {2}.").format(fmt(right), fmt(m), c),
        idea=_("revisit how far each rival's score is from meeting the margin when all scores are "
               "equal, and what torch's mean divides by."),
        recipe=_("count the rivals (C - 1), multiply by the margin, divide by the number of classes C."),
        mistakes=[
            Mistake((c - 1) * m,
                    _("{0} is the sum over the {1} rivals, the Weston-Watkins SVM loss of CS231n's "
                      "notes; torch's MultiMarginLoss divides it by the number of classes.").format(
                        fmt((c - 1) * m), c - 1),
                    _("divide by C = {0}: (C - 1) * margin / C.").format(c)),
            Mistake(math.log(c),
                    _("{0} = ln C is the cross-entropy of a uniform guess, not the hinge loss.").format(
                        fmt(math.log(c))),
                    _("the hinge loss counts margin violations: max(0, margin - s_y + s_j) for each "
                      "rival j.")),
            Mistake(m if c > 2 else None,
                    _("{0} is the margin of one rival; every rival misses it.").format(fmt(m)),
                    _("sum over the C - 1 rivals, then divide by C.")),
        ],
    )


# The buggy focal loss of the exercise: p where p_t belongs, and alpha for every element.
def _buggy_focal(z, t, gamma, alpha):
    p = sigmoid(z)
    ce = binary_cross_entropy_with_logits(z, t, reduction="none")
    return alpha * (1 - p) ** gamma * ce


def _focal(z, t, gamma, alpha, *, use_p_t=True, alpha_t=True):
    p = sigmoid(z)
    p_t = p * t + (1 - p) * (1 - t) if use_p_t else p
    a = alpha * t + (1 - alpha) * (1 - t) if alpha_t else alpha
    return a * (1 - p_t) ** gamma * binary_cross_entropy_with_logits(z, t, reduction="none")


@check(examples=[example([2.5, -0.5, 1.0, -3.0, 0.3, 2.0], [1.0, 1.0, 0.0, 0.0, 0.0, 0.0])])
def check_focal_bug(answer, logits, targets, *, gamma=2.0, alpha=0.25) -> Problem:
    """Check the mean focal loss (``torchvision.ops.sigmoid_focal_loss(..., reduction="mean")``)
    after fixing the exercise's buggy implementation.

    Parameters
    ----------
    answer : float or None
    logits : array-like of shape (N,)
    targets : array-like of 0/1, shape (N,)
    gamma, alpha : float
        The focusing parameter and the weight of the positive class.

    Examples
    --------
    >>> z, t = [2.0, -1.0, 1.5, -2.0], [1.0, 1.0, 0.0, 0.0]
    >>> check_focal_bug(0.2, z, t)
    Not yet: 0.2 is not the mean focal loss.
    Hint: revisit which probability the focal factor uses for a negative example, and which
          weight alpha gives it.
    False
    """
    z, t = as_array(logits, "logits").reshape(-1), as_array(targets, "targets").reshape(-1)
    if z.shape != t.shape or z.size == 0 or not np.all((t == 0) | (t == 1)):
        raise ValueError(f"logits and 0/1 targets must have the same length, got {z.shape} and {t.shape}")
    g, a = as_number(gamma, "gamma"), as_number(alpha, "alpha")
    right = float(_focal(z, t, g, a).mean())
    n_pos = max(int(t.sum()), 1)
    buggy = float(_buggy_focal(z, t, g, a).mean())
    return Problem(
        right=right,
        what=_("the mean focal loss"),
        correct=_("{0}: (1 - p_t)**gamma with p_t the probability of the true label, and alpha_t = "
                  "alpha for positives, 1 - alpha for negatives.").format(fmt(right)),
        idea=_("revisit which probability the focal factor uses for a negative example, and which "
               "weight alpha gives it."),
        recipe=_("p_t = p * t + (1 - p) * (1 - t), alpha_t = alpha * t + (1 - alpha) * (1 - t); "
                 "the loss is (alpha_t * (1 - p_t)**gamma * bce).mean()."),
        mistakes=[
            Mistake(buggy,
                    _("{0} is what the buggy code returns.").format(fmt(buggy)),
                    _("for a negative the probability of the true label is 1 - p, not p; and alpha "
                      "weights only the positives.")),
            Mistake(float(_focal(z, t, g, a, use_p_t=False).mean()),
                    _("alpha is fixed, but the factor still uses p where p_t belongs: the easy "
                      "negatives keep their full weight and the hard ones lose it."),
                    _("use p_t = p * t + (1 - p) * (1 - t).")),
            Mistake(float(_focal(z, t, g, a, alpha_t=False).mean()),
                    _("p_t is fixed, but alpha still weights every element; the negatives get "
                      "1 - alpha."),
                    _("use alpha_t = alpha * t + (1 - alpha) * (1 - t).")),
            Mistake(float(_focal(z, t, g, -1.0, alpha_t=False).mean()) if a != 1 else None,
                    _("that is the focal loss without alpha (alpha = -1 in torchvision)."),
                    _("keep the class weight alpha_t.")),
            Mistake(float(_focal(z, t, g, a).sum()),
                    _("{0} is the sum; the exercise asks for reduction='mean'.").format(
                        fmt(float(_focal(z, t, g, a).sum()))),
                    _("divide by the number of elements.")),
            Mistake(float(_focal(z, t, g, a).sum()) / n_pos if n_pos != z.size else None,
                    _("that divides by the number of positives, as RetinaNet does; "
                      "reduction='mean' divides by all elements."),
                    _("take the mean over all {0} elements.").format(z.size)),
        ],
    )


# The situations of the choice exercise and what each calls for: 1 softmax cross-entropy,
# 2 one sigmoid per label (BCE with logits), 3 focal loss, 4 temperature scaling, 5 a new
# threshold.
CHOICES = (2, 3, 4, 5)
_WHY = (
    N_("situation 1 has several right labels per photo: one sigmoid per tag (BCE with logits) lets "
       "them be true together; a softmax makes them compete."),
    N_("situation 2 is dominated by easy background: the focal loss turns their weight down."),
    N_("situation 3 needs honest confidences without new decisions: one temperature, fitted on "
       "validation data, keeps every argmax."),
    N_("situation 4 needs a different recall from the same scores: move the threshold."),
)


@check(examples=[example()])
def check_margin_choice(answer) -> Problem:
    """Check the four choices of the chapter's exercise, one number (1 to 5) per situation.

    Examples
    --------
    >>> check_margin_choice([1, 3, 4, 5])
    Not yet: a softmax makes the tags compete: their probabilities sum to 1, so a photo cannot be
             both a beach and a sunset with confidence.
    Hint: situation 1 has several right labels per photo: one sigmoid per tag (BCE with logits)
          lets them be true together; a softmax makes them compete.
    False
    """
    return Problem(
        right=np.array(CHOICES),
        what=_("the list of four numbers"),
        correct=_("[2, 3, 4, 5]: a sigmoid per tag, the focal loss for a detector's easy background, "
                  "temperature scaling for overconfidence, a new threshold for recall."),
        idea=_("for each situation ask whether the model must be retrained at all, and what must "
               "change: the labels' competition, the weight of easy examples, the confidence, or "
               "a decision."),
        recipe=_("several tags -> 2, a flood of easy negatives -> 3, overconfident but accurate -> 4, "
                 "the same model with more recall -> 5."),
        diagnose=one_per_situation(CHOICES),
        mistakes=[
            Mistake(one_situation_wrong(CHOICES, 0, 1),
                    _("a softmax makes the tags compete: their probabilities sum to 1, so a photo "
                      "cannot be both a beach and a sunset with confidence."), _(_WHY[0])),
            Mistake(one_situation_wrong(CHOICES, 1, 1),
                    _("with plain cross-entropy the many easy background boxes add up and swamp "
                      "the few objects."), _(_WHY[1])),
            Mistake(one_situation_wrong(CHOICES, 1, 2),
                    _("one sigmoid per box is already what the detector uses; the problem is the "
                      "weight of the easy boxes."), _(_WHY[1])),
            Mistake(one_situation_wrong(CHOICES, 2, 5),
                    _("a threshold changes decisions, not the confidence the model reports."),
                    _(_WHY[2])),
            Mistake(one_situation_wrong(CHOICES, 2, 3),
                    _("retraining is ruled out, and the focal loss does not make probabilities "
                      "calibrated."), _(_WHY[2])),
            Mistake(one_situation_wrong(CHOICES, 3, 4),
                    _("dividing a logit by a temperature keeps its sign: at the threshold 0.5 "
                      "every decision, and so the recall, stays the same."), _(_WHY[3])),
            Mistake(one_situation_wrong(CHOICES, 3, 3),
                    _("retraining is ruled out; the recall can be bought with the threshold."),
                    _(_WHY[3])),
        ],
    )


@check(examples=[example(0.2, 0.02), example(0.5, 0.1)])
def check_prior_shift(answer, train_prior, deploy_prior) -> Problem:
    """Check the number to add to a binary model's logit when the share of positives changes
    from ``train_prior`` (training) to ``deploy_prior`` (deployment).

    By Bayes' rule the posterior odds are the likelihood ratio times the prior odds, so the logit
    moves by the change in the log prior odds: ``logit(deploy_prior) - logit(train_prior)``.

    Examples
    --------
    >>> check_prior_shift(-2.3026, 0.2, 0.02)
    Not yet: -2.3026 = log(0.02 / 0.2) compares the priors of the positives only; the negatives'
             prior changed too.
    Hint: shift by the log of the prior ODDS: log(pi' / (1 - pi')) - log(pi / (1 - pi)).
    False
    """
    pi, pi2 = as_number(train_prior, "train_prior"), as_number(deploy_prior, "deploy_prior")
    if not (0 < pi < 1 and 0 < pi2 < 1):
        raise ValueError(f"the priors must lie strictly between 0 and 1, got {pi} and {pi2}")

    def logit(q):
        return math.log(q / (1 - q))

    right = logit(pi2) - logit(pi)
    ratio = math.log(pi2 / pi)
    return Problem(
        right=right,
        what=_("the logit shift"),
        correct=_("b = logit({0}) - logit({1}) = {2}: the posterior odds change by the ratio of the "
                  "prior odds.").format(fmt(pi2), fmt(pi), fmt(right)),
        idea=_("revisit Bayes' rule in odds form: posterior odds = likelihood ratio x prior odds."),
        recipe=_("b = log(pi' / (1 - pi')) - log(pi / (1 - pi)) with pi the training share and pi' "
                 "the deployment share of positives."),
        mistakes=[
            Mistake(-right, _("{0} has the wrong sign: the positives became rarer, so the logit must "
                              "fall.").format(fmt(-right)) if pi2 < pi else
                    _("{0} has the wrong sign.").format(fmt(-right)),
                    _("deployment minus training: logit(pi') - logit(pi).")),
            Mistake(ratio,
                    _("{0} = log({1} / {2}) compares the priors of the positives only; the negatives' "
                      "prior changed too.").format(fmt(ratio), fmt(pi2), fmt(pi)),
                    _("shift by the log of the prior ODDS: log(pi' / (1 - pi')) - log(pi / (1 - pi)).")),
            Mistake(logit(pi2) if pi != 0.5 else None,
                    _("{0} = logit({1}) is the deployment prior's log-odds alone; the training prior "
                      "is already inside the model.").format(fmt(logit(pi2)), fmt(pi2)),
                    _("subtract the training log-odds logit({0}).").format(fmt(pi))),
            Mistake(right / math.log(10),
                    _("that is in base-10 logarithms; logits are natural logs."),
                    _("use np.log.")),
            Mistake(math.exp(right),
                    _("{0} is the factor on the odds, not the shift of the logit.").format(
                        fmt(math.exp(right))),
                    _("take its natural log.")),
            Mistake(pi2 - pi,
                    _("that is the change in probability; the logit shifts by a change in log-odds."),
                    _("use log(pi' / (1 - pi')) - log(pi / (1 - pi)).")),
        ],
    )
