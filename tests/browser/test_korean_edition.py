"""The Korean edition (_build/html/ko) beside the English one, in headless Chromium.

The page-by-page tests of test_site.py (loads cleanly and offline, math, alt text, axe,
console, dark theme, icons, links and anchors, LinkChecker) already run on the Korean pages:
they take every html page of the site, and the Korean ones live under ko/. This module adds what
is particular to the edition: the same page paths in both, the language switch both ways,
``lang="ko"``, the launch, edit and download buttons that give the Korean notebook and catalogue,
the Korean search (particles attached), the Korean system fonts (no web font) and a Korean
chapter's page weight.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from sitekit import (
    BRANCH,
    CONFIG,
    NOTEBOOKS,
    OWNER_REPO,
    REPO_URL,
    ROOT,
    SITE,
    html_pages,
    search,
)

from _ext import lossbook_i18n  # the site extension, imported from the repository root
from booktools import editions

KO = SITE / "ko"
EN_PAGES = [p for p in html_pages(SITE) if not p.startswith("ko/")] if SITE.exists() else []
KO_PAGES = html_pages(KO) if KO.exists() else []
# index.html only redirects to the first page; every other page carries the switch.
SWITCH_PAGES = [p for p in EN_PAGES if p != "index.html"]

# What a Korean reader types to find a chapter: its key term with a particle attached.
KOREAN_TERMS = {
    "chapters/01-network-structure.html": "가중치는",
    "chapters/02-what-a-loss-measures.html": "손실 함수는",
    "chapters/03-mean-squared-error.html": "평균 제곱 오차를",
    "chapters/04-cross-entropy.html": "교차 엔트로피의",
    "chapters/05-loss-vs-accuracy.html": "정확도가",
    "chapters/06-losses-in-practice.html": "음의 로그 우도로",
    "chapters/07-training-end-to-end.html": "조기 종료는",
}


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.switch: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and "lossbook-language-switch" in (a.get("class") or ""):
            self.switch.append(a)


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_korean_site_has_every_page_of_the_english_one():
    assert KO.is_dir(), f"no Korean site at {KO}: run `make book-strict` first"
    assert KO_PAGES == EN_PAGES, (
        f"pages only in English: {sorted(set(EN_PAGES) - set(KO_PAGES))}; "
        f"only in Korean: {sorted(set(KO_PAGES) - set(EN_PAGES))}"
    )


@pytest.mark.parametrize("page", SWITCH_PAGES)
def test_every_page_declares_its_language_and_links_its_counterpart(page):
    en, ko = _head(SITE / page), _head(KO / page)
    assert en.lang == "en" and ko.lang == "ko", (en.lang, ko.lang)
    assert len(en.switch) == 1 and len(ko.switch) == 1, "one language switch per page"
    to_ko, to_en = en.switch[0], ko.switch[0]
    assert (to_ko["hreflang"], to_en["hreflang"]) == ("ko", "en")
    assert ((SITE / page).parent / to_ko["href"]).resolve() == (KO / page).resolve(), to_ko
    assert ((KO / page).parent / to_en["href"]).resolve() == (SITE / page).resolve(), to_en


def test_language_switch_works_both_ways(browser_context, server):
    page = "chapters/04-cross-entropy.html" if (SITE / "chapters/04-cross-entropy.html").exists() \
        else SWITCH_PAGES[0]
    tab = browser_context.new_page()
    tab.goto(server.url(page), wait_until="load")
    assert tab.eval_on_selector(".lossbook-language-switch", "a => a.innerText").strip() == "한국어"
    tab.click(".lossbook-language-switch")
    tab.wait_for_load_state("load")
    assert urlsplit(tab.url).path == f"/ko/{page}"
    assert tab.evaluate("document.documentElement.lang") == "ko"
    assert tab.eval_on_selector(".lossbook-language-switch", "a => a.innerText").strip() == "English"
    tab.click(".lossbook-language-switch")
    tab.wait_for_load_state("load")
    assert urlsplit(tab.url).path == f"/{page}"
    assert tab.evaluate("document.documentElement.lang") == "en"
    tab.close()


def _subsection_ids(path: Path) -> list[str]:
    """The ids of a page's headed sections below its title, in page order."""
    html = path.read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    return re.findall(r'<section id="([^"]+)">\s*<h[2-6][ >]', main)


@pytest.mark.parametrize("page", SWITCH_PAGES)
def test_both_editions_give_each_section_the_same_id(page):
    """The language switch opens the other edition at the section being read, by its id."""
    assert _subsection_ids(KO / page) == _subsection_ids(SITE / page)


