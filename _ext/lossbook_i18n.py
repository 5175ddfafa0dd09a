"""The translated editions of lossbook (the Korean one, 한국어판): what Sphinx needs besides the
message catalogues.

The editions, their codes, folders and search languages are the table ``locale/editions.toml``
(``booktools/editions.py``). The English site is built into ``_build/html``; the Korean one,
from the same sources with the Korean language and catalogues (``locale/ko/LC_MESSAGES``), into
``_build/html/ko`` with the same page paths (``make book`` does both; ``locale/README.md``
describes the workflow). This extension serves every build:

- every page gets a language switch (English <-> 한국어) that opens the same page in the other
  edition, and ``<link rel="alternate" hreflang=...>`` tags that say the same to search engines;
- the docstrings on the API page stay English: their paragraphs are marked untranslatable, so
  they neither enter the catalogue nor get translated (the package speaks English in ``help()``
  too); the page's own prose is translated;
- the alt text of notebook figures enters the catalogue: for the gettext builder myst-nb would
  keep only the text form of each output, so here it keeps the images, as the html builder does;
- a Korean search language (Sphinx has none): words are stemmed by stripping the particles and
  endings Korean attaches to nouns (손실 함수는 -> 손실 함수, 엔트로피의 -> 엔트로피), in Python
  for the index and in JavaScript, the same way, for the reader's query;
- display math gets its translation verbatim (Sphinx would parse it as reST and MyST turns the
  result into "::"); only the words inside ``\\text{}`` differ from the English;
- sphinx-exercise's labels in the book's words: its own Korean catalogue says 연습 and 해답 (so a
  solution is titled "해답 연습 3"); the Korean edition says 연습 문제 and "해답: 연습 문제 3";
- the Korean build: the edit button opens the page's ``.po`` file, the notebook download and the
  Binder and Colab buttons give the Korean notebook (``ko/chapters/*.ipynb``, see
  ``booktools/translations.py``), and a stylesheet names the Korean system fonts (no web font);
- the Korean build shows the Korean notebooks' code cells and their own outputs (Korean printed
  text and figures): the English Markdown still goes through the page's catalogue as usual;
- on a Markdown page, the ``pycon`` examples print Korean: the Korean build runs each session
  again, in order and in one namespace per page, with its strings and comments translated from
  the page's code catalogue (``locale/ko/LC_MESSAGES/code/<page>.po``, the same machinery as the
  notebooks' code cells) and with ``lb.set_language("ko")``, so a self-check speaks Korean too;
  what the page shows is what that run printed.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import json
import re
import shutil
import sys
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx import locale as sphinx_locale
from sphinx.errors import ExtensionError
from sphinx.locale import init as init_locale
from sphinx.search import SearchLanguage, languages
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

HERE = Path(__file__).resolve().parent / "i18n"
if str(HERE.parent.parent) not in sys.path:
    sys.path.append(str(HERE.parent.parent))  # the book's tools: the editions' table
from booktools import codecells, editions, translations  # noqa: E402

# Particles and endings that Korean attaches to a noun (or to the stem of a 하다 verb), longest
# first. Stripping is repeated, so 정확도는 and 정확도 stem alike; it never empties a word.
KOREAN_SUFFIXES = sorted(
    {
        # case particles and their combinations
        "이", "가", "은", "는", "을", "를", "의", "에", "에서", "에게", "께", "한테", "로", "으로",
        "와", "과", "도", "만", "나", "이나", "까지", "부터", "보다", "처럼", "마다", "만큼", "조차",
        "에는", "에서는", "으로는", "로는", "와는", "과는", "에도", "에서도", "으로도", "로도",
        "이란", "란", "이라는", "라는", "이라고", "라고", "이며", "이고", "들",
        # the copula and common endings of 하다/되다 verbs
        "이다", "입니다", "이에요", "인", "이면", "라면",
        "하다", "합니다", "하는", "하고", "하면", "하며", "하여", "해서", "했다", "했습니다", "한",
        "할", "된", "되는", "됩니다", "되어", "되면",
    },
    key=len,
    reverse=True,
)
_HANGUL = re.compile("[\uac00-\ud7a3]")


def stem_korean(word: str) -> str:
    """The search stem of one word: lower case, trailing Korean particles and endings removed."""
    word = word.lower()
    changed = True
    while changed and word and _HANGUL.match(word[-1]):
        changed = False
        for suffix in KOREAN_SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                word = word[: -len(suffix)]
                changed = True
                break
    return word


_JS_STEMMER = """
/**
 * Korean stemmer of lossbook (_ext/lossbook_i18n.py): strips the particles and endings that
 * Korean attaches to nouns, exactly as the Python side did when it built the index.
 */
