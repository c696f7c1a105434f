"""The site search answers the questions staff ask (tests/search_questions.yml), segmenting them like the index."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import yaml

from helpers import SITE

pytestmark = pytest.mark.browser

QUESTIONS = yaml.safe_load((Path(__file__).with_name("search_questions.yml")).read_text(encoding="utf-8"))["questions"]
TOP = 3


@pytest.fixture(scope="module")
def search_page(browser):
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


def results(page, site_url, query: str) -> list[str]:
    """The result pages (paths without .html, in order; sections and glossary entries count as their page)."""
    page.goto(f"{site_url}search.html?q={quote(query)}")
    page.wait_for_function("document.querySelector('#search-results p.search-summary')?.textContent.trim().length > 0"
                           " || document.querySelectorAll('#search-results ul.search li').length > 0", timeout=20_000)
    page.wait_for_function("!document.querySelector('#search-progress')?.textContent.trim()", timeout=20_000)
    links = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")
    ordered = []
    for link in links:
        path = unquote(link).split("#")[0].split("?")[0].removesuffix(".html").lstrip("./")
        if path not in ordered:
            ordered.append(path)
    return ordered


def test_at_least_thirty_questions_each_with_an_existing_page():
    assert len(QUESTIONS) >= 30
    assert len({q["q"] for q in QUESTIONS}) == len(QUESTIONS)
    for item in QUESTIONS:
        assert (SITE / f"{item['page']}.html").is_file(), item


@pytest.mark.parametrize("item", QUESTIONS, ids=[q["q"] for q in QUESTIONS])
def test_question_finds_its_page(search_page, site_url, item):
    found = results(search_page, site_url, item["q"])
    assert item["page"] in found[:TOP], f"{item['q']!r}: expected {item['page']} in the first {TOP}, got {found[:8]}"


@pytest.mark.parametrize("query,expected,dropped", [
    ("夜间催收", {"夜间", "催收"}, {"夜间催收"}),
    ("晚上几点不能打电话", {"晚上", "打电话"}, {"几点", "晚上几点"}),
    ("22:00", {"22:00"}, {"22", "00"}),
    ("60 期", {"60期"}, {"60", "期"}),
    ("费率 5%", {"5%", "费率"}, {"5"}),
    ("个性化分期", {"个性化分期", "分期"}, {"个性化分", "期"}),
    ("６０期", {"60期"}, {"６０期", "期"}),  # full width reads as ASCII (a tester's probe, session 33)
    ("２２：００", {"22:00"}, {"22", "00"}),
    ("费率５％", {"5%", "费率"}, {"5", "５％"}),
    ("M3", {"m3"}, {"M", "m", "3"}),  # a Latin word keeps its digits and is looked up in lower case, as indexed
    ("Ｍ３账龄", {"m3", "账龄"}, {"3"}),
    ("50,000", {"#50000"}, {"50", "000", "#50"}),  # an amount as the site prints it (a tester's probe, session 34)
    ("５０，０００元", {"50000元"}, {"50", "000元"}),
])
def test_query_is_segmented_like_the_index(search_page, site_url, query, expected, dropped):
    search_page.goto(f"{site_url}search.html")
    search_page.wait_for_function("window.hbSearch !== undefined")
    got = set(search_page.evaluate("(q) => splitQuery(q)", query))
    assert expected <= got and not (dropped & got), got


def _index() -> dict:
    text = (SITE / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def test_times_percentages_and_counted_figures_are_indexed():
    terms = _index()["terms"]
    for term in ("22:00", "60期", "5年", "0.05%", "50000.00元", "50000元", "#50000"):
        assert term in terms, term


def test_every_glossary_term_is_kept_whole_by_the_browser_segmenter(search_page, site_url):
    """The browser cuts with the build's dictionary: each glossary term (one word for jieba) comes back whole."""
    from procedures import search_terms

    words = [w for w in search_terms() if re.fullmatch(r"[\u3400-\u9fff]{2,}", w)]
    search_page.goto(f"{site_url}search.html")
    search_page.wait_for_function("window.hbSearch !== undefined")
    cut = search_page.evaluate("(words) => words.map((w) => window.hbSearch.cut(w))", words)
    assert [w for w, pieces in zip(words, cut) if pieces != [w]] == []


def test_sections_rank_above_glossary_entries(search_page, site_url):
    """违约金: the first results are pages and sections that explain it, not the one-line glossary entries."""
    search_page.goto(f"{site_url}search.html?q={quote('违约金')}")
    search_page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    search_page.wait_for_function("!document.querySelector('#search-progress')?.textContent.trim()")
    links = search_page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")
    assert "glossary" not in links[0] and "glossary" not in links[1], links[:5]
    assert any("calc/rules.html#" in link for link in links[:3]), links[:5]
