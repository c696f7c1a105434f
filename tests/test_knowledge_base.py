"""The knowledge base in procedures/: valid, complete, and every bad file reported by file, line and field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

import procedures
from procedures import loader, schema
from procedures.render import challenge_markdown, procedure_markdown

from helpers import ROOT

SEED_STAGES = ["understand", "contact", "plan", "follow-up", "legal"]
SEED_SKILLS = ["communication", "debt-handling", "resilience", "legal-awareness"]
SEED_CHALLENGES = ["emotions", "refusal", "legal-issues"]


def test_every_file_validates_and_cross_references_resolve():
    assert procedures.validate_all() >= 30


def test_the_seed_article_structure_is_covered():
    """Four skills, five stages in order, three challenges, duties and both reasons for the role."""
    assert [s.id for s in procedures.workflow()] == SEED_STAGES
    assert [s.id for s in procedures.skills().skills] == SEED_SKILLS
    assert sorted(procedures.challenges()) == sorted(SEED_CHALLENGES)
    role = procedures.role()
    assert len(role.duties) >= 3 and role.why_bank and role.why_customer
    terms = {t.term for t in procedures.glossary().terms}
    assert {"违约金", "最低还款额", "恶意透支", "个性化分期", "催收"} <= terms


@pytest.mark.parametrize("stage", SEED_STAGES)
def test_procedure_page_title_and_template(stage, real_repository):
    """The page's title is the data's title; the rendered page has every template section and its metadata."""
    data = procedures.procedure(stage)
    page = (ROOT / "book" / "workflow" / f"{stage}.md").read_text(encoding="utf-8")
    assert re.search(r"^# (.+)$", page, re.M).group(1) == data.title
    text = procedure_markdown(data)
    for section in ("## 目的", "## 谁来做、有何权限", "## 需要的信息", "## 步骤", "## 话术要点", "## 合规检查", "## 产出", "## 何时升级", "## 依据"):
        assert section in text, section
    assert f"负责人：{data.owner}" in text and f"最近审阅：{data.last_reviewed.isoformat()}" in text
    assert f"procedures/workflow/{stage}.yml" in text and "/-/edit/main/procedures/workflow/" in text


@pytest.mark.parametrize("challenge", SEED_CHALLENGES)
def test_challenge_page_title_and_metadata(challenge, real_repository):
    data = procedures.challenges()[challenge]
    page = (ROOT / "book" / "challenges" / f"{challenge}.md").read_text(encoding="utf-8")
    assert re.search(r"^# (.+)$", page, re.M).group(1) == data.title
    text = challenge_markdown(data)
    assert f"负责人：{data.owner}" in text and "编辑本页数据" in text


@pytest.mark.parametrize("stage", SEED_STAGES)
def test_placeholder_repository_gives_no_edit_links(stage):
    """The shipped ``gitlab.example.com`` placeholder produces no link (a dead link on every page otherwise)."""
    from procedures.render import repository_configured

    assert not repository_configured()
    text = procedure_markdown(procedures.procedure(stage))
    assert f"`procedures/workflow/{stage}.yml`" in text
    assert "编辑本页数据" not in text and "example.com" not in text and "/-/edit/" not in text


def copy_of(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / path.name
    shutil.copy(path, target)
    return target


def test_procedure_without_owner_fails_naming_file_line_and_field(tmp_path):
    path = copy_of(ROOT / "procedures" / "workflow" / "plan.yml", tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("owner:")]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    first_key = next(i for i, line in enumerate(kept, 1) if line and not line.startswith("#"))
    with pytest.raises(procedures.ProcedureFileError) as error:
        loader.load_model(path, schema.Procedure)
    # A missing key is reported at the mapping that lacks it: the top of the document.
    assert f"{path}:{first_key}: owner: Field required" in str(error.value)


def test_bad_value_reports_its_line(tmp_path):
    path = copy_of(ROOT / "procedures" / "workflow" / "plan.yml", tmp_path)
    text = path.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("last_reviewed:"))
    path.write_text(text.replace("last_reviewed: ", "last_reviewed: not-a-date # ", 1), encoding="utf-8")
    with pytest.raises(procedures.ProcedureFileError) as error:
        loader.load_model(path, schema.Procedure)
    assert f"{path}:{line}: last_reviewed:" in str(error.value)


def test_unknown_key_and_yaml_syntax_errors_are_located(tmp_path):
    path = copy_of(ROOT / "procedures" / "role.yml", tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "typo_field: 1\n", encoding="utf-8")
    with pytest.raises(procedures.ProcedureFileError, match=r"role\.yml:\d+: typo_field: Extra inputs are not permitted"):
        loader.load_model(path, schema.Role)
    path.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(procedures.ProcedureFileError, match=r"role\.yml:2: \(file\)"):
        loader.load_model(path, schema.Role)


def test_citations_must_name_known_sources(tmp_path, monkeypatch):
    bad = schema.Cite(id="no-such-document")
    stage = procedures.procedure("plan").model_copy(update={"sources": [bad]})
    monkeypatch.setattr(loader, "workflow", lambda: [stage if s.id == "plan" else s for s in procedures.workflow()])
    with pytest.raises(procedures.ProcedureFileError, match="unknown source id"):
        loader.check_references()


def all_texts(obj) -> list[str]:
    """Every string inside a data model (narratives, steps, scripts…)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, BaseModel):
        return [t for name in type(obj).model_fields for t in all_texts(getattr(obj, name))]
    if isinstance(obj, (list, tuple)):
        return [t for item in obj for t in all_texts(item)]
    return []


def test_narrative_day_counts_match_their_buckets():
    """'逾期 33 天，属于 M2，关注类' in an example must agree with the calculators' buckets."""
    from calculators import delinquency_bucket
    from procedures import exercises, rules

    from procedures import situations

    documents = [*procedures.workflow(), *procedures.challenges().values(), procedures.role(), *rules.scripts().values()]
    documents += list(situations.situations().values())
    documents += [exercises.load(chapter) for chapter in exercises.CHAPTERS]
    checked = 0
    for text in (t for d in documents for t in all_texts(d)):
        for sentence in re.split("[。；]", text):
            found = re.search(r"逾期 ?(\d+) ?天", sentence)
            if not found:
                continue
            status = delinquency_bucket(int(found.group(1)))
            for bucket in re.findall(r"\bM[0-7]\b", sentence):
                assert bucket == status.bucket, sentence
                checked += 1
            for category in re.findall(r"(正常|关注|次级|可疑|损失)类", sentence):
                assert category == status.category, sentence
                checked += 1
    assert checked >= 2  # the examples do state buckets; the check is not vacuous
