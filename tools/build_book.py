"""``jupyter-book`` with parallel page execution: ``python -m tools.build_book build . -n -W --keep-going``.

What this wrapper adds to the very same ``jupyter-book`` command (same options,
same output), and why:

* **Parallel execution.** Jupyter Book 1's command line always runs Sphinx with
  one process, so the pages' notebooks execute one after another (about 1 s of
  kernel start-up each).  Sphinx's parallel reading runs one process per CPU
  (``HANDBOOK_JOBS`` overrides), which roughly halves a cold build on two cores.
  ``sphinx_multitoc_numbering`` (always loaded by ``sphinx_external_toc``) does
  not declare whether it is parallel-safe, so Sphinx would fall back to serial
  reading with a warning (an error under ``-W``).  Its only work, numbering
  chapters across tables of contents, happens after reading, in the main
  process; the handbook does not number chapters at all.  The wrapper declares
  it safe.
* **Only a successful build is published.** Sphinx writes into a staging folder,
  ``_build/html.staging`` (kept between builds, so rebuilds stay incremental);
  ``_build/html`` is replaced by a copy of it only when the build succeeded.
  ``_build/html.failed`` is written when a build starts and removed when it has
  succeeded: a failed, interrupted or killed build leaves ``_build/html`` as it
  was and the marker in place (``make serve`` refuses to serve while it exists),
  and the next build discards Sphinx's saved environment and reads every page
  again, repeating every warning: a build that failed never passes unchanged.
* **Only a site without real-looking personal numbers is published.** Before
  publishing, :mod:`tools.privacy_scan` reads the built pages (under a
  second); a resident ID, mobile or card number that could be real (check
  digits, prefixes; see that module) fails the build, with the file, line and
  the number masked (:func:`exposed_numbers`).
* **A changed page's old words leave the search index.** Sphinx keeps them
  there on an incremental build, as terms with no page
  (:func:`_forget_words_of_changed_pages`).
* **Errors that say where.** A page whose cell fails is reported as a warning
  (``nb_execution_raise_on_error: false`` in ``_config.yml``, so the strict
  build still fails and ``--keep-going`` reports every faulty page, also from
  parallel readers, whose warnings reach the main process) that names the page
  and shows the cell's first lines, the exception and the cell's traceback
  instead of the executor's internal traceback around the whole cell.  Any
  other exception inside a parallel reader reaches the main process as one
  line; the wrapper prints the reader's traceback as well.
* **Ctrl-C** stops the build with one line and exit status 130: the build runs
  in a child process in its own session, which this process stops as a whole
  (reader processes and kernels), so no process prints a traceback.
* **One kernel per reader process.** Each page used to start a kernel of its
  own (about 0.7 s, plus its imports again); :mod:`tools.kernel_reuse` keeps one
  kernel per process and resets it between pages (empty namespace, execution
  counts from 1, the page's folder as working directory).
* **Start-up.** ``jsonschema`` (imported by Jupyter Book to validate
  ``_config.yml``) imports ``rfc3987_syntax`` when it is installed (it is,
  through the Jupyter server's dependencies) and compiles some forty grammars
  for IRI format checks, about 1.3 s on every build.  Format checks are off
  unless a FormatChecker is passed, which Jupyter Book does not do, so the
  wrapper keeps that module out.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Mapping
from pathlib import Path

STAGING_SUFFIX = ".staging"
FAILED_SUFFIX = ".failed"
ENV_PICKLE = "environment.pickle"


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_LINES = 6


def summarize_execution_failure(message: str, cell_lines: int = CELL_LINES) -> str:
    """MyST-NB's "Executing notebook failed" text reduced to the cell's first lines, the exception and
    the cell's traceback (the executor's own traceback and terminal colours dropped).

    >>> text = ("Executing notebook failed: CellExecutionError\\nTraceback (most recent call last):\\n"
    ...         "  File \\"nbclient.py\\", line 1\\nnbclient.exceptions.CellExecutionError: "
    ...         "An error occurred while executing the following cell:\\n------------------\\n"
    ...         "x = 1\\n1 / 0\\n------------------\\n\\n\\x1b[0;31mZeroDivisionError\\x1b[0m: division by zero\\n\\n [mystnb.exec]")
    >>> print(summarize_execution_failure(text))
    Executing notebook failed: ZeroDivisionError: division by zero [mystnb.exec]
      failing cell:
        | x = 1
        | 1 / 0
      traceback:
        ZeroDivisionError: division by zero
    """
    marker = "An error occurred while executing the following cell:"
    text = ANSI.sub("", message)
    if marker not in text:
        return text
    # Sphinx may already have appended the warning type (" [mystnb.exec]"): keep it on the first line.
    kind = re.search(r"\s(\[[\w.-]+\])\s*$", text)
    if kind:
        text = text[: kind.start()]
    _, _, rest = text.partition(marker)
    found = re.match(r"\s*-{3,}\n(.*?)\n-{3,}\n(.*)", rest, re.S)
    if not found:
        return text
    source, traceback = found.group(1).splitlines(), found.group(2).strip("\n").rstrip()
    shown = source[:cell_lines] + ([f"... ({len(source) - cell_lines} more lines)"] if len(source) > cell_lines else [])
    lines = [line for line in traceback.splitlines() if line.strip()]
    exception = lines[-1].strip() if lines else "unknown error"
    return "\n".join(
        [f"Executing notebook failed: {exception}" + (f" {kind.group(1)}" if kind else ""), "  failing cell:"]
        + [f"    | {line}" for line in shown]
        + ["  traceback:"]
        + [f"    {line}" for line in traceback.splitlines()]
    )


class _ExecutionFailureFilter(logging.Filter):
    """Rewrites MyST-NB's execution-failure warnings (see :func:`summarize_execution_failure`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Executing notebook failed") and not getattr(record, "handbook_summarized", False):
            record.msg = summarize_execution_failure(record.msg)
            record.handbook_summarized = True
        return True


