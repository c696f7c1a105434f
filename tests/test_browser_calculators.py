"""The published site's calculators compute in the browser (Pyodide) and agree with the Python API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from helpers import open_ready

from calculators import CalculatorInputError, handbook_terms, installment_plan, overdue_projection
from calculators.display import percent, yuan
from calculators.ui.views import OVERDUE_DEFAULTS, PLAN_DEFAULTS, PLAN_FIELDS, PLAN_KINDS, form_message, overdue_view

pytestmark = pytest.mark.browser

OVERDUE = "book/calc/overdue-fee.html"
PLAN = "book/calc/repayment-plan.html"


def submit(page, values: dict[str, str]) -> None:
    """Set form fields and wait until the calculator has recomputed and no recompute is pending (typing is debounced)."""
    before = int(page.get_attribute(".hb-calc", "data-computed") or 0)
    for name, value in values.items():
        field = page.locator(f".hb-calc [name='{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.wait_for_function(f"(b => Number(b.dataset.computed) > {before} && b.dataset.pending === '0')(document.querySelector('.hb-calc'))")


def table(page) -> list[list[str]]:
    return page.eval_on_selector_all(".hb-result table tbody tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))")


def field_error(page, name) -> str:
    return page.inner_text(f".hb-calc .hb-error[data-for='{name}']")


def expected_overdue_rows(projection) -> list[list[str]]:
    return [[str(r.cycle), r.statement_date.isoformat(), yuan(r.principal), yuan(r.interest), yuan(r.late_fee), yuan(r.balance),
             yuan(r.minimum_payment), str(r.days_past_due), r.bucket, r.category] for r in projection.rows]


def expected_plan_rows(plan) -> list[list[str]]:
    return [[str(r.period), yuan(r.principal), yuan(r.fee), yuan(r.payment), yuan(r.remaining)] for r in plan.rows]


OVERDUE_CASES = [
    ({}, dict(balance="10000", minimum="1000", statement=date(2026, 5, 5), due=date(2026, 5, 23), cycles=6, payments=(), posting=None)),
    ({"statement_balance": "8800.50", "minimum_due": "880.05", "statement_date": "2026-01-31", "due_date": "2026-02-18",
      "posting_date": "2026-01-10", "payments": "2026-02-10 300\n2026-02-25 100.5", "cycles": "12"},
     dict(balance="8800.50", minimum="880.05", statement=date(2026, 1, 31), due=date(2026, 2, 18), cycles=12,
          payments=(("2026-02-10", "300"), ("2026-02-25", "100.5")), posting=date(2026, 1, 10))),
]


@pytest.mark.parametrize("inputs,api", OVERDUE_CASES, ids=["defaults", "payments-12-cycles"])
def test_overdue_calculator_matches_api(page, site_url, inputs, api):
    foreign, errors = open_ready(page, site_url, OVERDUE)
    if inputs:
        submit(page, inputs)
    projection = overdue_projection(api["balance"], api["minimum"], api["statement"], api["due"], api["cycles"], handbook_terms(),
                                    payments=api["payments"], posting_date=api["posting"])
    assert table(page) == expected_overdue_rows(projection)
    assert yuan(projection.total_late_fees) in page.inner_text(".hb-summary")
    assert foreign == [] and errors == []


def test_overdue_bad_input_shows_the_calculators_message(page, site_url):
    open_ready(page, site_url, OVERDUE)
    submit(page, {"minimum_due": "1000.123"})  # three decimal places
    with pytest.raises(CalculatorInputError) as expected:
        overdue_projection("10000", "1000.123", date(2026, 5, 5), date(2026, 5, 23), 6, handbook_terms())
    # The form's own words (issue 11): label, what was typed, the rule; the API error gives the field.
    assert expected.value.field == "minimum_due"
    assert field_error(page, "minimum_due") == overdue_view({**OVERDUE_DEFAULTS, "minimum_due": "1000.123"}, handbook_terms()).error_message
    assert field_error(page, "minimum_due") == "最低还款额（元）：您填的是“1000.123”。允许：金额（元），最多两位小数，范围 0.00 至 1000000000000.00。"
    assert table(page) == []  # no stale figures next to an error
    submit(page, {"minimum_due": "1000"})
    assert field_error(page, "minimum_due") == "" and len(table(page)) == 6


def test_overdue_minimum_above_the_balance_is_a_warning_with_the_typed_figures(page, site_url):
    open_ready(page, site_url, OVERDUE)
    submit(page, {"minimum_due": "20,000"})  # more than the statement balance: unusual, not refused (issue 11, item 4)
    warning = page.inner_text(".hb-calc .hb-warning[data-for='minimum_due']")
    assert warning == overdue_view({**OVERDUE_DEFAULTS, "minimum_due": "20000"}, handbook_terms()).warnings[0][1]
    assert "高于账单金额 10,000.00 元" in warning and field_error(page, "minimum_due") == ""
    projection = overdue_projection("10000", "20000", date(2026, 5, 5), date(2026, 5, 23), 6, handbook_terms())
    assert table(page) == expected_overdue_rows(projection) and table(page)[0][4] == "1,000.00"
    submit(page, {"minimum_due": "1000"})
    assert page.inner_text(".hb-calc .hb-warning[data-for='minimum_due']") == "" and len(table(page)) == 6


PLAN_CASES = [
    ({}, ("12000", 12, Decimal("0.0066"), 3)),
    ({"principal": "100000", "periods": "60", "monthly_fee_rate": "0.5", "after_period": "59"}, ("100000", 60, Decimal("0.005"), 59)),
    ({"principal": "3000.01", "periods": "7", "monthly_fee_rate": "0.1", "after_period": "0"}, ("3000.01", 7, Decimal("0.001"), 0)),
]


@pytest.mark.parametrize("inputs,api", PLAN_CASES, ids=["defaults", "60-months", "fee-floor"])
def test_plan_calculator_matches_api(page, site_url, inputs, api):
    foreign, errors = open_ready(page, site_url, PLAN)
    if inputs:
        submit(page, inputs)
    principal, periods, rate, after = api
    plan = installment_plan(principal, periods, rate, handbook_terms())
    assert table(page) == expected_plan_rows(plan)
    summary = page.inner_text(".hb-summary")
    for figure in (yuan(plan.total_fee), percent(plan.apr), percent(plan.apr_simple), yuan(plan.payoff_amount(after))):
        assert figure in summary, (figure, summary)
    assert foreign == [] and errors == []


def test_plan_preset_from_profile(page, site_url):
    terms = handbook_terms()
    open_ready(page, site_url, PLAN)
    if not terms.installment_rates:
        assert page.locator(".hb-calc select[name='preset'] option").count() == 1
        return
    periods = max(terms.installment_rates)
    submit(page, {"preset": str(periods)})
    plan = installment_plan("12000", periods, terms.installment_rates[periods], terms)
    assert table(page) == expected_plan_rows(plan)


def test_plan_bad_input_shows_the_calculators_message(page, site_url):
    open_ready(page, site_url, PLAN)
    submit(page, {"periods": "61"})
    with pytest.raises(CalculatorInputError) as expected:
        installment_plan("12000", "61", Decimal("0.0066"), handbook_terms())
    _, message = form_message(expected.value, PLAN_FIELDS, {**PLAN_DEFAULTS, "periods": "61"}, PLAN_KINDS)
    assert field_error(page, "periods") == message
    assert message.startswith("期数：您填的是“61”。允许：整数，不小于 1、不大于 60") and table(page) == []


@pytest.mark.parametrize("path", [OVERDUE, PLAN])
def test_page_is_never_empty_before_the_runtime_loads(browser, site_url, path):
    """Without JavaScript (or before Pyodide is ready) the build-time worked example is on the page."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + path)
    assert "未加载" in page.inner_text(".hb-status")
    rows = table(page)
    if path == OVERDUE:
        assert len(rows) == int(OVERDUE_DEFAULTS["cycles"])
    else:
        assert len(rows) == int(PLAN_DEFAULTS["periods"])
    context.close()


