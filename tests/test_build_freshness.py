"""Published figures always follow calculators/, procedures/ and the chosen profile.

A copy of the project (a two-page table of contents: the home page and the
fee-rules page) is built, a profile value is changed, and the rebuilt page must
show the new figure; building with another bundled profile changes the figures;
editing one prose page re-executes only that page.
"""

from __future__ import annotations

import re

import pytest

from helpers import copy_project, run_build

pytestmark = [pytest.mark.build, pytest.mark.slow]


def page_text(project, name="book/calculators/rules.html") -> str:
    html = (project / "_build" / "html" / name).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def executed(result) -> list[str]:
    return re.findall(r"book/[\w/-]+\.md: Executing notebook", result.stdout + result.stderr)


def test_figures_follow_data_and_profile(tmp_path):
    project = copy_project(tmp_path / "copy")
    (project / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n  - file: book/calculators/rules\n  - file: book/calculators/profile\n",
        encoding="utf-8",
    )
    env = {"HANDBOOK_PROFILE": "cmb"}
    first = run_build(project, env=env)
    assert first.returncode == 0, (first.stdout + first.stderr)[-4000:]
    assert "最低 10.00 元" in page_text(project)

    # Change a value in the profile: the page must be re-executed and show the new floor.
    profile = project / "calculators" / "profiles" / "cmb.yml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("  late_fee_min:\n    value: 10.00", "  late_fee_min:\n    value: 20.00"), encoding="utf-8")
    second = run_build(project, env=env)
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert "最低 20.00 元" in page_text(project) and "最低 10.00 元" not in page_text(project).split("各内置配置")[0]
    assert len(executed(second)) == 3, executed(second)

    # Nothing changed: nothing is executed again.
    third = run_build(project, env=env)
    assert third.returncode == 0 and executed(third) == [], executed(third)

    # A prose edit in one page re-executes that page only.
    intro = project / "book" / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("本手册面向", "本手册主要面向"), encoding="utf-8")
    fourth = run_build(project, env=env)
    assert fourth.returncode == 0 and executed(fourth) == ["book/intro.md: Executing notebook"], executed(fourth)

    # Another bundled profile changes every profile-dependent figure.
    fifth = run_build(project, env={"HANDBOOK_PROFILE": "icbc"})
    assert fifth.returncode == 0, (fifth.stdout + fifth.stderr)[-4000:]
    rules = page_text(project)
    assert "中国工商银行" in rules and "最高 500.00 元" in rules
    assert "中国工商银行" in page_text(project, "book/calculators/profile.html")
