"""Run JupyterLab for a classroom session (``make live``): ``python -m tools.live_server [JupyterLab options]``.

The same as ``python -m jupyterlab``, except that jsonschema's optional IRI format
check is left out.  ``jsonschema`` imports the optional package ``rfc3987_syntax``
when it is installed (``jsonschema[format-nongpl]``, pulled in by ``jupyter-events``),
and that package compiles its Lark grammars at import: about 2 s of every server
start, for a check (``"format": "iri"``) that no schema of the server, of its
events or of a notebook uses.  :func:`without_iri_grammar` marks the module as
absent (``sys.modules[name] = None`` makes ``import name`` raise ``ImportError``,
the documented way to block an import), and jsonschema then behaves as it does
when the extra is not installed: it registers no ``iri`` checker.  Nothing of a
third-party package is patched.
"""

from __future__ import annotations

import sys

#: Optional module that jsonschema imports only to check the ``iri`` and ``iri-reference`` formats.
IRI_GRAMMAR_MODULE = "rfc3987_syntax"


def without_iri_grammar() -> bool:
    """Keep jsonschema from importing :data:`IRI_GRAMMAR_MODULE` in this process; ``False`` if it is already loaded.

    Run it before anything imports jsonschema (``tests/test_live_copy.py`` checks the effect in a new process).

    >>> IRI_GRAMMAR_MODULE
    'rfc3987_syntax'
    """
    if sys.modules.get(IRI_GRAMMAR_MODULE) is not None:
        return False
    sys.modules[IRI_GRAMMAR_MODULE] = None  # type: ignore[assignment]
    return True


def main() -> None:
    """Start JupyterLab with the command line's options (as ``python -m jupyterlab`` does)."""
    without_iri_grammar()
    from jupyterlab.labapp import main as lab_main

    sys.exit(lab_main())


if __name__ == "__main__":
    main()
