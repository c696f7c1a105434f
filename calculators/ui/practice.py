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
* ``spot``: the attempt numbers that break a rule, comma separated (``"1,3"``);
  or, in *rewrite mode* (``mode="rewrite"``, :func:`grade_rewrite`), one offending
  line rewritten so that it complies: see :func:`check_rewrite` for the rule.

On the site and in the widget the rewrite has its own answer box, whose
exercise id is the spot exercise's id with :data:`REWRITE_SUFFIX` (``"<id>:rewrite"``).
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping, Sequence

from ..compliance.redlines import RedlineRules
from ..compliance.redlines import lint as lint_script
from ..delinquency import M_BUCKETS
from ..errors import CalculatorInputError
from ..money import to_amount
from .inputs import normalize_number, normalize_text
from .views import View, typed_error

__all__ = ["ANSWER_FIELDS", "REWRITE_SUFFIX", "REWRITE_MIN_HAN", "REWRITE_MAX_CHARS", "grade", "grade_rewrite",
           "check_rewrite", "exercise_view", "parse_lines"]

#: The form fields of the ``exercise`` tool: the key (JSON, fixed by the page), the trainee's answer, and the
#: mode (empty, or ``"rewrite"`` for a spot exercise's rewritten line).
ANSWER_FIELDS = {"key": ("练习数据", "hidden", ""), "answer": ("你的答案", "text", ""), "mode": ("方式", "hidden", "")}
#: The rewrite box of spot exercise ``x`` has the exercise id ``x:rewrite`` (inputs, 提交, verdict, stored results).
REWRITE_SUFFIX = ":rewrite"
#: A rewrite is a sentence in Chinese: at least this many Han characters ...
REWRITE_MIN_HAN = 4
#: ... and one line, not a page: at most this many characters.
REWRITE_MAX_CHARS = 200
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[\W_]+")
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
        if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= count:  # (int() reads any script's digits)
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
    if unit != "percent":  # an amount is read as the calculators read one: not negative, to the fen ("40.001" is no answer)
        to_amount(plain, "answer")
    elif number < 0:
        raise CalculatorInputError("answer", typed, "a percentage ≥ 0", allowed_zh="不小于 0 的百分数")
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
    return chosen == sorted(key["lines"]), "、".join(f"第 {n} 条" for n in chosen)  # (as the key's answer is shown)


_GRADERS = {"compute": _compute, "choice": _choice, "spot": _spot}


def grade(key: Mapping[str, Any], typed: str) -> View:
    """Check ``typed`` against an exercise key: a view with the verdict, the feedback and the worked solution.

    >>> key = {"id": "fee", "kind": "compute", "unit": "amount", "value": "40.00", "shown": "40.00 元",
    ...        "solution": "<p>1000 − 200 = 800；800 × 5% = 40.00 元。</p>"}
    >>> grade(key, "￥４０").summary["verdict"], grade(key, "40.5").summary["verdict"]
    ('correct', 'incorrect')
    >>> grade(key, "四十").error_message
    '你的答案：您填的是“四十”。请用阿拉伯数字 0-9 填写：“四”不是（汉字数字、上标、圈号等都不能代替）。'
    """
    try:
        right, answer = _GRADERS[key["kind"]](key, typed)
    except CalculatorInputError as error:
        return View(error_field="answer", error_message=typed_error("你的答案", str(error.value), error))
    verdict = "correct" if right else "incorrect"
    head = ("<p class=\"hb-verdict-text\"><b>✔ 回答正确。</b></p>" if right else
            f"<p class=\"hb-verdict-text\"><b>✘ 不对。</b>你的答案是 {html.escape(answer)}；正确答案是 "
            f"{html.escape(str(key['shown']))}。可以修改后再次提交。</p>")
    note = ""
    if key["kind"] == "choice" and not right and key["options"][answer]:  # a site page's key leaves them to the solution
        note = f"<p>你选的 {html.escape(answer)}：{html.escape(key['options'][answer])}</p>"
    body = head + note + "<div class=\"hb-solution\"><p><b>解析</b></p>" + key.get("solution", "") + "</div>"
    return View(html=body, summary={"verdict": verdict, "answer": answer, "id": str(key["id"])})


