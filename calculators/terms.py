"""Terms profiles: one issuer's card terms as validated, cited values.

A profile is a YAML file in ``calculators/profiles/`` (or anywhere, given a
path).  Every value carries its source, its effective date and a confidence
grade (H/M/L, as in the project's domain-facts sheet), so a page that prints a
figure can also print where it comes from.  A bank adapts the handbook by
copying a profile and editing values; no code changes.

The :class:`Terms` object and :meth:`Terms.from_dict` use the standard library
only, so the same code validates profiles in the browser runtime (where the
profile arrives as JSON).  :func:`load_terms` adds YAML reading and line numbers.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .datafile import line_of
from .errors import CalculatorInputError
from .money import ROUNDING_RULES

__all__ = [
    "Citation",
    "FieldSpec",
    "FIELD_SPECS",
    "IDENTITY_KEYS",
    "Terms",
    "load_terms",
    "bundled_profiles",
    "handbook_terms",
    "PROFILE_DIR",
    "PROFILE_ENV",
]

PROFILE_DIR = Path(__file__).with_name("profiles")
#: Environment variable that selects the handbook's profile at build time.
PROFILE_ENV = "HANDBOOK_PROFILE"
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
    kind: str  # rate | amount | optional_amount | int | bool | choice | rate_table
    zh: str  # label shown in the handbook
    en: str  # meaning, for code readers
    choices: tuple[str, ...] = ()
    low: Decimal | int = 0
    high: Decimal | int | None = None


_RULES = tuple(ROUNDING_RULES)

#: The values every profile must define, in the order the handbook lists them.
FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("daily_rate", "rate", "透支日利率", "daily interest rate on revolving balances", low=Decimal(0), high=Decimal("0.01")),
    FieldSpec("interest_basis", "choice", "计息方式", "full_balance: every purchase bears interest from its posting date once the statement is not paid in full; unpaid_only: only the part unpaid at the due date bears interest", choices=("full_balance", "unpaid_only")),
    FieldSpec("payment_effective", "choice", "还款当日计息口径", "same_day: a repayment reduces the interest-bearing balance from its own date; next_day: from the following day", choices=("same_day", "next_day")),
    FieldSpec("compounding", "choice", "复利", "monthly: billed, unpaid interest bears interest in later cycles; none: only principal does", choices=("monthly", "none")),
    FieldSpec("interest_rounding", "choice", "利息舍入规则", "rounding of each cycle's interest to the fen", choices=_RULES),
    FieldSpec("grace_days", "int", "还款宽限期（天）", "calendar days after the due date in which a payment still counts as on time", low=0, high=31),
    FieldSpec("grace_keeps_interest_free", "bool", "宽限期内还清是否免息", "whether paying in full within the grace days also keeps the interest-free period"),
    FieldSpec("tolerance", "amount", "容差还款金额（元）", "unpaid statement amount up to which the statement counts as paid in full", low=Decimal(0), high=Decimal(1000)),
    FieldSpec("due_days_after_statement", "int", "账单日至到期还款日天数", "days from the statement date to the due date (before the next statement date, even in February)", low=1, high=27),
    FieldSpec("late_fee_rate", "rate", "违约金比例", "违约金 as a fraction of the unpaid part of the minimum payment", low=Decimal(0), high=Decimal("0.2")),
    FieldSpec("late_fee_min", "optional_amount", "违约金下限（元）", "smallest 违约金 charged in a cycle; null for none", low=Decimal(0), high=Decimal(10000)),
    FieldSpec("late_fee_max", "optional_amount", "违约金上限（元）", "largest 违约金 charged in a cycle; null for no cap", low=Decimal(0), high=Decimal(100000)),
    FieldSpec("late_fee_rounding", "choice", "违约金舍入规则", "rounding of the 违约金 to the fen", choices=_RULES),
    FieldSpec("min_payment_general_ratio", "rate", "最低还款额：一般交易款比例", "share of general transactions (purchases, cash-advance principal) in the minimum payment", low=Decimal(0), high=Decimal(1)),
    FieldSpec("min_payment_installment_ratio", "rate", "最低还款额：本期分期应还比例", "share of this period's installment amounts", low=Decimal(0), high=Decimal(1)),
    FieldSpec("min_payment_past_due_ratio", "rate", "最低还款额：上期最低还款额未还部分比例", "share of the previous statement's unpaid minimum", low=Decimal(0), high=Decimal(1)),
    FieldSpec("min_payment_over_limit_ratio", "rate", "最低还款额：超限金额比例", "share of the over-limit amount", low=Decimal(0), high=Decimal(1)),
    FieldSpec("min_payment_fees_ratio", "rate", "最低还款额：费用（含违约金）比例", "share of fees including 违约金", low=Decimal(0), high=Decimal(1)),
    FieldSpec("min_payment_interest_ratio", "rate", "最低还款额：利息比例", "share of interest", low=Decimal(0), high=Decimal(1)),
    FieldSpec("min_payment_rounding", "choice", "最低还款额舍入规则", "rounding of the proportional parts of the minimum payment", choices=_RULES),
    FieldSpec("installment_fee_min", "amount", "分期手续费每期下限（元）", "smallest installment fee per period when the fee rate is above zero", low=Decimal(0), high=Decimal(1000)),
    FieldSpec("installment_fee_rounding", "choice", "分期手续费舍入规则", "rounding of the per-period fee", choices=_RULES),
    FieldSpec("installment_principal_rounding", "choice", "分期本金舍入规则", "rounding of the equal principal part per period", choices=_RULES),
    FieldSpec("installment_remainder", "choice", "分期本金尾差所在期", "which period absorbs the rounding remainder of the principal", choices=("last", "first")),
    FieldSpec("installment_max_periods", "int", "分期最长期数", "longest card installment plan", low=1, high=120),
    FieldSpec("early_payoff", "choice", "提前还款规则", "what an early payoff costs: remaining principal plus all remaining fees, plus the next fee only, or principal only", choices=("principal_and_all_remaining_fees", "principal_and_next_fee", "principal_only")),
    FieldSpec("installment_rates", "rate_table", "账单分期每期手续费率", "published bill-installment fee rate per period, by number of periods", low=Decimal(0), high=Decimal("0.1")),
    FieldSpec("cash_installment_rates", "rate_table", "现金分期每期手续费率", "published cash-installment fee rate per period, by number of periods", low=Decimal(0), high=Decimal("0.1")),
    FieldSpec("negotiated_max_periods", "int", "个性化分期最长期数", "longest personalised installment agreement (个性化分期)", low=1, high=120),
    FieldSpec("payment_order_principal_first_after_days", "int", "还款冲抵顺序转为先本金的逾期天数", "days past due above which repayments go to principal first (before: interest and fees first)", low=0, high=3650),
)

_SPEC_BY_NAME = {spec.name: spec for spec in FIELD_SPECS}
_CONFIDENCE = ("H", "M", "L")


def _convert(spec: FieldSpec, raw: Any, where: str) -> Any:
    """Turn one raw profile value (YAML or JSON) into its typed value, or raise."""

    def fail(allowed: str, allowed_zh: str) -> CalculatorInputError:
        return CalculatorInputError(where, raw, allowed, allowed_zh=allowed_zh)

    def decimal_in(value: Any, low: Any, high: Any) -> Decimal:
        allowed = f"a decimal number from {low} to {high} (write it as a string or a decimal literal)"
        allowed_zh = f"{low} 至 {high} 之间的数"
        if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
            raise fail(allowed, allowed_zh)
        try:
            number = Decimal(value)  # exact for int, str and Decimal (str() of a huge int would raise)
        except (ArithmeticError, ValueError):
            raise fail(allowed, allowed_zh) from None
        if not number.is_finite() or not (Decimal(low) <= number <= Decimal(high)):
            raise fail(allowed, allowed_zh)
        return number

    kind = spec.kind
    if kind == "rate":
        return decimal_in(raw, spec.low, spec.high)
    if kind in ("amount", "optional_amount"):
        if raw is None and kind == "optional_amount":
            return None
        number = decimal_in(raw, spec.low, spec.high)
        if number != number.quantize(Decimal("0.01")):
            raise fail("an amount in yuan with at most 2 decimal places", "金额最多两位小数")
        return number.quantize(Decimal("0.01"))
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int) or not spec.low <= raw <= spec.high:
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
            table[key] = _convert(FieldSpec(spec.name, "rate", spec.zh, spec.en, low=spec.low, high=spec.high), rate, f"{where}[{key}]")
        return MappingProxyType(dict(sorted(table.items())))
    raise AssertionError(f"unknown field kind {kind}")  # a programming error in FIELD_SPECS


@dataclass(frozen=True)
class Terms:
    """One issuer's terms, each value typed, validated and cited.

    Build one with :func:`load_terms` (YAML) or :meth:`Terms.from_dict`
    (already-parsed data, e.g. JSON in the browser).

    >>> cmb = load_terms("cmb")
    >>> cmb.daily_rate, cmb.late_fee_min, cmb.late_fee_max
    (Decimal('0.0005'), Decimal('10.00'), None)
    >>> cmb.cite("tolerance").confidence
    'M'
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
    daily_rate: Decimal
    interest_basis: str
    payment_effective: str
    compounding: str
    interest_rounding: str
    grace_days: int
    grace_keeps_interest_free: bool
    tolerance: Decimal
    due_days_after_statement: int
    late_fee_rate: Decimal
    late_fee_min: Decimal | None
    late_fee_max: Decimal | None
    late_fee_rounding: str
    min_payment_general_ratio: Decimal
    min_payment_installment_ratio: Decimal
    min_payment_past_due_ratio: Decimal
    min_payment_over_limit_ratio: Decimal
    min_payment_fees_ratio: Decimal
    min_payment_interest_ratio: Decimal
    min_payment_rounding: str
    installment_fee_min: Decimal
    installment_fee_rounding: str
    installment_principal_rounding: str
    installment_remainder: str
    installment_max_periods: int
    early_payoff: str
    installment_rates: Mapping[int, Decimal]
    cash_installment_rates: Mapping[int, Decimal]
    negotiated_max_periods: int
    payment_order_principal_first_after_days: int
    citations: Mapping[str, Citation] = field(repr=False)

    def __post_init__(self) -> None:
        # Every construction path (from_dict, dataclasses.replace, direct) gets the same checks and the
        # same typed values, so a modified Terms can never carry a value the calculators would misread.
        for spec in FIELD_SPECS:
            object.__setattr__(self, spec.name, _convert(spec, getattr(self, spec.name), spec.name))
        if self.late_fee_min is not None and self.late_fee_max is not None and self.late_fee_min > self.late_fee_max:
            raise CalculatorInputError("values.late_fee_min.value", self.late_fee_min, f"at most late_fee_max ({self.late_fee_max})",
                                       allowed_zh=f"不大于违约金上限 {self.late_fee_max}")

    def cite(self, name: str) -> Citation:
        """The citation for the value ``name`` (raises ``KeyError`` for an unknown name)."""
        return self.citations[name]

    @classmethod
    def from_dict(cls, data: Any, *, origin: str = "<dict>", lines: Mapping[tuple, int] | None = None) -> "Terms":
        """Validate parsed profile data (the YAML or JSON structure) into :class:`Terms`.

        ``lines`` (key path to line number) lets errors name the line in the file.

        >>> Terms.from_dict({"code": "x"})
        Traceback (most recent call last):
        ...
        calculators.errors.CalculatorInputError: <dict>:1: issuer=None is not allowed: a non-empty text: the issuer's full name, e.g. 招商银行
        """
        def where(*path: Any) -> str:
            return f"{origin}:{line_of(lines or {}, path)}"

        if not isinstance(data, Mapping):
            raise CalculatorInputError("profile", type(data).__name__, "a mapping with code, issuer, label, currency and values", location=where())
        header = _identity(data, where)
        values = data.get("values")
        if not isinstance(values, Mapping):
            raise CalculatorInputError("values", values, "a mapping of value names to {value, source, effective, confidence}", location=where("values"))
        unknown = sorted(set(values) - set(_SPEC_BY_NAME), key=str)
        if unknown:
            raise CalculatorInputError(f"values.{unknown[0]}", unknown[0], "one of the known value names: " + ", ".join(_SPEC_BY_NAME), location=where("values", unknown[0]))
        typed: dict[str, Any] = {}
        citations: dict[str, Citation] = {}
        for spec in FIELD_SPECS:
            entry = values.get(spec.name)
            if not isinstance(entry, Mapping) or "value" not in entry:
                raise CalculatorInputError(f"values.{spec.name}", entry, f"{{value, source, effective, confidence}}: {spec.en}", allowed_zh=f"须提供 value、source、effective、confidence：{spec.zh}", location=where("values", spec.name))
            try:
                typed[spec.name] = _convert(spec, entry["value"], f"values.{spec.name}.value")
            except CalculatorInputError as err:  # name the file and line of the value, as for every other error
                raise CalculatorInputError(err.field, err.value, err.allowed, allowed_zh=err.allowed_zh,
                                           location=where("values", spec.name, "value")) from None
            citations[spec.name] = _citation(entry, spec.name, where)
        try:
            return cls(**header, **typed, citations=MappingProxyType(citations))
        except CalculatorInputError as exc:  # a rule across values (floor above cap): name the file and line
            raise CalculatorInputError(exc.field, exc.value, exc.allowed, allowed_zh=exc.allowed_zh,
                                       location=where("values", "late_fee_min", "value")) from None

    def to_dict(self) -> dict[str, Any]:
        """The profile as JSON-ready data (decimals as strings); ``from_dict`` reads it back.

        >>> cmb = load_terms("cmb")
        >>> Terms.from_dict(cmb.to_dict()) == cmb
        True
        """
        values = {}
        for spec in FIELD_SPECS:
            value = getattr(self, spec.name)
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, Mapping):
                value = {str(k): str(v) for k, v in value.items()}
            citation = self.citations[spec.name]
            values[spec.name] = {
                "value": value,
                "source": citation.source,
                "effective": citation.effective.isoformat() if citation.effective else None,
                "confidence": citation.confidence,
                "note": citation.note,
            }
        identity = {key: getattr(self, key) for key in IDENTITY_KEYS}
        identity["hotlines"] = list(self.hotlines)
        return {**identity, "values": values}


