"""Chapter exercises: every file loads, every answer key agrees with the tools, and a wrong key is caught.

The keys are verified by the handbook's own tools: compute answers by the
calculators (with every profile an ``expected`` names), choice answers by the
red-line linter, spot answers by the contact-plan checker.  Seeded wrong keys in
copies under ``tmp_path`` must be reported with the file and the exercise's line.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from calculators import bundled_profiles, handbook_terms, late_fee, load_terms
from calculators.compliance.conduct import check_contact_plan
from calculators.compliance.redlines import lint
from procedures import exercises, pages, rules
from procedures.exercises import CHAPTERS, ChoiceExercise, ComputeExercise, SpotExercise
from procedures.loader import ProcedureFileError

ROOT = Path(__file__).resolve().parent.parent
DROPDOWN = ":::{admonition} 答案与解析\n:class: dropdown\n"


def all_exercises():
    return [(chapter, e) for chapter in CHAPTERS for e in exercises.load(chapter).exercises]


def test_every_chapter_has_a_file_and_a_page():
    assert sorted(p.stem for p in exercises.EXERCISES_DIR.glob("*.yml")) == sorted(CHAPTERS)
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for chapter in CHAPTERS:
        count = exercises.page_count(exercises.load(chapter))
        # One book page per exercises page of the chapter, each in the table of contents, and no other.
        assert sorted(p.stem for p in (ROOT / "book" / chapter).glob("exercises*.md")) == sorted(
            Path(exercises.page_doc(chapter, n)).name for n in range(1, count + 1))
        for n in range(1, count + 1):
            ident = exercises.page_id(chapter, n)
            page = (ROOT / f"{exercises.page_doc(chapter, n)}.md").read_text(encoding="utf-8")
            # The page declares its exercises; the directive renders and checks them (procedures/pages.py).
            assert f"```{{exercises}} {ident}\n```" in page and "kernelspec:" not in page
            assert f"- file: {exercises.page_doc(chapter, n)}\n" in toc
            rendered = pages.render("exercises", ident)
            assert rendered.problems == []
            shown = [e.id for e in exercises.load(chapter).exercises if e.page == n]
            assert 1 <= len(shown) <= exercises.MAX_PER_PAGE
            assert [i for i in shown if f'data-exercise-box="{i}"' in rendered.markdown] == shown


def test_a_chapter_split_over_pages_shows_every_exercise_once_numbered_through():
    for chapter in CHAPTERS:
        exercise_set = exercises.load(chapter)
        texts = [pages.render("exercises", exercises.page_id(chapter, n)).markdown
                 for n in range(1, exercises.page_count(exercise_set) + 1)]
        for number, exercise in enumerate(exercise_set.exercises, 1):
            holding = [t for t in texts if f'data-exercise-box="{exercise.id}"' in t]
            assert len(holding) == 1 and f"### 练习 {number}（" in holding[0]
        assert sum(t.count(exercise_set.intro) for t in texts) == 1  # the chapter's intro on its first page


def test_exercise_pages_are_checked_in_order_and_not_crowded(tmp_path):
    source = (exercises.EXERCISES_DIR / "rules.yml").read_text(encoding="utf-8")
    skipped = tmp_path / "rules.yml"
    skipped.write_text(source.replace("    page: 2\n", "    page: 3\n", 1), encoding="utf-8")
    with pytest.raises(ProcedureFileError, match="none skipped"):
        exercises.load_path(skipped)
    crowded = tmp_path / "rules.yml"
    crowded.write_text("\n".join(line for line in source.splitlines() if not line.startswith("    page: ")), encoding="utf-8")
    with pytest.raises(ProcedureFileError, match="at most 3 exercises per page"):
        exercises.load_path(crowded)
    with pytest.raises(KeyError):
        exercises.split_page_id("rules-9")
    assert exercises.split_page_id("rules-2") == ("rules", 2)


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_chapter_loads_with_at_least_three_exercises(chapter):
    exercise_set = exercises.load(chapter)
    assert exercise_set.chapter == chapter
    assert len(exercise_set.exercises) >= 3
    assert exercise_set.owner and exercise_set.last_reviewed


def test_every_kind_is_used():
    kinds = {e.kind for _, e in all_exercises()}
    assert kinds == {"compute", "choice", "spot"}
    assert sum(isinstance(e, ComputeExercise) for _, e in all_exercises()) >= 5
    assert {e.function for _, e in all_exercises() if isinstance(e, ComputeExercise)} >= {
        "late_fee", "revolving_interest", "installment_plan", "negotiated_plan", "overdue_projection"}


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_answer_keys_agree_with_the_tools(chapter):
    exercise_set = exercises.load(chapter)
    assert exercises.problems(exercise_set) == []
    assert exercises.profile_problems(exercise_set) == []


@pytest.mark.parametrize("profile", bundled_profiles())
def test_compute_workings_reach_the_calculator_value_with_every_profile(profile):
    terms = load_terms(profile)
    for _, exercise in all_exercises():
        if isinstance(exercise, ComputeExercise):
            solution = exercises.solve(exercise, terms)
            assert solution.worked_value == solution.value, (exercise.id, profile)
            assert exercises.check_exercise(exercise, terms) == []


def test_validate_checks_every_file():
    assert exercises.validate() == len(CHAPTERS)


def test_expected_answers_are_real_values():
    """The pinned answers, recomputed here by hand from the profiles' published rules."""
    by_id = {e.id: e for _, e in all_exercises()}
    cmb, icbc = load_terms("cmb"), load_terms("icbc")
    assert exercises.solve(by_id["late-fee-partial"], cmb).value == Decimal("800") * cmb.late_fee_rate == Decimal("40.00")
    floor = by_id["late-fee-floor"]
    assert exercises.solve(floor, cmb).value == cmb.late_fee_min == Decimal("10.00")
    assert icbc.late_fee_min is None and exercises.solve(floor, icbc).value == Decimal("7.50")
    # 2000 × 0.05 % × 11 days + 3000 × 0.05 % × 22 days + 2000 × 0.05 % × 14 days
    assert exercises.solve(by_id["full-balance-interest"], cmb).value == Decimal("11") + Decimal("33") + Decimal("14")
    assert exercises.solve(by_id["installment-total-fee"], cmb).value == Decimal("6000") * Decimal("0.0075") * 6
    assert exercises.solve(by_id["negotiated-plan-first-payment"], cmb).value == (Decimal("36000") + Decimal("1800")) / 36
    assert exercises.solve(by_id["disputed-late-fee"], cmb).value == late_fee("300", "2992", cmb, statement_balance="3000") == 0
    # Statement dates 6-05, 7-05, 8-05, 9-05 after a 5-23 due date: 105 days past due at the 4th, bucket M4 (91–120).
    assert exercises.solve(by_id["which-bucket"], cmb).value == "M4"
    apr = exercises.solve(by_id["installment-apr"], cmb).value
    assert Decimal("0.09") < apr < Decimal("0.16")


