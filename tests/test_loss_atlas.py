"""The loss atlas (chapters/loss-atlas.md): one row for each of the book's 24 losses, every
lossbook function and PyTorch name real, and every number of its "at initialisation" column
what lossbook computes for an untrained model."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
import torch.nn.functional as F

import lossbook as lb

ATLAS = Path(__file__).resolve().parents[1] / "chapters" / "loss-atlas.md"
HEADER = ["loss", "task; where it comes from", "its minimiser predicts", "PyTorch / `lossbook`",
          "at initialisation", "taught in"]


def _rows() -> dict[str, list[str]]:
    """The atlas's rows by lossbook function name, each a list of its cells."""
    rows = {}
    for line in ATLAS.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith("| loss |"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        assert len(cells) == len(HEADER), line
        names = re.findall(r"`lb\.(\w+)`", cells[3])
        assert len(names) == 1, line
        rows[names[0]] = cells
    return rows


ROWS = _rows()
STANDARDISED = np.array([-1.5, -0.5, 0.0, 0.5, 1.5])
STANDARDISED = (STANDARDISED - STANDARDISED.mean()) / STANDARDISED.std()


def _ctc_tiny():
    return lb.ctc_loss(np.log(np.full((2, 2), 0.5)), np.array([1]), 2, 1, reduction="sum")


def _collapsed(fn, **kwargs):
    same = np.ones((4, 3))
    return fn(same, same, same, **kwargs)


# Each function's value(s) at initialisation, as lossbook computes them.
AT_INIT = {
    "mse_loss": [lb.mse_loss(np.zeros(5), STANDARDISED)],
    "poisson_nll_loss": [lb.poisson_nll_loss(np.zeros(4), np.array([0.0, 2.0, 5.0, 1.0]))],
    "gaussian_nll_loss": [lb.gaussian_nll_loss(np.zeros(5), STANDARDISED, np.ones(5))],
    "cross_entropy": [lb.cross_entropy(np.zeros((3, 10)), np.array([0, 4, 9]))],
    "nll_loss": [lb.nll_loss(lb.log_softmax(np.zeros((3, 10)), axis=1), np.array([0, 4, 9]))],
    "binary_cross_entropy": [lb.binary_cross_entropy(np.full(4, 0.5), np.array([0.0, 1.0, 1.0, 0.0]))],
    "binary_cross_entropy_with_logits": [
        lb.binary_cross_entropy_with_logits(np.zeros(4), np.array([0.0, 1.0, 1.0, 0.0]))],
    "kl_div": [lb.kl_div(np.log(np.full((2, 10), 0.1)), np.eye(10)[[3, 7]], reduction="batchmean")],
    "soft_margin_loss": [lb.soft_margin_loss(np.zeros(4), np.array([1.0, -1.0, 1.0, -1.0]))],
    "multi_margin_loss": [lb.multi_margin_loss(np.zeros((3, 10)), np.array([0, 4, 9])),
                          10 * lb.multi_margin_loss(np.zeros((3, 10)), np.array([0, 4, 9]))],
    "multilabel_margin_loss": [lb.multilabel_margin_loss(np.zeros((1, 10)),
                                                         np.array([[2, 5] + [-1] * 8]))],
    "multilabel_soft_margin_loss": [lb.multilabel_soft_margin_loss(np.zeros((2, 4)),
                                                                   np.array([[1.0, 0, 1, 0], [0, 0, 0, 1]]))],
    "sigmoid_focal_loss": list(lb.sigmoid_focal_loss(np.zeros(2), np.array([1.0, 0.0]))),
    "margin_ranking_loss": [lb.margin_ranking_loss(np.zeros(3), np.zeros(3), np.ones(3)),
                            lb.margin_ranking_loss(np.zeros(3), np.zeros(3), np.ones(3), margin=1.0),
                            lb.binary_cross_entropy_with_logits(np.zeros(3), np.ones(3))],
    "hinge_embedding_loss": list(lb.hinge_embedding_loss(np.zeros(2), np.array([1.0, -1.0]),
                                                         reduction="none")),
    "cosine_embedding_loss": list(lb.cosine_embedding_loss(np.ones((2, 3)), np.ones((2, 3)),
                                                           np.array([1.0, -1.0]), reduction="none")),
    "triplet_margin_loss": [_collapsed(lb.triplet_margin_loss)],
    "triplet_margin_with_distance_loss": [_collapsed(lb.triplet_margin_with_distance_loss)],
    "info_nce_loss": [lb.info_nce_loss(np.ones((256, 4)), np.ones((256, 4)))],
    "ctc_loss": [_ctc_tiny()],
}


def test_the_atlas_has_one_row_per_loss_of_the_book():
    book = {name for module in (lb.losses, lb.losses_regression, lb.losses_classification,
                                lb.losses_embedding) for name in module.__all__}
    book = (book - {"cross_entropy_from_probs"}) | {"ctc_loss"}   # a variant, and CTC's module
    assert len(ROWS) == 24
    assert set(ROWS) == book


def test_every_pytorch_name_is_a_function_of_torch_nn_functional():
    named = [re.findall(r"`F\.(\w+)`", cells[3]) for cells in ROWS.values()]
    in_torch = [name for names in named for name in names]
    assert all(callable(getattr(F, name, None)) for name in in_torch), in_torch
    # the 21 losses of torch.nn.functional, and cross_entropy named for InfoNCE
    assert len(set(in_torch)) == 21


@pytest.mark.parametrize("name", sorted(AT_INIT))
def test_numbers_at_initialisation_are_lossbooks(name):
    cell = ROWS[name][4]
    printed = re.findall(r"(?<![\w.$])(\d+(?:\.\d+)?)(?![\w$])", re.sub(r"\$[^$]*\$", " ", cell))
    assert printed, cell
    def shows(value, p):   # p is value rounded to p's printed decimals
        decimals = len(p.split(".")[1]) if "." in p else 0
        return math.isclose(value, float(p), abs_tol=0.5 * 10**-decimals + 1e-12)

    for value in AT_INIT[name]:
        assert any(shows(float(value), p) for p in printed), (name, float(value), cell)
    # and no number in the cell that lossbook did not compute (labels like "10 classes" aside)
    computed = {round(float(v), 4) for v in AT_INIT[name]}
    allowed_context = {"0", "1", "2", "10", "256", "0.25"}   # inputs: C, N, alpha, ...
    stray = [p for p in printed if round(float(p), 4) not in computed and p not in allowed_context]
    assert not stray, (name, stray, cell)


def test_rows_without_a_number_say_a_formula():
    for name, cells in ROWS.items():
        if name not in AT_INIT:
            assert "$" in cells[4], (name, cells[4])
