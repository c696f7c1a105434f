"""The one exception type the calculators raise for bad input.

Every public function validates its arguments and raises
:class:`CalculatorInputError` (a :class:`ValueError`) whose message names the
field, the value received and what is allowed.  Nothing is silently clamped,
rounded away or guessed.  Views (widgets, the browser form) show
:attr:`CalculatorInputError.message_zh` next to the field instead of a traceback.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CalculatorInputError", "FIELD_LABELS_ZH"]

# Chinese labels for the fields the public API validates; views show these.
FIELD_LABELS_ZH: dict[str, str] = {
    "principal": "本金",
    "periods": "期数",
    "monthly_fee_rate": "月手续费率",
    "annual_interest_rate": "年利率",
    "minimum_due": "最低还款额",
    "paid": "已还金额",
    "statement_balance": "账单金额",
    "statement_date": "账单日",
    "due_date": "到期还款日",
    "next_statement_date": "下一账单日",
    "posting_date": "记账日",
    "purchases": "消费明细",
    "payments": "还款明细",
    "cycles": "推算期数",
    "days_past_due": "逾期天数",
    "general": "一般交易款",
    "installment_due": "本期分期应还",
    "previous_unpaid_minimum": "上期最低还款额未还部分",
    "over_limit": "超限金额",
    "fees": "费用",
    "interest": "利息",
    "late_fees": "违约金",
    "waivers": "减免",
    "down_payment": "首付款",
    "balance": "欠款余额",
    "after_period": "提前还款时点（已还期数）",
    "max_months": "最长月数",
    "terms": "条款配置",
    "name_or_path": "条款配置名称或路径",
    "attempts": "联系记录",
    "collections": "催收记录",
    "unpaid_principal": "未还本金",
    "overdue_since": "逾期起始日",
    "as_of": "判断日期",
    "text": "话术文本",
    "rules": "规则配置",
    "preset": "预设费率",
    "columns": "列数",
}


def _repr(value: Any) -> str:
    """``repr(value)``, or a short description when even that fails (an int of more than 4,300 digits)."""
    try:
        return repr(value)
    except ValueError:
        return f"<{type(value).__name__} too large to display>"


def _plain(value: Any) -> str:
    """A value as a reader would write it: ``0.66`` not ``Decimal('0.66')``, ``2026-05-05`` not ``datetime.date(…)``.

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> _plain((date(2026, 4, 30), "1000", "x")), _plain([Decimal("0.66")]), _plain(Decimal("1E+5"))
    ("(2026-04-30, '1000', 'x')", '[0.66]', '1E+5')
    """
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):  # (str() is cheap whatever the exponent: "1E+1000000"; a long coefficient is cut)
        text = str(value)
        return text if len(text) <= 40 else f"{text[:20]}…（共 {len(text)} 位）"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)) and len(value) <= 10:  # a (date, amount) pair: its parts as written too
        inner = ", ".join(_repr(part) if isinstance(part, str) else _plain(part) for part in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return _repr(value)


class CalculatorInputError(ValueError):
    """Bad input to a calculator: which field, what value, what is allowed.

    >>> err = CalculatorInputError("periods", 61, "an integer from 1 to 60",
    ...                            source="2011 Measures art. 70")
    >>> str(err)
    'periods=61 is not allowed: an integer from 1 to 60 (source: 2011 Measures art. 70)'
    >>> err.message_zh
    '期数（periods）输入有误：61。允许：an integer from 1 to 60（依据：2011 Measures art. 70）'
    """

    def __init__(
        self,
        field: str,
        value: Any,
        allowed: str,
        *,
        allowed_zh: str | None = None,
        source: str | None = None,
        location: str | None = None,
    ) -> None:
        self.field = field
        self.location = location
        self.value = value
        self.allowed = allowed
        self.allowed_zh = allowed_zh or allowed
        self.source = source
        # (a string keeps its quotes, so that what was typed shows exactly; a number or date is shown as written, 0.66 and
        # 2026-05-05, not Decimal('0.66') or datetime.date(2026, 5, 5): a trainer reads these in make check-data)
        text = f"{field}={_repr(value) if isinstance(value, str) else _plain(value)} is not allowed: {allowed}"
        if source:
            text += f" (source: {source})"
        if location:
            text = f"{location}: {text}"
        super().__init__(text)

    @property
    def message_zh(self) -> str:
        """The same message for Chinese readers (used by widgets and the browser form)."""
        label = FIELD_LABELS_ZH.get(self.field.split("[")[0], self.field)
        shown = self.value if isinstance(self.value, str) else _plain(self.value)
        if len(shown) > 60:  # (a long paste is quoted by its start and length, not echoed whole)
            shown = f"{shown[:40]}……（共 {len(shown)} 个字符）"
        text = f"{label}（{self.field}）输入有误：{shown}。允许：{self.allowed_zh}"
        if self.source:
            text += f"（依据：{self.source}）"
        return text
