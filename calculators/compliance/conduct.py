"""The contact-plan checker (催收联系计划／记录合规检查).

Given a planned or logged list of contact attempts (time, channel, contact
method, person contacted, answered or not, content category and a few flags),
:func:`check_contact_plan` lists every attempt that breaks a conduct rule, with
the rule and the document it comes from.  The rules and their parameters are
data (``procedures/rules/conduct.yml``), loaded by
:func:`procedures.rules.conduct_rules` into a :class:`ConductRules` object; in
the browser the same object comes from JSON through :meth:`ConductRules.from_dict`.

What is checked, and how it is counted (each rule's text and sources are in
the data):

* ``quiet-hours``: an attempt at or after ``quiet_start`` (22:00) or before
  ``quiet_end`` (08:00), local wall-clock time, unless the attempt records
  ``customer_consented_to_quiet_hours``.  21:59:59 is allowed, 22:00:00 is not;
  07:59:59 is not, 08:00:00 is.  A letter's time is when it was posted, so
  letters are outside the rule unless the data lists them.
* ``effective-call-cap``: answered voice calls (``phone``, ``ai_call``: AI
  calls count) with the same person category (debtor, guarantor) on one
  calendar day; the attempt that exceeds the cap (the 4th with the default 3)
  and every later one that day is a violation.
* ``unanswered-cap``: unanswered voice attempts to one contact method (a
  number, counted by its label such as ``"手机1"``) on one calendar day; the
  7th and later (default cap 6) are violations.  Each method is counted
  separately.  The two caps are different measures from different documents.
* ``unrelated-third-party``: a person in ``unrelated_persons`` (anyone who
  is not the debtor, a guarantor or a contact the debtor gave) is never
  contacted for collection, whether or not the debtor is reachable.
* ``third-party-only-when-unreachable``, ``third-party-no-debt-disclosure``,
  ``third-party-stop-on-request``: a contact the debtor gave may be
  contacted only when the debtor has been established as unreachable
  (``debtor_reachable=False``; unknown counts as not established), only to
  verify identity or ask for a call back, and never again on a method whose
  holder asked not to be contacted.
* ``verify-before-disclosure``: until the person who answered is verified as
  the debtor (person ``unverified``), only identity checks and call-back
  requests are allowed.
* ``call-recording``: an answered call logged with ``recorded=False``.
* ``field-visit-collectors``, ``field-visit-id``,
  ``field-visit-consent-to-enter``: a visit needs at least
  ``field_visit_min_collectors`` collectors, shown identification, and the
  occupant's consent before entering a home or office.

Warnings (:func:`contact_plan_warnings`, also on the result of
:func:`check_contact_plan` as ``.warnings``) are not violations: they mark
patterns that stay under every cap but are not "reasonable and necessary",
with thresholds that are data (``parameters`` in the conduct file, each
warning rule citing its source, mostly the handbook's own practice):

* ``short-interval-same-method``: a voice attempt (answered or not) on a
  contact method less than ``warn_min_minutes_between_attempts`` after the
  previous voice attempt on that method the same day (hourly dialling all day
  stays under the 6-attempt cap yet is harassment);
* ``daily-attempts-all-methods``: more than
  ``warn_max_voice_attempts_per_person_per_day`` voice attempts to one
  person (debtor or guarantor; a contact by method) in one day, counted
  across all numbers;
* ``contact-streak``: one person contacted (any outbound channel in
  ``warn_streak_channels``) on more than ``warn_max_consecutive_days``
  consecutive calendar days.

Attempts are counted in time order (equal times in list order); violations
are returned by attempt index.  Bad input raises
:class:`~calculators.errors.CalculatorInputError` naming the field
(``attempts[3].channel``), the value and what is allowed.

Standard library only (runs in the browser).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import MISSING, asdict, dataclass, fields
from datetime import date, datetime, time
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from .ruledata import SourceRef
from .ruledata import boolean as _bool
from .ruledata import fail as _fail
from .ruledata import positive_int as _positive_int
from .ruledata import sources as _sources
from .ruledata import text as _text

__all__ = [
    "CHANNELS",
    "PERSONS",
    "CONTENTS",
    "CHECKED_RULES",
    "SourceRef",
    "ConductRule",
    "ConductRules",
    "Attempt",
    "Violation",
    "ConductWarning",
    "PlanCheck",
    "check_contact_plan",
    "contact_plan_warnings",
]

#: Contact channels the checker knows, with their Chinese labels.
CHANNELS: Mapping[str, str] = MappingProxyType({
    "phone": "电话",
    "ai_call": "智能语音外呼",
    "sms": "短信",
    "app": "App 消息",
    "email": "电子邮件",
    "letter": "信函",
    "visit": "外访",
    "branch": "网点面谈",
})

#: Who was contacted.  ``contact`` is a person the debtor gave as a contact
#: (预留联系人; never a name from the debtor's phone book); ``third_party``
#: anyone else (colleagues, neighbours, an employer, a number found elsewhere),
#: who may not be contacted for collection even when the debtor is unreachable; ``unverified`` someone who answered the
#: debtor's number before their identity was checked.
PERSONS: Mapping[str, str] = MappingProxyType({
    "debtor": "债务人本人",
    "guarantor": "担保人",
    "contact": "预留联系人（债务人提供）",
    "third_party": "其他第三人（非预留联系人）",
    "unverified": "身份未核实的接听人",
})

#: What the attempt was about.
CONTENTS: Mapping[str, str] = MappingProxyType({
    "identity_check": "身份核实",
    "locate": "查找债务人／请求转告回电（不涉及债务）",
    "reminder": "还款提醒",
    "negotiation": "协商还款",
    "debt_disclosure": "告知欠款信息",
    "legal_notice": "告知法律程序",
    "other": "其他",
})

#: The rules this module checks, in the order violations of one attempt are listed.
CHECKED_RULES: tuple[str, ...] = (
    "quiet-hours",
    "effective-call-cap",
    "unanswered-cap",
    "unrelated-third-party",
    "third-party-only-when-unreachable",
    "third-party-no-debt-disclosure",
    "third-party-stop-on-request",
    "verify-before-disclosure",
    "call-recording",
    "field-visit-collectors",
    "field-visit-id",
    "field-visit-consent-to-enter",
)

#: The warnings this module gives (patterns under the caps that are still not reasonable), in listing order.
WARNING_RULES: tuple[str, ...] = (
    "short-interval-same-method",
    "daily-attempts-all-methods",
    "contact-streak",
)


def _clock(value: Any, field: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 5 and text[2] == ":" and text[:2].isdigit() and text[3:].isdigit():
            hour, minute = int(text[:2]), int(text[3:])
            if hour < 24 and minute < 60:
                return time(hour, minute)
    raise _fail(field, value, "a time of day 'HH:MM' (24-hour)", "时刻，格式 HH:MM（24 小时制）")


def _choices(value: Any, field: str, vocabulary: Mapping[str, str]) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _fail(field, value, "a list of: " + ", ".join(vocabulary), "以下值的列表：" + "、".join(vocabulary))
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in vocabulary:
            raise _fail(f"{field}[{index}]", item, "one of: " + ", ".join(vocabulary), "以下之一：" + "、".join(vocabulary))
        out.append(item)
    return tuple(out)


@dataclass(frozen=True)
class ConductRule:
    """One conduct rule: Chinese title and text, its sources, and whether the checker tests it.

    >>> from procedures.rules import conduct_rules
    >>> rule = conduct_rules().rule("unanswered-cap")
    >>> rule.title, rule.checked, rule.source_text
    ('同一联系方式每日未接通不超过 6 次（上限）', True, '2026 年银行业协会催收指引')
    >>> ConductRule.from_dict(rule.to_dict()) == rule
    True
    """

    id: str
    title: str
    text: str
    sources: tuple[SourceRef, ...]
    checked: bool
    note: str = ""

    @property
    def source_text(self) -> str:
        """The sources as one line, e.g. ``GB/T 45251-2025；2026 年银行业协会催收指引``."""
        return "；".join(ref.text for ref in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "text": self.text, "checked": self.checked,
                "note": self.note, "sources": [ref.to_dict() for ref in self.sources]}

    @classmethod
    def from_dict(cls, data: Any, field: str = "rule") -> "ConductRule":
        if not isinstance(data, Mapping):
            raise _fail(field, data, "a mapping {id, title, text, checked, sources, note}")
        return cls(
            id=_text(data.get("id"), f"{field}.id"),
            title=_text(data.get("title"), f"{field}.title"),
            text=_text(data.get("text"), f"{field}.text"),
            sources=_sources(data.get("sources"), f"{field}.sources"),
            checked=_bool(data.get("checked"), f"{field}.checked"),
            note=_text(data.get("note"), f"{field}.note", optional=True),
        )


_PARAMETERS = (
    "quiet_start", "quiet_end", "quiet_hours_channels",
    "max_effective_calls_per_day", "effective_call_channels", "effective_call_persons",
    "max_unanswered_per_day_per_method", "unanswered_channels",
    "third_party_persons", "unrelated_persons", "non_debtor_allowed_contents", "recorded_channels",
    "retention_years", "oral_agreement_retention", "field_visit_min_collectors",
    "warn_min_minutes_between_attempts", "warn_max_voice_attempts_per_person_per_day",
    "warn_max_consecutive_days", "warn_streak_channels",
)


@dataclass(frozen=True)
class ConductRules:
    """The conduct rules and their parameters, as the checker uses them.

    Build it with :func:`procedures.rules.conduct_rules` (from YAML) or
    :meth:`from_dict` (from JSON in the browser); :meth:`to_dict` gives the
    JSON-ready form back.

    >>> from procedures.rules import conduct_rules
    >>> rules = conduct_rules()
    >>> rules.quiet_start, rules.quiet_end
    (datetime.time(22, 0), datetime.time(8, 0))
    >>> rules.max_effective_calls_per_day, rules.max_unanswered_per_day_per_method
    (3, 6)
    >>> ConductRules.from_dict(rules.to_dict()) == rules
    True
    """

    quiet_start: time
    quiet_end: time
    quiet_hours_channels: tuple[str, ...]
    max_effective_calls_per_day: int
    effective_call_channels: tuple[str, ...]
    effective_call_persons: tuple[str, ...]
    max_unanswered_per_day_per_method: int
    unanswered_channels: tuple[str, ...]
    third_party_persons: tuple[str, ...]
    unrelated_persons: tuple[str, ...]
    non_debtor_allowed_contents: tuple[str, ...]
    recorded_channels: tuple[str, ...]
    retention_years: int
    oral_agreement_retention: str
    field_visit_min_collectors: int
    warn_min_minutes_between_attempts: int
    warn_max_voice_attempts_per_person_per_day: int
    warn_max_consecutive_days: int
    warn_streak_channels: tuple[str, ...]
    rules: Mapping[str, ConductRule]
    unsupported: tuple[tuple[str, str], ...] = ()

    def rule(self, rule_id: str) -> ConductRule:
        """One rule by id (``KeyError`` for an unknown id)."""
        return self.rules[rule_id]

    def in_quiet_hours(self, moment: time) -> bool:
        """Whether a time of day falls in the quiet hours (start inclusive, end exclusive).

        >>> from procedures.rules import conduct_rules
        >>> rules = conduct_rules()
        >>> [rules.in_quiet_hours(time(*hm)) for hm in ((21, 59), (22, 0), (7, 59), (8, 0))]
        [False, True, True, False]
        """
        moment = moment.replace(tzinfo=None)
        if self.quiet_start > self.quiet_end:  # wraps midnight, e.g. 22:00–08:00
            return moment >= self.quiet_start or moment < self.quiet_end
        return self.quiet_start <= moment < self.quiet_end

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (times as ``"HH:MM"``); :meth:`from_dict` reads it back."""
        return {
            "parameters": {
                "quiet_start": self.quiet_start.strftime("%H:%M"),
                "quiet_end": self.quiet_end.strftime("%H:%M"),
                "quiet_hours_channels": list(self.quiet_hours_channels),
                "max_effective_calls_per_day": self.max_effective_calls_per_day,
                "effective_call_channels": list(self.effective_call_channels),
                "effective_call_persons": list(self.effective_call_persons),
                "max_unanswered_per_day_per_method": self.max_unanswered_per_day_per_method,
                "unanswered_channels": list(self.unanswered_channels),
                "third_party_persons": list(self.third_party_persons),
                "unrelated_persons": list(self.unrelated_persons),
                "non_debtor_allowed_contents": list(self.non_debtor_allowed_contents),
                "recorded_channels": list(self.recorded_channels),
                "retention_years": self.retention_years,
                "oral_agreement_retention": self.oral_agreement_retention,
                "field_visit_min_collectors": self.field_visit_min_collectors,
                "warn_min_minutes_between_attempts": self.warn_min_minutes_between_attempts,
                "warn_max_voice_attempts_per_person_per_day": self.warn_max_voice_attempts_per_person_per_day,
                "warn_max_consecutive_days": self.warn_max_consecutive_days,
                "warn_streak_channels": list(self.warn_streak_channels),
            },
            "rules": [rule.to_dict() for rule in self.rules.values()],
            "unsupported": [{"claim": claim, "note": note} for claim, note in self.unsupported],
        }

    @classmethod
    def from_dict(cls, data: Any) -> "ConductRules":
        """Validate parsed data (``{parameters, rules, unsupported}``) into :class:`ConductRules`.

        >>> ConductRules.from_dict({"parameters": {}, "rules": []})
        Traceback (most recent call last):
        ...
        calculators.errors.CalculatorInputError: parameters.quiet_start=None is not allowed: a time of day 'HH:MM' (24-hour)
        """
        if not isinstance(data, Mapping):
            raise _fail("conduct", data, "a mapping {parameters, rules, unsupported}")
        params = data.get("parameters")
        if not isinstance(params, Mapping):
            raise _fail("parameters", params, "a mapping of parameter names to values")
        unknown = sorted(set(params) - set(_PARAMETERS))
        if unknown:
            raise _fail(f"parameters.{unknown[0]}", unknown[0], "one of: " + ", ".join(_PARAMETERS))
        p = "parameters."
        start, end = _clock(params.get("quiet_start"), p + "quiet_start"), _clock(params.get("quiet_end"), p + "quiet_end")
        if start == end:
            raise _fail(p + "quiet_end", params.get("quiet_end"), "a time different from quiet_start")
        raw_rules = data.get("rules")
        if isinstance(raw_rules, (str, bytes)) or not isinstance(raw_rules, Iterable):
            raise _fail("rules", raw_rules, "a list of rules")
        rules: dict[str, ConductRule] = {}
        for index, raw in enumerate(raw_rules):
            rule = ConductRule.from_dict(raw, f"rules[{index}]")
            if rule.id in rules:
                raise _fail(f"rules[{index}].id", rule.id, "an id not used by another rule")
            rules[rule.id] = rule
        missing = [rule_id for rule_id in CHECKED_RULES + WARNING_RULES if rule_id not in rules]
        if missing:
            raise _fail("rules", missing[0], "every rule the checker applies: " + ", ".join(CHECKED_RULES + WARNING_RULES),
                        "须包含检查器使用的全部规则：" + "、".join(CHECKED_RULES + WARNING_RULES))
        unsupported = []
        for index, item in enumerate(data.get("unsupported") or ()):
            if not isinstance(item, Mapping):
                raise _fail(f"unsupported[{index}]", item, "a mapping {claim, note}")
            unsupported.append((_text(item.get("claim"), f"unsupported[{index}].claim"),
                                _text(item.get("note"), f"unsupported[{index}].note")))
        return cls(
            quiet_start=start,
            quiet_end=end,
            quiet_hours_channels=_choices(params.get("quiet_hours_channels"), p + "quiet_hours_channels", CHANNELS),
            max_effective_calls_per_day=_positive_int(params.get("max_effective_calls_per_day"), p + "max_effective_calls_per_day"),
            effective_call_channels=_choices(params.get("effective_call_channels"), p + "effective_call_channels", CHANNELS),
            effective_call_persons=_choices(params.get("effective_call_persons"), p + "effective_call_persons", PERSONS),
            max_unanswered_per_day_per_method=_positive_int(params.get("max_unanswered_per_day_per_method"), p + "max_unanswered_per_day_per_method"),
            unanswered_channels=_choices(params.get("unanswered_channels"), p + "unanswered_channels", CHANNELS),
            third_party_persons=_choices(params.get("third_party_persons"), p + "third_party_persons", PERSONS),
            unrelated_persons=_choices(params.get("unrelated_persons"), p + "unrelated_persons", PERSONS),
            non_debtor_allowed_contents=_choices(params.get("non_debtor_allowed_contents"), p + "non_debtor_allowed_contents", CONTENTS),
            recorded_channels=_choices(params.get("recorded_channels"), p + "recorded_channels", CHANNELS),
            retention_years=_positive_int(params.get("retention_years"), p + "retention_years"),
            oral_agreement_retention=_text(params.get("oral_agreement_retention"), p + "oral_agreement_retention"),
            field_visit_min_collectors=_positive_int(params.get("field_visit_min_collectors"), p + "field_visit_min_collectors"),
            warn_min_minutes_between_attempts=_positive_int(params.get("warn_min_minutes_between_attempts"),
                                                            p + "warn_min_minutes_between_attempts"),
            warn_max_voice_attempts_per_person_per_day=_positive_int(params.get("warn_max_voice_attempts_per_person_per_day"),
                                                                     p + "warn_max_voice_attempts_per_person_per_day"),
            warn_max_consecutive_days=_positive_int(params.get("warn_max_consecutive_days"), p + "warn_max_consecutive_days"),
            warn_streak_channels=_choices(params.get("warn_streak_channels"), p + "warn_streak_channels", CHANNELS),
            rules=MappingProxyType(rules),
            unsupported=tuple(unsupported),
        )


