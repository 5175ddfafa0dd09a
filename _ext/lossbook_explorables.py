"""Explorable figures: a slider beside a static figure, drawn by a few KB of plain JavaScript.

A notebook's Markdown cell places one with a MyST directive; its body is the caption (Markdown,
math allowed), translated through the page's catalogue like any paragraph::

    ```{explorable} ch5-weight
    Move the weight: the cross-entropy glides, the accuracy jumps.
    ```

At build time the directive calls ``lossbook`` for every position of the sliders and embeds the
rounded results in the page (``<script type="application/json">``; a page opened from disk
works too). The JavaScript (``_ext/static/lossbook-explorables.js``, loaded only by pages with an
explorable) looks values up, draws SVG and prints them, so every number a reader reads is
lossbook's, to the precision printed. Each figure's labels are paragraphs of the directive's
output, so Sphinx's gettext builder extracts them (``make translations``) and the Korean build
shows the Korean text from ``locale/ko``. Builders other than HTML (LaTeX/PDF) output nothing:
the static figure the explorable sits beside stays in the book.

The figures:

- ``ch3-line``: slope and intercept of a line through the five points of chapter 3; residuals,
  their squares, ``lb.mse_loss`` and ``lb.l1_loss``, and the point on the MSE surface;
- ``ch4-logit``: the logit of the true class in the worked example of chapter 4 (the other
  logits fixed at log 0.3 and log 0.2); ``lb.softmax``, ``lb.cross_entropy`` in nats,
  ``lb.cross_entropy_from_probs`` in base 10 and base 2, ``lb.cross_entropy_grad``;
- ``ch5-weight``: ``weight[3, 1]`` of chapter 5's 45-of-100 classifier over the chapter's sweep;
  ``lb.accuracy``, ``lb.cross_entropy`` and the slopes of both (``lb.numerical_gradient``);
- ``ch8-quantile``: the quantile tau of the pinball loss on chapter 8's 201 waiting times; the mean
  ``lb.pinball_loss`` of a constant prediction, its minimiser and the share of waits below it.
- ``ch9-temperature``: the temperature dividing the logits of chapter 9's overconfident model;
  ``lb.softmax``, ``lb.cross_entropy``, ``lb.calibration_bins``, ``lb.expected_calibration_error``
  and ``lb.accuracy`` on the chapter's 450 test points, and the temperature fitted on its
  validation points.
- ``ch10-margin``: the margin of the triplet loss over 24 triplets of three 2-D clouds (chapter
  10's people); ``lb.triplet_margin_loss`` per triplet and its mean, and which triplets still
  cost something.
"""

from __future__ import annotations

import html
import json
import math

import numpy as np
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

# Printed precision (decimals) of every quantity; the data are rounded to it at build time.
DIGITS = {"mse": 3, "mae": 3, "prob": 4, "nats": 4, "base10": 5, "bits": 4, "grad": 4,
          "loss": 5, "slope": 4, "conf": 3, "ece": 4, "bin": 3, "pinball": 4, "curve": 3, "minutes": 2,
          "share": 3}

# Chapter 3: the five points and the candidate line of the chapter's first section.
CH3_X = [1.0, 2.0, 3.0, 4.0, 5.0]
CH3_Y = [2.0, 1.5, 3.5, 3.0, 6.5]
CH3_SLOPES = [k / 10 for k in range(-5, 26)]  # -0.5 .. 2.5, step 0.1
CH3_INTERCEPTS = [k / 4 for k in range(-8, 13)]  # -2 .. 3, step 0.25
CH3_START = (1.0, 0.0)

# Chapter 4: the worked example (label dog, prediction [0.3, 0.2, 0.5] at the start).
CH4_FIXED = (math.log(0.3), math.log(0.2))
CH4_STEPS = range(-45, 56)  # logit of the dog: log 0.5 + 0.1 k
CH4_TRUE = 2

# Chapter 5: the sweep of the chapter's staircase figure.
CH5_SWEEP = np.linspace(-1.0, 1.0, 401)

# Chapter 8: the waiting times (the first draw of the chapter's seeded generator), the quantile
# slider and the grid of constant predictions the curve is drawn on.
CH8_SEED, CH8_N = 0, 201
CH8_TAUS = [k / 20 for k in range(1, 20)]  # 0.05 .. 0.95, step 0.05
CH8_GRID = [k / 5 for k in range(51)]  # c = 0 .. 10 minutes, step 0.2


