"""Procedure pages generated from their YAML (tools/procedure_pages.py): a _toc.yml line and the data make the page.

The build test uses a small Sphinx project with the handbook's table-of-contents extension and directives, against
a copy of the knowledge base (tests/test_directives.py's fixture), so data can be edited without touching the checkout.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import ROOT
from test_directives import build, fixture_book
from tools import procedure_pages
from tools.procedure_pages import generate, page_file, procedure_data

TOC = "format: jb-book\nroot: index\nchapters:\n{entries}"
CONF_EXTRA = 'extensions += ["sphinx_external_toc", "tools.procedure_pages"]\nexternal_toc_path = "_toc.yml"\n'


def test_a_situation_entry_gets_the_page_a_contributor_used_to_write():
    text, data = procedure_data("book/workflow/abroad")
    assert text == "# 身在境外的客户\n\n```{situation} abroad\n```\n" and data == "procedures/situations/abroad.yml"
    assert procedure_data("book/challenges/abroad") is None  # abroad is a workflow situation
    assert procedure_data("book/workflow/no-such-page") is None
    assert procedure_data("book/workflow/plan")[1] == "procedures/workflow/plan.yml"


def test_a_page_file_wins_over_the_data(tmp_path):
    (tmp_path / "book" / "workflow").mkdir(parents=True)
    own = tmp_path / "book" / "workflow" / "abroad.md"
    own.write_text("# 自己写的页面\n", encoding="utf-8")
    assert page_file("book/workflow/abroad", root=tmp_path) == own
    assert generate(["book/workflow/abroad"], root=tmp_path, generated=tmp_path / "gen") == {}


def test_stubs_are_rewritten_only_when_they_change_and_removed_with_their_toc_entry(tmp_path):
    generated = tmp_path / "gen"
    stub = generate(["book/challenges/spouse", "book/rules/relief"], root=tmp_path, generated=generated)["book/challenges/spouse"]
    stamp = stub.stat().st_mtime_ns
    stub_path = str(stub)
    assert generate(["book/challenges/spouse", "book/rules/relief"], root=tmp_path, generated=generated)
    assert stub.stat().st_mtime_ns == stamp  # an unchanged stub keeps its time: Sphinx reads nothing again
    assert sorted(generate(["book/rules/relief"], root=tmp_path, generated=generated)) == ["book/rules/relief"]
    assert not Path(stub_path).exists()


def _toc_project(tmp_path: Path, entries: list[str]) -> Path:
    project = fixture_book(tmp_path, "# 首页\n\n正文。\n")
    source = project / "src"
    (source / "conf.py").write_text((source / "conf.py").read_text(encoding="utf-8") + CONF_EXTRA, encoding="utf-8")
    (source / "_toc.yml").write_text(TOC.format(entries="".join(f"  - file: {e}\n" for e in entries)), encoding="utf-8")
    return project


@pytest.mark.build
def test_a_toc_line_and_the_yaml_build_the_page_at_its_url_searchable_and_fresh(tmp_path):
    from procedures.situations import situation

    project = _toc_project(tmp_path, ["book/challenges/spouse"])
    result = build(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = project / "out" / "book" / "challenges" / "spouse.html"
    text = page.read_text(encoding="utf-8")
    assert "<h1>配偶与夫妻共同债务" in text and "话术要点" in text and "procedures/situations/spouse.yml" in text
    assert "⟦" not in text and "{situation}" not in text
    index = (project / "out" / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(re.search(r"Search\.setIndex\((.*)\)\s*$", index, re.S).group(1))
    assert "book/challenges/spouse" in data["docnames"] and "配偶与夫妻共同债务" in data["titles"]
    assert not (project / "src" / "book").exists()  # nothing is written among the sources
    # to Sphinx the page is book/challenges/spouse.md: its source copy and suffix are those of a written page
    assert [p.relative_to(project / "out").as_posix() for p in (project / "out" / "_sources").rglob("*spouse*")] == \
        ["_sources/book/challenges/spouse.md.txt"]
    stub = project / "pages" / "book" / "challenges" / "spouse.md"
    assert stub.read_text(encoding="utf-8").startswith("# 配偶与夫妻共同债务")

    again = build(project)  # nothing changed: nothing is read again
    assert again.returncode == 0 and "0 added, 0 changed, 0 removed" in again.stdout, again.stdout[-2000:]

    data_file = project / "procedures" / "situations" / "spouse.yml"
    old = situation("spouse").summary.splitlines()[0][:10]
    yaml_text = data_file.read_text(encoding="utf-8")
    assert old in yaml_text
    data_file.write_text(yaml_text.replace(old, "（已修订）" + old, 1), encoding="utf-8")
    edited = build(project)
    assert edited.returncode == 0, edited.stdout[-3000:] + edited.stderr[-3000:]
    assert "（已修订）" + old in page.read_text(encoding="utf-8")  # editing the YAML re-renders its page

    (project / "src" / "_toc.yml").write_text(TOC.format(entries="  - file: book/rules/relief\n"), encoding="utf-8")
    moved = build(project)
    assert moved.returncode == 0, moved.stdout[-3000:] + moved.stderr[-3000:]
    assert not stub.exists() and (project / "pages" / "book" / "rules" / "relief.md").is_file()
    assert "book/challenges/spouse" not in (project / "out" / "searchindex.js").read_text(encoding="utf-8")


@pytest.mark.build
def test_a_toc_entry_with_neither_page_nor_data_still_fails_the_strict_build(tmp_path):
    project = _toc_project(tmp_path, ["book/challenges/no-such-situation"])
    result = build(project)
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "no-such-situation" in log, log[-3000:]


def test_the_handbook_generates_into_its_build_folder():
    assert procedure_pages.GENERATED == ROOT / "_build" / "pages"
    assert page_file("book/rules/relief") == ROOT / "_build" / "pages" / "book" / "rules" / "relief.md"


def test_the_classroom_copy_has_a_generated_procedure_page_rendered():
    """tools/live.py has no Sphinx: it reads the generated page and expands the directive with the profile filled."""
    from tools import live

    pages = live.book_pages()
    spouse = next(p for p in pages if p.docname == "book/challenges/spouse")
    assert spouse.title == "配偶与夫妻共同债务" and spouse.live_path.endswith("-配偶与夫妻共同债务.ipynb")
    notebook = live.classroom_notebook(page_file(spouse.docname), spouse, pages)
    text = "".join(cell.source for cell in notebook.cells)
    assert text.startswith("# 配偶与夫妻共同债务") and "## 话术要点" in text and "{situation}" not in text and "⟦" not in text
    assert notebook.metadata["handbook"]["source"] == "book/challenges/spouse.md"


def test_edit_and_source_buttons_of_a_generated_page_point_at_its_yaml():
    from types import SimpleNamespace

    app = SimpleNamespace(env=SimpleNamespace(handbook_generated_pages={"book/rules/relief": "procedures/situations/relief.yml"}))
    repo = "https://gitlab.example.org/t/h/-"
    buttons = [{"type": "group", "buttons": [
        {"label": "source-edit-button", "url": f"{repo}/edit/main/book/rules/relief.md"},
        {"label": "source-file-button", "url": f"{repo}/blob/main/book/rules/relief.md?plain=1"},
        {"label": "download-source-button", "url": "../../_sources/book/rules/relief.md.txt"}]}]
    context = {"page_source_suffix": ".md", "header_buttons": buttons}
    procedure_pages._edit_links_to_data(app, "book/rules/relief", "page.html", context, None)
    assert [b["url"] for b in buttons[0]["buttons"]] == [
        f"{repo}/edit/main/procedures/situations/relief.yml", f"{repo}/blob/main/procedures/situations/relief.yml?plain=1",
        "../../_sources/book/rules/relief.md.txt"]
    other = {"page_source_suffix": ".md", "header_buttons": [{"label": "source-edit-button", "url": "x/book/intro.md"}]}
    procedure_pages._edit_links_to_data(app, "book/intro", "page.html", other, None)
    assert other["header_buttons"][0]["url"] == "x/book/intro.md"
