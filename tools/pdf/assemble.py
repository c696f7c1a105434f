"""One print document from the built site: title page, contents, every page in order, answers at the end.

The pages are read from ``_build/html`` (what readers see, figures already computed by the build); only
their article is kept. Links between pages become links inside the document, ids are made unique per
page, calculators keep their build-time worked example (the form is dropped and a line names the live
page), and exercise answers move to an appendix.
"""
from __future__ import annotations

import copy
import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from tools.pdf.toc import Entry

ANSWER_WORD = "答案"
# Emoji with no glyph in the installed fonts (Noto CJK, DejaVu) print as empty boxes: use a text symbol.
SUBSTITUTES = {"\u2705": "\u2714"}  # ✅ -> ✔
# Site furniture that has no place on paper (the print stylesheet hides the same on single pages).
DROP = ["a.headerlink", "script", "noscript", "button", ".prev-next-area", ".toggle-button",
        "details.above-input", "details.below-input", ".hb-calc form", ".hb-calc .hb-status",
        ".jupyter-widgets", ".widget-subarea", '[data-mime-type="application/vnd.jupyter.widget-view+json"]']


@dataclass
class Answer:
    """An exercise answer taken out of its page, with what it answers."""

    anchor: str          # id of the answer in the appendix
    back: str            # id of the place in the chapter it was taken from
    label: str           # the exercise heading it belongs to
    body: Tag


@dataclass
class Page:
    """One page of the site, rewritten for the print document."""

    entry: Entry
    title: str
    body: Tag
    answers: list[Answer] = field(default_factory=list)


def slug_anchor(slug: str, fragment: str) -> str:
    """The document-wide id of ``fragment`` on the page ``slug`` (the page itself when empty).

    >>> slug_anchor("p-book-role-duties", "")
    'p-book-role-duties'
    >>> slug_anchor("p-book-role-duties", "why")
    'p-book-role-duties--why'
    """
    return f"{slug}--{fragment}" if fragment else slug


def page_path(html_root: Path, entry: Entry) -> Path:
    """The built HTML file of a table-of-contents page.

    >>> page_path(Path("_build/html"), Entry(1, "book/role/duties")).as_posix()
    '_build/html/book/role/duties.html'
    """
    return html_root / f"{entry.file}.html"


def _demote(article: Tag, shift: int) -> None:
    for heading in article.find_all(re.compile(r"^h[1-6]$")):
        heading.name = f"h{min(6, int(heading.name[1]) + shift)}"


def _exercise_label(node: Tag) -> str:
    heading = node.find_previous(re.compile(r"^h[2-6]$"))
    return heading.get_text(" ", strip=True) if heading else "练习"


def _is_answer(node: Tag) -> bool:
    if node.name == "details":
        summary = node.find("summary")
        return bool(summary and ANSWER_WORD in summary.get_text())
    title = node.find(class_="admonition-title")
    return bool(title and ANSWER_WORD in title.get_text())


def _rewrite_links(article: Tag, entry: Entry, html_root: Path, pages: dict[str, Entry]) -> None:
    here = posixpath.dirname(entry.file)
    for node in article.find_all(id=True):
        node["id"] = slug_anchor(entry.slug, node["id"])
    for node in article.find_all(href=True):
        href = node["href"]
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            continue  # http(s), mailto: kept, and printed after the link text by the stylesheet
        if not parts.path:  # a fragment on this page
            node["href"] = "#" + slug_anchor(entry.slug, unquote(parts.fragment))
            continue
        target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
        target_page = pages.get(target.removesuffix(".html"))
        if target_page is not None:
            node["href"] = "#" + slug_anchor(target_page.slug, unquote(parts.fragment))
        else:  # a download or a file of the site: name it, a link would point nowhere on paper
            node.unwrap()
    for node in article.find_all(src=True):
        parts = urlsplit(node["src"])
        if not parts.scheme:
            node["src"] = (html_root / posixpath.normpath(posixpath.join(here, unquote(parts.path)))).resolve().as_uri()
    for node in article.find_all(srcset=True):
        del node["srcset"]


def _calculator_notes(article: Tag, entry: Entry, soup: BeautifulSoup) -> None:
    for calc in article.select("div.hb-calc"):
        note = soup.new_tag("p", attrs={"class": "pdf-calc-note"})
        note.string = (f"印刷版：下面是按默认输入在构建时算出的示例。可修改输入、实时重算的在线版本见手册网站的 "
                       f"{entry.file}.html 页（在浏览器中计算，不联网）。")
        calc.insert(0, note)


