"""Data pages: what a page directive (``tools/directives.py``) renders for a kind and an id.

A data page in ``book/`` is Markdown with one directive line, for example::

    ```{procedure} contact
    ```

and no code: the build renders the knowledge-base data here, checks it, and
parses the result as MyST.  Each kind maps an id to a :class:`Page`: the
Markdown body (profile tokens still unfilled: the directive fills them with the
build's profile), the data files it was rendered from (the page's build
dependencies) and the problems the build must fail on (an answer key that
disagrees with the calculators, a line offered to say that the red-line linter
flags, a template section missing).

>>> page = render("procedure", "contact")
>>> page.problems, "procedures/workflow/contact.yml" in page.files
([], True)
>>> render("procedure", "no-such-stage")
Traceback (most recent call last):
...
procedures.pages.UnknownPage: no procedure 'no-such-stage'; known: understand, contact, plan, follow-up, legal
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from . import loader, rules

__all__ = ["Page", "UnknownPage", "KINDS", "kinds", "render", "expand"]

#: Sections every procedure-template page carries (procedure stages and special situations).
PROCEDURE_SECTIONS = ("## 目的", "## 谁来做、有何权限", "## 需要的信息", "## 步骤", "## 话术要点", "## 合规检查", "## 产出",
                      "## 何时升级", "## 依据")


class UnknownPage(KeyError):
    """A directive names an id that the data does not define."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Page:
    """A rendered data page: its Markdown, the files it was read from (relative to the project root), its problems."""

    markdown: str
    files: tuple[str, ...]
    problems: list[str] = field(default_factory=list)


def _known(kind: str, page_id: str, known) -> None:
    if page_id not in known:
        raise UnknownPage(f"no {kind} {page_id!r}; known: {', '.join(known)}")


def _say_problems(markdown: str, say) -> list[str]:
    from calculators.compliance.redlines import lint

    redlines = rules.redlines()
    problems = [f"section {s!r} missing" for s in PROCEDURE_SECTIONS if s not in markdown]
    for phrase in say:
        if f"“{phrase.text}”" not in markdown:
            problems.append(f"say line not shown: {phrase.text}")
        found = lint(phrase.text, redlines)
        if found:
            problems.append(f"say line flagged by the red-line linter ({', '.join(f.category for f in found)}): {phrase.text}")
    return problems


def _procedure(page_id: str) -> Page:
    from .render import procedure_markdown

    stages = {s.id: s for s in loader.workflow()}
    _known("procedure", page_id, stages)
    markdown = procedure_markdown(stages[page_id])
    files = (f"procedures/workflow/{page_id}.yml", *(f"procedures/workflow/{s}.yml" for s in stages if s != page_id))
    return Page(markdown, files, _say_problems(markdown, stages[page_id].say))


def _challenge(page_id: str) -> Page:
    from .render import challenge_markdown

    challenges = loader.challenges()
    _known("challenge", page_id, challenges)
    return Page(challenge_markdown(challenges[page_id]), (f"procedures/challenges/{page_id}.yml",))


def _situation(page_id: str) -> Page:
    from .situations import situation_markdown, situations

    known = situations()
    _known("situation", page_id, known)
    item = known[page_id]
    markdown = situation_markdown(item)
    return Page(markdown, (f"procedures/situations/{page_id}.yml", "procedures/scripts"), _say_problems(markdown, item.say))


def _role(page_id: str) -> Page:
    from .render import role_markdown

    _known("duties page", page_id, ["role"])
    return Page(role_markdown(loader.role()), ("procedures/role.yml",))


def _skills(page_id: str) -> Page:
    from .render import skills_markdown

    _known("skills page", page_id, ["skills"])
    return Page(skills_markdown(loader.skills()), ("procedures/skills.yml",))


