"""The ipywidgets front ends, driven without a browser: set inputs, read the outputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from calculators import CalculatorInputError, handbook_terms, installment_plan, load_terms, overdue_projection
from calculators.display import percent, yuan
from calculators.ui.views import OVERDUE_DEFAULTS, OVERDUE_FIELDS, form_message
from calculators.ui.widgets import ContactPlanChecker, OverdraftTracker, OverdueCalculator, PlanCalculator, ScriptLinter


def test_overdue_calculator_recomputes_on_every_change():
    calc = OverdueCalculator()
    calc.inputs["statement_balance"].value = "20000"
    calc.inputs["minimum_due"].value = "2000"
    calc.inputs["cycles"].value = "3"
    calc.inputs["payments"].value = "2026-05-20 500"
    expected = overdue_projection("20000", "2000", date(2026, 5, 5), date(2026, 5, 23), 3, handbook_terms(),
                                  payments=[(date(2026, 5, 20), "500")])
    assert calc.view.ok and calc.view.summary["total_interest"] == yuan(expected.total_interest)
    assert calc.view.summary["final_balance"] == yuan(expected.final_balance)
    assert calc.result.value.count("<tr>") == 1 + 3  # header and three cycles


def test_overdue_calculator_shows_the_error_next_to_the_field_and_recovers():
    calc = OverdueCalculator()
    calc.inputs["due_date"].value = date(2026, 5, 1)  # before the statement date
    with pytest.raises(CalculatorInputError) as expected:
        overdue_projection("10000", "1000", date(2026, 5, 5), date(2026, 5, 1), 6, handbook_terms())
    # The form's own words (issue 11): its label, what was typed, the calculator's rule; no internal field id.
    field, message = form_message(expected.value, OVERDUE_FIELDS, {**OVERDUE_DEFAULTS, "due_date": "2026-05-01"})
    assert field == "due_date" and message == "到期还款日：您填的是“2026-05-01”。允许：晚于账单日（2026-05-05）的日期。"
    assert message in calc.errors["due_date"].value
    assert all(label.value == "" for name, label in calc.errors.items() if name != "due_date")
    assert "<table" not in calc.result.value  # no stale figures next to an error
    calc.inputs["due_date"].value = date(2026, 5, 23)
    assert calc.errors["due_date"].value == "" and "<table" in calc.result.value


def test_plan_calculator_rate_preset_and_payoff():
    terms = handbook_terms()
    calc = PlanCalculator()
    calc.inputs["principal"].value = "36000"
    calc.inputs["periods"].value = "24"
    calc.inputs["monthly_fee_rate"].value = "0.68"
    calc.inputs["after_period"].value = "10"
    plan = installment_plan("36000", 24, Decimal("0.0068"), terms)
    assert calc.view.summary["total_fee"] == yuan(plan.total_fee)
    assert calc.view.summary["apr"] == percent(plan.apr) and calc.view.summary["apr_simple"] == percent(plan.apr_simple)
    assert calc.view.summary["payoff"] == yuan(plan.payoff_amount(10))
    if terms.installment_rates:
        periods = min(terms.installment_rates)
        calc.inputs["after_period"].value = "1"
        calc.inputs["preset"].value = str(periods)
        preset = installment_plan("36000", periods, terms.installment_rates[periods], terms)
        assert calc.view.summary["total_fee"] == yuan(preset.total_fee)


def test_plan_calculator_uses_the_given_profile():
    cmb, icbc = PlanCalculator(load_terms("cmb")), PlanCalculator(load_terms("icbc"))
    assert len(cmb.inputs["preset"].options) == 1 + len(load_terms("cmb").installment_rates)
    assert len(icbc.inputs["preset"].options) == 1  # no published ICBC rates in the profile: manual entry only


def test_rule_tools():
    checker = ContactPlanChecker()
    checker.inputs["attempts"].value = "2026-03-02 22:00 电话 手机1 本人 未接通 提醒"
    assert checker.view.summary["rules"] == "quiet-hours"
    checker.inputs["attempts"].value = "2026-03-02 21:59 电话 手机1 本人 未接通 提醒"
    assert checker.view.summary["violations"] == "0"
    tracker = OverdraftTracker()
    tracker.inputs["unpaid_principal"].value = "500000"
    assert tracker.view.summary["band"] == "数额巨大"
    tracker.inputs["unpaid_principal"].value = "abc"
    assert "未还透支本金（元，不含利息、违约金、费用）：您填的是“abc”。请填数字。" in tracker.errors["unpaid_principal"].value
    linter = ScriptLinter()
    linter.inputs["text"].value = "我是公安局的，你的案子已经立案了。"
    assert "impersonation" in linter.view.summary["categories"].split()