#: The header keys of a profile: who the issuer is and how the handbook names it.  Texts may use
#: the tokens ``⟦issuer⟧ ⟦issuer_short⟧ ⟦hotline⟧ ⟦hotlines⟧ ⟦app⟧``, filled from the same profile,
#: so a copied profile renamed in ``issuer``/``issuer_short``/``hotlines``/``app`` needs no other edit.
IDENTITY_KEYS: tuple[str, ...] = ("code", "issuer", "label", "currency", "issuer_short", "hotlines", "app",
                                  "complaint_channel", "footer", "identity_source")
_IDENTITY_MEANING = {
    "code": "the profile's code (lowercase letters, digits, '-' or '_')",
    "issuer": "the issuer's full name, e.g. 招商银行",
    "label": "one line describing the profile and how reliable it is",
    "currency": "the account currency, e.g. CNY",
    "issuer_short": "the short name staff and customers use, e.g. 招行",
    "hotlines": "the official customer-service numbers, main one first, each in quotes, e.g. [\"95555\"]",
    "app": "the official app's name, e.g. 招商银行App",
    "complaint_channel": "the issuer's own complaint channel, one sentence",
    "footer": "the issuer-specific part of the page footer (what the figures are and what prevails)",
    "identity_source": "where the names, numbers and channels above come from",
}
_IDENTITY_TOKEN = re.compile(r"⟦(issuer|issuer_short|hotline|hotlines|app)⟧")