def exercise_problems(exercise_set, markdown: str, page: int | None = None) -> list[str]:
    """Every way the shown exercises disagree with the tools, each naming its exercise (empty when all agree).

    ``page``: ``markdown`` shows that site page of the chapter (its exercises are checked as shown); ``None``: all.

    >>> from procedures import exercises
    >>> chapter = exercises.load("calc")
    >>> exercise_problems(chapter, exercises.exercises_markdown(chapter))
    []
    >>> exercise_problems(chapter, "")[0].startswith(f"exercise {chapter.exercises[0].id!r}")
    True
    """
    from . import exercises

    problems = list(exercises.problems(exercise_set))
    shown = [exercise for _, exercise in exercises.on_page(exercise_set, page)]
    for exercise in shown:
        if isinstance(exercise, exercises.ComputeExercise):
            solution = exercises.solve(exercise)
            if solution.worked_value != solution.value:
                problems.append(f"exercise {exercise.id!r}: the working gives {solution.worked_value}, the calculator {solution.value}")
            elif f"：{solution.shown}**" not in markdown:
                problems.append(f"exercise {exercise.id!r}: the answer {solution.shown} is not shown")
        elif isinstance(exercise, exercises.ChoiceExercise):
            correct = "ABCDEF"[[o.correct for o in exercise.options].index(True)]
            if f"**正确答案：{correct}**" not in markdown:
                problems.append(f"exercise {exercise.id!r}: the correct option {correct} is not shown")
        elif not all(f"**第 {b.attempt} 条**违反" in markdown for b in exercise.answer):
            problems.append(f"exercise {exercise.id!r}: a flagged contact attempt is not shown")
    answers = markdown.count(":::{admonition} 答案与解析\n:class: dropdown")
    if answers != len(shown):
        problems.append(f"{answers} answer boxes for {len(shown)} exercises")
    return problems


def _exercises(page_id: str) -> Page:
    from . import exercises

    # One site page of a chapter's exercises: ``rules`` is its page 1, ``rules-2`` its page 2 (procedures.exercises).
    _known("exercises page", page_id, exercises.page_ids())
    from .practice import practice_markdown

    chapter, page = exercises.split_page_id(page_id)
    exercise_set = exercises.load(chapter)
    # The static answers (folded) with an answer form before each: answered in the browser (calculators.ui.practice).
    markdown = practice_markdown(exercise_set, page=page)
    return Page(markdown, (f"procedures/exercises/{chapter}.yml",), exercise_problems(exercise_set, markdown, page))


def _glossary(page_id: str) -> Page:
    from .render import glossary_markdown, pinyin_key

    _known("terms page", page_id, ["glossary"])
    glossary = loader.glossary()
    markdown = glossary_markdown(glossary)
    heads = [t.term for t in glossary.terms]
    shown = sorted(heads, key=lambda h: markdown.index("\n\n" + h + "\n"))
    problems = [] if shown == sorted(heads, key=pinyin_key) else [f"headwords not in pinyin order: {shown}"]
    return Page(markdown, ("procedures/glossary.yml",), problems)


def _review_log(page_id: str) -> Page:
    from .render import review_log_markdown

    _known("review log", page_id, ["findings"])
    log = loader.review_log()
    markdown = review_log_markdown()
    problems = []
    if sorted(re.findall(r"^\| ([FCRLN]\d+) \|", markdown, re.M)) != sorted(log.reference_ids):
        problems.append("the table rows differ from the review documents' finding ids")
    if not len(set(log.reference_ids)) == len(log.reference_ids) == len(log.entries):
        problems.append("a finding id is missing or repeated")
    return Page(markdown, ("procedures/review-log.yml", "procedures/sources.yml"), problems)


def _stage_problems(rows, markdown: str) -> list[str]:
    """The M0–M7 day ranges and classes shown equal :mod:`calculators.delinquency` at the boundaries and in between."""
    from calculators.delinquency import LOAN_CATEGORIES, delinquency_bucket

    from .render_rules import category_text, days_text

    problems = []
    if [r["bucket"] for r in rows] != ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7"]:
        problems.append(f"buckets {[r['bucket'] for r in rows]}")
    order = [c[0] for c in LOAN_CATEGORIES]
    for r in rows:
        low, high = r["days_from"], r["days_to"]
        top = high if high is not None else low + 365
        wrong = (delinquency_bucket(low).bucket != r["bucket"] or delinquency_bucket(top).bucket != r["bucket"]
                 or (low > 0 and delinquency_bucket(low - 1).bucket == r["bucket"])
                 or (high is not None and delinquency_bucket(high + 1).bucket == r["bucket"])
                 or sorted({delinquency_bucket(d).category for d in range(low, top + 1)}, key=order.index) != r["categories"])
        if wrong:
            problems.append(f"stage {r['bucket']}: range or class differs from calculators.delinquency")
        if f"| {r['bucket']} | {days_text(low, high)} | {category_text(r['categories'])} |" not in markdown:
            problems.append(f"stage {r['bucket']}: overview row not shown")
        if f"### {r['bucket']} {r['name']}（逾期 {days_text(low, high)}，{category_text(r['categories'])}）" not in markdown:
            problems.append(f"stage {r['bucket']}: section heading not shown")
    if not all(a["days_to"] + 1 == b["days_from"] for a, b in zip(rows, rows[1:])):
        problems.append("the stage ranges do not tile the day line")
    if rows and (rows[0]["days_from"] != 0 or rows[-1]["days_to"] is not None):
        problems.append("the stage ranges do not start at 0 or do not end open")
    return problems


