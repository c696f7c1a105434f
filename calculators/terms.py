"""Terms profiles: one issuer's identity and card terms as validated, cited, dated values.

A profile is a YAML file in ``calculators/profiles/`` (or anywhere, given a
path).  Its header names the issuer (``issuer``, ``issuer_short``, ``hotlines``,
``app``, ``complaint_channel``, ``footer``; see :data:`IDENTITY_KEYS`), which the
handbook's ``⟦issuer⟧``-style tokens print.  Every value carries its source, its
effective date and a confidence grade (H/M/L, as in the project's domain-facts
sheet), so a page that prints a figure can also print where it comes from.  A
value that changed over time is a list of such entries, oldest first, as
OpenFisca keeps legislation parameters: :meth:`Terms.at` gives the terms in
force on a date, and the calculators call it with the statement date.  A bank
adapts the handbook by copying a profile and editing it; no code changes.

Each value is declared once, as a field of :class:`Terms` with its kind,
labels and range (:data:`FIELD_SPECS` is derived from those fields).  Keys the
format does not know are errors, never ignored.

The :class:`Terms` object and :meth:`Terms.from_dict` use the standard library
only, so the same code validates profiles in the browser runtime (where the
profile arrives as JSON).  :func:`load_terms` adds YAML reading and line numbers.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from .datafile import KEY_LINE, line_of
from .dates import MAX_DATE, to_date
from .errors import CalculatorInputError
from .issuer import IDENTITY_KEYS, identity as _identity
from .money import DECIMAL_TEXT, ROUNDING_RULES

__all__ = [
    "Citation",
    "Dated",
    "FieldSpec",
    "FIELD_SPECS",
    "IDENTITY_KEYS",
    "Terms",
    "load_terms",
    "bundled_profiles",
    "handbook_terms",
    "PROFILE_DIR",
    "PROFILE_ENV",
    "DEFAULT_PROFILE",
    "selected_profile",
]

PROFILE_DIR = Path(__file__).with_name("profiles")
#: Environment variable that selects the handbook's profile at build time.
PROFILE_ENV = "HANDBOOK_PROFILE"
#: The profile used when none is selected: the only place the default issuer is named.
DEFAULT_PROFILE = "cmb"


@dataclass(frozen=True)
class Citation:
    """Where a profile value comes from."""

    source: str
    effective: date | None
    confidence: str
    note: str = ""

    def __str__(self) -> str:
        when = f"，自 {self.effective.isoformat()} 起" if self.effective else ""
        return f"{self.source}{when}（可信度 {self.confidence}）"


@dataclass(frozen=True)
class FieldSpec:
    """What one profile value means and which values are allowed."""

    name: str
    kind: str  # rate | optional_rate | amount | optional_amount | int | bool | choice | rate_table
    zh: str  # label shown in the handbook
    en: str  # meaning, for code readers
    choices: tuple[str, ...] = ()
    low: Decimal | int = 0
    high: Decimal | int | None = None


_RULES = tuple(ROUNDING_RULES)


def _value(kind: str, zh: str, en: str, *, choices: tuple[str, ...] = (), low: Decimal | int = 0,
           high: Decimal | int | None = None) -> Any:
    """Declare one profile value on :class:`Terms`: its kind, labels and allowed range (the one declaration)."""
    return field(metadata={"spec": {"kind": kind, "zh": zh, "en": en, "choices": choices, "low": low, "high": high}})


@dataclass(frozen=True)
class Dated:
    """One entry of a profile value: the value and its citation; ``citation.effective`` is the date it applies
    from (``None``: it applies on every date)."""

    value: Any
    citation: Citation

    @property
    def effective(self) -> date | None:
        return self.citation.effective


def _in_force(entries: tuple[Dated, ...], day: date | None) -> Dated | None:
    """The entry in force on ``day`` (the latest entry when ``day`` is None); None before the earliest entry."""
    if day is None:
        return entries[-1]
    found = None
    for entry in entries:  # oldest first
        if entry.effective is None or entry.effective <= day:
            found = entry
    return found


@dataclass(frozen=True)
class Terms:
    """One issuer's terms, each value typed, validated and cited, possibly with dated entries.

    Build one with :func:`load_terms` (YAML) or :meth:`Terms.from_dict`
    (already-parsed data, e.g. JSON in the browser).  The attributes hold the
    values of the **latest** entries (today's terms); :meth:`at` gives the terms
    in force on a date, which the calculators call with the statement date.

    >>> cmb = load_terms("cmb")
    >>> cmb.daily_rate, cmb.late_fee_min, cmb.late_fee_max
    (Decimal('0.0005'), Decimal('10.00'), None)
    >>> cmb.cite("tolerance").confidence
    'M'
    >>> cmb.at("2016-12-31").late_fee_name, cmb.at("2016-12-31").late_fee_min, cmb.at("2017-01-01").late_fee_min
    ('滞纳金', None, Decimal('10.00'))
    """

    code: str
    issuer: str
    label: str
    currency: str
    issuer_short: str
    hotlines: tuple[str, ...]
    app: str
    complaint_channel: str
    footer: str
    identity_source: str
    daily_rate: Decimal = _value(
        "rate", "透支日利率", "daily interest rate on revolving balances", low=Decimal(0), high=Decimal("0.01"))
    daily_rate_cap: Decimal | None = _value(
        "optional_rate", "透支日利率上限（监管）", "regulatory ceiling of the daily rate; null when rates are freely agreed",
        low=Decimal(0), high=Decimal("0.01"))
    interest_basis: str = _value(
        "choice", "计息方式", "full_balance: every purchase bears interest from its posting date once the statement is not "
        "paid in full; unpaid_only: only the part unpaid at the due date bears interest", choices=("full_balance", "unpaid_only"))
    payment_effective: str = _value(
        "choice", "还款当日计息口径", "same_day: a repayment reduces the interest-bearing balance from its own date; "
        "next_day: from the following day", choices=("same_day", "next_day"))
    compounding: str = _value(
        "choice", "复利", "monthly: billed, unpaid interest bears interest in later cycles; none: only principal does",
        choices=("monthly", "none"))
    interest_rounding: str = _value("choice", "利息舍入规则", "rounding of each cycle's interest to the fen", choices=_RULES)
    grace_days: int = _value(
        "int", "还款宽限期（天）", "calendar days after the due date in which a payment still counts as on time", low=0, high=31)
    grace_keeps_interest_free: bool = _value(
        "bool", "宽限期内还清是否免息", "whether paying in full within the grace days also keeps the interest-free period")
    tolerance: Decimal = _value(
        "amount", "容差还款金额（元）", "unpaid statement amount up to which the statement counts as paid in full",
        low=Decimal(0), high=Decimal(1000))
    due_days_after_statement: int = _value(
        "int", "账单日至到期还款日天数", "days from the statement date to the due date (before the next statement date, "
        "even in February)", low=1, high=27)
    late_fee_name: str = _value(
        "choice", "逾期费用名称", "what the charge for an unmet minimum is called: 滞纳金 (regulated, until 2016) or "
        "违约金 (set by the card agreement, from 2017-01-01)", choices=("违约金", "滞纳金"))
    late_fee_rate: Decimal = _value(
        "rate", "违约金比例", "违约金 as a fraction of the unpaid part of the minimum payment", low=Decimal(0), high=Decimal("0.2"))
    late_fee_min: Decimal | None = _value(
        "optional_amount", "违约金下限（元）", "smallest 违约金 charged in a cycle; null for none",
        low=Decimal(0), high=Decimal(10000))
    late_fee_max: Decimal | None = _value(
        "optional_amount", "违约金上限（元）", "largest 违约金 charged in a cycle; null for no cap",
        low=Decimal(0), high=Decimal(100000))
    late_fee_rounding: str = _value("choice", "违约金舍入规则", "rounding of the 违约金 to the fen", choices=_RULES)
    min_payment_general_ratio: Decimal = _value(
        "rate", "最低还款额：一般交易款比例", "share of general transactions (purchases, cash-advance principal) in the "
        "minimum payment", low=Decimal(0), high=Decimal(1))
    min_payment_installment_ratio: Decimal = _value(
        "rate", "最低还款额：本期分期应还比例", "share of this period's installment amounts", low=Decimal(0), high=Decimal(1))
    min_payment_past_due_ratio: Decimal = _value(
        "rate", "最低还款额：上期最低还款额未还部分比例", "share of the previous statement's unpaid minimum",
        low=Decimal(0), high=Decimal(1))
    min_payment_over_limit_ratio: Decimal = _value(
        "rate", "最低还款额：超限金额比例", "share of the over-limit amount", low=Decimal(0), high=Decimal(1))
    min_payment_fees_ratio: Decimal = _value(
        "rate", "最低还款额：费用（含违约金）比例", "share of fees including 违约金", low=Decimal(0), high=Decimal(1))
    min_payment_interest_ratio: Decimal = _value(
        "rate", "最低还款额：利息比例", "share of interest", low=Decimal(0), high=Decimal(1))
    min_payment_rounding: str = _value(
        "choice", "最低还款额舍入规则", "rounding of the proportional parts of the minimum payment", choices=_RULES)
    installment_fee_min: Decimal = _value(
        "amount", "分期手续费每期下限（元）", "smallest installment fee per period when the fee rate is above zero",
        low=Decimal(0), high=Decimal(1000))
    installment_fee_rounding: str = _value("choice", "分期手续费舍入规则", "rounding of the per-period fee", choices=_RULES)
    installment_principal_rounding: str = _value(
        "choice", "分期本金舍入规则", "rounding of the equal principal part per period", choices=_RULES)
    installment_remainder: str = _value(
        "choice", "分期本金尾差所在期", "which period absorbs the rounding remainder of the principal", choices=("last", "first"))
    installment_max_periods: int = _value("int", "分期最长期数", "longest card installment plan", low=1, high=120)
    early_payoff: str = _value(
        "choice", "提前还款规则", "what an early payoff costs: remaining principal plus all remaining fees, plus the next "
        "fee only, or principal only", choices=("principal_and_all_remaining_fees", "principal_and_next_fee", "principal_only"))
    installment_rates: Mapping[int, Decimal] = _value(
        "rate_table", "账单分期每期手续费率", "published bill-installment fee rate per period, by number of periods",
        low=Decimal(0), high=Decimal("0.1"))
    cash_installment_rates: Mapping[int, Decimal] = _value(
        "rate_table", "现金分期每期手续费率", "published cash-installment fee rate per period, by number of periods",
        low=Decimal(0), high=Decimal("0.1"))
    negotiated_max_periods: int = _value(
        "int", "个性化分期最长期数", "longest personalised installment agreement (个性化分期)", low=1, high=120)
    payment_order_principal_first_after_days: int = _value(
        "int", "还款冲抵顺序转为先本金的逾期天数", "days past due above which repayments go to principal first (before: "
        "interest and fees first)", low=0, high=3650)
    #: The citation of each value as shown (the entry in force on ``as_of``, or the latest).
    citations: Mapping[str, Citation] = field(repr=False)  # type: ignore[misc]  # the values above have no default: _value() is field(metadata=...)
    #: Every entry of every value, oldest first (a value set directly applies on every date).
    history: Mapping[str, tuple[Dated, ...]] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    #: The date the values are in force on (None: the latest entries).
    as_of: date | None = None

    def __post_init__(self) -> None:
        # Every construction path (from_dict, at, dataclasses.replace, direct) gets the same checks and the
        # same typed values, so a modified Terms can never carry a value the calculators would misread.
        raw = object.__getattribute__  # a dated view's missing values are read here without raising
        history = dict(self.history)
        citations = dict(self.citations)
        gaps: dict[str, date] = {}
        for spec in FIELD_SPECS:
            value = _convert(spec, raw(self, spec.name), spec.name)
            object.__setattr__(self, spec.name, value)
            entries = history.get(spec.name)
            current = _in_force(entries, self.as_of) if entries else None
            if entries and current is None:
                first = entries[0].effective
                assert first is not None  # an undated entry is in force on every date
                gaps[spec.name] = first  # no entry in force on as_of: see at()
            elif current is None or current.value != value:  # set directly (dataclasses.replace): applies on every date
                cited = citations.get(spec.name) or Citation("set in code", None, "L")
                citations[spec.name] = Citation(cited.source, None, cited.confidence, cited.note)
                history[spec.name] = (Dated(value, citations[spec.name]),)
        object.__setattr__(self, "history", MappingProxyType(history))
        object.__setattr__(self, "citations", MappingProxyType(citations))
        if gaps and not isinstance(self, _TermsWithGaps):
            name = next(iter(gaps))
            raise _before_earliest(self, name, gaps[name], "as_of")
        for low, high in _ORDERED:
            low_value, high_value = raw(self, low), raw(self, high)
            if low in gaps or high in gaps or low_value is None or high_value is None or low_value <= high_value:
                continue
            raise CalculatorInputError(f"values.{low}.value", low_value, f"at most {high} ({high_value})",
                                       allowed_zh=f"不大于{_SPEC_BY_NAME[high].zh} {high_value}")

    def cite(self, name: str) -> Citation:
        """The citation for the value ``name`` (raises ``KeyError`` for an unknown name)."""
        return self.citations[name]

    def entries(self, name: str) -> tuple[Dated, ...]:
        """Every entry of the value ``name``, oldest first.

        >>> [(e.effective.isoformat(), e.value) for e in load_terms("cmb").entries("late_fee_name")]
        [('1999-03-01', '滞纳金'), ('2017-01-01', '违约金')]
        """
        return self.history[name]

    def at(self, day: Any, *, date_field: str = "statement_date") -> "Terms":
        """The terms in force on ``day`` (a date or ``YYYY-MM-DD``): each value from its entry in force then.

        A value whose earliest entry is later than ``day`` has no value on that
        day: reading it raises :class:`CalculatorInputError` naming the value,
        the date and the earliest date (values the computation does not read do
        not matter).  ``date_field`` names the argument the date came from.
        When every latest entry is in force on ``day`` the result is these terms
        themselves.  The calculators call this with the statement date of the
        cycle a charge belongs to (:func:`calculators.late_fee`,
        :func:`calculators.overdue_projection`, :func:`calculators.revolving_interest`).

        >>> cmb = load_terms("cmb")
        >>> cmb.at("2016-12-31").late_fee_rate, cmb.at("2020-12-31").daily_rate_cap, cmb.at("2021-01-01").daily_rate_cap
        (Decimal('0.05'), Decimal('0.0005'), None)
        >>> cmb.at("1999-02-28").late_fee_rate  # doctest: +NORMALIZE_WHITESPACE
        Traceback (most recent call last):
        ...
        calculators.errors.CalculatorInputError: statement_date='1999-02-28' is not allowed:
        a date on or after 1999-03-01: the earliest entry of late_fee_rate in profile cmb
        """
        if type(day) is date and self.as_of is None and self._latest_since() <= day <= MAX_DATE:
            return self  # every latest entry is in force: the terms are today's (the common case, no copy)
        when = to_date(day, date_field)
        if self.as_of is None and when >= self._latest_since():
            return self
        values: dict[str, Any] = {}
        citations: dict[str, Citation] = {}
        gaps = False
        for spec in FIELD_SPECS:
            entries = self.history[spec.name]
            entry = _in_force(entries, when)
            if entry is None:
                gaps, entry = True, entries[0]  # a placeholder: reading it raises
            values[spec.name], citations[spec.name] = entry.value, entry.citation
        for low, high in _ORDERED:  # checked on every change date at load; a value set in code may still clash
            low_value, high_value = values[low], values[high]
            if low_value is not None and high_value is not None and low_value > high_value:
                raise CalculatorInputError(f"values.{low}.value", low_value, f"at most {high} ({high_value}) on {when}",
                                           allowed_zh=f"不大于{_SPEC_BY_NAME[high].zh} {high_value}（{when}）")
        # The entries were validated when the profile was read: set the fields without converting them again.
        view = object.__new__(_TermsWithGaps if gaps else Terms)
        for key in IDENTITY_KEYS:
            object.__setattr__(view, key, getattr(self, key))
        for name, value in values.items():
            object.__setattr__(view, name, value)
        for name, value in (("citations", MappingProxyType(citations)), ("history", self.history), ("as_of", when),
                            ("date_field", date_field)):
            object.__setattr__(view, name, value)
        return view

    def _latest_since(self) -> date:
        """The date from which every value's latest entry is in force (computed once per object)."""
        cached = self.__dict__.get("_latest_since_cache")
        if cached is None:
            dates = [entries[-1].effective for entries in self.history.values() if entries[-1].effective is not None]
            cached = max(dates, default=date.min)
            object.__setattr__(self, "_latest_since_cache", cached)
        return cached

    @classmethod
    def from_dict(cls, data: Any, *, origin: str = "<dict>", lines: Mapping[tuple[Any, ...], int] | None = None) -> "Terms":
        """Validate parsed profile data (the YAML or JSON structure) into :class:`Terms`.

        ``lines`` (key path to line number) lets errors name the line in the file.
        A key the profile format does not know is an error, never ignored.

        >>> Terms.from_dict({"code": "x"})
        Traceback (most recent call last):
        ...
        calculators.errors.CalculatorInputError: <dict>:1: issuer=None is not allowed: a non-empty text: the issuer's full name, e.g. 招商银行
        """
        def where(*path: Any) -> str:  # the line of the key itself when known, else of the deepest known parent
            known = lines or {}
            return f"{origin}:{known.get((KEY_LINE, *path)) or line_of(known, path)}"

        if not isinstance(data, Mapping):
            raise CalculatorInputError("profile", type(data).__name__, "a mapping with code, issuer, label, currency and values",
                                     allowed_zh="含 code、issuer、label、currency 和 values 的映射", location=where())
        _no_unknown_keys(data, (*IDENTITY_KEYS, "values"), "", where, ())
        header = _identity(data, where)
        _known_tokens(header, where)
        values = data.get("values")
        if not isinstance(values, Mapping):
            raise CalculatorInputError("values", values, "a mapping of value names to {value, source, effective, confidence}",
                                     allowed_zh="取值名到 {value, source, effective, confidence} 的映射", location=where("values"))
        _no_unknown_keys(values, tuple(_SPEC_BY_NAME), "values.", where, ("values",))
        history: dict[str, tuple[Dated, ...]] = {}
        for spec in FIELD_SPECS:
            history[spec.name] = _entries(spec, values.get(spec.name), where)
        latest = {name: entries[-1] for name, entries in history.items()}
        for low, high in _ORDERED:  # each pair in order on every date either of them changes
            for day, low_entry, high_entry in _both_in_force(history, low, high):
                if low_entry.value > high_entry.value:
                    raise CalculatorInputError(f"values.{low}.value", low_entry.value, f"at most {high} ({high_entry.value}){_on(day)}",
                                               allowed_zh=f"不大于{_SPEC_BY_NAME[high].zh} {high_entry.value}",
                                               location=where(*_entry_path(history, low, low_entry)))
        for table, limit in _PRESET_LIMITS:  # every preset within the limit in force on each date either changes
            for day, table_entry, limit_entry in _both_in_force(history, table, limit):
                over = [periods for periods in table_entry.value if periods > limit_entry.value]
                if over:
                    raise CalculatorInputError(f"values.{table}.value", over[0], f"at most {limit} ({limit_entry.value}) periods{_on(day)}",
                                               allowed_zh=f"期数不大于{_SPEC_BY_NAME[limit].zh} {limit_entry.value}",
                                               location=where(*_entry_path(history, table, table_entry)))
        return cls(**header, **{name: entry.value for name, entry in latest.items()},
                   citations=MappingProxyType({name: entry.citation for name, entry in latest.items()}),
                   history=MappingProxyType(history))

    def to_dict(self) -> dict[str, Any]:
        """The profile as JSON-ready data (decimals as strings), every dated entry included; ``from_dict`` reads it back.

        >>> cmb = load_terms("cmb")
        >>> Terms.from_dict(cmb.to_dict()) == cmb
        True
        """
        values: dict[str, Any] = {}
        for spec in FIELD_SPECS:
            rows = [_entry_dict(entry) for entry in self.history[spec.name]]
            values[spec.name] = rows[0] if len(rows) == 1 else rows
        identity = {key: getattr(self, key) for key in IDENTITY_KEYS}
        identity["hotlines"] = list(self.hotlines)
        return {**identity, "values": values}


class _TermsWithGaps(Terms):
    """The terms on a date before the earliest entry of some values: reading one of those raises."""

    def __getattribute__(self, name: str) -> Any:
        if name in _SPEC_BY_NAME:
            history = object.__getattribute__(self, "history")
            as_of = object.__getattribute__(self, "as_of")
            if _in_force(history[name], as_of) is None:
                raise _before_earliest(self, name, history[name][0].effective,
                                       object.__getattribute__(self, "__dict__").get("date_field", "as_of"))
        return object.__getattribute__(self, name)

    def __repr__(self) -> str:
        return f"Terms(code={self.code!r}, as_of={self.as_of!r}, values before the earliest entry not shown)"


def _both_in_force(history: Mapping[str, tuple[Dated, ...]], first: str, second: str) -> Iterator[tuple[date | None, Dated, Dated]]:
    """(day, entry of ``first``, entry of ``second``) in force on each date either changes (one undated check if neither
    is dated), where both have a value set."""
    days: list[date | None] = [*sorted({e.effective for e in history[first] + history[second] if e.effective is not None})]
    for day in days or [None]:
        first_entry, second_entry = _in_force(history[first], day), _in_force(history[second], day)
        if first_entry and second_entry and None not in (first_entry.value, second_entry.value):
            yield day, first_entry, second_entry


def _on(day: date | None) -> str:
    """The date a clash of dated entries is reported on (nothing for undated ones)."""
    return f" (entries in force on {day})" if day else ""


def _entry_path(history: Mapping[str, tuple[Dated, ...]], name: str, entry: Dated) -> tuple[Any, ...]:
    """The key path of ``entry`` of ``name`` in the profile file (its line is reported)."""
    entries = history[name]
    return ("values", name, entries.index(entry), "value") if len(entries) > 1 else ("values", name, "value")


def _before_earliest(terms: Terms, name: str, earliest: date | None, date_field: str) -> CalculatorInputError:
    as_of = object.__getattribute__(terms, "as_of")
    code = object.__getattribute__(terms, "code")
    zh = _SPEC_BY_NAME[name].zh
    return CalculatorInputError(
        date_field, as_of.isoformat(),
        f"a date on or after {earliest}: the earliest entry of {name} in profile {code}",
        allowed_zh=f"{earliest} 或以后的日期（条款配置 {code} 的“{zh}”最早一条自 {earliest} 起，"
                   f"{as_of.isoformat()} 没有适用的值）")


#: The most decimal places a profile's number may have (the bundled rates have at most 5).
MAX_DECIMAL_PLACES = 12


#: A placeholder in a profile's texts (``⟦late_fee_rate⟧``, ``⟦late_fee:3000⟧``), filled when a page is built.
_TOKEN = re.compile(r"⟦([^⟦⟧]*)⟧")


def _known_tokens(header: Mapping[str, Any], where: Any) -> None:
    """Refuse a placeholder in the header's texts that no page can fill (a misspelt ``⟦isuer⟧`` used to pass
    ``make check-data`` and fail the build in a page, far from the profile's line).  The identity tokens are filled by
    :func:`calculators.issuer.identity` already; what is left must name a value (:data:`FIELD_SPECS`), ``late_fee_bounds``
    or ``late_fee:N``."""
    known = sorted({spec.name for spec in FIELD_SPECS} | {"late_fee_bounds"})
    for key, text in header.items():
        if not isinstance(text, str):
            continue
        for token in _TOKEN.finditer(text):
            name = token.group(1)
            if name in known or re.fullmatch(r"late_fee:[0-9]+(?:\.[0-9]{1,2})?", name):
                continue
            raise CalculatorInputError(key, token.group(), "a known placeholder: ⟦issuer⟧, ⟦issuer_short⟧, ⟦hotline⟧, "
                                       "⟦hotlines⟧, ⟦app⟧, ⟦late_fee:N⟧ or a value's name: " + ", ".join(known),
                                       allowed_zh="已知的占位符：⟦issuer⟧、⟦issuer_short⟧、⟦hotline⟧、⟦hotlines⟧、⟦app⟧、"
                                                  "⟦late_fee:N⟧ 或取值名：" + "、".join(known), location=where(key))


def _convert(spec: FieldSpec, raw: Any, where: str) -> Any:
    """Turn one raw profile value (YAML or JSON) into its typed value, or raise."""

    def fail(allowed: str, allowed_zh: str) -> CalculatorInputError:
        return CalculatorInputError(where, raw, allowed, allowed_zh=allowed_zh)

    def decimal_in(value: Any, low: Any, high: Any) -> Decimal:
        allowed = f"a decimal number from {low} to {high} (write it as a string or a decimal literal)"
        allowed_zh = f"{low} 至 {high} 之间的数"
        if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
            raise fail(allowed, allowed_zh)
        if isinstance(value, str):
            value = value.strip()  # (' 10.00' quoted with a space: Decimal() always read it so)
            if not DECIMAL_TEXT.fullmatch(value):  # Decimal() would read "1_0" and "１０" too
                raise fail(allowed + ", in ASCII digits with at most one decimal point (no _, commas, inner spaces, "
                           "full-width or other digits)",
                           allowed_zh + "，只用半角数字和至多一个小数点书写（不用下划线、逗号、中间的空格、全角或其他文字的数字）")
        try:
            number = Decimal(value)  # exact for int, str and Decimal (str() of a huge int would raise)
        except (ArithmeticError, ValueError):
            raise fail(allowed, allowed_zh) from None
        if number.is_finite() and number.as_tuple().exponent < -MAX_DECIMAL_PLACES:  # type: ignore[operator]
            # ("1e-5000" is in range, and would be carried into forms as 5,000 characters)
            raise fail(allowed + f", with at most {MAX_DECIMAL_PLACES} decimal places",
                       allowed_zh + f"，最多 {MAX_DECIMAL_PLACES} 位小数")
        if number.is_zero():
            number = number.copy_abs()  # ("-0.0" is zero: shown as 0, never as -0)
        if not number.is_finite() or not (Decimal(low) <= number <= Decimal(high)):
            if kind in ("rate", "optional_rate") and number.is_finite() and Decimal(high) < number <= 100 and Decimal(high) < 1:
                # a rate written as a percent ("5" for 5 %, "0.72" for 0.72 %): say how it is written
                raise fail(allowed + f"; a rate is a fraction: {number} % is written {number / 100}",
                           allowed_zh + f"；费率写成小数：{number}% 应写作 {number / 100}")
            raise fail(allowed, allowed_zh)
        return number

    kind = spec.kind
    if kind in ("rate", "optional_rate"):
        if raw is None and kind == "optional_rate":
            return None
        return decimal_in(raw, spec.low, spec.high)
    if kind in ("amount", "optional_amount"):
        if raw is None and kind == "optional_amount":
            return None
        number = decimal_in(raw, spec.low, spec.high)
        if number != number.quantize(Decimal("0.01")):
            raise fail("an amount in yuan with at most 2 decimal places", "金额最多两位小数")
        return number.quantize(Decimal("0.01"))
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int) or not (spec.low <= raw and (spec.high is None or raw <= spec.high)):
            raise fail(f"a whole number from {spec.low} to {spec.high}", f"{spec.low} 至 {spec.high} 的整数")
        return raw
    if kind == "bool":
        if not isinstance(raw, bool):
            raise fail("true or false", "true 或 false")
        return raw
    if kind == "choice":
        if not isinstance(raw, str) or raw not in spec.choices:
            raise fail("one of " + ", ".join(spec.choices), "以下之一：" + "、".join(spec.choices))
        return raw
    if kind == "rate_table":
        if not isinstance(raw, Mapping):  # may be empty: no published presets for this issuer
            raise fail("a mapping of periods to per-period fee rates, e.g. {12: '0.0066'} (or {} for none)", "期数到每期费率的映射（无公开费率时填 {}）")
        table = {}
        for periods, rate in raw.items():
            key = int(periods) if isinstance(periods, str) and re.fullmatch(r"[0-9]{1,6}", periods) else periods
            if isinstance(key, bool) or not isinstance(key, int) or key < 1:
                raise CalculatorInputError(f"{where}[{periods!r}]", periods, "a whole number of periods ≥ 1", allowed_zh="期数须为正整数")
            if key in table:  # (3 and '3' are one number of periods: never silently merged)
                raise CalculatorInputError(f"{where}[{periods!r}]", periods, f"each number of periods once ({key} is given twice)",
                                           allowed_zh=f"每个期数只写一次（{key} 期写了两次）")
            table[key] = _convert(FieldSpec(spec.name, "rate", spec.zh, spec.en, low=spec.low, high=spec.high), rate, f"{where}[{key}]")
            if table[key] >= _RATE_TABLE_BELOW:
                raise CalculatorInputError(f"{where}[{key}]", rate, f"a rate below {_RATE_TABLE_BELOW} (what the installment calculator accepts)",
                                           allowed_zh=f"小于 {_RATE_TABLE_BELOW} 的每期费率（分期计算器只接受低于 10% 的每期费率）")
        return MappingProxyType(dict(sorted(table.items())))
    raise AssertionError(f"unknown field kind {kind}")  # a programming error in a _value() declaration


