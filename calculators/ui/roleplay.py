"""Case role-plays: grading each step a trainee takes, and the debrief; the same Python on the site, in widgets and the API.

A case (``procedures/cases/*.yml``, validated and turned into a JSON-ready
*key* by :mod:`procedures.roleplay`) walks through the five workflow stages.
Each step is one of:

``choose``
    pick an action; each option's verdict was found at build time by the
    contact-plan checker (when and whom) or stated with its rule;
``say``
    type what you would say: the red-line linter (:func:`calculators.lint_script`)
    must find nothing, and the reply must mention what the step requires
    (e.g. the complaint channel);
``figure``
    give a figure: compared with the calculators' value (build's profile);
``plan``
    propose the number of periods of a 个性化分期: the plan is computed now by
    :func:`calculators.negotiated_plan` with the profile (longest term
    ``negotiated_max_periods``), and its largest instalment must be within what
    the customer said they can pay.

:func:`grade_step` returns a :class:`~calculators.views.View` with
``summary["verdict"]``; :func:`debrief` re-grades every answer given and lists
what went well, what crossed a line, and the rule (with source ids) behind each
point.  Standard library only.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..errors import CalculatorInputError
from ..money import to_amount
from .inputs import normalize_number, normalize_text
from ..installments import negotiated_plan
from ..compliance.redlines import RedlineRules
from ..compliance.redlines import lint as lint_script
from ..terms import Terms
from .views import CJK, View, typed_error

__all__ = ["PracticeContext", "ROLEPLAY_FIELDS", "grade_step", "debrief", "roleplay_view"]

#: The form fields of the ``roleplay`` tool: the case key (JSON), the step id, the answer (for the debrief: all answers, JSON).
ROLEPLAY_FIELDS = {"key": ("案例数据", "hidden", ""), "step": ("步骤", "hidden", ""), "answer": ("你的回答", "text", "")}


@dataclass(frozen=True)
class PracticeContext:
    """What role-plays need: the build's terms profile (plans, figures) and the red-line rules (what is said)."""

    terms: Terms
    redlines: RedlineRules

    def to_dict(self) -> dict[str, Any]:
        return {"terms": self.terms.to_dict(), "redlines": self.redlines.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "PracticeContext":
        return cls(Terms.from_dict(data["terms"], origin="profile.json"), RedlineRules.from_dict(data["redlines"]))


def _error(typed: str, error: CalculatorInputError) -> View:
    """The error under the answer, in the forms' words (:func:`calculators.ui.views.typed_error`: an empty answer is
    "尚未填写", a long one quoted by its start)."""
    return View(error_field="answer", error_message=typed_error("你的回答", typed, error))


def _choose(step: Mapping[str, Any], typed: str, _context: PracticeContext) -> tuple[bool, str, list[str]]:
    letter = normalize_text(typed).strip().upper()
    if letter not in step["options"]:
        raise CalculatorInputError("answer", typed, "an option", allowed_zh="请选一个做法（" + "、".join(step["options"]) + "）")
    option = step["options"][letter]
    return bool(option["ok"]), letter, list(option["notes"])


def _say(step: Mapping[str, Any], typed: str, context: PracticeContext) -> tuple[bool, str, list[str]]:
    text = normalize_text(typed).strip()
    if len(text) < 4 or not CJK.search(text):  # ("Hello": the checker reads Chinese only, as the rewrite box says)
        raise CalculatorInputError("answer", typed, "a sentence in Chinese",
                                   allowed_zh="用中文写出你会对客户说的完整的话（至少 4 个字）")
    notes = [f"红线：“{f.text}”属于{f.name}（{f.rule}）" for f in lint_script(text, context.redlines)]
    for group in step.get("mention", []):
        if not any(word in text for word in group["words"]):
            notes.append(f"缺少：{group['why']}（例如提到“{group['words'][0]}”）")
    return not notes, text, notes


def _figure(step: Mapping[str, Any], typed: str, _context: PracticeContext) -> tuple[bool, str, list[str]]:
    plain = normalize_number(typed, "answer", "amount")
    if not plain:
        raise CalculatorInputError("answer", typed, "an amount", allowed_zh="请填一个金额（元），例如 40.00")
    to_amount(plain, "answer")  # (read as the calculators read an amount: not negative, to the fen)
    right = Decimal(plain) == Decimal(step["value"])
    return right, f"{plain} 元", [] if right else [f"计算器的结果是 {step['shown']}"]


def _plan(step: Mapping[str, Any], typed: str, context: PracticeContext) -> tuple[bool, str, list[str]]:
    plain = normalize_number(typed, "answer", "integer")
    if not plain or "." in plain or "-" in plain:
        raise CalculatorInputError("answer", typed, "a whole number of periods", allowed_zh="请填期数（整数），例如 24")
    periods = int(plain)
    terms = context.terms
    debt = step["debt"]
    answer = f"{periods} 期"
    if periods < 1:
        return False, answer, ["期数至少为 1"]
    if periods > terms.negotiated_max_periods:
        return False, answer, [f"超过个性化分期的最长期限 {terms.negotiated_max_periods} 期（{terms.cite('negotiated_max_periods').source}）"]
    plan = negotiated_plan(debt["principal"], periods, terms, interest=debt.get("interest", 0), fees=debt.get("fees", 0),
                           late_fees=debt.get("late_fees", 0))
    largest = max(row.payment for row in plan.rows)
    afford = Decimal(step["afford"])
    notes = [f"按本次构建的条款配置试算：{periods} 期，每期最多 {largest:,.2f} 元，合计 {plan.total_payment:,.2f} 元"]
    if largest > afford:
        notes.append(f"每期 {largest:,.2f} 元超过客户说的每月最多 {afford:,.2f} 元，方案难以履行")
        return False, answer, notes
    if periods > int(step["model_periods"]) + int(step.get("slack", 12)):
        notes.append(f"期数远多于需要（{step['model_periods']} 期即可负担），拉长期限会增加客户的总负担和违约风险")
        return False, answer, notes
    return True, answer, notes


_KINDS = {"choose": _choose, "say": _say, "figure": _figure, "plan": _plan}


def _step(case: Mapping[str, Any], step_id: str) -> Mapping[str, Any]:
    for step in case["steps"]:
        if step["id"] == step_id:
            return step
    raise KeyError(f"case {case['id']!r} has no step {step_id!r}")


def _cited(step: Mapping[str, Any]) -> str:
    """The step's sources as readers see them (the key's ``cited``: names and articles, as on the page's own “参考做法与规则”),
    or its source ids where a key has no names.

    >>> _cited({"sources": ["gbt-45251", "measures-2011·第六十八条"], "cited": ["GB/T 45251-2025", "2011 年《办法》第六十八条"]})
    'GB/T 45251-2025；2011 年《办法》第六十八条'
    >>> _cited({"sources": ["a", "b"]})
    'a、b'
    """
    names = step.get("cited")
    return "；".join(names) if names else "、".join(step["sources"])


def grade_step(case: Mapping[str, Any], step_id: str, typed: str, context: PracticeContext) -> View:
    """Check one step's answer: verdict, the reasons, the model answer and the rule behind it.

    >>> step = {"id": "s1", "kind": "choose", "rule": "夜间不得催收", "model": "A", "sources": ["gbt-45251"],
    ...         "options": {"A": {"text": "明早再打", "ok": True, "notes": []},
    ...                     "B": {"text": "现在就打", "ok": False, "notes": ["22:30 属于夜间"]}}}
    >>> case = {"id": "c", "steps": [step]}
    >>> grade_step(case, "s1", "b", None).summary["verdict"]
    'incorrect'
    """
    step = _step(case, step_id)
    try:
        right, answer, notes = _KINDS[step["kind"]](step, typed, context)
    except CalculatorInputError as error:
        return _error(str(error.value), error)
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    head = "<p><b>✔ 做得对。</b></p>" if right else "<p><b>✘ 这样不妥。</b>可以修改后再次提交。</p>"
    body = (head + (f"<ul>{items}</ul>" if items else "") + f"<p><b>参考做法：</b>{html.escape(step['model'])}</p>"
            + f"<p><b>规则：</b>{html.escape(step['rule'])}（出处：{html.escape(_cited(step))}）</p>")
    return View(html=body, summary={"verdict": "correct" if right else "incorrect", "answer": answer, "id": step_id})


def debrief(case: Mapping[str, Any], answers: Mapping[str, str], context: PracticeContext) -> View:
    """The debrief: every step re-graded from the answers given; what went well, what crossed a line, the rules.

    >>> step = {"id": "s1", "kind": "choose", "rule": "夜间不得催收", "model": "A", "sources": ["gbt-45251"], "title": "何时联系",
    ...         "options": {"A": {"text": "明早再打", "ok": True, "notes": []}, "B": {"text": "现在就打", "ok": False, "notes": []}}}
    >>> view = debrief({"id": "c", "title": "演练", "steps": [step]}, {"s1": "A"}, None)
    >>> view.summary["correct"], view.summary["steps"]
    ('1', '1')
    """
    good, bad, missing = [], [], []
    for step in case["steps"]:
        typed = answers.get(step["id"])
        line = f"<b>{html.escape(step.get('title', step['id']))}</b>"
        rule = f"规则：{html.escape(step['rule'])}（出处：{html.escape(_cited(step))}）"
        if not typed:
            missing.append(f"<li>{line}：还没有作答。{rule}</li>")
            continue
        view = grade_step(case, step["id"], typed, context)
        if view.ok and view.summary["verdict"] == "correct":
            good.append(f"<li>{line}：{html.escape(view.summary['answer'].rstrip('。'))}。{rule}</li>")
        else:
            why = "回答无法识别" if not view.ok else html.escape(view.summary["answer"].rstrip("。"))
            bad.append(f"<li>{line}：{why}。参考做法：{html.escape(step['model'].rstrip('。'))}。{rule}</li>")
    parts = [f"<p><b>复盘：{html.escape(case.get('title', case['id']))}</b>（{len(good)} / {len(case['steps'])} 步做得对）</p>"]
    parts.append("<p>做得好的：</p><ul>" + ("".join(good) or "<li>暂无</li>") + "</ul>")
    parts.append("<p>越线或不妥的：</p><ul>" + ("".join(bad) or "<li>没有</li>") + "</ul>")
    if missing:
        parts.append("<p>未作答的：</p><ul>" + "".join(missing) + "</ul>")
    return View(html="".join(parts), summary={"correct": str(len(good)), "crossed": str(len(bad)), "steps": str(len(case["steps"]))})


def roleplay_view(values: Mapping[str, str], context: PracticeContext) -> View:
    """The ``roleplay`` tool of :data:`calculators.frontends.TOOLS`: one step, or ``step="debrief"`` with all answers as JSON."""
    case = json.loads(values["key"])
    if values.get("step") == "debrief":
        return debrief(case, json.loads(values.get("answer") or "{}"), context)
    return grade_step(case, values["step"], values.get("answer", ""), context)
