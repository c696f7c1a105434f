"""The trainer's classroom copy of the handbook: ``python -m tools.live prepare``.

``make live`` never serves the repository itself.  JupyterLab opens, re-saves and
autosaves what it shows, and whatever a trainer types in class would otherwise
end up in the handbook's sources.  Instead, every page listed in ``_toc.yml`` is
copied into ``_build/live/`` as a notebook (a procedure page without a page file
from its generated page, :func:`tools.procedure_pages.page_file`), and JupyterLab is rooted there:

* **Ordered like the book.**  Folders and files are numbered in table-of-contents
  order and named after the part captions and page titles, so the file browser
  lists chapters as the book does; ``00-目录.ipynb`` links every page.
* **Plumbing folded.**  Cells the site hides (``remove-cell``, ``remove-input``,
  ``hide-input``...) are collapsed (``source_hidden``), so a class sees prose,
  parameters and results; a trainer can still unfold them.  A cell tagged
  ``parameters`` (a teaching page's example numbers) stays open: changing it and
  running all cells updates the page's figures and checks.
* **Links that work.**  ``{doc}`` references become relative notebook links, in
  the pages and (through ``HANDBOOK_LIVE_LINKS``) in Markdown the pages print.
* **Nothing reads as modified.**  The copy carries the kernel's own metadata, so
  opening a page does not mark it changed.

The copy is made afresh by every ``make live``: a class starts from the handbook as
published, and edits made in class stay in ``_build/live/`` (which git ignores).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from procedures.doclinks import LINKS_FILE, relative_link, rewrite_doc_links
from procedures.pages import classroom_segments
from procedures.render import fill_profile
from tools.procedure_pages import page_file

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / "_build" / "live"
START_PAGE = "00-目录.ipynb"
# Cells that the site hides from readers: folded in the classroom copy.
PLUMBING_TAGS = {"remove-cell", "remove-input", "hide-input", "hide-cell"}
# A teaching page's example numbers: hidden on the site, shown first in class for a trainer to change.
TEACHING_TAG = "parameters"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class Page:
    """One page of the book: its docname (``book/role/duties``), title and place in the classroom copy."""

    docname: str
    title: str
    live_path: str  # relative to the copy's root, POSIX separators


def page_title(source: Path) -> str:
    r"""The page's first level-one heading (the title readers see).

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "p.md"
    >>> _ = page.write_text("---\nkernelspec: {}\n---\n\n# 术语表\n\n正文", encoding="utf-8")
    >>> page_title(page)
    '术语表'
    """
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return source.stem


def _safe(name: str) -> str:
    return UNSAFE.sub("-", name).strip("-") or "page"


def _toc_entries(entries: list[dict]) -> list[str]:
    names = []
    for entry in entries:
        names.append(entry["file"])
        names.extend(_toc_entries(entry.get("sections", [])))
    return names


def book_pages(root: Path = ROOT) -> list[Page]:
    """Every page of ``_toc.yml`` in reading order, with its numbered place in the classroom copy.

    >>> pages = book_pages()
    >>> pages[0].live_path
    '01-信用卡催收岗工作手册.ipynb'
    >>> [p.live_path.split("-")[0:2] for p in pages if p.docname == "book/role/duties"]
    [['02', '岗位认知/01']]
    """
    from calculators.datafile import read_yaml

    toc, _ = read_yaml(root / "_toc.yml")
    intro = toc["root"]
    pages = [Page(intro, page_title(page_file(intro, root)), f"01-{_safe(page_title(page_file(intro, root)))}.ipynb")]
    for part_number, part in enumerate(toc.get("parts", []), start=2):
        folder = f"{part_number:02d}-{_safe(part.get('caption', 'part'))}"
        for page_number, docname in enumerate(_toc_entries(part.get("chapters", [])), start=1):
            title = page_title(page_file(docname, root))
            pages.append(Page(docname, title, f"{folder}/{page_number:02d}-{_safe(title)}.ipynb"))
    return pages


def _relative_links(page: Page, pages: list[Page]) -> dict[str, str]:
    return {other.docname: relative_link(page.live_path, other.live_path) for other in pages}


def classroom_notebook(source: Path, page: Page, pages: list[Page]):
    """The page as a notebook for the classroom: plumbing folded, links rewritten, kernel metadata settled."""
    import jupytext

    import nbformat

    notebook = jupytext.read(source, fmt="md:myst")
    links = _relative_links(page, pages)
    titles = {p.docname: p.title for p in pages}
    cells = []
    for cell in notebook.cells:  # data-page directives: JupyterLab has no Sphinx, so each is expanded or made a cell
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        for kind, text in classroom_segments(cell.source):
            if kind == "code":
                cells.append(nbformat.v4.new_code_cell(text, metadata={"tags": ["remove-input"]}))
            else:
                cells.append(nbformat.v4.new_markdown_cell(text))
    notebook.cells = cells
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = rewrite_doc_links(fill_profile(cell.source), page.docname, links, titles)
        elif cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", []))
            if tags & PLUMBING_TAGS and TEACHING_TAG not in tags:
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
                if "remove-cell" in tags:
                    cell.metadata["jupyter"]["outputs_hidden"] = True
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["handbook"] = {"source": page.docname + ".md"}
    if any(cell.cell_type == "code" for cell in notebook.cells):
        hint = ("> **讲师提示**：这是手册的课堂副本，改动不会写回手册。先在菜单 **运行 → 运行全部单元格** 运行本页，"
                "计算器和图表才会出现；折叠的单元格是页面的支撑代码，一般不用展开。")
        import nbformat

        notebook.cells.insert(1 if notebook.cells and notebook.cells[0].cell_type == "markdown" else 0,
                              nbformat.v4.new_markdown_cell(hint))
    return notebook


def start_notebook(pages: list[Page], root: Path = ROOT):
    """``00-目录``: every page in table-of-contents order, grouped by part, with links."""
    import nbformat

    from calculators.datafile import read_yaml

    toc, _ = read_yaml(root / "_toc.yml")
    lines = ["# 目录（课堂副本）", "",
             "按手册的顺序列出每一页。打开一页后先“运行全部单元格”。这里的改动只留在课堂副本中，"
             "下次 `make live` 会重新从手册生成。", ""]
    by_docname = {p.docname: p for p in pages}
    lines.append(f"- [{pages[0].title}]({pages[0].live_path})")
    for part in toc.get("parts", []):
        lines += ["", f"## {part.get('caption', '')}", ""]
        for docname in _toc_entries(part.get("chapters", [])):
            page = by_docname[docname]
            lines.append(f"- [{page.title}]({page.live_path})")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("\n".join(lines))]
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def prepare(dest: Path = DEFAULT_DEST, root: Path = ROOT) -> list[Page]:
    """Write the classroom copy to ``dest`` (replacing an older copy); return its pages."""
    import nbformat

    pages = book_pages(root)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for page in pages:
        target = dest / page.live_path
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(classroom_notebook(page_file(page.docname, root), page, pages), target)
    nbformat.write(start_notebook(pages, root), dest / START_PAGE)
    # Where each page lives, for links in Markdown that pages print at run time (procedures.render.show).
    (dest / LINKS_FILE).write_text(
        json.dumps({"root": str(dest), "pages": {p.docname: p.live_path for p in pages},
                    "titles": {p.docname: p.title for p in pages}}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    return pages


def server_command(dest: Path, port: int, token: str, python: str = sys.executable) -> tuple[list[str], dict[str, str]]:
    """The JupyterLab command line and environment for a classroom session on ``dest`` (``make live``).

    >>> command, env = server_command(Path("/tmp/live"), 8888, "t")
    >>> "--ServerApp.root_dir=/tmp/live" in command and env["HANDBOOK_LIVE_LINKS"]
    '/tmp/live/links.json'
    """
    ipython_dir = dest.parent / "live-ipython"
    command = [
        python, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--allow-root",
        f"--ServerApp.root_dir={dest}", f"--IdentityProvider.token={token}",
        "--LabApp.extension_manager=readonly", f"--LabApp.default_url=/lab/tree/{START_PAGE}",
        # A closed tab leaves its kernel running: stop kernels that no tab uses once idle for 10 minutes.
        "--MappingKernelManager.cull_idle_timeout=600", "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        # The terminal shows problems only; the address is printed by `make live` itself.
        "--ServerApp.log_level=WARN",
    ]
    env = {
        **os.environ,
        # Pages import this checkout's packages (read-only) and print links into the copy.
        "PYTHONPATH": os.pathsep.join([str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]),
        "HANDBOOK_LIVE_LINKS": str(dest / LINKS_FILE),
        # A project-owned IPython profile: kernels log errors only (no TCP-transport warning per kernel; they
        # listen on 127.0.0.1 only) and no personal startup files.
        "IPYTHONDIR": str(ipython_dir),
    }
    return command, env


def install_settings(prefix: Path = Path(sys.prefix)) -> Path:
    """Put the classroom's JupyterLab settings (Chinese interface, no news or update checks: the session
    works offline) where JupyterLab reads overrides, in the environment that runs it."""
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "tools" / "jupyterlab" / "overrides.json", target)
    return target


#: Data a trainer may edit during a class: knowledge-base YAML and the terms profiles.
DATA_GLOBS = ("procedures/**/*.yml", "calculators/profiles/*.yml")
_last_stamp: tuple = ()


def data_stamp(root: Path = ROOT) -> tuple:
    """Name, size and modification time of every data file (:data:`DATA_GLOBS`): changes when one is edited.

    >>> data_stamp() == data_stamp()
    True
    """
    return tuple((str(p), st.st_size, st.st_mtime_ns)
                 for pattern in DATA_GLOBS for p in sorted(root.glob(pattern)) for st in [p.stat()])


def refresh_data_caches(*_: object) -> int:
    """Before a cell runs in a classroom kernel: if a data file changed since the last cell, empty the
    loaders' caches (every ``functools`` cache in the loaded ``calculators`` and ``procedures`` modules), so
    the cell reads the edited data.  Returns the number of caches emptied.

    >>> import procedures
    >>> _ = procedures.procedure("contact")
    >>> refresh_data_caches() >= 0   # the first call records the files' state
    True
    >>> refresh_data_caches()        # nothing changed since
    0
    """
    global _last_stamp
    stamp = data_stamp()
    if stamp == _last_stamp:
        return 0
    first, _last_stamp = not _last_stamp, stamp
    if first:
        return 0
    cleared = 0
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in ("calculators", "procedures"):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == name:
                value.cache_clear()
                cleared += 1
    return cleared


#: Runs in every classroom kernel (an IPython startup file): data edits take effect on the next run of a cell.
STARTUP = """\
# Written by tools/live.py for classroom sessions (make live); not part of the handbook.
from tools.live import refresh_data_caches as _handbook_refresh

