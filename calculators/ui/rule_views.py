"""Views of the three rule tools: contact-plan checker, malicious-overdraft tracker, script linter.

Same contract as :mod:`calculators.views`: text inputs in (what a form or a
widget holds), a :class:`~calculators.views.View` out (result HTML, or the
field in error and the checker's own message).  The short line formats below
are a view concern only; every rule lives in :mod:`calculators.compliance.conduct`,
:mod:`calculators.compliance.overdraft` and :mod:`calculators.compliance.redlines` and their data.
Standard library only (runs in the browser).
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any, Mapping

from ..compliance.conduct import CHANNELS, CONTENTS, PERSONS, ConductRules, check_contact_plan
from ..compliance.overdraft import OverdraftRules, overdraft_exposure
from ..dates import to_date
from ..display import yuan
from ..errors import CalculatorInputError
from ..compliance.redline_model import default_model
from ..compliance.redlines import Finding, RedlineRules, has_customer_turn, lint
from .inputs import normalize_date, normalize_leading_date, normalize_text
from .views import CJK, View, field_error, read_inputs

__all__ = [
    "CONDUCT_FIELDS", "CONDUCT_DEFAULTS", "OVERDRAFT_FIELDS", "OVERDRAFT_DEFAULTS", "LINT_FIELDS", "LINT_DEFAULTS",
    "parse_attempts", "parse_collections", "conduct_view", "overdraft_view", "lint_view",
]

# Words a trainer types for each vocabulary entry (the English codes are accepted too).
CHANNEL_WORDS = {"电话": "phone", "外呼": "ai_call", "智能外呼": "ai_call", "短信": "sms", "App": "app", "APP": "app",
                 "邮件": "email", "信函": "letter", "外访": "visit", "网点": "branch"}
PERSON_WORDS = {"本人": "debtor", "担保人": "guarantor", "联系人": "contact", "预留联系人": "contact", "第三人": "third_party",
                "未核实": "unverified"}
ANSWER_WORDS = {"接通": True, "未接通": False}
CONTENT_WORDS = {"核身": "identity_check", "找人": "locate", "提醒": "reminder", "协商": "negotiation",
                 "告知欠款": "debt_disclosure", "法律告知": "legal_notice", "其他": "other"}
FLAG_WORDS = {"同意夜间": ("customer_consented_to_quiet_hours", True), "失联": ("debtor_reachable", False),
              "可联系": ("debtor_reachable", True), "要求停止": ("asked_to_stop", True), "已录音": ("recorded", True),
              "未录音": ("recorded", False), "出示证件": ("id_shown", True), "未出示证件": ("id_shown", False),
              "入户": ("entered_premises", True), "同意入户": ("consent_to_enter", True)}

CONDUCT_FIELDS = {
    "attempts": ("联系记录（每行一次：日期 时间 渠道 联系方式 对象 接通/未接通 内容 [标记…]）", "textarea",
                 "例如 2026-03-02 21:30 电话 手机1 本人 接通 提醒 已录音"),
}
CONDUCT_DEFAULTS = {"attempts": "\n".join([
    "2026-03-02 09:10 电话 手机1 本人 未接通 提醒",
    "2026-03-02 21:59 电话 手机1 本人 接通 提醒 已录音",
    "2026-03-02 22:00 短信 手机1 本人 未接通 提醒",
    "2026-03-03 10:00 电话 手机2 联系人 接通 告知欠款 失联 已录音",
])}
OVERDRAFT_FIELDS = {
    "unpaid_principal": ("未还透支本金（元，不含利息、违约金、费用）", "text", "例如 52000"),
    "overdue_since": ("超过限额或期限之日", "date", ""),
    "as_of": ("核对日期", "date", ""),
    "collections": ("催收记录（每行一次：送达日期 方式 有回执/无回执 [逃避] [不合规]）", "textarea", "例如 2026-03-01 电话 有回执"),
}
OVERDRAFT_DEFAULTS = {"unpaid_principal": "52000", "overdue_since": "2026-02-10", "as_of": "2026-07-01",
                      "collections": "2026-03-01 电话 有回执\n2026-03-20 信函 无回执\n2026-03-31 信函 有回执"}
OVERDRAFT_KINDS = {"unpaid_principal": "amount"}
LINT_FIELDS = {"text": ("待检查的话术（粘贴草稿）", "textarea", "每句一行或整段粘贴")}
LINT_DEFAULTS = {"text": "您好，请问是李女士本人吗？我是信用卡中心的工作人员。您的账户已经逾期，"
                         "今天再不还钱，我们就把情况告诉您的单位和家人。"}

_SEPARATORS = re.compile(r"[\s,，、]+")


#: A date and a time joined by ``T``, as the API writes them ("2026-03-02T22:00"): the form reads it as the two words.
_JOINED_TIME = re.compile(r"(\S+?)T([0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)")
#: Longest stretch of a typed line that a message quotes (a long paste is quoted by its start).
_QUOTED_LINE = 40


def _words(line: str) -> list[str]:
    # (2026.3.2, 2026年3月2日, 2026 年 3 月 2 日: the date as the readers take it)
    return [word for word in _SEPARATORS.split(normalize_leading_date(line)) if word]


def _quote(line: str) -> str:
    """A typed line as a message quotes it: “…”, a long one by its start.

    >>> _quote("2026-03-01 电话"), _quote("啊" * 50)[-12:]
    ('“2026-03-01 电话”', '啊……（共 50 字）”')
    """
    text = line.strip()
    return f"“{text}”" if len(text) <= _QUOTED_LINE else f"“{text[:_QUOTED_LINE]}……（共 {len(text)} 字）”"


def _lookup(word: str, words: Mapping[str, Any], codes: Mapping[str, str], number: int, line: str, zh: str) -> Any:
    if word in words:
        return words[word]
    if word in codes:
        return word
    raise CalculatorInputError(f"attempts[{number - 1}]", word, f"one of {', '.join(words)} (or {', '.join(codes)}) in line {number}: {line}",
                               allowed_zh=f"{zh}“{word}”不认识；{zh}须为以下之一：{'、'.join(words)}（第 {number} 行：{_quote(line)}）")


def parse_attempts(text: str) -> list[dict[str, Any]]:
    """Lines ``date time channel method person answered content [flags…]`` into checker input.

    >>> parse_attempts("2026-03-02 21:59 电话 手机1 本人 接通 提醒 已录音")[0]["time"]
    '2026-03-02T21:59'
    """
    attempts = []
    rows = [normalize_text(line) for line in (text or "").splitlines() if line.strip()]
    for index, line in enumerate(rows):
        field = f"attempts[{index}]"
        words = _words(line)
        joined = _JOINED_TIME.fullmatch(words[0]) if words else None  # (the API's 2026-03-02T22:00: a date and a time)
        if joined:
            words = [normalize_date(joined.group(1)), joined.group(2), *words[1:]]
        if len(words) < 7:
            raise CalculatorInputError(field, line, "date time channel method person answered content [flags]",
                                       allowed_zh=f"第 {index + 1} 行{_quote(line)}只有 {len(words)} 项；每行须依次写：日期 时间 渠道 "
                                                  "联系方式 对象 接通/未接通 内容 [标记]")
        attempt: dict[str, Any] = {
            "time": f"{words[0]}T{words[1]}",
            "channel": _lookup(words[2], CHANNEL_WORDS, CHANNELS, index + 1, line, "渠道"),
            "method": words[3],
            "person": _lookup(words[4], PERSON_WORDS, PERSONS, index + 1, line, "对象"),
            "answered": _lookup(words[5], ANSWER_WORDS, {}, index + 1, line, "接通情况"),
            "content": _lookup(words[6], CONTENT_WORDS, CONTENTS, index + 1, line, "内容"),
        }
        set_by: dict[str, str] = {}  # (each setting: the flag that set it, so that two flags that contradict are named)
        for flag in words[7:]:
            collectors = re.fullmatch(r"(\d{1,2})人", flag)
            if collectors:
                name, value = "collectors_present", int(collectors.group(1))
            elif flag in FLAG_WORDS:
                name, value = FLAG_WORDS[flag]
            else:
                raise CalculatorInputError(field, flag, "a known flag: " + ", ".join(FLAG_WORDS) + ", or N人",
                                           allowed_zh=f"第 {index + 1} 行的标记“{flag}”不认识；标记须为：{'、'.join(FLAG_WORDS)} "
                                                      "或“N人”（外访人数）")
            if name in set_by and attempt[name] != value:  # "已录音 未录音", "1人 2人": which is it?
                raise CalculatorInputError(field, flag, f"one of the flags {set_by[name]} and {flag} (they contradict each other)",
                                           allowed_zh=f"第 {index + 1} 行的标记“{set_by[name]}”和“{flag}”互相矛盾，请只留一个")
            attempt[name], set_by[name] = value, flag
        attempts.append(attempt)
    return attempts


def conduct_view(inputs: Mapping[str, str], rules: ConductRules) -> View:
    """The contact-plan checker: every violation with its rule and source, then the warnings (not violations).

    >>> from procedures.rules import conduct_rules
    >>> view = conduct_view(CONDUCT_DEFAULTS, conduct_rules())
    >>> view.ok, view.summary["violations"], view.summary["rules"], view.summary["warnings"]
    (True, '2', 'quiet-hours third-party-no-debt-disclosure', '0')
    """
    try:
        attempts = parse_attempts(inputs.get("attempts", ""))
        violations = check_contact_plan(attempts, rules)
    except CalculatorInputError as exc:
        if re.fullmatch(r"attempts\[\d+\]\.time", exc.field) and "YYYY" in exc.allowed_zh:
            # the form takes date and time as two words (a day or a time that does not exist keeps its own message)
            exc = CalculatorInputError(exc.field, exc.value, exc.allowed,
                                       allowed_zh="日期 YYYY-MM-DD 和时刻 HH:MM（24 小时制），中间空一格，例如 2026-03-02 21:30")
        return field_error(exc, CONDUCT_FIELDS, inputs=inputs)
    warnings = violations.warnings
    summary = {"attempts": str(len(attempts)), "violations": str(len(violations)),
               "rules": " ".join(v.rule_id for v in violations), "warnings": str(len(warnings)),
               "warning_rules": " ".join(w.rule_id for w in warnings)}
    notes = ""
    if warnings:
        items = "".join(f"<li>第 {w.index + 1} 条·{html.escape(w.title)}：{html.escape(w.message)}（依据：{html.escape(w.source)}）</li>"
                        for w in warnings)
        notes = (f'<p class="hb-summary">另有 <b>{len(warnings)}</b> 处提示（没有越过上限，但不合理，须组长复核）：</p>'
                 f'<ul class="hb-warnings">{items}</ul>')
    if not violations:
        verdict = "<b>未发现违规</b>" + ("，但有提示，请看下方。" if warnings else "。")
        return View(html=f'<p class="hb-summary">{len(attempts)} 条记录，{verdict}</p>' + notes, summary=summary)
    body = "".join(
        f"<tr><td>{v.index + 1}</td><td>{html.escape(v.title)}</td><td>{html.escape(v.message)}</td><td>{html.escape(v.source)}</td></tr>"
        for v in violations
    )
    return View(
        html=(f'<p class="hb-summary">{len(attempts)} 条记录，发现 <b>{len(violations)}</b> 处违规：</p>'
              '<div class="hb-table-wrap"><table class="table"><thead><tr><th>记录</th><th>规则</th><th>说明</th><th>依据</th></tr></thead>'
              f"<tbody>{body}</tbody></table></div>" + notes),
        summary=summary,
    )


def parse_collections(text: str) -> list[dict[str, Any]]:
    """Lines ``date method 有回执|无回执 [逃避] [不合规]`` into tracker input.

    >>> parse_collections("2026-03-01 电话 有回执")
    [{'day': '2026-03-01', 'method': '电话', 'receipt_proved': True, 'cardholder_evaded': False, 'compliant': True}]
    """
    items = []
    rows = [normalize_text(line) for line in (text or "").splitlines() if line.strip()]
    for index, line in enumerate(rows):
        words = _words(line)
        field = f"collections[{index}]"
        if len(words) < 3 or words[2] not in ("有回执", "无回执") or any(w not in ("逃避", "不合规") for w in words[3:]):
            raise CalculatorInputError(field, line, "date method 有回执|无回执 [逃避] [不合规]",
                                       allowed_zh=f"第 {index + 1} 行{_quote(line)}不合格式；每行须写：送达日期 方式 有回执/无回执 "
                                                  "[逃避] [不合规]")
        items.append({"day": words[0], "method": words[1], "receipt_proved": words[2] == "有回执",
                      "cardholder_evaded": "逃避" in words[3:], "compliant": "不合规" not in words[3:]})
    return items


def overdraft_view(inputs: Mapping[str, str], rules: OverdraftRules) -> View:
    """The malicious-overdraft tracker: effective collections, end of the three months, amount band.

    >>> from procedures.rules import overdraft_rules
    >>> view = overdraft_view(OVERDRAFT_DEFAULTS, overdraft_rules())
    >>> view.summary["window_end"], view.summary["band"]
    ('2026-06-30', '数额较大')
    """
    try:
        typed = read_inputs(inputs, OVERDRAFT_KINDS)
        collections = parse_collections(inputs.get("collections", ""))
        as_of = typed.get("as_of") or None
        result = overdraft_exposure(collections, typed.get("unpaid_principal", ""), rules,
                                    overdue_since=typed.get("overdue_since", ""), as_of=as_of)
    except CalculatorInputError as exc:
        return field_error(exc, OVERDRAFT_FIELDS, fallback="collections", inputs=inputs, kinds=OVERDRAFT_KINDS)
    summary = {"two_effective": str(result.has_two_effective_collections).lower(), "band": result.band or "",
               "window_end": result.window_end.isoformat() if result.window_end else "", "gap_days": str(result.gap_days or "")}
    if result.first and result.second and result.window_end and result.exceeded_from:  # two effective collections
        passed = (("核对日期已超过" if result.window_passed else "核对日期尚未超过") if result.window_passed is not None
                  else "未填核对日期，无法判断是否已超过")
        found = (f"有两次有效催收：{result.first.day.isoformat()} 与 {result.second.day.isoformat()}，间隔 {result.gap_days} 天"
                 f"（须至少 {rules.min_gap_days} 天）。其后 {rules.months_after} 个月于 <b>{result.window_end.isoformat()}</b> 届满，"
                 f"自 {result.exceeded_from.isoformat()} 起为“超过三个月”；{passed}。")
    else:
        found = f"<b>没有</b>两次间隔至少 {rules.min_gap_days} 天、能证明持卡人收悉的有效催收。"
    excluded = "".join(f"<li>第 {i + 1} 条不计入：{html.escape(reason)}</li>" for i, reason in result.excluded)
    band = (f"未还本金 {yuan(result.unpaid_principal)} 元，达到“<b>{html.escape(result.band)}</b>”档（不低于 {yuan(result.band_minimum)} 元）。"
            if result.band and result.band_minimum is not None else f"未还本金 {yuan(result.unpaid_principal)} 元，低于最低数额档次。")
    warnings: tuple[tuple[str, str], ...] = ()
    if as_of is None:  # (with a check date, later collections are left out and listed; without one, a date in the future is
        # most likely mistyped: a plausibility note, not an error)
        today = date.today()
        future = [str(k + 1) for k, item in enumerate(collections) if to_date(item["day"], "day") > today]
        if future:
            warnings = (("collections", f"第 {'、'.join(future)} 条的送达日期晚于今天（{today.isoformat()}）：请核对日期；"
                                        "要按某一天判断，请填写核对日期。"),)
    return View(
        html=(f'<p class="hb-summary">{found}</p>' + (f"<ul>{excluded}</ul>" if excluded else "")
              + f"<p>{band}</p><p class=\"hb-disclaimer\"><b>注意：</b>{html.escape(result.disclaimer)}</p>"),
        summary=summary, warnings=warnings,
    )


def lint_view(inputs: Mapping[str, str], rules: RedlineRules) -> View:
    """The red-line linter: each finding with its category, the words, the rule and its sources.

    >>> from procedures.rules import redlines
    >>> view = lint_view(LINT_DEFAULTS, redlines())
    >>> int(view.summary["findings"]) >= 1
    True
    """
    text = inputs.get("text", "")
    try:
        findings = lint(text, rules)
    except CalculatorInputError as exc:
        return field_error(exc, LINT_FIELDS, inputs=inputs)
    if not text.strip():  # nothing was checked: no "未发现" for an empty box (a tester's probe, session 33)
        return View(error_field="text", error_message="话术文本：尚未填写。请粘贴或输入要检查的话术。")
    summary = {"findings": str(len(findings)), "categories": " ".join(f.category for f in findings)}
    if not findings and not CJK.search(text):  # punctuation, emoji, English: nothing the checker can read
        return View(html='<p class="hb-summary"><b>未找到可检查的中文文字。</b></p><p class="hb-disclaimer">检查器只读中文话术'
                         "（简体或繁体）；这段文字里没有汉字，所以没有检查任何红线，也不是合规审核结论。</p>",
                    summary={**summary, "checked": "no-chinese"})
    model = default_model()
    checked = (f"已检查：{len(rules.categories)} 类红线说法的规则（{html.escape('；'.join(c.name for c in rules.categories))}），"
               f"以及一个统计模型（在 {model.info.get('items', '')} 句标注语料上训练，对规则没有抓到的每一句打分）；"
               "规则命中的说法，若前后文是否定、禁止、转述或拒绝（由规则的提示词、模型和上下文判断模型认定），不报。")
    caveat = "这不是合规审核结论：检查器只认得见过的说法和相近的说法，可能漏报，也不判断事实是否准确；话术仍须按制度审核。"
    if not findings:
        return View(html=(f'<p class="hb-summary"><b>未发现越过红线的表述。</b></p><p class="hb-disclaimer">{checked}{caveat}</p>'),
                    summary=summary)

    def kind(f: Finding) -> str:
        if f.source != "model":
            return html.escape(f.name)
        words = "、".join(f"“{w}”" for w in f.drivers)
        return (f"{html.escape(f.name)}<br><b>{html.escape(f.verdict)}</b>"
                + (f"（模型依据的词：{html.escape(words)}）" if words else ""))

    body = "".join(
        f"<tr><td>{kind(f)}</td><td>“{html.escape(f.text)}”</td><td>{html.escape(f.rule)}</td><td>{html.escape('；'.join(f.sources))}</td></tr>"
        for f in findings
    )
    ruled = sum(f.source != "model" for f in findings)
    # a customer's or relative's turn ("客户：……") is read as their own words: a complaint or transcript without such
    # labels is read as said to the customer, so a threat the customer reports is flagged (book/scripts/linter.md)
    hint = "" if has_customer_turn(inputs.get("text", ""), rules) else (
        '<p class="hb-hint">如果这是通话、投诉或工单记录，请在每段话前标上说话人（“坐席：”“客户：”“家属：”）'
        "再检查：客户和家属自己说的话，包括他们转述别人的话，不当作对客户说的话检查。</p>")
    counts = "、".join(part for part in (f"<b>{ruled}</b> 处越过红线的表述" if ruled else "",
                                          f"<b>{len(findings) - ruled}</b> 句可能越线、需复核" if ruled < len(findings) else "") if part)
    return View(
        html=(f'<p class="hb-summary">发现 {counts}：</p>'
              '<div class="hb-table-wrap"><table class="table"><thead><tr><th>类别</th><th>原文</th><th>规则</th><th>依据</th></tr></thead>'
              f"<tbody>{body}</tbody></table></div>{hint}<p class=\"hb-disclaimer\">{checked}{caveat}</p>"),
        summary=summary,
    )
