"""What a reader downloads to open a page of the built site, with an empty cache.

    python -m booktools.pageweight [page.html ...]     (default: every chapter page)

prints the requests, raw bytes and gzip bytes of each page with its assets, largest first.
The browser tests use ``measure_weight`` to hold a chapter page's shell to its budget.
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from booktools.browser import SITE, SiteServer, launch, wait_for_mathjax


def html_pages(site: Path = SITE) -> list[str]:
    """Every html page the build produced, relative to the site root, sorted."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        # ko/_static, ko/_sources: the Korean edition's own copies (_build/html/ko).
        if not {"_static", "_sources"} & set(p.relative_to(site).parts[:-1])
    )


def measure_weight(context, url: str) -> dict:
    """Bytes a reader downloads to open ``url`` with an empty cache: raw and gzip (level 6).

    Every response body is counted once; fonts and images are counted as they are (gzip of
    already-compressed formats changes little). Returns totals and the per-url list.
    """
    page = context.new_page()
    bodies: dict[str, bytes] = {}

    def on_response(response):
        try:
            bodies[response.url] = response.body()
        except Exception:  # redirects and aborted requests have no body
            bodies.setdefault(response.url, b"")

    page.on("response", on_response)
    page.goto(url, wait_until="load")
    wait_for_mathjax(page)
    page.wait_for_load_state("networkidle")
    page.close()
    rows = []
    for u, body in bodies.items():
        path = urlsplit(u).path
        rows.append((path, len(body), len(gzip.compress(body, compresslevel=6))))
    rows.sort(key=lambda r: -r[1])
    return {
        "url": url,
        "requests": len(rows),
        "raw": sum(r[1] for r in rows),
        "gzip": sum(r[2] for r in rows),
        "rows": rows,
    }


def report(pages: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    pages = pages or [p for p in html_pages() if p.startswith("chapters/")]
    with SiteServer() as server, sync_playwright() as pw, tempfile.TemporaryDirectory() as prof:
        context = launch(pw, Path(prof))
        context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda r: r.abort())
        for page in pages:
            w = measure_weight(context, server.url(page))
            print(f"{page}: {w['requests']} requests, raw {w['raw'] / 1024:.0f} KiB, "
                  f"gzip {w['gzip'] / 1024:.0f} KiB")
            for path, raw, gz in w["rows"][:12]:
                print(f"    {raw / 1024:8.1f} KiB  gzip {gz / 1024:7.1f} KiB  {path}")
        context.close()
    return 0


if __name__ == "__main__":
    sys.exit(report(sys.argv[1:]))