def ch8_waits() -> np.ndarray:
    """Chapter 8's 201 waiting times, drawn as the notebook draws them."""
    return np.random.default_rng(CH8_SEED).lognormal(mean=1.0, sigma=0.6, size=CH8_N)


# Chapter 9: the seed, clouds and scale of the overconfident model, the slider's temperatures and
# the notebook's fitting grid.
CH9_SEED, CH9_N, CH9_SPREAD, CH9_SCALE = 2017, 150, 1.2, 3.0
CH9_CENTRES = [[0.0, 0.0], [3.0, 0.0], [1.5, 2.5]]
CH9_TEMPS = [k / 10 for k in range(5, 61)]  # 0.5 .. 6.0, step 0.1
CH9_FIT_GRID = np.round(np.arange(0.5, 6.0001, 0.01), 2)


def ch9_model():
    """Chapter 9's validation and test sets and the overconfident logits, as the notebook draws
    them: ``(z_val, y_val, z_test, y_test)``."""
    import lossbook as lb

    rng = np.random.default_rng(CH9_SEED)
    centres = np.array(CH9_CENTRES)
    X_val, y_val = lb.data.blobs(CH9_N, centers=centres, spread=CH9_SPREAD, rng=rng)
    X_test, y_test = lb.data.blobs(CH9_N, centers=centres, spread=CH9_SPREAD, rng=rng)

    def logits(X):
        return CH9_SCALE * (X @ centres.T - 0.5 * (centres**2).sum(axis=1)) / CH9_SPREAD**2

    return logits(X_val), y_val, logits(X_test), y_test


# Chapter 10: three clouds of 8 points (three people, the chapter's centres), one triplet per
# anchor (the next point of its cloud, a point of another cloud), and the slider's margins.
CH10_SEED, CH10_N, CH10_SPREAD = 10, 8, 0.6
CH10_CENTRES = [[0.0, 0.0], [3.0, 0.5], [1.0, 3.0]]
CH10_MARGINS = [k / 20 for k in range(0, 61)]  # 0 .. 3, step 0.05


def ch10_triplets():
    """Chapter 10's explorable triplets: ``(anchors, positives, negatives)``, each (24, 2)."""
    import lossbook as lb

    rng = np.random.default_rng(CH10_SEED)
    X, who = lb.data.blobs(CH10_N, centers=np.array(CH10_CENTRES), spread=CH10_SPREAD, rng=rng)
    anchors, positives, negatives = [], [], []
    for i in range(len(X)):
        same = np.flatnonzero(who == who[i])
        positives.append(X[same[(np.flatnonzero(same == i)[0] + 1) % len(same)]])
        negatives.append(X[rng.choice(np.flatnonzero(who != who[i]))])
        anchors.append(X[i])
    return np.array(anchors), np.array(positives), np.array(negatives)


