"""The rules, stages, legal and script data: valid, cross-referenced, and errors that name file, line and field."""

from __future__ import annotations

import ast
import json
import re
import shutil
from datetime import time
from pathlib import Path

import pytest

from calculators.compliance.conduct import ConductRules
from calculators.delinquency import M_BUCKETS, delinquency_bucket
from calculators.compliance.overdraft import OverdraftRules
from calculators.compliance.redlines import RedlineRules
from procedures import loader, rules
from procedures.loader import ProcedureFileError

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_validate_passes():
    assert rules.validate() == 4 + len(rules.scripts())


def test_stage_buckets_are_the_calculators_buckets():
    assert [s.bucket for s in rules.stages()] == [code for code, _, _ in M_BUCKETS]
    table = rules.stage_table()
    for row, (code, low, high) in zip(table, M_BUCKETS):
        assert (row["bucket"], row["days_from"], row["days_to"]) == (code, low, high)
        assert delinquency_bucket(low).bucket == code
        assert delinquency_bucket(low).category in row["categories"]
    assert [r["categories"] for r in table] == [["正常"], ["关注"], ["关注"], ["关注"], ["次级"], ["可疑"], ["可疑"], ["损失"]]


def test_stage_data_does_not_copy_day_ranges():
    text = (rules.RULES_DIR / "stages.yml").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(days|range|min_days|max_days|from|to_days)\s*:", text, re.M)


def test_stages_link_procedures_scripts_and_move_on():
    library = rules.scripts()
    for stage in rules.stages():
        assert stage.procedure in rules.PROCEDURE_PAGES
        assert set(stage.scripts) <= set(library)
        assert stage.who and stage.channels and stage.move_on
    targets = {m.to for s in rules.stages() for m in s.move_on}
    assert {"next", "outsourcing", "legal", "write-off"} <= targets


def test_script_library_covers_the_situations():
    assert set(rules.scripts()) == {"identity-check", "identity-questioned", "cannot-pay", "angry-customer", "stop-family-calls",
                                     "promise-to-pay", "installment-or-waiver", "card-stolen", "disputes-debt",
                                     # the special situations (procedures/situations/)
                                     "deceased-family", "vulnerable-customer", "credit-dispute", "third-party-agent",
                                     "outsourcing-notice", "spouse-asks", "court-question"}
    for script in rules.scripts().values():
        assert script.say and script.never_say and script.sources
        assert all(CJK.search(p.text) for p in script.say)
        assert all(item.why and item.sources for item in script.never_say)


def test_identity_check_says_nothing_about_the_debt_before_verification():
    say = rules.scripts()["identity-check"].say
    verified = next(i for i, p in enumerate(say) if "身份已经核实" in p.text)
    before = " ".join(p.text for p in say[:verified])
    third_party = next(p.text for p in say if "转告" in p.text)
    for word in ("欠", "逾期", "催收", "还款", "金额", "账户"):
        assert word not in before and word not in third_party


def test_conduct_parameters_and_sources():
    data = rules.conduct()
    p = data.parameters
    assert (p.quiet_start, p.quiet_end) == (time(22, 0), time(8, 0))
    assert (p.to_dict()["quiet_start"], p.to_dict()["quiet_end"]) == ("22:00", "08:00")
    assert (p.max_effective_calls_per_day, p.max_unanswered_per_day_per_method) == (3, 6)
    assert (p.retention_years, p.field_visit_min_collectors) == (2, 2)
    cited = {r.id: {c.id for c in r.sources} for r in data.rules}
    assert cited["effective-call-cap"] == {"gbt-45251", "industry-practice"}
    assert cited["unanswered-cap"] == {"cba-2026"}
    assert "measures-2011" in cited["recording-retention"]
    assert all(CJK.search(r.title) and CJK.search(r.text) for r in data.rules)


def test_no_08_to_21_window_is_stated_as_a_rule():
    data = rules.conduct()
    assert any("08:00–21:00" in u.claim and "未找到" in u.note for u in data.unsupported)
    for rule in data.rules:
        assert "21:00" not in rule.text and "21 点" not in rule.text
    assert "21:00" not in json.dumps(data.parameters.to_dict())


def test_legal_data():
    data = rules.legal()
    mo = data.malicious_overdraft
    assert [str(b.minimum) for b in mo.bands] == ["50000.00", "500000.00", "5000000.00"]
    assert [str(b.minimum) for b in mo.history[0].bands] == ["10000.00", "100000.00", "1000000.00"]
    assert (mo.effective_collection.min_gap_days, mo.unpaid_months) == (30, 3)
    assert len(mo.presumptions.items) == 6 and len(mo.effective_collection.conditions) == 4
    assert {c.where for c in mo.amount.sources} == {"第九条"}
    assert data.limitation.years == 3
    assert {c.id for c in data.credit_reporting} == {"advance-notice", "retention", "statement", "dispute", "complaint"}
    assert {c.contact for c in data.complaint_channels} >= {"12378", "12363"}
    assert {r.id for r in data.civil_routes} == {"lawsuit", "payment-order", "arbitration", "enforcement"}
    assert all(r.sources or r.pending_sources for r in data.civil_routes)


