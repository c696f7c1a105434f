"""Chapter exercises with self-check: data models, loading, rendering, and answer keys checked by the tools.

One file per chapter, ``procedures/exercises/<chapter>.yml`` (``role``,
``workflow``, ``challenges``, ``rules``, ``calc``), validated by
:class:`ExerciseSet`; a malformed file raises
:class:`procedures.loader.ProcedureFileError` naming the file, the line and the
field.  Three kinds of exercise:

``compute``
    A fee, interest or plan case stated in Chinese.  The data names a
    calculators function (:data:`FUNCTIONS`), its arguments and the quantity
    asked; the question is a template whose ``{placeholders}`` are filled from
    the arguments, so the figures stated always equal the figures computed.  The
    answer is **computed** with the build's terms profile
    (:func:`calculators.handbook_terms`), with the working; ``expected`` may pin
    the answer per profile code (``{cmb: "50.00"}``) and is checked whenever that
    profile is used.
``choice``
    Pick the compliant reply.  Exactly one option is correct and every wrong
    option says why.  The key is verified by the red-line linter: the correct
    option has no finding, every option marked ``redline: true`` has at least one.
``spot``
    A fictional contact log in the input form of
    :func:`calculators.compliance.conduct.check_contact_plan` (plus a Chinese ``note`` per
    attempt).  The key lists ``(attempt number, rule id)`` pairs and must equal
    exactly what the checker finds with :func:`procedures.rules.conduct_rules`.

A chapter's exercises are shown on one or more site pages of at most
:data:`MAX_PER_PAGE` questions: each exercise may say ``page: n`` (default 1;
pages numbered from 1, in the file's order, none skipped).  Page ``1`` is
``book/<chapter>/exercises`` (page id ``<chapter>``), page ``n`` is
``book/<chapter>/exercises-<n>`` (page id ``<chapter>-<n>``); exercises are
numbered through the chapter, so 练习 5 keeps its number on page 2 (a page
stays no heavier than a calculator page, issue 13).

Pages call :func:`exercises_markdown` (answers in ``dropdown`` admonitions) and
assert ``problems(...) == []`` in a hidden cell; ``tests/test_exercises.py``
runs the same checks for every file and every profile an ``expected`` names.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Callable, ClassVar, Literal, Mapping, Union

from pydantic import ConfigDict, Field, model_validator

from calculators import (bundled_profiles, handbook_terms, installment_plan, late_fee, load_terms, minimum_payment,
                         negotiated_plan, overdue_projection, revolving_interest)
from calculators.compliance.conduct import CHANNELS, CHECKED_RULES, CONTENTS, PERSONS, WARNING_RULES, Attempt, check_contact_plan
from calculators.display import percent, yuan
from calculators.errors import CalculatorInputError
from calculators.money import ZERO, round_fen
from calculators.compliance.redlines import lint
from calculators.terms import Terms

from . import loader, rules
from .loader import ROOT, ProcedureFileError, load_model
from .render import page_info
from .schema import Cite, Model, Reviewed, Slug, Text

__all__ = [
    "EXERCISES_DIR", "CHAPTERS", "FUNCTIONS",
    "ComputeExercise", "ChoiceExercise", "SpotExercise", "ExerciseSet", "Solution",
    "load", "load_path", "solve", "check_exercise", "problems", "profile_problems", "validate",
    "question_text", "exercise_markdown", "exercises_markdown",
    "MAX_PER_PAGE", "on_page", "page_id", "split_page_id", "page_doc", "page_count", "page_ids",
]

EXERCISES_DIR = ROOT / "exercises"
#: The chapters that end with an exercises page, and their names.
CHAPTERS: Mapping[str, str] = {
    "role": "岗位认知", "workflow": "工作流程", "challenges": "常见挑战", "rules": "规则与合规", "calc": "计算器",
}
LETTERS = "ABCDEF"
#: The most questions one exercises page shows (more: the chapter's file puts some on a next ``page``).
MAX_PER_PAGE = 3


# --- the calculators functions a compute exercise may use ---------------------------------------------------------


@dataclass(frozen=True)
class _Function:
    """A calculators function: its arguments (name → kind), the required ones, and the quantities it can answer."""

    args: Mapping[str, str]  # kind: amount | date | int | rate | dated | waivers
    required: tuple[str, ...]
    asks: Mapping[str, str]  # quantity -> Chinese label


_A, _D, _I, _R = "amount", "date", "int", "rate"
#: The functions compute exercises may name, with their arguments and the quantities they answer.
FUNCTIONS: Mapping[str, _Function] = {
    "late_fee": _Function({"minimum_due": _A, "paid": _A, "statement_balance": _A}, ("minimum_due", "paid"),
                          {"late_fee": "违约金"}),
    "minimum_payment": _Function({"general": _A, "installment_due": _A, "previous_unpaid_minimum": _A, "over_limit": _A,
                                  "fees": _A, "interest": _A}, ("general",), {"minimum_payment": "最低还款额"}),
    "revolving_interest": _Function({"purchases": "dated", "payments": "dated", "statement_date": _D, "due_date": _D,
                                     "next_statement_date": _D},
                                    ("purchases", "payments", "statement_date", "due_date", "next_statement_date"),
                                    {"interest": "下期账单的利息"}),
    "installment_plan": _Function({"principal": _A, "periods": _I, "monthly_fee_rate": _R},
                                  ("principal", "periods", "monthly_fee_rate"),
                                  {"fee_per_period": "每期手续费", "first_payment": "首期还款额", "total_fee": "总手续费",
                                   "apr": "年化利率（IRR 法）"}),
    "negotiated_plan": _Function({"principal": _A, "periods": _I, "interest": _A, "fees": _A, "late_fees": _A,
                                  "waivers": "waivers", "down_payment": _A, "days_past_due": _I, "monthly_fee_rate": _R,
                                  "annual_interest_rate": _R}, ("principal", "periods"),
                                 {"first_payment": "首期还款额", "last_payment": "末期还款额", "total_payment": "合计还款额",
                                  "total_fee": "总费用"}),
    "overdue_projection": _Function({"statement_balance": _A, "minimum_due": _A, "statement_date": _D, "due_date": _D,
                                     "cycles": _I, "payments": "dated", "posting_date": _D},
                                    ("statement_balance", "minimum_due", "statement_date", "due_date", "cycles"),
                                    {"total_interest": "累计利息", "total_late_fees": "累计违约金",
                                     "final_balance": "最后一期账单的欠款合计", "final_bucket": "最后一期账单日的账龄"}),
}
_WAIVABLE = {"interest": "利息", "fees": "费用", "late_fees": "违约金"}
_TEXT_QUANTITIES = {"final_bucket"}
_RATE_QUANTITIES = {"apr"}


# --- data models ------------------------------------------------------------------------------------------------


class Paged(Model):
    """What every exercise kind has besides its own fields: the site page of its chapter it is shown on."""

    page: int = Field(default=1, ge=1)


class ComputeExercise(Paged):
    """A calculation; the answer is computed, never written in the data (``expected`` only pins it per profile)."""

    kind: Literal["compute"]
    id: Slug
    title: Text
    question: Text  # a template: {argument} placeholders are filled from ``args``; {issuer} is the profile's issuer
    function: Literal[tuple(FUNCTIONS)]  # type: ignore[valid-type]
    args: dict[str, Any]
    ask: Text
    expected: dict[Slug, Text] = {}
    sources: list[Cite] = []

    @model_validator(mode="after")
    def _arguments(self) -> "ComputeExercise":
        spec = FUNCTIONS[self.function]
        unknown = sorted(set(self.args) - set(spec.args))
        if unknown:
            raise ValueError(f"{self.function} has no argument(s) {unknown}; allowed: {sorted(spec.args)}")
        missing = [name for name in spec.required if name not in self.args]
        if missing:
            raise ValueError(f"{self.function} needs the argument(s) {missing}")
        if self.ask not in spec.asks:
            raise ValueError(f"ask={self.ask!r}: {self.function} answers one of {sorted(spec.asks)}")
        fields = {name for _, name, _, _ in string.Formatter().parse(self.question) if name}
        unknown = sorted(fields - set(self.args) - {"issuer"})
        if unknown:
            raise ValueError(f"question: placeholder(s) {unknown} are not arguments; use {sorted(self.args) + ['issuer']}")
        return self


class Option(Model):
    """One reply to choose from; ``why`` explains it; ``redline: true`` means the linter must flag it."""

    text: Text
    why: Text
    correct: bool = False
    redline: bool = False


class ChoiceExercise(Paged):
    kind: Literal["choice"]
    id: Slug
    title: Text
    situation: Text
    question: Text
    options: list[Option] = Field(min_length=3, max_length=len(LETTERS))
    sources: list[Cite] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_correct(self) -> "ChoiceExercise":
        correct = [i for i, o in enumerate(self.options) if o.correct]
        if len(correct) != 1:
            raise ValueError(f"exactly one option must be correct, found {len(correct)}")
        if self.options[correct[0]].redline:
            raise ValueError("the correct option cannot be marked redline")
        return self


@dataclass(frozen=True, kw_only=True)
class LogEntry(Attempt):
    """One attempt of a contact log: an :class:`calculators.compliance.conduct.Attempt` plus a Chinese ``note``.

    The attempt's fields are declared once, on ``Attempt``; pydantic validates this dataclass from the YAML
    (the vocabularies are ``Literal`` types, so a bad channel is reported at its line), then
    ``__post_init__`` runs the engine's own checks (local time, visit flags, whole numbers).

    >>> entry = LogEntry(time="2026-03-02T21:30", channel="phone", method=" 手机1 ", person="debtor", answered=False,
    ...                  content="reminder", note="晚间提醒")
    >>> entry.attempt()["time"], entry.attempt()["method"], "note" in entry.attempt()
    (datetime.datetime(2026, 3, 2, 21, 30), '手机1', False)
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    note: Text

    def __post_init__(self) -> None:
        checked = self.checked("log entry")
        object.__setattr__(self, "time", checked.time)
        object.__setattr__(self, "method", checked.method)

    def attempt(self) -> dict[str, Any]:
        """The checker's input form (every field but ``note``)."""
        return {f.name: getattr(self, f.name) for f in fields(Attempt)}


