"""The printed book (``make pdf``): what Sphinx's LaTeX builder needs to make lossbook a PDF.

``make pdf`` builds both editions with ``jupyter-book build --builder latex`` and runs latexmk
with xelatex on the result (``_build/pdf/lossbook.pdf``, ``_build/pdf/lossbook-ko.pdf``). This
extension, loaded by every build, only acts on the LaTeX builder, except for the last point:

- the LaTeX settings: xelatex; Sphinx's own ``manual`` class instead of Jupyter Book's
  ``jupyterBook`` class (which loads ``bbm.sty``, only in Debian's 1.4 GB texlive-fonts-extra, and
  pgfplots/tikz for macros the book never uses), with the two environments that
  sphinx-jupyterbook-latex still writes around code cells defined here; the Noto CJK KR fonts
  (Debian's fonts-noto-cjk) for all text, since the English edition has Korean terms too; code
  lines that wrap instead of running off the page;
- the Korean edition: polyglossia's Korean (Korean captions and line breaking between
  syllables), 차례, 장 and 찾아보기 where Sphinx would say otherwise, the part titles of
  ``_toc.yml`` translated, a Korean title page and Korean headings (the editions' table,
  ``locale/editions.toml``);
- the root page (intro) becomes an unnumbered first chapter, "Introduction" (들어가며): Sphinx's
  LaTeX uses its title for the title page and would print its text under the table of contents;
- the chapters the site does not number (introduction, how-to, the reference part) are
  unnumbered in print too, so "chapter 4" means the same page in both;
- every exercise's solution moves to a "Solutions to the exercises" section on a new page at the
  end of its chapter, and the exercise says on which page its solution is: in print a solution
  must not sit under its question (the site folds it in a dropdown instead);
- the bibliography stays in the References chapter (sphinx-jupyterbook-latex would move it
  after the API page, under a "Bibliography" chapter of its own);
- the site (html builder) links its edition's PDF from the header's download menu when
  ``make pdf`` has built it, and copies it next to the pages; without a built PDF there is no link.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.i18n import docname_to_domain

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # the book's tools: the editions' table
from booktools import editions  # noqa: E402

PDF_DIR = editions.PDF_DIR
# What the printed book says itself, its languages' names for babel and polyglossia, its line
# breaking and its fonts: per edition, in the editions' table (locale/editions.toml).

# Fonts (the table's): one font per text, Latin and Hangul alike (its Latin letters are Source
# Serif/Sans/Code's). The Noto CJK fonts have no italics: emphasis is slanted. Math stays in
# TeX's own.
_FONTS = r"""
\setmainfont{@MAIN@}[BoldFont={* Bold}, ItalicFont={*}, ItalicFeatures={FakeSlant=0.18},
  BoldItalicFont={* Bold}, BoldItalicFeatures={FakeSlant=0.18}]
\setsansfont{@SANS@}[BoldFont={* Bold}, ItalicFont={*}, ItalicFeatures={FakeSlant=0.18},
  BoldItalicFont={* Bold}, BoldItalicFeatures={FakeSlant=0.18}]
\setmonofont{@MONO@}[Scale=0.86, BoldFont={* Bold}, ItalicFont={*},
  ItalicFeatures={FakeSlant=0.18}, BoldItalicFont={* Bold}, BoldItalicFeatures={FakeSlant=0.18}]
