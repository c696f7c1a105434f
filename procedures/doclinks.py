"""``{doc}`` references for the trainer's classroom copy (``make live``, see ``tools/live.py``).

The site resolves ``{doc}`` roles with Sphinx.  In JupyterLab there is no Sphinx,
so the classroom copy turns them into ordinary Markdown links to its notebooks:
``tools/live.py`` rewrites the pages' own Markdown when it writes the copy, and
:func:`live_markdown` rewrites the Markdown that pages print while a class runs
them (``procedures.render.show``).  The copy's page map is ``links.json`` at its
root, named by ``$HANDBOOK_LIVE_LINKS``; without it (site builds, tests) text is
returned unchanged.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath

LINKS_FILE = "links.json"
DOC_ROLE = re.compile(r"\{doc\}`(?:([^`<]*?)\s*<([^`>]+)>|([^`<>]+))`")


def rewrite_doc_links(markdown: str, here: str, links: dict[str, str], titles: dict[str, str]) -> str:
    """Turn ``{doc}`` references into Markdown links.

    ``here`` is the docname of the page the text appears on (targets without a
    leading ``/`` are relative to its folder); ``links`` maps docnames to link
    targets, ``titles`` to the text used when the reference has none.  A target
    that is not in ``links`` is left as it was, so the build's own check still
    reports it.

    >>> links = {"book/rules/stages": "../05-规则/02-阶段.ipynb", "book/calc/profile": "04-配置.ipynb"}
    >>> rewrite_doc_links("见 {doc}`条款配置 <profile>`", "book/calc/rules", links, {})
    '见 [条款配置](04-配置.ipynb)'
    >>> rewrite_doc_links("见 {doc}`/book/rules/stages`", "book/calc/rules", links, {"book/rules/stages": "阶段"})
    '见 [阶段](../05-规则/02-阶段.ipynb)'
    >>> rewrite_doc_links("{doc}`/book/missing`", "book/intro", links, {})
    '{doc}`/book/missing`'
    """

    def target_of(reference: str) -> str:
        reference = reference.strip()
        if reference.startswith("/"):
            return reference.lstrip("/")
        return (PurePosixPath(here).parent / reference).as_posix()

    def replace(match: re.Match) -> str:
        text, explicit, bare = match.groups()
        docname = target_of(explicit or bare)
        if docname not in links:
            return match.group(0)
        label = (text or "").strip() or titles.get(docname, docname)
        return f"[{label}]({links[docname]})"

    return DOC_ROLE.sub(replace, markdown)


def relative_link(from_path: str, to_path: str) -> str:
    """A relative link from one file of the copy to another (paths relative to the copy's root).

    >>> relative_link("02-岗位认知/01-a.ipynb", "07-计算器/02-b.ipynb")
    '../07-计算器/02-b.ipynb'
    >>> relative_link("01-intro.ipynb", "02-x/01-y.ipynb")
    '02-x/01-y.ipynb'
    """
    start = PurePosixPath(from_path).parent.as_posix()
    return os.path.relpath(to_path, start if start != "." else os.curdir).replace(os.sep, "/")


def live_markdown(markdown: str) -> str:
    """Markdown printed by a page in the classroom copy, with ``{doc}`` references as notebook links.

    The running page is the kernel's session path (``$JPY_SESSION_NAME``, set by
    the Jupyter server).  Outside a classroom session the text is unchanged:

    >>> live_markdown("{doc}`/book/glossary`") if "HANDBOOK_LIVE_LINKS" not in os.environ else "{doc}`/book/glossary`"
    '{doc}`/book/glossary`'
    """
    links_file = os.environ.get("HANDBOOK_LIVE_LINKS")
    if not links_file or "{doc}" not in markdown:
        return markdown
    try:
        layout = json.loads(Path(links_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return markdown
    pages: dict[str, str] = layout["pages"]
    session = os.environ.get("JPY_SESSION_NAME", "")
    root = Path(layout["root"])
    try:
        current = Path(session).resolve().relative_to(root.resolve()).as_posix() if session else ""
    except ValueError:
        current = session
    by_path = {path: docname for docname, path in pages.items()}
    here = by_path.get(current)
    if here is None:
        return markdown
    links = {docname: relative_link(current, path) for docname, path in pages.items()}
    return rewrite_doc_links(markdown, here, links, layout.get("titles", {}))
