"""Render the rules, stages, legal and script data (:mod:`procedures.rules`) as MyST Markdown.

The pages of the 规则 chapter (``book/rules/*``) and the script library
(``book/scripts/index``) declare a directive (```` ```{rules} stages ````,
```` ```{scripts} library ````; :mod:`procedures.pages`) that renders these.  Citations, reference lists and the
owner / last-reviewed / edit-link box come from :mod:`procedures.render`
(:func:`~procedures.render.cite`, :func:`~procedures.render.sources_list`,
:func:`~procedures.render.page_info`); nothing here restates a rule: every
figure (day ranges, years, days, hotlines) comes from the data or from
:mod:`calculators.delinquency`.

Cross-references: each stage gets the label ``stage-m1`` … on the stages page
and each script the label ``script-<id>`` on the script library page, so any
page can link to them with ``{ref}`标题 <script-cannot-pay>```.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from calculators.compliance.conduct import CHANNELS

from . import loader, rules, schema
from .render import cite, cite_plain, data_box, edit_link, repository_configured, sources_list

__all__ = [
    "MOVE_ON",
    "script_label",
    "stage_label",
    "days_text",
    "category_text",
    "data_box",
    "stages_table",
    "stage_sections",
    "stages_markdown",
    "civil_markdown",
    "credit_reporting_markdown",
    "complaints_markdown",
    "script_link",
    "scripts_by_stage",
    "scripts_by_situation",
    "script_markdown",
    "script_library_markdown",
    "shown_say_lines",
    "redline_rule",
    "redline_cites",
]

#: Where an account goes next (``move_on.to`` in ``rules/stages.yml``), in Chinese.
MOVE_ON = {"next": "进入下一阶段", "outsourcing": "委外催收", "legal": "转法务评估", "write-off": "核销"}


def script_label(script_id: str) -> str:
    """The cross-reference label of a script on the library page.

    >>> script_label("cannot-pay")
    'script-cannot-pay'
    """
    return f"script-{script_id}"


def stage_label(bucket: str) -> str:
    """The cross-reference label of a stage on the stages page.

    >>> stage_label("M7")
    'stage-m7'
    """
    return f"stage-{bucket.lower()}"


def days_text(days_from: int, days_to: int | None) -> str:
    """A day range as shown on the pages (the last bucket is open-ended).

    >>> days_text(0, 0), days_text(1, 30), days_text(181, None)
    ('0 天', '1–30 天', '181 天及以上')
    """
    if days_to is None:
        return f"{days_from} 天及以上"
    if days_to == days_from:
        return f"{days_from} 天"
    return f"{days_from}–{days_to} 天"


def category_text(categories: Sequence[str]) -> str:
    """The five-category class(es) of a bucket, e.g. ``关注类``.

    >>> category_text(["关注"]), category_text(["关注", "次级"])
    ('关注类', '关注类、次级类')
    """
    return "、".join(f"{name}类" for name in categories)


def _sources_text(cites: Iterable[schema.Cite]) -> str:
    """Citations for a table cell, each with its binding kind and grade (``《民法典》第一百八十八条〔法律｜H〕``)."""
    return cite_plain(list(cites))


def redline_rule(category_id: str) -> str:
    """A linter category's rule with its sources, as a sentence for the pages.

    >>> redline_rule("fake-blacklist").endswith("《征信业管理条例》第十六条〔行政法规·部门规章·规范性文件｜H〕）")
    True
    """
    category = next(c for c in rules.redlines_data().categories if c.id == category_id)
    return category.rule + cite(category.sources)


# --- stages -----------------------------------------------------------------


def _procedure_link(page: str) -> str:
    stage_id = page.rsplit("/", 1)[-1]
    return f"{{doc}}`{loader.procedure(stage_id).title} </{page}>`"


def script_link(script: rules.Script) -> str:
    """A link to a script on the library page.

    >>> script_link(rules.scripts()["cannot-pay"])
    '{ref}`客户表示无力还款 <script-cannot-pay>`'
    """
    return f"{{ref}}`{script.title} <{script_label(script.id)}>`"


def stages_table(rows: Sequence[dict] | None = None) -> str:
    """The M0–M7 overview table: bucket, days past due, five-category class, stage name and focus.

    ``rows`` are :func:`procedures.rules.stage_table` rows (day ranges and
    classes computed by :mod:`calculators.delinquency`).

    >>> "| M3 | 61–90 天 | 关注类 |" in stages_table()
    True
    """
    rows = rules.stage_table() if rows is None else rows
    lines = [
        f"| {r['bucket']} | {days_text(r['days_from'], r['days_to'])} | {category_text(r['categories'])} | "
        f"{{ref}}`{r['name']} <{stage_label(r['bucket'])}>` | {r['focus']} |"
        for r in rows
    ]
    return "| 账龄 | 逾期天数 | 五级分类 | 阶段 | 处理重点 |\n|---|---|---|---|---|\n" + "\n".join(lines) + "\n"


def stage_sections(rows: Sequence[dict] | None = None) -> str:
    """One section per stage: who acts, channels, scripts, procedure page, and when the account moves on.

    >>> text = stage_sections()
    >>> "(stage-m1)=" in text and "{ref}`开场与身份核实 <script-identity-check>`" in text
    True
    >>> "</book/workflow/contact>`" in text and "| 转法务评估 |" in text
    True
    """
    rows = rules.stage_table() if rows is None else rows
    library = rules.scripts()
    parts = []
    for r in rows:
        stage = next(s for s in rules.stages() if s.bucket == r["bucket"])
        moves = "\n".join(f"| {MOVE_ON[m.to]} | {m.when} | {_sources_text(m.sources)} |" for m in stage.move_on)
        parts.append(
            f"({stage_label(stage.bucket)})=\n"
            f"### {stage.bucket} {stage.name}（逾期 {days_text(r['days_from'], r['days_to'])}，{category_text(r['categories'])}）\n\n"
            f"{stage.focus}{cite(stage.sources)}\n\n"
            f"- **谁来处理**：{'、'.join(stage.who)}\n"
            f"- **联系渠道**：{'、'.join(CHANNELS[c] for c in stage.channels)}\n"
            f"- **适用话术**：{'、'.join(script_link(library[s]) for s in stage.scripts)}\n"
            f"- **作业程序**：{_procedure_link(stage.procedure)}\n\n"
            "| 去向 | 条件 | 依据 |\n|---|---|---|\n" + moves + "\n"
        )
    return "\n".join(parts)


def stages_markdown() -> str:
    """The stages page body: data box, overview table, one section per stage, references."""
    stage_list = rules.stages()
    return "\n\n".join([
        data_box(None, "procedures/rules/stages.yml"),
        "## 阶段一览\n\n" + stages_table(),
        "## 各阶段怎么做\n\n" + stage_sections(),
        "## 依据\n\n" + sources_list(loader.iter_cites(stage_list)),
    ]) + "\n"


# --- legal: civil routes, credit reporting, complaints --------------------------


def _legal_page(legal: rules.LegalFile, sections: list[str], cites: list[schema.Cite], advice: str,
                advice_cites: Iterable[schema.Cite]) -> str:
    """Data box, the data sections, the page's own advice section, then the references of both."""
    parts = [data_box(legal, "procedures/rules/legal.yml"), *sections]
    if advice:
        parts.append(advice.strip())
    parts.append("## 依据\n\n" + sources_list([*cites, *advice_cites]))
    return "\n\n".join(parts) + "\n"