@dataclass(frozen=True)
class Attempt:
    """One planned or logged contact attempt.

    ``time`` is the local wall-clock time (a naive :class:`datetime.datetime`
    or an ISO string ``"2026-03-02T21:59"``).  ``method`` labels the contact
    method (e.g. ``"手机1"``, ``"住址"``), so unanswered attempts are counted
    per method.  Visit flags (``collectors_present``, ``id_shown``) are
    required for visits; ``consent_to_enter`` matters only when
    ``entered_premises`` is true.  ``debtor_reachable`` is required to be
    ``False`` for contacting a contact or third party (``None`` means not
    established).  ``asked_to_stop``: the person contacted asked not to be
    contacted again.  ``recorded``: ``False`` flags an unrecorded call,
    ``None`` means not stated.
    """

    time: datetime
    channel: str
    method: str
    person: str
    answered: bool
    content: str
    customer_consented_to_quiet_hours: bool = False
    debtor_reachable: bool | None = None
    asked_to_stop: bool = False
    recorded: bool | None = None
    collectors_present: int | None = None
    id_shown: bool | None = None
    entered_premises: bool = False
    consent_to_enter: bool = False

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["time"] = self.time.isoformat(timespec="minutes" if self.time.second == 0 and not self.time.microsecond else "seconds")
        return data

    @classmethod
    def from_dict(cls, data: Any, field: str = "attempt") -> "Attempt":
        """An attempt from a mapping (JSON from the browser form), fully validated.

        >>> Attempt.from_dict({"time": "2026-03-02T22:00", "channel": "phone", "method": "手机1",
        ...                    "person": "debtor", "answered": False, "content": "reminder"}).time
        datetime.datetime(2026, 3, 2, 22, 0)
        """
        if not isinstance(data, Mapping):
            raise _fail(field, data, "a mapping with time, channel, method, person, answered, content")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names, key=str)
        if unknown:
            raise _fail(f"{field}.{unknown[0]}", unknown[0], "one of: " + ", ".join(sorted(names)))
        return _validated(cls(**{name: data.get(name, _DEFAULTS.get(name)) for name in names}), field)


