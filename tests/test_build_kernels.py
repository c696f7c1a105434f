"""Pages share a kernel within a build process (tools/kernel_reuse.py), yet each page sees a fresh one.

A fixture book with three notebook pages, built serially (one process, so one
kernel for all three): the second page cannot use a name the first defined, each
page runs in its own folder with execution counts from 1, a failing page is
reported and the page after it still executes in a working kernel.
"""

from __future__ import annotations

import re

import pytest

from helpers import run_build
from test_build_strict import NOTEBOOK_FRONT_MATTER, make_fixture_book

pytestmark = pytest.mark.build

FIRST = "# 一\n\n```{code-cell} ipython3\nimport os\nsecret = 41\nprint('pid', os.getpid())\n```\n"
SECOND = ("# 二\n\n```{code-cell} ipython3\nimport os\nprint('pid', os.getpid())\nprint('cwd', os.getcwd())\n"
          "print('namespace:', 'leaked' if 'secret' in globals() else 'fresh')\n```\n")
FAILING = "# 三\n\n```{code-cell} ipython3\nsecret + 1\n```\n"


def _outputs(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_pages_share_a_kernel_but_not_its_state(tmp_path):
    book = make_fixture_book(tmp_path / "book", FIRST, True)
    # Sphinx reads in name order: page, q/second, r_failing, s/third (its code differs from q/second's: the
    # execution cache keys on code alone).
    for folder in ("q", "s"):
        (book / folder).mkdir()
    (book / "q" / "second.md").write_text(NOTEBOOK_FRONT_MATTER + SECOND, encoding="utf-8")
    (book / "s" / "third.md").write_text(NOTEBOOK_FRONT_MATTER + SECOND.replace("import os", "import os  # another page"), encoding="utf-8")
    (book / "r_failing.md").write_text(NOTEBOOK_FRONT_MATTER + FAILING, encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: page\n  - file: q/second\n"
                                   "  - file: r_failing\n  - file: s/third\n", encoding="utf-8")
    result = run_build(book, env={"HANDBOOK_JOBS": "1"}, timeout=300)
    output = result.stdout + result.stderr
    # The failing page is reported as before (the strict build fails) and names the missing name: no leak.
    assert result.returncode != 0
    assert re.search(r"r_failing\.md: WARNING: Executing notebook failed: NameError: name 'secret' is not defined", output), output[-3000:]
    site = book / "_build" / "html.staging"
    first, second, third = (_outputs((site / f"{name}.html").read_text(encoding="utf-8"))
                            for name in ("page", "q/second", "s/third"))
    pids = [re.search(r"pid (\d+)", text).group(1) for text in (first, second, third)]
    assert pids[0] == pids[1], "the second page should have run in the first page's kernel"
    assert pids[2] != pids[1], "the page after a failure should get a new kernel"
    for text, folder in ((second, "q"), (third, "s")):
        assert "namespace: fresh" in text and "namespace: leaked" not in text
        assert f"cwd {book / folder}" in text


def test_reuse_can_be_turned_off(tmp_path):
    book = make_fixture_book(tmp_path / "book", FIRST, True)
    (book / "second.md").write_text(NOTEBOOK_FRONT_MATTER + SECOND, encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: page\n  - file: second\n",
                                   encoding="utf-8")
    result = run_build(book, env={"HANDBOOK_JOBS": "1", "HANDBOOK_KERNEL_REUSE": "0"}, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    pids = [re.search(r"pid (\d+)", _outputs((book / "_build" / "html" / f"{name}.html").read_text(encoding="utf-8"))).group(1)
            for name in ("page", "second")]
    assert pids[0] != pids[1]
