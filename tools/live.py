"""The trainer's classroom copy of the handbook: ``python -m tools.live prepare``.

``make live`` never serves the repository itself.  JupyterLab opens, re-saves and
autosaves what it shows, and whatever a trainer types in class would otherwise
end up in the handbook's sources.  Instead, every page listed in ``_toc.yml`` is
copied into ``_build/live/`` as a notebook, and JupyterLab is rooted there:

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

Every ``make live`` brings the copy back to the handbook as published: a class starts
from the published pages, and edits made in class stay in ``_build/live/`` (which git
ignores) until the next start.  Generating a page (parsing it, expanding its data
directives) is the slow part, so a page is generated again only when it would come out
different: ``_build/live-manifest.json`` keys every page by a digest of its source, of the
book's page list and of everything the generation reads (the ``procedures`` and
``calculators`` trees, their data and the terms profiles, ``_toc.yml``, ``_config.yml``,
this file, ``$HANDBOOK_PROFILE``), and records a digest of the file written.  A page whose
key is unchanged and whose file is still as written is kept; a page changed in class, or
whose inputs changed, is written again; files that are not part of the copy (pages gone
from the table of contents, notebooks saved in class, checkpoints) are removed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

# The procedures package (pydantic models) and jupytext are imported only when a page is generated:
# a warm start, with every page unchanged, needs neither.
LINKS_FILE = "links.json"  # procedures.doclinks.LINKS_FILE (checked by the tests)

from tools.procedure_pages import page_file  # noqa: E402  (a page file, or the stub generated from its procedure YAML)

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
    from procedures.doclinks import relative_link

    return {other.docname: relative_link(page.live_path, other.live_path) for other in pages}


def classroom_notebook(source: Path, page: Page, pages: list[Page]):
    """The page as a notebook for the classroom: plumbing folded, links rewritten, kernel metadata settled."""
    import jupytext
    import nbformat  # already imported by jupytext

    from procedures.doclinks import rewrite_doc_links
    from procedures.pages import classroom_segments
    from procedures.render import fill_profile

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
        notebook.cells.insert(1 if notebook.cells and notebook.cells[0].cell_type == "markdown" else 0,
                              nbformat.v4.new_markdown_cell(hint))
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number:03d}"  # the same page gives the same file (nbformat's ids are random)
    return notebook


def start_notebook(pages: list[Page], root: Path = ROOT) -> dict:
    """``00-目录``: every page in table-of-contents order, grouped by part, with links (a notebook as a dict).

    >>> notebook = start_notebook(book_pages())
    >>> notebook["cells"][0]["source"].splitlines()[0], notebook["metadata"]["kernelspec"]["name"]
    ('# 目录（课堂副本）', 'python3')
    """
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
    return {"cells": [{"cell_type": "markdown", "id": "contents", "metadata": {}, "source": "\n".join(lines)}],
            "metadata": {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def notebook_json(notebook) -> str:
    r"""The notebook file's text, laid out as ``nbformat.write`` lays it out (sorted keys, one-space indent,
    sources as lists of lines) but without validating it: the pages are built from validated parts, and
    the tests validate every page of the copy.

    >>> text = notebook_json({"cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "x\ny"}],
    ...                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    >>> json.loads(text)["cells"][0]["source"], text.splitlines()[:3]
    (['x\n', 'y'], ['{', ' "cells": [', '  {'])
    """
    def lines(value):
        return value.splitlines(keepends=True) if isinstance(value, str) else value

    data = json.loads(json.dumps(notebook))  # a plain copy (NotebookNode is a dict)
    for cell in data.get("cells", []):
        cell["source"] = lines(cell.get("source", ""))
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = lines(output["text"])
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/") or mime in ("image/svg+xml", "application/javascript"):
                    output["data"][mime] = lines(value)
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")) + "\n"


#: What a page's classroom copy is generated from besides its own source (see the module documentation).
INPUT_TREES = ("procedures", "calculators")
INPUT_SUFFIXES = (".py", ".yml", ".yaml", ".json", ".j2")
INPUT_FILES = ("_toc.yml", "_config.yml", "tools/live.py")


def manifest_path(dest: Path) -> Path:
    """Where the digests of the copy in ``dest`` are kept: next to it, out of JupyterLab's reach.

    >>> manifest_path(Path("/x/_build/live")).as_posix()
    '/x/_build/live-manifest.json'
    """
    return dest.with_name(dest.name + "-manifest.json")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inputs_digest(root: Path = ROOT) -> str:
    """Digest of everything page generation reads besides the page: :data:`INPUT_TREES` (code, procedures data,
    terms profiles, templates), :data:`INPUT_FILES`, ``$HANDBOOK_PROFILE`` (and the file it names) and jupytext's
    version.  Changes when any of them is edited.

    >>> inputs_digest() == inputs_digest() and len(inputs_digest())
    64
    """
    from importlib.metadata import version

    digest = hashlib.sha256(f"jupytext {version('jupytext')}\0".encode())
    files = [root / name for name in INPUT_FILES]
    for tree in INPUT_TREES:
        files += sorted(path for path in (root / tree).rglob("*")
                        if path.suffix in INPUT_SUFFIXES and "__pycache__" not in path.parts and path.is_file())
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update((path.read_bytes() if path.is_file() else b"<missing>") + b"\0")
    profile = os.environ.get("HANDBOOK_PROFILE", "").strip()
    digest.update(b"profile\0" + profile.encode() + b"\0")
    if profile and Path(profile).is_file():
        digest.update(Path(profile).read_bytes())
    return digest.hexdigest()


def page_keys(pages: list[Page], root: Path = ROOT) -> dict[str, str]:
    """Each page's key (by its place in the copy): its source, the book's page list (links and titles in every
    page) and :func:`inputs_digest`.

    >>> keys = page_keys(book_pages())
    >>> len(keys) == len(book_pages()) and len(set(keys.values())) == len(keys)
    True
    """
    shared = _sha256(json.dumps([inputs_digest(root), [[p.docname, p.title, p.live_path] for p in pages]],
                                ensure_ascii=False).encode())
    return {page.live_path: _sha256(f"{shared}\0{page.docname}\0{page.live_path}\0".encode()
                                    + page_file(page.docname, root).read_bytes())
            for page in pages}


def _read_manifest(dest: Path) -> dict[str, dict[str, str]]:
    try:
        manifest = json.loads(manifest_path(dest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    pages = manifest.get("pages") if isinstance(manifest, dict) and manifest.get("version") == 1 else None
    return pages if isinstance(pages, dict) else {}


def _remove_unexpected(dest: Path, expected: set[str]) -> list[str]:
    """Delete every file under ``dest`` that is not one of ``expected`` (POSIX paths relative to ``dest``), and the
    folders left empty; return the paths removed."""
    removed = []
    for folder, dirnames, filenames in os.walk(dest, topdown=False):
        here = Path(folder)
        for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
            path = here / name
            relative = path.relative_to(dest).as_posix()
            if relative not in expected:
                path.unlink()
                removed.append(relative)
        if here != dest and not any(here.iterdir()):
            here.rmdir()
    return removed


@dataclass
class CopyReport:
    """What :func:`update_copy` did: the pages, the ones written again and the files removed."""

    pages: list[Page]
    written: list[str]
    removed: list[str]


def update_copy(dest: Path = DEFAULT_DEST, root: Path = ROOT) -> CopyReport:
    """Bring the classroom copy in ``dest`` to the handbook as published, generating only the pages that would
    come out different from the file there (see the module documentation)."""
    pages = book_pages(root)
    keys = page_keys(pages, root)
    dest.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(dest)
    manifest_path(dest).unlink(missing_ok=True)  # stale until the copy below is complete
    removed = _remove_unexpected(dest, {START_PAGE, LINKS_FILE} | set(keys))
    recorded: dict[str, dict[str, str]] = {}
    written = []
    for page in pages:
        target = dest / page.live_path
        entry = previous.get(page.live_path, {})
        if entry.get("key") == keys[page.live_path] and target.is_file() and _sha256(target.read_bytes()) == entry.get("file"):
            recorded[page.live_path] = entry
            continue
        text = notebook_json(classroom_notebook(page_file(page.docname, root), page, pages)).encode("utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text)
        recorded[page.live_path] = {"key": keys[page.live_path], "file": _sha256(text)}
        written.append(page.live_path)
    (dest / START_PAGE).write_text(notebook_json(start_notebook(pages, root)), encoding="utf-8")
    # Where each page lives, for links in Markdown that pages print at run time (procedures.render.show).
    (dest / LINKS_FILE).write_text(
        json.dumps({"root": str(dest), "pages": {p.docname: p.live_path for p in pages},
                    "titles": {p.docname: p.title for p in pages}}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    manifest_path(dest).write_text(json.dumps({"version": 1, "pages": recorded}, indent=1), encoding="utf-8")
    return CopyReport(pages, written, removed)


def prepare(dest: Path = DEFAULT_DEST, root: Path = ROOT) -> list[Page]:
    """Write the classroom copy to ``dest`` (bringing an older copy back to the handbook); return its pages."""
    return update_copy(dest, root).pages


def server_command(dest: Path, port: int, token: str, python: str = sys.executable) -> tuple[list[str], dict[str, str]]:
    """The JupyterLab command line and environment for a classroom session on ``dest`` (``make live``).

    >>> command, env = server_command(Path("/tmp/live"), 8888, "t")
    >>> "--ServerApp.root_dir=/tmp/live" in command and env["HANDBOOK_LIVE_LINKS"]
    '/tmp/live/links.json'
    """
    ipython_dir = dest.parent / "live-ipython"
    command = [
        # python -m jupyterlab without jsonschema's IRI grammar, about 2 s of every start (tools/live_server.py).
        python, "-m", "tools.live_server", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--allow-root",
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
    """Start JupyterLab on the copy, bring the copy up to date meanwhile, and run until Ctrl-C.

    The server needs the copy only once a page is opened, so it starts first and imports while the copy
    is checked (on a warm start, a fraction of a second) or written.
    """
    import secrets
    import subprocess

    install_settings()
    token = secrets.token_hex(16)
    command, env = server_command(dest, port, token)
    _write_kernel_profile(Path(env["IPYTHONDIR"]))
    dest.mkdir(parents=True, exist_ok=True)
    with subprocess.Popen(command, env=env) as server:
        try:
            report = update_copy(dest)
            fresh = f"{len(report.written)} written again" if report.written else "all unchanged since the last start"
            print(f"==> classroom copy of {len(report.pages)} pages in {dest} ({fresh}; edits stay there, "
                  "the handbook is not changed)")
            print(f"==> open http://127.0.0.1:{port}/lab/tree/{START_PAGE}?token={token}   (Ctrl-C to stop)", flush=True)
            return server.wait()
        except KeyboardInterrupt:
            server.kill()
            print("==> classroom session stopped")
            return 0
        except BaseException:
            server.kill()
            raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.live", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="write the classroom copy of every table-of-contents page")
    prep.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    run = sub.add_parser("serve", help="prepare the copy and start JupyterLab on 127.0.0.1 (make live)")
    run.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    run.add_argument("--port", type=int, default=8888)
    args = parser.parse_args(argv)
    # Generating a page imports jupytext, hence nbformat and jsonschema: skip the IRI grammar here too.
    from tools.live_server import without_iri_grammar

    without_iri_grammar()
    if args.command == "serve":
        return serve(args.dest.resolve(), args.port)
    report = update_copy(args.dest.resolve())
    print(f"==> classroom copy: {len(report.pages)} pages in {args.dest} ({len(report.written)} written, "
          f"{len(report.removed)} stale files removed; start page {START_PAGE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
