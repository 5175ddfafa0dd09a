"""Self-checks for the chapter "Learning from comparisons": the CTC loss of a uniform recogniser
counted by hand, a distillation loss with bugs, the choice of a loss for five situations, and the
score difference that minimises the BPR loss.

Each check builds its ``Problem`` (see ``lossbook.checks._judge``) from the exercise's inputs
and names the typical mistake when the answer matches one.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from .._i18n import N_, _
from ..activations import log_softmax, softmax
from ..ctc import ctc_loss
from ..losses import kl_div
from ._answers import as_array, as_number, fmt
from ._judge import Mistake, Problem, one_per_situation, one_situation_wrong
from ._registry import check, example


def _paths_reading(transcript: str, steps: int, classes: int) -> int:
    """How many of the ``classes ** steps`` paths read ``transcript`` (blank 0, a = 1, ...)."""
    count = 0
    for path in itertools.product(range(classes), repeat=steps):
        merged = [k for i, k in enumerate(path) if i == 0 or k != path[i - 1]]
        count += [k for k in merged if k != 0] == [ord(c) - ord("a") + 1 for c in transcript]
    return count


def _transcript(transcript, steps, classes):
    text = str(transcript)
    t, c = as_number(steps, "steps"), as_number(classes, "classes")
    if (not text.isalpha() or not text.islower() or t != int(t) or c != int(c) or not 1 <= t <= 8
            or not 2 <= c <= 6 or max(ord(ch) - ord("a") + 1 for ch in text) >= c):
        raise ValueError(f"check_ctc_count needs a transcript of letters a, b, ... among classes - 1 "
                         f"symbols, 1 <= steps <= 8 and 2 <= classes <= 6; got {transcript!r}, "
                         f"{steps}, {classes}")
    return text, int(t), int(c)


@check(examples=[example("ab", 3, 3), example("a", 2, 2)])
def check_ctc_count(answer, transcript, steps, classes) -> Problem:
    """Check ``-ln p(transcript)`` for a recogniser that is uniform over ``classes`` outputs (the
    blank and the letters a, b, ...) at each of ``steps`` time steps: one sequence, no reduction.

    Every path has probability ``classes ** -steps``, so the loss is
    ``steps * ln(classes) - ln(number of paths that read the transcript)``.

    Examples
    --------
    >>> check_ctc_count(0.8432, "ab", 3, 3)
    Not yet: 0.8432 is F.ctc_loss's default reduction="mean", which divides the sequence's loss by
             the length of its transcript (2).
    Hint: the exercise asks for -ln p(transcript) of the one sequence: reduction="sum".
    False
    """
    text, t, c = _transcript(transcript, steps, classes)
    paths = _paths_reading(text, t, c)
    log_p = np.log(np.full((t, c), 1.0 / c))
    labels = np.array([ord(ch) - ord("a") + 1 for ch in text])
    right = float(ctc_loss(log_p, labels, t, len(text), reduction="sum"))
    total = t * math.log(c)
    # Paths with each symbol once and blanks elsewhere (no repeated symbol): what forgetting the
    # repeats counts.
    no_repeats = math.comb(t, len(text)) if len(set(text)) == len(text) else None
    return Problem(
        right=right,
        what=_("the CTC loss"),
        correct=_("{0} = -ln({1}/{2}): {1} of the {2} equally likely paths read the transcript.").format(
            fmt(right), paths, c**t),
        idea=_("revisit how a path is read: repeated symbols merge first, then the blanks are "
               "dropped; every path that reads the transcript counts."),
        recipe=_("list the {0}**{1} paths, count those that read the transcript, and take -ln(count / "
                 "{2}).").format(c, t, c**t),
        mistakes=[
            Mistake(right / len(text) if len(text) > 1 else None,
                    _("{0} is F.ctc_loss's default reduction=\"mean\", which divides the sequence's "
                      "loss by the length of its transcript ({1}).").format(
                        fmt(right / len(text)), len(text)),
                    _("the exercise asks for -ln p(transcript) of the one sequence: "
                      "reduction=\"sum\".")),
            Mistake(total,
                    _("{0} = {1} ln {2} is the loss of a single path; the transcript's probability "
                      "is the sum over every path that reads it.").format(fmt(total), t, c),
                    _("count all the paths that read the transcript.")),
            Mistake(total - math.log(no_repeats) if no_repeats and no_repeats != paths else None,
                    _("that counts only the paths with each symbol once and blanks elsewhere; a "
                      "symbol may also repeat over several steps."),
                    _("a a b also reads \"ab\": repeats merge.")),
            Mistake(paths / c**t,
                    _("{0} is the probability of the transcript; the loss is its negative log.").format(
                        fmt(paths / c**t)),
                    _("take -ln of it.")),
            Mistake(right / math.log(10),
                    _("that is in base-10 logarithms; the CTC loss uses the natural log."),
                    _("use np.log.")),
        ],
    )


def _distill_parts(student, teacher, temperature):
    """(T^2 KL batchmean, KL batchmean, KL 'mean', the buggy code's value)."""
    log_q = log_softmax(student / temperature, axis=1)
    p = softmax(teacher / temperature, axis=1)
    batchmean = float(kl_div(log_q, p, reduction="batchmean"))
    mean = batchmean / student.shape[1]
    q = np.exp(log_q)
    buggy = float(np.mean(p * (np.log(p) - q)))   # kl_div(q, p): q read as log-probabilities
    return temperature**2 * batchmean, batchmean, mean, buggy


@check(examples=[example([[1.0, 0.5, -0.5, 0.0, 0.3], [0.2, 1.5, 0.3, -1.0, 0.0]],
                         [[3.0, 0.0, -1.0, 0.5, 1.0], [-0.5, 2.5, 1.0, -2.0, 0.5]], 2.0)])
def check_distillation_bug(answer, student_logits, teacher_logits, temperature) -> Problem:
    """Check the corrected distillation loss: ``T**2`` times the KL divergence from the teacher's
    ``softmax(teacher / T)`` to the student's ``softmax(student / T)``, averaged over the batch
    (``F.kl_div(log_softmax(student / T), softmax(teacher / T), reduction="batchmean")``).

    Examples
    --------
    >>> check_distillation_bug(0.1, [[1.0, 0.0, -1.0]], [[2.0, 0.0, 0.0]], 2.0)
    Not yet: 0.1 is not the distillation loss.
    Hint: revisit what F.kl_div expects as its input, what its default reduction divides by,
          and the factor of Hinton et al.'s soft loss.
    False
    """
    s = as_array(student_logits, "student_logits")
    t = as_array(teacher_logits, "teacher_logits")
    temp = as_number(temperature, "temperature")
    if s.ndim != 2 or s.shape != t.shape or s.shape[1] < 2 or not temp > 0:
        raise ValueError(f"student_logits and teacher_logits must be (N, C) of the same shape with "
                         f"C >= 2, and temperature > 0; got {s.shape}, {t.shape}, {temperature}")
    right, batchmean, mean, buggy = _distill_parts(s, t, temp)
    c = s.shape[1]
    return Problem(
        right=right,
        what=_("the distillation loss"),
        correct=_("{0} = T**2 x KL(teacher || student) averaged over the batch: log-probabilities "
                  "in, reduction=\"batchmean\", times T**2 = {1}.").format(fmt(right), fmt(temp**2)),
        idea=_("revisit what F.kl_div expects as its input, what its default reduction divides "
               "by, and the factor of Hinton et al.'s soft loss."),
        recipe=_("T**2 * F.kl_div(F.log_softmax(student / T, dim=1), F.softmax(teacher / T, dim=1), "
                 "reduction=\"batchmean\")."),
        mistakes=[
            Mistake(buggy,
                    _("{0} is what the buggy code returns.").format(fmt(buggy)),
                    _("F.kl_div wants log-probabilities as its input, reduction=\"batchmean\", and "
                      "the result times T**2.")),
            Mistake(temp**2 * mean,
                    _("that divides by the number of elements (reduction=\"mean\"), {0} times too "
                      "small.").format(c),
                    _("use reduction=\"batchmean\": the sum divided by the batch size.")),
            Mistake(batchmean,
                    _("{0} is the KL divergence without the factor T**2.").format(fmt(batchmean)),
                    _("multiply by T**2 = {0}, to keep the gradients on the scale of a "
                      "cross-entropy.").format(fmt(temp**2))),
            Mistake(mean,
                    _("that fixes only the log-probabilities: the reduction still divides by "
                      "the {0} classes and the factor T**2 is missing.").format(c),
                    _("reduction=\"batchmean\" and the factor T**2.")),
            Mistake(temp**2 * float(kl_div(log_softmax(t / temp, axis=1), softmax(s / temp, axis=1),
                                           reduction="batchmean")),
                    _("that swaps the student and the teacher: KL(student || teacher)."),
                    _("the input is the student's log-probabilities, the target the teacher's "
                      "probabilities.")),
            Mistake(temp * batchmean,
                    _("the factor is T**2, not T."),
                    _("multiply by T**2 = {0}.").format(fmt(temp**2))),
        ],
    )


# The situations of the choice exercise and the loss each calls for: 1 BPR, 2 triplet,
# 3 InfoNCE, 4 distillation (T^2 KL), 5 CTC.
CHOICES = (1, 2, 3, 4, 5)
_WHY = (
    N_("situation 1 has preferences between pairs of songs: BPR models the probability that one "
       "beats the other."),
    N_("situation 2 must recognise faces it was not trained on: learn a distance with the triplet "
       "loss."),
    N_("situation 3 has no labels, only views of the same photo: InfoNCE uses the rest of the "
       "batch as negatives."),
    N_("situation 4 has a teacher whose probabilities the small model can copy: T**2-scaled KL."),
    N_("situation 5 has transcripts without time stamps: CTC sums over every alignment."),
)


@check(examples=[example()])
def check_comparison_choice(answer) -> Problem:
    """Check the five choices of the chapter's exercise, one number (1 to 5) per situation.

    Examples
    --------
    >>> check_comparison_choice([3, 2, 3, 4, 5])
    Not yet: InfoNCE needs views of the same item as positives; the songs come as preferences
             between pairs, which BPR models directly.
    Hint: situation 1 has preferences between pairs of songs: BPR models the probability that
          one beats the other.
    False
    """
    return Problem(
        right=np.array(CHOICES),
        what=_("the list of five numbers"),
        correct=_("[1, 2, 3, 4, 5]: BPR for preferences, the triplet loss for new faces, InfoNCE "
                  "without labels, KL to a teacher, CTC without alignments."),
        idea=_("for each situation ask what the data give you: a preference, a same-or-different "
               "identity, only views, a teacher's probabilities, or a transcript without timing."),
        recipe=_("pairs of songs -> 1, unseen faces -> 2, unlabelled photos -> 3, a teacher -> 4, "
                 "transcripts without time stamps -> 5."),
        diagnose=one_per_situation(CHOICES),
        mistakes=[
            Mistake(one_situation_wrong(CHOICES, 0, 3),
                    _("InfoNCE needs views of the same item as positives; the songs come as "
                      "preferences between pairs, which BPR models directly."), _(_WHY[0])),
            Mistake(one_situation_wrong(CHOICES, 0, 2),
                    _("the songs have no identity to cluster; the data say which of two was "
                      "preferred."), _(_WHY[0])),
            Mistake(one_situation_wrong(CHOICES, 1, 3),
                    _("InfoNCE could work, but the training set has labelled identities: the "
                      "triplet loss uses them, and the phone needs only a distance."), _(_WHY[1])),
            Mistake(one_situation_wrong(CHOICES, 1, 1),
                    _("BPR orders items for a user; a face must be matched by a distance to the "
                      "owner's photos."), _(_WHY[1])),
            Mistake(one_situation_wrong(CHOICES, 2, 2),
                    _("the triplet loss needs to know which photos show the same thing; without "
                      "labels only the two views of one photo do, and InfoNCE uses the whole "
                      "batch as negatives."), _(_WHY[2])),
            Mistake(one_situation_wrong(CHOICES, 3, 5),
                    _("the task is to copy a model, not to align a transcript."), _(_WHY[3])),
            Mistake(one_situation_wrong(CHOICES, 4, 4),
                    _("there is no teacher; the problem is the missing alignment."), _(_WHY[4])),
        ],
    )


@check(examples=[example(7, 10), example(3, 4)])
def check_bpr_minimiser(answer, wins, comparisons) -> Problem:
    """Check the score difference ``d = s_A - s_B`` that minimises the BPR loss of ``comparisons``
    pairs of which A won ``wins``: ``sigma(d)`` equals the share of wins, ``d = ln(k / (n - k))``.

    Examples
    --------
    >>> check_bpr_minimiser(0.7, 7, 10)
    Not yet: 0.7 is the share of A's wins, the probability sigma(d); the question asks for the
             score difference d.
    Hint: invert the sigmoid: d = ln(p / (1 - p)).
    False
    """
    k, n = as_number(wins, "wins"), as_number(comparisons, "comparisons")
    if k != int(k) or n != int(n) or not 0 < k < n:
        raise ValueError(f"wins and comparisons must be integers with 0 < wins < comparisons, got "
                         f"{wins} and {comparisons}")
    share = k / n
    right = math.log(k / (n - k))
    return Problem(
        right=right,
        what=_("the score difference"),
        correct=_("d = ln({0}/{1}) = {2}: the model's probability sigma(d) that A wins is the "
                  "observed share {3}.").format(int(k), int(n - k), fmt(right), fmt(share)),
        idea=_("revisit what a cross-entropy's minimiser is: the predicted probability equals the "
               "observed frequency."),
        recipe=_("set the derivative of -k ln sigma(d) - (n - k) ln sigma(-d) to 0: sigma(d) = k / n, "
                 "so d = ln(k / (n - k))."),
        mistakes=[
            Mistake(share,
                    _("{0} is the share of A's wins, the probability sigma(d); the question asks for "
                      "the score difference d.").format(fmt(share)),
                    _("invert the sigmoid: d = ln(p / (1 - p)).")),
            Mistake(math.log(share),
                    _("{0} = ln({1}) counts only A's wins; the comparisons B won pull d back "
                      "too.").format(fmt(math.log(share)), fmt(share)),
                    _("minimise both parts: -k ln sigma(d) - (n - k) ln sigma(-d).")),
            Mistake(-right,
                    _("the sign is reversed: A won more often, so its score must be higher."),
                    _("d = s_A - s_B = ln(wins of A / wins of B).")),
            Mistake(right / math.log(10),
                    _("that is in base-10 logarithms; the sigmoid uses the natural log."),
                    _("use np.log.")),
            Mistake(1.0,
                    _("1 is the margin, the minimiser of the margin ranking loss for any majority of "
                      "wins; the BPR loss's minimiser depends on the share."),
                    _("set the derivative of the BPR total to 0.")),
            Mistake(k / (n - k),
                    _("{0} is the odds; the score difference is their log.").format(fmt(k / (n - k))),
                    _("take ln of the odds.")),
        ],
    )
