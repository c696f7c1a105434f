"""Measure the handbook build: cold full build, no-op rebuild, rebuild after editing one prose page.

Runs on a fresh copy of the project in a temporary folder (so your own _build is
untouched), with the Makefile's strict flags, and prints one figure per line
with its target (≤ 60 s cold, ≤ 5 s after a prose edit, on a 2-core machine).
The npm tarball cache is shared, so "cold" means: no build outputs, no
execution cache, no unpacked assets, no wheel; downloads are not timed.

Usage: python bench/bench_build.py [--keep DIR] [--page book/summary.md]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import copy_project, run_build  # noqa: E402  (the tests' build helpers: one definition of the flags)


def timed_build(project: Path, label: str) -> tuple[float, int]:
    started = time.perf_counter()
    result = run_build(project, env={"HANDBOOK_PROFILE": os.environ.get("HANDBOOK_PROFILE", "cmb")})
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print((result.stdout + result.stderr)[-4000:], file=sys.stderr)
        raise SystemExit(f"{label}: the build failed")
    executed = len(re.findall(r": Executing notebook", result.stdout + result.stderr))
    return elapsed, executed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--page", default="book/summary.md", help="the prose page to edit for the incremental figure")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    project = base / "project"
    if project.exists():
        shutil.rmtree(project)
    copy_project(project)
    try:
        pages = len(re.findall(r"file:", (project / "_toc.yml").read_text(encoding="utf-8"))) + 1
        print(f"build benchmark: {os.cpu_count()} CPUs, {pages} pages, flags from the Makefile", flush=True)
        cold, cold_runs = timed_build(project, "cold build")
        print(f"cold full build:                   {cold:6.1f} s ({cold_runs} pages executed; {cold / 60:.2f} × the 60 s target)", flush=True)
        noop, noop_runs = timed_build(project, "no-op rebuild")
        print(f"no-op rebuild:                     {noop:6.1f} s ({noop_runs} pages executed; {noop / cold:.2f} × the cold build)", flush=True)
        page = project / args.page
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("。", "。\n", 1) + "\n<!-- benchmark edit -->\n", encoding="utf-8")
        edit, edit_runs = timed_build(project, "rebuild after a prose edit")
        print(f"rebuild after editing {args.page}: {edit:6.1f} s ({edit_runs} pages executed; {edit / 5:.2f} × the 5 s target)", flush=True)
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
