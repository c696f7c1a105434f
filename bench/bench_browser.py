"""Measure the in-browser calculators of the built site (run `make book` first).

For each calculator page, in headless Debian Chromium with a cold cache against
the site served on 127.0.0.1: time from navigation start to the first result
computed in the browser, bytes transferred for the page, and the time of a
recompute after an input change (median and worst of 10).  Targets: first
result ≤ 5 s, ≤ 20 MB, recompute ≤ 200 ms; the reference is a JupyterLite
build of the same idea (105 MB, about 7 s).

Usage: python bench/bench_browser.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM_ARGS  # noqa: E402  (same browser flags as the tests)
from helpers import SITE, SiteServer  # noqa: E402

PAGES = {
    "book/calc/overdue-fee.html": ("cycles", ["3", "12", "24", "60", "6"]),
    "book/calc/repayment-plan.html": ("periods", ["24", "36", "48", "60", "12"]),
}
JUPYTERLITE_MB, JUPYTERLITE_S = 105.0, 7.0


def measure(browser, url: str, field: str, values: list[str]) -> dict[str, float]:
    context = browser.new_context()  # a new context: empty cache
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("window.hbCalculators && window.hbCalculators.state !== 'loading'", timeout=120_000)
    state = page.evaluate("window.hbCalculators")
    if state["state"] != "ready":
        raise SystemExit(f"{url}: the browser runtime did not load: {page.inner_text('.hb-status')}")
    transferred = page.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".reduce((sum, e) => sum + e.transferSize, 0)"
    )
    recomputes = []
    for value in values * 2:
        before = int(page.get_attribute(".hb-calc", "data-computed"))
        page.fill(f".hb-calc [name='{field}']", value)
        page.wait_for_function(f"Number(document.querySelector('.hb-calc').dataset.computed) > {before}")
        recomputes.append(page.evaluate("window.hbCalculators.lastComputeMs"))
    context.close()
    return {"first": state["firstResultMs"] / 1000, "runtime": state["marks"]["runtime"] / 1000, "mb": transferred / 1e6,
            "recompute_median": statistics.median(recomputes), "recompute_max": max(recomputes)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold-cache page loads per page (the median is reported)")
    args = parser.parse_args(argv)
    if not (SITE / "index.html").is_file():
        raise SystemExit("no built site: run `make book` first")
    from playwright.sync_api import sync_playwright

    with SiteServer(SITE) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        print(f"browser calculators benchmark: {browser.version}, site served on 127.0.0.1, cold cache, {args.runs} runs per page")
        for path, (field, values) in PAGES.items():
            runs = [measure(browser, server.url + path, field, values) for _ in range(args.runs)]
            first = statistics.median(r["first"] for r in runs)
            runtime = statistics.median(r["runtime"] for r in runs)
            mb = statistics.median(r["mb"] for r in runs)
            median = statistics.median(r["recompute_median"] for r in runs)
            worst = max(r["recompute_max"] for r in runs)
            print(f"{path}:")
            print(f"  first result after page open: {first:5.2f} s (runtime ready at {runtime:.2f} s; {first / 5:.2f} × the 5 s target; "
                  f"JupyterLite ≈ {JUPYTERLITE_S:.0f} s → {JUPYTERLITE_S / first:.1f}× faster)")
            print(f"  transferred for the page:     {mb:5.1f} MB ({mb / 20:.2f} × the 20 MB target; JupyterLite {JUPYTERLITE_MB:.0f} MB → "
                  f"{JUPYTERLITE_MB / mb:.1f}× smaller)")
            print(f"  recompute after an input:     {median:5.1f} ms median, {worst:.1f} ms worst ({worst / 200:.2f} × the 200 ms target)")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
