"""The site's build hooks stop with a clear message when the theme no longer holds what they
patch (a theme release months from now), instead of silently doing nothing."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sphinx.errors import ExtensionError

from _ext import lossbook_i18n, lossbook_site
from booktools import editions


def _fake_site(tmp_path, *, css: str, fonts=lossbook_site.FA_FONTS, fontawesome_js=True):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / lossbook_site.THEME_CSS).write_text(css, encoding="utf-8")
    webfonts = static / lossbook_site.FA_WEBFONTS
    webfonts.mkdir(parents=True)
    for name in fonts:
        (webfonts / f"{name}.ttf").write_bytes(b"")
    (static / "scripts").mkdir()
    if fontawesome_js:
        (static / "scripts" / "fontawesome.js").write_text("// svg icons", encoding="utf-8")
    return tmp_path


def test_a_theme_whose_font_rules_changed_is_reported(tmp_path):
    site = _fake_site(tmp_path, css="@font-face{src:url(fa.woff2)}")
    with pytest.raises(lossbook_site.ThemeChanged, match="@font-face source of fa-solid-900 0 times"):
        lossbook_site.subset_fontawesome(site)


def test_missing_fonts_or_scripts_are_reported(tmp_path):
    with pytest.raises(lossbook_site.ThemeChanged, match="fonts .* are missing"):
        lossbook_site.subset_fontawesome(_fake_site(tmp_path / "a", css="", fonts=()))
    with pytest.raises(lossbook_site.ThemeChanged, match="fontawesome.js is missing"):
        lossbook_site.trim_site(_fake_site(tmp_path / "b", css="", fontawesome_js=False))


def test_the_message_says_what_to_do():
    message = str(lossbook_site.ThemeChanged("x"))
    assert "requirements.lock" in message and "_ext/lossbook_site.py" in message


KOREAN = editions.get("ko")


class _App:
    class config:  # noqa: N801 - a stand-in for Sphinx's config object
        html_theme_options = {"repository_url": "https://example.org/r", "repository_branch": "main"}

    class env:  # noqa: N801 - and for its build environment
        found_docs = {"intro"}


def test_korean_source_buttons_without_the_theme_labels_stop_the_build():
    context = {"header_buttons": [{"type": "link", "label": "something-new", "url": "x"}]}
    with pytest.raises(ExtensionError, match="source-edit-button"):
        lossbook_i18n._point_buttons_at_translated_sources(_App, KOREAN, "intro", context)
    lossbook_i18n._point_buttons_at_translated_sources(_App, KOREAN, "genindex", context)  # no source


def test_the_korean_edit_button_points_at_the_catalogue():
    context = {"header_buttons": [{"type": "group", "buttons": [
        {"label": "source-edit-button", "url": "x"}, {"label": "source-issues-button", "url": "y"}]}]}
    lossbook_i18n._point_buttons_at_translated_sources(_App, KOREAN, "intro", context)
    urls = [b["url"] for b in context["header_buttons"][0]["buttons"]]
    assert urls == [f"https://example.org/r/edit/main/{KOREAN.catalogues}/intro.po", "y"]


def _stored_figure() -> bytes:
    """A figure as a notebook stores it (the first PNG of chapter 3)."""
    root = Path(__file__).resolve().parent.parent
    nb = json.loads((root / "chapters" / "03-mean-squared-error.ipynb").read_text(encoding="utf-8"))
    return next(base64.b64decode(o["data"]["image/png"]) for c in nb["cells"]
                for o in c.get("outputs", []) if "image/png" in o.get("data", {}))


def test_a_figure_copy_is_quantized_invisibly_and_once(tmp_path):
    original = _stored_figure()
    path = tmp_path / "fig.png"
    path.write_bytes(original)
    assert lossbook_site.quantize_png(path)
    quantized = path.read_bytes()
    assert len(quantized) < len(original) / 2
    before = np.asarray(_open(original), dtype=int)
    after_image = Image.open(path)
    assert after_image.mode == "P" and after_image.info["lossbook"] == "palette"
    after = np.asarray(after_image.convert("RGBA"), dtype=int)
    assert np.abs(before - after).max() <= lossbook_site.QUANTIZE_MAX_DELTA
    # Again (a second build on the same output): nothing changes.
    assert not lossbook_site.quantize_png(path)
    assert path.read_bytes() == quantized
    # From the original again (Sphinx copied it anew): the same bytes.
    again = tmp_path / "again.png"
    again.write_bytes(original)
    lossbook_site.quantize_png(again)
    assert again.read_bytes() == quantized


def test_a_figure_a_palette_would_change_visibly_is_left_alone(tmp_path):
    # A smooth two-way gradient has 65,536 colours: 256 cannot hold it within a few levels.
    y, x = np.mgrid[0:256, 0:256]
    pixels = np.stack([x, y, (x + y) // 2], axis=-1).astype(np.uint8)
    path = tmp_path / "gradient.png"
    Image.fromarray(pixels, "RGB").save(path)
    data = path.read_bytes()
    assert not lossbook_site.quantize_png(path)
    assert path.read_bytes() == data


def _open(data: bytes):
    import io

    return Image.open(io.BytesIO(data)).convert("RGBA")
