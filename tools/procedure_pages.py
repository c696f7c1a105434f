"""Procedure pages without a page file: one YAML file and one ``_toc.yml`` line make a page.

A table-of-contents entry such as ``book/challenges/spouse`` that has no page
file (``book/challenges/spouse.md``) but names a procedure in the knowledge base
gets its page generated from the data:

* a special situation, ``procedures/situations/<id>.yml`` whose ``chapter`` is
  the entry's folder (``book/<chapter>/<id>``), renders as
  ``# <title>`` and ```` ```{situation} <id> ````;
* a workflow stage, ``procedures/workflow/<id>.yml`` (``book/workflow/<id>``), as
  ```` ```{procedure} <id> ````.

The page text is what a contributor used to copy by hand (:func:`stub_markdown`).
A hand-written page file, where one exists, always wins.

**How Sphinx sees it.** The stubs are written to ``_build/pages/<docname>.md``
(git ignores ``_build/``) before Sphinx looks for sources, and Sphinx's project
maps the docname (``book/challenges/spouse``) to that file, so the page keeps the
URL a hand-written page would have (``book/challenges/spouse.html``), its
``_toc.yml`` entry, search entry and links.  A stub is rewritten only when its
text changes (a new title), so a no-op build reads nothing again; editing the YAML
re-reads the page through the directive's declared dependencies
(``tools/directives.py``).  Stubs of entries that left ``_toc.yml`` are deleted.
On a generated page the theme's edit and source buttons (when ``repository.url``
is set) point at the YAML file, as the page's own box does.

Other readers of the pages (the classroom copy, ``tools/live.py``; tests) use
:func:`page_file`, which returns the page file or the generated stub.

Why not a source parser for ``.yml`` (the toc naming the YAML itself)? The URL
would become ``procedures/situations/<id>.html`` (every existing link and the
search tests name ``book/<chapter>/<id>``), ``procedures/`` would have to leave
``exclude_patterns`` while holding many YAML files that are not pages, and every
tool that reads a page as MyST (live copy, nbval, privacy scan) would need a YAML
branch.  Why not stubs written into ``book/``? Git cannot ignore them by name, and
tests that read ``book/`` would see different files before and after a build.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.project import Project

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "_build" / "pages"
SUFFIX = ".md"
#: sphinx-book-theme's buttons that name the page's file in the repository (the download button names the built copy).
REPOSITORY_BUTTONS = {"source-edit-button", "source-file-button"}


def procedure_data(docname: str) -> tuple[str, str] | None:
    """``(page text, data file)`` for a table-of-contents docname that names a procedure in the data, else ``None``.

    >>> text, data = procedure_data("book/challenges/spouse")
    >>> print(text, end=""); print(data)
    # 配偶与夫妻共同债务
    <BLANKLINE>
    ```{situation} spouse
    ```
    procedures/situations/spouse.yml
    >>> procedure_data("book/workflow/contact")[0].splitlines()[2]
    '```{procedure} contact'
    >>> procedure_data("book/rules/spouse") is None  # the situation sits in another chapter
    True
    """
    from procedures import loader
    from procedures.situations import page_path, situations

    folder, _, page_id = docname.rpartition("/")
    item = situations().get(page_id)
    if item is not None and page_path(item) == docname:
        return f"# {item.title}\n\n```{{situation}} {page_id}\n```\n", f"procedures/situations/{page_id}.yml"
    if folder == "book/workflow":
        stage = next((s for s in loader.workflow() if s.id == page_id), None)
        if stage is not None:
            return f"# {stage.title}\n\n```{{procedure}} {page_id}\n```\n", f"procedures/workflow/{page_id}.yml"
    return None


def stub_markdown(docname: str) -> str | None:
    """The generated page text for ``docname`` (:func:`procedure_data`), or ``None``.

    >>> stub_markdown("book/challenges/spouse").splitlines()[0]
    '# 配偶与夫妻共同债务'
    """
    found = procedure_data(docname)
    return None if found is None else found[0]


def _write(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (an unchanged stub keeps its time: nothing is re-read)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def page_file(docname: str, root: Path = ROOT, generated: Path | None = None) -> Path:
    """The source of a table-of-contents page: its page file, or the stub generated from the procedure data.

    >>> page_file("book/intro").relative_to(ROOT).as_posix()
    'book/intro.md'
    >>> import tempfile
    >>> stub = page_file("book/challenges/spouse", root=Path(tempfile.mkdtemp()))
    >>> stub.name, stub.read_text(encoding="utf-8").startswith("# 配偶与夫妻共同债务")
    ('spouse.md', True)
    >>> page_file("book/no-such-page")
    Traceback (most recent call last):
    ...
    FileNotFoundError: book/no-such-page: no page file book/no-such-page.md and no procedure YAML for it
    """
    path = root / f"{docname}{SUFFIX}"
    if path.is_file():
        return path
    text = stub_markdown(docname)
    if text is None:
        raise FileNotFoundError(f"{docname}: no page file {docname}{SUFFIX} and no procedure YAML for it")
    target = (generated or root / "_build" / "pages") / f"{docname}{SUFFIX}"
    _write(target, text)
    return target


def generate(docnames, root: Path = ROOT, generated: Path | None = None) -> dict[str, Path]:
    """Write the stubs of the ``docnames`` that have no page file but procedure data; delete every other stub.

    Returns docname → stub file.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> sorted(generate(["book/intro", "book/challenges/spouse"], generated=folder))
    ['book/challenges/spouse']
    >>> _ = (folder / "book" / "old.md").write_text("# 旧页", encoding="utf-8")
    >>> generate([], generated=folder), sorted(p.name for p in folder.rglob("*.md"))
    ({}, [])
    """
    generated = generated or root / "_build" / "pages"
    stubs: dict[str, Path] = {}
    for docname in docnames:
        if not (root / f"{docname}{SUFFIX}").is_file() and (text := stub_markdown(docname)) is not None:
            stubs[docname] = generated / f"{docname}{SUFFIX}"
            _write(stubs[docname], text)
    keep = set(stubs.values())
    if generated.is_dir():
        for path in sorted(generated.rglob(f"*{SUFFIX}")):
            if path not in keep:
                path.unlink()
    return stubs


# --- the Sphinx side -------------------------------------------------------------------------------------------


class GeneratedPagesProject(Project):
    """Sphinx's project, which also finds each generated stub under its table-of-contents docname.

    To Sphinx the page is ``<docname>.md`` relative to the sources, as a hand-written page would be (the
    HTML builder derives the page's source suffix, its ``_sources`` copy and edit links from that); only the
    absolute path, which Sphinx reads the text and the modification time from, is the stub in
    ``_build/pages``.  A class (not a patched method) so that the environment still pickles for parallel
    reading.  ``tests/test_procedure_pages.py`` builds pages this way, so a Sphinx upgrade that changes
    ``Project`` fails there first.
    """

    handbook_stubs: dict[str, str] = {}

    def discover(self, exclude_paths=(), include_paths=("**",)) -> set[str]:
        super().discover(exclude_paths, include_paths)
        for docname, path in self.handbook_stubs.items():
            if docname not in self.docnames:
                self.docnames.add(docname)
                self._docname_to_path[docname] = docname + SUFFIX
                self._path_to_docname[path] = docname
        return self.docnames

    def doc2path(self, docname: str, absolute: bool) -> str:
        stub = self.handbook_stubs.get(docname)
        if absolute and stub is not None and self._docname_to_path.get(docname) == docname + SUFFIX \
                and not os.path.isfile(os.path.join(self.srcdir, docname + SUFFIX)):
            return stub
        return super().doc2path(docname, absolute)


def _add_generated_pages(app, stubs: dict[str, Path]) -> None:
    """Give the build's project (the application's and the environment's: one object) the stubs to add."""
    for project in {id(p): p for p in (app.project, app.env.project)}.values():
        project.__class__ = GeneratedPagesProject
        project.handbook_stubs = {docname: str(path) for docname, path in stubs.items()}


def _builder_inited(app) -> None:
    site_map = getattr(app.config, "external_site_map", None)
    if site_map is None:
        return
    root = Path(app.srcdir)
    # The project's own stubs live in its _build; a scratch or test project gets its own folder.
    generated = GENERATED if root == ROOT else Path(app.outdir).parent / "pages"
    stubs = generate(list(site_map), root=root, generated=generated)
    app.env.handbook_generated_pages = {docname: procedure_data(docname)[1] for docname in stubs}
    _add_generated_pages(app, stubs)


def _edit_links_to_data(app, pagename, templatename, context, doctree) -> None:
    """On a generated page the theme's edit and source buttons point at the procedure YAML (there is no page file)."""
    data = getattr(app.env, "handbook_generated_pages", {}).get(pagename)
    if data is None:
        return
    page = f"{pagename}{context.get('page_source_suffix') or SUFFIX}"

    def retarget(buttons) -> None:
        for button in buttons:
            if button.get("label") in REPOSITORY_BUTTONS and isinstance(button.get("url"), str):
                button["url"] = button["url"].replace(page, data)
            retarget(button.get("buttons", []))

    retarget(context.get("header_buttons", []))


def setup(app) -> dict:
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _edit_links_to_data, priority=600)  # after the theme's buttons (501)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

