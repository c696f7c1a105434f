"""The site's service worker, versioned (a Sphinx extension, set up by tools/site_reader.py).

``book/_static/hb-sw.js`` is copied to the site root as ``hb-sw.js`` (a worker
controls only pages under its own folder) with ``__HB_VERSION__`` replaced by
a digest of ``_static/`` and the search index, so a new Pyodide, a new wheel
or a new theme file gets a new cache and the old one is deleted.
``hb-offline.js`` (on every page) registers it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "book" / "_static" / "hb-sw.js"


def assets_version(outdir: Path) -> str:
    """A digest of everything the worker keeps cache-first: ``_static/`` (vendor assets, the calculators app,
    theme files) and the search index (12 hex digits). Any change gives a new worker and a fresh cache.

    >>> len(assets_version(Path("/nonexistent")))
    12
    """
    digest = hashlib.sha256()
    static = outdir / "_static"
    files = sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []
    for path in files + [outdir / "searchindex.js"]:
        if path.is_file():
            digest.update(path.relative_to(outdir).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
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
