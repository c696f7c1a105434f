"""Measure the in-browser calculators of the built site (run `make book` first).

For each calculator page, in headless Debian Chromium with a cold cache against
the site served on 127.0.0.1: time from navigation start to the first result
computed in the browser, bytes transferred for the page, and the time of a
recompute after an input change (median and worst of 10).  Targets: first
result ≤ 5 s, ≤ 20 MB, recompute ≤ 200 ms; the reference is a JupyterLite
build of the same idea (105 MB, about 7 s).

The cache benchmark (``--cache``, also run by default) serves the site with
``make serve``'s server (tools/serve.py; ``--server plain`` uses the old
``python -m http.server`` for comparison) and counts the bytes the server sends:
a *second* calculator page opened cold (empty browser cache) and warm (after the
first calculator page in the same browser profile), a repeat visit, and the
second page with the server stopped (offline, from the service worker).
Targets on the warm page: ≤ 1 MB transferred, ≤ 1.5 s to the first result.
For each it prints the median time to the first result, the CPU seconds spent
until then (main thread and whole renderer: figures that do not grow when other
programs share the machine), whether the page restored the interpreter snapshot
kept by the first calculator page (calculators.js), and where the time went,
from the page's own marks (window.hbCalculators.marks) and a timer around every
WebAssembly compile + instantiate.

Usage: python bench/bench_browser.py [--runs 3] [--only cache|pages] [--server serve|plain]
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

sys.path.insert(0, str(ROOT))
from tools.serve import make_server  # noqa: E402

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


FIRST, SECOND = "book/calc/overdue-fee.html", "book/calc/repayment-plan.html"
WARM_MB, WARM_S = 1.0, 1.5


class _PlainCounting(__import__("http.server").server.SimpleHTTPRequestHandler):
    """The old `make serve` (python -m http.server: no cache headers), counting the bytes it sends."""

    bytes_sent = 0

    def log_message(self, *args) -> None:
        pass

    def end_headers(self) -> None:
        type(self).bytes_sent += sum(len(h) for h in getattr(self, "_headers_buffer", []))
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        type(self).bytes_sent += len(data)
        outputfile.write(data)


def _start(kind: str, site=SITE):
    import functools
    import http.server
    import threading

    if kind == "serve":
        server = make_server(site, quiet=True)
        counter = server.handler_class
    else:
        counter = type("Plain", (_PlainCounting,), {"bytes_sent": 0})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(counter, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, counter, f"http://127.0.0.1:{server.server_port}/"


# Times every WebAssembly compile+instantiate of the page (Pyodide's loader calls the global at call time).
WASM_TIMER = """(() => {
  const spans = (window.__hbWasm = []);
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    WebAssembly[name] = async function (...args) {
      const started = performance.now();
      const out = await original.apply(this, args);
      spans.push(performance.now() - started);
      return out;
    };
  }
})();"""

# (label, start mark, end mark) of calculators.js's marks (ms since navigation start); "wasm" is WASM_TIMER's span.
PHASES = [
    ("page parsed, calculators.js starts", None, "boot"),
    ("loader module + manifest + wheel fetched", "boot", "fetched"),
    ("kept interpreter snapshot read", "fetched", "snapshotRead"),
    ("Python start (or snapshot restore)", "snapshotRead", "runtime"),
    ("  of which wasm compile + instantiate", None, "wasm"),
    ("wheel unpacked into the file system", "runtime", "unpacked"),
    ("package import (browser_call)", "unpacked", "package"),
    ("first computation + rendering", "package", "firstResult"),
]


def _phase(marks: dict, wasm: list[float], start: str | None, end: str) -> float | None:
    """Seconds of one phase; a mark an older calculators.js does not set folds its phase into the next one."""
    if end == "wasm":
        return sum(wasm) / 1000 if wasm else None
    if end not in marks:
        return None
    order = [m for _, _, m in PHASES if m != "wasm"]
    earlier = [m for m in order[: order.index(start) + 1] if m in marks] if start else []
    return (marks[end] - (marks[earlier[-1]] if earlier else 0)) / 1000


def _cpu(cdp) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def _open(page, url: str, counter) -> dict:
    """Open a calculator page: seconds to the first in-browser result, MB the server sent, phases, CPU seconds."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    before_cpu, before = _cpu(cdp), counter.bytes_sent
    page.goto(url)
    page.wait_for_function("window.hbCalculators && window.hbCalculators.state !== 'loading'", timeout=120_000)
    state = page.evaluate("window.hbCalculators")
    if state["state"] != "ready":
        raise SystemExit(f"{url}: the browser runtime did not load: {page.inner_text('.hb-status')}")
    after_cpu = _cpu(cdp)
    marks = dict(state["marks"], firstResult=state["firstResultMs"])
    wasm = page.evaluate("window.__hbWasm || []")
    page.wait_for_load_state("networkidle")
    phases = {label: _phase(marks, wasm, start, end) for label, start, end in PHASES}
    return {"first": state["firstResultMs"] / 1000, "mb": (counter.bytes_sent - before) / 1e6, "phases": phases,
            "snapshot": state.get("snapshot") or "none",
            # CPU seconds, independent of how long the machine made the page wait: the page's main thread
            # (ThreadTime, counted per document) and the whole renderer process (all threads: wasm compilers too).
            "main_cpu": after_cpu["ThreadTime"], "renderer_cpu": after_cpu["ProcessTime"] - before_cpu["ProcessTime"]}


