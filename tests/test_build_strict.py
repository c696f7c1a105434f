"""The build is strict: an execution error, a dangling reference or any warning fails it, naming the page.

Each case is a tiny fixture book built with the project's own execution and
parser settings (read from _config.yml) and the Makefile's strict flags.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import ROOT, run_build

pytestmark = pytest.mark.build

NOTEBOOK_FRONT_MATTER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {name: python3, display_name: Python 3, language: python}
---
"""

CASES = {
    "good": ("# 正常页面\n\n```{code-cell} ipython3\nprint(1 + 1)\n```\n", True, None),
    "exec-error": ("# 执行出错\n\n```{code-cell} ipython3\n1 / 0\n```\n", True, "ZeroDivisionError"),
    "dangling-ref": ("# 悬空引用\n\n参见 {doc}`no-such-page`。\n", False, "unknown document"),
    "warning": ("# 警告\n\n```{no-such-directive}\n内容\n```\n", False, "Unknown directive type"),
}


def make_fixture_book(folder: Path, page: str, notebook: bool) -> Path:
    """A one-chapter book whose execution and parser settings are the handbook's."""
    project = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = {
        "title": "fixture",
        "only_build_toc_files": True,
        "execute": {**project["execute"], "cache": str(folder / "_build" / ".jupyter_cache")},
        "parse": project["parse"],
        "sphinx": {"config": {key: project["sphinx"]["config"][key] for key in ("nb_execution_raise_on_error", "nb_execution_show_tb", "nb_render_markdown_format")}},
    }
    folder.mkdir(parents=True)
    (folder / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: page\n", encoding="utf-8")
    (folder / "index.md").write_text("# 首页\n\n正文。\n", encoding="utf-8")
    (folder / "page.md").write_text((NOTEBOOK_FRONT_MATTER if notebook else "") + page, encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", sorted(CASES))
def test_strict_build(tmp_path, case):
    page, notebook, problem = CASES[case]
    book = make_fixture_book(tmp_path / case, page, notebook)
    result = run_build(book, timeout=300)
    output = result.stdout + result.stderr
    if problem is None:
        assert result.returncode == 0, output[-3000:]
        assert (book / "_build" / "html" / "page.html").is_file()
    else:
        assert result.returncode != 0, f"{case}: the build should have failed\n{output[-3000:]}"
        assert problem in output, f"{case}: expected {problem!r} in the build output\n{output[-3000:]}"
        named = [line for line in output.splitlines() if "page.md" in line or "page.ipynb" in line]
        assert named, f"{case}: no message names the failing page\n{output[-3000:]}"