# The labels of each figure (English; the Korean ones come from the catalogues).
LABELS = {
    "ch3-line": {
        "slope": "slope w",
        "intercept": "intercept b",
        "mse": "MSE",
        "mae": "MAE",
        "square": "squared residual",
        "best": "least squares",
        "alt_line": "The five points, the line and, on each residual, the square whose area is "
                    "the squared residual.",
        "alt_surface": "A map of the MSE over slope and intercept, shaded more strongly where "
                       "the MSE is larger, with the current line as a point.",
    },
    "ch4-logit": {
        "logit": "logit of the dog (the true class)",
        "classes": "cat, fox, dog",
        "prob": "probability",
        "grad": "gradient",
        "nats": "natural log (nats)",
        "base10": "log base 10",
        "bits": "log base 2 (bits)",
        "curve": "loss in nats",
        "alt_bars": "Bars of the softmax probabilities of cat, fox and dog, and bars of the "
                    "gradient of the loss with respect to each logit.",
        # No apostrophes in labels: the English page would show smart quotes (’), unlike the
        # catalogue's text.
        "alt_curve": "The curve of minus the log of the probability of the true class, with the "
                     "current prediction as a point.",
    },
    "ch5-weight": {
        "weight": "weight[3, 1]",
        "accuracy": "accuracy",
        "right": "examples right",
        "loss": "cross-entropy",
        "acc_slope": "slope of accuracy",
        "loss_slope": "slope of cross-entropy",
        "minimum": "lowest loss: slope 0",
        "alt": "Accuracy as a staircase and the cross-entropy as a smooth curve over "
               "weight[3, 1], with the current weight as a vertical line.",
    },
    "ch8-quantile": {
        "tau": "quantile τ",
        "c": "constant prediction c (minutes)",
        "loss": "mean pinball loss",
        "best": "minimiser",
        "below": "share of the waits below it",
        "at_best": "loss at the minimiser",
        "mean": "mean",
        "median": "median",
        "alt": "The mean pinball loss of a constant prediction as a curve made of straight pieces, "
               "lowest at the minimiser, over ticks that mark the 201 waiting times, with the "
               "mean and the median as vertical lines.",
    },
    "ch9-temperature": {
        "temperature": "temperature T",
        "confidence": "mean confidence",
        "accuracy": "accuracy",
        "nll": "NLL",
        "ece": "ECE",
        "fitted": "fitted on validation",
        "calibrated": "calibrated",
        "conf_axis": "confidence (top-class probability)",
        "alt_bars": "A reliability diagram of the test points: one bar per confidence bin, as high "
                    "as the accuracy in the bin, with the diagonal of a calibrated model.",
        "alt_curve": "The negative log-likelihood of the test points as a curve over the "
                     "temperature, with the current temperature as a point and the fitted one "
                     "as a vertical line.",
    },
    "ch10-margin": {
        "margin": "margin m",
        "loss": "triplet loss (mean)",
        "active": "triplets that still cost something",
        "d_ap": "distance anchor-positive",
        "d_an": "distance anchor-negative",
        "boundary": "d(a, n) = d(a, p) + m",
        "alt": "Each of 24 triplets as a point, its anchor-positive distance across and its "
               "anchor-negative distance up, with the line d(a, n) = d(a, p) + m; the points "
               "below the line still cost something and are filled.",
    },
}


def _round(values, digits):
    return [round(float(v), digits) for v in np.ravel(values)]


def ch3_line() -> dict:
    """MSE and MAE of the line w x + b through chapter 3's five points, on the slider grid."""
    import lossbook as lb

    x, y = np.array(CH3_X), np.array(CH3_Y)
    mse = [[round(float(lb.mse_loss(w * x + b, y)), DIGITS["mse"]) for b in CH3_INTERCEPTS]
           for w in CH3_SLOPES]
    mae = [[round(float(lb.l1_loss(w * x + b, y)), DIGITS["mae"]) for b in CH3_INTERCEPTS]
           for w in CH3_SLOPES]
    w_ls, b_ls = np.polyfit(x, y, deg=1)
    return {"x": CH3_X, "y": CH3_Y, "w": CH3_SLOPES, "b": CH3_INTERCEPTS,
            "start": [CH3_SLOPES.index(CH3_START[0]), CH3_INTERCEPTS.index(CH3_START[1])],
            "mse": mse, "mae": mae, "best": [round(float(w_ls), 4), round(float(b_ls), 4)]}


def ch4_logits(k: int) -> np.ndarray:
    """The logits (cat, fox, dog) at slider step ``k``."""
    return np.array([*CH4_FIXED, math.log(0.5) + 0.1 * k])


def ch4_logit() -> dict:
    """Softmax, cross-entropy in three bases and its gradient as the true class's logit moves."""
    import lossbook as lb

    rows = {key: [] for key in ("z", "prob", "nats", "base10", "bits", "grad")}
    onehot = np.eye(3)[CH4_TRUE]
    for k in CH4_STEPS:
        z = ch4_logits(k)
        p = lb.softmax(z)
        rows["z"].append(round(float(z[CH4_TRUE]), 2))
        rows["prob"].append(_round(p, DIGITS["prob"]))
        rows["nats"].append(round(float(lb.cross_entropy(z[None], np.array([CH4_TRUE]))),
                                  DIGITS["nats"]))
        rows["base10"].append(round(float(lb.cross_entropy_from_probs(p, onehot, base=10)),
                                    DIGITS["base10"]))
        rows["bits"].append(round(float(lb.cross_entropy_from_probs(p, onehot, base=2)),
                                  DIGITS["bits"]))
        rows["grad"].append(_round(lb.cross_entropy_grad(z[None], np.array([CH4_TRUE])),
                                   DIGITS["grad"]))
    return rows | {"start": list(CH4_STEPS).index(0), "true": CH4_TRUE}


