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

plus ``{diagram} workflow`` (:class:`DiagramDirective`), a drawing made at build time, and ``{tool} conduct``
(:class:`ToolDirective`), a tool's site form.

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


def _conduct_example() -> list[str]:
    """The conduct page's worked example: the checker flags exactly the 22:00 SMS and the debt disclosure to a contact."""
    from calculators import check_contact_plan
    from calculators.ui.frontends import load_context
    from calculators.ui.rule_views import CONDUCT_DEFAULTS, conduct_view, parse_attempts

    rules = load_context("conduct")
    found = [(v.index, v.rule_id) for v in check_contact_plan(parse_attempts(CONDUCT_DEFAULTS["attempts"]), rules)]
    problems = [] if found == [(2, "quiet-hours"), (3, "third-party-no-debt-disclosure")] else [
        f"the worked example's findings are {found}, not the 22:00 SMS (2, quiet-hours) and the disclosure (3)"]
    if conduct_view(CONDUCT_DEFAULTS, rules).summary["violations"] != "2":
        problems.append("the worked example's summary does not count 2 violations")
    if (rules.max_effective_calls_per_day, rules.max_unanswered_per_day_per_method) != (3, 6):
        problems.append("the daily caps are not 3 effective calls and 6 unanswered calls per method")
    return problems


def _lint_example() -> list[str]:
    """The linter page's worked example: the draft threatens to tell the customer's employer and family."""
    from calculators.ui.frontends import load_context
    from calculators.ui.rule_views import LINT_DEFAULTS, lint_view

    summary = lint_view(LINT_DEFAULTS, load_context("lint")).summary
    return [] if "third-party-disclosure" in summary["categories"].split() else [
        f"the worked example is not flagged as third-party-disclosure: {summary}"]


#: Tool kind → (the check of its page's worked example, the data files it reads).  The form is
#: :func:`calculators.ui.frontends.form_html`; the classroom copy shows the widget (``LIVE_CODE["tool"]``).
TOOLS = {
    "conduct": (_conduct_example, ("procedures/rules/conduct.yml",)),
    "lint": (_lint_example, ("procedures/rules/redlines.yml", "calculators/compliance")),
}


class ToolDirective(SphinxDirective):
    """``{tool} conduct``: a tool's site form (the browser runs it), its page's worked example checked at build time."""

    required_arguments = 1
    optional_arguments = 0
    has_content = False

    def run(self) -> list[nodes.Node]:
        from calculators.ui.frontends import form_html, load_context

        kind = self.arguments[0]
        if kind not in TOOLS:
            raise self.error(f"{{tool}} {kind}: unknown tool; known: {', '.join(TOOLS)}")
        check, files = TOOLS[kind]
        for path in files:
            self._depend(ROOT / path)
        problems = check()
        if problems:
            raise self.error(f"{{tool}} {kind}: the page disagrees with the tools: " + "; ".join(problems))
        return [nodes.raw("", form_html(kind, load_context(kind)), format="html")]

    _depend = DataPageDirective._depend


def setup(app: Sphinx) -> dict:
    from docutils.parsers.rst import directives as rst_directives
    from sphinx.domains.std import StandardDomain
    from sphinx.errors import ExtensionError

    from procedures.pages import kinds

    # A kind named like a docutils or Sphinx directive would silently win or lose (``{glossary}`` is Sphinx's).
    clashes = sorted(set([*kinds(), "diagram", "tool"]) & (set(rst_directives._directive_registry) | set(StandardDomain.directives)))
    if clashes:
        raise ExtensionError(f"data-page kinds shadow existing directives: {clashes}")
    for kind in kinds():
        app.add_directive(kind, DataPageDirective)
    app.add_directive("diagram", DiagramDirective)
    app.add_directive("tool", ToolDirective)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
