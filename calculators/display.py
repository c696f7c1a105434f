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


#: Reader names of the coded choices a terms profile may hold (calculators/terms.py FIELD_SPECS choices):
#: reader text shows no configuration codes.
CHOICE_NAMES: dict[str, str] = {
    "full_balance": "全额计息", "unpaid_only": "只对未还部分计息",
    "same_day": "还款当日起按剩余金额计息", "next_day": "还款次日起按剩余金额计息",
    "monthly": "按月计复利", "none": "不计复利",
    "half_up": "四舍五入到分", "half_even": "四舍六入五成双（到分）", "down": "舍去分以下", "up": "分以下进一",
    "last": "尾差计入最后一期", "first": "尾差计入第一期",
    "principal_and_all_remaining_fees": "一次还清剩余本金及剩余各期全部手续费",
    "principal_and_next_fee": "还清剩余本金并支付下一期手续费", "principal_only": "只还剩余本金，不再收手续费",
}


def describe_value(value: object) -> str:
    """A profile value as shown in the handbook's reference tables (coded choices in words).

    >>> describe_value(None), describe_value(True), describe_value({3: Decimal("0.0090")}), describe_value("full_balance")
    ('无', '是', '3 期 0.9%', '全额计息')
    """
    if isinstance(value, str) and value in CHOICE_NAMES:
        return CHOICE_NAMES[value]
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) or hasattr(value, "items"):
        return "；".join(f"{k} 期 {percent(v)}" for k, v in value.items()) or "（未配置）"
    return str(value)