def test_language_switch_opens_the_section_being_read(browser_context, server):
    pages = [p for p in SWITCH_PAGES if len(_subsection_ids(SITE / p)) >= 3]
    assert pages, "no page with three sections"
    page = max(pages, key=lambda p: len(_subsection_ids(SITE / p)))
    section = _subsection_ids(SITE / page)[len(_subsection_ids(SITE / page)) // 2]
    tab = browser_context.new_page()
    for start, other in ((page, f"ko/{page}"), (f"ko/{page}", page)):
        tab.goto(server.url(start), wait_until="load")
        tab.wait_for_load_state("networkidle")
        # A reader who scrolled there, reading the section's first lines; the switch is clicked
        # in the page (Playwright's own click would first scroll the sticky header "into view").
        tab.evaluate("id => document.getElementById(id).scrollIntoView()", section)
        with tab.expect_navigation():
            tab.evaluate("document.querySelector('.lossbook-language-switch').click()")
        there = urlsplit(tab.url)
        assert (there.path, there.fragment) == (f"/{other}", section), tab.url
        assert tab.evaluate("id => document.getElementById(id) !== null", section)
    # At the top of a page there is no section to keep: the switch opens the page's top.
    tab.evaluate("window.scrollTo(0, 0)")
    with tab.expect_navigation():
        tab.evaluate("document.querySelector('.lossbook-language-switch').click()")
    assert (urlsplit(tab.url).path, urlsplit(tab.url).fragment) == (f"/ko/{page}", "")
    tab.close()


def test_korean_table_of_contents_is_korean():
    """The sidebar's part captions come from _toc.yml; the Korean pages show them translated."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    english = [part["caption"] for part in toc["parts"] if part.get("caption")]
    assert english
    for page in [p for p in KO_PAGES if p != "index.html"]:  # index.html only redirects
        html = (KO / page).read_text(encoding="utf-8")
        shown = [c.strip() for c in re.findall(r'class="caption-text">([^<]*)<', html)]
        assert shown, f"ko/{page}: no table-of-contents captions found"
        left = [c for c in shown if c in english]
        assert not left, f"ko/{page}: table-of-contents captions still in English: {left}"


def test_korean_site_has_its_own_title():
    en_title = re.search(r"<title>(.*?)</title>", (SITE / "intro.html").read_text("utf-8"), re.S)
    ko_title = re.search(r"<title>(.*?)</title>", (KO / "intro.html").read_text("utf-8"), re.S)
    assert en_title and ko_title and en_title.group(1) != ko_title.group(1)
    assert re.search("[\uac00-\ud7a3]", ko_title.group(1)), ko_title.group(1)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_korean_launch_buttons_open_the_korean_notebook(visit, notebook):
    korean = f"ko/{notebook}"
    assert (ROOT / korean).exists(), f"{korean} is missing: run `make translations`"
    page = "ko/" + notebook.removesuffix(".ipynb") + ".html"
    anchors = visit(page).anchors
    binder = [a for a in anchors if a.startswith(CONFIG["launch_buttons"]["binderhub_url"])]
    colab = [a for a in anchors if a.startswith(CONFIG["launch_buttons"]["colab_url"])]
    assert binder == [
        f"{CONFIG['launch_buttons']['binderhub_url']}/v2/gh/{OWNER_REPO}/{BRANCH}"
        f"?urlpath=tree/{korean}"
    ], binder
    assert colab == [
        f"{CONFIG['launch_buttons']['colab_url']}/github/{OWNER_REPO}/blob/{BRANCH}/{korean}"
    ], colab
    po = f"{editions.get('ko').catalogues}/{notebook.removesuffix('.ipynb')}.po"
    assert (ROOT / po).exists(), po
    assert f"{REPO_URL}/edit/{BRANCH}/{po}" in anchors, "edit button should open the catalogue"
    download = [a for a in anchors if a.endswith(f"/_sources/{notebook}")]
    assert download, "download button missing"
    assert (KO / "_sources" / notebook).read_bytes() == (ROOT / korean).read_bytes(), (
        "the Korean page's .ipynb download is not the Korean notebook"
    )


def test_korean_stemmer_is_the_same_in_the_browser(browser_context, server):
    words = ["손실", "손실은", "함수는", "함수를", "엔트로피의", "엔트로피에서는", "오차가", "정확도",
             "정확도는", "경사", "하강법으로", "계산합니다", "softmax를", "MSE", "이"]
    tab = browser_context.new_page()
    tab.goto(server.url("ko/search.html"), wait_until="load")
    stems = tab.evaluate("ws => { const s = new Stemmer(); return ws.map(w => s.stemWord(w)); }",
                         words)
    tab.close()
    assert stems == [lossbook_i18n.stem_korean(w) for w in words]


@pytest.mark.parametrize(("page", "term"), sorted(KOREAN_TERMS.items()))
def test_korean_search_finds_chapter_by_its_korean_term(browser_context, server, page, term):
    assert (KO / page).exists(), f"{page} is not in the Korean site"
    found = search(browser_context, server, term, edition="ko/")
    assert f"ko/{page}" in found, f"searching {term!r} did not find ko/{page}; found {found}"


def test_korean_pages_name_korean_system_fonts_and_download_no_web_font(browser_context, server):
    page = "ko/intro.html"
    tab = browser_context.new_page()
    fonts = []
    tab.on("request", lambda r: fonts.append(r.url) if r.resource_type == "font" else None)
    tab.goto(server.url(page), wait_until="load")
    tab.wait_for_load_state("networkidle")
    family = tab.evaluate("getComputedStyle(document.querySelector('.bd-article')).fontFamily")
    tab.close()
    for name in ("Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR"):
        assert name in family, family
    text_fonts = [u for u in fonts if "fontawesome" not in u and "/katex/" not in u]
    assert not text_fonts, f"web fonts downloaded for text: {text_fonts}"