def read_page(html_root: Path, entry: Entry, pages: dict[str, Entry], shift: int) -> Page:
    """The article of one built page, rewritten for the print document (see the module docstring)."""
    path = page_path(html_root, entry)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: build the site first ('make book')")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one('[role="main"]')
    if article is None:
        raise ValueError(f"{path}: no article element (is this a Jupyter Book page?)")
    title_node = article.find("h1")
    title = title_node.get_text(" ", strip=True).removesuffix("#").strip() if title_node else entry.file
    for selector in DROP:
        for node in article.select(selector):
            node.decompose()
    _rewrite_links(article, entry, html_root, pages)
    answers: list[Answer] = []
    for number, node in enumerate([n for n in article.select("details, div.admonition.dropdown") if _is_answer(n)], 1):
        anchor = f"{entry.slug}--answer-{number}"
        ref = soup.new_tag("p", attrs={"class": "pdf-answer-ref", "id": f"{anchor}-ref"})
        link = soup.new_tag("a", href=f"#{anchor}")
        link.string = f"答案与解析见书末附录「练习答案与解析」：{title} 第 {number} 条"
        ref.append(link)
        answers.append(Answer(anchor, f"{anchor}-ref", _exercise_label(node), node.replace_with(ref)))
    for node in article.find_all("details"):
        node["open"] = ""
    _calculator_notes(article, entry, soup)
    _demote(article, shift)
    article.name = "section"
    article.attrs = {"class": ["pdf-page", f"pdf-level-{entry.level}"], "id": entry.slug}
    return Page(entry, title, article, answers)


def stylesheets_and_math(html_root: Path, entries: list[Entry]) -> tuple[list[str], str]:
    """The site's stylesheet URIs (from the first page) and the MathJax set-up of a page with math."""
    first = BeautifulSoup(page_path(html_root, entries[0]).read_text(encoding="utf-8"), "html.parser")
    here = posixpath.dirname(entries[0].file)
    sheets = []
    for link in first.select('link[rel="stylesheet"]'):
        href = urlsplit(link["href"])
        if not href.scheme:
            sheets.append((html_root / posixpath.normpath(posixpath.join(here, href.path))).resolve().as_uri())
    print_css = (html_root / "_static" / "print.css").resolve().as_uri()
    if print_css not in sheets:  # a site built before print.css was registered still has the file
        sheets.append(print_css)
    for entry in entries:
        page = BeautifulSoup(page_path(html_root, entry).read_text(encoding="utf-8"), "html.parser")
        scripts = [s for s in page.find_all("script") if "mathjax" in (s.get("src") or "").lower()
                   or "MathJax" in (s.string or "")]
        if scripts:
            out = []
            for script in scripts:
                script = copy.copy(script)
                if script.get("src"):
                    src = urlsplit(script["src"]).path
                    script["src"] = (html_root / posixpath.normpath(posixpath.join(posixpath.dirname(entry.file), src))).resolve().as_uri()
                out.append(str(script))
            return sheets, "\n".join(out)
    return sheets, ""


def title_page(meta: dict[str, str]) -> str:
    """The title page; ``meta`` has title, issuer, label, profile, date, notice (all plain text).

    >>> "招商银行" in title_page({"title": "手册", "issuer": "招商银行", "label": "", "profile": "cmb",
    ...                           "date": "2026-11-29", "notice": ""})
    True
    """
    e = {k: html.escape(v) for k, v in meta.items()}
    return f"""
<section class="pdf-title-page">
  <p class="pdf-kicker">{e['issuer']} · 信用卡催收岗</p>
  <h1 class="pdf-book-title">{e['title']}</h1>
  <p class="pdf-edition">印刷版</p>
  <dl class="pdf-facts">
    <dt>发卡机构</dt><dd>{e['issuer']}</dd>
    <dt>条款档案</dt><dd>{e['profile']}（{e['label']}）</dd>
    <dt>构建日期</dt><dd>{e['date']}</dd>
  </dl>
  <p class="pdf-notice">{e['notice']}</p>
  <p class="pdf-notice">本 PDF 由 <code>make pdf</code> 从手册网站的构建结果生成。计算器页给出的是构建时按默认输入算出的示例；
  可修改输入的在线计算器见手册网站对应页面。练习的答案与解析集中在书末附录。</p>
</section>"""