def test_every_citation_resolves_to_display_text():
    known = loader.sources()
    rule = rules.conduct_rules().rule("third-party-no-debt-disclosure")
    assert [r.text for r in rule.sources] == ["2011 年《办法》第六十八条", "GB/T 45251-2025", "2026 年银行业协会催收指引", "《个人信息保护法》第十条"]
    for category in rules.redlines().categories:
        assert all(ref.id in known and ref.text.startswith(known[ref.id].short) for ref in category.sources)


def test_unknown_source_in_conduct_rules_reports_line(tmp_path):
    path = _copy(tmp_path, "conduct.yml")
    old = "        where: 第十条、第十三条\n\n  - id: verify-before-disclosure"
    assert old in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(old, "      - id: cba-2027\n\n  - id: verify-before-disclosure"), encoding="utf-8")
    with pytest.raises(ProcedureFileError) as err:
        rules.conduct_rules(path)
    assert re.search(rf"{re.escape(str(path))}:{_line_of(path, 'cba-2027')}: rules\.\d+\.sources\.\d+\.id: unknown source id 'cba-2027'", str(err.value))


def test_stdlib_objects_round_trip_as_json():
    assert ConductRules.from_dict(json.loads(json.dumps(rules.conduct_rules().to_dict()))) == rules.conduct_rules()
    assert RedlineRules.from_dict(json.loads(json.dumps(rules.redlines().to_dict()))) == rules.redlines()
    assert OverdraftRules.from_dict(json.loads(json.dumps(rules.overdraft_rules().to_dict()))) == rules.overdraft_rules()


@pytest.mark.parametrize("module", ["compliance/conduct", "compliance/overdraft", "compliance/ruledata", "compliance/redlines"])
def test_checker_modules_import_only_stdlib_and_calculators(module):
    tree = ast.parse((ROOT / "calculators" / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [] if node.level else [(node.module or "").split(".")[0]]
        else:
            continue
        for name in names:
            assert name in {"__future__", "collections", "dataclasses", "datetime", "decimal", "re", "types", "typing"}, name


# --- broken files report file, line and field ------------------------------------


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(rules.RULES_DIR / name, target)
    return target


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_bad_value_reports_file_line_and_field(tmp_path):
    path = _copy(tmp_path, "conduct.yml")
    path.write_text(path.read_text(encoding="utf-8").replace("max_effective_calls_per_day: 3", "max_effective_calls_per_day: three"), encoding="utf-8")
    with pytest.raises(ProcedureFileError) as err:
        rules.conduct_rules(path)
    line = _line_of(path, "max_effective_calls_per_day: three")
    assert f"{path}:{line}: parameters.max_effective_calls_per_day:" in str(err.value)


def test_rule_texts_quote_the_parameters_written_once():
    data = rules.conduct()
    raw = (rules.RULES_DIR / "conduct.yml").read_text(encoding="utf-8")
    assert "⟦max_effective_calls_per_day⟧" in raw and "不超过 3 次" not in raw  # the file quotes, never restates
    by_id = {r.id: r for r in data.rules}
    assert by_id["effective-call-cap"].title == "每日主动有效通话不超过 3 次（上限）"
    assert "当天尝试拨打不宜超过 6 次。6 次是上限" in by_id["unanswered-cap"].text
    assert by_id["quiet-hours"].text.startswith("每日 22:00 至次日 08:00 不得")
    assert by_id["field-visit-collectors"].title == "外访至少 2 人"
    assert "至少保存 2 年备查" in by_id["recording-retention"].text
    assert not any("⟦" in (r.title + r.text + (r.note or "")) for r in data.rules)
    engine = rules.conduct_rules()
    assert engine.rules["effective-call-cap"].title == by_id["effective-call-cap"].title


def test_a_changed_parameter_changes_every_text_that_quotes_it(tmp_path):
    path = _copy(tmp_path, "conduct.yml")
    path.write_text(path.read_text(encoding="utf-8").replace("max_effective_calls_per_day: 3", "max_effective_calls_per_day: 2"), encoding="utf-8")
    by_id = {r.id: r for r in rules.conduct(path).rules}
    assert by_id["effective-call-cap"].title == "每日主动有效通话不超过 2 次（上限）"
    assert "与每日 2 次有效通话上限" in by_id["unanswered-cap"].note
    assert rules.conduct_rules(path).max_effective_calls_per_day == 2


def test_an_unknown_parameter_token_is_an_error(tmp_path):
    path = _copy(tmp_path, "conduct.yml")
    path.write_text(path.read_text(encoding="utf-8").replace("⟦retention_years⟧ 年备查", "⟦retention_yaers⟧ 年备查"), encoding="utf-8")
    with pytest.raises(ProcedureFileError, match="unknown parameter token ⟦retention_yaers⟧"):
        rules.conduct(path)


def test_unknown_channel_reports_its_line(tmp_path):
    path = _copy(tmp_path, "conduct.yml")
    path.write_text(path.read_text(encoding="utf-8").replace("unanswered_channels: [phone, ai_call]", "unanswered_channels: [phone, pigeon]"), encoding="utf-8")
    with pytest.raises(ProcedureFileError) as err:
        rules.conduct_rules(path)
    line = _line_of(path, "pigeon")
    assert f"{path}:{line}: parameters.unanswered_channels:" in str(err.value) and "pigeon" in str(err.value)


def test_missing_field_reports_parent_line(tmp_path):
    path = _copy(tmp_path, "legal.yml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  unpaid_months: 3\n", ""), encoding="utf-8")
    with pytest.raises(ProcedureFileError) as err:
        rules.legal(path)
    # a missing key points at its parent mapping (the loader reports the line where that mapping starts)
    assert f"{path}:{_line_of(path, '  definition:')}: malicious_overdraft.unpaid_months: Field required" in str(err.value)


def test_unknown_source_id_reports_line_and_field(tmp_path):
    folder = tmp_path / "scripts"
    folder.mkdir()
    source = rules.SCRIPTS_DIR / "cannot-pay.yml"
    path = folder / "cannot-pay.yml"
    text = source.read_text(encoding="utf-8").replace("  - id: measures-2011\n    where: 第七十条", "  - id: measures-2099\n    where: 第七十条")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProcedureFileError) as err:
        rules.scripts(folder)
    assert f"{path}:{_line_of(path, 'measures-2099')}: sources.0.id: unknown source id 'measures-2099'" in str(err.value)


