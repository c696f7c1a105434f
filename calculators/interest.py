"""Revolving interest (透支利息 / 循环利息) on one statement's purchases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable, Sequence

from ._validate import check_terms, dated_amounts, date_order, next_statement, posting_date
from .dates import to_date
from .money import Amount, ZERO, round_fen
from .terms import Terms

__all__ = ["revolving_interest", "accrue"]


def accrue(changes: Iterable[tuple[date, Decimal]], start: date, end: date, daily_rate: Decimal) -> Decimal:
    """Unrounded interest on a daily balance from ``start`` to ``end`` inclusive.

    ``changes`` are balance changes effective from their date (positive adds,
    negative repays).  A day's balance is the sum of changes up to that day;
    a negative balance (a credit) earns nothing.

    >>> accrue([(date(2026, 4, 30), Decimal(1000)), (date(2026, 5, 23), Decimal(-100))],
    ...        date(2026, 4, 30), date(2026, 6, 5), Decimal("0.0005"))
    Decimal('17.8000')
    """
    total = Decimal(0)
    balance = Decimal(0)
    day = start
    for when, change in sorted(changes):
        if when > day:
            segment_end = min(when - timedelta(days=1), end)
            if segment_end >= day and balance > 0:
                total += balance * daily_rate * ((segment_end - day).days + 1)
            day = max(day, when)
        balance += change
        if day > end:
            break
    if day <= end and balance > 0:
        total += balance * daily_rate * ((end - day).days + 1)
    return total


def revolving_interest(
    purchases: Sequence[tuple[date, Amount]],
    payments: Sequence[tuple[date, Amount]],
    statement_date: date,
    due_date: date,
    next_statement_date: date,
    terms: Terms,
) -> Decimal:
    """Interest billed on the next statement for one statement's purchases.

    Question answered: the cardholder did (or did not) repay this statement in
    full; how much interest appears on the next statement?

    Rules applied, each from the profile entry in force on ``statement_date``
    (``terms.at(statement_date).cite(name)`` gives the source):

    * ``tolerance``: if the statement balance minus the payments made by the
      due date (plus ``grace_days`` when ``grace_keeps_interest_free``) is at
      most the tolerance, the statement counts as paid in full: interest 0.
    * ``interest_basis = full_balance`` (全额计息): otherwise every purchase
      loses its interest-free period and bears interest from its posting date
      (记账日).  ``unpaid_only``: the amount repaid by the due date is treated as
      never borrowed; only the rest bears interest from the posting dates.
    * Day count (``payment_effective``): days are counted inclusively; with
      ``same_day`` a repayment reduces the interest-bearing balance from its own
      date (posting date .. day before repayment at the full amount, repayment
      date .. next statement date inclusive at the remainder); ``next_day``
      counts the repayment date at the full amount.
    * Formula: ``Σ segment balance × daily_rate × days``, summed over segments and
      rounded to the fen once, at the end, with ``interest_rounding``.

    Edge cases: no purchases gives 0; payments beyond the balance earn nothing.
    Payments must fall after the statement date and on or before the next
    statement date.  Purchases must be posted on or before the statement date
    and at most ``MAX_POSTING_DAYS`` (366) days before it
    (:func:`calculators._validate.posting_date`, the bound the projections use
    too): a statement bills one cycle's purchases (the interest-free period runs
    from the posting date to a due date about 18–50 days later, see
    ``/work/shared/reference/domain-facts.md`` §3), so an earlier posting date
    is a typo and its interest would answer no real question.  The views warn
    from 60 days on; this bound is the hard limit (example below).  Likewise the
    next statement date is at most ``MAX_CYCLE_DAYS`` (62) days after the
    statement date (:func:`calculators._validate.next_statement`), and the due
    date falls between them.

    >>> from calculators import load_terms
    >>> cmb = load_terms("cmb")
    >>> revolving_interest([(date(2026, 4, 30), "1000")], [(date(2026, 5, 23), "100")],
    ...                    date(2026, 5, 5), date(2026, 5, 23), date(2026, 6, 5), cmb)
    Decimal('17.80')

    That is 1000 × 0.05 % × 23 days (30 Apr – 22 May) + 900 × 0.05 % × 14 days
    (23 May – 5 Jun).  Paying 990 on time leaves 10.00 unpaid, within tolerance:

    >>> revolving_interest([(date(2026, 4, 30), "1000")], [(date(2026, 5, 23), "990")],
    ...                    date(2026, 5, 5), date(2026, 5, 23), date(2026, 6, 5), cmb)
    Decimal('0.00')

    A posting date 367 days before the statement date is refused; 366 days before is the earliest accepted
    (1000 × 0.05 % × 398 days, 4 May 2025 – 5 Jun 2026):

    >>> revolving_interest([(date(2025, 5, 3), "1000")], [], date(2026, 5, 5), date(2026, 5, 23),
    ...                    date(2026, 6, 5), cmb)  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: purchases[0]=2025-05-03 is not allowed: a date from 2025-05-04
    to 2026-05-05 (at most 366 days before the statement date)
    >>> revolving_interest([(date(2025, 5, 4), "1000")], [], date(2026, 5, 5), date(2026, 5, 23), date(2026, 6, 5), cmb)
    Decimal('199.00')
    """
    terms = check_terms(terms)
    statement = to_date(statement_date, "statement_date")
    due = to_date(due_date, "due_date")
    following = to_date(next_statement_date, "next_statement_date")
    date_order(statement_date=statement, due_date=due, next_statement_date=following)
    next_statement(following, statement)  # (a due date before it is within the cycle too)
    terms = terms.at(statement)  # the profile's entries in force on the statement date
    bought = dated_amounts(purchases, "purchases")
    for index, item in enumerate(purchases):  # on or before the statement date, at most MAX_POSTING_DAYS before it
        posting_date(item[0], statement, f"purchases[{index}]")
    paid = dated_amounts(payments, "payments", first=statement + timedelta(days=1), last=following)

    balance = sum((amount for _, amount in bought), ZERO)
    deadline = due + timedelta(days=terms.grace_days if terms.grace_keeps_interest_free else 0)
    paid_on_time = sum((amount for day, amount in paid if day <= deadline), ZERO)
    if balance - paid_on_time <= terms.tolerance:
        return ZERO

    shift = timedelta(days=0 if terms.payment_effective == "same_day" else 1)
    start = min(day for day, _ in bought)
    changes = [(day, amount) for day, amount in bought]
    if terms.interest_basis == "full_balance":
        changes += [(day + shift, -amount) for day, amount in paid]
    else:  # unpaid_only: on-time repayments count from the first posting date
        changes.append((start, -paid_on_time))
        changes += [(day + shift, -amount) for day, amount in paid if day > deadline]
    return round_fen(accrue(changes, start, following, terms.daily_rate), terms.interest_rounding)