_DEFAULTS = {f.name: f.default for f in fields(Attempt) if f.default is not MISSING}


def _to_datetime(value: Any, field: str) -> datetime:
    allowed = "a local date-time without time zone (datetime or 'YYYY-MM-DDTHH:MM')"
    allowed_zh = "本地时间（不含时区），格式 YYYY-MM-DDTHH:MM"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise _fail(field, value, allowed, allowed_zh) from None
    if not isinstance(value, datetime) or value.tzinfo is not None:
        raise _fail(field, value, allowed, allowed_zh)
    return value


def _validated(attempt: Any, field: str) -> Attempt:
    if isinstance(attempt, Mapping):
        return Attempt.from_dict(attempt, field)
    if not isinstance(attempt, Attempt):
        raise _fail(field, attempt, "an Attempt or a mapping of its fields", "联系记录（Attempt 或字段映射）")
    moment = _to_datetime(attempt.time, f"{field}.time")
    for name, vocabulary in (("channel", CHANNELS), ("person", PERSONS), ("content", CONTENTS)):
        value = getattr(attempt, name)
        if not isinstance(value, str) or value not in vocabulary:
            raise _fail(f"{field}.{name}", value, "one of: " + ", ".join(vocabulary), "以下之一：" + "、".join(vocabulary))
    method = _text(attempt.method, f"{field}.method")
    for name in ("answered", "customer_consented_to_quiet_hours", "asked_to_stop", "entered_premises", "consent_to_enter"):
        _bool(getattr(attempt, name), f"{field}.{name}")
    for name in ("debtor_reachable", "recorded", "id_shown"):
        value = getattr(attempt, name)
        if value is not None:
            _bool(value, f"{field}.{name}")
    collectors = attempt.collectors_present
    if collectors is not None and (isinstance(collectors, bool) or not isinstance(collectors, int) or collectors < 0):
        raise _fail(f"{field}.collectors_present", collectors, "a whole number ≥ 0", "不小于 0 的整数")
    if attempt.channel == "visit":
        if collectors is None:
            raise _fail(f"{field}.collectors_present", None, "for a visit: the number of collectors present",
                        "外访须填写在场催收人员人数")
        if attempt.id_shown is None:
            raise _fail(f"{field}.id_shown", None, "for a visit: true or false (identification shown)",
                        "外访须填写是否出示工作证件")
    if moment is attempt.time and method == attempt.method:
        return attempt
    return Attempt(**{**{f.name: getattr(attempt, f.name) for f in fields(attempt)}, "time": moment, "method": method})


