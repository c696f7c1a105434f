"""Accessibility of the built site in headless Chromium: axe-core on every page, keyboard paths, Chinese names."""

from __future__ import annotations

import re

import pytest

from axe_audit import audit, site_pages
from helpers import SITE

pytestmark = pytest.mark.browser

PAGES = site_pages()
TOOL_PAGES = ["book/calc/overdue-fee.html", "book/calc/repayment-plan.html", "book/rules/conduct.html",
              "book/rules/legal-escalation.html", "book/scripts/linter.html"]


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme_page(request, browser):
    """One page per colour mode, reused across the module (the audit opens each URL afresh)."""
    context = browser.new_context(locale="zh-CN", color_scheme=request.param)
    yield context.new_page()
    context.close()


def test_every_page_is_audited():
    assert len(PAGES) >= 30 and "search.html" in PAGES and set(TOOL_PAGES) <= set(PAGES)


@pytest.mark.parametrize("path", PAGES + ["search.html?q=违约金怎么算"])
def test_no_critical_or_serious_axe_violations(scheme_page, site_url, path):
    """axe-core (WCAG 2.2 A/AA and best practices) finds nothing critical or serious, in light and dark mode."""
    violations = audit(scheme_page, site_url + path)
    bad = [(v["impact"], v["id"], v["nodes"][:3]) for v in violations if v["impact"] in ("critical", "serious")]
    assert bad == []


def test_the_audit_catches_an_unlabelled_control(page, site_url):
    """The audit is live: an unlabelled checkbox added to a page is reported as critical."""
    page.goto(site_url + "book/intro.html")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=\"checkbox\">')")
    page.add_script_tag(url=site_url + "_static/vendor/axe-core/axe.min.js")
    result = page.evaluate("axe.run(document, {runOnly: ['label']})")
    assert [(v["id"], v["impact"]) for v in result["violations"]] == [("label", "critical")]


ENGLISH = re.compile(r'(?:aria-label|title|data-bs-title)="([^"]*[A-Za-z]{3,}[^"]*)"')
ALLOWED_LATIN = {"PDF", "Ctrl", "APR", "IRR", "DPD"}


@pytest.mark.parametrize("path", PAGES)
def test_theme_controls_have_chinese_names(path):
    """No English accessible name or tooltip left in the theme's markup (Color mode, Toggle primary sidebar…)."""
    text = (SITE / path).read_text(encoding="utf-8")
    english = {m for m in ENGLISH.findall(text) if not set(re.findall(r"[A-Za-z]+", m)) <= ALLOWED_LATIN}
    assert english == set()
    assert "Toggle hidden content" not in (SITE / "_static" / "togglebutton.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", TOOL_PAGES)
def test_keyboard_reaches_the_tool_in_four_keys(page, site_url, path):
    """Tab, Tab, Enter on the skip link "跳到本页工具", Tab: the tool's first field has the focus."""
    page.goto(site_url + path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳转至主要内容"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到本页工具"
    page.wait_for_timeout(500)  # the theme slides the skip links in
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0, "the skip link is visible when focused"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.tagName, !!document.activeElement.closest('.hb-calc form')]")
    assert focused[1] and focused[0] in ("INPUT", "SELECT", "TEXTAREA"), focused


@pytest.mark.parametrize("selector", ["summary", ".theme-switch-button", ".search-button-field", "#pst-skip-link a", ".hb-calc input"])
def test_focus_is_visible(page, site_url, selector):
    """Every kind of control draws a visible outline when it has keyboard focus."""
    page.goto(site_url + "book/calc/overdue-fee.html")
    page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies
    element = page.locator(selector).first
    element.evaluate("e => e.focus({focusVisible: true})")
    style = element.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] not in ("none", "") and float(style[1].removesuffix("px")) >= 2, style
