"""The shape of every knowledge-base file in ``procedures/``, as pydantic models.

One model per file kind.  Models forbid unknown keys and empty text, so a typo
in a YAML file is an error that names the file, the line and the field (see
:mod:`procedures.loader`).  Cross-file rules (every cited source exists, every
linked stage exists) are checked by :func:`procedures.loader.check_references`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- sources ---------------------------------------------------------------

#: How a source binds the bank (issue 10): the seven kinds every rule shows.
BINDING_KINDS: tuple[str, ...] = (
    "法律",
    "司法解释",
    "行政法规·部门规章·规范性文件",
    "推荐性国家标准（参照）",
    "行业自律",
    "本行制度",
    "本手册做法",
)
Binding = Literal[BINDING_KINDS]  # type: ignore[valid-type]
#: Confidence grades: H = primary text seen; M = secondary sources agree; L = not verified.
GRADES: tuple[str, ...] = ("H", "M", "L")
Grade = Literal["H", "M", "L"]
#: What the reader sees for each grade.
GRADE_TEXT = {"H": "已核原文", "M": "据二手资料", "L": "未核实"}
#: Source kinds that are not rules (an agency or a public service cited for its hotline): no binding kind.
NON_RULE_KINDS: tuple[str, ...] = ("监管机构", "公共服务")
#: What a public address points at.
AddressKind = Literal["原文", "原文镜像", "二手报道", "官方页面"]


def weaker(a: str, b: str) -> str:
    """The lower of two grades.

    >>> weaker("H", "M"), weaker("L", "M"), weaker("H", "H")
    ('M', 'L', 'H')
    """
    return max(a, b, key=GRADES.index)


class Address(Model):
    """A public place where the reader can check a source (the text or a report of it)."""

    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    kind: AddressKind


class Source(Model):
    """A document the handbook cites (law, regulation, standard, bank publication).

    ``binding`` is how it binds the bank (:data:`BINDING_KINDS`); ``grade`` how
    sure the handbook is of what it says (H/M/L, :data:`GRADE_TEXT`);
    ``unverified`` names what is still to be checked (``文号待核``) and is shown
    to readers; ``addresses`` are public places to check it.  A regulator or
    public service cited only for its hotline has ``binding: null`` and a kind
    in :data:`NON_RULE_KINDS` (it is not a rule).
    """

    id: Slug
    short: Text
    title: Text
    number: Text
    in_force: date | None
    kind: Text
    binding: Binding | None  # type: ignore[valid-type]
    grade: Grade
    unverified: Text | None = None
    addresses: list[Address] = []
    note: Text | None = None

    @model_validator(mode="after")
    def _binding(self) -> "Source":
        if self.binding is None and self.kind not in NON_RULE_KINDS:
            raise ValueError(f"source {self.id!r}: binding may be empty only for kinds {NON_RULE_KINDS} (cited for a contact point, not a rule)")
        return self


class SourceList(Model):
    sources: list[Source] = Field(min_length=1)


class Cite(Model):
    """A citation: a source id plus the article or section (``where``).

    ``grade`` may lower the source's grade for this point (never raise it:
    checked by :func:`procedures.loader.check_references`); ``note`` says what is
    unverified about this point (``条款号待核``) and is shown to readers.
    """

    id: Slug
    where: Text | None = None
    grade: Grade | None = None
    note: Text | None = None


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


# --- the review log (issue 10) ----------------------------------------------

ReviewId = Annotated[str, StringConstraints(pattern=r"^[FCRNL][1-9][0-9]*$")]
#: 已修正 = fixed as found; 部分采纳 = fixed in part, the rest declined with a reason; 不采纳 = declined;
#: 转交 = the text sits in a file another maintainer owns: the entry says exactly what to change there.
Decision = Literal["已修正", "部分采纳", "不采纳", "转交"]
Severity = Literal["错误", "有风险", "缺失", "不清楚"]


class ReviewEntry(Model):
    """One finding of the 2026-11 content review or its errata, and what the handbook did about it."""

    id: ReviewId
    severity: Severity
    finding: Text  # the finding in one sentence, in the handbook's words
    decision: Decision
    change: Text  # what changed (or, when declined, what stays and why)
    reason: Text | None = None  # required when the finding is declined or only partly adopted
    files: list[Text] = Field(min_length=1)  # repository paths that carry the decision
    sources: list[Cite] = []

    @model_validator(mode="after")
    def _reason(self) -> "ReviewEntry":
        if self.decision != "已修正" and not self.reason:
            raise ValueError(f"{self.id}: a declined or partly adopted finding needs a reason")
        return self


class ReviewGap(Model):
    """A number the reviewed documents skip (so completeness checks know it is not missing)."""

    id: ReviewId
    note: Text


class ReviewLog(Model):
    """The review log: the reference ids (as listed in the review and the errata) and one entry per id."""

    reviewed_commit: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{7,40}$")]
    documents: list[Text] = Field(min_length=1)
    reference_ids: list[ReviewId] = Field(min_length=1)
    gaps: list[ReviewGap] = []
    entries: list[ReviewEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> "ReviewLog":
        ids = [e.id for e in self.entries]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"findings decided twice: {twice}")
        missing = [i for i in self.reference_ids if i not in ids]
        extra = [i for i in ids if i not in self.reference_ids]
        if missing or extra:
            raise ValueError(f"review log incomplete: no entry for {missing}; entries not in reference_ids: {extra}")
        return self


Kind = Literal["sources", "glossary", "role", "skills", "procedure", "challenge", "review-log"]
