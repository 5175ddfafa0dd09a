"""Shared helpers of the browser tests, on top of booktools.browser (serve the site, start a
Chromium) and booktools.pageweight (measure a page).

Nothing here downloads anything: the Chromium is the one ``python -m booktools.browser`` found or
installed, and axe-core comes from a pinned PyPI package (axe-playwright-python).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import yaml

from booktools import ROOT, notebooks
from booktools.browser import (
    SITE,
    WAIT_MS,
    SiteServer,
    axe_js,
    chromium,
    is_local,
    launch,
)
from booktools.pageweight import budget, html_pages, measure_weight

__all__ = ["ROOT", "SITE", "SiteServer", "axe_js", "chromium", "html_pages", "is_local", "launch",
           "measure_weight", "search", "weigh"]

# The notebooks, and the repository the launch and edit buttons point at (_config.yml).
NOTEBOOKS = [p.relative_to(ROOT).as_posix() for p in notebooks()]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPO_URL = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"].get("branch", "main")
OWNER_REPO = urlsplit(REPO_URL).path.strip("/")
WEIGHTS: list[dict] = []  # page weights measured in this session (shown in pytest's summary)


def search(browser_context, server, term: str, *, edition: str = "") -> list[str]:
    """The pages (paths from the site root) that the site's own search lists for ``term``.

    ``edition`` is "" for English or "ko/" for Korean. Sphinx fills ``.search-summary`` only when
    the search has finished (with the count, or "did not match"), in either language.
    """
    tab = browser_context.new_page()
    tab.goto(server.url(f"{edition}search.html?q=" + term.replace(" ", "+")), wait_until="load")
    tab.wait_for_function(
        "() => { const s = document.querySelector('.search-summary');"
        " return s && s.innerText.trim().length > 0; }",
        timeout=WAIT_MS,
    )
    hits = tab.eval_on_selector_all("ul.search li a", "as => as.map(a => a.href)")
    tab.close()
    return [urlsplit(h).path.lstrip("/") for h in hits]


def weigh(browser_context, server, page: str) -> dict:
    """Weigh ``page`` with its assets, empty cache (kept for pytest's summary): the numbers of
    booktools.pageweight, with the page's budget."""
    w = measure_weight(browser_context, server.url(page)) | {"page": page, "budget": budget(page)}
    WEIGHTS.append(w)
    return w
