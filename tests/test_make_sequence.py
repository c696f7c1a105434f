"""The README's commands, run the way people run them, in one checkout: every build is fresh and strict.

One scratch copy of the project (its table of contents cut to three pages to
keep the test short) is driven through ``make`` only, in the order users do:

1. ``make book``                       the cmb figures and issuer;
2. ``make book PROFILE=icbc``          a bundled-profile switch changes no file, yet figures and issuer change;
3. ``make book``                       back to cmb; a page removed from _toc.yml leaves the site and search index;
4. ``make book PROFILE=my-bank.yml``   a custom profile file, then an edit to it, changes the figure
                                       (every executable page runs again, as for any edit of calculators/ or
                                       procedures/: they share the digest);
5. ``make test`` twice                 ``.pytest_cache/README.md`` and a stray ``notes.md`` never become pages,
                                       and an unchanged rebuild executes nothing;
6. a prose edit                        re-reads that page only and executes nothing (prose is not code);
7. a page with a warning               the build fails, the published site is untouched, ``make serve`` refuses,
                                       and the next unchanged ``make book`` fails again; fixed, it passes.

``VENV=`` points make at the environment running the tests, so nothing is
installed; the copy's own sources are used (the Makefile puts the checkout
first on PYTHONPATH).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from calculators import load_terms
from helpers import copy_project

pytestmark = [pytest.mark.build, pytest.mark.slow]

VENV = Path(sys.prefix)
TOC = "format: jb-book\nroot: book/calc/profile\nchapters:\n  - file: book/calc/rules\n{extra}"
EXTRA_PAGE = "book/challenges/emotions"
# Variables an outer `make test` exports; the scratch copy must get its own.
OUTER = {"PYTHONPATH", "HANDBOOK_PROFILE", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "HANDBOOK_SITE_BUILD", "IPYTHONDIR"}


def make(project: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """``make ARGS VENV=<the test environment>`` in ``project``, output captured, in its own session."""
    env = {key: value for key, value in os.environ.items() if key not in OUTER}
    started = time.perf_counter()
    with subprocess.Popen(["make", "--no-print-directory", *args, f"VENV={VENV}"], cwd=project, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            stderr += f"\n[test] make {' '.join(args)} did not finish within {timeout} s and was stopped"
    print(f"[timing] make {' '.join(args)}: {time.perf_counter() - started:.1f} s (exit {process.returncode})")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def output(result: subprocess.CompletedProcess) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)


def executed(result: subprocess.CompletedProcess) -> list[str]:
    return sorted(re.findall(r"(book/[\w/-]+)\.md: Executing notebook", output(result)))


def passed(result: subprocess.CompletedProcess) -> bool:
    return result.returncode == 0


def text(project: Path, name: str) -> str:
    html = (project / "_build" / "html" / name).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def example(project: Path) -> str:
    """The rules page up to its comparison of all bundled profiles: only the build's own profile."""
    return text(project, "book/calc/rules.html").split("各内置配置")[0]


