"""Shared helpers for the build and site tests: project paths, strict build flags, a local server."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"


def strict_flags() -> list[str]:
    """The build flags `make book` uses (read from the Makefile, so the tests prove what users run)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(r"^JB_FLAGS\s*:=\s*(.+)$", text, re.M).group(1).split()


def run_build(source: Path, *extra: str, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """Build ``source`` the way `make book` does (tools/build_book.py, the Makefile's strict flags)."""
    pythonpath = os.pathsep.join(p for p in (str(source), str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "tools.build_book", "build", str(source), *strict_flags(), *extra],
        cwd=source, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {}), "PYTHONPATH": pythonpath},
    )


def copy_project(target: Path) -> Path:
    """A copy of the project's sources (no build outputs, venv or git), sharing the npm tarball cache."""
    ignore = shutil.ignore_patterns("_build", ".venv", ".git", ".cache", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info")
    shutil.copytree(ROOT, target, ignore=ignore)
    cache = ROOT / ".cache" / "npm"
    if cache.is_dir():
        (target / ".cache").mkdir()
        (target / ".cache" / "npm").symlink_to(cache, target_is_directory=True)
    return target


class _QuietHandler(http.server.SimpleHTTPRequestHandler):

    def log_message(self, *args) -> None:  # keep test output clean
        pass


class SiteServer:
    """Serve a directory on 127.0.0.1 (a free port) in a background thread, like an intranet server."""

    def __init__(self, directory: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def open_ready(page, site_url: str, path: str, *, practice: bool = False, timeout: int = 90_000) -> tuple[list[str], list[str]]:
    """Open a site page, collect foreign requests and page errors, and wait for the in-browser runtime.

    ``practice=True`` waits for book/_static/practice.js (exercise and role-play pages) as well.  The two
    lists returned fill as the test goes on: a test ends with ``assert foreign == [] and errors == []``.
    """
    foreign: list[str] = []
    errors: list[str] = []
    local = urlparse(site_url).netloc
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).scheme.startswith("http") and urlparse(r.url).netloc != local else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + path)
    if practice:
        page.wait_for_function("window.hbPractice && (window.hbPractice.ready || window.hbCalculators.state === 'failed')", timeout=timeout)
        assert page.evaluate("window.hbPractice.ready"), page.evaluate("window.hbCalculators.state")
    else:
        page.wait_for_function("window.hbCalculators && window.hbCalculators.state !== 'loading'", timeout=timeout)
        assert page.evaluate("window.hbCalculators.state") == "ready", page.inner_text(".hb-status")
    return foreign, errors
