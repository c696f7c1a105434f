"""Published figures always follow calculators/, procedures/ and the chosen profile.

A copy of the project (a two-page table of contents: the profile page and the
fee-rules page, which link only to each other) is built, a profile value is changed, and the rebuilt page must
show the new figure; building with another bundled profile changes the figures;
editing the prose of one page re-reads only that page and executes nothing.
"""

from __future__ import annotations

import re

import pytest

from helpers import copy_project, run_build

pytestmark = [pytest.mark.build, pytest.mark.slow]


def page_text(project, name="book/calc/rules.html") -> str:
    html = (project / "_build" / "html" / name).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def executed(result) -> list[str]:
    return re.findall(r"book/[\w/-]+\.md: Executing notebook", result.stdout + result.stderr)


def test_figures_follow_data_and_profile(tmp_path):
    project = copy_project(tmp_path / "copy")
    (project / "_toc.yml").write_text(
        "format: jb-book\nroot: book/calc/profile\nchapters:\n  - file: book/calc/rules\n",
        encoding="utf-8",
    )
    env = {"HANDBOOK_PROFILE": "cmb"}
    first = run_build(project, env=env)
    assert first.returncode == 0, (first.stdout + first.stderr)[-4000:]
    assert "最低 10.00 元" in page_text(project)

    # Change a value in the profile: the page must be re-executed and show the new floor.
    profile = project / "calculators" / "profiles" / "cmb.yml"
    text = profile.read_text(encoding="utf-8")
    old = "    - value: 10.00\n      source: 招商银行违约金最低"  # the entry of late_fee_min in force today
    assert text.count(old) == 1
    profile.write_text(text.replace(old, old.replace("10.00", "20.00")), encoding="utf-8")
    second = run_build(project, env=env)
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert "最低 20.00 元" in page_text(project) and "最低 10.00 元" not in page_text(project).split("各内置配置")[0]
    assert sorted(executed(second)) == ["book/calc/profile.md: Executing notebook", "book/calc/rules.md: Executing notebook"]

    # Nothing changed: nothing is executed again.
    third = run_build(project, env=env)
    assert third.returncode == 0 and executed(third) == [], executed(third)

    # A prose edit in one page re-executes that page only.
    prose = project / "book" / "calc" / "profile.md"
    prose.write_text(prose.read_text(encoding="utf-8").replace("本页列出本次构建所用的配置", "本页列出本次构建使用的配置"), encoding="utf-8")
    fourth = run_build(project, env=env)
    # Prose is not code: the cached outputs stay valid, only the edited page is re-read, nothing re-executes.
    assert fourth.returncode == 0 and executed(fourth) == [], executed(fourth)
    assert re.findall(r"reading sources\.\.\. .*?(book/[\w/-]+)", re.sub(r"\x1b\[[0-9;]*m", "", fourth.stdout)) == ["book/calc/profile"]
    assert "本页列出本次构建使用的配置" in page_text(project, "book/calc/profile.html")

    # Another bundled profile changes every profile-dependent figure.
    fifth = run_build(project, env={"HANDBOOK_PROFILE": "icbc"})
    assert fifth.returncode == 0, (fifth.stdout + fifth.stderr)[-4000:]
    rules = page_text(project)
    assert "中国工商银行" in rules and "最高 500.00 元" in rules
    assert "中国工商银行" in page_text(project, "book/calc/profile.html")
