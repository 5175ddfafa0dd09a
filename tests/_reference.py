"""Helpers the lossbook unit tests share: moving arrays to torch, calling without warnings, and
what a self-check printed."""

import contextlib
import io
import warnings

import numpy as np
import torch


def tt(a):
    """numpy -> torch, keeping the dtype."""
    return torch.from_numpy(np.array(a))


def strict(fn, *args, **kwargs):
    """Call fn with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


def said_not_yet(check, *args, **kwargs) -> str:
    """What a self-check printed for a wrong or missing answer, on one line (its verdict must be
    falsy)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        verdict = check(*args, **kwargs)
    assert not verdict
    return " ".join(out.getvalue().split())
