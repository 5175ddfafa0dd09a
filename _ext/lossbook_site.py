"""Build hook of the lossbook site: every asset local, nothing a reader never downloads.

Runs after the html build (``build-finished``, after sphinx-mathjax-offline has copied MathJax
into ``_static/mathjax``) and trims the output directory:

- source maps (``*.map``) and the ``sourceMappingURL`` comments that point at them;
- the theme's Font Awesome *JavaScript* (1.4 MB: every icon as SVG, on every page), replaced by
  a stub: the theme's CSS already carries the same icons as web fonts, which the browser
  fetches only when a page shows an icon of that style;
- TrueType copies of those web fonts (every browser we serve takes the woff2 files);
- MathJax bundles the site never loads (we load ``tex-chtml.js``; it pulls its TeX extensions,
  CHTML fonts, accessibility and menu modules from the folders we keep).

It also drops inline scripts that a page would get twice: sphinx-thebe registers its config
script once per read phase, and the second copy stops with "Identifier 'THEBE_JS_URL' has
already been declared" in the reader's console.

Numbers (a chapter page with its assets, empty cache): see tests/browser/sitekit.py ``weight``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

# MathJax files and folders, relative to _static/mathjax, that tex-chtml.js never requests.
MATHJAX_UNUSED = [
    "tex-chtml-full.js",
    "tex-chtml-full-speech.js",
    "tex-mml-chtml.js",
    "tex-mml-svg.js",
    "tex-svg.js",
    "tex-svg-full.js",
    "mml-chtml.js",
    "mml-svg.js",
    "node-main.js",
    "latest.js",
    "adaptors",  # liteDOM is for running MathJax in node
    "input/asciimath.js",
    "input/mml.js",
    "input/mml",
    "input/tex-full.js",
    "input/tex-base.js",
]
FONTAWESOME_STUB = (
    "/* lossbook: the theme's Font Awesome SVG script is not shipped; the icons come from the\n"
    "   Font Awesome web fonts in the theme's CSS (see _ext/lossbook_site.py). */\n"
)
_SOURCEMAP = re.compile(rb"\n?(//[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=[^*]*\*/)")


def trim_site(outdir: Path) -> None:
    """Trim the built html site in ``outdir`` in place."""
    static = outdir / "_static"
    for path in static.rglob("*.map"):
        path.unlink()
    for path in list(static.rglob("*.js")) + list(static.rglob("*.css")):
        data = path.read_bytes()
        stripped = _SOURCEMAP.sub(b"", data)
        if stripped != data:
            path.write_bytes(stripped)
    fontawesome = static / "scripts" / "fontawesome.js"
    if fontawesome.exists():
        fontawesome.write_text(FONTAWESOME_STUB, encoding="utf-8")
    for ttf in (static / "vendor" / "fontawesome" / "webfonts").glob("*.ttf"):
        ttf.unlink()
    mathjax = static / "mathjax"
    for rel in MATHJAX_UNUSED:
        target = mathjax / rel
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


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


def _on_build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        trim_site(Path(app.outdir))


def setup(app):
    # priority 900: after sphinx-mathjax-offline (default priority 500) has copied MathJax.
    app.connect("build-finished", _on_build_finished, priority=900)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