def civil_markdown(legal: rules.LegalFile | None = None, advice: str = "", advice_cites: Iterable[schema.Cite] = ()) -> str:
    """Civil routes (lawsuit, payment order, arbitration) and the limitation period with what restarts it.

    ``advice`` is the page's own section (Markdown with its heading), placed
    before the references; ``advice_cites`` join the references.

    >>> text = civil_markdown()
    >>> "15 日" in text and "3 年" in text and "仲裁" in text
    True
    """
    legal = rules.legal() if legal is None else legal
    routes = "\n\n".join(f"### {route.name}\n\n{route.text}{cite(route.sources)}" for route in legal.civil_routes)
    lim = legal.limitation
    restarts = "\n".join(f"- {item}" for item in lim.restarts.items)
    limitation = (
        f"## 诉讼时效：{lim.years} 年\n\n{lim.text}{cite(lim.sources)}\n\n"
        f"{lim.restarts.intro}\n\n{restarts}\n\n"
        f":::{{admonition}} 对催收工作的意义\n:class: important\n\n{lim.practice}\n:::"
    )
    cites = [c for route in legal.civil_routes for c in route.sources] + list(lim.sources)
    return _legal_page(legal, ["## 民事途径\n\n" + routes, limitation], cites, advice, advice_cites)