def contents(items: list[tuple[int, str, str]], numbers: dict[str, int] | None) -> str:
    """The table of contents: ``(level, anchor, title)`` items with their page numbers (placeholders first).

    >>> "pdf-toc" in contents([(1, "p-a", "甲")], {"p-a": 3})
    True
    """
    rows = []
    for level, anchor, title in items:
        page = str(numbers[anchor]) if numbers else "000"
        rows.append(f'<li class="pdf-toc-{level}"><a href="#{anchor}"><span class="pdf-toc-title">'
                    f'{html.escape(title)}</span><span class="pdf-toc-page">{page}</span></a></li>')
    return f'<nav class="pdf-toc"><h1 class="pdf-toc-heading">目录</h1><ol>{"".join(rows)}</ol></nav>'


def marker(index: int) -> str:
    """The text a first print carries at the top of an item, to find the page it starts on.

    >>> marker(7)
    'HBMARK0007HB'
    """
    return f"HBMARK{index:04d}HB"


def answers_appendix(pages: list[Page]) -> str:
    """The appendix: every page's answers, under the page's title, each linked back to its exercise."""
    blocks = []
    for page in pages:
        if not page.answers:
            continue
        items = []
        for number, answer in enumerate(page.answers, 1):
            answer.body.name = "div"
            answer.body.attrs = {"class": ["pdf-answer-body"]}
            items.append(f'<div class="pdf-answer" id="{answer.anchor}"><p class="pdf-answer-label">'
                         f'<a href="#{answer.back}">{number}. {html.escape(answer.label)}</a></p>{answer.body}</div>')
        blocks.append(f'<section class="pdf-answers-page" id="answers-{page.entry.slug}">'
                      f'<h2>{html.escape(page.title)}</h2>{"".join(items)}</section>')
    return "".join(blocks)


def document(meta: dict[str, str], entries: list[Entry], html_root: Path, extra_css: str,
             numbers: dict[str, int] | None) -> tuple[str, list[str]]:
    """The whole print document and, in order, the anchors the contents lists (for the page lookup).

    Without ``numbers`` (the first print) each listed item carries its :func:`marker`; with them, the
    contents show the page numbers and no markers are printed.
    """
    pages_by_file = {e.file: e for e in entries if e.file}
    parts: list[str] = []
    items: list[tuple[int, str, str]] = []
    pages: list[Page] = []
    for entry in entries:
        if entry.file is None:
            items.append((0, entry.slug, entry.caption or ""))
            parts.append(f'<section class="pdf-part" id="{entry.slug}"><h1 class="pdf-part-title">'
                         f'{html.escape(entry.caption or "")}</h1></section>')
            continue
        page = read_page(html_root, entry, pages_by_file, shift=max(entry.level, 1))
        pages.append(page)
        items.append((max(entry.level, 1), entry.slug, page.title))
        parts.append(str(page.body))
    appendix = answers_appendix(pages)
    if appendix:
        items.append((0, "pdf-answers", "练习答案与解析"))
        parts.append(f'<section class="pdf-part pdf-answers" id="pdf-answers"><h1 class="pdf-part-title">'
                     f'练习答案与解析</h1>{appendix}</section>')
    body = "\n".join(parts)
    for emoji, symbol in SUBSTITUTES.items():
        body = body.replace(emoji, symbol)
    if numbers is None:
        for index, (_, anchor, _) in enumerate(items):
            body = body.replace(f'id="{anchor}"', f'id="{anchor}" data-pdf-marker="{marker(index)}"', 1)
    sheets, math = stylesheets_and_math(html_root, [e for e in entries if e.file])
    links = "\n".join(f'<link rel="stylesheet" href="{html.escape(s)}">' for s in sheets)
    page_html = f"""<!DOCTYPE html>
<html lang="zh-CN" data-theme="light" data-mode="light">
<head>
<meta charset="utf-8">
<title>{html.escape(meta['title'])}</title>
{links}
<style>{extra_css}</style>
{math}
</head>
<body class="pdf-book">
{title_page(meta)}
{contents(items, numbers)}
{body}
</body>
</html>"""
    return page_html, [anchor for _, anchor, _ in items]
