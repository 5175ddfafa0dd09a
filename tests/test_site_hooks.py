"""The site's build hooks stop with a clear message when the theme no longer holds what they
patch (a theme release months from now), instead of silently doing nothing."""

from __future__ import annotations

import pytest
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
    (static / "mathjax").mkdir()
    (static / "mathjax" / "tex-chtml.js").write_text("", encoding="utf-8")
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
