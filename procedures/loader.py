"""Load and validate the knowledge-base files; errors name the file, the line and the field."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, TypeVar

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


def _folder(name: str, model: type[M]) -> dict[str, M]:
    items = {}
    for path in sorted((ROOT / name).glob("*.yml")):
        item = load_model(path, model)
        if item.id != path.stem:
            raise ProcedureFileError(path, [(1, "id", f"must equal the file name {path.stem!r}")])
        items[item.id] = item
    return items


@lru_cache(maxsize=None)
def workflow() -> list[schema.Procedure]:
    """The workflow stages in order."""
    stages = sorted(_folder("workflow", schema.Procedure).values(), key=lambda p: p.order)
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
    return _folder("challenges", schema.Challenge)


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


def check_references() -> None:
    """Cross-file rules: cited sources exist; stage links point at stages; glossary terms are unique."""
    known = sources()
    documents = [(ROOT / "glossary.yml", glossary()), (ROOT / "role.yml", role()), (ROOT / "skills.yml", skills())]
    documents += [(ROOT / "workflow" / f"{p.id}.yml", p) for p in workflow()]
    documents += [(ROOT / "challenges" / f"{c.id}.yml", c) for c in challenges().values()]
    for path, document in documents:
        bad = sorted({c.id for c in iter_cites(document)} - set(known))
        if bad:
            raise ProcedureFileError(path, [(1, "sources", f"unknown source id(s) {bad}; known: {sorted(known)}")])
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


def validate_all() -> int:
    """Load every knowledge-base file and check cross-references; returns the number of files checked."""
    from . import exercises, rules  # the rules, scripts, stages and exercise files

    check_references()
    return 4 + len(workflow()) + len(challenges()) + rules.validate() + exercises.validate()


def search_terms() -> list[str]:
    """Glossary terms and aliases: the words the search must keep whole."""
    words = {w for t in glossary().terms for w in (t.term, *t.aliases)}
    return sorted(words, key=lambda w: (-len(w), w))
