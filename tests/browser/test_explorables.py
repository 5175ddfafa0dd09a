"""The explorable figures (_ext/lossbook_explorables.py) as a reader uses them, in both editions.

For each figure and edition the tests move the sliders (by value and by keyboard), read the
numbers the page prints and compare them, to the printed precision, with lossbook's values for
the same weights, computed here. They also check the figure's start against the numbers the
chapter's notebook prints, the console and the network, axe-core in the light and dark themes,
a 390-pixel phone screen, the Korean labels from the catalogues, and the size of what each
figure adds to its page.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from babel.messages.pofile import read_po
from sitekit import ROOT, SITE, axe_js, is_local

import lossbook as lb
from _ext import lossbook_explorables as lbx
from booktools import editions

PAGES = {
    "ch3-line": "chapters/03-mean-squared-error",
    "ch4-logit": "chapters/04-cross-entropy",
    "ch5-weight": "chapters/05-loss-vs-accuracy",
    "ch8-quantile": "chapters/08-beyond-the-mean",
    "ch9-temperature": "chapters/09-margins-focus-calibration",
    "ch10-margin": "chapters/10-learning-from-comparisons",
}
EDITIONS = ["", "ko/"]
CASES = [(edition, name) for edition in EDITIONS for name in PAGES]
IDS = [f"{'ko' if e else 'en'}-{n}" for e, n in CASES]
# What one figure may add to its page: its data and markup, and the shared script and stylesheet.
FIGURE_BUDGET = 12 * 1024
# The script draws one figure per chapter that has one (about 3 KB each), and the stylesheet.
SCRIPT_BUDGET = 24 * 1024
JS = SITE / "_static" / "lossbook-explorables.js"
CSS = SITE / "_static" / "lossbook-explorables.css"


def _notebook_text(page: str) -> str:
    """Every stored text output of the chapter's notebook, joined."""
    nb = json.loads((ROOT / f"{page}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


class Figure:
    """One explorable on an open page: set sliders, read the printed values."""

    def __init__(self, tab, name):
        self.tab, self.name = tab, name
        self.root = tab.locator(f"#lbx-{name}")
        tab.wait_for_selector(f"#lbx-{name}[data-ready]")

    def slider(self, key):
        return self.root.locator(f"input#lbx-{self.name}-{key}")

    def set(self, **positions) -> None:
        for key, k in positions.items():
            self.slider(key).fill(str(k))

    def read(self, key) -> str:
        return self.root.locator(f'[data-q="{key}"]').inner_text().strip()


@pytest.fixture(scope="module")
def tabs(browser_context, server):
    """One open tab per (edition, figure), with what its console and network did."""
    opened = {}

    def _tab(edition, name, *, width=1280):
        key = (edition, name, width)
        if key not in opened:
            tab = browser_context.new_page()
            tab.set_viewport_size({"width": width, "height": 900})
            tab.problems = {"console": [], "outside": [], "failed": []}
            tab.on("console", lambda m: tab.problems["console"].append(m.text)
                   if m.type == "error" else None)
            tab.on("pageerror", lambda e: tab.problems["console"].append(f"uncaught: {e}"))
            tab.on("request", lambda r: None if is_local(r.url)
                   else tab.problems["outside"].append(r.url))
            tab.on("requestfailed", lambda r: tab.problems["failed"].append(r.url))
            tab.goto(server.url(f"{edition}{PAGES[name]}.html"), wait_until="load")
            opened[key] = tab
        return opened[key]

    yield _tab
    for tab in opened.values():
        tab.close()


# --- lossbook's values, computed here ------------------------------------------------------

def ch3_expected(w: float, b: float) -> dict:
    x, y = np.array(lbx.CH3_X), np.array(lbx.CH3_Y)
    return {"mse": f"{lb.mse_loss(w * x + b, y):.3f}", "mae": f"{lb.l1_loss(w * x + b, y):.3f}"}


def ch4_expected(k: int) -> dict:
    z = lbx.ch4_logits(k)
    p = lb.softmax(z)
    t = np.eye(3)[lbx.CH4_TRUE]
    g = lb.cross_entropy_grad(z[None], np.array([lbx.CH4_TRUE]))[0]
    return {
        "z": f"{z[lbx.CH4_TRUE]:.2f}",
        "prob": " / ".join(f"{v:.4f}" for v in p),
        "grad": " / ".join(f"{v:.4f}" for v in g),
        "nats": f"{lb.cross_entropy(z[None], np.array([lbx.CH4_TRUE])):.4f}",
        "base10": f"{lb.cross_entropy_from_probs(p, t, base=10):.5f}",
        "bits": f"{lb.cross_entropy_from_probs(p, t, base=2):.4f}",
    }


@pytest.fixture(scope="module")
def chapter5():
    X, y, weight, bias = lbx.chapter5_model()
    return X, y, weight, bias


def ch5_expected(chapter5, k: int) -> dict:
    X, y, weight, bias = chapter5
    w31 = weight[3, 1] + lbx.CH5_SWEEP[k]

    def at(v):
        return lbx.ch5_logits(X, weight, bias, v)

    def slope(metric):
        return lb.numerical_gradient(lambda v: metric(at(v[0]), y), [w31], eps=1e-6)[0] + 0.0

    acc = lb.accuracy(at(w31), y)
    return {
        "w": f"{w31:.4f}",
        "accuracy": f"{acc:.0%}",
        "right": f"{round(acc * len(y))} / {len(y)}",
        "loss": f"{lb.cross_entropy(at(w31), y):.5f}",
        "acc_slope": f"{slope(lb.accuracy):.4f}",
        "loss_slope": f"{slope(lb.cross_entropy):.4f}",
    }


def _fix_zero(text: str) -> str:
    """Python prints -0.0000 where the page prints 0.0000."""
    return re.sub(r"^-(0\.0+)$", r"\1", text)


# --- the numbers --------------------------------------------------------------------------

@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "ko"])
def test_ch3_line_prints_lossbooks_mse_and_mae(tabs, edition):
    fig = Figure(tabs(edition, "ch3-line"), "ch3-line")
    # The start is the chapter's candidate line y = x, whose MSE the notebook prints.
    assert "MSE = 4.75 / 5 = 0.95" in _notebook_text(PAGES["ch3-line"])
    assert (fig.read("w"), fig.read("b")) == ("1.0", "0.00")
    assert fig.read("mse") == "0.950"
    last_w, last_b = len(lbx.CH3_SLOPES) - 1, len(lbx.CH3_INTERCEPTS) - 1
    for i, j in [(0, 0), (16, 9), (15, 8), (7, 13), (last_w, last_b), (22, 3)]:
        fig.set(w=i, b=j)
        w, b = float(fig.read("w")), float(fig.read("b"))
        assert (w, b) == (lbx.CH3_SLOPES[i], lbx.CH3_INTERCEPTS[j])
        expected = ch3_expected(w, b)
        assert {"mse": fig.read("mse"), "mae": fig.read("mae")} == expected, (w, b)


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "ko"])
def test_ch4_logit_prints_lossbooks_probabilities_losses_and_gradient(tabs, edition):
    fig = Figure(tabs(edition, "ch4-logit"), "ch4-logit")
    outputs = _notebook_text(PAGES["ch4-logit"])
    # The start is the chapter's worked example: the three numbers the notebook prints.
    for printed in ("natural log (nats): 0.6931", "log base 10       : 0.30103",
                    "log base 2 (bits) : 1.0000"):
        assert printed in outputs
    assert (fig.read("nats"), fig.read("base10"), fig.read("bits")) == ("0.6931", "0.30103",
                                                                         "1.0000")
    steps = list(lbx.CH4_STEPS)
    for position in (0, 10, 44, 45, 46, 80, len(steps) - 1):
        fig.set(z=position)
        expected = ch4_expected(steps[position])
        got = {key: fig.read(key) for key in expected}
        assert got == expected, position


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "ko"])
def test_ch5_weight_prints_lossbooks_accuracy_loss_and_slopes(tabs, edition, chapter5):
    fig = Figure(tabs(edition, "ch5-weight"), "ch5-weight")
    # The classifier is the chapter's: the start is the 45% and the loss the notebook prints.
    outputs = _notebook_text(PAGES["ch5-weight"])
    assert "45% right, cross-entropy 1.02121" in outputs
    assert f"weight[3, 1] starts at {chapter5[2][3, 1]:.4f}" in outputs
    assert (fig.read("accuracy"), fig.read("loss")) == ("45%", "1.02121")
    # The start, the first jump of the notebook's table (nudge +0.025), the lowest loss, the ends.
    for k in (200, 204, 205, 210, 366, 0, 400, 123):
        fig.set(w=k)
        expected = ch5_expected(chapter5, k)
        got = {key: fig.read(key) for key in expected}
        assert got == {key: _fix_zero(v) for key, v in expected.items()}, k
    fig.set(w=204)
    before = fig.read("accuracy"), fig.read("loss")
    fig.set(w=205)
    after = fig.read("accuracy"), fig.read("loss")
    assert (before[0], after[0]) == ("45%", "46%"), "the accuracy jumps between these two"
    assert float(after[1]) < float(before[1])


