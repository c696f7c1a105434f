"""Reading rule data (from YAML through pydantic, or JSON in the browser): the shared checks and citations.

The compliance engines (:mod:`.conduct`, :mod:`.overdraft`, :mod:`.redlines`) build their rule objects
with these; each failure is a :class:`~calculators.errors.CalculatorInputError` naming the field, the
value and what is allowed.  Standard library only (runs in the browser).

>>> text("  22:00 ", "quiet_start"), positive_int(3, "cap"), boolean(True, "recorded")
('22:00', 3, True)
>>> sources([{"id": "civil-code", "text": "《民法典》"}], "sources")[0].text
'《民法典》'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import CalculatorInputError

__all__ = ["SourceRef", "boolean", "fail", "positive_int", "sources", "text"]


def fail(field: str, value: Any, allowed: str, allowed_zh: str | None = None) -> CalculatorInputError:
    """The error to raise for a bad rule-data value (what is wrong, what is allowed).

    >>> fail("cap", 0, "a whole number ≥ 1").field
    'cap'
    """
    return CalculatorInputError(field, value, allowed, allowed_zh=allowed_zh)


def text(value: Any, field: str, *, optional: bool = False) -> str:
    """A non-empty text, stripped (``optional``: empty or missing gives ``""``).

    >>> text(" 本人 ", "name"), text(None, "note", optional=True)
    ('本人', '')
    """
    if optional and (value is None or (isinstance(value, str) and not value.strip())):
        return ""
    if not isinstance(value, str) or not value.strip():
        raise fail(field, value, "a non-empty text", "非空文本")
    return value.strip()


def boolean(value: Any, field: str) -> bool:
    """``True`` or ``False`` only (no 0/1, no "yes").

    >>> boolean(False, "recorded")
    False
    """
    if not isinstance(value, bool):
        raise fail(field, value, "true or false", "true 或 false")
    return value


def positive_int(value: Any, field: str) -> int:
    """A whole number ≥ 1 (``True`` is refused).

    >>> positive_int(6, "max_unanswered_attempts_per_method_per_day")
    6
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(field, value, "a whole number ≥ 1", "不小于 1 的整数")
    return value


@dataclass(frozen=True)
class SourceRef:
    """A resolved citation: source id, article (``where``) and the text shown to readers.

    >>> ref = SourceRef("civil-code", "第一百八十八条", "《民法典》第一百八十八条")
    >>> str(ref), SourceRef.from_dict(ref.to_dict()) == ref
    ('《民法典》第一百八十八条', True)
    """

    id: str
    where: str | None
    text: str

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "where": self.where, "text": self.text}

    @classmethod
    def from_dict(cls, data: Any, field: str = "source") -> "SourceRef":
        if not isinstance(data, Mapping):
            raise fail(field, data, "a mapping {id, where, text}", "{id, where, text} 形式的出处")
        where = data.get("where")
        if where is not None:
            where = text(where, f"{field}.where")
        return cls(text(data.get("id"), f"{field}.id"), where, text(data.get("text"), f"{field}.text"))


def sources(value: Any, field: str) -> tuple[SourceRef, ...]:
    """A non-empty list of resolved citations.

    >>> [str(ref) for ref in sources([{"id": "a", "where": None, "text": "《甲》"}], "sources")]
    ['《甲》']
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise fail(field, value, "a non-empty list of sources", "至少一个出处")
    refs = tuple(SourceRef.from_dict(item, f"{field}[{i}]") for i, item in enumerate(value))
    if not refs:
        raise fail(field, value, "a non-empty list of sources", "至少一个出处")
    return refs