#: The values every profile must define, in the order the handbook lists them (from the Terms declaration).
FIELD_SPECS: tuple[FieldSpec, ...] = tuple(
    FieldSpec(f.name, **f.metadata["spec"]) for f in fields(Terms) if "spec" in f.metadata)
_SPEC_BY_NAME = {spec.name: spec for spec in FIELD_SPECS}
_CONFIDENCE = ("H", "M", "L")
#: A published per-period fee rate must be below this (calculators.installments accepts a rate below 10 % per period).
_RATE_TABLE_BELOW = Decimal("0.1")
#: Preset tables whose numbers of periods must not exceed a limit in force on the same date (a preset the calculator would
#: reject fills and locks a field the user cannot then correct).
_PRESET_LIMITS = (("installment_rates", "installment_max_periods"), ("cash_installment_rates", "installment_max_periods"))
#: Pairs of values that must be in order (lower, upper) whenever both are set.
_ORDERED = (("late_fee_min", "late_fee_max"), ("daily_rate", "daily_rate_cap"))
_ENTRY_KEYS = ("value", "source", "effective", "confidence", "note")


def _no_unknown_keys(data: Mapping[Any, Any], allowed: tuple[str, ...], prefix: str, where: Any, path: tuple[Any, ...]) -> None:
    """A key the format does not know is an error naming the file, the line, the key and the allowed keys."""
    for key in data:
        if key not in allowed:
            raise CalculatorInputError(f"{prefix}{key}", key, "one of the known keys: " + ", ".join(allowed),
                                       allowed_zh="只能是以下键之一：" + "、".join(allowed) + "（拼写错误？）",
                                       location=where(*path, key))