def _advice(name: str, **values) -> str:
    """A rules page's own section (``templates/advice-<name>.md.j2``), with the linter's rules and script links."""
    from .render import render_template
    from .render_rules import redline_rule, script_link

    return render_template(f"advice-{name}.md.j2", redline_rule=redline_rule, script_link=script_link,
                           library=rules.scripts(), **values)


def _civil() -> Page:
    """Civil routes and the limitation period; the figures shown are the data's (15-day objection, years, restarts)."""
    from .render_rules import civil_markdown, redline_cites

    legal = rules.legal()
    markdown = civil_markdown(legal, _advice("civil"), redline_cites("exaggerated-legal"))
    routes = {r.id: r for r in legal.civil_routes}
    problems = [] if set(routes) == {"lawsuit", "payment-order", "arbitration", "enforcement"} else [f"civil routes {sorted(routes)}"]
    expected = {"enforcement": "子女就读高收费私立学校", "payment-order": "15 日", "arbitration": "仲裁", "lawsuit": "减少"}
    problems += [f"civil route {r!r}: {word!r} missing or not shown" for r, word in expected.items()
                 if r in routes and (word not in routes[r].text or routes[r].text not in markdown)]
    if f"诉讼时效：{legal.limitation.years} 年" not in markdown or not all(i in markdown for i in legal.limitation.restarts.items):
        problems.append("the limitation period or what restarts it is not shown")
    if markdown.index("## 客户问到法律程序时怎么说") > markdown.index("## 依据"):
        problems.append("the advice comes after the references")
    return Page(markdown, ("procedures/rules/legal.yml", "procedures/templates/advice-civil.md.j2"), problems)


def _credit_reporting() -> Page:
    """The credit-reporting rules; the periods shown are the data's (advance notice, 5 years, 20 and 30 days)."""
    from .render_rules import credit_reporting_markdown, redline_cites

    legal = rules.legal()
    markdown = credit_reporting_markdown(legal, _advice("credit-reporting"),
                                         redline_cites("fake-blacklist", "exaggerated-legal", "extra-fee"))
    items = {i.id: i for i in legal.credit_reporting}
    problems = [] if set(items) == {"advance-notice", "retention", "statement", "dispute", "complaint"} else [f"items {sorted(items)}"]
    expected = [("retention", "还清"), ("statement", "说明"), ("complaint", "受理之日"), ("retention", "5 年"), ("dispute", "20 日"),
                ("complaint", "30 日"), ("advance-notice", "事先告知")]
    problems += [f"credit-reporting item {i!r}: {word!r} missing" for i, word in expected if i in items and word not in items[i].text]
    problems += [f"credit-reporting item {i.id!r} not shown" for i in items.values() if i.text not in markdown or i.title not in markdown]
    if "5 年" not in rules.redlines().category("fake-blacklist").rule:
        problems.append("the linter's fake-blacklist rule does not state the 5-year retention")
    if markdown.index("## 对客户怎么说") > markdown.index("## 依据"):
        problems.append("the advice comes after the references")
    return Page(markdown, ("procedures/rules/legal.yml", "procedures/rules/redlines.yml",
                           "procedures/templates/advice-credit-reporting.md.j2"), problems)


