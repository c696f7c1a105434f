"""Root pytest plugin: run the handbook's MyST pages under nbval.

Pages are MyST Markdown text notebooks (no .ipynb is committed).  With
``--nbval-lax`` every executable page under ``book/`` is read with jupytext
and run cell by cell by nbval in a fresh kernel: an exception in any cell
(including the hidden ``remove-cell`` assertion cells that check the figures a
page states) fails the test.  Without the flag, pages are not collected.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import jupytext
from nbval import plugin as nbval_plugin

ROOT = Path(__file__).resolve().parent
BOOK = ROOT / "book"

# Kernels import this checkout's packages, exactly as in the book build (tools/handbook_sphinx.py).
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


def is_myst_notebook(path: Path) -> bool:
    """A page under book/ with jupytext/kernelspec front matter is executable (the build's own test)."""
    from tools.handbook_sphinx import is_notebook

    return path.suffix == ".md" and BOOK in path.resolve().parents and is_notebook(path.read_text(encoding="utf-8"))


class MystNotebookFile(nbval_plugin.IPyNbFile):
    """nbval's notebook collector, reading a MyST text notebook through jupytext."""

    def collect(self):
        notebook = jupytext.read(self.path)
        real_nbformat = nbval_plugin.nbformat
        nbval_plugin.nbformat = SimpleNamespace(read=lambda *args, **kwargs: notebook)
        try:
            yield from super().collect()
        finally:
            nbval_plugin.nbformat = real_nbformat


def pytest_collect_file(file_path: Path, parent):
    option = parent.config.option
    if getattr(option, "nbval_lax", False) or getattr(option, "nbval", False):
        if is_myst_notebook(file_path):
            return MystNotebookFile.from_parent(parent, path=file_path)
    return None