"""

_PREAMBLE = r"""
% lossbook (_ext/lossbook_latex.py)
% Text copied from the PDF (and pdftotext) gives the characters typeset: without this, glyphs the
% CJK fonts share between code points come out as the wrong one (U+2011 for a hyphen).
\XeTeXgenerateactualtext=1
\setlength{\headheight}{14pt}
% Figures: allowed to take most of a page's top or bottom beside text, so that a figure seldom
% ends up alone on a page of its own.
\renewcommand{\topfraction}{0.85}
\renewcommand{\bottomfraction}{0.6}
\renewcommand{\textfraction}{0.1}
\renewcommand{\floatpagefraction}{0.75}
% The bibliography is part of the References chapter: it opens no chapter of its own.
\makeatletter
\renewenvironment{sphinxthebibliography}[1]
  {\begingroup\def\chapter##1##2{}\let\@mkboth\@gobbletwo\begin{thebibliography}{#1}}
  {\end{thebibliography}\endgroup}
\makeatother
% A table column holding a formula that cannot break gets at least this width from tabulary, and
% table cells are ragged right (justified, a narrow column stretches its spaces).
\setlength{\tymin}{6em}
\newcolumntype{T}{L}
% In a table cell a long name in code (the atlas's binary_cross_entropy_with_logits) may break
% after an underscore, where it would otherwise run into the next column.
\usepackage{etoolbox}
\AtBeginEnvironment{tabulary}{\def\_{\textunderscore\allowbreak}}
\AtBeginEnvironment{longtable}{\def\_{\textunderscore\allowbreak}}
% Sphinx names the table of contents after the first toctree's caption ("Getting started").
\addto\captions@LANGUAGE@{\renewcommand{\contentsname}{@CONTENTS@}}
\usepackage{changepage}
% The environments sphinx-jupyterbook-latex writes around a code cell and its output.
\newenvironment{sphinxVerbatimInput}{\begin{adjustwidth}{0pt}{}}{\end{adjustwidth}}
\newenvironment{sphinxVerbatimOutput}
  {\colorlet{VerbatimColor}{white}\colorlet{VerbatimBorderColor}{lossbookOutputRule}%
   \begin{adjustwidth}{1.5em}{}}
  {\end{adjustwidth}}
\definecolor{lossbookOutputRule}{gray}{0.75}
% Chapters: "Chapter 4" (or "4장") over the title; the unnumbered ones carry their title only.
\makeatletter
\newcommand{\lossbooknumbered}{\setcounter{secnumdepth}{2}}
\newcommand{\lossbookunnumbered}{\setcounter{secnumdepth}{-1}}
\def\@makechapterhead#1{{\parindent\z@\raggedright\normalfont
  \ifnum\c@secnumdepth>\m@ne
    {\Large\sffamily\bfseries\color{gray}@CHAPTER_LABEL@}\par\nobreak\vskip 12\p@
  \fi
  {\huge\sffamily\bfseries #1}\par\nobreak\vskip 28\p@}}
\def\@makeschapterhead#1{{\parindent\z@\raggedright\normalfont
  {\huge\sffamily\bfseries #1}\par\nobreak\vskip 28\p@}}
\def\chaptermark#1{\markboth{\ifnum\c@secnumdepth>\m@ne @CHAPTER_LABEL@.\ \fi #1}{}}
\makeatother
% Korean text: break lines between syllables as Korean books do, with a little stretch.
@LINEBREAK@
"""

# The table's linebreak_locale (Korean): XeTeX breaks lines between syllables as Korean books do,
# with a little stretch.
_LINEBREAK = r"""
\XeTeXlinebreaklocale "@LOCALE@"
\XeTeXlinebreakskip = 0pt plus 0.5pt
% makeindex groups the index by the first *byte* of an entry, which for Hangul is a third of a
% character: the Korean index has no letter headings, only a little space between groups.
\renewcommand{\sphinxstyleindexlettergroup}[1]{\par\medskip}
"""


def _edition(config) -> editions.Edition:
    return editions.of(config.language)


def _latex_config(app, config) -> None:
    """Runs after sphinx-jupyterbook-latex's config-inited hook and replaces what it set."""
    edition = _edition(config)
    text = edition.latex
    config.latex_engine = "xelatex"
    config.latex_theme = "manual"
    config.latex_use_xindy = False  # xindy is one more Debian package; makeindex sorts fine
    config.latex_domain_indices = False  # no "Python Module Index" of one module
    preamble = _PREAMBLE.replace("@CHAPTER_LABEL@", text["chapter_label"])
    preamble = preamble.replace("@CONTENTS@", text["contents"])
    preamble = preamble.replace("@LANGUAGE@", text["polyglossia"])
    locale = text["linebreak_locale"]
    preamble = preamble.replace("@LINEBREAK@", _LINEBREAK.replace("@LOCALE@", locale) if locale else "")
    fonts = edition.fonts
    fontpkg = _FONTS.replace("@MAIN@", fonts["main"]).replace("@SANS@", fonts["sans"])
    config.latex_elements = {
        **(config.latex_elements or {}),
        "papersize": "a4paper",
        "pointsize": "11pt",
        "fontpkg": fontpkg.replace("@MONO@", fonts["mono"]),
        "fncychap": "",
        "preamble": preamble,  # replaces sphinx-jupyterbook-latex's (ucharclasses, unicode-math)
        "figure_align": "htbp",
        # Ragged right, so that an entry "name() (module lossbook.losses_classification)" breaks
        # before its long module name instead of running into the next column.
        "sphinxsetup": ",".join([
            "hmargin={2.2cm,2.2cm}", "vmargin={2.5cm,2.5cm}",
            # Long code lines wrap, at a space if there is one and anywhere if not.
            "verbatimwrapslines=true", "verbatimforcewraps=true",
            "verbatimmaxoverfull=0", "verbatimmaxunderfull=2",
            "VerbatimColor={gray}{0.96}", "VerbatimBorderColor={gray}{0.85}",
        ]),
    }
    if not edition.source:
        config.latex_elements["babel"] = ""
        config.latex_elements["polyglossia"] = r"\usepackage{polyglossia}"
    # The index's two columns are narrow for an entry such as "soft_margin_loss_grad()
    # (lossbook.gradients_classification 모듈)": set it smaller and ragged right, as Sphinx's
    # documentation suggests for long entries, so no entry runs into the next column.
    printindex = r"\footnotesize\raggedright\printindex"
    if text["index"]:
        # Sphinx's Korean for "Index" is 색인; Korean books say 찾아보기. Set after Sphinx's.
        printindex = r"\renewcommand{\indexname}{" + text["index"] + "}" + printindex
    config.latex_elements["printindex"] = printindex


def _register_languages_for_latex() -> None:
    # docutils' table of LaTeX language names lacks Korean, so Sphinx would fall back to English
    # and warn "no Babel option known for language ..."; polyglossia calls it "korean".
    from docutils.writers.latex2e import Babel

    for edition in editions.editions():
        Babel.language_codes.setdefault(edition.code, edition.latex["polyglossia"])


class ChaptersForPrint(SphinxPostTransform):
    """Unnumbered chapters as on the site, and each chapter's solutions at its end."""

    default_priority = 800  # after sphinx-exercise (20-22) and sphinx-jupyterbook-latex (700)
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        from sphinx_exercise.nodes import exercise_enumerable_node

        text = _edition(self.config).latex
        numbered = self.env.toc_secnumbers
        # The root page (intro) is the book's title page in Sphinx's LaTeX: its text would follow
        # the table of contents without a heading. It becomes the unnumbered first chapter.
        root = self.config.root_doc
        for section in self.document.findall(nodes.section):
            if section.get("docname") == root:
                title = next(iter(section.findall(nodes.title)), None)
                at = section.index(title) + 1 if title is not None else 0
                section.insert(at, nodes.raw(
                    "", "\\lossbookunnumbered\n\\chapter{" + text["introduction"] + "}\n",
                    format="latex"))
                break
        docs = self.env.all_docs
        self._translate_part_titles(docs)
        # sphinx-jupyterbook-latex rearranges the assembled tree without updating the children's
        # parent pointers, so the chapters and their solutions are found walking down.
        solutions: dict[str, list] = {}
        chapters = {}
        for start, container, node in _walk(self.document, None, docs):
            if isinstance(node, addnodes.start_of_file):
                chapter = next((c for c in node.children if isinstance(c, nodes.section)), None)
                if chapter is not None:
                    chapters[node["docname"]] = chapter
                    switch = "\\lossbooknumbered" if numbered.get(node["docname"]) else "\\lossbookunnumbered"
                    node.insert(0, nodes.raw("", switch + "\n", format="latex"))
            elif start is not None:
                solutions.setdefault(start["docname"], []).append((container, node))
        self._bibliography_into_its_chapter(chapters)
        for docname, found in solutions.items():
            chapter = chapters[docname]
            exercises = {e.get("label"): e for e in _findall(chapter, exercise_enumerable_node)}
            section = nodes.section(ids=[f"lossbook-solutions-{docname.replace('/', '-')}"])
            section += nodes.title("", text["solutions"])
            for container, solution in found:
                container.children.remove(solution)
                section += solution
                exercise = exercises.get(solution.get("target_label"))
                if exercise is not None:
                    label = rf"\detokenize{{{docname}:{solution['label']}}}"
                    exercise += nodes.raw(
                        "", r"\par\smallskip{\small\itshape " + text["solution_on_page"] % label
                        + "}\n", format="latex")
            # On a new page: the last exercise's solution must not share a page with it.
            chapter += nodes.raw("", "\\clearpage\n", format="latex")
            chapter += section


    def _bibliography_into_its_chapter(self, chapters) -> None:
        """The bibliography back in the chapter that shows it (References), not after the API.

        sphinx-jupyterbook-latex moves it to the end of the book, where Sphinx's LaTeX opens a
        chapter "Bibliography" of its own; the preamble's sphinxthebibliography opens none.
        """
        from sphinx.builders.latex.nodes import thebibliography

        pages = {key.docname for key in self.env.get_domain("cite").bibliographies}
        if len(pages) != 1 or next(iter(pages)) not in chapters:
            return
        chapter = chapters[pages.pop()]
        for node in [n for n in self.document.children if isinstance(n, thebibliography)]:
            self.document.children.remove(node)
            chapter += node

    def _translate_part_titles(self, docs) -> None:
        """The parts (the toctree captions of _toc.yml) in the edition's language.

        sphinx-jupyterbook-latex takes them from the root page before lossbook_i18n translates
        them for the site, so they are translated here from the root page's catalogue.
        """
        if _edition(self.config).source:
            return
        dirs = [str(Path(self.app.srcdir) / d) for d in self.config.locale_dirs]
        domain = docname_to_domain(self.config.root_doc, self.config.gettext_compact)
        catalog, found = init_locale(dirs, self.config.language, domain)
        if not found:
            return
        for start in self.document.findall(addnodes.start_of_file):
            if start["docname"] in docs:
                continue
            for title in start.findall(nodes.title):
                title.replace_self(nodes.title("", catalog.gettext(title.astext())))
                break


def _walk(node, start, docs):
    """(chapter's start_of_file, parent, node) for every chapter start and every solution."""
    from sphinx_exercise.nodes import solution_node

    for child in list(node.children):
        if isinstance(child, addnodes.start_of_file) and child["docname"] in docs:
            yield start, node, child
            yield from _walk(child, child, docs)
        elif isinstance(child, solution_node):
            yield start, node, child
        elif isinstance(child, nodes.Element):
            yield from _walk(child, start, docs)


def _findall(node, cls):
    for child in node.children:
        if isinstance(child, cls):
            yield child
        if isinstance(child, nodes.Element):
            yield from _findall(child, cls)


# --- the site's link to the PDF -------------------------------------------------------------

def _pdf_of(app) -> Path:
    return PDF_DIR / _edition(app.config).pdf


def _pdf_button(app, pagename, templatename, context, doctree) -> None:
    """A "Book (PDF)" entry in the header's download menu, when the PDF has been built or is
    being built beside the site (``LOSSBOOK_PDF=coming``: `make test` builds the PDFs and the
    site side by side and puts the PDFs next to the pages before it tests the site)."""
    if not (_pdf_of(app).exists() or os.environ.get("LOSSBOOK_PDF") == "coming"):
        return
    text = _edition(app.config).latex
    url = "../" * pagename.count("/") + _pdf_of(app).name
    for button in context.get("header_buttons", []):
        if button.get("type") == "group" and button.get("icon") == "fas fa-download":
            button["buttons"].append({
                "type": "link",
                "url": url,
                "text": text["download"],
                "tooltip": text["download_tip"],
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            })


def _copy_pdf(app, exception) -> None:
    if exception is None and app.builder.format == "html" and _pdf_of(app).exists():
        shutil.copyfile(_pdf_of(app), Path(app.outdir) / _pdf_of(app).name)


# Sphinx sets a table of more than 30 rows as a longtable, whose columns are plain "l" columns
# unless widths were given: a long cell then runs off the page (the primer's notation table ran
# 415 pt over). Such tables get their source's column widths, which Sphinx sets as wrapping
# p-columns; shorter tables are set by tabulary, which wraps by itself. A table of six or more
# columns (the loss atlas's) wraps every cell into several lines, and tabulary cannot break a
# table across pages: its rows ran past the page's foot. It is set as a longtable too.
LONGTABLE_ROWS = 30
LONGTABLE_COLUMNS = 6


def _long_tables_wrap(app, doctree, docname) -> None:
    if app.builder.format != "latex":
        return
    for table in doctree.findall(nodes.table):
        rows = sum(1 for _ in table.findall(nodes.row))
        columns = max((len(row) for row in table.findall(nodes.row)), default=0)
        if columns >= LONGTABLE_COLUMNS and "longtable" not in table["classes"]:
            table["classes"].append("longtable")
        if (rows > LONGTABLE_ROWS or columns >= LONGTABLE_COLUMNS) and \
                "colwidths-given" not in table["classes"]:
            table["classes"].append("colwidths-given")


def setup(app):
    app.connect("doctree-resolved", _long_tables_wrap)
    # priority 800: after sphinx-jupyterbook-latex's config-inited hook (default 500).
    app.connect("config-inited", _latex_config, priority=800)
    # Before the LaTeX builder initialises (which is before builder-inited).
    _register_languages_for_latex()
    app.add_post_transform(ChaptersForPrint)
    app.connect("html-page-context", _pdf_button, priority=700)
    app.connect("build-finished", _copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
