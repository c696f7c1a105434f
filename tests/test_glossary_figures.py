"""Every figure the glossary prints is checked against the data it comes from.

Bank-specific figures are ``⟦name⟧`` tokens filled from the terms profile (so they
follow the profile); the other figures are regulatory and must equal the rules
data, the delinquency tables or the cited documents.  A new figure in a
definition fails this test until it is given a source below.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import procedures
from calculators import bundled_profiles, load_terms
from calculators.delinquency import LOAN_CATEGORIES, M_BUCKETS
from procedures import rules
from procedures.render import PROFILE_TOKEN, fill_profile


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


def regulatory_figures() -> dict[str, set[str]]:
    """For each term whose definition states regulatory figures: the figures the data allows."""
    conduct = rules.conduct_rules()
    overdraft = rules.overdraft_rules()
    legal_text = str(rules.legal().model_dump())
    quiet = {conduct.quiet_start.strftime("%H"), conduct.quiet_start.strftime("%M"), conduct.quiet_end.strftime("%H"), conduct.quiet_end.strftime("%M")}
    buckets = {str(n) for name, low, high in M_BUCKETS for n in (name[1:], low, high) if n is not None}
    buckets.add("6")  # "M6+", the other name of M7
    categories = {str(n) for *_, low, high in LOAN_CATEGORIES for n in (low, high) if n is not None}
    bands = {str(int(b.minimum / 10000)) for b in overdraft.bands}  # printed in 万元
    known = procedures.sources()
    pboc_2016 = known["pboc-2016"].in_force
    nfra = known["nfra"].in_force
    return {
        "催收": {str(conduct.retention_years)},
        "录音留存": {str(conduct.retention_years)},
        "M 账龄": buckets,
        "五级分类": categories,
        "关注类": categories, "次级类": categories, "可疑类": categories, "损失类": categories,
        "核销": {str(LOAN_CATEGORIES[-1][2] - 1)},
        "外访": quiet,
        "静默时段": quiet,
        "有效通话": {str(conduct.max_effective_calls_per_day)},
        "未接通": {str(conduct.max_unanswered_per_day_per_method)},
        "有效催收": {str(overdraft.min_gap_days), str(overdraft.months_after)},
        "恶意透支": bands | {str(overdraft.months_after)},
        "诉讼时效": {str(rules.legal().limitation.years)} | {n for n in numbers(rules.legal().limitation.practice) if n == "20"},
        "失联": set(numbers(rules.conduct().rules[[r.id for r in rules.conduct().rules].index("third-party-only-when-unreachable")].text)),
        "支付令": {n for n in numbers(legal_text) if n == "15"},
        "征信": {n for n in numbers(legal_text) if n == "5"},
        "征信异议": {n for n in numbers(legal_text) if n in ("20", "30")},
        "投诉": {n for n in numbers(legal_text) if n in ("12378", "12363")},
        "违约金": {str(pboc_2016.year)},
        "滞纳金": {str(pboc_2016.year), str(pboc_2016.month), str(pboc_2016.day), "5"},  # the abolished 5 % (2016 notice)
        "超限费": {str(pboc_2016.year), str(pboc_2016.month), str(pboc_2016.day)},
        "透支利息": {str(known["rate-reform-2020"].in_force.year)},
        "国家金融监督管理总局": {str(nfra.year), str(nfra.month), str(nfra.day)},
        "容差还款": {"2013"},  # the industry convention's year (domain facts §3)
        "IRR 法": {"12", "1"},  # formula constants: months per year, (1 + IRR)
        "单利法": {"24", "1"},  # formula constants of 24·n·r/(n+1)
        "个性化分期": {"5"},  # 5 years: 2011 Measures art. 70 (the months come from the profile)
        "账单分期": {"5"},  # 5 years: 银保监规〔2022〕13号 (the periods come from the profile)
    }


@pytest.mark.parametrize("profile", ["cmb", "icbc", "ccb", "bocom"])
def test_every_glossary_figure_has_a_source(profile):
    terms = load_terms(profile)
    allowed = regulatory_figures()
    for term in procedures.glossary().terms:
        regulatory = numbers(PROFILE_TOKEN.sub("", term.definition))
        if not regulatory:
            continue
        assert term.term in allowed, f"{term.term}: figures {regulatory} have no data source in this test"
        unexplained = set(regulatory) - allowed[term.term]
        assert not unexplained, f"{term.term}: {sorted(unexplained)} not found in the data ({sorted(allowed[term.term])})"
        assert allowed[term.term], term.term
    # The tokens render from the profile given.
    text = fill_profile("⟦grace_days⟧|⟦tolerance⟧|⟦late_fee_rate⟧|⟦late_fee_bounds⟧", terms)
    grace, tolerance, rate, bounds = text.split("|")
    assert int(grace) == terms.grace_days and Decimal(tolerance) == terms.tolerance
    assert Decimal(rate.rstrip("%")) / 100 == terms.late_fee_rate
    expected_bounds = [f"{word} {Decimal(value).normalize():f} 元" for word, value in (("最低", terms.late_fee_min), ("最高", terms.late_fee_max))
                       if value is not None]
    assert bounds == ("，".join(expected_bounds) or "无上下限")


def test_profile_tokens_are_known_and_follow_the_profile():
    texts = [t.definition for t in procedures.glossary().terms if PROFILE_TOKEN.search(t.definition)]
    assert len(texts) >= 8
    rendered = {code: [fill_profile(t, load_terms(code)) for t in texts] for code in bundled_profiles()}
    assert rendered["cmb"] != rendered["icbc"]  # ICBC's 违约金 has a cap, CMB's a floor
    assert all("⟦" not in line for lines in rendered.values() for line in lines)