def _identity(data: Mapping[str, Any], where: Any) -> dict[str, Any]:
    """The validated header of a profile, identity tokens filled in."""
    header: dict[str, Any] = {}
    for key in IDENTITY_KEYS:
        value = data.get(key)
        if key == "hotlines":
            if (isinstance(value, (list, tuple)) and value
                    and all(isinstance(v, str) and re.fullmatch(r"[0-9][0-9-]{2,19}", v.strip()) for v in value)):
                header[key] = tuple(v.strip() for v in value)
                continue
            raise CalculatorInputError(key, value, _IDENTITY_MEANING[key], allowed_zh="客服电话列表，主号码在前，每个号码加引号，如 [\"95555\"]",
                                       location=where(key))
        if not isinstance(value, str) or not value.strip():
            raise CalculatorInputError(key, value, f"a non-empty text: {_IDENTITY_MEANING[key]}", allowed_zh="非空文本",
                                       location=where(key))
        header[key] = value.strip()
    if not re.fullmatch(r"[a-z0-9_-]+", header["code"]):
        raise CalculatorInputError("code", header["code"], "lowercase letters, digits, '-' or '_'", location=where("code"))
    names = {"issuer": header["issuer"], "issuer_short": header["issuer_short"], "hotline": header["hotlines"][0],
             "hotlines": "、".join(header["hotlines"]), "app": header["app"]}
    for key in ("app", "label", "complaint_channel", "footer", "identity_source"):  # app first: others may name it
        header[key] = _IDENTITY_TOKEN.sub(lambda m: names[m.group(1)], header[key])
        names["app"] = header["app"]
    return header


