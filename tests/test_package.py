"""The package as a whole: what `import lossbook` costs, and one source of public names."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import lossbook as lb
import lossbook.checks

API_PAGE = Path(__file__).resolve().parent.parent / "chapters" / "lossbook-api.md"
TOPICS = [importlib.import_module(f"lossbook.checks.{m.name}")
          for m in pkgutil.iter_modules(lossbook.checks.__path__) if not m.name.startswith("_")]


def _documented() -> dict[str, list[str] | None]:
    """The API page's automodule directives: module -> the listed members (None: all of __all__)."""
    text = API_PAGE.read_text(encoding="utf-8")
    found = {}
    for module, members in re.findall(r"\.\. automodule:: (\S+)\n\s+:members:(.*)\n", text):
        found[module] = [m.strip() for m in members.split(",")] if members.strip() else None
    return found


def test_import_lossbook_does_not_import_pyplot():
    code = "import sys, lossbook; print(sorted(m for m in sys.modules if m.startswith('matplotlib')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_top_level_names_come_from_the_modules():
    for module in lb._TOP_LEVEL_MODULES:
        for name in module.__all__:
            assert getattr(lb, name) is getattr(module, name), name
            assert name in lb.__all__, name
    assert len(lb.__all__) == len(set(lb.__all__))


def test_every_public_name_is_on_the_api_page():
    documented = _documented()
    modules = [*lb._TOP_LEVEL_MODULES, lb.data, lb.plotting, *TOPICS]
    for module in modules:
        assert module.__name__ in documented, f"{module.__name__} is missing from {API_PAGE.name}"
        assert documented[module.__name__] is None, f"{module.__name__}: document all of __all__"
        names = getattr(module, "__all__", None)
        if module in TOPICS:  # a topic's public names are the checks it registers
            assert names is None, f"{module.__name__}: the registry lists its checks, not __all__"
            names = [c.__name__ for c in lb.checks._registry.CHECKS if c.__module__ == module.__name__]
            assert names, module.__name__
        for name in names:
            obj = getattr(module, name)
            if callable(obj):
                assert getattr(obj, "__module__", module.__name__) == module.__name__, (
                    f"{name} is defined in {obj.__module__}, not in {module.__name__}, whose docs name it")
    listed = documented["lossbook.checks"]
    for name in lb.checks.__all__:
        if not name.startswith("check_"):
            assert name in listed, f"lossbook.checks.{name} is missing from {API_PAGE.name}"
        else:
            assert getattr(lb.checks, name).__module__ in documented, name


def test_every_check_shows_its_answer_parameter():
    for check in lb.checks._registry.CHECKS:
        assert next(iter(inspect.signature(check).parameters)) == "answer", check.__name__


def test_one_exception_type_rule_for_scalar_parameters():
    """A wrong type is a TypeError, a wrong value a ValueError, in every function alike."""
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np
    import pytest

    rng = np.random.default_rng(0)
    probs, y = np.array([[0.6, 0.4], [0.3, 0.7]]), np.array([0, 1])
    integer_parameters = [
        ("minibatches", lambda v: list(lb.data.minibatches(4, batch_size=v, rng=rng))),
        ("calibration_bins", lambda v: lb.calibration_bins(probs, y, n_bins=v)),
        ("confusion_matrix", lambda v: lb.confusion_matrix(y, y, num_classes=v)),
        ("Dense", lambda v: lb.Dense(v, 2, rng=rng)),
        ("draw_digits", lambda v: lb.plotting.draw_digits(np.zeros((2, 4)), ncols=v)),
        ("noisy_line", lambda v: lb.data.noisy_line(v, rng=rng)),
        ("cross_entropy", lambda v: lb.cross_entropy(probs, y, ignore_index=float(v) if v else v)),
    ]
    for name, call in integer_parameters:
        with pytest.raises(TypeError, match=rf"^{name}: \w+ must be an integer, got float"):
            call(2.0)
    for name, call in integer_parameters[:-1]:
        with pytest.raises(ValueError, match=rf"^{name}: \w+ must be at least 1, got 0"):
            call(0)
    with pytest.raises(TypeError, match=r"^stratified_split: val_size must be a real number"):
        lb.data.stratified_split(y, val_size="0.2", rng=rng)
    with pytest.raises(ValueError, match=r"^cross_entropy: label_smoothing must be a finite number"):
        lb.cross_entropy(probs, y, label_smoothing=1.5)


def test_no_module_imports_another_modules_private_names():
    """A private name (``_equal_width_bins``) stays in its module; a helper two modules share
    is public in one home. ``_`` and ``N_`` (gettext's names) and private modules are fine."""
    import ast
    from pathlib import Path

    root = Path(lb.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_") and a.name not in ("_", "N_")
                           and not (root / (a.name + ".py")).is_file()]
                assert not private, f"{path.relative_to(root)} imports {private} from {node.module}"


def test_plotting_and_the_checks_share_the_ground_floor_for_text():
    from pathlib import Path

    source = Path(lb.plotting.__file__).read_text(encoding="utf-8")
    assert "from ._i18n import _" in source and "checks" not in source.split('"""', 2)[2].split("def ")[0]


def test_the_checks_are_listed_once_by_the_registry():
    """checks/__init__.py names no check: it exports what the topic modules register, and every
    check's own def takes the answer first (no parameter added by a decorator)."""
    from pathlib import Path

    source = Path(lb.checks.__file__).read_text(encoding="utf-8")
    assert "check_" not in source.replace("check_<something>", "")
    for check in lb.checks._registry.CHECKS:
        assert next(iter(inspect.signature(check.__wrapped__).parameters)) == "answer", check.__name__
        assert "Called as" not in (check.__doc__ or ""), check.__name__
