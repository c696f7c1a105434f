"""The site's service worker, versioned (a Sphinx extension, set up by tools/site_reader.py).

``book/_static/hb-sw.js`` is copied to the site root as ``hb-sw.js`` (a worker
controls only pages under its own folder) with ``__HB_VERSION__`` replaced by
a digest of the pinned vendor assets and the calculators app, so a new
Pyodide or a new wheel gets a new cache and the old one is deleted.
``hb-offline.js`` (on every page) registers it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "book" / "_static" / "hb-sw.js"


def assets_version(outdir: Path) -> str:
    """A digest of ``assets/vendor.json`` and the calculators app in the built site (12 hex digits).

    >>> len(assets_version(Path("/nonexistent")))
    12
    """
    digest = hashlib.sha256((ROOT / "assets" / "vendor.json").read_bytes())
    app = outdir / "_static" / "app"
    for path in sorted(app.glob("*")) if app.is_dir() else []:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def write_worker(outdir: Path) -> Path:
    """Write the versioned worker to the site root."""
    target = outdir / "hb-sw.js"
    text = WORKER.read_text(encoding="utf-8").replace("__HB_VERSION__", assets_version(outdir))
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        write_worker(Path(app.outdir))


def setup(app) -> dict:
    app.add_js_file("hb-offline.js", loading_method="defer")
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
