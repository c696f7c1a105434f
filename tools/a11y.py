"""Accessibility fixes for the built site's theme (a Sphinx extension, set up by tools/handbook_sphinx.py).

The theme (pydata-sphinx-theme / sphinx-book-theme) leaves a few controls with
English or missing accessible names, and Markdown task lists with unlabelled
checkboxes.  After the HTML pages are written (``build-finished``) every page
is rewritten once by :func:`fix_page`, a chain of small, idempotent text
rewrites, each aimed at one piece of theme markup:

* Chinese names for the theme's controls (colour mode, sidebar toggles, edit,
  heading links, the navigation landmarks), and the search button named by its
  visible text (axe: label-content-name-mismatch);
* a name on every sidebar ``<summary>`` (the chevron that opens a chapter);
* task-list checkboxes wrapped in a ``<label>`` with their item's text;
* the sidebar marked as a landmark, so no content sits outside landmarks;
* a skip link straight to the page's tool (calculator, checker) on pages that
  have one, next to the theme's "跳转至主要内容";
* headings of executed-cell output (MyST-NB renders them as ``rubric``)
  never skip a level.

Styles (visible focus, contrast in both colour modes) are in
``book/_static/handbook.css``; the one control built by JavaScript
(sphinx-togglebutton's button) is renamed in its script by :func:`fix_static`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

# Theme strings (attribute fragments) and their Chinese replacements.
ATTRIBUTES = {
    'aria-label="Color mode" data-bs-title="Color mode"': 'data-bs-title="颜色模式"',
    'title="System Settings"': 'title="跟随系统"',
    'title="Toggle primary sidebar"': 'title="显示或隐藏全书目录" aria-label="显示或隐藏全书目录"',
    'title="Toggle secondary sidebar"': 'title="显示或隐藏本页目录" aria-label="显示或隐藏本页目录"',
    'title="Suggest edit"': 'title="编辑本页" aria-label="编辑本页"',
    'title="Link to this heading"': 'title="本节链接"',
    'title="Link to this term"': 'title="本术语链接"',
    'title="Link to this definition"': 'title="本定义链接"',
    'title="Link to this code"': 'title="本代码链接"',
    'title="Link to this table"': 'title="本表链接"',
    'title="Link to this image"': 'title="本图链接"',
    'title="Download source file"': 'title="下载本页源文件" aria-label="下载本页源文件"',
    'title="Print to PDF"': 'title="打印为 PDF" aria-label="打印为 PDF"',
    'aria-label="Download this page"': 'aria-label="下载本页"',
    '<nav class="bd-links bd-docs-nav" aria-label="Main">': '<nav class="bd-links bd-docs-nav" aria-label="全书目录">',
    '<nav aria-label="Page">': '<nav aria-label="本页">',
}
SKIP_LINK = '<div id="pst-skip-link" class="skip-link d-print-none"><a href="#main-content">跳转至主要内容</a>'
TOOL_ID = "hb-tool"
TOGGLE_LABEL = ('aria-label="Toggle hidden content"', 'aria-label="显示或隐藏内容"')


def translate_attributes(page: str) -> str:
    """The theme's English names and tooltips in Chinese.

    >>> translate_attributes('<button title="Toggle primary sidebar">')
    '<button title="显示或隐藏全书目录" aria-label="显示或隐藏全书目录">'
    """
    for english, chinese in ATTRIBUTES.items():
        page = page.replace(english, chinese)
    return page


def name_search_buttons(page: str) -> str:
    """The search field button's name is its visible text ("搜索 Ctrl+K"), not a shorter aria-label.

    >>> name_search_buttons('<button class="btn search-button-field search-button__button pst-js-only" title="搜索" aria-label="搜索" x>')
    '<button class="btn search-button-field search-button__button pst-js-only" title="搜索" x>'
    """
    return re.sub(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="[^"]*"', r"\1", page)


def name_theme_switch(page: str) -> str:
    """The colour-mode button is named by a hidden text ("颜色模式"); its icons are decoration (tooltips kept).

    >>> name_theme_switch('<i class="theme-switch fa-solid fa-circle-half-stroke fa-lg" data-mode="auto"  title="跟随系统"></i>\\n</button>')
    '<i class="theme-switch fa-solid fa-circle-half-stroke fa-lg" data-mode="auto"  title="跟随系统" aria-hidden="true"></i>\\n<span class="visually-hidden">颜色模式</span></button>'
    """
    page = re.sub(r'(<i class="theme-switch [^"]*" data-mode="\w+"\s+title="[^"]*")></i>', r'\1 aria-hidden="true"></i>', page)
    return re.sub(r'(data-mode="auto"\s+title="[^"]*" aria-hidden="true"></i>\s*)</button>', r'\1<span class="visually-hidden">颜色模式</span></button>', page)


def name_summaries(page: str) -> str:
    """Each sidebar chevron (an empty ``<summary>``) is named after the chapter it opens.

    >>> name_summaries('<a class="reference internal" href="x.html">规则与合规</a><details><summary><span>')
    '<a class="reference internal" href="x.html">规则与合规</a><details><summary aria-label="展开或收起“规则与合规”的小节"><span>'
    """
    def named(match: re.Match) -> str:
        title = html.escape(html.unescape(re.sub(r"<[^>]+>", "", match.group(2))), quote=True)
        return f'{match.group(1)}<summary aria-label="展开或收起“{title}”的小节">'

    return re.sub(r'(<a class="[^"]*reference internal[^"]*" href="[^"]*">(.*?)</a><details(?: open="open")?>)<summary>', named, page)


def label_task_checkboxes(page: str) -> str:
    """A task-list checkbox and its item's text form one ``<label>`` (the checkbox gets the text as its name).

    >>> label_task_checkboxes('<li class="task-list-item"><p><input class="task-list-item-checkbox" disabled="disabled" type="checkbox"> 核对身份</p>')
    '<li class="task-list-item"><p><label class="hb-task"><input class="task-list-item-checkbox" disabled="disabled" type="checkbox"> 核对身份</label></p>'
    """
    return re.sub(r'<p>(<input class="task-list-item-checkbox"[^>]*>)(.*?)</p>', r'<p><label class="hb-task">\1\2</label></p>', page, flags=re.S)


def sidebar_landmark(page: str) -> str:
    """The primary sidebar (title, search, table of contents) is a landmark of its own.

    >>> sidebar_landmark('<div class="bd-sidebar-primary bd-sidebar">')
    '<div class="bd-sidebar-primary bd-sidebar" role="complementary" aria-label="侧栏：手册标题、搜索与全书目录">'
    """
    return re.sub(r'(<div (?:id="pst-primary-sidebar" )?class="bd-sidebar-primary bd-sidebar")>',
                  r'\1 role="complementary" aria-label="侧栏：手册标题、搜索与全书目录">', page, count=1)


def skip_to_tool(page: str) -> str:
    """On a page with a tool (``hb-calc`` form), a second skip link leads straight to it.

    >>> out = skip_to_tool(SKIP_LINK + '</div><div class="hb-calc" data-calc="plan">')
    >>> '<a href="#hb-tool">跳到本页工具</a>' in out and '<div class="hb-calc" id="hb-tool" tabindex="-1"' in out
    True
    """
    if '<div class="hb-calc" ' not in page or f'id="{TOOL_ID}"' in page:
        return page
    page = page.replace('<div class="hb-calc" ', f'<div class="hb-calc" id="{TOOL_ID}" tabindex="-1" ', 1)
    return page.replace(SKIP_LINK, SKIP_LINK + f'<a href="#{TOOL_ID}">跳到本页工具</a>', 1)


def heading_order(page: str) -> str:
    """Headings inside executed-cell output (``rubric``) are at most one level below the previous heading.

    >>> heading_order('<h1>练习</h1><h3 class="rubric" id="a">练习 1</h3><h3 class="rubric" id="b">练习 2</h3>')
    '<h1>练习</h1><h2 class="rubric" id="a">练习 1</h2><h2 class="rubric" id="b">练习 2</h2>'
    """
    level, shift, pos, out = 0, 0, 0, []
    for match in re.finditer(r"<h([1-6])(\s[^>]*)?>(.*?)</h\1>", page, flags=re.S):
        n, attrs = int(match.group(1)), match.group(2) or ""
        if 'class="rubric"' not in attrs:
            level, shift = n, 0
            continue
        if level and n - shift > level + 1:
            shift = n - (level + 1)  # the same shift for the rubrics that follow (siblings stay siblings)
        if shift:
            new = n - shift
            out.append(page[pos:match.start()] + f"<h{new}{attrs}>{match.group(3)}</h{new}>")
            pos = match.end()
            n = new
        level = n
    return "".join(out) + page[pos:]


FIXES = (translate_attributes, name_search_buttons, name_theme_switch, name_summaries, label_task_checkboxes,
         sidebar_landmark, skip_to_tool, heading_order)


def fix_page(page: str) -> str:
    """Apply every fix (idempotent: a fixed page is returned unchanged).

    >>> p = SKIP_LINK + '</div><p><input class="task-list-item-checkbox" type="checkbox"> 甲</p><div class="hb-calc" x>'
    >>> fix_page(fix_page(p)) == fix_page(p)
    True
    """
    for fix in FIXES:
        page = fix(page)
    return page


def fix_static(static: Path) -> None:
    """Rename the one control a third-party script builds at run time (sphinx-togglebutton)."""
    script = static / "togglebutton.js"
    if script.is_file():
        text = script.read_text(encoding="utf-8")
        if TOGGLE_LABEL[0] in text:
            script.write_text(text.replace(*TOGGLE_LABEL), encoding="utf-8")


def fix_site(outdir: Path) -> int:
    """Fix every HTML page under ``outdir`` and the static scripts; the number of pages changed."""
    changed = 0
    for path in outdir.rglob("*.html"):
        if "_static" in path.parts or "_sources" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        fixed = fix_page(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
            changed += 1
    fix_static(outdir / "_static")
    return changed


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        fix_site(Path(app.outdir))


def setup(app) -> dict:
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
