"""The site's math, typeset at build time by KaTeX: no math library for the reader to download.

Every formula of a page (``$...$``, ``$$...$$``, amsmath environments, the explorable figures'
captions) goes through KaTeX's own ``renderToString`` while Sphinx writes the page; the page
holds the finished HTML, and beside it the same formula as MathML (KaTeX's ``htmlAndMathml``
output: screen readers read the MathML, the HTML is ``aria-hidden``). A reader downloads
KaTeX's stylesheet (on pages with math only) and those of its fonts the page's glyphs use.

KaTeX runs in QuickJS, a small JavaScript engine that the ``quickjs`` package on PyPI brings as
a compiled extension: no Node, npm or browser. KaTeX itself (``_ext/katex``, MIT licence) is
vendored from a release on PyPI (``_ext/katex/README.md`` says which and what was changed).

KaTeX's fonts are cut down at the end of the build, like the theme's icon fonts
(``lossbook_site``): each keeps the characters that the site's typeset math shows (a few dozen
of several hundred), read from the pages' KaTeX HTML, and is written as WOFF with fontTools.
The vendored fonts are the originals and never in the output, so every build cuts them anew.

A formula KaTeX cannot parse is an error at its line, and the build fails at its end, listing
each one: no page goes out with TeX source where a formula should be.

The LaTeX builder (the PDF) is untouched: it gets the math as LaTeX, as before.
"""

from __future__ import annotations

import html
import logging as stdlib_logging
from html.parser import HTMLParser
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

KATEX = Path(__file__).parent / "katex"
KATEX_JS = KATEX / "katex.min.js"
KATEX_CSS = "katex/katex.min.css"  # relative to _static (from _ext/katex/static)
KATEX_FONTS = KATEX / "fonts"  # the originals, cut down into _static/katex/fonts
# KaTeX's options: MathML beside the HTML; an error is an exception, never red TeX on the page;
# strict "ignore": LaTeX that KaTeX accepts with a warning (Unicode text in math) is fine.
OPTIONS = "{displayMode: display, throwOnError: true, output: 'htmlAndMathml', strict: 'ignore'}"

_engine = None
_cache: dict[tuple[str, bool], str] = {}
_errors: list[str] = []  # the formulas of this build that KaTeX could not typeset


class KatexError(Exception):
    """KaTeX could not typeset a formula (its message says why and where)."""


def _render_function():
    global _engine
    if _engine is None:
        import quickjs

        context = quickjs.Context()
        context.eval("var self = globalThis;")  # KaTeX's bundle attaches itself to `self`
        context.eval(KATEX_JS.read_text(encoding="utf-8"))
        _engine = context.eval(
            f"(function (tex, display) {{ return katex.renderToString(tex, {OPTIONS}); }})")
    return _engine


def render(tex: str, display: bool) -> str:
    """KaTeX's HTML and MathML for ``tex``; KatexError if KaTeX cannot parse it."""
    key = (tex, display)
    if key not in _cache:
        import quickjs

        try:
            _cache[key] = _render_function()(tex, display)
        except quickjs.JSException as err:
            raise KatexError(str(err).splitlines()[0]) from None
    return _cache[key]


def display_tex(node: nodes.math_block) -> str:
    """The TeX of a display formula as KaTeX takes it.

    Like Sphinx's MathJax writer: equations separated by a blank line are set one under the
    other, and an equation with ``\\\\`` line breaks is aligned at its ``&``. An amsmath
    environment (``nowrap``) is passed as it is.
    """
    text = node.astext()
    if node.get("nowrap"):
        return text
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    parts = [rf"\begin{{aligned}}{p}\end{{aligned}}" if r"\\" in p else p for p in parts]
    if len(parts) == 1:
        return parts[0]
    return r"\begin{gathered}" + r"\\".join(parts) + r"\end{gathered}"


def _typeset(self, node, tex: str, display: bool) -> str:
    try:
        return render(tex, display)
    except KatexError as err:
        logger.error("KaTeX cannot typeset %r: %s", tex, err, location=node)
        _errors.append(tex)
        return f'<code class="katex-error">{html.escape(tex)}</code>'


def visit_math_html(self, node) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_typeset(self, node, node.astext(), display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath_html(self, node) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(_typeset(self, node, display_tex(node), display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _use_katex(app, config) -> None:
    config.html_math_renderer = "katex"


def _add_static(app) -> None:
    _errors.clear()
    app.config.html_static_path.append(str(KATEX / "static"))


def _add_stylesheet(app, pagename, templatename, context, doctree) -> None:
    """KaTeX's stylesheet on the pages that hold math (its fonts load with the glyphs used)."""
    if app.builder.format != "html":
        return
    has_math = doctree is not None and next(
        iter(doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))), None)
    if has_math is not None or app.env.get_domain("math").has_equations(pagename):
        app.add_css_file(KATEX_CSS)


class _MathText(HTMLParser):
    """The characters inside KaTeX's HTML (``.katex-html``) of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside a .katex-html (0: outside)
        self.chars: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif "katex-html" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.chars.update(data)


def math_characters(outdir: Path) -> set[int]:
    """Code points of every character the site's typeset math shows."""
    parser = _MathText()
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "katex-html" in text:
            parser.feed(text)
            parser.close()
            parser.depth = 0
    return {ord(c) for c in parser.chars}


def subset_fonts(outdir: Path) -> None:
    """Write KaTeX's fonts into ``_static/katex/fonts``, each cut to the characters used."""
    from fontTools import subset

    stdlib_logging.getLogger("fontTools").setLevel(stdlib_logging.WARNING)
    used = math_characters(outdir)
    target = outdir / "_static" / "katex" / "fonts"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(KATEX_FONTS.glob("*.woff")):
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(used & set(font.getBestCmap())))
        subsetter.subset(font)
        subset.save_font(font, str(target / source.name), options)


def _finish(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        subset_fonts(Path(app.outdir))
    _fail_on_errors(app, exception)


def _fail_on_errors(app, exception) -> None:
    if exception is None and _errors:
        raise ExtensionError(f"lossbook_math: KaTeX could not typeset {len(_errors)} formula(s); "
                             "the errors above say which and where")


def setup(app):
    app.add_html_math_renderer(
        "katex", (visit_math_html, None), (visit_displaymath_html, None))
    app.connect("config-inited", _use_katex)
    app.connect("builder-inited", _add_static)
    app.connect("html-page-context", _add_stylesheet)
    app.connect("build-finished", _finish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
