"""Practice pages in a notebook: forms for the static site, widgets in JupyterLab (front end over procedures/).

The exercise and case-study pages call these; the Markdown and the answer keys come from
:mod:`procedures.practice` and :mod:`procedures.roleplay`, the grading from :mod:`calculators.ui.practice`
and :mod:`calculators.ui.roleplay`.
"""

from __future__ import annotations

import os

from procedures import practice, roleplay
from procedures.exercises import ExerciseSet, on_page
from procedures.render import show

from ..terms import Terms, handbook_terms

__all__ = ["show_exercises", "show_case"]


def show_exercises(exercise_set: ExerciseSet, terms: Terms | None = None, page: int | None = None) -> None:
    """Display an exercises page: forms for the static site (``HANDBOOK_SITE_BUILD``), widgets in JupyterLab.

    ``page``: one site page of the chapter (``procedures.exercises.on_page``); ``None``: the whole chapter.
    """
    from IPython.display import display

    terms = handbook_terms() if terms is None else terms
    if os.environ.get("HANDBOOK_SITE_BUILD"):
        display(show(practice.practice_markdown(exercise_set, terms, page)))
        return
    from .practice_widgets import ExerciseWidget

    chunks = practice.chunks(exercise_set, terms, page)
    display(show(chunks[0]))
    for (_, exercise), chunk in zip(on_page(exercise_set, page), chunks[1:]):
        display(ExerciseWidget(practice.exercise_key(exercise, terms)))
        display(show(chunk))


def show_case(case_id: str, terms: Terms | None = None) -> None:
    """Display a case page: forms for the static site (``HANDBOOK_SITE_BUILD``), a widget in JupyterLab."""
    from IPython.display import display

    terms = handbook_terms() if terms is None else terms
    case = roleplay.load(case_id)
    if os.environ.get("HANDBOOK_SITE_BUILD"):
        display(show(roleplay.case_markdown(case, terms)))
        return
    from .practice_widgets import RoleplayWidget

    text = roleplay.case_markdown(case, terms)
    display(show(text.split('<div class="hb-roleplay"')[0]))
    display(RoleplayWidget(roleplay.case_key(case, terms)))
