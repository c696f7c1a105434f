"""Case role-plays as data: models, loading with file:line errors, answer keys checked by the tools, pages and widgets.

One case per file, ``procedures/cases/<id>.yml``, validated by :class:`Case`;
a trainer adds a case by adding a file (no code).  A case takes a trainee
through the five workflow stages (``procedures/workflow/*.yml``), one step or
more each.  Step kinds (graded by :mod:`calculators.ui.roleplay`):

``choose``
    options, each ``correct`` or not with ``why``; an option with an
    ``attempt`` (the contact-plan checker's input form) must agree with the
    checker, run on the case's ``history`` plus that attempt: correct exactly
    when the checker finds no violation in it;
``say``
    the trainee types a reply; ``model`` must pass the red-line linter and
    mention each group in ``mention``;
``figure``
    a figure computed by a calculators function (as compute exercises);
``plan``
    a 个性化分期: ``debt`` and what the customer can pay a month (``afford``);
    the model answer is the fewest periods within ``afford`` and the profile's
    ``negotiated_max_periods``.

Every step states its ``rule`` and cites ``sources`` (ids of ``procedures/sources.yml``).
"""

from __future__ import annotations

import html
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from calculators import handbook_terms, negotiated_plan
from calculators.compliance.conduct import check_contact_plan
from calculators.compliance.redlines import lint as lint_script
from calculators.terms import Terms

from . import exercises, loader, rules
from .exercises import LETTERS, ComputeExercise, LogEntry
from .loader import ROOT, ProcedureFileError, load_model
from .practice import attribute_json
from .render import fill_profile, page_info
from .schema import Cite, Model, Reviewed, Slug, Text

__all__ = ["CASES_DIR", "STAGES", "Case", "load_path", "load", "cases", "validate", "case_key", "case_markdown",
           "cases_table"]

CASES_DIR = ROOT / "cases"
#: The five workflow stages, in order (ids of procedures/workflow/*.yml) and their names.
STAGES = {"understand": "了解账户", "contact": "联系客户", "plan": "协商方案", "follow-up": "跟进履约", "legal": "法律程序"}


class Mention(Model):
    """Words of which a reply must contain at least one, and why (shown when missing)."""

    words: list[Text] = Field(min_length=1)
    why: Text


class Option(Model):
    text: Text
    why: Text
    correct: bool = False
    attempt: dict[str, Any] | None = None  # the contact-plan checker's input form, as in spot exercises (without note)


class Step(Model):
    id: Slug
    stage: Literal[tuple(STAGES)]  # type: ignore[valid-type]
    kind: Literal["choose", "say", "figure", "plan"]
    title: Text
    situation: Text  # for figure steps a template with {argument} placeholders, as compute exercises
    rule: Text
    sources: list[Cite] = Field(min_length=1)
    options: list[Option] = []
    mention: list[Mention] = []
    model: Text | None = None  # say: the model reply
    function: str | None = None  # figure
    args: dict[str, Any] = {}
    ask: str | None = None
    debt: dict[str, Decimal] = {}  # plan: principal, interest, fees, late_fees
    afford: Decimal | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> "Step":
        if self.kind == "choose":
            if not 2 <= len(self.options) <= len(LETTERS) or sum(o.correct for o in self.options) != 1:
                raise ValueError("a choose step needs 2 to 6 options, exactly one of them correct: true")
        elif self.kind == "say":
            if not self.model:
                raise ValueError("a say step needs model (a reply that passes the linter)")
        elif self.kind == "figure":
            if not (self.function and self.ask):
                raise ValueError("a figure step needs function, args and ask (as a compute exercise)")
        elif "principal" not in self.debt or self.afford is None:
            raise ValueError("a plan step needs debt.principal and afford (what the customer can pay a month)")
        return self


class Case(Reviewed):
    """One role-play (``procedures/cases/<id>.yml``)."""

    id: Slug
    title: Text
    persona: Text
    history: list[LogEntry] = []  # earlier contact attempts, for the contact-plan checker
    steps: list[Step] = Field(min_length=5)

    @model_validator(mode="after")
    def _stages(self) -> "Case":
        missing = [s for s in STAGES if s not in {step.stage for step in self.steps}]
        if missing:
            raise ValueError(f"a case goes through all five workflow stages; missing: {missing}")
        order = [list(STAGES).index(step.stage) for step in self.steps]
        if order != sorted(order):
            raise ValueError(f"steps must follow the workflow order {list(STAGES)}")
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError(f"step ids must be unique: {ids}")
        return self