def _summarize_execution_failures() -> None:
    """Install :class:`_ExecutionFailureFilter` on Sphinx's output handlers whenever Sphinx sets them up."""
    from sphinx.util import logging as sphinx_logging

    original = sphinx_logging.setup

    @functools.wraps(original)
    def setup(app, status, warning):
        original(app, status, warning)
        for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
            handler.addFilter(_ExecutionFailureFilter())

    sphinx_logging.setup = setup


def _declare_multitoc_parallel_safe() -> None:
    import sphinx_multitoc_numbering

    original = sphinx_multitoc_numbering.setup

    @functools.wraps(original)
    def setup(app):
        metadata = original(app) or {}
        return {**metadata, "parallel_read_safe": True, "parallel_write_safe": True}

    sphinx_multitoc_numbering.setup = setup


#: The staging folder's folder of MyST-NB's logs of failed executions: never published, never scanned.
REPORTS = "reports"


def publish(staging: Path, site: Path) -> None:
    """Replace ``site`` by a copy of ``staging`` (the old site is removed only once the copy is complete).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "html.staging").mkdir(); _ = (root / "html.staging" / "index.html").write_text("new")
    >>> (root / "html.staging" / "reports").mkdir()  # logs of an earlier failed execution
    >>> (root / "html").mkdir(); _ = (root / "html" / "stale.html").write_text("old")
    >>> publish(root / "html.staging", root / "html")
    >>> sorted(p.name for p in (root / "html").iterdir()), (root / "html.staging" / "index.html").is_file()
    (['index.html'], True)
    """
    fresh = site.with_name(site.name + ".new")
    old = site.with_name(site.name + ".old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    # reports/: MyST-NB's logs of failed executions; a build that passed has none, so any there are stale.
    shutil.copytree(staging, fresh, symlinks=True, ignore=lambda folder, names: [REPORTS] if Path(folder) == staging else [])
    if site.exists():
        site.rename(old)
    fresh.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def exposed_numbers(staging: Path) -> list[str]:
    """What :mod:`tools.privacy_scan` finds in a built site (the numbers masked): real-looking resident ID, mobile or
    card numbers.  A site with any is not published (every person in the handbook is fictional; a trainer who adapts a
    page or a profile with real data learns it from the build, before the site reaches the intranet).  The folder
    :data:`REPORTS` (logs of an earlier failed execution, never published: :func:`publish`) is left out.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "index.html").write_text("客服热线 95555，还款 1,234.56 元", encoding="utf-8")
    >>> exposed_numbers(root)
    []
    >>> _ = (root / "page.html").write_text("联系人手机 " + "1" + "39" + "1234" + "5678", encoding="utf-8")
    >>> [line.split(": ", 1)[1] for line in exposed_numbers(root)]
    ['mobile: 139****5678']
    """
    from tools.privacy_scan import scan_paths

    paths: list[str | Path] = [path for path in sorted(staging.iterdir()) if path.name != REPORTS]
    return [str(finding) for finding in scan_paths(paths)]


def record_failure(site: Path, doctrees: Path, reason: str, forget: bool = True) -> None:
    """Mark the last build as failed (``make serve`` refuses) and make the next build read every page again.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()); (root / ".doctrees").mkdir()
    >>> _ = (root / ".doctrees" / ENV_PICKLE).write_bytes(b"x")
    >>> record_failure(root / "html", root / ".doctrees", "2 warnings")
    >>> (root / ".doctrees" / ENV_PICKLE).exists(), (root / "html.failed").read_text().splitlines()[0]
    (False, 'the last build failed: 2 warnings')
    """
    if forget:
        (doctrees / ENV_PICKLE).unlink(missing_ok=True)
    marker = site.with_name(site.name + FAILED_SUFFIX)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(
        f"the last build failed: {reason}\n"
        f"at {time.strftime('%Y-%m-%d %H:%M:%S')}; {site} still holds the last successful build.\n",
        encoding="utf-8",
    )


def _staged(build_sphinx):
    """Wrap Jupyter Book's ``build_sphinx``: HTML goes to the staging folder and is published on success."""

    @functools.wraps(build_sphinx)
    def build(sourcedir, outputdir, **kwargs):
        site = Path(outputdir)
        if kwargs.get("builder", "html") != "html":
            return build_sphinx(sourcedir, outputdir, **kwargs)
        staging = site.with_name(site.name + STAGING_SUFFIX)
        doctrees = Path(kwargs.get("doctreedir") or site.parent / ".doctrees")
        kwargs["doctreedir"] = doctrees
        marker = site.with_name(site.name + FAILED_SUFFIX)
        if marker.exists():  # the last build failed or never finished: its saved environment is not trusted
            (doctrees / ENV_PICKLE).unlink(missing_ok=True)
        record_failure(site, doctrees, "it did not finish (interrupted or killed), or a build is under way", forget=False)
        result = build_sphinx(sourcedir, staging, **kwargs)
        if isinstance(result, BaseException) or result:
            traceback = getattr(result, "traceback", None)  # SphinxParallelError: the reader process's traceback
            if traceback:
                print(f"\nTraceback in the parallel reader process:\n{traceback}", file=sys.stderr)
            record_failure(site, doctrees, f"{result!r}" if isinstance(result, BaseException) else "warnings or errors above")
            print(f"==> build FAILED: {site} was not updated (the failed output is in {staging})", file=sys.stderr)
            if isinstance(result, BaseException):
                raise SystemExit(2)  # Sphinx has printed the error; Jupyter Book would add a traceback of its own
            return result
        started = time.perf_counter()
        exposed = exposed_numbers(staging)
        if exposed:
            for line in exposed:
                print(f"privacy: {line}", file=sys.stderr)
            record_failure(site, doctrees, f"{len(exposed)} real-looking ID, mobile or card number(s) in the built pages", forget=False)
            print(f"==> build FAILED: the built pages hold {len(exposed)} real-looking ID, mobile or card number(s) (listed above,"
                  f" masked; tools/privacy_scan.py): {site} was not updated. Every person in the handbook must be fictional:"
                  " replace the number in the page, procedure or profile it comes from and build again.", file=sys.stderr)
            return 1
        print(f"[handbook] phase privacy scan: {time.perf_counter() - started:.2f} s (no real-looking ID, mobile or card number)")
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # never interrupt the swap half-way
        try:
            started = time.perf_counter()
            publish(staging, site)
            marker.unlink(missing_ok=True)
            print(f"[handbook] phase publish: {time.perf_counter() - started:.2f} s")
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        return result

    return build


CHILD_FLAG = "HANDBOOK_BUILD_CHILD"


def _descendants(pid: int) -> list[int]:
    """The process ids below ``pid`` (Linux ``/proc``; empty elsewhere).

    >>> _descendants(os.getpid()) == [] or all(isinstance(p, int) for p in _descendants(os.getpid()))
    True
    """
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _run_interruptible(argv: list[str]) -> int:
    """Run the build in a child process in its own session, so that Ctrl-C reaches this process only.

    On Ctrl-C the child's whole process group (Sphinx's reader processes and the notebook kernels) is stopped
    and one line is printed; the child's ``_build/html.failed`` marker, written when the build started, stays,
    so ``make serve`` refuses and the next build reads every page again.
    """
    import subprocess

    child = subprocess.Popen([sys.executable, "-m", "tools.build_book", *argv], env={**os.environ, CHILD_FLAG: "1"},
                             start_new_session=True)
    try:
        return child.wait()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while stopping changes nothing
        # SIGKILL: a gentler signal lets the executor's clean-up raise and print in the middle of a cell.
        # Nothing is lost: the staging folder and the saved environment are rebuilt by the next build.
        # The kernels run in sessions of their own: stop every descendant, not only the process group.
        for pid in [child.pid, *_descendants(child.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        child.wait()
        print("\n==> build interrupted (Ctrl-C): _build/html was not updated", file=sys.stderr, flush=True)
        return 130


def _forget_words_of_changed_pages() -> None:
    """Make Sphinx's search index forget the words of a page that changed (or left the book).

    On an incremental build Sphinx reloads ``searchindex.js`` and removes the pages it reads again from every word's
    page set (``IndexBuilder.prune``), but keeps the words themselves: a word that no page holds any more stays in the
    published index, as a term with no page.  A name or a number taken out of a page would stay searchable in the file
    everyone downloads.  After the pruning, words left without a page are dropped.

    >>> from sphinx.search import IndexBuilder
    >>> _forget_words_of_changed_pages()
    >>> index = IndexBuilder.__new__(IndexBuilder)
    >>> index._titles, index._filenames, index._all_titles = {"a": "A", "b": "B"}, {"a": "a.md", "b": "b.md"}, {"a": [], "b": []}
    >>> index._mapping, index._title_mapping = {"kept": {"a", "b"}, "stale": {"b"}}, {"stale": {"b"}}
    >>> index.prune({"a"})
    >>> index._mapping, index._title_mapping
    ({'kept': {'a'}}, {})
    """
    from sphinx.search import IndexBuilder

    original = IndexBuilder.prune
    if getattr(original, "forgets_words", False):
        return

    @functools.wraps(original)
    def prune(self, docnames):
        original(self, docnames)
        for mapping in (self._mapping, self._title_mapping):
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]

    prune.forgets_words = True  # type: ignore[attr-defined]
    IndexBuilder.prune = prune


def _profile_problem(argv: list[str], environ: Mapping[str, str] | None = None) -> str | None:
    """The problem of the profile a build would use (``HANDBOOK_PROFILE``), as ``file:line: …`` text, or None.

    Checked before Sphinx starts, so that a typo in a trainer's profile reads as ``make check-data`` says it, not
    wrapped in an extension error, and a missing file is called missing.

    >>> _profile_problem(["build", "."], {"HANDBOOK_PROFILE": "no/such.yml"})
    'no/such.yml: no such file (give a bundled profile name or the path of a profile YAML file)'
    >>> _profile_problem(["build", "."], {}) is None, _profile_problem(["build", "."], {"HANDBOOK_PROFILE": "icbc"}) is None
    (True, True)
    """
    name = (os.environ if environ is None else environ).get("HANDBOOK_PROFILE", "").strip()
    if not name or not argv or argv[0] != "build":
        return None
    from procedures.__main__ import check_profile

    return check_profile(name)


def main(argv: list[str] | None = None) -> int:
    argv = argv if argv is not None else sys.argv[1:]
    os.environ.setdefault("HANDBOOK_BUILD_STARTED", str(time.time()))  # phase timings (tools/handbook_sphinx.py)
    if not os.environ.get(CHILD_FLAG):
        problem = _profile_problem(argv)
        if problem:
            print(f"error: the terms profile cannot be used: {problem}", file=sys.stderr)
            built = Path(argv[1] if len(argv) > 1 else ".") / "_build"  # (make serve refuses until a build succeeds)
            record_failure(built / "html", built / ".doctrees", f"the terms profile cannot be used: {problem}", forget=False)
            print("==> nothing was built: fix the profile (make check-data PROFILE=… lists every problem) and build again",
                  file=sys.stderr)
            return 2
        return _run_interruptible(argv)
    sys.modules.setdefault("rfc3987_syntax", None)  # see the module docstring: unused, 1.3 s to import
    import jupyter_book.cli.main as cli
    import jupyter_book.sphinx as jb_sphinx

    jobs = int(os.environ.get("HANDBOOK_JOBS") or os.cpu_count() or 1)
    from tools import kernel_reuse

    kernel_reuse.install()  # one kernel per reader process, reset between pages (HANDBOOK_KERNEL_REUSE=0: off)
    _declare_multitoc_parallel_safe()
    _summarize_execution_failures()
    _forget_words_of_changed_pages()
    # The CLI imports build_sphinx from this module at call time: give it the jobs argument it never passes,
    # and build into the staging folder.
    jb_sphinx.build_sphinx = _staged(functools.partial(jb_sphinx.build_sphinx, jobs=jobs))
    return cli.main(args=argv, prog_name="jupyter-book")


if __name__ == "__main__":
    sys.exit(main())
