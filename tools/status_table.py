"""The build-status page's execution table in Chinese (Sphinx extension, loaded by ``tools/handbook_sphinx.py``).

MyST-NB's ``{nb-exec-table}`` writes its column headers and values in English
("Document", "Modified", "cache", …).  Reader text is Chinese, so a
post-transform that runs right after MyST-NB builds the table (its priority is
8; references resolve at 10) translates the headers and the execution method,
and spells out the status next to its symbol.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

HEADERS = {"Document": "页面", "Modified": "执行时间", "Method": "方式", "Run Time (s)": "耗时（秒）", "Status": "结果"}
VALUES = {"cache": "缓存执行", "inline": "直接执行", "off": "不执行", "force": "强制执行", "auto": "自动",
          "✅": "✅ 成功", "❌": "❌ 失败"}


def translate_table(table: nodes.table) -> bool:
    """Translate one execution table in place; ``True`` when it was MyST-NB's execution table.

    >>> table = nodes.table("", nodes.tgroup("", nodes.thead("", nodes.row("", *[
    ...     nodes.entry("", nodes.paragraph(text=h)) for h in ["Document", "Status"]])),
    ...     nodes.tbody("", nodes.row("", nodes.entry("", nodes.paragraph(text="x")), nodes.entry("", nodes.paragraph(text="✅"))))))
    >>> translate_table(table)
    True
    >>> [p.astext() for p in table.findall(nodes.paragraph)]
    ['页面', '结果', 'x', '✅ 成功']
    """
    header = [p.astext() for thead in table.findall(nodes.thead) for p in thead.findall(nodes.paragraph)]
    if not header or header[0] != "Document" or "Status" not in header:
        return False
    for thead in table.findall(nodes.thead):
        for paragraph in thead.findall(nodes.paragraph):
            paragraph.replace_self(nodes.paragraph(text=HEADERS.get(paragraph.astext(), paragraph.astext())))
    for tbody in table.findall(nodes.tbody):
        for paragraph in list(tbody.findall(nodes.paragraph)):
            if paragraph.astext() in VALUES and len(paragraph.children) == 1 and isinstance(paragraph[0], nodes.Text):
                paragraph.replace_self(nodes.paragraph(text=VALUES[paragraph.astext()]))
    return True


class ChineseExecutionTable(SphinxPostTransform):
    """Translate MyST-NB's execution statistics table (after MyST-NB fills it, before references resolve)."""

    default_priority = 9

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            translate_table(table)


def setup(app: Any) -> dict:
    app.add_post_transform(ChineseExecutionTable)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