def _entries(spec: FieldSpec, raw: Any, where: Any) -> tuple[Dated, ...]:
    """A value's entries, oldest first: one mapping (applies from its ``effective`` date, or on every date when
    that is null) or a list of mappings, each with its own ``effective`` date, in increasing date order."""
    name = spec.name
    shape = f"{{value, source, effective, confidence}} or a list of them with increasing effective dates: {spec.en}"
    shape_zh = f"须提供 value、source、effective、confidence（或按生效日期先后排列的多条）：{spec.zh}"
    dated = isinstance(raw, (list, tuple))
    items = list(raw) if dated else [raw]
    if not items:
        raise CalculatorInputError(f"values.{name}", raw, shape, allowed_zh=shape_zh, location=where("values", name))
    entries: list[Dated] = []
    for index, item in enumerate(items):
        path = ("values", name, index) if dated else ("values", name)
        label = f"values.{name}" + (f"[{index}]" if dated else "")
        if isinstance(item, Mapping):  # a misspelt key ("valu") is named first: it is why "value" is missing
            _no_unknown_keys(item, _ENTRY_KEYS, f"{label}.", where, path)
        if not isinstance(item, Mapping) or "value" not in item:
            shown = f"{label}.value" if isinstance(item, Mapping) else label
            raise CalculatorInputError(shown, "(missing)" if isinstance(item, Mapping) else item, shape, allowed_zh=shape_zh,
                                       location=where(*path))
        try:
            value = _convert(spec, item["value"], f"{label}.value")
        except CalculatorInputError as err:  # name the file and line of the value, as for every other error
            raise CalculatorInputError(err.field, err.value, err.allowed, allowed_zh=err.allowed_zh,
                                       location=where(*path, "value")) from None
        citation = _citation(item, label, where, path)
        if dated and citation.effective is None:
            raise CalculatorInputError(f"{label}.effective", None, "a date YYYY-MM-DD (each entry of a dated value says when it applies from)",
                                       allowed_zh="多条取值时每条都须写生效日期", location=where(*path, "effective"))
        previous = entries[-1].effective if entries else None
        if citation.effective is not None and previous is not None and citation.effective <= previous:
            raise CalculatorInputError(f"{label}.effective", citation.effective.isoformat(),
                                       f"a date after the previous entry's ({entries[-1].effective}): entries oldest first",
                                       allowed_zh=f"晚于上一条的生效日期 {entries[-1].effective}（按时间先后排列）",
                                       location=where(*path, "effective"))
        entries.append(Dated(value, citation))
    return tuple(entries)


