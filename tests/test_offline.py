"""The engine once per reader: `make serve`'s cache headers, and the service worker (second page, offline)."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse

import pytest

from helpers import ROOT, SITE
from test_browser_practice import answer, exercise_page, open_ready
from test_practice import KEYS, right_answer, wrong_answer
from tools.serve import IMMUTABLE, REVALIDATE, VENDOR, make_server

pytestmark = pytest.mark.browser

FIRST, SECOND = "book/calc/overdue-fee.html", "book/calc/repayment-plan.html"


@pytest.fixture
def served():
    server = make_server(SITE, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def get(server, path: str, **headers) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
    connection.request("GET", "/" + urllib.parse.quote(path, safe="/?=&.-_"), headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_make_serve_uses_the_caching_server_on_loopback():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\t$(PYTHON) -m tools.serve --port $(PORT) --directory _build/html\n" in makefile
    server = make_server(SITE)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_cache_headers_and_compression(served):
    wasm = get(served, "_static/vendor/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "gzip"})
    size = (SITE / "_static/vendor/pyodide/pyodide.asm.wasm").stat().st_size
    assert wasm.status == 200 and wasm.getheader("Cache-Control") == VENDOR and wasm.getheader("Content-Encoding") == "gzip"
    assert wasm.getheader("Content-Type") == "application/wasm" and len(wasm.body) < size / 2
    page = get(served, FIRST)
    assert page.getheader("Cache-Control") == REVALIDATE and page.getheader("Content-Encoding") is None
    checksummed = next(p for p in page.body.decode().split('"') if "_static/" in p and "?v=" in p)
    asset = get(served, urllib.parse.urljoin(FIRST, checksummed))
    assert asset.status == 200 and asset.getheader("Cache-Control") == IMMUTABLE
    again = get(served, FIRST, **{"If-None-Match": page.getheader("ETag")})
    assert again.status == 304 and again.body == b""
    worker = get(served, "hb-sw.js")
    assert worker.getheader("Cache-Control") == REVALIDATE and b"__HB_VERSION__" not in worker.body
    # the address make serve prints (the site's root, its index.html) revalidates too (session 33 probe)
    root = get(served, "")
    assert root.status == 200 and root.getheader("Cache-Control") == REVALIDATE and root.getheader("ETag")
    assert root.body == (SITE / "index.html").read_bytes()


def _open_ready(page, url):
    page.goto(url)
    page.wait_for_function("window.hbCalculators && window.hbCalculators.state !== 'loading'", timeout=120_000)
    assert page.evaluate("window.hbCalculators.state") == "ready", page.inner_text(".hb-status")


def _wait_until_quiet(server, quiet_s: float = 2.0, timeout_s: float = 60.0) -> None:
    """Wait until the server has sent nothing for ``quiet_s`` seconds (fails after ``timeout_s``)."""
    deadline = time.monotonic() + timeout_s
    last, since = server.handler_class.bytes_sent, time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = server.handler_class.bytes_sent
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
    pytest.fail(f"the server never went quiet for {quiet_s} s within {timeout_s} s")


def test_second_calculator_page_and_offline_visit_load_the_engine_from_cache(browser, served):
    url = f"http://127.0.0.1:{served.server_port}/"
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        _open_ready(page, url + FIRST)
        # The worker keeps what the first page loaded before it took control by fetching each file again, one
        # after another (hb-offline.js hands them over): wait until every versioned file of the first page is kept,
        # the engine among them, so that none of those fetches falls into the second page's count.
        page.wait_for_function("""async () => {
            const kept = new Set();
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) kept.add(request.url);
            }
            const loaded = performance.getEntriesByType('resource').map((e) => e.name.split('#')[0])
                .filter((u) => u.startsWith(location.origin) && (u.includes('/_static/') || u.endsWith('/searchindex.js')));
            const urls = [...kept];
            return urls.some((u) => u.endsWith('pyodide.asm.wasm')) && urls.some((u) => u.endsWith('.whl'))
                && loaded.every((u) => kept.has(u));
        }""", timeout=60_000, polling=500)
        _wait_until_quiet(served)  # the first page and the worker have finished downloading
        before = served.handler_class.bytes_sent
        served.handler_class.sent_log = log = []
        second = context.new_page()
        _open_ready(second, url + SECOND)
        second.wait_for_load_state("networkidle")
        sent = served.handler_class.bytes_sent - before
        largest = sorted(log, key=lambda entry: -entry[1])[:10]
        assert sent <= 1_000_000, f"a second calculator page downloaded {sent} bytes, the largest files: {largest}"
        served.shutdown()  # offline: the server is gone
        served.server_close()
        offline = context.new_page()
        _open_ready(offline, url + SECOND)
        assert "还款" in offline.inner_text(".hb-result")
    finally:
        context.close()


def _results(page, values: list[str]) -> list[str]:
    """The plan page's result for its default inputs, then for each number of periods in ``values``."""
    shown = [page.inner_html(".hb-result")]
    for value in values:
        before = int(page.get_attribute(".hb-calc", "data-computed"))
        page.fill(".hb-calc [name='periods']", value)
        page.wait_for_function(f"Number(document.querySelector('.hb-calc').dataset.computed) > {before}")
        shown.append(page.inner_html(".hb-result"))
    return shown