def test_yaml_syntax_error_reports_line(tmp_path):
    path = _copy(tmp_path, "stages.yml")
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "bucket: M3" in line)
    lines[index] = lines[index] + ": : ["
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ProcedureFileError) as err:
        rules.stages(path)
    assert re.search(rf"{re.escape(str(path))}:{index + 1}: \(file\):", str(err.value))


def test_stage_buckets_must_match_the_calculators(tmp_path):
    path = _copy(tmp_path, "stages.yml")
    path.write_text(path.read_text(encoding="utf-8").replace("bucket: M7", "bucket: M6"), encoding="utf-8")
    with pytest.raises(ProcedureFileError) as err:
        rules.stages(path)
    assert "M_BUCKETS" in str(err.value) and f"{path}:" in str(err.value)


def test_bad_regex_reports_its_line(tmp_path):
    path = _copy(tmp_path, "redlines.yml")
    text = path.read_text(encoding="utf-8").replace('"(后果自负|走着瞧', '"((后果自负|走着瞧', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProcedureFileError) as err:
        rules.redlines(path)
    message = str(err.value)
    assert f"{path}:{_line_of(path, '((后果自负')}: categories[0].patterns[2].regex" in message
    assert "a valid regular expression" in message


@pytest.mark.parametrize("replacement, message", [
    ('    - name: 数额较大\n      minimum: "50000.00"\n      extra: 1\n', "bands.0.extra: Unexpected keyword argument"),
    ('    - name: 数额较大\n      minimum: "0"\n', "bands.0: Value error, minimum=0 is not allowed"),
    ('    - name: 数额较大\n      minimum: "50000.001"\n', "minimum=50000.001 is not allowed"),
    ('    - name: ""\n      minimum: "50000.00"\n', "name='' is not allowed: a non-empty text"),
])
def test_amount_bands_are_the_engines_dataclass_validated_from_yaml(tmp_path, replacement, message):
    # One declaration: AmountBand (calculators.compliance.overdraft) is the type pydantic validates the YAML into.
    from calculators.compliance.overdraft import AmountBand

    assert all(type(b) is AmountBand for b in rules.legal().malicious_overdraft.bands)
    path = _copy(tmp_path, "legal.yml")
    original = '    - name: 数额较大\n      minimum: "50000.00"\n'
    path.write_text(path.read_text(encoding="utf-8").replace(original, replacement, 1), encoding="utf-8")
    with pytest.raises(ProcedureFileError, match=re.escape(message)) as err:
        rules.legal(path)
    assert f"{path}:6" in str(err.value)  # the band's own line (64-66)
