"""Installment plans (分期) and personalised installment agreements (个性化分期)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Mapping

from ._validate import check_terms
from .dates import MAX_DAYS_PAST_DUE
from .errors import CalculatorInputError
from .irr import monthly_irr
from .money import FEN, ZERO, Amount, quantize_rate, round_fen, to_amount, to_int, to_rate
from .terms import Terms

__all__ = ["PlanRow", "Plan", "installment_plan", "negotiated_plan", "WAIVABLE"]

#: Debt components a negotiated plan may waive in part or in full (principal is not waivable here).
WAIVABLE = ("interest", "fees", "late_fees")
_MAX_MONTHLY_RATE = Decimal("0.1")  # input domain: a fraction per month below 10 %


@dataclass(frozen=True)
class PlanRow:
    """One period of a plan: principal repaid, fee (or interest), payment, principal still owed."""

    period: int
    principal: Decimal
    fee: Decimal
    payment: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class Plan:
    """A repayment schedule with its cost measured three ways.

    ``apr`` is the monthly IRR × 12 (the IRR method of 中国人民银行公告〔2021〕第3号),
    ``apr_simple`` is total cost over the average outstanding principal, annualised
    (``24·n·r/(n+1)`` for equal principal with a flat fee), and
    ``effective_annual_rate`` is ``(1 + monthly IRR)^12 − 1``.  Rates are
    fractions rounded half up to 6 decimal places (0.0001 percentage point).
    """

    kind: str
    principal: Decimal
    periods: int
    rate: Decimal
    rate_basis: str  # "monthly_fee_on_original" | "monthly_interest_on_remaining" | "none"
    rows: tuple[PlanRow, ...]
    early_payoff_rule: str
    apr: Decimal
    apr_simple: Decimal
    effective_annual_rate: Decimal
    monthly_irr: Decimal = field(repr=False)
    components: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def total_fee(self) -> Decimal:
        """All fees (or interest) over the plan."""
        return sum((row.fee for row in self.rows), ZERO)

    @property
    def total_payment(self) -> Decimal:
        """Everything the customer pays over the plan: principal plus fees."""
        return sum((row.payment for row in self.rows), ZERO)

    def payoff_amount(self, after_period: int) -> Decimal:
        """The one sum that settles the plan right after period ``after_period`` is paid.

        ``after_period`` runs from 0 (before the first payment) to ``periods``
        (nothing left).  The rule is the plan's ``early_payoff_rule``:
        ``principal_and_all_remaining_fees`` (CMB as publicly described),
        ``principal_and_next_fee`` or ``principal_only``.

        >>> from calculators import installment_plan, load_terms
        >>> plan = installment_plan("12000", 12, "0.0066", load_terms("cmb"))
        >>> plan.payoff_amount(3)   # 9,000 principal + 9 remaining fees of 79.20
        Decimal('9712.80')
        """
        k = to_int(after_period, "after_period", minimum=0, maximum=self.periods)
        remaining = self.principal if k == 0 else self.rows[k - 1].remaining
        later = self.rows[k:]
        if self.early_payoff_rule == "principal_and_all_remaining_fees":
            return remaining + sum((row.fee for row in later), ZERO)
        if self.early_payoff_rule == "principal_and_next_fee":
            return remaining + (later[0].fee if later else ZERO)
        return remaining


def _principal_parts(amount: Decimal, periods: int, rounding: str, remainder_at: str, field: str = "principal") -> list[Decimal]:
    """Equal parts rounded with ``rounding``; the rounding remainder goes to the first or last period.

    ``field`` names the input an impossible split is reported against.
    """
    base = round_fen(amount / periods, rounding)
    parts = [base] * periods
    remainder = amount - base * periods
    parts[-1 if remainder_at == "last" else 0] += remainder
    if min(parts) < 0:  # only possible when the parts round up ("up", "half_up", "half_even") on tiny amounts
        raise CalculatorInputError(field, str(amount), f"at least {base * (periods - 1)}: the other {periods - 1} parts of "
                                   f"{base} (rounded {rounding}) must leave a remainder period that is not negative",
                                   allowed_zh=f"不少于 {base * (periods - 1)} 元：本金按每期 {base} 元分摊（条款配置的取整方式）时，"
                                              f"其余 {periods - 1} 期已超过本金，最后调整的一期会成为负数；请加大本金或减少期数")
    return parts


def _measure(kind: str, principal: Decimal, rate: Decimal, basis: str, rows: list[PlanRow], payoff: str,
             components: Mapping[str, Decimal]) -> Plan:
    """Attach the three annualised cost measures to a finished schedule."""
    irr = monthly_irr(principal, [row.payment for row in rows])
    outstanding = sum((row.remaining + row.principal for row in rows), ZERO)  # principal owed during each period
    total_fee = sum((row.fee for row in rows), ZERO)
    return Plan(
        kind=kind,
        principal=principal,
        periods=len(rows),
        rate=rate,
        rate_basis=basis,
        rows=tuple(rows),
        early_payoff_rule=payoff,
        apr=quantize_rate(irr * 12),
        apr_simple=quantize_rate(total_fee * 12 / outstanding),
        effective_annual_rate=quantize_rate((1 + irr) ** 12 - 1),
        monthly_irr=irr,
        components=MappingProxyType(dict(components)),
    )


def installment_plan(principal: Amount, periods: int, monthly_fee_rate: Amount, terms: Terms) -> Plan:
    """A card installment plan: equal principal, a flat monthly fee on the original principal.

    Question answered: what does the customer pay each month, what does the
    plan cost in total and as an annual rate, and what settles it early?

    Rules (profile values, each cited in the profile):

    * principal per period ``= P / n`` rounded with ``installment_principal_rounding``
      (CMB: truncated to the fen); the remainder goes to the ``installment_remainder``
      period (CMB: the last);
    * fee per period ``= round(P × r)`` (``installment_fee_rounding``), at least
      ``installment_fee_min`` when ``r > 0`` (CMB: RMB 5); a rate of 0 is a
      fee-free promotion with no floor;
    * ``periods`` from 1 to ``installment_max_periods`` (60 months: 银保监规〔2022〕13号);
    * early payoff per ``early_payoff`` (CMB: remaining principal plus all remaining fees).

    ``monthly_fee_rate`` is a fraction per month (0.0066 for 0.66 %), from 0 up
    to (not including) 0.1.

    >>> from calculators import load_terms
    >>> plan = installment_plan("12000", 12, "0.0066", load_terms("cmb"))
    >>> plan.rows[0]
    PlanRow(period=1, principal=Decimal('1000.00'), fee=Decimal('79.20'), payment=Decimal('1079.20'), remaining=Decimal('11000.00'))
    >>> plan.total_fee, plan.apr_simple, plan.apr
    (Decimal('950.40'), Decimal('0.146215'), Decimal('0.143106'))

    The simple method gives 24 × 12 × 0.66 % / 13 = 14.62 %; the IRR method 14.31 %.
    """
    terms = check_terms(terms)
    amount = to_amount(principal, "principal", minimum=FEN)
    n = to_int(periods, "periods", minimum=1, maximum=terms.installment_max_periods,
               source=terms.cite("installment_max_periods").source)
    rate = to_rate(monthly_fee_rate, "monthly_fee_rate", minimum=Decimal(0), maximum=_MAX_MONTHLY_RATE, inclusive_max=False)
    fee = round_fen(amount * rate, terms.installment_fee_rounding)
    if rate > 0:
        fee = max(fee, terms.installment_fee_min)
    rows, remaining = [], amount
    for k, part in enumerate(_principal_parts(amount, n, terms.installment_principal_rounding, terms.installment_remainder), 1):
        remaining -= part
        rows.append(PlanRow(k, part, fee, part + fee, remaining))
    return _measure("installment", amount, rate, "monthly_fee_on_original", rows, terms.early_payoff, {"principal": amount})


def _allocate_down_payment(down: Decimal, charges: dict[str, Decimal], principal: Decimal,
                           days_past_due: int, threshold: int) -> tuple[dict[str, Decimal], Decimal]:
    """Apply a down payment in the repayment order of 2011 Measures art. 57 (as the profile sets it)."""
    order = ["principal", "interest", "fees", "late_fees"] if days_past_due > threshold else ["interest", "fees", "late_fees", "principal"]
    left = {**charges, "principal": principal}
    for name in order:
        used = min(down, left[name])
        left[name] -= used
        down -= used
    principal_left = left.pop("principal")
    return left, principal_left


def negotiated_plan(
    principal: Amount,
    periods: int,
    terms: Terms,
    *,
    interest: Amount = 0,
    fees: Amount = 0,
    late_fees: Amount = 0,
    waivers: Mapping[str, Amount] | None = None,
    down_payment: Amount = 0,
    days_past_due: int | None = None,
    monthly_fee_rate: Amount | None = None,
    annual_interest_rate: Amount | None = None,
) -> Plan:
    """A personalised installment agreement (个性化分期) over the whole debt.

    Legal basis: 《商业银行信用卡业务监督管理办法》 art. 70: when the bank confirms
    that the debt exceeds the cardholder's ability to repay and the cardholder is
    willing to repay, the bank *may* agree a plan of at most 5 years
    (``negotiated_max_periods``, 60 months); more is an error.  Whether interest
    and fees continue is negotiated: a waiver is not a right.

    How the plan is built:

    1. The debt is ``principal + interest + fees + late_fees`` (违约金) less
       ``waivers`` (a mapping with keys from :data:`WAIVABLE`; each at most its
       component).
    2. A ``down_payment`` is applied in the repayment order of art. 57 as set in
       the profile: up to ``payment_order_principal_first_after_days`` days past
       due, interest and fees first; beyond it, principal first.  It therefore
       needs ``days_past_due``.
    3. What is left is repaid in ``periods`` equal parts (rounding and remainder
       as for card installments), principal and charges each split evenly.
    4. The cost, if any, is charged on the **principal part only**, never on
       interest, fees or 违约金 (银发〔2016〕111号 forbids interest on 违约金 and
       fees): either ``monthly_fee_rate`` on the original principal part every
       period, or ``annual_interest_rate`` / 12 on the principal part still owed.
       Give at most one; with neither, interest and fees stop (停息挂账).
    5. Early payoff: with a fee, the profile's ``early_payoff`` rule; with
       interest or no cost, the remaining amount only.

    ``plan.components`` records the structure the agreement must state.

    >>> from calculators import load_terms
    >>> plan = negotiated_plan("50000", 60, load_terms("cmb"), interest="3000", late_fees="600",
    ...                        waivers={"late_fees": "600"})
    >>> plan.principal, plan.rows[0].payment, plan.rows[-1].payment, plan.total_fee
    (Decimal('53000.00'), Decimal('883.33'), Decimal('883.53'), Decimal('0.00'))
    >>> negotiated_plan("50000", 61, load_terms("cmb"))  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: periods=61 is not allowed: a whole number ≥ 1 and ≤ 60
    (source: 《商业银行信用卡业务监督管理办法》（银监会令 2011 年第 2 号）第七十条：个性化分期最长不超过 5 年)
    """
    terms = check_terms(terms)
    owed_principal = to_amount(principal, "principal")
    n = to_int(periods, "periods", minimum=1, maximum=terms.negotiated_max_periods,
               source=terms.cite("negotiated_max_periods").source)
    charges = {"interest": to_amount(interest, "interest"), "fees": to_amount(fees, "fees"),
               "late_fees": to_amount(late_fees, "late_fees")}
    waived = {name: ZERO for name in WAIVABLE}
    if waivers is not None:
        if not isinstance(waivers, Mapping):
            raise CalculatorInputError("waivers", waivers, f"a mapping from {', '.join(WAIVABLE)} to amounts",
                                       allowed_zh="减免项目到金额的映射：利息（interest）、费用（fees）、违约金（late_fees）")
        for name, value in waivers.items():
            if name not in WAIVABLE:
                raise CalculatorInputError("waivers", name, f"keys from {', '.join(WAIVABLE)} (principal is not waived in a plan)",
                                           allowed_zh="只能减免利息（interest）、费用（fees）、违约金（late_fees）")
            waived[name] = to_amount(value, f"waivers[{name}]", maximum=charges[name])
    after_waivers = {name: charges[name] - waived[name] for name in charges}
    debt = owed_principal + sum(after_waivers.values(), ZERO)
    if debt == 0:
        raise CalculatorInputError("principal", principal, "a debt above 0.00 after waivers (principal plus interest, fees and 违约金)",
                                   allowed_zh="减免后欠款须大于 0")
    down = to_amount(down_payment, "down_payment")
    if down >= debt:
        raise CalculatorInputError("down_payment", down_payment, f"less than the debt after waivers ({debt}); a plan needs something to repay",
                                   allowed_zh=f"小于减免后的欠款（{debt} 元）：分期总得有要还的部分")
    if down > 0:
        dpd = to_int(days_past_due, "days_past_due", minimum=0, maximum=MAX_DAYS_PAST_DUE) if days_past_due is not None else None
        if dpd is None:
            raise CalculatorInputError("days_past_due", None, "days past due (needed to apply the down payment in the order of 2011 Measures art. 57)",
                                       allowed_zh="逾期天数（用于按第五十七条顺序冲抵首付款）")
        charges_left, principal_left = _allocate_down_payment(down, after_waivers, owed_principal, dpd,
                                                             terms.payment_order_principal_first_after_days)
    else:
        charges_left, principal_left = after_waivers, owed_principal
    charge_total = sum(charges_left.values(), ZERO)
    financed = principal_left + charge_total

    if monthly_fee_rate is not None and annual_interest_rate is not None:
        raise CalculatorInputError("annual_interest_rate", annual_interest_rate,
                                   "not together with monthly_fee_rate: a plan has one cost, a fee or an interest rate",
                                   allowed_zh="不与月手续费率同时填写：一个分期只有一种成本，手续费或利息")
    if monthly_fee_rate is not None:
        rate = to_rate(monthly_fee_rate, "monthly_fee_rate", minimum=Decimal(0), maximum=_MAX_MONTHLY_RATE, inclusive_max=False)
        basis, payoff = "monthly_fee_on_original", terms.early_payoff
    elif annual_interest_rate is not None:
        rate = to_rate(annual_interest_rate, "annual_interest_rate", minimum=Decimal(0), maximum=Decimal(12) * _MAX_MONTHLY_RATE, inclusive_max=False) / 12
        basis, payoff = "monthly_interest_on_remaining", "principal_only"
    else:
        rate, basis, payoff = Decimal(0), "none", "principal_only"

    rounding, remainder_at = terms.installment_principal_rounding, terms.installment_remainder
    principal_parts = _principal_parts(principal_left, n, rounding, remainder_at)
    # The charges part (interest, fees and 违约金 financed) is split like the principal; an error names "interest".
    charge_parts = _principal_parts(charge_total, n, rounding, remainder_at, field="interest")
    rows, bearing, remaining = [], principal_left, financed
    for k in range(n):
        if basis == "monthly_fee_on_original":
            cost = round_fen(principal_left * rate, terms.installment_fee_rounding)
        elif basis == "monthly_interest_on_remaining":
            cost = round_fen(bearing * rate, terms.interest_rounding)
        else:
            cost = ZERO
        repaid = principal_parts[k] + charge_parts[k]
        bearing -= principal_parts[k]
        remaining -= repaid
        rows.append(PlanRow(k + 1, repaid, cost, repaid + cost, remaining))
    components = {
        "principal": owed_principal, **charges,
        **{f"waived_{name}": waived[name] for name in WAIVABLE},
        "down_payment": down, "financed_principal": principal_left, "financed_charges": charge_total, "financed": financed,
    }
    return _measure("negotiated", financed, rate, basis, rows, payoff, components)
