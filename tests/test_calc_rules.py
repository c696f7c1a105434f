"""Rule tests: each expected figure is computed by hand in the comment beside it.

Sources of the rules: domain-facts.md sections 2-6 and the cited profile values
(CMB as publicly described unless a test says otherwise).  Daily rate 0.05 %
means RMB 0.50 per RMB 1,000 per day.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import calculators
from calculators import (
    CalculatorInputError,
    Terms,
    bundled_profiles,
    delinquency_bucket,
    handbook_terms,
    installment_plan,
    late_fee,
    load_terms,
    minimum_payment,
    minimum_payment_payoff,
    negotiated_plan,
    overdue_projection,
    revolving_interest,
)
from calculators.dates import days_inclusive
from calculators.terms import FIELD_SPECS, PROFILE_DIR, PROFILE_ENV

CMB = load_terms("cmb")
ICBC = load_terms("icbc")
CCB = load_terms("ccb")
BOCOM = load_terms("bocom")
D = date
Y = Decimal

# The worked example used throughout: RMB 1,000 posted 30 Apr, statement 5 May, due 23 May, next statement 5 Jun.
POSTED, STATEMENT, DUE, NEXT = D(2026, 4, 30), D(2026, 5, 5), D(2026, 5, 23), D(2026, 6, 5)


def interest_1000(payments, terms=CMB):
    return revolving_interest([(POSTED, "1000")], payments, STATEMENT, DUE, NEXT, terms)


# --------------------------------------------------------------------------- day counts


def test_days_are_counted_inclusively_at_both_ends():
    # 30 Apr .. 22 May: 1 day in April + 22 in May = 23; 23 May .. 5 Jun: 9 in May + 5 in June = 14.
    assert days_inclusive(D(2026, 4, 30), D(2026, 5, 22)) == 23
    assert days_inclusive(D(2026, 5, 23), D(2026, 6, 5)) == 14
    assert days_inclusive(D(2026, 5, 5), D(2026, 5, 5)) == 1
    assert days_inclusive(D(2026, 5, 6), D(2026, 5, 5)) == 0


def test_partial_payment_same_day_convention():
    # same_day: 1000 × 0.0005 × 23 (30 Apr–22 May) = 11.50; 900 × 0.0005 × 14 (23 May–5 Jun) = 6.30; total 17.80.
    assert CMB.payment_effective == "same_day"
    assert interest_1000([(D(2026, 5, 23), "100")]) == Y("17.80")


def test_partial_payment_next_day_convention():
    # next_day: the payment day still bears the full amount.
    # 1000 × 0.0005 × 24 (30 Apr–23 May) = 12.00; 900 × 0.0005 × 13 (24 May–5 Jun) = 5.85; total 17.85.
    next_day = replace(CMB, payment_effective="next_day")
    assert interest_1000([(D(2026, 5, 23), "100")], next_day) == Y("17.85")


def test_no_payment_full_period_interest():
    # 30 Apr .. 5 Jun inclusive = 1 + 31 + 5 = 37 days; 1000 × 0.0005 × 37 = 18.50.
    assert interest_1000([]) == Y("18.50")


def test_posting_date_bound_relative_to_the_statement_date():
    # Issue 11 item 5: a purchase is posted on or before the statement date and at most 366 days before it
    # (calculators._validate.MAX_POSTING_DAYS, the bound the projections use too).
    def one(posted):
        return revolving_interest([(posted, "1000")], [], STATEMENT, DUE, NEXT, CMB)

    assert one(STATEMENT) == Y("16.00")  # 5 May .. 5 Jun inclusive = 32 days × 0.50
    assert one(D(2025, 5, 4)) == Y("199.00")  # earliest allowed: 398 days × 0.50
    with pytest.raises(CalculatorInputError) as info:
        one(D(2026, 5, 6))  # the day after the statement date
    assert str(info.value) == ("purchases[0]=2026-05-06 is not allowed: a date from 2025-05-04 to 2026-05-05 "
                               "(at most 366 days before the statement date)")
    assert "不晚于账单日，最早为账单日前 366 天" in info.value.message_zh
    for too_early in (D(2025, 5, 3), D(1950, 1, 1)):
        with pytest.raises(CalculatorInputError, match=r"purchases\[0\]=(2025-05-03|1950-01-01) is not allowed: "
                                                       r"a date from 2025-05-04 to 2026-05-05"):
            one(too_early)
    # a second purchase is checked too, by its own index
    with pytest.raises(CalculatorInputError, match=r"^purchases\[1\]=2020-01-01 is not allowed"):
        revolving_interest([(POSTED, "1"), (D(2020, 1, 1), "1")], [], STATEMENT, DUE, NEXT, CMB)


def test_payment_on_next_statement_date_counts_for_that_day_only():
    # Pay 1000 on 5 Jun (late): full amount 30 Apr–4 Jun = 36 days → 18.00; 5 Jun at 0 → 0.  Total 18.00.
    assert interest_1000([(D(2026, 6, 5), "1000")]) == Y("18.00")
    # next_day: the payment takes effect on 6 Jun, after the period: 37 days × 0.50 = 18.50.
    assert interest_1000([(D(2026, 6, 5), "1000")], replace(CMB, payment_effective="next_day")) == Y("18.50")


def test_unpaid_only_basis_charges_only_the_unpaid_part():
    # unpaid_only: the 100 paid on time counts as never borrowed: 900 × 0.0005 × 37 days = 16.65.
    unpaid_only = replace(CMB, interest_basis="unpaid_only")
    assert interest_1000([(D(2026, 5, 23), "100")], unpaid_only) == Y("16.65")


def test_interest_rounding_rule_from_profile():
    # 1001.01 bought on 30 Apr, 37 days: 1001.01 × 0.0005 × 37 = 18.518685 → 18.52 (half up), 18.51 (down).
    purchases = [(POSTED, "1001.01")]
    assert revolving_interest(purchases, [], STATEMENT, DUE, NEXT, CMB) == Y("18.52")
    assert revolving_interest(purchases, [], STATEMENT, DUE, NEXT, replace(CMB, interest_rounding="down")) == Y("18.51")
    # 1000.90 × 0.0005 × 37 = 18.51665 → up 18.52, down 18.51, half_even 18.52 (…665 is above the half).
    purchases = [(POSTED, "1000.90")]
    assert revolving_interest(purchases, [], STATEMENT, DUE, NEXT, replace(CMB, interest_rounding="up")) == Y("18.52")
    assert revolving_interest(purchases, [], STATEMENT, DUE, NEXT, replace(CMB, interest_rounding="half_even")) == Y("18.52")
    # An exact tie: 50.00 × 0.0005 × 37 = 0.925 → half_up 0.93, half_even 0.92 (2 is even), down 0.92, up 0.93.
    purchases = [(POSTED, "50")]
    expected = {"half_up": "0.93", "half_even": "0.92", "down": "0.92", "up": "0.93"}
    for rule, value in expected.items():
        assert revolving_interest(purchases, [], STATEMENT, DUE, NEXT, replace(CMB, interest_rounding=rule)) == Y(value)


# --------------------------------------------------------------------------- tolerance (容差还款)


def test_tolerance_boundary_exactly_ten_yuan_unpaid_is_paid_in_full():
    # 1000 − 990 = 10.00 ≤ tolerance 10.00: paid in full, no interest.
    assert CMB.tolerance == Y("10.00")
    assert interest_1000([(D(2026, 5, 23), "990")]) == Y("0.00")
    # Minimum 1000 (the whole statement) with 990 paid: 10.00 unpaid, within tolerance → no 违约金.
    assert late_fee("1000", "990", CMB, statement_balance="1000") == Y("0.00")


def test_tolerance_boundary_ten_yuan_one_fen_unpaid_is_charged():
    # 1000 − 989.99 = 10.01 > 10: full-balance interest.
    # 1000 × 0.0005 × 23 (30 Apr–22 May) = 11.50; 10.01 × 0.0005 × 14 = 0.07007; total 11.57007 → 11.57.
    assert interest_1000([(D(2026, 5, 23), "989.99")]) == Y("11.57")
    # 违约金: unpaid minimum 1000 − 989.99 = 10.01; 5 % = 0.5005 → 0.50; raised to CMB's floor 10.00.
    assert late_fee("1000", "989.99", CMB, statement_balance="1000") == Y("10.00")


def test_late_fee_without_statement_balance_cannot_apply_tolerance():
    # Same unpaid 10.00 of the minimum, but without the statement balance the tolerance rule is not applied:
    # 5 % × 10.00 = 0.50 → floor 10.00.
    assert late_fee("1000", "990", CMB) == Y("10.00")


# --------------------------------------------------------------------------- grace days (宽限期)


def _first_cycle(payment_day, amount="100", terms=CMB):
    projection = overdue_projection("1000", "100", STATEMENT, DUE, 1, terms,
                                    payments=[(payment_day, amount)], posting_date=POSTED)
    return projection.rows[0]


def test_payment_within_grace_days_avoids_the_late_fee_but_not_interest():
    assert CMB.grace_days == 3 and CMB.grace_keeps_interest_free is False
    row = _first_cycle(D(2026, 5, 26))  # due 23 May + 3 days
    assert row.late_fee == Y("0.00")
    # Interest: 1000 × 0.0005 × 26 (30 Apr–25 May) = 13.00; 900 × 0.0005 × 11 (26 May–5 Jun) = 4.95; total 17.95.
    assert row.interest == Y("17.95")


def test_payment_one_day_after_grace_is_late():
    row = _first_cycle(D(2026, 5, 27))
    # The minimum 100 is unpaid at due + grace: 5 % × 100 = 5.00 → CMB floor 10.00.
    assert row.late_fee == Y("10.00")
    # 1000 × 0.0005 × 27 (30 Apr–26 May) = 13.50; 900 × 0.0005 × 10 (27 May–5 Jun) = 4.50; total 18.00.
    assert row.interest == Y("18.00")


def test_grace_keeps_interest_free_when_the_profile_says_so():
    # Pay the whole 1000 on 26 May (within 3 grace days).
    # CMB profile: grace does not keep the interest-free period: 1000 × 0.0005 × 26 days (30 Apr–25 May) = 13.00.
    assert interest_1000([(D(2026, 5, 26), "1000")]) == Y("13.00")
    kept = replace(CMB, grace_keeps_interest_free=True)
    assert interest_1000([(D(2026, 5, 26), "1000")], kept) == Y("0.00")
    # One day later the grace is over even then: 27 days × 0.50 = 13.50.
    assert interest_1000([(D(2026, 5, 27), "1000")], kept) == Y("13.50")


# --------------------------------------------------------------------------- 违约金 floor and cap by profile


@pytest.mark.parametrize(
    ("terms", "minimum", "expected"),
    [
        (CMB, "1000", "50.00"),  # 5 % × 1000
        (CMB, "100", "10.00"),  # 5.00 below the floor 10
        (CMB, "200", "10.00"),  # 10.00 equals the floor
        (CMB, "1000.10", "50.01"),  # 50.005 rounded half up
        (CMB, "20000", "1000.00"),  # no cap at CMB
        (ICBC, "100", "5.00"),  # no floor at ICBC
        (ICBC, "10000", "500.00"),  # exactly the cap
        (ICBC, "10000.20", "500.00"),  # 500.01 capped at 500
        (ICBC, "20000", "500.00"),  # 1000 capped
        (CCB, "60", "5.00"),  # 3.00 below CCB's floor 5
        (CCB, "120", "6.00"),  # above CCB's floor (CMB would charge 10)
        (CCB, "20000", "1000.00"),  # no cap at CCB
        (BOCOM, "100", "10.00"),  # 5.00 below BoCom's floor 10
        (BOCOM, "300", "15.00"),  # 5 % × 300
    ],
)
def test_late_fee_floor_and_cap_per_profile(terms, minimum, expected):
    assert late_fee(minimum, "0", terms) == Y(expected)


def test_late_fee_is_on_the_unpaid_part_of_the_minimum_only():
    # Minimum 1000, 400 paid: 5 % × 600 = 30.00.  Paid in full or more: 0.
    assert late_fee("1000", "400", CMB, statement_balance="10000") == Y("30.00")
    assert late_fee("1000", "1000", CMB, statement_balance="10000") == Y("0.00")
    assert late_fee("1000", "1500", CMB, statement_balance="10000") == Y("0.00")
    assert late_fee("0", "0", CMB, statement_balance="10000") == Y("0.00")


def test_switching_profile_changes_the_late_fee():
    # Unpaid minimum 30,000: 5 % = 1,500.  CMB has no cap; ICBC caps at 500.
    assert late_fee("30000", "0", CMB) == Y("1500.00")
    assert late_fee("30000", "0", ICBC) == Y("500.00")


def test_handbook_profile_follows_the_environment(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "icbc")
    assert handbook_terms().code == "icbc"
    assert late_fee("30000", "0", handbook_terms()) == Y("500.00")
    monkeypatch.delenv(PROFILE_ENV)
    assert handbook_terms().code == "cmb"


# --------------------------------------------------------------------------- minimum payment (最低还款额)


def test_minimum_payment_composition():
    # 10 % × 10,000 general = 1,000.00; + 100 % of installment 1,079.20, last unpaid minimum 1,000,
    # over-limit 500, fees 50 and interest 155: 1000 + 1079.20 + 1000 + 500 + 50 + 155 = 3,784.20.
    total = minimum_payment("10000", CMB, installment_due="1079.20", previous_unpaid_minimum="1000",
                            over_limit="500", fees="50", interest="155")
    assert total == Y("3784.20")


def test_minimum_payment_rounds_each_share():
    # 10 % × 1,234.55 = 123.455 → 123.46 (half up); with down rounding 123.45.
    assert minimum_payment("1234.55", CMB) == Y("123.46")
    assert minimum_payment("1234.55", replace(CMB, min_payment_rounding="down")) == Y("123.45")
    assert minimum_payment("0", CMB) == Y("0.00")


# --------------------------------------------------------------------------- installments (分期)


def test_installment_remainder_goes_to_the_last_period():
    # 10,000 / 3 = 3,333.333… truncated to 3,333.33; last period 10,000 − 2 × 3,333.33 = 3,333.34.
    # Fee 10,000 × 0.90 % = 90.00 every period on the original principal.
    plan = installment_plan("10000", 3, "0.009", CMB)
    assert [row.principal for row in plan.rows] == [Y("3333.33"), Y("3333.33"), Y("3333.34")]
    assert [row.fee for row in plan.rows] == [Y("90.00")] * 3
    assert [row.payment for row in plan.rows] == [Y("3423.33"), Y("3423.33"), Y("3423.34")]
    assert [row.remaining for row in plan.rows] == [Y("6666.67"), Y("3333.34"), Y("0.00")]
    assert plan.total_fee == Y("270.00") and plan.total_payment == Y("10270.00")


def test_installment_remainder_first_when_the_profile_says_so():
    plan = installment_plan("10000", 3, "0.009", replace(CMB, installment_remainder="first"))
    assert [row.principal for row in plan.rows] == [Y("3333.34"), Y("3333.33"), Y("3333.33")]


def test_installment_parts_rounded_up_cannot_leave_a_negative_remainder():
    # half_up parts: 10.00 / 60 = 0.1666… → 0.17; 59 × 0.17 = 10.03 > 10.00, so the last period would be −0.03.
    half_up = replace(CMB, installment_principal_rounding="half_up")
    with pytest.raises(CalculatorInputError) as info:
        installment_plan("10", 60, "0.01", half_up)
    assert str(info.value).startswith("principal='10.00' is not allowed: at least 10.03: the other 59 parts of 0.17")
    # 1,000.00 / 7 = 142.857… → 142.86; the last period takes 1,000 − 6 × 142.86 = 142.84.
    assert installment_plan("1000", 7, "0.01", half_up).rows[-1].principal == Y("142.84")


def test_installment_fee_floor_of_five_yuan_per_period():
    # 500 × 0.90 % = 4.50 < 5.00: the fee is 5.00 in each of 3 periods; rate 0 means no fee and no floor.
    plan = installment_plan("500", 3, "0.009", CMB)
    assert [row.fee for row in plan.rows] == [Y("5.00")] * 3
    assert installment_plan("500", 3, "0", CMB).total_fee == Y("0.00")
    # 556 × 0.90 % = 5.004 → 5.00, exactly the floor; 600 × 0.90 % = 5.40 above it.
    assert installment_plan("556", 3, "0.009", CMB).rows[0].fee == Y("5.00")
    assert installment_plan("600", 3, "0.009", CMB).rows[0].fee == Y("5.40")


def test_installment_apr_simple_and_irr_for_the_published_12_period_rate():
    # 12,000 over 12 at 0.66 %: fee 79.20 a month, total 950.40.
    # Simple method: 24 × 12 × 0.0066 / 13 = 0.146215… ; IRR method below it (the fee is on the original principal).
    plan = installment_plan("12000", 12, "0.0066", CMB)
    assert plan.total_fee == Y("950.40")
    assert plan.apr_simple == Y("0.146215")
    assert Y("0.14") < plan.apr < plan.apr_simple


def test_early_payoff_rules():
    plan = installment_plan("12000", 12, "0.0066", CMB)
    # After 3 of 12 payments: principal 9,000 left, 9 fees of 79.20 = 712.80 → 9,712.80 (CMB rule).
    assert plan.payoff_amount(3) == Y("9712.80")
    assert plan.payoff_amount(0) == Y("12950.40")  # 12,000 + 12 × 79.20
    assert plan.payoff_amount(12) == Y("0.00")
    next_fee = installment_plan("12000", 12, "0.0066", replace(CMB, early_payoff="principal_and_next_fee"))
    assert next_fee.payoff_amount(3) == Y("9079.20")  # 9,000 + one fee
    principal_only = installment_plan("12000", 12, "0.0066", replace(CMB, early_payoff="principal_only"))
    assert principal_only.payoff_amount(3) == Y("9000.00")
    with pytest.raises(CalculatorInputError, match=r"after_period=13 is not allowed: a whole number ≥ 0 and ≤ 12"):
        plan.payoff_amount(13)


def test_sixty_month_limit_for_installment_plans():
    plan = installment_plan("12000", 60, "0.0066", CMB)
    assert plan.periods == 60 and plan.rows[-1].remaining == 0
    with pytest.raises(CalculatorInputError) as info:
        installment_plan("12000", 61, "0.0066", CMB)
    assert info.value.field == "periods" and info.value.value == 61
    assert "≤ 60" in str(info.value) and "银保监规〔2022〕13号" in str(info.value)


def test_sixty_month_limit_for_negotiated_plans():
    assert negotiated_plan("50000", 60, CMB).periods == 60
    with pytest.raises(CalculatorInputError) as info:
        negotiated_plan("50000", 61, CMB)
    assert info.value.field == "periods"
    assert "≤ 60" in str(info.value) and "第七十条" in str(info.value)


# --------------------------------------------------------------------------- negotiated plans (个性化分期)

DEBT = dict(interest="1000", fees="200", late_fees="300", waivers={"late_fees": "300"}, down_payment="1500")


def test_negotiated_down_payment_goes_to_interest_and_fees_first_up_to_90_days():
    # Debt 10,000 + 1,000 + 200 + 300 − 300 waived = 11,200.  DPD 60 ≤ 90: the 1,500 pays interest 1,000,
    # fees 200, then 300 of principal: principal 9,700 and no charges are financed.
    plan = negotiated_plan("10000", 10, CMB, days_past_due=60, monthly_fee_rate="0.005", **DEBT)
    assert plan.components["financed_principal"] == Y("9700.00")
    assert plan.components["financed_charges"] == Y("0.00")
    assert plan.components["waived_late_fees"] == Y("300.00")
    # 10 equal parts of 970.00; the fee is on the principal part only: 9,700 × 0.5 % = 48.50.
    assert plan.rows[0].principal == Y("970.00") and plan.rows[0].fee == Y("48.50")
    assert plan.total_fee == Y("485.00")


def test_negotiated_down_payment_goes_to_principal_first_after_90_days():
    # DPD 91 > 90: the 1,500 pays principal first: principal 8,500, charges 1,200 financed.
    plan = negotiated_plan("10000", 10, CMB, days_past_due=91, monthly_fee_rate="0.005", **DEBT)
    assert plan.components["financed_principal"] == Y("8500.00")
    assert plan.components["financed_charges"] == Y("1200.00")
    # Each period repays 850 + 120 = 970; the fee is on the principal part only: 8,500 × 0.5 % = 42.50.
    assert plan.rows[0].principal == Y("970.00") and plan.rows[0].fee == Y("42.50")


def test_negotiated_order_boundary_is_the_profile_threshold():
    assert CMB.payment_order_principal_first_after_days == 90
    at_90 = negotiated_plan("10000", 10, CMB, days_past_due=90, **DEBT)
    assert at_90.components["financed_principal"] == Y("9700.00")
    shifted = replace(CMB, payment_order_principal_first_after_days=30)
    assert negotiated_plan("10000", 10, shifted, days_past_due=60, **DEBT).components["financed_principal"] == Y("8500.00")


def test_negotiated_plan_with_interest_on_the_remaining_principal():
    # 12,000 over 12 at 12 % a year = 1 % a month on the principal still owed: 120.00, 110.00, …, 10.00.
    # Total interest 1 % × 1,000 × (12 + 11 + … + 1) = 10 × 78 = 780.00.
    plan = negotiated_plan("12000", 12, CMB, annual_interest_rate="0.12")
    assert [row.fee for row in plan.rows[:3]] == [Y("120.00"), Y("110.00"), Y("100.00")]
    assert plan.rows[-1].fee == Y("10.00")
    assert plan.total_fee == Y("780.00")
    assert plan.apr == Y("0.120000")  # interest on the declining balance: the IRR is exactly the nominal rate
    assert plan.payoff_amount(6) == Y("6000.00")  # remaining principal only


def test_negotiated_plan_rejects_bad_waivers_and_missing_days_past_due():
    with pytest.raises(CalculatorInputError, match=r"waivers\[late_fees\]='400' is not allowed"):
        negotiated_plan("10000", 10, CMB, late_fees="300", waivers={"late_fees": "400"})
    with pytest.raises(CalculatorInputError, match=r"waivers='principal' is not allowed"):
        negotiated_plan("10000", 10, CMB, waivers={"principal": "1"})
    with pytest.raises(CalculatorInputError, match=r"days_past_due=None is not allowed"):
        negotiated_plan("10000", 10, CMB, down_payment="100")
    with pytest.raises(CalculatorInputError, match=r"down_payment='10000' is not allowed: less than the debt"):
        negotiated_plan("10000", 10, CMB, down_payment="10000", days_past_due=1)


# --------------------------------------------------------------------------- overdue projection


def test_overdue_projection_three_cycles_by_hand():
    # Statement 5 May of 5,000 posted 1 May, minimum 500; 200 paid on 20 May, nothing after.
    p = overdue_projection("5000", "500", STATEMENT, DUE, 3, CMB, payments=[(D(2026, 5, 20), "200")],
                           posting_date=D(2026, 5, 1))
    r1, r2, r3 = p.rows
    # Cycle 1 (5 Jun): 5,000 × 0.0005 × 19 (1–19 May) = 47.50; 4,800 × 0.0005 × 17 (20 May–5 Jun) = 40.80 → 88.30.
    # 违约金: 500 − 200 = 300 unpaid × 5 % = 15.00.  Minimum: 10 % × 4,800 = 480 + 300 + 15 + 88.30 = 883.30.
    # DPD at 5 Jun counted from the due date 23 May: 13 → M1.
    assert (r1.statement_date, r1.principal, r1.interest, r1.late_fee) == (D(2026, 6, 5), Y("4800.00"), Y("88.30"), Y("15.00"))
    assert (r1.minimum_payment, r1.balance, r1.days_past_due, r1.bucket) == (Y("883.30"), Y("4903.30"), 13, "M1")
    # Cycle 2 (5 Jul): interest on principal + billed interest (not on 违约金): 4,888.30 × 0.0005 × 30 = 73.3245 → 73.32.
    # 违约金 5 % × 883.30 = 44.165 → 44.17.  Minimum 480 + 883.30 + 44.17 + 73.32 = 1,480.79.  DPD 43 → M2.
    assert (r2.interest, r2.late_fee, r2.minimum_payment, r2.days_past_due, r2.bucket) == (Y("73.32"), Y("44.17"), Y("1480.79"), 43, "M2")
    assert r2.balance == Y("4800") + Y("88.30") + Y("73.32") + Y("15.00") + Y("44.17")  # 5,020.79
    # Cycle 3 (5 Aug): (4,800 + 88.30 + 73.32) × 0.0005 × 31 = 4,961.62 × 0.0155 = 76.90511 → 76.91.
    # 违约金 5 % × 1,480.79 = 74.0395 → 74.04.  Minimum 480 + 1,480.79 + 74.04 + 76.91 = 2,111.74.  DPD 74 → M3.
    assert (r3.interest, r3.late_fee, r3.minimum_payment, r3.days_past_due, r3.bucket) == (Y("76.91"), Y("74.04"), Y("2111.74"), 74, "M3")
    assert (r3.interest_total, r3.late_fee_total, r3.balance) == (Y("238.53"), Y("133.21"), Y("5171.74"))
    assert p.total_interest == Y("238.53") and p.total_late_fees == Y("133.21") and p.final_balance == Y("5171.74")
    assert all(row.category == "关注" for row in p.rows)


def test_overdue_projection_without_compounding_bears_interest_on_principal_only():
    # compounding none: cycle 2 is 4,800 × 0.0005 × 30 = 72.00 (not 73.32).
    p = overdue_projection("5000", "500", STATEMENT, DUE, 2, replace(CMB, compounding="none"),
                           payments=[(D(2026, 5, 20), "200")], posting_date=D(2026, 5, 1))
    assert p.rows[1].interest == Y("72.00")


def test_overdue_projection_paid_within_tolerance_stays_clean():
    # 995 paid of 1,000 by the due date: 5.00 unpaid ≤ 10: no interest, no 违约金 in any cycle.
    p = overdue_projection("1000", "100", STATEMENT, DUE, 3, CMB, payments=[(D(2026, 5, 23), "995")])
    assert p.total_interest == 0 and p.total_late_fees == 0
    assert [row.days_past_due for row in p.rows] == [0, 0, 0]


# --------------------------------------------------------------------------- delinquency buckets


@pytest.mark.parametrize(
    ("dpd", "bucket", "category"),
    [
        (0, "M0", "正常"), (1, "M1", "关注"), (30, "M1", "关注"), (31, "M2", "关注"), (60, "M2", "关注"),
        (61, "M3", "关注"), (90, "M3", "关注"), (91, "M4", "次级"), (120, "M4", "次级"), (121, "M5", "可疑"),
        (150, "M5", "可疑"), (151, "M6", "可疑"), (180, "M6", "可疑"), (181, "M7", "损失"), (10_000, "M7", "损失"),
    ],
)
def test_delinquency_bucket_boundaries(dpd, bucket, category):
    status = delinquency_bucket(dpd)
    assert (status.days_past_due, status.bucket, status.category) == (dpd, bucket, category)


def test_delinquency_bucket_rejects_negative_days():
    with pytest.raises(CalculatorInputError, match=r"days_past_due=-1 is not allowed: a whole number ≥ 0"):
        delinquency_bucket(-1)


# --------------------------------------------------------------------------- minimum-payment payoff


def test_minimum_payment_payoff_first_two_months_by_hand():
    result = minimum_payment_payoff("10000", CMB, statement_date=STATEMENT)
    m1, m2 = result.rows[:2]
    # Month 1: minimum 10 % × 10,000 = 1,000 paid on 23 May.  Interest: 10,000 × 0.0005 × 18 (5–22 May) = 90.00
    # + 9,000 × 0.0005 × 14 (23 May–5 Jun) = 63.00 → 153.00.
    assert (m1.statement_balance, m1.payment, m1.interest_next) == (Y("10000.00"), Y("1000.00"), Y("153.00"))
    # Month 2: balance 9,000 + 153 = 9,153; minimum 900 + 153 = 1,053 paid on 23 Jun.  Interest:
    # 9,153 × 0.0005 × 17 (6–22 Jun) = 77.8005 + 8,100 × 0.0005 × 13 (23 Jun–5 Jul) = 52.65 → 130.4505 → 130.45.
    assert (m2.statement_balance, m2.payment, m2.interest_next) == (Y("9153.00"), Y("1053.00"), Y("130.45"))
    # Sanity: everything paid is the balance plus the interest; it takes years, not months.
    assert result.total_paid == Y("10000") + result.total_interest
    assert result.total_interest == sum(row.interest_next for row in result.rows)
    assert 24 < result.months < 120


def test_minimum_payment_payoff_reports_an_unreachable_limit():
    with pytest.raises(CalculatorInputError, match=r"max_months=12 is not allowed"):
        minimum_payment_payoff("10000", CMB, statement_date=STATEMENT, max_months=12)


# --------------------------------------------------------------------------- error messages


@pytest.mark.parametrize(
    ("call", "field", "value", "allowed"),
    [
        (lambda: late_fee("abc", "0", CMB), "minimum_due", "'abc'", "an amount in yuan with at most 2 decimal places"),
        (lambda: late_fee("100", "12.345", CMB), "paid", "'12.345'", "at most 2 decimal places"),
        (lambda: late_fee("100", "0", "cmb"), "terms", "'cmb'", "a Terms object from load_terms()"),
        (lambda: installment_plan("1000", 0, "0.0066", CMB), "periods", "0", "a whole number ≥ 1 and ≤ 60"),
        (lambda: installment_plan("1000", 12, "0.1", CMB), "monthly_fee_rate", "'0.1'", "rate < 0.1"),
        (lambda: installment_plan("0", 12, "0.01", CMB), "principal", "'0'", "from 0.01 to"),
        (lambda: revolving_interest([], [], STATEMENT, D(2026, 5, 1), NEXT, CMB), "due_date", "'2026-05-01'",
         "a date after statement_date (2026-05-05)"),
        (lambda: revolving_interest([(D(2026, 5, 6), "1")], [], STATEMENT, DUE, NEXT, CMB), "purchases[0]", "2026-05-06",
         "a date from 2025-05-04 to 2026-05-05 (at most 366 days before the statement date)"),
        (lambda: overdue_projection("100", "-1", STATEMENT, DUE, 3, CMB), "minimum_due", "'-1'", "from 0.00 to"),
        (lambda: overdue_projection("100", "10", STATEMENT, DUE, 121, CMB), "cycles", "121", "≤ 120"),
        (lambda: delinquency_bucket("１２"), "days_past_due", "'１２'", "a whole number ≥ 0"),
        (lambda: load_terms("abc"), "name_or_path", "'abc'", "a bundled profile (bocom, ccb, cmb, icbc)"),
    ],
)
def test_error_messages_name_field_value_and_allowed(call, field, value, allowed):
    with pytest.raises(CalculatorInputError) as info:
        call()
    err = info.value
    assert isinstance(err, ValueError)
    assert err.field == field
    assert str(err).startswith(f"{field}={value} is not allowed: ")
    assert allowed in str(err)
    assert field in err.message_zh


def test_nothing_is_silently_clamped():
    # A third decimal, a negative amount and a float-looking period count are errors, not rounded or clamped.
    for call in (lambda: late_fee("100.001", "0", CMB), lambda: late_fee("-1", "0", CMB),
                 lambda: installment_plan("1000", 12.0, "0.01", CMB), lambda: installment_plan("1000", True, "0.01", CMB)):
        with pytest.raises(CalculatorInputError):
            call()


# --------------------------------------------------------------------------- profiles


def test_every_bundled_profile_loads_and_every_value_is_cited():
    assert bundled_profiles() == ["bocom", "ccb", "cmb", "icbc"]
    for name in bundled_profiles():
        terms = load_terms(name)
        assert terms.code == name
        for spec in FIELD_SPECS:
            citation = terms.cite(spec.name)
            assert citation.source.strip(), (name, spec.name)
            assert citation.confidence in ("H", "M", "L"), (name, spec.name)
        # The 60-month limits and the 违约金 rate are the same rule everywhere.
        assert terms.installment_max_periods == 60 and terms.negotiated_max_periods == 60
        assert terms.late_fee_rate == Y("0.05")


def test_profiles_differ_exactly_where_the_sources_differ():
    assert (CMB.late_fee_min, CMB.late_fee_max) == (Y("10.00"), None)
    assert (ICBC.late_fee_min, ICBC.late_fee_max) == (None, Y("500.00"))
    assert (CCB.late_fee_min, CCB.late_fee_max) == (Y("5.00"), None)
    assert (BOCOM.late_fee_min, BOCOM.late_fee_max) == (Y("10.00"), None)


def _bad_copy(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of cmb.yml with ``old`` replaced; returns the path and the line on which ``old`` starts."""
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    index = text.index(old)
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, text[:index].count("\n") + 1


