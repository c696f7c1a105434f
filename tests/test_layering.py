"""Imports point one way, with no cycle, function-level imports included (issue 9).

Layers, lowest first; a module may import its own layer or a lower one, never a higher one:

====  ==========================  ==========================================================
0     engine core                 ``calculators.<module>`` (money, dates, terms, fees, ...):
                                  standard library only at module level, runs in the browser
1     compliance engines          ``calculators.compliance.*`` (conduct, overdraft, red lines)
2     public API                  ``calculators`` (the package's ``__init__``)
3     batch                       ``calculators.batch.*`` (pandas, Dask)
4     knowledge base              ``procedures.*`` (YAML validated into the engine's types)
5     front ends                  ``calculators.ui.*`` (views, widgets, browser registry, diagram)
6     build tools                 ``tools.*``
====  ==========================  ==========================================================

Book pages sit above all of them.  The scan reads every ``import`` statement in the source (in
functions too, where a cycle likes to hide) instead of importing anything.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("calculators", "procedures", "tools")
LAYER_NAMES = ("engine core", "compliance engines", "public API", "batch", "knowledge base", "front ends", "build tools")
# Third-party imports the engine core makes inside a function, only when called outside the browser.
CORE_DEFERRED_IMPORTS = {("calculators.datafile", "yaml")}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    deferred: bool  # inside a function


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    return {module_name(root, p): p for package in packages for p in sorted((root / package).rglob("*.py"))}


def _inside_function(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            ids.update(id(child) for child in ast.walk(node) if child is not node)
    return ids


def imports(root: Path, packages: tuple[str, ...] = PACKAGES) -> tuple[list[Edge], list[tuple[str, str, int, bool]], list[tuple[str, str, int]]]:
    """Every import among the packages (edges), every outside import, and every private name imported across modules."""
    known = modules(root, packages)

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    edges: list[Edge] = []
    outside: list[tuple[str, str, int, bool]] = []
    private: list[tuple[str, str, int]] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deferred_nodes = _inside_function(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            deferred = id(node) in deferred_nodes
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - (node.level - 1)]
                    base = ".".join(parts + ([base] if base else []))
                if base == "__future__":
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.append(full if full in known else base)
                    if alias.name.startswith("_") and resolve(base) and resolve(base) != name and full not in known:
                        private.append((name, full, node.lineno))
            for target in targets:
                internal = resolve(target)
                if internal is None or target.split(".")[0] not in packages:
                    outside.append((name, target.split(".")[0], node.lineno, deferred))
                elif internal != name:
                    edges.append(Edge(name, internal, node.lineno, deferred))
    return edges, outside, private


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
        graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def layer(module: str) -> int:
    top, _, rest = module.partition(".")
    if top == "tools":
        return 6
    if top == "procedures":
        return 4
    sub = rest.partition(".")[0]
    if not rest:
        return 2
    return {"compliance": 1, "batch": 3, "ui": 5}.get(sub, 0)


def layer_violations(edges: list[Edge]) -> list[str]:
    return [f"{e.source} (line {e.line}, {LAYER_NAMES[layer(e.source)]}) imports {e.target} ({LAYER_NAMES[layer(e.target)]})"
            for e in edges if layer(e.target) > layer(e.source)]


# --- the project ---------------------------------------------------------------------

EDGES, OUTSIDE, PRIVATE = imports(ROOT)


def test_the_scan_sees_the_project():
    names = modules(ROOT)
    assert {"calculators.fees", "calculators.compliance.conduct", "calculators.ui.views", "procedures.rules", "tools.handbook_sphinx"} <= set(names)
    # function-level imports are part of the graph: the front ends read the rules data on use
    assert any(e.source == "calculators.ui.frontends" and e.target == "procedures.rules" and e.deferred for e in EDGES)


def test_no_import_cycle_among_calculators_procedures_and_tools():
    assert cycles(EDGES) == []


def test_imports_point_down_the_layers():
    assert layer_violations(EDGES) == []


def test_engine_core_and_compliance_use_only_the_standard_library():
    stdlib = set(sys.stdlib_module_names)
    bad = [(m, target, line) for m, target, line, deferred in OUTSIDE
           if layer(m) in (0, 1) and target not in stdlib and not (deferred and (m, target) in CORE_DEFERRED_IMPORTS)]
    assert bad == []


# procedures/situations.py uses render.py's section helpers; the `directives` branch replaces both with
# templates (procedures/templates/procedure.md.j2), after which this entry must go.
PENDING_PRIVATE = {("procedures.situations", "procedures.render")}


def test_no_private_name_is_imported_from_another_module():
    assert [(m, name, line) for m, name, line in PRIVATE if (m, name.rpartition(".")[0]) not in PENDING_PRIVATE] == []


def test_no_module_uses_a_deprecated_path_and_every_old_path_still_imports():
    from calculators.moved import MOVED

    sources = [(path, node) for path in modules(ROOT).values() for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))]
    used = [(path.name, name) for path, node in sources for name in (
        [a.name for a in node.names] if isinstance(node, ast.Import) else
        [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) and not node.level else [])
        if name in MOVED]
    assert used == []
    import importlib

    for old, new in MOVED.items():
        assert importlib.import_module(old) is importlib.import_module(new)


# --- the checks themselves fail on a seeded fault --------------------------------------

def _seed(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_a_seeded_function_level_cycle_is_found(tmp_path):
    root = _seed(tmp_path, {
        "procedures/__init__.py": "",
        "procedures/loader.py": "def validate():\n    from . import rules\n    return rules.validate()\n",
        "procedures/rules.py": "from .loader import validate\n",
        "procedures/render.py": "from procedures import loader\n",
    })
    edges, _, _ = imports(root, ("procedures",))
    assert cycles(edges) == [["procedures.loader", "procedures.rules"]]
    assert any(e.deferred and e.source == "procedures.loader" for e in edges)


def test_a_seeded_upward_import_and_private_import_are_found(tmp_path):
    root = _seed(tmp_path, {
        "calculators/__init__.py": "",
        "calculators/fees.py": "def f():\n    from calculators.ui.views import view\n    return view\n",
        "calculators/compliance/__init__.py": "",
        "calculators/compliance/conduct.py": "import yaml\nfrom ..fees import _helper\n",
        "calculators/ui/__init__.py": "",
        "calculators/ui/views.py": "view = 1\n",
    })
    edges, outside, private = imports(root, ("calculators",))
    assert layer_violations(edges) == ["calculators.fees (line 2, engine core) imports calculators.ui.views (front ends)"]
    assert private == [("calculators.compliance.conduct", "calculators.fees._helper", 2)]
    assert ("calculators.compliance.conduct", "yaml", 1, False) in outside


@pytest.mark.parametrize("module, expected", [
    ("calculators.money", 0), ("calculators.compliance.overdraft", 1), ("calculators", 2), ("calculators.batch.portfolio", 3),
    ("procedures.rules", 4), ("calculators.ui.widgets", 5), ("tools.build_book", 6),
])
def test_layers(module, expected):
    assert layer(module) == expected