def ch8_expected(k: int) -> dict:
    """What the chapter 8 figure prints at slider position k, from lossbook directly."""
    waits = lbx.ch8_waits()
    tau = lbx.CH8_TAUS[k]
    at_waits = np.broadcast_to(waits[:, None], (len(waits), len(waits)))
    loss = lb.pinball_loss(at_waits, np.broadcast_to(waits, at_waits.shape), quantile=tau,
                           reduction="none").mean(axis=1)
    best = waits[np.argmin(loss)]
    return {"best": f"{best:.2f}", "below": f"{np.mean(waits < best):.3f}",
            "at_best": f"{loss.min():.4f}"}


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "ko"])
def test_ch8_quantile_prints_lossbooks_minimiser(tabs, edition):
    fig = Figure(tabs(edition, "ch8-quantile"), "ch8-quantile")
    # The waits are the chapter's: the start (0.5) is the median the notebook prints, 0.1 and
    # 0.9 its pinball minimisers.
    outputs = _notebook_text(PAGES["ch8-quantile"])
    assert "MAE minimiser 2.80" in outputs
    assert fig.read("best") == "2.80"
    for k in (1, 4, 14, 17, 0, 18, 9):
        fig.set(tau=k)
        expected = ch8_expected(k)
        assert {key: fig.read(key) for key in expected} == expected, k
        if k in (1, 4, 14, 17):   # the quantiles 0.1, 0.25, 0.75 and 0.9 of the notebook's table
            assert f"pinball minimiser {expected['best']}" in outputs, k


