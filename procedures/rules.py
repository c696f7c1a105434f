"""Rules, stages and scripts: the data behind the checkers, loaded into the engine's rule objects (and pydantic models for pages).

Files (all under ``procedures/``):

* ``rules/stages.yml``: M0–M7, who acts, channels, scripts, procedure page,
  when to move on.  Day ranges and the five-category class come from
  :mod:`calculators.delinquency`, never from the data (:func:`stage_table`).
* ``rules/conduct.yml``: the conduct rules and their parameters
  → :func:`conduct_rules` gives a :class:`calculators.compliance.conduct.ConductRules`.
* ``rules/redlines.yml``: the eight red lines and the linter categories
  → :func:`redlines` gives a :class:`calculators.compliance.redlines.RedlineRules`.
* ``rules/legal.yml``: malicious overdraft, civil routes, limitation, credit
  reporting, complaint channels → :func:`legal` (model) and
  :func:`overdraft_rules` (a :class:`calculators.compliance.overdraft.OverdraftRules`).
* ``scripts/*.yml``: the script library → :func:`scripts`.

Every loader validates its file so that a bad file raises
:class:`procedures.loader.ProcedureFileError` naming the file, the line and the
field.  The rule entities (conduct parameters and rules, red lines, linter
categories and patterns, amount bands) are declared once, as the engine's
standard-library dataclasses; the conduct and red-line files are read by the
engine's own reader (:func:`calculators.compliance.ruledata.read_fields`, the one
the browser uses), after citations (``{id, where}``) are validated and resolved
to display text with :func:`procedures.loader.sources`.  The stdlib rule objects
carry their sources as :class:`calculators.compliance.ruledata.SourceRef` (with
the citation's grade and note) and can be sent to the browser as JSON
(``to_dict()``) and rebuilt there (``from_dict()``).  The other files (stages,
legal, scripts) are pydantic models.
:func:`validate` loads everything and checks the cross-references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, field_validator, model_validator

from calculators.datafile import line_of, read_yaml
from calculators.compliance.conduct import CHANNELS, ConductParameters, ConductRule, ConductRules, Unsupported
from calculators.delinquency import LOAN_CATEGORIES, M_BUCKETS, delinquency_bucket
from calculators.errors import CalculatorInputError
from calculators.compliance.overdraft import AmountBand, OverdraftRules
from calculators.compliance.redlines import LintCategory, Pattern, Redline, RedlineRules

from .loader import ROOT, ProcedureFileError, cite_label, cite_problem, load_model, read_file
from .schema import Cite, Model, Phrase, Slug, Text

__all__ = [
    "RULES_DIR", "SCRIPTS_DIR", "PROCEDURE_PAGES",
    "Stage", "StageFile", "ConductFile", "ConductParameters", "ConductRule", "ConductRuleModel", "Unsupported",
    "fill_parameters", "RedlinesFile", "LegalFile", "Script",
    "stages", "stage_table", "conduct", "conduct_rules", "redlines_data", "redlines",
    "legal", "overdraft_rules", "scripts", "cite_text", "validate",
]

RULES_DIR = ROOT / "rules"
SCRIPTS_DIR = ROOT / "scripts"
#: The workflow pages a stage may link to.
PROCEDURE_PAGES = ("book/workflow/understand", "book/workflow/contact", "book/workflow/plan",
                   "book/workflow/follow-up", "book/workflow/legal")
Bucket = Literal["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7"]
Cites = list[Cite]


def _in(vocabulary: Any, values: list[str]) -> list[str]:
    for value in values:
        if value not in vocabulary:
            raise ValueError(f"{value!r} is not one of {', '.join(vocabulary)}")
    return values


# --- stages -----------------------------------------------------------------


class MoveOn(Model):
    to: Literal["next", "outsourcing", "legal", "write-off"]
    when: Text
    sources: Cites = Field(min_length=1)


class Stage(Model):
    bucket: Bucket
    name: Text
    focus: Text
    who: list[Text] = Field(min_length=1)
    channels: list[str] = Field(min_length=1)
    scripts: list[Slug] = Field(min_length=1)
    procedure: Literal[PROCEDURE_PAGES]  # type: ignore[valid-type]
    move_on: list[MoveOn] = Field(min_length=1)
    sources: Cites = Field(min_length=1)

    @field_validator("channels")
    @classmethod
    def _channels(cls, value: list[str]) -> list[str]:
        return _in(CHANNELS, value)


class StageFile(Model):
    stages: list[Stage] = Field(min_length=1)


# --- conduct ----------------------------------------------------------------
# The entities are declared once, as the engine's dataclasses (calculators.compliance.conduct), and
# read from the YAML by the engine's own reader; the names below are kept for pages and tests.

#: Deprecated aliases: the single declarations live in :mod:`calculators.compliance.conduct`.
ConductRuleModel = ConductRule
UnsupportedModel = Unsupported


def fill_parameters(text: str, parameters: ConductParameters) -> str:
    """``text`` with each ``⟦parameter⟧`` token replaced by that conduct parameter's value (:meth:`ConductParameters.fill`).

    >>> fill_parameters("每日不超过 ⟦max_effective_calls_per_day⟧ 次", conduct().parameters)
    '每日不超过 3 次'
    """
    return parameters.fill(text)


@dataclass(frozen=True)
class ConductFile:
    """``conduct.yml`` as the pages read it: the parameters, the rules in file order, the unsupported claims.

    A view of :class:`ConductRules` (no second declaration): rule texts are filled and sources resolved,
    each source keeping its citation's grade and note for the certainty mark.
    """

    parameters: ConductParameters
    rules: tuple[ConductRule, ...]
    unsupported: tuple[Unsupported, ...]


# --- red lines --------------------------------------------------------------
# Declared once, as the engine's dataclasses (calculators.compliance.redlines); the file-level rules
# (exactly eight red lines, at least one negation word and one category) are checked in _redlines.

#: Deprecated aliases: the single declarations live in :mod:`calculators.compliance.redlines`.
PatternModel = Pattern
RedlineModel = Redline
CategoryModel = LintCategory
RedlinesFile = RedlineRules


# --- legal ------------------------------------------------------------------


class Cited(Model):
    text: Text
    sources: Cites = Field(min_length=1)


class ListCited(Model):
    intro: Text
    items: list[Text] = Field(min_length=1)
    sources: Cites = Field(min_length=1)


class EffectiveCollection(Model):
    collections_required: Literal[2]
    min_gap_days: int = Field(ge=1)
    conditions: list[Text] = Field(min_length=1)
    evidence: Text
    gap_counting: Text
    sources: Cites = Field(min_length=1)


class HistoryModel(Model):
    version: Text
    bands: list[AmountBand] = Field(min_length=1)
    sources: Cites = Field(min_length=1)


class AmountBasis(Model):
    basis: Text
    sources: Cites = Field(min_length=1)


class MaliciousOverdraft(Model):
    definition: Cited
    intent: Cited
    presumptions: ListCited
    effective_collection: EffectiveCollection
    unpaid_months: int = Field(ge=1)
    window_counting: Text
    window_sources: Cites = Field(min_length=1)
    amount: AmountBasis
    bands: list[AmountBand] = Field(min_length=1)  # the engine's dataclass, validated by pydantic (no mirror model)
    bands_sources: Cites = Field(min_length=1)
    history: list[HistoryModel] = []
    repayment: Cited

    @model_validator(mode="after")
    def _ascending(self) -> "MaliciousOverdraft":
        minimums = [b.minimum for b in self.bands]
        if minimums != sorted(set(minimums)):
            raise ValueError(f"bands must ascend strictly, found {[str(m) for m in minimums]}")
        return self


class CivilRoute(Model):
    id: Slug
    name: Text
    text: Text
    sources: Cites = Field(min_length=1)


class RestartList(Model):
    intro: Text
    items: list[Text] = Field(min_length=1)


class Limitation(Model):
    years: int = Field(ge=1)
    text: Text
    restarts: RestartList
    practice: Text
    sources: Cites = Field(min_length=1)


class CreditItem(Model):
    id: Slug
    title: Text
    text: Text
    sources: Cites = Field(min_length=1)


class ComplaintChannel(Model):
    id: Slug
    name: Text
    contact: Text
    text: Text
    sources: Cites = Field(min_length=1)


class LegalFile(Model):
    malicious_overdraft: MaliciousOverdraft
    civil_routes: list[CivilRoute] = Field(min_length=1)
    limitation: Limitation
    credit_reporting: list[CreditItem] = Field(min_length=1)
    complaint_channels: list[ComplaintChannel] = Field(min_length=1)



# --- scripts ----------------------------------------------------------------


class ScriptForbidden(Model):
    """Something never to say; ``redline`` names the linter category that must flag it, if any."""

    text: Text
    why: Text
    redline: Slug | None = None
    sources: Cites = Field(min_length=1)


class Script(Model):
    id: Slug
    title: Text
    stages: list[Bucket] = Field(min_length=1)
    situation: Text
    say: list[Phrase] = Field(min_length=1)
    never_say: list[ScriptForbidden] = Field(min_length=1)
    rule: Text
    sources: Cites = Field(min_length=1)
    notes: list[Text] = []


# --- loading ----------------------------------------------------------------


def cite_text(cite: Cite) -> str:
    """The display text of a citation: the source's short name plus the article.

    An article (``第…``) follows the name directly; any other ``where`` is set
    off with “·” so the name and the section never run together.

    >>> cite_text(Cite(id="credit-reporting", where="第十六条"))
    '《征信业管理条例》第十六条'
    >>> cite_text(Cite(id="civil-procedure-law", where="督促程序一章"))
    '《民事诉讼法》·督促程序一章'
    """
    return cite_label(cite)


def _cites(obj: object, loc: tuple = ()) -> list[tuple[tuple, Cite]]:
    """Every citation anywhere inside a model, with its key path."""
    if isinstance(obj, Cite):
        return [(loc, obj)]
    if isinstance(obj, BaseModel):
        return [c for name in type(obj).model_fields for c in _cites(getattr(obj, name), loc + (name,))]
    if isinstance(obj, (list, tuple)):
        return [c for i, item in enumerate(obj) for c in _cites(item, loc + (i,))]
    return []


def _refs(path: Path, cites: list[Cite], loc: tuple = ()) -> list[dict[str, Any]]:
    """Resolve citations to ``{id, where, text}``; an unknown id is an error at its line."""
    for index, cite in enumerate(cites):
        problem = cite_problem(cite)
        if problem:
            where = loc + (index, "id")
            raise ProcedureFileError(path, [(_line(path, *where), ".".join(map(str, where)) or "sources", problem)])
    return [{"id": c.id, "where": c.where, "text": cite_text(c), "grade": c.grade, "note": c.note} for c in cites]


_CITES = TypeAdapter(list[Cite])


def _resolved(path: Path, raw: Any, loc: tuple) -> Any:
    """A list of citations as written (``{id, where, grade, note}``) → resolved sources for the engine's reader.

    Anything that is not a list is left for the reader to refuse (it names the field); a bad citation or an
    unknown source is reported at its line.
    """
    if not isinstance(raw, list):
        return raw
    try:
        cites = _CITES.validate_python(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = loc + tuple(error["loc"])
            problems.append((_line(path, *where), ".".join(map(str, where)), error["msg"]))
        raise ProcedureFileError(path, problems) from None
    return _refs(path, cites, loc)


def _check_cites(path: Path, model: BaseModel) -> None:
    for loc, cite in _cites(model):
        problem = cite_problem(cite)
        if problem:
            where = loc + ("id",)
            raise ProcedureFileError(path, [(_line(path, *where), ".".join(map(str, where)), problem)])


def _line(path: Path, *loc: Any) -> int:
    """The line of a key path in a YAML file (1 when the file cannot be read)."""
    try:
        _, lines = read_yaml(path)
    except Exception:  # the file was already parsed once; this only locates a message
        return 1
    return line_of(lines, loc)


def _stdlib(path: Path, build: Any, data: dict) -> Any:
    """Run a stdlib ``from_dict`` and report its error against the file.

    An item of a list is reported under the list's key (``parameters.unanswered_channels``, the line of a
    flow sequence); the message names the item.
    """
    try:
        return build(data)
    except CalculatorInputError as exc:
        field = re.sub(r"(\[\d+\])+$", "", exc.field) if re.search(r"\.[a-z_]+\[\d+\]$", exc.field) else exc.field
        loc = tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", field) if p)
        raise ProcedureFileError(path, [(_line(path, *loc), field, str(exc))]) from None


def _path(path: Path | str | None, default: Path) -> Path:
    return Path(path) if path is not None else default


@lru_cache(maxsize=None)
def _stages(path: Path) -> StageFile:
    model = load_model(path, StageFile)
    _check_cites(path, model)
    buckets = [s.bucket for s in model.stages]
    expected = [row[0] for row in M_BUCKETS]
    if buckets != expected:
        raise ProcedureFileError(path, [(_line(path, "stages"), "stages",
                                         f"buckets must be exactly {expected} in order (calculators.delinquency.M_BUCKETS), found {buckets}")])
    return model


def stages(path: Path | str | None = None) -> list[Stage]:
    """The stages M0–M7 in order.

    >>> [s.bucket for s in stages()][:3], stages()[1].procedure
    (['M0', 'M1', 'M2'], 'book/workflow/contact')
    """
    return list(_stages(_path(path, RULES_DIR / "stages.yml")).stages)


def stage_table(path: Path | str | None = None) -> list[dict[str, Any]]:
    """One row per stage with day ranges and class computed by :mod:`calculators.delinquency`.

    ``days_to`` is ``None`` for the open-ended last bucket; ``categories`` is
    the five-category class (or classes) the bucket's days fall in.

    >>> rows = stage_table()
    >>> [(r["bucket"], r["days_from"], r["days_to"], r["categories"]) for r in rows[3:5]]
    [('M3', 61, 90, ['关注']), ('M4', 91, 120, ['次级'])]
    >>> rows[-1]["days_to"] is None, rows[-1]["categories"]
    (True, ['损失'])
    """
    bounds = {code: (low, high) for code, low, high in M_BUCKETS}
    rows = []
    for stage in stages(path):
        low, high = bounds[stage.bucket]
        top = high if high is not None else low
        categories = []
        for name, _en, c_low, c_high in LOAN_CATEGORIES:
            if c_low <= top and (c_high is None or c_high >= low):
                categories.append(name)
        assert delinquency_bucket(low).bucket == stage.bucket  # the calculators' rule, not a copy
        rows.append({**stage.model_dump(mode="json"), "days_from": low, "days_to": high, "categories": categories})
    return rows


@lru_cache(maxsize=None)
def _conduct(path: Path) -> tuple[ConductFile, ConductRules]:
    data = read_file(path)
    if isinstance(data, dict) and isinstance(data.get("rules"), list):
        data = {**data, "rules": [{**raw, "sources": _resolved(path, raw.get("sources"), ("rules", index, "sources"))}
                                  if isinstance(raw, dict) else raw for index, raw in enumerate(data["rules"])]}
    engine = _stdlib(path, ConductRules.from_dict, data)
    return ConductFile(engine.parameters, tuple(engine.rules.values()), engine.unsupported), engine


def conduct(path: Path | str | None = None) -> ConductFile:
    """The conduct file as a model (for pages that render the rules).

    >>> [u.claim for u in conduct().unsupported]
    ['08:00–21:00 才可以催收']
    """
    return _conduct(_path(path, RULES_DIR / "conduct.yml"))[0]


def conduct_rules(path: Path | str | None = None) -> ConductRules:
    """The conduct rules as the stdlib object :func:`calculators.compliance.conduct.check_contact_plan` takes.

    >>> rules = conduct_rules()
    >>> rules.rule("quiet-hours").source_text
    'GB/T 45251-2025；2026 年银行业协会催收指引；本手册做法·同意夜间联系的四项限制'
    >>> rules.retention_years, rules.field_visit_min_collectors
    (2, 2)
    """
    return _conduct(_path(path, RULES_DIR / "conduct.yml"))[1]


@lru_cache(maxsize=None)
def _redlines(path: Path) -> RedlineRules:
    data = read_file(path)
    if isinstance(data, dict):
        data = dict(data)
        for key in ("redlines", "categories"):
            if isinstance(data.get(key), list):
                data[key] = [{**raw, "sources": _resolved(path, raw.get("sources"), (key, index, "sources"))}
                             if isinstance(raw, dict) else raw for index, raw in enumerate(data[key])]
    engine: RedlineRules = _stdlib(path, RedlineRules.from_dict, data)
    for key, count, rule in (("redlines", len(engine.redlines), "exactly 8 red lines (the 2026 CBA guideline)"),
                             ("negations", len(engine.negations), "at least one negation word"),
                             ("categories", len(engine.categories), "at least one linter category")):
        if (count != 8) if key == "redlines" else (count < 1):
            raise ProcedureFileError(path, [(_line(path, key), key, f"{rule}, found {count}")])
    return engine


def redlines_data(path: Path | str | None = None) -> RedlineRules:
    """The red-line file for pages: the same object as :func:`redlines` (patterns are kept as written, macros unexpanded).

    >>> redlines_data().macros["YOU"]
    '[你您侬]'
    """
    return _redlines(_path(path, RULES_DIR / "redlines.yml"))


def redlines(path: Path | str | None = None) -> RedlineRules:
    """The red lines and linter categories as the stdlib object :func:`calculators.compliance.redlines.lint` takes.

    >>> [r.id for r in redlines().redlines]
    ['privacy', 'abuse', 'impersonation', 'misleading', 'fees-or-borrowing', 'public-notice', 'private-device', 'enter-premises']
    """
    return _redlines(_path(path, RULES_DIR / "redlines.yml"))


@lru_cache(maxsize=None)
def _legal(path: Path) -> LegalFile:
    model = load_model(path, LegalFile)
    _check_cites(path, model)
    return model


def legal(path: Path | str | None = None) -> LegalFile:
    """The legal-escalation file as a model (for the legal pages).

    >>> legal().limitation.years, [c.contact for c in legal().complaint_channels][1:3]
    (3, ['12378', '12363'])
    """
    return _legal(_path(path, RULES_DIR / "legal.yml"))


def overdraft_rules(path: Path | str | None = None) -> OverdraftRules:
    """The stdlib thresholds object for :func:`calculators.compliance.overdraft.overdraft_exposure`.

    >>> overdraft_rules().sources[0].text
    '法释〔2009〕19号（2018 年修正）第七条'
    """
    file = _path(path, RULES_DIR / "legal.yml")
    mo = _legal(file).malicious_overdraft
    data = {
        "collections_required": mo.effective_collection.collections_required,
        "min_gap_days": mo.effective_collection.min_gap_days,
        "months_after": mo.unpaid_months,
        "bands": [{"name": b.name, "minimum": str(b.minimum)} for b in mo.bands],
        "history": [{"version": h.version, "bands": [{"name": b.name, "minimum": str(b.minimum)} for b in h.bands]} for h in mo.history],
        "sources": [{"id": c.id, "where": c.where, "text": cite_text(c)}
                    for c in (*mo.effective_collection.sources, *mo.window_sources, *mo.bands_sources, *mo.amount.sources)],
    }
    return _stdlib(file, OverdraftRules.from_dict, data)


@lru_cache(maxsize=None)
def _scripts(folder: Path) -> dict[str, Script]:
    items: dict[str, Script] = {}
    for path in sorted(folder.glob("*.yml")):
        script = load_model(path, Script)
        if script.id != path.stem:
            raise ProcedureFileError(path, [(_line(path, "id"), "id", f"must equal the file name {path.stem!r}")])
        _check_cites(path, script)
        items[script.id] = script
    return items


def scripts(folder: Path | str | None = None) -> dict[str, Script]:
    """The script library by id.

    >>> sorted(scripts())[:3]
    ['angry-customer', 'cannot-pay', 'card-stolen']
    """
    return dict(_scripts(_path(folder, SCRIPTS_DIR)))


def validate() -> int:
    """Load every rules, stages and script file and check the cross-references; returns the number of files.

    Checks: stage buckets equal ``calculators.delinquency.M_BUCKETS`` in order;
    every script a stage lists exists and lists that stage, and every stage a
    script lists links back to it; every cited source exists; every linter
    category's ``redline`` exists; every ``never_say`` tagged with a category
    names an existing category; every pattern's example is caught by its
    category.

    >>> validate() >= 13
    True
    """
    stage_list = stages()
    library = scripts()
    stage_file = RULES_DIR / "stages.yml"
    for s_index, stage in enumerate(stage_list):
        for i, script_id in enumerate(stage.scripts):
            if script_id not in library:
                raise ProcedureFileError(stage_file, [(_line(stage_file, "stages", s_index, "scripts", i), f"stages.{s_index}.scripts.{i}",
                                                       f"unknown script {script_id!r}; known: {sorted(library)}")])
            if stage.bucket not in library[script_id].stages:
                path = SCRIPTS_DIR / f"{script_id}.yml"
                raise ProcedureFileError(path, [(_line(path, "stages"), "stages",
                                                 f"{stage.bucket} lists this script but the script does not list {stage.bucket}")])
    for script in library.values():
        for bucket in script.stages:
            s_index = next(i for i, s in enumerate(stage_list) if s.bucket == bucket)
            if script.id not in stage_list[s_index].scripts:
                raise ProcedureFileError(stage_file, [(_line(stage_file, "stages", s_index, "scripts"), f"stages.{s_index}.scripts",
                                                       f"script {script.id!r} lists {bucket} but the stage does not list it")])
    conduct_rules()
    rules = redlines()
    overdraft_rules()
    legal()
    category_ids = {c.id for c in rules.categories}
    for script in library.values():
        for index, item in enumerate(script.never_say):
            if item.redline is not None and item.redline not in category_ids:
                path = SCRIPTS_DIR / f"{script.id}.yml"
                raise ProcedureFileError(path, [(_line(path, "never_say", index, "redline"), f"never_say.{index}.redline",
                                                 f"unknown linter category {item.redline!r}; known: {sorted(category_ids)}")])
    from calculators.compliance.redlines import lint

    red_file = RULES_DIR / "redlines.yml"
    for c_index, category in enumerate(rules.categories):
        for index, pattern in enumerate(category.patterns):
            if category.id not in {f.category for f in lint(pattern.example, rules)}:
                where = ("categories", c_index, "patterns", index, "example")
                raise ProcedureFileError(red_file, [(_line(red_file, *where), ".".join(map(str, where)),
                                                     f"the example {pattern.example!r} is not flagged as {category.id}")])
    return 4 + len(library)
