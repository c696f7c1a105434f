"""Answerable exercises: the keys the front ends grade with, the site's answer forms, the live widgets, class summaries.

:func:`exercise_key` turns one exercise of ``procedures/exercises/*.yml`` into
the JSON-ready key that :func:`calculators.ui.practice.grade` checks answers
against: compute answers and their working come from the calculators with the
build's profile, choice and spot keys are the ones :func:`procedures.exercises.problems`
verified with the linter and the contact-plan checker.  :func:`practice_markdown`
is an exercises page with an answer form before each folded answer (the static
site: graded in the browser by the same Python, in Pyodide);
:func:`show_exercises` shows the page, with an
:class:`calculators.ui.practice_widgets.ExerciseWidget` per exercise in JupyterLab.

A trainee's results stay in the browser (``localStorage``) and are exported as
a JSON file (:data:`EXPORT_FORMAT`); ``python -m procedures.practice summary
FILES...`` (``make class-summary FILES=...``) combines a class's files: for each
exercise, the share answered correctly at the first try and in the end, and the
commonest wrong answers.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping

from calculators import handbook_terms
from calculators.compliance.conduct import CHECKED_RULES, WARNING_RULES
from calculators.terms import Terms

from . import exercises, rules
from .exercises import LETTERS, ChoiceExercise, ComputeExercise, ExerciseSet, SpotExercise
from .render import fill_profile

__all__ = ["EXPORT_FORMAT", "MARKER", "REWRITE_SUFFIX", "attribute_json", "exercise_key", "form_html", "page_key", "practice_markdown", "chunks",
           "all_keys", "read_export", "summarize", "summary_text", "main"]

#: The ``format`` field of a trainee's exported results (written by book/_static/practice.js).
EXPORT_FORMAT = "hb-practice/1"
#: A spot exercise's rewrite box has this suffix on its id (``x:rewrite``); the grader, a front end this layer may
#: not import, names the same suffix ``calculators.ui.practice.REWRITE_SUFFIX`` (tests/test_practice_rewrite.py).
REWRITE_SUFFIX = ":rewrite"
#: Where each exercise's folded answer starts in :func:`procedures.exercises.exercises_markdown`.
MARKER = ":::{admonition} 答案与解析\n:class: dropdown"


def _markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text).strip()


def _sources(cites) -> str:
    if not cites:
        return ""
    return "<p>出处：" + html.escape("；".join(rules.cite_text(c) for c in cites)) + "。</p>"


def _compute_key(exercise: ComputeExercise, terms: Terms) -> dict[str, Any]:
    solution = exercises.solve(exercise, terms)
    unit = "text" if exercise.ask in exercises._TEXT_QUANTITIES else "percent" if exercise.ask in exercises._RATE_QUANTITIES else "amount"
    label = exercises.FUNCTIONS[exercise.function].asks[exercise.ask]
    working = _markdown_html(exercises._paragraphs(solution.working))
    solution_html = (f"<p><b>{html.escape(label)}：{html.escape(solution.shown)}</b>（按本次构建的条款配置 "
                     f"<code>{html.escape(terms.code)}</code> 由计算器算出）</p>" + working + _sources(exercise.sources))
    return {"unit": unit, "value": str(solution.value), "shown": solution.shown, "label": label, "solution": solution_html}


def _choice_key(exercise: ChoiceExercise) -> dict[str, Any]:
    correct = next(letter for letter, o in zip(LETTERS, exercise.options) if o.correct)
    items = "".join(f"<li><b>{letter}</b>（{'✔ 正确' if o.correct else '✘ 错误'}）：{html.escape(o.why)}</li>"
                    for letter, o in zip(LETTERS, exercise.options))
    return {"correct": correct, "shown": correct, "options": {letter: o.why for letter, o in zip(LETTERS, exercise.options)},
            "solution": f"<ul>{items}</ul>" + _sources(exercise.sources)}


def _spot_key(exercise: SpotExercise) -> dict[str, Any]:
    conduct = rules.conduct_rules()
    lines = sorted({b.attempt for b in exercise.answer})
    breaches = sorted(exercise.answer, key=lambda b: (b.attempt, CHECKED_RULES.index(b.rule)))
    items = "".join(f"<li><b>第 {b.attempt} 条</b>违反“{html.escape(conduct.rule(b.rule).title)}”：{html.escape(b.why)}"
                    f"（依据：{html.escape(conduct.rule(b.rule).source_text)}）</li>" for b in breaches)
    cautions = sorted(exercise.cautions, key=lambda c: (c.attempt, WARNING_RULES.index(c.rule)))
    notes = ""
    if cautions:
        notes = ("<p>没有违规，不等于合理。检查器还提示（不算违规，须组长复核）：</p><ul>" + "".join(
            f"<li>第 {c.attempt} 条·{html.escape(conduct.rule(c.rule).title)}：{html.escape(c.why)}</li>" for c in cautions) + "</ul>")
    shown = "、".join(f"第 {i} 条" for i in lines)
    # The offending lines as recorded: a rewrite (calculators.ui.practice.check_rewrite) must not copy them.
    originals = [exercise.log[i - 1].note for i in lines]
    return {"count": len(exercise.log), "lines": lines, "shown": shown, "originals": originals,
            "solution": f"<ul>{items}</ul>{notes}<p>与联系记录检查工具的结果一致。</p>" + _sources(exercise.sources)}


def exercise_key(exercise: Any, terms: Terms | None = None) -> dict[str, Any]:
    """The JSON-ready key :func:`calculators.ui.practice.grade` checks answers with (profile tokens filled in).

    >>> from calculators import load_terms
    >>> key = exercise_key(exercises.load("calc").exercises[0], load_terms("cmb"))
    >>> key["id"], key["kind"], key["value"], key["unit"]
    ('late-fee-partial', 'compute', '40.00', 'amount')
    """
    terms = handbook_terms() if terms is None else terms
    if isinstance(exercise, ComputeExercise):
        body = _compute_key(exercise, terms)
    elif isinstance(exercise, ChoiceExercise):
        body = _choice_key(exercise)
    else:
        body = _spot_key(exercise)
    key = {"id": exercise.id, "kind": exercise.kind, "title": exercise.title, **body}
    key["solution"] = fill_profile(key["solution"], terms)
    if "originals" in key:
        key["originals"] = [fill_profile(line, terms) for line in key["originals"]]
    return key


def all_keys(terms: Terms | None = None) -> dict[str, dict[str, Any]]:
    """Every exercise's key, by id, over all chapters (ids are unique across the handbook).

    >>> keys = all_keys()
    >>> len(keys) == sum(len(exercises.load(c).exercises) for c in exercises.CHAPTERS)
    True
    """
    terms = handbook_terms() if terms is None else terms
    keys: dict[str, dict[str, Any]] = {}
    for chapter in exercises.CHAPTERS:
        for exercise in exercises.load(chapter).exercises:
            if exercise.id in keys:
                raise ValueError(f"exercise id {exercise.id!r} is used in two chapters; ids must be unique")
            keys[exercise.id] = {**exercise_key(exercise, terms), "chapter": chapter}
    return keys


def page_key(key: Mapping[str, Any]) -> dict[str, Any]:
    """What a site page carries of a key: what grading needs, without the texts the page already shows.

    The worked solution and the choice options' explanations are in the folded answer that follows the
    form; book/_static/practice.js hands that answer to the grader as ``solution`` (a page stays no
    heavier than a calculator page, issue 13).

    >>> page_key({"id": "c", "kind": "choice", "title": "t", "correct": "B", "shown": "B",
    ...           "options": {"A": "威胁。", "B": "合规。"}, "solution": "<ul>…</ul>", "chapter": "rules"})
    {'id': 'c', 'kind': 'choice', 'correct': 'B', 'shown': 'B', 'options': {'A': '', 'B': ''}}
    """
    out = {k: v for k, v in key.items() if k not in ("title", "label", "chapter", "solution")}
    if "options" in out:
        out["options"] = {letter: "" for letter in out["options"]}
    return out


def _rewrite_html(ident: str) -> str:
    """The rewrite box of a spot exercise: its own id ``<id>:rewrite`` for input, 提交 and verdict."""
    rid = ident + REWRITE_SUFFIX
    dom = f"hbe-{ident}-rw"
    return (f'<div class="hb-exercise hb-rewrite" data-exercise-box="{rid}" data-mode="rewrite" data-key-of="{ident}">'
            f'<form autocomplete="off" onsubmit="return false"><label>或者改写：把一条违规记录改成合规的说法'
            f'（须通过话术红线检查）<input type="text" data-exercise="{rid}" aria-describedby="{dom}"></label>'
            f'<button type="button" data-exercise-submit="{rid}">提交</button>'
            f'<span class="hb-error" id="{dom}" role="alert"></span></form>'
            f'<div class="hb-verdict" data-verdict-for="{rid}" aria-live="polite"></div></div>')


def form_html(key: Mapping[str, Any]) -> str:
    """The site's answer form for one exercise, on one line (a raw HTML block in the page's Markdown).

    The stable test contract: inputs carry ``data-exercise``, the 提交 button
    ``data-exercise-submit``, and the verdict element ``data-verdict-for``.  A spot
    exercise ``x`` also has a rewrite box with the same three under the id ``x:rewrite``.

    >>> text = form_html({"id": "x", "kind": "choice", "options": {"A": "", "B": ""}})
    >>> 'data-exercise-submit="x"' in text and 'data-verdict-for="x"' in text and "\\n" not in text
    True
    >>> 'data-exercise-submit="s:rewrite"' in form_html({"id": "s", "kind": "spot", "count": 2, "lines": [1]})
    True
    """
    ident = html.escape(key["id"])
    dom = f"hbe-{ident}"  # the error message's id
    # The form's autocomplete="off" covers its fields, a label holds its field, a group of options has one
    # description (on its fieldset), and only radio buttons need a name: a page stays no heavier than a calculator
    # page (issue 13).
    common = f'name="answer" data-exercise="{ident}"'
    described = f'aria-describedby="{dom}"'
    if key["kind"] == "compute":
        hint = {"amount": "金额（元），例如 40.00", "percent": "百分数，例如 14.31%", "text": "例如 M3"}[key["unit"]]
        mode = '' if key["unit"] == "text" else ' inputmode="decimal"'
        control = (f'<label>你的答案（{html.escape(key.get("label", ""))}）'
                   f'<input type="text"{mode} placeholder="{hint}" data-exercise="{ident}" {described}></label>')
    elif key["kind"] == "choice":
        control = (f'<fieldset {described}><legend>你的选择</legend>' + "".join(
            f'<label><input type="radio" value="{letter}" {common}> {letter}</label>' for letter in key["options"])
            + "</fieldset>")
    else:
        control = (f'<fieldset {described}><legend>违反检查规则的记录（可多选）</legend>' + "".join(
            f'<label><input type="checkbox" value="{i}" data-exercise="{ident}"> 第 {i} 条</label>'
            for i in range(1, int(key["count"]) + 1)) + "</fieldset>")
    data = attribute_json(page_key(key))
    return (f'<div class="hb-exercise" data-exercise-box="{ident}" data-key=\'{data}\'>'
            f'<form autocomplete="off" onsubmit="return false">{control}'
            f'<button type="button" data-exercise-submit="{ident}">提交</button>'
            f'<span class="hb-error" id="{dom}" role="alert"></span></form>'
            f'<div class="hb-verdict" data-verdict-for="{ident}" aria-live="polite"></div></div>'
            + (_rewrite_html(ident) if key["kind"] == "spot" else ""))


def attribute_json(data: Any) -> str:
    """``data`` as compact JSON for a single-quoted HTML attribute (only ``&``, ``<``, ``>`` and ``'`` escaped).

    >>> attribute_json({"a": "it's <b>"})
    '{"a":"it&#x27;s &lt;b&gt;"}'
    """
    return html.escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")), quote=False).replace("'", "&#x27;")


def chunks(exercise_set: ExerciseSet, terms: Terms, page: int | None = None) -> list[str]:
    """The page Markdown cut before each folded answer: chunk ``i`` ends with the page's exercise ``i``'s question.

    ``page``: one site page of the chapter (:func:`procedures.exercises.on_page`); ``None``: the whole chapter.
    """
    text = exercises.exercises_markdown(exercise_set, terms, page)
    chunks = text.split(MARKER)
    if len(chunks) != len(exercises.on_page(exercise_set, page)) + 1:
        raise ValueError(f"{exercise_set.chapter}: expected one folded answer per exercise, found {len(chunks) - 1}")
    return [chunks[0]] + [MARKER + c for c in chunks[1:]]


PROGRESS = ('<div class="hb-progress" data-hb-progress=""><p class="hb-status">浏览器计算引擎加载后即可在每题下作答'
            '（本机检查，不联网）；加载前请展开各题的“答案与解析”自行核对。</p><p>你的作答记录只保存在本浏览器中'
            '（localStorage），不会发送到任何地方。引擎加载后，可在这里导出记录文件交给讲师。</p></div>')


def practice_markdown(exercise_set: ExerciseSet, terms: Terms | None = None, page: int | None = None) -> str:
    """The exercises page with an answer form before each folded answer (the static site).

    ``page``: one site page of the chapter; ``None``: the whole chapter.

    >>> text = practice_markdown(exercises.load("rules"))
    >>> text.count('class="hb-exercise"') == len(exercises.load("rules").exercises) == text.count(MARKER)
    True
    >>> practice_markdown(exercises.load("rules"), page=2).count(MARKER) == len(exercises.on_page(exercises.load("rules"), 2))
    True
    """
    terms = handbook_terms() if terms is None else terms
    parts = chunks(exercise_set, terms, page)
    out = [parts[0]]
    for (_, exercise), chunk in zip(exercises.on_page(exercise_set, page), parts[1:]):
        out[-1] = out[-1].rstrip("\n") + "\n\n" + form_html(exercise_key(exercise, terms)) + "\n\n"
        out.append(chunk)
    return PROGRESS + "\n\n" + "".join(out)


# --- class summaries ---------------------------------------------------------------------------------------------


def read_export(path: Path | str) -> dict[str, list[dict[str, Any]]]:
    """One trainee's exported file: exercise id -> attempts (each ``{"answer", "verdict"}``), in order.

    A file of another format raises ``ValueError`` naming the file.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not a readable JSON export ({error})") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("results"), dict):
        raise ValueError(f"{path}: not a practice export (expected \"format\": \"{EXPORT_FORMAT}\" and \"results\")")
    out = {}
    for ident, record in data["results"].items():
        attempts = record.get("attempts") if isinstance(record, dict) else None
        if not isinstance(attempts, list) or not all(isinstance(a, dict) and a.get("verdict") in ("correct", "incorrect")
                                                      for a in attempts):
            raise ValueError(f"{path}: results[{ident!r}].attempts must be a list of {{answer, verdict}}")
        out[str(ident)] = [{"answer": str(a.get("answer", "")), "verdict": a["verdict"]} for a in attempts]
    return out


def summarize(exports: Iterable[Mapping[str, list[Mapping[str, Any]]]], top: int = 3) -> dict[str, dict[str, Any]]:
    """Per exercise: trainees who tried it, share right at the first try and in the end, commonest wrong answers.

    >>> a = {"q": [{"answer": "B", "verdict": "incorrect"}, {"answer": "A", "verdict": "correct"}]}
    >>> b = {"q": [{"answer": "A", "verdict": "correct"}]}
    >>> summarize([a, b])["q"]
    {'trainees': 2, 'first_try': 0.5, 'in_the_end': 1.0, 'wrong': [('B', 1)]}
    """
    tried: Counter[str] = Counter()
    first: Counter[str] = Counter()
    end: Counter[str] = Counter()
    wrong: dict[str, Counter[str]] = {}
    for export in exports:
        for ident, attempts in export.items():
            if not attempts:
                continue
            tried[ident] += 1
            first[ident] += attempts[0]["verdict"] == "correct"
            end[ident] += any(a["verdict"] == "correct" for a in attempts)
            wrong.setdefault(ident, Counter()).update(a["answer"] for a in attempts if a["verdict"] == "incorrect")
    return {ident: {"trainees": n, "first_try": first[ident] / n, "in_the_end": end[ident] / n,
                    "wrong": wrong[ident].most_common(top)} for ident, n in sorted(tried.items())}


def summary_text(summary: Mapping[str, Mapping[str, Any]], titles: Mapping[str, str] | None = None) -> str:
    """The summary as a Markdown table (Chinese headings), in the order of the exercises when titles are given.

    >>> print(summary_text({"q": {"trainees": 2, "first_try": 0.5, "in_the_end": 1.0, "wrong": [("B", 1)]}}))
    | 练习 | 作答人数 | 首次答对 | 最终答对 | 常见错误答案（次数） |
    |---|---:|---:|---:|---|
    | q | 2 | 50% | 100% | B（1） |
    """
    titles = titles or {}
    order = [i for i in titles if i in summary] + sorted(i for i in summary if i not in titles)
    rows = ["| 练习 | 作答人数 | 首次答对 | 最终答对 | 常见错误答案（次数） |", "|---|---:|---:|---:|---|"]
    for ident in order:
        s = summary[ident]
        name = f"{titles[ident]}（{ident}）" if ident in titles else ident
        wrong = "；".join(f"{answer}（{count}）" for answer, count in s["wrong"]) or "—"
        rows.append(f"| {name} | {s['trainees']} | {s['first_try']:.0%} | {s['in_the_end']:.0%} | {wrong} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """``python -m procedures.practice summary FILES...``: print a class summary of exported results."""
    parser = argparse.ArgumentParser(prog="python -m procedures.practice", description="练习记录汇总（讲师用）")
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", help="汇总学员导出的练习记录文件")
    summary.add_argument("files", nargs="+", type=Path)
    summary.add_argument("--json", action="store_true", help="输出 JSON 而不是表格")
    args = parser.parse_args(argv)
    try:
        exports = [read_export(path) for path in args.files]
    except ValueError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    result = summarize(exports)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        titles = {}
        for ident, key in all_keys().items():
            titles[ident] = key["title"]
            if key["kind"] == "spot":  # its rewrite box is recorded under its own id
                titles[ident + REWRITE_SUFFIX] = key["title"] + "·改写"
        print(f"共 {len(exports)} 份记录。\n")
        print(summary_text(result, titles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
