"""Render knowledge-base data as MyST Markdown for the handbook pages.

Pages call these functions in a hidden cell and display the result with
:func:`show`; MyST-NB parses the Markdown output (``nb_render_markdown_format:
myst``), so admonitions, tables, task lists and cross-references work.  The
renderers are the only place the page templates live: a procedure page's
sections and their order are defined once, here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from . import loader, schema

ROOT = loader.ROOT.parent  # the project root (holds _config.yml)

__all__ = [
    "cite",
    "sources_list",
    "page_info",
    "edit_url",
    "edit_link",
    "repository_configured",
    "data_box",
    "procedure_markdown",
    "challenge_markdown",
    "role_markdown",
    "skills_markdown",
    "glossary_markdown",
    "fill_profile",
    "workflow_table",
    "show",
]


def show(markdown: str):
    """Display Markdown in a notebook (the page build parses it as MyST), profile tokens filled in."""
    from IPython.display import Markdown

    return Markdown(fill_profile(markdown))


@lru_cache(maxsize=1)
def _repository() -> tuple[str, str, str]:
    from calculators.datafile import read_yaml

    config, _ = read_yaml(ROOT / "_config.yml")
    repo = config.get("repository", {})
    theme = config.get("sphinx", {}).get("config", {}).get("html_theme_options", {})
    return repo.get("url", "").rstrip("/"), repo.get("branch", "main"), theme.get("repository_provider", "github")


def edit_url(path: str | Path) -> str:
    """The web link that edits ``path`` (relative to the project root) in the repository.

    The base comes from ``repository.url``, ``repository.branch`` and the theme's
    ``repository_provider`` in ``_config.yml``: the one place a bank points the
    handbook at its own server (the theme's "edit this page" button uses the same).

    >>> edit_url("procedures/role.yml").endswith("/-/edit/main/procedures/role.yml")
    True
    """
    url, branch, provider = _repository()
    infix = "/-/edit/" if provider == "gitlab" else "/edit/"
    return f"{url}{infix}{branch}/{Path(path).as_posix()}"


# Reserved example domains (RFC 2606 / RFC 6761): a placeholder address, never a real server.
_PLACEHOLDER_DOMAINS = ("example.com", "example.net", "example.org")
_PLACEHOLDER_SUFFIXES = (".example", ".test", ".invalid", ".localhost")


def repository_configured(url: str | None = None) -> bool:
    """Whether ``url`` (default: ``repository.url`` in ``_config.yml``) is a real web address to link to.

    An empty value or a reserved example domain (the shipped ``gitlab.example.com``
    placeholder) is not: the handbook then shows no edit links at all.

    >>> repository_configured("https://gitlab.example.com/training/collections-handbook")
    False
    >>> repository_configured("https://git.bank.internal/training/handbook"), repository_configured("")
    (True, False)
    """
    from urllib.parse import urlparse

    parsed = urlparse(_repository()[0] if url is None else url)
    host = (parsed.hostname or "").lower()
    if parsed.scheme not in ("http", "https") or not host:
        return False
    placeholder = any(host == d or host.endswith("." + d) for d in _PLACEHOLDER_DOMAINS) or host.endswith(_PLACEHOLDER_SUFFIXES)
    return not placeholder


def edit_link(path: str | Path, text: str = "编辑本页数据") -> str:
    """``（[text](edit url)）`` after a data file's name, or nothing while no real repository is configured.

    >>> edit_link("procedures/role.yml")  # the shipped placeholder address gives no link
    ''
    """
    return f"（[{text}]({edit_url(path)})）" if repository_configured() else ""


def cite(cites: Sequence[schema.Cite]) -> str:
    """Short inline citation: ``（依据：2011 年《办法》第六十八条；GB/T 45251-2025）``.

    >>> cite([schema.Cite(id="measures-2011", where="第六十八条")])
    '（依据：2011 年《办法》第六十八条）'
    """
    if not cites:
        return ""
    known = loader.sources()
    parts = [known[c.id].short + (c.where or "") for c in cites]
    return "（依据：" + "；".join(parts) + "）"


def sources_list(cites: Iterable[schema.Cite]) -> str:
    """The full references of a page: title, number, date in force; each document and each article once.

    >>> sources_list([schema.Cite(id="civil-code", where="第一百八十八条"),
    ...               schema.Cite(id="civil-code", where="第一百八十八条、第一百九十五条")])
    '- 《中华人民共和国民法典》，2021-01-01 起施行（本页引用：第一百八十八条、第一百九十五条）'
    """
    known = loader.sources()
    seen: dict[str, list[str]] = {}
    for c in cites:
        seen.setdefault(c.id, [])
        for where in re.split("[、，,]", c.where) if c.where else []:
            if where.strip() and where.strip() not in seen[c.id]:
                seen[c.id].append(where.strip())
    lines = []
    for source_id, wheres in seen.items():
        s = known[source_id]
        number = "" if s.number in ("无", s.title) else f"，{s.number}"
        since = f"，{s.in_force.isoformat()} 起施行" if s.in_force else ""
        where = f"（本页引用：{'、'.join(wheres)}）" if wheres else ""
        lines.append(f"- {s.title}{number}{since}{where}")
    return "\n".join(lines)


def page_info(reviewed: schema.Reviewed, data_path: str) -> str:
    """The owner, last-reviewed date and edit link box that every procedure page carries."""
    return (
        ":::{admonition} 本页信息\n:class: hb-page-info\n\n"
        f"- 负责人：{reviewed.owner}\n"
        f"- 最近审阅：{reviewed.last_reviewed.isoformat()}\n"
        f"- 数据文件：`{data_path}`{edit_link(data_path)}\n"
        ":::\n"
    )


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _steps(steps: Sequence[schema.Step]) -> str:
    return "\n".join(f"{i}. **{s.title}**：{s.detail}" for i, s in enumerate(steps, 1))


def _say(phrases: Sequence[schema.Phrase]) -> str:
    return "\n".join(f"- “{p.text}”" + (f"——{p.note}" if p.note else "") for p in phrases)


def _never(items: Sequence[schema.Forbidden]) -> str:
    return "\n".join(f"- **{f.text}**：{f.why}{cite(f.sources)}" for f in items)


def _checks(items: Sequence[schema.Check]) -> str:
    return "\n".join(f"- [ ] {c.item}{cite(c.sources)}" for c in items)


def _escalations(items: Sequence[schema.Escalation]) -> str:
    rows = "\n".join(f"| {e.when} | {e.to} |" for e in items)
    return "| 出现以下情形 | 升级给 |\n|---|---|\n" + rows


def _talk_section(say: Sequence[schema.Phrase], never: Sequence[schema.Forbidden]) -> str:
    return (
        ":::{admonition} 可以这样说\n:class: tip\n\n" + _say(say) + "\n:::\n\n"
        ":::{admonition} 绝不能说或做\n:class: danger\n\n" + _never(never) + "\n:::\n"
    )


def _all_cites(obj: object) -> list[schema.Cite]:
    return list(loader.iter_cites(obj))


def procedure_markdown(stage: schema.Procedure) -> str:
    """One workflow stage in the procedure template.

    Purpose · who does it, with what authority · inputs · steps · what to say
    and never say · compliance checks · outputs · when to escalate · example ·
    sources, under the owner / last-reviewed / edit-link box.
    """
    stages = {s.id: s for s in loader.workflow()}
    following = [f"{{doc}}`{stages[n].title} </book/workflow/{n}>`" for n in stage.next]
    parts = [
        page_info(stage, f"procedures/workflow/{stage.id}.yml"),
        f"**第 {stage.order} 步 / 共 {len(stages)} 步**：{stage.summary}",
        "## 目的\n\n" + stage.purpose,
        "## 谁来做、有何权限\n\n| 岗位 | 权限 |\n|---|---|\n" + "\n".join(f"| {p.role} | {p.authority} |" for p in stage.performers),
        "## 需要的信息\n\n" + _bullets(stage.inputs),
        "## 步骤\n\n" + _steps(stage.steps),
        "## 话术要点\n\n" + _talk_section(stage.say, stage.never_say),
        "## 合规检查\n\n" + _checks(stage.compliance),
        "## 产出\n\n" + _bullets(stage.outputs),
        "## 何时升级\n\n" + _escalations(stage.escalate),
    ]
    if following:
        parts.append("**下一步可能是**：" + "、".join(following))
    if stage.example:
        parts.append(":::{admonition} 案例（人物均为虚构）\n:class: hb-example\n\n" + stage.example + "\n:::")
    parts.append("## 依据\n\n" + sources_list(_all_cites(stage)))
    return "\n\n".join(parts) + "\n"


def challenge_markdown(item: schema.Challenge) -> str:
    """A challenge and its handling playbook."""
    parts = [
        page_info(item, f"procedures/challenges/{item.id}.yml"),
        item.summary,
        "## 识别信号\n\n" + _bullets(item.signs),
        "## 处置步骤\n\n" + _steps(item.playbook),
        "## 话术要点\n\n" + _talk_section(item.say, item.never_say),
        "## 何时升级\n\n" + _escalations(item.escalate),
    ]
    if item.example:
        parts.append(":::{admonition} 案例（人物均为虚构）\n:class: hb-example\n\n" + item.example + "\n:::")
    parts.append("## 依据\n\n" + sources_list(_all_cites(item)))
    return "\n\n".join(parts) + "\n"


def role_markdown(role: schema.Role) -> str:
    """Duties, why the role exists, and its limits."""
    duties = "\n".join(f"{i}. **{d.title}**：{d.detail}" for i, d in enumerate(role.duties, 1))
    return "\n\n".join([
        page_info(role, "procedures/role.yml"),
        role.summary,
        "## 岗位职责\n\n" + duties,
        "## 为什么需要这个岗位\n\n### 对银行\n\n" + _bullets(role.why_bank) + "\n\n### 对客户\n\n" + _bullets(role.why_customer),
        "## 岗位边界：不能做的事\n\n" + _bullets(role.boundaries),
        "## 依据\n\n" + sources_list(_all_cites(role)),
    ]) + "\n"


def skills_markdown(skills: schema.Skills) -> str:
    """The four skills with observable behaviours and how to grow them."""
    parts = [page_info(skills, "procedures/skills.yml"), skills.summary]
    for i, skill in enumerate(skills.skills, 1):
        parts.append(
            f"## {i}. {skill.name}\n\n{skill.summary}\n\n**为什么重要**：{skill.why}\n\n"
            "**做得好的表现**\n\n" + _bullets(skill.behaviours) + "\n\n**如何提升**\n\n" + _bullets(skill.growth)
        )
    return "\n\n".join(parts) + "\n"


PROFILE_TOKEN = re.compile(r"⟦([a-z_]+)(?::([0-9.]+))?⟧")
_CHOICE_ZH = {"down": "截位", "half_up": "四舍五入", "half_even": "银行家舍入", "up": "进位", "last": "最后一期", "first": "第一期"}


def fill_profile(text: str, terms=None) -> str:
    """Replace ``⟦name⟧`` tokens with the terms profile's values, so bank-specific figures follow the profile.

    ``⟦issuer⟧`` is the issuer; ``⟦late_fee_bounds⟧`` describes the 违约金 floor
    and cap; ``⟦late_fee:3000⟧`` is :func:`calculators.late_fee` for that unpaid
    minimum (so a narrative example's figure is computed, not typed); any other
    name is a profile value (:data:`calculators.terms.FIELD_SPECS`), rates shown
    as percentages and amounts without trailing zeros.

    >>> from calculators import load_terms
    >>> fill_profile("宽限期 ⟦grace_days⟧ 天，⟦late_fee_rate⟧，⟦late_fee_bounds⟧", load_terms("icbc"))
    '宽限期 3 天，5%，最高 500 元'
    >>> fill_profile("违约金 ⟦late_fee:3000⟧ 元", load_terms("cmb"))
    '违约金 150.00 元'
    """
    from decimal import Decimal

    from calculators import handbook_terms
    from calculators.display import percent
    from calculators.terms import FIELD_SPECS

    terms = terms or handbook_terms()
    kinds = {spec.name: spec.kind for spec in FIELD_SPECS}

    def amount(value: Decimal) -> str:
        return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"

    def value_of(match: re.Match) -> str:
        name, argument = match.group(1), match.group(2)
        if name == "late_fee" and argument:
            from calculators import late_fee

            return f"{late_fee(argument, '0', terms):,.2f}"
        if name == "issuer":
            return terms.issuer
        if name == "late_fee_bounds":
            bounds = ([f"最低 {amount(terms.late_fee_min)} 元"] if terms.late_fee_min is not None else []) + (
                [f"最高 {amount(terms.late_fee_max)} 元"] if terms.late_fee_max is not None else [])
            return "，".join(bounds) or "无上下限"
        value = getattr(terms, name)  # an unknown name fails the page: a typo never reaches readers
        if isinstance(value, bool):
            return "是" if value else "否"
        if kinds[name] == "rate":
            return percent(value)
        if isinstance(value, Decimal):
            return amount(value)
        return _CHOICE_ZH.get(value, str(value))

    return PROFILE_TOKEN.sub(value_of, text)


def glossary_markdown(glossary: schema.Glossary) -> str:
    """The glossary as a Sphinx glossary (each term gets an anchor and a search entry)."""
    entries = []
    for term in sorted(glossary.terms, key=lambda t: t.term):
        heading = term.term + "\n" + "".join(f"{alias}\n" for alias in term.aliases)
        cites = term.sources
        profile_note = ""
        if PROFILE_TOKEN.search(term.definition):  # figures from the profile: cite the profile, not one bank's description
            cites = [c for c in term.sources if c.id != "cmb-public"]
            profile_note = "（数值出处见 {doc}`条款配置 </book/calc/profile>`）"
        body = f"{fill_profile(term.definition)}{cite(cites)}{profile_note}（英文：{term.en}）"
        if term.see:
            body += f" 参见 {{doc}}`/{term.see}`。"
        entries.append(heading + "  " + body)
    return "::::{glossary}\n\n" + "\n\n".join(entries) + "\n::::\n"


def workflow_table() -> str:
    """The stages in order with their one-line summaries and links."""
    rows = [f"| {s.order} | {{doc}}`{s.title} </book/workflow/{s.id}>` | {s.summary} |" for s in loader.workflow()]
    return "| 步骤 | 环节 | 做什么 |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def conduct_markdown() -> str:
    """The conduct rules (procedures/rules/conduct.yml): parameters, each rule with its sources, unsupported claims."""
    from calculators.conduct import CHANNELS

    from . import rules

    data = rules.conduct()
    p = data.parameters
    lines = [
        data_box(data, "procedures/rules/conduct.yml"),
        "| 参数 | 取值 |\n|---|---|\n"
        f"| 禁止催收时段 | {p.quiet_start} 至次日 {p.quiet_end}（客户同意的除外） |\n"
        f"| 适用渠道 | {'、'.join(CHANNELS[c] for c in p.quiet_hours_channels)} |\n"
        f"| 每日有效通话上限（同一债务人） | {p.max_effective_calls_per_day} 次 |\n"
        f"| 同一联系方式每日未接通上限 | {p.max_unanswered_per_day_per_method} 次 |\n"
        f"| 录音保存 | 不少于 {p.retention_years} 年；口头还款约定的录音{p.oral_agreement_retention} |\n"
        f"| 外访人数 | 不少于 {p.field_visit_min_collectors} 人 |",
    ]
    for rule in data.rules:
        mark = "检查器自动核对" if rule.checked else "人工核对"
        note = f"\n\n  {rule.note}" if rule.note else ""
        lines.append(f"- **{rule.title}**（{mark}）：{rule.text}{cite(rule.sources)}{note}")
    for item in data.unsupported:
        lines.append(f":::{{warning}} 没有依据的说法：{item.claim}\n{item.note}\n:::")
    lines.append("### 依据\n\n" + sources_list(c for rule in data.rules for c in rule.sources))
    return "\n\n".join(lines) + "\n"


def data_box(model: object, path: str) -> str:
    """The owner / last-reviewed / edit-link box for a page that renders the data file ``path``.

    Uses :func:`page_info` when the data carries ``owner`` and ``last_reviewed``;
    a data file without them (the rules files so far) gets the edit link only,
    so a page never invents an owner or a review date.

    >>> box = data_box(None, "procedures/rules/legal.yml")
    >>> "hb-page-info" in box and "procedures/rules/legal.yml" in box and "负责人" not in box
    True
    """
    if getattr(model, "owner", None) and getattr(model, "last_reviewed", None):
        return page_info(model, path)  # type: ignore[arg-type]
    return (":::{admonition} 本页信息\n:class: hb-page-info\n\n"
            f"- 数据文件：`{path}`{edit_link(path)}\n:::\n")


def redlines_markdown() -> str:
    """The eight red lines and the linter's categories (procedures/rules/redlines.yml)."""
    from . import rules

    data = rules.redlines_data()
    by_line: dict[str, list[str]] = {}
    for category in data.categories:
        by_line.setdefault(category.redline, []).append(category.name)
    lines = ["| 红线 | 规则 | 检查器识别的说法 |\n|---|---|---|"]
    for line in data.redlines:
        covered = "、".join(by_line.get(line.id, [])) or "（不适用于话术文本，人工核对）"
        lines.append(f"| {line.name} | {line.rule}{cite(line.sources)} | {covered} |")
    return "\n".join(lines) + "\n"
