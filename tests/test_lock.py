"""requirements.lock agrees with the requirement lists: every pin there has the same version in
the lock, and the lock pins everything the lists pull in (their dependencies, as the installed
packages declare them), so no package floats."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution

import pytest
from packaging.requirements import Requirement

from booktools import lock

LOCKED = lock.pins(lock.LOCK)
LISTED = {name: version for path in lock.LISTS for name, version in lock.pins(path).items()}


@pytest.mark.parametrize("name", sorted(LISTED))
def test_every_pin_of_the_lists_is_in_the_lock(name):
    assert name in LOCKED, f"{name} is in the requirement lists but not in the lock: run `make lock`"
    assert LOCKED[name] == lock.public_version(LISTED[name]), (
        f"{name}: the lists pin {LISTED[name]}, the lock {LOCKED[name]}: run `make lock`")


def _closure(names) -> set[str]:
    """The names and every dependency they declare (for this platform, no extras), transitively."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue  # reported by the test below
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(lock.normalise(req.name))
    return seen


def test_the_lock_pins_every_package_the_lists_pull_in():
    needed = _closure(list(LISTED) + ["numpy", "matplotlib"]) - {"lossbook"}
    missing = sorted(needed - set(LOCKED))
    assert not missing, f"not in the lock (they would float): {missing}; run `make lock`"


def test_the_installed_environment_is_the_locked_one():
    """`make venv` installs with the lock as constraints: what the lists pull in here is what is
    locked (torch's CUDA libraries are locked too, and installed only with PyPI's CUDA build)."""
    differ = []
    for name in sorted(_closure(list(LISTED)) - {"lossbook"}):
        version = LOCKED.get(name)
        if version is None:
            continue  # reported by test_the_lock_pins_every_package_the_lists_pull_in
        try:
            installed = distribution(name).version
        except PackageNotFoundError:
            differ.append(f"{name} not installed")
            continue
        if lock.public_version(installed) != version:
            differ.append(f"{name} {installed} installed, {version} locked")
    assert not differ, differ


def test_a_lock_that_disagrees_is_caught(tmp_path):
    stale = tmp_path / "requirements.lock"
    stale.write_text("numpy==1.0.0\n", encoding="utf-8")
    assert lock.pins(stale)["numpy"] != lock.public_version(LISTED["numpy"])
