"""The published site's exercises can be answered in the browser (Pyodide), with the same verdicts as the API."""

from __future__ import annotations

import json

import helpers
import pytest

from calculators.ui.practice import grade
from procedures import practice
from test_practice import KEYS, right_answer, wrong_answer

pytestmark = pytest.mark.browser

RULES = "book/rules/exercises.html"  # the rules chapter's first exercises page (compute and spot; choice on its later pages)


def exercise_page(ident: str) -> str:
    """The site page that shows an exercise (a chapter's exercises take several pages, issue 13)."""
    from procedures import exercises

    chapter = KEYS[ident]["chapter"]
    page = next(e.page for e in exercises.load(chapter).exercises if e.id == ident)
    return exercises.page_doc(chapter, page) + ".html"


def open_ready(page, site_url, path):
    return helpers.open_ready(page, site_url, path, practice=True)


def answer(page, key, text: str, *, enter: bool = False) -> str:
    """Give an answer the way a trainee does, submit it, and return the verdict."""
    ident = key["id"]
    box = page.locator(f"[data-exercise-box='{ident}']")
    before = int(box.get_attribute("data-checked") or 0)
    if key["kind"] == "compute":
        page.fill(f"[data-exercise='{ident}']", text)
    else:
        for control in page.locator(f"[data-exercise='{ident}']").all():
            value = control.get_attribute("value")
            if key["kind"] == "choice":
                if value == text:
                    control.check()
            else:
                control.set_checked(value in text.split(","))
    if enter:
        page.press(f"[data-exercise='{ident}']", "Enter")
    else:
        page.click(f"[data-exercise-submit='{ident}']")
    page.wait_for_function(f"Number(document.querySelector(\"[data-exercise-box='{ident}']\").dataset.checked) > {before}")
    return page.get_attribute(f"[data-verdict-for='{ident}']", "data-verdict")


def test_before_the_runtime_the_question_and_folded_answer_are_there():
    """The static page (what a reader sees before Pyodide loads): forms, and the answers in closed dropdowns."""
    from helpers import SITE

    rules = [ident for ident, key in KEYS.items() if key["chapter"] == "rules"]
    for ident in rules:
        text = (SITE / exercise_page(ident)).read_text(encoding="utf-8")
        assert f'data-exercise-submit="{ident}"' in text and f'data-verdict-for="{ident}"' in text
        assert "dropdown" in text
    pages = {exercise_page(ident) for ident in rules}
    assert RULES in pages and len(pages) > 1
    assert sum((SITE / path).read_text(encoding="utf-8").count("答案与解析") for path in pages) >= len(rules)


@pytest.mark.parametrize("kind", ["compute", "choice", "spot"])
def test_right_and_wrong_answer_in_the_browser(page, site_url, kind):
    key = next(k for k in KEYS.values() if k["chapter"] == "rules" and k["kind"] == kind)
    ident = key["id"]
    foreign, errors = open_ready(page, site_url, exercise_page(ident))
    assert answer(page, key, wrong_answer(key)) == "incorrect"
    shown = page.inner_text(f"[data-verdict-for='{ident}']")
    assert "✘ 不对" in shown and "解析" in shown
    assert answer(page, key, right_answer(key), enter=(kind == "compute")) == "correct"
    assert "✔ 回答正确" in page.inner_text(f"[data-verdict-for='{ident}']")
    # The feedback is the package's own HTML for the same answer (the API agrees with the site).
    html = page.inner_html(f"[data-verdict-for='{ident}']")
    assert html.count("hb-solution") == grade(key, right_answer(key)).html.count("hb-solution") == 1
    # Results stay in this browser (written just after the verdict is shown).
    page.wait_for_function(f"(JSON.parse(localStorage.getItem('hb-practice-v1') || '{{}}').results || {{}})['{ident}']?.attempts.length === 2")
    stored = json.loads(page.evaluate("localStorage.getItem('hb-practice-v1')"))
    assert [a["verdict"] for a in stored["results"][ident]["attempts"]] == ["incorrect", "correct"]
    assert foreign == [] and errors == []


