"""The shape of every knowledge-base file in ``procedures/``, as pydantic models.

One model per file kind.  Models forbid unknown keys and empty text, so a typo
in a YAML file is an error that names the file, the line and the field (see
:mod:`procedures.loader`).  Cross-file rules (every cited source exists, every
linked stage exists) are checked by :func:`procedures.loader.check_references`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- sources ---------------------------------------------------------------


class Source(Model):
    """A document the handbook cites (law, regulation, standard, bank publication)."""

    id: Slug
    short: Text
    title: Text
    number: Text
    in_force: date | None
    kind: Text
    note: Text | None = None


class SourceList(Model):
    sources: list[Source] = Field(min_length=1)


class Cite(Model):
    """A citation: a source id plus the article or section (``where``)."""

    id: Slug
    where: Text | None = None


# --- glossary --------------------------------------------------------------


class Term(Model):
    """A glossary entry; ``term`` and ``aliases`` also go into the search dictionary."""

    term: Text
    aliases: list[Text] = []
    en: Text
    definition: Text
    see: Text | None = None  # a page path such as book/workflow/plan, for "see also"
    sources: list[Cite] = []


class Glossary(Model):
    terms: list[Term] = Field(min_length=1)


# --- shared pieces of procedure pages --------------------------------------


class Reviewed(Model):
    """Who keeps a page right, and when they last checked it."""

    owner: Text
    last_reviewed: date


class Step(Model):
    title: Text
    detail: Text


class Performer(Model):
    role: Text
    authority: Text


class Phrase(Model):
    """Something to say, with an optional note on why or when."""

    text: Text
    note: Text | None = None


class Forbidden(Model):
    """Something never to say or do, with the reason and the rule behind it."""

    text: Text
    why: Text
    sources: list[Cite] = Field(min_length=1)


class Check(Model):
    """A compliance check with the rule it enforces."""

    item: Text
    sources: list[Cite] = Field(min_length=1)


class Escalation(Model):
    when: Text
    to: Text


# --- the role --------------------------------------------------------------


class Duty(Model):
    title: Text
    detail: Text


class Role(Reviewed):
    title: Text
    summary: Text
    duties: list[Duty] = Field(min_length=3)
    why_bank: list[Text] = Field(min_length=1)
    why_customer: list[Text] = Field(min_length=1)
    boundaries: list[Text] = Field(min_length=1)  # what the role may not do
    sources: list[Cite] = Field(min_length=1)


class Skill(Model):
    id: Slug
    name: Text
    summary: Text
    why: Text
    behaviours: list[Text] = Field(min_length=2)
    self_check: list[Text] = Field(min_length=3)  # statements a trainee rates 1-5
    growth: list[Text] = Field(min_length=1)


class Skills(Reviewed):
    title: Text
    summary: Text
    scale: list[Text] = Field(min_length=5, max_length=5)  # labels for 1..5
    skills: list[Skill] = Field(min_length=4, max_length=4)


# --- workflow stages and challenges ----------------------------------------


class Procedure(Reviewed):
    """One workflow stage, in the handbook's procedure template."""

    id: Slug
    order: int = Field(ge=1)
    title: Text
    summary: Text  # one line, also used in the flow diagram
    purpose: Text
    performers: list[Performer] = Field(min_length=1)
    inputs: list[Text] = Field(min_length=1)
    steps: list[Step] = Field(min_length=2)
    say: list[Phrase] = Field(min_length=1)
    never_say: list[Forbidden] = Field(min_length=1)
    compliance: list[Check] = Field(min_length=1)
    outputs: list[Text] = Field(min_length=1)
    escalate: list[Escalation] = Field(min_length=1)
    next: list[Slug] = []  # stages that may follow (the flow diagram's arrows)
    example: Text | None = None  # a worked case with fictional people only
    sources: list[Cite] = Field(min_length=1)


class Challenge(Reviewed):
    """A recurring difficulty and how to handle it."""

    id: Slug
    title: Text
    summary: Text
    signs: list[Text] = Field(min_length=1)
    playbook: list[Step] = Field(min_length=3)
    say: list[Phrase] = Field(min_length=1)
    never_say: list[Forbidden] = Field(min_length=1)
    escalate: list[Escalation] = Field(min_length=1)
    example: Text | None = None
    sources: list[Cite] = Field(min_length=1)


Kind = Literal["sources", "glossary", "role", "skills", "procedure", "challenge"]
