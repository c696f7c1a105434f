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
#: The other texts of speed_texts, counted only when named with ``--text`` (the made-up worst cases).
OTHER_TEXTS = ("one repeated character", "negation words only", "dense insult list")
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


#: What ``--parts`` counts besides the whole lint: the rules alone (``lint`` without a model), and within them the regex
#: pass that finds every pattern's matches (``redlines._scan`` on the text as the rules read it).
PARTS = ("lint", "rules", "scan")


def _child(root: Path, name: str, part: str = "lint") -> None:
    """Run ``part`` (:data:`PARTS`) on the text ``name`` once to warm up, then once more with callgrind counting (run
    under valgrind)."""
    sys.path.insert(0, str(root))
    from bench.bench_linter import speed_texts
    from calculators.compliance import redlines as rule_module
    from calculators.compliance.redline_model import default_model
    from procedures.rules import redlines

    rules, model = redlines(), default_model()
    text = speed_texts()[name]
    if part == "scan":
        view = rule_module.clause_view(text, rules)
        scanners = [pattern.scanner for category in rules.categories for pattern in category.patterns]

        def run() -> object:
            return rule_module._scan(view, scanners)
    else:
        def run() -> object:
            return rule_module.lint(text, rules, model if part == "lint" else None)
    run()
    control = ["callgrind_control", "--instr={}", str(os.getpid())]
    subprocess.run([word.format("on") for word in control], check=True, capture_output=True)
    run()
    subprocess.run([word.format("off") for word in control], check=True, capture_output=True)


def parts_lines(lint: int, rules: int, scan: int) -> list[str]:
    """The ``--parts`` lines under a text's total: where one lint's instructions go.

    >>> print("\\n".join(parts_lines(475_000_000, 248_000_000, 174_000_000)))
        rules alone          248.0 M  52.2%   of which the regex scan    174.0 M  36.6%
        model and judge      227.0 M  47.8%   (the lint without the rules alone)
    """
    return [f"    rules alone       {rules / 1e6:8.1f} M {rules / lint:6.1%}   of which the regex scan {scan / 1e6:8.1f} M {scan / lint:6.1%}",
            f"    model and judge   {(lint - rules) / 1e6:8.1f} M {(lint - rules) / lint:6.1%}   (the lint without the rules alone)"]


def count(root: Path, name: str, part: str = "lint") -> int:
    """Instructions of one lint (or one of its :data:`PARTS`) of the benchmark text ``name`` with the code of the checkout
    ``root``."""
    with tempfile.TemporaryDirectory() as scratch:
        run = subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={scratch}/out",
                              sys.executable, str(Path(__file__).resolve()), "--child", name, "--part", part, "--root", str(root)],
                             capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, cwd=root)
    if run.returncode != 0:
        raise SystemExit(f"error: valgrind failed on {name!r} ({part}) in {root}:\n{run.stderr.strip()[-2000:]}")
    return collected(run.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, metavar="DIR", help="another checkout of this project, counted the same way")
    parser.add_argument("--text", action="append", choices=TEXTS + OTHER_TEXTS,
                        help="count only this text (repeatable; the default: the first three)")
    parser.add_argument("--parts", action="store_true",
                        help="also count the rules alone and their regex scan, and print each part's share of the lint")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--part", choices=PARTS, default="lint", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.root, args.child, args.part)
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
    parts = PARTS if args.parts else PARTS[:1]
    jobs = [(root, name, part) for name in names for root in roots for part in parts]
    print(f"counting {len(jobs)} call(s) under callgrind (about a minute each, two at a time) ...", flush=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(zip(jobs, pool.map(lambda job: count(*job), jobs)))
    for name in names:
        for root in roots:
            total = counts[root, name, "lint"]
            line = f"{name:17s} {total / 1e6:8.1f} M instructions"
            if root != ROOT:
                line = f"  against {root}: {total / 1e6:8.1f} M   ratio {counts[ROOT, name, 'lint'] / total:.3f}"
            print(line)
            if args.parts:
                print("\n".join(parts_lines(total, counts[root, name, "rules"], counts[root, name, "scan"])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
