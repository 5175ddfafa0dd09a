"""requirements.lock agrees with the requirement lists: every pin there has the same version in
the lock, and the lock pins everything the lists pull in (their dependencies, as the installed
packages declare them), so no package floats. The checker (booktools.lock.disagreements) is the
one `make lock`'s users rely on; it is tested here on locks that disagree."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution

from booktools import lock

LOCKED = lock.pins(lock.LOCK)
LISTED = {name: version for path in lock.LISTS for name, version in lock.pins(path).items()}


def test_the_lock_agrees_with_the_lists():
    assert lock.disagreements() == [], "run `make lock`"


def _edited_lock(tmp_path, edit) -> object:
    """A copy of the real lock with ``edit`` applied to its lines."""
    stale = tmp_path / "requirements.lock"
    lines = lock.LOCK.read_text(encoding="utf-8").splitlines()
    stale.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return stale


def test_a_lock_that_disagrees_is_caught(tmp_path):
    """A listed pin at another version, a listed pin left out and a dependency of a listed package
    left out (so it would float): the checker names each."""
    numpy = lock.public_version(LISTED["numpy"])
    dependency = "contourpy"  # matplotlib's, not listed
    assert dependency in LOCKED and dependency not in LISTED

    def edit(lines):
        out = [line for line in lines if not line.startswith((f"{dependency}==", "scikit-learn=="))]
        return [line.replace(f"numpy=={numpy}", "numpy==1.0.0") for line in out]

    found = lock.disagreements(_edited_lock(tmp_path, edit))
    assert len(found) == 3, found
    assert f"numpy: the lists pin {LISTED['numpy']}, requirements.lock 1.0.0" in found
    assert "scikit-learn is in the requirement lists but not in requirements.lock" in found
    assert dependency in found[-1] and "would float" in found[-1]
    # and the unedited copy agrees: the edits, not the copying, made the difference
    assert lock.disagreements(_edited_lock(tmp_path, list)) == []


def test_the_installed_environment_is_the_locked_one():
    """`make venv` installs with the lock as constraints: what the lists pull in here is what is
    locked (torch's CUDA libraries are locked too, and installed only with PyPI's CUDA build)."""
    differ = []
    for name in sorted(lock.closure(list(LISTED)) - {"lossbook"}):
        version = LOCKED.get(name)
        if version is None:
            continue  # reported by test_the_lock_agrees_with_the_lists
        try:
            installed = distribution(name).version
        except PackageNotFoundError:
            differ.append(f"{name} not installed")
            continue
        if lock.public_version(installed) != version:
            differ.append(f"{name} {installed} installed, {version} locked")
    assert not differ, differ