def test_choice_keys_are_verified_by_the_linter():
    red = rules.redlines()
    for _, exercise in all_exercises():
        if isinstance(exercise, ChoiceExercise):
            correct = [o for o in exercise.options if o.correct]
            assert len(correct) == 1 and lint(correct[0].text, red) == [], exercise.id
            flagged = [o for o in exercise.options if o.redline]
            assert flagged and all(lint(o.text, red) for o in flagged), exercise.id
            assert all(o.why for o in exercise.options)


def test_spot_keys_equal_the_checker():
    conduct = rules.conduct_rules()
    for _, exercise in all_exercises():
        if isinstance(exercise, SpotExercise):
            found = {(v.index + 1, v.rule_id) for v in check_contact_plan([e.attempt() for e in exercise.log], conduct)}
            assert found == {(b.attempt, b.rule) for b in exercise.answer}, exercise.id
            assert found, exercise.id  # a log with nothing to find is no exercise


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_answers_are_hidden_in_dropdowns(chapter):
    exercise_set = exercises.load(chapter)
    page = exercises.exercises_markdown(exercise_set)
    assert page.count(DROPDOWN) == len(exercise_set.exercises)
    assert "hb-page-info" in page and f"procedures/exercises/{chapter}.yml" in page
    for index, exercise in enumerate(exercise_set.exercises, 1):
        heading = page.index(f"### 练习 {index}（")
        answer = page.index(DROPDOWN, heading)
        question = page[heading:answer]
        if isinstance(exercise, ComputeExercise):
            solution = exercises.solve(exercise)
            shown = f"**{exercises.FUNCTIONS[exercise.function].asks[exercise.ask]}：{solution.shown}**"
            assert shown in page[answer:] and shown not in question
            assert "{" not in exercises.question_text(exercise)  # every placeholder filled
        elif isinstance(exercise, ChoiceExercise):
            assert "正确答案" not in question and all(o.text in question for o in exercise.options)
        else:
            assert all(f"| {i} |" in question for i in range(1, len(exercise.log) + 1))


