"""The 违约金 (late-payment penalty) and the minimum payment (最低还款额)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ._validate import check_terms
from .money import Amount, ZERO, round_fen, to_amount
from .terms import Terms

__all__ = ["late_fee", "minimum_payment"]


def late_fee(minimum_due: Amount, paid: Amount, terms: Terms, *, statement_balance: Amount | None = None,
             statement_date: date | str | None = None) -> Decimal:
    """The 违约金 for one cycle in which the minimum payment was not met.

    Question answered: the customer paid ``paid`` (by the due date, or within
    the grace days) against a minimum payment of ``minimum_due``; what 违约金
    does the next statement carry?

    Formula: ``unpaid = minimum_due − paid``; if ``unpaid ≤ 0`` the fee is 0;
    otherwise ``fee = round(unpaid × late_fee_rate)`` (``late_fee_rounding``),
    raised to ``late_fee_min`` and limited to ``late_fee_max`` where the profile
    sets them.  When ``statement_balance`` is given and the statement's unpaid
    part is within the ``tolerance``, the statement counts as paid in full and
    the fee is 0 (pass it: without it the tolerance rule cannot be applied).
    A minimum above the balance, which no statement shows, is taken as given:
    the fee follows the figures passed (the forms warn about it, issue 11).
    With ``statement_date`` (the date of the statement whose minimum was not
    met) the profile's entries in force on that date apply (``terms.at``);
    without it, the latest entries.

    Sources: the regulated 滞纳金 was abolished from 2017-01-01 and the 违约金 is
    set by the card agreement (银发〔2016〕111号); the rate, floor and cap are the
    profile's (``terms.cite("late_fee_rate")`` etc.).  No interest is ever
    charged on a 违约金 (same notice); the projection honours that.

    >>> from calculators import load_terms
    >>> cmb, icbc = load_terms("cmb"), load_terms("icbc")
    >>> late_fee("1000", "0", cmb)          # 5 % of 1,000
    Decimal('50.00')
    >>> late_fee("100", "0", cmb)           # 5.00 is below CMB's floor of 10
    Decimal('10.00')
    >>> late_fee("20000", "0", icbc)        # 1,000 is above ICBC's cap of 500
    Decimal('500.00')
    >>> late_fee("300", "295", cmb, statement_balance="3000")   # unpaid 5 of the minimum
    Decimal('10.00')
    >>> late_fee("100", "0", cmb, statement_date="2016-12-31")   # 滞纳金: 5 %, no floor before 2017
    Decimal('5.00')
    """
    terms = check_terms(terms)
    if statement_date is not None:
        terms = terms.at(statement_date)
    minimum = to_amount(minimum_due, "minimum_due")
    paid_amount = to_amount(paid, "paid")
    if statement_balance is not None:
        balance = to_amount(statement_balance, "statement_balance")
        if balance - paid_amount <= terms.tolerance:
            return ZERO
    unpaid = minimum - paid_amount
    if unpaid <= 0:
        return ZERO
    fee = round_fen(unpaid * terms.late_fee_rate, terms.late_fee_rounding)
    if terms.late_fee_min is not None:
        fee = max(fee, terms.late_fee_min)
    if terms.late_fee_max is not None:
        fee = min(fee, terms.late_fee_max)
    return fee


def minimum_payment(
    general: Amount,
    terms: Terms,
    *,
    installment_due: Amount = 0,
    previous_unpaid_minimum: Amount = 0,
    over_limit: Amount = 0,
    fees: Amount = 0,
    interest: Amount = 0,
) -> Decimal:
    """The minimum payment (最低还款额) of a statement, from its components.

    Formula (each share from the profile; CMB as publicly described)::

        round(general × min_payment_general_ratio)            10 % of purchases and cash-advance principal
      + round(installment_due × min_payment_installment_ratio)  100 % of this period's installments
      + round(previous_unpaid_minimum × …past_due_ratio)        100 % of the last unpaid minimum
      + round(over_limit × …over_limit_ratio)                   100 % of the over-limit amount
      + round(fees × …fees_ratio)                               100 % of fees incl. 违约金
      + round(interest × …interest_ratio)                       100 % of interest

    Each share is rounded to the fen with ``min_payment_rounding`` before
    adding.  ``general`` is the general-transaction balance within the limit.

    >>> from calculators import load_terms
    >>> minimum_payment("10000", load_terms("cmb"), previous_unpaid_minimum="1000",
    ...                 fees="50", interest="155.00")
    Decimal('2205.00')
    >>> minimum_payment("1234.56", load_terms("cmb"))   # 123.456 rounds half up
    Decimal('123.46')
    """
    terms = check_terms(terms)
    parts = (
        (general, "general", terms.min_payment_general_ratio),
        (installment_due, "installment_due", terms.min_payment_installment_ratio),
        (previous_unpaid_minimum, "previous_unpaid_minimum", terms.min_payment_past_due_ratio),
        (over_limit, "over_limit", terms.min_payment_over_limit_ratio),
        (fees, "fees", terms.min_payment_fees_ratio),
        (interest, "interest", terms.min_payment_interest_ratio),
    )
    total = ZERO
    for value, name, ratio in parts:
        total += round_fen(to_amount(value, name) * ratio, terms.min_payment_rounding)
    return total
