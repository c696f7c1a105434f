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
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from ..dates import DATE_TEXT, to_date
from ..display import percent, yuan
from ..errors import CalculatorInputError
from ..fees import minimum_payment
from ..installments import installment_plan
from ..projection import overdue_projection
from ..terms import Terms
from .inputs import NOT_A_NUMBER, normalize_date, normalize_leading_date, normalize_number, normalize_text

__all__ = [
    "View", "OVERDUE_FIELDS", "PLAN_FIELDS", "OVERDUE_DEFAULTS", "PLAN_DEFAULTS", "overdue_defaults", "plan_defaults", "OVERDUE_KINDS", "PLAN_KINDS",
    "read_inputs", "form_message", "parse_payments", "overdue_view", "plan_view", "preset_fill",
]

#: Form fields: name -> (Chinese label, input type, hint).
OVERDUE_FIELDS: dict[str, tuple[str, str, str]] = {
    "statement_balance": ("账单金额（元）", "text", "例如 10000、10,000 或 ¥10,000.00"),
    "minimum_due": ("最低还款额（元）", "text", "账单上的最低还款额"),
    "statement_date": ("账单日", "date", ""),
    "due_date": ("到期还款日", "date", ""),
    "posting_date": ("记账日（可空）", "date", "空则按账单日计，利息为下限"),
    "payments": ("账单日后已还款（每行：日期 金额）", "textarea", "例如 2026-05-20 300"),
    "cycles": ("推算期数", "text", "1–120"),
}
PLAN_FIELDS: dict[str, tuple[str, str, str]] = {
    "principal": ("分期本金（元）", "text", "例如 12000、12,000 或 ¥12,000"),
    "periods": ("期数", "text", "1 至配置上限，如 12 或 12期"),
    "preset": ("历史公开费率（示例，非现行报价）", "select", ""),
    "monthly_fee_rate": ("每期手续费率（%）", "text", "百分数，例如 0.66 或 0.66%"),
    "after_period": ("提前还清时点：已还期数", "text", "0 至期数"),
}
OVERDUE_DEFAULTS = {"statement_balance": "10000", "minimum_due": "1000", "statement_date": "2026-05-05",
                    "due_date": "2026-05-23", "posting_date": "", "payments": "", "cycles": "6"}
PLAN_DEFAULTS = {"principal": "12000", "periods": "12", "preset": "", "monthly_fee_rate": "0.66", "after_period": "3"}
#: How each typed number is read (:func:`calculators.inputs.normalize_number`): which unit words it may carry.
OVERDUE_KINDS = {"statement_balance": "amount", "minimum_due": "amount", "cycles": "integer"}
PLAN_KINDS = {"principal": "amount", "periods": "integer", "monthly_fee_rate": "percent", "after_period": "integer"}
#: Plausible monthly fee rates (fractions): outside them a warning, not an error, asks the user to check the unit.
PLAUSIBLE_MONTHLY_FEE = (Decimal("0.001"), Decimal("0.02"))
#: A posting date further back than this before the statement date gets a warning (the API bound is wider).
PLAUSIBLE_POSTING_DAYS = 60
#: A Chinese character (CJK Unified Ideographs and Extension A).
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class View:
    """What a front end shows: result HTML, or the field in error and the message for it.

    ``warnings`` are ``(field, message)`` pairs: plausibility notes shown under
    their field next to a result that was computed (unusual, not invalid, input).
    """

    html: str = ""
    error_field: str | None = None
    error_message: str | None = None
    summary: dict[str, str] = field(default_factory=dict)
    warnings: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.error_field is None


#: Values the calculators derive from a form field: their errors are shown under that field.
DERIVED_FIELDS = {"next_statement_date": "due_date", "purchases": "posting_date"}
_SENTENCE = "(set by the preset) or empty"
_GENERIC_ZH = {"amount": "金额（元），最多两位小数", "integer": "整数", "percent": "百分数", "date": "日期，格式 YYYY-MM-DD"}


def read_inputs(inputs: Mapping[str, Any], kinds: Mapping[str, str]) -> dict[str, str]:
    """The form's text with every number normalised (:func:`~calculators.inputs.normalize_number`), other text NFKC'd.

    >>> read_inputs({"principal": "￥１２,０００元", "periods": "１２期", "monthly_fee_rate": "0.66％"}, PLAN_KINDS)
    {'principal': '12000', 'periods': '12', 'monthly_fee_rate': '0.66'}
    """
    out = {}
    for name, value in inputs.items():
        text = "" if value is None else str(value)
        out[name] = normalize_number(text, name, kinds[name]) if name in kinds else normalize_date(normalize_text(text).strip())
    return out


