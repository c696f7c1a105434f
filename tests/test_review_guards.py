"""Guards for the 2026-11 content review (procedures/review-log.yml): each corrected fact stays corrected.

The tests check properties of the data and of the rendered reader text, not
single sentences: no front-line procedure's trigger or precondition refers to
the criminal 有效催收 test; no reader text holds a configuration key or an
English identifier; every citation shows its binding kind and grade; the
review log decides every finding exactly once.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calculators.compliance.conduct import Attempt, PERSONS, check_contact_plan
from calculators.terms import FIELD_SPECS
from procedures import exercises, loader, render, render_rules, rules, schema

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = [ROOT.parent / "shared" / "reference", ROOT.parent.parent / "shared" / "reference"]  # outside the repository
REFERENCE = next((p for p in REFERENCES if p.is_dir()), REFERENCES[0])
FILES_OWNED_ELSEWHERE = {"procedures/rules/redlines.yml"}  # text handed over (decision 转交), see the log


# --- the review log ------------------------------------------------------------------------------


def _ids(prefix: str, last: int, gaps: set[str] = frozenset()) -> list[str]:
    return [f"{prefix}{n}" for n in range(1, last + 1) if f"{prefix}{n}" not in gaps]


def test_review_log_decides_every_finding_exactly_once():
    log = loader.review_log()
    gaps = {gap.id for gap in log.gaps}
    expected = (_ids("F", 21) + _ids("C", 16, gaps) + _ids("R", 9) + _ids("L", 9) + _ids("N", 4))
    assert gaps == {"C14"}
    assert log.reference_ids == expected
    assert [e.id for e in log.entries] == expected  # in order, once each


def test_review_log_matches_the_reference_documents_when_present():
    if not REFERENCE.is_dir():
        pytest.skip(f"the review documents are not on this machine ({REFERENCE})")
    text = "".join((REFERENCE / name).read_text(encoding="utf-8")
                   for name in ("content-review-2026-11.md", "errata-2026-11.md"))
    found = set(re.findall(r"(?<![A-Za-z0-9])([FCRLN][1-9][0-9]?)(?![0-9])(?=\s*[|—*:：，,）)\s])", text))
    assert found == set(loader.review_log().reference_ids)


def test_review_log_schema_rejects_a_missing_or_doubled_finding():
    data = loader.review_log().model_dump()
    with pytest.raises(ValueError, match="no entry for \\['F2'\\]"):
        schema.ReviewLog.model_validate({**data, "entries": [e for e in data["entries"] if e["id"] != "F2"]})
    with pytest.raises(ValueError, match="decided twice"):
        schema.ReviewLog.model_validate({**data, "entries": data["entries"] + data["entries"][:1]})
    declined = {**data["entries"][1], "decision": "不采纳", "reason": None}
    with pytest.raises(ValueError, match="needs a reason"):
        schema.ReviewLog.model_validate({**data, "entries": [declined, *data["entries"][2:]]})


def test_review_log_files_exist_and_handed_over_text_names_its_file():
    for entry in loader.review_log().entries:
        for path in entry.files:
            assert (ROOT / path).exists(), f"{entry.id}: {path}"
        if entry.decision == "转交":
            assert entry.reason and any(p in entry.reason or p.startswith("calculators/profiles") for p in entry.files), entry.id


# --- certainty: binding kind and grade on every citation ------------------------------------------


def test_every_source_has_a_binding_kind_and_grade_and_only_public_addresses():
    for source in loader.sources().values():
        assert source.grade in schema.GRADES
        assert source.binding in schema.BINDING_KINDS or (source.binding is None and source.kind in schema.NON_RULE_KINDS), source.id
        for address in source.addresses:
            assert address.url.startswith(("http://", "https://")), source.id
        if "待核" in source.number or "未查到" in source.number:
            assert source.unverified, source.id  # an unverified number says so to readers


def test_a_citation_cannot_raise_its_sources_grade():
    assert loader.cite_problem(schema.Cite(id="gbt-45251", grade="H"))
    assert loader.cite_problem(schema.Cite(id="gbt-45251", grade="L")) is None
    assert loader.cite_grade(schema.Cite(id="civil-code", grade="L")) == "L"


def test_inline_citations_show_binding_kind_grade_and_open_points():
    text = render.cite([schema.Cite(id="gbt-45251", note="条款号待核"), schema.Cite(id="industry-practice", where="提示线")])
    assert "〔推荐性国家标准（参照）｜M｜条款号待核〕" in text and "〔本手册做法｜" in text
    listed = render.sources_list([schema.Cite(id="rate-reform-2020")])
    assert "文号待核" in listed and "约束力：行政法规·部门规章·规范性文件" in listed and "可信度：M" in listed


def test_every_rule_cites_a_binding_source():
    """Each conduct rule, stage move and legal item cites at least one source with a binding kind."""
    known = loader.sources()
    cited = [r.sources for r in rules.conduct().rules]
    cited += [m.sources for s in rules.stages() for m in s.move_on]
    legal = rules.legal()
    cited += [r.sources for r in legal.civil_routes] + [c.sources for c in legal.credit_reporting] + [legal.limitation.sources]
    for cites in cited:
        assert any(known[c.id].binding for c in cites), cites


# --- civil and criminal roads ---------------------------------------------------------------------

CRIMINAL = re.compile(r"有效催收|恶意透支|数额较大|数额巨大|立案|报案|三个月|3 个月|非法占有")


def _front_line_texts():
    """(where, text) for every trigger, precondition, step, check and line to say in the front-line procedures."""
    for stage in loader.workflow():
        for step in stage.steps:
            yield f"workflow/{stage.id} step {step.title}", step.title + step.detail
        for item in stage.inputs:
            yield f"workflow/{stage.id} input", item
        for check in stage.compliance:
            yield f"workflow/{stage.id} check", check.item
        for esc in stage.escalate:
            yield f"workflow/{stage.id} escalate", esc.when
    for challenge in loader.challenges().values():
        for step in challenge.playbook:
            yield f"challenge/{challenge.id} step", step.title + step.detail
        for esc in challenge.escalate:
            yield f"challenge/{challenge.id} escalate", esc.when


def test_no_front_line_trigger_or_precondition_uses_the_criminal_test():
    allowed = ("不在催收员的流程里", "不以", "不需要先凑够", "只由法务", "法务部门另行评估", "法务评估")  # the sentences that say it is not theirs
    for where, text in _front_line_texts():
        if "有效催收" in text or "数额较大" in text or "三个月" in text:
            assert any(phrase in text for phrase in allowed), f"{where}: {text}"


def test_stage_moves_to_legal_are_civil():
    for stage in rules.stages():
        for move in stage.move_on:
            assert "有效催收" not in move.when and "数额" not in move.when and "三个月" not in move.when, (stage.bucket, move.when)
            if move.to == "legal" and "恶意透支" in move.when:
                assert "不是" in move.when or "另行评估" in move.when


def test_nothing_to_say_to_a_customer_mentions_criminal_thresholds():
    lines = [p.text for s in loader.workflow() for p in s.say] + [p.text for c in loader.challenges().values() for p in c.say]
    lines += [text for _, text in render_rules.shown_say_lines()]
    for text in lines:
        # (a customer may be told to report a stolen card to the police; the bank never announces a report of its own)
        assert not re.search(r"有效催收|数额较大|数额巨大|三个月|恶意透支|立案标准|(我们|银行|本行).{0,6}报案", text), text


def test_intent_is_never_tied_to_elapsed_time_or_amount():
    glossary = {t.term: t.definition for t in loader.glossary().terms}
    assert "犯罪活动" in glossary["非法占有目的"] and "违法犯罪" not in glossary["非法占有目的"]
    assert "不是这一目的的证据" in glossary["非法占有目的"]
    assert "数额" not in glossary["恶意透支"] or "法务" in glossary["恶意透支"]


# --- ceilings, third parties, lawful sources --------------------------------------------------------


def test_caps_are_called_ceilings_and_the_reasonableness_rule_exists():
    data = {r.id: r for r in rules.conduct().rules}
    for rule_id in ("effective-call-cap", "unanswered-cap"):
        assert "上限" in data[rule_id].title and "上限" in data[rule_id].text
    assert "合理" in data["reasonable-and-necessary"].text


def test_phone_book_is_not_a_contact_and_unrelated_people_are_not_callable():
    terms = {t.term: t for t in loader.glossary().terms}
    assert "通讯录联系人" not in terms and "严禁" in terms["手机通讯录"].definition
    assert "通讯录联系人" in terms["手机通讯录"].aliases
    neighbour = Attempt(time=__import__("datetime").datetime(2026, 3, 2, 10), channel="phone", method="邻居", person="third_party",
                        answered=True, content="locate", debtor_reachable=False)
    assert [v.rule_id for v in check_contact_plan([neighbour], rules.conduct_rules())] == ["unrelated-third-party"]
    assert "非预留联系人" in PERSONS["third_party"]


def test_lawful_sources_and_workplace_safeguards_are_rules():
    data = {r.id: r.text for r in rules.conduct().rules}
    assert "通讯录" in data["lawful-contact-sources"] and "失联修复" in data["lawful-contact-sources"]
    assert "前台" in data["workplace-visit"] and "单独" in data["workplace-visit"]
    assert all(word in data["third-party-only-when-unreachable"] for word in ("空号", "连续 3 次", "连续 3 天"))


# --- corrected facts ------------------------------------------------------------------------------


def _all_reader_yaml() -> dict[str, str]:
    out = {}
    for path in sorted((ROOT / "procedures").rglob("*.yml")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in FILES_OWNED_ELSEWHERE or rel == "procedures/review-log.yml":  # the log quotes the old wording on purpose
            continue
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
        out[rel] = text
    return out


@pytest.mark.parametrize("wrong, why", [
    ("不会跟随终生", "F2: records of unpaid debt do not lapse"),
    ("逾期结束之日", "N4: the statute says 不良行为或者事件终止之日"),
    ("受理后 20 日", "N1: disputes run from receipt"),
    ("自收到投诉之日起 30 日", "F16: complaints run from 受理"),
    ("透支款息", "F3: the 2018 text counts principal"),
    ("没有约定的不能仲裁", "F11: an arbitration agreement may be made later"),
    ("只有领用合约中有仲裁条款", "F11"),
    ("或其他第三人", "R1: only the debtor's own contacts, on 失联"),
    ("每一次有据可查的催收", "F10: only demands that reach the debtor interrupt"),
    ("停息挂账, 个性化分期还款", "C5: 停息挂账 is not an alias of 个性化分期"),
    ("监管要求明示的口径", "F5: IRR is not mandated"),
    ("该行公布的 12 期费率", "F12: historical rates are not quotes"),
])
def test_corrected_wording_does_not_return(wrong, why):
    pages = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in (ROOT / "book").rglob("*.md")}
    for where, text in {**_all_reader_yaml(), **pages}.items():
        assert wrong not in text, f"{where}: {why}"


def test_credit_record_retention_is_always_counted_from_settlement():
    """Wherever a front-line text states the 5-year retention to a customer, it says when the clock starts."""
    lines = [p.text for s in loader.workflow() for p in s.say] + [p.text for c in loader.challenges().values() for p in c.say]
    lines += [text for _, text in render_rules.shown_say_lines()]
    for text in lines:
        if "保存 5 年" in text:
            assert "还清" in text or "终止" in text, text


def test_one_term_per_concept():
    for where, text in _all_reader_yaml().items():
        if where == "procedures/glossary.yml":
            continue  # the glossary lists the other spellings as aliases
        assert "保证人" not in text and "第三方" not in text, where


# --- reader text: no configuration keys, no English identifiers -------------------------------------

CELL = re.compile(r"```\{code-cell\}.*?```", re.S)
IDENTIFIER = re.compile(r"(?<![\w/.-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+|(?:calculators|procedures|tools)\.[a-z_.]+|make [a-z-]+)(?![\w/])")
#: The profile page is the configuration reference for maintainers: its 键名 column names the fields on purpose.
MAINTAINER_PAGES = {"book/calc/profile.md"}


def _rendered() -> dict[str, str]:
    texts = {f"workflow/{p.id}": render.procedure_markdown(p) for p in loader.workflow()}
    texts |= {f"challenges/{c.id}": render.challenge_markdown(c) for c in loader.challenges().values()}
    texts |= {"role": render.role_markdown(loader.role()), "skills": render.skills_markdown(loader.skills()),
              "conduct": render.conduct_markdown(), "redlines": render.redlines_markdown(),
              "glossary": render.glossary_markdown(loader.glossary()), "review-log": render.review_log_markdown(),
              "stages": render_rules.stages_markdown(), "civil": render_rules.civil_markdown(),
              "credit-reporting": render_rules.credit_reporting_markdown(), "complaints": render_rules.complaints_markdown(),
              "scripts": render_rules.script_library_markdown()}
    texts |= {f"exercises/{c}": exercises.exercises_markdown(exercises.load(c)) for c in exercises.CHAPTERS}
    texts = {k: render.fill_profile(v) for k, v in texts.items()}
    for page in (ROOT / "book").rglob("*.md"):
        rel = page.relative_to(ROOT).as_posix()
        if rel in MAINTAINER_PAGES:
            continue
        text = page.read_text(encoding="utf-8")
        texts[rel] = CELL.sub("", text.split("---", 2)[2] if text.startswith("---") else text)
    return texts


def _identifiers(text: str) -> set[str]:
    text = re.sub(r"\]\([^)]*\)", "]()", text)  # link targets
    text = re.sub(r"https?://\S+", "", text)
    return {m.group(1) for m in IDENTIFIER.finditer(text)}


def test_reader_text_has_no_english_identifiers():
    found = {where: sorted(ids) for where, text in _rendered().items() if (ids := _identifiers(text))}
    assert found == {}


def test_reader_text_holds_no_configuration_key():
    keys = {spec.name for spec in FIELD_SPECS} | set(rules.conduct_rules().to_dict()["parameters"]) | set(Attempt.__dataclass_fields__)
    keys = {key for key in keys if "_" in key}  # one-word keys (code, tolerance) are ordinary English words
    for where, text in _rendered().items():
        for key in keys:
            assert not re.search(rf"(?<![\w/]){re.escape(key)}(?![\w/])", text), f"{where}: {key}"


def test_the_identifier_lint_catches_what_it_should():
    assert _identifiers("按条款配置中的 `grace_keeps_interest_free` 处理") == {"grace_keeps_interest_free"}
    assert _identifiers("由 calculators.scriptlint 核对，用 make live 打开") == {"calculators.scriptlint", "make live"}
    assert _identifiers("数据文件：`procedures/rules/conduct.yml`，见 [此处](https://x.example/a_b)") == set()


def test_every_rendered_citation_shows_binding_kind_and_grade():
    """Every inline “（依据：…）” on a rendered page names a binding kind and a grade for each source it lists."""
    marker = re.compile(r"〔(" + "|".join(map(re.escape, (*schema.BINDING_KINDS, "机构信息（非规则）"))) + r")｜[HML](｜[^〕]+)?〕")
    for where, text in _rendered().items():
        if where.startswith("book/") or where.startswith("exercises/"):
            continue  # static prose and exercise answers cite through the data pages
        for body in _citations(text):
            parts = [p for p in re.split(r"；(?![^〔]*〕)", body) if p]
            assert all(marker.search(part) for part in parts), f"{where}: {body}"


def _citations(text: str) -> list[str]:
    """The bodies of “（依据：…）”, matching nested full-width parentheses."""
    bodies = []
    for start in [m.end() for m in re.finditer("（依据：", text)]:
        depth, i = 1, start
        while depth and i < len(text):
            depth += {"（": 1, "）": -1}.get(text[i], 0)
            i += 1
        bodies.append(text[start:i - 1])
    return bodies