def _complaints() -> Page:
    """The complaint channels; the regulators' hotlines are the data's and the quoted lines pass the linter."""
    from calculators.compliance.redlines import lint

    from .render_rules import complaints_markdown

    legal = rules.legal()
    angry = rules.scripts()["angry-customer"]
    complaint_lines = [p.text for p in angry.say if "投诉" in p.text]
    markdown = complaints_markdown(legal, _advice("complaints", angry=angry, complaint_lines=complaint_lines), angry.sources)
    channels = {c.id: c for c in legal.complaint_channels}
    problems = [] if {"bank", "nfra-12378", "pboc-12363", "police", "court"} <= set(channels) else [f"channels {sorted(channels)}"]
    if channels.get("nfra-12378") and channels["nfra-12378"].contact != "12378" or (
            channels.get("pboc-12363") and channels["pboc-12363"].contact != "12363"):
        problems.append("a regulator's hotline differs from its id")
    problems += [f"channel {c.id!r} not shown" for c in channels.values() if f"| {c.name} | {c.contact} |" not in markdown]
    redlines = rules.redlines()
    if not complaint_lines or any(lint(line, redlines) for line in complaint_lines):
        problems.append("no complaint line to quote, or a quoted line is flagged by the red-line linter")
    if markdown.index("## 客户说要投诉时") > markdown.index("## 依据"):
        problems.append("the advice comes after the references")
    return Page(markdown, ("procedures/rules/legal.yml", "procedures/scripts/angry-customer.yml",
                           "procedures/templates/advice-complaints.md.j2"), problems)


def _rules(page_id: str) -> Page:
    from .render import certainty_legend, conduct_markdown, redlines_markdown
    from .render_rules import stages_markdown

    if page_id == "stages":
        markdown = stages_markdown()
        return Page(markdown, ("procedures/rules/stages.yml", "procedures/scripts"), _stage_problems(rules.stage_table(), markdown))
    pages = {"civil": _civil, "credit-reporting": _credit_reporting, "complaints": _complaints}
    if page_id in pages:
        return pages[page_id]()
    renderers: dict[str, tuple[Callable[[], str], tuple[str, ...]]] = {
        "conduct": (conduct_markdown, ("procedures/rules/conduct.yml",)),
        "redlines": (redlines_markdown, ("procedures/rules/redlines.yml",)),
        "certainty": (certainty_legend, ("procedures/schema.py",)),
    }
    _known("rules page", page_id, ["stages", *pages, *renderers])
    render_page, files = renderers[page_id]
    return Page(render_page(), files)


def _scripts(page_id: str) -> Page:
    """The script library; every ``say`` line passes the linter and every tagged ``never say`` line is caught in its category."""
    from calculators.compliance.redlines import lint

    from .render_rules import script_label, script_library_markdown, shown_say_lines

    _known("script page", page_id, ["library"])
    library = rules.scripts()
    markdown = script_library_markdown(library)
    redlines = rules.redlines()
    say_lines = shown_say_lines(library)
    problems = [] if len(say_lines) == sum(len(s.say) for s in library.values()) >= 20 else [f"only {len(say_lines)} say lines"]
    problems += [f"say line of {sid} flagged by the red-line linter: {text}" for sid, text in say_lines
                if lint(text, redlines)]
    for script in library.values():
        if f"({script_label(script.id)})=" not in markdown or not all(f"“{p.text}”" in markdown for p in script.say):
            problems.append(f"script {script.id!r} is not shown in full")
        for item in script.never_say:
            if item.text not in markdown or item.why not in markdown:
                problems.append(f"script {script.id!r}: never-say line not shown: {item.text}")
            if item.redline is not None and item.redline not in {f.category for f in lint(item.text, redlines)}:
                problems.append(f"script {script.id!r}: the linter does not flag {item.text!r} as {item.redline}")
    for stage in rules.stages():
        problems += [f"stage {stage.bucket}: script {s!r} not in the by-stage table" for s in stage.scripts
                     if f"<{script_label(s)}>" not in markdown]
    return Page(markdown, ("procedures/scripts", "procedures/rules/stages.yml", "procedures/rules/redlines.yml"), problems)


def _summary(page_id: str) -> Page:
    """The recap: every duty, skill, stage and challenge the data defines, challenges in table-of-contents order."""
    from .render import render_template

    _known("summary", page_id, ["recap"])
    challenges = loader.challenges()
    toc = (loader.ROOT.parent / "_toc.yml").read_text(encoding="utf-8")
    # The challenges in the order readers meet them, which follows the origin article: emotions, refusal, legal questions.
    order = [c for c in re.findall(r"file: book/challenges/([a-z0-9-]+)", toc) if c in challenges]
    skills, stages = loader.skills().skills, loader.workflow()
    markdown = render_template("summary.md.j2", role=loader.role(), skills=skills, stages=stages, challenges=challenges,
                               order=order)
    problems = [] if (len(skills), len(stages), len(challenges)) == (4, 5, 3) else ["not 4 skills, 5 stages and 3 challenges"]
    if order[:3] != ["emotions", "refusal", "legal-issues"] or set(order) != set(challenges):
        problems.append(f"challenges in the table of contents: {order}")
    return Page(markdown, ("procedures/role.yml", "procedures/skills.yml", "procedures/workflow", "procedures/challenges",
                           "_toc.yml", "procedures/templates/summary.md.j2"), problems)


