#!/usr/bin/env bash
# Installs what the browser tests (tests/browser) need on a fresh machine; `make site-test` runs it.
#   - Debian's Chromium at /usr/bin/chromium (apt-get, when running as root; CI does)
#   - Node.js/npm (apt-get, when running as root), then `npm ci` here for axe-core
# Python's playwright comes from requirements.txt. We never run `playwright install`: the tests
# drive the system Chromium through executable_path.
# When something cannot be installed, this script stops with the exact command to run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chromium="${LOSSBOOK_CHROMIUM:-/usr/bin/chromium}"

apt_install() {
    # apt_install PACKAGE...: install Debian packages when we are root and apt-get exists.
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup.sh: installing $* with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q && apt-get install -y -q "$@"
    else
        return 1
    fi
}

if [ ! -x "$chromium" ]; then
    apt_install chromium || true
fi
if [ ! -x "$chromium" ]; then
    echo "setup.sh: Chromium is missing at $chromium and could not be installed (needs root)." >&2
    echo "setup.sh: run this, then 'make site-test' again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2
    exit 1
fi
if ! "$chromium" --version >/dev/null 2>&1; then
    echo "setup.sh: $chromium is installed but does not start:" >&2
    "$chromium" --version >&2 || true
    echo "setup.sh: reinstall it with: sudo apt-get install --reinstall -y chromium" >&2
    exit 1
fi
echo "setup.sh: $("$chromium" --version)"

if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm || true
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "setup.sh: npm is missing and could not be installed (needs root)." >&2
    echo "setup.sh: run this, then 'make site-test' again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y nodejs npm" >&2
    exit 1
fi

# npm ci only when node_modules does not match the lock file.
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.package-lock.json.installed" 2>/dev/null \
        || [ ! -f "$here/node_modules/axe-core/axe.min.js" ]; then
    echo "setup.sh: npm ci in tests/browser"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$here/package-lock.json" "$here/node_modules/.package-lock.json.installed"
fi
echo "setup.sh: axe-core $(cd "$here" && node -p 'require("axe-core/package.json").version')"
