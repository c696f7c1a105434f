"""What happens to an unpaid statement cycle by cycle, and the cost of paying only the minimum."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Sequence

from ._validate import check_terms, dated_amounts, date_order
from ._validate import posting_date as check_posting_date
from .dates import MAX_DATE, add_months, to_date
from .delinquency import delinquency_bucket
from .errors import CalculatorInputError
from .fees import late_fee, minimum_payment
from .interest import accrue, revolving_interest
from .money import FEN, MAX_AMOUNT, ZERO, Amount, round_fen, to_amount, to_int
from .terms import Terms

__all__ = ["ProjectionRow", "Projection", "overdue_projection", "PayoffRow", "MinimumPaymentPayoff", "minimum_payment_payoff"]

MAX_CYCLES = 120  # input domain: ten years of statements


@dataclass(frozen=True)
class ProjectionRow:
    """One future statement of an account that is not paid."""

    cycle: int
    statement_date: date
    due_date: date
    principal: Decimal  # purchase principal still owed
    interest: Decimal  # interest billed on this statement
    late_fee: Decimal  # 违约金 billed on this statement (for the previous cycle)
    interest_total: Decimal  # billed interest still owed
    late_fee_total: Decimal  # 违约金 still owed
    balance: Decimal  # principal + interest_total + late_fee_total
    minimum_payment: Decimal
    days_past_due: int  # at the statement date
    bucket: str
    category: str


@dataclass(frozen=True)
class Projection:
    """The cycle-by-cycle projection with totals and the assumptions it rests on."""

    rows: tuple[ProjectionRow, ...]
    assumptions: tuple[str, ...]

    @property
    def total_interest(self) -> Decimal:
        return sum((row.interest for row in self.rows), ZERO)

    @property
    def total_late_fees(self) -> Decimal:
        return sum((row.late_fee for row in self.rows), ZERO)

    @property
    def final_balance(self) -> Decimal:
        return self.rows[-1].balance


def _within_calendar(statement: date, due: date, cycles: int) -> None:
    """Refuse a projection whose last statement or due date would fall after :data:`MAX_DATE` (named under 推算期数:
    each typed date is in range, it is the number of cycles that runs past it).

    >>> _within_calendar(date(2199, 11, 5), date(2199, 11, 23), 6)  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: cycles=6 is not allowed: at most 1 cycle from statement date 2199-11-05
    (later statements would fall after 2199-12-31)
    """
    offset = due - statement
    if add_months(statement, cycles) + offset <= MAX_DATE:
        return
    fits = 0
    while fits < cycles and add_months(statement, fits + 1) + offset <= MAX_DATE:
        fits += 1
    if fits == 0:
        raise CalculatorInputError("statement_date", statement, f"a statement date whose next statement and due date fall by "
                                   f"{MAX_DATE}", allowed_zh=f"更早的账单日：下一期账单日和到期还款日须在 {MAX_DATE} 或之前")
    plural = "cycle" if fits == 1 else "cycles"
    raise CalculatorInputError("cycles", cycles, f"at most {fits} {plural} from statement date {statement} (later statements "
                               f"would fall after {MAX_DATE})",
                               allowed_zh=f"不超过 {fits} 期：从账单日 {statement} 起再推算会超出可计算的日期范围（{MAX_DATE} 为止）")


def overdue_projection(
    statement_balance: Amount,
    minimum_due: Amount,
    statement_date: date,
    due_date: date,
    cycles: int,
    terms: Terms,
    *,
    payments: Sequence[tuple[date, Amount]] = (),
    posting_date: date | None = None,
) -> Projection:
    """Project an unpaid statement for ``cycles`` statements: interest, 违约金, minimum, DPD, bucket.

    Question answered: the customer has this statement and has paid
    ``payments`` since; if nothing more is paid, what will each coming
    statement show?

    Model, cycle by cycle (statement dates monthly on the same day; due dates
    the same number of days after each statement):

    * Cycle 1 interest is :func:`revolving_interest` on the statement (posted on
      ``posting_date``; the statement date if not given, which gives the least
      interest — stated in ``assumptions``).  Later cycles accrue
      ``daily_rate`` on the principal, plus billed interest when
      ``compounding`` is ``monthly``, from the day after the previous statement
      to the statement date inclusive.  **Never on 违约金 or fees**
      (银发〔2016〕111号).
    * 违约金 on each statement for the previous cycle's unpaid minimum
      (:func:`late_fee`, payments made by the due date plus grace days count).
    * The new minimum is :func:`minimum_payment` of the principal, the previous
      unpaid minimum, this cycle's 违约金 and interest; it never exceeds the
      balance owed.
    * Days past due at each statement date count from the due date of the
      oldest unpaid minimum; bucket and class from :func:`delinquency_bucket`.
    * Payments (cycle 1 only) reduce the principal; a statement whose unpaid part
      is within the tolerance counts as paid in full (no interest, no 违约金).
    * Dates: the interest and 违约金 billed on a statement belong to the previous
      statement's cycle and use the profile entries in force on that previous
      statement date (``terms.at``); a ``statement_date`` before a needed
      value's earliest entry is refused.

    >>> from calculators import load_terms
    >>> p = overdue_projection("10000", "1000", date(2026, 5, 5), date(2026, 5, 23), 3, load_terms("cmb"))
    >>> [(r.interest, r.late_fee, r.minimum_payment, r.days_past_due, r.bucket) for r in p.rows]  # doctest: +NORMALIZE_WHITESPACE
    [(Decimal('160.00'), Decimal('50.00'), Decimal('2210.00'), 13, 'M1'),
     (Decimal('152.40'), Decimal('110.50'), Decimal('3472.90'), 43, 'M2'),
     (Decimal('159.84'), Decimal('173.65'), Decimal('4806.39'), 74, 'M3')]
    """
    terms = check_terms(terms)
    balance = to_amount(statement_balance, "statement_balance", minimum=FEN)
    minimum = to_amount(minimum_due, "minimum_due")  # above the balance: taken as given (the forms warn)
    first_statement = to_date(statement_date, "statement_date")
    first_due = to_date(due_date, "due_date")
    n = to_int(cycles, "cycles", minimum=1, maximum=MAX_CYCLES)
    second_statement = add_months(first_statement, 1)
    date_order(statement_date=first_statement, due_date=first_due, next_statement_date=second_statement)
    _within_calendar(first_statement, first_due, n)
    posted = first_statement if posting_date is None else check_posting_date(posting_date, first_statement)
    paid = dated_amounts(payments, "payments", first=first_statement + timedelta(days=1), last=second_statement)
    paid_total = sum((amount for _, amount in paid), ZERO)
    if paid_total > balance:
        raise CalculatorInputError("payments", str(paid_total), f"payments totalling at most the statement balance ({balance})",
                                   allowed_zh=f"已还款合计不超过账单金额 {balance} 元")

    assumptions = ["no payment after the first cycle", "no new purchases or fees other than 违约金"]
    if posting_date is None:
        assumptions.append("statement balance posted on the statement date (the least interest)")
    offset = first_due - first_statement
    terms_at = terms.at  # each cycle's charges use the entries in force on the statement date they belong to
    t = terms_at(first_statement)
    on_time = first_due + timedelta(days=t.grace_days)
    principal = balance - paid_total
    interest_owed = fees_owed = ZERO
    unpaid_minimum = max(ZERO, minimum - paid_total)
    paid_on_time = sum((a for d, a in paid if d <= on_time), ZERO)
    settled = balance - paid_on_time <= t.tolerance
    oldest_due: date | None = None
    previous_balance, previous_minimum, previous_statement, previous_due = balance, minimum, first_statement, first_due

    rows = []
    for k in range(1, n + 1):
        statement = add_months(first_statement, k)
        t = terms_at(previous_statement)  # interest and 违约金 billed now belong to the previous statement's cycle
        if k == 1:
            interest = revolving_interest([(posted, balance)], paid, first_statement, first_due, statement, t)
            fee = late_fee(minimum, paid_on_time, t, statement_balance=balance)
        elif settled:
            interest = fee = ZERO
            unpaid_minimum = ZERO
        else:
            bearing = principal + (interest_owed if t.compounding == "monthly" else ZERO)
            interest = round_fen(accrue([(previous_statement + timedelta(days=1), bearing)],
                                        previous_statement + timedelta(days=1), statement, t.daily_rate),
                                 t.interest_rounding)
            fee = late_fee(previous_minimum, ZERO, t, statement_balance=previous_balance)
            unpaid_minimum = previous_minimum
        if unpaid_minimum > 0 and not settled:
            oldest_due = oldest_due or previous_due
        else:
            oldest_due = None
        interest_owed += interest
        fees_owed += fee
        owed = principal + interest_owed + fees_owed
        if owed > MAX_AMOUNT:  # the next cycle's figures would leave the amounts the functions accept
            raise CalculatorInputError("statement_balance", statement_balance,
                                       f"a balance whose projection stays within {MAX_AMOUNT} (cycle {k} would owe {owed})",
                                       allowed_zh=f"小一些的金额：按此金额推算，第 {k} 个账单周期欠款将达 {owed:,.2f} 元，超出计算上限 "
                                                  f"{MAX_AMOUNT:,.2f} 元")
        t = terms_at(statement)  # this statement's own minimum and tolerance
        new_minimum = min(owed, minimum_payment(principal, t, previous_unpaid_minimum=unpaid_minimum,
                                                fees=fee, interest=interest))
        days = (statement - oldest_due).days if oldest_due else 0
        status = delinquency_bucket(days)
        rows.append(ProjectionRow(k, statement, statement + offset, principal, interest, fee, interest_owed, fees_owed,
                                  owed, new_minimum, days, status.bucket, status.category))
        settled = owed <= t.tolerance
        previous_balance, previous_minimum = owed, new_minimum
        previous_statement, previous_due = statement, statement + offset
    return Projection(tuple(rows), tuple(assumptions))


@dataclass(frozen=True)
class PayoffRow:
    """One month of paying only the minimum."""

    month: int
    statement_date: date
    statement_balance: Decimal
    payment: Decimal
    interest_next: Decimal  # interest billed on the following statement


@dataclass(frozen=True)
class MinimumPaymentPayoff:
    """How long paying only the minimum takes, and what it costs."""

    months: int
    total_interest: Decimal
    total_paid: Decimal
    rows: tuple[PayoffRow, ...]


def minimum_payment_payoff(
    balance: Amount,
    terms: Terms,
    *,
    statement_date: date,
    posting_date: date | None = None,
    max_months: int = 600,
) -> MinimumPaymentPayoff:
    """Months to repay a balance, and the interest paid, when only the minimum is paid each month.

    Model: no new purchases; each month the customer pays exactly the
    statement's minimum (:func:`minimum_payment` of the principal plus the
    billed interest) on the due date (``due_days_after_statement`` after the
    statement).  The statement is not paid in full, so interest runs on the
    whole balance (first cycle from ``posting_date``, the statement date if not
    given), repayments going to interest first (the account is never past due).
    When the minimum leaves no more than the tolerance unpaid, or exceeds the
    balance, the customer pays the whole statement and the count stops.
    ``max_months`` bounds the search; reaching it is an error.

    >>> from calculators import load_terms
    >>> result = minimum_payment_payoff("10000", load_terms("cmb"), statement_date=date(2026, 5, 5))
    >>> result.months, result.total_interest
    (66, Decimal('1474.08'))
    """
    terms = check_terms(terms)
    amount = to_amount(balance, "balance", minimum=FEN)
    first = to_date(statement_date, "statement_date")
    posted = first if posting_date is None else check_posting_date(posting_date, first)
    limit = to_int(max_months, "max_months", minimum=1, maximum=1200)

    principal, billed_interest = amount, ZERO
    total_interest = total_paid = ZERO
    rows = []
    for month in range(1, limit + 1):
        statement = add_months(first, month - 1)
        t = terms.at(statement)  # the profile's entries in force on this statement date
        due_after = timedelta(days=t.due_days_after_statement)
        shift = timedelta(days=0 if t.payment_effective == "same_day" else 1)
        owed = principal + billed_interest
        due_now = minimum_payment(principal, t, interest=billed_interest)
        if owed - due_now <= t.tolerance:
            total_paid += owed
            rows.append(PayoffRow(month, statement, owed, owed, ZERO))
            return MinimumPaymentPayoff(month, total_interest, total_paid, tuple(rows))
        due, following = statement + due_after, add_months(first, month)
        if following > MAX_DATE:  # (named under the date the caller gave, not the next statement date it never typed)
            raise CalculatorInputError("statement_date", statement_date, f"a statement date early enough for the payoff: month "
                                       f"{month}'s next statement would fall after {MAX_DATE}",
                                       allowed_zh=f"更早的账单日：只还最低还款额，第 {month} 个月的下一账单日会超出可计算的日期范围"
                                                  f"（{MAX_DATE} 为止）")
        if month == 1:  # a minimum of 0 (a profile whose ratios are 0) is no payment at all
            interest = revolving_interest([(posted, owed)], [(due, due_now)] if due_now > 0 else [], statement, due, following, t)
        else:
            compounding = t.compounding == "monthly"
            bearing = principal + (billed_interest if compounding else ZERO)
            reduction = due_now if compounding else due_now - billed_interest
            start = statement + timedelta(days=1)
            interest = round_fen(accrue([(start, bearing), (due + shift, -reduction)], start, following, t.daily_rate),
                                 t.interest_rounding)
        principal -= due_now - billed_interest
        billed_interest = interest
        total_interest += interest
        total_paid += due_now
        rows.append(PayoffRow(month, statement, owed, due_now, interest))
    raise CalculatorInputError("max_months", max_months, f"more months: the balance is not repaid within {limit} months",
                               allowed_zh=f"更多月数：只还最低还款额，{limit} 个月内还不清")