def ch9_expected(k: int) -> dict:
    """What the chapter 9 figure prints at slider position k, from lossbook directly."""
    _, _, z_test, y_test = lbx.ch9_model()
    t = lbx.CH9_TEMPS[k]
    probs = lb.softmax(z_test / t)
    return {"conf": f"{probs.max(axis=1).mean():.3f}", "acc": f"{lb.accuracy(probs, y_test):.3f}",
            "nll": f"{lb.cross_entropy(z_test / t, y_test):.4f}",
            "ece": f"{lb.expected_calibration_error(probs, y_test):.4f}"}


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "ko"])
def test_ch9_temperature_prints_lossbooks_calibration(tabs, edition):
    fig = Figure(tabs(edition, "ch9-temperature"), "ch9-temperature")
    # The start (T = 1) is the model before temperature scaling, as the notebook prints it.
    outputs = _notebook_text(PAGES["ch9-temperature"])
    start = ch9_expected(lbx.CH9_TEMPS.index(1.0))
    assert (f"accuracy {start['acc']}, mean confidence {start['conf']}, NLL {start['nll']}, "
            f"ECE {start['ece']}") in outputs
    assert {key: fig.read(key) for key in start} == start
    for k in (0, 10, 26, 55, 5):
        fig.set(t=k)
        assert {key: fig.read(key) for key in start} == ch9_expected(k), k
        assert fig.read("acc") == start["acc"]          # a temperature changes no prediction


@pytest.mark.parametrize(("edition", "name"), CASES, ids=IDS)
def test_sliders_work_from_the_keyboard_and_announce_their_values(tabs, edition, name):
    tab = tabs(edition, name)
    Figure(tab, name)
    for slider in tab.locator(f"#lbx-{name} input[type=range]").all():
        slider.focus()
        tab.keyboard.press("Home")
        start_text = slider.get_attribute("aria-valuetext")
        assert slider.input_value() == "0"
        tab.keyboard.press("ArrowRight")
        assert slider.input_value() == "1"
        assert slider.get_attribute("aria-valuetext") != start_text
        tab.keyboard.press("End")
        assert slider.input_value() == slider.get_attribute("max")
        style = slider.evaluate("e => [e.matches(':focus-visible'), "
                                "getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]")
        assert style[0] and style[1] != "none" and style[2] != "0px", f"no visible focus: {style}"
        label = tab.locator(f"label[for='{slider.get_attribute('id')}']").inner_text().strip()
        assert label, "a slider without a label"


@pytest.mark.parametrize(("edition", "name"), CASES, ids=IDS)
def test_no_console_error_and_no_request_outside_the_site(tabs, edition, name):
    tab = tabs(edition, name)
    Figure(tab, name)
    tab.wait_for_load_state("networkidle")
    assert tab.problems == {"console": [], "outside": [], "failed": []}


@pytest.mark.parametrize(("edition", "name"), CASES, ids=IDS)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing_in_the_figure(tabs, edition, name, theme):
    tab = tabs(edition, name)
    Figure(tab, name)
    tab.evaluate(f"() => {{ document.documentElement.dataset.mode = '{theme}';"
                 f" document.documentElement.dataset.theme = '{theme}'; }}")
    if not tab.evaluate("() => !!window.axe"):
        tab.add_script_tag(content=axe_js().read_text(encoding="utf-8"))
    violations = tab.evaluate(
        """async (sel) => (await axe.run({include: [[sel]], exclude: [['.katex-html']]},
              {resultTypes: ['violations'], preload: false})).violations
              .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""",
        f"#lbx-{name}",
    )
    assert not violations, violations


