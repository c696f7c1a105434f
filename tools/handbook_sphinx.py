"""Sphinx extension for the handbook build (loaded from ``_config.yml``).

What it adds to a plain Jupyter Book 1 build, and why:

* **Fresh figures.** Jupyter Book's execution cache keys on a notebook's code
  only, so editing ``calculators/`` or ``procedures/`` would publish stale
  outputs.  Every executable page gets a hidden last cell holding a digest of
  those folders and of the selected terms profile; the files are also declared
  as the page's dependencies, so Sphinx re-reads and MyST-NB re-executes the
  page when any of them changes.
* **Chinese search.** A jieba user dictionary of collections terms is generated
  from the glossary in ``procedures/`` (one source of truth) and handed to
  Sphinx's Chinese search (``html_search_options['dict']``).
* **Offline assets.** MathJax, require.js, the widget manager and Pyodide are
  fetched from the npm registry (pinned in ``assets/vendor.json``) and served
  from ``_static/vendor/``; the calculators wheel and profile JSON for the
  in-browser calculators are built into ``_static/app/``.  On a cold build both
  run as background processes while the pages are read (waited for before
  writing), so they add no time while there are pages to read.
* **Phase timings.** ``[handbook] phase NAME: S s`` lines (start-up, assets,
  read, write, search data, finish; ``publish`` from ``tools/build_book.py``)
  show where a build's time goes; ``bench/bench_build.py`` sums them.
* **Every switch rebuilds.** The profile name, the digest of the dependency
  files (which covers a profile given as a path) and the configuration form the
  config value ``handbook_build_key`` (``rebuild="env"``): when it changes, Sphinx
  reads every page again ("config changed"), so switching ``PROFILE`` between
  two bundled profiles, which changes no file's modification time, rebuilds too.
* **Only table-of-contents pages.** ``include_patterns`` is set to the files of
  ``_toc.yml``: caches (``.pytest_cache/README.md``), virtual environments, notes
  and the rest of the checkout are never read as pages.
* **No stale pages.** After a build, HTML and source copies of pages that are no
  longer documents (removed from ``_toc.yml``) are deleted from the output.
* **Static-site rendering.** ``HANDBOOK_SITE_BUILD=1`` is set for the kernels so
  that calculator pages show the browser form instead of frozen widget snapshots.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging as sphinx_logging

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project packages, also when not installed

LOG = sphinx_logging.getLogger(__name__)
EXTRA_STATIC = ROOT / "_build" / "static-extra"
DEPENDENCY_DIRS = ("calculators", "procedures")
DEPENDENCY_SUFFIXES = {".py", ".yml", ".yaml", ".json", ".j2"}  # .j2: page layouts (procedures/templates)
MARKER = "handbook-dependency-digest"


def dependency_files() -> list[Path]:
    """Every source file the executable pages may read: code and data of calculators/ and procedures/,
    and the profile file when $HANDBOOK_PROFILE names one outside the bundled profiles."""
    files = [ROOT / "_config.yml"]  # pages print edit links built from repository.url
    from calculators.terms import selected_profile

    profile = Path(selected_profile())
    if profile.suffix in (".yml", ".yaml") and profile.is_file():
        files.append(profile.resolve())
    for folder in DEPENDENCY_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in DEPENDENCY_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                files.append(path)
    return files


def dependency_digest(files: list[Path]) -> str:
    """A digest of the dependency files' contents (from :func:`dependency_files`) and the selected profile."""
    digest = hashlib.sha256()
    digest.update(os.environ.get("HANDBOOK_PROFILE", "").encode())
    for path in files:
        digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_key(profile: str, digest: str) -> str:
    """The value of the ``handbook_build_key`` config value: any change makes Sphinx read every page again.

    >>> build_key("icbc", "0123456789abcdef")
    'profile=icbc digest=0123456789abcdef'
    """
    return f"profile={profile} digest={digest}"


def toc_patterns(docnames, suffixes) -> list[str]:
    """``include_patterns`` for the table-of-contents documents: each docname with each source suffix.

    >>> toc_patterns(["book/intro", "book/calc/rules.md"], [".md", ".ipynb"])
    ['book/calc/rules.md', 'book/intro.ipynb', 'book/intro.md']
    """
    patterns = set()
    for docname in docnames:
        if any(docname.endswith(suffix) for suffix in suffixes):
            patterns.add(docname)
        else:
            patterns.update(docname + suffix for suffix in suffixes)
    return sorted(patterns)


