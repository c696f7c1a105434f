"""Days past due to M-bucket and to the five-category loan class."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dates import MAX_DAYS_PAST_DUE
from .money import to_int

__all__ = ["DelinquencyStatus", "delinquency_bucket", "M_BUCKETS", "LOAN_CATEGORIES", "BUCKET_SOURCE", "CATEGORY_SOURCE"]

#: M-buckets by days past due (industry convention, not regulation).
BUCKET_SOURCE = "行业惯例（M 账龄划分，非监管规定）"
M_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("M0", 0, 0),
    ("M1", 1, 30),
    ("M2", 31, 60),
    ("M3", 61, 90),
    ("M4", 91, 120),
    ("M5", 121, 150),
    ("M6", 151, 180),
    ("M7", 181, None),  # also called M6+
)

#: Five-category classification of card assets (2011 Measures art. 92).
CATEGORY_SOURCE = "《商业银行信用卡业务监督管理办法》（银监会令 2011 年第 2 号）第九十二条"
LOAN_CATEGORIES: tuple[tuple[str, str, int, int | None], ...] = (
    ("正常", "normal", 0, 0),
    ("关注", "special mention", 1, 90),
    ("次级", "substandard", 91, 120),
    ("可疑", "doubtful", 121, 180),
    ("损失", "loss", 181, None),
)


@dataclass(frozen=True)
class DelinquencyStatus:
    """Where an account stands: days past due, M-bucket, five-category class."""

    days_past_due: int
    bucket: str
    category: str
    category_en: str


def _find(table: tuple[tuple[Any, ...], ...], days: int, low_index: int) -> tuple[Any, ...]:
    for row in table:
        low, high = row[low_index], row[low_index + 1]
        if days >= low and (high is None or days <= high):
            return row
    raise AssertionError("the tables cover every day count from 0")  # guarded by to_int(minimum=0)


def delinquency_bucket(days_past_due: Any) -> DelinquencyStatus:
    """M-bucket and five-category class for a number of days past due (DPD).

    DPD counts calendar days after the due date (the day after the due date is
    day 1); a payment within the grace period counts as on time (DPD 0).
    Buckets: M0 0, M1 1–30, M2 31–60, M3 61–90, M4 91–120, M5 121–150,
    M6 151–180, M7 over 180 (industry convention).  Classes: 正常 0, 关注 1–90,
    次级 91–120, 可疑 121–180, 损失 over 180 (2011 Measures art. 92).

    >>> delinquency_bucket(90)
    DelinquencyStatus(days_past_due=90, bucket='M3', category='关注', category_en='special mention')
    >>> delinquency_bucket(181).bucket, delinquency_bucket(181).category
    ('M7', '损失')
    >>> delinquency_bucket(10 ** 5000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: days_past_due=<int too large to display> is not allowed: a whole number ≥ 0 and ≤ 109572
    """
    days = to_int(days_past_due, "days_past_due", minimum=0, maximum=MAX_DAYS_PAST_DUE)
    bucket = _find(M_BUCKETS, days, 1)[0]
    category = _find(LOAN_CATEGORIES, days, 2)
    return DelinquencyStatus(days, bucket, category[0], category[1])