def chapter5_model():
    """Chapter 5's data and 45-of-100 classifier, built as the chapter's notebook builds them.

    Returns ``(X, y, weight, bias)``; the browser tests compare the classifier with the numbers
    the notebook prints.
    """
    import lossbook as lb

    rng = np.random.default_rng(0)
    centers = [(-2, -2), (2, -2), (-2, 2), (2, 2)]
    X, y = lb.data.blobs(25, centers=centers, spread=1.5, rng=rng)
    model = lb.Dense(2, 4, rng=rng)
    logits = model(X)
    while round(lb.accuracy(logits, y) * 100) != 45:
        model.backward(lb.cross_entropy_grad(logits, y))
        model.weight -= 0.05 * model.grad_weight
        model.bias -= 0.05 * model.grad_bias
        logits = model(X)
    return X, y, model.weight.copy(), model.bias.copy()


def ch5_logits(X, weight, bias, w31):
    w = weight.copy()
    w[3, 1] = w31
    return X @ w.T + bias


def ch5_weight() -> dict:
    """Accuracy, cross-entropy and their slopes over the sweep of weight[3, 1] in chapter 5."""
    import lossbook as lb

    X, y, weight, bias = chapter5_model()
    w0 = float(weight[3, 1])

    def slope(metric, w31):
        f = lambda v: metric(ch5_logits(X, weight, bias, v[0]), y)  # noqa: E731
        return float(lb.numerical_gradient(f, [w31], eps=1e-6)[0])

    sweep = w0 + CH5_SWEEP
    right, loss, acc_slope, loss_slope = [], [], [], []
    for w31 in sweep:
        logits = ch5_logits(X, weight, bias, w31)
        right.append(round(float(lb.accuracy(logits, y)) * len(y)))
        loss.append(round(float(lb.cross_entropy(logits, y)), DIGITS["loss"]))
        acc_slope.append(round(slope(lb.accuracy, w31), DIGITS["slope"]) + 0.0)
        loss_slope.append(round(slope(lb.cross_entropy, w31), DIGITS["slope"]))
    return {"w0": round(w0, 6), "step": round(float(CH5_SWEEP[1] - CH5_SWEEP[0]), 6),
            "start": len(sweep) // 2, "n": len(y), "right": right, "loss": loss,
            "acc_slope": acc_slope, "loss_slope": loss_slope,
            "minimum": int(np.argmin(loss))}


def ch8_quantile() -> dict:
    """The mean pinball loss of a constant on chapter 8's waits, and its minimiser, for each tau."""
    import lossbook as lb

    waits = ch8_waits()
    grid = np.array(CH8_GRID)
    at_grid = np.broadcast_to(grid[:, None], (len(grid), len(waits)))
    at_waits = np.broadcast_to(waits[:, None], (len(waits), len(waits)))
    rows = {key: [] for key in ("curve", "best", "below", "at_best")}
    for tau in CH8_TAUS:
        curve = lb.pinball_loss(at_grid, np.broadcast_to(waits, at_grid.shape), quantile=tau,
                                reduction="none").mean(axis=1)
        # The minimiser is one of the waits (a piecewise-linear loss bends only there).
        at_each = lb.pinball_loss(at_waits, np.broadcast_to(waits, at_waits.shape), quantile=tau,
                                  reduction="none").mean(axis=1)
        k = int(np.argmin(at_each))
        rows["curve"].append(_round(curve, DIGITS["curve"]))  # drawn, not printed
        rows["best"].append(round(float(waits[k]), DIGITS["minutes"]))
        rows["below"].append(round(float(np.mean(waits < waits[k])), DIGITS["share"]))
        rows["at_best"].append(round(float(at_each[k]), DIGITS["pinball"]))
    return rows | {"tau": CH8_TAUS, "c": CH8_GRID, "start": CH8_TAUS.index(0.5),
                   "waits": _round(waits, DIGITS["minutes"]),
                   "mean": round(float(np.mean(waits)), DIGITS["minutes"]),
                   "median": round(float(np.median(waits)), DIGITS["minutes"])}