def _snapshot_kept(page) -> None:
    """Wait until the page has kept (or failed to keep) its interpreter copy, then check there is exactly one."""
    page.wait_for_function("/kept/.test(window.hbCalculators.snapshot || '')", timeout=60_000, polling=200)
    assert page.evaluate("async () => (await (await caches.open('hb-snapshot')).keys()).length") == 1


def test_later_pages_restore_the_kept_interpreter_and_compute_the_same(browser, served):
    url = f"http://127.0.0.1:{served.server_port}/"
    values = ["24", "0", "60"]  # 0 periods is an input error: the restored interpreter must report it the same way
    cold = browser.new_context(locale="zh-CN")
    warm = browser.new_context(locale="zh-CN")
    try:
        fresh = cold.new_page()
        _open_ready(fresh, url + SECOND)
        assert fresh.evaluate("window.hbCalculators.snapshot") is None  # started Python: nothing to restore
        expected = _results(fresh, values)
        assert "950.40" in expected[0] and expected[1] != expected[0] and "请先更正" in expected[2] and expected[3] != expected[1]
        first = warm.new_page()
        _open_ready(first, url + FIRST)
        _snapshot_kept(first)
        assert first.evaluate("window.hbCalculators.snapshot").startswith("kept: ")
        later = warm.new_page()
        _open_ready(later, url + SECOND)
        assert later.evaluate("window.hbCalculators.snapshot") == "restored"
        assert _results(later, values) == expected
        # Exercise pages share the runtime: the restored interpreter grades answers like a fresh one.
        # (The rules chapter's exercises take several pages: each kind is answered on the page that shows it.)
        for kind in ("compute", "choice", "spot"):
            key = next(k for k in KEYS.values() if k["chapter"] == "rules" and k["kind"] == kind)
            exercises = warm.new_page()
            foreign, errors = open_ready(exercises, url, exercise_page(key["id"]))
            assert exercises.evaluate("window.hbCalculators.snapshot") == "restored"
            assert answer(exercises, key, wrong_answer(key)) == "incorrect"
            assert answer(exercises, key, right_answer(key)) == "correct"
            assert foreign == [] and errors == []
            exercises.close()
        # A damaged copy is not trusted: the page starts Python afresh, computes the same, and keeps a new copy.
        first.evaluate("""async () => {
            const cache = await caches.open('hb-snapshot');
            const [key] = await cache.keys();
            await cache.put(key, new Response(new Uint8Array(1 << 20).fill(7)));
        }""")
        damaged = warm.new_page()
        _open_ready(damaged, url + SECOND)
        assert damaged.evaluate("window.hbCalculators.snapshot").startswith("restore failed")
        assert _results(damaged, values) == expected
        _snapshot_kept(damaged)
        assert damaged.evaluate("window.hbCalculators.snapshot").startswith("kept: ")
    finally:
        cold.close()
        warm.close()
