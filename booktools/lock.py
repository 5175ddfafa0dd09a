"""The lock file: every package `make book` and `make test` install, transitive ones included.

    python -m booktools.lock install REQUIREMENTS   install a list with the lock as constraints
                                                    (on Linux, torch from PyPI's CPU index first)
    python -m booktools.lock update                 write requirements.lock anew (``make lock``)

``requirements.txt`` and ``requirements-book.txt`` name what we use, pinned; ``requirements.lock``
pins everything they pull in, as resolved by pip on Linux with Python 3.11 (CI's and Binder's
platform). The Makefile installs every list with ``-c requirements.lock``, and so does Binder
(``binder/requirements.txt``), so a fresh install months from now gets the Sphinx, themes,
myst-nb and Jupyter clients the site extensions were written against. Other platforms may need a
package the lock does not name (``appnope`` on macOS): constraints do not forbid it.
``tests/test_lock.py`` fails when the lock and the lists disagree.
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from booktools import ROOT

LOCK = ROOT / "requirements.lock"
LISTS = (ROOT / "requirements-book.txt", ROOT / "requirements.txt")
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
PROBE_SECONDS = 5
PIP = [sys.executable, "-m", "pip"]


def pins(path: Path) -> dict[str, str]:
    """Normalised name -> pinned version of a requirements or lock file, following ``-r``."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if m := re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line):
            found[normalise(m.group(1))] = m.group(2)
        elif line.startswith("-r "):
            found |= pins(path.parent / line.removeprefix("-r ").strip())
    return found


def normalise(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def public_version(version: str) -> str:
    """``2.13.0+cpu`` -> ``2.13.0``: the lock pins the release, any build of it satisfies the pin."""
    return version.split("+", 1)[0]


# --- install --------------------------------------------------------------------------------------

def _cpu_index_answers() -> bool:
    try:
        with urllib.request.urlopen(f"{TORCH_CPU_INDEX}/torch/", timeout=PROBE_SECONDS) as r:
            return r.status == 200
    except OSError:
        return False


def _installed_torch() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("torch")
    except PackageNotFoundError:
        return None


def install_torch() -> None:
    """On Linux, the CPU-only torch wheel of the pinned version, when PyTorch's index answers.

    PyPI's Linux wheel of torch pulls in gigabytes of CUDA libraries that nothing here uses. Says
    which build it used; never waits more than a few seconds for the index.
    """
    wanted = pins(ROOT / "requirements.txt")["torch"]
    have = _installed_torch()
    if have and public_version(have) == wanted:
        print(f"booktools.lock: torch {have} is installed")
        return
    if platform.system() != "Linux":
        print(f"booktools.lock: torch {wanted} from the default index ({platform.system()} "
              "wheels have no CUDA libraries)")
        return
    if _cpu_index_answers():
        print(f"booktools.lock: torch {wanted}, the CPU-only build from {TORCH_CPU_INDEX}")
        subprocess.run([*PIP, "install", "--no-compile", "--no-deps", f"torch=={wanted}",
                        "--index-url", TORCH_CPU_INDEX], check=True)
    else:
        print(f"booktools.lock: {TORCH_CPU_INDEX} did not answer within {PROBE_SECONDS} s; "
              f"torch {wanted} comes from the default index (outside a network with its own "
              "CPU-only copy, that is the large CUDA build)")


def install(requirements: Path) -> int:
    if requirements.name == "requirements.txt":
        install_torch()
    subprocess.run([*PIP, "install", "--no-compile", "-r", str(requirements), "-c", str(LOCK)],
                   check=True)
    return 0


# --- update ---------------------------------------------------------------------------------------

def resolve() -> dict[str, str]:
    """What pip would install today for requirements.txt into an empty environment."""
    out = subprocess.run(
        [*PIP, "install", "--dry-run", "--ignore-installed", "--quiet", "--report", "-",
         "-r", str(ROOT / "requirements.txt")],
        check=True, capture_output=True, text=True, cwd=ROOT)
    report = json.loads(out.stdout)
    resolved = {}
    for item in report["install"]:
        meta = item["metadata"]
        if normalise(meta["name"]) != "lossbook":
            resolved[normalise(meta["name"])] = public_version(meta["version"])
    return resolved


def update() -> int:
    resolved = resolve()
    lines = [
        "# Every package `make book` and `make test` install, pinned: the resolution of",
        "# requirements.txt (which includes requirements-book.txt) by pip on Linux, Python 3.11.",
        "# Generated by `make lock` (booktools/lock.py); do not edit. Installed as constraints",
        "# (`pip install -r LIST -c requirements.lock`) by the Makefile and by Binder.",
        "",
        *[f"{name}=={resolved[name]}" for name in sorted(resolved)],
    ]
    LOCK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"booktools.lock: wrote {LOCK.name} with {len(resolved)} packages")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["install"] and len(argv) == 2:
        return install(Path(argv[1]))
    if argv == ["update"]:
        return update()
    print("usage: python -m booktools.lock {install REQUIREMENTS | update}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