class Breach(Model):
    """One line of a spot exercise's key: attempt number (1-based, as shown), rule id, and why."""

    attempt: int = Field(ge=1)
    rule: Literal[CHECKED_RULES]  # type: ignore[valid-type]
    why: Text


class Caution(Model):
    """One warning in a spot exercise's key: attempt number, warning rule id, and why it is not reasonable."""

    attempt: int = Field(ge=1)
    rule: Literal[WARNING_RULES]  # type: ignore[valid-type]
    why: Text


class SpotExercise(Paged):
    kind: Literal["spot"]
    id: Slug
    title: Text
    situation: Text
    question: Text = "这份联系记录中，哪几条违反了哪条规则？"
    log: list[LogEntry] = Field(min_length=2)
    answer: list[Breach] = Field(min_length=1)
    cautions: list[Caution] = []  # the checker's warnings: under the caps, but not reasonable
    sources: list[Cite] = Field(min_length=1)

    @model_validator(mode="after")
    def _attempts_exist(self) -> "SpotExercise":
        for breach in [*self.answer, *self.cautions]:
            if breach.attempt > len(self.log):
                raise ValueError(f"answer: attempt {breach.attempt} does not exist (the log has {len(self.log)})")
        return self


Exercise = Annotated[Union[ComputeExercise, ChoiceExercise, SpotExercise], Field(discriminator="kind")]