var Stemmer = function() {
  const suffixes = %s;
  const hangul = /[\\uac00-\\ud7a3]$/;
  this.stemWord = function(w) {
    w = w.toLowerCase();
    let changed = true;
    while (changed && w.length > 0 && hangul.test(w)) {
      changed = false;
      for (const s of suffixes) {
        if (w.length > s.length && w.endsWith(s)) {
          w = w.slice(0, w.length - s.length);
          changed = true;
          break;
        }
      }
    }
    return w;
  };
};
"""


# sphinx-exercise's labels (its message catalogue "exercise") are worded as each edition's
# chapters word them (the table's exercise_labels). The solution title is the "Solution to"
# label followed by the exercise's number.


class _Labels(gettext.NullTranslations):
    """Our labels first; any other message goes to the package's own catalogue (the fallback)."""

    def __init__(self, labels: dict[str, str]):
        super().__init__()
        self._labels = labels

    def gettext(self, message: str) -> str:
        if message in self._labels:
            return self._labels[message]
        return super().gettext(message)


def _exercise_labels(app, config) -> None:
    """Put our labels in front of sphinx-exercise's catalogue, before it numbers its exercises."""
    labels = editions.of(config.language).exercise_labels
    key = ("general", "exercise")
    if labels and not isinstance(sphinx_locale.translators.get(key), _Labels):
        ours = _Labels(labels)
        package = sphinx_locale.translators.get(key)
        if package is not None:
            ours.add_fallback(package)
        sphinx_locale.translators[key] = ours


class SearchKorean(SearchLanguage):
    """Sphinx search for Korean text: words split as usual, stems without particles. Registered
    under the search language the table gives the Korean edition (``setup``)."""

    language_name = "Korean"
    js_stemmer_code = _JS_STEMMER % ("[" + ", ".join(f'"{s}"' for s in KOREAN_SUFFIXES) + "]")

    def stem(self, word: str) -> str:
        return stem_korean(word)


class KeepDocstringsEnglish(SphinxTransform):
    """Mark text that autodoc took from a docstring as untranslatable (before Sphinx translates)."""

    default_priority = 10  # sphinx.transforms.i18n.Locale runs at 20

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.TextElement):
            # "path:docstring of name" for a docstring, "docstring of name" for a ``#:`` comment
            # of an attribute; a section title that napoleon adds ("Returns") may carry the
            # page's own path, so anything inside an autodoc description counts as docstring.
            if "docstring of " in (node.source or "") or _in_object_description(node):
                node["translatable"] = False


class TranslateDisplayMath(SphinxTransform):
    """Give display math its Korean text (only the words in ``\\text{}`` differ), verbatim.

    Sphinx translates a literal node by parsing ``"::"`` plus the indented message with the
    page's parser; MyST reads that as a paragraph "::", so a translated formula would render
    as ``\\[::\\]``. Here the message replaces the formula's text as it is, before Sphinx's
    Locale transform (priority 20), which then skips the node as already translated.
    """

    default_priority = 15

    def apply(self, **kwargs) -> None:
        if _edition(self.app).source:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
        catalog, found = init_locale(dirs, self.config.language, domain)
        if found:
            translate_display_math(self.document, catalog.gettext)


def translate_display_math(document, gettext) -> int:
    """Replace the text of every display formula whose message has a translation; count them."""
    done = 0
    for node in document.findall(nodes.math_block):
        if node.get("translated") or not node.get("translatable", True):
            continue
        message = node.rawsource or node.astext()
        text = gettext(message)
        if text and text != message:
            node.children = []
            node += nodes.Text(text)
            node.rawsource = text
            node["translated"] = True
            done += 1
    return done


def _in_object_description(node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.desc_content):
            return True
        parent = parent.parent
    return False



def edition_url(pagename: str, here: editions.Edition, there: editions.Edition) -> str:
    """The relative URL of ``pagename`` of edition ``here`` in edition ``there``."""
    up = "../" * (pagename.count("/") + here.site.count("/"))
    return f"{up}{there.site}{pagename}.html"


def _edition(app) -> editions.Edition:
    return editions.of(app.config.language)


def _switch_context(app, pagename, templatename, context, doctree) -> None:
    """The language switch: one link per other edition (the template), and the alternate links.
    Set before pydata-sphinx-theme drops the header templates that render empty (priority 500)."""
    here = _edition(app)
    others = [e for e in editions.editions() if e is not here]
    context["lossbook_other_editions"] = [
        {"url": edition_url(pagename, here, e), "lang": e.code, "name": e.name,
         "title": e.switch_title} for e in others]
    context["metatags"] = context.get("metatags", "") + "".join(
        [f'\n<link rel="alternate" hreflang="{here.code}" href="{pagename.split("/")[-1]}.html" />']
        + [f'\n<link rel="alternate" hreflang="{o["lang"]}" href="{o["url"]}" />'
           for o in context["lossbook_other_editions"]])


