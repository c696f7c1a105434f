"""Read YAML data files exactly, remembering the line of every value.

Shared by the terms profiles and the procedure files so that a bad file is
reported as ``file:line: field: problem``.  Numbers with a decimal point are
read as :class:`~decimal.Decimal` (never binary floats), dates as
:class:`datetime.date`, and plain scalars by the YAML 1.2 core schema: ``060``
is sixty (not YAML 1.1 octal 48) and ``yes``/``no``/``on``/``off`` stay text
(only ``true``/``false`` are booleans).  An impossible date (``2021-02-30``) is
an error at its own line.  PyYAML is imported on first read only, so the
pure-standard-library core (and the browser runtime) can import this module.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

__all__ = ["read_yaml", "line_of", "yaml_error_line"]


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), plus ISO dates (the data's
# ``effective: 2026-01-01``).  No YAML 1.1 octal (``060`` is 60), sexagesimal (``9:30`` stays text),
# ``yes``/``no``/``on``/``off`` booleans (they stay text) or ``<<`` merge keys.
_CORE_RESOLVERS: tuple[tuple[str, str, str], ...] = (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
    ("tag:yaml.org,2002:timestamp", r"^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?$", "0123456789"),
)


def _core_int(text: str) -> int:
    """A YAML 1.2 core-schema integer: decimal (``060`` is 60), ``0o`` octal or ``0x`` hexadecimal."""
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


@lru_cache(maxsize=1)
def _loader_class() -> type:
    """A SafeLoader with the YAML 1.2 core schema that keeps decimals exact and refuses duplicate keys."""
    import re
    from datetime import date

    import yaml

    class ExactLoader(yaml.SafeLoader):
        pass

    ExactLoader.yaml_implicit_resolvers = {}  # replace, not extend, the YAML 1.1 resolvers of SafeLoader
    for tag, pattern, first in _CORE_RESOLVERS:
        ExactLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))

    # an explicit tag (``!!int ６０``, ``!!float 1_0.0``, ``!!bool yes``) is read by the same core-schema patterns as a
    # plain scalar: int() and Decimal() alone would read other scripts' digits and underscores, and PyYAML's own !!bool
    # its YAML 1.1 table
    core = {tag: re.compile(pattern, re.ASCII) for tag, pattern, _ in _CORE_RESOLVERS}

    def construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
        text = loader.construct_scalar(node)
        if not (core["tag:yaml.org,2002:float"].match(text) or core["tag:yaml.org,2002:int"].match(text)):
            raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a number (YAML 1.2 core schema: ASCII "
                                                    "digits, one decimal point, an optional exponent)", node.start_mark)
        if text.startswith(("0o", "0x")):
            return Decimal(_core_int(text))
        return Decimal(text.replace(".", "", 1) if text.lstrip("+-").lower() in (".inf", ".nan") else text)

    def construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
        text = loader.construct_scalar(node)
        if not core["tag:yaml.org,2002:int"].match(text):  # ("0b11", "６０", "6_0" under an explicit !!int): its own line
            raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a whole number (YAML 1.2 core schema: "
                                                    "decimal, 0o octal or 0x hexadecimal, ASCII digits)", node.start_mark)
        return _core_int(text)

    def construct_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
        text = loader.construct_scalar(node)
        if not core["tag:yaml.org,2002:bool"].match(text):  # ("yes", "off" under an explicit !!bool)
            raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a boolean (YAML 1.2 core schema: true "
                                                    "or false)", node.start_mark)
        return text.lower() == "true"

    def construct_date(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> date:
        text = loader.construct_scalar(node)
        try:
            year, month, day = (int(part) for part in text.split("-"))
            return date(year, month, day)
        except ValueError as exc:  # 2021-02-30: report the value's own line, not the document's
            raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a calendar date ({exc})", node.start_mark) from None

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
    ExactLoader.add_constructor("tag:yaml.org,2002:int", construct_int)
    ExactLoader.add_constructor("tag:yaml.org,2002:bool", construct_bool)
    ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", construct_date)
    ExactLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return ExactLoader


#: ``lines[(KEY_LINE, *path)]`` is the line of the key itself (``lines[path]`` of a block value is the block's first line).
KEY_LINE = "<key line>"


def _walk(node: Any, path: tuple, lines: dict[tuple, int], seen: set[int] | None = None) -> None:
    # an alias (*name) is the same node met again: refused, since the data files write every value out, and following
    # aliases of aliases would walk exponentially many paths ("billion laughs": a 300-byte file hung check-data)
    seen = set() if seen is None else seen
    if id(node) in seen:
        import yaml

        raise yaml.MarkedYAMLError(problem="this value has an anchor (&name) that an alias (*name) repeats: write the value "
                                           "out where it is needed (anchors and aliases are not used in these files)",
                                   problem_mark=node.start_mark)
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    kind = type(node).__name__
    if kind == "MappingNode":
        for key_node, value_node in node.value:
            if type(key_node).__name__ != "ScalarNode":  # ("? [a, b]": a list or a mapping as a key): the key's own line
                import yaml

                raise yaml.MarkedYAMLError(problem="a key must be a plain value, not a list or a mapping",
                                           problem_mark=key_node.start_mark)
            key = key_node.value
            if key_node.tag == "tag:yaml.org,2002:int":
                key = _core_int(key)
            lines[path + (key,)] = lines[(KEY_LINE, *path, key)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines, seen)  # a block value: its path then points at the block's first line
    elif kind == "SequenceNode":
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines, seen)


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


def line_of(lines: Mapping[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    """The line of the deepest known prefix of ``loc`` (a missing key points at its parent).

    >>> line_of({(): 1, ("a",): 2, ("a", "b"): 3}, ("a", "c"))
    2
    """
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in lines:
            return lines[tuple(loc[:end])]
    return 1


def yaml_error_line(exc: BaseException) -> int:
    """The 1-based line a PyYAML error points at (its problem mark, else its context mark), or 1.

    >>> import yaml
    >>> try:
    ...     yaml.safe_load("a: 1\\nb: [2\\n")
    ... except yaml.YAMLError as err:
    ...     yaml_error_line(err)
    3
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else 1
