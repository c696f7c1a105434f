"""Dated profile values: the calculators use the entry in force on the statement date.

Sources of the two changes in the ``cmb`` profile (procedures/sources.yml): until
2016-12-31 the regulated 滞纳金 of 5 % of the unpaid minimum with no floor or cap
(bank-card-rules-1999; the floor is not documented for CMB, so none: confidence L),
from 2017-01-01 the agreed 违约金, CMB 5 % with a RMB 10 floor (pboc-2016, cmb-public);
the daily rate was capped at 0.05 % until 2020-12-31 and is freely agreed from
2021-01-01 (pboc-2016, rate-reform-2020).  Every expected figure is worked out in
the comment beside it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from calculators import CalculatorInputError, Terms, late_fee, load_terms, overdue_projection, revolving_interest
from calculators.dates import add_months
from calculators.terms import PROFILE_DIR

CMB = load_terms("cmb")
ICBC = load_terms("icbc")
D = date
Y = Decimal


def _profile_copy(tmp_path: Path, old: str, new: str, name: str = "dated.yml") -> Path:
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


# --------------------------------------------------------------------------- 2017-01-01: 滞纳金 → 违约金


def test_late_fee_on_both_sides_of_2017_01_01():
    # Unpaid minimum 100: 5 % = 5.00; no floor for the 滞纳金, the 违约金 is raised to CMB's floor of 10.00.
    assert late_fee("100", "0", CMB, statement_date=D(2016, 12, 31)) == Y("5.00")
    assert late_fee("100", "0", CMB, statement_date=D(2017, 1, 1)) == Y("10.00")
    # Unpaid minimum 1,000: 5 % = 50.00 on both sides (the floor does not bind).
    assert late_fee("1000", "0", CMB, statement_date="2016-12-31") == Y("50.00")
    assert late_fee("1000", "0", CMB, statement_date="2017-01-01") == Y("50.00")
    # Without a date: the latest entries (today's terms), as before.
    assert late_fee("100", "0", CMB) == Y("10.00")


def test_the_charge_is_called_by_its_name_on_each_side():
    before, after = CMB.at(D(2016, 12, 31)), CMB.at(D(2017, 1, 1))
    assert (before.late_fee_name, before.late_fee_rate, before.late_fee_min, before.late_fee_max) == ("滞纳金", Y("0.05"), None, None)
    assert (after.late_fee_name, after.late_fee_rate, after.late_fee_min, after.late_fee_max) == ("违约金", Y("0.05"), Y("10.00"), None)
    assert before.cite("late_fee_min").effective == D(1999, 3, 1) and before.cite("late_fee_min").confidence == "L"
    assert after.cite("late_fee_min").effective == D(2017, 1, 1)


def test_projection_starting_on_each_side_of_2017_01_01():
    # Balance 1,000, minimum 100 unpaid.  The first row bills the 违约金 for the first statement's cycle.
    before = overdue_projection("1000", "100", D(2016, 12, 31), D(2017, 1, 18), 1, CMB)
    after = overdue_projection("1000", "100", D(2017, 1, 1), D(2017, 1, 19), 1, CMB)
    assert before.rows[0].late_fee == Y("5.00")   # 5 % of 100, 滞纳金 without floor
    assert after.rows[0].late_fee == Y("10.00")   # 5 % of 100 = 5.00, raised to the 10.00 floor


def test_projection_across_2017_01_01_uses_each_cycles_statement_date():
    p = overdue_projection("1000", "100", D(2016, 11, 5), D(2016, 11, 23), 3, CMB)
    rows = [(r.statement_date, r.interest, r.late_fee, r.minimum_payment) for r in p.rows]
    assert rows == [
        # Cycle of 2016-11-05: 1,000 × 0.05 % × 31 days (5 Nov – 5 Dec) = 15.50; 滞纳金 5 % × 100 = 5.00;
        # minimum 10 % × 1,000 + 100 unpaid + 5.00 + 15.50 = 220.50.
        (D(2016, 12, 5), Y("15.50"), Y("5.00"), Y("220.50")),
        # Cycle of 2016-12-05: (1,000 + 15.50) × 0.05 % × 31 days = 15.74025 → 15.74; 滞纳金 5 % × 220.50 = 11.025
        # → 11.03 (no floor); minimum 100 + 220.50 + 11.03 + 15.74 = 347.27.
        (D(2017, 1, 5), Y("15.74"), Y("11.03"), Y("347.27")),
        # Cycle of 2017-01-05: (1,000 + 31.24) × 0.05 % × 31 days = 15.98422 → 15.98; 违约金 5 % × 347.27 = 17.3635
        # → 17.36 (above the floor); minimum 100 + 347.27 + 17.36 + 15.98 = 480.61.
        (D(2017, 2, 5), Y("15.98"), Y("17.36"), Y("480.61")),
    ]


# --------------------------------------------------------------------------- 2021-01-01: the rate cap is lifted


def test_rate_cap_on_both_sides_of_2021_01_01():
    assert CMB.at(D(2020, 12, 31)).daily_rate_cap == Y("0.0005")
    assert CMB.at(D(2021, 1, 1)).daily_rate_cap is None
    assert CMB.at(D(2016, 12, 31)).daily_rate_cap == Y("0.0005")
    # CMB stayed at 0.05 % a day on both sides.
    assert CMB.at(D(2020, 12, 31)).daily_rate == CMB.at(D(2021, 1, 1)).daily_rate == Y("0.0005")
    assert CMB.at(D(2021, 1, 1)).cite("daily_rate_cap").source.startswith("《中国人民银行关于推进信用卡透支利率市场化改革的通知》")


def _rate_after_2021(tmp_path: Path, rate: str) -> Terms:
    old = "      effective: 2021-01-01\n      confidence: M\n  daily_rate_cap:"
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    start = text.index("  daily_rate:\n")
    entry = text.index("    - value: 0.0005\n", text.index("effective: 2017-01-01", start))
    path = tmp_path / "rate2021.yml"
    path.write_text(text[:entry] + f"    - value: {rate}\n" + text[entry + len("    - value: 0.0005\n"):], encoding="utf-8")
    assert old in path.read_text(encoding="utf-8")
    return load_terms(path)


def test_interest_uses_the_rate_in_force_on_the_statement_date(tmp_path):
    terms = _rate_after_2021(tmp_path, "0.0006")  # a bank that raised its rate when the cap went
    assert terms.daily_rate == Y("0.0006") and terms.at(D(2020, 12, 31)).daily_rate == Y("0.0005")

    def interest(statement: date) -> Decimal:
        # 1,000 posted 5 days before the statement, nothing repaid: interest from the posting date to the next statement.
        posted = D.fromordinal(statement.toordinal() - 5)
        return revolving_interest([(posted, "1000")], [], statement, D.fromordinal(statement.toordinal() + 18),
                                  add_months(statement, 1), terms)

    # 26 Dec 2020 .. 31 Jan 2021 inclusive = 6 + 31 = 37 days × 1,000 × 0.05 % = 18.50.
    assert interest(D(2020, 12, 31)) == Y("18.50")
    # 27 Dec 2020 .. 1 Feb 2021 inclusive = 5 + 31 + 1 = 37 days × 1,000 × 0.06 % = 22.20.
    assert interest(D(2021, 1, 1)) == Y("22.20")


def test_a_rate_above_the_cap_while_the_cap_applied_is_refused(tmp_path):
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    first = text.index("  daily_rate:\n    - value: 0.0005\n") + len("  daily_rate:\n")
    path = tmp_path / "over-cap.yml"
    path.write_text(text[:first] + "    - value: 0.0006\n" + text[first + len("    - value: 0.0005\n"):], encoding="utf-8")
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{_line_of(path, '    - value: 0.0006')}: values.daily_rate.value=0.0006 is not allowed: "
                              "at most daily_rate_cap (0.0005) (entries in force on 1999-03-01)")


# --------------------------------------------------------------------------- before the earliest entry


def test_a_date_before_the_earliest_entry_is_refused_with_the_value_the_date_and_the_earliest_date():
    with pytest.raises(CalculatorInputError) as info:
        late_fee("100", "0", CMB, statement_date=D(1999, 2, 28))
    error = info.value
    assert error.field == "statement_date" and error.value == "1999-02-28"
    assert str(error) == ("statement_date='1999-02-28' is not allowed: a date on or after 1999-03-01: "
                          "the earliest entry of late_fee_rate in profile cmb")
    assert error.message_zh == ("账单日（statement_date）输入有误：1999-02-28。允许：1999-03-01 或以后的日期（条款配置 cmb 的"
                                "“违约金比例”最早一条自 1999-03-01 起，1999-02-28 没有适用的值）")  # (a form shows this text: no key ids)


def test_icbc_has_no_entry_before_2017_and_says_so():
    # ICBC's 违约金 figures are documented from 2017-01-01 only.
    assert late_fee("20000", "0", ICBC, statement_date=D(2017, 1, 1)) == Y("500.00")  # 5 % = 1,000, cap 500
    with pytest.raises(CalculatorInputError, match=r"a date on or after 2017-01-01: the earliest entry of late_fee_\w+ in profile icbc"):
        late_fee("20000", "0", ICBC, statement_date=D(2016, 12, 31))
    with pytest.raises(CalculatorInputError) as info:
        overdue_projection("1000", "100", D(2016, 12, 31), D(2017, 1, 18), 2, ICBC)
    assert info.value.field == "statement_date" and "2017-01-01" in str(info.value)


def test_only_the_values_a_computation_reads_must_be_in_force():
    # installment_max_periods starts 2022-07-07 (13号文); a 2020 interest figure does not need it.
    view = CMB.at(D(2020, 6, 5))
    assert view.daily_rate == Y("0.0005")
    with pytest.raises(CalculatorInputError, match="earliest entry of installment_max_periods in profile cmb"):
        _ = view.installment_max_periods
    # 1,000 posted 30 May, statement 5 Jun, nothing repaid: 30 May .. 5 Jul = 2 + 30 + 5 = 37 days × 0.5 = 18.50.
    assert revolving_interest([(D(2020, 5, 30), "1000")], [], D(2020, 6, 5), D(2020, 6, 23), D(2020, 7, 5), CMB) == Y("18.50")


# --------------------------------------------------------------------------- today's figures and the API


def test_dates_after_every_change_give_the_same_terms_object():
    assert CMB.at(D(2026, 5, 5)) is CMB and CMB.at("2022-07-07") is CMB
    assert CMB.as_of is None and CMB.at(D(2017, 6, 1)).as_of == D(2017, 6, 1)
    assert load_terms("cmb").late_fee_min == Y("10.00") and load_terms("cmb").late_fee_name == "违约金"


def test_round_trip_keeps_every_entry():
    for terms in (CMB, ICBC):
        again = Terms.from_dict(terms.to_dict())
        assert again == terms
        assert again.at(D(2016, 12, 31)).daily_rate_cap == Y("0.0005")
    data = CMB.to_dict()
    assert [e["effective"] for e in data["values"]["late_fee_rate"]] == ["1999-03-01", "2017-01-01"]
    assert data["values"]["grace_days"]["effective"] is None


def test_a_value_set_in_code_applies_on_every_date():
    harsher = replace(CMB, late_fee_min=Y("20.00"))
    assert harsher.at(D(2016, 12, 31)).late_fee_min == Y("20.00")
    assert late_fee("100", "0", harsher, statement_date=D(2016, 12, 31)) == Y("20.00")
    assert harsher.at(D(2016, 12, 31)).late_fee_name == "滞纳金"  # the other values keep their dates


def test_dated_entries_must_be_in_order_and_dated(tmp_path):
    out_of_order = _profile_copy(tmp_path, "      effective: 1999-03-01\n      confidence: M\n    - value: 违约金",
                                 "      effective: 2018-03-01\n      confidence: M\n    - value: 违约金", "order.yml")
    with pytest.raises(CalculatorInputError) as info:
        load_terms(out_of_order)
    line = _line_of(out_of_order, "    - value: 违约金") + 2
    assert str(info.value) == (f"{out_of_order}:{line}: values.late_fee_name[1].effective='2017-01-01' is not allowed: "
                               "a date after the previous entry's (2018-03-01): entries oldest first")
    undated = _profile_copy(tmp_path, "      effective: 1999-03-01\n      confidence: M\n    - value: 违约金",
                            "      effective: null\n      confidence: M\n    - value: 违约金", "undated.yml")
    with pytest.raises(CalculatorInputError, match=r"values\.late_fee_name\[0\]\.effective=None is not allowed: a date YYYY-MM-DD"):
        load_terms(undated)


def test_at_refuses_a_date_that_is_not_a_date():
    with pytest.raises(CalculatorInputError, match="statement_date='2016-02-30' is not allowed"):
        CMB.at("2016-02-30")
