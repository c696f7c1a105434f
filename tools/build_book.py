"""``jupyter-book`` with parallel page execution: ``python -m tools.build_book build . -n -W --keep-going``.

Jupyter Book 1's command line always runs Sphinx with one process, so the
pages' notebooks execute one after another (about 1 s of kernel start-up each).
This wrapper runs the very same ``jupyter-book`` command (same options, same
output) with Sphinx's parallel reading, one process per CPU (``HANDBOOK_JOBS``
overrides), which roughly halves a cold build on two cores.

Start-up: ``jsonschema`` (imported by Jupyter Book to validate ``_config.yml``)
imports ``rfc3987_syntax`` when it is installed (it is, through the Jupyter
server's dependencies) and compiles some forty grammars for IRI format checks,
about 1.3 s on every build.  Format checks are off unless a FormatChecker is
passed, which Jupyter Book does not do, so the wrapper keeps that module out.

One adjustment makes parallel reading possible: ``sphinx_multitoc_numbering``
(always loaded by ``sphinx_external_toc``) does not declare whether it is
parallel-safe, so Sphinx would fall back to serial reading with a warning (an
error under ``-W``).  Its only work, numbering chapters across tables of
contents, happens after reading, in the main process; the handbook does not
number chapters at all.  The wrapper declares it safe.
"""

from __future__ import annotations

import functools
import os
import sys


def _declare_multitoc_parallel_safe() -> None:
    import sphinx_multitoc_numbering

    original = sphinx_multitoc_numbering.setup

    @functools.wraps(original)
    def setup(app):
        metadata = original(app) or {}
        return {**metadata, "parallel_read_safe": True, "parallel_write_safe": True}

    sphinx_multitoc_numbering.setup = setup


def main(argv: list[str] | None = None) -> int:
    sys.modules.setdefault("rfc3987_syntax", None)  # see the module docstring: unused, 1.3 s to import
    import jupyter_book.cli.main as cli
    import jupyter_book.sphinx as jb_sphinx

    jobs = int(os.environ.get("HANDBOOK_JOBS") or os.cpu_count() or 1)
    _declare_multitoc_parallel_safe()
    # The CLI imports build_sphinx from this module at call time: give it the jobs argument it never passes.
    jb_sphinx.build_sphinx = functools.partial(jb_sphinx.build_sphinx, jobs=jobs)
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="jupyter-book")


if __name__ == "__main__":
    sys.exit(main())
