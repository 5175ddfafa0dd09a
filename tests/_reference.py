"""Helpers the lossbook unit tests share: moving arrays to torch, and calling without warnings."""

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
