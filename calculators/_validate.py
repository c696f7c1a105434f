"""Argument checks shared by the public functions (all raise CalculatorInputError)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from .dates import to_date
from .errors import CalculatorInputError
from .money import FEN, to_amount
from .terms import Terms


def check_terms(terms: Any) -> Terms:
    if not isinstance(terms, Terms):
        raise CalculatorInputError("terms", terms, "a Terms object from load_terms(), e.g. load_terms('cmb')",
                                   allowed_zh="由 load_terms() 载入的条款配置")
    return terms


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


def date_order(**named: date) -> None:
    """Require the given dates to be strictly increasing in the order given."""
    names = list(named)
    for before, after in zip(names, names[1:]):
        if not named[before] < named[after]:
            raise CalculatorInputError(after, named[after].isoformat(), f"a date after {before} ({named[before].isoformat()})",
                                       allowed_zh=f"须晚于 {named[before].isoformat()}")
