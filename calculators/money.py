"""Exact money and rate values: parsing and explicit rounding.

Amounts are :class:`decimal.Decimal` yuan with at most two decimal places
(the fen, 分).  Input enters through ``Decimal(str(x))`` so that ``0.1`` means
the decimal 0.1, never the binary float behind it.  Every rounding step in the
package goes through :func:`round_fen` with a named rule, so the rule applied
at each step is visible in the code and in the docstrings.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation, localcontext
from typing import Any, Union

from .errors import CalculatorInputError

__all__ = ["FEN", "ZERO", "MAX_AMOUNT", "Amount", "ROUNDING_RULES", "to_amount", "to_rate", "to_int", "round_fen", "quantize_rate"]

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
#: Largest amount accepted (RMB 1 trillion): an input-domain bound, not a business rule.
MAX_AMOUNT = Decimal("1000000000000.00")
Amount = Union[Decimal, int, str]

#: The rounding rules a terms profile may name, mapped to :mod:`decimal` modes.
ROUNDING_RULES: dict[str, str] = {
    "half_up": ROUND_HALF_UP,  # 四舍五入: 0.005 -> 0.01
    "half_even": ROUND_HALF_EVEN,  # banker's rounding
    "down": ROUND_DOWN,  # truncate toward zero (截位), used for installment principal
    "up": ROUND_UP,  # away from zero
}

_AMOUNT_ZH = "金额（元），最多两位小数"
#: A number as the API and the profiles read it from text: ASCII digits, an optional sign, decimal point and exponent
#: (``Decimal()`` alone would also read ``1_0`` and digits of other scripts, ``１０``, ``١٠``).
DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def _to_decimal(value: Any, field: str, allowed: str, allowed_zh: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise CalculatorInputError(field, value, allowed, allowed_zh=allowed_zh)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):  # exact; str() of an int beyond 4,300 digits would raise
        number = Decimal(value)
    elif isinstance(value, (float, str)):
        text = value.strip() if isinstance(value, str) else str(value)
        if isinstance(value, str) and not DECIMAL_TEXT.fullmatch(text):
            # (Decimal() would also read digits of any script, "١٢٠٠٠", and underscores, "12_000": the API takes plain
            # ASCII numbers; typed text goes through calculators.ui.inputs.normalize_number first)
            raise CalculatorInputError(field, value, allowed, allowed_zh=allowed_zh)
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            raise CalculatorInputError(field, value, allowed, allowed_zh=allowed_zh) from None
    else:
        raise CalculatorInputError(field, value, allowed, allowed_zh=allowed_zh)
    if not number.is_finite():
        raise CalculatorInputError(field, value, allowed, allowed_zh=allowed_zh)
    if number.is_zero() and number.is_signed():  # "-0" is zero: never shown as "-0.00" or "-0%"
        number = number.copy_abs()
    return number


def to_amount(value: Any, field: str, *, minimum: Decimal = ZERO, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    """Parse a money amount in yuan: finite, at most two decimals, within bounds.

    Floats are read through ``str()`` (``0.1`` is exactly 0.1); more than two
    decimal places is an error rather than a silent rounding.  The upper bound
    defaults to :data:`MAX_AMOUNT`, which keeps every product exact within
    :mod:`decimal`'s 28 significant digits.

    >>> to_amount("1000.5", "principal")
    Decimal('1000.50')
    >>> to_amount(0.1, "paid"), to_amount("-0", "paid")
    (Decimal('0.10'), Decimal('0.00'))
    >>> to_amount("12.345", "paid")
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: paid='12.345' is not allowed: an amount in yuan with at most 2 decimal places, from 0.00 to 1000000000000.00
    """
    allowed = f"an amount in yuan with at most 2 decimal places, from {minimum} to {maximum}"
    allowed_zh = f"{_AMOUNT_ZH}，范围 {minimum} 至 {maximum}"
    number = _to_decimal(value, field, allowed, allowed_zh)
    if number < minimum or number > maximum or number != number.quantize(FEN, rounding=ROUND_DOWN):
        raise CalculatorInputError(field, value, allowed, allowed_zh=allowed_zh)
    return number.quantize(FEN)


def to_rate(value: Any, field: str, *, minimum: Decimal, maximum: Decimal, inclusive_max: bool = True) -> Decimal:
    """Parse a rate given as a fraction (``"0.0075"`` is 0.75 %) within bounds.

    >>> to_rate("0.0075", "monthly_fee_rate", minimum=Decimal(0), maximum=Decimal("0.1"), inclusive_max=False)
    Decimal('0.0075')
    """
    op = "≤" if inclusive_max else "<"
    allowed = f"a fraction with {minimum} ≤ rate {op} {maximum} (e.g. 0.0075 for 0.75 %)"
    allowed_zh = f"小数形式的费率，{minimum} ≤ 费率 {op} {maximum}（例如 0.75% 填 0.0075）"
    number = _to_decimal(value, field, allowed, allowed_zh)
    if number < minimum or number > maximum or (not inclusive_max and number == maximum):
        raise CalculatorInputError(field, value, allowed, allowed_zh=allowed_zh)
    return number


def to_int(value: Any, field: str, *, minimum: int, maximum: int | None = None, source: str | None = None) -> int:
    """Parse a whole number within bounds (``True``/``False`` and ``2.5`` are errors).

    >>> to_int("12", "periods", minimum=1, maximum=60)
    12

    A huge exponent is rejected at once, not expanded into a million digits:

    >>> to_int(Decimal("1E+1000000"), "periods", minimum=1, maximum=60)
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: periods=1E+1000000 is not allowed: a whole number ≥ 1 and ≤ 60
    """
    bounds = f"a whole number ≥ {minimum}" + (f" and ≤ {maximum}" if maximum is not None else "")
    bounds_zh = f"整数，不小于 {minimum}" + (f"、不大于 {maximum}" if maximum is not None else "")
    if isinstance(value, bool):
        raise CalculatorInputError(field, value, bounds, allowed_zh=bounds_zh, source=source)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]{1,4000}", value.strip()):
        number = int(value.strip())
    elif isinstance(value, Decimal) and value.is_finite() and value.adjusted() < 4000 and value == value.to_integral_value():
        number = int(value)  # bounded first: int(Decimal('1E+1000000')) would build a million-digit integer
    else:
        raise CalculatorInputError(field, value, bounds, allowed_zh=bounds_zh, source=source)
    if number < minimum or (maximum is not None and number > maximum):
        raise CalculatorInputError(field, value, bounds, allowed_zh=bounds_zh, source=source)
    return number


def round_fen(value: Decimal, rule: str = "half_up") -> Decimal:
    """Round a yuan value to the fen with a named rule from :data:`ROUNDING_RULES`.

    >>> round_fen(Decimal("11.505"))
    Decimal('11.51')
    >>> round_fen(Decimal("833.3333"), "down")
    Decimal('833.33')
    """
    return value.quantize(FEN, rounding=ROUNDING_RULES[rule])


def quantize_rate(value: Decimal, places: int = 6) -> Decimal:
    """Round a rate (a fraction) half up to ``places`` decimals; 6 places is 0.0001 percentage point.

    >>> quantize_rate(Decimal("0.14621538461"))
    Decimal('0.146215')

    A huge rate (a RMB 5 fee floor on a 1-fen installment) keeps all its digits:

    >>> quantize_rate(Decimal("2.5E+32"))
    Decimal('250000000000000000000000000000000.000000')
    """
    with localcontext() as ctx:  # quantize fails when the result has more digits than the precision
        ctx.prec = max(ctx.prec, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
