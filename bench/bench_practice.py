"""Measure the answerable exercises and role-plays of the built site (run `make book` first).

In headless Debian Chromium, cold cache, site served on 127.0.0.1: for an
exercises page and a role-play page, the bytes transferred (compared with a
calculator page, target: no more), the time until the runtime is ready, and the
feedback latency after 提交 once it is (``window.hbPractice.lastFeedbackMs``:
from the click handler to the verdict on screen; median and worst of 20
submissions; target ≤ 200 ms).

Usage: python bench/bench_practice.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.append(str(ROOT))  # the project packages, after tests/ (its conftest has the browser flags)

from conftest import CHROMIUM_ARGS  # noqa: E402  (same browser flags as the tests)
from helpers import SITE, SiteServer  # noqa: E402

CALCULATOR = "book/calc/repayment-plan.html"
EXERCISES = "book/calc/exercises.html"
ROLEPLAY = "book/practice/cannot-pay.html"
CALCULATOR_PAGES = ("book/calc/repayment-plan.html", "book/calc/overdue-fee.html")
TRANSFERRED = ("performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
               ".reduce((sum, e) => sum + e.transferSize, 0)")


def open_cold(browser, url: str):
    # Service workers blocked: the site's worker (hb-sw.js) fetches the runtime itself once it controls the page,
    # and those bytes are missing from the page's resource timing; blocked, every byte the page needs is counted.
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("window.hbCalculators && window.hbCalculators.state !== 'loading'", timeout=120_000)
    if page.evaluate("window.hbCalculators.state") != "ready":
        raise SystemExit(f"{url}: the browser runtime did not load")
    return context, page


def feedback(page, box: str, selector: str, answers: list[str]) -> list[float]:
    """Submit each answer in turn (text input + Enter) and collect the handler-to-verdict times."""
    times = []
    for answer in answers:
        before = int(page.get_attribute(box, "data-checked") or 0)
        page.fill(selector, answer)
        page.press(selector, "Enter")
        page.wait_for_function(f"Number(document.querySelector(\"{box}\").dataset.checked) > {before}")
        times.append(page.evaluate("window.hbPractice.lastFeedbackMs"))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold-cache page loads per page (the median is reported)")
    args = parser.parse_args(argv)
    if not (SITE / "index.html").is_file():
        raise SystemExit("no built site: run `make book` first")
    from playwright.sync_api import sync_playwright

    from procedures import exercises, roleplay

    compute = next(e for e in exercises.load("calc").exercises if e.kind == "compute")
    plan = next(s for s in roleplay.load("cannot-pay").steps if s.kind == "plan")
    with SiteServer(SITE) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        print(f"practice benchmark: {browser.version}, site served on 127.0.0.1, cold cache, {args.runs} runs per page")
        sizes: dict[str, list[float]] = {CALCULATOR: [], EXERCISES: [], ROLEPLAY: []}
        ready: dict[str, list[float]] = {EXERCISES: [], ROLEPLAY: []}
        latency: dict[str, list[float]] = {EXERCISES: [], ROLEPLAY: []}
        for _ in range(args.runs):
            for path in sizes:
                context, page = open_cold(browser, server.url + path)
                if path == EXERCISES:
                    page.wait_for_function("window.hbPractice.ready")
                    box, field = f"[data-exercise-box='{compute.id}']", f"[data-exercise='{compute.id}']"
                    latency[path] += feedback(page, box, field, ["40", "41", "abc", "￥40.00", "1,000"] * 4)
                elif path == ROLEPLAY:
                    page.wait_for_function("window.hbPractice.ready")
                    box, field = f"[data-step-box='{plan.id}']", f"[data-exercise='{plan.id}']"
                    latency[path] += feedback(page, box, field, ["12", "33", "61", "60", "两年"] * 4)
                if path in ready:
                    ready[path].append(page.evaluate("window.hbCalculators.marks.package") / 1000)
                sizes[path].append(page.evaluate(TRANSFERRED) / 1e6)
                context.close()
        calculator_mb = statistics.median(sizes[CALCULATOR])
        print(f"{CALCULATOR}: transferred {calculator_mb * 1e6:,.0f} bytes (the reference)")
        for path in (EXERCISES, ROLEPLAY):
            mb = statistics.median(sizes[path])
            times = latency[path]
            print(f"{path}:")
            print(f"  transferred for the page:  {mb * 1e6:,.0f} bytes ({(mb - calculator_mb) * 1000:+.1f} kB, "
                  f"{mb / calculator_mb:.4f} × the calculator page; target ≤ 1)")
            print(f"  runtime ready after open:  {statistics.median(ready[path]):5.2f} s")
            print(f"  feedback after 提交:        {statistics.median(times):5.1f} ms median, {max(times):.1f} ms worst of {len(times)} "
                  f"({max(times) / 200:.2f} × the 200 ms target)")
        browser.close()
    # The rest of a page's transfer (runtime, wheel, theme) is the same for every page: the HTML makes the difference.
    html = {path: (SITE / path).stat().st_size for path in sorted(SITE.glob("book/*/exercises.html"))}
    reference = {path: (SITE / path).stat().st_size for path in (CALCULATOR_PAGES)}
    print("page HTML (bytes): " + ", ".join(f"{p} {n:,}" for p, n in reference.items()))
    for path, size in html.items():
        print(f"  {path.relative_to(SITE)}: {size:,} ({size / min(reference.values()):.2f} × the smaller calculator page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