def _citation(entry: Mapping[str, Any], name: str, where: Any) -> Citation:
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise CalculatorInputError(f"values.{name}.source", source, "the document or publication the value comes from", allowed_zh="须注明来源文件", location=where("values", name))
    effective = entry.get("effective")
    if isinstance(effective, str):
        try:
            effective = date.fromisoformat(effective)
        except ValueError:
            pass
    if effective is not None and not isinstance(effective, date):
        raise CalculatorInputError(f"values.{name}.effective", effective, "a date YYYY-MM-DD or null (unknown)", location=where("values", name, "effective"))
    confidence = entry.get("confidence")
    if not isinstance(confidence, str) or confidence not in _CONFIDENCE:
        raise CalculatorInputError(f"values.{name}.confidence", confidence, "H, M or L", location=where("values", name, "confidence"))
    note = entry.get("note")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise CalculatorInputError(f"values.{name}.note", note, "a text", location=where("values", name, "note"))
    return Citation(source.strip(), effective, confidence, note.strip())


def bundled_profiles() -> list[str]:
    """Names of the profiles shipped with the package.

    >>> bundled_profiles()
    ['bocom', 'ccb', 'cmb', 'icbc']
    """
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yml"))


_CACHE: dict[tuple[str, float], Terms] = {}


