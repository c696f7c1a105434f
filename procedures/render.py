"""Render knowledge-base data as MyST Markdown for the handbook pages.

Data pages declare what they show (```` ```{procedure} contact ````, see
:mod:`procedures.pages` and ``tools/directives.py``); the directive calls these
renderers and parses the result as MyST in place.  Each page layout is one
Jinja2 template in ``procedures/templates/`` (:func:`render_template`); the
helpers here (citations, reference lists, the owner / last-reviewed / edit-link
box, profile tokens) are what the templates call.  Pages that compute still
call :func:`show` in a hidden cell.
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

    from .doclinks import live_markdown

    return Markdown(live_markdown(fill_profile(markdown)))


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
    """Inline citation with each source's binding kind and grade (legend on the 审校记录 page).

    >>> cite([schema.Cite(id="measures-2011", where="第六十八条")])
    '（依据：2011 年《办法》第六十八条〔行政法规·部门规章·规范性文件｜M〕）'
    """
    if not cites:
        return ""
    parts = [loader.cite_label(c) + loader.certainty(c) for c in cites]
    return "（依据：" + "；".join(parts) + "）"


def cite_plain(cites: Sequence[schema.Cite]) -> str:
    """Citations for a table's 依据 column: name, section, binding kind and grade, separated by “；”.

    >>> cite_plain([schema.Cite(id="civil-code", where="第一百八十八条"), schema.Cite(id="cba-2026")])
    '《民法典》第一百八十八条〔法律｜H〕；2026 年银行业协会催收指引〔行业自律｜M〕'
    """
    return "；".join(loader.cite_label(c) + loader.certainty(c) for c in cites)


def sources_list(cites: Iterable[schema.Cite]) -> str:
    """The full references of a page: title, number, date in force, binding kind, grade, what is unverified, public addresses.

    Each document once, its articles de-duplicated and in the order first cited.

    >>> print(sources_list([schema.Cite(id="civil-code", where="第一百八十八条"),
    ...                     schema.Cite(id="civil-code", where="第一百八十八条、第一百九十五条")]))
    - 《中华人民共和国民法典》，2021-01-01 起施行（本页引用：第一百八十八条、第一百九十五条）。约束力：法律；可信度：H（已核原文）。可核对：[原文镜像](https://github.com/LawRefBook/Laws/tree/master/民法典)
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
        verb = {"监管机构": "挂牌"}.get(s.kind) or {"行业自律": "发布", "推荐性国家标准（参照）": "发布并实施"}.get(s.binding or "", "起施行")
        since = f"，{s.in_force.isoformat()} {verb}" if s.in_force else ""
        where = f"（本页引用：{'、'.join(wheres)}）" if wheres else ""
        binding = f"约束力：{s.binding}" if s.binding else "机构信息，不是规则出处"
        grade = f"可信度：{s.grade}（{schema.GRADE_TEXT[s.grade]}）"
        unverified = f"；待核：{s.unverified}" if s.unverified else ""
        parts = [f"{s.title}{number}{since}{where}", f"{binding}；{grade}{unverified}"]
        if s.note:
            parts.append(s.note.rstrip("。"))
        if s.addresses:
            parts.append("可核对：" + "、".join(f"[{a.kind}]({a.url})" for a in s.addresses))
        lines.append("- " + "。".join(parts))
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


def _all_cites(obj: object) -> list[schema.Cite]:
    return list(loader.iter_cites(obj))


TEMPLATES = Path(__file__).with_name("templates")


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters.update(bullets=_bullets, steps=_steps, cite=cite)
    env.globals.update(page_info=lambda item, path: page_info(item, path).rstrip("\n"))
    return env


def render_template(name: str, **values) -> str:
    r"""Render the page layout ``procedures/templates/<name>`` (Jinja2) with ``values``; blank-line runs folded.

    >>> render_template("example.md.j2", item=schema.Challenge.model_construct(example="某甲（虚构）"))
    ':::{admonition} 案例（人物均为虚构）\n:class: hb-example\n\n某甲（虚构）\n:::\n'
    """
    text = _environment().get_template(name).render(**values)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def procedure_markdown(stage: schema.Procedure) -> str:
    """One workflow stage in the procedure layout (``templates/procedure.md.j2``).

    Purpose · who does it, with what authority · inputs · steps · what to say
    and never say · compliance checks · outputs · when to escalate · example ·
    sources, under the owner / last-reviewed / edit-link box.
    """
    stages = {s.id: s for s in loader.workflow()}
    following = [f"{{doc}}`{stages[n].title} </book/workflow/{n}>`" for n in stage.next]
    return render_template("procedure.md.j2", item=stage, data_path=f"procedures/workflow/{stage.id}.yml",
                           step={"order": stage.order, "total": len(stages)}, scripts=[], following=following,
                           sources=sources_list(_all_cites(stage)))


def challenge_markdown(item: schema.Challenge) -> str:
    """A challenge and its handling playbook (``templates/challenge.md.j2``)."""
    return render_template("challenge.md.j2", item=item, data_path=f"procedures/challenges/{item.id}.yml",
                           sources=sources_list(_all_cites(item)))


def role_markdown(role: schema.Role) -> str:
    """Duties, why the role exists, and its limits (``templates/role.md.j2``)."""
    return render_template("role.md.j2", item=role, data_path="procedures/role.yml", sources=sources_list(_all_cites(role)))


def skills_markdown(skills: schema.Skills) -> str:
    """The four skills with observable behaviours and how to grow them (``templates/skills.md.j2``)."""
    return render_template("skills.md.j2", item=skills, data_path="procedures/skills.yml")


PROFILE_TOKEN = re.compile(r"⟦([a-z_]+)(?::([0-9.]+))?⟧")
_CHOICE_ZH = {"down": "截位", "half_up": "四舍五入", "half_even": "银行家舍入", "up": "进位", "last": "最后一期", "first": "第一期"}

#: Tokens that name the issuer (agreed names, see calculators/profiles/cmb.yml): each is a profile header text.
IDENTITY_TOKENS = {
    "issuer": lambda t: t.issuer,
    "issuer_short": lambda t: t.issuer_short,
    "hotline": lambda t: t.hotlines[0],
    "hotlines": lambda t: "、".join(t.hotlines),
    "app": lambda t: t.app,
    "complaint_channel": lambda t: t.complaint_channel,
    "footer": lambda t: t.footer,
    "issuer_label": lambda t: t.label,
}


def fill_profile(text: str, terms=None) -> str:
    """Replace ``⟦name⟧`` tokens with the terms profile's values, so bank-specific names and figures follow the profile.

    Identity tokens (:data:`IDENTITY_TOKENS`): ``⟦issuer⟧`` full name, ``⟦issuer_short⟧``,
    ``⟦hotline⟧`` (main customer-service number), ``⟦hotlines⟧`` (all, joined by 、),
    ``⟦app⟧``, ``⟦complaint_channel⟧``, ``⟦footer⟧``, ``⟦issuer_label⟧``.
    ``⟦late_fee_bounds⟧`` describes the 违约金 floor and cap; ``⟦late_fee:3000⟧`` is
    :func:`calculators.late_fee` for that unpaid minimum (so a narrative example's
    figure is computed, not typed); any other name is a profile value
    (:data:`calculators.terms.FIELD_SPECS`), rates shown as percentages and amounts
    without trailing zeros.  An unknown name fails the page: a typo never reaches readers.

    >>> from calculators import load_terms
    >>> fill_profile("宽限期 ⟦grace_days⟧ 天，⟦late_fee_rate⟧，⟦late_fee_bounds⟧", load_terms("icbc"))
    '宽限期 3 天，5%，最高 500 元'
    >>> fill_profile("违约金 ⟦late_fee:3000⟧ 元", load_terms("cmb"))
    '违约金 150.00 元'
    >>> fill_profile("拨打⟦issuer⟧（⟦issuer_short⟧）客服电话 ⟦hotline⟧，或登录⟦app⟧", load_terms("icbc"))
    '拨打中国工商银行（工行）客服电话 95588，或登录中国工商银行App'
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
        if name in IDENTITY_TOKENS:
            return IDENTITY_TOKENS[name](terms)
        if name == "late_fee_bounds":
            bounds = ([f"最低 {amount(terms.late_fee_min)} 元"] if terms.late_fee_min is not None else []) + (
                [f"最高 {amount(terms.late_fee_max)} 元"] if terms.late_fee_max is not None else [])
            return "，".join(bounds) or "无上下限"
        if name not in kinds:
            raise KeyError(f"unknown profile token ⟦{name}⟧; known: {sorted(IDENTITY_TOKENS) + ['late_fee_bounds', 'late_fee:N'] + sorted(kinds)}")
        value = getattr(terms, name)
        if value is None:  # an optional value that is not set (no floor, no cap)
            return "无"
        if isinstance(value, bool):
            return "是" if value else "否"
        if kinds[name] in ("rate", "optional_rate"):
            return percent(value)
        if isinstance(value, Decimal):
            return amount(value)
        return _CHOICE_ZH.get(value, str(value))

    return PROFILE_TOKEN.sub(value_of, text)


def pinyin_key(word: str) -> tuple[str, ...]:
    """Dictionary (pinyin) order of a headword: syllables with tone numbers; Latin letters and digits as themselves.

    >>> sorted(["仲裁协议", "保证", "不良信息告知", "催收"], key=pinyin_key)
    ['保证', '不良信息告知', '催收', '仲裁协议']
    """
    from pypinyin import Style, lazy_pinyin

    return tuple(part.strip().lower() for part in lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
                 if part.strip())


def glossary_markdown(glossary: schema.Glossary) -> str:
    """The glossary as a Sphinx glossary in pinyin order (each term gets an anchor and a search entry).

    Each entry: the definition, then one line with its sources (binding kind and
    grade), where figures come from, the English name and "see also".
    """
    entries = []
    for term in sorted(glossary.terms, key=lambda t: pinyin_key(t.term)):
        heading = term.term + "\n" + "".join(f"{alias}\n" for alias in term.aliases)
        cites = term.sources
        notes = []
        if PROFILE_TOKEN.search(term.definition):  # figures from the profile: cite the profile, not one bank's description
            cites = [c for c in term.sources if c.id != "cmb-public"]
            notes.append("数值出处：{doc}`条款配置 </book/calc/profile>`")
        if cites:
            notes.insert(0, "依据：" + cite_plain(cites))
        notes.append(f"英文：{term.en}")
        if term.see:
            notes.append(f"参见 {{doc}}`/{term.see}`")
        body = fill_profile(term.definition) + "\n\n  " + "。".join(notes) + "。"
        entries.append(heading + "  " + body)
    return "::::{glossary}\n\n" + "\n\n".join(entries) + "\n::::\n"


def workflow_table() -> str:
    """The stages in order with their one-line summaries and links."""
    rows = [f"| {s.order} | {{doc}}`{s.title} </book/workflow/{s.id}>` | {s.summary} |" for s in loader.workflow()]
    return "| 步骤 | 环节 | 做什么 |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def conduct_markdown() -> str:
    """The conduct rules (procedures/rules/conduct.yml): limits, each rule with its sources, the warning lines, unsupported claims."""
    from calculators.compliance.conduct import CHANNELS, WARNING_RULES

    from . import rules

    data = rules.conduct()
    p = data.parameters
    by_id = {rule.id: rule for rule in data.rules}
    lines = [
        data_box(data, "procedures/rules/conduct.yml"),
        "### 上限与提示线\n\n上限是不得越过的线，不是要用满的指标；提示线是本手册的做法，低于上限但越过提示线的，"
        "检查器给出提示，由组长复核是否合理、必需。\n\n"
        "| 项目 | 取值 | 性质 |\n|---|---|---|\n"
        + f"| 禁止催收时段 | {p.quiet_start:%H:%M} 至次日 {p.quiet_end:%H:%M}（债务人同意的除外） | 规则{cite(by_id['quiet-hours'].sources)} |\n"
        f"| 适用渠道 | {'、'.join(CHANNELS[c] for c in p.quiet_hours_channels)} | 本手册的解释（信函按寄出时间） |\n"
        f"| 每日主动有效通话（同一债务人） | 不超过 {p.max_effective_calls_per_day} 次 | 上限{cite(by_id['effective-call-cap'].sources)} |\n"
        f"| 同一联系方式每日未接通拨打 | 不超过 {p.max_unanswered_per_day_per_method} 次 | 上限{cite(by_id['unanswered-cap'].sources)} |\n"
        f"| 同一联系方式两次拨打的间隔 | 不少于 {p.warn_min_minutes_between_attempts} 分钟 | 提示线{cite(by_id['short-interval-same-method'].sources)} |\n"
        f"| 同一人每日语音拨打（各号码合计） | 不超过 {p.warn_max_voice_attempts_per_person_per_day} 次 | "
        f"提示线{cite(by_id['daily-attempts-all-methods'].sources)} |\n"
        f"| 连续联系同一人 | 不超过 {p.warn_max_consecutive_days} 天 | 提示线{cite(by_id['contact-streak'].sources)} |\n"
        f"| 录音保存 | 不少于 {p.retention_years} 年；口头还款约定的录音{p.oral_agreement_retention}；作为证据的录音保存至结清和结案 | "
        f"规则{cite(by_id['recording-retention'].sources)} |\n"
        f"| 外访人数 | 不少于 {p.field_visit_min_collectors} 人 | 规则{cite(by_id['field-visit-collectors'].sources)} |",
        "### 规则",
    ]
    for rule in data.rules:
        if rule.id in WARNING_RULES:
            continue
        mark = "检查器自动核对" if rule.checked else "人工核对"
        note = f"\n\n  {rule.note}" if rule.note else ""
        lines.append(f"- **{rule.title}**（{mark}）：{rule.text}{cite(rule.sources)}{note}")
    lines.append("### 提示（不是违规）\n\n检查器在没有违规时也可能给出以下提示：说明联系方式虽未越过上限，但不合理，须组长复核。")
    for rule_id in WARNING_RULES:
        rule = by_id[rule_id]
        note = f"\n\n  {rule.note}" if rule.note else ""
        lines.append(f"- **{rule.title}**：{rule.text}{cite(rule.sources)}{note}")
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


def certainty_legend() -> str:
    """The legend of binding kinds and grades that every citation carries (〔约束力｜可信度〕)."""
    from .schema import BINDING_KINDS, GRADE_TEXT

    kinds = "、".join(BINDING_KINDS)
    grades = "；".join(f"{grade}（{text}）" for grade, text in GRADE_TEXT.items())
    return (":::{admonition} 怎么读引用后的〔约束力｜可信度〕\n:class: note\n\n"
            f"- **约束力**：出处对本行的约束程度，分七类：{kinds}。推荐性国家标准是参照执行，行业自律规范约束会员单位，"
            "本行制度以各行现行制度为准，本手册做法是本手册为了可操作而定的做法，没有条文依据。\n"
            f"- **可信度**：{grades}。H 指读过原文文本（法律数据库的公开镜像），M 指多份二手资料一致但未见官方文本，L 指未核实。"
            "单条引用可以比出处整体更低，并注明待核之处（如“条款号待核”“文号待核”）。\n:::\n")


def review_log_markdown() -> str:
    """The 审校记录 page body: what was reviewed, the counts by decision, one table row per finding, the references.

    >>> text = review_log_markdown()
    >>> "| F1 |" in text and "| N4 |" in text and "C14" in text
    True
    """
    log = loader.review_log()
    counts: dict[str, int] = {}
    for entry in log.entries:
        counts[entry.decision] = counts.get(entry.decision, 0) + 1
    summary = "、".join(f"{decision} {n} 项" for decision, n in counts.items())
    gaps = "；".join(f"{gap.id}：{gap.note}" for gap in log.gaps)

    def cell(text: str) -> str:
        return text.replace("|", "｜").replace("\n", " ")

    rows = []
    for entry in log.entries:
        what = entry.change + (f"<br>**理由**：{entry.reason}" if entry.reason else "")
        files = "<br>".join(f"`{path}`" for path in entry.files)
        basis = cite_plain(entry.sources) if entry.sources else "—"
        rows.append(f"| {entry.id} | {entry.severity} | {cell(entry.finding)} | **{entry.decision}** | {cell(what)} | {files} | {cell(basis)} |")
    return "\n\n".join([
        data_box(None, "procedures/review-log.yml"),
        f"审校对象：本手册提交 `{log.reviewed_commit}` 时的全部页面、数据和练习。审校文件："
        + "；".join(log.documents) + f"。共 {len(log.entries)} 项，{summary}。编号说明：{gaps}",
        "处理结果分四种：**已修正**；**部分采纳**（理由写明未采纳的部分）；**不采纳**（写明理由）；"
        "**转交**（需要修改的文字在其他维护人负责的文件中，条目写明应改成什么）。",
        certainty_legend(),
        "## 逐条处理\n\n| 编号 | 性质 | 审校意见 | 处理 | 改了什么 | 文件 | 依据 |\n|---|---|---|---|---|---|---|\n" + "\n".join(rows),
        "## 依据\n\n" + sources_list(c for entry in log.entries for c in entry.sources),
    ]) + "\n"
