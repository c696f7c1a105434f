"""Internal rate of return of a loan repaid in instalments, in exact decimals."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Sequence

__all__ = ["monthly_irr"]

_TOLERANCE = Decimal("1e-18")


def monthly_irr(principal: Decimal, payments: Sequence[Decimal]) -> Decimal:
    """The rate ``i`` per period with ``principal = Σ payment_k / (1 + i)^k`` (k = 1..n).

    Payments are at the end of each period.  With payments summing to at least
    the principal there is exactly one root ``i ≥ 0`` (one sign change), found
    by Newton's method from the simple-rate estimate, kept inside a bisection
    bracket so it cannot diverge.  Returned with 28 significant digits.

    >>> monthly_irr(Decimal(1200), [Decimal(100)] * 12)
    Decimal('0')
    >>> round(monthly_irr(Decimal(1000), [Decimal(1100)]), 12)
    Decimal('0.100000000000')
    """
    total = sum(payments, Decimal(0))
    if total < principal:
        raise ValueError("payments must sum to at least the principal")  # internal: callers build such plans
    if total == principal:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 34

        def value_and_slope(rate: Decimal) -> tuple[Decimal, Decimal]:
            discount = 1 / (1 + rate)
            factor = Decimal(1)
            value = -principal
            slope = Decimal(0)
            for k, payment in enumerate(payments, start=1):
                factor *= discount
                value += payment * factor
                slope -= k * payment * factor * discount
            return value, slope

        low, high = Decimal(0), Decimal(1)
        while value_and_slope(high)[0] > 0:  # widen the bracket for extreme fee levels
            low, high = high, high * 2
        n = len(payments)
        rate = min(max(2 * (total - principal) / (principal * (n + 1)), low), high)
        for _ in range(200):
            value, slope = value_and_slope(rate)
            if value > 0:
                low = rate
            else:
                high = rate
            step = value / slope
            candidate = rate - step
            if not low < candidate < high:  # Newton left the bracket: bisect instead
                candidate = (low + high) / 2
            if abs(candidate - rate) < _TOLERANCE:
                rate = candidate
                break
            rate = candidate
    return +rate
