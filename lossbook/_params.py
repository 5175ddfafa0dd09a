"""Scalar parameters, one vocabulary for the whole package: integers, real numbers, flags, rngs.

One exception-type rule everywhere: a value of the wrong *type* (a float where an integer is
needed, text where a number is, ``True`` where a count is) raises ``TypeError``; a value of the
right type outside its range (a negative count, a fraction of 1.5, a nan) raises ``ValueError``.
Every message starts with the name of the function the learner called and names the parameter.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def integer(value, name: str, func: str, *, low: int | None = None, high: int | None = None,
            hint: str = "") -> int:
    """``value`` as an int in [low, high]; bool and float (even 3.0) are refused as a TypeError.
    ``hint``, if given, ends either message (what the parameter means, a usual value)."""
    hint = f" {hint}" if hint else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{func}: {name} must be an integer, got {type(value).__name__} {value!r}.{hint}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        where = (f"at least {low}" if high is None else f"at most {high}" if low is None
                 else f"between {low} and {high}")
        raise ValueError(f"{func}: {name} must be {where}, got {value}.{hint}")
    return value


def real(value, name: str, func: str, *, low: float | None = None, high: float | None = None,
         open_low: bool = False, open_high: bool = False, hint: str = "") -> float:
    """``value`` as a finite float in the interval given (closed unless ``open_low``/``open_high``);
    ``hint``, if given, ends either message."""
    hint = f" {hint}" if hint else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func}: {name} must be a real number, got {type(value).__name__} {value!r}.{hint}")
    value = float(value)
    below = low is not None and (value <= low if open_low else value < low)
    above = high is not None and (value >= high if open_high else value > high)
    if not math.isfinite(value) or below or above:
        lo = "(-inf" if low is None else ("(" if open_low else "[") + f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}" + (")" if open_high else "]")
        raise ValueError(f"{func}: {name} must be a finite number in {lo}, {hi}, got {value}.{hint}")
    return value


def flag(value, name: str, func: str) -> bool:
    """A plain True or False (numpy booleans too), nothing that merely looks truthy."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{func}: {name} must be True or False, got {value!r}.")
    return bool(value)


def generator(rng, func: str) -> np.random.Generator:
    """The one rng reader: a numpy Generator, never a seed or the global random state."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{func}: rng must be a numpy Generator, e.g. rng=np.random.default_rng(0), "
            f"got {type(rng).__name__}."
        )
    return rng