@dataclass(frozen=True)
class Violation:
    """One broken rule: which attempt (its index in the input), which rule, why, and the source.

    >>> from procedures.rules import conduct_rules
    >>> (v,) = check_contact_plan([Attempt(datetime(2026, 3, 2, 7, 59), "sms", "手机1", "debtor", False, "reminder")],
    ...                           conduct_rules())
    >>> v.to_dict()["rule_id"], v.message
    ('quiet-hours', '第 1 条（2026-03-02 07:59，短信，手机1）在 22:00—次日 08:00 之间联系，且未记录客户同意。')
    """

    index: int
    rule_id: str
    title: str
    message: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ConductWarning:
    """A pattern that breaks no cap but is not reasonable: which attempt, which warning rule, why, and the source.

    Distinct from :class:`Violation`: a plan with warnings passes every rule
    the checker knows, yet a team leader should look at it before it is used.

    >>> from procedures.rules import conduct_rules
    >>> calls = [Attempt(datetime(2026, 3, 2, 9, 0), "phone", "手机1", "debtor", False, "reminder"),
    ...          Attempt(datetime(2026, 3, 2, 10, 0), "phone", "手机1", "debtor", False, "reminder")]
    >>> (w,) = contact_plan_warnings(calls, conduct_rules())
    >>> w.index, w.rule_id
    (1, 'short-interval-same-method')
    """

    index: int
    rule_id: str
    title: str
    message: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class PlanCheck(list):
    """The violations :func:`check_contact_plan` found (a list, as before), with the warnings in ``.warnings``."""

    warnings: list[ConductWarning]

    def __init__(self, violations: Iterable["Violation"], warnings: Iterable[ConductWarning]) -> None:
        super().__init__(violations)
        self.warnings = list(warnings)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M" if moment.second == 0 else "%Y-%m-%d %H:%M:%S")