def _line(path: Path, *loc: Any) -> int:
    from calculators.datafile import line_of, read_yaml

    return line_of(read_yaml(path)[1], loc)


def _compute(step: Step) -> ComputeExercise:
    return ComputeExercise(kind="compute", id=step.id, title=step.title, question=step.situation, function=step.function,
                           args=step.args, ask=step.ask)


def _model_periods(step: Step, terms: Terms) -> int | None:
    for periods in range(1, terms.negotiated_max_periods + 1):
        plan = negotiated_plan(step.debt["principal"], periods, terms, interest=step.debt.get("interest", 0),
                               fees=step.debt.get("fees", 0), late_fees=step.debt.get("late_fees", 0))
        if max(row.payment for row in plan.rows) <= step.afford:
            return periods
    return None


def step_problems(case: Case, step: Step, terms: Terms | None = None) -> list[str]:
    """What is wrong with one step's key: the tools must agree with it (empty list when they do)."""
    terms = handbook_terms() if terms is None else terms
    found = []
    if step.kind == "choose":
        history = [entry.attempt() for entry in case.history]
        for letter, option in zip(LETTERS, step.options):
            if option.attempt is None:
                continue
            try:
                attempt = LogEntry(**option.attempt, note=option.text).attempt()
            except Exception as error:  # noqa: BLE001 - a pydantic error: report it as data
                found.append(f"option {letter}: attempt is not a valid contact attempt: {error}")
                continue
            violations = [v for v in check_contact_plan(history + [attempt], rules.conduct_rules()) if v.index == len(history)]
            if option.correct and violations:
                found.append(f"option {letter} is marked correct but the checker finds {[v.rule_id for v in violations]}")
            if not option.correct and not violations:
                found.append(f"option {letter} is marked wrong but the checker finds no violation in its attempt")
    elif step.kind == "say":
        findings = lint_script(step.model, rules.redlines())
        if findings:
            found.append(f"model crosses a red line: {[f.text for f in findings]}")
        for group in step.mention:
            if not any(word in step.model for word in group.words):
                found.append(f"model does not mention any of {group.words}")
    elif step.kind == "figure":
        try:
            exercises.solve(_compute(step), terms)
        except Exception as error:  # noqa: BLE001 - the calculators' input error
            found.append(f"the calculator rejects the arguments: {error}")
    elif _model_periods(step, terms) is None:
        found.append(f"no plan of at most {terms.negotiated_max_periods} periods fits afford={step.afford} (profile "
                     f"{terms.code} ends negotiated plans at {terms.negotiated_max_periods} periods: raise afford or lower "
                     "the debt in this case for it)")
    return [f"{step.id}: {p}" for p in found]


@lru_cache(maxsize=None)
def load_path(path: Path | str) -> Case:
    """Load one case and check it: sources exist, the id equals the file name, every step key agrees with the tools."""
    path = Path(path)
    case = load_model(path, Case)
    if case.id != path.stem:
        raise ProcedureFileError(path, [(_line(path, "id"), "id", f"must equal the file name {path.stem!r}")])
    known = loader.sources()
    for index, step in enumerate(case.steps):
        for c_index, c in enumerate(step.sources):
            if c.id not in known:
                where = ("steps", index, "sources", c_index, "id")
                raise ProcedureFileError(path, [(_line(path, *where), ".".join(map(str, where)),
                                                 f"unknown source id {c.id!r}; known: {sorted(known)}")])
        found = step_problems(case, step)
        if found:
            raise ProcedureFileError(path, [(_line(path, "steps", index), f"steps.{index}", p) for p in found])
    return case


def cases() -> list[Case]:
    """Every case, by file name.

    >>> len(cases()) >= 5
    True
    """
    return [load_path(path) for path in sorted(CASES_DIR.glob("*.yml"))]


def load(case_id: str) -> Case:
    """One case by id."""
    path = CASES_DIR / f"{case_id}.yml"
    if not path.is_file():
        raise KeyError(f"no case {case_id!r}; known: {[p.stem for p in sorted(CASES_DIR.glob('*.yml'))]}")
    return load_path(path)


def validate(folder: Path | str | None = None) -> int:
    """Load every case file (step ids unique across cases); returns the number of files.

    >>> validate() == len(cases())
    True
    """
    folder = CASES_DIR if folder is None else Path(folder)
    seen: dict[str, Path] = {}
    paths = sorted(folder.glob("*.yml"))
    for path in paths:
        case = load_path(path)
        for index, step in enumerate(case.steps):
            if step.id in seen:
                raise ProcedureFileError(path, [(_line(path, "steps", index, "id"), f"steps.{index}.id",
                                                 f"step id {step.id!r} is already used in {seen[step.id].name}")])
            seen[step.id] = path
    return len(paths)