def _case(page_id: str) -> Page:
    """A role-play case: every step with its answer form and folded model answer, then the role-play box and debrief.

    Loading the case checks every step's key against the tools (:func:`procedures.roleplay.step_problems`): a key
    the tools disagree with is a :class:`~procedures.loader.ProcedureFileError` naming the file and the step.
    """
    from . import roleplay

    _known("case", page_id, sorted(p.stem for p in roleplay.CASES_DIR.glob("*.yml")))
    case = roleplay.load(page_id)
    markdown = roleplay.case_markdown(case)
    problems = [] if markdown.count("data-step-box=") == len(case.steps) else ["not one answer form per step"]
    if markdown.count('<div class="hb-roleplay"') != 1:
        problems.append("no role-play box (or more than one)")
    return Page(markdown, (f"procedures/cases/{page_id}.yml", "procedures/rules", "procedures/scripts"), problems)


def _overview(page_id: str) -> Page:
    """A part's overview table: the workflow stages, the special situations, or the role-play cases.

    The cases table checks every case (each step's key agrees with the tools, step ids unique across cases) and
    that there are at least five.
    """
    from . import roleplay
    from .render import workflow_table
    from .situations import situations_table

    _known("overview", page_id, ["workflow", "situations", "cases"])
    if page_id == "workflow":
        return Page(workflow_table(), ("procedures/workflow",))
    if page_id == "situations":
        return Page(situations_table(), ("procedures/situations",))
    count, cases = roleplay.validate(), roleplay.cases()
    problems = [] if count == len(cases) >= 5 else [f"{count} case files, {len(cases)} cases: at least 5 needed"]
    return Page(roleplay.cases_table(), ("procedures/cases",), problems)


def _issuer(page_id: str) -> Page:
    """The start page's sentence naming the issuer and the terms profile of this build (``templates/issuer.md.j2``)."""
    from calculators import handbook_terms

    from .render import render_template

    _known("issuer page", page_id, ["intro"])
    markdown = render_template("issuer.md.j2", terms=handbook_terms())
    return Page(markdown, ("procedures/templates/issuer.md.j2",), [] if "⟦issuer⟧" in markdown else ["the issuer is not named"])


#: The packages whose versions the status page lists (distribution names).
VERSIONED = ("jupyter-book", "sphinx", "myst-nb", "jupyter-cache", "ipykernel", "matplotlib", "pandas", "ipywidgets", "pydantic",
             "PyYAML", "jieba")