@pytest.mark.parametrize(("edition", "name"), CASES, ids=IDS)
def test_fits_a_phone_and_stays_usable(tabs, edition, name):
    tab = tabs(edition, name, width=390)
    fig = Figure(tab, name)
    box = tab.evaluate(
        """(sel) => { const f = document.querySelector(sel);
             const r = f.getBoundingClientRect();
             const inside = [...f.querySelectorAll('svg, input, dl, label')].every(e => {
               const q = e.getBoundingClientRect(); return q.left >= r.left - 1 && q.right <= r.right + 1; });
             return {left: r.left, right: r.right,
                     overflow: f.scrollWidth - f.clientWidth, inside,
                     svg: [...f.querySelectorAll('svg')].map(s => s.getBoundingClientRect().width)}; }""",
        f"#lbx-{name}",
    )
    # The figure, not the page: the Korean pages' header buttons are 11 px too wide at 390 px
    # (the language switch; a separate matter from the figures).
    assert box["left"] >= 0 and box["right"] <= 390, box
    assert box["overflow"] <= 0 and box["inside"], box
    assert all(w >= 250 for w in box["svg"]), f"figures drawn too small to read: {box}"
    slider = fig.root.locator("input[type=range]").first
    slider.focus()
    tab.keyboard.press("ArrowLeft")
    assert slider.get_attribute("aria-valuetext")


def _catalogue(page: str) -> dict[str, str]:
    path = editions.get("ko").catalogue_dir / f"{page}.po"
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}


@pytest.mark.parametrize("name", list(PAGES))
def test_korean_pages_show_the_catalogues_labels(tabs, name):
    catalogue = _catalogue(PAGES[name])
    labels_en = lbx.LABELS[name]
    missing = [text for text in labels_en.values() if not catalogue.get(text)]
    assert not missing, f"untranslated labels of {name}: {missing}"
    korean = Figure(tabs("ko/", name), name)
    shown = json.loads(korean.root.locator("script.lbx-labels").text_content())
    assert shown == {key: catalogue[text] for key, text in labels_en.items()}
    # What the reader sees next to the sliders and values: the catalogue's words, no English
    # label left where the catalogue has a Korean one.
    pairs = [(text, catalogue[text]) for text in labels_en.values()]
    texts = korean.root.locator("label, dt").all_inner_texts()
    assert texts and all(any(ko in t for _, ko in pairs) for t in texts), texts
    english_left = [t for t in texts for en, ko in pairs if en != ko and en in t and en not in ko]
    assert not english_left, english_left
    assert re.search("[\uac00-\ud7a3]", " ".join(texts)), texts
    english = Figure(tabs("", name), name)
    assert json.loads(english.root.locator("script.lbx-labels").text_content()) == labels_en


@pytest.mark.parametrize(("edition", "name"), CASES, ids=IDS)
def test_caption_math_is_typeset(tabs, edition, name):
    tab = tabs(edition, name)
    Figure(tab, name)
    math = tab.evaluate(
        """(sel) => [...document.querySelectorAll(sel + ' figcaption .math')]
             .map(m => !!m.querySelector('.katex .katex-mathml math'))""",
        f"#lbx-{name}",
    )
    assert math and all(math), math


@pytest.mark.parametrize("name", list(PAGES))
def test_each_figure_adds_a_few_kilobytes(name):
    """The data and markup of each figure, and the one shared script and stylesheet. The caption
    is the page's prose (its math typeset at build time like any paragraph's): not counted."""
    html = (SITE / f"{PAGES[name]}.html").read_text(encoding="utf-8")
    figure = re.search(rf'<figure class="lbx" id="lbx-{name}".*?</figure>', html, re.S)
    assert figure, f"no explorable {name} in {PAGES[name]}.html"
    caption = re.search(r"<figcaption>.*?</figcaption>", figure.group(0), re.S)
    assert caption, f"{name} has no caption"
    size = len(figure.group(0).encode()) - len(caption.group(0).encode())
    assert size < FIGURE_BUDGET, f"{name}: {size} bytes of data and markup"
    assert JS.stat().st_size + CSS.stat().st_size < SCRIPT_BUDGET
    assert "lossbook-explorables.js" in html
    other = (SITE / "chapters" / "01-network-structure.html").read_text(encoding="utf-8")
    assert "lossbook-explorables" not in other, "pages without an explorable load its script"
