"""Fixtures of the browser tests: the built site on 127.0.0.1, a headless Chromium, one visit per page.

Each page is opened once (``visit(page)`` caches a PageReport); the tests in test_site.py then
check one property each, so a failure names the page and the property.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sitekit import (
    SITE,
    WEIGHTS,
    SiteServer,
    axe_js,
    chromium,
    is_local,
    launch,
)

from booktools.browser import NoBrowser


@dataclass
class PageReport:
    page: str
    status: int | None = None
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # local requests that failed or gave >= 400
    console_errors: list[str] = field(default_factory=list)
    math_total: int = 0  # elements Sphinx marked as math
    math_typeset: int = 0  # of those, how many hold KaTeX's HTML and its MathML
    math_errors: list[str] = field(default_factory=list)  # TeX that KaTeX could not typeset
    images: list[dict] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # every <a href>, resolved by the browser
    axe: list[dict] = field(default_factory=list)  # serious/critical violations
    dark_images: list[dict] = field(default_factory=list)  # content images, seen in dark mode
    icons: list[dict] = field(default_factory=list)  # Font Awesome glyphs drawn by CSS


def pytest_collection_modifyitems(items):
    """Every browser test is in the ``site`` group (a slow one: `make check` leaves it out)."""
    for item in items:
        item.add_marker(pytest.mark.site)


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"No built site at {SITE}: run `make book-strict` first.")
    return SITE


@pytest.fixture(scope="session")
def server(site):
    with SiteServer(site) as srv:
        yield srv


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    try:
        chromium()
        axe_js()
    except NoBrowser as err:  # never a skip: the message says the command that gets one
        pytest.fail(str(err))
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser_context(playwright_instance, tmp_path_factory):
    """One Chromium with a fresh profile; every request that would leave 127.0.0.1 is aborted."""
    context = launch(playwright_instance, tmp_path_factory.mktemp("chromium-profile"))
    context.outside_requests = []

    def guard(route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            context.outside_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    yield context
    context.close()


# axe-core over the whole page except two kinds of markup that are not ours and make axe slow
# (a chapter has ~10,000 elements): KaTeX's HTML output (aria-hidden: readers of assistive
# technology get the MathML that KaTeX writes beside it) and the syntax-highlighted code
# tokens (colours of the theme's Pygments style, checked for contrast on the first code blocks
# of each page below).
# preload: false: axe-core 4.12's CSSOM preload (used only by css-orientation-lock) resolves a
# stylesheet's relative @import against the site root and requests /basic.css, a 404 the page
# itself never makes.
_AXE_RUN = """async () => {
  const keep = v => v.impact === 'serious' || v.impact === 'critical';
  const shape = v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200)}))});
  const main = await axe.run({exclude: [['.katex-html'], ['div.highlight']]},
                             {resultTypes: ['violations'], preload: false});
  const code = [...document.querySelectorAll('div.highlight')].slice(0, 3);
  let contrast = [];
  if (code.length) {
    const r = await axe.run({include: code},
      {runOnly: {type: 'rule', values: ['color-contrast']}, resultTypes: ['violations'],
       preload: false});
    contrast = r.violations;
  }
  return main.violations.concat(contrast).filter(keep).map(shape);
}"""

# Dark theme: every content image must be opaque or sit on a light background.
_DARK_IMAGES = """() => {
  document.documentElement.dataset.mode = 'dark';
  document.documentElement.dataset.theme = 'dark';
  return [...document.querySelectorAll('.bd-content img')].map(img => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d'); g.drawImage(img, 0, 0);
    const w = c.width - 1, h = c.height - 1;
    const corners = [[0, 0], [w, 0], [0, h], [w, h]]
      .map(([x, y]) => g.getImageData(x, y, 1, 1).data[3]);
    const bg = (getComputedStyle(img).backgroundColor.match(/[0-9.]+/g) || []).map(Number);
    const lightBg = bg.length >= 3 && (bg.length < 4 || bg[3] === 1) && bg[0] + bg[1] + bg[2] > 600;
    return {src: img.src, opaque: corners.every(a => a === 255), lightBg};
  });
}"""

_COLLECT = """() => {
  const math = [...document.querySelectorAll('.math')];
  return {
    math_total: math.length,
    math_typeset: math.filter(m => m.querySelector('.katex-html[aria-hidden="true"]')
                                 && m.querySelector('.katex-mathml math')).length,
    math_errors: [...document.querySelectorAll('.katex-error')].map(e => e.textContent),
    images: [...document.querySelectorAll('img')].map(i => ({
      src: i.currentSrc || i.src, alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0,
      content: !!i.closest('.bd-content')})),
    anchors: [...document.querySelectorAll('a[href]')].map(a => a.href),
    icons: [...document.querySelectorAll('body *')].flatMap(el => ['::before', '::after'].map(p => {
      const cs = getComputedStyle(el, p);
      const m = /Font Awesome/.test(cs.fontFamily) && /^"(.)"$/u.exec(cs.content);
      return m ? {cp: m[1].codePointAt(0), brands: /Brands/.test(cs.fontFamily),
                  weight: cs.fontWeight, where: String(el.className).slice(0, 60)} : null;
    })).filter(Boolean),
  };
}"""


@pytest.fixture(scope="session")
def visit(browser_context, server):
    """visit(page) -> PageReport: open the page once, with axe-core, and remember what happened."""
    cache: dict[str, PageReport] = {}
    axe_source = axe_js().read_text(encoding="utf-8")

    def _visit(page_path: str) -> PageReport:
        if page_path in cache:
            return cache[page_path]
        report = PageReport(page_path)
        page = browser_context.new_page()
        page.on("request", lambda r: report.requests.append(r.url))
        page.on(
            "requestfailed",
            lambda r: report.failed.append(f"{r.url} ({r.failure})") if is_local(r.url) else None,
        )
        page.on(
            "response",
            lambda r: report.failed.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400 and is_local(r.url)
            else None,
        )

        def on_console(msg):
            if msg.type == "error":
                where = (msg.location or {}).get("url", "")
                # A request we aborted because it left the host is reported by its own test.
                if where and not is_local(where):
                    return
                report.console_errors.append(f"{msg.text} [{where}]")

        page.on("console", on_console)
        page.on("pageerror", lambda err: report.console_errors.append(f"uncaught: {err}"))
        response = page.goto(server.url(page_path), wait_until="load")
        report.status = response.status if response else None
        page.wait_for_load_state("networkidle")
        data = page.evaluate(_COLLECT)
        report.math_total = data["math_total"]
        report.math_typeset = data["math_typeset"]
        report.math_errors = data["math_errors"]
        report.images = data["images"]
        report.anchors = data["anchors"]
        report.icons = data["icons"]
        page.add_script_tag(content=axe_source)
        report.axe = page.evaluate(_AXE_RUN)
        report.dark_images = page.evaluate(_DARK_IMAGES)
        page.close()
        cache[page_path] = report
        return report

    return _visit


def pytest_terminal_summary(terminalreporter):
    """Show the page-weight numbers the weight test recorded."""
    for w in WEIGHTS:
        terminalreporter.write_line(
            f"page weight of {w['page']} with its assets (empty cache): {w['requests']} requests, "
            f"{w['raw'] / 1024:.0f} KiB raw, {w['gzip'] / 1024:.0f} KiB gzip"
        )
