"""Self-checks for the chapter "Beyond the mean": what a regression loss's minimiser predicts
(the pinball loss's quantile, the Huber loss's constant), the Poisson loss on log-rates, and
choosing a regression loss for a situation.

Each check builds its ``Problem`` (see ``lossbook.checks._judge``) from the exercise's inputs
(nothing is hard-coded) and names the typical mistake when the answer matches one.
"""

from __future__ import annotations

import math

import numpy as np

from .._i18n import N_, _
from ._answers import as_array, as_number, fmt
from ._judge import Mistake, Problem, one_per_situation, one_situation_wrong
from ._registry import check, example


def _sample(values, name: str) -> np.ndarray:
    """A finite 1-D sample of at least two values."""
    y = as_array(values, name).reshape(-1)
    if y.size < 2 or not np.all(np.isfinite(y)):
        raise ValueError(f"{name} must hold at least two finite numbers")
    return y


def _pinball_minimiser(y: np.ndarray, tau: float) -> float:
    """The smallest value c of ``y`` with at least a share ``tau`` of ``y`` at or below it: where
    the mean pinball loss of the constant c stops falling."""
    s = np.sort(y)
    return float(s[max(math.ceil(tau * len(s) - 1e-12), 1) - 1])


@check(examples=[example([0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 6.0, 14.0], 0.75),
                 example([4.0, 1.0, 7.0, 2.0, 9.0, 3.0, 30.0], 0.8)])
def check_pinball_minimiser(answer, y, quantile) -> Problem:
    """Check the constant that minimises the mean pinball loss at ``quantile`` on a sample.

    Moving the constant c up lowers the loss by ``quantile`` for each value above c and raises
    it by ``1 - quantile`` for each value below, so the loss is lowest at the smallest value with
    at least a share ``quantile`` of the sample at or below it (an order statistic, not
    ``np.quantile``'s interpolation).

    Parameters
    ----------
    answer : float or None
    y : array-like of shape (N,)
        The sample.
    quantile : float in (0, 1)

    Examples
    --------
    >>> check_pinball_minimiser(2.875, [0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 6.0, 14.0], 0.75)
    Not yet: 2.875 is np.quantile's value: it interpolates between two values of the sample.
    Hint: the pinball loss is lowest at a value of the sample itself: the smallest one with at
          least a share 0.75 of the sample at or below it.
    False
    """
    v = _sample(y, "y")
    tau = as_number(quantile, "quantile")
    if not 0.0 < tau < 1.0:
        raise ValueError(f"quantile must lie strictly between 0 and 1, got {tau}")
    right = _pinball_minimiser(v, tau)
    s = np.sort(v)
    k = int(np.searchsorted(s, right))            # index of the minimiser in the sorted sample
    return Problem(
        right=right,
        what=_("the minimiser of the mean pinball loss"),
        correct=_("c = {0}: the smallest value with at least a share {1} of the sample at or below "
                  "it.").format(fmt(right), fmt(tau)),
        idea=_("ask how the mean pinball loss changes when the constant moves up past one more value."),
        recipe=_("sort the sample; the minimiser is the value at position ceil({0} * N), counting from "
                 "1.").format(fmt(tau)),
        mistakes=[
            Mistake(
                float(np.quantile(v, tau)),
                _("{0} is np.quantile's value: it interpolates between two values of the sample.").format(
                    fmt(float(np.quantile(v, tau)))),
                _("the pinball loss is lowest at a value of the sample itself: the smallest one with at "
                  "least a share {0} of the sample at or below it.").format(fmt(tau)),
            ),
            Mistake(
                _pinball_minimiser(v, 1.0 - tau),
                _("{0} is the minimiser for the quantile {1}: the residual's sign is swapped.").format(
                    fmt(_pinball_minimiser(v, 1.0 - tau)), fmt(1.0 - tau)),
                _("a value above the constant pulls it up with weight {0}; one below pulls it down "
                  "with weight {1}.").format(fmt(tau), fmt(1.0 - tau)),
            ),
            Mistake(
                float(np.mean(v)),
                _("{0} is the mean: the minimiser of the squared error.").format(fmt(float(np.mean(v)))),
                _("the pinball loss grows linearly, like the absolute error; its minimiser is a quantile."),
            ),
            Mistake(
                float(np.median(v)),
                _("{0} is the median: the minimiser for the quantile 0.5.").format(fmt(float(np.median(v)))),
                _("with quantile {0} the two sides pull with different weights.").format(fmt(tau)),
            ),
            Mistake(
                float(s[k - 1]) if k >= 1 else None,
                _("{0} is one value too low: below it lies less than a share {1} of the sample.").format(
                    fmt(float(s[k - 1])) if k >= 1 else "", fmt(tau)),
                _("move up to the next value of the sorted sample."),
            ),
        ],
    )


