"""The malicious-overdraft exposure tracker: gaps, bands, proof of receipt, the three-month end date."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from calculators.errors import CalculatorInputError
from calculators.compliance.overdraft import DISCLAIMER, Collection, OverdraftRules, amount_band, overdraft_exposure
from procedures.rules import legal, overdraft_rules

OVERDUE = date(2026, 1, 10)


@pytest.fixture(scope="module")
def rules() -> OverdraftRules:
    return overdraft_rules()


def c(day: date, proved: bool = True, **kw) -> Collection:
    return Collection(day, kw.pop("method", "phone"), proved, **kw)


def track(log, rules, principal="60000.00", **kw):
    return overdraft_exposure(log, principal, rules, overdue_since=kw.pop("overdue_since", OVERDUE), **kw)


# --- 30 days apart ----------------------------------------------------------


def test_29_days_apart_is_not_enough_30_is(rules):
    first = date(2026, 3, 1)
    short = track([c(first), c(first + timedelta(days=29))], rules)
    assert not short.has_two_effective_collections
    assert short.second is None and short.window_end is None and short.gap_days is None
    ok = track([c(first), c(first + timedelta(days=30))], rules)
    assert ok.has_two_effective_collections
    assert ok.gap_days == 30
    assert (ok.first.day, ok.second.day) == (date(2026, 3, 1), date(2026, 3, 31))
    assert (ok.first_index, ok.second_index) == (0, 1)


def test_earliest_qualifying_pair_is_used_in_any_input_order(rules):
    log = [c(date(2026, 4, 20)), c(date(2026, 2, 1)), c(date(2026, 2, 20)), c(date(2026, 3, 5))]
    result = track(log, rules)
    assert (result.first_index, result.second_index) == (1, 3)  # 2-01 and 3-05: 32 days
    assert result.gap_days == 32
    assert result.window_end == date(2026, 6, 5)


# --- what counts as an effective collection --------------------------------


def test_collection_without_proof_of_receipt_does_not_count(rules):
    log = [c(date(2026, 3, 1)), c(date(2026, 4, 1), proved=False)]
    result = track(log, rules)
    assert not result.has_two_effective_collections
    assert result.counted == (0,)
    assert result.excluded == ((1, "无法证明持卡人收悉"),)
    # with proof, the same log qualifies
    assert track([c(date(2026, 3, 1)), c(date(2026, 4, 1))], rules).has_two_effective_collections


def test_evasion_exception_counts_without_receipt(rules):
    log = [c(date(2026, 3, 1)), c(date(2026, 4, 1), proved=False, cardholder_evaded=True)]
    assert track(log, rules).has_two_effective_collections


def test_noncompliant_and_premature_collections_do_not_count(rules):
    log = [c(date(2026, 1, 5)), c(date(2026, 2, 1), compliant=False), c(date(2026, 2, 10)), c(date(2026, 3, 11))]
    result = track(log, rules)
    assert result.excluded == ((0, "早于透支超过限额或期限之日（2026-01-10）"), (1, "不符合催收规定或约定"))
    assert result.counted == (2, 3)
    assert not result.has_two_effective_collections  # 2-10 to 3-11 is 29 days
    assert (result.first_index, result.second_index) == (None, None)
    on_start_day = track([c(OVERDUE), c(OVERDUE + timedelta(days=30))], rules)
    assert on_start_day.has_two_effective_collections


def test_several_reasons_are_listed_together(rules):
    result = track([c(date(2026, 1, 1), proved=False, compliant=False)], rules)
    assert result.excluded == ((0, "早于透支超过限额或期限之日（2026-01-10）；无法证明持卡人收悉；不符合催收规定或约定"),)


# --- three months after the second collection ------------------------------


@pytest.mark.parametrize(("second", "end"), [
    (date(2026, 3, 31), date(2026, 6, 30)),
    (date(2026, 1, 31), date(2026, 4, 30)),
    (date(2026, 11, 30), date(2027, 2, 28)),
    (date(2027, 11, 30), date(2028, 2, 29)),
    (date(2026, 5, 15), date(2026, 8, 15)),
])
def test_window_end_date(rules, second, end):
    result = track([c(second - timedelta(days=40)), c(second)], rules, overdue_since=second - timedelta(days=60))
    assert result.window_end == end
    assert result.exceeded_from == end + timedelta(days=1)


def test_window_passed_only_after_the_last_day(rules):
    log = [c(date(2026, 3, 1)), c(date(2026, 3, 31))]
    assert track(log, rules).window_passed is None
    assert track(log, rules, as_of=date(2026, 6, 30)).window_passed is False
    assert track(log, rules, as_of="2026-07-01").window_passed is True
    assert track([c(date(2026, 3, 1))], rules, as_of="2027-01-01").window_passed is None


# --- amount bands -------------------------------------------------------------


@pytest.mark.parametrize(("principal", "band"), [
    ("0.00", None),
    ("49999.99", None),
    ("50000.00", "数额较大"),
    ("50000", "数额较大"),
    ("499999.99", "数额较大"),
    ("500000.00", "数额巨大"),
    ("4999999.99", "数额巨大"),
    ("5000000.00", "数额特别巨大"),
    ("80000000.00", "数额特别巨大"),
])
def test_amount_bands_at_their_boundaries(rules, principal, band):
    result = track([], rules, principal=principal)
    assert result.band == band
    assert result.unpaid_principal == Decimal(principal).quantize(Decimal("0.01"))
    found = amount_band(principal, rules)
    assert (found.name if found else None) == band


def test_band_minimum_reported(rules):
    assert track([], rules, principal="500000.00").band_minimum == Decimal("500000.00")
    assert track([], rules, principal="100.00").band_minimum is None


def test_band_does_not_depend_on_collections(rules):
    assert track([], rules, principal="60000").band == "数额较大"
    assert not track([], rules, principal="60000").has_two_effective_collections


def test_2009_thresholds_kept_as_history_only(rules):
    (version, bands), = rules.history
    assert "2009" in version
    assert [b.minimum for b in bands] == [Decimal("10000.00"), Decimal("100000.00"), Decimal("1000000.00")]
    assert track([], rules, principal="20000").band is None  # the 2009 figures are not applied


# --- output ---------------------------------------------------------------------


def test_disclaimer_says_intent_is_not_judged(rules):
    result = track([c(date(2026, 3, 1)), c(date(2026, 3, 31))], rules)
    assert result.disclaimer == DISCLAIMER
    assert "非法占有目的" in DISCLAIMER and "不作判断" in DISCLAIMER
    assert any("第八条" in s for s in result.sources) and any("第七条" in s for s in result.sources)


def test_result_and_rules_are_json_ready(rules):
    result = track([c(date(2026, 3, 1)), c(date(2026, 3, 31), method="letter")], rules, as_of="2026-07-01")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["window_end"] == "2026-06-30" and data["band"] == "数额较大" and data["second"]["method"] == "letter"
    assert OverdraftRules.from_dict(json.loads(json.dumps(rules.to_dict()))) == rules


def test_mappings_accepted(rules):
    log = [{"day": "2026-03-01", "method": "phone", "receipt_proved": True},
           {"day": "2026-03-31", "method": "letter", "receipt_proved": True, "note": "挂号信签收"}]
    result = track(log, rules)
    assert result.has_two_effective_collections and result.second.note == "挂号信签收"


def test_data_file_matches_the_rules_object(rules):
    mo = legal().malicious_overdraft
    assert [str(b.minimum) for b in mo.bands] == [str(b.minimum) for b in rules.bands]
    assert (mo.effective_collection.min_gap_days, mo.unpaid_months) == (rules.min_gap_days, rules.months_after)
    assert len(mo.presumptions.items) == 6


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"principal": "-1"}, "unpaid_principal"),
    ({"principal": "100.001"}, "unpaid_principal"),
    ({"principal": None}, "unpaid_principal"),
    ({"overdue_since": "yesterday"}, "overdue_since"),
    ({"as_of": "2026-13-01"}, "as_of"),
])
def test_bad_arguments_name_the_field(rules, kwargs, field):
    principal = kwargs.pop("principal", "1000")
    with pytest.raises(CalculatorInputError) as err:
        track([], rules, principal=principal, **kwargs)
    assert err.value.field == field


@pytest.mark.parametrize(("entry", "field"), [
    ({"day": "2026-03-01", "method": "phone", "receipt_proved": "yes"}, "collections[0].receipt_proved"),
    ({"day": "2026-02-30", "method": "phone", "receipt_proved": True}, "collections[0].day"),
    ({"day": "2026-03-01", "method": "", "receipt_proved": True}, "collections[0].method"),
    ({"day": "2026-03-01", "method": "phone", "receipt_proved": True, "signed": True}, "collections[0].signed"),
])
def test_bad_collections_name_the_field(rules, entry, field):
    with pytest.raises(CalculatorInputError) as err:
        track([entry], rules)
    assert err.value.field == field


def test_rules_must_be_the_rules_object(rules):
    with pytest.raises(CalculatorInputError) as err:
        overdraft_exposure([], "1000", rules.to_dict(), overdue_since=OVERDUE)
    assert err.value.field == "rules"
    data = rules.to_dict()
    data["bands"][1]["minimum"] = "40000.00"
    with pytest.raises(CalculatorInputError) as err:
        OverdraftRules.from_dict(data)
    assert err.value.field == "bands[1].minimum"
