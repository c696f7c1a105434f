"""The contact-plan checker: every rule at its boundary, with the rule id and source it reports."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.compliance.conduct import Attempt, ConductRules, check_contact_plan
from calculators.errors import CalculatorInputError
from procedures.rules import conduct_rules

DAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def rules() -> ConductRules:
    return conduct_rules()


def at(hour: int, minute: int = 0, second: int = 0, *, day: date = DAY, channel: str = "phone", method: str = "手机1",
       person: str = "debtor", answered: bool = True, content: str = "reminder", **flags) -> Attempt:
    return Attempt(datetime.combine(day, time(hour, minute, second)), channel, method, person, answered, content, **flags)


def found(attempts, rules) -> list[tuple[int, str]]:
    return [(v.index, v.rule_id) for v in check_contact_plan(attempts, rules)]


# --- quiet hours -----------------------------------------------------------


@pytest.mark.parametrize(("hour", "minute", "second", "violation"), [
    (21, 59, 0, False), (21, 59, 59, False), (22, 0, 0, True), (23, 30, 0, True), (0, 0, 0, True),
    (7, 59, 0, True), (7, 59, 59, True), (8, 0, 0, False), (12, 0, 0, False),
])
def test_quiet_hours_boundaries(rules, hour, minute, second, violation):
    result = found([at(hour, minute, second)], rules)
    assert result == ([(0, "quiet-hours")] if violation else [])


def test_quiet_hours_consent_exception(rules):
    assert found([at(22, 0, customer_consented_to_quiet_hours=True)], rules) == []
    assert found([at(7, 59, customer_consented_to_quiet_hours=True)], rules) == []


def test_quiet_hours_cover_sms_visits_and_unanswered_calls_but_not_letters(rules):
    attempts = [
        at(22, 30, channel="sms", answered=False),
        at(23, 0, answered=False),
        at(6, 0, channel="visit", collectors_present=2, id_shown=True),
        at(23, 0, channel="letter", method="住址", answered=False),
    ]
    assert found(attempts, rules) == [(0, "quiet-hours"), (1, "quiet-hours"), (2, "quiet-hours")]


def test_quiet_hours_violation_names_rule_and_source(rules):
    (violation,) = check_contact_plan([at(22, 0)], rules)
    assert violation.title == "夜间禁止催收"
    assert "22:00" in violation.message and "08:00" in violation.message
    assert violation.source == "GB/T 45251-2025；2026 年银行业协会催收指引；本手册做法·同意夜间联系的四项限制"


# --- three effective calls a day ------------------------------------------


def test_third_effective_call_ok_fourth_violates(rules):
    three = [at(9), at(11), at(15)]
    assert found(three, rules) == []
    assert found(three + [at(17)], rules) == [(3, "effective-call-cap")]
    assert found(three + [at(17), at(19)], rules) == [(3, "effective-call-cap"), (4, "effective-call-cap")]


def test_effective_calls_include_ai_calls_and_exclude_unanswered_and_sms(rules):
    attempts = [at(9, channel="ai_call"), at(10), at(11, answered=False), at(12, channel="sms"), at(13)]
    assert found(attempts, rules) == []
    assert found(attempts + [at(14, channel="ai_call")], rules) == [(5, "effective-call-cap")]


def test_effective_calls_counted_per_day_and_per_person(rules):
    attempts = [at(h) for h in (9, 10, 11)] + [at(h, day=DAY + timedelta(days=1)) for h in (9, 10, 11)]
    attempts += [at(h, person="guarantor", method="担保人手机") for h in (12, 13, 14)]
    assert found(attempts, rules) == []
    assert found(attempts + [at(15, person="guarantor", method="担保人手机")], rules) == [(9, "effective-call-cap")]


def test_effective_calls_counted_in_time_order_not_list_order(rules):
    attempts = [at(17), at(9), at(11), at(15)]  # the 17:00 call is the 4th of the day
    assert found(attempts, rules) == [(0, "effective-call-cap")]


def test_effective_call_message_and_source(rules):
    violation = check_contact_plan([at(h) for h in (9, 10, 11, 12)], rules)[0]
    assert "第 4 次有效语音交互" in violation.message and "3 次" in violation.message
    assert violation.source == "GB/T 45251-2025；本手册做法·接通即计入的从严口径"


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=12))
def test_effective_call_violations_are_the_calls_over_the_cap(n):
    rules = conduct_rules()
    attempts = [at(8 + i, channel="ai_call" if i % 2 else "phone") for i in range(n)]
    assert len(check_contact_plan(attempts, rules)) == max(0, n - 3)


# --- six unanswered attempts per contact method -------------------------


def _unanswered(n: int, method: str, start: int = 9, day: date = DAY) -> list[Attempt]:
    return [at(start + i // 4, (i % 4) * 15, method=method, answered=False, day=day) for i in range(n)]


def test_sixth_unanswered_ok_seventh_violates(rules):
    assert found(_unanswered(6, "手机1"), rules) == []
    assert found(_unanswered(7, "手机1"), rules) == [(6, "unanswered-cap")]
    assert found(_unanswered(8, "手机1"), rules) == [(6, "unanswered-cap"), (7, "unanswered-cap")]


def test_unanswered_counted_separately_per_method(rules):
    attempts = _unanswered(6, "手机1") + _unanswered(6, "手机2", start=13)
    assert found(attempts, rules) == []
    assert found(attempts + _unanswered(1, "手机2", start=20), rules) == [(12, "unanswered-cap")]


def test_unanswered_counted_per_day_and_answered_calls_do_not_count(rules):
    attempts = _unanswered(6, "手机1") + _unanswered(6, "手机1", day=DAY + timedelta(days=1))
    attempts.append(at(20, method="手机1"))  # answered: an effective call, not an unanswered attempt
    assert found(attempts, rules) == []


def test_unanswered_message_names_the_method(rules):
    violation = check_contact_plan(_unanswered(7, "手机2"), rules)[0]
    assert "手机2" in violation.message and "第 7 次未接通" in violation.message
    assert violation.source == "2026 年银行业协会催收指引"


def test_the_two_caps_are_separate_measures(rules):
    # 3 effective calls and 6 unanswered attempts on the same number in one day break neither cap.
    attempts = [at(9), at(10), at(11)] + _unanswered(6, "手机1", start=12)
    assert found(attempts, rules) == []


def test_caps_are_configurable(rules):
    data = rules.to_dict()
    data["parameters"]["max_effective_calls_per_day"] = 2
    data["parameters"]["max_unanswered_per_day_per_method"] = 3
    stricter = ConductRules.from_dict(data)
    assert found([at(9), at(10), at(11)], stricter) == [(2, "effective-call-cap")]
    assert found(_unanswered(4, "手机1"), stricter) == [(3, "unanswered-cap")]


def test_quiet_hours_are_configurable(rules):
    data = rules.to_dict()
    data["parameters"]["quiet_start"] = "21:00"
    earlier = ConductRules.from_dict(data)
    assert found([at(21, 0)], earlier) == [(0, "quiet-hours")]
    assert found([at(20, 59)], earlier) == []


# --- who may be contacted -------------------------------------------------


def test_contact_allowed_only_when_debtor_unreachable(rules):
    ok = at(10, person="contact", method="联系人1", content="locate", debtor_reachable=False)
    reachable = at(11, person="contact", method="联系人1", content="locate", debtor_reachable=True)
    unknown = at(12, person="contact", method="联系人1", content="locate")
    assert found([ok], rules) == []
    assert found([reachable], rules) == [(0, "third-party-only-when-unreachable")]
    assert found([unknown], rules) == [(0, "third-party-only-when-unreachable")]
    assert "未确认债务人失联" in check_contact_plan([unknown], rules)[0].message


def test_contact_never_told_of_the_debt(rules):
    for content in ("debt_disclosure", "reminder", "negotiation", "legal_notice", "other"):
        attempt = at(10, person="contact", method="联系人1", content=content, debtor_reachable=False)
        assert found([attempt], rules) == [(0, "third-party-no-debt-disclosure")], content
    assert found([at(10, person="contact", method="联系人1", content="identity_check", debtor_reachable=False)], rules) == []


def test_third_party_same_rules_and_both_violations_listed(rules):
    attempt = at(10, person="third_party", method="单位座机", content="debt_disclosure", debtor_reachable=True)
    assert found([attempt], rules) == [(0, "unrelated-third-party"), (0, "third-party-only-when-unreachable"),
                                       (0, "third-party-no-debt-disclosure")]


def test_unrelated_third_party_never_callable_even_when_debtor_unreachable(rules):
    """R1: 其他第三人 do not become contactable because the debtor is unreachable; a 预留联系人 does."""
    neighbour = at(10, person="third_party", method="邻居", content="locate", debtor_reachable=False)
    contact = at(10, person="contact", method="联系人1", content="locate", debtor_reachable=False)
    assert found([neighbour], rules) == [(0, "unrelated-third-party")]
    assert found([contact], rules) == []


def test_debtor_and_guarantor_may_be_told_of_the_debt(rules):
    attempts = [at(10, content="debt_disclosure"), at(11, person="guarantor", method="担保人手机", content="negotiation")]
    assert found(attempts, rules) == []


def test_contact_who_asked_to_stop_is_not_contacted_again(rules):
    first = at(10, person="contact", method="联系人1", content="locate", debtor_reachable=False, asked_to_stop=True)
    again = at(15, person="contact", method="联系人1", content="locate", debtor_reachable=False)
    other = at(16, person="contact", method="联系人2", content="locate", debtor_reachable=False)
    assert found([first, other], rules) == []
    assert found([first, again, other], rules) == [(1, "third-party-stop-on-request")]
    assert found([again, first], rules) == [(0, "third-party-stop-on-request")]  # counted in time order
    assert found([at(9, person="contact", method="联系人1", content="locate", debtor_reachable=False), first], rules) == []


def test_unverified_person_hears_nothing_about_the_debt(rules):
    assert found([at(10, person="unverified", content="identity_check")], rules) == []
    assert found([at(10, person="unverified", content="locate")], rules) == []
    assert found([at(10, person="unverified", content="debt_disclosure")], rules) == [(0, "verify-before-disclosure")]


# --- recording --------------------------------------------------------------


def test_answered_call_without_recording(rules):
    assert found([at(10, recorded=False)], rules) == [(0, "call-recording")]
    assert found([at(10, recorded=True), at(11)], rules) == []
    assert found([at(10, answered=False, recorded=False)], rules) == []


# --- field visits -----------------------------------------------------------


def visit(**flags) -> Attempt:
    base = {"collectors_present": 2, "id_shown": True}
    return at(10, channel="visit", method="住址", **{**base, **flags})


def test_field_visit_rules(rules):
    assert found([visit()], rules) == []
    assert found([visit(collectors_present=1)], rules) == [(0, "field-visit-collectors")]
    assert found([visit(collectors_present=3)], rules) == []
    assert found([visit(id_shown=False)], rules) == [(0, "field-visit-id")]
    assert found([visit(entered_premises=True, consent_to_enter=False)], rules) == [(0, "field-visit-consent-to-enter")]
    assert found([visit(entered_premises=True, consent_to_enter=True)], rules) == []
    assert found([visit(entered_premises=False, consent_to_enter=False)], rules) == []
    assert found([visit(collectors_present=1, id_shown=False, entered_premises=True)], rules) == [
        (0, "field-visit-collectors"), (0, "field-visit-id"), (0, "field-visit-consent-to-enter")]


def test_visit_requires_collectors_and_id_flags(rules):
    with pytest.raises(CalculatorInputError) as err:
        check_contact_plan([at(10, channel="visit", method="住址", id_shown=True)], rules)
    assert err.value.field == "attempts[0].collectors_present"
    with pytest.raises(CalculatorInputError) as err:
        check_contact_plan([at(10, channel="visit", method="住址", collectors_present=2)], rules)
    assert err.value.field == "attempts[0].id_shown"


# --- input ------------------------------------------------------------------


def test_mappings_from_json_give_the_same_result(rules):
    attempts = [at(h) for h in (9, 10, 11, 22)]
    as_json = json.loads(json.dumps([a.to_dict() for a in attempts], ensure_ascii=False))
    assert check_contact_plan(as_json, rules) == check_contact_plan(attempts, rules)
    assert found(as_json, rules) == [(3, "quiet-hours"), (3, "effective-call-cap")]


@pytest.mark.parametrize(("change", "field"), [
    ({"channel": "fax"}, "attempts[0].channel"),
    ({"person": "neighbour"}, "attempts[0].person"),
    ({"content": "threat"}, "attempts[0].content"),
    ({"method": " "}, "attempts[0].method"),
    ({"answered": "yes"}, "attempts[0].answered"),
    ({"time": datetime(2026, 3, 2, 10, tzinfo=timezone.utc)}, "attempts[0].time"),
    ({"time": date(2026, 3, 2)}, "attempts[0].time"),
    ({"time": "2026-03-02 ten o'clock"}, "attempts[0].time"),
    ({"debtor_reachable": "no"}, "attempts[0].debtor_reachable"),
    ({"collectors_present": -1}, "attempts[0].collectors_present"),
])
def test_bad_attempts_name_the_field(rules, change, field):
    data = {**at(10).to_dict(), **change}
    with pytest.raises(CalculatorInputError) as err:
        check_contact_plan([data], rules)
    assert err.value.field == field
    assert err.value.message_zh


def test_unknown_key_and_bad_containers(rules):
    with pytest.raises(CalculatorInputError) as err:
        check_contact_plan([{**at(10).to_dict(), "mood": "angry"}], rules)
    assert err.value.field == "attempts[0].mood"
    with pytest.raises(CalculatorInputError):
        check_contact_plan("not a list", rules)
    with pytest.raises(CalculatorInputError) as err:
        check_contact_plan([], {"parameters": {}})
    assert err.value.field == "rules"


def test_rules_round_trip_through_json(rules):
    data = json.loads(json.dumps(rules.to_dict(), ensure_ascii=False))
    assert ConductRules.from_dict(data) == rules


@pytest.mark.parametrize(("path", "value", "field"), [
    (("parameters", "quiet_start"), "25:00", "parameters.quiet_start"),
    (("parameters", "quiet_end"), "22:00", "parameters.quiet_end"),
    (("parameters", "max_effective_calls_per_day"), 0, "parameters.max_effective_calls_per_day"),
    (("parameters", "unanswered_channels"), ["pigeon"], "parameters.unanswered_channels[0]"),
])
def test_bad_rule_data_is_rejected(rules, path, value, field):
    data = rules.to_dict()
    data[path[0]][path[1]] = value
    with pytest.raises(CalculatorInputError) as err:
        ConductRules.from_dict(data)
    assert err.value.field == field


def test_rules_data_must_define_every_checked_rule(rules):
    data = rules.to_dict()
    data["rules"] = [r for r in data["rules"] if r["id"] != "unanswered-cap"]
    with pytest.raises(CalculatorInputError) as err:
        ConductRules.from_dict(data)
    assert err.value.value == "unanswered-cap"


# --- warnings: under the caps but not reasonable (thresholds are data) ----------------------------

from calculators.compliance.conduct import contact_plan_warnings  # noqa: E402


def warned(attempts, rules) -> list[tuple[int, str]]:
    return [(w.index, w.rule_id) for w in contact_plan_warnings(attempts, rules)]


def test_warning_thresholds_are_data_with_sources(rules):
    assert (rules.warn_min_minutes_between_attempts, rules.warn_max_voice_attempts_per_person_per_day,
            rules.warn_max_consecutive_days) == (120, 6, 14)
    for rule_id in ("short-interval-same-method", "daily-attempts-all-methods", "contact-streak"):
        assert "本手册做法" in rules.rule(rule_id).source_text


@pytest.mark.parametrize(("gap_minutes", "warning"), [(119, True), (120, False), (60, True), (180, False)])
def test_short_interval_on_one_number_both_sides(rules, gap_minutes, warning):
    first = at(9, 0, answered=False)
    second = Attempt(first.time + timedelta(minutes=gap_minutes), "phone", "手机1", "debtor", False, "reminder")
    assert warned([first, second], rules) == ([(1, "short-interval-same-method")] if warning else [])
    assert found([first, second], rules) == []  # a warning is never a violation


def test_short_interval_counts_each_number_and_each_day_separately(rules):
    assert warned([at(9, answered=False), at(9, 30, method="手机2", answered=False)], rules) == []
    late, early = at(21, 0, answered=False), at(8, 0, day=DAY + timedelta(days=1), answered=False)
    assert warned([late, early], rules) == []


def test_hourly_dialling_all_day_passes_the_caps_but_is_warned(rules):
    """The R6 case: six unanswered calls an hour apart break no cap; every call after the first is warned."""
    hourly = [at(h, answered=False) for h in range(9, 15)]
    assert found(hourly, rules) == []
    assert warned(hourly, rules) == [(i, "short-interval-same-method") for i in range(1, 6)]
    assert check_contact_plan(hourly, rules).warnings == contact_plan_warnings(hourly, rules)


@pytest.mark.parametrize(("calls", "warned_from"), [(6, None), (7, 6), (8, 6)])
def test_daily_attempts_across_numbers_both_sides(rules, calls, warned_from):
    # alternate two numbers, three hours apart per number, so no spacing warning and no per-number cap
    attempts = [at(8 + (i // 2) * 3 if i % 2 == 0 else 9 + (i // 2) * 3, 30 if i >= 6 else 0, method=f"手机{i % 2 + 1}",
                   answered=False) for i in range(calls)]
    result = [w for w in warned(attempts, rules) if w[1] == "daily-attempts-all-methods"]
    expected = [] if warned_from is None else [(i, "daily-attempts-all-methods") for i in range(warned_from, calls)]
    assert result == expected
    assert found(attempts, rules) == []


def test_daily_total_is_per_person(rules):
    debtor = [at(8 + 2 * i, answered=False, method=f"手机{i % 2 + 1}") for i in range(6)]
    guarantor = [at(9, person="guarantor", method="担保人手机", answered=False)]
    assert [w for w in warned(debtor + guarantor, rules) if w[1] == "daily-attempts-all-methods"] == []


@pytest.mark.parametrize(("days", "warned_days"), [(14, []), (15, [14]), (17, [14, 15, 16])])
def test_contact_streak_both_sides(rules, days, warned_days):
    attempts = [at(10, day=DAY + timedelta(days=d), channel="sms", answered=False) for d in range(days)]
    assert [w for w in warned(attempts, rules) if w[1] == "contact-streak"] == [(d, "contact-streak") for d in warned_days]
    assert found(attempts, rules) == []


def test_contact_streak_is_broken_by_a_day_without_contact(rules):
    days = [d for d in range(16) if d != 7]  # a pause on day 7: two runs of 7 and 8 days
    attempts = [at(10, day=DAY + timedelta(days=d), channel="sms", answered=False) for d in days]
    assert warned(attempts, rules) == []


def test_contact_streak_flags_one_attempt_per_day(rules):
    attempts = [at(10, day=DAY + timedelta(days=d), channel="sms", answered=False) for d in range(15)]
    attempts.append(at(18, day=DAY + timedelta(days=14), channel="sms", answered=False))
    assert [w for w in warned(attempts, rules) if w[1] == "contact-streak"] == [(14, "contact-streak")]


def test_warning_thresholds_follow_the_data(rules):
    data = rules.to_dict()
    data["parameters"]["warn_min_minutes_between_attempts"] = 30
    looser = ConductRules.from_dict(data)
    pair = [at(9, answered=False), at(9, 45, answered=False)]
    assert warned(pair, rules) == [(1, "short-interval-same-method")]
    assert warned(pair, looser) == []
    data["parameters"]["warn_max_consecutive_days"] = 0
    with pytest.raises(CalculatorInputError):
        ConductRules.from_dict(data)
