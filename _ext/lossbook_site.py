"""Build hook of the lossbook site: every asset local, nothing a reader never downloads.

Runs after the html build (``build-finished``) and trims the output directory, with the same
result however often it runs: Sphinx does not copy its static files again when no page is out of
date, so the hook may meet an output it already trimmed. It reads the theme's originals (fonts,
stylesheet) from the theme's own folder and marks what it re-encodes:

- source maps (``*.map``) and the ``sourceMappingURL`` comments that point at them;
- the theme's Font Awesome *JavaScript* (1.4 MB: every icon as SVG, on every page), replaced by
  a stub: the theme's CSS already carries the same icons as web fonts;
- those web fonts cut down to the icons the site uses (a few dozen of some 2,000 glyphs) and
  written as WOFF (with fontTools, which matplotlib already needs; WOFF2 would need brotli).
  The theme's @font-face rules are pointed at them and the original woff2/ttf files removed.
  The kept code points are listed in ``_static/vendor/fontawesome/webfonts/subset.json``, which
  the browser tests compare with every icon a page shows;
- the figures' PNG copies in ``_images`` re-encoded with a palette where no pixel changes
  visibly (``quantize_png``; the notebooks' stored PNGs stay as they are).

It also drops inline scripts that a page would get twice: sphinx-thebe registers its config
script once per read phase, and the second copy stops with "Identifier 'THEBE_JS_URL' has
already been declared" in the reader's console.

It also gives the bibliography's entries ``role="listitem"`` (docutils writes
``doc-biblioentry`` inside a ``role="list"``, which ARIA does not allow).

It also loads the search index and Sphinx's search scripts only on the search page
(``_ext/templates/layout.html``): the theme loads them on every page for a search-as-you-type
field the site does not enable, and the sidebar's search field opens the search page.

It also leaves the theme's top navbar empty (no second search field above the page), and adds
``_ext/static/lossbook.css``: code cells in a slightly smaller monospace, so that
a line of about 90 characters fits the text column.

Where the theme no longer holds what these steps patch, the build stops with a message that
says what (never a silent no-op).

Page weight (a chapter with its assets, empty cache): ``python -m booktools.pageweight``.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from sphinx.errors import ExtensionError

FONTAWESOME_STUB = (
    "/* lossbook: the theme's Font Awesome SVG script is not shipped; the icons come from the\n"
    "   Font Awesome web fonts in the theme's CSS (see _ext/lossbook_site.py). */\n"
)
FA_FONTS = ("fa-solid-900", "fa-regular-400", "fa-brands-400")
FA_WEBFONTS = "vendor/fontawesome/webfonts"
THEME_CSS = "styles/pydata-sphinx-theme.css"

_SOURCEMAP = re.compile(rb"\n?(//[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=[^*]*\*/)")
_PUA = re.compile("[\ue000-\uf8ff]")  # Font Awesome glyphs live in the private use area
_CSS_ESCAPE = re.compile(r"\\([ef][0-9a-fA-F]{3})(?![0-9a-fA-F])")
_ICON_RULE = re.compile(r"([^{}]*)\{content:\"\\([0-9a-fA-F]{4})\"\}")
_ICON_SELECTOR = re.compile(r"\.fa-([a-z0-9-]+)::?before")
_ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")


def _used_codepoints(outdir: Path, static: Path) -> set[int]:
    """Code points of every Font Awesome icon the built site can show."""
    theme_css = (static / THEME_CSS).read_text(encoding="utf-8")
    by_name: dict[str, int] = {}
    icon_rules = []
    for match in _ICON_RULE.finditer(theme_css):
        selector, hexcode = match.groups()
        names = _ICON_SELECTOR.findall(selector)
        if names:
            icon_rules.append(match.group(0))
            for name in names:
                by_name[name] = int(hexcode, 16)
    used: set[int] = set()
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in outdir.rglob("*.html")]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in static.rglob("*.js")]
    for text in texts:
        used.update(by_name[n] for n in _ICON_CLASS.findall(text) if n in by_name)
    # Icons that stylesheets use directly (admonitions, dropdowns, external links...).
    for css in static.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        if css.name == Path(THEME_CSS).name:
            for rule in icon_rules:
                text = text.replace(rule, "")
        used.update(ord(ch) for ch in _PUA.findall(text))
        used.update(int(h, 16) for h in _CSS_ESCAPE.findall(text))
    return used


class ThemeChanged(Exception):
    """The theme's files no longer hold what this hook patches: say what, never patch silently."""

    def __init__(self, what: str):
        super().__init__(
            f"lossbook_site: {what}. The theme (pydata-sphinx-theme / sphinx-book-theme) "
            "changed from the version in requirements.lock; pin it back "
            "(make lock) or update _ext/lossbook_site.py to the new files.")