def test_malformed_profile_value_names_file_and_line(tmp_path):
    path, line = _bad_copy(tmp_path, "bad-rate.yml", "  grace_days:\n    value: 3\n", "  grace_days:\n    value: three\n")
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line + 1}: values.grace_days.value='three' is not allowed: a whole number from 0 to 31")


def test_profile_yaml_syntax_error_names_file_and_line(tmp_path):
    path, line = _bad_copy(tmp_path, "bad-yaml.yml", "  tolerance:\n    value: 10.00\n", "  tolerance:\n    value: [10.00\n")
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    assert re.match(rf"{re.escape(str(path))}:\d+: profile='bad-yaml.yml' is not allowed: valid YAML", str(info.value))
    assert int(str(info.value).split(":")[1]) >= line + 1


def test_profile_missing_citation_names_file_and_line(tmp_path):
    path, line = _bad_copy(tmp_path, "no-source.yml", "    confidence: M\n    note: 广为流传", "    confidence: X\n    note: 广为流传")
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    assert str(info.value).startswith(f"{path}:{line}: values.payment_effective.confidence='X' is not allowed: H, M or L")


def test_terms_round_trip_and_public_exports():
    for name in bundled_profiles():
        terms = load_terms(name)
        assert Terms.from_dict(terms.to_dict()) == terms
    assert issubclass(calculators.CalculatorInputError, ValueError)