def check_contact_plan(attempts: Iterable[Any], rules: ConductRules) -> PlanCheck:
    """List every conduct-rule violation in a planned or logged list of contact attempts.

    The result is a list of :class:`Violation`; its ``warnings`` attribute
    holds the :class:`ConductWarning` list of :func:`contact_plan_warnings`
    (patterns under the caps that are still not reasonable).  An empty list
    with warnings means "no rule broken, but not acceptable as it stands".

    ``attempts`` holds :class:`Attempt` objects or mappings of their fields;
    ``rules`` comes from :func:`procedures.rules.conduct_rules` (or
    :meth:`ConductRules.from_dict`).  The result is sorted by attempt index;
    an empty list means no rule the checker knows is broken (red lines in
    what is said are for :func:`calculators.compliance.redlines.lint`).

    >>> from procedures.rules import conduct_rules
    >>> rules = conduct_rules()
    >>> plan = [
    ...     Attempt(datetime(2026, 3, 2, 21, 59), "phone", "手机1", "debtor", True, "reminder"),
    ...     Attempt(datetime(2026, 3, 2, 22, 0), "phone", "手机1", "debtor", False, "reminder"),
    ...     Attempt(datetime(2026, 3, 3, 10, 0), "phone", "手机2", "contact", True, "debt_disclosure",
    ...             debtor_reachable=False),
    ... ]
    >>> for v in check_contact_plan(plan, rules):
    ...     print(v.index, v.rule_id, v.source)
    1 quiet-hours GB/T 45251-2025；2026 年银行业协会催收指引；本手册做法·同意夜间联系的四项限制
    2 third-party-no-debt-disclosure 2011 年《办法》第六十八条；GB/T 45251-2025；2026 年银行业协会催收指引；《个人信息保护法》第十条
    >>> check_contact_plan([{"time": "2026-03-02T10:00", "channel": "fax", "method": "x", "person": "debtor",
    ...                      "answered": True, "content": "reminder"}], rules)
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: attempts[0].channel='fax' is not allowed: one of: phone, ai_call, sms, app, email, letter, visit, branch
    """
    items = _checked_input(attempts, rules)
    found: list[tuple[int, int, Violation]] = []
    order = {rule_id: position for position, rule_id in enumerate(CHECKED_RULES)}

    def add(index: int, rule_id: str, message: str) -> None:
        rule = rules.rule(rule_id)
        found.append((index, order[rule_id], Violation(index, rule_id, rule.title, message, rule.source_text)))

    effective: Counter[tuple[date, str]] = Counter()
    unanswered: Counter[tuple[date, str]] = Counter()
    stopped: dict[str, int] = {}  # method -> index of the attempt in which its holder asked to stop
    for index in sorted(range(len(items)), key=lambda i: (items[i].time, i)):
        a = items[index]
        day = a.time.date()
        head = f"第 {index + 1} 条（{_when(a.time)}，{CHANNELS[a.channel]}，{a.method}）"
        start, end = rules.quiet_start.strftime("%H:%M"), rules.quiet_end.strftime("%H:%M")
        if a.channel in rules.quiet_hours_channels and rules.in_quiet_hours(a.time.time()) and not a.customer_consented_to_quiet_hours:
            add(index, "quiet-hours", f"{head}在 {start}—次日 {end} 之间联系，且未记录客户同意。")
        if a.answered and a.channel in rules.effective_call_channels and a.person in rules.effective_call_persons:
            effective[(day, a.person)] += 1
            count = effective[(day, a.person)]
            if count > rules.max_effective_calls_per_day:
                add(index, "effective-call-cap",
                    f"{head}是 {day.isoformat()} 与{PERSONS[a.person]}的第 {count} 次有效语音交互，"
                    f"超过每日 {rules.max_effective_calls_per_day} 次的上限。")
        if not a.answered and a.channel in rules.unanswered_channels:
            unanswered[(day, a.method)] += 1
            count = unanswered[(day, a.method)]
            if count > rules.max_unanswered_per_day_per_method:
                add(index, "unanswered-cap",
                    f"{head}是 {day.isoformat()} 对联系方式“{a.method}”的第 {count} 次未接通拨打，"
                    f"超过同一联系方式每日 {rules.max_unanswered_per_day_per_method} 次。")
        if a.person in rules.unrelated_persons:
            add(index, "unrelated-third-party",
                f"{head}联系了{PERSONS[a.person]}；与债务无关的第三人不因债务人失联而成为可联系对象，"
                "只有债务人预留的联系人可在确认失联后联系。")
        if a.person in rules.third_party_persons:
            if a.debtor_reachable is not False:
                state = "债务人仍可联系" if a.debtor_reachable else "未确认债务人失联"
                add(index, "third-party-only-when-unreachable",
                    f"{head}联系了{PERSONS[a.person]}，但{state}；只有在无法联系债务人本人时才可联系第三人。")
            if a.content not in rules.non_debtor_allowed_contents:
                add(index, "third-party-no-debt-disclosure",
                    f"{head}对{PERSONS[a.person]}的内容为“{CONTENTS[a.content]}”；对第三人只能核实身份、请其转告回电，"
                    "不得透露债务信息或向其催收。")
            if a.method in stopped and stopped[a.method] != index:
                add(index, "third-party-stop-on-request",
                    f"{head}：该联系方式的持有人已在第 {stopped[a.method] + 1} 条要求不再联系，应停止联系。")
            if a.asked_to_stop:
                stopped.setdefault(a.method, index)
        if a.person == "unverified" and a.content not in rules.non_debtor_allowed_contents:
            add(index, "verify-before-disclosure",
                f"{head}在核实接听人为债务人本人之前谈及“{CONTENTS[a.content]}”；核实身份前不得透露欠款信息。")
        if a.answered and a.channel in rules.recorded_channels and a.recorded is False:
            add(index, "call-recording", f"{head}已接通的催收通话未录音。")
        if a.channel == "visit":
            if a.collectors_present is not None and a.collectors_present < rules.field_visit_min_collectors:  # a visit has it (validated)
                add(index, "field-visit-collectors",
                    f"{head}外访在场催收人员 {a.collectors_present} 人，少于 {rules.field_visit_min_collectors} 人。")
            if not a.id_shown:
                add(index, "field-visit-id", f"{head}外访未出示工作证件。")
            if a.entered_premises and not a.consent_to_enter:
                add(index, "field-visit-consent-to-enter", f"{head}未经同意进入住宅或办公场所。")
    violations = [violation for _, _, violation in sorted(found, key=lambda item: (item[0], item[1]))]
    return PlanCheck(violations, _warnings(items, rules))


