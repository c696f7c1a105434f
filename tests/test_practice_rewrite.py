"""Spot-the-violation exercises answered by a rewritten line: the rule, the red-line linter's two layers, the widget."""

from __future__ import annotations

import json

import pytest

from calculators.compliance.redlines import MODEL_VERDICT, RULE_VERDICT, lint
from calculators.errors import CalculatorInputError
from calculators.ui.frontends import browser_call, load_context
from calculators.ui.practice import REWRITE_MAX_CHARS, REWRITE_SUFFIX, check_rewrite, exercise_view, grade_rewrite
from calculators.ui.practice_widgets import ExerciseWidget
from procedures import exercises, practice
from procedures.rules import redlines

KEYS = practice.all_keys()
SPOTS = {ident: key for ident, key in KEYS.items() if key["kind"] == "spot"}
RULES = redlines()
DAY = SPOTS["a-day-of-calls"]  # line 3 tells a colleague about the debt
#: A compliant rewrite of a-day-of-calls line 3 ...
GOOD = "只联系客户本人的手机，不向单位同事透露任何欠款信息。"
#: ... and rewrites that still cross a red line: one a pattern catches, one only the model flags.
THREAT = "请同事转告他信用卡欠款逾期了，再不还就等着坐牢吧。"
MODEL_ONLY = "跟他说一声，再不还钱我们可就不客气了"  # linter5: "……去他单位找他" is now caught by a rule


def test_site_forms_and_the_grader_use_one_rewrite_suffix():
    assert practice.REWRITE_SUFFIX == REWRITE_SUFFIX == ":rewrite"


def test_spot_keys_carry_the_offending_lines_as_recorded():
    exercise = next(e for e in exercises.load("role").exercises if e.id == "a-day-of-calls")
    assert DAY["lines"] == [1, 3]
    assert DAY["originals"] == [exercise.log[0].note, exercise.log[2].note]
    assert all(len(key["originals"]) == len(key["lines"]) for key in SPOTS.values())


def test_a_compliant_rewrite_passes():
    assert check_rewrite(GOOD, DAY["originals"], RULES) == (True, GOOD, [])
    view = grade_rewrite(DAY, GOOD, RULES)
    assert view.summary == {"verdict": "correct", "answer": GOOD, "id": "a-day-of-calls:rewrite"}
    assert "✔ 改写通过" in view.html


@pytest.mark.parametrize("ident", sorted(SPOTS))
def test_every_spot_exercise_accepts_a_plain_compliant_rewrite(ident):
    text = "只联系客户本人，按规定的时间和方式沟通还款。"
    assert lint(text, RULES) == []
    assert check_rewrite(text, SPOTS[ident]["originals"], RULES)[0] is True


def test_a_rewrite_that_still_threatens_fails_with_each_finding_and_its_red_line():
    findings = lint(THREAT, RULES)
    assert [f.category for f in findings] == ["third-party-disclosure", "exaggerated-legal"]
    ok, text, reasons = check_rewrite(THREAT, DAY["originals"], RULES)
    assert not ok and text == THREAT and len(reasons) == 2
    for finding, reason in zip(findings, reasons):
        assert reason.startswith(f"{RULE_VERDICT}：“{finding.text}”属于{finding.name}（")
        assert finding.rule.rstrip("。") in reason and finding.sources[0] in reason
    view = grade_rewrite(DAY, THREAT, RULES)
    assert view.summary["verdict"] == "incorrect"
    assert "✘ 改写未通过" in view.html and "可以修改后再次提交" in view.html and "坐牢" in view.html


def test_the_models_review_flag_also_fails_a_rewrite():
    findings = lint(MODEL_ONLY, RULES)
    assert [f.source for f in findings] == ["model"]  # no pattern matches: only the second layer flags it
    ok, _, reasons = check_rewrite(MODEL_ONLY, DAY["originals"], RULES)
    assert not ok and reasons == [f"{MODEL_VERDICT}：“{findings[0].text}”属于{findings[0].name}（"
                                  f"{findings[0].rule.rstrip('。')}；依据：{'；'.join(findings[0].sources)}）"]


def test_copying_the_original_line_is_not_a_rewrite():
    original = DAY["originals"][0]  # 上班前顺手拨了一次，未接通。 -- the linter finds nothing in it (a timing breach)
    assert lint(original, RULES) == []
    for typed in (original, " " + original.replace("，", ", ").rstrip("。") + " "):
        ok, _, reasons = check_rewrite(typed, DAY["originals"], RULES)
        assert not ok and reasons == ["与原记录相同：请改写这一条，而不是照抄"]