def _is_chinese(text: str | None) -> bool:
    return bool(text) and bool(CJK.search(text or ""))


#: What the site's script sends for a date picker whose typed day the browser cannot read (``validity.badInput``: an
#: incomplete date, or 02/30): the picker's value is then empty, which would read as "not filled in" or, for an
#: optional date, be silently left out (book/_static/calculators.js, UNREADABLE_DATE).
UNREADABLE_DATE = "unreadable-date"
#: The longest typed text a message quotes in full; a longer one is quoted by its start, its length and its end.
QUOTE_LIMIT = 60


def _quoted(typed: str) -> str:
    """What a message quotes of the typed text: all of it, or, past :data:`QUOTE_LIMIT` characters, its start and end.

    >>> _quoted("12000"), _quoted("1" * 1000)
    ('12000', '11111111111111111111……（共 1,000 个字符）……1111111111')
    """
    if len(typed) <= QUOTE_LIMIT:
        return typed
    return f"{typed[:20]}……（共 {len(typed):,} 个字符）……{typed[-10:]}"


def names_its_cause(exc: CalculatorInputError) -> bool:
    """Whether the error's Chinese text is a whole sentence naming the cause (shown as it is), not the allowed values
    (shown after “允许：”): the input normaliser's messages and a preset's.

    >>> from calculators.ui.inputs import normalize_number
    >>> try:
    ...     normalize_number("40块", "answer", "amount")
    ... except CalculatorInputError as exc:
    ...     names_its_cause(exc), names_its_cause(CalculatorInputError("periods", 61, "≤ 60", allowed_zh="不大于 60"))
    (True, False)
    """
    return exc.allowed == NOT_A_NUMBER or exc.allowed.endswith(_SENTENCE)


def typed_error(label: str, typed: str, exc: CalculatorInputError) -> str:
    """An error message in the forms' words: the label, what was typed (:func:`_quoted`), and the cause or “允许：” and
    the rule (:func:`names_its_cause`).

    >>> typed_error("你的答案", "abc", CalculatorInputError("answer", "abc", "M0–M7", allowed_zh="M0 至 M7 之一"))
    '你的答案：您填的是“abc”。允许：M0 至 M7 之一。'
    >>> typed_error("你的答案", " ", CalculatorInputError("answer", " ", "a number", allowed_zh="请填一个数字"))
    '你的答案：尚未填写。允许：请填一个数字。'
    """
    rule = exc.allowed_zh if names_its_cause(exc) else "允许：" + exc.allowed_zh
    shown = f"您填的是“{_quoted(typed)}”。" if typed.strip() else "尚未填写。"  # (as form_message says it)
    return f"{label}：{shown}{rule}。".replace("。。", "。")


def form_message(exc: CalculatorInputError, fields: Mapping[str, tuple[str, str, str]], inputs: Mapping[str, Any],
                 kinds: Mapping[str, str] | None = None) -> tuple[str, str]:
    """``(field, message)`` for an input error, in the form's own words: the field the user sees, its label, what was typed.

    Never a Python repr or an internal field id: the label comes from ``fields``,
    the quoted value from ``inputs`` (what the user typed), the rule from the
    error's Chinese text (a generic one for the field's kind if it has none).

    >>> exc = CalculatorInputError("periods", 61, "a whole number ≥ 1 and ≤ 60", allowed_zh="整数，不小于 1、不大于 60")
    >>> form_message(exc, PLAN_FIELDS, {"periods": "６１期"})
    ('periods', '期数：您填的是“６１期”。允许：整数，不小于 1、不大于 60。')
    """
    root = exc.field.split("[")[0].split(".")[0]
    name = DERIVED_FIELDS.get(root, root)
    if name not in fields:
        name = next((n for n in fields if fields[n][1] != "select"), next(iter(fields)))
    label = fields[name][0].split("（每行")[0]
    kind = (kinds or {}).get(name) or ("date" if fields[name][1] == "date" else None)
    rule = exc.allowed_zh if _is_chinese(exc.allowed_zh) else _GENERIC_ZH.get(kind or "", "请按提示填写")
    if names_its_cause(exc):  # a full sentence naming the cause
        rule_text = rule
    elif root in DERIVED_FIELDS:
        rule_text = {"next_statement_date": f"到期还款日须早于下一账单日（{exc.value}，即账单日后一个月）",
                     "purchases": f"记账日{rule}"}[root]
    else:
        rule_text = "允许：" + rule
    if exc.source:
        rule_text += f"（依据：{exc.source}）"
    typed = str(inputs.get(name) or "").strip()
    line = re.match(r"[a-z_]+\[(\d+)\]", exc.field)
    if line and fields[name][1] == "textarea":  # one line of a list: quote that line, counted from 1 among the non-blank
        # lines (as every parser and calculator numbers them: a blank line is no payment)
        if re.search(r"第 \d+ 行", rule):  # the parser's message already names and quotes the line
            return name, f"{label}：{rule}。".replace("。。", "。")
        rows = [r for r in str(inputs.get(name) or "").splitlines() if r.strip()]
        number = int(line.group(1))
        if number < len(rows):
            return name, f"{label}第 {number + 1} 行：您填的是“{_quoted(rows[number].strip())}”。{rule_text}。".replace("。。", "。")
    if typed == UNREADABLE_DATE:  # the browser's date picker holds a day it cannot read (calculators.js sends this)
        return name, f"{label}：日期不完整或不存在（例如 2 月 30 日），请补全或改正。"
    shown = f"您填的是“{_quoted(typed)}”。" if typed else "尚未填写。"
    return name, f"{label}：{shown}{rule_text}。".replace("。。", "。")