def _page_context(app, pagename, templatename, context, doctree) -> None:
    here = _edition(app)
    if not here.source:
        _point_buttons_at_translated_sources(app, here, pagename, context)


SOURCE_BUTTONS = {"source-edit-button"}  # sphinx-book-theme 1.3's edit button


def _point_buttons_at_translated_sources(app, edition, pagename, context) -> None:
    """The edit button opens the page's catalogue; a .md page has no Korean notebook to open.
    Pages without a source (the index, search) have no edit button."""
    if pagename not in app.env.found_docs:
        return
    repo = app.config.html_theme_options.get("repository_url", "").rstrip("/")
    branch = app.config.html_theme_options.get("repository_branch", "") or "main"
    po = f"{edition.catalogues}/{pagename}.po"

    found = set()

    def fix(buttons):
        for button in buttons:
            if button.get("type") == "group":
                fix(button.get("buttons", []))
            elif button.get("label") == "source-edit-button":
                button["url"] = f"{repo}/edit/{branch}/{po}"
                found.add(button["label"])

    fix(context.get("header_buttons", []))
    if found != SOURCE_BUTTONS:
        raise ExtensionError(
            f"lossbook_i18n: {pagename}: sphinx-book-theme's header buttons have no "
            f"{sorted(SOURCE_BUTTONS - found)} (its button labels changed from the version in "
            "requirements.lock?); the Korean page's edit and source buttons would open the English "
            "file. Pin the theme back or update _point_buttons_at_korean_sources.")


def _keep_images_for_gettext(app) -> None:
    if app.builder.name == "gettext":
        try:
            from myst_nb.core.render import base_render_priority
        except ImportError as err:
            raise ExtensionError(
                "lossbook_i18n: myst_nb.core.render.base_render_priority is gone (myst-nb changed "
                "from the version in requirements.lock); pin it back or update "
                "_keep_images_for_gettext") from err

        html = base_render_priority()["html"]
        app.config.nb_mime_priority_overrides = [
            *app.config.nb_mime_priority_overrides,
            *(("gettext", mime, rank) for mime, rank in html.items()),
        ]


def _config_inited(app, config) -> None:
    options = config.html_theme_options
    end = list(options.get("article_header_end") or ["article-header-buttons.html"])
    if "lossbook-language-switch.html" not in end:
        options["article_header_end"] = ["lossbook-language-switch.html", *end]
    config.templates_path = [*config.templates_path, str(HERE / "templates")]
    stylesheet = _edition(app).stylesheet
    if stylesheet:
        config.html_static_path = [*config.html_static_path, str(HERE / "static" / stylesheet)]
        app.add_css_file(stylesheet)


def _translate_toctree_captions(app, doctree) -> None:
    """The table of contents' part captions ("The course", ...) in the Korean edition.

    sphinx-external-toc inserts the toctrees of _toc.yml after Sphinx's translation transform has
    run, so their captions would stay English although the root page's catalogue translates
    them (the gettext builder extracts them). Translate them here, from the same catalogue.
    """
    if _edition(app).source:
        return
    captions = [n for n in doctree.findall(addnodes.toctree) if n.get("caption")]
    if not captions:
        return
    domain = docname_to_domain(app.env.docname, app.config.gettext_compact)
    dirs = [str(Path(app.srcdir) / d) for d in app.config.locale_dirs]
    catalog, found = init_locale(dirs, app.config.language, domain)
    if found:
        for node in captions:
            node["caption"] = catalog.gettext(node["caption"])


def _korean_code_cells(app, docname, source) -> None:
    """In a translated build, a chapter's code cells and outputs are those of its notebook in the
    edition's folder (the Korean notebook).

    The Markdown cells stay English here, so that Sphinx translates them from the page's
    catalogue like any page; the code cells (Korean strings and comments) and what they printed
    and drew come from ``<edition's notebooks>/<docname>.ipynb``, matched by cell id.
    """
    edition = _edition(app)
    if edition.source or app.builder.name == "gettext":
        return
    english = Path(app.srcdir) / f"{docname}.ipynb"
    korean = Path(app.srcdir) / edition.notebooks / f"{docname}.ipynb"
    if not (english.exists() and korean.exists() and str(app.env.doc2path(docname)).endswith(".ipynb")):
        return
    nb = json.loads(source[0])
    ko = {cell.get("id"): cell for cell in json.loads(korean.read_text(encoding="utf-8"))["cells"]
          if cell["cell_type"] == "code"}
    for cell in nb["cells"]:
        twin = ko.get(cell.get("id")) if cell["cell_type"] == "code" else None
        if twin is not None:
            for key in ("source", "outputs", "execution_count"):
                cell[key] = twin[key]
    source[0] = json.dumps(nb, ensure_ascii=False)


