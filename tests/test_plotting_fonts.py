"""Hangul in figures: the book's style finds a Korean font and leaves English figures unchanged.

``lb.plotting.use_book_style()`` registers NanumGothic (SIL Open Font License 1.1, shipped by the
PyPI package koreanize-matplotlib) as a fallback after matplotlib's DejaVu Sans. Drawing Korean
text must give no "Glyph ... missing from font(s)" warning (which is what a tofu box looks like
to a program), and an English figure must be the same PNG, byte for byte, as without the fallback.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import lossbook as lb  # noqa: E402
from booktools import editions, translations  # noqa: E402

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def _png(text: str, *, fallback: bool) -> bytes:
    lb.plotting.use_book_style()
    if not fallback:
        matplotlib.rcParams["font.family"] = ["sans-serif"]
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label=text)
    ax.set_xlabel(text + " \u22121.5")
    ax.set_ylabel("loss (nats)")
    ax.set_title(r"$\hat y = \sigma(wx + b)$")
    ax.text(0.3, 0.5, text, fontsize=9)
    ax.legend()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _restore_rcparams():
    with matplotlib.rc_context():
        yield


def test_the_korean_font_is_installed_and_registered():
    files = lb.plotting._korean_font_files()
    assert files, "koreanize-matplotlib is not installed: pip install -r requirements.txt"
    lb.plotting.use_book_style()
    assert matplotlib.rcParams["font.family"] == ["sans-serif", lb.plotting.KOREAN_FONT]
    from matplotlib import font_manager
    path = font_manager.findfont(font_manager.FontProperties(family=lb.plotting.KOREAN_FONT),
                                 fallback_to_default=False)
    assert str(path) in {str(f) for f in files}


def test_english_figures_are_unchanged_by_the_korean_fallback():
    text = "validation, weight decay: fi AV To"
    assert _png(text, fallback=True) == _png(text, fallback=False)


def _code_catalogues() -> list[Path]:
    return [po for e in editions.translated() for po in translations.code_catalogue_paths(e)]


def _korean_texts() -> str:
    """Every Hangul character the Korean notebooks' code cells and the package can show."""
    chars = set()
    package = Path(lb.__file__).parent / "locale" / "ko" / "LC_MESSAGES" / "lossbook.po"
    for po in [*_code_catalogues(), package]:
        for text in translations.translations(po).values():
            chars.update(_HANGUL.findall(text))
    return "".join(sorted(chars))


def test_korean_text_draws_without_missing_glyphs():
    hangul = _korean_texts()
    assert len(hangul) > 100, "the code catalogues hold almost no Korean"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph 44032 missing from font(s) DejaVu Sans" fails
        for k in range(0, len(hangul), 12):
            _png("손실 " + hangul[k:k + 12], fallback=True)


def test_without_the_fallback_hangul_would_be_tofu():
    """The check above can fail: without the Korean font, matplotlib warns of missing glyphs."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _png("손실 함수", fallback=False)
    assert any("missing from font" in str(w.message) for w in caught)


def test_no_korean_text_inside_mathtext():
    """A label with $...$ is set by mathtext, which has no font fallback: Hangul there is tofu."""
    mixed = [(po.name, text) for po in _code_catalogues()
             for text in translations.translations(po).values()
             if "$" in text and _HANGUL.search(text)]
    assert not mixed, f"Hangul in a mathtext label (write the math as Unicode instead): {mixed}"


def test_bold_text_finds_a_bold_face(caplog):
    """Bold labels (English or Korean) find NanumGothic Bold: no findfont message on stderr."""
    lb.plotting.use_book_style()
    with caplog.at_level("WARNING", logger="matplotlib.font_manager"):
        fig, ax = plt.subplots()
        ax.set_title("bold 굵게", fontweight="bold")
        fig.canvas.draw()
        plt.close(fig)
    assert not [r for r in caplog.records if "findfont" in r.getMessage()], caplog.text
