"""Load and validate the knowledge-base files; errors name the file, the line and the field."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, TypeVar

from pydantic import BaseModel, ValidationError

from calculators.datafile import line_of, read_yaml, yaml_error_line

from . import schema

ROOT = Path(__file__).resolve().parent
M = TypeVar("M", bound=BaseModel)


class ProcedureFileError(ValueError):
    """A knowledge-base file is malformed: ``file:line: field: problem`` for each problem."""

    def __init__(self, path: Path, problems: list[tuple[int, str, str]]) -> None:
        self.path = path
        self.problems = problems
        text = "\n".join(f"{path}:{line}: {field}: {message}" for line, field, message in problems)
        super().__init__(text)


def read_file(path: Path | str) -> Any:
    """The parsed YAML of ``path``; a syntax error is a :class:`ProcedureFileError` at its line.

    >>> sorted(read_file(ROOT / "rules" / "conduct.yml"))
    ['parameters', 'rules', 'unsupported']
    """
    path = Path(path)
    try:
        return read_yaml(path)[0]
    except Exception as exc:  # YAML syntax or an impossible value (2021-02-30): report its position the same way
        raise ProcedureFileError(path, [(yaml_error_line(exc), "(file)", str(getattr(exc, "problem", None) or exc))]) from None


def load_model(path: Path | str, model: type[M]) -> M:
    """Parse ``path`` and validate it against ``model``.

    >>> role = load_model(ROOT / "role.yml", schema.Role)
    >>> len(role.duties) >= 3
    True
    """
    path = Path(path)
    try:
        data, lines = read_yaml(path)
    except Exception as exc:  # YAML syntax or an impossible value (2021-02-30): report its position the same way
        raise ProcedureFileError(path, [(yaml_error_line(exc), "(file)", str(getattr(exc, "problem", None) or exc))]) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            field = ".".join(str(part) for part in loc) or "(file)"
            problems.append((line_of(lines, loc), field, error["msg"]))
        raise ProcedureFileError(path, problems) from None


@lru_cache(maxsize=None)
def sources() -> dict[str, schema.Source]:
    """The cited documents by id."""
    return {s.id: s for s in load_model(ROOT / "sources.yml", schema.SourceList).sources}


@lru_cache(maxsize=None)
def glossary() -> schema.Glossary:
    return load_model(ROOT / "glossary.yml", schema.Glossary)


@lru_cache(maxsize=None)
def role() -> schema.Role:
    return load_model(ROOT / "role.yml", schema.Role)


@lru_cache(maxsize=None)
def skills() -> schema.Skills:
    return load_model(ROOT / "skills.yml", schema.Skills)


def read_folder(folder: Path, model: type[M]) -> dict[str, M]:
    """Every ``*.yml`` file of ``folder`` validated as ``model``, by id; each id must equal its file name.

    >>> sorted(read_folder(ROOT / "challenges", schema.Challenge)) == sorted(challenges())
    True
    """
    items = {}
    for path in sorted(folder.glob("*.yml")):
        item = load_model(path, model)
        if item.id != path.stem:
            raise ProcedureFileError(path, [(1, "id", f"must equal the file name {path.stem!r}")])
        items[item.id] = item
    return items


@lru_cache(maxsize=None)
def workflow() -> list[schema.Procedure]:
    """The workflow stages in order."""
    stages = sorted(read_folder(ROOT / "workflow", schema.Procedure).values(), key=lambda p: p.order)
    orders = [p.order for p in stages]
    if orders != list(range(1, len(stages) + 1)):
        raise ProcedureFileError(ROOT / "workflow", [(1, "order", f"stages must be numbered 1..{len(stages)}, found {orders}")])
    return stages


def procedure(stage_id: str) -> schema.Procedure:
    """One workflow stage by id (``understand``, ``contact``, ...)."""
    for stage in workflow():
        if stage.id == stage_id:
            return stage
    raise KeyError(f"no workflow stage {stage_id!r}; known: {[s.id for s in workflow()]}")


@lru_cache(maxsize=None)
def challenges() -> dict[str, schema.Challenge]:
    return read_folder(ROOT / "challenges", schema.Challenge)


def iter_cites(obj: object) -> Iterable[schema.Cite]:
    """Every citation anywhere inside a model."""
    if isinstance(obj, schema.Cite):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from iter_cites(getattr(obj, name))
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from iter_cites(item)


def cite_problem(cite: schema.Cite) -> str | None:
    """What is wrong with a citation (unknown source, or a grade above its source's), or ``None``.

    >>> cite_problem(schema.Cite(id="civil-code", where="第一百八十八条"))
    >>> cite_problem(schema.Cite(id="cba-2026", grade="H"))
    "citation of 'cba-2026' claims grade H above the source's grade M"
    """
    known = sources()
    if cite.id not in known:
        return f"unknown source id {cite.id!r}; known: {sorted(known)}"
    source_grade = known[cite.id].grade
    if cite.grade and schema.weaker(cite.grade, source_grade) != cite.grade:
        return f"citation of {cite.id!r} claims grade {cite.grade} above the source's grade {source_grade}"
    return None


def cite_grade(cite: schema.Cite) -> str:
    """The grade a reader sees for one citation: the source's, lowered by the citation's own.

    >>> cite_grade(schema.Cite(id="civil-code")), cite_grade(schema.Cite(id="civil-code", grade="M"))
    ('H', 'M')
    """
    source_grade = sources()[cite.id].grade
    return schema.weaker(cite.grade, source_grade) if cite.grade else source_grade


def cite_label(cite: schema.Cite) -> str:
    """A citation's name and section, set apart: an article (``第…``) follows the name, anything else after “·”.

    >>> cite_label(schema.Cite(id="credit-reporting", where="第十六条"))
    '《征信业管理条例》第十六条'
    >>> cite_label(schema.Cite(id="civil-procedure-law", where="督促程序一章"))
    '《民事诉讼法》·督促程序一章'
    """
    source = sources()[cite.id]
    if not cite.where:
        return source.short
    joiner = "" if cite.where.startswith(("第", "（")) else "·"
    return source.short + joiner + cite.where


def certainty(cite: schema.Cite) -> str:
    """How binding and how sure a citation is, as the reader sees it: ``〔司法解释｜H〕``.

    The binding kind (:data:`procedures.schema.BINDING_KINDS`), the grade
    (:func:`cite_grade`) and the citation's own note on what is unverified.

    >>> certainty(schema.Cite(id="credit-reporting", where="第十六条"))
    '〔行政法规·部门规章·规范性文件｜H〕'
    >>> certainty(schema.Cite(id="gbt-45251", note="条款号待核"))
    '〔推荐性国家标准（参照）｜M｜条款号待核〕'
    """
    source = sources()[cite.id]
    kind = source.binding or "机构信息（非规则）"
    note = f"｜{cite.note}" if cite.note else ""
    return f"〔{kind}｜{cite_grade(cite)}{note}〕"


@lru_cache(maxsize=None)
def review_log() -> schema.ReviewLog:
    """The 2026-11 content-review log (one decision per finding id)."""
    return load_model(ROOT / "review-log.yml", schema.ReviewLog)


def check_references() -> None:
    """Cross-file rules: cited sources exist and no citation raises its source's grade; stage links point at stages; glossary terms are unique."""
    documents = [(ROOT / "glossary.yml", glossary()), (ROOT / "role.yml", role()), (ROOT / "skills.yml", skills())]
    documents += [(ROOT / "workflow" / f"{p.id}.yml", p) for p in workflow()]
    documents += [(ROOT / "challenges" / f"{c.id}.yml", c) for c in challenges().values()]
    if (ROOT / "review-log.yml").exists():
        documents.append((ROOT / "review-log.yml", review_log()))
    for path, document in documents:
        problems = sorted({p for p in map(cite_problem, iter_cites(document)) if p})
        if problems:
            raise ProcedureFileError(path, [(1, "sources", problem) for problem in problems])
    stage_ids = {p.id for p in workflow()}
    for stage in workflow():
        missing = sorted(set(stage.next) - stage_ids)
        if missing:
            raise ProcedureFileError(ROOT / "workflow" / f"{stage.id}.yml", [(1, "next", f"unknown stage(s) {missing}")])
    seen: set[str] = set()
    for term in glossary().terms:
        for word in (term.term, *term.aliases):
            if word in seen:
                raise ProcedureFileError(ROOT / "glossary.yml", [(1, "terms", f"{word!r} appears twice")])
            seen.add(word)


def search_terms() -> list[str]:
    """Glossary terms and aliases: the words the search must keep whole."""
    words = {w for t in glossary().terms for w in (t.term, *t.aliases)}
    return sorted(words, key=lambda w: (-len(w), w))
