"""Collectors' own records and orders to staff (issue 11, session 28): cues that only the rule layer reads.

A record head (``通话小结``, ``催收记录``, ``外访记录`` …) or a training or notice head (``带教点评``, ``冲刺通知`` …) that
disapproves of nothing introduces what the collector did or what staff are told to do: the rules check it.  With a
disapproval, or where the customer's own words follow, it is a report and is not flagged.  The statistical model is
trained and run on the scopes without these cues (``RedlineRules.model_view``), so adding them leaves it as
``tools/train_linter.py`` makes it.
"""

from __future__ import annotations

import pytest

from calculators.compliance.redline_model import default_model
from calculators.compliance.redlines import RedlineRules, blank_scoped, lint
from calculators.errors import CalculatorInputError
from procedures.rules import redlines

#: Written for these tests (none is in the corpus or a blind set): a record or an order that crosses a line.
RECORDS_AND_ORDERS = [
    ("通话小结：告知客户若月底前不还清，就联系其单位人事部门说明欠款情况。", "employer-contact"),
    ("催收记录：已向持卡人发送自制的法院传票照片，持卡人询问开庭地点。", "fake-document"),
    ("外访记录：在客户小区门口拦住客户要求当场还款，客户想走被拦下。", "intrusion"),
    ("通话小结：凌晨1:30联系持卡人本人，持卡人称正在睡觉。", "late-night"),
    ("带教点评：下次就说我们是法院委托的，客户一般不会去核实。", "impersonation"),
    ("培训心得：冒充派出所民警最管用，客户一听就配合。", "impersonation"),
    ("晨会：M2以上的客户一律联系其单位领导，说明他欠款不还。", "employer-contact"),  # ("一律" orders here)
    ("冲刺通知：逾期客户一律提“黑名单”，说不还就上征信黑名单。", "fake-blacklist"),
    # session 30: a law firm's and an agency's records and orders
    ("案件处理记录：22:40起连续拨打持卡人电话五次，持卡人接通后答应明早转账。", "late-night"),
    ("诉前调解记录：告知持卡人不签协议就把他父母的房子也拿去拍卖，持卡人同意签。", "exaggerated-legal"),
    ("周会纪要：下周起对M3客户统一发“老赖曝光”预告，拍下他家门牌发到业主群。", "public-exposure"),
    ("话术小抄：客户嘴硬就说我们是受法院委托的，直接报案件编号。", "impersonation"),
]

#: The same heads on reports, refusals, lawful work and the customer's own words: not flagged.
REPORTS = [
    "通话小结：客户称上一位催收员威胁要去他单位闹，已致歉并登记投诉。",
    "催收记录：客户母亲接听，未透露任何欠款信息，只请其转告客户回电。",
    "通话小结：客户询问是否会被起诉，已如实告知银行可能依法起诉，由法院判决。",
    "外访记录：事先电话征得客户同意，两人上门，出示工作证，客户当面签署分期协议。",
    "【通话小结】客户表示准备向朋友借钱还款，坐席提醒量力而行，并介绍了本行分期。",
    "催收记录：客户称要投诉，已记录并转质检复核，本人未再拨打。",
    "复盘：坐席在通话中说了“让你全家不得安宁”，属于威胁，已扣分并重新培训。",
    # session 30
    "案件处理记录：按约定于工作日19:00联系持卡人，持卡人同意分三期还款。",
    "诉前调解记录：向持卡人说明银行可依法起诉，是否判决由法院决定，持卡人表示考虑分期。",
    "周会纪要：重申外呼时间为8:00至22:00，严禁联系客户单位同事。",
]


@pytest.fixture(scope="module")
def rules():
    return redlines()


@pytest.mark.parametrize("text, category", RECORDS_AND_ORDERS)
def test_a_record_or_an_order_that_crosses_a_line_is_flagged_by_a_rule(rules, text, category):
    findings = lint(text, rules, default_model())
    assert category in {f.category for f in findings if f.source == "rule"}


@pytest.mark.parametrize("text", REPORTS)
def test_a_report_a_refusal_or_the_customers_words_under_the_same_heads_is_not_flagged(rules, text):
    assert lint(text, rules, default_model()) == []


def test_the_model_reads_the_scopes_it_was_trained_on(rules):
    view = rules.model_view
    assert view is rules.model_view and view.rule_only_cues == () and view.rule_only_instruction_heads == ()
    assert view.rule_only_forms == ()
    for cue in rules.rule_only_cues:
        assert all(cue not in getattr(view, name) for name in
                   ("prohibitions", "sentence_prohibitions", "instruction_heads", "disapprovals", "not_disapprovals"))
    for head in rules.rule_only_instruction_heads:  # a report head for the model, as in training
        assert head not in view.instruction_heads and head in view.prohibitions
    text = "通话小结：告知客户若月底前不还清，就联系其单位人事部门说明欠款情况。"
    blanked = blank_scoped(text, rules)  # the record's head scopes over it for the model, as in training
    assert blanked == blank_scoped(text, view) and set(blanked) == {"…", "：", "，", "。"}


