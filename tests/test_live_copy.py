"""`make live`'s classroom copy on a warm start: unchanged pages are kept, every edit is still picked up.

The copy is made from a scratch project (a short table of contents, copies of the pages and of the
trees page generation reads), so edits never touch the repository.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from helpers import ROOT

PAGES = ["book/workflow/contact", "book/calc/overdue-fee"]  # a data page (directives) and a calculator page


@pytest.fixture()
def project(tmp_path):
    root = tmp_path / "project"
    for tree in ("procedures", "calculators"):
        shutil.copytree(ROOT / tree, root / tree, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ["_config.yml", "tools/live.py", "book/intro.md"] + [f"{page}.md" for page in PAGES]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, root / name)
    (root / "_toc.yml").write_text(toc(PAGES), encoding="utf-8")
    return root


def toc(pages: list[str]) -> str:
    """A table of contents with one part per page."""
    return "format: jb-book\nroot: book/intro\nparts:\n" + "".join(
        f"  - caption: 第{number}部分\n    chapters:\n      - file: {page}\n" for number, page in enumerate(pages, start=1))


def snapshot(dest):
    return {p.relative_to(dest).as_posix(): p.read_bytes() for p in sorted(dest.rglob("*")) if p.is_file()}


def live_path(pages, docname):
    return next(p.live_path for p in pages if p.docname == docname)


def test_a_warm_start_keeps_unchanged_pages_and_regenerates_edited_ones(project, tmp_path, monkeypatch):
    import nbformat

    from tools import live

    dest = tmp_path / "live"
    first = live.update_copy(dest, project)
    assert len(first.written) == 3 == len(first.pages) and first.removed == []
    written = snapshot(dest)
    for name, data in written.items():  # written without nbformat, yet valid notebooks in nbformat's own layout
        if name.endswith(".ipynb"):
            notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
            nbformat.validate(notebook)
            assert data.decode("utf-8") == nbformat.writes(notebook) + "\n", name

    again = live.update_copy(dest, project)
    assert again.written == [] and again.removed == []
    assert snapshot(dest) == written

    # A page edited in the handbook: only that page is generated again, and shows the edit.
    contact = live_path(first.pages, "book/workflow/contact")
    with open(project / "book/workflow/contact.md", "a", encoding="utf-8") as page:
        page.write("\n\n课堂副本应当显示这一句新写的话。\n")
    edited = live.update_copy(dest, project)
    assert edited.written == [contact]
    assert "课堂副本应当显示这一句新写的话" in (dest / contact).read_text(encoding="utf-8")
    assert live.update_copy(dest, project).written == []

    # Procedures data, a terms profile, the selected profile: every page may show them, so every page is redone.
    everything = sorted(p.live_path for p in first.pages)
    with open(project / "procedures/sources.yml", "a", encoding="utf-8") as data:
        data.write("\n# edited\n")
    assert sorted(live.update_copy(dest, project).written) == everything
    with open(project / "calculators/profiles/cmb.yml", "a", encoding="utf-8") as profile:
        profile.write("\n# edited\n")
    assert sorted(live.update_copy(dest, project).written) == everything
    monkeypatch.setenv("HANDBOOK_PROFILE", "icbc")
    assert sorted(live.update_copy(dest, project).written) == everything
    assert live.update_copy(dest, project).written == []


def test_a_warm_start_undoes_class_edits_and_removes_what_is_not_in_the_book(project, tmp_path):
    from tools import live

    dest = tmp_path / "live"
    pages = live.update_copy(dest, project).pages
    published = snapshot(dest)
    calculator = live_path(pages, "book/calc/overdue-fee")
    # What a class leaves behind: an edited page, a new notebook, JupyterLab's checkpoints.
    (dest / calculator).write_text((dest / calculator).read_text(encoding="utf-8").replace("违约金", "改过"), encoding="utf-8")
    (dest / "学员笔记.ipynb").write_text("{}", encoding="utf-8")
    (dest / ".ipynb_checkpoints").mkdir()
    (dest / ".ipynb_checkpoints" / "x-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    report = live.update_copy(dest, project)
    assert report.written == [calculator]
    assert sorted(report.removed) == [".ipynb_checkpoints/x-checkpoint.ipynb", "学员笔记.ipynb"]
    assert snapshot(dest) == published

    # A page taken out of the table of contents leaves the copy, with its folder; the start page no longer lists it.
    (project / "_toc.yml").write_text(toc(PAGES[:1]), encoding="utf-8")
    report = live.update_copy(dest, project)
    assert report.removed == [calculator]
    assert not (dest / calculator).exists() and not (dest / calculator).parent.exists()
    assert calculator not in (dest / live.START_PAGE).read_text(encoding="utf-8")
    links = json.loads((dest / live.LINKS_FILE).read_text(encoding="utf-8"))
    assert "book/calc/overdue-fee" not in links["pages"]

    # A lost or damaged manifest: everything is generated again rather than trusted.
    live.manifest_path(dest).write_text("not json", encoding="utf-8")
    assert len(live.update_copy(dest, project).written) == 2


def test_links_file_name_matches_the_pages_reader():
    from procedures import doclinks
    from tools import live

    assert live.LINKS_FILE == doclinks.LINKS_FILE


def test_the_classroom_server_starts_without_the_iri_grammar():
    """tools.live_server is `python -m jupyterlab` minus rfc3987_syntax: jsonschema still validates, without `iri`."""
    from tools import live

    command, env = live.server_command(ROOT / "_build" / "live", 8888, "t")
    assert command[1:3] == ["-m", "tools.live_server"]
    code = ("from tools.live_server import without_iri_grammar; print(without_iri_grammar()); import sys, jsonschema; "
            "import jupyterlab.labapp; print(sys.modules['rfc3987_syntax']); "
            "print('iri' in jsonschema.FormatChecker().checkers, 'email' in jsonschema.FormatChecker().checkers); "
            "jsonschema.validate({'a': 1}, {'properties': {'a': {'type': 'integer'}}})")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "None", "False", "True"]
    version = subprocess.run(command[:3] + ["--version"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    import jupyterlab

    assert version.stdout.strip() == jupyterlab.__version__
