"""The special-situation procedures (procedures/situations/): template, pages, scripts, linted lines and the facts they must keep.

Each corrected fact is checked as a property of the data, not only as one
sentence: the credit-dispute clock counts from receipt everywhere it is stated,
court enforcement is never presented as a consequence of being overdue, heirs'
liability is bounded by the estate, and so on.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

from calculators.compliance.redlines import lint
from procedures import ProcedureFileError, exercises, loader, pages, rules, situations
from procedures.situations import page_path, situation_markdown

from helpers import ROOT
from tools.procedure_pages import page_file

# The situation pages published before pages were generated from the data: each must keep its chapter (its URL,
# book/<chapter>/<id>, is linked from other pages and from tests/search_questions.yml). A new situation needs no line here.
PUBLISHED = {
    "deceased": "challenges", "vulnerable": "challenges", "representatives": "challenges", "fraud-claims": "challenges",
    "spouse": "challenges", "locate": "workflow", "outsourcing": "workflow", "recordings": "workflow", "abroad": "workflow",
    "complaint-handling": "rules", "relief": "rules", "court-enforcement": "rules",
}
SECTIONS = ("## 目的", "## 谁来做、有何权限", "## 需要的信息", "## 步骤", "## 话术要点", "## 合规检查", "## 产出", "## 何时升级", "## 依据")
ITEMS = situations.situations()
#: Every situation file in the data, found on disk (not through the loader).
FILES = sorted(path.stem for path in situations.SITUATIONS_DIR.glob("*.yml"))


def toc_docnames() -> list[str]:
    """Every page of _toc.yml (the root and each ``file:`` entry, at any depth), in order."""
    from calculators.datafile import read_yaml

    toc, _ = read_yaml(ROOT / "_toc.yml")
    found = [toc["root"]]

    def walk(entries):
        for entry in entries:
            found.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return found


def texts(obj) -> list[str]:
    """Every string inside a model."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, BaseModel):
        return [t for name in type(obj).model_fields for t in texts(getattr(obj, name))]
    if isinstance(obj, (list, tuple)):
        return [t for item in obj for t in texts(item)]
    return []


def all_text(item) -> str:
    return "\n".join(texts(item))


def test_every_situation_file_is_a_page_in_the_toc_and_every_situation_entry_has_a_file():
    """One YAML file and one _toc.yml line make a situation page: each file is listed exactly once, at
    book/<chapter>/<id>, and each toc entry named like a situation is that situation's page."""
    assert FILES == sorted(ITEMS) and len(FILES) >= len(PUBLISHED)
    assert situations.validate() == len(FILES)
    docnames = toc_docnames()
    for situation_id, item in ITEMS.items():
        assert docnames.count(page_path(item)) == 1, (situation_id, page_path(item))
    for docname in docnames:
        folder, _, name = docname.rpartition("/")
        if name in ITEMS:
            assert docname == page_path(ITEMS[name]), f"{docname}: the situation's chapter is {ITEMS[name].chapter}"
    assert {i: ITEMS[i].chapter for i in PUBLISHED} == PUBLISHED  # published pages keep their URLs


def test_every_toc_page_has_a_page_file_or_a_procedure_to_render():
    """No _toc.yml entry without a source: a page file in book/, or procedure data the build renders a page from."""
    for docname in toc_docnames():
        path = page_file(docname)
        assert path.is_file() and path.read_text(encoding="utf-8").startswith(("# ", "---\n")), docname


@pytest.mark.parametrize("situation_id", FILES)
def test_page_follows_the_template_and_is_in_the_toc(situation_id):
    item = ITEMS[situation_id]
    source = page_file(page_path(item))
    assert not (ROOT / f"{page_path(item)}.md").exists(), "a hand-written page would hide the generated one"
    page = source.read_text(encoding="utf-8")
    assert re.search(r"^# (.+)$", page, re.M).group(1) == item.title
    # The page declares its situation; the directive renders it and checks sections and linted lines (procedures/pages.py).
    assert f"```{{situation}} {situation_id}\n```" in page and pages.render("situation", situation_id).problems == []
    assert page_path(item) in toc_docnames()
    text = situation_markdown(item)
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert f"负责人：{item.owner}" in text and f"最近审阅：{item.last_reviewed.isoformat()}" in text
    assert f"procedures/situations/{situation_id}.yml" in text
    for script_id in item.scripts:
        assert f"<script-{script_id}>" in text


@pytest.mark.parametrize("situation_id", FILES)
def test_say_lines_pass_the_linter_and_never_say_lines_carry_sources(situation_id):
    item = ITEMS[situation_id]
    red = rules.redlines()
    assert [p.text for p in item.say if lint(p.text, red)] == []
    assert all(f.sources and f.why for f in item.never_say)
    assert all(c.sources for c in item.compliance)