def field_error(exc: CalculatorInputError, fields: Mapping[str, Any], fallback: str | None = None,
                inputs: Mapping[str, Any] | None = None, kinds: Mapping[str, str] | None = None) -> View:
    """The view of an input error: the form field it belongs to (``payments[2]`` -> ``payments``) and its message.

    With ``inputs`` (what was typed) the message is :func:`form_message`'s; without, the calculator's own.
    """
    root = exc.field.split("[")[0].split(".")[0]
    known = root in fields or root in DERIVED_FIELDS
    if inputs is None:
        return View(error_field=root if root in fields else (fallback or next(iter(fields))), error_message=exc.message_zh)
    name, message = form_message(exc, fields, inputs, kinds)
    return View(error_field=name if known or not fallback else fallback, error_message=message)


def parse_payments(text: str) -> list[tuple[str, str]]:
    """One payment per line, ``YYYY-MM-DD amount`` (a comma or spaces between; the amount as typed in any field).

    >>> parse_payments("2026-05-20 300\\n2026-05-23, 200.5\\n２０２６－０５－２５　￥1,000元")
    [('2026-05-20', '300'), ('2026-05-23', '200.5'), ('2026-05-25', '1000')]
    """
    payments: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        line = normalize_text(line).strip()
        if not line:
            continue  # (blank lines are not counted: payments[k] is the k-th payment, as the calculator numbers them)
        number = len(payments) + 1
        line = normalize_leading_date(line)  # (2026年5月20日, 2026.5.20: read as 2026-5-20)
        parts = re.fullmatch(r"(\S+?)[\s,]+(\S.*)", line)
        if not parts or not DATE_TEXT.fullmatch(parts.group(1)):
            raise CalculatorInputError(f"payments[{number - 1}]", line, "one payment per line: YYYY-MM-DD amount",
                                       allowed_zh="每行一笔：日期 金额，例如 2026-05-20 300（日期写全年、月、日）")
        try:
            amount = normalize_number(parts.group(2), f"payments[{number - 1}]", "amount")
        except CalculatorInputError as exc:
            raise CalculatorInputError(f"payments[{number - 1}]", line, "one payment per line: YYYY-MM-DD amount",
                                       allowed_zh=f"每行一笔：日期 金额；金额{exc.allowed_zh}") from None
        payments.append((parts.group(1), amount))
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
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h1:.1f}" width="{bar:.1f}" height="{h1:.1f}" fill="#1f4e79">'
                     f'<title>{html.escape(labels[i])}：{yuan(value)}</title></rect>')
        if stacked:
            h2 = float(stacked[i]) * scale
            parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h1 - h2:.1f}" width="{bar:.1f}" height="{h2:.1f}" fill="#c0504d">'
                         f'<title>{html.escape(labels[i])}：{yuan(stacked[i])}</title></rect>')
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
        typed: dict[str, Any] = read_inputs(inputs, OVERDUE_KINDS)  # form text: the API parses and checks it
        payments: list[Any] = parse_payments(inputs.get("payments", ""))  # ISO dates as text: the API reads them
        posting = typed.get("posting_date") or None
        projection = overdue_projection(
            typed.get("statement_balance", ""), typed.get("minimum_due", ""), typed.get("statement_date", ""),
            typed.get("due_date", ""), typed.get("cycles", ""), terms, payments=payments, posting_date=posting,
        )
    except CalculatorInputError as exc:
        return field_error(exc, OVERDUE_FIELDS, inputs=inputs, kinds=OVERDUE_KINDS)
    warnings = _overdue_warnings(typed, terms)
    head = ("<tr><th>期</th><th>账单日</th><th>本金</th><th>利息</th><th>违约金</th><th>欠款合计</th>"
            "<th>最低还款额</th><th>逾期天数</th><th>账龄</th><th>五级分类</th></tr>")
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
    return View(html=result, summary=summary, warnings=warnings)