# --- keys, pages, widgets ------------------------------------------------------------------------------------------


def _cite_ids(cites: list[Cite]) -> list[str]:
    return [f"{c.id}{'·' + c.where if c.where else ''}" for c in cites]


def _situation(step: Step, terms: Terms) -> str:
    if step.kind == "figure":
        return exercises.question_text(_compute(step), terms)
    return step.situation


def _step_key(case: Case, step: Step, terms: Terms) -> dict[str, Any]:
    key: dict[str, Any] = {"id": step.id, "kind": step.kind, "title": step.title, "stage": step.stage,
                           "situation": fill_profile(_situation(step, terms), terms),
                           "rule": fill_profile(step.rule, terms), "sources": _cite_ids(step.sources),
                           "cited": [rules.cite_text(c) for c in step.sources]}
    if step.kind == "choose":
        key["options"] = {letter: {"text": o.text, "ok": o.correct, "notes": [] if o.correct else [o.why]}
                          for letter, o in zip(LETTERS, step.options)}
        correct = next(o for o in step.options if o.correct)
        key["model"] = f"{correct.text}（{correct.why}）"
    elif step.kind == "say":
        key["mention"] = [{"words": g.words, "why": g.why} for g in step.mention]
        key["model"] = step.model
    elif step.kind == "figure":
        solution = exercises.solve(_compute(step), terms)
        key.update(value=str(solution.value), shown=solution.shown,
                   model=f"{solution.shown}。" + " ".join(line.lstrip("- ") for line in solution.working))
    else:
        periods = _model_periods(step, terms)
        key.update(debt={k: str(v) for k, v in step.debt.items()}, afford=str(step.afford), model_periods=periods,
                   model=f"{periods} 期左右：这是每期还款不超过客户能力（每月 {step.afford:,.2f} 元）的最少期数，"
                         f"且不超过个性化分期最长 {terms.negotiated_max_periods} 期。")
    return key


def case_key(case: Case, terms: Terms | None = None) -> dict[str, Any]:
    """The JSON-ready key :mod:`calculators.ui.roleplay` grades a case with.

    >>> key = case_key(cases()[0])
    >>> len(key["steps"]) >= 5 and {s["stage"] for s in key["steps"]} == set(STAGES)
    True
    """
    terms = handbook_terms() if terms is None else terms
    return {"id": case.id, "title": case.title, "steps": [_step_key(case, s, terms) for s in case.steps]}


def _input(step_key: dict[str, Any], dom: str) -> str:
    ident = html.escape(step_key["id"])
    # One description (the error message ``dom``) for the whole group, and the form's autocomplete="off" covers its
    # fields: a page stays no heavier than a calculator page (issue 13).
    if step_key["kind"] == "choose":
        return (f'<fieldset aria-describedby="{dom}"><legend>你的做法</legend>' + "".join(
            f'<label><input type="radio" value="{letter}" name="answer" data-exercise="{ident}"> {letter}</label>'
            for letter in step_key["options"]) + "</fieldset>")
    label, hint = {"say": ("你会怎么说", ""), "figure": ("你的答案（元）", ' placeholder="例如 40.00" inputmode="decimal"'),
                   "plan": ("你建议的期数", ' placeholder="例如 24" inputmode="numeric"')}[step_key["kind"]]  # say: the prompt says it
    return (f'<label>{label}<input type="text"{hint} data-exercise="{ident}" '
            f'aria-describedby="{dom}"></label>')


def _step_form(step_key: dict[str, Any], number: int) -> str:
    """Step ``number``'s answer form; its error message's id is ``hbe<number>`` (unique on the case's page)."""
    ident = html.escape(step_key["id"])
    dom = f"hbe{number}"
    return (f'<div class="hb-exercise hb-step" data-step-box="{ident}">'
            f'<form autocomplete="off" onsubmit="return false">{_input(step_key, dom)}'
            f'<button type="button" data-exercise-submit="{ident}">提交</button>'
            f'<span class="hb-error" id="{dom}" role="alert"></span></form>'
            f'<div class="hb-verdict" data-verdict-for="{ident}" aria-live="polite"></div></div>')