class ExerciseSet(Reviewed):
    """One chapter's exercises (``procedures/exercises/<chapter>.yml``)."""

    chapter: Literal[tuple(CHAPTERS)]  # type: ignore[valid-type]
    intro: Text
    exercises: list[Exercise] = Field(min_length=3)

    @model_validator(mode="after")
    def _unique_ids(self) -> "ExerciseSet":
        ids = [e.id for e in self.exercises]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"exercise ids must be unique, repeated: {duplicates}")
        return self

    @model_validator(mode="after")
    def _pages(self) -> "ExerciseSet":
        pages = [e.page for e in self.exercises]
        if pages[0] != 1 or any(b - a not in (0, 1) for a, b in zip(pages, pages[1:])):
            raise ValueError(f"exercise pages must run 1, 2, … in the file's order with none skipped, found {pages}")
        crowded = sorted({p for p in pages if pages.count(p) > MAX_PER_PAGE})
        if crowded:
            raise ValueError(f"at most {MAX_PER_PAGE} exercises per page (put the next ones on the next page), "
                             f"too many on page {crowded}")
        return self


# --- loading ----------------------------------------------------------------------------------------------------


def _untagged(path: Path, line: int, field: str, message: str) -> tuple[int, str, str]:
    """Drop the exercise kind pydantic puts in the location (``exercises.2.spot.log.0``) and find the exact line.

    >>> _untagged(EXERCISES_DIR / "rules.yml", 1, "exercises.1.spot.log.0.channel", "bad")[1:]
    ('exercises.1.log.0.channel', 'bad')
    """
    parts = field.split(".")
    if len(parts) > 2 and parts[0] == "exercises" and parts[2] in ("compute", "choice", "spot"):
        del parts[2]
        loc = tuple(int(p) if p.isdigit() else p for p in parts)
        return _line(path, *loc), ".".join(parts), message
    return line, field, message


def _line(path: Path, *loc: Any) -> int:
    from calculators.datafile import line_of, read_yaml

    return line_of(read_yaml(path)[1], loc)


@lru_cache(maxsize=None)
def load_path(path: Path | str) -> ExerciseSet:
    """Load and validate one exercises file; every error names the file, the line and the field.

    Beyond the model: the chapter equals the file name, every cited source
    exists, and every compute exercise runs with the handbook's profile (a bad
    argument is reported at its line).
    """
    path = Path(path)
    try:
        model = load_model(path, ExerciseSet)
    except ProcedureFileError as error:
        raise ProcedureFileError(path, [_untagged(path, *problem) for problem in error.problems]) from None
    if model.chapter != path.stem:
        raise ProcedureFileError(path, [(_line(path, "chapter"), "chapter", f"must equal the file name {path.stem!r}")])
    known = loader.sources()
    for index, exercise in enumerate(model.exercises):
        for c_index, c in enumerate(exercise.sources):
            if c.id not in known:
                where = ("exercises", index, "sources", c_index, "id")
                raise ProcedureFileError(path, [(_line(path, *where), ".".join(map(str, where)),
                                                 f"unknown source id {c.id!r}; known: {sorted(known)}")])
        if isinstance(exercise, ComputeExercise):
            try:
                solve(exercise)
            except CalculatorInputError as exc:
                name = exc.field.split("[")[0].split(".")[0]
                where = ("exercises", index, "args", name)
                raise ProcedureFileError(path, [(_line(path, *where), ".".join(map(str, where)), str(exc))]) from None
    return model


def load(chapter: str) -> ExerciseSet:
    """The exercises of a chapter (``role``, ``workflow``, ``challenges``, ``rules``, ``calc``).

    >>> load("calc").chapter, len(load("calc").exercises) >= 3
    ('calc', True)
    """
    if chapter not in CHAPTERS:
        raise KeyError(f"no exercises chapter {chapter!r}; known: {list(CHAPTERS)}")
    return load_path(EXERCISES_DIR / f"{chapter}.yml")


def page_id(chapter: str, page: int) -> str:
    """The id of a chapter's exercises page ``page`` (what ``{exercises}`` takes): page 1 is the chapter itself.

    >>> page_id("rules", 1), page_id("rules", 3)
    ('rules', 'rules-3')
    """
    return chapter if page == 1 else f"{chapter}-{page}"


def split_page_id(ident: str) -> tuple[str, int]:
    """``(chapter, page)`` of an exercises page id; a page the chapter does not have is a ``KeyError``.

    >>> split_page_id("rules"), split_page_id("rules-2")
    (('rules', 1), ('rules', 2))
    """
    chapter, _, number = ident.partition("-")
    if chapter not in CHAPTERS or (number and not (number.isdigit() and number[0] not in "01")):
        raise KeyError(f"no exercises page {ident!r}; known: {page_ids()}")
    page = int(number or 1)
    if page > page_count(load(chapter)):
        raise KeyError(f"no exercises page {ident!r}; known: {page_ids()}")
    return chapter, page


def page_doc(chapter: str, page: int) -> str:
    """The book document of a chapter's exercises page ``page``.

    >>> page_doc("rules", 1), page_doc("rules", 2)
    ('book/rules/exercises', 'book/rules/exercises-2')
    """
    return f"book/{chapter}/exercises" + ("" if page == 1 else f"-{page}")


def page_count(exercise_set: ExerciseSet) -> int:
    """How many site pages a chapter's exercises take (its exercises' last ``page``)."""
    return exercise_set.exercises[-1].page


def page_ids() -> list[str]:
    """Every exercises page id, chapter by chapter.

    >>> "calc" in page_ids() and all(i.split("-")[0] in CHAPTERS for i in page_ids())
    True
    """
    return [page_id(c, p) for c in CHAPTERS for p in range(1, page_count(load(c)) + 1)]


# --- solving compute exercises ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Solution:
    """A computed answer: the value (``Decimal`` or text), how it is shown, and the working lines (Markdown)."""

    value: Decimal | str
    shown: str
    working: tuple[str, ...]
    worked_value: Decimal | str  # the working's own result; must equal ``value``


def _amount(value: Any) -> Decimal:
    return Decimal(str(value))


def _dated(value: Any) -> list[tuple[date, Decimal]]:
    return [(day, _amount(amount)) for day, amount in value]