def _build(page_id: str) -> Page:
    """The status page's table of this build's Python, calculators and package versions, and its terms profile."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    import calculators

    _known("build page", page_id, ["versions"])
    rows, problems = [], []
    for name in VERSIONED:
        try:
            rows.append(f"| {name} | {version(name)} |")
        except PackageNotFoundError:
            problems.append(f"package {name!r} is not installed")
    terms = calculators.handbook_terms()
    markdown = (f"| 组件 | 版本 |\n|---|---|\n| Python | {platform.python_version()} |\n| calculators | {calculators.__version__} |\n"
                + "\n".join(rows) + f"\n\n条款配置：`{terms.code}`（{terms.issuer}）。\n")
    return Page(markdown, ("pyproject.toml",), problems)


#: Directive name → renderer of an id.  Every kind is a directive (``tools/directives.py``); no name may shadow a
#: Sphinx or docutils directive (``glossary``, ``role``), hence ``{terms} glossary`` and ``{duties} role``.
KINDS: dict[str, Callable[[str], Page]] = {
    "procedure": _procedure,
    "challenge": _challenge,
    "situation": _situation,
    "duties": _role,
    "skills": _skills,
    "exercises": _exercises,
    "terms": _glossary,
    "review-log": _review_log,
    "rules": _rules,
    "scripts": _scripts,
    "summary": _summary,
    "case": _case,
    "overview": _overview,
    "issuer": _issuer,
    "build": _build,
}


def kinds() -> list[str]:
    """The directive names.

    >>> kinds()[:3]
    ['procedure', 'challenge', 'situation']
    """
    return list(KINDS)


def render(kind: str, page_id: str) -> Page:
    """The page of ``kind`` for ``page_id``; :class:`UnknownPage` when the data has no such id.

    >>> "## 依据" in render("situation", "deceased").markdown
    True
    """
    if kind not in KINDS:
        raise UnknownPage(f"no page kind {kind!r}; known: {', '.join(KINDS)}")
    return KINDS[kind](page_id)


DIRECTIVE = re.compile(r"^(`{3,}|:{3,})\{([a-z-]+)\}[ \t]+([A-Za-z0-9_-]+)[ \t]*\n\1[ \t]*$", re.M)
#: A directive line as pages write it: ``(kind, id)`` groups.
DIRECTIVE_LINE = re.compile(r"^```\{([a-z-]+)\} ([A-Za-z0-9_-]+)\n```$", re.M)


def expand(markdown: str) -> str:
    """Replace every data-page directive in ``markdown`` by the Markdown it renders (for copies read without Sphinx).

    ``tools/live.py`` uses this for the trainer's classroom copy, where JupyterLab shows Markdown as it is.

    >>> text = expand("# 岗位职责\\n\\n```{duties} role\\n```\\n")
    >>> text.startswith("# 岗位职责") and "## 岗位职责" in text and "{role}" not in text
    True
    """
    def replace(match: re.Match) -> str:
        if match.group(2) not in KINDS:
            return match.group(0)
        return render(match.group(2), match.group(3)).markdown.rstrip("\n")

    return DIRECTIVE.sub(replace, markdown)


#: Kinds that the classroom copy shows as a (folded) code cell instead of Markdown, so a trainer gets widgets:
#: kind → the cell's source for an id.  Exercise pages: an answer widget before each folded answer.
LIVE_CODE: dict[str, Callable[[str], str]] = {
    "exercises": lambda page_id: ("from calculators.ui.practice_pages import show_exercises\nfrom procedures import exercises\n\n"
                                  + _show_exercises(*page_id.partition("-")[::2])),
    # Role-play pages: the steps, then the interactive role-play in place of the site's answer box.
    "case": lambda case: f"from calculators.ui.practice_pages import show_case\n\nshow_case({case!r})",
    # A tool (``tools/directives.py`` shows its site form): the widget.
    "tool": lambda kind: f"from calculators.ui.tool_display import show_tool\n\nshow_tool({kind!r})",
    # A diagram (``tools/directives.py`` draws it on the site; not a data page kind).
    "diagram": lambda name: (f"from IPython.display import SVG\n\nfrom calculators.ui.workflow_diagram import {name}_svg\n\n"
                             f"SVG({name}_svg())"),
}


def _show_exercises(chapter: str, page: str) -> str:
    """The classroom cell's call for an exercises page id (``rules-2``: page 2 of the chapter ``rules``)."""
    return f"show_exercises(exercises.load({chapter!r})" + (f", page={int(page)})" if page else ")")


def classroom_segments(markdown: str) -> list[tuple[str, str]]:
    """``markdown`` as ``("markdown", text)`` and ``("code", source)`` pieces for the classroom copy (``tools/live.py``).

    A directive of a kind in :data:`LIVE_CODE` becomes a code cell; every other data-page directive is
    expanded in place (:func:`expand`).

    >>> LIVE_CODE["duties"] = lambda page_id: f"show_duties({page_id!r})"
    >>> classroom_segments("前言\\n\\n```{duties} role\\n```\\n\\n后记\\n")
    [('markdown', '前言'), ('code', "show_duties('role')"), ('markdown', '后记')]
    >>> del LIVE_CODE["duties"]
    """
    segments: list[tuple[str, str]] = []
    position = 0
    for match in DIRECTIVE.finditer(markdown):
        if match.group(2) not in LIVE_CODE:
            continue
        segments.append(("markdown", expand(markdown[position:match.start()])))
        segments.append(("code", LIVE_CODE[match.group(2)](match.group(3))))
        position = match.end()
    segments.append(("markdown", expand(markdown[position:])))
    return [(kind, text.strip("\n")) for kind, text in segments if text.strip()]