def credit_reporting_markdown(legal: rules.LegalFile | None = None, advice: str = "",
                              advice_cites: Iterable[schema.Cite] = ()) -> str:
    """The credit-reporting rules: advance notice, retention, disputes, complaints to the PBOC.

    >>> text = credit_reporting_markdown()
    >>> all(figure in text for figure in ("5 年", "20 日", "30 日"))
    True
    """
    legal = rules.legal() if legal is None else legal
    rows = "\n".join(f"| {item.title} | {item.text} | {_sources_text(item.sources)} |" for item in legal.credit_reporting)
    cites = [c for item in legal.credit_reporting for c in item.sources]
    return _legal_page(legal, ["## 规则一览\n\n| 规则 | 内容 | 依据 |\n|---|---|---|\n" + rows], cites, advice, advice_cites)


def complaints_markdown(legal: rules.LegalFile | None = None, advice: str = "",
                        advice_cites: Iterable[schema.Cite] = ()) -> str:
    """The complaint channels: the bank, 12378, 12363, the police, the courts.

    >>> text = complaints_markdown()
    >>> "12378" in text and "12363" in text
    True
    """
    legal = rules.legal() if legal is None else legal
    rows = "\n".join(f"| {c.name} | {c.contact} | {c.text} | {_sources_text(c.sources)} |" for c in legal.complaint_channels)
    cites = [c for channel in legal.complaint_channels for c in channel.sources]
    table = "## 投诉和求助渠道\n\n| 渠道 | 联系方式 | 适用情形 | 依据 |\n|---|---|---|---|\n" + rows
    return _legal_page(legal, [table], cites, advice, advice_cites)


def redline_cites(*category_ids: str) -> list[schema.Cite]:
    """The citations of linter categories (for the references of a page that quotes their rules).

    >>> [c.id for c in redline_cites("fake-blacklist")]
    ['cba-2026', 'credit-reporting']
    """
    by_id = {c.id: c for c in rules.redlines_data().categories}
    return [c for category_id in category_ids for c in by_id[category_id].sources]


# --- the script library -------------------------------------------------------


def scripts_by_stage(library: dict[str, rules.Script] | None = None) -> str:
    """Which scripts apply in which stage; consecutive stages with the same list share one row.

    >>> table = scripts_by_stage()
    >>> "| M0 |" in table and "| M1–M2 |" in table and "| M3–M7 |" in table and "script-promise-to-pay" in table
    True
    """
    library = rules.scripts() if library is None else library
    groups: list[list[rules.Stage]] = []
    for stage in rules.stages():
        if groups and groups[-1][-1].scripts == stage.scripts:
            groups[-1].append(stage)
        else:
            groups.append([stage])
    rows = []
    for group in groups:
        first, last = group[0], group[-1]
        buckets = first.bucket if len(group) == 1 else f"{first.bucket}–{last.bucket}"
        names = first.name if len(group) == 1 else f"{first.name}至{last.name}"
        rows.append(f"| {buckets} | {names} | {'、'.join(script_link(library[s]) for s in first.scripts)} |")
    return "| 账龄 | 阶段 | 适用话术 |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def scripts_by_situation(library: dict[str, rules.Script] | None = None) -> str:
    """One row per script: the situation it is for, and the stages it applies in.

    >>> "客户说失业" in scripts_by_situation()
    True
    """
    library = rules.scripts() if library is None else library
    rows = "\n".join(
        f"| {s.situation} | {script_link(s)} | {'、'.join(s.stages)} |" for s in library.values()
    )
    return "| 遇到的情形 | 话术 | 适用阶段 |\n|---|---|---|\n" + rows + "\n"