def test_unrelated_text_is_not_a_rewrite():
    ok, _, reasons = check_rewrite("今天天气很好哦。", DAY["originals"], RULES)
    assert not ok and reasons == ["与原记录没有一个相同的字：请改写违规的那一条，而不是另写无关的话"]


@pytest.mark.parametrize("typed", ["", "   ", "ok fine", "好的", "好" * (REWRITE_MAX_CHARS + 1), "只联系本人。\n不透露欠款。"])
def test_unreadable_rewrites_are_input_errors_not_wrong_answers(typed):
    with pytest.raises(CalculatorInputError):
        check_rewrite(typed, DAY["originals"], RULES)
    view = grade_rewrite(DAY, typed, RULES)
    assert not view.ok and view.error_field == "answer"
    assert view.error_message.startswith("你的改写：") and "至少 4 个汉字" in view.error_message


def test_rewrite_mode_only_for_spot_exercises_and_the_api_loads_the_red_lines():
    compute = json.dumps(KEYS["late-fee-partial"])
    view = exercise_view({"key": compute, "answer": GOOD, "mode": "rewrite"})
    assert not view.ok and view.error_message == "你的改写：只有找错题可以改写违规的记录。"
    assert exercise_view({"key": json.dumps(DAY), "answer": THREAT, "mode": "rewrite"}).summary["verdict"] == "incorrect"


def test_browser_call_checks_a_rewrite_like_the_api():
    context = json.dumps(load_context("exercise").to_dict(), ensure_ascii=False)
    for typed in (GOOD, THREAT, MODEL_ONLY, ""):
        page = practice.page_key(DAY)  # what the site page carries
        out = json.loads(browser_call("exercise", json.dumps({"key": json.dumps(page), "answer": typed, "mode": "rewrite"}), context))
        api = grade_rewrite(DAY, typed, RULES)
        if api.ok:
            assert out["ok"] and out["html"] == api.html and out["summary"] == api.summary
        else:
            assert out == {"ok": False, "field": "answer", "message": api.error_message}


def test_site_forms_give_the_rewrite_its_own_contract_ids():
    text = practice.practice_markdown(exercises.load("role"))
    rid = "a-day-of-calls" + REWRITE_SUFFIX
    for attribute in ("data-exercise", "data-exercise-submit", "data-verdict-for", "data-exercise-box"):
        assert text.count(f'{attribute}="{rid}"') == 1
    # The spot question keeps its contract: one check box per line, all with the plain id.
    assert text.count('data-exercise="a-day-of-calls"') == DAY["count"]
    box = text.index(f'data-exercise-box="{rid}"')
    assert text.index('data-exercise-box="a-day-of-calls"') < box < text.index(practice.MARKER, box)
    assert 'data-exercise-box="late-fee-partial:rewrite"' not in practice.practice_markdown(exercises.load("calc"))


def test_page_keys_leave_the_solution_to_the_folded_answer():
    for key in KEYS.values():
        page = practice.page_key(key)
        assert "solution" not in page and "title" not in page
        assert set(page) <= set(key)
        if key["kind"] == "choice":
            assert page["options"] == {letter: "" for letter in key["options"]}


def test_widget_rewrite_passes_and_fails_and_retries():
    box = ExerciseWidget(DAY)
    assert box.rewrite is not None
    box.rewrite.value = THREAT  # Enter (the change) submits
    assert box.rewrite_verdict == "incorrect" and "✘ 改写未通过" in box.rewrite_result.value and "坐牢" in box.rewrite_result.value
    box.rewrite.value = ""
    assert box.rewrite_verdict == "" and "你的改写" in box.rewrite_error.value and box.rewrite_result.value == ""
    box.rewrite.value = GOOD
    assert box.rewrite_verdict == "correct" and "✔ 改写通过" in box.rewrite_result.value and box.rewrite_error.value == ""
    assert box.verdict == ""  # the line choice is a separate answer
    assert ExerciseWidget(KEYS["late-fee-partial"]).rewrite is None


def test_class_summary_names_the_rewrite(tmp_path, capsys):
    path = tmp_path / "a.json"
    results = {"a-day-of-calls:rewrite": {"attempts": [{"answer": THREAT, "verdict": "incorrect"}, {"answer": GOOD, "verdict": "correct"}]}}
    path.write_text(json.dumps({"format": practice.EXPORT_FORMAT, "results": results}, ensure_ascii=False), encoding="utf-8")
    assert practice.main(["summary", str(path)]) == 0
    assert f"{DAY['title']}·改写（a-day-of-calls:rewrite） | 1 | 0% | 100% |" in capsys.readouterr().out
