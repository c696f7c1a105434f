"""Argument checks shared by the public functions (all raise CalculatorInputError)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Iterable

from .dates import to_date
from .errors import FIELD_LABELS_ZH, CalculatorInputError
from .money import FEN, to_amount
from .terms import Terms


def check_terms(terms: Any) -> Terms:
    if not isinstance(terms, Terms):
        raise CalculatorInputError("terms", terms, "a Terms object from load_terms(), e.g. load_terms('cmb')",
                                   allowed_zh="由 load_terms() 载入的条款配置")
    return terms


#: How far before the statement date a purchase on it may have been posted (input domain, not a bank rule):
#: a statement bills one cycle's purchases, so a posting date more than a year earlier is a typo, and the
#: interest it would produce is not an answer to any real question.
MAX_POSTING_DAYS = 366


def earliest_posting(statement: date) -> date:
    """The earliest posting date accepted for a purchase on the statement of ``statement``.

    >>> earliest_posting(date(2026, 5, 5))
    datetime.date(2025, 5, 4)
    """
    return statement - timedelta(days=MAX_POSTING_DAYS)


def posting_date(value: Any, statement: date, field: str = "posting_date") -> date:
    """A posting date within :data:`MAX_POSTING_DAYS` days before the statement date, up to the statement date.

    >>> posting_date("2026-04-30", date(2026, 5, 5))
    datetime.date(2026, 4, 30)
    >>> posting_date("2023-04-30", date(2026, 5, 5))  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: posting_date='2023-04-30' is not allowed: a date from 2025-05-04 to 2026-05-05
    (at most 366 days before the statement date)
    """
    day = to_date(value, field)
    first = earliest_posting(statement)
    if not first <= day <= statement:
        raise CalculatorInputError(field, value, f"a date from {first} to {statement} (at most {MAX_POSTING_DAYS} days before the statement date)",
                                   allowed_zh=f"{first} 至 {statement} 之间的日期（不晚于账单日，最早为账单日前 {MAX_POSTING_DAYS} 天）")
    return day


def dated_amounts(items: Any, field: str, *, first: date | None = None, last: date | None = None) -> list[tuple[date, Decimal]]:
    """A sequence of ``(date, amount)`` pairs with positive amounts inside ``[first, last]``."""
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise CalculatorInputError(field, items, "a sequence of (date, amount) pairs", allowed_zh="（日期, 金额）列表")
    out = []
    for index, item in enumerate(items):
        where = f"{field}[{index}]"
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise CalculatorInputError(where, item, "a (date, amount) pair", allowed_zh="（日期, 金额）")
        day = to_date(item[0], where)
        amount = to_amount(item[1], where, minimum=FEN)
        if first is not None and day < first or last is not None and day > last:
            span = f"a date from {first or '…'} to {last or '…'}"
            raise CalculatorInputError(where, item[0], span, allowed_zh=f"日期须在 {first or '…'} 至 {last or '…'} 之间")
        out.append((day, amount))
    return out


#: The longest statement cycle accepted: a cycle is a calendar month (28–31 days); a change of statement day makes one
#: cycle longer, not two months (an input-domain bound like MAX_POSTING_DAYS: a next statement date years away is a
#: typo whose interest answers no real question).
MAX_CYCLE_DAYS = 62


def next_statement(value: date, statement: date, field: str = "next_statement_date") -> date:
    """A next statement date after ``statement`` and at most :data:`MAX_CYCLE_DAYS` days after it.

    >>> next_statement(date(2026, 6, 5), date(2026, 5, 5))
    datetime.date(2026, 6, 5)
    >>> next_statement(date(2030, 6, 5), date(2026, 5, 5))  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: next_statement_date='2030-06-05' is not allowed: a date from 2026-05-06 to
    2026-07-06 (a statement cycle is at most 62 days)
    """
    last = statement + timedelta(days=MAX_CYCLE_DAYS)
    if not statement < value <= last:
        raise CalculatorInputError(field, value.isoformat(), f"a date from {statement + timedelta(days=1)} to {last} "
                                   f"(a statement cycle is at most {MAX_CYCLE_DAYS} days)",
                                   allowed_zh=f"{statement + timedelta(days=1)} 至 {last} 之间的日期（一个账单周期最长 {MAX_CYCLE_DAYS} 天）")
    return value


def date_order(**named: date) -> None:
    """Require the given dates to be strictly increasing in the order given."""
    names = list(named)
    for before, after in zip(names, names[1:]):
        if not named[before] < named[after]:
            label = FIELD_LABELS_ZH.get(before, before)
            raise CalculatorInputError(after, named[after].isoformat(), f"a date after {before} ({named[before].isoformat()})",
                                       allowed_zh=f"晚于{label}（{named[before].isoformat()}）的日期")
