"""Deprecated module paths from before the split into sub-packages (issue 9), still importable.

``import calculators.views`` gives the module :mod:`calculators.ui.views` itself (not a copy), so
pages and outside code written against the old flat layout keep working.  New code imports the
new path; nothing inside ``calculators``, ``procedures`` or ``tools`` uses the old ones
(``tests/test_layering.py``).  There is no file at the old paths, so edits made on other branches
to the old files follow the rename in a git merge.

>>> import calculators.legal, calculators.compliance.overdraft
>>> calculators.legal is calculators.compliance.overdraft
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Sequence

#: old path → new path
MOVED: dict[str, str] = {
    "calculators.conduct": "calculators.compliance.conduct",
    "calculators.legal": "calculators.compliance.overdraft",
    "calculators.portfolio": "calculators.batch.portfolio",
    "calculators.views": "calculators.ui.views",
    "calculators.rule_views": "calculators.ui.rule_views",
    "calculators.widgets": "calculators.ui.widgets",
    "calculators.frontends": "calculators.ui.frontends",
    "calculators.inputs": "calculators.ui.inputs",
    "calculators.cjkfont": "calculators.ui.cjkfont",
    "calculators.scriptlint": "calculators.compliance.redlines",
    "calculators.lintmodel": "calculators.compliance.redline_model",
    "calculators.linttext": "calculators.compliance.redline_text",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target
        self.own_spec: ModuleSpec | None = None

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.target)
        self.own_spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """The target ran when it was imported; give it back its own spec (the import system set the alias's)."""
        module.__spec__ = self.own_spec


class MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Finds an old module path of :data:`MOVED` and hands out the module at its new path."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None) -> ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(new))


def install() -> None:
    """Register the finder once (``calculators/__init__`` does this on import)."""
    if not any(isinstance(f, MovedModuleFinder) for f in sys.meta_path):
        sys.meta_path.append(MovedModuleFinder())
