"""The renderers of the rules chapter and the script library: every figure and link comes from the data or the calculators."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calculators.compliance.conduct import CHANNELS
from calculators.delinquency import LOAN_CATEGORIES, M_BUCKETS, delinquency_bucket
from calculators.compliance.redlines import lint
from procedures import loader, pages, render_rules, rules
from procedures.render_rules import (category_text, civil_markdown, complaints_markdown, credit_reporting_markdown,
                                     days_text, script_label, script_library_markdown, stage_label, stage_sections,
                                     stages_markdown, stages_table)
from procedures.render import data_box, sources_list
from procedures.schema import Cite
from tools.privacy_scan import scan_paths
from tools.procedure_pages import page_file

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["book/rules/index", "book/rules/stages", "book/rules/civil", "book/rules/credit-reporting", "book/rules/complaints",
         "book/scripts/index"]


# The ranges and classes as the page must show them (facts sheet §6), written out by hand.
EXPECTED_ROWS = {
    "M0": ("0 天", "正常类"), "M1": ("1–30 天", "关注类"), "M2": ("31–60 天", "关注类"), "M3": ("61–90 天", "关注类"),
    "M4": ("91–120 天", "次级类"), "M5": ("121–150 天", "可疑类"), "M6": ("151–180 天", "可疑类"), "M7": ("181 天及以上", "损失类"),
}


def classes(low: int, high: int | None) -> list[str]:
    top = high if high is not None else low + 400
    return [name for name, _, c_low, c_high in LOAN_CATEGORIES if c_low <= top and (c_high is None or c_high >= low)]


def test_every_stage_appears_with_the_calculators_range_and_class():
    table = stages_table()
    assert len(M_BUCKETS) == 8
    for code, low, high in M_BUCKETS:
        days, category = EXPECTED_ROWS[code]
        assert '、'.join(c + '类' for c in classes(low, high)) == category
        row = f"| {code} | {days} | {category} |"
        assert row in table, row
        assert delinquency_bucket(low).bucket == code
        if high is not None:
            assert delinquency_bucket(high).bucket == code and delinquency_bucket(high + 1).bucket != code
    assert "| M1 | 1–30 天 | 关注类 |" in table and "| M4 | 91–120 天 | 次级类 |" in table
    assert "| M7 | 181 天及以上 | 损失类 |" in table


def test_stage_table_rows_follow_the_calculators_not_a_copy():
    rows = rules.stage_table()
    shifted = [{**r, "days_from": r["days_from"] + 1} for r in rows]  # whatever the rows say is what is shown
    assert "| M2 | 32–60 天 |" in stages_table(shifted) and "| M2 | 31–60 天 |" not in stages_table(shifted)


def test_stage_sections_link_scripts_procedures_and_move_on():
    text = stage_sections()
    library = rules.scripts()
    for stage, row in zip(rules.stages(), rules.stage_table()):
        start = text.index(f"({stage_label(stage.bucket)})=")
        end = text.find("\n(stage-", start + 1)
        section = text[start:end if end > 0 else len(text)]
        assert f"### {stage.bucket} {stage.name}（逾期 {days_text(row['days_from'], row['days_to'])}，{category_text(row['categories'])}）" in section
        procedure = loader.procedure(stage.procedure.rsplit("/", 1)[-1])
        assert f"{{doc}}`{procedure.title} </{stage.procedure}>`" in section
        for script_id in stage.scripts:
            assert f"{{ref}}`{library[script_id].title} <{script_label(script_id)}>`" in section
        assert all(CHANNELS[c] in section for c in stage.channels) and all(w in section for w in stage.who)
        for move in stage.move_on:
            assert f"| {render_rules.MOVE_ON[move.to]} | {move.when} |" in section


def test_stages_page_carries_the_data_box_and_sources_list():
    text = stages_markdown()
    assert "hb-page-info" in text and "procedures/rules/stages.yml" in text
    assert "## 依据" in text and "《商业银行信用卡业务监督管理办法》" in text and "第九十二条" in text


def test_every_script_appears_in_the_library():
    text = script_library_markdown()
    by_stage = text[text.index("## 按阶段查找"):text.index("## 按情形查找")]
    by_situation = text[text.index("## 按情形查找"):text.index("## 话术全文")]
    for script in rules.scripts().values():
        assert f"({script_label(script.id)})=\n### {script.title}" in text
        assert f"<{script_label(script.id)}>`" in by_stage and script.situation in by_situation
        assert f"procedures/scripts/{script.id}.yml" in text
        assert all(f"“{p.text}”" in text for p in script.say)
        for item in script.never_say:
            assert f"**“{item.text}”**：{item.why}" in text
            if item.redline:
                assert rules.redlines().category(item.redline).name in text
        assert script.rule in text
    codes = [code for code, _, _ in M_BUCKETS]
    for stage in rules.stages():
        def covers(line: str) -> bool:
            cell = line.split("|")[1].strip() if line.startswith("| M") else ""
            low, _, high = cell.partition("–")
            return bool(cell) and codes.index(low) <= codes.index(stage.bucket) <= codes.index(high or low)
        (row,) = [line for line in by_stage.splitlines() if covers(line)]
        assert re.findall(r"<script-([a-z-]+)>", row) == stage.scripts


def test_library_say_lines_are_clean():
    red = rules.redlines()
    lines = render_rules.shown_say_lines()
    assert len(lines) == sum(len(s.say) for s in rules.scripts().values())
    assert [(sid, text) for sid, text in lines if lint(text, red)] == []


def test_civil_page_states_the_data():
    legal = rules.legal()
    text = civil_markdown(legal)
    assert "15 日" in text and "3 年" in text and "诉讼时效：3 年" in text
    assert "仲裁协议" in text and "请求法院适当减少" in text
    assert all(item in text for item in legal.limitation.restarts.items)
    assert legal.limitation.practice in text and "《民法典》" in text
    changed = legal.model_copy(update={"limitation": legal.limitation.model_copy(update={"years": 5})})
    assert "诉讼时效：5 年" in civil_markdown(changed)


def test_credit_reporting_page_states_the_data():
    legal = rules.legal()
    text = credit_reporting_markdown(legal)
    for figure in ("5 年", "20 日", "30 日", "事先告知"):
        assert figure in text
    assert all(f"| {item.title} | {item.text} |" in text for item in legal.credit_reporting)
    assert "第十五条" in text and "第十六条" in text and "第二十五条" in text and "第二十六条" in text


def test_complaints_page_states_the_data():
    legal = rules.legal()
    text = complaints_markdown(legal)
    assert "| 12378 |" in text and "| 12363 |" in text
    assert all(f"| {c.name} | {c.contact} | {c.text} |" in text for c in legal.complaint_channels)
    assert {"bank", "nfra-12378", "pboc-12363", "police", "court"} <= {c.id for c in legal.complaint_channels}


def test_data_box_uses_page_info_only_when_the_data_has_an_owner(real_repository):
    role = loader.role()
    with_owner = data_box(role, "procedures/role.yml")
    assert f"负责人：{role.owner}" in with_owner and f"最近审阅：{role.last_reviewed.isoformat()}" in with_owner
    without = data_box(rules.legal(), "procedures/rules/legal.yml")
    assert "负责人" not in without and "/-/edit/main/procedures/rules/legal.yml" in without


def test_references_list_each_article_once():
    text = sources_list([Cite(id="measures-2011", where="第六十七条"), Cite(id="measures-2011", where="第六十七条、第六十八条"),
                       Cite(id="industry-practice")])
    assert "本页引用：第六十七条、第六十八条）" in text and text.count("第六十七条") == 1
    assert "信用卡行业通行做法" in text


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_notebooks_with_hidden_checks_or_checked_directives(page):
    """A page that computes is a notebook with hidden checks; a data page declares directives whose checks pass."""
    text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    declared = re.findall(r"^```\{([a-z-]+)\} ([a-z-]+)\n```$", text, re.M)
    if "{code-cell}" in text:
        assert text.startswith("---\njupytext:") and "kernelspec:" in text
        assert ":tags: [remove-input]" in text and ":tags: [remove-cell]" in text and "assert " in text
    else:
        assert declared and "kernelspec:" not in text and not text.startswith("---")
    for kind, page_id in declared:
        assert pages.render(kind, page_id).problems == [], (kind, page_id)


def test_links_between_pages_resolve_to_files():
    for page in PAGES:
        text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
        for target in re.findall(r"\{doc\}`(?:[^`<]*<)?(/book/[a-z/-]+)>?`", text):
            assert page_file(target.lstrip("/")).is_file(), (page, target)  # a page file, or a procedure YAML's page
    for term in loader.glossary().terms:
        if term.see:
            assert page_file(term.see).is_file(), (term.term, term.see)


def test_privacy_scan_is_clean_on_these_files():
    files = [ROOT / f"{p}.md" for p in PAGES] + [ROOT / "procedures" / "render_rules.py", ROOT / "procedures" / "exercises.py",
                                                 ROOT / "procedures" / "exercises"]
    files += [p for chapter in ("role", "workflow", "challenges", "rules", "calc") for p in (ROOT / "book" / chapter).glob("exercises*.md")]
    assert scan_paths(files) == []


def test_days_text_edges():
    assert days_text(0, 0) == "0 天" and days_text(181, None) == "181 天及以上"
    assert {code: days_text(low, high) for code, low, high in M_BUCKETS} == {code: days for code, (days, _) in EXPECTED_ROWS.items()}


def test_advice_goes_before_the_references_and_its_sources_are_listed():
    advice = "## 对客户怎么说\n\n- " + render_rules.redline_rule("fake-blacklist")
    text = credit_reporting_markdown(rules.legal(), advice, render_rules.redline_cites("fake-blacklist"))
    assert text.index("## 对客户怎么说") < text.index("## 依据")
    assert "中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》" in text[text.index("## 依据"):]
    for render in (civil_markdown, complaints_markdown):
        plain = render(rules.legal())
        assert plain.rstrip().splitlines()[-1].startswith("- ") and "## 依据" in plain
