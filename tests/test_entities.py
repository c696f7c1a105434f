"""Each rule entity is declared once (a stdlib dataclass in the engine); readers, JSON and checks follow the declaration."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import datetime

import pytest
from pydantic import BaseModel

from calculators.compliance import conduct, redlines
from calculators.compliance.conduct import (CHECKED_RULES, WARNING_RULES, Attempt, ConductParameters, ConductRules, check_contact_plan,
                                            conduct_check)
from calculators.compliance.ruledata import read_fields
from calculators.errors import CalculatorInputError
from procedures import exercises, rules


EXISTING_CHECKS = (
    "quiet-hours", "effective-call-cap", "unanswered-cap", "unrelated-third-party", "third-party-only-when-unreachable",
    "third-party-no-debt-disclosure", "third-party-stop-on-request", "verify-before-disclosure", "call-recording",
    "field-visit-collectors", "field-visit-id", "field-visit-consent-to-enter",
)
EXISTING_WARNINGS = ("short-interval-same-method", "daily-attempts-all-methods", "contact-streak")


def test_listing_order_of_existing_checks_is_unchanged():
    """A new check may be registered anywhere; the existing ones keep their relative order."""
    assert [r for r in CHECKED_RULES if r in EXISTING_CHECKS] == list(EXISTING_CHECKS)
    assert [r for r in WARNING_RULES if r in EXISTING_WARNINGS] == list(EXISTING_WARNINGS)
    assert set(CHECKED_RULES).isdisjoint(WARNING_RULES)


@pytest.mark.parametrize(("alias", "engine"), [
    (rules.ConductParameters, conduct.ConductParameters), (rules.ConductRuleModel, conduct.ConductRule),
    (rules.RedlineModel, redlines.Redline), (rules.CategoryModel, redlines.LintCategory), (rules.PatternModel, redlines.Pattern),
])
def test_procedures_names_are_the_engine_declarations(alias, engine):
    assert alias is engine and is_dataclass(engine) and not issubclass(engine, BaseModel)


def test_log_entry_is_an_attempt_plus_a_note():
    assert issubclass(exercises.LogEntry, Attempt) and not issubclass(exercises.LogEntry, BaseModel)
    assert [f.name for f in fields(exercises.LogEntry)] == [f.name for f in fields(Attempt)] + ["note"]


def test_json_parameters_are_the_declared_fields():
    data = rules.conduct_rules().to_dict()
    assert list(data["parameters"]) == [f.name for f in fields(ConductParameters)]
    assert data["parameters"]["quiet_start"] == "22:00" and data["parameters"]["max_effective_calls_per_day"] == 3
    assert ConductRules.from_dict(json.loads(json.dumps(data))) == rules.conduct_rules()


def test_unknown_parameter_is_refused_naming_it():
    data = rules.conduct_rules().to_dict()
    data["parameters"]["max_calls"] = 3
    with pytest.raises(CalculatorInputError) as err:
        ConductRules.from_dict(data)
    assert err.value.field == "parameters.max_calls" and "max_effective_calls_per_day" in err.value.allowed


def test_a_rule_id_must_be_a_slug():
    data = rules.conduct_rules().to_dict()
    data["rules"][0]["id"] = "Quiet Hours"
    with pytest.raises(CalculatorInputError) as err:
        ConductRules.from_dict(data)
    assert err.value.field == "rules[0].id"


def test_a_check_id_can_be_registered_once_only():
    with pytest.raises(ValueError, match="already registered"):
        conduct_check("quiet-hours")


def test_a_registered_check_is_applied_and_its_rule_required(monkeypatch):
    def every_sms(plan, rules_):
        for step in plan:
            if step.attempt.channel == "sms":
                yield step.index, f"{step.head}发了短信。"

    monkeypatch.setitem(conduct._CHECKS, "every-sms", every_sms)
    data = rules.conduct_rules().to_dict()
    with pytest.raises(CalculatorInputError, match="every-sms"):
        ConductRules.from_dict(data)  # the rule the new check applies must be in the data
    data["rules"].append({"id": "every-sms", "title": "不发短信", "text": "测试规则。", "checked": True,
                          "sources": [{"id": "industry-practice", "where": None, "text": "本手册做法"}]})
    plan = [Attempt(datetime(2026, 3, 2, 22, 30), "sms", "手机1", "debtor", False, "reminder")]
    found = [(v.index, v.rule_id) for v in check_contact_plan(plan, ConductRules.from_dict(data))]
    assert found == [(0, "quiet-hours"), (0, "every-sms")]  # registration order: built-in checks first


def test_generic_reader_defaults_and_errors():
    values = read_fields(ConductParameters, rules.conduct_rules().parameters.to_dict(), "parameters")
    assert ConductParameters(**values) == rules.conduct_rules().parameters
    with pytest.raises(CalculatorInputError) as err:
        read_fields(ConductParameters, {**rules.conduct_rules().parameters.to_dict(), "effective_call_channels": []}, "parameters")
    assert err.value.field == "parameters.effective_call_channels" and err.value.allowed == "at least one item"
