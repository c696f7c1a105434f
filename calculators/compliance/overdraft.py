"""Malicious-overdraft exposure tracker (恶意透支风险节点核对).

Under 《刑法》第一百九十六条 and 法释〔2009〕19号 (2018 年修正) 第六条至第十条,
"恶意透支" requires (a) the intent to possess illegally (非法占有目的),
(b) an overdraft beyond the limit or term, and (c) non-repayment for more than
three months after **two effective collections**; the amount bands are set on
the **unpaid principal** when the police open the case (interest, 违约金 and
fees excluded).  :func:`overdraft_exposure` checks only the countable parts,
(b)'s collection log, (c)'s dates and the amount band.  It never decides (a):
every result carries :data:`DISCLAIMER`.

Counting rules, and why:

* An **effective collection** (第七条) is one made on or after
  ``overdue_since`` (the first day the overdraft was beyond the limit or
  term), with proof that the cardholder received it (``receipt_proved``; or
  ``cardholder_evaded``, the article's exception, which needs its own
  evidence), and compliant with the rules and the card agreement
  (``compliant``).  Enter the date the collection reached the cardholder
  (the call date; for a letter or SMS the delivery date on the receipt).
* **At least 30 days apart**: the second collection's date minus the first's
  is 30 days or more (1 March and 31 March qualify, 1 March and 30 March do
  not).  This follows 《民法典》第二百零一条: the first day is not counted, so
  30 days have run on the 30th day after.  The earliest qualifying pair is
  used (the earliest effective collection, then the earliest one at least 30
  days later), which gives the earliest possible end of the three months.
* **Three months** after the second collection: the period ends on the same
  day of the month three months later, or that month's last day if it has no
  such day (《民法典》第二百零一条、第二百零二条; :func:`calculators.dates.add_months`).
  Non-repayment "exceeds three months" from the next day, ``exceeded_from``.
  Holidays do not move the date here (第二百零三条 concerns the last day for
  performing an act; whether it applies is for lawyers).
* **Amount bands** (第八条) compare the unpaid principal with the thresholds
  from the data, the lower bound inclusive: 49,999.99 is below 数额较大 and
  50,000.00 is in it.
* A collection dated **after** ``as_of`` had not happened on the date checked:
  it is left out and listed in ``excluded`` with that reason.

Standard library only (runs in the browser).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Iterable, Mapping

from ..dates import MAX_DATE, add_months, to_date
from ..errors import CalculatorInputError
from ..money import to_amount
from .ruledata import SourceRef
from .ruledata import boolean as _bool
from .ruledata import fail as _fail
from .ruledata import positive_int as _positive_int
from .ruledata import sources as _sources
from .ruledata import text as _text

__all__ = ["DISCLAIMER", "AmountBand", "OverdraftRules", "Collection", "OverdraftExposure", "amount_band", "overdraft_exposure"]

#: Shown with every result: the tool does not judge intent.
DISCLAIMER = (
    "本工具只核对可计数的事实：有效催收的次数与间隔、三个月期限的届满日、未还本金所处的数额档次。"
    "持卡人是否具有“非法占有目的”、是否构成恶意透支或信用卡诈骗罪，是公安机关、人民检察院和人民法院"
    "依法作出的法律判断，本工具不作判断；单纯逾期未还不能认定为非法占有目的。本结果不是法律意见。"
)


@dataclass(frozen=True)
class AmountBand:
    """One amount band: its name and lower bound (inclusive) in yuan of unpaid principal.

    Declared once: ``procedures/rules.py`` validates the YAML bands into this class with pydantic
    (``__pydantic_config__`` below is read there), the browser builds it from JSON; both go through
    the checks in ``__post_init__``.

    >>> AmountBand("数额较大", "50000").minimum
    Decimal('50000.00')
    >>> AmountBand("", "50000")
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: name='' is not allowed: a non-empty text
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    name: str
    minimum: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _text(self.name, "name"))
        object.__setattr__(self, "minimum", to_amount(self.minimum, "minimum", minimum=Decimal("0.01")))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "minimum": str(self.minimum)}


