"""Time every lossbook loss against torch on CPU, one line per loss, and print the ratios.

Run from the repository root:

    .venv/bin/python benchmarks/bench_losses.py [--repeats 15] [--only ctc_loss mse_loss ...]

One thread for both (OMP_NUM_THREADS=1, torch.set_num_threads(1)), float32 at a size a training
step would see (a batch of 4096 for most losses; see ROWS), every lossbook check on. Each loss is
one row of ROWS: its name and a function that makes its inputs (numpy arrays and options) from a
seeded generator; torch gets the same arrays as tensors. The goal is at most 2x torch's time for
each loss (10x for ctc_loss, whose loop over time steps is numpy's). A script, not a test: it
never fails a build, since timings depend on the machine.
"""

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import NamedTuple  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import lossbook as lb  # noqa: E402

BATCH = 4096
F32 = np.float32


class Row(NamedTuple):
    """One loss: ``make(rng)`` returns (positional arrays, keyword options) for both libraries;
    ``reference`` is torch's function (default: the one of the same name in torch.nn.functional)."""

    name: str
    make: Callable
    reference: Callable | None = None
    goal: float = 2.0


def normal(rng, *shape):
    return rng.normal(size=shape).astype(F32)


def probs(rng, *shape):
    return lb.softmax(normal(rng, *shape))


def labels(rng, n, classes):
    return rng.integers(0, classes, size=n)


