"""Formatting of money and rates for pages and widgets (views only; no rules here)."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["yuan", "percent", "describe_value"]


def yuan(amount: Decimal) -> str:
    """Thousands-separated yuan with two decimals.

    >>> yuan(Decimal("12345.6"))
    '12,345.60'
    """
    return f"{amount:,.2f}"


def percent(rate: Decimal, places: int = 2) -> str:
    """A fraction as a percentage with trailing zeros removed.

    >>> percent(Decimal("0.0005"), 4), percent(Decimal("0.143106"), 2), percent(Decimal("0.05"))
    ('0.05%', '14.31%', '5%')
    """
    text = f"{rate * 100:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"


def describe_value(value: object) -> str:
    """A profile value as shown in the handbook's reference tables.

    >>> describe_value(None), describe_value(True), describe_value({3: Decimal("0.0090")})
    ('无', '是', '3 期 0.9%')
    """
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) or hasattr(value, "items"):
        return "；".join(f"{k} 期 {percent(v)}" for k, v in value.items()) or "（未配置）"
    return str(value)