def _exact(value: Decimal) -> str:
    """An unrounded amount: at least two decimals, no trailing zeros beyond them.

    >>> _exact(Decimal("11.0000")), _exact(Decimal("17.8000")), _exact(Decimal("6.30125"))
    ('11.00', '17.80', '6.30125')
    """
    text = f"{value.normalize():,f}"
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


def _day(d: date) -> str:
    return f"{d.month} 月 {d.day} 日"


def _formatted(kind: str, value: Any) -> str:
    if kind == _A:
        return yuan(_amount(value))
    if kind == _D:
        return _day(value)
    if kind == _R:
        return percent(_amount(value), 4)
    if kind == "dated":
        return "、".join(f"{_day(day)} {yuan(amount)} 元" for day, amount in _dated(value))
    if kind == "waivers":
        return "、".join(f"{_WAIVABLE[name]} {yuan(_amount(amount))} 元" for name, amount in value.items())
    return str(value)


def profile_args(exercise: ComputeExercise, terms: Terms) -> dict[str, Any]:
    """The exercise's arguments as ``terms`` can take them: a negotiated plan's periods at most the profile's longest term
    (``negotiated_max_periods``), so that an example written for 36 periods reads "24 期" for a bank whose plans end at
    24, as the calculators' own example does (:func:`calculators.ui.views.plan_defaults`).  The question shows the
    periods used.  Nothing else is changed.

    >>> from dataclasses import replace
    >>> from calculators import load_terms
    >>> ex = ComputeExercise(kind="compute", id="x", title="t", function="negotiated_plan", ask="first_payment",
    ...                      question="分 {periods} 期", args={"principal": "36000.00", "periods": 36})
    >>> profile_args(ex, load_terms("cmb"))["periods"], profile_args(ex, replace(load_terms("cmb"), negotiated_max_periods=24))["periods"]
    (36, 24)
    """
    args = dict(exercise.args)
    if exercise.function == "negotiated_plan" and isinstance(args.get("periods"), int):
        args["periods"] = min(args["periods"], terms.negotiated_max_periods)
    return args


def question_text(exercise: ComputeExercise, terms: Terms | None = None) -> str:
    """The question with its placeholders filled from the arguments (amounts in yuan, dates as 月/日, rates in %).

    >>> from calculators import load_terms
    >>> ex = ComputeExercise(kind="compute", id="x", title="t", function="revolving_interest", ask="interest",
    ...                      question="{issuer}：{purchases}；账单日 {statement_date}，还款 {payments}。",
    ...                      args={"purchases": [[date(2026, 4, 30), "1000"]], "payments": [[date(2026, 5, 23), "100"]],
    ...                            "statement_date": date(2026, 5, 5), "due_date": date(2026, 5, 23),
    ...                            "next_statement_date": date(2026, 6, 5)})
    >>> question_text(ex, load_terms("cmb"))
    '招商银行：4 月 30 日 1,000.00 元；账单日 5 月 5 日，还款 5 月 23 日 100.00 元。'
    """
    terms = handbook_terms() if terms is None else terms
    spec = FUNCTIONS[exercise.function]
    values = {name: _formatted(spec.args[name], value) for name, value in profile_args(exercise, terms).items()}
    return exercise.question.format(issuer=terms.issuer, **values)


def _call(exercise: ComputeExercise, terms: Terms) -> Any:
    a = profile_args(exercise, terms)
    for name in ("purchases", "payments"):
        if name in a:
            a[name] = _dated(a[name])
    f = exercise.function
    if f == "late_fee":
        return late_fee(a.pop("minimum_due"), a.pop("paid"), terms, **a)
    if f == "minimum_payment":
        return minimum_payment(a.pop("general"), terms, **a)
    if f == "revolving_interest":
        return revolving_interest(a["purchases"], a["payments"], a["statement_date"], a["due_date"], a["next_statement_date"], terms)
    if f == "installment_plan":
        return installment_plan(a["principal"], a["periods"], a["monthly_fee_rate"], terms)
    if f == "negotiated_plan":
        return negotiated_plan(a.pop("principal"), a.pop("periods"), terms, **a)
    return overdue_projection(a.pop("statement_balance"), a.pop("minimum_due"), a.pop("statement_date"), a.pop("due_date"),
                              a.pop("cycles"), terms, **a)


def _work_late_fee(a: dict, t: Terms, _result: Any) -> tuple[list[str], Decimal]:
    minimum, paid = _amount(a["minimum_due"]), _amount(a["paid"])
    lines = []
    if a.get("statement_balance") is not None:
        balance = _amount(a["statement_balance"])
        left = balance - paid
        if left <= t.tolerance:
            if paid >= minimum:
                lines.append(f"已还 {yuan(paid)} 元，不低于最低还款额 {yuan(minimum)} 元，所以不收违约金：违约金只看最低还款额是否还足。")
                lines.append(f"另外，账单未还 {yuan(balance)} − {yuan(paid)} = {yuan(left)} 元，不超过容差 {yuan(t.tolerance)} 元，"
                             "视同全额还款；容差决定的是这期是否计利息，与违约金无关。")
                return lines, ZERO
            lines.append(f"账单未还 {yuan(balance)} − {yuan(paid)} = {yuan(left)} 元，不超过容差 {yuan(t.tolerance)} 元，"
                         "视同全额还款，不收违约金。")
            return lines, ZERO
        lines.append(f"账单未还 {yuan(balance)} − {yuan(paid)} = {yuan(left)} 元，超过容差 {yuan(t.tolerance)} 元，不适用容差还款。")
    unpaid = minimum - paid
    if unpaid <= 0:
        lines.append(f"已还 {yuan(paid)} 元，不低于最低还款额 {yuan(minimum)} 元，不收违约金。")
        return lines, ZERO
    raw = round_fen(unpaid * t.late_fee_rate, t.late_fee_rounding)
    lines.append(f"最低还款额未还部分：{yuan(minimum)} − {yuan(paid)} = {yuan(unpaid)} 元。")
    lines.append(f"按未还部分的 {percent(t.late_fee_rate)} 计：{yuan(unpaid)} × {percent(t.late_fee_rate)} = {yuan(raw)} 元。")
    fee = raw
    if t.late_fee_min is not None and fee < t.late_fee_min:
        fee = t.late_fee_min
        lines.append(f"低于最低 {yuan(t.late_fee_min)} 元，按 {yuan(fee)} 元收取。")
    if t.late_fee_max is not None and fee > t.late_fee_max:
        fee = t.late_fee_max
        lines.append(f"超过上限 {yuan(t.late_fee_max)} 元，按 {yuan(fee)} 元收取。")
    lines.append(f"违约金本身不计利息（银发〔2016〕111号）。规则出处：{t.cite('late_fee_rate')}。")
    return lines, fee