def _engine_cached(page) -> bool:
    return page.evaluate("""async () => {
        const names = await caches.keys();
        let engine = false;
        for (const name of names) {
            const keys = await (await caches.open(name)).keys();
            if (keys.some((r) => r.url.endsWith('pyodide.asm.wasm')) && keys.some((r) => r.url.endsWith('.whl'))) engine = true;
        }
        if (!('snapshot' in window.hbCalculators)) return engine;  // a calculators.js from before the snapshot
        return engine && names.includes('hb-snapshot') && (await (await caches.open('hb-snapshot')).keys()).length > 0;
    }""")


def cache_benchmark(playwright, runs: int, kind: str, site=SITE) -> dict[str, list[dict]]:
    """Per scenario (second page cold, warm, repeat visit, offline), one _open() figure set per run."""
    figures: dict[str, list[dict]] = {"cold": [], "warm": [], "repeat": [], "offline": []}
    for _ in range(runs):
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        server, counter, url = _start(kind, site)
        try:
            cold = browser.new_context()  # the second calculator page with nothing cached
            cold.add_init_script(WASM_TIMER)
            figures["cold"].append(_open(cold.new_page(), url + SECOND, counter))
            cold.close()
            context = browser.new_context()
            context.add_init_script(WASM_TIMER)
            page = context.new_page()
            _open(page, url + FIRST, counter)
            for _ in range(60):  # the service worker keeps the engine, the page its snapshot (a few seconds after the first result)
                if kind != "serve" or _engine_cached(page):
                    break
                page.wait_for_timeout(500)
            figures["warm"].append(_open(page, url + SECOND, counter))
            page.close()
            figures["repeat"].append(_open(context.new_page(), url + FIRST, counter))
            server.shutdown()
            server.server_close()
            try:
                figures["offline"].append(_open(context.new_page(), url + SECOND, counter))
            except Exception as error:  # noqa: BLE001 (offline without a worker: no page at all)
                print(f"  offline: not available ({str(error).splitlines()[0]})")
            context.close()
        finally:
            browser.close()
    return {k: v for k, v in figures.items() if v}


def _load() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load average unknown"


def print_cache(result: dict[str, list[dict]], kind: str, runs: int, load_before: str) -> None:
    print(f"cache benchmark ({kind} server: {'tools/serve.py + service worker' if kind == 'serve' else 'python -m http.server'}),"
          f" second calculator page {SECOND}, median of {runs}; {load_before} before, {_load()} after:")
    labels = {"cold": "cold (empty cache)", "warm": "warm (after the first calculator page)",
              "repeat": "repeat visit (first page again)", "offline": "offline (server stopped)"}
    median = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    for key, rows in result.items():
        seconds, mb = median(rows, "first"), median(rows, "mb")
        target = f"  [targets ≤ {WARM_MB:.0f} MB, ≤ {WARM_S} s: {'met' if mb <= WARM_MB and seconds <= WARM_S else 'NOT met'}]" if key == "warm" else ""
        runs_s = ", ".join(f"{r['first']:.2f}" for r in rows)
        print(f"  {labels[key]:40} {mb:7.3f} MB sent, first result after {seconds:5.2f} s (runs: {runs_s}){target}")
        print(f"      CPU to the first result: main thread {median(rows, 'main_cpu'):.2f} s, renderer process"
              f" {median(rows, 'renderer_cpu'):.2f} s; snapshot: {', '.join(sorted({r['snapshot'].split(':')[0] for r in rows}))}")
        for label, _, _ in PHASES:
            values = [r["phases"][label] for r in rows if r["phases"][label] is not None]
            print(f"      {label:44} {statistics.median(values):5.2f} s" if values else f"      {label:44}     — (not marked)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold-cache page loads per page (the median is reported)")
    parser.add_argument("--only", choices=("pages", "cache"), help="run one of the two benchmarks")
    parser.add_argument("--server", choices=("serve", "plain"), default="serve", help="server for the cache benchmark")
    parser.add_argument("--site", type=Path, default=SITE, help="built site for the cache benchmark (e.g. an older build)")
    args = parser.parse_args(argv)
    if not (SITE / "index.html").is_file():
        raise SystemExit("no built site: run `make book` first")
    from playwright.sync_api import sync_playwright

    if args.only != "pages":
        with sync_playwright() as playwright:
            load_before = _load()
            print_cache(cache_benchmark(playwright, args.runs, args.server, args.site), args.server, args.runs, load_before)
    if args.only == "cache":
        return 0

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
