"""Shared helpers of the browser tests: serve the built site, start Debian's Chromium, measure pages.

Used by conftest.py and by ``python tests/browser/sitekit.py weight`` (page weight report).
Nothing here downloads anything: Chromium is /usr/bin/chromium (tests/browser/setup.sh installs
it), axe-core comes from tests/browser/node_modules (``npm ci``).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SITE = Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html")).resolve()
# The notebooks, and the repository the launch and edit buttons point at (_config.yml).
NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "chapters").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPO_URL = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"].get("branch", "main")
OWNER_REPO = urlsplit(REPO_URL).path.strip("/")
CHROMIUM = os.environ.get("LOSSBOOK_CHROMIUM", "/usr/bin/chromium")
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
# Headless Chromium flags: no sandbox (containers run it as root, where the sandbox refuses to
# start), no GPU, /tmp instead of a small /dev/shm; and without the background-networking ones
# Chromium tries to reach Google's hosts at every start (the tests allow only 127.0.0.1).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WEIGHTS: list[dict] = []  # page weights measured in this session (shown in pytest's summary)
INSTALL_HINT = (
    "Run `bash tests/browser/setup.sh` (as root it installs Debian's chromium; otherwise run "
    "`sudo apt-get update && sudo apt-get install -y chromium`)."
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A crawler or browser that closes a connection before the whole file is sent (LinkChecker
        # reads only what it needs) is not an error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    """The built site on 127.0.0.1 at a free port, served by a thread."""

    def __init__(self, directory: Path = SITE):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, page: str) -> str:
        return f"{self.origin}/{page}"


def is_local(url: str) -> bool:
    """True for requests that stay on this host (and for data:/blob:/about: urls)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome-error"}:
        return True
    return parts.hostname == "127.0.0.1"


def launch(playwright, user_data_dir: Path):
    """A headless Chromium context with a fresh profile directory."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium is missing at {CHROMIUM}. {INSTALL_HINT}")
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
        service_workers="block",
    )


def html_pages(site: Path = SITE) -> list[str]:
    """Every html page the build produced, relative to the site root, sorted."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        # ko/_static, ko/_sources: the Korean edition's own copies (_build/html/ko).
        if not {"_static", "_sources"} & set(p.relative_to(site).parts[:-1])
    )


def wait_for_mathjax(page) -> None:
    """Wait until MathJax has typeset the page (no-op on pages without MathJax)."""
    page.wait_for_function(
        "() => !document.querySelector('script[src*=\"mathjax\"]')"
        " || (window.MathJax && MathJax.startup && MathJax.startup.promise)",
        timeout=20_000,
    )
    page.evaluate(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
        " ? MathJax.startup.promise.then(() => true) : true"
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


def _weight_report(argv: list[str]) -> int:
    import tempfile

    from playwright.sync_api import sync_playwright

    pages = argv or [p for p in html_pages() if p.startswith("chapters/")]
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
    import sys

    if len(sys.argv) < 2 or sys.argv[1] != "weight":
        print("usage: python tests/browser/sitekit.py weight [page.html ...]")
        raise SystemExit(2)
    raise SystemExit(_weight_report(sys.argv[2:]))


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
        timeout=20_000,
    )
    hits = tab.eval_on_selector_all("ul.search li a", "as => as.map(a => a.href)")
    tab.close()
    return [urlsplit(h).path.lstrip("/") for h in hits]


# The budget of a chapter page's shell: its assets without the page's own HTML and figures.
# Measured 2026-11: about 2.2 MiB raw / 0.75 MiB gzip (MathJax is half of it).
SHELL_BUDGET_RAW = 2.6 * 2**20
SHELL_BUDGET_GZIP = 0.95 * 2**20


def shell_weight(browser_context, server, page: str) -> tuple[list, int, int]:
    """Weigh ``page`` with its assets (kept for pytest's summary); return the shell's requests
    (url, raw bytes, gzip bytes) and their raw and gzip totals."""
    w = measure_weight(browser_context, server.url(page))
    WEIGHTS.append(w | {"page": page})
    shell = [r for r in w["rows"] if "/_images/" not in r[0] and not r[0].endswith(page)]
    return shell, sum(r[1] for r in shell), sum(r[2] for r in shell)
