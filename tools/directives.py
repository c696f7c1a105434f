"""Data-page directives: a page declares what it shows, the build renders it (no kernel, no code cell).

Each kind of :mod:`procedures.pages` is a directive with one argument, the id::

    ```{procedure} contact
    ```
    ```{situation} deceased
    ```
    ```{exercises} calc
    ```
    ```{rules} conduct
    ```
    ```{case} cannot-pay
    ```

plus ``{diagram} workflow`` (:class:`DiagramDirective`), a drawing made at build time.

The directive renders the page body from the knowledge base, fills the profile
tokens (``⟦issuer⟧`` …, :func:`procedures.render.fill_profile`) with the build's
profile, and parses the result as MyST in place, so admonitions, dropdowns,
``{doc}``/``{ref}`` links, labels, tables and headings behave as if written in
the page.  The data files are declared as the page's dependencies: editing one
re-renders the page; a profile switch is covered by the config value
``handbook_build_key`` (``tools/handbook_sphinx.py``).

An id the data does not define, or a page whose checks fail (an answer key that
disagrees with the calculators, a ``say`` line the red-line linter flags), is an
error naming the page, the directive and the id or exercise: the strict build
(``-W``) fails.
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from tools.handbook_sphinx import ROOT


class DataPageDirective(SphinxDirective):
    """Render one knowledge-base page (the kind is the directive's name) in place."""

    required_arguments = 1
    optional_arguments = 0
    has_content = False

    def run(self) -> list[nodes.Node]:
        from procedures import pages
        from procedures.loader import ProcedureFileError
        from procedures.render import fill_profile

        kind, page_id = self.name, self.arguments[0]
        where = f"{{{kind}}} {page_id}"
        try:
            page = pages.render(kind, page_id)
        except pages.UnknownPage as exc:
            raise self.error(f"{where}: unknown id ({exc})") from None
        except ProcedureFileError as exc:  # invalid data: the file, line and field, as `make check-data` reports them
            raise self.error(f"{where}: {exc}") from None
        for path in page.files:
            self._depend(ROOT / path)
        if page.problems:
            raise self.error(f"{where}: the page disagrees with the tools: " + "; ".join(page.problems))
        text = fill_profile(page.markdown)
        container = nodes.Element()
        self.state.nested_parse(StringList(text.splitlines(), source=self.env.doc2path(self.env.docname)),
                                self.content_offset, container)
        return container.children

    def _depend(self, path) -> None:
        if path.is_dir():
            for file in sorted(path.glob("*.yml")):
                self.env.note_dependency(str(file))
        else:
            self.env.note_dependency(str(path))


#: Diagram name → (function drawing it as SVG text, its alternative text).  Drawn by the build, not by a kernel.
DIAGRAMS = {
    "workflow": ("calculators.ui.workflow_diagram:workflow_svg", "工作流程图：五个环节、正常推进方向和需要回到前面环节的情况"),
}


class DiagramDirective(SphinxDirective):
    """``{diagram} workflow``: draw a diagram at build time and show it as an image (SVG file under ``_build/``).

    The classroom copy shows the same drawing from a code cell (``procedures.pages.LIVE_CODE["diagram"]``).
    """

    required_arguments = 1
    optional_arguments = 0
    has_content = False

    def run(self) -> list[nodes.Node]:
        import hashlib
        import importlib
        import os
        from pathlib import Path

        name = self.arguments[0]
        if name not in DIAGRAMS:
            raise self.error(f"{{diagram}} {name}: unknown diagram; known: {', '.join(DIAGRAMS)}")
        target, alt = DIAGRAMS[name]
        module_name, function = target.split(":")
        module = importlib.import_module(module_name)
        svg = getattr(module, function)()
        if "<svg" not in svg:
            raise self.error(f"{{diagram}} {name}: {target} did not draw an SVG")
        self._depend(Path(module.__file__))
        folder = Path(self.env.app.outdir).parent / "diagrams"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{hashlib.sha256(svg.encode()).hexdigest()}.svg"
        if not path.exists():  # parallel readers may draw it at once: each writes its own file, then renames it
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_text(svg, encoding="utf-8")
            partial.replace(path)
        docdir = Path(self.env.doc2path(self.env.docname)).parent
        uri = os.path.relpath(path, docdir).replace(os.sep, "/")
        return [nodes.image(uri=uri, alt=alt)]

    _depend = DataPageDirective._depend


def setup(app: Sphinx) -> dict:
    from docutils.parsers.rst import directives as rst_directives
    from sphinx.domains.std import StandardDomain
    from sphinx.errors import ExtensionError

    from procedures.pages import kinds

    # A kind named like a docutils or Sphinx directive would silently win or lose (``{glossary}`` is Sphinx's).
    clashes = sorted(set([*kinds(), "diagram"]) & (set(rst_directives._directive_registry) | set(StandardDomain.directives)))
    if clashes:
        raise ExtensionError(f"data-page kinds shadow existing directives: {clashes}")
    for kind in kinds():
        app.add_directive(kind, DataPageDirective)
    app.add_directive("diagram", DiagramDirective)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