def test_no_bank_name_or_hotline_is_written_into_the_new_files():
    """Issuer identity comes from the profile tokens (⟦issuer⟧ …); the example bank is never written in."""
    files = sorted((ROOT / "procedures" / "situations").glob("*.yml"))
    files += [ROOT / "procedures" / "scripts" / f"{s}.yml" for s in
              ("deceased-family", "vulnerable-customer", "credit-dispute", "third-party-agent", "outsourcing-notice",
               "spouse-asks", "court-question")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for word in ("招商银行", "招行", "95555", "CMB"):
            assert word not in text, (path.name, word)


def test_credit_dispute_clock_counts_from_receipt_everywhere_it_is_stated():
    """征信条例 art. 25: 20 days from receipt of the objection (errata N1); never '受理后 20 日'."""
    documents = [*ITEMS.values(), *(rules.scripts()[s] for s in ("credit-dispute",))]
    documents += [e for c in ("challenges", "workflow", "rules") for e in exercises.load(c).exercises
                  if e.id in {"credit-dispute-clock", "credit-repair-offer"}]
    stated = 0
    for document in documents:
        for sentence in re.split("[。；]", all_text(document)):
            if re.search(r"20 ?日", sentence) and "异议" in sentence:
                stated += 1
                correct = "收到" in sentence
                marked_wrong = any(w in sentence for w in ("起算点错误", "时限说错了", "不是从"))
                assert correct or marked_wrong, sentence
    assert stated >= 6


def test_thirty_days_for_the_pboc_complaint_run_from_acceptance():
    text = all_text(ITEMS["complaint-handling"])
    assert "自受理之日起 30 日" in text and "自收到之日起 20 日" in text


def test_court_enforcement_is_never_a_consequence_of_being_overdue():
    """限制消费 follows an enforceable judgment not performed in time; the say lines state that condition."""
    item = ITEMS["court-enforcement"]
    conditional = [p.text for p in item.say if "限制" in p.text and "法院" in p.text]
    assert conditional and all(("生效" in t or "被执行人" in t) for t in conditional)
    assert any("逾期本身不会导致限制消费" in p.text for p in item.say)
    assert "子女就读高收费私立学校" in all_text(item)
    # the absolute "never affects the children" is taught as wrong, not as a line to say
    assert any("永远不会影响孩子" in f.text for f in item.never_say)
    assert not any("不会影响孩子" in p.text for s in ITEMS.values() for p in s.say)


def test_heirs_are_liable_only_up_to_the_estate():
    item = ITEMS["deceased"]
    assert any(c.id == "civil-code" and "第一千一百六十一条" in (c.where or "") for c in item.sources)
    assert any("遗产实际价值范围内" in p.text for p in item.say)
    assert not any(re.search("家属.{0,6}(必须|得|要)还", p.text) for p in item.say)


def test_spouse_is_a_third_party_until_legal_decides():
    item = ITEMS["spouse"]
    assert any(c.id == "civil-code" and c.where == "第一千零六十四条" for c in item.sources)
    assert not any("欠" in p.text for p in item.say)  # nothing said to a spouse discloses the debt


def test_locating_uses_only_the_lawful_channels_and_the_defined_triggers():
    text = all_text(ITEMS["locate"])
    for trigger in ("无效号码", "连续三次", "连续三天"):
        assert trigger in text
    for channel in ("领用合约", "客户预留的信息", "客户授权", "依法公开", "预留的联系人", "征信查询"):
        assert channel in text
    forbidden = " ".join(f.text for f in ITEMS["locate"].never_say)
    assert "通讯录" in forbidden and "失联修复" in forbidden


def test_vulnerable_customers_get_the_crisis_line_from_a_cited_source():
    item = ITEMS["vulnerable"]
    assert any("12356" in p.text for p in item.say)
    assert "crisis-line-12356" in {c.id for c in item.sources}
    assert "12356" in loader.sources()["crisis-line-12356"].title


def test_retention_is_tied_to_settlement_and_legal_hold_not_only_two_years():
    text = all_text(ITEMS["recordings"])
    assert "欠款结清" in text and "法律保全" in text and "20 年" in text
    assert "只是最低" in text


def test_outsourcing_notice_comes_before_the_hand_over():
    item = ITEMS["outsourcing"]
    titles = [s.title for s in item.steps]
    assert titles.index("移交前告知客户") < titles.index("只移交必要的信息")
    assert any(c.id == "consumer-protection-2022" and c.where == "第四十一条" for c in item.sources)
    assert any(c.id == "pipl" and "第二十一条" in (c.where or "") for c in item.sources)


def test_quiet_hours_abroad_use_the_customers_local_time():
    assert "当地时间" in ITEMS["abroad"].summary
    spot = next(e for e in exercises.load("workflow").exercises if e.id == "customer-in-london")
    assert {(b.attempt, b.rule) for b in spot.answer} == {(1, "quiet-hours"), (3, "quiet-hours")}


def test_the_abroad_example_times_are_beijing_and_london_times():
    """Beijing 10:00 is 02:00 in London and 17:30 is 09:30 (before British summer time starts on 2026-03-29);
    the end of 20 March in London is 08:00 on 21 March in Beijing (moved here from the page's hidden cell)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    beijing, london = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/London")
    assert datetime(2026, 3, 16, 10, 0, tzinfo=beijing).astimezone(london).hour == 2
    assert datetime(2026, 3, 16, 17, 30, tzinfo=beijing).astimezone(london).strftime("%H:%M") == "09:30"
    assert datetime(2026, 3, 21, 0, 0, tzinfo=london).astimezone(beijing) == datetime(2026, 3, 21, 8, 0, tzinfo=beijing)
    assert "伦敦凌晨 2 点" in ITEMS["abroad"].example and "伦敦上午 9 点半" in ITEMS["abroad"].example


def test_the_complaint_deadline_example_counts_twenty_days_from_receipt():
    """20 days from receipt, the day of receipt not counted (moved here from the page's hidden cell)."""
    from datetime import date, timedelta

    received = date(2026, 3, 4)
    assert received.weekday() == 2 and received + timedelta(days=20) == date(2026, 3, 24) and date(2026, 3, 24).weekday() == 1
    example = ITEMS["complaint-handling"].example
    assert "3 月 24 日（星期二）" in example and "3 月 4 日（星期三）" in example


def test_no_front_line_situation_presents_criminal_thresholds():
    """有效催收 and the amount bands are the legal team's; no situation teaches them as a step or a line to say."""
    for item in ITEMS.values():
        for text in [s.detail for s in item.steps] + [p.text for p in item.say]:
            assert "有效催收" not in text and "数额较大" not in text, (item.id, text)


# --- bad files are reported by file, line and field -------------------------------------------------------------


def _copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "situations"
    folder.mkdir()
    return Path(shutil.copy(situations.SITUATIONS_DIR / f"{name}.yml", folder / f"{name}.yml"))


def test_a_say_line_crossing_a_red_line_is_reported_at_its_line(tmp_path):
    path = _copy(tmp_path, "spouse")
    text = path.read_text(encoding="utf-8")
    old = "  - text: 这笔款项是不是夫妻共同债务，要依照法律和证据判断，不是我在电话里能认定的。"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "  - text: 不还就让你全家不得安宁。"), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(ProcedureFileError) as error:
        situations.validate(path.parent)
    assert f"{path}:{line}: say.2.text: the red-line linter flags" in str(error.value)


def test_an_unknown_script_or_source_is_reported(tmp_path):
    path = _copy(tmp_path, "spouse")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("scripts: [spouse-asks, stop-family-calls]", "scripts: [spouse-asks, no-such-script]"), encoding="utf-8")
    with pytest.raises(ProcedureFileError, match=r"scripts\.1: unknown script 'no-such-script'"):
        situations.validate(path.parent)
    path.write_text(text.replace("  - id: civil-code\n    where: 第一千零六十四条\n  - id: measures-2011",
                                 "  - id: no-such-law\n    where: 第一千零六十四条\n  - id: measures-2011"), encoding="utf-8")
    with pytest.raises(ProcedureFileError, match=r"sources\.0\.id: unknown source id 'no-such-law'"):
        situations.validate(path.parent)