_handbook_refresh()
get_ipython().events.register("pre_run_cell", _handbook_refresh)
"""


def _write_kernel_profile(ipython_dir: Path) -> None:
    profile = ipython_dir / "profile_default" / "ipython_kernel_config.py"
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text('c.IPKernelApp.log_level = "ERROR"\n', encoding="utf-8")
    startup = profile.parent / "startup" / "00-handbook-fresh-data.py"
    startup.parent.mkdir(exist_ok=True)
    startup.write_text(STARTUP, encoding="utf-8")


def serve(dest: Path, port: int) -> int:
    """Prepare the copy and run JupyterLab on it until Ctrl-C."""
    import secrets
    import subprocess

    pages = prepare(dest)
    install_settings()
    token = secrets.token_hex(16)
    command, env = server_command(dest, port, token)
    _write_kernel_profile(Path(env["IPYTHONDIR"]))
    print(f"==> classroom copy of {len(pages)} pages in {dest} (edits stay there; the handbook is not changed)")
    print(f"==> open http://127.0.0.1:{port}/lab/tree/{START_PAGE}?token={token}   (Ctrl-C to stop)", flush=True)
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        print("==> classroom session stopped")
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.live", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="write the classroom copy of every table-of-contents page")
    prep.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    run = sub.add_parser("serve", help="prepare the copy and start JupyterLab on 127.0.0.1 (make live)")
    run.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    run.add_argument("--port", type=int, default=8888)
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args.dest.resolve(), args.port)
    pages = prepare(args.dest.resolve())
    print(f"==> classroom copy: {len(pages)} pages in {args.dest} (start page {START_PAGE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
