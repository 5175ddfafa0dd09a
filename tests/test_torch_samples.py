"""Every loss against torch on the sample inputs PyTorch's own test suite uses for it (all of
``torch.nn.functional``'s losses but ``ctc_loss``).

``torch.testing._internal.common_methods_invocations.op_db`` holds, for each function of
``torch.nn.functional``, the sample inputs torch's tests run (shapes with and without a batch
axis, each reduction, each option) and its reference inputs (more of them, and edge cases).
Each is run through lossbook and torch in float64 and compared at rtol 1e-9, and the gradients
against torch's autograd.

Where lossbook is stricter than torch, the sample is a refusal by design, listed in
``REFUSALS`` (and NaN or an infinity in any argument, the package's one rule): lossbook must
raise a ValueError that names the function and the argument, and the repaired sample (targets
made -1/1 or 0/1, weights made >= 0, an implicit broadcast made explicit, non-finite values
made 0) must then agree with torch.
"""

from __future__ import annotations

import inspect
import random

import numpy as np
import pytest
import torch
from torch.testing._internal.common_methods_invocations import op_db

import lossbook as lb

# torch's name -> the indices of the arguments lossbook differentiates (its _grad's outputs)
LOSSES = {
    "mse_loss": (0,),
    "l1_loss": (0,),
    "huber_loss": (0,),
    "cross_entropy": (0,),
    "nll_loss": (0,),
    "binary_cross_entropy": (0,),
    "binary_cross_entropy_with_logits": (0,),
    "kl_div": (0,),
    "smooth_l1_loss": (0,),
    "poisson_nll_loss": (0,),
    "gaussian_nll_loss": (0, 2),
    "margin_ranking_loss": (0, 1),
    "hinge_embedding_loss": (0,),
    "soft_margin_loss": (0,),
    "multilabel_margin_loss": (0,),
    "multilabel_soft_margin_loss": (0,),
    "multi_margin_loss": (0,),
    "cosine_embedding_loss": (0, 1),
    "triplet_margin_loss": (0, 1, 2),
    "triplet_margin_with_distance_loss": (0, 1, 2),
}
OPS = {op.name.removeprefix("nn.functional."): op for op in op_db
       if op.name.removeprefix("nn.functional.") in LOSSES and not op.variant_test_name}


def _signs(t):
    return np.where(t >= 0, 1.0, -1.0)


def _gaussian_target(args, kwargs):
    """torch broadcasts a target of one fewer dimension from the right; make that explicit."""
    x, t = args[0], args[1]
    return [x, np.broadcast_to(t, np.broadcast_shapes(x.shape, t.shape)).copy(), *args[2:]], kwargs


def _target_like_input(args, kwargs):
    """torch broadcasts a target of another shape; lossbook wants the input's shape."""
    return [args[0], np.broadcast_to(args[1], args[0].shape).copy(), *args[2:]], kwargs


# torch's name -> (when lossbook refuses the sample, the argument its message names, repair)
def _broadcast_all(args, kwargs):
    """torch broadcasts the three arguments of margin_ranking_loss together; make it explicit."""
    return [a.copy() for a in np.broadcast_arrays(*args)], kwargs


REFUSALS = {
    "margin_ranking_loss": [(lambda a, k: len({np.shape(x) for x in a}) > 1, "input1",
                             _broadcast_all),
                            (lambda a, k: np.any(np.abs(a[2]) != 1), "target",
                             lambda a, k: ([a[0], a[1], _signs(a[2])], k))],
    "hinge_embedding_loss": [(lambda a, k: np.shape(a[1]) != np.shape(a[0]), "input",
                              _target_like_input),
                             (lambda a, k: np.any(np.abs(a[1]) != 1), "target",
                              lambda a, k: ([a[0], _signs(a[1])], k))],
    "soft_margin_loss": [(lambda a, k: np.any(np.abs(a[1]) != 1), "target",
                          lambda a, k: ([a[0], _signs(a[1])], k))],
    "multilabel_soft_margin_loss": [(lambda a, k: np.any((a[1] < 0) | (a[1] > 1)), "target",
                                     lambda a, k: ([a[0], (a[1] > 0).astype(float)], k))],
    "gaussian_nll_loss": [(lambda a, k: np.ndim(a[1]) != np.ndim(a[0]), "target",
                           _gaussian_target)],
    # soft labels that do not sum to 1 over the classes (axis 1, or 0 for one example)
    "cross_entropy": [(lambda a, k: a[1].dtype.kind == "f" and not np.allclose(
                           a[1].sum(axis=min(1, a[1].ndim - 1)), 1), "target",
                       lambda a, k: ([a[0], a[1] / a[1].sum(axis=min(1, a[1].ndim - 1),
                                                            keepdims=True)], k))],
    # torch divides a single distribution's sum by its length C; lossbook asks for "sum"
    "kl_div": [(lambda a, k: k.get("reduction") == "batchmean" and a[0].ndim < 2, "reduction",
                lambda a, k: (a, {**k, "reduction": "sum"}))],
}