def _segments(changes: list[tuple[date, Decimal]], start: date, end: date) -> list[tuple[date, date, Decimal]]:
    """Runs of days with the same positive balance, from the balance changes (each effective from its date)."""
    runs: list[tuple[date, date, Decimal]] = []
    day = start
    while day <= end:
        balance = sum((amount for when, amount in changes if when <= day), ZERO)
        if balance > 0:
            if runs and runs[-1][2] == balance and runs[-1][1] == day - timedelta(days=1):
                runs[-1] = (runs[-1][0], day, balance)
            else:
                runs.append((day, day, balance))
        day += timedelta(days=1)
    return runs


def _work_interest(a: dict, t: Terms, _result: Any) -> tuple[list[str], Decimal]:
    bought, paid = _dated(a["purchases"]), _dated(a["payments"])
    due, following = a["due_date"], a["next_statement_date"]
    balance = sum((x for _, x in bought), ZERO)
    deadline = due + timedelta(days=t.grace_days if t.grace_keeps_interest_free else 0)
    on_time = sum((x for day, x in paid if day <= deadline), ZERO)
    lines = [f"本期账单 {yuan(balance)} 元，{_day(deadline)}（到期还款日{'含宽限期' if deadline != due else ''}）前还款 "
             f"{yuan(on_time)} 元，未还 {yuan(balance - on_time)} 元。"]
    if balance - on_time <= t.tolerance:
        lines.append(f"未还部分不超过容差 {yuan(t.tolerance)} 元，视同全额还款，不计利息。")
        return lines, ZERO
    shift = timedelta(days=0 if t.payment_effective == "same_day" else 1)
    start = min(day for day, _ in bought)
    changes = list(bought)
    if t.interest_basis == "full_balance":
        lines.append(f"未还部分超过容差 {yuan(t.tolerance)} 元，全额计息：每笔消费从记账日起计息，"
                     f"还款{'当日' if shift.days == 0 else '次日'}起按剩余金额计息，算到下一账单日（含）。")
        changes += [(day + shift, -x) for day, x in paid]
    else:
        lines.append(f"未还部分超过容差 {yuan(t.tolerance)} 元，按未还部分计息：按时还款的部分视为未曾透支。")
        changes.append((start, -on_time))
        changes += [(day + shift, -x) for day, x in paid if day > deadline]
    total = ZERO
    for first, last, amount in _segments(changes, start, following):
        days = (last - first).days + 1
        part = amount * t.daily_rate * days
        total += part
        lines.append(f"- {_day(first)}至 {_day(last)}，{days} 天：{yuan(amount)} × {percent(t.daily_rate, 4)} × {days} = {_exact(part)} 元")
    rounded = round_fen(total, t.interest_rounding)
    lines.append(f"合计 {_exact(total)} 元，舍入到分：{yuan(rounded)} 元。")
    return lines, rounded


def _work_minimum(a: dict, t: Terms, _result: Any) -> tuple[list[str], Decimal]:
    parts = (("general", "一般交易款", t.min_payment_general_ratio), ("installment_due", "本期分期应还", t.min_payment_installment_ratio),
             ("previous_unpaid_minimum", "上期最低还款额未还部分", t.min_payment_past_due_ratio),
             ("over_limit", "超过信用额度的部分", t.min_payment_over_limit_ratio), ("fees", "费用（含违约金）", t.min_payment_fees_ratio),
             ("interest", "利息", t.min_payment_interest_ratio))
    lines, total = [], ZERO
    for name, label, ratio in parts:
        if name in a:
            share = round_fen(_amount(a[name]) * ratio, t.min_payment_rounding)
            total += share
            lines.append(f"- {label} {yuan(_amount(a[name]))} 元 × {percent(ratio)} = {yuan(share)} 元")
    lines.append(f"相加：{yuan(total)} 元。")
    return lines, total


def _work_installment(a: dict, t: Terms, plan: Any) -> tuple[list[str], dict]:
    principal, n, rate = _amount(a["principal"]), int(a["periods"]), _amount(a["monthly_fee_rate"])
    first = plan.rows[0]
    raw = round_fen(principal * rate, t.installment_fee_rounding)
    fee = max(raw, t.installment_fee_min) if rate > 0 else raw
    exact = first.principal * n == principal
    lines = [f"每期本金：{yuan(principal)} ÷ {n} {'=' if exact else '≈'} {yuan(first.principal)} 元"
             + ("" if all(r.principal == first.principal for r in plan.rows) else "（除不尽的零头按条款配置计入首期或末期）") + "。",
             f"每期手续费按原始本金计：{yuan(principal)} × {percent(rate, 4)} = {yuan(raw)} 元"
             + (f"，低于每期最低 {yuan(t.installment_fee_min)} 元，按最低收取" if fee != raw else "") + "；每期相同，本金减少后也不变。",
             f"首期还款：{yuan(first.principal)} + {yuan(fee)} = {yuan(first.principal + fee)} 元。",
             f"总手续费：{yuan(fee)} × {n} = {yuan(fee * n)} 元。",
             f"年化利率：IRR 法 {percent(plan.apr)}，单利法 {percent(plan.apr_simple)}，"
             + (f"高于“月费率 × 12”的 {percent(rate * 12)}：手续费按原始本金收取，本金却逐月减少。" if plan.apr > rate * 12
                else "不高于“月费率 × 12”。")]
    worked = {"fee_per_period": fee, "first_payment": first.principal + fee, "total_fee": fee * n, "apr": plan.apr}
    return lines, worked