# --- the rule tools: contact-plan checker, overdraft tracker, red-line linter ---------------------

CONDUCT = "book/rules/conduct.html"
OVERDRAFT = "book/rules/legal-escalation.html"
LINTER = "book/scripts/linter.html"


def test_conduct_checker_matches_api(page, site_url):
    from calculators import check_contact_plan
    from calculators.ui.rule_views import parse_attempts
    from procedures.rules import conduct_rules

    foreign, errors = open_ready(page, site_url, CONDUCT)
    log = "\n".join(["2026-03-02 08:00 电话 手机1 本人 接通 提醒 已录音"] * 4 + ["2026-03-02 09:00 电话 手机2 本人 未接通 提醒"] * 7)
    submit(page, {"attempts": log})
    expected = check_contact_plan(parse_attempts(log), conduct_rules())
    assert [(v.index, v.rule_id) for v in expected] == [(3, "effective-call-cap"), (10, "unanswered-cap")]
    rows = table(page)
    assert [(int(r[0]) - 1, r[2]) for r in rows] == [(v.index, v.message) for v in expected]
    assert foreign == [] and errors == []


def test_conduct_checker_bad_line_shows_message(page, site_url):
    open_ready(page, site_url, CONDUCT)
    submit(page, {"attempts": "2026-03-02 08:00 飞鸽 手机1 本人 接通 提醒"})
    assert "渠道须为以下之一" in field_error(page, "attempts") and "第 1 行" in field_error(page, "attempts")