def _numpy(value):
    if isinstance(value, torch.Tensor):
        return value.detach().numpy().copy()
    if isinstance(value, torch.nn.PairwiseDistance):  # torch's default distance: lossbook's None
        assert (value.norm, value.eps, value.keepdim) == (2.0, 1e-6, False)
        return None
    return value


def _torch(value):
    return torch.from_numpy(np.asarray(value)) if isinstance(value, np.ndarray) else value


def _samples():
    """Every sample of every loss, drawn from seeded generators (torch's and Python's)."""
    random.seed(0)
    torch.manual_seed(0)
    samples = []
    for name in LOSSES:
        for kind in ("sample", "reference"):
            inputs = getattr(OPS[name], f"{kind}_inputs")("cpu", torch.float64)
            samples += [pytest.param(name, s, id=f"{name}-{kind}{i}") for i, s in enumerate(inputs)]
    return samples


def _torch_loss(name, args, kwargs, grad_of=()):
    """torch's loss on the numpy arguments, and the gradients of its sum for grad_of."""
    targs = [_torch(a) for a in args]
    for i in grad_of:
        targs[i] = targs[i].clone().requires_grad_(True)
    tkw = {k: (torch.nn.PairwiseDistance() if k == "distance_function" and v is None
               else _torch(v)) for k, v in kwargs.items()}
    out = getattr(torch.nn.functional, name)(*targs, **tkw)
    if not grad_of:
        return out.detach().numpy()
    grads = torch.autograd.grad(out.sum(), [targs[i] for i in grad_of])
    return [g.numpy() for g in grads]


def _finite(i, name):
    """NaN and infinities in argument i are refused; the repair makes them 0."""
    def refused(args, kwargs):
        return isinstance(args[i], np.ndarray) and not np.isfinite(args[i]).all()

    def repair(args, kwargs):
        return [np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0) if j == i else a
                for j, a in enumerate(args)], kwargs
    return refused, name, repair


def _nonnegative(key):
    """A negative weight is refused by every loss; the repair takes its absolute value."""
    return (lambda a, k: k.get(key) is not None and np.any(k[key] < 0), key,
            lambda a, k: (a, {**k, key: np.abs(k[key])}))


def _repaired(name, args, kwargs):
    """The arguments with every refusal by design repaired, and for each refusal that applied,
    the sample with only that problem left (every other one repaired)."""
    names = list(inspect.signature(getattr(lb, name)).parameters)
    rules = [*(_finite(i, names[i]) for i in range(len(args))),
             *(_nonnegative(key) for key in ("weight", "pos_weight")), *REFUSALS.get(name, [])]
    original, applied = (list(args), dict(kwargs)), []
    for refused, argument, repair in rules:
        if refused(args, kwargs):
            applied.append((argument, repair))
            args, kwargs = repair(args, kwargs)
    alone = []
    for k, (argument, _) in enumerate(applied):
        bad_args, bad_kwargs = original
        for j, (_, repair) in enumerate(applied):
            if j != k:
                bad_args, bad_kwargs = repair(bad_args, bad_kwargs)
        alone.append((argument, bad_args, bad_kwargs))
    return args, kwargs, alone


# torch's samples give nll_loss random scores (positive "log-probabilities") and kl_div the
# reduction "mean"; lossbook warns about both, on purpose
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name,sample", _samples())
def test_lossbook_agrees_with_torch_on_its_own_samples(name, sample):
    args = [_numpy(sample.input), *(_numpy(a) for a in sample.args)]
    kwargs = {k: _numpy(v) for k, v in sample.kwargs.items()}
    loss, grad = getattr(lb, name), getattr(lb, f"{name}_grad")
    args, kwargs, applied = _repaired(name, args, kwargs)
    for argument, bad_args, bad_kwargs in applied:  # refusals by design, each asserted
        with pytest.raises(ValueError, match=rf"^{name}: {argument}\b"):
            loss(*bad_args, **bad_kwargs)
    try:
        expected = _torch_loss(name, args, kwargs)
    except (RuntimeError, ValueError, IndexError):  # torch refuses it too: so does lossbook
        with pytest.raises((ValueError, TypeError), match=rf"^{name}: "):
            loss(*args, **kwargs)
        return
    got = loss(*args, **kwargs)
    assert np.shape(got) == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-300)
    got_grads = grad(*args, **kwargs)
    got_grads = got_grads if isinstance(got_grads, tuple) else (got_grads,)
    for g, want in zip(got_grads, _torch_loss(name, args, kwargs, LOSSES[name]), strict=True):
        assert np.shape(g) == want.shape
        np.testing.assert_allclose(g, want, rtol=1e-9, atol=1e-15)