def _is_file(path: Path) -> bool:
    """``path.is_file()``, false also for names the system refuses (too long, NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def load_terms(name_or_path: str | os.PathLike = DEFAULT_PROFILE) -> Terms:
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
        raise CalculatorInputError("name_or_path", name_or_path, "a profile name or a file path")
    text = os.fspath(name_or_path)
    if not isinstance(text, str):  # a PathLike may give bytes
        raise CalculatorInputError("name_or_path", text, "a profile name or a file path")
    bundled = PROFILE_DIR / f"{text}.yml"
    if re.fullmatch(r"[a-z0-9_-]+", text) and _is_file(bundled):
        path = bundled
    elif _is_file(Path(text)):
        path = Path(text)
    else:
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
            raise CalculatorInputError("profile", path.name, f"valid YAML ({getattr(exc, 'problem', exc)})", location=f"{path}:{line}") from None
        _CACHE[key] = Terms.from_dict(data, origin=str(path), lines=lines)
    return _CACHE[key]


def handbook_terms() -> Terms:
    """The profile the handbook is built with: ``$HANDBOOK_PROFILE`` or ``cmb``.

    >>> handbook_terms().code in bundled_profiles()
    True
    """
    return load_terms(os.environ.get(PROFILE_ENV, "").strip() or DEFAULT_PROFILE)
