"""The build is strict: an execution error, a dangling reference or any warning fails it, naming the page.

Each case is a tiny fixture book built with the project's own execution and
parser settings (read from _config.yml) and the Makefile's strict flags.  A
failing build publishes nothing and fails again when rebuilt unchanged;
execution errors name the page, the cell and the exception in parallel builds,
every faulty page in one run; Ctrl-C stops a build with one line.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, run_build, strict_flags

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
        "sphinx": {"config": {key: project["sphinx"]["config"][key]
                              for key in ("nb_execution_raise_on_error", "nb_execution_show_tb", "nb_render_markdown_format")}},
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
        assert not (book / "_build" / "html.failed").exists()
    else:
        # Built twice, unchanged: strict every time, and nothing is ever published.
        for attempt in (1, 2):
            assert result.returncode != 0, f"{case}: build {attempt} should have failed\n{output[-3000:]}"
            assert problem in output, f"{case}: expected {problem!r} in the output of build {attempt}\n{output[-3000:]}"
            named = [line for line in output.splitlines() if "page.md" in line or "page.ipynb" in line]
            assert named, f"{case}: no message names the failing page\n{output[-3000:]}"
            assert not (book / "_build" / "html").exists(), f"{case}: a failed build published a site"
            assert (book / "_build" / "html.failed").is_file()
            if attempt == 1:
                result = run_build(book, timeout=300)
                output = result.stdout + result.stderr


def test_failed_build_keeps_the_published_site(tmp_path):
    book = make_fixture_book(tmp_path / "book", CASES["good"][0], True)
    assert run_build(book, timeout=300).returncode == 0
    published = (book / "_build" / "html" / "page.html").read_bytes()
    (book / "page.md").write_text(NOTEBOOK_FRONT_MATTER + CASES["warning"][0], encoding="utf-8")
    failed = run_build(book, timeout=300)
    assert failed.returncode != 0
    assert (book / "_build" / "html" / "page.html").read_bytes() == published
    assert "the last build failed" in (book / "_build" / "html.failed").read_text(encoding="utf-8")
    (book / "page.md").write_text(NOTEBOOK_FRONT_MATTER + CASES["good"][0].replace("1 + 1", "2 + 2"), encoding="utf-8")
    fixed = run_build(book, timeout=300)
    assert fixed.returncode == 0, (fixed.stdout + fixed.stderr)[-3000:]
    assert not (book / "_build" / "html.failed").exists()
    assert (book / "_build" / "html" / "page.html").read_bytes() != published


#: A mobile number that could be real (made up here, written so that this file itself holds none).
EXPOSED_MOBILE = "1" + "39" + "2468" + "1357"


def test_a_real_looking_number_keeps_the_site_unpublished(tmp_path):
    """A page whose built HTML holds a real-looking mobile number (here printed by a cell: the scan reads what is
    published, not the source) fails the build, which names the file and masks the number; unchanged, it fails
    again; once the number is gone the site is published, and its search index no longer holds the number."""
    page = "# 联系方式\n\n```{code-cell} ipython3\nprint('紧急联系人手机', '%s')\n```\n"
    book = make_fixture_book(tmp_path / "book", page % " ".join((EXPOSED_MOBILE[:3], EXPOSED_MOBILE[3:7], EXPOSED_MOBILE[7:])), True)
    for attempt in (1, 2):
        result = run_build(book, timeout=300)
        output = result.stdout + result.stderr
        assert result.returncode != 0, f"build {attempt}: {output[-3000:]}"
        assert re.search(r"privacy: .*page\.html:\d+: mobile: 139\*+1357", output), output[-3000:]
        assert EXPOSED_MOBILE not in output and EXPOSED_MOBILE[:7] not in output  # masked
        assert "real-looking ID, mobile or card number" in output
        assert not (book / "_build" / "html").exists()
        assert "real-looking" in (book / "_build" / "html.failed").read_text(encoding="utf-8")
    (book / "page.md").write_text(NOTEBOOK_FRONT_MATTER + page % "95555", encoding="utf-8")
    fixed = run_build(book, timeout=300)
    assert fixed.returncode == 0, (fixed.stdout + fixed.stderr)[-3000:]
    assert "phase privacy scan" in fixed.stdout
    assert (book / "_build" / "html" / "page.html").is_file() and not (book / "_build" / "html.failed").exists()
    assert "1357" not in (book / "_build" / "html" / "searchindex.js").read_text(encoding="utf-8")


def test_a_changed_page_leaves_no_old_words_in_the_search_index(tmp_path):
    """Sphinx keeps a changed page's old words in searchindex.js as terms with no page; the build drops them (a name
    taken out of a page must not stay in the published index)."""
    book = make_fixture_book(tmp_path / "book", "# 页面\n\nzanzibarquux 与 wombatfrobnik。\n", False)
    assert run_build(book, timeout=300).returncode == 0
    index = book / "_build" / "html" / "searchindex.js"
    assert "zanzibarquux" in index.read_text(encoding="utf-8")
    (book / "page.md").write_text("# 页面\n\nwombatfrobnik。\n", encoding="utf-8")
    rebuilt = run_build(book, timeout=300)
    assert rebuilt.returncode == 0, (rebuilt.stdout + rebuilt.stderr)[-3000:]
    assert "zanzibarquux" not in index.read_text(encoding="utf-8")
    assert "wombatfrobnik" in index.read_text(encoding="utf-8")


BROKEN = {
    "fees": "# 费用\n\n```{code-cell} ipython3\nbalance = 100\nrate = 0\nfee = balance / rate\n```\n",
    "dates": "# 日期\n\n```{code-cell} ipython3\nimport datetime\ndatetime.date(2026, 2, 30)\n```\n",
}


def test_keep_going_names_every_failing_cell_in_parallel(tmp_path):
    """Two pages fail in a parallel build (Sphinx reads in parallel from six documents on): both are
    reported in one run, each with its page, the failing cell's first lines, the exception and the traceback."""
    book = make_fixture_book(tmp_path / "book", BROKEN["fees"], True)
    (book / "page.md").unlink()
    (book / "fees.md").write_text(NOTEBOOK_FRONT_MATTER + BROKEN["fees"], encoding="utf-8")
    (book / "dates.md").write_text(NOTEBOOK_FRONT_MATTER + BROKEN["dates"], encoding="utf-8")
    fillers = [f"filler{i}" for i in range(4)]
    for name in fillers:
        (book / f"{name}.md").write_text(f"# {name}\n\n正文。\n", encoding="utf-8")
    chapters = "".join(f"  - file: {name}\n" for name in ["fees", "dates", *fillers])
    (book / "_toc.yml").write_text(f"format: jb-book\nroot: index\nchapters:\n{chapters}", encoding="utf-8")
    result = run_build(book, env={"HANDBOOK_JOBS": "2"}, timeout=300)
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    assert result.returncode != 0
    assert re.search(r"fees\.md: WARNING: Executing notebook failed: ZeroDivisionError: division by zero", output), output[-4000:]
    assert re.search(r"dates\.md: WARNING: Executing notebook failed: ValueError: day is out of range for month", output), output[-4000:]
    assert "| fee = balance / rate" in output and "| datetime.date(2026, 2, 30)" in output
    assert output.count("Traceback (most recent call last)") == 2, output[-4000:]  # the cells' own, not the executor's
    assert "nbclient/client.py" not in output and "jupyter_cache/executors" not in output  # no executor internals


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_with_one_line(tmp_path):
    """Ctrl-C (SIGINT to the terminal's process group) during execution: one line, no traceback, status 130."""
    book = make_fixture_book(tmp_path / "book", "# 慢\n\n```{code-cell} ipython3\nimport time\ntime.sleep(120)\n```\n", True)
    pythonpath = os.pathsep.join(p for p in (str(book), str(ROOT)) if p)
    # Ctrl-C at its default, as in a terminal, however this suite was started: a shell starts a background job with
    # SIGINT ignored, every process inherits that, and Python then installs no KeyboardInterrupt handler
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.build_book", "build", str(book), *strict_flags()], cwd=book, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PYTHONPATH": pythonpath}, preexec_fn=_default_sigint,
    )
    seen = []
    deadline = time.monotonic() + 240
    for line in process.stdout:  # wait until the page's notebook is executing
        seen.append(line)
        if "Executing notebook" in line or time.monotonic() > deadline:
            break
    time.sleep(3)
    os.killpg(process.pid, signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    after = re.sub(r"\x1b\[[0-9;]*m", "", rest)
    assert process.returncode == 130, "".join(seen) + after
    assert "Traceback" not in after and "Error" not in after, after
    assert [line for line in after.splitlines() if line.strip() and "IPKernelApp" not in line] == [
        "==> build interrupted (Ctrl-C): _build/html was not updated"], after
    assert not (book / "_build" / "html").exists() and (book / "_build" / "html.failed").is_file()
