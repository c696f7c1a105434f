"""The data-page directives (tools/directives.py): a page that declares ```{kind} id``` builds, an unknown id fails the
strict build naming the page and the id, an answer key that disagrees with the tools fails it naming the exercise, and
editing a data file re-renders the page.

Each test builds a one-page Sphinx project (MyST, the handbook's directives) against a copy of the knowledge base,
so the data can be edited without touching the checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

CONF = """\
extensions = ["myst_parser", "tools.directives"]
myst_enable_extensions = ["colon_fence", "dollarmath", "deflist", "tasklist", "fieldlist"]
language = "zh_CN"
suppress_warnings = ["myst.xref_missing", "ref.doc", "ref.ref"]  # the rendered pages link to handbook pages not in this fixture
"""


def fixture_book(tmp_path: Path, page: str) -> Path:
    """A copy of the code and data the directives read, and a Sphinx project whose only page is ``page``."""
    project = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("calculators", "procedures", "tools"):
        shutil.copytree(ROOT / folder, project / folder, ignore=ignore)
    shutil.copy(ROOT / "_config.yml", project / "_config.yml")
    source = project / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.md").write_text(page, encoding="utf-8")
    return project


def build(project: Path) -> subprocess.CompletedProcess:
    """The strict build flags of `make book` (-n -W --keep-going) on the fixture, with the copy's packages first."""
    env = {**os.environ, "PYTHONPATH": str(project), "HANDBOOK_PROFILE": "cmb"}
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "src", "out"],
                          cwd=project, capture_output=True, text=True, timeout=300, env=env)


def html(project: Path) -> str:
    return (project / "out" / "index.html").read_text(encoding="utf-8")