def ch9_temperature() -> dict:
    """Confidence, NLL, ECE, accuracy and the reliability bins of chapter 9's test points for
    each temperature of the slider, and the temperature fitted on the validation points."""
    import lossbook as lb

    z_val, y_val, z_test, y_test = ch9_model()
    fit = [lb.cross_entropy(z_val / t, y_val) for t in CH9_FIT_GRID]
    rows = {key: [] for key in ("conf", "nll", "ece", "acc", "bins", "counts")}
    for t in CH9_TEMPS:
        probs = lb.softmax(z_test / t)
        bins = lb.calibration_bins(probs, y_test)
        rows["conf"].append(round(float(probs.max(axis=1).mean()), DIGITS["conf"]))
        rows["nll"].append(round(float(lb.cross_entropy(z_test / t, y_test)), DIGITS["nats"]))
        rows["ece"].append(round(lb.expected_calibration_error(probs, y_test), DIGITS["ece"]))
        rows["acc"].append(round(lb.accuracy(probs, y_test), DIGITS["conf"]))
        rows["bins"].append(_round(bins.accuracy, DIGITS["bin"]))
        rows["counts"].append([int(c) for c in bins.counts])
    return rows | {"t": CH9_TEMPS, "start": CH9_TEMPS.index(1.0),
                   "fitted": float(CH9_FIT_GRID[int(np.argmin(fit))])}


def ch10_margin() -> dict:
    """Each triplet's distances, and for each margin of the slider the triplet loss of every
    triplet (``lb.triplet_margin_loss``, reduction "none"), their mean, and which cost more than 0."""
    import lossbook as lb

    a, p, n = ch10_triplets()
    rows = {"loss": [], "active": []}
    for m in CH10_MARGINS:
        each = lb.triplet_margin_loss(a, p, n, margin=m, reduction="none")
        rows["loss"].append(round(float(each.mean()), DIGITS["loss"]))
        rows["active"].append([int(k) for k in np.flatnonzero(each > 0)])
    return rows | {"m": CH10_MARGINS, "start": CH10_MARGINS.index(1.0),
                   "d_ap": _round(np.linalg.norm(a - p, axis=1), DIGITS["mse"]),
                   "d_an": _round(np.linalg.norm(a - n, axis=1), DIGITS["mse"])}


FIGURES = {"ch3-line": ch3_line, "ch4-logit": ch4_logit, "ch5-weight": ch5_weight,
           "ch8-quantile": ch8_quantile, "ch9-temperature": ch9_temperature,
           "ch10-margin": ch10_margin}


class explorable(nodes.General, nodes.Element):  # noqa: N801 - docutils names nodes in lower case
    """An explorable figure: data and labels for the script, caption paragraphs as children."""


class explorable_label(nodes.paragraph):  # noqa: N801
    """One label of an explorable (a paragraph, so that gettext extracts and translates it)."""


class ExplorableDirective(SphinxDirective):
    """```{explorable} NAME``` with the caption as its body."""

    required_arguments = 1
    has_content = True

    def run(self):
        name = self.arguments[0]
        if name not in FIGURES:
            raise self.error(f"explorable: unknown figure {name!r}; known: {sorted(FIGURES)}")
        node = explorable(name=name, data=FIGURES[name]())
        self.set_source_info(node)
        for key, text in LABELS[name].items():
            item = explorable_label(text, text, key=key)
            self.set_source_info(item)
            node += item
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def visit_explorable_html(self, node) -> None:
    name = node["name"]
    labels = {item["key"]: item.astext() for item in node.children if isinstance(item, explorable_label)}
    self.body.append(
        f'<figure class="lbx" id="lbx-{name}" data-lbx="{html.escape(name)}">\n'
        f'<script type="application/json" class="lbx-data">{_json(node["data"])}</script>\n'
        f'<script type="application/json" class="lbx-labels">{_json(labels)}</script>\n'
        '<div class="lbx-stage"></div>\n<figcaption>\n'
    )
    for child in node.children:
        if not isinstance(child, explorable_label):
            child.walkabout(self)
    self.body.append("</figcaption>\n</figure>\n")
    raise nodes.SkipNode


def skip(self, node) -> None:
    """Other builders (LaTeX for the PDF, text, ...): nothing; the static figure stays."""
    raise nodes.SkipNode


def _add_assets(app, pagename, templatename, context, doctree) -> None:
    if doctree is not None and any(doctree.findall(explorable)):
        app.add_css_file("lossbook-explorables.css")
        app.add_js_file("lossbook-explorables.js", defer="defer")


def setup(app):
    # The script and stylesheet live in _ext/static, which lossbook_site adds to the static path.
    app.setup_extension("lossbook_site")
    others = {b: (skip, None) for b in ("latex", "text", "man", "texinfo")}
    app.add_node(explorable, html=(visit_explorable_html, None), **others)
    app.add_node(explorable_label, html=(skip, None), **others)
    app.add_directive("explorable", ExplorableDirective)
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
