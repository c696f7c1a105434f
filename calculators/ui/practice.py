"""Grading a trainee's answer to an exercise: the same Python on the site (Pyodide), in widgets and in the API.

An exercise reaches a front end as a *key*: JSON-ready data computed at build
time from ``procedures/exercises/*.yml`` by :mod:`procedures.practice` (compute
answers by the calculators with the build's profile, choice keys checked by the
red-line linter, spot keys by the contact-plan checker).  :func:`grade` compares
a typed or chosen answer with it and returns a :class:`~calculators.views.View`:
``summary["verdict"]`` is ``"correct"`` or ``"incorrect"``, ``html`` the
feedback with the worked solution; an answer that cannot be read (``"abc"`` for
an amount) is an input error under the answer field, not a wrong answer.
Standard library only.

Answer forms, by kind:

* ``compute``: a number, typed any way :func:`calculators.inputs.normalize_number`
  accepts (``¥1,000元``, ``１２``, ``14.31%``); an account age such as ``M3`` as text;
* ``choice``: the option letter (``"B"``);
* ``spot``: the attempt numbers that break a rule, comma separated (``"1,3"``).
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from ..delinquency import M_BUCKETS
from ..errors import CalculatorInputError
from .inputs import normalize_number, normalize_text
from .views import View

__all__ = ["ANSWER_FIELDS", "grade", "exercise_view", "parse_lines"]

#: The form fields of the ``exercise`` tool: the key (JSON, fixed by the page) and the trainee's answer.
ANSWER_FIELDS = {"key": ("练习数据", "hidden", ""), "answer": ("你的答案", "text", "")}
_LINES = re.compile(r"[\s,，、;；和及第条]+")


def parse_lines(typed: str, count: int) -> list[int]:
    """The attempt numbers in ``typed`` (``"1,3"``, ``"第1条、第3条"``, ``"３ 1"``), sorted and unique.

    >>> parse_lines("第3条、第１条，3", 4)
    [1, 3]
    >>> parse_lines("5", 4)
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: answer='5' is not allowed: attempt numbers 1..4
    """
    text = normalize_text(typed).strip()
    parts = [p for p in _LINES.split(text) if p]
    numbers = set()
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise CalculatorInputError("answer", typed, f"attempt numbers 1..{count}",
                                       allowed_zh=f"填记录的序号（1 到 {count}），多条用逗号分开，例如 1,3")
        numbers.add(int(part))
    return sorted(numbers)


def _compute(key: Mapping[str, Any], typed: str) -> tuple[bool, str]:
    unit = key["unit"]
    if unit == "text":  # an account age (账龄): one of the M-buckets
        answer = normalize_text(typed).strip().upper().replace(" ", "")
        answer = {"M6+": "M7"}.get(answer, answer)
        names = [name for name, _, _ in M_BUCKETS]
        if answer not in names:
            raise CalculatorInputError("answer", typed, "an account age M0..M7",
                                       allowed_zh="填账龄，" + "、".join(names) + " 之一（M7 也称 M6+）")
        return answer == str(key["value"]).upper(), answer
    plain = normalize_number(typed, "answer", "percent" if unit == "percent" else "amount")
    if not plain:
        example = "（百分数，例如 14.31%）" if unit == "percent" else "（元，例如 40 或 40.00）"
        raise CalculatorInputError("answer", typed, "a number", allowed_zh="请填一个数字" + example)
    value = Decimal(key["value"])
    try:
        number = Decimal(plain)
    except InvalidOperation:  # pragma: no cover - normalize_number only returns plain decimals
        raise CalculatorInputError("answer", typed, "a number", allowed_zh="请填一个数字") from None
    if unit == "percent":  # the key is a fraction; an answer to two decimals of a percent is right
        return abs(number - value * 100) <= Decimal("0.005"), f"{plain}%"
    return number == value, f"{plain} 元"


def _choice(key: Mapping[str, Any], typed: str) -> tuple[bool, str]:
    answer = normalize_text(typed).strip().upper()
    if answer not in key["options"]:
        raise CalculatorInputError("answer", typed, "an option letter",
                                   allowed_zh="请选一个选项（" + "、".join(key["options"]) + "）")
    return answer == key["correct"], answer


def _spot(key: Mapping[str, Any], typed: str) -> tuple[bool, str]:
    chosen = parse_lines(typed, int(key["count"]))
    if not chosen:
        raise CalculatorInputError("answer", typed, "attempt numbers", allowed_zh="请至少选一条记录")
    return chosen == sorted(key["lines"]), ",".join(map(str, chosen))


_GRADERS = {"compute": _compute, "choice": _choice, "spot": _spot}


def grade(key: Mapping[str, Any], typed: str) -> View:
    """Check ``typed`` against an exercise key: a view with the verdict, the feedback and the worked solution.

    >>> key = {"id": "fee", "kind": "compute", "unit": "amount", "value": "40.00", "shown": "40.00 元",
    ...        "solution": "<p>1000 − 200 = 800；800 × 5% = 40.00 元。</p>"}
    >>> grade(key, "￥４０").summary["verdict"], grade(key, "40.5").summary["verdict"]
    ('correct', 'incorrect')
    >>> grade(key, "四十").error_message
    '你的答案：您填的是“四十”。允许：请填数字。'
    """
    try:
        right, answer = _GRADERS[key["kind"]](key, typed)
    except CalculatorInputError as error:
        return View(error_field="answer", error_message=f"你的答案：您填的是“{error.value}”。允许：{error.allowed_zh}。")
    verdict = "correct" if right else "incorrect"
    head = ("<p class=\"hb-verdict-text\"><b>✔ 回答正确。</b></p>" if right else
            f"<p class=\"hb-verdict-text\"><b>✘ 不对。</b>你的答案是 {html.escape(answer)}；正确答案是 "
            f"{html.escape(str(key['shown']))}。可以修改后再次提交。</p>")
    note = ""
    if key["kind"] == "choice" and not right:
        note = f"<p>你选的 {html.escape(answer)}：{html.escape(key['options'][answer])}</p>"
    body = head + note + "<div class=\"hb-solution\"><p><b>解析</b></p>" + key["solution"] + "</div>"
    return View(html=body, summary={"verdict": verdict, "answer": answer, "id": str(key["id"])})


def exercise_view(values: Mapping[str, str], _context: Any = None) -> View:
    """The ``exercise`` tool of :data:`calculators.frontends.TOOLS`: ``values["key"]`` is the key as JSON.

    >>> key = json.dumps({"id": "c", "kind": "choice", "correct": "B", "shown": "B",
    ...                   "options": {"A": "威胁。", "B": "合规。", "C": "推诿。"}, "solution": "<p>选 B。</p>"})
    >>> exercise_view({"key": key, "answer": "b"}).summary["verdict"]
    'correct'
    """
    return grade(json.loads(values["key"]), values.get("answer", ""))
