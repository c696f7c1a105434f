"""One statement cycle for a whole portfolio: 违约金, interest and bucket per account, vectorised.

The scalar functions (:func:`~calculators.late_fee`,
:func:`~calculators.revolving_interest`, :func:`~calculators.delinquency_bucket`)
answer one customer's question exactly in :class:`~decimal.Decimal`.  A
collections team also needs the same figures for every account at once.  This
module computes them for a :class:`pandas.DataFrame` of accounts with integer
fen (分) in ``int64`` numpy arrays: no floats, no per-row Python, and the same
result as the scalar functions on every row (the tests compare them on 100,000
random accounts; ``bench/bench_calculators.py`` measures the speed-up).

This module needs pandas and numpy; the core never imports it.

The account model
-----------------
One row is one account's latest statement, read from a CSV file with the
columns of :data:`CSV_COLUMNS` (amounts in yuan with at most two decimals,
dates ``YYYY-MM-DD`` from 1900-01-01 to 2199-12-31 as in :func:`calculators.dates.to_date`):

======================  ===============================================================
``account_id``          any non-empty text, unique in the file
``statement_date``      this statement's date (账单日)
``due_date``            its due date (到期还款日), after the statement date
``next_statement_date`` the next statement date, after the due date and at most 62 days after
                        the statement date (``MAX_CYCLE_DAYS``, as for ``revolving_interest``)
``posting_date``        the date the statement balance was posted (记账日), ≤ statement date
                        and at most 366 days before it (as for ``revolving_interest``)
``statement_balance``   the statement balance, taken as **one purchase** at ``posting_date``
``minimum_due``         the minimum payment (最低还款额), at most the statement balance
``paid``                the **one payment** made after the statement (0 when none)
``paid_date``           its date, after the statement date and ≤ the next statement date;
                        empty exactly when ``paid`` is 0
``days_past_due``       days past due (DPD) at the cycle's end, a whole number ≥ 0
======================  ===============================================================

:func:`read_accounts` turns the file into a frame whose amounts are ``int64``
fen in columns with a ``_fen`` suffix (``statement_balance_fen``,
``minimum_due_fen``, ``paid_fen``) and whose dates are ``datetime64[s]``
(``paid_date`` is ``NaT`` when nothing was paid).  :func:`apply_cycle` adds
``late_fee_fen``, ``interest_fen`` (``int64``), ``bucket`` and ``category``
(ordered categoricals), with exactly these meanings:

* ``interest_fen`` = ``revolving_interest([(posting_date, statement_balance)],
  [(paid_date, paid)] if paid > 0 else [], statement_date, due_date,
  next_statement_date, terms)``;
* ``late_fee_fen`` = ``late_fee(minimum_due, counted, terms,
  statement_balance=statement_balance)`` where ``counted`` is the payment if it
  was made by ``due_date + terms.grace_days`` and 0 otherwise;
* ``bucket``, ``category`` = ``delinquency_bucket(days_past_due)``.

:func:`scalar_cycle` is that definition, written with the scalar functions, for
one row; it is the reference the tests and the benchmark compare against.

Exact integer arithmetic and its bounds
---------------------------------------
Each rate of the profile is a :class:`~decimal.Decimal`, turned into its exact
fraction ``num/den`` (``0.0005`` is ``1/2000``).  Interest is
``round(S × num / den)`` with ``S`` the balance-days in fen·days, computed as
``a·num + (b·num) // den`` with ``(a, b) = divmod(S, den)``, and rounded with the
profile's rule (``half_up``, ``half_even``, ``down``, ``up``) from the integer
remainder, so no step leaves ``int64`` as long as:

* every amount is at most ``MAX_AMOUNT`` (RMB 1 trillion, 10^14 fen), as for the
  scalar functions;
* ``statement_balance_fen × (next_statement_date − posting_date + 1 days)``
  stays below 2^63 (about 250 years at the largest amount; a row beyond that is
  rejected, never wrapped around);
* each rate is at most 1 and its fraction has ``num × den < 2^63`` (any rate
  with up to 9 decimal places qualifies; the bundled profiles use 4).

Portfolios larger than memory: Dask
-----------------------------------
:func:`apply_cycle` treats every row on its own, so a portfolio too large for
memory is processed partition by partition with Dask, each partition a
pandas frame that fits: :func:`read_accounts_dask` reads one or many CSV files
in blocks (``blocksize``) and validates each block as :func:`read_accounts`
does, and :func:`apply_cycle_dask` maps :func:`apply_cycle` over the partitions
with the right ``meta``.  Nothing is computed until you ask::

    ddf = read_accounts_dask("accounts-*.csv", blocksize="64MB")
    result = apply_cycle_dask(ddf, load_terms("cmb"))
    result.to_parquet("cycle-2026-06/")                 # streams, partition by partition
    totals = result[["late_fee_fen", "interest_fen"]].sum().compute()

Errors found in a block name the file, the block and the row within it.

>>> import io
>>> from calculators import load_terms
>>> csv = io.StringIO(
...     "account_id,statement_date,due_date,next_statement_date,posting_date,"
...     "statement_balance,minimum_due,paid,paid_date,days_past_due\\n"
...     "A1,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.00,100.00,100.00,2026-05-23,0\\n"
...     "A2,2026-05-05,2026-05-23,2026-06-05,2026-05-05,10000.00,1000.00,0,,13\\n")
>>> accounts = read_accounts(csv)
>>> out = apply_cycle(accounts, load_terms("cmb"))
>>> out[["account_id", "late_fee_fen", "interest_fen", "bucket", "category"]]
  account_id  late_fee_fen  interest_fen bucket category
0         A1             0          1780     M0       正常
1         A2          5000         16000     M1       关注

A1 paid its minimum on time but not the whole statement: no 违约金, interest
RMB 17.80 (1,000 × 0.05 % × 23 days + 900 × 0.05 % × 14 days).  A2 paid nothing:
违约金 5 % of 1,000 = RMB 50.00 and interest 10,000 × 0.05 % × 32 days = RMB 160.00.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Mapping, overload

import numpy as np
import pandas as pd

from .._validate import MAX_CYCLE_DAYS, MAX_POSTING_DAYS, check_terms, next_statement
from ..dates import MAX_DATE, MIN_DATE, to_date
from ..delinquency import LOAN_CATEGORIES, M_BUCKETS, delinquency_bucket
from ..errors import CalculatorInputError
from ..fees import late_fee
from ..interest import revolving_interest
from ..money import MAX_AMOUNT
from ..terms import Terms

__all__ = [
    "CSV_COLUMNS",
    "DATE_COLUMNS",
    "AMOUNT_COLUMNS",
    "FRAME_COLUMNS",
    "RESULT_COLUMNS",
    "MAX_FEN",
    "read_accounts",
    "read_accounts_dask",
    "write_accounts",
    "apply_cycle",
    "apply_cycle_dask",
    "scalar_cycle",
    "random_accounts",
]

#: Columns of an accounts CSV file, in this order when written.
CSV_COLUMNS: tuple[str, ...] = (
    "account_id",
    "statement_date",
    "due_date",
    "next_statement_date",
    "posting_date",
    "statement_balance",
    "minimum_due",
    "paid",
    "paid_date",
    "days_past_due",
)
#: Date columns (``paid_date`` may be empty / ``NaT``).
DATE_COLUMNS: tuple[str, ...] = ("statement_date", "due_date", "next_statement_date", "posting_date", "paid_date")
#: Amount columns of the CSV (yuan); in a frame each is ``<name>_fen``, ``int64`` fen.
AMOUNT_COLUMNS: tuple[str, ...] = ("statement_balance", "minimum_due", "paid")
#: Columns of an accounts frame as :func:`read_accounts` returns it and :func:`apply_cycle` needs it.
FRAME_COLUMNS: tuple[str, ...] = tuple(f"{c}_fen" if c in AMOUNT_COLUMNS else c for c in CSV_COLUMNS)
#: Columns :func:`apply_cycle` adds.
RESULT_COLUMNS: tuple[str, ...] = ("late_fee_fen", "interest_fen", "bucket", "category")
#: Largest amount in fen (:data:`calculators.money.MAX_AMOUNT`, RMB 1 trillion).
MAX_FEN: int = int(MAX_AMOUNT * 100)

_INT64_MAX = int(np.iinfo(np.int64).max)
_EPOCH = date(1970, 1, 1)  # day number 0 of the datetime64[D] arrays
_MIN_DAY = int(np.datetime64(MIN_DATE, "D").astype(np.int64))
_MAX_DAY = int(np.datetime64(MAX_DATE, "D").astype(np.int64))
_BUCKET_NAMES = [row[0] for row in M_BUCKETS]
_BUCKET_LOWS = np.array([row[1] for row in M_BUCKETS], dtype=np.int64)
_CATEGORY_NAMES = [row[0] for row in LOAN_CATEGORIES]
_CATEGORY_LOWS = np.array([row[2] for row in LOAN_CATEGORIES], dtype=np.int64)
_BUCKET_DTYPE = pd.CategoricalDtype(_BUCKET_NAMES, ordered=True)
_CATEGORY_DTYPE = pd.CategoricalDtype(_CATEGORY_NAMES, ordered=True)


def _check_tables() -> None:
    """The bucket tables must cover 0, 1, 2, … without gaps for ``searchsorted`` to be exact."""
    for table, low_at in ((M_BUCKETS, 1), (LOAN_CATEGORIES, 2)):
        expected: int | None = 0
        for row in table:
            assert row[low_at] == expected, table  # a programming error in calculators.delinquency
            high = row[low_at + 1]
            expected = None if high is None else int(high) + 1
        assert expected is None, table


_check_tables()


# --------------------------------------------------------------------------- terms as integers


@dataclass(frozen=True)
class _CycleParams:
    """The profile values one cycle needs, as exact integers (picklable, for Dask workers)."""

    daily_num: int
    daily_den: int
    full_balance: bool
    shift_days: int
    interest_grace_days: int
    fee_grace_days: int
    tolerance_fen: int
    interest_rounding: str
    fee_num: int
    fee_den: int
    fee_min_fen: int | None
    fee_max_fen: int | None
    fee_rounding: str


_ROUNDINGS = ("half_up", "half_even", "down", "up")


def _fraction(terms: Terms, name: str) -> tuple[int, int]:
    value = getattr(terms, name)
    allowed = "a finite decimal rate from 0 to 1 whose exact fraction num/den has num × den < 2^63"
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1:
        raise CalculatorInputError(f"terms.{name}", value, allowed)
    num, den = value.as_integer_ratio()
    if num * den > _INT64_MAX:
        raise CalculatorInputError(f"terms.{name}", value, allowed)
    return num, den


@overload
def _fen(terms: Terms, name: str) -> int: ...
@overload
def _fen(terms: Terms, name: str, *, optional: bool) -> int | None: ...
def _fen(terms: Terms, name: str, *, optional: bool = False) -> int | None:
    value = getattr(terms, name)
    if value is None and optional:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise CalculatorInputError(f"terms.{name}", value, f"an amount from 0 to {MAX_AMOUNT} with at most 2 decimals")
    return int(value * 100)


def _params(terms: Any) -> _CycleParams:
    terms = check_terms(terms)
    for name in ("interest_rounding", "late_fee_rounding"):
        if getattr(terms, name) not in _ROUNDINGS:
            raise CalculatorInputError(f"terms.{name}", getattr(terms, name), "one of " + ", ".join(_ROUNDINGS))
    if terms.interest_basis not in ("full_balance", "unpaid_only"):
        raise CalculatorInputError("terms.interest_basis", terms.interest_basis, "full_balance or unpaid_only")
    if terms.payment_effective not in ("same_day", "next_day"):
        raise CalculatorInputError("terms.payment_effective", terms.payment_effective, "same_day or next_day")
    grace = terms.grace_days
    if isinstance(grace, bool) or not isinstance(grace, int) or not 0 <= grace <= 3650:
        raise CalculatorInputError("terms.grace_days", grace, "a whole number from 0 to 3650")
    if not isinstance(terms.grace_keeps_interest_free, bool):
        raise CalculatorInputError("terms.grace_keeps_interest_free", terms.grace_keeps_interest_free, "true or false")
    daily_num, daily_den = _fraction(terms, "daily_rate")
    fee_num, fee_den = _fraction(terms, "late_fee_rate")
    return _CycleParams(
        daily_num=daily_num,
        daily_den=daily_den,
        full_balance=terms.interest_basis == "full_balance",
        shift_days=0 if terms.payment_effective == "same_day" else 1,
        interest_grace_days=grace if terms.grace_keeps_interest_free else 0,
        fee_grace_days=grace,
        tolerance_fen=_fen(terms, "tolerance"),
        interest_rounding=terms.interest_rounding,
        fee_num=fee_num,
        fee_den=fee_den,
        fee_min_fen=_fen(terms, "late_fee_min", optional=True),
        fee_max_fen=_fen(terms, "late_fee_max", optional=True),
        fee_rounding=terms.late_fee_rounding,
    )


def _scale(values: np.ndarray, num: int, den: int, rounding: str) -> np.ndarray:
    """``round(values × num / den)`` for ``values ≥ 0`` in ``int64``, exactly, with a named rule.

    >>> _scale(np.array([1000, 1001, 1002, 1003]), 1, 2, "half_up").tolist()
    [500, 501, 501, 502]
    >>> _scale(np.array([1001, 1003]), 1, 2, "half_even").tolist(), _scale(np.array([1001, 1003]), 1, 2, "down").tolist()
    ([500, 502], [500, 501])
    >>> _scale(np.array([1000, 1001]), 1, 2, "up").tolist()
    [500, 501]
    """
    whole, part = np.divmod(values, den)
    scaled = part * num  # part < den, so part × num < den × num < 2^63
    quotient = whole * num + scaled // den
    remainder = scaled % den
    if rounding == "down":
        return quotient
    if rounding == "up":
        return quotient + (remainder > 0)
    rest = den - remainder  # compare 2·remainder with den without doubling (no overflow)
    if rounding == "half_up":
        return quotient + (remainder >= rest)
    if rounding == "half_even":
        return quotient + ((remainder > rest) | ((remainder == rest) & (quotient % 2 == 1)))
    raise AssertionError(rounding)  # guarded by _params


# --------------------------------------------------------------------------- validating a frame


def _row_label(frame: pd.DataFrame, position: int) -> str:
    label = _shown(frame.index[position])
    ident = _shown(frame["account_id"].iloc[position]) if "account_id" in frame.columns else None
    return f"row {position} (index {label!r}, account_id {ident!r})"


@dataclass
class _Arrays:
    """The validated columns as numpy ``int64`` arrays (dates as day numbers since 1970-01-01)."""

    statement: np.ndarray
    due: np.ndarray
    following: np.ndarray
    posting: np.ndarray
    paid_day: np.ndarray
    balance: np.ndarray
    minimum: np.ndarray
    paid: np.ndarray
    dpd: np.ndarray
    has_paid: np.ndarray


def _shown(value: Any) -> Any:
    """A cell as a message shows it: dates as ``YYYY-MM-DD`` (with a time only if it has one), numpy scalars as Python."""
    if isinstance(value, (np.datetime64, pd.Timestamp)):
        if pd.isna(value):
            return "NaT"
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else str(stamp)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _arrays(frame: Any, locate: Callable[[int], str], *, text: pd.DataFrame | None = None) -> _Arrays:
    """Check an accounts frame column by column and rule by rule; the first problem raises.

    With ``text`` (the CSV as read), errors name the CSV column and show the cell as written.
    """
    if not isinstance(frame, pd.DataFrame):
        raise CalculatorInputError("df", type(frame).__name__, "a pandas DataFrame of accounts (see read_accounts)")
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise CalculatorInputError("df.columns", missing[0], "the accounts columns " + ", ".join(FRAME_COLUMNS))
    if frame.columns.duplicated().any():
        raise CalculatorInputError("df.columns", frame.columns[frame.columns.duplicated()][0], "each column once")

    def fail(column: str, mask: np.ndarray, allowed: str, allowed_zh: str | None = None) -> None:
        position = int(np.flatnonzero(mask)[0])
        if text is not None:
            name = column.removesuffix("_fen")
            allowed = allowed.replace("_fen", "")
            raise CalculatorInputError(name, text[name].iloc[position], allowed, allowed_zh=allowed_zh, location=locate(position))
        raise CalculatorInputError(column, _shown(frame[column].iloc[position]), allowed, allowed_zh=allowed_zh, location=locate(position))

    days: dict[str, np.ndarray] = {}
    for column in DATE_COLUMNS:
        series = frame[column]
        if not (isinstance(series.dtype, np.dtype) and series.dtype.kind == "M"):
            raise CalculatorInputError(column, str(series.dtype), "a column of datetime64 dates without time zone (see read_accounts)")
        raw = series.to_numpy()
        day = raw.astype("datetime64[D]")
        nat = np.isnat(raw)
        if column != "paid_date" and nat.any():
            fail(column, nat, "a date (YYYY-MM-DD); only paid_date may be empty")
        timed = ~nat & (day.astype(raw.dtype) != raw)
        if timed.any():
            fail(column, timed, "a date without a time of day")
        number = day.astype(np.int64)
        outside = ~nat & ((number < _MIN_DAY) | (number > _MAX_DAY))
        if outside.any():
            fail(column, outside, f"a date from {MIN_DATE} to {MAX_DATE}")
        days[column] = number

    amounts: dict[str, np.ndarray] = {}
    for column in ("statement_balance_fen", "minimum_due_fen", "paid_fen", "days_past_due"):
        series = frame[column]
        kind = "a whole number of days ≥ 0" if column == "days_past_due" else f"a whole number of fen from 0 to {MAX_FEN}"
        if not pd.api.types.is_integer_dtype(series.dtype):
            raise CalculatorInputError(column, str(series.dtype), f"an integer column: {kind}")
        if series.isna().any():
            fail(column, series.isna().to_numpy(), kind)
        raw = series.to_numpy()
        high = _INT64_MAX if column == "days_past_due" else MAX_FEN
        out_of_range = (raw < 0) | (raw > high)
        if out_of_range.any():
            fail(column, out_of_range, kind)
        amounts[column] = raw.astype(np.int64)

    a = _Arrays(
        statement=days["statement_date"],
        due=days["due_date"],
        following=days["next_statement_date"],
        posting=days["posting_date"],
        paid_day=days["paid_date"],
        balance=amounts["statement_balance_fen"],
        minimum=amounts["minimum_due_fen"],
        paid=amounts["paid_fen"],
        dpd=amounts["days_past_due"],
        has_paid=amounts["paid_fen"] > 0,
    )
    paid_nat = np.isnat(frame["paid_date"].to_numpy())
    checks = (
        ("due_date", a.due <= a.statement, "a date after statement_date"),
        ("next_statement_date", a.following <= a.due, "a date after due_date"),
        ("posting_date", a.posting > a.statement, "a date on or before statement_date"),
        ("minimum_due_fen", a.minimum > a.balance, "at most statement_balance_fen"),
        ("paid_date", a.has_paid & paid_nat, "a date when paid_fen > 0"),
        ("paid_date", ~a.has_paid & ~paid_nat, "empty (NaT) when paid_fen is 0"),
        ("paid_date", a.has_paid & ((a.paid_day <= a.statement) | (a.paid_day > a.following)),
         "a date after statement_date and on or before next_statement_date"),
    )
    for column, bad, allowed in checks:
        if bad.any():
            fail(column, bad, allowed)
    # the bound revolving_interest applies (calculators._validate.MAX_CYCLE_DAYS), in its words, for the first such row
    too_far = (a.following - a.statement) > MAX_CYCLE_DAYS
    if too_far.any():
        first = int(np.flatnonzero(too_far)[0])
        statement, following = (_EPOCH + timedelta(days=int(day[first])) for day in (a.statement, a.following))
        try:
            next_statement(following, statement)
        except CalculatorInputError as exc:
            fail("next_statement_date", too_far, exc.allowed, exc.allowed_zh)
        raise AssertionError(first)  # next_statement refuses what too_far marks
    span = a.following - a.posting + 1  # ≥ 2 by the date checks
    too_long = a.balance > (_INT64_MAX // span)
    if too_long.any():
        fail("posting_date", too_long,
             "a posting date close enough that statement_balance_fen × days to next_statement_date stays below 2^63")
    # the bound revolving_interest applies (calculators._validate.MAX_POSTING_DAYS), so scalar and vectorised agree
    too_early = (a.statement - a.posting) > MAX_POSTING_DAYS
    if too_early.any():
        fail("posting_date", too_early, f"a date at most {MAX_POSTING_DAYS} days before statement_date")
    return a


# --------------------------------------------------------------------------- the cycle


def _cycle(frame: pd.DataFrame, p: _CycleParams, locate: Callable[[int], str] | None = None) -> pd.DataFrame:
    a = _arrays(frame, locate or (lambda position: _row_label(frame, position)))
    zero = np.zeros_like(a.balance)

    # Interest (revolving_interest): tolerance, then balance-days in fen·days.
    on_time_interest = a.has_paid & (a.paid_day <= a.due + p.interest_grace_days)
    paid_on_time = np.where(on_time_interest, a.paid, zero)
    free = a.balance - paid_on_time <= p.tolerance_fen
    after_end = a.following + 1
    effective = np.where(a.has_paid, np.minimum(a.paid_day + p.shift_days, after_end), after_end)
    rest = np.maximum(a.balance - a.paid, zero)
    balance_days = a.balance * (effective - a.posting) + rest * (after_end - effective)
    if not p.full_balance:  # unpaid_only: an on-time payment counts as never borrowed
        balance_days = np.where(on_time_interest, np.maximum(a.balance - a.paid, zero) * (after_end - a.posting), balance_days)
    interest = np.where(free, zero, _scale(np.where(free, zero, balance_days), p.daily_num, p.daily_den, p.interest_rounding))

    # 违约金 (late_fee): the payment counts toward the minimum if made by due date + grace days.
    counted = np.where(a.has_paid & (a.paid_day <= a.due + p.fee_grace_days), a.paid, zero)
    unpaid = a.minimum - counted
    no_fee = (a.balance - counted <= p.tolerance_fen) | (unpaid <= 0)
    fee = _scale(np.maximum(unpaid, zero), p.fee_num, p.fee_den, p.fee_rounding)
    if p.fee_min_fen is not None:
        fee = np.maximum(fee, p.fee_min_fen)
    if p.fee_max_fen is not None:
        fee = np.minimum(fee, p.fee_max_fen)
    fee = np.where(no_fee, zero, fee)

    # Bucket and five-category class (delinquency_bucket): tables start at 0 without gaps.
    bucket = pd.Categorical.from_codes(np.searchsorted(_BUCKET_LOWS, a.dpd, side="right") - 1, dtype=_BUCKET_DTYPE)
    category = pd.Categorical.from_codes(np.searchsorted(_CATEGORY_LOWS, a.dpd, side="right") - 1, dtype=_CATEGORY_DTYPE)
    return frame.assign(
        late_fee_fen=pd.Series(fee.astype(np.int64), index=frame.index),
        interest_fen=pd.Series(interest.astype(np.int64), index=frame.index),
        bucket=pd.Series(bucket, index=frame.index),
        category=pd.Series(category, index=frame.index),
    )


def apply_cycle(df: pd.DataFrame, terms: Terms) -> pd.DataFrame:
    """One statement cycle for every account: ``late_fee_fen``, ``interest_fen``, ``bucket``, ``category``.

    ``df`` is an accounts frame (:data:`FRAME_COLUMNS`, as :func:`read_accounts`
    returns it; other columns are kept).  Returns a new frame with the four
    result columns added (replacing columns of those names).  Each row's values
    equal :func:`scalar_cycle` on that row, i.e. the scalar ``late_fee``,
    ``revolving_interest`` and ``delinquency_bucket`` (see the module docstring
    for the exact definition).  Computed in ``int64`` fen with numpy, no Python
    loop over rows.

    Bad data raises :class:`~calculators.CalculatorInputError` naming the
    column, the row (position, index label and ``account_id``), the value and
    what is allowed; nothing is clamped.

    >>> from calculators import load_terms
    >>> df = random_accounts(3, seed=1)
    >>> out = apply_cycle(df, load_terms("icbc"))
    >>> list(out.columns[-4:])
    ['late_fee_fen', 'interest_fen', 'bucket', 'category']
    >>> bad = df.assign(minimum_due_fen=df["statement_balance_fen"] + 1)
    >>> apply_cycle(bad, load_terms("cmb"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: row 0 (index 0, account_id 'R0000000'): minimum_due_fen=... is not allowed: at most statement_balance_fen
    """
    return _cycle(df, _params(terms))


def _apply_partition(partition: pd.DataFrame, params: _CycleParams) -> pd.DataFrame:
    return _cycle(partition, params)


def apply_cycle_dask(ddf: Any, terms: Terms) -> Any:
    """:func:`apply_cycle` on every partition of a Dask DataFrame (lazy; call ``.compute()`` or write it out).

    Use it for portfolios larger than memory (see the module docstring).  The
    terms are turned into plain integers once, so partitions can run on other
    processes or machines.  Partitions are validated as they are computed:
    an error surfaces at ``.compute()`` and names the row by its index label.

    >>> import dask.dataframe as dd
    >>> from calculators import load_terms
    >>> df = random_accounts(40, seed=2)
    >>> ddf = dd.from_pandas(df, npartitions=4)
    >>> result = apply_cycle_dask(ddf, load_terms("cmb")).compute()
    >>> expected = apply_cycle(df, load_terms("cmb"))
    >>> result[list(RESULT_COLUMNS)].equals(expected[list(RESULT_COLUMNS)])
    True

    (Dask stores ``account_id`` as ``string[pyarrow]`` where pandas uses ``str``;
    the values are the same.)
    """
    import dask.dataframe as dd

    if not isinstance(ddf, dd.DataFrame):
        raise CalculatorInputError("ddf", type(ddf).__name__, "a dask.dataframe.DataFrame of accounts (see read_accounts_dask)")
    params = _params(terms)
    meta = _cycle(ddf._meta, params)  # an empty frame of the same columns: the result's columns and dtypes
    return ddf.map_partitions(_apply_partition, params, meta=meta)


# --------------------------------------------------------------------------- the scalar reference


def _fen_to_yuan(value: Any, field: str) -> Decimal:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not 0 <= int(value) <= MAX_FEN:
        raise CalculatorInputError(field, _shown(value), f"a whole number of fen from 0 to {MAX_FEN}")
    return Decimal(int(value)).scaleb(-2)


@overload
def _day(value: Any, field: str) -> date: ...
@overload
def _day(value: Any, field: str, *, empty_ok: bool) -> date | None: ...
def _day(value: Any, field: str, *, empty_ok: bool = False) -> date | None:
    nat = value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value))
    if empty_ok and (value is None or nat or (isinstance(value, str) and not value.strip())):
        return None
    if nat:
        raise CalculatorInputError(field, "NaT", "a date; only paid_date may be empty")
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        if value.tz is not None or value.hour or value.minute or value.second or value.microsecond or value.nanosecond:
            raise CalculatorInputError(field, str(value), "a date without a time of day or time zone")
        value = value.date()
    return to_date(value, field)  # the core's rules: a date or 'YYYY-MM-DD', no datetime, within the date range


def scalar_cycle(row: Mapping[str, Any], terms: Terms) -> dict[str, Any]:
    """The reference for one account: the public scalar functions on one row of an accounts frame.

    ``row`` is a mapping with :data:`FRAME_COLUMNS` (a row of the frame, e.g.
    from ``df.to_dict("records")`` or ``df.iloc[i]``).  Returns
    ``{"late_fee_fen", "interest_fen", "bucket", "category"}``; :func:`apply_cycle`
    must give the same on every row.

    >>> from calculators import load_terms
    >>> row = {"account_id": "A1", "statement_date": "2026-05-05", "due_date": "2026-05-23",
    ...        "next_statement_date": "2026-06-05", "posting_date": "2026-04-30",
    ...        "statement_balance_fen": 100000, "minimum_due_fen": 10000, "paid_fen": 10000,
    ...        "paid_date": "2026-05-23", "days_past_due": 0}
    >>> scalar_cycle(row, load_terms("cmb"))
    {'late_fee_fen': 0, 'interest_fen': 1780, 'bucket': 'M0', 'category': '正常'}
    >>> df = random_accounts(3, seed=1)
    >>> scalar_cycle(df.iloc[2], load_terms("cmb")) == apply_cycle(df, load_terms("cmb")).iloc[2][list(RESULT_COLUMNS)].to_dict()
    True
    """
    terms = check_terms(terms)
    if not isinstance(row, (Mapping, pd.Series)):
        raise CalculatorInputError("row", type(row).__name__, "a mapping (or pandas Series) with the accounts columns " + ", ".join(FRAME_COLUMNS))
    for column in FRAME_COLUMNS:
        if column not in row:
            raise CalculatorInputError("row", column, "a mapping with the accounts columns " + ", ".join(FRAME_COLUMNS))
    balance = _fen_to_yuan(row["statement_balance_fen"], "statement_balance_fen")
    minimum = _fen_to_yuan(row["minimum_due_fen"], "minimum_due_fen")
    paid = _fen_to_yuan(row["paid_fen"], "paid_fen")
    statement = _day(row["statement_date"], "statement_date")
    due = _day(row["due_date"], "due_date")
    following = _day(row["next_statement_date"], "next_statement_date")
    posting = _day(row["posting_date"], "posting_date")
    paid_day = _day(row["paid_date"], "paid_date", empty_ok=True)
    if (paid > 0) != (paid_day is not None):
        raise CalculatorInputError("paid_date", paid_day, "a date exactly when paid_fen > 0 (empty when nothing was paid)")
    # The rules the scalar functions also check, named here by the frame's columns.
    if minimum > balance:
        raise CalculatorInputError("minimum_due_fen", row["minimum_due_fen"], "at most statement_balance_fen")
    if paid_day is not None and not (statement < paid_day <= following):
        raise CalculatorInputError("paid_date", paid_day.isoformat(), "a date after statement_date and on or before next_statement_date")

    purchases = [(posting, balance)] if balance > 0 else []
    payments = [(paid_day, paid)] if paid_day is not None else []  # paid > 0 exactly when paid_day is set (checked above)
    if posting > statement:  # checked here too: with a zero balance there is no purchase for revolving_interest to check
        raise CalculatorInputError("posting_date", posting.isoformat(), f"on or before the statement date ({statement})")
    interest = revolving_interest(purchases, payments, statement, due, following, terms)
    counts = paid_day is not None and paid_day <= due + timedelta(days=terms.grace_days)
    fee = late_fee(minimum, paid if counts else 0, terms, statement_balance=balance)
    dpd = row["days_past_due"]  # a numpy integer (df.iloc[i]) is a whole number; bool and np.bool_ are still refused
    status = delinquency_bucket(int(dpd) if isinstance(dpd, np.integer) else dpd)
    return {"late_fee_fen": int(fee * 100), "interest_fen": int(interest * 100),
            "bucket": status.bucket, "category": status.category}


# --------------------------------------------------------------------------- CSV in and out


def _origin(path_or_buffer: Any) -> str:
    if isinstance(path_or_buffer, (str, os.PathLike)):
        return os.fspath(path_or_buffer)
    return str(getattr(path_or_buffer, "name", "<buffer>"))


def _matches(text: pd.Series, pattern: str) -> np.ndarray:
    """Whole-cell regex match as a boolean array (pandas runs it in Arrow, not row by row)."""
    return text.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)


def _digits(text: pd.Series) -> np.ndarray:
    """Cells already checked to be ASCII digits (at most 18) as ``int64``."""
    return text.astype(np.int64).to_numpy() if len(text) else np.zeros(0, dtype=np.int64)


def _parse_dates(text: pd.Series, column: str, fail: Callable[..., None], *, empty_ok: bool) -> pd.Series:
    allowed = "a date YYYY-MM-DD" + (" or empty when nothing was paid" if empty_ok else "")

    def impossible(mask: np.ndarray) -> None:
        # A well-formed YYYY-MM-DD that is no day of the calendar (2026-02-30, month 13, year 0000) is refused in the
        # words of calculators.dates.to_date, the reader the forms use, so the message names the cause.
        try:
            to_date(text.iloc[int(np.flatnonzero(mask)[0])], column)
        except CalculatorInputError as exc:
            fail(column, mask, exc.allowed, exc.allowed_zh)
        raise AssertionError(column)  # to_date refuses every cell marked here

    empty = (text == "").to_numpy(dtype=bool) if empty_ok else np.zeros(len(text), dtype=bool)
    malformed = ~_matches(text, r"[0-9]{4}-[0-9]{2}-[0-9]{2}") & ~empty
    if malformed.any():
        fail(column, malformed, allowed)
    filled = text.where(~empty, "1970-01-01")
    year, month, day = (_digits(filled.str.slice(a, b)) for a, b in ((0, 4), (5, 7), (8, 10)))
    bad = (year < 1) | (month < 1) | (month > 12) | (day < 1)
    if bad.any():
        impossible(bad)
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1).astype("timedelta64[M]")
    length = ((first + np.timedelta64(1, "M")).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    if (day > length).any():
        impossible(day > length)
    days = first.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    days = np.where(empty, np.datetime64("NaT", "D"), days)
    return pd.Series(days.astype("datetime64[s]"), index=text.index)


#: pandas' words for a row with more cells than the rows before it (the C parser: "Expected 10 fields in line 3, saw 11").
_TOO_MANY_CELLS = re.compile(r"Expected ([0-9]+) fields in line ([0-9]+), saw ([0-9]+)")


def _read_text(source: Any, origin: str, blockwise: bool) -> pd.DataFrame:
    """``pd.read_csv`` with every cell as text; a data row with more cells than the header is refused by its place.

    pandas would take a first data row longer than the header (a comma at the end of every line) as an index
    column plus the header's columns, shifting every cell one column to the right; a later longer row stops it.

    >>> _read_text(io.StringIO("a,b\\n1,2,\\n"), "<buffer>", False)  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: <buffer>, line 2 (data row 1): columns=3 is not allowed: no more cells than
    the header row, which has 2 (a comma at the end of a line adds an empty cell)
    """
    def place(data_row: int) -> str:
        return f"{origin}, data row {data_row} of the block" if blockwise else f"{origin}, line {data_row + 1} (data row {data_row})"

    hint, hint_zh = "a comma at the end of a line adds an empty cell", "行末的逗号会多出一个空单元格"
    try:
        text = pd.read_csv(source, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except pd.errors.ParserError as exc:
        found = _TOO_MANY_CELLS.search(str(exc))
        if not found:
            raise
        line, saw = int(found.group(2)), int(found.group(3))  # more than every row above it, so more than the header
        raise CalculatorInputError("columns", saw, f"no more cells than the header row ({hint})",
                                   allowed_zh=f"单元格数不超过表头（{hint_zh}）", location=place(line - 1)) from None
    if not isinstance(text.index, pd.RangeIndex):  # the first data row had more cells than the header
        width = len(text.columns)
        raise CalculatorInputError("columns", width + text.index.nlevels, f"no more cells than the header row, which has {width} ({hint})",
                                   allowed_zh=f"单元格数不超过表头的 {width} 个（{hint_zh}）", location=place(1))
    return text


def _parse_text(text: pd.DataFrame, origin: str, blockwise: bool = False) -> pd.DataFrame:
    """Validate a CSV read as text (every cell a string) into an accounts frame.

    ``blockwise``: ``text`` is one block of a larger file (Dask), so rows are
    named by their place in the block rather than by a line of the file.
    """
    missing = [c for c in CSV_COLUMNS if c not in text.columns]
    if missing:
        raise CalculatorInputError("columns", missing[0], "a header with the columns " + ", ".join(CSV_COLUMNS), location=origin)

    def locate(position: int) -> str:
        if blockwise:
            return f"{origin}, data row {position + 1} of the block starting with account_id {text['account_id'].iloc[0]!r}"
        return f"{origin}, line {position + 2} (data row {position + 1})"

    cells = {c: text[c].astype(str).str.strip() for c in CSV_COLUMNS}

    def fail(column: str, mask: np.ndarray, allowed: str, allowed_zh: str | None = None) -> None:
        position = int(np.flatnonzero(mask)[0])
        raise CalculatorInputError(column, text[column].iloc[position], allowed, allowed_zh=allowed_zh, location=locate(position))

    ids = cells["account_id"]
    if (ids == "").any():
        fail("account_id", (ids == "").to_numpy(), "a non-empty account identifier")
    repeated = ids.duplicated().to_numpy()
    if repeated.any():
        fail("account_id", repeated, "an identifier not used on an earlier row")

    out: dict[str, Any] = {"account_id": ids}
    for column in ("statement_date", "due_date", "next_statement_date", "posting_date"):
        out[column] = _parse_dates(cells[column], column, fail, empty_ok=False)
    for column in AMOUNT_COLUMNS:
        allowed = f"an amount in yuan: digits with at most 2 decimals, from 0 to {MAX_AMOUNT}"
        cell = cells[column]
        malformed = ~_matches(cell, r"[0-9]{1,13}(?:\.[0-9]{1,2})?")
        if malformed.any():
            fail(column, malformed, allowed)
        yuan = _digits(cell.str.replace(r"\.[0-9]*$", "", regex=True))
        cents = _digits(cell.str.replace(r"^[0-9]*\.?", "", regex=True).str.ljust(2, "0"))
        fen = yuan * 100 + cents
        if (fen > MAX_FEN).any():
            fail(column, fen > MAX_FEN, allowed)
        out[f"{column}_fen"] = pd.Series(fen, index=text.index)
    out["paid_date"] = _parse_dates(cells["paid_date"], "paid_date", fail, empty_ok=True)
    dpd_text = cells["days_past_due"]
    malformed = ~_matches(dpd_text, r"[0-9]{1,18}")
    if malformed.any():
        fail("days_past_due", malformed, "a whole number of days ≥ 0 (digits only, at most 18)")
    out["days_past_due"] = pd.Series(_digits(dpd_text), index=text.index)
    frame = pd.DataFrame({c: out[c] for c in FRAME_COLUMNS})
    extra = [c for c in text.columns if c not in CSV_COLUMNS]
    for column in extra:  # other columns (names, branches…) pass through as text
        frame[column] = text[column]
    # Cross-column rules, reported with the file's line numbers, CSV column names and the text as written.
    _arrays(frame, locate, text=text)
    return frame


def read_accounts(path_or_buffer: Any) -> pd.DataFrame:
    """Read an accounts CSV file (:data:`CSV_COLUMNS`) into a validated accounts frame.

    Amounts become ``int64`` fen (``statement_balance`` → ``statement_balance_fen``
    and so on), dates ``datetime64[s]``, ``days_past_due`` ``int64``;
    ``account_id`` and any extra columns stay text.  Every cell is checked (no
    scientific notation, no negative amounts, no third decimal, real calendar
    dates, dates in order, the minimum at most the balance, a payment date
    exactly when something was paid), and the first problem raises
    :class:`~calculators.CalculatorInputError` naming the file, the line, the
    column, the value and what is allowed.

    >>> import io
    >>> header = ",".join(CSV_COLUMNS) + "\\n"
    >>> good = "A1,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.5,100,0,,0\\n"
    >>> read_accounts(io.StringIO(header + good))[["statement_balance_fen", "paid_date"]]
       statement_balance_fen paid_date
    0                 100050       NaT
    >>> read_accounts(io.StringIO(header + good + "A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1e3,100,0,,0\\n"))  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: <buffer>, line 3 (data row 2): statement_balance='1e3' is not allowed:
    an amount in yuan: digits with at most 2 decimals, from 0 to 1000000000000.00
    """
    if isinstance(path_or_buffer, (bytes, bytearray)) or not (isinstance(path_or_buffer, (str, os.PathLike)) or hasattr(path_or_buffer, "read")):
        shown = path_or_buffer if isinstance(path_or_buffer, (str, int, float, type(None))) else type(path_or_buffer).__name__
        raise CalculatorInputError("path_or_buffer", shown, "the path of a CSV file or an open text file")
    origin = _origin(path_or_buffer)
    try:
        text = _read_text(path_or_buffer, origin, blockwise=False)
    except CalculatorInputError:
        raise
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, TypeError) as exc:
        raise CalculatorInputError("path_or_buffer", origin, f"a readable UTF-8 CSV file with a header row ({type(exc).__name__}: {exc})") from None
    return _parse_text(text, origin)


def _read_block(block: bytes, header: bytes, path: str, index: int) -> pd.DataFrame:
    """Parse and validate one block of a CSV file (the header prepended to every block after the first)."""
    origin = f"{path}, block {index}"
    if index == 0 and block.split(b"\n", 1)[0].rstrip(b"\r") != header.rstrip(b"\r\n"):
        raise CalculatorInputError("header", block.split(b"\n", 1)[0].decode("utf-8", "replace"),
                                   f"the same header as the first file ({header.decode('utf-8', 'replace').strip()})", location=origin)
    data = block if index == 0 else header + block
    try:
        text = _read_text(io.BytesIO(data), origin, blockwise=True)
    except CalculatorInputError:
        raise
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise CalculatorInputError("urlpath", path, f"a UTF-8 CSV file with a header row ({type(exc).__name__}: {exc})", location=origin) from None
    return _parse_text(text, origin, blockwise=True)


def read_accounts_dask(urlpath: Any, *, blocksize: str | int = "64MB") -> Any:
    """Read one or many accounts CSV files lazily with Dask, each block validated like :func:`read_accounts`.

    ``urlpath`` is a path, a glob (``"accounts-*.csv"``) or a list of paths;
    every file has the same header.  Files are cut into blocks of about
    ``blocksize`` bytes at line ends; each block becomes one partition.  A
    block of a large file starts mid-file, so errors name the file, the block
    and the row by its place in the block with the block's first
    ``account_id``; they surface when the partition is computed.  Identifiers
    are checked for repeats within a block only.  (Like ``dask.dataframe.read_csv``,
    blocks are cut at every line end, so quoted fields must not contain line breaks.)

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "accounts.csv")
    >>> write_accounts(random_accounts(30, seed=3), path)
    >>> ddf = read_accounts_dask(path, blocksize=1000)
    >>> ddf.npartitions > 1, len(ddf.compute())
    (True, 30)
    >>> os.remove(path); os.rmdir(folder)
    """
    import dask.dataframe as dd
    from dask import delayed
    from dask.bytes import read_bytes

    candidates = urlpath if isinstance(urlpath, (list, tuple)) else [urlpath]
    if not isinstance(urlpath, (str, os.PathLike, list, tuple)) or not all(isinstance(p, (str, os.PathLike)) for p in candidates):
        raise CalculatorInputError("urlpath", urlpath if isinstance(urlpath, (str, int, float, type(None))) else type(urlpath).__name__,
                                   "a CSV path, a glob pattern or a list of paths")
    if isinstance(blocksize, bool) or not isinstance(blocksize, (int, str)) or (isinstance(blocksize, int) and blocksize < 1):
        raise CalculatorInputError("blocksize", blocksize, "a positive number of bytes or a size such as '64MB'")
    paths = [os.fspath(p) for p in urlpath] if isinstance(urlpath, (list, tuple)) else os.fspath(urlpath)
    if not paths:
        raise CalculatorInputError("urlpath", paths, "at least one CSV path")
    try:
        _, blocks, names = read_bytes(paths, delimiter=b"\n", blocksize=blocksize, sample=False, include_path=True)
    except (OSError, ValueError, TypeError) as exc:
        raise CalculatorInputError("urlpath", str(urlpath), f"readable CSV files with a header row ({type(exc).__name__}: {exc})") from None
    if not blocks or not blocks[0]:
        raise CalculatorInputError("urlpath", str(urlpath), "at least one non-empty CSV file")
    try:
        with open(names[0], "rb") as first:
            header = first.readline()
    except OSError as exc:
        raise CalculatorInputError("urlpath", names[0], f"a readable CSV file ({exc})") from None
    parts = [delayed(_read_block)(block, header, str(name), index)
             for name, file_blocks in zip(names, blocks) for index, block in enumerate(file_blocks)]
    meta = _parse_text(pd.DataFrame({c: pd.Series([], dtype=str) for c in CSV_COLUMNS}), "<meta>")
    return dd.from_delayed(parts, meta=meta)


def write_accounts(df: pd.DataFrame, path_or_buffer: Any = None) -> str | None:
    """Write an accounts frame as CSV (:data:`CSV_COLUMNS`, amounts in yuan with 2 decimals).

    :func:`read_accounts` reads the file back to an equal frame.  With no
    ``path_or_buffer`` the CSV text is returned.

    >>> print(write_accounts(random_accounts(1, seed=4)), end="")  # doctest: +ELLIPSIS
    account_id,statement_date,due_date,next_statement_date,posting_date,statement_balance,minimum_due,paid,paid_date,days_past_due
    R0000000,...
    """
    _arrays(df, lambda position: _row_label(df, position))
    text = pd.DataFrame({"account_id": df["account_id"].astype(str)})
    for column in ("statement_date", "due_date", "next_statement_date", "posting_date"):
        text[column] = df[column].dt.strftime("%Y-%m-%d")
    for column in AMOUNT_COLUMNS:
        fen = df[f"{column}_fen"].to_numpy().astype(np.int64)
        yuan, cents = np.divmod(fen, 100)
        text[column] = pd.Series(yuan.astype(str), index=df.index).str.cat(pd.Series(cents.astype(str), index=df.index).str.zfill(2), sep=".")
    text["paid_date"] = df["paid_date"].dt.strftime("%Y-%m-%d").fillna("")
    text["days_past_due"] = df["days_past_due"].astype(np.int64).astype(str)
    text = text[list(CSV_COLUMNS)]
    if path_or_buffer is None:
        buffer = io.StringIO()
        text.to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    text.to_csv(path_or_buffer, index=False, lineterminator="\n")
    return None


# --------------------------------------------------------------------------- synthetic portfolios


def random_accounts(n: int, seed: int = 0) -> pd.DataFrame:
    """A random but valid accounts frame of ``n`` rows (for tests and benchmarks), reproducible by ``seed``.

    It deliberately covers the edges: balances of 0 and within RMB 10 of a
    payment (tolerance), payments on the due date, within and after the grace
    days and on the next statement date, minimums of 0 and equal to the
    balance, half-fen rounding ties and DPD on every bucket boundary.

    >>> df = random_accounts(5, seed=7)
    >>> list(df.columns) == list(FRAME_COLUMNS), len(df)
    (True, 5)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= 100_000_000:
        raise CalculatorInputError("n", n, "a whole number of accounts from 0 to 100,000,000")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise CalculatorInputError("seed", seed, "a whole number ≥ 0")
    rng = np.random.default_rng(int(seed))
    base = np.datetime64("2026-01-05", "D")
    statement = base + rng.integers(0, 365, n).astype("timedelta64[D]")
    due = statement + rng.integers(15, 26, n).astype("timedelta64[D]")
    following = statement + rng.integers(28, 32, n).astype("timedelta64[D]")
    posting = statement - rng.integers(0, 40, n).astype("timedelta64[D]")
    kind = rng.integers(0, 4, n)
    balance = np.select(
        [kind == 0, kind == 1, kind == 2],
        [rng.integers(0, 2_000, n), rng.integers(0, 5_000_000, n), rng.integers(0, 200_000_000, n)],
        rng.integers(0, 10, n) * 100_000,  # round amounts: ties in the rounding
    ).astype(np.int64)
    share = rng.integers(0, 5, n)
    minimum = np.select(
        [share == 0, share == 1, share == 2],
        [np.zeros(n, dtype=np.int64), balance, (balance * rng.integers(0, 101, n)) // 100],
        balance // 10,
    ).astype(np.int64)
    pay_kind = rng.integers(0, 7, n)
    paid = np.select(
        [pay_kind == 0, pay_kind == 1, pay_kind == 2, pay_kind == 3, pay_kind == 4, pay_kind == 5],
        [np.zeros(n, dtype=np.int64), minimum, balance, np.maximum(balance - rng.integers(0, 2_000, n), 0),
         np.maximum(minimum - rng.integers(0, 2_000, n), 0), balance + rng.integers(0, 10_000, n)],
        rng.integers(1, 300_000_000, n),
    ).astype(np.int64)
    offset = rng.integers(-3, 6, n)
    day_kind = rng.integers(0, 3, n)
    paid_day = np.select(
        [day_kind == 0, day_kind == 1],
        [due + offset.astype("timedelta64[D]"), following],
        statement + rng.integers(1, 40, n).astype("timedelta64[D]"),
    )
    paid_day = np.minimum(np.maximum(paid_day, statement + np.timedelta64(1, "D")), following)
    paid_day = np.where(paid > 0, paid_day, np.datetime64("NaT", "D"))
    edges = np.array([0, 1, 30, 31, 60, 61, 90, 91, 120, 121, 150, 151, 180, 181, 365, 1000], dtype=np.int64)
    dpd = np.where(rng.integers(0, 2, n) == 0, edges[rng.integers(0, len(edges), n)], rng.integers(0, 400, n)).astype(np.int64)
    return pd.DataFrame({
        "account_id": pd.Series([f"R{i:07d}" for i in range(n)], dtype=str),
        "statement_date": statement.astype("datetime64[s]"),
        "due_date": due.astype("datetime64[s]"),
        "next_statement_date": following.astype("datetime64[s]"),
        "posting_date": posting.astype("datetime64[s]"),
        "statement_balance_fen": balance,
        "minimum_due_fen": minimum,
        "paid_fen": paid,
        "paid_date": paid_day.astype("datetime64[s]"),
        "days_past_due": dpd,
    })
