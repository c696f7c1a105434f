"""The reading order of the printed handbook: ``_toc.yml`` flattened into entries."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Entry:
    """One table-of-contents item: a part caption (``file`` is None) or a page.

    ``level`` 0 is the root page and part captions, 1 a chapter, 2 a section of a chapter, and so on.
    """

    level: int
    file: str | None = None
    caption: str | None = None

    @property
    def slug(self) -> str:
        """Anchor-safe id of the page (or part) in the print document.

        >>> Entry(1, "book/role/duties").slug
        'p-book-role-duties'
        >>> Entry(0, caption="计算器").slug.startswith("part-")
        True
        """
        if self.file is None:
            return "part-" + hashlib.sha1(str(self.caption).encode()).hexdigest()[:8]
        return "p-" + self.file.replace("/", "-").replace(".", "-")


def _files(items: list[dict], level: int) -> list[Entry]:
    entries = []
    for item in items or []:
        if "file" in item:
            entries.append(Entry(level, str(item["file"]).removesuffix(".md").removesuffix(".ipynb")))
        entries += _files(item.get("sections", []), level + 1)
    return entries


def read_toc(path: Path) -> list[Entry]:
    """Entries of a Jupyter Book ``_toc.yml`` (``jb-book`` format) in reading order.

    >>> import tempfile, textwrap
    >>> toc = Path(tempfile.mkdtemp()) / "_toc.yml"
    >>> _ = toc.write_text(textwrap.dedent('''
    ...     format: jb-book
    ...     root: book/intro
    ...     parts:
    ...       - caption: 计算器
    ...         chapters:
    ...           - file: book/calc/rules
    ...             sections:
    ...               - file: book/calc/fee.md
    ... '''), encoding="utf-8")
    >>> [(e.level, e.file or e.caption) for e in read_toc(toc)]
    [(0, 'book/intro'), (0, '计算器'), (1, 'book/calc/rules'), (2, 'book/calc/fee')]
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("format") != "jb-book" or "root" not in data:
        raise ValueError(f"{path}: a 'jb-book' table of contents with a 'root' page is expected")
    entries = [Entry(0, str(data["root"]).removesuffix(".md"))]
    if "parts" in data:
        for part in data["parts"]:
            entries.append(Entry(0, caption=str(part.get("caption", ""))))
            entries += _files(part.get("chapters", []), 1)
    else:
        entries += _files(data.get("chapters", []), 1)
    return entries