def subset_fontawesome(outdir: Path, theme_static: list[Path] | None = None) -> None:
    """Replace the Font Awesome web fonts by WOFF subsets; ThemeChanged (and no change) if the
    theme's files are not what this was written for.

    The fonts and the theme's stylesheet are read from the theme's own static folder
    (``theme_static``, the first that holds them), never from the output: Sphinx does not copy
    the static files again when no page is out of date, so the output may already be trimmed.
    Reading the originals makes the result the same however often the build runs.
    """
    from fontTools import subset

    # fontTools reports every table it prunes at INFO level; the build log needs none of it.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    static = outdir / "_static"
    sources = [*(theme_static or []), static]
    css_source = next((s / THEME_CSS for s in sources if (s / THEME_CSS).exists()), None)
    if css_source is None:
        raise ThemeChanged(f"the theme's stylesheet {THEME_CSS} is missing")
    fonts_source = next((s / FA_WEBFONTS for s in sources
                         if all((s / FA_WEBFONTS / f"{n}.ttf").exists() for n in FA_FONTS)), None)
    if fonts_source is None:
        missing = [n for n in FA_FONTS if not (static / FA_WEBFONTS / f"{n}.ttf").exists()]
        raise ThemeChanged(f"the Font Awesome fonts {missing} are missing from {FA_WEBFONTS}")
    fonts = static / FA_WEBFONTS
    fonts.mkdir(parents=True, exist_ok=True)
    css = _SOURCEMAP.sub(b"", css_source.read_bytes()).decode("utf-8")
    new_css = css
    for name in FA_FONTS:
        old = (
            f'url(../{FA_WEBFONTS}/{name}.woff2) format("woff2"),'
            f'url(../{FA_WEBFONTS}/{name}.ttf) format("truetype")'
        )
        if new_css.count(old) != 1:
            raise ThemeChanged(f"{THEME_CSS} holds the @font-face source of {name} "
                               f"{new_css.count(old)} times, not once ({old!r})")
        new_css = new_css.replace(old, f'url(../{FA_WEBFONTS}/{name}.woff) format("woff")')
    used = _used_codepoints(outdir, static)
    kept: dict[str, list[int]] = {}
    for name in FA_FONTS:
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(fonts_source / f"{name}.ttf"), options)
        cmap = font.getBestCmap()
        unicodes = sorted(cp for cp in used if cp in cmap)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        subset.save_font(font, str(fonts / f"{name}.woff"), options)
        kept[name] = unicodes
    (static / THEME_CSS).write_text(new_css, encoding="utf-8")
    for name in FA_FONTS:
        for suffix in (".woff2", ".ttf"):
            (fonts / f"{name}{suffix}").unlink(missing_ok=True)
    (fonts / "subset.json").write_text(json.dumps(kept, indent=1), encoding="utf-8")


def trim_site(outdir: Path, theme_static: list[Path] | None = None) -> None:
    """Trim the built html site in ``outdir`` in place: the same result however often it runs
    (on a fresh output or on one it already trimmed)."""
    static = outdir / "_static"
    for path in static.rglob("*.map"):
        path.unlink()
    for path in list(static.rglob("*.js")) + list(static.rglob("*.css")):
        data = path.read_bytes()
        stripped = _SOURCEMAP.sub(b"", data)
        if stripped != data:
            path.write_bytes(stripped)
    fontawesome = static / "scripts" / "fontawesome.js"
    if not fontawesome.exists():
        raise ThemeChanged("the theme's scripts/fontawesome.js is missing")
    fontawesome.write_text(FONTAWESOME_STUB, encoding="utf-8")
    subset_fontawesome(outdir, theme_static)
    quantize_images(outdir / "_images")


# The site's copies of the figures (never the notebooks' stored PNGs, which nbval compares) are
# re-encoded with a palette of at most 256 colours when no pixel changes visibly: matplotlib's
# figures hold a few colours and their anti-aliased edges. Pillow's max-coverage quantizer
# keeps every colour within a few levels (measured on the book's 26 figures: at most 5 of 255
# per channel, the files a third of their size). A copy is kept only if it is smaller, opaque,
# and no channel of any pixel moved by more than QUANTIZE_MAX_DELTA (of 255), nor the mean by
# more than QUANTIZE_MEAN_DELTA. It carries a text chunk that marks it, so a build that runs
# again (on an output it already trimmed) leaves it as it is.
QUANTIZE_MARK = ("lossbook", "palette")
QUANTIZE_MAX_DELTA = 8
QUANTIZE_MEAN_DELTA = 1.0