def _huber_minimiser(y: np.ndarray, delta: float) -> float:
    """The constant c with sum(clip(y - c, -delta, delta)) = 0 (the Huber loss's minimiser).

    The sum falls as c rises and is linear between the points y_i +- delta, so one pass over
    those points finds the piece where it crosses zero.
    """
    knots = np.unique(np.concatenate([y - delta, y + delta]))

    def g(c):
        return float(np.sum(np.clip(y - c, -delta, delta)))

    for lo, hi in zip(knots[:-1], knots[1:], strict=True):
        g_lo, g_hi = g(lo), g(hi)
        if g_lo >= 0 >= g_hi:
            return float(lo if g_lo == g_hi else lo + (hi - lo) * g_lo / (g_lo - g_hi))
    raise ValueError("no minimiser found")  # unreachable: g goes from +N delta to -N delta


@check(examples=[example([9.0, 9.5, 10.0, 10.2, 10.8, 30.0, 31.0], 1.0),
                 example([1.0, 2.0, 3.0, 4.0, 100.0], 10.0)])
def check_huber_minimiser(answer, y, delta) -> Problem:
    """Check the constant that minimises the mean Huber loss with threshold ``delta``.

    The minimiser solves sum_i clip(y_i - c, -delta, delta) = 0: the residuals within delta
    count fully, the others as +-delta.

    Parameters
    ----------
    answer : float or None
    y : array-like of shape (N,)
    delta : float > 0

    Examples
    --------
    >>> check_huber_minimiser(10.2, [9.0, 9.5, 10.0, 10.2, 10.8, 30.0, 31.0], 1.0)
    Not yet: 10.2 is the median: the minimiser of the absolute error, as if every residual were
             clipped.
    Hint: residuals within delta of c are not clipped: they count with their full size.
    False
    """
    v = _sample(y, "y")
    d = as_number(delta, "delta")
    if not d > 0:
        raise ValueError(f"delta must be positive, got {d}")
    right = _huber_minimiser(v, d)
    outliers = np.abs(v - np.median(v)) > 10 * d
    return Problem(
        right=right,
        what=_("the minimiser of the mean Huber loss"),
        correct=_("c = {0}: the clipped residuals sum to zero there.").format(fmt(right)),
        idea=_("set the derivative to zero: each residual counts with its size, but at most delta."),
        recipe=_("guess which residuals y_i - c are clipped to +-delta, solve "
                 "sum(clipped) + sum(y_i - c for the others) = 0 for c, and check the guess."),
        mistakes=[
            Mistake(
                float(np.mean(v)),
                _("{0} is the mean: the minimiser of the squared error, with no residual clipped.").format(
                    fmt(float(np.mean(v)))),
                _("residuals larger than delta count only as +-delta."),
            ),
            Mistake(
                float(np.median(v)),
                _("{0} is the median: the minimiser of the absolute error, as if every residual were "
                  "clipped.").format(fmt(float(np.median(v)))),
                _("residuals within delta of c are not clipped: they count with their full size."),
            ),
            Mistake(
                float(np.mean(v[~outliers])) if outliers.any() and (~outliers).any() else None,
                _("{0} is the mean without the far values: Huber does not drop them, it clips them.").format(
                    fmt(float(np.mean(v[~outliers]))) if (~outliers).any() else ""),
                _("each far value still pulls with the force of a residual of delta."),
            ),
        ],
    )


@check(examples=[example([0.5, 1.2, 2.0, 1.6, 0.1, 2.3], [2.0, 3.0, 8.0, 4.0, 0.0, 12.0]),
                 example([0.0, 1.0, -0.5], [1.0, 2.0, 0.0])])