def check_rewrite(typed: str, originals: Sequence[str], rules: RedlineRules, model: Any = "default") -> tuple[bool, str, list[str]]:
    """Whether ``typed`` is an acceptable rewrite of an offending line: ``(passed, text, reasons it fails)``.

    The rule, kept minimal on purpose (the linter is the judge of what is said):

    1. it is one line of Chinese: not empty, at least :data:`REWRITE_MIN_HAN` Han
       characters, at most :data:`REWRITE_MAX_CHARS` characters (otherwise an
       input error, :class:`~calculators.errors.CalculatorInputError`, as for any
       unreadable answer);
    2. it is a rewrite: not the same as an original line once spaces and
       punctuation are ignored, and it shares at least one Han character with the
       original lines (a rough guard against unrelated text);
    3. the red-line linter (:func:`calculators.compliance.redlines.lint`, the same
       call as the site's linter form) finds nothing: neither layer, so a pattern
       match (越过红线) and the model's 可能越线，需复核 flag both fail it.

    It checks what is *said*; whether a contact's time or person was allowed is
    what choosing the lines tests.  ``model`` is the linter's model argument
    (``"default"``: the packaged model, as everywhere else).

    >>> from procedures.rules import redlines
    >>> rules, original = redlines(), ["打到客户单位，请同事转告“他信用卡欠款逾期了，让他赶紧还”。"]
    >>> check_rewrite("只联系客户本人的手机，不向同事透露任何欠款信息。", original, rules)
    (True, '只联系客户本人的手机，不向同事透露任何欠款信息。', [])
    >>> ok, _, why = check_rewrite("请同事转告他信用卡欠款逾期了，再不还就等着坐牢吧。", original, rules)
    >>> ok, len(why), why[1].split("（")[0]
    (False, 2, '越过红线：“坐牢”属于夸大法律或征信后果')
    >>> check_rewrite(" 打到客户单位，请同事转告“他信用卡欠款逾期了，让他赶紧还”", original, rules)[2][0]
    '与原记录相同：请改写这一条，而不是照抄'

    >>> check_rewrite("ok", original, rules)
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: answer='ok' is not allowed: one line of Chinese, 4 to 200 characters
    """
    text = typed.strip()  # linted as typed (the linter reads Chinese punctuation); compared normalised
    han = _HAN.findall(normalize_text(text))
    if len(han) < REWRITE_MIN_HAN or len(text) > REWRITE_MAX_CHARS or "\n" in text:
        raise CalculatorInputError("answer", typed, f"one line of Chinese, {REWRITE_MIN_HAN} to {REWRITE_MAX_CHARS} characters",
                                   allowed_zh=f"用中文写出改写后的一句话（一行，至少 {REWRITE_MIN_HAN} 个汉字，"
                                              f"不超过 {REWRITE_MAX_CHARS} 个字）")
    reasons = []
    bare = _NOT_WORD.sub("", normalize_text(text))
    if any(bare == _NOT_WORD.sub("", normalize_text(line)) for line in originals):
        reasons.append("与原记录相同：请改写这一条，而不是照抄")
    elif originals and not set(han) & set(_HAN.findall("".join(originals))):
        reasons.append("与原记录没有一个相同的字：请改写违规的那一条，而不是另写无关的话")
    findings = lint_script(text, rules) if model == "default" else lint_script(text, rules, model)
    for f in findings:
        basis = "；".join(f.sources)
        reasons.append(f"{f.verdict}：“{f.text}”属于{f.name}（{f.rule.rstrip('。')}" + (f"；依据：{basis}" if basis else "") + "）")
    return not reasons, text, reasons


def grade_rewrite(key: Mapping[str, Any], typed: str, rules: RedlineRules) -> View:
    """Check a rewritten line for spot exercise ``key``: the verdict (id ``<id>:rewrite``) and the reasons.

    >>> from procedures.rules import redlines
    >>> key = {"id": "x", "kind": "spot", "originals": ["打到客户单位，请同事转告他欠款逾期了。"]}
    >>> view = grade_rewrite(key, "请转告他：欠款逾期了，再不还钱就等着坐牢吧！", redlines())
    >>> view.summary["verdict"], view.summary["id"], "坐牢" in view.html
    ('incorrect', 'x:rewrite', True)
    >>> grade_rewrite(key, "只联系客户本人，不向同事透露欠款。", redlines()).summary["verdict"]
    'correct'
    """
    ident = str(key["id"]) + REWRITE_SUFFIX
    try:
        right, text, reasons = check_rewrite(typed, key.get("originals", []), rules)
    except CalculatorInputError as error:
        return View(error_field="answer", error_message=typed_error("你的改写", str(error.value), error))
    scope = ("<p class=\"hb-disclaimer\">检查的是“说了什么”（话术红线检查：规则和统计模型两层）；"
             "什么时候联系、联系谁是否合规，请在上面选出违规的记录。</p>")
    if right:
        body = "<p class=\"hb-verdict-text\"><b>✔ 改写通过。</b>话术红线检查没有发现问题。</p>" + scope
    else:
        items = "".join(f"<li>{html.escape(r)}</li>" for r in reasons)
        body = (f"<p class=\"hb-verdict-text\"><b>✘ 改写未通过。</b>可以修改后再次提交。</p><ul>{items}</ul>" + scope)
    return View(html=body, summary={"verdict": "correct" if right else "incorrect", "answer": text, "id": ident})


def exercise_view(values: Mapping[str, str], context: Any = None) -> View:
    """The ``exercise`` tool of :data:`calculators.frontends.TOOLS`: ``values["key"]`` is the key as JSON.

    ``values["mode"] == "rewrite"`` checks a spot exercise's rewritten line with the red lines in ``context``
    (a :class:`~calculators.compliance.redlines.RedlineRules`; on CPython, ``None`` loads the handbook's).

    >>> key = json.dumps({"id": "c", "kind": "choice", "correct": "B", "shown": "B",
    ...                   "options": {"A": "威胁。", "B": "合规。", "C": "推诿。"}, "solution": "<p>选 B。</p>"})
    >>> exercise_view({"key": key, "answer": "b"}).summary["verdict"]
    'correct'
    >>> spot = json.dumps({"id": "s", "kind": "spot", "originals": ["打给客户单位的同事，说他欠钱不还。"]})
    >>> exercise_view({"key": spot, "answer": "只打给客户本人，不对同事提欠款。", "mode": "rewrite"}).summary["verdict"]
    'correct'
    """
    key = json.loads(values["key"])
    if values.get("mode") == "rewrite":
        if key.get("kind") != "spot":
            return View(error_field="answer", error_message="你的改写：只有找错题可以改写违规的记录。")
        if context is None:
            from procedures.rules import redlines

            context = redlines()
        return grade_rewrite(key, values.get("answer", ""), context)
    return grade(key, values.get("answer", ""))