def _work_negotiated(a: dict, t: Terms, plan: Any) -> tuple[list[str], dict]:
    c = plan.components
    owed = c["principal"] + c["interest"] + c["fees"] + c["late_fees"]
    waived = sum((c[f"waived_{name}"] for name in _WAIVABLE), ZERO)
    lines = [f"欠款：本金 {yuan(c['principal'])} + 利息 {yuan(c['interest'])} + 费用 {yuan(c['fees'])} + 违约金 {yuan(c['late_fees'])} "
             f"= {yuan(owed)} 元。"]
    if waived:
        lines.append("减免：" + "、".join(f"{label} {yuan(c[f'waived_{name}'])} 元" for name, label in _WAIVABLE.items()
                                         if c[f"waived_{name}"]) + f"，合计 {yuan(waived)} 元（减免须经审批，不是客户的当然权利）。")
    if c["down_payment"]:
        days, limit = int(a["days_past_due"]), t.payment_order_principal_first_after_days
        order = "先冲抵本金" if days > limit else "先冲抵利息、费用和违约金，再冲抵本金"
        lines.append(f"首付 {yuan(c['down_payment'])} 元：逾期 {days} 天，{'超过' if days > limit else '未超过'} {limit} 天，{order}"
                     f"（{t.cite('payment_order_principal_first_after_days').source}）。")
    financed = owed - waived - c["down_payment"]
    even = all(r.principal == plan.rows[0].principal for r in plan.rows)
    lines.append(f"分期偿还：{yuan(financed)} 元，分 {plan.periods} 期，每期{' ' if even else '约 '}{yuan(plan.rows[0].principal)} 元"
                 + ("" if even else "（零头按条款配置计入首期或末期）") + "。")
    if plan.rate_basis == "none":
        lines.append("协议约定停止计息收费，每期只还欠款本身。")
    elif plan.rate_basis == "monthly_fee_on_original":
        lines.append(f"每期手续费：本金部分 {yuan(c['financed_principal'])} × {percent(plan.rate, 4)} = {yuan(plan.rows[0].fee)} 元"
                     "（只对本金部分收取，利息、费用和违约金不再计费）。")
    else:
        lines.append(f"按尚欠本金每月计息，月利率 {percent(plan.rate, 4)}（只对本金部分计息）。")
    total = sum((r.payment for r in plan.rows), ZERO)
    fees = sum((r.fee for r in plan.rows), ZERO)
    lines.append(f"首期 {yuan(plan.rows[0].payment)} 元，末期 {yuan(plan.rows[-1].payment)} 元，合计还款 {yuan(total)} 元，其中费用 {yuan(fees)} 元。")
    worked = {"first_payment": plan.rows[0].payment, "last_payment": plan.rows[-1].payment,
              "total_payment": financed + fees, "total_fee": fees}
    return lines, worked


def _work_projection(a: dict, t: Terms, projection: Any) -> tuple[list[str], dict]:
    rows = "\n".join(f"| {r.cycle} | {r.statement_date:%Y-%m-%d} | {yuan(r.interest)} | {yuan(r.late_fee)} | {yuan(r.balance)} | "
                     f"{r.days_past_due} | {r.bucket} |" for r in projection.rows)
    last = projection.rows[-1]
    lines = ["逐期推算（违约金和费用本身不计利息）：",
             "| 期 | 账单日 | 利息 | 违约金 | 欠款合计 | 逾期天数 | 账龄 |\n|---:|---|---:|---:|---:|---:|---|\n" + rows,
             f"累计利息 {yuan(projection.total_interest)} 元，累计违约金 {yuan(projection.total_late_fees)} 元；"
             f"最后一期欠款合计 {yuan(last.balance)} 元 = 本金 {yuan(last.principal)} + 利息 {yuan(last.interest_total)} + "
             f"违约金 {yuan(last.late_fee_total)} 元。"]
    worked = {"total_interest": sum((r.interest for r in projection.rows), ZERO),
              "total_late_fees": sum((r.late_fee for r in projection.rows), ZERO),
              "final_balance": last.principal + last.interest_total + last.late_fee_total, "final_bucket": last.bucket}
    return lines, worked


_WORK: Mapping[str, Callable[[dict, Terms, Any], tuple[list[str], Any]]] = {
    "late_fee": _work_late_fee, "revolving_interest": _work_interest, "minimum_payment": _work_minimum,
    "installment_plan": _work_installment, "negotiated_plan": _work_negotiated, "overdue_projection": _work_projection,
}


def _quantity(exercise: ComputeExercise, result: Any) -> Decimal | str:
    ask = exercise.ask
    if exercise.function in ("late_fee", "revolving_interest", "minimum_payment"):
        return result
    if exercise.function == "overdue_projection":
        last = result.rows[-1]
        return {"total_interest": result.total_interest, "total_late_fees": result.total_late_fees,
                "final_balance": last.balance, "final_bucket": last.bucket}[ask]
    return {"fee_per_period": result.rows[0].fee, "first_payment": result.rows[0].payment, "last_payment": result.rows[-1].payment,
            "total_fee": result.total_fee, "total_payment": result.total_payment, "apr": result.apr}[ask]


def _shown(ask: str, value: Decimal | str) -> str:
    if ask in _TEXT_QUANTITIES:
        return str(value)
    if ask in _RATE_QUANTITIES:
        return percent(value)  # type: ignore[arg-type]
    return f"{yuan(value)} 元"  # type: ignore[arg-type]


