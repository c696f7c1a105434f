"""The published site's exercises can be answered in the browser (Pyodide), with the same verdicts as the API."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from calculators.ui.practice import grade
from procedures import practice
from test_practice import KEYS, right_answer, wrong_answer

pytestmark = pytest.mark.browser

RULES = "book/rules/exercises.html"  # has compute, choice and spot exercises


def open_ready(page, site_url, path):
    foreign, errors = [], []
    local = urlparse(site_url).netloc
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).scheme.startswith("http") and urlparse(r.url).netloc != local else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + path)
    page.wait_for_function("window.hbPractice && (window.hbPractice.ready || window.hbCalculators.state === 'failed')", timeout=90_000)
    assert page.evaluate("window.hbPractice.ready"), page.evaluate("window.hbCalculators.state")
    return foreign, errors


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

    text = (SITE / RULES).read_text(encoding="utf-8")
    for ident, key in KEYS.items():
        if key["chapter"] == "rules":
            assert f'data-exercise-submit="{ident}"' in text and f'data-verdict-for="{ident}"' in text
    assert text.count("答案与解析") >= sum(1 for k in KEYS.values() if k["chapter"] == "rules")
    assert "dropdown" in text


@pytest.mark.parametrize("kind", ["compute", "choice", "spot"])
def test_right_and_wrong_answer_in_the_browser(page, site_url, kind):
    foreign, errors = open_ready(page, site_url, RULES)
    key = next(k for k in KEYS.values() if k["chapter"] == "rules" and k["kind"] == kind)
    ident = key["id"]
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
    assert "（5 / 5 步做得对）" in text and "measures-2011·第七十条" in text
    plan = next(s for s in key["steps"] if s["kind"] == "plan")
    page.wait_for_function(f"(JSON.parse(localStorage.getItem('hb-practice-v1') || '{{}}').results || {{}})['{plan['id']}']?.attempts.length === 2")
    stored = json.loads(page.evaluate("localStorage.getItem('hb-practice-v1')"))
    assert [a["verdict"] for a in stored["results"][plan["id"]]["attempts"]] == ["incorrect", "correct"]
    assert foreign == [] and errors == []
