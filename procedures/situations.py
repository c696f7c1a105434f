"""Special-situation procedures: the cases the five workflow stages do not cover on their own.

One file per situation, ``procedures/situations/<id>.yml`` (a deceased debtor, a
vulnerable customer, a complaint, a representative, a 失联 debtor, a fraud
claim, recordings, outside agencies, relief, a customer abroad, a spouse, court
enforcement), each in the handbook's procedure template (:class:`Situation`).
``chapter`` says which chapter of the book the page sits in; the page is
``book/<chapter>/<id>`` (its ``_toc.yml`` line; the build generates the page from
this file, ``tools/procedure_pages.py``) and renders :func:`situation_markdown`.

:func:`validate` checks what the model alone cannot: the id equals the file
name, every cited source and every linked script exists, and every ``say`` line
passes the red-line linter (:func:`calculators.compliance.redlines.lint`).  Pages show
each citation's binding kind and grade (:func:`procedures.loader.certainty`); a
citation may lower its source's grade for one point and say what is unverified.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from . import loader, rules
from .loader import ROOT, ProcedureFileError, read_folder
from .render import render_template, sources_list
from .schema import Check, Cite, Escalation, Forbidden, Performer, Phrase, Reviewed, Slug, Step, Text

__all__ = ["SITUATIONS_DIR", "CHAPTER_NAMES", "Situation", "situations", "situation", "page_path",
           "situation_markdown", "situations_table", "validate"]

SITUATIONS_DIR = ROOT / "situations"
#: The book chapters a situation page may sit in, with their Chinese names.
CHAPTER_NAMES = {"workflow": "工作流程", "challenges": "常见挑战", "rules": "规则与合规"}


class Situation(Reviewed):
    """One special situation in the procedure template.

    Purpose · who does it, with what authority · inputs · steps · what to say and
    never say · compliance checks · outputs · when to escalate · sources, with the
    owner and last-reviewed date.  ``scripts`` links the script library entries
    for the situation.
    """

    id: Slug
    chapter: Literal["workflow", "challenges", "rules"]
    title: Text
    summary: Text
    purpose: Text
    performers: list[Performer] = Field(min_length=1)
    inputs: list[Text] = Field(min_length=1)
    steps: list[Step] = Field(min_length=3)
    say: list[Phrase] = Field(min_length=1)
    never_say: list[Forbidden] = Field(min_length=1)
    compliance: list[Check] = Field(min_length=1)
    outputs: list[Text] = Field(min_length=1)
    escalate: list[Escalation] = Field(min_length=1)
    scripts: list[Slug] = []
    example: Text | None = None  # fictional people only
    sources: list[Cite] = Field(min_length=1)


def _read(folder: Path) -> dict[str, Situation]:
    return read_folder(folder, Situation)


@lru_cache(maxsize=None)
def _handbook() -> dict[str, Situation]:
    return _read(SITUATIONS_DIR)


def situations(folder: Path | str | None = None) -> dict[str, Situation]:
    """Every special-situation procedure by id.

    >>> "deceased" in situations() and situations()["deceased"].chapter
    'challenges'
    """
    return dict(_handbook() if folder is None else _read(Path(folder)))  # a given folder is always read afresh


def situation(situation_id: str) -> Situation:
    """One situation by id.

    >>> situation("court-enforcement").title
    '法院强制执行：限制消费与失信名单'
    """
    known = situations()
    if situation_id not in known:
        raise KeyError(f"no situation {situation_id!r}; known: {sorted(known)}")
    return known[situation_id]


def page_path(item: Situation) -> str:
    """The book page (without ``.md``) that renders ``item``.

    >>> page_path(situation("locate"))
    'book/workflow/locate'
    """
    return f"book/{item.chapter}/{item.id}"


def situation_markdown(item: Situation) -> str:
    """One situation page in the procedure layout (``templates/procedure.md.j2``), under the owner / last-reviewed / edit-link box."""
    from .render_rules import script_link

    library = rules.scripts()
    return render_template("procedure.md.j2", item=item, data_path=f"procedures/situations/{item.id}.yml", step=None,
                           scripts=[script_link(library[s]) for s in item.scripts], following=[],
                           sources=sources_list(loader.iter_cites(item)))


def situations_table() -> str:
    """Every special situation with its chapter, its one-line summary and a link to its page, chapter by chapter.

    >>> table = situations_table()
    >>> "{doc}`法院强制执行：限制消费与失信名单 </book/rules/court-enforcement>`" in table
    True
    """
    items = sorted(situations().values(), key=lambda s: list(CHAPTER_NAMES).index(s.chapter))
    rows = "\n".join(f"| {CHAPTER_NAMES[s.chapter]} | {{doc}}`{s.title} </{page_path(s)}>` | {s.summary} |" for s in items)
    return "| 所在章节 | 情形 | 要点 |\n|---|---|---|\n" + rows + "\n"


def validate(folder: Path | str | None = None) -> int:
    """Load every situation and check sources, script links and the say lines; returns the number of files.

    >>> validate() >= 12
    True
    """
    from calculators.datafile import line_of, read_yaml
    from calculators.compliance.redlines import lint

    folder = Path(folder) if folder is not None else SITUATIONS_DIR
    items = situations(folder)
    library, red = rules.scripts(), rules.redlines()
    for item in items.values():
        path = folder / f"{item.id}.yml"
        lines = read_yaml(path)[1]
        for loc, cite in rules._cites(item):
            problem = loader.cite_problem(cite)  # an unknown source, or a grade above the source's
            if problem:
                where = loc + ("id",)
                raise ProcedureFileError(path, [(line_of(lines, where), ".".join(map(str, where)), problem)])
        for index, script_id in enumerate(item.scripts):
            if script_id not in library:
                raise ProcedureFileError(path, [(line_of(lines, ("scripts", index)), f"scripts.{index}",
                                                 f"unknown script {script_id!r}; known: {sorted(library)}")])
        for index, phrase in enumerate(item.say):
            found = lint(phrase.text, red)
            if found:
                raise ProcedureFileError(path, [(line_of(lines, ("say", index, "text")), f"say.{index}.text",
                                                 "the red-line linter flags " + "; ".join(f"{f.name}: {f.text!r}" for f in found))])
    return len(items)