def check_poisson_loss(answer, log_rates, counts) -> Problem:
    """Check the value of ``nn.PoissonNLLLoss()`` (``log_input=True``) for log-rate outputs.

    The loss is mean(exp(eta) - k * eta), without log k!.

    Parameters
    ----------
    answer : float or None
    log_rates : array-like of shape (N,)
        The model's outputs, log-rates eta.
    counts : array-like of shape (N,)
        The observed counts k.

    Examples
    --------
    >>> check_poisson_loss(4.423346, [0.0, 1.0, -0.5], [1.0, 2.0, 0.0])
    Not yet: 4.42335 is what the buggy code returns: the rates exp(eta) passed where
             log_input=True expects log-rates.
    Hint: pass the log-rates themselves, or the rates with log_input=False.
    False
    """
    eta = as_array(log_rates, "log_rates").reshape(-1)
    k = as_array(counts, "counts").reshape(-1)
    if eta.shape != k.shape or eta.size == 0:
        raise ValueError(f"log_rates and counts must have the same length, got {eta.shape} and {k.shape}")
    if not (np.all(np.isfinite(eta)) and np.all(k >= 0) and np.all(k == np.round(k))):
        raise ValueError("log_rates must be finite and counts whole numbers >= 0")
    rate = np.exp(eta)
    right = float(np.mean(rate - k * eta))
    log_fact = np.array([math.lgamma(c + 1) for c in k])
    big = np.where(k > 1, k, 1.0)   # torch adds Stirling's term only for counts above 1
    stirling = np.where(k > 1, big * np.log(big) - big + 0.5 * np.log(2 * np.pi * big), 0.0)
    return Problem(
        right=right,
        what=_("the value of PoissonNLLLoss() for these log-rates"),
        correct=_("the loss is mean(exp(eta) - k * eta) = {0}.").format(fmt(right)),
        idea=_("revisit what log_input=True means for the first argument of PoissonNLLLoss."),
        recipe=_("compute np.mean(np.exp(log_rates) - counts * log_rates)."),
        mistakes=[
            Mistake(
                float(np.mean(np.exp(rate) - k * rate)),
                _("{0} is what the buggy code returns: the rates exp(eta) passed where log_input=True "
                  "expects log-rates.").format(fmt(float(np.mean(np.exp(rate) - k * rate)))),
                _("pass the log-rates themselves, or the rates with log_input=False."),
            ),
            Mistake(
                float(np.mean(rate - k * eta + log_fact)) if np.any(log_fact) else None,
                _("that is the exact -log P, with log k!; PoissonNLLLoss() leaves log k! out."),
                _("drop the log k! term: the default loss is exp(eta) - k * eta."),
            ),
            Mistake(
                float(np.mean(rate - k * eta + stirling)) if np.any(stirling) else None,
                _("that is the value with full=True (Stirling's term added); the default is full=False."),
                _("drop the Stirling term: the default loss is exp(eta) - k * eta."),
            ),
            Mistake(
                float(np.mean(eta - k * np.log(np.where(eta > 0, eta, np.nan)))) if np.all(eta > 0) else None,
                _("that treats the log-rates as rates (log_input=False on log-rates)."),
                _("with log_input=True the rate is exp(eta)."),
            ),
        ],
    )


# Exercise 4's situations and the loss each calls for (1 MSE, 2 Huber, 3 pinball at 0.9,
# 4 Poisson NLL, 5 Gaussian NLL with a predicted variance).
_CHOICES = (4, 2, 3, 5)
_WHY = (
    N_("situation 1 holds counts: the Poisson NLL on a log-rate predicts the mean count, never a "
       "negative one."),
    N_("situation 2 has typos far from the bulk: a robust loss (Huber) is barely moved by them."),
    N_("situation 3 asks for a value that nine parcels in ten beat: the 0.9 quantile."),
    N_("situation 4 asks for an error bar per reading: a predicted variance (Gaussian NLL)."),
)


@check(examples=[example()])
def check_regression_loss_choice(answer) -> Problem:
    """Check the four loss choices of the chapter's exercise, one number (1 to 5) per situation.

    Examples
    --------
    >>> check_regression_loss_choice([1, 2, 3, 5])
    Not yet: the mean squared error for counts predicts the mean but can go negative and ignores
             that the spread grows with the mean.
    Hint: situation 1 holds counts: the Poisson NLL on a log-rate predicts the mean count, never a
          negative one.
    False
    """
    return Problem(
        right=np.array(_CHOICES),
        what=_("the list of four loss numbers"),
        correct=_("[4, 2, 3, 5]: Poisson for counts, Huber against typos, pinball at 0.9 for a time "
                  "90% beat, Gaussian NLL for an error bar per reading."),
        idea=_("for each situation ask what the prediction should be: a mean count, a typical value, "
               "a quantile, or a mean with its spread."),
        recipe=_("counts -> 4, outliers -> 2, a value nine in ten stay below -> 3, an error bar "
                 "per example -> 5."),
        diagnose=one_per_situation(_CHOICES),
        mistakes=[
            Mistake(one_situation_wrong(_CHOICES, 0, 1),
                    _("the mean squared error for counts predicts the mean but can go negative and "
                      "ignores that the spread grows with the mean."), _(_WHY[0])),
            Mistake(one_situation_wrong(_CHOICES, 1, 1),
                    _("the mean squared error chases the typos."), _(_WHY[1])),
            Mistake(one_situation_wrong(_CHOICES, 2, 1),
                    _("the mean squared error predicts the mean time, which about half "
                      "of the parcels exceed."), _(_WHY[2])),
            Mistake(one_situation_wrong(_CHOICES, 3, 1),
                    _("the mean squared error gives one spread for every reading."), _(_WHY[3])),
            Mistake(one_situation_wrong(_CHOICES, 2, 5),
                    _("a Gaussian NLL assumes symmetric noise; the pinball loss asks for "
                      "the 0.9 quantile directly."), _(_WHY[2])),
            Mistake(one_situation_wrong(_CHOICES, 0, 5),
                    _("counts are not Gaussian: their spread is tied to their mean."), _(_WHY[0])),
            Mistake(one_situation_wrong(_CHOICES, 3, 3),
                    _("one quantile is a bound, not an error bar around each reading."), _(_WHY[3])),
        ],
    )