def _overdue_warnings(typed: Mapping[str, str], terms: Terms) -> tuple[tuple[str, str], ...]:
    """Plausibility notes for valid but unusual overdue-calculator input (the inputs were already accepted)."""
    notes = []
    if typed.get("posting_date"):  # (both dates were read by the API already: the same parser cannot fail here)
        gap = (to_date(typed["statement_date"], "statement_date") - to_date(typed["posting_date"], "posting_date")).days
        if gap > PLAUSIBLE_POSTING_DAYS:
            notes.append(("posting_date", f"提示：记账日早于账单日 {gap} 天（超过 {PLAUSIBLE_POSTING_DAYS} 天）。"
                                          "一期账单的消费通常在上一账单日之后记账，请核对年份和月份。"))
    balance, minimum = Decimal(typed["statement_balance"]), Decimal(typed["minimum_due"])
    usual = minimum_payment(balance, terms)
    if minimum > balance:  # no statement shows this; the figures follow what was typed (issue 11: a warning, not an error)
        notes.append(("minimum_due", f"提示：最低还款额 {yuan(minimum)} 元高于账单金额 {yuan(balance)} 元。账单上的最低还款额不会超过账单金额，"
                                     "请核对两项是否填反或填错；下表按所填数字计算。"))
    elif minimum > usual:
        notes.append(("minimum_due", f"提示：最低还款额 {yuan(minimum)} 元高于按本配置对一般消费计算的 {yuan(usual)} 元"
                                     f"（账单金额的 {percent(terms.min_payment_general_ratio)}）。账单含分期、上期未还、超限或费用时属正常；"
                                     "否则请核对是否把账单金额填进了最低还款额。"))
    return tuple(notes)


def _rate_from_percent(text: str) -> Decimal:
    """A percentage typed in the form (already normalised, no ``%``) as a fraction (0.66 -> 0.0066)."""
    try:
        value = Decimal(text or "")
        if not value.is_finite():
            raise InvalidOperation
        return value / 100
    except ArithmeticError:  # not a number, or beyond what Decimal can hold (e.g. 1e9999999)
        raise CalculatorInputError("monthly_fee_rate", text, "a percentage per period, e.g. 0.66",
                                   allowed_zh=_RATE_ZH) from None


_RATE_ZH = "百分数，不小于 0、小于 10（单位 %，可不写 % 号），例如每期 0.66% 填 0.66"


def preset_fill(preset: str, terms: Terms) -> dict[str, str]:
    """The form fields a published preset sets, as the text they show (the rate as a percent).

    >>> from calculators import load_terms
    >>> cmb = load_terms("cmb")
    >>> preset_fill(str(min(cmb.installment_rates)), cmb)  # doctest: +ELLIPSIS
    {'periods': '3', 'monthly_fee_rate': '...'}
    """
    periods = int(preset)
    return {"periods": str(periods), "monthly_fee_rate": _percent_text(terms.installment_rates[periods])}


def overdue_defaults(terms: Terms) -> dict[str, str]:
    """:data:`OVERDUE_DEFAULTS` for this profile: the due date is the profile's number of days after the statement date,
    and the minimum payment the profile's minimum for the balance (a bank whose due date is 20 days on and whose minimum
    is 8 % reads 5 月 25 日 and 800.00, not another bank's 5 月 23 日 and 1,000).

    >>> from calculators import load_terms
    >>> from dataclasses import replace
    >>> overdue_defaults(load_terms("cmb")) == OVERDUE_DEFAULTS
    True
    >>> other = replace(load_terms("cmb"), due_days_after_statement=20, min_payment_general_ratio=Decimal("0.08"))
    >>> overdue_defaults(other)["due_date"], overdue_defaults(other)["minimum_due"]
    ('2026-05-25', '800')
    """
    from datetime import date, timedelta

    statement = date.fromisoformat(OVERDUE_DEFAULTS["statement_date"])
    try:
        t = terms.at(statement)
    except CalculatorInputError:  # (no entry in force on the example's date: the form's own message says so)
        return dict(OVERDUE_DEFAULTS)
    minimum = minimum_payment(OVERDUE_DEFAULTS["statement_balance"], t)
    return {**OVERDUE_DEFAULTS, "due_date": (statement + timedelta(days=t.due_days_after_statement)).isoformat(),
            "minimum_due": f"{minimum:f}".rstrip("0").rstrip(".") if "." in f"{minimum:f}" else f"{minimum:f}"}