def _category_name(category_id: str | None) -> str:
    if category_id is None:
        return ""
    return f"（话术检查类别：{rules.redlines().category(category_id).name}）"


def script_markdown(script: rules.Script) -> str:
    """One script: situation, stages, the rule, what to say, what never to say (why, category, sources), notes.

    >>> text = script_markdown(rules.scripts()["angry-customer"])
    >>> text.startswith("(script-angry-customer)=") and "12378" in text
    True
    """
    say = "\n".join(f"- “{p.text}”" + (f"——{p.note}" if p.note else "") for p in script.say)
    never = "\n".join(
        f"- **“{item.text}”**：{item.why}{_category_name(item.redline)}{cite(item.sources)}" for item in script.never_say
    )
    notes = ("\n\n**注意**\n\n" + "\n".join(f"- {n}" for n in script.notes)) if script.notes else ""
    path = f"procedures/scripts/{script.id}.yml"
    return (
        f"({script_label(script.id)})=\n"
        f"### {script.title}\n\n"
        f"**情形**：{script.situation}　**适用阶段**：{'、'.join(script.stages)}　"
        f"{edit_link(path, '编辑这条话术') or f'（数据文件：`{path}`）'}\n\n"
        f"**规则**：{script.rule}{cite(script.sources)}\n\n"
        ":::{admonition} 可以这样说\n:class: tip\n\n" + say + "\n:::\n\n"
        ":::{admonition} 绝不能说\n:class: danger\n\n" + never + "\n:::" + notes + "\n"
    )


def shown_say_lines(library: dict[str, rules.Script] | None = None) -> list[tuple[str, str]]:
    """Every ``say`` line the library page shows, as ``(script id, text)`` (what the page's linter check runs over).

    >>> ("angry-customer", "我理解您的心情，您先慢慢说，我在听。") in shown_say_lines()
    True
    """
    library = rules.scripts() if library is None else library
    return [(s.id, p.text) for s in library.values() for p in s.say]


def script_library_markdown(library: dict[str, rules.Script] | None = None) -> str:
    """The script library page body: by stage, by situation, then every script in full, and the references."""
    library = rules.scripts() if library is None else library
    paths = [f"procedures/scripts/{sid}.yml" for sid in library]
    box = ":::{admonition} 本页信息\n:class: hb-page-info\n\n" + (
        f"- 数据文件：`procedures/scripts/` 下 {len(paths)} 个文件，每条话术一个"
        f"{'（各条标题下有编辑链接）' if repository_configured() else ''}\n"
        f"- 阶段与话术的对应：`procedures/rules/stages.yml`{edit_link('procedures/rules/stages.yml', '编辑')}\n"
    ) + ":::\n"
    full = "\n".join(script_markdown(s) for s in library.values())
    cites = [c for s in library.values() for c in loader.iter_cites(s)]
    return "\n\n".join([
        box,
        "## 按阶段查找\n\n" + scripts_by_stage(library),
        "## 按情形查找\n\n" + scripts_by_situation(library),
        "## 话术全文\n\n" + full,
        "## 依据\n\n" + sources_list(cites),
    ]) + "\n"
