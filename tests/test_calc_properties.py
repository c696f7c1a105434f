"""Hypothesis properties of the calculators: invariants that must hold for every valid input.

Settings are explicit and derandomised (the same examples on every run, no
example database), so the suite is reproducible in CI.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import numpy_financial as npf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import (
    installment_plan,
    late_fee,
    load_terms,
    minimum_payment,
    negotiated_plan,
    overdue_projection,
    revolving_interest,
)
from calculators.interest import accrue
from calculators.money import quantize_rate, round_fen

PROPS = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow])

PROFILES = [load_terms(name) for name in ("cmb", "icbc", "ccb", "bocom")]
RULES = ("half_up", "half_even", "down", "up")


def fen(low: int = 1, high: int = 10**14) -> st.SearchStrategy[Decimal]:
    """Amounts in yuan from integer fen, small ones as likely as large ones."""
    return st.one_of(st.integers(low, min(high, 10**6)), st.integers(low, high)).map(lambda f: Decimal(f).scaleb(-2))


fee_rates = st.integers(0, 999).map(lambda k: Decimal(k).scaleb(-4))  # 0 .. 0.0999 per month


@st.composite
def installment_terms(draw):
    terms = draw(st.sampled_from(PROFILES))
    return replace(terms, installment_fee_rounding=draw(st.sampled_from(RULES)),
                   installment_principal_rounding=draw(st.sampled_from(("down", "half_up", "half_even"))),
                   installment_remainder=draw(st.sampled_from(("last", "first"))))


@st.composite
def plans(draw):
    terms = draw(installment_terms())
    periods = draw(st.integers(1, 60))
    # At least one fen per period; parts rounded to nearest need 0.30 yuan per period (else the
    # remainder period would be negative, which installment_plan rejects: see test_calc_rules).
    per_period = 1 if terms.installment_principal_rounding == "down" else 30
    principal = draw(fen(low=per_period * periods))
    return installment_plan(principal, periods, draw(fee_rates), terms), terms


# --------------------------------------------------------------------------- installments


@PROPS
@given(plans())
def test_installment_principal_sums_exactly_and_ends_at_zero(plan_terms):
    plan, _ = plan_terms
    assert sum(row.principal for row in plan.rows) == plan.principal
    assert plan.rows[-1].remaining == 0
    remaining = [plan.principal] + [row.remaining for row in plan.rows]
    assert all(a >= b for a, b in zip(remaining, remaining[1:]))  # never borrowed again
    assert all(row.principal >= 0 for row in plan.rows)


@PROPS
@given(plans())
def test_installment_payments_are_principal_plus_fees_and_fees_are_never_negative(plan_terms):
    plan, terms = plan_terms
    assert plan.total_payment == plan.principal + plan.total_fee
    assert all(row.payment == row.principal + row.fee for row in plan.rows)
    assert all(row.fee >= 0 for row in plan.rows)
    if plan.rate > 0:  # the floor applies to every period of a priced plan
        assert all(row.fee >= terms.installment_fee_min for row in plan.rows)
    else:
        assert plan.total_fee == 0 and plan.apr == 0


@PROPS
@given(plans())
def test_payoff_amount_never_increases_as_periods_are_paid(plan_terms):
    plan, _ = plan_terms
    amounts = [plan.payoff_amount(k) for k in range(plan.periods + 1)]
    assert amounts[0] == plan.total_payment  # CMB rule: everything still owed
    assert amounts[-1] == 0
    assert all(a >= b for a, b in zip(amounts, amounts[1:]))


@PROPS
@given(plans())
def test_apr_irr_matches_numpy_financial(plan_terms):
    plan, _ = plan_terms
    flows = [-float(plan.principal)] + [float(row.payment) for row in plan.rows]
    expected = npf.irr(flows)
    assert float(plan.monthly_irr) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert plan.apr == quantize_rate(plan.monthly_irr * 12)


@PROPS
@given(st.integers(1, 60), st.integers(1, 10**9), st.integers(1, 999), st.sampled_from(PROFILES))
def test_apr_simple_is_24nr_over_n_plus_1_without_floor_or_rounding(n, units, rate_units, terms):
    # Principal P = n × units × 100 yuan: divisible by n, and P × r has at most 2 decimals for r = k / 10,000.
    rate = Decimal(rate_units).scaleb(-4)
    principal = Decimal(n * units * 100)
    fee = principal * rate
    if fee < terms.installment_fee_min:  # the floor would apply: not this property's case
        principal = Decimal(n * 100) * (int(terms.installment_fee_min / (Decimal(n * 100) * rate)) + 1)
        fee = principal * rate
    assert fee == fee.quantize(Decimal("0.01")) and fee >= terms.installment_fee_min
    plan = installment_plan(principal, n, rate, terms)
    assert all(row.fee == fee for row in plan.rows)
    assert plan.apr_simple == quantize_rate(Decimal(24 * n) * rate / (n + 1))


@PROPS
@given(st.sampled_from(PROFILES), st.integers(1, 60), fen(low=6000, high=10**12), fee_rates, fee_rates)
def test_apr_rises_with_the_fee_rate(terms, n, principal, r1, r2):
    low, high = sorted((r1, r2))
    a, b = installment_plan(principal, n, low, terms), installment_plan(principal, n, high, terms)
    assert a.apr <= b.apr and a.apr_simple <= b.apr_simple and a.effective_annual_rate <= b.effective_annual_rate
    if b.total_fee > a.total_fee:
        assert a.monthly_irr < b.monthly_irr
    else:
        assert a.monthly_irr == b.monthly_irr


@PROPS
@given(st.sampled_from(PROFILES), st.integers(1, 60), fen(high=10**10), fen(low=0, high=10**8), fen(low=0, high=10**8),
       st.integers(0, 400), st.sampled_from((None, "fee", "interest")), fee_rates)
def test_negotiated_plan_repays_the_financed_debt_exactly(terms, n, principal, interest, down, dpd, cost, rate):
    debt = principal + interest
    down = min(down, debt - Decimal("0.01"))
    kwargs = {"monthly_fee_rate": rate} if cost == "fee" else {"annual_interest_rate": rate * 12} if cost == "interest" else {}
    plan = negotiated_plan(principal, n, terms, interest=interest, down_payment=down, days_past_due=dpd, **kwargs)
    assert plan.components["financed"] == debt - down
    assert sum(row.principal for row in plan.rows) == plan.principal == debt - down
    assert plan.rows[-1].remaining == 0
    assert all(row.fee >= 0 for row in plan.rows)


# --------------------------------------------------------------------------- 违约金 and interest


@PROPS
@given(st.sampled_from(PROFILES), fen(low=0), fen(low=0), fen(low=0))
def test_late_fee_is_never_negative_and_within_floor_and_cap(terms, a, b, c):
    minimum, balance = sorted((a, b))
    fee = late_fee(minimum, c, terms, statement_balance=balance)
    assert fee >= 0
    if fee > 0:
        assert minimum > c and balance - c > terms.tolerance
        if terms.late_fee_min is not None:
            assert fee >= terms.late_fee_min
        if terms.late_fee_max is not None:
            assert fee <= terms.late_fee_max
    else:
        assert minimum <= c or balance - c <= terms.tolerance


@PROPS
@given(st.sampled_from(PROFILES), fen(low=0, high=10**10), fen(low=0, high=10**10), fen(low=0, high=10**10))
def test_late_fee_never_increases_with_the_amount_paid(terms, minimum, p1, p2):
    low, high = sorted((p1, p2))
    assert late_fee(minimum, low, terms) >= late_fee(minimum, high, terms)


@st.composite
def statements(draw):
    statement = date(2026, 1, 5) + timedelta(days=draw(st.integers(0, 365)))
    due = statement + timedelta(days=draw(st.integers(15, 25)))
    following = statement + timedelta(days=draw(st.integers(28, 31)))
    posted = statement - timedelta(days=draw(st.integers(0, 40)))
    balance = draw(fen(low=1, high=10**12))
    paid = draw(fen(low=1, high=10**12))
    paid_day = statement + timedelta(days=draw(st.integers(1, (following - statement).days)))
    terms = draw(st.sampled_from(PROFILES))
    terms = replace(terms, interest_basis=draw(st.sampled_from(("full_balance", "unpaid_only"))),
                    payment_effective=draw(st.sampled_from(("same_day", "next_day"))),
                    grace_keeps_interest_free=draw(st.booleans()), interest_rounding=draw(st.sampled_from(RULES)))
    return statement, due, following, posted, balance, paid, paid_day, terms


@PROPS
@given(statements())
def test_interest_is_never_negative_and_zero_exactly_within_tolerance(case):
    statement, due, following, posted, balance, paid, paid_day, terms = case
    interest = revolving_interest([(posted, balance)], [(paid_day, paid)], statement, due, following, terms)
    assert interest >= 0
    deadline = due + timedelta(days=terms.grace_days if terms.grace_keeps_interest_free else 0)
    within = balance - (paid if paid_day <= deadline else 0) <= terms.tolerance
    if within:
        assert interest == 0
    # Never more than the whole balance for the whole period, rounded up.
    days = (following - posted).days + 1
    assert interest <= round_fen(balance * terms.daily_rate * days, "up")


@PROPS
@given(statements(), fen(low=1, high=10**12))
def test_paying_more_on_the_same_day_never_costs_more_interest(case, extra):
    statement, due, following, posted, balance, paid, paid_day, terms = case
    less = revolving_interest([(posted, balance)], [(paid_day, paid)], statement, due, following, terms)
    more = revolving_interest([(posted, balance)], [(paid_day, paid + extra)], statement, due, following, terms)
    assert more <= less


@PROPS
@given(st.sampled_from(PROFILES), fen(low=0, high=10**10), fen(low=0, high=10**10), fen(low=0, high=10**10))
def test_minimum_payment_is_never_negative_and_adds_its_parts(terms, general, fees, interest):
    total = minimum_payment(general, terms, fees=fees, interest=interest)
    assert total >= 0
    assert total == minimum_payment(general, terms) + minimum_payment(0, terms, fees=fees) + minimum_payment(0, terms, interest=interest)


# --------------------------------------------------------------------------- no interest on 违约金


@st.composite
def projections(draw):
    terms = draw(st.sampled_from(PROFILES))
    terms = replace(terms, compounding=draw(st.sampled_from(("monthly", "none"))))
    balance = draw(fen(low=2000, high=10**9))  # at least RMB 20
    minimum = Decimal(draw(st.integers(0, int(balance * 100)))).scaleb(-2)
    paid = draw(st.integers(0, int(balance * 100) - 1100))  # leaves more than RMB 10 of principal: never settled
    statement = date(2026, 1, 5) + timedelta(days=draw(st.integers(0, 365)))
    due = statement + timedelta(days=draw(st.integers(15, 25)))
    payments = [(statement + timedelta(days=draw(st.integers(1, 28))), Decimal(paid).scaleb(-2))] if paid else []
    posted = statement - timedelta(days=draw(st.integers(0, 40)))
    return terms, balance, minimum, statement, due, payments, posted, draw(st.integers(1, 12))


@PROPS
@given(projections(), st.integers(0, 20), st.integers(0, 5000))
def test_projection_never_charges_interest_on_late_fees(case, rate_percent, floor_yuan):
    terms, balance, minimum, statement, due, payments, posted, cycles = case
    base = overdue_projection(balance, minimum, statement, due, cycles, terms, payments=payments, posting_date=posted)
    harsher = replace(terms, late_fee_rate=Decimal(rate_percent) / 100, late_fee_min=Decimal(floor_yuan), late_fee_max=None)
    other = overdue_projection(balance, minimum, statement, due, cycles, harsher, payments=payments, posting_date=posted)
    # A different 违约金 changes the fees and the minimum, never the interest.
    assert [row.interest for row in base.rows] == [row.interest for row in other.rows]
    # And the interest of each later cycle is recomputed from principal and billed interest alone.
    for previous, row in zip(base.rows, base.rows[1:]):
        bearing = row.principal + (previous.interest_total if terms.compounding == "monthly" else 0)
        start = previous.statement_date + timedelta(days=1)
        expected = round_fen(accrue([(start, bearing)], start, row.statement_date, terms.daily_rate), terms.interest_rounding)
        assert row.interest == expected
        assert row.balance == row.principal + row.interest_total + row.late_fee_total