def _checked_input(attempts: Any, rules: Any) -> list[Attempt]:
    if not isinstance(rules, ConductRules):
        raise _fail("rules", type(rules).__name__, "a ConductRules object (procedures.rules.conduct_rules() or ConductRules.from_dict)",
                    "由 conduct_rules() 或 ConductRules.from_dict() 得到的规则对象")
    if isinstance(attempts, (str, bytes, Mapping)) or not isinstance(attempts, Iterable):
        raise _fail("attempts", attempts, "a list of attempts", "联系记录列表")
    return [_validated(item, f"attempts[{index}]") for index, item in enumerate(attempts)]


def contact_plan_warnings(attempts: Iterable[Any], rules: ConductRules) -> list[ConductWarning]:
    """Patterns that stay under every cap but are not reasonable and necessary (see the module notes).

    Thresholds are ``rules.warn_*`` (data).  Sorted by attempt index.

    >>> from procedures.rules import conduct_rules
    >>> rules = conduct_rules()
    >>> hourly = [Attempt(datetime(2026, 3, 2, h, 0), "phone", "手机1", "debtor", False, "reminder") for h in range(9, 15)]
    >>> check_contact_plan(hourly, rules)  # six unanswered attempts: no cap is broken
    []
    >>> [w.index for w in contact_plan_warnings(hourly, rules)]  # but every call after the first came within two hours
    [1, 2, 3, 4, 5]
    """
    return _warnings(_checked_input(attempts, rules), rules)


