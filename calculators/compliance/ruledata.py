"""Reading rule data (from YAML or from JSON in the browser): one reader driven by the dataclass declarations.

Each rule entity of the compliance engines (:mod:`.conduct`, :mod:`.overdraft`, :mod:`.redlines`) is
declared once, as a frozen standard-library dataclass.  :func:`read_fields` validates parsed data
(YAML or JSON) into it from its fields' type hints, with constraints written as standard-library
``typing.Annotated`` markers (:class:`AtLeast`, :class:`Between`, :class:`NonEmpty`); :func:`dump_fields`
gives the JSON-ready form back.  The knowledge-base loader (``procedures/``) and the browser forms share
these declarations, so a new field is one line.  Each failure is a
:class:`~calculators.errors.CalculatorInputError` naming the field, the value and what is allowed.
Standard library only (runs in the browser).

>>> text("  22:00 ", "quiet_start"), positive_int(3, "cap"), boolean(True, "recorded")
('22:00', 3, True)
>>> sources([{"id": "civil-code", "text": "《民法典》"}], "sources")[0].text
'《民法典》'
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, fields, is_dataclass
from datetime import datetime, time
from typing import Annotated, Any, Literal, Union

from ..dates import to_date
from ..errors import CalculatorInputError

__all__ = ["SourceRef", "AtLeast", "Between", "Matches", "NonEmpty", "Slug", "boolean", "clock", "local_datetime", "dump_fields",
           "fail", "positive_int", "read_fields", "sources", "text"]


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


def positive_int(value: Any, field: str, maximum: int | None = None) -> int:
    """A whole number ≥ 1 (``True`` is refused), at most ``maximum`` if given.

    >>> positive_int(6, "max_unanswered_attempts_per_method_per_day")
    6
    >>> positive_int(10**6, "months_after", maximum=120)
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: months_after=1000000 is not allowed: a whole number ≥ 1 and ≤ 120
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (maximum is not None and value > maximum):
        if maximum is None:
            raise fail(field, value, "a whole number ≥ 1", "不小于 1 的整数")
        raise fail(field, value, f"a whole number ≥ 1 and ≤ {maximum}", f"1 到 {maximum} 之间的整数")
    return value