def test_compute_question_states_the_arguments():
    by_id = {e.id: e for _, e in all_exercises()}
    text = exercises.question_text(by_id["late-fee-partial"], load_terms("cmb"))
    assert "1,000.00 元" in text and "200.00 元" in text and "招商银行" in text
    text = exercises.question_text(by_id["full-balance-interest"], handbook_terms())
    assert "4 月 20 日 2,000.00 元、5 月 1 日 1,000.00 元" in text


# --- seeded wrong answer keys are caught ---------------------------------------------------------------------


def _copy(tmp_path: Path, chapter: str) -> Path:
    folder = tmp_path / "exercises"
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(exercises.EXERCISES_DIR / f"{chapter}.yml", folder / f"{chapter}.yml"))


def _edit(path: Path, old: str, new: str) -> int:
    """Replace one exact piece of text; returns its line number (1-based)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _exercise_line(path: Path, exercise_id: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip() == f"id: {exercise_id}")
    while not lines[index].lstrip().startswith("- kind:"):
        index -= 1
    return index + 1


def test_seeded_wrong_spot_key_is_caught(tmp_path):
    path = _copy(tmp_path, "rules")
    _edit(path, "      - attempt: 7\n        rule: unanswered-cap", "      - attempt: 6\n        rule: unanswered-cap")
    model = exercises.load_path(path)
    assert any("unanswered-calls" in p and "(7, 'unanswered-cap')" in p for p in exercises.problems(model))
    with pytest.raises(ProcedureFileError) as error:
        exercises.validate(path.parent)
    assert f"{path}:{_exercise_line(path, 'unanswered-calls')}: exercises.2:" in str(error.value)


def test_seeded_missing_spot_breach_is_caught(tmp_path):
    path = _copy(tmp_path, "rules")
    _edit(path, "      - attempt: 2\n        rule: field-visit-id\n        why: 没有出示工作证件。\n", "")
    found = exercises.problems(exercises.load_path(path))
    assert len(found) == 1 and "field-visits" in found[0] and "missing from the key: [(2, 'field-visit-id')]" in found[0]


def test_seeded_wrong_choice_key_is_caught(tmp_path):
    path = _copy(tmp_path, "rules")
    why = "        why: 如实说明保存期限从还清时算起，以及异议途径；不承诺记录一定会消失，因为欠款不还清，记录不会自动消失。\n"
    _edit(path, why + "        correct: true\n", why)
    _edit(path, "        why: 虚构“黑名单”，夸大后果。\n        redline: true\n", "        why: 虚构“黑名单”，夸大后果。\n        correct: true\n")
    found = exercises.problems(exercises.load_path(path))
    assert len(found) == 1 and "blacklist-forever: the correct option A crosses a red line" in found[0]


def test_seeded_redline_option_the_linter_does_not_flag_is_caught(tmp_path):
    path = _copy(tmp_path, "rules")
    _edit(path, "        why: 说法错误：不良记录在还清（不良行为终止）之后还要保存 5 年，不会马上消除。\n",
          "        why: 说法错误：不良记录自不良行为终止之日起还要保存 5 年，不会马上消除。\n        redline: true\n")
    found = exercises.problems(exercises.load_path(path))
    assert found == ["blacklist-forever: option C is marked redline but the linter finds nothing in it"]


def test_seeded_wrong_expected_answer_is_caught(tmp_path):
    path = _copy(tmp_path, "calc")
    _edit(path, 'expected: {cmb: "40.00", icbc: "40.00"', 'expected: {cmb: "40.00", icbc: "45.00"')
    model = exercises.load_path(path)
    assert exercises.problems(model, load_terms("cmb")) == []
    assert exercises.problems(model, load_terms("icbc")) == ["late-fee-partial: expected 45.00 for profile icbc, computed 40.00"]
    assert exercises.profile_problems(model) == ["late-fee-partial: expected 45.00 for profile icbc, computed 40.00"]
    with pytest.raises(ProcedureFileError, match=rf"calc.yml:{_exercise_line(path, 'late-fee-partial')}: exercises.0: "):
        exercises.validate(path.parent)


def test_expected_for_an_unknown_profile_is_an_error(tmp_path):
    path = _copy(tmp_path, "calc")
    _edit(path, 'expected: {cmb: "58.00"}', 'expected: {cmb: "58.00", abc: "58.00"}')
    assert exercises.profile_problems(exercises.load_path(path)) == [
        f"full-balance-interest: expected names profile 'abc', not one of {sorted(bundled_profiles())}"]


# --- malformed files name the file, the line and the field --------------------------------------------------------


def test_bad_argument_is_reported_at_its_line(tmp_path):
    path = _copy(tmp_path, "calc")
    line = _edit(path, '      paid: "200.00"', '      paid: "-200.00"')
    with pytest.raises(ProcedureFileError) as error:
        exercises.load_path(path)
    assert f"{path}:{line}: exercises.0.args.paid: " in str(error.value)


def test_unknown_channel_in_a_log_is_reported(tmp_path):
    path = _copy(tmp_path, "rules")
    line = _edit(path, "        channel: visit\n        method: 单位", "        channel: fax\n        method: 单位")
    with pytest.raises(ProcedureFileError) as error:
        exercises.load_path(path)
    message = str(error.value)
    assert re.search(rf"{re.escape(str(path))}:{line}: exercises\.1\.log\.2\.channel: Input should be 'phone'", message), message


def test_two_correct_options_are_rejected(tmp_path):
    path = _copy(tmp_path, "role")
    _edit(path, "        why: 推卸责任。", "        correct: true\n        why: 推卸责任。")
    with pytest.raises(ProcedureFileError, match="exactly one option must be correct, found 2"):
        exercises.load_path(path)


def test_unknown_placeholder_and_unknown_source_are_rejected(tmp_path):
    path = _copy(tmp_path, "calc")
    _edit(path, "只还了 {paid} 元", "只还了 {paid_amount} 元")
    with pytest.raises(ProcedureFileError, match=r"placeholder\(s\) \['paid_amount'\] are not arguments"):
        exercises.load_path(path)
    path = _copy(tmp_path, "role")
    line = _edit(path, "      - id: gbt-45251\n", "      - id: gbt-99999\n")
    with pytest.raises(ProcedureFileError) as error:
        exercises.load_path(path)
    assert f"{path}:{line}: exercises.2.sources.0.id: unknown source id 'gbt-99999'" in str(error.value)


def test_file_name_must_match_chapter(tmp_path):
    path = _copy(tmp_path, "role")
    renamed = path.rename(path.with_name("workflow.yml"))
    with pytest.raises(ProcedureFileError, match="chapter: must equal the file name 'workflow'"):
        exercises.load_path(renamed)


# --- the workings of every supported function and branch reach the calculators' values -----------------------------

VARIANTS = [
    ("late_fee", {"minimum_due": "300.00", "paid": "300.00"}, "late_fee"),
    ("late_fee", {"minimum_due": "20000.00", "paid": "0"}, "late_fee"),
    ("late_fee", {"minimum_due": "300.00", "paid": "100.00", "statement_balance": "3000.00"}, "late_fee"),
    ("minimum_payment", {"general": "10000.00", "previous_unpaid_minimum": "1000.00", "fees": "50.00", "interest": "160.00",
                         "installment_due": "1079.20", "over_limit": "300.00"}, "minimum_payment"),
    ("revolving_interest", {"purchases": [[date(2026, 4, 30), "1000"]], "payments": [[date(2026, 5, 23), "990"]],
                            "statement_date": date(2026, 5, 5), "due_date": date(2026, 5, 23),
                            "next_statement_date": date(2026, 6, 5)}, "interest"),
    ("revolving_interest", {"purchases": [[date(2026, 4, 10), "700.35"], [date(2026, 5, 4), "1234.56"]],
                            "payments": [[date(2026, 5, 20), "500"], [date(2026, 5, 25), "300"], [date(2026, 6, 2), "5000"]],
                            "statement_date": date(2026, 5, 5), "due_date": date(2026, 5, 23),
                            "next_statement_date": date(2026, 6, 5)}, "interest"),
    ("installment_plan", {"principal": "1000.00", "periods": 3, "monthly_fee_rate": "0.0040"}, "fee_per_period"),
    ("installment_plan", {"principal": "10000.00", "periods": 3, "monthly_fee_rate": "0.0090"}, "first_payment"),
    ("negotiated_plan", {"principal": "50000", "periods": 60, "interest": "3000", "late_fees": "600",
                         "waivers": {"late_fees": "600"}}, "last_payment"),
    ("negotiated_plan", {"principal": "20000", "periods": 24, "interest": "1500", "fees": "100", "late_fees": "300",
                         "down_payment": "2000", "days_past_due": 100, "monthly_fee_rate": "0.005"}, "total_payment"),
    ("negotiated_plan", {"principal": "20000", "periods": 12, "interest": "800", "annual_interest_rate": "0.06",
                         "down_payment": "500", "days_past_due": 40}, "total_fee"),
    ("overdue_projection", {"statement_balance": "10000", "minimum_due": "1000", "statement_date": date(2026, 5, 5),
                            "due_date": date(2026, 5, 23), "cycles": 6, "payments": [[date(2026, 5, 20), "400"]]}, "final_balance"),
    ("overdue_projection", {"statement_balance": "5000", "minimum_due": "500", "statement_date": date(2026, 1, 31),
                            "due_date": date(2026, 2, 18), "cycles": 3, "posting_date": date(2026, 1, 10)}, "total_interest"),
]


@pytest.mark.parametrize("function,args,ask", VARIANTS)
@pytest.mark.parametrize("profile", bundled_profiles())
def test_workings_of_every_branch(function, args, ask, profile):
    exercise = ComputeExercise(kind="compute", id="variant", title="变体", question="题目。", function=function, args=args, ask=ask)
    solution = exercises.solve(exercise, load_terms(profile))
    assert solution.worked_value == solution.value
    assert solution.working and all(line.strip() for line in solution.working)


@pytest.mark.parametrize("changes", [
    {"interest_basis": "unpaid_only"},
    {"payment_effective": "next_day"},
    {"grace_keeps_interest_free": True},
    {"interest_basis": "unpaid_only", "payment_effective": "next_day", "grace_keeps_interest_free": True},
])
def test_interest_working_follows_the_profile_switches(changes):
    terms = dataclasses.replace(load_terms("cmb"), **changes)
    for _, args, ask in [v for v in VARIANTS if v[0] == "revolving_interest"]:
        exercise = ComputeExercise(kind="compute", id="variant", title="变体", question="题目。", function="revolving_interest",
                                   args=args, ask=ask)
        solution = exercises.solve(exercise, terms)
        assert solution.worked_value == solution.value, changes


def test_every_compute_exercise_has_an_independently_stated_answer_for_the_default_profile():
    """The answer key is not only the calculators' own output: each question states the expected cmb answer."""
    from procedures import exercises as ex

    missing = [(chapter, item.id) for chapter in ex.CHAPTERS for item in ex.load(chapter).exercises
               if item.kind == "compute" and "cmb" not in (item.expected or {})]
    assert missing == []


def test_a_negotiated_plan_example_follows_a_profile_whose_plans_are_shorter():
    # a trainer's probe (session 34): a profile with negotiated_max_periods 24 failed the build on the 36-period examples
    from dataclasses import replace as _replace

    from calculators import load_terms, negotiated_plan
    from procedures import exercises as ex

    short = _replace(load_terms("cmb"), negotiated_max_periods=24)
    plans = [e for chapter in ex.CHAPTERS for e in ex.load(chapter).exercises
             if getattr(e, "function", "") == "negotiated_plan" and e.args.get("periods", 0) > 24]
    assert plans  # (the bundled examples use more than 24 periods)
    for exercise in plans:
        solved = ex.solve(exercise, short)
        args = {k: v for k, v in exercise.args.items() if k not in ("principal", "periods")}
        plan = negotiated_plan(exercise.args["principal"], 24, short, **args)
        assert exercise.ask == "first_payment" and solved.value == plan.rows[0].payment, exercise.id
        assert "24 期" in ex.question_text(exercise, short) and f"{exercise.args['periods']} 期" not in ex.question_text(exercise, short)
