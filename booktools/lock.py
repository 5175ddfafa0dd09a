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
``disagreements`` says where the lock and the lists disagree; ``tests/test_lock.py`` fails on
what it says.
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
import tempfile
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


# --- agreement -----------------------------------------------------------------------------------

def closure(names) -> set[str]:
    """The names and every dependency they declare as installed here (for this platform, no
    extras), transitively; a name that is not installed stands for itself."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement

    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(normalise(req.name))
    return seen


def disagreements(lock: Path = LOCK, lists: tuple[Path, ...] = LISTS) -> list[str]:
    """Where ``lock`` and the requirement lists disagree: a listed pin the lock lacks or pins at
    another version, and a package the lists pull in (as installed here) that the lock leaves
    floating. Empty when they agree."""
    locked = pins(lock)
    listed = {name: version for path in lists for name, version in pins(path).items()}
    found = []
    for name, version in sorted(listed.items()):
        if name not in locked:
            found.append(f"{name} is in the requirement lists but not in {lock.name}")
        elif locked[name] != public_version(version):
            found.append(f"{name}: the lists pin {version}, {lock.name} {locked[name]}")
    floating = sorted(closure([*listed, "numpy", "matplotlib"]) - {"lossbook"} - set(locked) - set(listed))
    if floating:
        found.append(f"not in {lock.name} (they would float): {floating}")
    return found


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

# The oldest Python the lock must install on: Debian bookworm's python3 (a contributor's
# `python3 -m venv`); CI's image and Binder have newer 3.11 releases. Newer releases of some
# packages require a newer 3.11 and would not install there.
LOWEST_PYTHON = "3.11.2"


def _listed() -> list[str]:
    """The pins of both lists (requirements.txt includes requirements-book.txt), as pip lines."""
    return [f"{name}=={version}" for name, version in pins(ROOT / "requirements.txt").items()]


def resolve() -> dict[str, str]:
    """What pip would install today for the lists into an empty environment of LOWEST_PYTHON on
    this platform (Linux x86_64 for the lock we commit), from PyPI alone (``--isolated``: no pip
    configuration, local wheel folders or mirrors), so that every pin can be had wherever PyPI
    can be reached. torch resolves to PyPI's Linux build, so its CUDA libraries are pinned too
    (they are installed only where PyTorch's CPU-only index cannot be reached)."""
    with tempfile.TemporaryDirectory() as tmp:
        listed = Path(tmp) / "requirements.txt"
        listed.write_text("\n".join(_listed()) + "\n", encoding="utf-8")
        out = subprocess.run(
            [*PIP, "--isolated", "install", "--dry-run", "--ignore-installed", "--quiet",
             "--report", "-", "--python-version", LOWEST_PYTHON, "--only-binary=:all:",
             "--target", str(Path(tmp) / "unused"), "-r", str(listed)],
            check=True, capture_output=True, text=True, cwd=ROOT)
    report = json.loads(out.stdout)
    return {normalise(item["metadata"]["name"]): public_version(item["metadata"]["version"])
            for item in report["install"]}


def update() -> int:
    resolved = resolve()
    lines = [
        "# Every package `make book` and `make test` install, pinned: the resolution of",
        "# requirements.txt and requirements-book.txt by pip from PyPI alone, for Linux x86_64 and",
        f"# Python {LOWEST_PYTHON} or newer (torch's CUDA libraries too: they are installed only where",
        "# PyTorch's CPU-only index cannot be reached).",
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
