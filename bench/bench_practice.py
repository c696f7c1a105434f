"""Measure the answerable exercises and role-plays of the built site (run `make book` first).

In headless Debian Chromium, cold cache, service worker blocked (so every byte
a page needs is counted), site served on 127.0.0.1:

- for every exercises page and every role-play page (found from _toc.yml), the bytes transferred once
  the page is open and its runtime is ready (before any 提交), against the
  lighter of the two calculator pages: target ≤ 1, one PASS/OVER line per page
  and a final verdict (exit status 1 when a page is over);
- for one exercises page and one role-play page, the time until the runtime is
  ready and the feedback latency after 提交 once it is
  (``window.hbPractice.lastFeedbackMs``: from the click handler to the verdict
  on screen; median and worst of 20 submissions; target ≤ 200 ms).

Usage: python bench/bench_practice.py [--runs 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.append(str(ROOT))  # the project packages, after tests/ (its conftest has the browser flags)

from conftest import CHROMIUM_ARGS  # noqa: E402  (same browser flags as the tests)
from helpers import SITE, SiteServer  # noqa: E402

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


def transferred(browser, url: str, runs: int) -> int:
    """Median bytes a page transfers, cold, once open with its runtime ready (no answer submitted)."""
    sizes = []
    for _ in range(runs):
        context, page = open_cold(browser, url)
        if page.evaluate("!!document.querySelector('.hb-exercise, .hb-roleplay')"):
            page.wait_for_function("window.hbPractice.ready")
        sizes.append(page.evaluate(TRANSFERRED))
        context.close()
    return int(statistics.median(sizes))


def toc_files(entry) -> list[str]:
    """Every ``file`` of a ``_toc.yml`` entry (the root mapping, a part, a chapter, a section), in reading order."""
    if isinstance(entry, list):
        return [f for item in entry for f in toc_files(item)]
    if not isinstance(entry, dict):
        return []
    own = [entry[k] for k in ("root", "file") if k in entry]
    return own + [f for k in ("parts", "chapters", "sections") for f in toc_files(entry.get(k, []))]


def practice_pages() -> list[str]:
    """Every page of the table of contents that shows answerable exercises or a role-play, in reading order.

    The pages are read from ``_toc.yml`` (some are generated at build time, so each is recognised in the built
    site, by its answer boxes or role-play): a new exercises page or case is measured without editing this file.
    """
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    answerable = re.compile(r'class="hb-exercise"|class="hb-roleplay"')
    return [f"{doc}.html" for doc in toc_files(toc) if answerable.search((SITE / f"{doc}.html").read_text(encoding="utf-8"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold-cache page loads per page (the median is reported)")
    parser.add_argument("--bytes-only", action="store_true", help="only the bytes per page, not the latency")
    args = parser.parse_args(argv)
    if not (SITE / "index.html").is_file():
        raise SystemExit("no built site: run `make book` first")
    from playwright.sync_api import sync_playwright

    from procedures import exercises, roleplay

    compute = next(e for e in exercises.load("calc").exercises if e.kind == "compute")
    plan = next(s for s in roleplay.load("cannot-pay").steps if s.kind == "plan")
    over = []
    with SiteServer(SITE) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        print(f"practice benchmark: {browser.version}, site served on 127.0.0.1, cold cache, service worker blocked, "
              f"{args.runs} runs per page (median)")
        reference = {path: transferred(browser, server.url + path, args.runs) for path in CALCULATOR_PAGES}
        for path, size in reference.items():
            print(f"  {path:40} {size:>12,} B  (calculator page)")
        lighter = min(reference.values())
        print(f"bytes transferred once open and ready, against the lighter calculator page ({lighter:,} B); target ≤ 1.0000:")
        for path in practice_pages():
            size = transferred(browser, server.url + path, args.runs)
            html = (SITE / path).stat().st_size
            ok = size <= lighter
            if not ok:
                over.append(path)
            print(f"  {path:40} {size:>12,} B  {size / lighter:.4f} ×  {size - lighter:+8,} B  "
                  f"(HTML {html:,} B)  {'PASS' if ok else 'OVER'}")
        if not args.bytes_only:
            ready: dict[str, list[float]] = {EXERCISES: [], ROLEPLAY: []}
            latency: dict[str, list[float]] = {EXERCISES: [], ROLEPLAY: []}
            for _ in range(args.runs):
                for path in ready:
                    context, page = open_cold(browser, server.url + path)
                    page.wait_for_function("window.hbPractice.ready")
                    if path == EXERCISES:
                        box, field = f"[data-exercise-box='{compute.id}']", f"[data-exercise='{compute.id}']"
                        latency[path] += feedback(page, box, field, ["40", "41", "abc", "￥40.00", "1,000"] * 4)
                    else:
                        box, field = f"[data-step-box='{plan.id}']", f"[data-exercise='{plan.id}']"
                        latency[path] += feedback(page, box, field, ["12", "33", "61", "60", "两年"] * 4)
                    ready[path].append(page.evaluate("window.hbCalculators.marks.package") / 1000)
                    context.close()
            for path in ready:
                times = latency[path]
                print(f"{path}:")
                print(f"  runtime ready after open:  {statistics.median(ready[path]):5.2f} s")
                print(f"  feedback after 提交:        {statistics.median(times):5.1f} ms median, {max(times):.1f} ms worst "
                      f"of {len(times)} ({max(times) / 200:.2f} × the 200 ms target)")
        browser.close()
    if over:
        print(f"OVER: {len(over)} page(s) transfer more than the lighter calculator page: " + ", ".join(over))
        return 1
    print("PASS: every exercises and role-play page transfers no more than the lighter calculator page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
