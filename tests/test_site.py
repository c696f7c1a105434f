"""The built site in headless Chromium: offline, error-free, searchable in Chinese."""

from __future__ import annotations

from urllib.parse import unquote, urlparse

import pytest

from helpers import SITE

pytestmark = pytest.mark.browser

PAGES = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def test_site_has_every_page():
    # Guards the parametrised test below against an empty or partial build.
    assert "book/intro.html" in PAGES and "search.html" in PAGES and len(PAGES) >= 15, PAGES


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_without_errors(page, site_url, path):
    """Every request stays on the local server and the page throws no JavaScript exception."""
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    response = page.goto(site_url + path, wait_until="networkidle", timeout=60_000)
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
    page.wait_for_timeout(300)  # late scripts (MathJax typesetting, deferred loads)
    local = urlparse(site_url).netloc
    foreign = [u for u in requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != local]
    assert foreign == [], f"{path} requested other hosts: {foreign}"
    assert errors == [], f"{path} raised JavaScript errors: {errors}"


SEARCHES = {
    # query: a page that must be among the results (path without .html)
    "违约金": "book/calc/rules",
    "最低还款额": "book/calc/rules",
    "恶意透支": "book/rules/legal-escalation",
    "个性化分期": "book/workflow/plan",
    "催收": "book/role/duties",
}


@pytest.mark.parametrize("query,expected", sorted(SEARCHES.items()))
def test_search_finds_chinese_terms(page, site_url, query, expected):
    page.goto(f"{site_url}search.html?q={query}", wait_until="networkidle")
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    targets = {unquote(link).split("#")[0].split("?")[0].removesuffix(".html").lstrip("./") for link in links}
    assert expected in targets, f"searching {query!r} did not list {expected}; got {sorted(targets)}"


def test_no_unfilled_profile_tokens_or_leftover_placeholders():
    """Every ``⟦name⟧`` profile token is filled, and no draft marker reaches readers."""
    leftovers = []
    for path in PAGES:
        text = (SITE / path).read_text(encoding="utf-8")
        for marker in ("⟦", "⟧", "TODO", "FIXME", "XXX", "lorem ipsum"):
            if marker in text:
                leftovers.append((path, marker))
    assert leftovers == []


def test_status_page_table_is_chinese():
    """MyST-NB's execution table is translated (tools/status_table.py): no English headers or method names."""
    html = (SITE / "book" / "status.html").read_text(encoding="utf-8")
    table = html[html.index("<table"):html.index("</table>")]
    for english in ("Document", "Modified", "Method", "Run Time", "Status", ">cache<"):
        assert english not in table, english
    for chinese in ("页面", "执行时间", "方式", "耗时（秒）", "结果", "成功"):
        assert chinese in table, chinese


class _OutsideTrainerNotes(__import__("html.parser").parser.HTMLParser):
    """Collects the text of <main> that is not inside a trainer-only admonition (div.trainer-note)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open div: is it (inside) a trainer note
        self.in_main = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "main":
            self.in_main = True
        if tag == "div":
            inside = bool(self.stack and self.stack[-1]) or "trainer-note" in (dict(attrs).get("class") or "").split()
            self.stack.append(inside)

    def handle_endtag(self, tag) -> None:
        if tag == "div" and self.stack:
            self.stack.pop()
        if tag == "main":
            self.in_main = False

    def handle_data(self, data) -> None:
        if self.in_main and not (self.stack and self.stack[-1]):
            self.text.append(data)


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("book/")])
def test_reader_pages_speak_to_staff(path):
    """Notes for trainers (讲师, the live session `make live`) appear only in a trainer-only admonition."""
    parser = _OutsideTrainerNotes()
    parser.feed((SITE / path).read_text(encoding="utf-8"))
    text = "".join(parser.text)
    assert "make live" not in text and "讲师在" not in text and "讲师可" not in text


def test_trainer_notes_are_labelled():
    page = (SITE / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'class="admonition trainer-note' in page or "trainer-note admonition" in page
    assert "讲师提示" in page