def solve(exercise: ComputeExercise, terms: Terms | None = None) -> Solution:
    """Compute the answer with ``terms`` (default: the handbook's profile), with the working.

    >>> from calculators import load_terms
    >>> ex = ComputeExercise(kind="compute", id="x", title="t", function="late_fee", ask="late_fee",
    ...                      question="最低还款额 {minimum_due} 元，还了 {paid} 元。", args={"minimum_due": "1000", "paid": 0})
    >>> s = solve(ex, load_terms("cmb"))
    >>> s.value, s.shown, s.worked_value == s.value
    (Decimal('50.00'), '50.00 元', True)
    """
    terms = handbook_terms() if terms is None else terms
    result = _call(exercise, terms)
    value = _quantity(exercise, result)
    lines, worked = _WORK[exercise.function](profile_args(exercise, terms), terms, result)
    if isinstance(worked, dict):
        worked = worked[exercise.ask]
    return Solution(value, _shown(exercise.ask, value), tuple(lines), worked)


# --- checking ---------------------------------------------------------------------------------------------------


def _expected_matches(exercise: ComputeExercise, value: Decimal | str, expected: str) -> bool:
    if exercise.ask in _TEXT_QUANTITIES:
        return str(value) == expected.strip()
    return Decimal(expected.strip()) == value


def check_exercise(exercise: Any, terms: Terms | None = None) -> list[str]:
    """What is wrong with one exercise's answer key (an empty list when the tools agree with it).

    * compute: the working reaches the calculator's value, and ``expected[terms.code]`` (if present) equals it;
    * choice: the correct option has no linter finding; every ``redline: true`` option has at least one;
    * spot: the key equals exactly the ``(attempt, rule)`` pairs :func:`check_contact_plan` finds, and
      the cautions exactly its warnings.
    """
    terms = handbook_terms() if terms is None else terms
    found: list[str] = []
    if isinstance(exercise, ComputeExercise):
        try:
            solution = solve(exercise, terms)
        except CalculatorInputError as exc:
            return [f"{exercise.id}: the calculator rejects the arguments: {exc}"]
        if solution.worked_value != solution.value:
            found.append(f"{exercise.id}: the working gives {solution.worked_value}, the calculator {solution.value} ({terms.code})")
        if terms.code in exercise.expected and not _expected_matches(exercise, solution.value, exercise.expected[terms.code]):
            found.append(f"{exercise.id}: expected {exercise.expected[terms.code]} for profile {terms.code}, computed {solution.value}")
    elif isinstance(exercise, ChoiceExercise):
        red = rules.redlines()
        for letter, option in zip(LETTERS, exercise.options):
            findings = lint(option.text, red)
            if option.correct and findings:
                found.append(f"{exercise.id}: the correct option {letter} crosses a red line: {[f.text for f in findings]}")
            if option.redline and not findings:
                found.append(f"{exercise.id}: option {letter} is marked redline but the linter finds nothing in it")
    else:
        violations = check_contact_plan([entry.attempt() for entry in exercise.log], rules.conduct_rules())
        actual = {(v.index + 1, v.rule_id) for v in violations}
        keyed = {(b.attempt, b.rule) for b in exercise.answer}
        if actual != keyed:
            found.append(f"{exercise.id}: the checker finds {sorted(actual)}, the key says {sorted(keyed)} "
                         f"(missing from the key: {sorted(actual - keyed)}; not found by the checker: {sorted(keyed - actual)})")
        warned = {(w.index + 1, w.rule_id) for w in violations.warnings}
        cautioned = {(c.attempt, c.rule) for c in exercise.cautions}
        if warned != cautioned:
            found.append(f"{exercise.id}: the checker warns {sorted(warned)}, the key's cautions say {sorted(cautioned)}")
    return found


def problems(exercise_set: ExerciseSet, terms: Terms | None = None) -> list[str]:
    """Every answer-key problem in a chapter's exercises, with ``terms`` (default: the handbook's profile).

    >>> problems(load("rules"))
    []
    """
    return [p for exercise in exercise_set.exercises for p in check_exercise(exercise, terms)]


def _expected_problems(exercise: Any) -> list[str]:
    if not isinstance(exercise, ComputeExercise):
        return []
    found = []
    bundled = set(bundled_profiles())
    for code in exercise.expected:
        if code not in bundled:
            found.append(f"{exercise.id}: expected names profile {code!r}, not one of {sorted(bundled)}")
        else:
            found += check_exercise(exercise, load_terms(code))
    return found


def profile_problems(exercise_set: ExerciseSet) -> list[str]:
    """The ``expected`` answers checked with every profile they name (each must be a bundled profile).

    >>> profile_problems(load("calc"))
    []
    """
    return [p for exercise in exercise_set.exercises for p in _expected_problems(exercise)]


def validate(folder: Path | str | None = None) -> int:
    """Load every exercises file and check every answer key; a problem names the file and the exercise's line.

    Returns the number of files.  Checks with the handbook's profile and with
    every profile an ``expected`` names.

    >>> validate() == len(CHAPTERS)
    True
    """
    folder = EXERCISES_DIR if folder is None else Path(folder)
    paths = sorted(folder.glob("*.yml"))
    for path in paths:
        model = load_path(path)
        for index, exercise in enumerate(model.exercises):
            found = check_exercise(exercise) + _expected_problems(exercise)
            if found:
                raise ProcedureFileError(path, [(_line(path, "exercises", index), f"exercises.{index}", p) for p in found])
    return len(paths)


# --- rendering --------------------------------------------------------------------------------------------------


def _paragraphs(lines: tuple[str, ...]) -> str:
    """Working lines as Markdown: consecutive list items stay one list, other lines are paragraphs."""
    out = ""
    for previous, line in zip(("",) + lines, lines):
        out += ("\n" if previous.startswith("- ") and line.startswith("- ") else "\n\n" if out else "") + line
    return out


def _origin(cites: list[Cite]) -> str:
    return ("\n\n出处：" + "；".join(rules.cite_text(c) for c in cites) + "。") if cites else ""


def _answer(body: str) -> str:
    return ":::{admonition} 答案与解析\n:class: dropdown\n\n" + body.strip() + "\n:::\n"


def _compute_markdown(exercise: ComputeExercise, terms: Terms) -> str:
    solution = solve(exercise, terms)
    label = FUNCTIONS[exercise.function].asks[exercise.ask]
    body = (f"**{label}：{solution.shown}**\n\n"
            f"按本次构建的条款配置计算（{terms.issuer}，`{terms.code}`；{terms.label}）：\n\n"
            + _paragraphs(solution.working) + _origin(exercise.sources))
    return question_text(exercise, terms) + "\n\n" + _answer(body)