def _step_markdown(number: int, step: Step, step_key: dict[str, Any], terms: Terms) -> str:
    head = f"### 第 {number} 步·{STAGES[step.stage]}：{step.title}\n\n{_situation(step, terms)}\n\n"
    asked = _situation(step, terms).rstrip().endswith("？")  # the situation asks already: no second prompt
    if step.kind == "choose":
        head += ("" if asked else "你怎么做？\n\n") + "\n".join(f"- **{letter}**．{o.text}" for letter, o in zip(LETTERS, step.options)) + "\n\n"
    elif step.kind == "say":
        head += "写下你对客户说的话。\n\n" if asked else "你会怎么说？写下你对客户说的话。\n\n"
    elif step.kind == "plan":
        debt = "、".join(f"{ {'principal': '本金', 'interest': '利息', 'fees': '费用', 'late_fees': '违约金'}[k]} {v:,.2f} 元"
                        for k, v in step.debt.items())
        head += f"欠款：{debt}；客户说每月最多能还 {step.afford:,.2f} 元。你建议分多少期？\n\n"
    # A choose step's model answer is its ✔ option (text above, reason below): not written out twice.
    lines = [] if step.kind == "choose" else [f"**参考做法**：{step_key['model']}"]
    if step.kind == "choose":
        lines += [f"- **{letter}**（{'✔' if o.correct else '✘'}）：{o.why}" for letter, o in zip(LETTERS, step.options)]
    lines.append(f"**规则**：{step.rule}")
    lines.append("出处：" + "；".join(rules.cite_text(c) for c in step.sources) + "。")
    answer = ":::{admonition} 参考做法与规则\n:class: dropdown\n\n" + "\n\n".join(lines) + "\n:::\n"
    return head + _step_form(step_key, number) + "\n\n" + answer


#: Step fields a case page shows in its text (the title and stage in the step's heading, the situation, and the model
#: answer and rule in the folded answer), or that grading does not use (the stage): left out of the page's key
#: (issue 13: a page no heavier than a calculator page).
PAGE_SHOWN = ("situation", "model", "rule", "title", "stage")


def case_markdown(case: Case, terms: Terms | None = None) -> str:
    """A case page: who the customer is, every step with its answer form and folded model answer, the debrief."""
    terms = handbook_terms() if terms is None else terms
    key = case_key(case, terms)
    parts = [page_info(case, f"procedures/cases/{case.id}.yml"), f"**人物与账户（虚构）**：{case.persona}"]
    if case.history:
        parts.append("**此前的联系记录：**\n\n" + "\n".join(
            f"- {e.time.month} 月 {e.time.day} 日 {e.time:%H:%M}：{e.note}" for e in case.history))
    # The page states the situations, options, model answers and rules already: the grading key on the page leaves
    # them out, and book/_static/practice.js takes the model answer and rule back from each step's folded answer.
    slim = {"steps": [{k: v for k, v in step.items() if k not in PAGE_SHOWN} for step in key["steps"]]}  # id, title: data-case, h1
    for step in slim["steps"]:
        if "options" in step:
            # The letters are the form's radio buttons, the notes the folded answer's lines: only the right letter.
            step["correct"] = next(letter for letter, o in step.pop("options").items() if o["ok"])
    parts.append(f'<div class="hb-roleplay" data-case="{html.escape(case.id)}" data-key=\'{attribute_json(slim)}\'>'
                 '<p class="hb-status">引擎加载后可在每一步下作答（本机检查，不联网）；加载前可展开各步的参考做法核对。</p></div>')
    parts += [_step_markdown(i, s, k, terms) for i, (s, k) in enumerate(zip(case.steps, key["steps"]), 1)]
    parts.append("### 复盘\n\n"
                 f'<div class="hb-debrief"><button type="button" data-debrief-submit="{html.escape(case.id)}">查看复盘</button>'
                 f'<div data-debrief-for="{html.escape(case.id)}" aria-live="polite"><p class="hb-status">'
                 '走完各步后点“查看复盘”：做得好的、越线或不妥的，各有规则和出处。</p></div></div>')
    return "\n\n".join(parts) + "\n"


def cases_table() -> str:
    """The cases, as a Markdown table with links (the part's index page)."""
    rows = [f"| {{doc}}`{c.title} <{c.id}>` | {len(c.steps)} | {'、'.join(dict.fromkeys(STAGES[s.stage] for s in c.steps))} |"
            for c in cases()]
    return "| 案例 | 步数 | 经过的环节 |\n|---|---:|---|\n" + "\n".join(rows) + "\n"
