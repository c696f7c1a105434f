"""Case role-plays: data validated like the rest, every step graded by the tools, the debrief, the widget."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest

from calculators import handbook_terms, late_fee, negotiated_plan
from calculators.ui.frontends import browser_call, contexts_for_browser, load_context
from calculators.ui.practice_widgets import RoleplayWidget
from calculators.ui.roleplay import debrief, grade_step
from procedures import loader, roleplay
from procedures.validate import validate_all
from procedures.loader import ProcedureFileError

CONTEXT = load_context("roleplay")
KEYS = {case.id: roleplay.case_key(case) for case in roleplay.cases()}


def right(step) -> str:
    return {"choose": lambda s: next(k for k, o in s["options"].items() if o["ok"]), "say": lambda s: s["model"],
            "figure": lambda s: s["value"], "plan": lambda s: str(s["model_periods"])}[step["kind"]](step)


def wrong(step) -> str:
    if step["kind"] == "choose":
        return next(k for k, o in step["options"].items() if not o["ok"])
    if step["kind"] == "say":
        return "你这个老赖，再不还钱就等着坐牢吧。"
    if step["kind"] == "figure":
        return str(Decimal(step["value"]) + 1)
    return str(handbook_terms().negotiated_max_periods + 1)


def test_five_cases_cover_the_required_situations_and_all_stages():
    assert set(KEYS) == {"emotional-customer", "cannot-pay", "disputed-debt", "third-party", "legal-action"}
    for key in KEYS.values():
        assert [s["stage"] for s in key["steps"]] == list(roleplay.STAGES), key["id"]
    kinds = {s["kind"] for key in KEYS.values() for s in key["steps"]}
    assert kinds == {"choose", "say", "figure", "plan"}
    assert roleplay.validate() == 5
    assert validate_all() >= 35  # python -m procedures checks the cases too


@pytest.mark.parametrize("case_id", sorted(KEYS))
def test_every_step_right_and_wrong(case_id):
    key = KEYS[case_id]
    for step in key["steps"]:
        good, bad = grade_step(key, step["id"], right(step), CONTEXT), grade_step(key, step["id"], wrong(step), CONTEXT)
        assert good.summary["verdict"] == "correct", (step["id"], good.html)
        assert bad.summary["verdict"] == "incorrect", (step["id"], bad.html)
        assert "出处：" in bad.html and all(s.split("·")[0] in loader.sources() for s in step["sources"])
        # readers see the sources' names and articles, as on the page, never their ids (measures-2011, gbt-45251)
        assert "出处：" + "；".join(step["cited"]) + "）" in bad.html and not any(s in bad.html for s in step["sources"])


def test_figures_are_the_calculators():
    step = KEYS["emotional-customer"]["steps"][0]
    assert Decimal(step["value"]) == late_fee("1500.00", "500.00", handbook_terms())
    assert grade_step(KEYS["emotional-customer"], step["id"], "￥５０元", CONTEXT).summary["verdict"] == "correct"


def test_plan_uses_negotiated_plan_and_the_profiles_longest_term():
    key, terms = KEYS["cannot-pay"], handbook_terms()
    step = next(s for s in key["steps"] if s["kind"] == "plan")
    fits = negotiated_plan("36000", step["model_periods"], terms, interest="2400", late_fees="600")
    shorter = negotiated_plan("36000", step["model_periods"] - 1, terms, interest="2400", late_fees="600")
    assert max(r.payment for r in fits.rows) <= Decimal("1200") < max(r.payment for r in shorter.rows)
    over = grade_step(key, step["id"], str(terms.negotiated_max_periods + 1), CONTEXT)
    assert over.summary["verdict"] == "incorrect" and f"最长期限 {terms.negotiated_max_periods} 期" in over.html
    short = grade_step(key, step["id"], str(step["model_periods"] - 1), CONTEXT)
    assert short.summary["verdict"] == "incorrect" and "超过客户说的每月最多 1,200.00 元" in short.html
    assert grade_step(key, step["id"], "两年", CONTEXT).error_message.startswith("你的回答：您填的是“两年”")


def test_say_is_checked_by_the_linter_and_the_required_points():
    key = KEYS["emotional-customer"]
    view = grade_step(key, "emotional-say", "你这个老赖还有脸投诉？我会记录。", CONTEXT)
    assert view.summary["verdict"] == "incorrect" and "红线：“老赖”" in view.html
    view = grade_step(key, "emotional-say", "您好，我们再看看还款怎么安排。", CONTEXT)
    assert view.summary["verdict"] == "incorrect" and "缺少：承认客户有投诉的权利" in view.html


def test_debrief_lists_good_and_crossed_points_with_rules():
    key = KEYS["third-party"]
    answers = {s["id"]: right(s) for s in key["steps"]}
    answers["third-party-contact"] = "B"  # tells the sister about the debt
    view = debrief(key, answers, CONTEXT)
    assert view.summary == {"correct": "4", "crossed": "1", "steps": "5"}
    crossed = view.html.split("越线或不妥的")[1]
    assert "打给联系人说什么" in crossed and "2011 年《办法》第六十八条" in crossed  # the source's name, as on the page
    assert "measures-2011" not in view.html and "gbt-45251" not in view.html  # never its id
    partial = debrief(key, {"third-party-understand": right(key["steps"][0])}, CONTEXT)
    assert "未作答的" in partial.html and partial.summary["correct"] == "1"


def test_browser_call_and_widget_agree():
    key = KEYS["legal-action"]
    contexts = contexts_for_browser()
    context = json.dumps({"terms": contexts["terms"], "redlines": contexts["redlines"]}, ensure_ascii=False)
    widget = RoleplayWidget(key, CONTEXT)
    for step in key["steps"]:
        for answer in (wrong(step), right(step)):
            out = json.loads(browser_call("roleplay", json.dumps({"key": json.dumps(key), "step": step["id"], "answer": answer}), context))
            widget.answers[step["id"]].value = answer
            widget.submit(step["id"])
            assert widget.verdicts[step["id"]] == out["summary"]["verdict"]
            assert widget.results[step["id"]].value == out["html"]
        assert widget.verdicts[step["id"]] == "correct"
    widget.show_debrief()
    assert "（5 / 5 步做得对）" in widget.debrief.value


def test_a_bad_case_file_is_reported_with_file_and_line(tmp_path):
    source = (roleplay.CASES_DIR / "legal-action.yml").read_text(encoding="utf-8")
    bad = tmp_path / "legal-action.yml"
    bad.write_text(source.replace("        correct: true\n      - text: 下午用智能语音外呼",
                                  "      - text: 下午用智能语音外呼", 1).replace(
        "      - text: 下午 16:00 再打第 4 次，催他表态。\n", "      - text: 下午 16:00 再打第 4 次，催他表态。\n        correct: true\n", 1),
        encoding="utf-8")
    with pytest.raises(ProcedureFileError) as error:
        roleplay.load_path(bad)
    text = str(error.value)
    assert f"{bad}:" in text and "option A is marked correct but the checker finds ['effective-call-cap']" in text
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(roleplay.CASES_DIR / "cannot-pay.yml", other / "cannot-pay.yml")
    (other / "cannot-pay.yml").write_text((other / "cannot-pay.yml").read_text(encoding="utf-8").replace(
        "    stage: legal\n", "    stage: court\n"), encoding="utf-8")
    with pytest.raises(ProcedureFileError) as error:
        roleplay.load_path(other / "cannot-pay.yml")
    assert "steps.4.stage" in str(error.value)


def test_role_play_answers_are_read_as_the_calculators_and_the_rewrite_box_read_them():
    # a tester's browser probe (session 34): an empty answer said "您填的是“”", a 3-decimal amount was graded and echoed,
    # an English sentence was graded as a script, and the debrief doubled its full stops
    key = KEYS["emotional-customer"]
    figure = next(s for s in key["steps"] if s["kind"] == "figure")
    assert grade_step(key, figure["id"], "", CONTEXT).error_message.startswith("你的回答：尚未填写。")
    for typed in ("1000.001", "-40"):
        view = grade_step(key, figure["id"], typed, CONTEXT)
        assert not view.ok and "最多两位小数" in view.error_message, typed
    say = next(s for s in key["steps"] if s["kind"] == "say")
    english = grade_step(key, say["id"], "Hello, please pay.", CONTEXT)
    assert not english.ok and "用中文写出" in english.error_message
    for case_id, case in KEYS.items():
        answers = {s["id"]: right(s) for s in case["steps"]}
        half = {s["id"]: wrong(s) for s in case["steps"]}
        for view in (debrief(case, answers, CONTEXT), debrief(case, half, CONTEXT)):
            assert "。。" not in view.html, case_id


def test_role_play_number_fields_bring_up_the_number_keyboard():
    for case in roleplay.cases():
        page = roleplay.case_markdown(case)
        for kind, mode in (("figure", "decimal"), ("plan", "numeric")):
            if any(s["kind"] == kind for s in KEYS[case.id]["steps"]):
                assert f'inputmode="{mode}"' in page, (case.id, kind)
