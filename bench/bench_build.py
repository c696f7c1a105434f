"""Measure the handbook build: cold full build, no-op rebuild, rebuild after editing one prose page.

Runs on a fresh copy of the project in a temporary folder (so your own _build is
untouched), with the Makefile's strict flags, and prints one figure per line
with its target (≤ 20 s cold, ≤ 2.5 s no-op, ≤ 5 s after a prose edit, on a 2-core machine), the CPU time
(user + system of every build process: comparable when other work shares the cores) and the load average.
The npm tarball cache is shared, so "cold" means: no build outputs, no
execution cache, no unpacked assets, no wheel; downloads are not timed.

Usage: python bench/bench_build.py [--keep DIR] [--page book/summary.md] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import copy_project, run_build  # noqa: E402  (the tests' build helpers: one definition of the flags)


PHASE = re.compile(r"\[handbook\] phase (?P<name>[\w -]+?): (?P<seconds>[\d.]+) s")


def cpu_seconds() -> float:
    """User + system CPU time of this process's finished children (the build and everything it started)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def phases(log: str) -> str:
    """The build's own phase timings (``[handbook] phase NAME: S s`` lines), summed per phase.

    >>> phases("[handbook] phase read: 1.5 s\\n[handbook] phase write: 2.0 s\\n[handbook] phase read: 0.5 s")
    'read 2.0, write 2.0'
    """
    totals: dict[str, float] = {}
    for match in PHASE.finditer(log):
        totals[match["name"]] = totals.get(match["name"], 0.0) + float(match["seconds"])
    return ", ".join(f"{name} {seconds:.1f}" for name, seconds in totals.items())


def timed_build(project: Path, label: str) -> tuple[float, float, int, str]:
    """Wall time, CPU time (user+sys of every process of the build), pages executed, phase breakdown."""
    cpu, started = cpu_seconds(), time.perf_counter()
    result = run_build(project, env={"HANDBOOK_PROFILE": os.environ.get("HANDBOOK_PROFILE", "cmb")})
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if result.returncode != 0:
        print((result.stdout + result.stderr)[-4000:], file=sys.stderr)
        raise SystemExit(f"{label}: the build failed")
    log = result.stdout + result.stderr
    executed = len(re.findall(r": Executing notebook", log))
    return elapsed, cpu, executed, phases(log)


def load() -> str:
    return "load %.2f" % os.getloadavg()[0]


def one_round(project: Path, page_name: str) -> dict[str, tuple[float, float, int, str]]:
    """Cold build, no-op rebuild and rebuild after a prose edit of ``page_name``, each printed as it ends."""
    results = {}
    targets = {"cold": 20.0, "no-op": 2.5, "edit": 5.0}
    labels = {"cold": "cold full build", "no-op": "no-op rebuild", "edit": f"rebuild after editing {page_name}"}
    for kind in ("cold", "no-op", "edit"):
        if kind == "edit":
            page = project / page_name
            text = page.read_text(encoding="utf-8")
            page.write_text(text.replace("。", "。\n", 1) + "\n<!-- benchmark edit -->\n", encoding="utf-8")
        wall, cpu, runs, breakdown = results[kind] = timed_build(project, labels[kind])
        print(f"{labels[kind] + ':':34} {wall:6.1f} s, CPU {cpu:5.1f} s ({runs} pages executed; "
              f"{wall / targets[kind]:.2f} × the {targets[kind]:g} s target; {load()})\n    phases: {breakdown}", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--page", default="book/summary.md", help="the prose page to edit for the incremental figure")
    parser.add_argument("--repeat", type=int, default=1, help="rounds (each on a fresh copy); medians are printed")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    project = base / "project"
    rounds = []
    try:
        for round_number in range(1, args.repeat + 1):
            if project.exists():
                shutil.rmtree(project)
            copy_project(project)
            if round_number == 1:
                pages = len(re.findall(r"file:", (project / "_toc.yml").read_text(encoding="utf-8"))) + 1
                print(f"build benchmark: {os.cpu_count()} CPUs, {pages} pages, flags from the Makefile", flush=True)
            print(f"round {round_number}/{args.repeat}, before: {load()}", flush=True)
            rounds.append(one_round(project, args.page))
        if args.repeat > 1:
            for kind in ("cold", "no-op", "edit"):
                walls = [r[kind][0] for r in rounds]
                cpus = [r[kind][1] for r in rounds]
                print(f"median {kind:5}: {statistics.median(walls):6.1f} s (runs {', '.join(f'{w:.1f}' for w in walls)}), "
                      f"CPU {statistics.median(cpus):5.1f} s (runs {', '.join(f'{c:.1f}' for c in cpus)})")
        site = project / "_build" / "html"
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        vendor = sum(f.stat().st_size for f in (site / "_static" / "vendor").rglob("*") if f.is_file())
        print(f"site size:                         {size / 1e6:6.1f} MB (of which vendored runtime assets {vendor / 1e6:.1f} MB)")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