def is_notebook(source: str) -> bool:
    """A MyST text notebook has jupytext/kernelspec front matter (also used by the nbval plugin, conftest.py)."""
    if not source.startswith("---"):
        return False
    end = source.find("\n---", 3)
    return end > 0 and "kernelspec" in source[:end]


def _inject_digest(app: Sphinx, docname: str, source: list[str]) -> None:
    if not is_notebook(source[0]):
        return
    for path in app.env.handbook_dependencies:
        app.env.note_dependency(str(path))
    source[0] = source[0].rstrip("\n") + (
        "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
        f"# {MARKER}: {app.env.handbook_digest} (added by tools/handbook_sphinx.py; re-executes the page when "
        "calculators/, procedures/ or the profile change)\n```\n"
    )


def _static_files_follow(app: Sphinx, docname: str, source: list[str]) -> None:
    """The site's own static files (``book/_static``) are dependencies of every page.

    Sphinx copies static files only when some page is written, so an edit to a stylesheet or script alone
    would otherwise report "no targets are out of date" and leave the old file in the site.  And every page
    links them with a checksum (``handbook.css?v=…``) that ``tools/serve.py`` marks immutable for a year: a
    page that is not written again would keep sending browsers to the old copy.  Re-reading takes executed
    outputs from the cache, so a static edit re-executes nothing.
    """
    for path in sorted((ROOT / "book" / "_static").rglob("*")):
        if path.is_file():
            app.env.note_dependency(str(path))


def _write_start_redirect(app: Sphinx, exception) -> None:
    """The site's ``index.html``: a redirect to the start page that names its language, title and icon.

    sphinx_external_toc writes a bare ``<meta http-equiv="Refresh">`` when the file is missing; browsers then
    ask the server for ``/favicon.ico``, which a static site does not have (a 404 on every first visit).
    Runs before it (priority 400), so its check finds the file present.
    """
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = f"{app.config.root_doc}.html"
    title = html.escape(app.config.html_title or app.config.project or "")
    Path(app.outdir, "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        '<link rel="icon" href="_static/favicon.svg" type="image/svg+xml">'
        f'<meta http-equiv="Refresh" content="0; url={target}"></head>'
        f'<body><main><p><a href="{target}">进入手册</a></p></main></body></html>\n',
        encoding="utf-8",
    )


PHASE_STARTED = "HANDBOOK_BUILD_STARTED"  # time.time() when the build process started (tools/build_book.py)


def log_phase(name: str, started: float) -> float:
    """Log ``[handbook] phase NAME: S s`` (read by bench/bench_build.py) and return the current time."""
    now = time.time()
    LOG.info(f"[handbook] phase {name}: {now - started:.2f} s")
    return now


def _phase_mark(name: str, previous: str | None):
    """An event handler that logs the time since the mark ``previous`` (or the process start) as phase ``name``."""

    def handler(app: Sphinx, *args) -> None:
        marks = app.__dict__.setdefault("handbook_marks", {})
        start = marks.get(previous) if previous else float(os.environ.get(PHASE_STARTED) or 0) or None
        marks[name] = time.time()
        if start is not None:
            log_phase(name, start)

    return handler


def _env_before_read(app: Sphinx, env, docnames) -> None:
    # Computed once per build, at config-inited (_prepare_static).
    env.handbook_dependencies = app.handbook_dependencies
    env.handbook_digest = app.handbook_digest
    # Create the execution cache's database now, in the main process: with parallel reading
    # (tools/build_book.py) two workers would otherwise race to create its tables.
    config = getattr(env, "mystnb_config", None)
    if config is not None and config.execution_mode == "cache":
        from jupyter_cache import get_cache

        get_cache(config.execution_cache_path).list_cache_records()


def _write_search_dictionary(app: Sphinx, config) -> None:
    """Generate the jieba user dictionary from the glossary and point Sphinx's Chinese search at it."""
    from procedures import search_terms

    target = ROOT / "_build" / "search" / "userdict.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    # jieba format: word [frequency] [part of speech]; a high frequency keeps the term whole.
    # jieba's format separates fields by spaces, and a query is never split inside a word: skip words with spaces.
    lines = [f"{term} 100000 n" for term in search_terms() if not any(ch.isspace() for ch in term)]
    text = "\n".join(lines) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    options = dict(config.html_search_options or {})
    options["dict"] = str(target)
    config.html_search_options = options
    logging.getLogger("jieba").setLevel(logging.WARNING)  # its "Building prefix dict" chatter is not a warning