def test_overdraft_tracker_matches_api(page, site_url):
    from calculators import overdraft_exposure
    from procedures.rules import overdraft_rules

    open_ready(page, site_url, OVERDRAFT)
    submit(page, {"unpaid_principal": "49999.99", "collections": "2026-03-01 电话 有回执\n2026-03-30 信函 有回执"})
    result = overdraft_exposure([{"day": "2026-03-01", "method": "电话", "receipt_proved": True},
                                 {"day": "2026-03-30", "method": "信函", "receipt_proved": True}],
                                "49999.99", overdraft_rules(), overdue_since="2026-02-10", as_of="2026-07-01")
    text = page.inner_text(".hb-result")
    assert not result.has_two_effective_collections and result.band is None
    assert "没有" in text and "低于最低数额档次" in text and "不作判断" in text


def test_linter_flags_and_clears(page, site_url):
    from calculators import lint_script
    from procedures.rules import redlines

    open_ready(page, site_url, LINTER)
    draft = "我是法院的，你再不还钱就等着坐牢吧！"
    submit(page, {"text": draft})
    expected = lint_script(draft, redlines())
    assert [r[1] for r in table(page)] == [f"“{f.text}”" for f in expected] and expected
    submit(page, {"text": "您好，请问是李女士本人吗？"})
    assert "未发现" in page.inner_text(".hb-result") and table(page) == []


# --- issue 11: typed variants, presets, errors where the user looks, typing pauses ---------------------

PLAN_TYPED = [
    {"principal": "12,000", "periods": "１２", "monthly_fee_rate": "0.66％"},
    {"principal": "￥12,000.00", "periods": "12期", "monthly_fee_rate": "０．６６"},
    {"principal": "12000元", "periods": "１２期", "monthly_fee_rate": "0.66%", "after_period": "３期"},
    {"principal": "RMB 12000", "periods": "12", "monthly_fee_rate": "0.66"},
    {"principal": "1，2000", "periods": "12"},  # a misplaced comma is rejected, then corrected below
]


def test_plan_form_gives_the_plain_figures_for_every_typed_variant(page, site_url):
    foreign, errors = open_ready(page, site_url, PLAN)
    plan = installment_plan("12000", 12, Decimal("0.0066"), handbook_terms())
    plain = expected_plan_rows(plan)
    for variant in PLAN_TYPED[:-1]:
        submit(page, {**PLAN_DEFAULTS, **variant})
        assert table(page) == plain, variant
        assert yuan(plan.payoff_amount(3)) in page.inner_text(".hb-summary")
    submit(page, PLAN_TYPED[-1])
    assert table(page) == [] and "千分位逗号的位置不对" in field_error(page, "principal") and "“1，2000”" in field_error(page, "principal")
    submit(page, {"principal": "1,2000".replace(",", "")})
    assert table(page) == plain and field_error(page, "principal") == ""
    assert foreign == [] and errors == []