def test_make_commands_in_sequence(tmp_path):
    project = copy_project(tmp_path / "copy")
    toc = project / "_toc.yml"
    toc.write_text(TOC.format(extra=f"  - file: {EXTRA_PAGE}\n"), encoding="utf-8")
    site = project / "_build" / "html"

    # 1. make book: the default profile.
    first = make(project, "book")
    assert passed(first), output(first)[-5000:]
    assert "以下以 招商银行 的配置为例" in example(project) and "最低 10.00 元" in example(project)
    assert "招商银行 （ cmb ）" in text(project, "book/calc/profile.html")
    assert load_terms("cmb").footer in text(project, "book/calc/profile.html")  # the footer names the build's issuer
    assert (site / f"{EXTRA_PAGE}.html").is_file()

    # 2. Another bundled profile: no file changes, every figure and the issuer must.
    second = make(project, "book", "PROFILE=icbc")
    assert passed(second), output(second)[-5000:]
    assert "config changed ('handbook_build_key')" in output(second)
    rules = example(project)
    assert "以下以 中国工商银行 的配置为例" in rules and "最高 500.00 元" in rules and "最低 10.00 元" not in rules
    profile_page = text(project, "book/calc/profile.html")
    assert "中国工商银行 （ icbc ）" in profile_page and "招商银行 （ cmb ）" not in profile_page
    assert load_terms("icbc").footer in profile_page and load_terms("cmb").footer not in profile_page

    # 3. Back to the default, and one page taken out of the table of contents.
    toc.write_text(TOC.format(extra=""), encoding="utf-8")
    third = make(project, "book")
    assert passed(third), output(third)[-5000:]
    assert "以下以 招商银行 的配置为例" in example(project) and "最低 10.00 元" in example(project)
    assert "中国工商银行 （ icbc ）" not in text(project, "book/calc/profile.html")
    assert not (site / f"{EXTRA_PAGE}.html").exists(), "a page removed from _toc.yml is still in the site"
    assert EXTRA_PAGE not in (site / "searchindex.js").read_text(encoding="utf-8"), "... and in the search index"
    assert not list(site.joinpath("_sources").rglob("emotions*"))

    # 4. A custom profile file given as a path, then an edit to that file.
    custom = project / "my-bank.yml"
    source = (project / "calculators" / "profiles" / "cmb.yml").read_text(encoding="utf-8")
    # (with no published rate for 12 periods: the rules page's example takes the published term nearest 12, as the
    # calculator does; a trainer's probe, session 34, saw CMB's 0.66 % called "本配置未提供公开费率")
    assert "12: 0.0066, " in source and "  due_days_after_statement:\n    value: 18\n" in source
    # (and a due date 20 days after the statement date: the worked examples take it, as the calculator's form does)
    custom.write_text(source.replace("issuer: 招商银行", "issuer: 示例城市商业银行").replace("12: 0.0066, ", "").replace(
        "  due_days_after_statement:\n    value: 18\n", "  due_days_after_statement:\n    value: 20\n"), encoding="utf-8")
    fourth = make(project, "book", "PROFILE=my-bank.yml")
    assert passed(fourth), output(fourth)[-5000:]
    assert "以下以 示例城市商业银行 的配置为例" in example(project) and "最低 10.00 元" in example(project)
    rules_page = text(project, "book/calc/rules.html")
    assert "元分 10 期，每期手续费率 0.7%（历史公开费率" in rules_page and "0.66%" not in rules_page
    assert "本配置未提供公开费率" not in rules_page
    assert "到期还款日 5 月 25 日，5 月 25 日还了 100 元" in rules_page and "5 月 23 日" not in rules_page
    in_force = "    - value: 10.00\n      source: 招商银行违约金最低"  # the late_fee_min entry in force today
    edited = custom.read_text(encoding="utf-8").replace(in_force, in_force.replace("10.00", "20.00"))
    assert edited != custom.read_text(encoding="utf-8")
    custom.write_text(edited, encoding="utf-8")
    fifth = make(project, "book", "PROFILE=my-bank.yml")
    assert passed(fifth), output(fifth)[-5000:]
    assert "最低 20.00 元" in example(project) and "最低 10.00 元" not in example(project)
    assert executed(fifth) == ["book/calc/profile", "book/calc/rules"], executed(fifth)

    # 5. `make test` twice in the same checkout (the first run leaves .pytest_cache/README.md), and a stray notes.md.
    (project / "notes.md").write_text("# 我的笔记\n\n不属于手册。\n", encoding="utf-8")
    for attempt in (1, 2):
        tested = make(project, "test", "TESTS=tests/test_scriptlint.py")
        assert passed(tested), f"make test run {attempt}:\n{output(tested)[-5000:]}"
        assert (project / ".pytest_cache" / "README.md").is_file()
    assert executed(tested) == [] and "0 added, 0 changed, 0 removed" in output(tested), output(tested)[-3000:]
    assert "以下以 招商银行 的配置为例" in example(project)  # make test builds with the default profile
    published = {path.relative_to(site).as_posix() for path in site.rglob("*")}
    strays = [name for name in published if "pytest_cache" in name or name.startswith(("notes", "_sources/notes"))]
    assert not strays, strays
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    assert "pytest_cache" not in index and "我的笔记" not in index

    # 6. A prose edit: only that page is read again, and nothing executes (the cached outputs stay valid).
    prose = project / "book" / "calc" / "profile.md"
    prose.write_text(prose.read_text(encoding="utf-8").replace("本页列出本次构建所用的配置", "本页列出本次构建使用的配置"), encoding="utf-8")
    sixth = make(project, "book")
    assert passed(sixth), output(sixth)[-5000:]
    assert executed(sixth) == [], executed(sixth)
    assert re.findall(r"reading sources\.\.\. .*?(book/[\w/-]+)", output(sixth)) == ["book/calc/profile"], output(sixth)[-3000:]
    assert "本页列出本次构建使用的配置" in text(project, "book/calc/profile.html")

    # 6b. An edit to a static file alone (a stylesheet) reaches the site: it is not "0 out of date".
    css = project / "book" / "_static" / "handbook.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited in the make-sequence test */\n", encoding="utf-8")
    restyled = make(project, "book")
    assert passed(restyled), output(restyled)[-5000:]
    assert executed(restyled) == [], executed(restyled)
    assert "edited in the make-sequence test" in (site / "_static" / "handbook.css").read_text(encoding="utf-8")
    # Every page links the new copy: a page not written again would keep the old checksum, which browsers
    # cache for a year (tools/serve.py sends versioned files as immutable).
    css_bytes = (site / "_static" / "handbook.css").read_bytes().translate(None, b"\r")
    checksum = f"{zlib.crc32(css_bytes):08x}"
    linked = {page.relative_to(site).as_posix(): re.findall(r"handbook\.css\?v=([0-9a-f]+)", page.read_text(encoding="utf-8"))
              for page in site.rglob("*.html") if "_static" not in page.parts}
    linked = {name: found for name, found in linked.items() if found}
    assert sum(name.startswith("book/") for name in linked) >= 2 and all(found == [checksum] for found in linked.values()), linked

    # 7. A warning fails the build; the published site stays as it was, `make serve` refuses, and the next
    #    unchanged build fails again.  Fixed, the build passes and the site is published.
    page = project / "book" / "calc" / "profile.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(good + "\n参见 {doc}`no-such-page`。\n", encoding="utf-8")
    before = (site / "book" / "calc" / "profile.html").read_bytes()
    for attempt in (1, 2):
        failed = make(project, "book")
        assert not passed(failed), f"build {attempt} with a dangling reference passed:\n{output(failed)[-3000:]}"
        assert "no-such-page" in output(failed) and "profile.md" in output(failed), output(failed)[-3000:]
        assert (site / "book" / "calc" / "profile.html").read_bytes() == before, "a failed build changed the site"
        assert (project / "_build" / "html.failed").is_file()
    refused = make(project, "serve", "PORT=0", timeout=60)
    assert refused.returncode != 0 and "did not succeed" in refused.stderr, output(refused)[-2000:]
    page.write_text(good, encoding="utf-8")
    fixed = make(project, "book")
    assert passed(fixed), output(fixed)[-5000:]
    assert not (project / "_build" / "html.failed").exists()
