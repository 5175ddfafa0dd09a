"""``make test``'s steps, side by side: each in its own log, each timed, the failures shown.

    python -m booktools.steps [-j N] STEP[:AFTER,AFTER...] ...      (the Makefile's ``test``)

Each STEP is a Makefile target, run as ``make STEP`` once every step it comes AFTER has passed
(the other steps are named to make with ``-o``, so a step never runs another step again). Up to
N steps run at a time (default: the number of cores, at least 2), earlier ones on the command
line first (the Makefile lists the longest chain first). A step's output goes to
``_build/test-logs/STEP.log``; a step that fails has its log's end printed. A step whose
prerequisite failed does not run; the other steps still do, so one run shows every failure.

At the end every step's wall time and CPU time (its own processes and their children) are
printed, failed steps included, with the run's total wall time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from booktools import ROOT

LOGS = ROOT / "_build" / "test-logs"
TAIL_LINES = 120  # of a failed step's log, printed at the end


@dataclass
class Step:
    name: str
    after: list[str]
    state: str = "waiting"  # waiting, running, passed, failed, skipped
    start: float = 0.0
    wall: float = 0.0
    cpu: float = 0.0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def log(self) -> Path:
        return LOGS / f"{self.name}.log"


def parse(args: list[str]) -> tuple[int, list[Step]]:
    """``-j N`` and the steps; refuses an unknown prerequisite or a cycle."""
    jobs = max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2)
    if args[:1] == ["-j"] and len(args) > 1:
        jobs, args = int(args[1]), args[2:]
    steps = []
    for arg in args:
        name, _, after = arg.partition(":")
        steps.append(Step(name, [a for a in after.split(",") if a]))
    names = [s.name for s in steps]
    for step in steps:
        unknown = [a for a in step.after if a not in names or names.index(a) == names.index(step.name)]
        if unknown:
            raise ValueError(f"booktools.steps: {step.name} comes after {unknown}, which is not "
                             f"one of the steps {names}")
        if any(names.index(a) > names.index(step.name) for a in step.after):
            raise ValueError(f"booktools.steps: list {step.name} after the steps it comes after "
                             f"({step.after})")
    if not steps or jobs < 1:
        raise ValueError("usage: python -m booktools.steps [-j N] STEP[:AFTER,AFTER...] ...")
    return jobs, steps


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def _start(step: Step, steps: list[Step], make: list[str]) -> None:
    others = [arg for s in steps if s is not step for arg in ("-o", s.name)]
    step.log.parent.mkdir(parents=True, exist_ok=True)
    with step.log.open("wb") as log:
        step.process = subprocess.Popen([*make, "--no-print-directory", *others, step.name],
                                        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    step.state, step.start = "running", time.monotonic()
    print(f"  started {step.name}", flush=True)


def _reap(steps: list[Step]) -> None:
    """Wait for one running step to end, and record its time, CPU and verdict."""
    running = {s.process.pid: s for s in steps if s.state == "running"}
    pid, status, usage = os.wait4(-1, 0)
    step = running.get(pid)
    if step is None:
        return
    step.wall = time.monotonic() - step.start
    step.cpu = usage.ru_utime + usage.ru_stime
    step.process.returncode = os.waitstatus_to_exitcode(status)
    step.state = "passed" if step.process.returncode == 0 else "failed"
    print(f"  {step.state} {step.name} in {minutes(step.wall)}", flush=True)


def run(jobs: int, steps: list[Step], make: list[str]) -> int:
    began = time.monotonic()
    by_name = {s.name: s for s in steps}
    print(f"booktools.steps: {len(steps)} steps, {jobs} at a time; logs in {_shown(LOGS)}/",
          flush=True)
    while any(s.state in ("waiting", "running") for s in steps):
        for step in steps:
            if step.state != "waiting":
                continue
            before = [by_name[a].state for a in step.after]
            if any(b in ("failed", "skipped") for b in before):
                step.state = "skipped"
                print(f"  skipped {step.name} (it comes after a step that failed)", flush=True)
            elif all(b == "passed" for b in before) and sum(s.state == "running" for s in steps) < jobs:
                _start(step, steps, make)
        if any(s.state == "running" for s in steps):
            _reap(steps)
    total = time.monotonic() - began
    report(steps, total)
    return 0 if all(s.state == "passed" for s in steps) else 1


def report(steps: list[Step], total: float) -> None:
    for step in steps:
        if step.state == "failed":
            lines = step.log.read_text(encoding="utf-8", errors="replace").splitlines()
            print(f"\n===== {step.name} failed: the last {min(TAIL_LINES, len(lines))} lines of "
                  f"{_shown(step.log)} =====")
            print("\n".join(lines[-TAIL_LINES:]))
    print("\nstep              result    wall     CPU")
    for step in steps:
        timed = step.state in ("passed", "failed")
        print(f"{step.name:<17} {step.state:<8} {minutes(step.wall) if timed else '-':>7} "
              f"{minutes(step.cpu) if timed else '-':>7}")
    cpu = sum(s.cpu for s in steps)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{'total':<17} {'':<8} {minutes(total):>7} {minutes(cpu):>7}   (load average now "
          f"{load:.1f})", flush=True)


def main(argv: list[str]) -> int:
    try:
        jobs, steps = parse(argv)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    return run(jobs, steps, [os.environ.get("MAKE", "make")])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