def test_overdue_form_gives_the_plain_figures_for_every_typed_variant(page, site_url):
    open_ready(page, site_url, OVERDUE)
    projection = overdue_projection("10000", "1000", date(2026, 5, 5), date(2026, 5, 23), 6, handbook_terms(),
                                    payments=[(date(2026, 5, 20), "1000")])
    for variant in ({"statement_balance": "10,000", "minimum_due": "1，000", "cycles": "６", "payments": "2026-05-20 1,000"},
                    {"statement_balance": "￥10,000.00", "minimum_due": "1000元", "cycles": "6期", "payments": "２０２６－０５－２０　￥1000元"},
                    {"statement_balance": "RMB 10000", "minimum_due": "¥1,000", "cycles": "６期", "payments": "2026-05-20, 1000"}):
        submit(page, variant)
        assert table(page) == expected_overdue_rows(projection), variant


def test_preset_fills_and_locks_the_fields_and_typing_is_used(page, site_url):
    terms = handbook_terms()
    open_ready(page, site_url, PLAN)
    if not terms.installment_rates:  # this profile publishes no rates: manual entry only, nothing to fill
        assert page.locator(".hb-calc select[name='preset'] option").count() == 1
        return
    periods = min(terms.installment_rates)
    submit(page, {"preset": str(periods)})
    shown = {name: page.input_value(f".hb-calc [name='{name}']") for name in ("periods", "monthly_fee_rate")}
    assert shown["periods"] == str(periods) and Decimal(shown["monthly_fee_rate"]) / 100 == terms.installment_rates[periods]
    assert page.locator(".hb-calc [name='periods']").evaluate("e => e.readOnly") is True
    plan = installment_plan("12000", periods, terms.installment_rates[periods], terms)
    assert table(page) == expected_plan_rows(plan)
    submit(page, {"preset": ""})  # back to manual entry: fields editable, same values, same figures
    assert page.locator(".hb-calc [name='periods']").evaluate("e => e.readOnly") is False and table(page) == expected_plan_rows(plan)
    submit(page, {"periods": "6"})  # a newly typed value is used, never ignored
    assert len(table(page)) == 6


def test_errors_are_linked_announced_and_outside_the_label(page, site_url):
    open_ready(page, site_url, OVERDUE)
    submit(page, {"due_date": "2026-06-10"})  # after the next statement date: a derived-date error
    message = field_error(page, "due_date")
    assert message.startswith("到期还款日：") and "下一账单日（2026-06-05" in message
    assert field_error(page, "statement_balance") == "" and table(page) == []
    control = page.locator(".hb-calc [name='due_date']")
    assert control.get_attribute("aria-invalid") == "true"
    described = control.get_attribute("aria-describedby").split()
    error = page.locator(f"#{described[0]}")
    assert error.inner_text() == message and error.get_attribute("role") == "alert"
    assert page.locator(".hb-calc label .hb-error").count() == 0
    assert page.locator("label[for='hb-overdue-due_date']").inner_text() == "到期还款日"
    for text in page.eval_on_selector_all(".hb-calc .hb-error", "es => es.map(e => e.textContent)"):
        assert "Decimal(" not in text and "_date" not in text


def test_plan_rate_warning_advises_the_percent_format(page, site_url):
    open_ready(page, site_url, PLAN)
    submit(page, {"monthly_fee_rate": "0.0066"})
    warning = page.inner_text(".hb-calc .hb-warning[data-for='monthly_fee_rate']")
    assert "0.66% 填 0.66" in warning and len(table(page)) == 12  # a warning, not an error
    submit(page, {"monthly_fee_rate": "12"})
    assert "0.66% 填 0.66" in field_error(page, "monthly_fee_rate") and "0.0075" not in field_error(page, "monthly_fee_rate")


@pytest.mark.parametrize("path,name,text", [
    (PLAN, "principal", "36,000元"),
    (LINTER, "text", "您好，请问是李女士本人吗？我是信用卡中心的工作人员，想和您确认一下还款安排。"),
])
def test_forms_recompute_when_typing_pauses_not_on_every_keystroke(page, site_url, path, name, text):
    open_ready(page, site_url, path)
    box = page.locator(".hb-calc")
    before = int(box.get_attribute("data-computed"))
    field = page.locator(f".hb-calc [name='{name}']")
    field.fill("")
    field.press_sequentially(text, delay=20)  # keystrokes 20 ms apart: one pause, at the end
    page.wait_for_function(f"(b => Number(b.dataset.computed) > {before} && b.dataset.pending === '0')(document.querySelector('.hb-calc'))")
    page.wait_for_timeout(500)
    assert int(box.get_attribute("data-computed")) - before <= 2  # the emptying and the typed text, not one per keystroke


