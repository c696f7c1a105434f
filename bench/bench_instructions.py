"""Machine instructions the red-line linter executes per benchmark text: a speed figure that a busy machine cannot move.

Usage::

    python bench/bench_instructions.py                    # millions of instructions for one lint of each long text
    python bench/bench_instructions.py --against ../base  # the same for another checkout, and the ratio of the two

``bench/bench_linter.py`` times the linter in milliseconds, which is the target; on a shared machine those figures move
by a third from one hour to the next.  This script counts the instructions one :func:`~calculators.compliance.redlines.lint`
call executes on each text of :func:`bench.bench_linter.speed_texts`, under valgrind's callgrind (counting only
around that call, after a first call has compiled the scanning plan; a fixed hash seed).  The count is the same on
every run of the same command, so a change of a fraction of a percent is visible, and ``--against`` gives the ratio of
two checkouts (the same code run from another directory or at another time has counted up to 0.3 % differently:
compare checkouts in one run).  It is
not a time: memory stalls are not counted.  It needs valgrind (Debian: ``apt-get install valgrind``); each text takes
about a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The texts counted by default (the long texts of bench_linter.speed_texts that read like scripts).
TEXTS = ("compliant script", "half violations", "unpunctuated")
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def collected(valgrind_output: str) -> int:
    """The instruction count that callgrind reports in ``valgrind_output`` (its standard error).

    >>> collected("==12== Events    : Ir\\n==12== Collected : 562649190\\n==12== I   refs:      562,649,190")
    562649190
    >>> collected("valgrind: no such file")
    Traceback (most recent call last):
    ...
    ValueError: callgrind reported no instruction count: valgrind: no such file
    """
    found = _COLLECTED.search(valgrind_output)
    if found is None:
        raise ValueError("callgrind reported no instruction count: " + valgrind_output.strip()[-300:])
    return int(found.group(1))


def _child(root: Path, name: str) -> None:
    """Lint the text ``name`` once to warm up, then once more with callgrind counting (run under valgrind)."""
    sys.path.insert(0, str(root))
    from bench.bench_linter import speed_texts
    from calculators.compliance.redline_model import default_model
    from calculators.compliance.redlines import lint
    from procedures.rules import redlines

    rules, model = redlines(), default_model()
    text = speed_texts()[name]
    lint(text, rules, model)
    control = ["callgrind_control", "--instr={}", str(os.getpid())]
    subprocess.run([part.format("on") for part in control], check=True, capture_output=True)
    lint(text, rules, model)
    subprocess.run([part.format("off") for part in control], check=True, capture_output=True)


def count(root: Path, name: str) -> int:
    """Instructions of one lint of the benchmark text ``name`` with the code of the checkout ``root``."""
    with tempfile.TemporaryDirectory() as scratch:
        run = subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={scratch}/out",
                              sys.executable, str(Path(__file__).resolve()), "--child", name, "--root", str(root)],
                             capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, cwd=root)
    if run.returncode != 0:
        raise SystemExit(f"error: valgrind failed on {name!r} in {root}:\n{run.stderr.strip()[-2000:]}")
    return collected(run.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, metavar="DIR", help="another checkout of this project, counted the same way")
    parser.add_argument("--text", action="append", choices=TEXTS, help="count only this text (repeatable)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.root, args.child)
        return 0
    missing = [tool for tool in ("valgrind", "callgrind_control") if shutil.which(tool) is None]
    if missing:
        print("error: this benchmark needs valgrind (" + ", ".join(missing) + " not found); on Debian: apt-get install valgrind",
              file=sys.stderr)
        return 2
    if args.against is not None and not (args.against / "calculators" / "compliance" / "redlines.py").is_file():
        print(f"error: --against {args.against}: not a checkout of this project (no calculators/compliance/redlines.py)",
              file=sys.stderr)
        return 2
    names = args.text or list(TEXTS)
    roots = [ROOT] + ([args.against.resolve()] if args.against is not None else [])
    jobs = [(root, name) for name in names for root in roots]
    print(f"counting {len(jobs)} lint call(s) under callgrind (about a minute each, two at a time) ...", flush=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(zip(jobs, pool.map(lambda job: count(*job), jobs)))
    for name in names:
        line = f"{name:17s} {counts[ROOT, name] / 1e6:8.1f} M instructions"
        if args.against is not None:
            other = counts[roots[1], name]
            line += f"   against {roots[1]}: {other / 1e6:8.1f} M   ratio {counts[ROOT, name] / other:.3f}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
