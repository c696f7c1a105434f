"""Calendar helpers: parsing dates, stepping statement cycles, inclusive day counts."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Any

from .errors import CalculatorInputError

__all__ = ["MIN_DATE", "MAX_DATE", "to_date", "add_months", "days_inclusive"]

#: Dates accepted (an input-domain bound, not a business rule): far enough from
#: ``date.min``/``date.max`` that stepping up to 1,200 statement cycles or adding
#: due and grace days can never leave the calendar.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
#: The most days past due a date in that range allows (a larger count names no day the calculators can reach).
MAX_DAYS_PAST_DUE = (MAX_DATE - MIN_DATE).days
#: How a date is typed: year, month and day in ASCII digits (month and day with or without a leading zero), parted by
#: hyphens or by slashes.  ISO week dates ("2026-W19-2") and run-together digits ("20260505"), which
#: ``date.fromisoformat`` also reads, are refused: the messages promise YYYY-MM-DD and say nothing of them.
DATE_TEXT = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})", re.ASCII)


def to_date(value: Any, field: str) -> date:
    """Accept a :class:`datetime.date` or a string ``YYYY-MM-DD`` (:data:`DATE_TEXT`: ``2026-5-5`` and ``2026/05/05``
    too) from :data:`MIN_DATE` to :data:`MAX_DATE`.  A day the calendar lacks is named as such.

    >>> to_date("2026-05-05", "statement_date"), to_date(" 2026-5-5 ", "statement_date")
    (datetime.date(2026, 5, 5), datetime.date(2026, 5, 5))
    >>> to_date("2021-02-30", "statement_date")
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: statement_date='2021-02-30' is not allowed: a day that exists (February 2021 has 28 days)
    >>> to_date("2026-05-00", "statement_date")
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: statement_date='2026-05-00' is not allowed: a day of the month from 1 (not 0)
    >>> to_date("0000-01-01", "statement_date").year
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: statement_date='0000-01-01' is not allowed: a date from 1900-01-01 to 2199-12-31
    >>> to_date("2026-W19-2", "statement_date")
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: statement_date='2026-W19-2' is not allowed: a date (datetime.date or 'YYYY-MM-DD')
    >>> to_date("9999-12-31", "statement_date")
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: statement_date='9999-12-31' is not allowed: a date from 1900-01-01 to 2199-12-31
    """
    if isinstance(value, datetime):  # a datetime is a date subclass; a time of day is meaningless here
        raise CalculatorInputError(field, value, "a date (datetime.date or 'YYYY-MM-DD'), not a datetime",
                                   allowed_zh="日期（YYYY-MM-DD），不含时间")
    day = None
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        typed = DATE_TEXT.fullmatch(value.strip())
        if typed is None and re.fullmatch(r"[0-9]{5,}([-/])[0-9]{1,2}\1[0-9]{1,2}", value.strip()):
            # a picker's year field typed on past four digits (20260-05-05): the year is out of range, not the format
            raise CalculatorInputError(field, value, f"a date from {MIN_DATE} to {MAX_DATE} (a four-digit year)",
                                       allowed_zh=f"{MIN_DATE} 至 {MAX_DATE} 之间的日期（年份四位）")
        if typed:
            year, month, dom = int(typed.group(1)), int(typed.group(3)), int(typed.group(4))
            if not MIN_DATE.year <= year <= MAX_DATE.year:  # (year 0 would crash date(); the range message says it all)
                raise CalculatorInputError(field, value, f"a date from {MIN_DATE} to {MAX_DATE}",
                                           allowed_zh=f"{MIN_DATE} 至 {MAX_DATE} 之间的日期")
            if not 1 <= month <= 12:
                raise CalculatorInputError(field, value, f"a month from 1 to 12 (not {month})",
                                           allowed_zh=f"实际存在的日期（月份为 1 至 12，不是 {month}）")
            if dom == 0:  # (no month has a day 0: the month's length is not the cause)
                raise CalculatorInputError(field, value, "a day of the month from 1 (not 0)",
                                           allowed_zh="实际存在的日期（日从 1 起，不是 0）")
            length = calendar.monthrange(year, month)[1]
            if not 1 <= dom <= length:
                raise CalculatorInputError(field, value, f"a day that exists ({calendar.month_name[month]} {year} has {length} days)",
                                           allowed_zh=f"实际存在的日期（{year} 年 {month} 月只有 {length} 天）")
            day = date(year, month, dom)
    if day is None:
        raise CalculatorInputError(field, value, "a date (datetime.date or 'YYYY-MM-DD')",
                                   allowed_zh="日期，格式 YYYY-MM-DD")
    if not MIN_DATE <= day <= MAX_DATE:
        raise CalculatorInputError(field, value, f"a date from {MIN_DATE} to {MAX_DATE}",
                                   allowed_zh=f"{MIN_DATE} 至 {MAX_DATE} 之间的日期")
    return day


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