def test_typed_answer_error_and_export(page, site_url, tmp_path):
    open_ready(page, site_url, "book/calc/exercises.html")
    key = KEYS["late-fee-partial"]
    ident = key["id"]
    page.fill(f"[data-exercise='{ident}']", "abc")
    page.click(f"[data-exercise-submit='{ident}']")
    page.wait_for_function(f"document.querySelector(\"[data-exercise-box='{ident}']\").dataset.checked === '1'")
    assert page.inner_text(f"[data-exercise-box='{ident}'] .hb-error") == grade(key, "abc").error_message
    assert page.get_attribute(f"[data-verdict-for='{ident}']", "data-verdict") == ""
    assert answer(page, key, "￥" + right_answer(key) + "元", enter=True) == "correct"  # typed as the calculator forms accept
    page.wait_for_function(f"(JSON.parse(localStorage.getItem('hb-practice-v1') || '{{}}').results || {{}})['{ident}']?.attempts.length === 1")
    with page.expect_download() as download:
        page.click("[data-practice-export]")
    path = tmp_path / "export.json"
    download.value.save_as(path)
    exported = practice.read_export(path)
    assert [a["verdict"] for a in exported[ident]] == ["correct"]
    assert practice.summarize([exported])[ident]["first_try"] == 1.0


CASE = "book/practice/cannot-pay.html"


def step_answer(page, step, text: str) -> str:
    """Answer one role-play step like a trainee and return its verdict."""
    ident = step["id"]
    box = page.locator(f"[data-step-box='{ident}']")
    before = int(box.get_attribute("data-checked") or 0)
    if step["kind"] == "choose":
        page.check(f"[data-exercise='{ident}'][value='{text}']")
        page.click(f"[data-exercise-submit='{ident}']")
    else:
        page.fill(f"[data-exercise='{ident}']", text)
        page.press(f"[data-exercise='{ident}']", "Enter")
    page.wait_for_function(f"Number(document.querySelector(\"[data-step-box='{ident}']\").dataset.checked) > {before}")
    return page.get_attribute(f"[data-verdict-for='{ident}']", "data-verdict")


@pytest.mark.parametrize("case_id", ["cannot-pay", "emotional-customer", "disputed-debt", "third-party", "legal-action"])
def test_roleplay_key_taken_back_from_the_page_is_the_builds(page, site_url, case_id):
    """A case page's key leaves out what the page shows (titles, model answers, rules, option notes; issue 13):
    practice.js takes them back from the headings and folded answers, and the grader gets the build's key."""
    from test_roleplay import KEYS as CASES
    from procedures import roleplay

    foreign, errors = open_ready(page, site_url, f"book/practice/{case_id}.html")
    shown = json.loads(page.get_attribute(".hb-roleplay", "data-key"))
    assert all(field not in step for step in shown["steps"] for field in roleplay.PAGE_SHOWN)
    got = page.evaluate("window.hbPractice.caseKey")
    assert (got["id"], got["title"]) == (case_id, CASES[case_id]["title"])
    for built, step in zip(CASES[case_id]["steps"], got["steps"], strict=True):
        expected = {k: v for k, v in built.items() if k not in ("situation", "stage")}
        if "options" in expected:
            expected["options"] = {letter: {"ok": o["ok"], "notes": o["notes"]} for letter, o in expected["options"].items()}
        assert step == expected, step["id"]
    assert foreign == [] and errors == []


def test_walk_a_roleplay_to_the_debrief(page, site_url):
    """The 想还但还不起 case, every step in order: one wrong try and a retry on the plan, then the debrief."""
    from test_roleplay import KEYS as CASES, right, wrong

    foreign, errors = open_ready(page, site_url, CASE)
    key = CASES["cannot-pay"]
    for step in key["steps"]:
        if step["kind"] in ("plan", "say"):
            assert step_answer(page, step, wrong(step)) == "incorrect"
            assert "✘ 这样不妥" in page.inner_text(f"[data-verdict-for='{step['id']}']")
        assert step_answer(page, step, right(step)) == "correct", page.inner_text(f"[data-verdict-for='{step['id']}']")
    page.click("[data-debrief-submit='cannot-pay']")
    page.wait_for_function("document.querySelector(\"[data-debrief-for='cannot-pay']\").dataset.done === '1'")
    text = page.inner_text("[data-debrief-for='cannot-pay']")
    assert "（5 / 5 步做得对）" in text and "2011 年《办法》第七十条" in text  # the source's name, as on the page
    assert "measures-2011" not in text  # never its id (session 33)
    plan = next(s for s in key["steps"] if s["kind"] == "plan")
    page.wait_for_function(f"(JSON.parse(localStorage.getItem('hb-practice-v1') || '{{}}').results || {{}})['{plan['id']}']?.attempts.length === 2")
    stored = json.loads(page.evaluate("localStorage.getItem('hb-practice-v1')"))
    assert [a["verdict"] for a in stored["results"][plan["id"]]["attempts"]] == ["incorrect", "correct"]
    assert foreign == [] and errors == []