def _person_key(a: Attempt) -> tuple[str, str]:
    """Who was contacted: the debtor and a guarantor by role; anyone else by role and method."""
    return (a.person, "") if a.person in ("debtor", "guarantor") else (a.person, a.method)


def _warnings(items: list[Attempt], rules: ConductRules) -> list[ConductWarning]:
    found: list[tuple[int, int, ConductWarning]] = []
    order = {rule_id: position for position, rule_id in enumerate(WARNING_RULES)}

    def add(index: int, rule_id: str, message: str) -> None:
        rule = rules.rule(rule_id)
        found.append((index, order[rule_id], ConductWarning(index, rule_id, rule.title, message, rule.source_text)))

    voice = set(rules.effective_call_channels) | set(rules.unanswered_channels)
    last_on_method: dict[tuple[date, str], datetime] = {}
    daily: Counter[tuple[date, tuple[str, str]]] = Counter()
    days_by_person: dict[tuple[str, str], set[date]] = {}
    streak_flagged: set[tuple[tuple[str, str], date]] = set()
    gap = rules.warn_min_minutes_between_attempts
    for index in sorted(range(len(items)), key=lambda i: (items[i].time, i)):
        a = items[index]
        day = a.time.date()
        head = f"第 {index + 1} 条（{_when(a.time)}，{CHANNELS[a.channel]}，{a.method}）"
        key = _person_key(a)
        if a.channel in voice:
            previous = last_on_method.get((day, a.method))
            if previous is not None:
                minutes = int((a.time - previous).total_seconds() // 60)
                if minutes < gap:
                    add(index, "short-interval-same-method",
                        f"{head}距同一联系方式上一次拨打只隔 {minutes} 分钟（本手册提示线：间隔不少于 {gap} 分钟）。")
            last_on_method[(day, a.method)] = a.time
            if a.person != "unverified":
                daily[(day, key)] += 1
                count = daily[(day, key)]
                if count > rules.warn_max_voice_attempts_per_person_per_day:
                    add(index, "daily-attempts-all-methods",
                        f"{head}是 {day.isoformat()} 对{PERSONS[a.person]}的第 {count} 次语音拨打（各号码合计；"
                        f"本手册提示线：每日不超过 {rules.warn_max_voice_attempts_per_person_per_day} 次）。")
        if a.channel in rules.warn_streak_channels and a.person != "unverified":
            days = days_by_person.setdefault(key, set())
            days.add(day)
            run, probe = 0, day
            while probe in days:
                run += 1
                probe = date.fromordinal(probe.toordinal() - 1)
            if run > rules.warn_max_consecutive_days and (key, day) not in streak_flagged:
                streak_flagged.add((key, day))
                add(index, "contact-streak",
                    f"{head}：已连续 {run} 天联系{PERSONS[a.person]}（本手册提示线：连续不超过 {rules.warn_max_consecutive_days} 天，"
                    "之后应停一停、换方式或复盘方案）。")
    return [warning for _, _, warning in sorted(found, key=lambda item: (item[0], item[1]))]