def _configure_kernels(app: Sphinx, config) -> None:
    """Environment the executing kernels inherit: this checkout's packages, and the static-site flag."""
    paths = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(ROOT)]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    os.environ["HANDBOOK_SITE_BUILD"] = "1"
    # A project-owned IPython profile: reproducible kernels (no personal startup files) and no TCP-transport
    # warning on every kernel start (the kernels only listen on 127.0.0.1).
    ipython_dir = ROOT / "_build" / "ipython"
    profile = ipython_dir / "profile_default" / "ipython_kernel_config.py"
    profile.parent.mkdir(parents=True, exist_ok=True)
    settings = 'c.IPKernelApp.log_level = "ERROR"\n'
    if not profile.is_file() or profile.read_text() != settings:
        profile.write_text(settings)
    os.environ["IPYTHONDIR"] = str(ipython_dir)


def _start_browser_app(digest: str):
    """Start building the calculators wheel and the profile JSON that the in-browser calculators load.

    Returns ``None`` when they are up to date, else a function that waits for the build and puts the result in
    place (``_static/app``): pip runs in the background while Sphinx reads the pages.
    """
    out = EXTRA_STATIC / "app"
    stamp = out / ".digest"
    if stamp.is_file() and stamp.read_text() == digest:
        return None
    started = time.perf_counter()
    fresh = out.with_name("app.new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    # setuptools' build and egg-info folders go to an empty scratch folder, never the checkout's ``build/``: a
    # leftover ``build/lib`` would ship modules that no longer exist (setuptools copies over it, never prunes it).
    scratch = ROOT / "_build" / "wheel-build"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    extra_config = scratch / "setup-extra.cfg"
    extra_config.write_text(f"[build]\nbuild_base = {scratch / 'build'}\n[egg_info]\negg_base = {scratch}\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "--wheel-dir", str(fresh), str(ROOT)],
        cwd=ROOT, env={**os.environ, "PIP_NO_INPUT": "1", "DIST_EXTRA_CONFIG": str(extra_config)},
    )

    def finish() -> None:
        if process.wait() != 0:
            raise ExtensionError(f"building the calculators wheel failed (pip wheel exit status {process.returncode})")
        shutil.rmtree(scratch, ignore_errors=True)
        from calculators.ui.frontends import contexts_for_browser

        wheel = next(fresh.glob("*.whl"))
        # What the browser forms need besides the wheel: the handbook's profile and the rules data, as JSON.
        manifest = {"wheel": wheel.name, "contexts": contexts_for_browser()}
        (fresh / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        (fresh / ".digest").write_text(digest)
        if out.exists():
            shutil.rmtree(out)
        fresh.rename(out)
        LOG.info(f"[handbook] browser calculators: {wheel.name} built in {time.perf_counter() - started:.1f} s")

    return finish


def _start_vendor_assets():
    """Unpack the vendor assets in the background when some are missing (a cold build): returns a function
    that waits for them, or ``None`` when they are in place (the listing is printed as before)."""
    from tools import fetch_assets

    dest = EXTRA_STATIC / "vendor"
    if not fetch_assets.pending(dest):
        fetch_assets.main(["--dest", str(dest)])
        return None
    process = subprocess.Popen([sys.executable, "-m", "tools.fetch_assets", "--dest", str(dest)], cwd=ROOT)

    def finish() -> None:
        if process.wait() != 0:
            raise ExtensionError(f"fetching the vendor assets failed (tools/fetch_assets.py exit status {process.returncode})")

    return finish


def _finish_static(app: Sphinx, *args) -> None:
    """Wait for the asset work started at config-inited (before Sphinx copies static files; at the latest when
    the build finishes, also after an error, so that no background process outlives the build)."""
    failed = args and isinstance(args[-1], BaseException)
    waiting, app.handbook_pending = getattr(app, "handbook_pending", []), []
    started = time.perf_counter()
    for finish in waiting:
        try:
            finish()
        except ExtensionError:
            if not failed:
                raise
    if waiting:
        LOG.info(f"[handbook] phase assets wait: {time.perf_counter() - started:.2f} s")


def _prepare_static(app: Sphinx, config) -> None:
    """Vendor assets and the browser app, placed where html_static_path picks them up.

    The slow parts of a cold build (unpacking some 30 MB of vendor files, building the wheel) run as
    background processes while the pages are read; :func:`_finish_static` waits for them before writing.
    """
    started = time.perf_counter()
    app.handbook_dependencies = dependency_files()
    app.handbook_digest = dependency_digest(app.handbook_dependencies)
    app.handbook_pending = [finish for finish in (_start_vendor_assets(), _start_browser_app(app.handbook_digest)) if finish]
    from calculators.terms import selected_profile

    config.handbook_build_key = build_key(selected_profile(), app.handbook_digest)
    LOG.info(f"[handbook] static assets ready in {time.perf_counter() - started:.1f} s"
             + (" (the rest in the background)" if app.handbook_pending else ""))
    LOG.info(f"[handbook] phase assets: {time.perf_counter() - started:.2f} s")


def _only_toc_pages(app: Sphinx, config) -> None:
    """Read the table-of-contents files and nothing else (runs after sphinx_external_toc parsed _toc.yml)."""
    site_map = getattr(config, "external_site_map", None)
    if site_map is None:
        return
    suffixes = list(config.source_suffix)
    patterns = toc_patterns(list(site_map), suffixes)
    patterns += [glob + suffix for glob in sorted(site_map.globs()) for suffix in suffixes]
    config.include_patterns = patterns


GENERATED_PAGES = {"genindex", "search", "py-modindex", "index"}


def _prune_stale_output(app: Sphinx, exception) -> None:
    """Delete the HTML pages and source copies of documents that no longer exist (removed from _toc.yml)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    documents = set(app.env.all_docs) | GENERATED_PAGES | set(app.config.html_additional_pages or {})
    removed = []
    for page in outdir.rglob("*.html"):
        relative = page.relative_to(outdir)
        if relative.parts[0].startswith("_"):
            continue
        if relative.with_suffix("").as_posix() not in documents:
            page.unlink()
            removed.append(relative.as_posix())
    sources = outdir / "_sources"
    if sources.is_dir():
        for copy in sources.rglob("*"):
            name = copy.relative_to(sources).as_posix()
            stem = re.sub(r"(\.txt)?$", "", name)
            stem = stem.rsplit(".", 1)[0] if "." in stem.rsplit("/", 1)[-1] else stem
            if copy.is_file() and stem not in app.env.all_docs:
                copy.unlink()
                removed.append(copy.relative_to(outdir).as_posix())
    if removed:
        LOG.info(f"[handbook] removed {len(removed)} stale output files: {', '.join(sorted(removed)[:5])}")


def setup(app: Sphinx) -> dict:
    from tools import issuer_footer, kernel_reuse

    kernel_reuse.install()  # one kernel per build process, reset between pages (HANDBOOK_KERNEL_REUSE=0: off)
    app.setup_extension("tools.status_table")  # the build-status table in Chinese
    app.add_config_value("handbook_build_key", "", "env", types=[str])
    app.setup_extension("tools.directives")  # data pages: ```{procedure} contact``` and the other kinds
    app.connect("config-inited", _only_toc_pages, priority=950)
    app.connect("config-inited", issuer_footer.fill_footer)  # the footer names the build's issuer
    app.connect("build-finished", _prune_stale_output)
    app.connect("build-finished", _write_start_redirect, priority=400)
    app.connect("config-inited", _configure_kernels)
    app.connect("config-inited", _write_search_dictionary)
    app.connect("config-inited", _prepare_static)
    app.connect("env-before-read-docs", _env_before_read)
    app.connect("env-updated", _finish_static, priority=10)  # before Sphinx copies the static files
    app.connect("build-finished", _finish_static, priority=10)
    # Phase timings for bench/bench_build.py: start-up (imports, configuration, assets), reading (with execution),
    # writing (with the search index), and the build-finished work (search data, checks).
    app.connect("env-before-read-docs", _phase_mark("start-up", None), priority=1)
    app.connect("env-updated", _phase_mark("read", "start-up"), priority=1)
    app.connect("build-finished", _phase_mark("write", "read"), priority=1)
    app.connect("build-finished", _phase_mark("finish", "write"), priority=999)
    app.connect("source-read", _inject_digest)
    app.connect("source-read", _static_files_follow)
    app.setup_extension("tools.site_reader")  # accessibility, Chinese question search, caching, edit links (reader)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