REWRITE_PAGE = exercise_page("a-day-of-calls")  # the spot exercise a-day-of-calls: line 3 tells a colleague about the debt


def rewrite(page, ident: str, text: str) -> str:
    """Type a rewritten line in the spot exercise's rewrite box (exercise id ``<id>:rewrite``), press 提交, return the verdict."""
    rid = ident + ":rewrite"
    before = int(page.get_attribute(f"[data-exercise-box='{rid}']", "data-checked") or 0)
    page.fill(f"[data-exercise='{rid}']", text)
    page.click(f"[data-exercise-submit='{rid}']")
    page.wait_for_function(f"Number(document.querySelector(\"[data-exercise-box='{rid}']\").dataset.checked) > {before}")
    return page.get_attribute(f"[data-verdict-for='{rid}']", "data-verdict")


def test_spot_rewrite_that_threatens_fails_and_a_compliant_one_passes(page, site_url):
    from calculators.ui.practice import grade_rewrite
    from procedures.rules import redlines
    from test_practice_rewrite import GOOD, MODEL_ONLY, THREAT

    foreign, errors = open_ready(page, site_url, REWRITE_PAGE)
    key = KEYS["a-day-of-calls"]
    rid = "a-day-of-calls:rewrite"
    # A rewrite that still threatens: the linter's findings, with their red line, and a retry.
    assert rewrite(page, key["id"], THREAT) == "incorrect"
    shown = page.inner_text(f"[data-verdict-for='{rid}']")
    assert "✘ 改写未通过" in shown and "“坐牢”属于夸大法律或征信后果" in shown and "可以修改后再次提交" in shown
    assert page.inner_html(f"[data-verdict-for='{rid}']") == grade_rewrite(key, THREAT, redlines()).html
    # The model's "可能越线，需复核" flag fails it too.
    assert rewrite(page, key["id"], MODEL_ONLY) == "incorrect"
    assert "可能越线，需复核" in page.inner_text(f"[data-verdict-for='{rid}']")
    # Unreadable: an input error, no verdict.
    assert rewrite(page, key["id"], "ok") == ""
    assert "至少 4 个汉字" in page.inner_text(f"[data-exercise-box='{rid}'] .hb-error")
    assert rewrite(page, key["id"], GOOD) == "correct"
    assert "✔ 改写通过" in page.inner_text(f"[data-verdict-for='{rid}']")
    assert page.inner_text(f"[data-exercise-box='{rid}'] .hb-error") == ""
    # The line choice is a separate answer with its own verdict; the rewrite is kept under its own id.
    assert page.get_attribute(f"[data-verdict-for='{key['id']}']", "data-verdict") == ""
    page.wait_for_function(f"(JSON.parse(localStorage.getItem('hb-practice-v1') || '{{}}').results || {{}})['{rid}']?.attempts.length === 3")
    stored = json.loads(page.evaluate("localStorage.getItem('hb-practice-v1')"))
    assert [a["verdict"] for a in stored["results"][rid]["attempts"]] == ["incorrect", "incorrect", "correct"]
    assert key["id"] not in stored["results"]
    assert page.evaluate("window.hbPractice.lastFeedbackMs") < 2000
    assert foreign == [] and errors == []


def test_site_feedback_shows_the_folded_worked_solution(page, site_url):
    """The page carries no second copy of the solution: the grader gets the folded answer's text (same calculators)."""
    open_ready(page, site_url, "book/calc/exercises.html")
    key = KEYS["late-fee-partial"]
    assert "solution" not in json.loads(page.get_attribute("[data-exercise-box='late-fee-partial']", "data-key"))
    assert answer(page, key, "41") == "incorrect"
    solution = page.inner_text("[data-verdict-for='late-fee-partial'] .hb-solution")
    assert "违约金：40.00 元" in solution and "800.00 × 5% = 40.00 元" in solution and "答案与解析" not in solution
