"""make test's runner (booktools/steps.py) on a small Makefile of its own: steps side by side,
each logged and timed, a failure named with its log, what comes after it not run."""

from __future__ import annotations

import time

import pytest

from booktools import steps

MAKEFILE = """\
slow:
\t@sleep 1; echo slow done
fast:
\t@echo fast done
broken:
\t@echo the reason it broke; exit 3
after-broken: broken
\t@echo must not run
after-slow: slow
\t@echo after slow
"""


def _run(tmp_path, monkeypatch, capsys, jobs: int, names: list[str],
         makefile: str = MAKEFILE) -> tuple[int, str, float]:
    (tmp_path / "Makefile").write_text(makefile, encoding="utf-8")
    monkeypatch.setattr(steps, "LOGS", tmp_path / "logs")
    _, parsed = steps.parse(names)
    began = time.monotonic()
    code = steps.run(jobs, parsed, ["make", "-C", str(tmp_path)])
    return code, capsys.readouterr().out, time.monotonic() - began


def test_a_failed_step_is_named_with_its_log_and_every_step_is_timed(tmp_path, monkeypatch, capsys):
    code, out, _ = _run(tmp_path, monkeypatch, capsys, 2,
                        ["slow", "broken", "after-broken:broken", "fast", "after-slow:slow"])
    assert code == 1
    assert "===== broken failed" in out and "the reason it broke" in out
    assert "must not run" not in out and "skipped after-broken" in out
    table = {line.split()[0]: line.split()[1:] for line in out.split("step ")[-1].splitlines()[1:]}
    assert table["broken"][0] == "failed" and table["after-broken"] == ["skipped", "-", "-"]
    assert [table[n][0] for n in ("slow", "fast", "after-slow")] == ["passed"] * 3
    assert table["slow"][1] >= "0:01.0"  # its wall time, sleep included
    assert "total" in table
    assert (tmp_path / "logs" / "slow.log").read_text(encoding="utf-8") == "slow done\n"


def test_independent_steps_run_side_by_side(tmp_path, monkeypatch, capsys):
    two_slow = MAKEFILE.replace("fast:\n\t@echo fast done", "fast:\n\t@sleep 1; echo fast done")
    code, _, side_by_side = _run(tmp_path, monkeypatch, capsys, 2, ["slow", "fast"], two_slow)
    code_one, _, one_at_a_time = _run(tmp_path, monkeypatch, capsys, 1, ["slow", "fast"], two_slow)
    assert code == code_one == 0
    # two seconds of sleep one after the other, about one side by side (a ratio, not seconds)
    assert side_by_side < 0.8 * one_at_a_time, (side_by_side, one_at_a_time)


@pytest.mark.parametrize("names, message", [
    (["a:b", "b"], "list a after the steps it comes after"),
    (["a:c"], "comes after ['c'], which is not one of the steps"),
])
def test_an_impossible_order_is_refused(names, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        steps.parse(names)
