"""What a reader downloads to open a page of the built site, with an empty cache.

    python -m booktools.pageweight [page.html ...]     (default: every page of both editions)

prints, for each page, its requests and its raw and gzip bytes with every asset, its budget and
its verdict, then the heaviest assets of the pages over budget (or of the heaviest page), and
any request for something outside the site. It exits 1 when a page is over its budget or asks
for anything outside the site.

The budget (gzip level 6, empty cache): a numbered chapter (the ``numbered`` part of
``_toc.yml``) at most CHAPTER_BUDGET, any other page at most PAGE_BUDGET. The browser tests
(``tests/browser/test_site.py``) hold every page of both editions to it with ``measure_weight``.
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from booktools import ROOT
from booktools.browser import SITE, SiteServer, launch

KIB = 1024
CHAPTER_BUDGET = 350 * KIB
PAGE_BUDGET = 250 * KIB
LOCAL = re.compile(r"^http://127\.0\.0\.1[:/]")


def html_pages(site: Path = SITE) -> list[str]:
    """Every html page the build produced, relative to the site root, sorted."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        # ko/_static, ko/_sources: the Korean edition's own copies (_build/html/ko).
        if not {"_static", "_sources"} & set(p.relative_to(site).parts[:-1])
    )


def numbered_chapters() -> set[str]:
    """The pages (``chapters/01-....html``) of the numbered parts of ``_toc.yml``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return {chapter["file"] + ".html" for part in toc.get("parts", []) if part.get("numbered")
            for chapter in part.get("chapters", [])}


def budget(page: str) -> int:
    """The gzip bytes ``page`` (a path from the site root, in any edition) may weigh.

    An edition other than the first lives in a folder of the site root (``<edition>/chapters/...``),
    so a page is a numbered chapter when its path, or its path below that first folder, is one.
    """
    chapters = numbered_chapters()
    below = page.split("/", 1)[1] if "/" in page else ""
    return CHAPTER_BUDGET if page in chapters or below in chapters else PAGE_BUDGET


def measure_weight(context, url: str) -> dict:
    """Bytes a reader downloads to open ``url`` with an empty cache: raw and gzip (level 6).

    Every response body is counted once; fonts and images are counted as they are (gzip of
    already-compressed formats changes little). Returns totals, the per-url list (largest
    first) and ``outside``: every request for something not on the local site server.
    """
    page = context.new_page()
    bodies: dict[str, bytes] = {}
    outside: list[str] = []

    def on_request(request):
        if not LOCAL.match(request.url) and not request.url.startswith(("data:", "blob:")):
            outside.append(request.url)

    def on_response(response):
        try:
            bodies[response.url] = response.body()
        except Exception:  # redirects and aborted requests have no body
            bodies.setdefault(response.url, b"")

    page.on("request", on_request)
    page.on("response", on_response)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.close()
    rows = []
    for u, body in bodies.items():
        path = urlsplit(u).path
        rows.append((path, len(body), len(gzip.compress(body, compresslevel=6))))
    rows.sort(key=lambda r: -r[2])
    return {
        "url": url,
        "requests": len(rows),
        "raw": sum(r[1] for r in rows),
        "gzip": sum(r[2] for r in rows),
        "rows": rows,
        "outside": outside,
    }


def weigh(pages: list[str]) -> list[dict]:
    """Measure ``pages`` (paths from the site root) in one headless Chromium, nothing outside
    the site reachable; each result also has ``page`` and ``budget``."""
    from playwright.sync_api import sync_playwright

    results = []
    with SiteServer() as server, sync_playwright() as pw, tempfile.TemporaryDirectory() as prof:
        context = launch(pw, Path(prof))
        context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda r: r.abort())
        for page in pages:
            results.append(measure_weight(context, server.url(page))
                           | {"page": page, "budget": budget(page)})
        context.close()
    return results


def report(pages: list[str]) -> int:
    pages = pages or html_pages()
    results = weigh(pages)
    for w in sorted(results, key=lambda w: -w["gzip"]):
        verdict = "ok" if w["gzip"] <= w["budget"] and not w["outside"] else "OVER"
        print(f"{w['page']}: {w['requests']} requests, raw {w['raw'] / KIB:.0f} KiB, "
              f"gzip {w['gzip'] / KIB:.0f} KiB of {w['budget'] // KIB} KiB: {verdict}")
        for url in w["outside"]:
            print(f"    outside the site: {url}")
    failing = [w for w in results if w["gzip"] > w["budget"] or w["outside"]]
    for w in failing or [max(results, key=lambda w: w["gzip"])]:
        print(f"\n{w['page']}, its heaviest requests (gzip):")
        for path, raw, gz in w["rows"][:12]:
            print(f"    {gz / KIB:7.1f} KiB  (raw {raw / KIB:7.1f})  {path}")
    print(f"\n{len(results)} pages, {len(failing)} over budget or reaching outside the site")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(report(sys.argv[1:]))
