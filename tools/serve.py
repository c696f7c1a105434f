"""Serve the built site on 127.0.0.1 the way an intranet server should: ``make serve``.

Like ``python -m http.server`` (loopback only, no other dependency), plus what
makes the in-browser calculator engine download once per reader:

* **Cache headers** (:func:`cache_control`): Sphinx's and the theme's checksummed
  files (``?v=…``, ``?digest=…``) are immutable for a year; the pinned vendor assets
  (``_static/vendor/``: Pyodide, MathJax…, versions in ``assets/vendor.json``)
  are fresh for a day, then revalidated; pages, the calculators app and the
  service worker are always revalidated (``no-cache``: a 304 costs a few
  hundred bytes).  Every response carries ``Last-Modified`` and an ``ETag``.
* **Compression**: text, scripts and the WebAssembly runtime are sent gzipped
  to browsers that accept it (a precompressed ``file.gz`` next to the file is
  used as is; otherwise the file is compressed once and kept in memory).

The README ("Serving the site") gives the same settings for nginx and IIS.

Usage: ``python -m tools.serve [--port 8000] [--directory _build/html]``
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
IMMUTABLE = "public, max-age=31536000, immutable"
VENDOR = "public, max-age=86400"
REVALIDATE = "no-cache"
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".wasm", ".map", ".xml", ".woff", ".ttf", ".eot"}


def cache_control(url_path: str) -> str:
    """The Cache-Control header for a request path (with its query string).

    >>> cache_control("/_static/styles/theme.css?v=8ff9e9d4"), cache_control("/_static/scripts/bootstrap.js?digest=55c2")
    ('public, max-age=31536000, immutable', 'public, max-age=31536000, immutable')
    >>> cache_control("/_static/vendor/pyodide/pyodide.asm.wasm")
    'public, max-age=86400'
    >>> cache_control("/book/calc/overdue-fee.html"), cache_control("/_static/app/manifest.json")
    ('no-cache', 'no-cache')
    """
    parts = urlsplit(url_path)
    if any(p.startswith(("v=", "digest=")) for p in parts.query.split("&")):
        return IMMUTABLE
    if parts.path.startswith("/_static/vendor/"):
        return VENDOR
    return REVALIDATE


class CachingHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler with cache headers, ETags and gzip (see the module docstring)."""

    _gzipped: dict[tuple[str, int], bytes] = {}
    quiet = False
    bytes_sent = 0  # body and header bytes written, for the benchmark (class-wide counter)
    sent_log: list[tuple[str, int]] | None = None  # (path, body bytes) of each response, when a caller sets a list

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)

    def send_head(self):
        path = self.translate_path(self.path)
        index = os.path.join(path, "index.html")
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/") and os.path.isfile(index):
            path = index  # a folder's page ("/", the address make serve prints) gets the same headers as the page itself
        elif os.path.isdir(path) or not os.path.isfile(path):
            return super().send_head()  # directory redirects, listings and 404s as usual
        stat = os.stat(path)
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        suffix = Path(path).suffix.lower()
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self._common_headers(etag, stat, suffix)
            self.end_headers()
            return None
        body = None
        if accepts_gzip and suffix in COMPRESSIBLE and stat.st_size > 1024:
            body = self._compressed(path, stat)
        if body is None:
            with open(path, "rb") as handle:
                body = handle.read()
            encoding = None
        else:
            encoding = "gzip"
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self._common_headers(etag, stat, suffix)
        self.end_headers()
        return _Body(body)

    def _common_headers(self, etag: str, stat: os.stat_result, suffix: str) -> None:
        self.send_header("Cache-Control", cache_control(self.path))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        if suffix in COMPRESSIBLE:
            self.send_header("Vary", "Accept-Encoding")

    def _compressed(self, path: str, stat: os.stat_result) -> bytes | None:
        pre = path + ".gz"
        if os.path.isfile(pre) and os.stat(pre).st_mtime >= stat.st_mtime:
            with open(pre, "rb") as handle:
                return handle.read()
        key = (path, stat.st_mtime_ns)
        if key not in self._gzipped:
            with open(path, "rb") as handle:
                self._gzipped[key] = gzip.compress(handle.read(), compresslevel=6, mtime=0)
        return self._gzipped[key]

    def copyfile(self, source, outputfile) -> None:
        if isinstance(source, _Body):
            outputfile.write(source.data)
            type(self).bytes_sent += len(source.data)
            if self.sent_log is not None:
                self.sent_log.append((self.path, len(source.data)))
        else:
            super().copyfile(source, outputfile)

    def end_headers(self) -> None:
        type(self).bytes_sent += sum(len(h) for h in getattr(self, "_headers_buffer", []))
        super().end_headers()


class _Body:
    """An in-memory response body (SimpleHTTPRequestHandler expects a file; closing it is a no-op)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def close(self) -> None:
        pass


def make_server(directory: Path, port: int = 0, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    """A threading server for ``directory`` on 127.0.0.1 (loopback only; port 0 picks a free one)."""
    handler_class = type("Handler", (CachingHandler,), {"quiet": quiet, "bytes_sent": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler_class, directory=str(directory)))
    server.handler_class = handler_class  # its bytes_sent counts what the server wrote
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").is_file():
        print(f"error: no site in {args.directory}: run 'make book' first", file=sys.stderr)
        return 1
    with make_server(args.directory, args.port) as server:
        print(f"serving {args.directory} on http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
