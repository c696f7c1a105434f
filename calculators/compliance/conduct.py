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

Each rule is one check function registered with its id (``@conduct_check("quiet-hours")``,
``@conduct_warning(...)`` for a warning rule); :data:`CHECKED_RULES` and :data:`WARNING_RULES`
are the registry, in the order the functions are defined, which is the order in which the
violations of one attempt are listed.  Every parameter is one typed field of
:class:`ConductParameters`; reading (YAML, JSON) and ``to_dict`` follow the declarations
(:mod:`.ruledata`).

Attempts are counted in time order (equal times in list order); violations
are returned by attempt index.  Bad input raises
:class:`~calculators.errors.CalculatorInputError` naming the field
(``attempts[3].channel``), the value and what is allowed.

Standard library only (runs in the browser).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import MISSING, asdict, dataclass, fields
from datetime import date, datetime, time
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterable, Iterator, Literal, Mapping

from .ruledata import AtLeast, NonEmpty, Slug, SourceRef, dump_fields, read_fields
from .ruledata import local_datetime as _local_datetime
from .ruledata import boolean as _bool
from .ruledata import fail as _fail
from .ruledata import text as _text

__all__ = [
    "CHANNELS",
    "PERSONS",
    "CONTENTS",
    "CHECKED_RULES",
    "WARNING_RULES",
    "SourceRef",
    "ConductRule",
    "ConductParameters",
    "ConductRules",
    "Unsupported",
    "Step",
    "conduct_check",
    "conduct_warning",
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

if TYPE_CHECKING:  # for mypy a vocabulary value is a str; at run time a Literal, so readers (and pydantic) check it
    Channel = str
    Person = str
    Content = str
else:
    Channel = Literal[tuple(CHANNELS)]
    Person = Literal[tuple(PERSONS)]
    Content = Literal[tuple(CONTENTS)]

Channels = Annotated[tuple[Channel, ...], NonEmpty()]
Persons = Annotated[tuple[Person, ...], NonEmpty()]
Count = Annotated[int, AtLeast(1)]


# --- the rule entities: declared once, read by ruledata.read_fields -----------------------------------------


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

    id: Slug
    title: str
    text: str
    sources: Annotated[tuple[SourceRef, ...], NonEmpty()]
    checked: bool
    note: str = ""

    @property
    def source_text(self) -> str:
        """The sources as one line, e.g. ``GB/T 45251-2025；2026 年银行业协会催收指引``."""
        return "；".join(ref.text for ref in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return dump_fields(self)

    @classmethod
    def from_dict(cls, data: Any, field: str = "rule") -> "ConductRule":
        return cls(**read_fields(cls, data, field))


@dataclass(frozen=True)
class Unsupported:
    """A claim often heard that no source supports, and what the sources do say."""

    claim: str
    note: str

    def to_dict(self) -> dict[str, Any]:
        return dump_fields(self)


@dataclass(frozen=True)
class ConductParameters:
    """The conduct parameters (``parameters:`` in ``procedures/rules/conduct.yml``): each declared once, here.

    A new parameter is one field: the YAML loader, the browser's JSON and the ``⟦name⟧`` tokens in
    rule texts all read this declaration (type and bounds: :mod:`.ruledata`).

    >>> from procedures.rules import conduct_rules
    >>> conduct_rules().parameters.max_effective_calls_per_day
    3
    >>> ConductParameters.from_dict({**conduct_rules().parameters.to_dict(), "retention_years": 0})
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: parameters.retention_years=0 is not allowed: a whole number ≥ 1
    """

    quiet_start: time
    quiet_end: time
    quiet_hours_channels: tuple[Channel, ...]
    max_effective_calls_per_day: Count
    effective_call_channels: Channels
    effective_call_persons: Persons
    max_unanswered_per_day_per_method: Count
    unanswered_channels: Channels
    third_party_persons: Persons
    unrelated_persons: tuple[Person, ...]
    non_debtor_allowed_contents: tuple[Content, ...]
    recorded_channels: tuple[Channel, ...]
    retention_years: Count
    oral_agreement_retention: str
    field_visit_min_collectors: Count
    warn_min_minutes_between_attempts: Count
    warn_max_voice_attempts_per_person_per_day: Count
    warn_max_consecutive_days: Count
    warn_streak_channels: Channels

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (times as ``"HH:MM"``, lists), as written in the YAML file."""
        return dump_fields(self, ConductParameters)

    @classmethod
    def from_dict(cls, data: Any, field: str = "parameters") -> "ConductParameters":
        return ConductParameters(**_parameters(data, field))

    def fill(self, text: str, field: str = "text") -> str:
        """``text`` with each ``⟦parameter⟧`` token replaced by that parameter's value as written in the file.

        >>> from procedures.rules import conduct_rules
        >>> conduct_rules().fill("每日 ⟦quiet_start⟧ 起，不超过 ⟦max_effective_calls_per_day⟧ 次")
        '每日 22:00 起，不超过 3 次'
        """
        values = {name: value for name, value in dump_fields(self, ConductParameters).items() if not isinstance(value, list)}

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise _fail(field, match.group(0), f"⟦name⟧ tokens of known parameters only (unknown parameter token ⟦{name}⟧; "
                            f"known: {', '.join(values)})", f"只能引用已有参数（未知参数 ⟦{name}⟧）")
            return str(values[name])

        return PARAMETER_TOKEN.sub(value, text)


#: ``⟦name⟧`` in a conduct rule's title, text or note: the value of parameter ``name`` (written once, in ``parameters``).
PARAMETER_TOKEN = re.compile(r"⟦([a-z_]+)⟧")


def _parameters(data: Any, field: str) -> dict[str, Any]:
    values = read_fields(ConductParameters, data, field)
    if values["quiet_start"] == values["quiet_end"]:
        raise _fail(f"{field}.quiet_end", _dumped_clock(values["quiet_end"]), "a time different from quiet_start")
    return values


def _dumped_clock(moment: time) -> str:
    return moment.strftime("%H:%M")


@dataclass(frozen=True)
class ConductRules(ConductParameters):
    """The conduct rules and their parameters, as the checker uses them.

    Build it with :func:`procedures.rules.conduct_rules` (from YAML) or
    :meth:`from_dict` (from JSON in the browser); :meth:`to_dict` gives the
    JSON-ready form back.  The parameters are the fields of
    :class:`ConductParameters` (``rules.quiet_start``, ...); rule texts have
    their ``⟦parameter⟧`` tokens filled.

    >>> from procedures.rules import conduct_rules
    >>> rules = conduct_rules()
    >>> rules.quiet_start, rules.quiet_end
    (datetime.time(22, 0), datetime.time(8, 0))
    >>> rules.max_effective_calls_per_day, rules.max_unanswered_per_day_per_method
    (3, 6)
    >>> ConductRules.from_dict(rules.to_dict()) == rules
    True
    """

    rules: Mapping[str, ConductRule]
    unsupported: tuple[Unsupported, ...] = ()

    @property
    def parameters(self) -> ConductParameters:
        """The parameters alone (as in the file's ``parameters:``)."""
        return ConductParameters(**{f.name: getattr(self, f.name) for f in fields(ConductParameters)})

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
        """JSON-ready data (``{parameters, rules, unsupported}``, times as ``"HH:MM"``); :meth:`from_dict` reads it back."""
        return {
            "parameters": dump_fields(self, ConductParameters),
            "rules": [rule.to_dict() for rule in self.rules.values()],
            "unsupported": [item.to_dict() for item in self.unsupported],
        }

    @classmethod
    def from_dict(cls, data: Any, field: str = "conduct") -> "ConductRules":
        """Validate parsed data (``{parameters, rules, unsupported}``) into :class:`ConductRules`.

        Every ``⟦parameter⟧`` token in a rule's title, text or note is filled with the parameter's value.

        >>> ConductRules.from_dict({"parameters": {}, "rules": []})
        Traceback (most recent call last):
        ...
        calculators.errors.CalculatorInputError: parameters.quiet_start=None is not allowed: a time of day 'HH:MM' (24-hour)
        """
        if not isinstance(data, Mapping):
            raise _fail(field, data, "a mapping {parameters, rules, unsupported}")
        unknown = sorted(set(data) - {"parameters", "rules", "unsupported"}, key=str)
        if unknown:
            raise _fail(str(unknown[0]), unknown[0], "one of: parameters, rules, unsupported")
        params = data.get("parameters")
        if not isinstance(params, Mapping):
            raise _fail("parameters", params, "a mapping of parameter names to values")
        values = _parameters(params, "parameters")
        filled = ConductParameters(**values)
        raw_rules = data.get("rules")
        if isinstance(raw_rules, (str, bytes, Mapping)) or not isinstance(raw_rules, Iterable):
            raise _fail("rules", raw_rules, "a list of rules")
        rules: dict[str, ConductRule] = {}
        for index, raw in enumerate(raw_rules):
            where = f"rules[{index}]"
            if isinstance(raw, Mapping):
                raw = {**raw, **{name: filled.fill(raw[name], f"{where}.{name}") for name in ("title", "text", "note")
                                 if isinstance(raw.get(name), str)}}
            rule = ConductRule.from_dict(raw, where)
            if rule.id in rules:
                raise _fail(f"{where}.id", rule.id, "an id not used by another rule")
            rules[rule.id] = rule
        applied = tuple(_CHECKS) + tuple(_WARNINGS)
        missing = [rule_id for rule_id in applied if rule_id not in rules]
        if missing:
            raise _fail("rules", missing[0], "every rule the checker applies: " + ", ".join(applied),
                        "须包含检查器使用的全部规则：" + "、".join(applied))
        raw_unsupported = data.get("unsupported") or ()
        unsupported = tuple(Unsupported(**read_fields(Unsupported, item, f"unsupported[{index}]"))
                            for index, item in enumerate(raw_unsupported))
        return cls(**values, rules=MappingProxyType(rules), unsupported=unsupported)


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
    channel: Channel
    method: str
    person: Person
    answered: bool
    content: Content
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

    def checked(self, field: str = "attempt") -> "Attempt":
        """This attempt validated (time parsed, method stripped, vocabularies and visit flags checked).

        >>> Attempt("2026-03-02T22:00", "fax", "手机1", "debtor", False, "reminder").checked()
        Traceback (most recent call last):
        ...
        calculators.errors.CalculatorInputError: attempt.channel='fax' is not allowed: one of: phone, ai_call, sms, app, email, letter, visit, branch
        """
        return _validated(self, field)

    @classmethod
    def from_dict(cls, data: Any, field: str = "attempt") -> "Attempt":
        """An attempt from a mapping (JSON from the browser form), fully validated.

        >>> Attempt.from_dict({"time": "2026-03-02T22:00", "channel": "phone", "method": "手机1",
        ...                    "person": "debtor", "answered": False, "content": "reminder"}).time
        datetime.datetime(2026, 3, 2, 22, 0)
        """
        if not isinstance(data, Mapping):
            raise _fail(field, data, "a mapping with time, channel, method, person, answered, content",
                        "含 time、channel、method、person、answered、content 的映射（一次联系）")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names, key=str)
        if unknown:
            raise _fail(f"{field}.{unknown[0]}", unknown[0], "one of: " + ", ".join(sorted(names)),
                        "一次联系只能有这些键：" + "、".join(sorted(names)))
        return _validated(cls(**{name: data.get(name, _DEFAULTS.get(name)) for name in names}), field)


_DEFAULTS = {f.name: f.default for f in fields(Attempt) if f.default is not MISSING}


_to_datetime = _local_datetime


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
    return Attempt(**{**{f.name: getattr(attempt, f.name) for f in fields(Attempt)}, "time": moment, "method": method})




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


class PlanCheck(list["Violation"]):
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
    return PlanCheck(_run(_CHECKS, items, rules, Violation), _run(_WARNINGS, items, rules, ConductWarning))


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
    return _run(_WARNINGS, _checked_input(attempts, rules), rules, ConductWarning)




# --- the checks: one function per rule id, registered in listing order ---------------------------------------


@dataclass(frozen=True)
class Step:
    """One attempt as a check sees it: its index in the input, the validated attempt, and the message head."""

    index: int
    attempt: Attempt
    head: str

    @property
    def day(self) -> date:
        return self.attempt.time.date()


#: A check: the plan's steps in time order (equal times in input order) and the rules → (attempt index, message) per breach.
Check = Callable[[list[Step], "ConductRules"], Iterator[tuple[int, str]]]
_CHECKS: dict[str, Check] = {}
_WARNINGS: dict[str, Check] = {}


def _register(registry: dict[str, Check], rule_id: str) -> Callable[[Check], Check]:
    if rule_id in _CHECKS or rule_id in _WARNINGS:
        raise ValueError(f"a check for {rule_id!r} is already registered")

    def register(check: Check) -> Check:
        registry[rule_id] = check
        return check

    return register


def conduct_check(rule_id: str) -> Callable[[Check], Check]:
    """Register ``check`` as the check of conduct rule ``rule_id`` (its entry in ``conduct.yml`` needs ``checked: true``).

    Violations of one attempt are listed in registration order (the order of the functions in this module).
    The rule's title and sources come from the data; the check yields ``(attempt index, message)``.

    >>> CHECKED_RULES[:3]
    ('quiet-hours', 'effective-call-cap', 'unanswered-cap')
    """
    return _register(_CHECKS, rule_id)


def conduct_warning(rule_id: str) -> Callable[[Check], Check]:
    """Register ``check`` as a warning rule (a pattern under the caps that is still not reasonable), like :func:`conduct_check`.

    >>> WARNING_RULES
    ('short-interval-same-method', 'daily-attempts-all-methods', 'contact-streak')
    """
    return _register(_WARNINGS, rule_id)


@conduct_check("quiet-hours")
def _quiet_hours(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    start, end = _dumped_clock(rules.quiet_start), _dumped_clock(rules.quiet_end)
    for s in plan:
        a = s.attempt
        if a.channel in rules.quiet_hours_channels and rules.in_quiet_hours(a.time.time()) and not a.customer_consented_to_quiet_hours:
            yield s.index, f"{s.head}在 {start}—次日 {end} 之间联系，且未记录客户同意。"


@conduct_check("effective-call-cap")
def _effective_call_cap(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    effective: Counter[tuple[date, str]] = Counter()
    for s in plan:
        a = s.attempt
        if a.answered and a.channel in rules.effective_call_channels and a.person in rules.effective_call_persons:
            effective[(s.day, a.person)] += 1
            count = effective[(s.day, a.person)]
            if count > rules.max_effective_calls_per_day:
                yield s.index, (f"{s.head}是 {s.day.isoformat()} 与{PERSONS[a.person]}的第 {count} 次有效语音交互，"
                                f"超过每日 {rules.max_effective_calls_per_day} 次的上限。")


@conduct_check("unanswered-cap")
def _unanswered_cap(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    unanswered: Counter[tuple[date, str]] = Counter()
    for s in plan:
        a = s.attempt
        if not a.answered and a.channel in rules.unanswered_channels:
            unanswered[(s.day, a.method)] += 1
            count = unanswered[(s.day, a.method)]
            if count > rules.max_unanswered_per_day_per_method:
                yield s.index, (f"{s.head}是 {s.day.isoformat()} 对联系方式“{a.method}”的第 {count} 次未接通拨打，"
                                f"超过同一联系方式每日 {rules.max_unanswered_per_day_per_method} 次。")


@conduct_check("unrelated-third-party")
def _unrelated_third_party(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    for s in plan:
        if s.attempt.person in rules.unrelated_persons:
            yield s.index, (f"{s.head}联系了{PERSONS[s.attempt.person]}；与债务无关的第三人不因债务人失联而成为可联系对象，"
                            "只有债务人预留的联系人可在确认失联后联系。")


@conduct_check("third-party-only-when-unreachable")
def _third_party_only_when_unreachable(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    for s in plan:
        a = s.attempt
        if a.person in rules.third_party_persons and a.debtor_reachable is not False:
            state = "债务人仍可联系" if a.debtor_reachable else "未确认债务人失联"
            yield s.index, f"{s.head}联系了{PERSONS[a.person]}，但{state}；只有在无法联系债务人本人时才可联系第三人。"


@conduct_check("third-party-no-debt-disclosure")
def _third_party_no_debt_disclosure(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    for s in plan:
        a = s.attempt
        if a.person in rules.third_party_persons and a.content not in rules.non_debtor_allowed_contents:
            yield s.index, (f"{s.head}对{PERSONS[a.person]}的内容为“{CONTENTS[a.content]}”；对第三人只能核实身份、请其转告回电，"
                            "不得透露债务信息或向其催收。")


@conduct_check("third-party-stop-on-request")
def _third_party_stop_on_request(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    stopped: dict[str, int] = {}  # method -> index of the attempt in which its holder asked to stop
    for s in plan:
        a = s.attempt
        if a.person in rules.third_party_persons:
            if a.method in stopped and stopped[a.method] != s.index:
                yield s.index, f"{s.head}：该联系方式的持有人已在第 {stopped[a.method] + 1} 条要求不再联系，应停止联系。"
            if a.asked_to_stop:
                stopped.setdefault(a.method, s.index)


@conduct_check("verify-before-disclosure")
def _verify_before_disclosure(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    for s in plan:
        a = s.attempt
        if a.person == "unverified" and a.content not in rules.non_debtor_allowed_contents:
            yield s.index, f"{s.head}在核实接听人为债务人本人之前谈及“{CONTENTS[a.content]}”；核实身份前不得透露欠款信息。"


@conduct_check("call-recording")
def _call_recording(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    for s in plan:
        a = s.attempt
        if a.answered and a.channel in rules.recorded_channels and a.recorded is False:
            yield s.index, f"{s.head}已接通的催收通话未录音。"


@conduct_check("field-visit-collectors")
def _field_visit_collectors(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    for s in plan:
        a = s.attempt
        # a visit always has collectors_present (validated)
        if a.channel == "visit" and a.collectors_present is not None and a.collectors_present < rules.field_visit_min_collectors:
            yield s.index, f"{s.head}外访在场催收人员 {a.collectors_present} 人，少于 {rules.field_visit_min_collectors} 人。"


@conduct_check("field-visit-id")
def _field_visit_id(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    for s in plan:
        if s.attempt.channel == "visit" and not s.attempt.id_shown:
            yield s.index, f"{s.head}外访未出示工作证件。"


@conduct_check("field-visit-consent-to-enter")
def _field_visit_consent_to_enter(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    for s in plan:
        a = s.attempt
        if a.channel == "visit" and a.entered_premises and not a.consent_to_enter:
            yield s.index, f"{s.head}未经同意进入住宅或办公场所。"


def _voice(rules: ConductRules) -> set[str]:
    return set(rules.effective_call_channels) | set(rules.unanswered_channels)


@conduct_warning("short-interval-same-method")
def _short_interval(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    last_on_method: dict[tuple[date, str], datetime] = {}
    gap = rules.warn_min_minutes_between_attempts
    for s in plan:
        a = s.attempt
        if a.channel in _voice(rules):
            previous = last_on_method.get((s.day, a.method))
            if previous is not None:
                minutes = int((a.time - previous).total_seconds() // 60)
                if minutes < gap:
                    yield s.index, f"{s.head}距同一联系方式上一次拨打只隔 {minutes} 分钟（本手册提示线：间隔不少于 {gap} 分钟）。"
            last_on_method[(s.day, a.method)] = a.time


def _person_key(a: Attempt) -> tuple[str, str]:
    """Who was contacted: the debtor and a guarantor by role; anyone else by role and method."""
    return (a.person, "") if a.person in ("debtor", "guarantor") else (a.person, a.method)


@conduct_warning("daily-attempts-all-methods")
def _daily_attempts(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    daily: Counter[tuple[date, tuple[str, str]]] = Counter()
    for s in plan:
        a = s.attempt
        if a.channel in _voice(rules) and a.person != "unverified":
            daily[(s.day, _person_key(a))] += 1
            count = daily[(s.day, _person_key(a))]
            if count > rules.warn_max_voice_attempts_per_person_per_day:
                yield s.index, (f"{s.head}是 {s.day.isoformat()} 对{PERSONS[a.person]}的第 {count} 次语音拨打（各号码合计；"
                                f"本手册提示线：每日不超过 {rules.warn_max_voice_attempts_per_person_per_day} 次）。")


@conduct_warning("contact-streak")
def _contact_streak(plan: list[Step], rules: ConductRules) -> Iterator[tuple[int, str]]:
    days_by_person: dict[tuple[str, str], set[date]] = {}
    streak_flagged: set[tuple[tuple[str, str], date]] = set()
    for s in plan:
        a = s.attempt
        if a.channel in rules.warn_streak_channels and a.person != "unverified":
            key = _person_key(a)
            days = days_by_person.setdefault(key, set())
            days.add(s.day)
            run, probe = 0, s.day
            while probe in days:
                run += 1
                probe = date.fromordinal(probe.toordinal() - 1)
            if run > rules.warn_max_consecutive_days and (key, s.day) not in streak_flagged:
                streak_flagged.add((key, s.day))
                yield s.index, (f"{s.head}：已连续 {run} 天联系{PERSONS[a.person]}（本手册提示线：连续不超过 {rules.warn_max_consecutive_days} 天，"
                                "之后应停一停、换方式或复盘方案）。")


#: The rules this module checks, in the order violations of one attempt are listed (the registry, in module order).
CHECKED_RULES: tuple[str, ...] = tuple(_CHECKS)
#: The warnings this module gives (patterns under the caps that are still not reasonable), in listing order.
WARNING_RULES: tuple[str, ...] = tuple(_WARNINGS)


def _steps(items: list[Attempt]) -> list[Step]:
    return [Step(i, items[i], f"第 {i + 1} 条（{_when(items[i].time)}，{CHANNELS[items[i].channel]}，{items[i].method}）")
            for i in sorted(range(len(items)), key=lambda i: (items[i].time, i))]


def _run(registry: Mapping[str, Check], items: list[Attempt], rules: ConductRules, kind: Callable[..., Any]) -> list[Any]:
    plan = _steps(items)
    found = []
    for order, (rule_id, check) in enumerate(registry.items()):
        rule = rules.rule(rule_id)
        found += [(index, order, kind(index, rule_id, rule.title, message, rule.source_text)) for index, message in check(plan, rules)]
    return [item for _, _, item in sorted(found, key=lambda item: (item[0], item[1]))]
