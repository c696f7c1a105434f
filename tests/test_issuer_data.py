"""The issuer is data: names, numbers, app and complaint channel come from the terms profile.

A handbook built with another profile must not name the default issuer (招商银行 / 招行 / 95555)
outside the profile-comparison page; these tests check the data and the token filling that
make that possible, without a build.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from calculators import CalculatorInputError, bundled_profiles, load_terms
from calculators.datafile import read_yaml
from calculators.terms import DEFAULT_PROFILE, IDENTITY_KEYS, PROFILE_DIR, PROFILE_ENV, selected_profile
from procedures.render import IDENTITY_TOKENS, fill_profile
from tools.issuer_footer import fill_footer, footer_html

ROOT = Path(__file__).resolve().parent.parent
CMB_NAMES = ("招商银行", "招行", "95555")
#: Files whose issuer names were replaced by tokens (the other procedure files follow the same convention).
ISSUER_FILES = sorted((ROOT / "procedures" / "scripts").glob("*.yml")) + [
    ROOT / "procedures" / "role.yml", ROOT / "procedures" / "rules" / "legal.yml"]


def _cmb_names(text: str) -> list[str]:
    return [name for name in CMB_NAMES if name in text]


def test_every_bundled_profile_names_its_issuer():
    expected = {
        "cmb": ("招商银行", "招行", ("95555", "400-820-5555"), "招商银行App"),
        "icbc": ("中国工商银行", "工行", ("95588",), "中国工商银行App"),
        "ccb": ("中国建设银行", "建行", ("95533",), "中国建设银行App"),
        "bocom": ("交通银行", "交行", ("95559",), "交通银行App"),
    }
    for code in bundled_profiles():
        terms = load_terms(code)
        assert (terms.issuer, terms.issuer_short, terms.hotlines, terms.app) == expected[code]
        for key in ("label", "complaint_channel", "footer", "identity_source"):
            text = getattr(terms, key)
            assert terms.issuer in text and "⟦" not in text, (code, key)
        if code != "cmb":
            assert not _cmb_names(PROFILE_DIR.joinpath(f"{code}.yml").read_text(encoding="utf-8")), code
    cmb = load_terms("cmb")
    assert cmb.complaint_channel == "招商银行信用卡客服 95555、400-820-5555（以卡片背面和官方网站公布为准）"
    assert cmb.footer == "招商银行数字为公开描述的典型条款，以领用合约为准"


def test_identity_tokens_are_filled_from_the_profile():
    icbc = load_terms("icbc")
    text = "⟦issuer⟧|⟦issuer_short⟧|⟦hotline⟧|⟦hotlines⟧|⟦app⟧|⟦complaint_channel⟧|⟦footer⟧|⟦issuer_label⟧"
    assert fill_profile(text, icbc).split("|") == [
        "中国工商银行", "工行", "95588", "95588", "中国工商银行App",
        "中国工商银行信用卡客服 95588（以卡片背面和官方网站公布为准）",
        "中国工商银行的违约金按公开资料，其余数字为行业通行做法，以领用合约为准",
        "中国工商银行信用卡（违约金按公开资料，其余为行业通行做法，请以领用合约为准）",
    ]
    assert fill_profile("⟦hotlines⟧", load_terms("cmb")) == "95555、400-820-5555"
    assert fill_profile("⟦daily_rate_cap⟧|⟦late_fee_name⟧", load_terms("cmb")) == "无|违约金"
    assert set(IDENTITY_TOKENS) >= {"issuer", "issuer_short", "hotline", "app", "complaint_channel"}  # the agreed names
    with pytest.raises(KeyError, match="unknown profile token ⟦hotlien⟧"):
        fill_profile("⟦hotlien⟧", icbc)


@pytest.mark.parametrize("code", ["icbc", "ccb", "bocom"])
def test_scripts_role_and_complaint_channel_name_only_the_chosen_issuer(code):
    terms = load_terms(code)
    for path in ISSUER_FILES:
        filled = fill_profile(path.read_text(encoding="utf-8"), terms)
        assert not _cmb_names(filled), (path.name, _cmb_names(filled))
    legal, _ = read_yaml(ROOT / "procedures" / "rules" / "legal.yml")
    bank = next(channel for channel in legal["complaint_channels"] if channel["id"] == "bank")
    assert fill_profile(bank["contact"], terms) == terms.complaint_channel
    identity, _ = read_yaml(ROOT / "procedures" / "scripts" / "identity-questioned.yml")
    first = fill_profile(identity["say"][0]["text"], terms)
    assert f"{terms.issuer}官方客服电话 {terms.hotlines[0]}" in first


def test_the_default_profile_still_reads_as_before():
    cmb = load_terms("cmb")
    identity, _ = read_yaml(ROOT / "procedures" / "scripts" / "identity-questioned.yml")
    assert fill_profile(identity["say"][0]["text"], cmb) == (
        "您的谨慎是对的。您可以先挂断，再拨打招商银行官方客服电话 95555 或卡片背面的客服号码核实这次来电。")
    assert fill_profile(identity["notes"][0], cmb) == "官方客服号码以卡片背面和招商银行官网公布为准（95555、400-820-5555 为公开号码）。"


def test_a_copied_profile_renamed_in_its_identity_block_needs_no_other_edit(tmp_path):
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    head, values = text.split("\nvalues:\n", 1)
    renamed = (head.replace("code: cmb", "code: demo").replace("issuer: 招商银行", "issuer: 示例商业银行")
               .replace("issuer_short: 招行", "issuer_short: 示例行").replace('hotlines: ["95555", "400-820-5555"]', 'hotlines: ["95000"]'))
    path = tmp_path / "demo.yml"
    path.write_text(renamed + "\nvalues:\n" + values, encoding="utf-8")
    demo = load_terms(path)
    assert (demo.code, demo.issuer, demo.app) == ("demo", "示例商业银行", "示例商业银行App")
    assert demo.complaint_channel == "示例商业银行信用卡客服 95000（以卡片背面和官方网站公布为准）"
    assert demo.label.startswith("示例商业银行信用卡") and demo.footer.startswith("示例商业银行")
    for path in ISSUER_FILES:
        filled = fill_profile(path.read_text(encoding="utf-8"), demo)
        assert not _cmb_names(filled), path.name
    assert footer_html("本手册不构成法律意见；⟦footer⟧；案例人物均为虚构。", demo) == (
        "本手册不构成法律意见；示例商业银行数字为公开描述的典型条款，以领用合约为准；案例人物均为虚构。")


def test_the_footer_is_filled_from_the_profile_and_escaped():
    config, _ = read_yaml(ROOT / "_config.yml")
    footer = config["html"]["extra_footer"]
    assert "⟦footer⟧" in footer and not _cmb_names(footer)
    assert footer_html(footer, load_terms("icbc")) == (
        "本手册不构成法律意见；中国工商银行的违约金按公开资料，其余数字为行业通行做法，以领用合约为准；案例人物均为虚构。")
    assert footer_html("⟦issuer⟧", SimpleNamespace(issuer="A<b>&B")) == "A&lt;b&gt;&amp;B"
    options = SimpleNamespace(html_theme_options={"extra_footer": footer, "use_download_button": False})
    fill_footer(None, options)
    assert options.html_theme_options == {"extra_footer": footer_html(footer), "use_download_button": False}
    assert "⟦" not in options.html_theme_options["extra_footer"]


def test_the_start_page_names_the_chosen_issuer_only_through_the_profile():
    from procedures.render import render_template

    page = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    template = (ROOT / "procedures" / "templates" / "issuer.md.j2").read_text(encoding="utf-8")
    assert "```{issuer} intro\n```" in page  # the sentence naming the issuer is the template's, filled at build time
    assert not _cmb_names(page) and not _cmb_names(template)
    assert "**⟦issuer⟧**" in template and "⟦hotlines⟧" in template
    icbc = load_terms("icbc")
    sentence = fill_profile(render_template("issuer.md.j2", terms=icbc), icbc)
    assert sentence.startswith("本手册以**中国工商银行**") and "（`icbc`）" in sentence and not _cmb_names(sentence)


def test_the_default_profile_is_named_once(monkeypatch):
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    assert selected_profile() == DEFAULT_PROFILE == "cmb"
    monkeypatch.setenv(PROFILE_ENV, " icbc ")
    assert selected_profile() == "icbc"
    python_files = [p for folder in ("calculators", "procedures", "tools") for p in (ROOT / folder).rglob("*.py")]
    named = [p.relative_to(ROOT).as_posix() for p in python_files
             if re.search(r"""(?:or|=)\s*["']cmb["']\s*\)?\s*$""", p.read_text(encoding="utf-8"), re.M)]
    assert set(named) == {"calculators/terms.py"}, named


def test_profile_identity_is_validated_with_file_and_line(tmp_path):
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    numeric = tmp_path / "numeric.yml"
    numeric.write_text(text.replace('hotlines: ["95555", "400-820-5555"]', "hotlines: [95555]"), encoding="utf-8")
    line = text[: text.index("hotlines:")].count("\n") + 1
    with pytest.raises(CalculatorInputError) as info:
        load_terms(numeric)
    assert str(info.value).startswith(f"{numeric}:{line}: hotlines=[95555] is not allowed: the official customer-service numbers")
    unknown = tmp_path / "unknown.yml"
    unknown.write_text(text.replace("currency: CNY\n", "currency: CNY\nissuer_name: 招商银行\n"), encoding="utf-8")
    with pytest.raises(CalculatorInputError) as info:
        load_terms(unknown)
    line = text[: text.index("currency: CNY")].count("\n") + 2
    assert str(info.value) == (f"{unknown}:{line}: issuer_name='issuer_name' is not allowed: one of the known keys: "
                               + ", ".join((*IDENTITY_KEYS, "values")))


def test_unknown_keys_inside_values_name_the_file_line_key_and_allowed_keys(tmp_path):
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    path = tmp_path / "typo.yml"
    path.write_text(text.replace("  grace_days:\n    value: 3\n", "  grace_days:\n    value: 3\n    efective: null\n", 1), encoding="utf-8")
    line = text[: text.index("  grace_days:\n")].count("\n") + 3
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    assert str(info.value) == (f"{path}:{line}: values.grace_days.efective='efective' is not allowed: "
                               "one of the known keys: value, source, effective, confidence, note")
    assert "只能是以下键之一：value、source、effective、confidence、note" in info.value.message_zh
    dated = tmp_path / "dated-typo.yml"
    dated.write_text(text.replace("      effective: 1999-03-01\n      confidence: M\n    - value: 违约金",
                                  "      effective: 1999-03-01\n      confidence: M\n      sorce: x\n    - value: 违约金"), encoding="utf-8")
    with pytest.raises(CalculatorInputError, match=r"values\.late_fee_name\[0\]\.sorce='sorce' is not allowed: one of the known keys"):
        load_terms(dated)


@pytest.mark.parametrize("table,error,zh", [
    # a preset beyond the longest plan: the calculator would reject it in a field the preset had locked
    ("{3: 0.0090, 12: 0.0066, 72: 0.0075}", "values.installment_rates.value=72 is not allowed: at most installment_max_periods (60) periods",
     "期数不大于分期最长期数 60"),
    # a rate the installment calculator does not accept (it takes a rate below 10 % per period)
    ("{3: 0.1, 12: 0.0066}", "values.installment_rates.value[3]=0.1 is not allowed: a rate below 0.1", "小于 0.1 的每期费率"),
    # one number of periods written twice (3 and '3'): an error, never silently merged
    ("{3: 0.0090, '3': 0.0091, 12: 0.0066}", "values.installment_rates.value['3']='3' is not allowed: each number of periods once",
     "3 期写了两次"),
])
def test_presets_must_be_usable_by_the_calculator(tmp_path, table, error, zh):
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    old = "    value: {3: 0.0090, 6: 0.0075, 10: 0.0070, 12: 0.0066, 18: 0.0068, 24: 0.0068}\n"
    assert old in text
    path = tmp_path / "presets.yml"
    path.write_text(text.replace(old, f"    value: {table}\n", 1), encoding="utf-8")
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    assert error in str(info.value) and zh in info.value.message_zh, (str(info.value), info.value.message_zh)
    line = text[: text.index(old)].count("\n") + 1
    assert str(info.value).startswith(f"{path}:{line}:"), str(info.value)  # (the line of the table)