def quantize_png(path: Path) -> bool:
    """Re-encode one PNG with a palette when that is invisible and smaller; True if it did."""
    import numpy as np
    from PIL import Image, PngImagePlugin

    with Image.open(path) as im:
        if im.info.get(QUANTIZE_MARK[0]) == QUANTIZE_MARK[1] or im.mode == "P":
            return False
        rgba = im.convert("RGBA")
    if rgba.getextrema()[3][0] < 255:  # transparent pixels: left as they are
        return False
    rgb = rgba.convert("RGB")
    palette = rgb.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
    delta = np.abs(np.asarray(rgb, dtype=np.int16)
                   - np.asarray(palette.convert("RGB"), dtype=np.int16))
    if delta.max() > QUANTIZE_MAX_DELTA or delta.mean() > QUANTIZE_MEAN_DELTA:
        return False
    info = PngImagePlugin.PngInfo()
    info.add_text(*QUANTIZE_MARK)
    tmp = path.with_name(path.name + ".tmp")
    palette.save(tmp, format="PNG", optimize=True, pnginfo=info)
    if tmp.stat().st_size >= path.stat().st_size:
        tmp.unlink()
        return False
    tmp.replace(path)
    return True


def quantize_images(images: Path) -> None:
    """Quantize every PNG figure of the site's ``_images`` folder (see quantize_png)."""
    if images.is_dir():
        for path in sorted(images.glob("*.png")):
            quantize_png(path)


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep only the first of identical script entries (same file or same inline body)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        # The copies differ only in the filename of an inline script: None in one, "" in the other.
        filename = str(getattr(js, "filename", js) or "")
        key = (filename, tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def _bibliography_as_list(app, pagename, templatename, context, doctree) -> None:
    """Give bibliography entries the role their list asks for.

    docutils writes the bibliography as ``<div role="list" class="citation-list">`` whose entries
    have ``role="doc-biblioentry"``. ARIA lets a list hold only list items, so assistive
    technology may not announce the entries as a list (axe-core: aria-required-children), and
    DPUB-ARIA 1.1 deprecates ``doc-biblioentry`` in favour of ``listitem``. Each entry becomes
    ``role="listitem"``; the ``citation`` class and the ids that citations link to stay.
    """
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _on_build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        try:
            theme_static = [Path(d) / "static" for d in app.builder.theme.get_theme_dirs()]
            trim_site(Path(app.outdir), theme_static)
        except ThemeChanged as err:
            raise ExtensionError(str(err)) from None


def _early_stylesheets(app, builder) -> None:
    """Write myst-nb's and sphinx-exercise's stylesheets before the pages, not after.

    Both copy their stylesheet at the end of the build (``build-finished``). Sphinx adds a
    ``?v=<checksum>`` to a page's stylesheet link only when the file is already in the output
    as the page is written, so a first build's pages linked them without it and a second
    build's with it: two builds of the same sources left different pages. Their own copy
    functions run here as well (each copies one file; they run again at the end, unchanged).
    """
    if builder.format != "html":
        return
    from myst_nb.sphinx_ext import add_global_html_resources
    from sphinx_exercise import copy_asset_files

    (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)
    copy_asset_files(app, None)


def _add_static(app) -> None:
    """Serve _ext/static (the book's own small stylesheet) beside the theme's static files."""
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))


def _add_templates(app, config) -> None:
    """_ext/templates: the page layout without the search scripts (only search.html has them)."""
    config.templates_path = [*config.templates_path, str(Path(__file__).parent / "templates")]


def _no_header_search(app, config) -> None:
    """No second search field in a bar above the page.

    pydata-sphinx-theme (0.17) puts a search field in its top navbar whenever
    ``navbar_persistent`` is not set, and sphinx-book-theme's own default (empty) does not count
    as set. The sidebar already has the search field (and Ctrl+K opens it), so the site showed
    a 64-pixel bar holding nothing but a copy of it on every page.
    """
    config.html_theme_options.setdefault("navbar_persistent", [])


def setup(app):
    app.connect("config-inited", _no_header_search)
    app.connect("config-inited", _add_templates)
    app.connect("write-started", _early_stylesheets)
    app.connect("builder-inited", _add_static)
    app.add_css_file("lossbook.css")
    # priority 900: after the other extensions have written their files.
    app.connect("build-finished", _on_build_finished, priority=900)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _bibliography_as_list)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
