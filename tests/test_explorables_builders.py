"""The explorable directive (_ext/lossbook_explorables.py) outside the HTML site.

The PDF (LaTeX) and other non-HTML builders get nothing from it: the static figure beside it
stays the book's figure there. The gettext builder extracts its caption and labels, which is
how the Korean catalogues get them (the browser tests check the Korean pages).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import lossbook_explorables as lbx  # noqa: E402

pytestmark = pytest.mark.sphinx  # three Sphinx builds: a slow group, left out by `make check`

PAGE = """# A page

Before the figure.

```{explorable} ch4-logit
**Try it.** Move the logit of the true class: $-\\log p$ changes.
```

After the figure.
"""


def _build(tmp_path: Path, builder: str) -> Path:
    """Build PAGE with ``builder`` in a fresh process (Sphinx registers nodes process-wide)."""
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        "extensions = ['myst_parser', 'lossbook_explorables']\n"
        "myst_enable_extensions = ['dollarmath']\n",
        encoding="utf-8",
    )
    (src / "index.md").write_text(PAGE, encoding="utf-8")
    out = tmp_path / builder
    run = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-E", "-b", builder,
                          str(src), str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out


@pytest.mark.parametrize("builder", ["latex", "text"])
def test_non_html_builders_output_nothing_of_the_figure(tmp_path, builder):
    out = _build(tmp_path, builder)
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.iterdir()
                     if p.suffix in {".tex", ".txt"})
    assert "Before the figure." in text and "After the figure." in text
    for leftover in ("Try it", "logit of the dog", "ch4-logit", "0.6931"):
        assert leftover not in text, f"{builder}: {leftover!r} reached the output"


def test_gettext_extracts_the_caption_and_every_label(tmp_path):
    out = _build(tmp_path, "gettext")
    pot = (out / "index.pot").read_text(encoding="utf-8")
    assert 'msgid "**Try it.** Move the logit of the true class: $-\\\\log p$ changes."' in pot
    for text in lbx.LABELS["ch4-logit"].values():
        assert f'msgid "{text}"' in pot, text


def test_ch8_quantile_data_are_the_pinball_minimisers_of_the_chapters_waits():
    """For each tau, the figure's minimiser is the order statistic where the mean pinball loss
    stops falling, the share of waits below it is within 1/N of tau, and no grid point of the
    drawn curve lies below the minimum."""
    data = lbx.ch8_quantile()
    waits = np.sort(lbx.ch8_waits())
    n = len(waits)
    assert len(data["curve"]) == len(data["tau"]) == len(lbx.CH8_TAUS)
    for k, tau in enumerate(data["tau"]):
        order_statistic = waits[math.ceil(tau * n) - 1]
        assert data["best"][k] == round(float(order_statistic), 2)
        assert abs(data["below"][k] - tau) <= 1 / n + 0.0005   # rounded to 3 decimals
        assert min(data["curve"][k]) >= data["at_best"][k] - 1e-3
    assert data["tau"][data["start"]] == 0.5
    assert data["median"] == data["best"][data["start"]]


def test_ch8_quantile_uses_the_waits_the_chapter_prints():
    """The figure draws the notebook's sample: its minimisers are the ones chapter 8 prints."""
    nb = json.loads((ROOT / "chapters" / "08-beyond-the-mean.ipynb").read_text(encoding="utf-8"))
    printed = "\n".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    data = lbx.ch8_quantile()
    assert f"MAE minimiser {data['median']:.2f}" in printed
    assert f"MSE minimiser {data['mean']:.2f}" in printed
    for tau in (0.1, 0.25, 0.75, 0.9):
        best = data["best"][data["tau"].index(tau)]
        assert f"quantile {tau:4}: pinball minimiser {best:.2f}" in printed, tau


def test_ch9_temperature_data_are_the_chapters_model_and_fit():
    """The start is T = 1, the accuracy never moves, the NLL is lowest near the fitted
    temperature, and the reliability bins hold every test point."""
    import numpy as np

    data = lbx.ch9_temperature()
    _, _, z_test, y_test = lbx.ch9_model()
    assert data["t"][data["start"]] == 1.0
    assert len(set(data["acc"])) == 1
    assert abs(data["t"][int(np.argmin(data["nll"]))] - data["fitted"]) <= 0.3
    assert 2.5 < data["fitted"] < 3.5          # the model's logits are three times the best ones
    assert all(sum(c) == len(y_test) for c in data["counts"])
    assert data["ece"][data["t"].index(3.1)] < data["ece"][data["start"]] / 3


def test_ch10_margin_is_lossbooks_triplet_loss_and_its_drawing_agrees():
    import numpy as np

    import lossbook as lb

    data = lbx.ch10_margin()
    a, p, n = lbx.ch10_triplets()
    for k, m in enumerate(data["m"]):
        each = lb.triplet_margin_loss(a, p, n, margin=m, reduction="none")
        assert data["loss"][k] == round(float(each.mean()), 5)
        assert data["active"][k] == np.flatnonzero(each > 0).tolist()
        # the script fills a point below the line d(a, n) = d(a, p) + m: the same triplets
        below = [i for i, (x, y) in enumerate(zip(data["d_ap"], data["d_an"], strict=True))
                 if y < x + m - 2e-3]
        assert set(below) <= set(data["active"][k])
    assert data["loss"] == sorted(data["loss"])               # a larger margin never costs less
    assert data["active"][0] == [] and len(data["active"][-1]) > len(data["active"][data["start"]])
    assert data["m"][data["start"]] == 1.0                    # torch's default margin
