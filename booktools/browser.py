"""A Chromium and axe-core for the browser tests, without root, apt or Node where possible.

    python -m booktools.browser        (``make browser-tools``; ``make test`` runs it)

finds a Chromium in this order and prints which one the tests will use:

1. ``$LOSSBOOK_CHROMIUM``, when set (it must start);
2. one the machine already has: Debian's ``chromium``, Google Chrome or Chromium on the ``PATH``
   or in macOS's Applications (Ubuntu's ``chromium-browser`` is a stub for a snap: skipped);
3. playwright's own (``python -m playwright install chromium``: a download into the user's cache,
   no root), installed here when none of the above exists;
4. only as root on Debian (where playwright's download cannot be reached, as in our CI), Debian's
   ``chromium`` with apt-get.

When none can be had it stops with the one command that gets one: the tests never skip.
axe-core comes from the pinned PyPI package axe-playwright-python (MPL-2.0, as axe-core), which
ships ``axe.min.js``: no npm. The rest are the helpers the tests and the page-weight tool share:
serve the built site on 127.0.0.1 and start a headless Chromium that cannot leave it.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

from booktools import ROOT

SITE = Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html")).resolve()
AXE_PACKAGE = "axe_playwright_python"
PLAYWRIGHT_INSTALL = [sys.executable, "-m", "playwright", "install", "chromium"]
MACOS_APPS = [
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
]
ON_PATH = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"]
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


class NoBrowser(RuntimeError):
    """No Chromium can be had here; the message says the command that gets one."""


def _version(path: str) -> str | None:
    """``path --version`` when it is a working Chrome or Chromium, else None."""
    if "/snap/" in os.path.realpath(path):
        return None  # Ubuntu's snap stub or snap confinement: not usable headless from here
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = out.stdout.strip()
    return text if out.returncode == 0 and "chrom" in text.lower() else None


def _playwright_chromium() -> str | None:
    """The Chromium that ``playwright install chromium`` put in the user's cache, if any."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:  # no playwright, or its driver cannot start: no browser from it
        return None
    return path if path and Path(path).exists() else None


def installed_chromium() -> tuple[str, str] | None:
    """(path, where it comes from) of the first usable Chromium, in the order of the docstring."""
    wanted = os.environ.get("LOSSBOOK_CHROMIUM")
    if wanted:
        if _version(wanted):
            return wanted, "LOSSBOOK_CHROMIUM"
        raise NoBrowser(f"LOSSBOOK_CHROMIUM={wanted} does not start as a Chromium "
                        f"(`{wanted} --version` fails). Point it at a Chrome or Chromium, or unset it.")
    for path in [shutil.which(name) for name in ON_PATH] + MACOS_APPS:
        if path and Path(path).exists() and _version(path):
            return path, "installed on this machine"
    path = _playwright_chromium()
    if path:
        return path, "playwright's own (python -m playwright install chromium)"
    return None


@functools.cache
def chromium() -> str:
    """The Chromium the browser tests drive, or NoBrowser with the command that gets one."""
    found = installed_chromium()
    if found is None:
        raise NoBrowser(no_browser_message())
    return found[0]


def no_browser_message() -> str:
    return ("No Chrome or Chromium found for the browser tests. Get one with:\n"
            "    .venv/bin/python -m playwright install chromium\n"
            "(no root needed; or install Google Chrome, or Debian's `chromium` package, or set "
            "LOSSBOOK_CHROMIUM to a Chrome or Chromium), then run `make test` again.")


def _is_debian_root() -> bool:
    return (os.geteuid() == 0 and shutil.which("apt-get") is not None
            and Path("/etc/debian_version").exists()
            and "ubuntu" not in Path("/etc/os-release").read_text(errors="ignore").lower())


def axe_js() -> Path:
    """axe-core's browser script, from the pinned PyPI package that ships it."""
    spec = importlib.util.find_spec(AXE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise NoBrowser(f"axe-core is missing: the package {AXE_PACKAGE} is not installed. "
                        "Run `make venv` (requirements.txt pins it).")
    return Path(spec.submodule_search_locations[0]) / "axe.min.js"


def setup() -> int:
    """Find or install a Chromium; say which one. 0 when the browser tests can run."""
    found = installed_chromium()
    if found is None:
        print("booktools.browser: no Chromium yet; trying playwright's own (no root needed)")
        try:
            subprocess.run(PLAYWRIGHT_INSTALL, timeout=600, check=False)
        except subprocess.TimeoutExpired:
            print("booktools.browser: playwright's download did not finish in 10 minutes")
        found = installed_chromium()
    if found is None and _is_debian_root():
        print("booktools.browser: installing Debian's chromium with apt-get (running as root)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=env, check=False)
        found = installed_chromium()
    if found is None:
        print(no_browser_message(), file=sys.stderr)
        return 1
    path, origin = found
    print(f"booktools.browser: {_version(path)} at {path} ({origin})")
    try:
        print(f"booktools.browser: axe-core from {axe_js()}")
    except NoBrowser as err:
        print(err, file=sys.stderr)
        return 1
    return 0


# --- the site on 127.0.0.1 and a browser that cannot leave it -------------------------------------

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


# How long any wait of a browser test may take before it fails. Not a measure of speed: a page
# that loads does so within seconds on an idle machine, and a busy or slow one (both cores taken
# by other work) needs several times that; only a page that never loads should fail.
WAIT_MS = 180_000


def launch(playwright, user_data_dir: Path):
    """A headless Chromium context with a fresh profile directory."""
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=chromium(),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
        service_workers="block",
    )
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    return context


if __name__ == "__main__":
    sys.exit(setup())