@dataclass(frozen=True)
class OverdraftRules:
    """Thresholds and periods for the tracker, with their sources.

    ``bands`` are ascending; ``history`` holds earlier thresholds for display only.

    >>> from procedures.rules import overdraft_rules
    >>> rules = overdraft_rules()
    >>> [(b.name, b.minimum) for b in rules.bands]
    [('数额较大', Decimal('50000.00')), ('数额巨大', Decimal('500000.00')), ('数额特别巨大', Decimal('5000000.00'))]
    >>> rules.min_gap_days, rules.months_after
    (30, 3)
    >>> OverdraftRules.from_dict(rules.to_dict()) == rules
    True
    """

    collections_required: int
    min_gap_days: int
    months_after: int
    bands: tuple[AmountBand, ...]
    history: tuple[tuple[str, tuple[AmountBand, ...]], ...]
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (amounts as strings); :meth:`from_dict` reads it back."""
        return {
            "collections_required": self.collections_required,
            "min_gap_days": self.min_gap_days,
            "months_after": self.months_after,
            "bands": [b.to_dict() for b in self.bands],
            "history": [{"version": version, "bands": [b.to_dict() for b in bands]} for version, bands in self.history],
            "sources": [s.to_dict() for s in self.sources],
        }

    @classmethod
    def from_dict(cls, data: Any) -> "OverdraftRules":
        """Validate parsed data into :class:`OverdraftRules`.

        >>> OverdraftRules.from_dict({"collections_required": 2, "min_gap_days": 30, "months_after": 3,
        ...     "bands": [{"name": "a", "minimum": "500000"}, {"name": "b", "minimum": "50000"}], "sources": []})
        Traceback (most recent call last):
        ...
        calculators.errors.CalculatorInputError: bands[1].minimum='50000' is not allowed: an amount above the previous band's minimum (500000.00)
        """
        if not isinstance(data, Mapping):
            raise _fail("overdraft_rules", data, "a mapping {collections_required, min_gap_days, months_after, bands, history, sources}")
        required = _positive_int(data.get("collections_required"), "collections_required")
        if required != 2:
            raise _fail("collections_required", required, "2 (the tracker pairs two collections, 法释〔2009〕19号第六条)")
        history = []
        for i, item in enumerate(data.get("history") or ()):
            if not isinstance(item, Mapping):
                raise _fail(f"history[{i}]", item, "a mapping {version, bands}")
            history.append((_text(item.get("version"), f"history[{i}].version"), _bands(item.get("bands"), f"history[{i}].bands")))
        return cls(
            collections_required=required,
            # (input-domain bounds, not rules: ten years, beyond any rule's window; larger values overflowed the dates)
            min_gap_days=_positive_int(data.get("min_gap_days"), "min_gap_days", maximum=3660),
            months_after=_positive_int(data.get("months_after"), "months_after", maximum=120),
            bands=_bands(data.get("bands"), "bands"),
            history=tuple(history),
            sources=_sources(data.get("sources"), "sources"),
        )


def _bands(value: Any, where: str) -> tuple[AmountBand, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _fail(where, value, "a list of {name, minimum}")
    bands: list[AmountBand] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise _fail(f"{where}[{i}]", item, "a mapping {name, minimum}")
        try:
            get: Any = item.get  # whatever the values are: __post_init__ checks them
            band = AmountBand(get("name"), get("minimum"))
        except CalculatorInputError as err:  # name the band: bands[1].minimum
            raise CalculatorInputError(f"{where}[{i}].{err.field}", err.value, err.allowed, allowed_zh=err.allowed_zh) from None
        if bands and band.minimum <= bands[-1].minimum:
            raise _fail(f"{where}[{i}].minimum", item.get("minimum"), f"an amount above the previous band's minimum ({bands[-1].minimum})")
        bands.append(band)
    if not bands:
        raise _fail(where, value, "at least one band")
    return tuple(bands)


@dataclass(frozen=True)
class Collection:
    """One collection in the log.

    ``day``: when it reached the cardholder.  ``receipt_proved``: a recording,
    delivery record, receipt or signature proves receipt.  ``cardholder_evaded``:
    the cardholder deliberately evaded collection (第七条's exception, needs
    evidence).  ``compliant``: made under the rules and the card agreement.

    >>> Collection(date(2026, 3, 1), "letter", receipt_proved=True).to_dict()["day"]
    '2026-03-01'
    """

    day: date
    method: str
    receipt_proved: bool
    cardholder_evaded: bool = False
    compliant: bool = True
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["day"] = self.day.isoformat()
        return data


def _collection(item: Any, where: str) -> Collection:
    if isinstance(item, Mapping):
        names = {f.name for f in fields(Collection)}
        unknown = sorted(set(item) - names, key=str)
        if unknown:
            raise _fail(f"{where}.{unknown[0]}", unknown[0], "one of: " + ", ".join(sorted(names)),
                        "一条催收记录只能有这些键：" + "、".join(sorted(names)))
        get: Any = item.get  # the values are checked just below, whatever they are
        item = Collection(get("day"), get("method"), get("receipt_proved"),
                          get("cardholder_evaded", False), get("compliant", True), get("note") or "")
    if not isinstance(item, Collection):
        raise _fail(where, item, "a Collection or a mapping {day, method, receipt_proved, cardholder_evaded, compliant, note}",
                    "催收记录（日期、方式、是否能证明收悉等）")
    day = to_date(item.day, f"{where}.day")
    method = _text(item.method, f"{where}.method")
    for name in ("receipt_proved", "cardholder_evaded", "compliant"):
        _bool(getattr(item, name), f"{where}.{name}")
    if not isinstance(item.note, str):
        raise _fail(f"{where}.note", item.note, "a text")
    return Collection(day, method, item.receipt_proved, item.cardholder_evaded, item.compliant, item.note)


@dataclass(frozen=True)
class OverdraftExposure:
    """What the log shows.  ``excluded`` lists (index, reason) for collections that do not count.

    ``window_end`` is the last day of the three months after the second
    effective collection; ``exceeded_from`` the first day beyond it;
    ``window_passed`` whether ``as_of`` is on or after ``exceeded_from``
    (``None`` when no ``as_of`` was given or there is no window).
    """

    has_two_effective_collections: bool
    first: Collection | None
    second: Collection | None
    first_index: int | None
    second_index: int | None
    gap_days: int | None
    window_end: date | None
    exceeded_from: date | None
    window_passed: bool | None
    unpaid_principal: Decimal
    band: str | None
    band_minimum: Decimal | None
    counted: tuple[int, ...]
    excluded: tuple[tuple[int, str], ...]
    disclaimer: str = DISCLAIMER
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "has_two_effective_collections": self.has_two_effective_collections,
            "first": self.first.to_dict() if self.first else None,
            "second": self.second.to_dict() if self.second else None,
            "first_index": self.first_index,
            "second_index": self.second_index,
            "gap_days": self.gap_days,
            "window_end": self.window_end.isoformat() if self.window_end else None,
            "exceeded_from": self.exceeded_from.isoformat() if self.exceeded_from else None,
            "window_passed": self.window_passed,
            "unpaid_principal": str(self.unpaid_principal),
            "band": self.band,
            "band_minimum": str(self.band_minimum) if self.band_minimum is not None else None,
            "counted": list(self.counted),
            "excluded": [[index, reason] for index, reason in self.excluded],
            "disclaimer": self.disclaimer,
            "sources": list(self.sources),
        }


def _check_rules(rules: Any) -> OverdraftRules:
    if not isinstance(rules, OverdraftRules):
        raise _fail("rules", type(rules).__name__, "an OverdraftRules object (procedures.rules.overdraft_rules() or OverdraftRules.from_dict)",
                    "由 overdraft_rules() 或 OverdraftRules.from_dict() 得到的规则对象")
    return rules


def amount_band(unpaid_principal: Any, rules: OverdraftRules) -> AmountBand | None:
    """The amount band for an unpaid principal (yuan), or ``None`` below the lowest band.

    >>> from procedures.rules import overdraft_rules
    >>> rules = overdraft_rules()
    >>> amount_band("49999.99", rules) is None, amount_band("50000", rules).name
    (True, '数额较大')
    """
    principal = to_amount(unpaid_principal, "unpaid_principal")
    band = None
    for candidate in _check_rules(rules).bands:
        if principal >= candidate.minimum:
            band = candidate
    return band


def overdraft_exposure(collections: Iterable[Any], unpaid_principal: Any, rules: OverdraftRules, *,
                       overdue_since: Any, as_of: Any = None) -> OverdraftExposure:
    """Check a collection log for two effective collections, the three-month end date and the amount band.

    ``collections``: :class:`Collection` objects or mappings of their fields,
    in any order.  ``unpaid_principal``: the actually overdrawn principal not
    yet repaid, in yuan (interest, 违约金 and fees excluded, 第九条).
    ``overdue_since``: the first day the overdraft was beyond the limit or the
    term.  ``as_of`` (optional): the date to compare with the end of the three
    months; collections dated after it are left out and reported in ``excluded``.

    >>> from procedures.rules import overdraft_rules
    >>> log = [Collection(date(2026, 3, 1), "phone", receipt_proved=True),
    ...        Collection(date(2026, 3, 20), "letter", receipt_proved=False),
    ...        Collection(date(2026, 3, 31), "letter", receipt_proved=True)]
    >>> result = overdraft_exposure(log, "52000.00", overdraft_rules(), overdue_since="2026-02-10", as_of="2026-07-01")
    >>> result.has_two_effective_collections, result.gap_days, result.window_end, result.exceeded_from
    (True, 30, datetime.date(2026, 6, 30), datetime.date(2026, 7, 1))
    >>> result.window_passed, result.band, result.excluded
    (True, '数额较大', ((1, '无法证明持卡人收悉'),))
    >>> result.disclaimer.startswith("本工具只核对可计数的事实")
    True
    """
    rules = _check_rules(rules)
    principal = to_amount(unpaid_principal, "unpaid_principal")
    start = to_date(overdue_since, "overdue_since")
    today = to_date(as_of, "as_of") if as_of is not None else None
    if today is not None and today < start:  # (nothing can have been collected yet: a check date mixed up with another)
        raise CalculatorInputError("as_of", as_of, f"a date on or after overdue_since ({start.isoformat()})",
                                   allowed_zh=f"不早于逾期起始日（{start.isoformat()}）的日期")
    if isinstance(collections, (str, bytes, Mapping)) or not isinstance(collections, Iterable):
        raise _fail("collections", collections, "a list of collections", "催收记录列表")
    log = [_collection(item, f"collections[{i}]") for i, item in enumerate(collections)]
    counted: list[int] = []
    excluded: list[tuple[int, str]] = []
    for index, item in enumerate(log):
        reasons = []
        if item.day < start:
            reasons.append(f"早于透支超过限额或期限之日（{start.isoformat()}）")
        if today is not None and item.day > today:
            reasons.append(f"晚于核对日期（{today.isoformat()}），核对时尚未发生")
        if not (item.receipt_proved or item.cardholder_evaded):
            reasons.append("无法证明持卡人收悉")
        if not item.compliant:
            reasons.append("不符合催收规定或约定")
        if reasons:
            excluded.append((index, "；".join(reasons)))
        else:
            counted.append(index)
    counted.sort(key=lambda i: (log[i].day, i))
    first_index = second_index = None
    if counted:
        first_index = counted[0]
        for index in counted[1:]:
            if (log[index].day - log[first_index].day).days >= rules.min_gap_days:
                second_index = index
                break
    band = amount_band(principal, rules)
    found = second_index is not None
    first = log[first_index] if first_index is not None else None
    second = log[second_index] if second_index is not None else None
    window_end = add_months(second.day, rules.months_after) if second else None
    if second is not None and window_end is not None and window_end > MAX_DATE:  # (the project's dates end at MAX_DATE)
        raise CalculatorInputError(f"collections[{second_index}].day", second.day,
                                   f"a date whose {rules.months_after} months end by {MAX_DATE}",
                                   allowed_zh=f"其后 {rules.months_after} 个月在 {MAX_DATE} 之前届满的日期")
    exceeded_from = window_end + timedelta(days=1) if window_end else None
    return OverdraftExposure(
        has_two_effective_collections=found,
        first=first if found else None,
        second=second,
        first_index=first_index if found else None,
        second_index=second_index,
        gap_days=(second.day - first.day).days if second and first else None,
        window_end=window_end,
        exceeded_from=exceeded_from,
        window_passed=(today >= exceeded_from) if today is not None and exceeded_from is not None else None,
        unpaid_principal=principal,
        band=band.name if band else None,
        band_minimum=band.minimum if band else None,
        counted=tuple(sorted(counted)),
        excluded=tuple(excluded),
        sources=tuple(s.text for s in rules.sources),
    )
