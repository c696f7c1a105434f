"""Answerable exercises: grading keys agree with the tools, the widget and the API agree, class summaries add up."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from calculators import handbook_terms, late_fee
from calculators.ui.frontends import TOOLS, browser_call, load_context
from calculators.errors import CalculatorInputError
from calculators.ui.practice import grade, parse_lines
from calculators.ui.practice_widgets import ExerciseWidget
from helpers import ROOT
from procedures import exercises, practice

KEYS = practice.all_keys()


def right_answer(key) -> str:
    if key["kind"] == "compute":
        return key["shown"].removesuffix(" 元")
    if key["kind"] == "choice":
        return key["correct"]
    return ",".join(map(str, key["lines"]))


def wrong_answer(key) -> str:
    if key["kind"] == "compute":
        if key["unit"] == "text":
            return "M1" if key["value"] != "M1" else "M2"
        return str(Decimal(key["value"]) * (100 if key["unit"] == "percent" else 1) + 1)
    if key["kind"] == "choice":
        return next(letter for letter in key["options"] if letter != key["correct"])
    missing = [i for i in range(1, key["count"] + 1) if i not in key["lines"]]
    return ",".join(map(str, key["lines"][1:] + missing[:1])) or str(missing[0])


def test_every_kind_is_present_and_ids_are_unique():
    kinds = {key["kind"] for key in KEYS.values()}
    assert kinds == {"compute", "choice", "spot"}
    assert len(KEYS) == sum(len(exercises.load(c).exercises) for c in exercises.CHAPTERS) == 32


@pytest.mark.parametrize("ident", sorted(KEYS))
def test_right_and_wrong_answer_for_every_exercise(ident):
    key = KEYS[ident]
    right, wrong = grade(key, right_answer(key)), grade(key, wrong_answer(key))
    assert right.summary["verdict"] == "correct", right.html
    assert wrong.summary["verdict"] == "incorrect", wrong.html
    assert "✘ 不对" in wrong.html and str(key["shown"]) in wrong.html and key["solution"] in wrong.html


def test_compute_answer_is_the_calculators_value_with_the_builds_profile():
    exercise = next(e for e in exercises.load("calc").exercises if e.id == "late-fee-partial")
    expected = late_fee(exercise.args["minimum_due"], exercise.args["paid"], handbook_terms())
    key = KEYS["late-fee-partial"]
    assert Decimal(key["value"]) == expected == Decimal("40.00")
    # Typed the ways people type it: the same normaliser as the calculator forms.
    for typed in ("40", "40.00", "４０", "￥40", "40元", "RMB 40.00"):
        assert grade(key, typed).summary["verdict"] == "correct", typed
    assert grade(key, "39.99").summary["verdict"] == "incorrect"
    # The working is the calculators' own Chinese steps.
    assert "最低还款额未还部分：1,000.00 − 200.00 = 800.00 元。" in key["solution"]


def test_unreadable_answers_are_input_errors_not_wrong_answers():
    view = grade(KEYS["late-fee-partial"], "四十块")
    assert not view.ok and view.error_field == "answer" and view.error_message.startswith("你的答案：您填的是“四十块”")
    choice = next(k for k in KEYS.values() if k["kind"] == "choice")
    assert grade(choice, "").error_message.endswith("请选一个选项（" + "、".join(choice["options"]) + "）。")
    spot = next(k for k in KEYS.values() if k["kind"] == "spot")
    assert "填记录的序号" in grade(spot, str(spot["count"] + 1)).error_message
    assert grade(spot, "").error_message.endswith("请至少选一条记录。")
    bucket = KEYS["which-bucket"]
    assert grade(bucket, "abc").error_message == "你的答案：您填的是“abc”。允许：填账龄，M0、M1、M2、M3、M4、M5、M6、M7 之一（M7 也称 M6+）。"
    assert grade(bucket, "ｍ４").summary["verdict"] == "correct"


def test_apr_answer_accepts_the_shown_percent():
    key = KEYS["installment-apr"]
    assert key["unit"] == "percent"
    assert grade(key, key["shown"]).summary["verdict"] == "correct"
    assert grade(key, key["shown"].replace("%", "％")).summary["verdict"] == "correct"
    assert grade(key, "9%").summary["verdict"] == "incorrect"


def test_spot_lines_are_read_in_any_order_and_form():
    assert parse_lines("第3条、1，３", 4) == [1, 3]
    with pytest.raises(CalculatorInputError):
        parse_lines("x", 4)


def test_browser_call_grades_like_the_api():
    """The site form calls browser_call('exercise', ...) inside Pyodide: same Python, same verdict."""
    key = KEYS["late-fee-partial"]
    context = json.dumps(load_context("exercise").to_dict(), ensure_ascii=False)
    out = json.loads(browser_call("exercise", json.dumps({"key": json.dumps(key), "answer": "40"}), context))
    assert out["ok"] and out["summary"]["verdict"] == "correct" and out["html"] == grade(key, "40").html
    out = json.loads(browser_call("exercise", json.dumps({"key": json.dumps(key), "answer": "abc"}), context))
    assert out == {"ok": False, "field": "answer", "message": grade(key, "abc").error_message}
    assert TOOLS["exercise"].view is not None


@pytest.mark.parametrize("kind", ["compute", "choice", "spot"])
def test_widget_right_then_wrong_then_retry(kind):
    key = next(k for k in KEYS.values() if k["kind"] == kind)
    box = ExerciseWidget(key)

    def answer(text):
        if kind == "spot":
            box.answer.value = tuple(text.split(","))
        elif kind == "compute":
            box.answer.value = text  # Enter in the text box submits (continuous_update=False)
        else:
            box.answer.value = text
        box.submit()

    answer(wrong_answer(key))
    assert box.verdict == "incorrect" and "✘ 不对" in box.result.value and key["solution"] in box.result.value
    answer(right_answer(key))
    assert box.verdict == "correct" and "✔ 回答正确" in box.result.value and box.error.value == ""


def test_widget_shows_an_input_error_under_the_answer():
    box = ExerciseWidget(KEYS["late-fee-partial"])
    box.answer.value = "abc"  # the change submits, like Enter
    assert box.verdict == "" and "您填的是“abc”" in box.error.value and box.result.value == ""


def test_site_page_has_one_form_per_exercise_before_the_folded_answer():
    for chapter in exercises.CHAPTERS:
        exercise_set = exercises.load(chapter)
        text = practice.practice_markdown(exercise_set)
        for exercise in exercise_set.exercises:
            form = text.index(f'data-exercise-box="{exercise.id}"')
            assert text.index(f'data-exercise-submit="{exercise.id}"') > form
            assert text.index(practice.MARKER, form) > form  # the static answer stays, folded, after the form
            assert f'data-verdict-for="{exercise.id}"' in text


def export(tmp_path, name, results):
    path = tmp_path / name
    path.write_text(json.dumps({"format": practice.EXPORT_FORMAT, "results": results}, ensure_ascii=False), encoding="utf-8")
    return path


def test_class_summary_command(tmp_path, capsys):
    a = export(tmp_path, "a.json", {"late-fee-partial": {"attempts": [{"answer": "50 元", "verdict": "incorrect"},
                                                                      {"answer": "40 元", "verdict": "correct"}]}})
    b = export(tmp_path, "b.json", {"late-fee-partial": {"attempts": [{"answer": "40 元", "verdict": "correct"}]},
                                    "will-i-go-to-jail": {"attempts": [{"answer": "A", "verdict": "incorrect"}]}})
    c = export(tmp_path, "c.json", {"late-fee-partial": {"attempts": [{"answer": "50 元", "verdict": "incorrect"}]}})
    assert practice.main(["summary", str(a), str(b), str(c), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["late-fee-partial"] == {"trainees": 3, "first_try": pytest.approx(1 / 3), "in_the_end": pytest.approx(2 / 3),
                                           "wrong": [["50 元", 2]]}
    assert summary["will-i-go-to-jail"] == {"trainees": 1, "first_try": 0.0, "in_the_end": 0.0, "wrong": [["A", 1]]}
    assert practice.main(["summary", str(a), str(b), str(c)]) == 0
    table = capsys.readouterr().out
    assert "共 3 份记录。" in table
    assert "| 只还了一部分最低还款额（late-fee-partial） | 3 | 33% | 67% | 50 元（2） |" in table


def test_class_summary_rejects_a_foreign_file(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"results": {}}', encoding="utf-8")
    assert practice.main(["summary", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "bad.json: not a practice export" in err


def test_make_class_summary_prints_the_table_and_no_python_warning(tmp_path):
    import subprocess

    a = export(tmp_path, "a.json", {"late-fee-partial": {"attempts": [{"answer": "40 元", "verdict": "correct"}]}})
    done = subprocess.run(["make", "--no-print-directory", "-s", "class-summary", f"FILES={a}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and "共 1 份记录。" in done.stdout, done.stderr
    assert "Warning" not in done.stderr and "sys.modules" not in done.stderr, done.stderr


def test_an_exercise_answer_is_read_as_the_calculators_read_the_same_typing():
    # a tester's browser probe (session 34): "-40" and "40.001" were graded "不对" where the calculators refuse them,
    # and an empty answer said "您填的是“”"
    from calculators.ui.practice import grade

    key = {"id": "fee", "kind": "compute", "unit": "amount", "value": "40.00", "shown": "40.00 元", "solution": "<p>…</p>"}
    assert grade(key, "").error_message.startswith("你的答案：尚未填写。")
    for typed in ("-40", "40.001"):
        view = grade(key, typed)
        assert not view.ok and "最多两位小数" in view.error_message, typed
    assert grade(key, "４０．００元").summary["verdict"] == "correct"
    rate = {"id": "apr", "kind": "compute", "unit": "percent", "value": "0.1431", "shown": "14.31%", "solution": "<p>…</p>"}
    assert "不小于 0 的百分数" in grade(rate, "-14.31").error_message and grade(rate, "14.31%").summary["verdict"] == "correct"
    spot = {"id": "s", "kind": "spot", "count": 4, "lines": [1, 3], "shown": "第 1 条、第 3 条", "solution": "<p>…</p>"}
    assert grade(spot, "").error_message.startswith("你的答案：尚未填写。")
    wrong = grade(spot, "1,2,3")
    assert "你的答案是 第 1 条、第 2 条、第 3 条；正确答案是 第 1 条、第 3 条" in wrong.html