def _choice_markdown(exercise: ChoiceExercise) -> str:
    red = rules.redlines()
    options = "\n".join(f"- **{letter}**．“{o.text}”" for letter, o in zip(LETTERS, exercise.options))
    correct = next(letter for letter, o in zip(LETTERS, exercise.options) if o.correct)
    lines = []
    for letter, option in zip(LETTERS, exercise.options):
        mark = "✔ 正确" if option.correct else "✘ 错误"
        flagged = ""
        if option.redline:
            flagged = "话术检查工具标出：" + "；".join(f"{f.name}（“{f.text}”）" for f in lint(option.text, red)) + "。"
        lines.append(f"- **{letter}**（{mark}）：{option.why}{flagged}")
    body = f"**正确答案：{correct}**\n\n" + "\n".join(lines) + _origin(exercise.sources)
    return f"{exercise.situation}\n\n{exercise.question}\n\n{options}\n\n" + _answer(body)


def _flags(entry: LogEntry) -> str:
    flags = []
    if entry.customer_consented_to_quiet_hours:
        flags.append("客户同意此时联系")
    if entry.debtor_reachable is False:
        flags.append("已确认本人失联")
    elif entry.debtor_reachable:
        flags.append("本人可以联系上")
    if entry.asked_to_stop:
        flags.append("对方要求不再联系")
    if entry.recorded is not None:
        flags.append("已录音" if entry.recorded else "未录音")
    if entry.channel == "visit":
        flags.append(f"外访 {entry.collectors_present} 人")
        flags.append("出示了工作证件" if entry.id_shown else "未出示工作证件")
        if entry.entered_premises:
            flags.append("经同意进入室内" if entry.consent_to_enter else "未经同意进入室内")
    return "；".join(flags) or "—"


def _spot_markdown(exercise: SpotExercise) -> str:
    rows = "\n".join(
        f"| {i} | {e.time.month} 月 {e.time.day} 日 {e.time:%H:%M} | {CHANNELS[e.channel]}（{e.method}） | {PERSONS[e.person]} | "
        f"{'是' if e.answered else '否'} | "
        f"{CONTENTS[e.content]} | {_flags(e)} | {e.note} |"
        for i, e in enumerate(exercise.log, 1)
    )
    table = "| # | 时间 | 渠道（联系方式） | 对象 | 接通 | 内容 | 记录 | 经过 |\n|---:|---|---|---|---|---|---|---|\n" + rows
    conduct = rules.conduct_rules()
    breaches = sorted(exercise.answer, key=lambda b: (b.attempt, CHECKED_RULES.index(b.rule)))
    lines = "\n".join(f"- **第 {b.attempt} 条**违反“{conduct.rule(b.rule).title}”：{b.why}（依据：{conduct.rule(b.rule).source_text}）"
                      for b in breaches)
    clean = sorted(set(range(1, len(exercise.log) + 1)) - {b.attempt for b in breaches})
    rest = ("\n\n其余各条（" + "、".join(f"第 {i} 条" for i in clean) + "）没有违反检查规则。") if clean else ""
    cautions = sorted(exercise.cautions, key=lambda c: (c.attempt, WARNING_RULES.index(c.rule)))
    notes = ""
    if cautions:
        notes = "\n\n没有违规，不等于合理。检查器还会给出以下提示，须组长复核：\n\n" + "\n".join(
            f"- **第 {c.attempt} 条**·{conduct.rule(c.rule).title}：{c.why}（依据：{conduct.rule(c.rule).source_text}）" for c in cautions)
    body = (lines + rest + notes + "\n\n本答案与 {doc}`联系记录检查工具 </book/rules/conduct>` 的检查结果（违规和提示）一致。"
            + _origin(exercise.sources))
    return f"{exercise.situation}\n\n{table}\n\n{exercise.question}\n\n" + _answer(body)


def exercise_markdown(exercise: Any, number: int, terms: Terms | None = None) -> str:
    """One exercise: heading, the case, and the answer in a dropdown."""
    terms = handbook_terms() if terms is None else terms
    kinds = {"compute": "计算题", "choice": "选择题", "spot": "找错题"}
    head = f"### 练习 {number}（{kinds[exercise.kind]}）：{exercise.title}\n\n"
    if isinstance(exercise, ComputeExercise):
        return head + _compute_markdown(exercise, terms)
    if isinstance(exercise, ChoiceExercise):
        return head + _choice_markdown(exercise)
    return head + _spot_markdown(exercise)


def on_page(exercise_set: ExerciseSet, page: int | None) -> list[tuple[int, Any]]:
    """``(number, exercise)`` for the exercises shown on ``page`` (``None``: all), numbered through the chapter.

    >>> [n for n, _ in on_page(load("rules"), 2)] == [n for n, e in on_page(load("rules"), None) if e.page == 2]
    True
    """
    return [(i, e) for i, e in enumerate(exercise_set.exercises, 1) if page is None or e.page == page]


def exercises_markdown(exercise_set: ExerciseSet, terms: Terms | None = None, page: int | None = None) -> str:
    """A chapter's exercises page body: the owner / review / edit box, the intro, then every exercise.

    ``page``: only the exercises of that site page (the intro on page 1 only); ``None``: the whole chapter.

    >>> text = exercises_markdown(load("rules"))
    >>> text.count(":::{admonition} 答案与解析\\n:class: dropdown") == len(load("rules").exercises)
    True
    >>> "### 练习 1（" in exercises_markdown(load("rules"), page=2)
    False
    """
    terms = handbook_terms() if terms is None else terms
    parts = [page_info(exercise_set, f"procedures/exercises/{exercise_set.chapter}.yml")]
    parts += [exercise_set.intro] if page in (None, 1) else []
    parts += [exercise_markdown(e, i, terms) for i, e in on_page(exercise_set, page)]
    return "\n\n".join(parts) + "\n"