@dataclass(frozen=True)
class SourceRef:
    """A resolved citation: source id, article (``where``), the text shown to readers, and the citation's
    own grade and note on what is unverified (``procedures/`` reads them for the certainty mark).

    >>> ref = SourceRef("civil-code", "第一百八十八条", "《民法典》第一百八十八条")
    >>> str(ref), SourceRef.from_dict(ref.to_dict()) == ref, ref.to_dict()
    ('《民法典》第一百八十八条', True, {'id': 'civil-code', 'where': '第一百八十八条', 'text': '《民法典》第一百八十八条'})
    >>> SourceRef.from_dict({"id": "gbt-45251", "text": "GB/T 45251-2025", "note": "条款号待核"}).note
    '条款号待核'
    """

    id: str
    where: str | None
    text: str
    grade: str | None = None
    note: str | None = None

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``grade`` and ``note`` only when set (the browser shows ``text``)."""
        data: dict[str, Any] = {"id": self.id, "where": self.where, "text": self.text}
        data.update({name: value for name in ("grade", "note") if (value := getattr(self, name)) is not None})
        return data

    @classmethod
    def from_dict(cls, data: Any, field: str = "source") -> "SourceRef":
        if not isinstance(data, Mapping):
            raise fail(field, data, "a mapping {id, where, text}", "{id, where, text} 形式的出处")
        optional = {name: None if data.get(name) is None else text(data.get(name), f"{field}.{name}") for name in ("where", "grade", "note")}
        return cls(text(data.get("id"), f"{field}.id"), optional["where"], text(data.get("text"), f"{field}.text"),
                   optional["grade"], optional["note"])


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


# --- declared fields: constraints and the generic reader ---------------------------------------------


@dataclass(frozen=True)
class AtLeast:
    """``Annotated[int, AtLeast(1)]``: a whole number not below ``minimum``."""

    minimum: int


@dataclass(frozen=True)
class Between:
    """``Annotated[int, Between(0, 100, "characters")]``: a whole number from ``low`` to ``high``."""

    low: int
    high: int
    unit: str = ""


@dataclass(frozen=True)
class Matches:
    """``Annotated[str, Matches(r"[a-z0-9]+(-[a-z0-9]+)*", "a lowercase id such as quiet-hours")]``: the whole text matches."""

    pattern: str
    allowed: str


#: A rule id: lowercase words joined by hyphens (``quiet-hours``).
Slug = Annotated[str, Matches(r"[a-z0-9]+(-[a-z0-9]+)*", "a lowercase id of words joined by '-' (e.g. quiet-hours)")]


@dataclass(frozen=True)
class NonEmpty:
    """``Annotated[tuple[str, ...], NonEmpty()]``: at least one item."""


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def clock(value: Any, field: str) -> time:
    """A time of day from ``"HH:MM"`` (24-hour) or a :class:`datetime.time`.

    >>> clock("07:30", "quiet_end")
    datetime.time(7, 30)
    """
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        clock = value.strip()
        # (ASCII digits only: str.isdigit also holds for digits int() cannot read, such as "፩")
        if len(clock) == 5 and clock.isascii() and clock[2] == ":" and clock[:2].isdigit() and clock[3:].isdigit():
            hour, minute = int(clock[:2]), int(clock[3:])
            if hour < 24 and minute < 60:
                return time(hour, minute)
    raise fail(field, value, "a time of day 'HH:MM' (24-hour)", "时刻，格式 HH:MM（24 小时制）")


#: A typed date and time: the date as :func:`calculators.dates.to_date` reads it, then the time of day.
_DATE_TIME = re.compile(r"([0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2})[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?", re.ASCII)


def local_datetime(value: Any, field: str) -> datetime:
    """A local date-time without time zone, from a :class:`datetime.datetime` or ISO text.

    The text is :data:`calculators.dates.DATE_TEXT` (``2026-3-2`` too), then ``T`` or a space, then ``H:MM`` or
    ``HH:MM`` (``:SS`` may follow); a day the calendar lacks is named as such (:func:`calculators.dates.to_date`).

    >>> local_datetime("2026-03-02T21:59", "time"), local_datetime("2026-3-2 9:30", "time")
    (datetime.datetime(2026, 3, 2, 21, 59), datetime.datetime(2026, 3, 2, 9, 30))
    """
    allowed = "a local date-time without time zone (datetime or 'YYYY-MM-DDTHH:MM')"
    allowed_zh = "本地时间（不含时区），格式 YYYY-MM-DDTHH:MM"
    if isinstance(value, str):
        typed = _DATE_TIME.fullmatch(value.strip())
        if not typed:
            raise fail(field, value, allowed, allowed_zh)
        try:
            day = to_date(typed.group(1), field)  # (names a day that does not exist)
        except CalculatorInputError as exc:
            raise fail(field, value, exc.allowed, exc.allowed_zh) from None
        hour, minute, second = int(typed.group(2)), int(typed.group(3)), int(typed.group(4) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise fail(field, value, "a time of day from 00:00 to 23:59", "实际存在的时刻（00:00 至 23:59）")
        value = datetime(day.year, day.month, day.day, hour, minute, second)
    if not isinstance(value, datetime) or value.tzinfo is not None:
        raise fail(field, value, allowed, allowed_zh)
    return value


def _whole(value: Any, field: str, marks: tuple[Any, ...]) -> int:
    for mark in marks:
        if isinstance(mark, AtLeast) and mark.minimum == 1:
            return positive_int(value, field)
        if isinstance(mark, AtLeast):
            if isinstance(value, bool) or not isinstance(value, int) or value < mark.minimum:
                raise fail(field, value, f"a whole number ≥ {mark.minimum}", f"不小于 {mark.minimum} 的整数")
            return value
        if isinstance(mark, Between):
            if isinstance(value, bool) or not isinstance(value, int) or not mark.low <= value <= mark.high:
                unit = f" {mark.unit}" if mark.unit else ""
                raise fail(field, value, f"a whole number of{unit} from {mark.low} to {mark.high}".replace("of from", "from"),
                           f"{mark.low} 至 {mark.high} 的整数")
            return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(field, value, "a whole number", "整数")
    return value


def _value(hint: Any, value: Any, field: str, default: Any) -> Any:
    """``value`` checked and converted to the declared type ``hint`` (``default``: the field's, or ``MISSING``)."""
    marks: tuple[Any, ...] = ()
    if typing.get_origin(hint) is Annotated:
        hint, *extra = typing.get_args(hint)
        marks = tuple(extra)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType) and type(None) in args:
        if value is None:
            return None
        (hint,) = [a for a in args if a is not type(None)]
        return _value(Annotated[(hint, *marks)] if marks else hint, value, field, MISSING)
    if origin is Literal:
        if not isinstance(value, str) or value not in args:
            raise fail(field, value, "one of: " + ", ".join(args), "以下之一：" + "、".join(args))
        return value
    if origin is tuple:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            allowed = ("a list of: " + ", ".join(typing.get_args(args[0]))) if typing.get_origin(args[0]) is Literal else "a list"
            raise fail(field, value, allowed, "列表")
        items = tuple(_value(args[0], item, f"{field}[{i}]", MISSING) for i, item in enumerate(value))
        if not items and any(isinstance(m, NonEmpty) for m in marks):
            raise fail(field, [], "at least one item", "至少一项")
        return items
    if hint is str:
        value = text(value, field, optional=default == "")
        for mark in marks:
            if isinstance(mark, Matches) and not re.fullmatch(mark.pattern, value):
                raise fail(field, value, mark.allowed)
        return value
    if hint is bool:
        return boolean(value, field)
    if hint is int:
        return _whole(value, field, marks)
    if hint is time:
        return clock(value, field)
    if hint is datetime:
        return local_datetime(value, field)
    if isinstance(hint, type) and is_dataclass(hint):
        reader = getattr(hint, "from_dict", None)
        return reader(value, field) if reader is not None else read_fields(hint, value, field)
    raise TypeError(f"{field}: no reader for the declared type {hint!r}")  # a declaration error, not bad data


