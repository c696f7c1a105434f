"""Time `make live` from start to the first rendered ipywidget (issue 13 target: under 10 s on a warm machine).

Each run does what a trainer does: starts the classroom the way `make live` does
(``python -m tools.live serve``: the classroom copy in ``_build/live``, JupyterLab
on 127.0.0.1, in Chinese, offline), opens a calculator page in headless Debian
Chromium (the browser tests' flags; never a downloaded browser), runs all its
cells (select all, Shift+Enter) and waits until the first ipywidget is drawn.
The server is then stopped through its REST API (kernels included) and the
browser closed.  The first run is the cold one (Python's bytecode, the kernel's
imports and the lab's files not yet in the page cache, an empty browser cache); the
later runs are warm: the browser keeps JupyterLab's cached files as a trainer's does
(``--fresh-browser``: an empty browser cache on every run).

Printed per run: copy written and server answering, lab page loaded, notebook
shown, kernel idle, first widget, all in seconds since the start.

Usage: python bench/bench_live.py [--runs 2] [--page book/calc/overdue-fee]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.append(str(ROOT))

from conftest import CHROMIUM_ARGS  # noqa: E402  (same browser flags as the tests)

TARGET_S = 10.0
URL = re.compile(r"open (http://127\.0\.0\.1:\d+)/lab/tree/\S+\?token=(\w+)")
WIDGET = ".jp-OutputArea-output .jupyter-widgets"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_live(port: int) -> tuple[subprocess.Popen, str, str, list[str]]:
    """``make live``'s command (tools.live serve) as a process group of its own; returns it, the base URL and the token."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
    process = subprocess.Popen([sys.executable, "-m", "tools.live", "serve", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    found: list[tuple[str, str]] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip())
            match = URL.search(line)
            if match and not found:
                found.append((match.group(1), match.group(2)))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(120) or not found:
        stop(process, None, None)
        raise SystemExit("tools.live serve did not print its address:\n" + "\n".join(lines[-20:]))
    return process, found[0][0], found[0][1], lines


def wait_http(base: str, token: str, deadline: float) -> None:
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the JupyterLab server did not answer")


def kernel_idle(base: str, token: str) -> bool:
    import json

    try:
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=2) as response:
            sessions = json.loads(response.read().decode())
    except OSError:
        return False
    return any(s.get("kernel", {}).get("execution_state") == "idle" for s in sessions)


def stop(process: subprocess.Popen, base: str | None, token: str | None) -> None:
    """Shut the server down through its API (it stops its kernels), then make sure its process group is gone."""
    if base and token and process.poll() is None:
        try:
            request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(request, timeout=10).close()
        except OSError:
            pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)  # only the group this script started
        process.wait(timeout=30)


def one_run(context, page_docname: str) -> dict[str, float]:
    from tools import live

    target = next(p for p in live.book_pages() if p.docname == page_docname)
    marks: dict[str, float] = {}  # seconds since the start (and how often run-all was pressed)
    started = time.perf_counter()
    process, base, token, log = start_live(free_port())
    try:
        marks["copy written, address printed"] = time.perf_counter() - started
        wait_http(base, token, time.time() + 120)
        marks["server answering"] = time.perf_counter() - started
        page = context.new_page()
        try:
            page.goto(f"{base}/lab/tree/{quote(target.live_path)}?token={token}", timeout=120_000)
            marks["lab page loaded"] = time.perf_counter() - started
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            marks["notebook shown"] = time.perf_counter() - started
            # The page's kernel is up once the server lists its session with the kernel idle.
            deadline = time.time() + 120
            while not kernel_idle(base, token):
                if time.time() > deadline:
                    raise SystemExit("the page's kernel did not start")
                time.sleep(0.05)
            marks["kernel idle"] = time.perf_counter() - started
            # Any widget drawn on screen (cells the site hides keep their outputs folded, so not the first match).
            drawn = f"[...document.querySelectorAll('{WIDGET}')].some(e => e.getClientRects().length > 0)"
            presses = 0
            while presses < 30:  # a key pressed while the lab is still wiring the notebook can be lost: press again
                presses += 1
                page.click(".jp-Notebook .jp-Cell")  # focus the notebook
                page.keyboard.press("Escape")          # command mode
                page.keyboard.press("Control+a")       # select all cells
                page.keyboard.press("Shift+Enter")     # run them (JupyterLab's "run selected cells")
                try:
                    page.wait_for_function(drawn, timeout=6_000, polling=50)
                    break
                except Exception:  # noqa: BLE001 - playwright's TimeoutError: not drawn yet, run all again
                    continue
            if not page.evaluate(drawn):
                raise SystemExit("no widget was drawn after running the page 30 times")
            marks["presses of run all"] = presses
            marks["first widget rendered"] = time.perf_counter() - started
        finally:
            page.close()
    finally:
        stop(process, base, token)
    errors = [line for line in log if "Traceback" in line or "Error" in line]
    if errors:
        print("  server log:", *errors[:5], sep="\n    ")
    return marks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="runs; the first is the cold one (default 2)")
    parser.add_argument("--fresh-browser", action="store_true",
                        help="a new browser context (empty HTTP cache) for every run; by default the later runs keep the "
                             "lab's cached files, as a trainer's browser does")
    parser.add_argument("--page", default="book/calc/overdue-fee", help="the page to open (a docname of _toc.yml)")
    args = parser.parse_args(argv)
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Debian chromium is not installed: run tools/ensure_system_deps.sh browser")
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            print(f"make live benchmark: {browser.version}, page {args.page}, {args.runs} runs (the first is cold)")
            context = None
            for run in range(1, args.runs + 1):
                if context is None or args.fresh_browser:
                    if context is not None:
                        context.close()
                    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
                marks = one_run(context, args.page)
                results.append(marks["first widget rendered"])
                print(f"run {run} ({'cold' if run == 1 else 'warm'}):")
                for name, seconds in marks.items():
                    print(f"  {name:<32} {seconds:6.2f}" + ("" if name.startswith("presses") else " s"))
        finally:
            browser.close()
    warm = min(results[1:]) if len(results) > 1 else results[0]
    print(f"first widget: cold {results[0]:.2f} s, warm {warm:.2f} s ({warm / TARGET_S:.2f} × the {TARGET_S:.0f} s target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