def ctc_inputs(rng, steps=200, batch=32, classes=30, longest=40):
    """A speech-like batch: 200 frames, 29 characters and the blank, targets of 20 to 40."""
    log_probs = lb.log_softmax(normal(rng, steps, batch, classes))
    targets = rng.integers(1, classes, size=(batch, longest))
    input_lengths = rng.integers(steps // 2, steps + 1, size=batch)
    target_lengths = rng.integers(longest // 2, longest + 1, size=batch)
    return (log_probs, targets, input_lengths, target_lengths), {}


def signs(rng, *shape):
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(F32)


def multilabel_targets(rng, n, classes, most=5):
    """Each row: 1 to ``most`` distinct class indices, then -1 (torch's end marker)."""
    order = np.argsort(rng.random((n, classes)), axis=1)
    count = rng.integers(1, most + 1, size=(n, 1))
    return np.where(np.arange(classes) < count, order, -1)


# torch's form of the losses it does not ship, and of lossbook's textbook cross-entropy


def nll_of_probs(p, y):
    return F.nll_loss(torch.log(p), y)


def torch_focal(x, t, alpha=0.25, gamma=2.0, reduction="mean"):
    """torchvision.ops.sigmoid_focal_loss's formula, then the mean."""
    p = torch.sigmoid(x)
    p_t = p * t + (1 - p) * (1 - t)
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="none") * (1 - p_t) ** gamma
    return ((alpha * t + (1 - alpha) * (1 - t)) * loss).mean()


def torch_pinball(x, t, quantile=0.5):
    d = t - x
    return torch.maximum(quantile * d, (quantile - 1) * d).mean()


def torch_info_nce(q, k, temperature=0.1):
    logits = F.normalize(q, dim=1) @ F.normalize(k, dim=1).T / temperature
    return F.cross_entropy(logits, torch.arange(len(q)))


ROWS = [
    Row("mse_loss", lambda rng: ((normal(rng, BATCH, 64), normal(rng, BATCH, 64)), {})),
    Row("l1_loss", lambda rng: ((normal(rng, BATCH, 64), normal(rng, BATCH, 64)), {})),
    Row("huber_loss", lambda rng: ((normal(rng, BATCH, 64), normal(rng, BATCH, 64)), {})),
    Row("cross_entropy", lambda rng: ((normal(rng, BATCH, 1000), labels(rng, BATCH, 1000)), {})),
    Row("nll_loss", lambda rng: ((lb.log_softmax(normal(rng, BATCH, 1000)),
                                  labels(rng, BATCH, 1000)), {})),
    Row("binary_cross_entropy", lambda rng: ((lb.sigmoid(normal(rng, BATCH, 64)),
                                              rng.integers(0, 2, (BATCH, 64)).astype(F32)), {})),
    Row("binary_cross_entropy_with_logits",
        lambda rng: ((normal(rng, BATCH, 64), rng.integers(0, 2, (BATCH, 64)).astype(F32)), {})),
    Row("kl_div", lambda rng: ((lb.log_softmax(normal(rng, BATCH, 1000)),
                                probs(rng, BATCH, 1000)), {"reduction": "batchmean"})),
    Row("cross_entropy_from_probs", lambda rng: ((probs(rng, BATCH, 1000),
                                                  labels(rng, BATCH, 1000)), {}),
        reference=nll_of_probs),
    Row("smooth_l1_loss", lambda rng: ((normal(rng, BATCH, 64), normal(rng, BATCH, 64)), {})),
    Row("poisson_nll_loss", lambda rng: ((normal(rng, BATCH, 64),
                                          rng.poisson(2.0, (BATCH, 64)).astype(F32)), {})),
    Row("gaussian_nll_loss", lambda rng: ((normal(rng, BATCH, 64), normal(rng, BATCH, 64),
                                           np.exp(normal(rng, BATCH, 64))), {})),
    Row("pinball_loss", lambda rng: ((normal(rng, BATCH, 64), normal(rng, BATCH, 64)),
                                     {"quantile": 0.9}), reference=torch_pinball),
    Row("soft_margin_loss", lambda rng: ((normal(rng, BATCH, 64), signs(rng, BATCH, 64)), {})),
    Row("multi_margin_loss", lambda rng: ((normal(rng, BATCH, 100), labels(rng, BATCH, 100)), {})),
    Row("multilabel_margin_loss", lambda rng: ((normal(rng, BATCH, 100),
                                                multilabel_targets(rng, BATCH, 100)), {})),
    Row("multilabel_soft_margin_loss",
        lambda rng: ((normal(rng, BATCH, 100), rng.integers(0, 2, (BATCH, 100)).astype(F32)), {})),
    Row("sigmoid_focal_loss", lambda rng: ((normal(rng, BATCH, 80),
                                            rng.integers(0, 2, (BATCH, 80)).astype(F32)),
                                           {"reduction": "mean"}), reference=torch_focal),
    Row("margin_ranking_loss", lambda rng: ((normal(rng, BATCH), normal(rng, BATCH),
                                             signs(rng, BATCH)), {"margin": 0.5})),
    Row("hinge_embedding_loss", lambda rng: ((np.abs(normal(rng, BATCH)), signs(rng, BATCH)), {})),
    Row("cosine_embedding_loss", lambda rng: ((normal(rng, BATCH, 128), normal(rng, BATCH, 128),
                                               signs(rng, BATCH)), {})),
    Row("triplet_margin_loss", lambda rng: ((normal(rng, BATCH, 128), normal(rng, BATCH, 128),
                                             normal(rng, BATCH, 128)), {})),
    Row("triplet_margin_with_distance_loss",
        lambda rng: ((normal(rng, BATCH, 128), normal(rng, BATCH, 128), normal(rng, BATCH, 128)),
                     {})),
    Row("info_nce_loss", lambda rng: ((normal(rng, BATCH, 128), normal(rng, BATCH, 128)), {}),
        reference=torch_info_nce),
    Row("ctc_loss", ctc_inputs, goal=10.0),
]


def as_torch(value):
    return torch.from_numpy(value) if isinstance(value, np.ndarray) else value


def best_seconds(fn, other, repeats):
    """The CPU time of one call of ``fn`` and of ``other``: the best of ``repeats`` samples,
    taken alternately, each long enough (several calls) to time well. CPU time of this thread,
    not wall-clock time, and the best sample, not the median: on a shared machine other jobs
    stretch the wall clock, and only ever make a sample slower."""
    start = time.perf_counter()
    fn(), other()
    once = max(time.perf_counter() - start, 1e-6)
    number = max(1, int(0.01 / once))  # about 10 ms of both per sample
    times = ([], [])
    for _ in range(repeats):
        for k, f in enumerate((fn, other)):
            t0 = time.thread_time()
            for _ in range(number):
                f()
            times[k].append((time.thread_time() - t0) / number)
    return min(times[0]), min(times[1])


def run(row, repeats):
    args, kwargs = row.make(np.random.default_rng(0))
    reference = row.reference or getattr(F, row.name)
    ours_fn = getattr(lb, row.name)
    t_args = [as_torch(a) for a in args]
    t_kwargs = {k: as_torch(v) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a realistic input must not make lossbook warn
        ours = ours_fn(*args, **kwargs)
    theirs = reference(*t_args, **t_kwargs).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6, err_msg=row.name)
    return best_seconds(lambda: ours_fn(*args, **kwargs),
                          lambda: reference(*t_args, **t_kwargs), repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--only", nargs="*", help="the losses to time (default: all)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = [r for r in ROWS if not args.only or r.name in args.only]
    print(f"float32, one thread, CPU time, best of {args.repeats} interleaved samples")
    print(f"{'loss':<36}{'lossbook ms':>12}{'torch ms':>10}{'ratio':>8}  goal")
    missed = []
    for row in rows:
        ours, theirs = run(row, args.repeats)
        ratio = ours / theirs
        verdict = "meets" if ratio <= row.goal else "MISSES"
        if ratio > row.goal:
            missed.append(row.name)
        print(f"{row.name:<36}{ours * 1e3:12.3f}{theirs * 1e3:10.3f}{ratio:7.2f}x  "
              f"<= {row.goal:g}x {verdict}")
    print(f"{len(rows) - len(missed)} of {len(rows)} losses meet their goal"
          + (f"; missed: {', '.join(missed)}" if missed else ""))


if __name__ == "__main__":
    main()