def korean_session(session: str, language: str, namespace: dict | None = None,
                   table: dict[str, str] | None = None, shared: frozenset[str] = frozenset()) -> str:
    """A ``>>>`` session again in a translated edition: its strings and comments translated by
    ``table`` (a code catalogue's translations), the self-checks speaking ``language``; the inputs
    are the English ones but for those strings, the outputs are what this run prints.
    ``namespace`` carries the names of the page's earlier sessions (one doctest per page, as
    pytest runs it)."""
    import lossbook

    namespace = {} if namespace is None else namespace
    out = []
    previous = lossbook.checks.get_language()
    lossbook.set_language(language)
    try:
        for source in translations.session_sources(session):
            source = codecells.translate(source, table or {}, shared)
            lines = source.rstrip("\n").split("\n")
            out.append(">>> " + lines[0])
            out.extend("... " + line for line in lines[1:])
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                code = compile(source, "<session>", "single")
                exec(code, namespace)  # the book's own example, doctested in English
            if printed.getvalue():
                out.append(printed.getvalue().rstrip("\n"))
    finally:
        lossbook.set_language(previous)
    return "\n".join(out) + "\n"


def korean_page_sessions(page: Path, edition) -> list[str]:
    """Every ``pycon`` session of a Markdown page as the edition's page shows it, in order."""
    page = Path(page).resolve()
    po = translations.code_catalogue_path(edition, page)
    table = translations.translations(po) if po.exists() else {}
    sessions = translations.sessions(page.read_text(encoding="utf-8"))
    shared = codecells.shared_keys([source for session in sessions
                                    for source in translations.session_sources(session)])
    namespace: dict = {}
    return [korean_session(session, edition.code, namespace, table, shared) for session in sessions]


def _korean_sessions(app, doctree) -> None:
    """A translated build: a Markdown page's examples print the edition's language (see the
    module's docstring)."""
    edition = _edition(app)
    if edition.source or app.builder.name == "gettext":
        return
    page = Path(app.env.doc2path(app.env.docname))
    blocks = [b for b in doctree.findall(nodes.literal_block) if b.get("language") == "pycon"]
    if page.suffix != ".md" or not blocks:
        return
    korean = korean_page_sessions(page, edition)
    if len(korean) != len(blocks):
        raise ExtensionError(f"lossbook_i18n: {page.name} has {len(blocks)} pycon blocks in its "
                             f"doctree but {len(korean)} ```pycon sessions in its source")
    for block, text in zip(blocks, korean, strict=True):
        block.children = [nodes.Text(text)]
        block.rawsource = text


def _korean_downloads(app, exception) -> None:
    """In the Korean site, the .ipynb download of a chapter is the Korean notebook."""
    if exception is not None or app.builder.format != "html" or _edition(app).source:
        return
    sources = Path(app.outdir) / "_sources"
    korean = Path(app.srcdir) / _edition(app).notebooks
    for copied in sources.rglob("*.ipynb"):
        translated = korean / copied.relative_to(sources)
        if translated.exists():
            shutil.copyfile(translated, copied)


def setup(app):
    for edition in editions.translated():
        if edition.search not in languages:  # Sphinx has no search of its own for the language
            languages[edition.search] = type(SearchKorean.__name__, (SearchKorean,),
                                             {"lang": edition.search})
    app.add_transform(KeepDocstringsEnglish)
    app.add_transform(TranslateDisplayMath)
    app.connect("config-inited", _config_inited)
    # sphinx-exercise reads its "Exercise" label at config-inited (priority 500).
    app.connect("config-inited", _exercise_labels, priority=100)
    app.connect("builder-inited", _keep_images_for_gettext)
    # After sphinx-book-theme's buttons (priority 501), before lossbook_site's clean-up (900).
    app.connect("html-page-context", _switch_context, priority=400)
    app.connect("html-page-context", _page_context, priority=600)
    app.connect("doctree-read", _translate_toctree_captions)
    app.connect("doctree-read", _korean_sessions)
    app.connect("source-read", _korean_code_cells)
    app.connect("build-finished", _korean_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
