"""Headless Debian chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``).

The browser reads JSON commands on its file descriptor 3 and writes replies and events on 4, each
message ending in a NUL byte: no debugging port is opened and nothing but the standard library is needed.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

# Needed to run as root in a container, and to keep a headless browser from calling home.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    "--remote-debugging-pipe",
]


class ChromiumError(RuntimeError):
    """The browser could not be started, or a protocol command failed."""


def find_chromium() -> str:
    """Path of Debian's chromium (``$CHROMIUM`` overrides); a clear error when it is missing.

    >>> os.access(find_chromium(), os.X_OK)
    True
    """
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise ChromiumError("chromium is not installed: run 'tools/ensure_system_deps.sh pdf' "
                            "(or 'sudo apt-get install chromium')")
    return path


def _move_fds(read_fd: int, write_fd: int) -> None:  # runs in the child, between fork and exec
    high_read = fcntl.fcntl(read_fd, fcntl.F_DUPFD, 10)
    high_write = fcntl.fcntl(write_fd, fcntl.F_DUPFD, 10)
    os.dup2(high_read, 3)
    os.dup2(high_write, 4)


class Browser:
    """One headless chromium with a fresh profile directory; use it as a context manager.

    >>> with Browser() as browser:
    ...     browser.load("data:text/html;charset=utf-8,<title>违约金</title>")
    ...     browser.evaluate("document.title")
    ...     browser.print_pdf({}).startswith(b"%PDF")
    '违约金'
    True
    """

    def __init__(self, timeout: float = 120.0) -> None:
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._profile = tempfile.TemporaryDirectory(prefix="handbook-pdf-chromium-")
        to_child_read, self._to_child = os.pipe()
        self._from_child, from_child_write = os.pipe()
        log = Path(self._profile.name) / "chromium.log"
        self._log = log.open("wb")
        self._proc = subprocess.Popen(
            [find_chromium(), *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
            pass_fds=(3, 4), preexec_fn=lambda: _move_fds(to_child_read, from_child_write),
        )
        os.close(to_child_read)
        os.close(from_child_write)
        self.session: str | None = None

    # -- protocol ---------------------------------------------------------------------------
    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise ChromiumError("chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise ChromiumError(f"chromium exited: {self._log_tail()}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, *, browser_level: bool = False) -> dict:
        """Send one command (to the page session unless ``browser_level``) and return its result."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not browser_level:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise ChromiumError(f"{method} failed: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def wait_event(self, method: str) -> dict[str, Any]:
        """Wait for the next event ``method`` of the page session (events already received count)."""
        deadline = time.monotonic() + self.timeout
        while True:
            for index, event in enumerate(self._events):
                if event["method"] == method:
                    del self._events[: index + 1]
                    return event.get("params", {})
            self._events.append(self._read_message(deadline))

    # -- page -------------------------------------------------------------------------------
    def open_page(self) -> None:
        """Create a page and attach to it (flat session mode)."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser_level=True)
        attached = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True},
                             browser_level=True)
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def load(self, url: str, ready_expression: str = "true") -> None:
        """Navigate to ``url`` and wait for the load event, then for ``ready_expression`` (a promise)."""
        self._events.clear()
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise ChromiumError(f"cannot open {url}: {result['errorText']}")
        self.wait_event("Page.loadEventFired")
        self.evaluate(ready_expression)

    def evaluate(self, expression: str) -> object:
        """The JSON value of a JavaScript expression (awaited when it is a promise) in the page."""
        value = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                               "returnByValue": True})
        if "exceptionDetails" in value:
            raise ChromiumError(f"script failed: {value['exceptionDetails'].get('text')}")
        return value["result"].get("value")

    def print_pdf(self, options: dict[str, Any]) -> bytes:
        """``Page.printToPDF`` of the loaded page with ``options``; the PDF bytes."""
        result = self.send("Page.printToPDF", {**options, "transferMode": "ReturnAsBase64"})
        return base64.b64decode(result["data"])

    # -- lifetime ---------------------------------------------------------------------------
    def _log_tail(self) -> str:
        self._log.flush()
        text = (Path(self._profile.name) / "chromium.log").read_text(errors="replace")
        return text.strip().splitlines()[-1] if text.strip() else "(no output)"

    def close(self) -> None:
        """Ask the browser to quit, then make sure it has; remove its profile directory."""
        try:
            if self._proc.poll() is None:
                try:
                    self.send("Browser.close", browser_level=True)
                except (ChromiumError, OSError):
                    pass
                try:
                    self._proc.wait(10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
        finally:
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._log.close()
            self._profile.cleanup()

    def __enter__(self) -> "Browser":
        try:
            self.open_page()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