def plan_defaults(terms: Terms) -> dict[str, str]:
    """:data:`PLAN_DEFAULTS` for this profile: the example is 12 periods at the profile's published rate (else its
    published term nearest 12, and that term's rate), never more periods than the profile's longest term, repaid early
    after period 3 (or the last but one).  A profile without published rates keeps the example rate of
    :data:`PLAN_DEFAULTS` (the page calls it an example, not a quote).

    >>> from calculators import load_terms
    >>> from dataclasses import replace
    >>> plan_defaults(load_terms("cmb")) == PLAN_DEFAULTS
    True
    >>> short = replace(load_terms("cmb"), installment_max_periods=6, installment_rates={3: Decimal("0.009"), 6: Decimal("0.0072")})
    >>> plan_defaults(short)["periods"], plan_defaults(short)["monthly_fee_rate"], plan_defaults(short)["after_period"]
    ('6', '0.72', '3')
    """
    rates = terms.installment_rates
    usable = [k for k in rates if k <= terms.installment_max_periods]
    periods = 12 if (12 in usable or not usable) else min(usable, key=lambda k: (abs(k - 12), k))
    periods = min(periods, terms.installment_max_periods)
    out = {**PLAN_DEFAULTS, "periods": str(periods), "after_period": str(min(3, max(periods - 1, 0)))}
    if periods in rates:
        out["monthly_fee_rate"] = _percent_text(rates[periods])
    return out


def _percent_text(rate: Decimal) -> str:
    """A fraction as the plain percent number the rate field takes: 0.0066 -> '0.66'."""
    text = f"{rate * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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
        typed: dict[str, Any] = read_inputs(inputs, PLAN_KINDS)  # form text: the API parses and checks it
        preset = typed.get("preset", "")
        if preset:
            if not (preset.isascii() and preset.isdigit() and len(preset) < 5) or int(preset) not in terms.installment_rates:
                raise CalculatorInputError("preset", preset, "one of the profile's published terms: "
                                           + ", ".join(str(k) for k in terms.installment_rates), allowed_zh="配置中公布的期数")
            periods, rate = int(preset), terms.installment_rates[int(preset)]
            _check_preset_fields(typed, preset, terms)
        else:
            periods, rate = typed.get("periods", ""), _rate_from_percent(typed.get("monthly_fee_rate", ""))
        plan = installment_plan(typed.get("principal", ""), periods, rate, terms)
        after = typed.get("after_period", "")
        payoff = plan.payoff_amount(after) if after else None
    except CalculatorInputError as exc:
        if exc.field == "monthly_fee_rate" and exc.allowed != NOT_A_NUMBER and not exc.allowed.endswith(_SENTENCE):
            # the form takes a percent, not the API's fraction (a preset's own message, a full sentence, stays)
            exc = CalculatorInputError("monthly_fee_rate", exc.value, exc.allowed, allowed_zh=_RATE_ZH)
        return field_error(exc, PLAN_FIELDS, inputs=inputs, kinds=PLAN_KINDS)
    warnings: tuple[tuple[str, str], ...] = ()
    low, high = PLAUSIBLE_MONTHLY_FEE
    if not preset and plan.rate > 0 and not low <= plan.rate <= high:
        warnings = (("monthly_fee_rate", f"提示：每期费率 {percent(plan.rate, 4)} {'低于' if plan.rate < low else '高于'}常见范围"
                                         f"（{percent(low)} 至 {percent(high)}）。本栏按百分数填写：每期 0.66% 填 0.66，不是 0.0066。"),)
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
    return View(html=result, summary=summary, warnings=warnings)


def _check_preset_fields(typed: Mapping[str, str], preset: str, terms: Terms) -> None:
    """With a preset chosen, a 期数 or rate that disagrees with it is an error, never silently replaced."""
    fill = preset_fill(preset, terms)
    label = f"{preset} 期，每期 {percent(terms.installment_rates[int(preset)])}"
    for name, expected in fill.items():
        shown = typed.get(name, "")
        if not shown:
            continue
        try:  # (期数 is a whole number as typed: "3.0" is refused with a preset as without one)
            same = Decimal(shown) == Decimal(expected) and (name != "periods" or shown.isdigit())
        except ArithmeticError:
            same = False
        if not same:
            raise CalculatorInputError(name, shown, f"{expected} {_SENTENCE}",
                                       allowed_zh=f"已选预设“{label}”，本栏应为 {expected}；要改请先把预设改为“不用预设”")
