"""Show a handbook tool on a page: the site form in a site build, the ipywidget in a live session.

One call per page (``show_tool("overdue")``) replaces the per-page switch on
``$HANDBOOK_SITE_BUILD`` (set for the kernels by ``tools/handbook_sphinx.py``).
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["WIDGETS", "show_tool", "tool_object"]

#: Tool kind (:data:`calculators.frontends.TOOLS`) → its widget class in :mod:`calculators.widgets`.
WIDGETS = {"overdue": "OverdueCalculator", "plan": "PlanCalculator", "conduct": "ContactPlanChecker",
           "overdraft": "OverdraftTracker", "lint": "ScriptLinter"}


def tool_object(kind: str, context: Any = None, site: bool | None = None) -> Any:
    """What :func:`show_tool` displays: the form's HTML during a site build, otherwise the widget.

    ``site`` defaults to whether ``$HANDBOOK_SITE_BUILD`` is set; ``context`` (terms or rules) defaults
    to the handbook's (:func:`calculators.frontends.load_context`).

    >>> html = tool_object("overdue", site=True)
    >>> type(html).__name__, "<form" in html.data
    ('HTML', True)
    >>> tool_object("nope", site=True)
    Traceback (most recent call last):
    ...
    KeyError: "no tool 'nope'; known: overdue, plan, conduct, overdraft, lint"
    """
    if kind not in WIDGETS:
        raise KeyError(f"no tool {kind!r}; known: {', '.join(WIDGETS)}")
    from .frontends import form_html, load_context

    context = load_context(kind) if context is None else context
    if site is None:
        site = bool(os.environ.get("HANDBOOK_SITE_BUILD"))
    if site:
        from IPython.display import HTML

        return HTML(form_html(kind, context))
    from . import widgets

    return getattr(widgets, WIDGETS[kind])(context)


def show_tool(kind: str, context: Any = None) -> None:
    """Display tool ``kind`` in the running notebook (site form or widget, see :func:`tool_object`)."""
    from IPython.display import display

    display(tool_object(kind, context))