_DECLARED: dict[type, tuple[tuple[str, Any, Any], ...]] = {}


def _declared(cls: type) -> tuple[tuple[str, Any, Any], ...]:
    """(name, type hint, default) of the fields data gives: init fields not marked ``metadata={"derived": True}``."""
    if cls in _DECLARED:
        return _DECLARED[cls]
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for f in fields(cls):
        if f.init and not f.metadata.get("derived"):
            default = f.default if f.default is not MISSING else (f.default_factory() if f.default_factory is not MISSING else MISSING)
            out.append((f.name, hints[f.name], default))
    _DECLARED[cls] = tuple(out)
    return _DECLARED[cls]


def read_fields(cls: type, data: Any, where: str = "", *, only: type | None = None, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The declared fields of dataclass ``cls`` (or of its base ``only``) read from ``data``, checked and converted.

    ``skip``: fields the caller reads itself (known keys, left out of the result).

    Unknown keys are refused; a missing key takes the field's default, else fails like a bad value.
    Build the object with ``cls(**read_fields(cls, data))``.

    >>> @dataclass(frozen=True)
    ... class Cap:
    ...     limit: Annotated[int, AtLeast(1)]
    ...     channels: tuple[Literal["phone", "sms"], ...]
    ...     note: str = ""
    >>> Cap(**read_fields(Cap, {"limit": 3, "channels": ["sms"]}))
    Cap(limit=3, channels=('sms',), note='')
    >>> read_fields(Cap, {"limit": 3, "channels": ["fax"]}, "cap")
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: cap.channels[0]='fax' is not allowed: one of: phone, sms
    >>> read_fields(Cap, {"limit": 3, "channels": [], "cap": 4})
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: cap='cap' is not allowed: one of: limit, channels, note
    """
    declared = _declared(only or cls)
    names = [name for name, _, _ in declared]
    if not isinstance(data, Mapping):
        listed = ", ".join(names)
        raise fail(where or cls.__name__, data, f"a mapping {{{listed}}}", f"{{{listed}}} 形式的映射")
    unknown = sorted((key for key in data if key not in names), key=str)
    if unknown:
        raise fail(_join(where, str(unknown[0])), unknown[0], "one of: " + ", ".join(names), "以下之一：" + "、".join(names))
    out = {}
    skipped = set(skip)
    for name, hint, default in declared:
        if name in skipped:
            continue
        if name not in data and default is not MISSING:
            out[name] = default
        else:
            out[name] = _value(hint, data.get(name), _join(where, name), default)
    return out


def _dumped(value: Any) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if value.second == 0 and not value.microsecond else "seconds")
    if isinstance(value, (tuple, list)):
        return [_dumped(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _dumped(item) for key, item in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        writer = getattr(value, "to_dict", None)
        return writer() if writer is not None else dump_fields(value)
    return value


def dump_fields(obj: Any, only: type | None = None) -> dict[str, Any]:
    """The JSON-ready form of a dataclass's declared fields (of base ``only``): what :func:`read_fields` reads back.

    >>> @dataclass(frozen=True)
    ... class Quiet:
    ...     start: time
    ...     channels: tuple[str, ...]
    >>> dump_fields(Quiet(time(22, 0), ("phone",)))
    {'start': '22:00', 'channels': ['phone']}
    """
    return {name: _dumped(getattr(obj, name)) for name, _, _ in _declared(only or type(obj))}