def _entry_dict(entry: Dated) -> dict[str, Any]:
    value = entry.value
    if isinstance(value, Decimal):
        value = str(value)
    elif isinstance(value, Mapping):
        value = {str(k): str(v) for k, v in value.items()}
    citation = entry.citation
    return {"value": value, "source": citation.source,
            "effective": citation.effective.isoformat() if citation.effective else None,
            "confidence": citation.confidence, "note": citation.note}


def _citation(entry: Mapping[str, Any], label: str, where: Any, path: tuple[Any, ...]) -> Citation:
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise CalculatorInputError(f"{label}.source", source, "the document or publication the value comes from",
                                   allowed_zh="须注明来源文件", location=where(*path))
    effective = entry.get("effective")
    if isinstance(effective, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", effective.strip(), re.ASCII):
        try:  # a quoted date (YAML's own dates are read by the loader); a day the calendar lacks is named as such
            effective = to_date(effective, f"{label}.effective")
        except CalculatorInputError as exc:
            raise CalculatorInputError(exc.field, effective, exc.allowed, allowed_zh=exc.allowed_zh,
                                       location=where(*path, "effective")) from None
    if effective is not None and (type(effective) is not date):  # a datetime (or a subclass) is not a day
        raise CalculatorInputError(f"{label}.effective", effective, "a date YYYY-MM-DD or null (applies on every date)",
                                   allowed_zh="日期 YYYY-MM-DD，或 null（任何日期都适用）", location=where(*path, "effective"))
    confidence = entry.get("confidence")
    if not isinstance(confidence, str) or confidence not in _CONFIDENCE:
        raise CalculatorInputError(f"{label}.confidence", confidence, "H, M or L", allowed_zh="H、M 或 L（把握程度）",
                                   location=where(*path, "confidence"))
    note = entry.get("note")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise CalculatorInputError(f"{label}.note", note, "a text", allowed_zh="一段文字", location=where(*path, "note"))
    return Citation(source.strip(), effective, confidence, note.strip())


def bundled_profiles() -> list[str]:
    """Names of the profiles shipped with the package.

    >>> bundled_profiles()
    ['bocom', 'ccb', 'cmb', 'icbc']
    """
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yml"))


_CACHE: dict[tuple[str, float], Terms] = {}


def profile_path(name_or_path: str, folder: Path | None = None) -> Path:
    """The file a profile name or path names: a bundled name first (in ``folder``, default :data:`PROFILE_DIR`; a file
    of that name in the working folder does not hide it), else the path as given (it may not exist: the caller says so).

    >>> profile_path("cmb") == PROFILE_DIR / "cmb.yml", profile_path("my/bank.yml")
    (True, PosixPath('my/bank.yml'))
    """
    bundled = (PROFILE_DIR if folder is None else folder) / f"{name_or_path}.yml"
    return bundled if re.fullmatch(r"[a-z0-9_-]+", name_or_path) and _is_file(bundled) else Path(name_or_path)


def _is_file(path: Path) -> bool:
    """``path.is_file()``, false also for names the system refuses (too long, NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def load_terms(name_or_path: str | os.PathLike[str] = DEFAULT_PROFILE) -> Terms:
    """Load a terms profile by bundled name (``"cmb"``) or by path to a YAML file.

    Errors name the file, the line, the value and what is allowed.

    >>> load_terms("icbc").late_fee_max
    Decimal('500.00')
    >>> load_terms("abc")
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: name_or_path='abc' is not allowed: a bundled profile (bocom, ccb, cmb, icbc) or the path of a profile YAML file
    """
    if isinstance(name_or_path, Terms):
        return name_or_path
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise CalculatorInputError("name_or_path", name_or_path, "a profile name or a file path", allowed_zh="条款配置名称或文件路径")
    text = os.fspath(name_or_path)
    if not isinstance(text, str):  # a PathLike may give bytes
        raise CalculatorInputError("name_or_path", text, "a profile name or a file path", allowed_zh="条款配置名称或文件路径")
    path = profile_path(text)
    if not _is_file(path):
        raise CalculatorInputError(
            "name_or_path", text,
            f"a bundled profile ({', '.join(bundled_profiles())}) or the path of a profile YAML file",
            allowed_zh=f"内置配置（{'、'.join(bundled_profiles())}）或配置文件路径",
        )
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _CACHE:
        from .datafile import read_yaml  # PyYAML: not needed by the core or in the browser

        try:
            data, lines = read_yaml(path)
        except Exception as exc:  # a YAML syntax error: report it as bad input with its position
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            raise CalculatorInputError("profile", path.name, f"valid YAML ({getattr(exc, 'problem', exc)})",
                                       allowed_zh=f"合法的 YAML（{getattr(exc, 'problem', exc)}）", location=f"{path}:{line}") from None
        _CACHE[key] = Terms.from_dict(data, origin=str(path), lines=lines)
    return _CACHE[key]


def selected_profile() -> str:
    """The profile name or path the handbook is built with: ``$HANDBOOK_PROFILE``, else :data:`DEFAULT_PROFILE`.

    The one place the default issuer is named; the build extension and the
    Makefile ask here instead of repeating it.

    >>> import os
    >>> selected_profile() == (os.environ.get(PROFILE_ENV, "").strip() or DEFAULT_PROFILE)
    True
    """
    return os.environ.get(PROFILE_ENV, "").strip() or DEFAULT_PROFILE


def handbook_terms() -> Terms:
    """The profile the handbook is built with (:func:`selected_profile`).

    >>> handbook_terms().code in bundled_profiles()
    True
    """
    return load_terms(selected_profile())
