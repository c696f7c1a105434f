"""Benchmark of the calculators against the project's targets.

Prints, one figure per line:

* one 60-month ``installment_plan`` and one 12-cycle ``overdue_projection``
  (best of several ``timeit`` repeats; target ≤ 1 ms each);
* 1,000,000 accounts through ``calculators.batch.portfolio.apply_cycle``
  (best of 3; target ≤ 2 s);
* the scalar loop (``scalar_cycle``: the public ``late_fee``,
  ``revolving_interest`` and ``delinquency_bucket`` per account) timed in the
  same run on a sample and extrapolated to the same number of accounts, and
  the speed-up (target ≥ 50×).

Usage::

    .venv/bin/python bench/bench_calculators.py           # full run (a few seconds)
    .venv/bin/python bench/bench_calculators.py --quick   # 100,000 accounts, smaller samples (about 2 s)
    .venv/bin/python bench/bench_calculators.py --check   # exit status 1 if a target is missed
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import timeit
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from calculators import installment_plan, load_terms, overdue_projection  # noqa: E402
from calculators.batch.portfolio import apply_cycle, random_accounts, scalar_cycle  # noqa: E402

PLAN_TARGET_S = 1e-3
PORTFOLIO_TARGET_S = 2.0
SPEEDUP_TARGET = 50.0


def best_per_call(function, number: int, repeat: int) -> float:
    """Best of ``repeat`` timings of ``number`` calls, per call, in seconds."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def line(label: str, text: str) -> None:
    print(f"{label + ':':<36}{text}")


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 accounts and smaller samples (a few seconds)")
    parser.add_argument("--check", action="store_true", help="exit with status 1 if a target is missed")
    parser.add_argument("--accounts", type=int, default=None, help="accounts through apply_cycle (default 1,000,000; 100,000 with --quick)")
    args = parser.parse_args(argv)
    accounts = args.accounts or (100_000 if args.quick else 1_000_000)
    sample = 2_000 if args.quick else 20_000
    repeat = 3 if args.quick else 7

    terms = load_terms("cmb")
    results: list[bool] = []
    print(f"calculators benchmark: Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"{os.cpu_count()} CPUs, profile {terms.code}{' (quick)' if args.quick else ''}")

    # One 60-month plan: 60 rows, exact Decimal, IRR by Newton's method in 34-digit decimals.
    plan_s = best_per_call(lambda: installment_plan("12000", 60, "0.0068", terms), number=200 if not args.quick else 50, repeat=repeat)
    results.append(plan_s <= PLAN_TARGET_S)
    line("installment_plan, 60 months", f"{plan_s * 1e6:8.1f} µs per plan ({plan_s / PLAN_TARGET_S:.2f} × the 1 ms target; {verdict(results[-1])})")

    # One 12-cycle projection of an unpaid statement with a partial payment.
    def projection():
        return overdue_projection("10000", "1000", date(2026, 5, 5), date(2026, 5, 23), 12, terms,
                                  payments=[(date(2026, 5, 20), "300")], posting_date=date(2026, 4, 28))

    projection_s = best_per_call(projection, number=200 if not args.quick else 50, repeat=repeat)
    results.append(projection_s <= PLAN_TARGET_S)
    line("overdue_projection, 12 cycles",
         f"{projection_s * 1e6:8.1f} µs per projection ({projection_s / PLAN_TARGET_S:.2f} × the 1 ms target; {verdict(results[-1])})")

    # The portfolio path: one cycle for every account, vectorised in int64 fen.
    started = time.perf_counter()
    df = random_accounts(accounts, seed=2026)
    line("random portfolio generated", f"{accounts:,} accounts in {time.perf_counter() - started:.2f} s (not part of any figure)")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        out = apply_cycle(df, terms)
        timings.append(time.perf_counter() - started)
    vector_s = min(timings)
    per_million = vector_s * 1_000_000 / accounts
    results.append(per_million <= PORTFOLIO_TARGET_S)
    line(f"apply_cycle, {accounts:,} accounts",
         f"{vector_s:8.3f} s (best of 3; {vector_s / accounts * 1e9:.0f} ns per account; {per_million:.3f} s per million "
         f"= {per_million / PORTFOLIO_TARGET_S:.2f} × the 2 s target; {verdict(results[-1])})")

    # The scalar loop on a sample of the same accounts, in the same run, extrapolated.
    records = df.iloc[:sample].to_dict("records")
    started = time.perf_counter()
    expected = [scalar_cycle(row, terms) for row in records]
    scalar_sample_s = time.perf_counter() - started
    scalar_per_account = scalar_sample_s / sample
    scalar_total_s = scalar_per_account * accounts
    head = out.iloc[:sample]
    same = (head.late_fee_fen.tolist() == [row["late_fee_fen"] for row in expected]
            and head.interest_fen.tolist() == [row["interest_fen"] for row in expected]
            and head.bucket.astype(str).tolist() == [row["bucket"] for row in expected]
            and head.category.astype(str).tolist() == [row["category"] for row in expected])
    line(f"scalar loop, sample of {sample:,}",
         f"{scalar_sample_s:8.3f} s measured ({scalar_per_account * 1e6:.1f} µs per account); "
         f"extrapolated to {accounts:,} accounts: {scalar_total_s:.1f} s (an estimate from the sample)")
    line("sample results identical", f"{'yes' if same else 'NO'} (late_fee_fen, interest_fen, bucket, category)")
    results.append(same)
    speedup = scalar_total_s / vector_s
    results.append(speedup >= SPEEDUP_TARGET)
    line("speed-up, vectorised vs scalar", f"{speedup:8.0f} × ({speedup / SPEEDUP_TARGET:.1f} × the 50× target; {verdict(results[-1])})")
    print("all targets met" if all(results) else "SOME TARGETS MISSED")
    return 0 if all(results) or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
