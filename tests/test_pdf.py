"""`make pdf`: the printed handbook, checked from the PDF itself (poppler's pdftotext and pdffonts).

The PDF is printed once per session from the site the suite already built (`make test` builds it
first), into a temporary folder, by the same command `make pdf` runs after `make book`.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from bs4 import BeautifulSoup

from calculators import handbook_terms
from helpers import ROOT, SITE
from tools.issuer_footer import footer_html
from tools.pdf.locate import page_texts
from tools.pdf.toc import read_toc

pytestmark = [pytest.mark.build, pytest.mark.slow]

ENTRIES = read_toc(ROOT / "_toc.yml")
PAGES = [e for e in ENTRIES if e.file]


def flat(text: str) -> str:
    """Text without any whitespace: pdftotext breaks lines and spaces CJK runs as the layout does."""
    return re.sub(r"\s+", "", text)


#: The running header and footer of every printed page (title, issuer, page number), in flattened text.
RUNNING_LINES = re.compile(r"信用卡催收岗工作手册[^·]{0,40}·印刷版|第\d+页/共\d+页")


def flowing(texts: list[str]) -> str:
    """The flattened text of consecutive pages without their running header and footer, as it reads across a page break."""
    return "".join(RUNNING_LINES.sub("", flat(text)) for text in texts)


def built_title(entry) -> str:
    soup = BeautifulSoup((SITE / f"{entry.file}.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article.bd-article h1").get_text(" ", strip=True).removesuffix("#").strip()


@pytest.fixture(scope="module", autouse=True)
def pdf_tools():
    """chromium and poppler-utils (pdftotext, pdffonts): installed like `make pdf` does, else a clear failure."""
    run = subprocess.run([str(ROOT / "tools" / "ensure_system_deps.sh"), "pdf"], capture_output=True, text=True)
    if run.returncode != 0:
        pytest.fail(run.stdout + run.stderr)


@pytest.fixture(scope="session")
def printed(tmp_path_factory):
    """The PDF, its JSON report and its pages' text."""
    if not (SITE / "index.html").is_file():
        pytest.fail("no built site in _build/html: run `make book` first (make test does)")
    out = tmp_path_factory.mktemp("pdf") / "handbook.pdf"
    run = subprocess.run([sys.executable, "-m", "tools.build_pdf", "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"handbook\.pdf: \d+ pages, [\d.]+ MB, \d+ s", run.stdout), run.stdout
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    return {"path": out, "report": report, "texts": page_texts(out), "stderr": run.stderr}


@pytest.mark.parametrize("module", ["tools.pdf.toc", "tools.pdf.assemble", "tools.pdf.locate",
                                    "tools.pdf.chromium", "tools.build_pdf"])
def test_pdf_tools_doctests(module):
    """The printer's doctests (tools/ is outside the suite's doctest paths)."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, result


def test_make_pdf_builds_the_site_first_then_prints_it():
    """`make pdf` runs the site build, then the printer, with the user's profile (dry run)."""
    plan = subprocess.run(["make", "-n", "pdf", "PROFILE=icbc"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    build, printer = plan.find("tools.build_book build ."), plan.find("tools.build_pdf")
    assert 0 <= build < printer, plan
    assert "ensure_system_deps.sh fonts pdf" in plan


def test_a_site_built_with_another_profile_is_refused(tmp_path):
    """The title page names the site's issuer: asking for another profile than the site's is an error."""
    from calculators import bundled_profiles

    if not (SITE / "index.html").is_file():
        pytest.fail("no built site in _build/html: run `make book` first (make test does)")
    other = next(p for p in bundled_profiles() if p != handbook_terms().code)
    run = subprocess.run([sys.executable, "-m", "tools.build_pdf", "--out", str(tmp_path / "x.pdf")], cwd=ROOT,
                         capture_output=True, text=True, env={**os.environ, "HANDBOOK_PROFILE": other}, timeout=120)
    assert run.returncode == 1
    assert f"not '{other}'" in run.stderr and f"PROFILE={other}" in run.stderr, run.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_page_count_is_sane(printed):
    count = len(printed["texts"])
    assert printed["report"]["pages"] == count
    # Title page, contents, then at least one page per site page; never a runaway (blank pages, huge fonts).
    assert len(PAGES) + 2 <= count <= 8 * len(PAGES), count
    size = printed["path"].stat().st_size
    assert 100_000 < size < 60_000_000, size


def test_fonts_are_embedded_and_text_is_unicode(printed):
    listing = subprocess.run(["pdffonts", str(printed["path"])], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows, listing
    for row in rows:  # name type... emb sub uni object-id gen: emb and uni are the 5th/3rd from the end
        assert row[-5] == "yes", f"font not embedded: {' '.join(row)}"
        assert row[-3] == "yes", f"font without a Unicode map (text not searchable): {' '.join(row)}"


def test_key_terms_are_searchable(printed):
    text = flat("".join(printed["texts"]))
    for term in ("违约金", "最低还款额", "个性化分期", handbook_terms().issuer):
        assert term in text, term


def test_title_page_names_issuer_profile_and_date(printed):
    first = flat(printed["texts"][0])
    terms = handbook_terms()
    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert flat(title) in first
    assert terms.issuer in first and terms.code in first
    assert re.search(r"构建日期\d{4}-\d{2}-\d{2}", first), printed["texts"][0]
    assert printed["report"]["date"] in first
    # the notice is the site's footer with its profile tokens filled, never a raw ⟦footer⟧ (session 33)
    assert "⟦" not in "".join(printed["texts"]) and flat(footer_html("⟦footer⟧", terms)) in first


def test_contents_list_every_page_in_toc_order_on_the_right_pages(printed):
    """Each chapter starts on the page the contents give, and the pages follow _toc.yml."""
    texts, numbers = printed["texts"], printed["report"]["contents"]
    contents = flat(texts[1] + texts[2])
    assert "目录" in flat(texts[1])
    previous_page, previous_pos = 0, -1
    for entry in PAGES:
        title = flat(built_title(entry))
        page = numbers[entry.slug]
        assert page > previous_page or entry == PAGES[0], (entry.file, page, previous_page)
        assert title in flat(texts[page - 1]), f"{entry.file}: '{title}' not on page {page}"
        position = contents.find(title + str(page))
        assert position > previous_pos, f"{entry.file}: '{title} … {page}' missing or out of order in the contents"
        previous_page, previous_pos = page, position


def test_answers_are_collected_at_the_end(printed):
    texts, numbers = printed["texts"], printed["report"]["contents"]
    appendix = numbers["pdf-answers"]
    assert appendix > max(numbers[e.slug] for e in PAGES)
    answers = {}
    for entry in PAGES:
        soup = BeautifulSoup((SITE / f"{entry.file}.html").read_text(encoding="utf-8"), "html.parser")
        bodies = [n for n in soup.select("article div.admonition.dropdown")
                  if "答案" in n.select_one(".admonition-title").get_text()]
        if bodies:
            answers[entry] = bodies
    assert len(answers) >= 4, "the exercise pages lost their answers"
    tail = flowing(texts[appendix - 1:])  # an answer may run across a page break
    for entry, bodies in answers.items():
        chapter = flowing(texts[numbers[entry.slug] - 1: appendix - 1])
        assert chapter.count("答案与解析见书末附录") >= len(bodies), entry.file
        for body in bodies:  # every answer's own words are in the appendix and not in the chapters
            words = flat(body.get_text(" ", strip=True).replace("答案与解析", "", 1))[:30]
            assert words in tail, (entry.file, words)
            assert words not in flowing(texts[:appendix - 1]), (entry.file, words)


def test_calculators_show_their_worked_example_and_the_live_page(printed):
    texts, numbers = printed["texts"], printed["report"]["contents"]
    found = 0
    for entry in PAGES:
        soup = BeautifulSoup((SITE / f"{entry.file}.html").read_text(encoding="utf-8"), "html.parser")
        for calc in soup.select("div.hb-calc"):
            found += 1
            end = min((n for n in numbers.values() if n > numbers[entry.slug]), default=len(texts) + 1)
            chapter = flat("".join(texts[numbers[entry.slug] - 1: end]))
            assert f"{entry.file}.html" in chapter, entry.file
            cells = [flat(n.get_text()) for n in calc.select(".hb-result :is(td, li, p)")]
            assert cells, f"{entry.file}: no worked example in the built page"
            assert all(c in chapter for c in cells if c), entry.file
            assert "浏览器计算引擎未加载" not in chapter
    assert found >= 2, "the calculator pages lost their forms"


def test_nothing_is_wider_than_the_page(printed):
    assert printed["report"]["overflows"] == []
    assert "wider than the page" not in printed["stderr"]


FURNITURE = [".bd-header", ".bd-sidebar-primary", ".bd-sidebar-secondary", ".bd-header-article",
             ".prev-next-area", ".bd-footer", ".search-button", ".headerlink", ".hb-calc form", ".hb-calc .hb-status"]
VISIBLE = """(selectors) => selectors.map(s => [s, [...document.querySelectorAll(s)].filter(
  el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden').length])"""


def test_printing_one_site_page_gives_a_clean_handout(tmp_path):
    """A calculator page printed from the site: the article and the worked example, no site furniture."""
    from tools.pdf.chromium import Browser

    page = SITE / "book" / "calc" / "overdue-fee.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert any(soup.select(s) for s in FURNITURE[:4]), "the theme's layout changed: update FURNITURE"
    assert soup.select_one('link[href*="_static/print.css"]'), "print.css is not linked from the pages"
    with Browser() as browser:
        browser.load(page.as_uri())
        browser.send("Emulation.setEmulatedMedia", {"media": "print"})
        shown = dict(browser.evaluate(f"({VISIBLE})({json.dumps(FURNITURE)})"))
        assert shown == dict.fromkeys(FURNITURE, 0), shown
        assert browser.evaluate("document.querySelector('.hb-calc .hb-result').getClientRects().length") > 0
        pdf = tmp_path / "page.pdf"
        pdf.write_bytes(browser.print_pdf({"printBackground": True}))
    text = flat("".join(page_texts(pdf)))
    assert flat(built_title(PAGES[[e.file for e in PAGES].index("book/calc/overdue-fee")])) in text
    assert "搜索本手册" not in text and "浏览器计算引擎未加载" not in text
    assert "在线版本见本页网页版" in text