def test_a_date_typed_digit_by_digit_is_computed_once_and_an_impossible_day_is_named(page, site_url):
    # a tester's probe (session 33): a date picker used to recompute on every digit, flashing half-typed dates' errors,
    # and 02/30 read as "not filled in" (or, for the optional 记账日, was silently left out)
    open_ready(page, site_url, OVERDUE)
    box = page.locator(".hb-calc")
    due = page.locator(".hb-calc [name='due_date']")
    before = int(box.get_attribute("data-computed"))
    due.click(position={"x": 10, "y": 10})
    page.keyboard.type("05222026", delay=40)  # month, day, year, as the picker takes them
    page.wait_for_function(f"(b => Number(b.dataset.computed) > {before} && b.dataset.pending === '0')(document.querySelector('.hb-calc'))")
    page.wait_for_timeout(500)
    assert int(box.get_attribute("data-computed")) - before == 1 and due.input_value() == "2026-05-22"
    assert field_error(page, "due_date") == "" and len(table(page)) == 6
    for name, restored in (("due_date", "2026-05-23"), ("posting_date", "")):
        before = int(box.get_attribute("data-computed"))
        field = page.locator(f".hb-calc [name='{name}']")
        field.click(position={"x": 10, "y": 10})
        page.keyboard.type("02302026", delay=40)
        page.wait_for_timeout(400)  # (the pause after the last key)
        page.wait_for_function(f"(b => Number(b.dataset.computed) > {before} && b.dataset.pending === '0')(document.querySelector('.hb-calc'))")
        assert field.evaluate("e => e.validity.badInput")  # the browser holds a day it cannot read
        assert "日期不完整或不存在" in field_error(page, name) and table(page) == [], name
        submit(page, {name: restored})
        assert field_error(page, name) == "" and len(table(page)) == 6


def test_nothing_is_computed_while_an_input_method_is_composing(page, site_url):
    # a tester's probe (session 34): pinyin on its way to 元 ("10000yuan") was computed on the pause, flashing an error
    # and emptying the result; with the composition ended, the typed 元 is read as usual
    open_ready(page, site_url, PLAN)
    box = page.locator(".hb-calc")
    submit(page, {"principal": "10000"})
    expected = table(page)
    before = int(box.get_attribute("data-computed"))
    cdp = page.context.new_cdp_session(page)
    page.locator(".hb-calc [name='principal']").click()
    page.keyboard.press("End")
    for typed in ("y", "yu", "yua", "yuan"):
        cdp.send("Input.imeSetComposition", {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)})
        page.wait_for_timeout(120)
    page.wait_for_timeout(1000)  # (a pause mid-composition: longer than the typing pause)
    assert int(box.get_attribute("data-computed")) == before and field_error(page, "principal") == ""
    assert table(page) == expected
    cdp.send("Input.insertText", {"text": "元"})  # the candidate is chosen: the composition ends
    page.wait_for_function(f"(b => Number(b.dataset.computed) > {before} && b.dataset.pending === '0')(document.querySelector('.hb-calc'))")
    assert page.locator(".hb-calc [name='principal']").input_value() == "10000元"
    assert field_error(page, "principal") == "" and table(page) == expected


def test_a_printed_calculator_shows_the_inputs_of_its_figures_and_no_result_while_an_input_is_wrong(page, site_url):
    # a tester's probe (session 34): a page printed after typing showed the figures without their inputs, and one printed
    # with an error printed "请先更正上面标红的输入" while the red marks were not on paper
    open_ready(page, site_url, OVERDUE)
    submit(page, {"minimum_due": "2,000", "payments": "2026-05-20 1,500"})
    page.emulate_media(media="print")
    box = page.locator(".hb-calc")
    before = box.evaluate("b => getComputedStyle(b, '::before').content")
    assert "按以下输入算出的结果" in before and "最低还款额（元）：2,000" in before and "2026-05-20 1,500" in before, before
    assert box.locator(".hb-result").evaluate("r => getComputedStyle(r).display") != "none"
    page.emulate_media(media="screen")
    submit(page, {"minimum_due": "1000块"})
    page.emulate_media(media="print")
    assert "输入有误、没有结果" in box.evaluate("b => getComputedStyle(b, '::before').content")
    assert box.locator(".hb-result").evaluate("r => getComputedStyle(r).display") == "none"
