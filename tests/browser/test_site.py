"""The built site as a reader meets it, in headless Chromium (the one booktools/browser.py finds).

Data-driven: the tests iterate over the html pages the build produced and the notebooks in
chapters/, so they follow the book as chapters are added. Run after `make book-strict`:
    make site-test     (or: .venv/bin/python -m pytest -q tests/browser -p no:nbval -o addopts="")
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sitekit import (
    BRANCH,
    CONFIG,
    NOTEBOOKS,
    OWNER_REPO,
    REPO_URL,
    SITE,
    html_pages,
    is_local,
    search,
    weigh,
)

from booktools import editions

PAGES = html_pages(SITE) if SITE.exists() else []
CHAPTER_PAGES = [p for p in PAGES if p.startswith("chapters/")]

# What a reader would type to find a chapter, by the chapter's label.
# Chapters without an entry are searched by their title.
MAIN_TERMS = {
    "ch-network-structure": "weight",
    "ch-what-a-loss-measures": "loss function",
    "ch-mse": "mean squared error",
    "ch-cross-entropy": "cross-entropy",
    "ch-loss-vs-accuracy": "accuracy",
}

# Serious/critical axe-core violations that the theme causes, not our content, and that we cannot
# change without overriding its templates: (rule id, substring of the offending element's selector
# or html) -> reason. Markup that our build can fix is fixed (_ext/lossbook_site.py), not listed.
THEME_AXE_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("label-content-name-mismatch", "search-button"): (
        "pydata-sphinx-theme's search button: aria-label 'Search' while its visible text also "
        "shows the keyboard shortcut (Ctrl+K); theme template, not our content"
    ),
    ("label-content-name-mismatch", "theme-switch-button"): (
        "pydata-sphinx-theme's colour-mode button: aria-label 'Color mode' while its icons carry "
        "titles ('Light', 'Dark', 'System Settings'); axe flags it with the theme's own Font "
        "Awesome script too; theme template, not our content"
    ),
}

# Console errors the theme or a plug-in causes, not our content: substring -> reason.
THEME_CONSOLE_EXCEPTIONS: dict[str, str] = {}


def test_site_is_built():
    assert (SITE / "index.html").exists(), f"no site at {SITE}: run `make book-strict` first"
    assert PAGES, "the build produced no html pages"
    assert "search.html" in PAGES and "chapters/glossary.html" in PAGES


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_locally_and_cleanly(visit, page):
    r = visit(page)
    assert r.status == 200, f"{page}: HTTP {r.status}"
    assert not r.failed, f"{page}: local requests failed: {r.failed}"
    outside = [u for u in r.requests if not is_local(u)]
    assert not outside, f"{page}: requests leaving 127.0.0.1: {outside}"
    errors = [e for e in r.console_errors if not any(k in e for k in THEME_CONSOLE_EXCEPTIONS)]
    assert not errors, f"{page}: console errors: {errors}"


def test_no_request_left_the_host(browser_context, visit):
    for page in PAGES:
        visit(page)
    assert not browser_context.outside_requests, browser_context.outside_requests


def test_one_search_field_and_no_empty_bar_above_the_page(browser_context, server):
    """The sidebar's search field is the only one; the theme's top navbar stays empty."""
    page = CHAPTER_PAGES[0] if CHAPTER_PAGES else "intro.html"
    tab = browser_context.new_page()
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.goto(server.url(page), wait_until="load")
    fields = tab.eval_on_selector_all(
        ".search-button-field",
        "es => es.filter(e => e.getBoundingClientRect().width > 0).map(e => e.closest('[id]').id)",
    )
    header = tab.evaluate("(document.querySelector('#pst-header') || {offsetHeight: 0}).offsetHeight")
    tab.close()
    assert len(fields) == 1, f"{page}: {len(fields)} visible search fields (inside {fields})"
    assert header == 0, f"{page}: a {header}-pixel bar above the page"


@pytest.mark.parametrize("page", PAGES)
def test_math_is_typeset(visit, page):
    r = visit(page)
    assert r.math_typeset == r.math_total, (
        f"{page}: KaTeX typeset {r.math_typeset} of {r.math_total} math elements"
    )
    assert not r.math_errors, f"{page}: TeX errors: {r.math_errors}"


@pytest.mark.parametrize("page", PAGES)
def test_images_have_alt_text_and_load(visit, page):
    r = visit(page)
    no_alt = [i["src"] for i in r.images if not (i["alt"] or "").strip()]
    assert not no_alt, f"{page}: images without alt text: {no_alt}"
    broken = [i["src"] for i in r.images if not i["loaded"]]
    assert not broken, f"{page}: images that did not load: {broken}"


@pytest.mark.parametrize("page", PAGES)
def test_axe_no_serious_violations(visit, page):
    r = visit(page)
    ours = []
    for v in r.axe:
        nodes = [
            n for n in v["nodes"]
            if not any(rule == v["id"] and (key in n["target"] or key in n["html"])
                       for rule, key in THEME_AXE_EXCEPTIONS)
        ]
        if nodes:
            ours.append(f"{v['id']} ({v['impact']}): {v['help']}: "
                        + "; ".join(f"{n['target']} {n['html']}" for n in nodes[:5]))
    assert not ours, f"{page}: axe-core:\n" + "\n".join(ours)


def _chapter_label_and_title(page: str) -> tuple[str | None, str]:
    text = (SITE / page).read_text(encoding="utf-8")
    label = re.search(r'id="(ch-[a-z0-9-]+)"', text)
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    title_text = html.unescape(title.group(1)).split(" \u2014 ")[0].strip() if title else page
    return (label.group(1) if label else None), title_text


def _search_cases():
    cases = []
    for page in CHAPTER_PAGES:
        label, title = _chapter_label_and_title(page)
        if label is None:  # glossary, references, API: not chapters
            continue
        cases.append((page, MAIN_TERMS.get(label, title)))
    return cases


@pytest.mark.parametrize(("page", "term"), _search_cases())
def test_search_finds_chapter(browser_context, server, page, term):
    found = search(browser_context, server, term)
    assert page in found, f"searching {term!r} did not find {page}; found {found}"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_launch_buttons_point_at_notebook(visit, notebook):
    page = notebook.removesuffix(".ipynb") + ".html"
    assert page in PAGES, f"{notebook} has no page in the built site (is it in _toc.yml?)"
    anchors = visit(page).anchors
    binder = [a for a in anchors if a.startswith(CONFIG["launch_buttons"]["binderhub_url"])]
    colab = [a for a in anchors if a.startswith(CONFIG["launch_buttons"]["colab_url"])]
    assert binder == [
        f"{CONFIG['launch_buttons']['binderhub_url']}/v2/gh/{OWNER_REPO}/{BRANCH}"
        f"?urlpath=tree/{notebook}"
    ], binder
    assert colab == [
        f"{CONFIG['launch_buttons']['colab_url']}/github/{OWNER_REPO}/blob/{BRANCH}/{notebook}"
    ], colab
    assert REPO_URL in anchors, "repository button missing"
    assert any(a.startswith(f"{REPO_URL}/issues/new") for a in anchors), "issues button missing"
    assert f"{REPO_URL}/edit/{BRANCH}/{notebook}" in anchors, "edit button missing"
    assert any(a.endswith(f"/_sources/{notebook}") for a in anchors), "download button missing"


@pytest.mark.parametrize("page", PAGES)
def test_figures_readable_on_dark_theme(visit, page):
    """With the theme switched to dark, every content image is opaque or on a light background."""
    bad = [i["src"] for i in visit(page).dark_images if not (i["opaque"] or i["lightBg"])]
    assert not bad, f"{page}: images unreadable on the dark theme: {bad}"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag != "meta" else ():
            if a.get(key):
                self.ids.add(a[key])
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"])
        if tag in ("img", "script", "source", "iframe") and a.get("src"):
            self.links.append(a["src"])


# Each edition's PDF as the site links it: <site>/<edition's folder>/<edition's PDF>.
BOOK_PDFS_OF = {e.code: (SITE / e.site / e.pdf).resolve() for e in editions.editions()}
BOOK_PDFS = set(BOOK_PDFS_OF.values())


def _edition_of(page: str) -> str:
    """The code of the edition a built page belongs to (the one whose folder holds it)."""
    folders = sorted((e for e in editions.editions() if e.site), key=lambda e: -len(e.site))
    return next((e.code for e in folders if page.startswith(e.site)), editions.source().code)


def test_internal_links_and_anchors_resolve(site):
    parsed: dict[Path, _Links] = {}

    def parse(path: Path) -> _Links:
        if path not in parsed:
            p = _Links()
            p.feed(path.read_text(encoding="utf-8"))
            parsed[path] = p
        return parsed[path]

    problems = []
    for page in PAGES:
        src = site / page
        for link in parse(src).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = (src.parent / unquote(parts.path)).resolve() if parts.path else src
            if target.is_dir():
                target = target / "index.html"
            if target in BOOK_PDFS:
                # The book's PDFs are built beside the site (`make test` runs the two side by
                # side) and placed next to the pages after both: their links must name the PDF
                # of the page's own edition; that the file is there is site-links' check
                # (test_linkchecker_finds_no_broken_internal_link, which runs after the PDFs).
                if target != BOOK_PDFS_OF[_edition_of(page)]:
                    problems.append(f"{page}: {link} -> another edition's PDF")
                continue
            if not target.exists():
                problems.append(f"{page}: {link} -> missing file")
                continue
            frag = unquote(parts.fragment)
            if frag and target.suffix == ".html" and frag not in parse(target).ids:
                problems.append(f"{page}: {link} -> no anchor #{frag}")
    assert not problems, "\n".join(problems[:50])


def test_linkchecker_finds_no_broken_internal_link(server):
    """LinkChecker's own crawl of the site over the tests' HTTP server, from index.html.

    It runs in this process through LinkChecker's Python API: its command line, started as root
    (as in containers and CI), switches to the user ``nobody``, who cannot read a clone in a
    private directory. Only links on 127.0.0.1 are followed; anchors are checked by the test above.
    """
    import io

    from linkcheck import checker, configuration, director

    out = io.StringIO()
    config = configuration.Configuration()
    config["recursionlevel"] = -1
    config["status"] = False
    config["warnings"] = False
    config["threads"] = 4
    config["logger"] = config.logger_new("text", fd=out)
    config.sanitize()
    aggregate = director.get_aggregate(config)
    aggregate.urlqueue.put(
        checker.get_url_from(server.url("index.html"), 0, aggregate, extern=(0, 0))
    )
    director.check_urls(aggregate)
    missing = [str(p.relative_to(SITE)) for p in sorted(BOOK_PDFS) if not p.exists()]
    assert not missing, f"the pages link {missing}, which are not next to them"
    stats = config["logger"].stats
    report = out.getvalue()
    assert stats.errors == 0 and not stats.internal_errors, report[-3000:]
    assert stats.number >= len(PAGES), f"LinkChecker checked only {stats.number} urls:\n{report[-3000:]}"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_within_its_budget(browser_context, server, page):
    """What a reader downloads to open the page (empty cache, gzip): a numbered chapter at most
    350 KiB, any other page at most 250 KiB, both editions (booktools.pageweight); nothing
    requested outside the site."""
    w = weigh(browser_context, server, page)
    assert not w["outside"], f"{page} requests outside the site: {w['outside']}"
    assert w["gzip"] <= w["budget"], (
        f"{page}: {w['gzip'] / 1024:.0f} KiB gzip, over its {w['budget'] // 1024} KiB: "
        + ", ".join(f"{p} {gz // 1024} KiB" for p, _, gz in w["rows"][:8])
    )


@pytest.mark.parametrize("page", PAGES)
def test_the_search_index_loads_only_for_search(visit, page):
    index = [u for u in visit(page).requests if urlsplit(u).path.endswith("/searchindex.js")]
    if page.endswith("search.html"):
        assert index, f"{page} does not load its search index"
    else:
        assert not index, f"{page} loads the search index: {index}"


@pytest.mark.parametrize("page", PAGES)
def test_icons_are_in_the_subset_fonts(visit, page):
    """Every Font Awesome icon a page draws is in the cut-down font the build hook wrote."""
    edition = SITE / "ko" if page.startswith("ko/") else SITE  # each edition has its own fonts
    kept = json.loads(
        (edition / "_static/vendor/fontawesome/webfonts/subset.json").read_text(encoding="utf-8")
    )
    missing = []
    for icon in visit(page).icons:
        font = ("fa-brands-400" if icon["brands"]
                else "fa-solid-900" if int(icon["weight"]) >= 600 else "fa-regular-400")
        if icon["cp"] not in kept[font]:
            missing.append(f"U+{icon['cp']:04X} ({font}) on {icon['where']!r}")
    assert not missing, f"{page}: icons cut from the fonts: {sorted(set(missing))}"


def test_build_hook_trimmed_the_site(site):
    static = site / "_static"
    assert not list(static.rglob("*.map")), "source maps shipped"
    assert (static / "scripts" / "fontawesome.js").stat().st_size < 1024
    assert not (static / "mathjax").exists(), "MathJax shipped: the math is typeset at build time"
    assert (static / "katex" / "katex.min.css").exists()
    assert not list((static / "katex" / "fonts").glob("*.ttf"))
    # The figures' copies carry the palette mark of quantize_png (the bigger ones at least).
    from PIL import Image

    figures = sorted((site / "_images").glob("*.png"))
    marked = [p for p in figures if Image.open(p).info.get("lossbook") == "palette"]
    assert figures and len(marked) >= len(figures) * 3 // 4, f"{len(marked)} of {len(figures)}"
    webfonts = static / "vendor" / "fontawesome" / "webfonts"
    assert sorted(p.name for p in webfonts.iterdir()) == [
        "fa-brands-400.woff", "fa-regular-400.woff", "fa-solid-900.woff", "subset.json"
    ]