def test_a_file_whose_id_differs_from_its_name_is_rejected(tmp_path):
    path = _copy(tmp_path, "abroad")
    path.rename(path.with_name("elsewhere.yml"))
    with pytest.raises(ProcedureFileError, match="must equal the file name 'elsewhere'"):
        situations.validate(path.parent)


# --- the review's guards, applied to the special situations too ----------------------------------------------


def test_rendered_situation_pages_have_no_english_identifiers_or_configuration_keys():
    from test_review_guards import _identifiers

    from calculators.compliance.conduct import Attempt
    from calculators.terms import FIELD_SPECS
    from procedures.render import fill_profile

    keys = {spec.name for spec in FIELD_SPECS} | set(rules.conduct_rules().to_dict()["parameters"]) | set(Attempt.__dataclass_fields__)
    keys = {key for key in keys if "_" in key}
    texts = {s.id: fill_profile(situation_markdown(s)) for s in ITEMS.values()}
    texts["situations-table"] = fill_profile(situations.situations_table())
    assert {where: sorted(ids) for where, text in texts.items() if (ids := _identifiers(text))} == {}
    for where, text in texts.items():
        assert "⟦" not in text, where  # every profile token is one the profile fills
        for key in keys:
            assert not re.search(rf"(?<![\w/]){re.escape(key)}(?![\w/])", text), f"{where}: {key}"


def test_every_situation_citation_shows_a_binding_kind_and_a_grade():
    known = loader.sources()
    for item in ITEMS.values():
        for cite in loader.iter_cites(item):
            assert loader.cite_problem(cite) is None, (item.id, cite)
        # each procedure rests on at least one source that binds (law, rule, standard, guideline or bank policy)
        assert any(known[c.id].binding not in (None, "本手册做法") for c in item.sources), item.id
        text = situation_markdown(item)
        assert "约束力：" in text and "可信度：" in text


def test_nothing_said_in_a_situation_announces_a_report_or_a_retention_without_its_start():
    for item in ITEMS.values():
        for phrase in item.say:
            assert not re.search(r"有效催收|数额较大|数额巨大|三个月|恶意透支|立案标准|(我们|银行|本行).{0,6}报案", phrase.text), phrase.text
            if "保存 5 年" in phrase.text:
                assert "还清" in phrase.text or "终止" in phrase.text, phrase.text