@pytest.mark.build
def test_a_page_with_a_directive_builds_with_the_data_and_the_profile(tmp_path):
    from procedures import loader

    project = fixture_book(tmp_path, "# 岗位职责与价值\n\n```{duties} role\n```\n\n```{rules} certainty\n```\n\n"
                                     "```{terms} glossary\n```\n")
    result = build(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = html(project)
    role = loader.role()
    assert role.duties[0].title in page and role.boundaries[0] in page
    assert "hb-page-info" in page and "procedures/role.yml" in page  # the owner / edit-link box, an admonition
    assert '<h2 class="rubric"' in page and "岗位边界：不能做的事" in page  # headings render as today's pages
    glossary = loader.glossary()
    assert '<dl class="glossary' in page and f'>{glossary.terms[0].term}<a class="headerlink"' in page  # Sphinx's glossary
    assert "⟦" not in page and "{admonition}" not in page and "```" not in page


@pytest.mark.build
def test_an_unknown_id_fails_the_strict_build_naming_the_page_and_the_id(tmp_path):
    project = fixture_book(tmp_path, "# 练习\n\n```{procedure} no-such-stage\n```\n")
    result = build(project)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "index.md" in log and "{procedure} no-such-stage: unknown id" in log, log[-3000:]
    assert "known: understand, contact" in log


@pytest.mark.build
def test_an_answer_key_that_disagrees_with_the_calculators_fails_naming_the_exercise(tmp_path):
    project = fixture_book(tmp_path, "# 本章练习：计算器\n\n```{exercises} calc\n```\n")
    data_file = project / "procedures" / "exercises" / "calc.yml"
    text = data_file.read_text(encoding="utf-8")
    right = 'expected: {cmb: "40.00", icbc: "40.00"'  # late-fee-partial: 5% of the unpaid 800.00 (cmb)
    assert text.count(right) == 1
    data_file.write_text(text.replace(right, right.replace('cmb: "40.00"', 'cmb: "41.00"')), encoding="utf-8")
    result = build(project)
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "index.md" in log, log[-3000:]
    assert "{exercises} calc" in log and "late-fee-partial: expected 41.00 for profile cmb, computed 40.00" in log, log[-3000:]


@pytest.mark.build
def test_editing_a_data_file_re_renders_the_page(tmp_path):
    from procedures import loader

    project = fixture_book(tmp_path, "# 岗位职责与价值\n\n```{duties} role\n```\n")
    assert build(project).returncode == 0
    summary = loader.role().summary
    data_file = project / "procedures" / "role.yml"
    text = data_file.read_text(encoding="utf-8")
    first_line = summary.splitlines()[0][:12]
    assert first_line in text and first_line in html(project)
    data_file.write_text(text.replace(first_line, "（已修订）" + first_line, 1), encoding="utf-8")
    again = build(project)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "（已修订）" + first_line in html(project)
    assert "1 changed" in again.stdout or "changed, 0 removed" in again.stdout and "0 changed" not in again.stdout, again.stdout


def test_the_classroom_copy_shows_data_pages_expanded_with_the_profile():
    """JupyterLab has no Sphinx: the trainer's copy of a data page carries the rendered Markdown, tokens filled."""
    from procedures import loader
    from tools import live

    pages = live.book_pages()
    contact = next(p for p in pages if p.docname == "book/workflow/contact")
    notebook = live.classroom_notebook(ROOT / "book" / "workflow" / "contact.md", contact, pages)
    text = "".join(cell.source for cell in notebook.cells)
    assert "{procedure}" not in text and "⟦" not in text and "{doc}" not in text
    assert loader.procedure("contact").purpose.splitlines()[0][:20] in text and "## 合规检查" in text


def test_every_book_page_directive_names_a_known_page_whose_checks_pass():
    """The ids declared in book/ all exist and their checks pass (what the build would fail on, without building)."""
    from procedures import pages

    from tools.live import book_pages
    from tools.procedure_pages import page_file

    # every page of _toc.yml: its page file, or the page generated from a procedure YAML (tools/procedure_pages.py)
    declared = [(path, kind, page_id) for path in [page_file(p.docname) for p in book_pages()]
                for kind, page_id in pages.DIRECTIVE_LINE.findall(path.read_text(encoding="utf-8")) if kind in pages.KINDS]
    assert len(declared) >= 37  # one per page; the conduct and linter pages also show a tool
    for path, kind, page_id in declared:
        assert pages.render(kind, page_id).problems == [], (path, kind, page_id)
        assert "kernelspec" not in path.read_text(encoding="utf-8") or "{code-cell}" in path.read_text(encoding="utf-8"), path


@pytest.mark.build
def test_case_overview_diagram_issuer_and_versions_pages_build_without_a_kernel(tmp_path):
    """The former code-cell data pages: a role-play case, the part overviews, the workflow diagram, the start page's
    issuer sentence and the status page's versions, each from its directive."""
    from importlib.metadata import version

    from procedures import roleplay

    project = fixture_book(tmp_path, "# 案例\n\n```{case} cannot-pay\n```\n\n```{overview} cases\n```\n\n"
                                     "```{diagram} workflow\n```\n\n```{overview} workflow\n```\n\n```{issuer} intro\n```\n\n"
                                     "```{build} versions\n```\n")
    result = build(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = html(project)
    case = roleplay.load("cannot-pay")
    assert page.count('data-step-box="') == len(case.steps) == 5  # one answer form per step (the site's practice.js)
    assert page.count('<div class="hb-roleplay" data-case="cannot-pay" data-key=') == 1
    assert all(case_item.title in page for case_item in roleplay.cases())  # the cases table
    images = list((project / "out" / "_images").glob("*.svg"))
    assert len(images) == 1 and "<svg" in images[0].read_text(encoding="utf-8")
    assert f'src="_images/{images[0].name}"' in page and 'alt="工作流程图' in page
    assert "本手册以<strong>招商银行</strong>（招行）为发卡机构编写" in page
    assert f"<td><p>{version('sphinx')}</p></td>" in page and f"<td><p>{version('pydantic')}</p></td>" in page
    assert "⟦" not in page and "```" not in page


@pytest.mark.build
def test_a_case_key_that_disagrees_with_the_contact_checker_fails_naming_the_page_and_the_step(tmp_path):
    project = fixture_book(tmp_path, "# 案例\n\n```{case} cannot-pay\n```\n")
    data_file = project / "procedures" / "cases" / "cannot-pay.yml"
    text = data_file.read_text(encoding="utf-8")
    night = '{time: "2026-03-04T07:30"'  # option B: a call before 08:00, marked wrong because the checker flags it
    assert text.count(night) == 1
    data_file.write_text(text.replace(night, '{time: "2026-03-04T10:30"'), encoding="utf-8")
    result = build(project)
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "index.md" in log, log[-3000:]
    assert "{case} cannot-pay" in log and "cannot-pay-contact: option B is marked wrong but the checker finds no violation" in log, \
        log[-3000:]


def test_the_classroom_copy_gives_case_pages_the_role_play_widget_and_the_workflow_its_diagram():
    from tools import live

    pages = live.book_pages()
    for docname, expected in [("book/practice/cannot-pay", "show_case('cannot-pay')"), ("book/workflow/index", "SVG(workflow_svg())"),
                              ("book/rules/conduct", "show_tool('conduct')")]:
        page = next(p for p in pages if p.docname == docname)
        notebook = live.classroom_notebook(ROOT / f"{docname}.md", page, pages)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert len(code) == 1 and code[0].source.endswith(expected), docname
        assert code[0].metadata["jupyter"]["source_hidden"] is True
        assert not any("{case}" in c.source or "{diagram}" in c.source for c in notebook.cells)
    cases = next(p for p in pages if p.docname == "book/practice/index")
    text = "".join(c.source for c in live.classroom_notebook(ROOT / "book/practice/index.md", cases, pages).cells)
    assert "{overview}" not in text and "孙女士（虚构）](" in text  # the cases table, with notebook links


@pytest.mark.build
def test_a_tool_directive_shows_the_site_form_and_fails_when_its_worked_example_changes(tmp_path):
    from calculators.ui.frontends import form_html

    project = fixture_book(tmp_path, "# 检查器\n\n```{tool} conduct\n```\n\n```{tool} lint\n```\n")
    result = build(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = html(project)
    assert form_html("conduct") in page and form_html("lint") in page  # the forms as the kernels printed them
    # A daily cap changed in the data: the page's worked example and prose no longer hold, the build fails naming it.
    data_file = project / "procedures" / "rules" / "conduct.yml"
    text = data_file.read_text(encoding="utf-8")
    cap = re.search(r"max_effective_calls_per_day: *3\b", text)
    assert cap is not None
    data_file.write_text(text.replace(cap.group(0), cap.group(0)[:-1] + "4"), encoding="utf-8")
    failed = build(project)
    log = failed.stdout + failed.stderr
    assert failed.returncode != 0 and "index.md" in log and "{tool} conduct: the page disagrees with the tools" in log, log[-3000:]
    assert "the daily caps are not 3 effective calls" in log, log[-3000:]
