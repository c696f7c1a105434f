"""Read YAML data files exactly, remembering the line of every value.

Shared by the terms profiles and the procedure files so that a bad file is
reported as ``file:line: field: problem``.  Numbers with a decimal point are
read as :class:`~decimal.Decimal` (never binary floats), dates as
:class:`datetime.date`.  PyYAML is imported on first read only, so the
pure-standard-library core (and the browser runtime) can import this module.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["read_yaml", "line_of"]


@lru_cache(maxsize=1)
def _loader_class() -> type:
    """A SafeLoader that keeps decimals exact and refuses duplicate keys."""
    import yaml

    class ExactLoader(yaml.SafeLoader):
        pass

    def construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
        return Decimal(loader.construct_scalar(node).replace("_", ""))

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line + 1
        return loader.construct_mapping(node, deep=deep)

    ExactLoader.add_constructor("tag:yaml.org,2002:float", construct_decimal)
    ExactLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return ExactLoader


def _walk(node: Any, path: tuple, lines: dict[tuple, int]) -> None:
    lines[path] = node.start_mark.line + 1
    kind = type(node).__name__
    if kind == "MappingNode":
        for key_node, value_node in node.value:
            key = key_node.value
            if key_node.tag == "tag:yaml.org,2002:int":
                key = int(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines)
    elif kind == "SequenceNode":
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines)


def read_yaml(path: Path | str) -> tuple[Any, dict[tuple, int]]:
    """Parse ``path`` and return ``(data, lines)`` where ``lines`` maps key paths to line numbers.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
    ...     _ = f.write("rate:\\n  value: 0.0005\\n")
    >>> data, lines = read_yaml(f.name)
    >>> data, lines[("rate", "value")]
    ({'rate': {'value': Decimal('0.0005')}}, 2)
    >>> os.unlink(f.name)
    """
    text = Path(path).read_text(encoding="utf-8")
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        lines: dict[tuple, int] = {}
        if node is None:
            return None, lines
        _walk(node, (), lines)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def line_of(lines: dict[tuple, int], loc: tuple) -> int:
    """The line of the deepest known prefix of ``loc`` (a missing key points at its parent).

    >>> line_of({(): 1, ("a",): 2, ("a", "b"): 3}, ("a", "c"))
    2
    """
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in lines:
            return lines[tuple(loc[:end])]
    return 1
