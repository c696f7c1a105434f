"""The two calculators as views: form inputs (text) in, an HTML result or a field error out.

One implementation serves three places: the ipywidgets front ends (trainers),
the in-browser form on the published site (this module runs in Pyodide; see
:mod:`calculators.frontends`) and the build-time worked example shown before
the browser runtime has loaded.  Views hold no rules: every figure comes from the
public API, every error from :class:`~calculators.errors.CalculatorInputError`.
Standard library only.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from .display import percent, yuan
from .errors import CalculatorInputError
from .installments import installment_plan
from .projection import overdue_projection
from .terms import Terms

__all__ = [
    "View", "OVERDUE_FIELDS", "PLAN_FIELDS", "OVERDUE_DEFAULTS", "PLAN_DEFAULTS",
    "parse_payments", "overdue_view", "plan_view",
]

#: Form fields: name -> (Chinese label, input type, hint).
OVERDUE_FIELDS: dict[str, tuple[str, str, str]] = {
    "statement_balance": ("账单金额（元）", "text", "例如 10000"),
    "minimum_due": ("最低还款额（元）", "text", "账单上的最低还款额"),
    "statement_date": ("账单日", "date", ""),
    "due_date": ("到期还款日", "date", ""),
    "posting_date": ("记账日（可空）", "date", "空则按账单日计，利息为下限"),
    "payments": ("账单日后已还款（每行：日期 金额）", "textarea", "例如 2026-05-20 300"),
    "cycles": ("推算期数", "text", "1–120"),
}
PLAN_FIELDS: dict[str, tuple[str, str, str]] = {
    "principal": ("分期本金（元）", "text", "例如 12000"),
    "periods": ("期数", "text", "1 至配置上限"),
    "preset": ("本行公布费率（可选）", "select", ""),
    "monthly_fee_rate": ("每期手续费率（%）", "text", "例如 0.66"),
    "after_period": ("提前还清时点：已还期数", "text", "0 至期数"),
}
OVERDUE_DEFAULTS = {"statement_balance": "10000", "minimum_due": "1000", "statement_date": "2026-05-05",
                    "due_date": "2026-05-23", "posting_date": "", "payments": "", "cycles": "6"}
PLAN_DEFAULTS = {"principal": "12000", "periods": "12", "preset": "", "monthly_fee_rate": "0.66", "after_period": "3"}


@dataclass(frozen=True)
class View:
    """What a front end shows: result HTML, or the field in error and the message for it."""

    html: str = ""
    error_field: str | None = None
    error_message: str | None = None
    summary: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_field is None


def field_error(exc: CalculatorInputError, fields: Mapping[str, Any], fallback: str | None = None) -> View:
    """The view of an input error: the form field it belongs to (``payments[2]`` -> ``payments``) and its message."""
    name = exc.field.split("[")[0].split(".")[0]
    return View(error_field=name if name in fields else (fallback or next(iter(fields))), error_message=exc.message_zh)


def parse_payments(text: str) -> list[tuple[str, str]]:
    """One payment per line, ``YYYY-MM-DD amount`` (a comma or spaces between).

    >>> parse_payments("2026-05-20 300\\n2026-05-23, 200.5")
    [('2026-05-20', '300'), ('2026-05-23', '200.5')]
    """
    payments = []
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = line.replace("，", ",").replace(",", " ").split()
        if len(parts) != 2:
            raise CalculatorInputError(f"payments[{number - 1}]", line, "one payment per line: YYYY-MM-DD amount",
                                       allowed_zh="每行一笔：日期 金额，例如 2026-05-20 300")
        payments.append((parts[0], parts[1]))
    return payments


def _svg_bars(values: list[Decimal], labels: list[str], title: str, stacked: list[Decimal] | None = None) -> str:
    """A small bar chart as inline SVG (text stays text, so it uses the page's font)."""
    width, height, left, bottom, top = 640, 220, 64, 28, 24
    peak = max([v + (stacked[i] if stacked else 0) for i, v in enumerate(values)] + [Decimal(1)])
    step = (width - left - 8) / max(len(values), 1)
    bar = max(step * 0.7, 1)
    scale = (height - bottom - top) / float(peak)
    parts = [f'<svg class="hb-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f'<text x="{left}" y="16" font-size="13">{html.escape(title)}</text>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#8c959f"/>',
             f'<text x="{left - 6}" y="{top + 10}" font-size="11" text-anchor="end">{yuan(peak)}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" font-size="11" text-anchor="end">0</text>']
    for i, value in enumerate(values):
        x = left + i * step + (step - bar) / 2
        h1 = float(value) * scale
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h1:.1f}" width="{bar:.1f}" height="{h1:.1f}" fill="#1f4e79"><title>{html.escape(labels[i])}：{yuan(value)}</title></rect>')
        if stacked:
            h2 = float(stacked[i]) * scale
            parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h1 - h2:.1f}" width="{bar:.1f}" height="{h2:.1f}" fill="#c0504d"><title>{html.escape(labels[i])}：{yuan(stacked[i])}</title></rect>')
        if len(values) <= 24 or i % max(1, len(values) // 12) == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 10}" font-size="10" text-anchor="middle">{html.escape(labels[i])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def overdue_view(inputs: Mapping[str, str], terms: Terms) -> View:
    """The overdue-fee calculator: a cycle-by-cycle projection table and chart.

    >>> from calculators import load_terms
    >>> view = overdue_view(OVERDUE_DEFAULTS, load_terms("cmb"))
    >>> view.ok, view.summary["total_interest"], view.summary["total_late_fees"]
    (True, '961.39', '1,268.87')
    >>> overdue_view({**OVERDUE_DEFAULTS, "cycles": "0"}, load_terms("cmb")).error_field
    'cycles'
    """
    try:
        payments = parse_payments(inputs.get("payments", ""))
        posting = (inputs.get("posting_date") or "").strip() or None
        projection = overdue_projection(
            (inputs.get("statement_balance") or "").strip(), (inputs.get("minimum_due") or "").strip(),
            (inputs.get("statement_date") or "").strip(), (inputs.get("due_date") or "").strip(),
            (inputs.get("cycles") or "").strip(), terms, payments=payments, posting_date=posting,
        )
    except CalculatorInputError as exc:
        return field_error(exc, OVERDUE_FIELDS)
    head = "<tr><th>期</th><th>账单日</th><th>本金</th><th>利息</th><th>违约金</th><th>欠款合计</th><th>最低还款额</th><th>逾期天数</th><th>账龄</th><th>五级分类</th></tr>"
    body = "".join(
        f"<tr><td>{r.cycle}</td><td>{r.statement_date.isoformat()}</td><td>{yuan(r.principal)}</td><td>{yuan(r.interest)}</td>"
        f"<td>{yuan(r.late_fee)}</td><td>{yuan(r.balance)}</td><td>{yuan(r.minimum_payment)}</td><td>{r.days_past_due}</td>"
        f"<td>{r.bucket}</td><td>{r.category}</td></tr>"
        for r in projection.rows
    )
    summary = {"total_interest": yuan(projection.total_interest), "total_late_fees": yuan(projection.total_late_fees),
               "final_balance": yuan(projection.final_balance), "cycles": str(len(projection.rows))}
    notes = {"no payment after the first cycle": "首期之后不再还款",
             "no new purchases or fees other than 违约金": "不再有新消费和违约金以外的费用",
             "statement balance posted on the statement date (the least interest)": "账单金额按账单日记账（利息为下限）"}
    assumption = "；".join(notes.get(a, a) for a in projection.assumptions)
    chart = _svg_bars([r.balance for r in projection.rows], [f"第{r.cycle}期" for r in projection.rows], "各期欠款合计（元）")
    result = (
        f'<p class="hb-summary">{len(projection.rows)} 期后欠款合计 <b>{summary["final_balance"]}</b> 元，'
        f'其中累计利息 <b>{summary["total_interest"]}</b> 元、违约金 <b>{summary["total_late_fees"]}</b> 元。'
        f'条款配置：{html.escape(terms.issuer)}（{html.escape(terms.code)}）。假设：{html.escape(assumption)}。</p>'
        f'<div class="hb-table-wrap"><table class="table hb-figures"><thead>{head}</thead><tbody>{body}</tbody></table></div>{chart}'
    )
    return View(html=result, summary=summary)


def _rate_from_percent(text: str) -> Decimal:
    """A percentage typed in the form as a fraction (0.66 -> 0.0066); the calculator checks the range."""
    try:
        value = Decimal((text or "").strip().rstrip("%"))
        if not value.is_finite():
            raise InvalidOperation
        return value / 100
    except ArithmeticError:  # not a number, or beyond what Decimal can hold (e.g. 1e9999999)
        raise CalculatorInputError("monthly_fee_rate", text, "a percentage per period, e.g. 0.66",
                                   allowed_zh="每期费率（百分数），例如 0.66") from None


def plan_view(inputs: Mapping[str, str], terms: Terms) -> View:
    """The repayment-plan calculator: schedule, total cost, APR (IRR and simple), early payoff.

    >>> from calculators import load_terms
    >>> view = plan_view(PLAN_DEFAULTS, load_terms("cmb"))
    >>> view.summary["total_fee"], view.summary["apr"], view.summary["payoff"]
    ('950.40', '14.31%', '9,712.80')
    >>> plan_view({**PLAN_DEFAULTS, "periods": "61"}, load_terms("cmb")).error_field
    'periods'
    """
    try:
        preset = (inputs.get("preset") or "").strip()
        if preset:
            if not (preset.isascii() and preset.isdigit()) or int(preset) not in terms.installment_rates:
                raise CalculatorInputError("preset", preset, "one of the profile's published terms: "
                                           + ", ".join(str(k) for k in terms.installment_rates), allowed_zh="配置中公布的期数")
            periods, rate = int(preset), terms.installment_rates[int(preset)]
        else:
            periods, rate = (inputs.get("periods") or "").strip(), _rate_from_percent(inputs.get("monthly_fee_rate", ""))
        plan = installment_plan((inputs.get("principal") or "").strip(), periods, rate, terms)
        after = (inputs.get("after_period") or "").strip()
        payoff = plan.payoff_amount(after) if after else None
    except CalculatorInputError as exc:
        if exc.field == "after_period":
            exc = CalculatorInputError("after_period", exc.value, exc.allowed, allowed_zh=exc.allowed_zh)
        return field_error(exc, PLAN_FIELDS)
    head = "<tr><th>期</th><th>本金</th><th>手续费</th><th>当期还款</th><th>剩余本金</th></tr>"
    body = "".join(
        f"<tr><td>{r.period}</td><td>{yuan(r.principal)}</td><td>{yuan(r.fee)}</td><td>{yuan(r.payment)}</td><td>{yuan(r.remaining)}</td></tr>"
        for r in plan.rows
    )
    summary = {"total_fee": yuan(plan.total_fee), "total_payment": yuan(plan.total_payment), "apr": percent(plan.apr),
               "apr_simple": percent(plan.apr_simple), "effective_annual_rate": percent(plan.effective_annual_rate),
               "payoff": yuan(payoff) if payoff is not None else "", "periods": str(plan.periods), "rate": percent(plan.rate, 4)}
    payoff_text = (f"还完第 {after} 期后一次性提前还清需 <b>{summary['payoff']}</b> 元"
                   f"（{html.escape(terms.cite('early_payoff').source)}）。" if payoff is not None else "")
    chart = _svg_bars([r.principal for r in plan.rows], [str(r.period) for r in plan.rows], "各期还款：本金（蓝）与手续费（红），元",
                      stacked=[r.fee for r in plan.rows])
    result = (
        f'<p class="hb-summary">{summary["periods"]} 期，每期费率 {summary["rate"]}：总手续费 <b>{summary["total_fee"]}</b> 元，'
        f'合计还款 {summary["total_payment"]} 元。年化利率（IRR 法，月 IRR×12）<b>{summary["apr"]}</b>；'
        f'单利法（总费用÷平均占用本金）{summary["apr_simple"]}；实际年利率 {summary["effective_annual_rate"]}。{payoff_text}</p>'
        f'<div class="hb-table-wrap"><table class="table hb-figures"><thead>{head}</thead><tbody>{body}</tbody></table></div>{chart}'
    )
    return View(html=result, summary=summary)