def test_the_shipped_model_was_trained_on_the_scopes_of_the_bundled_rules(rules):
    """A cue added to the model's lists (not as a rule-only cue) changes what the model reads: retrain it."""
    from tools.train_linter import scope_fingerprint

    assert default_model().info["scopes"] == scope_fingerprint(rules), (
        "the rules' scopes differ from those the shipped model was trained on: list the new cue in rule_only_cues "
        "(or a new neutral form or negation after in rule_only_forms; procedures/rules/redlines.yml) or retrain with tools/train_linter.py")


def test_a_rule_only_cue_must_be_in_a_list_and_a_rule_only_instruction_head_an_instruction_head(rules):
    data = rules.to_dict()
    with pytest.raises(CalculatorInputError, match="rule_only_cues"):
        RedlineRules.from_dict({**data, "rule_only_cues": [*data["rule_only_cues"], "不在名单里"]})
    with pytest.raises(CalculatorInputError, match="rule_only_instruction_heads"):
        RedlineRules.from_dict({**data, "rule_only_instruction_heads": ["质检发现"]})


def test_a_form_that_only_contains_a_disapproval_does_not_make_a_record_a_report(rules):
    text = "通话小结：已警告客户再拖就让你全家不得安宁，客户称要投诉。"
    assert "threat" in {f.category for f in lint(text, rules, None)}
    # without the form, "投诉" disapproves: the head reports a complaint
    assert lint("通话小结：已警告客户再拖就让你全家不得安宁，已按投诉处理。", rules, None) == []


# --- session 29: more record and order heads, the collector addressing the customer, answers after a question -----

#: Written for these tests (none is in the corpus or a blind set): records and orders the session-29 cues open to the rules.
RECORDS_AND_ORDERS_29 = [
    ("催收小结：已请客户姐姐代偿本期欠款，对方答应先转两千。", "third-party-pay"),  # a head the model reads as nothing
    ("小结：已在客户小区业主群发布其欠款信息。", "public-exposure"),
    ("话术统一：跟客户讲“拖到下月就进全国黑名单”。", "fake-blacklist"),  # the quotation is handed to staff, not mentioned
    ("组长：跟客户说不还钱孩子以后考不了公务员。", "exaggerated-legal"),  # "跟客户说" is not "客户说" (a report)
    ("案件备注：向客户称我方是法院执行局的，客户答应今天还款。", "impersonation"),  # nor is "向客户称"
    ("周报：本周推广新打法，客户不见面我们就不走，效果明显。", "intrusion"),  # a weekly report read as an order
    ("催收函：鉴于阁下品行低劣，本中心将采取进一步措施。", "insult"),
    ("通话小结：已致电客户单位财务，告知其逾期情况。", "employer-contact"),
    ("外呼记录：已告知客户逾期就是犯罪，不还将被刑事拘留。", "exaggerated-legal"),
]

#: Reports and answers in the same forms: not flagged.
REPORTS_29 = [
    "征信记录会跟着您一辈子？不是的，结清后不良记录保存五年。",  # a question answered no
    "小结：客户听说逾期会坐牢，已解释这一说法不符合实际。",  # a record that disapproves of what it reports
    "通话小结：客户以为办分期要交中介费，已澄清我行不收任何中介费。",
    "用私人手机给客户打电话，是公司明确禁止的。",
    "组长：谁再跟客户说“不还就去你家堵你”，直接下岗。",  # a rule with its sanction, though "跟客户说" is not a report
    "合规周报：有外包坐席对客户称“你的通讯录我们都有”，已暂停该坐席上岗。",  # a compliance report, not a weekly order
    "高铁飞机坐不了？这跟信用卡逾期本身没有直接关系。",
    "我哋唔会上门，亦唔会打去你公司。",  # Cantonese negations (rule-only: the model never saw them)
    "哪有啥子全国通报，没得这回事。",
]


@pytest.mark.parametrize("text, category", RECORDS_AND_ORDERS_29)
def test_a_session_29_record_or_order_is_flagged_by_a_rule(rules, text, category):
    assert category in {f.category for f in lint(text, rules, default_model()) if f.source == "rule"}


@pytest.mark.parametrize("text", REPORTS_29)
def test_a_session_29_report_or_answer_is_not_flagged(rules, text):
    assert lint(text, rules, default_model()) == []


def test_rule_only_forms_are_the_rules_own_and_must_be_listed(rules):
    """The collector addressing the customer ("跟客户说") and the answers after a question ("不是的") are read by the rules
    only: the model's view, and the negations the model is trained with, leave them out."""
    from tools.train_linter import _settings

    view = rules.model_view
    assert "跟客户说" in rules.neutral_forms and "不是的" in rules.post_negations
    for form in rules.rule_only_forms:
        assert form not in view.neutral_forms and form not in view.post_negations and form not in view.sentence_sanctions
        assert form not in _settings()["negations"]
    data = rules.to_dict()
    with pytest.raises(CalculatorInputError, match="rule_only_forms"):
        RedlineRules.from_dict({**data, "rule_only_forms": [*data["rule_only_forms"], "不在名单里"]})


