"""The red-line linter: every script in the book is clean, every seeded bad line is caught, compliant lines pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from calculators.errors import CalculatorInputError
from calculators.compliance.redlines import RedlineRules, lint
from procedures.rules import redlines, scripts

ROOT = Path(__file__).resolve().parent.parent
PROCEDURES = ROOT / "procedures"


@pytest.fixture(scope="module")
def rules() -> RedlineRules:
    return redlines()


def _say_lines() -> list[tuple[str, str]]:
    """Every ``say`` line in the script library and in whatever workflow/challenge files exist."""
    lines = []
    for folder in ("scripts", "workflow", "challenges"):
        for path in sorted((PROCEDURES / folder).glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for index, phrase in enumerate(data.get("say") or []):
                text = phrase["text"] if isinstance(phrase, dict) else phrase
                lines.append((f"{folder}/{path.name}#say[{index}]", text))
    return lines


SAY_LINES = _say_lines()


def test_the_book_has_script_lines_to_check():
    assert sum(1 for where, _ in SAY_LINES if where.startswith("scripts/")) >= 9 * 4


@pytest.mark.parametrize(("where", "text"), SAY_LINES, ids=[w for w, _ in SAY_LINES])
def test_every_say_line_in_the_book_is_clean(rules, where, text):
    assert [(f.category, f.text) for f in lint(text, rules)] == []


NEVER_SAY = [(sid, i, item.text, item.redline) for sid, script in scripts().items()
             for i, item in enumerate(script.never_say) if item.redline]


@pytest.mark.parametrize(("script_id", "index", "text", "category"), NEVER_SAY, ids=[f"{s}#{i}" for s, i, _, _ in NEVER_SAY])
def test_tagged_never_say_lines_are_caught_by_their_category(rules, script_id, index, text, category):
    assert category in {f.category for f in lint(text, rules)}


SEEDED_BAD = {
    "threat": [
        "你要是再不接电话，后果自负。",
        "我们知道你住哪，小心你的孩子。",
        "明天找几个兄弟去教训你。",
    ],
    "insult": [
        "欠钱不还，你真是个无赖。",
        "你这种人就是社会的败类。",
        "你脑子有病吧，还不还钱？",
    ],
    "impersonation": [
        "我们这里是市公安局经侦支队，你的案子已经立了。",
        "我是法院执行局的，今天来通知你。",
        "派出所让我们来找你核实情况。",
    ],
    "fake-blacklist": [
        "你已经被列入银行业黑名单了。",
        "各大银行都会联网拉黑你。",
    ],
    "exaggerated-legal": [
        "逾期三个月你就要被判刑了。",
        "你的子女以后都不能考公务员。",
        "我们马上就去法院起诉你。",
        "别以为你不会坐牢。",
    ],
    "borrow-elsewhere": [
        "你去借点网贷先把最低还了。",
        "找亲戚朋友凑一凑，今天必须还上。",
        "用你别的信用卡套现还上这期。",
        "你不要再拖了赶紧找朋友借钱还上。",
    ],
    "third-party-disclosure": [
        "麻烦您转告他，他在我们银行的信用卡已经逾期三个月了。",
        "我们会打电话告诉你父母你欠了多少钱。",
        "您是他同事吧？他欠我们钱一直不还。",
    ],
    "extra-fee": [
        "需要先交一笔加急费才能给你办分期。",
        "钱直接打到我的支付宝上就行。",
    ],
    "public-exposure": [
        "我们会把你的照片贴在小区门口。",
        "不还钱就在朋友圈曝光你。",
    ],
    "private-channel": [
        "这事你加我个人微信说。",
        "我拿自己的手机打给你，别声张。",
    ],
    "intrusion": [
        "我们今天强行进入你家，等你拿钱。",
        "我们的人就在你家门口蹲守，不还不走。",
    ],
    "privacy": [
        "我们已经掌握了你的行踪，别想躲。",
        "再不还就把你的身份证资料公开出去。",
    ],
    # categories added with the labelled corpus (issue 11); these lines are not in the corpus
    "veiled-threat": [
        "你也不想你女儿放学路上出点什么事吧？",
        "你开哪辆车、几点出门，我们心里有数。",
    ],
    "late-night": [
        "夜里两点我再拨你电话。",
        "半夜我们轮流给你发语音。",
    ],
    "fake-document": [
        "我给你寄了一张法院的传票，自己看。",
        "你的立案通知书下来了，我拍给你。",
    ],
    "third-party-pay": [
        "你父母有退休金，让他们替你还上。",
        "老公欠的钱，你当老婆的有义务还。",
    ],
    "employer-contact": [
        "我现在就打给你们公司人事部。",
        "要是让你领导知道了，你这工作还要不要？",
    ],
}
SEEDED = [(category, text) for category, texts in SEEDED_BAD.items() for text in texts]


def test_seeded_cases_cover_every_category_twice(rules):
    assert set(SEEDED_BAD) == {c.id for c in rules.categories}
    assert all(len(texts) >= 2 for texts in SEEDED_BAD.values())
    # the list: threats, insults, impersonation, fake blacklists, exaggerated legal consequences,
    # borrowing elsewhere, revealing the debt to a third party, extra fees
    assert {"threat", "insult", "impersonation", "fake-blacklist", "exaggerated-legal", "borrow-elsewhere",
            "third-party-disclosure", "extra-fee"} <= set(SEEDED_BAD)


@pytest.mark.parametrize(("category", "text"), SEEDED)
def test_seeded_bad_line_is_caught(rules, category, text):
    findings = lint(text, rules)
    assert category in {f.category for f in findings}, [(f.category, f.text) for f in findings]


@pytest.mark.parametrize(("category", "index", "example"),
                         [(c.id, i, p.example) for c in redlines().categories for i, p in enumerate(c.patterns)])
def test_every_pattern_catches_its_own_example(rules, category, index, example):
    # the pattern itself, not only another pattern of its red line (session 30: four examples had drifted)
    assert rules.category(category).patterns[index].compiled.search(example)
    assert category in {f.category for f in lint(example, rules)}


COMPLIANT = [
    "我们不会上门，也不会联系您的单位。",
    # negation after the term, quoted mentions and alarming words used compliantly (issue 11)
    "“黑名单”其实并不存在。",
    "“上黑名单”这个说法并不存在。",
    "征信黑名单？没有这回事。",
    "去您单位找您？这不是我们的做法。",
    "培训时要提醒：别对客户说“你等着坐牢吧”。",
    "禁止使用“老赖”这类称呼。",
    "晚上十点以后我们不会再给您打电话。",
    "如果有人自称反诈中心让您还信用卡，那是诈骗。",
    "您的家人没有替您还款的义务，我们也不会找他们。",
    "您有权向我行投诉，也可以拨打 12378 反映。",
    "逾期本身不会让您坐牢，但逾期信息按规定可能报送征信系统。",
    "征信系统里没有所谓的“黑名单”，不良信息自不良行为终止之日起保存 5 年。",
    "如果有人自称法院工作人员让您转账，请挂断后拨打 95555 核实。",
    "我们不会向您的家人透露任何欠款信息。",
    "请勿向网贷平台借钱来还信用卡，我们可以一起看看分期方案。",
    "我们不收取任何催收费用，请只通过官方渠道还款。",
    "请不要把钱转到任何个人账户。",
    "是否构成犯罪只能由司法机关依法认定，我不能替您下结论。",
    "未经您同意，我们不会进入您的住宅或办公室。",
    "您的家人没有替您还款的义务。",
    "我是招商银行信用卡中心的工作人员，不是法院或公安机关的人员。",
    "我们不会在公共场所张贴任何催收公告。",
    "我们不会用私人微信联系您，请认准官方号码。",
    "法院判决后仍不履行的，可能被依法强制执行，这由法院决定。",
    "是否减免费用需要审批，我现在不能向您保证。",
    "请您别担心，我们先核实一下账单。",
    "您能不能先还一部分？",
    "还有没有其他欠款需要一起安排？",
]


@pytest.mark.parametrize("text", COMPLIANT)
def test_compliant_lines_that_look_risky_are_not_flagged(rules, text):
    assert [(f.category, f.text) for f in lint(text, rules)] == []


def test_finding_fields(rules):
    text = "您好。你再不还，小心你的家人！"
    (finding,) = lint(text, rules)
    assert finding.category == "threat" and finding.name == "威胁恐吓" and finding.redline == "abuse"
    assert text[slice(*finding.span)] == finding.text == "小心你的家人"
    assert finding.rule and finding.sources == ("2026 年银行业协会催收指引", "2011 年《办法》第六十八条")
    assert json.loads(json.dumps(finding.to_dict(), ensure_ascii=False))["span"] == list(finding.span)


def test_findings_in_text_order_and_one_per_overlap(rules):
    text = "你就是个老赖！再不还钱就等着坐牢，坐牢！"
    findings = lint(text, rules)
    assert [(f.category, f.text) for f in findings] == [("insult", "老赖"), ("exaggerated-legal", "坐牢"), ("exaggerated-legal", "坐牢")]
    assert [f.span[0] for f in findings] == sorted(f.span[0] for f in findings)


def test_negation_is_clause_local(rules):
    # "不会" in an earlier clause does not cancel a threat in the next one
    assert [f.text for f in lint("我们不会威胁您，再不还就等着坐牢吧", rules)] == ["坐牢"]
    assert lint("我们不会威胁您，也不会说您会坐牢", rules) == []


def test_breaker_turns_negation_back_into_a_threat(rules):
    assert lint("您不会因为逾期坐牢", rules) == []
    assert [f.category for f in lint("别以为你不会坐牢", rules)] == ["exaggerated-legal"]


def test_question_forms_are_not_negations(rules):
    # flagged twice since issue 11: it also asks a third party to pay (category third-party-pay)
    assert [f.category for f in lint("你能不能帮他把钱还了", rules)] == ["third-party-disclosure", "third-party-pay"]


def test_rules_round_trip_through_json(rules):
    data = json.loads(json.dumps(rules.to_dict(), ensure_ascii=False))
    again = RedlineRules.from_dict(data)
    assert again == rules
    assert lint("你这个骗子", again) == lint("你这个骗子", rules) != []


def test_bad_input(rules):
    with pytest.raises(CalculatorInputError) as err:
        lint(b"bytes", rules)
    assert err.value.field == "text"
    with pytest.raises(CalculatorInputError) as err:
        lint("文本", rules.to_dict())
    assert err.value.field == "rules"


@pytest.mark.parametrize(("pattern", "field", "fragment"), [
    ({"regex": "(坐牢"}, "categories[0].patterns[0].regex", "a valid regular expression"),
    ({"regex": "<NOPE>坐牢"}, "categories[0].patterns[0].regex", "<NOPE> is undefined"),
    ({"regex": "x?"}, "categories[0].patterns[0].regex", "cannot match empty text"),
    ({"regex": "坐牢", "negation": "sometimes"}, "categories[0].patterns[0].negation", "clause, prefix, none"),
])
def test_bad_patterns_are_rejected(rules, pattern, field, fragment):
    data = rules.to_dict()
    data["categories"][0]["patterns"][0] = pattern
    with pytest.raises(CalculatorInputError) as err:
        RedlineRules.from_dict(data)
    assert err.value.field == field and fragment in str(err.value)


# --- issue 11: negation after the term, quoted mentions, the model layer, linear time ----------------


@pytest.mark.parametrize(("text", "category"), [
    ("“黑名单”其实真的有，你已经在里面了。", "fake-blacklist"),  # no negation after it
    ("别以为“黑名单”不存在，你已经上了。", "fake-blacklist"),
    ("你说“我们不敢去你家”？今晚十点就到你家门口。", "intrusion"),  # the real threat is outside the quotation
])
def test_negation_after_and_quotes_do_not_hide_real_violations(rules, text, category):
    assert category in {f.category for f in lint(text, rules, None)}


def test_rule_findings_say_rule_and_model_findings_say_review(rules):
    (rule,) = lint("你就是个老赖。", rules)
    assert (rule.source, rule.verdict, rule.probability, rule.drivers) == ("rule", "越过红线", None, ())
    (flag,) = lint("您好。你老婆工资卡在谁手上，拿来还。", rules)
    assert flag.source == "model" and flag.verdict == "可能越线，需复核" and flag.category == "third-party-pay"
    assert flag.text == "你老婆工资卡在谁手上，拿来还。" and flag.span == (3, 18) and 0.5 < flag.probability <= 1
    assert flag.drivers and all(word in flag.text for word in flag.drivers)
    assert flag.name == rules.category("third-party-pay").name and flag.sources
    data = json.loads(json.dumps(flag.to_dict(), ensure_ascii=False))
    assert data["verdict"] == "可能越线，需复核" and data["drivers"] == list(flag.drivers)


def test_model_can_be_switched_off_and_only_scores_what_rules_missed(rules):
    assert lint("您好。你老婆工资卡在谁手上，拿来还。", rules, None) == []
    # a sentence a rule already flagged is not flagged again by the model
    assert [f.source for f in lint("再不还钱，小心我们打断你的腿。", rules)] == ["rule"]
    with pytest.raises(CalculatorInputError) as err:
        lint("文本", rules, {"weights": {}})
    assert err.value.field == "model"


@pytest.mark.parametrize("text, words", [
    ("本人系区人民法院执行局干警，限你三日内把欠款还上。", "本人系区人民法院执行局"),  # formal "I am" (系)
    ("我方系县检察院工作人员，请你今天来电说明。", "我方系县检察院"),
    ("我系派出所嘅，你张卡嘅欠款要同我讲清楚。", "我系派出所"),  # Cantonese 系 = 是
    ("本人系政法委工作人员，你的事我们已经掌握了。", "本人系政法委"),
])
def test_a_claim_to_be_an_authority_is_found_in_formal_and_cantonese_wording(rules, text, words):
    assert [(f.category, f.text) for f in lint(text, rules)] == [("impersonation", words)]


@pytest.mark.parametrize("text", [
    "我系统里显示您上期已还清，法院那边没有任何记录。",  # 系统, not 系 = 是
    "我系银行信用卡中心嘅小陈，想同你倾下还款安排。",  # the bank itself is no authority
    "本人系该行持卡人，近期被催收员冒充法院人员威胁，请予查处。",  # a cardholder's complaint
])
def test_an_identity_that_is_no_authority_is_not_flagged(rules, text):
    assert lint(text, rules) == []


def test_a_question_is_scored_with_its_answer(rules):
    from calculators.compliance.redline_model import default_model, windows

    model = default_model()
    question, denial, threat = "找你老婆要钱？", "这种事我们绝对不做。", "你先想想怎么保住你那双手吧。"
    assert list(windows(question + denial)) == [(0, 7, 17), (7, 17, 17)]
    # the question is scored with its answer (what the model reads for it), the answer on its own
    text = question + denial
    scores = model.veto_scores(text, [(0, 7), (7, 17)])
    assert scores == {(0, 7): model.probability(text), (7, 17): model.probability(denial)}
    # alone, the question reads as a violation; answered by a refusal, it does not, and nothing is flagged
    assert model.probability(question) >= model.threshold > model.probability(text)
    assert lint(text, rules) == []
    # an answer that threatens is still flagged on its own, whatever the question
    assert [(f.source, f.category, f.text) for f in lint("投诉？" + threat, rules)] == [("model", "threat", threat)]


@pytest.mark.parametrize("length", [20_000])
def test_long_text_is_linted_in_linear_time(rules, length):
    import time

    sentence = "你再不还钱我们就去你家门口等着我们不会上门黑名单其实并不存在"
    timings = {}
    for size in (length // 4, length):
        text = (sentence * (size // len(sentence) + 1))[:size]
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            lint(text, rules)
            best = min(best, time.process_time() - started)
        timings[size] = best
    # linear: four times the text takes far less than sixteen times as long (the quadratic version took 7 s)
    assert timings[length] < 8 * max(timings[length // 4], 0.002), timings
    assert timings[length] < 0.15, timings  # bench/bench_linter.py prints the figure (target 50 ms)


def test_clean_result_says_what_was_checked_and_is_not_an_approval(rules):
    from calculators.ui.rule_views import lint_view

    view = lint_view({"text": "您好，请问是李女士本人吗？"}, rules)
    assert view.summary["findings"] == "0" and "未发现越过红线的表述" in view.html
    assert f"已检查：{len(rules.categories)} 类红线说法的规则" in view.html and "统计模型" in view.html
    assert "上下文判断模型" in view.html  # (a rule match may be dropped as negated, forbidden, reported or refused)
    assert all(c.name in view.html for c in rules.categories) and "这不是合规审核结论" in view.html


def test_result_separates_rule_findings_from_model_flags(rules):
    from calculators.ui.rule_views import lint_view

    view = lint_view({"text": "你老婆工资卡在谁手上，拿来还。你就是个老赖。"}, rules)
    assert view.summary["categories"] == "third-party-pay insult"
    assert "<b>1</b> 处越过红线的表述、<b>1</b> 句可能越线、需复核" in view.html
    assert "<b>可能越线，需复核</b>（模型依据的词：" in view.html and "这不是合规审核结论" in view.html


def test_a_customer_quoting_a_threat_is_not_flagged_once_the_speaker_is_labelled(rules):
    # book/scripts/linter.md asks readers to label the speakers of a transcript or complaint: this is its example
    quoted = "今天又接到电话，说再不还钱就让我全家不得安宁"
    assert "threat" in {f.category for f in lint(quoted, rules)}  # unlabelled: read as said to the customer
    assert lint("客户：" + quoted + "。这是你们银行的人吗？", rules) == []
    assert lint("坐席：您好。客户：" + quoted + "。坐席：这不是我行的做法，我们记录下来核实。", rules) == []
    # the agent's own words after the customer's turn are checked again
    assert "threat" in {f.category for f in lint("客户：" + quoted + "。坐席：那你就等着全家不得安宁吧。", rules)}
    assert (ROOT / "book" / "scripts" / "linter.md").read_text(encoding="utf-8").count(quoted) == 1


def test_a_result_with_findings_asks_for_speaker_labels_unless_the_text_has_them(rules):
    from calculators.ui.rule_views import lint_view

    ask = "请在每段话前标上说话人"
    unlabelled = lint_view({"text": "今天又接到电话，说再不还钱就让我全家不得安宁。"}, rules)
    assert unlabelled.summary["categories"] == "threat" and ask in unlabelled.html
    labelled = lint_view({"text": "客户：我还不上。坐席：那你就等着被打断腿吧。"}, rules)
    assert labelled.summary["categories"] == "threat" and ask not in labelled.html  # (the agent's threat is still flagged)
    assert ask not in lint_view({"text": "您好，请问是李女士本人吗？"}, rules).html  # (nothing found: nothing to ask)


# --- traditional characters ------------------------------------------------------


@pytest.mark.parametrize("traditional,simplified", [
    ("再唔還錢，今晚十點我哋上你屋企揾你。", "再唔还钱，今晚十点我哋上你屋企揾你。"),
    ("你作為佢老婆，有義務幫佢還錢。", "你作为佢老婆，有义务帮佢还钱。"),
    ("這邊是派出所的警官，你的信用卡欠款現在轉到我們這裡。", "这边是派出所的警官，你的信用卡欠款现在转到我们这里。"),
])
def test_text_typed_in_traditional_characters_is_read_as_simplified(rules, traditional, simplified):
    # the rules and the model are written and trained in simplified characters: the same words in traditional
    # characters (Hong Kong, Macau, Taiwan, parts of Guangdong) get the same findings, quoting the text as written
    from calculators.compliance.redline_text import fold_traditional

    assert fold_traditional(traditional) == simplified
    found, expected = lint(traditional, rules), lint(simplified, rules)
    assert expected, simplified  # (the simplified line is a violation the linter knows)
    assert [(f.category, f.span, f.source) for f in found] == [(f.category, f.span, f.source) for f in expected]
    assert all(f.text == traditional[f.span[0]:f.span[1]] for f in found)


def test_the_traditional_table_maps_one_character_to_one_and_leaves_simplified_text_alone():
    from calculators.compliance.redline_hant import SIMPLIFIED, TRADITIONAL
    from calculators.compliance.redline_text import fold_traditional

    assert len(TRADITIONAL) == len(SIMPLIFIED) == len(set(TRADITIONAL)) > 3700
    assert not set(TRADITIONAL) & set(SIMPLIFIED)  # (no character is both folded and a fold's result)
    assert all(a != b for a, b in zip(TRADITIONAL, SIMPLIFIED))
    assert "乾" not in TRADITIONAL and "於" not in TRADITIONAL  # also standard simplified characters: left alone
    assert max(TRADITIONAL) <= "\uffff"  # (a character class with any character beyond the BMP is searched entry by entry)
    plain = "您好，请问是陈先生本人吗？您的信用卡已逾期 35 天，最低还款额 1,200.00 元。"
    assert fold_traditional(plain) is plain


def test_the_traditional_table_is_what_the_opencc_data_gives():
    # one source of truth: the module is generated from OpenCC's dictionaries (tools/gen_hant_table.py), never edited
    from tools import gen_hant_table

    assert gen_hant_table.main(["--check"]) == 0
