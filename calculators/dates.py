"""Calendar helpers: parsing dates, stepping statement cycles, inclusive day counts."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

from .errors import CalculatorInputError

__all__ = ["to_date", "add_months", "days_inclusive"]


def to_date(value: Any, field: str) -> date:
    """Accept a :class:`datetime.date` or an ISO string ``YYYY-MM-DD``.

    >>> to_date("2026-05-05", "statement_date")
    datetime.date(2026, 5, 5)
    """
    if isinstance(value, datetime):  # a datetime is a date subclass; a time of day is meaningless here
        raise CalculatorInputError(field, value, "a date (datetime.date or 'YYYY-MM-DD'), not a datetime",
                                   allowed_zh="日期（YYYY-MM-DD），不含时间")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalculatorInputError(field, value, "a date (datetime.date or 'YYYY-MM-DD')",
                               allowed_zh="日期，格式 YYYY-MM-DD")


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later; a day the month lacks becomes its last day.

    This is the calendar rule for statement cycles (a statement day of the 31st
    falls on the 30th in June), not a correction of the input.

    >>> add_months(date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(date(2026, 5, 5), 12)
    datetime.date(2027, 5, 5)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def days_inclusive(first: date, last: date) -> int:
    """Days from ``first`` to ``last`` counting both ends (0 when ``last`` is before ``first``).

    >>> days_inclusive(date(2026, 4, 30), date(2026, 5, 22))
    23
    """
    return max(0, (last - first).days + 1)