def test_a_head_whose_disapproval_only_the_models_view_sees_is_not_put_to_the_model(rules):
    """"容易被投诉" is a lead's reason to say it in other words (not_disapprovals, the rules' only): for the model's view
    "投诉" disapproves, so the model was trained to read such a sentence as a report, and its veto is not asked."""
    text = "主管辅导：你这样说容易被投诉，换个说法：“我们知道你住哪栋楼”。"
    assert "veiled-threat" in {f.category for f in lint(text, rules, default_model())}
    assert lint("主管辅导：你这样说属于威胁，已被投诉：“我们知道你住哪栋楼”。", rules, default_model()) == []


def test_the_sichuanese_negation_meide_is_read_by_the_rules(rules):
    """Session 30: ``没得`` ("there is no", "not") is a rule-only negation: without it the rules would flag both clauses."""
    negated = "我们没得上门的安排，也没得打你单位的电话。"
    assert {f.category for f in lint(negated.replace("没得", "有"), rules, None)} >= {"employer-contact"}
    assert lint(negated, rules, None) == []
    assert "没得" in rules.rule_only_forms and "没得" not in rules.model_view.negations


@pytest.mark.parametrize("sentence", [
    "今天再不还钱，我们就把情况告诉您的单位和家人。",
    "你再不还就等着坐牢吧。",
    "半夜三点我准时给你打电话，你别想睡。",
])
def test_a_line_spaced_out_character_by_character_gets_the_findings_of_the_line(sentence):
    # a tester's probe (session 33): "今 天 再 不 还 钱，……" lost its threat finding (spaces read as commas)
    rules = redlines()
    spaced = " ".join(sentence[:-1]) + sentence[-1]
    plain, found = lint(sentence, rules), lint(spaced, rules)
    assert [f.category for f in found] == [f.category for f in plain] and found
    for f in found:  # the spans point into the text as written, and quote it
        assert spaced[f.span[0]:f.span[1]] == f.text and f.text.replace(" ", "") in sentence


def test_an_empty_box_or_text_without_chinese_is_not_reported_as_checked_and_clean():
    from calculators.ui.rule_views import LINT_DEFAULTS, lint_view

    for empty in ("", "   ", "\n\n\t", "\u3000\u3000"):
        view = lint_view({**LINT_DEFAULTS, "text": empty}, redlines())
        assert not view.ok and view.error_field == "text" and "尚未填写" in view.error_message, repr(empty)
    for foreign in ("！！！？？？。。。", "😀😀😀", "hello world you will go to jail"):
        view = lint_view({**LINT_DEFAULTS, "text": foreign}, redlines())
        assert view.ok and "未找到可检查的中文文字" in view.html and "未发现越过红线" not in view.html, foreign
    clean = lint_view({**LINT_DEFAULTS, "text": "您好，请问是王先生本人吗？"}, redlines())
    assert "未发现越过红线的表述" in clean.html and "不是合规审核结论" in clean.html


@pytest.mark.parametrize("segmented", [
    "今天 再 不 还 钱 ， 我们 就 把 情况 告诉您 的 单位 和 家人 。",
    "半夜 三点 我 准时 给 你 打电话 ， 你别 想 睡 。",
    "我们 会 去 你家 找 你 父母 要钱 。",
    "你 这种 老赖 就是 社会 的 垃圾 。",
    "不 还 钱 就 把 你 的 照片 发到 朋友圈 。",
    "今天 再不 还钱 ， 我们 就 把 情况 告诉 您的 单位 和 家人 。",
    "小心我 揍 你",
    "我们 不会 上门 ， 也 不会 联系 您 的 单位 。",
    "您好 ， 请问 是 王先生 本人 吗 ？",
])
def test_a_line_segmented_word_by_word_gets_the_findings_of_the_line(segmented):
    # a tester's probe (session 34): speech-to-text output, a space between words, lost its rule findings (spaces read
    # as commas); the segmentations are jieba's (jieba.cut), and two written by hand
    rules = redlines()
    plain = segmented.replace(" ", "")
    found = lint(segmented, rules)
    assert [f.category for f in found] == [f.category for f in lint(plain, rules)]
    for f in found:
        assert segmented[f.span[0]:f.span[1]] == f.text and f.text.replace(" ", "") in plain


def test_spaces_that_part_clauses_are_still_clause_marks():
    # (long pieces between the spaces: not words but clauses; "不会 上门" stays negated either way)
    rules = redlines()
    assert lint("您好 我是招行的 请问是李女士吗", rules) == []
    assert [f.category for f in lint("我们已经核实过了 明天就去你家 堵你", rules)] == [f.category for f in lint("我们已经核实过了，明天就去你家，堵你", rules)]
