"""The vectorised portfolio cycle equals the scalar functions on every row; CSV and Dask paths."""

from __future__ import annotations

import io
import zlib
from dataclasses import replace
from decimal import Decimal

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

from calculators import CalculatorInputError, load_terms
from calculators.batch.portfolio import (
    CSV_COLUMNS,
    FRAME_COLUMNS,
    RESULT_COLUMNS,
    apply_cycle,
    apply_cycle_dask,
    random_accounts,
    read_accounts,
    read_accounts_dask,
    scalar_cycle,
    write_accounts,
)

CMB = load_terms("cmb")
HEADER = ",".join(CSV_COLUMNS) + "\n"


def assert_matches_scalar(df: pd.DataFrame, terms) -> pd.DataFrame:
    """apply_cycle on the frame equals scalar_cycle (the public scalar functions) on every row."""
    out = apply_cycle(df, terms)
    expected = [scalar_cycle(row, terms) for row in df.to_dict("records")]
    for column in RESULT_COLUMNS:
        got = out[column].astype(object).tolist() if column in ("bucket", "category") else out[column].tolist()
        want = [row[column] for row in expected]
        if got != want:
            position = next(i for i, (g, w) in enumerate(zip(got, want)) if g != w)
            raise AssertionError(f"{column} differs on row {position}: vectorised {got[position]!r}, scalar {want[position]!r}\n"
                                 f"{df.iloc[position].to_dict()}")
    return out


def test_100k_random_accounts_equal_the_scalar_functions():
    df = random_accounts(100_000, seed=20260505)
    out = assert_matches_scalar(df, CMB)
    # The sample reaches every rule, so the comparison is not vacuous.
    paid_on_time = (df.paid_fen > 0) & (df.paid_date <= df.due_date)
    within_tolerance = (df.statement_balance_fen - df.paid_fen.where(paid_on_time, 0) <= 1000) & (df.statement_balance_fen > 0)
    assert within_tolerance.sum() > 1000 and (out.interest_fen[within_tolerance] == 0).all()
    assert (out.interest_fen > 0).sum() > 30_000
    assert (out.late_fee_fen == 1000).sum() > 1000  # CMB's floor of RMB 10
    assert (out.late_fee_fen > 1000).sum() > 10_000
    in_grace = (df.paid_fen >= df.minimum_due_fen) & (df.paid_date > df.due_date) & (df.paid_date <= df.due_date + pd.Timedelta(days=3))
    assert in_grace.sum() > 500 and (out.late_fee_fen[in_grace & (df.minimum_due_fen > 0)] == 0).all()
    assert set(out.bucket.astype(str)) == {f"M{k}" for k in range(8)}
    assert set(out.category.astype(str)) == {"正常", "关注", "次级", "可疑", "损失"}


@pytest.mark.parametrize("name", ["icbc", "ccb", "bocom"])
@pytest.mark.parametrize(
    "change",
    [
        {},
        {"payment_effective": "next_day"},
        {"interest_basis": "unpaid_only", "grace_keeps_interest_free": True},
        {"interest_rounding": "half_even", "late_fee_rounding": "down"},
        {"interest_rounding": "up", "late_fee_rounding": "half_even", "grace_days": 0, "tolerance": Decimal("0.00")},
        {"daily_rate": Decimal("0.00035"), "late_fee_rate": Decimal("0.0333"), "late_fee_min": Decimal("1.00"),
         "late_fee_max": Decimal("77.77")},
    ],
)
def test_every_profile_and_rule_variant_equals_the_scalar_functions(name, change):
    terms = replace(load_terms(name), **change)
    df = random_accounts(4_000, seed=zlib.crc32(repr((name, sorted(change))).encode()))
    out = assert_matches_scalar(df, terms)
    if terms.late_fee_max is not None:
        assert (out.late_fee_fen == int(terms.late_fee_max * 100)).sum() > 10  # the cap is reached


def test_hand_computed_rows():
    # Worked example: RMB 1,000 posted 30 Apr, statement 5 May, due 23 May, next statement 5 Jun.
    rows = [
        # 100 paid on the due date (minimum met): interest 1000×0.0005×23 + 900×0.0005×14 = 11.50 + 6.30 = 17.80.
        "A,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.00,100.00,100.00,2026-05-23,0",
        # 990 paid: 10.00 unpaid, within tolerance: nothing.
        "B,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.00,1000.00,990.00,2026-05-23,0",
        # 989.99 paid of a 1,000 minimum: 10.01 unpaid: 违约金 5 % × 10.01 = 0.50 → floor 10.00;
        # interest 11.50 + 10.01×0.0005×14 = 11.57007 → 11.57.
        "C,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.00,1000.00,989.99,2026-05-23,0",
        # Minimum 100 paid on 26 May (grace): no 违约金; interest 1000×0.0005×26 + 900×0.0005×11 = 13.00 + 4.95 = 17.95.
        "D,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.00,100.00,100.00,2026-05-26,1",
        # Paid on 27 May (after grace): 违约金 10.00 (floor); interest 13.50 + 4.50 = 18.00.  DPD 31 → M2.
        "E,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.00,100.00,100.00,2026-05-27,31",
        # Nothing paid on 20,000 with minimum 2,000: 违约金 5 % × 2,000 = 100.00; 20,000×0.0005×37 = 370.00.  DPD 181.
        "F,2026-05-05,2026-05-23,2026-06-05,2026-04-30,20000.00,2000.00,0,,181",
        # Zero balance: nothing at all.
        "G,2026-05-05,2026-05-23,2026-06-05,2026-05-05,0,0,0,,0",
    ]
    out = apply_cycle(read_accounts(io.StringIO(HEADER + "\n".join(rows) + "\n")), CMB)
    assert out.late_fee_fen.tolist() == [0, 0, 1000, 0, 1000, 10000, 0]
    assert out.interest_fen.tolist() == [1780, 0, 1157, 1795, 1800, 37000, 0]
    assert out.bucket.astype(str).tolist() == ["M0", "M0", "M0", "M1", "M2", "M7", "M0"]
    assert out.category.astype(str).tolist() == ["正常", "正常", "正常", "关注", "关注", "损失", "正常"]
    # ICBC has no floor: C pays 0.50 and E 5.00 (5 % × 100); F's 100.00 is below ICBC's cap of 500.
    icbc = apply_cycle(read_accounts(io.StringIO(HEADER + "\n".join(rows) + "\n")), load_terms("icbc"))
    assert icbc.late_fee_fen.tolist() == [0, 0, 50, 0, 500, 10000, 0]


def test_largest_amounts_stay_exact_in_int64():
    # RMB 1 trillion (the largest amount) posted on the earliest posting date allowed (366 days before the
    # statement date): 10^14 fen × 398 days ≈ 4 × 10^16 fen·days; every step must stay exact in int64.
    text = HEADER + "X,2026-05-05,2026-05-23,2026-06-05,2025-05-04,1000000000000.00,1000000000000.00,0.01,2026-05-06,0\n"
    df = read_accounts(io.StringIO(text))
    out = assert_matches_scalar(df, CMB)
    # Interest: 10^12 × 0.0005 × days(2025-05-04 .. 2026-05-05) + (10^12 − 0.01) × 0.0005 × 31 days, exactly.
    days_full = (pd.Timestamp("2026-05-06") - pd.Timestamp("2025-05-04")).days
    assert days_full == 367
    expected = Decimal(10**12) * Decimal("0.0005") * days_full + (Decimal(10**12) - Decimal("0.01")) * Decimal("0.0005") * 31
    assert out.interest_fen.iloc[0] == int((expected * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    assert out.interest_fen.iloc[0] == 19_900_000_000_000  # 198,999,999,999.999845 yuan, half up to the fen
    # 违约金: 5 % × (10^12 − 0.01) = 49,999,999,999.9995 yuan → half up 50,000,000,000.00 = 5 × 10^12 fen.
    assert out.late_fee_fen.iloc[0] == 5 * 10**12


def test_posting_date_bound_is_the_scalar_bound():
    # One day before the earliest posting date (367 days before the statement date): refused by the scalar
    # functions and by the frame reader alike; the earliest allowed day is accepted (test above).
    row = {"account_id": "X", "statement_date": "2026-05-05", "due_date": "2026-05-23", "next_statement_date": "2026-06-05",
           "posting_date": "2025-05-03", "statement_balance_fen": 100000, "minimum_due_fen": 10000, "paid_fen": 0,
           "paid_date": "", "days_past_due": 0}
    with pytest.raises(CalculatorInputError, match=r"purchases\[0\]=2025-05-03 is not allowed: a date from 2025-05-04 to 2026-05-05"):
        scalar_cycle(row, CMB)
    text = HEADER + "X,2026-05-05,2026-05-23,2026-06-05,2025-05-03,1000.00,100.00,0,,0\n"
    with pytest.raises(CalculatorInputError, match=r"line 2 \(data row 1\): posting_date='2025-05-03' is not allowed: "
                                                   r"a date at most 366 days before statement_date"):
        read_accounts(io.StringIO(text))
    assert scalar_cycle({**row, "posting_date": "2025-05-04"}, CMB)["interest_fen"] == 100000 * 398 // 2000  # 199.00 yuan: 398 days


def test_int64_bound_is_checked_not_wrapped():
    # 10^14 fen over 109,6xx days (1900 .. 2199) would exceed 2^63 fen·days: rejected, never wrapped around.
    text = HEADER + "X,2199-11-01,2199-11-20,2199-12-01,1900-01-01,1000000000000.00,0,0,,0\n"
    with pytest.raises(CalculatorInputError, match=r"line 2 \(data row 1\): posting_date='1900-01-01' is not allowed: .*2\^63"):
        read_accounts(io.StringIO(text))


def test_rates_must_have_an_int64_fraction():
    # (since session 34 a profile's number has at most 12 decimal places, so such a rate is refused before the batch
    # code sees it; the batch's own check of the int64 fraction stays as a safeguard)
    with pytest.raises(CalculatorInputError, match=r"daily_rate=0.0005000000000000001 is not allowed: .*at most 12 decimal places"):
        apply_cycle(random_accounts(3, seed=1), replace(CMB, daily_rate=Decimal("0.0005000000000000001")))


def test_input_frame_is_not_changed_and_extra_columns_and_index_are_kept():
    df = random_accounts(50, seed=3).set_index(pd.Index(range(1000, 1050), name="key")).assign(branch="北京")
    before = df.copy()
    out = apply_cycle(df, CMB)
    pd.testing.assert_frame_equal(df, before)
    assert list(out.columns) == [*FRAME_COLUMNS, "branch", *RESULT_COLUMNS]
    assert out.index.equals(df.index)
    assert out.late_fee_fen.dtype == np.int64 and out.interest_fen.dtype == np.int64
    assert isinstance(out.bucket.dtype, pd.CategoricalDtype) and out.bucket.cat.ordered


def test_frame_errors_name_row_and_column():
    df = random_accounts(10, seed=4)
    bad = df.copy()
    bad.loc[7, "paid_fen"] = -5
    with pytest.raises(CalculatorInputError, match=r"^row 7 \(index 7, account_id 'R0000007'\): paid_fen=-5 is not allowed"):
        apply_cycle(bad, CMB)
    with pytest.raises(CalculatorInputError, match=r"^df.columns='days_past_due' is not allowed"):
        apply_cycle(df.drop(columns="days_past_due"), CMB)
    with pytest.raises(CalculatorInputError, match=r"^statement_balance_fen='float64' is not allowed: an integer column"):
        apply_cycle(df.assign(statement_balance_fen=df.statement_balance_fen / 1), CMB)
    with pytest.raises(CalculatorInputError, match=r"^terms='cmb' is not allowed"):
        apply_cycle(df, "cmb")


# --------------------------------------------------------------------------- CSV


def test_csv_round_trip(tmp_path):
    df = random_accounts(5_000, seed=5)
    path = tmp_path / "accounts.csv"
    write_accounts(df, path)
    back = read_accounts(path)
    pd.testing.assert_frame_equal(back, df)
    assert read_accounts(io.StringIO(write_accounts(df))).equals(df)
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(CSV_COLUMNS)


GOOD = "A1,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.50,100,0,,0\n"


@pytest.mark.parametrize(
    ("line", "column", "value", "allowed"),
    [
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.5,2000,0,,0", "minimum_due", "2000", "at most statement_balance"),
        ("A2,2026-02-30,2026-05-23,2026-06-05,2026-04-30,1000,100,0,,0", "statement_date", "2026-02-30",
         "a day that exists (February 2026 has 28 days)"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,１２,0,0,,0", "statement_balance", "１２", "an amount in yuan"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,12.345,0,0,,0", "statement_balance", "12.345", "at most 2 decimals"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1e3,0,0,,0", "statement_balance", "1e3", "an amount in yuan"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,-1,0,0,,0", "statement_balance", "-1", "an amount in yuan"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000,100,5,,0", "paid_date", "", "a date when paid > 0"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000,100,0,2026-05-06,0", "paid_date", "2026-05-06", "empty"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000,100,5,2026-06-06,0", "paid_date", "2026-06-06",
         "on or before next_statement_date"),
        ("A2,2026-05-05,2026-05-03,2026-06-05,2026-04-30,1000,100,0,,0", "due_date", "2026-05-03", "a date after statement_date"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-05-06,1000,100,0,,0", "posting_date", "2026-05-06", "on or before statement_date"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000,100,0,,-1", "days_past_due", "-1", "a whole number of days"),
        ("A2,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000,100,0,,1.5", "days_past_due", "1.5", "a whole number of days"),
        ("A1,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000,100,0,,0", "account_id", "A1", "not used on an earlier row"),
        ("A2,1899-12-31,2026-05-23,2026-06-05,1899-12-01,1000,100,0,,0", "statement_date", "1899-12-31", "from 1900-01-01"),
    ],
)
def test_bad_csv_rows_name_line_and_column(line, column, value, allowed):
    with pytest.raises(CalculatorInputError) as info:
        read_accounts(io.StringIO(HEADER + GOOD + line + "\n"))
    message = str(info.value)
    assert message.startswith(f"<buffer>, line 3 (data row 2): {column}={value!r} is not allowed: ")
    assert allowed in message
    assert info.value.field == column


def test_bad_csv_files():
    with pytest.raises(CalculatorInputError, match=r"<buffer>: columns='days_past_due' is not allowed"):
        read_accounts(io.StringIO(HEADER.replace(",days_past_due", "") + GOOD.rsplit(",", 1)[0] + "\n"))
    with pytest.raises(CalculatorInputError, match=r"path_or_buffer='<buffer>' is not allowed: .*EmptyDataError"):
        read_accounts(io.StringIO(""))
    with pytest.raises(CalculatorInputError, match=r"path_or_buffer=.*missing.csv' is not allowed: .*FileNotFoundError"):
        read_accounts("/nonexistent/missing.csv")
    with pytest.raises(CalculatorInputError, match=r"^<buffer>, line 3 \(data row 2\): columns=11 is not allowed: no more cells than the header row"):
        read_accounts(io.StringIO(HEADER + GOOD + GOOD.strip() + ",extra\n"))
    empty = read_accounts(io.StringIO(HEADER))
    assert len(empty) == 0 and list(empty.columns) == list(FRAME_COLUMNS)
    assert len(apply_cycle(empty, CMB)) == 0


def test_next_statement_date_bound_is_the_scalar_bound():
    # A next statement date more than MAX_CYCLE_DAYS (62) after the statement date was read and charged for
    # (2028-06-05: interest_fen 38400); revolving_interest refuses it, so the batch import refuses it in its words.
    from calculators._validate import MAX_CYCLE_DAYS

    assert MAX_CYCLE_DAYS == 62
    allowed = "a date from 2026-05-06 to 2026-07-06 (a statement cycle is at most 62 days)"
    for far in ("2028-06-05", "2199-06-05", "2026-07-07"):
        text = HEADER + GOOD + f"A2,2026-05-05,2026-05-23,{far},2026-04-30,1000.00,100.00,0,,13\n"
        with pytest.raises(CalculatorInputError) as info:
            read_accounts(io.StringIO(text))
        assert str(info.value) == f"<buffer>, line 3 (data row 2): next_statement_date={far!r} is not allowed: {allowed}"
        assert "2026-05-06 至 2026-07-06 之间的日期（一个账单周期最长 62 天）" in info.value.message_zh
        row = {"account_id": "A2", "statement_date": "2026-05-05", "due_date": "2026-05-23", "next_statement_date": far,
               "posting_date": "2026-04-30", "statement_balance_fen": 100000, "minimum_due_fen": 10000, "paid_fen": 0,
               "paid_date": "", "days_past_due": 13}
        with pytest.raises(CalculatorInputError) as scalar:
            scalar_cycle(row, CMB)
        assert str(scalar.value) == f"next_statement_date={far!r} is not allowed: {allowed}"  # the same words
    # A frame built in code is refused as well, by its row.
    df = random_accounts(10, seed=8)
    bad = df.copy()
    bad.loc[4, "next_statement_date"] = bad.loc[4, "statement_date"] + pd.Timedelta(days=MAX_CYCLE_DAYS + 1)
    with pytest.raises(CalculatorInputError, match=r"^row 4 \(index 4, account_id 'R0000004'\): next_statement_date='.*' is not allowed: "
                                                   r"a date from .* \(a statement cycle is at most 62 days\)$"):
        apply_cycle(bad, CMB)
    # Exactly 62 days is accepted and equals the scalar functions.
    edge = read_accounts(io.StringIO(HEADER + "A1,2026-05-05,2026-05-23,2026-07-06,2026-04-30,1000.00,100.00,0,,13\n"))
    assert assert_matches_scalar(edge, CMB).interest_fen.tolist() == [100000 * 68 // 2000]  # 30 Apr .. 6 Jul: 68 days


def test_scalar_cycle_reads_a_frame_row_with_numpy_integers():
    # df.iloc[i] holds days_past_due as np.int64, which delinquency_bucket refused ("np.int64(13) is not allowed").
    df = read_accounts(io.StringIO(HEADER + "A1,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.00,100.00,0,,13\n"))
    assert isinstance(df.iloc[0]["days_past_due"], np.integer)
    assert scalar_cycle(df.iloc[0], CMB) == {"late_fee_fen": 1000, "interest_fen": 1850, "bucket": "M1", "category": "关注"}
    many = random_accounts(200, seed=9)
    out = apply_cycle(many, CMB)
    for i in range(len(many)):
        assert scalar_cycle(many.iloc[i], CMB) == out.iloc[i][list(RESULT_COLUMNS)].to_dict()
    row = many.iloc[0].to_dict()
    for flag in (True, np.bool_(True)):  # a bool is still not a number of days
        with pytest.raises(CalculatorInputError, match=r"^days_past_due=(np\.)?(True|np\.True_) is not allowed: a whole number ≥ 0"):
            scalar_cycle({**row, "days_past_due": flag}, CMB)


def test_a_trailing_comma_is_refused_by_row_not_shifted():
    # pandas took the first cell as the index and shifted the rest ("posting_date='1000.00' is not allowed").
    row = "A1,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.00,100.00,0,,13"
    expected = (r"^<buffer>, line 2 \(data row 1\): columns=11 is not allowed: no more cells than the header row, which has 10 "
                r"\(a comma at the end of a line adds an empty cell\)$")
    with pytest.raises(CalculatorInputError, match=expected) as info:
        read_accounts(io.StringIO(HEADER + row + ",\n"))
    assert info.value.field == "columns" and "行末的逗号" in info.value.message_zh
    with pytest.raises(CalculatorInputError, match=expected):  # every line with a trailing comma
        read_accounts(io.StringIO(HEADER + row + ",\n" + row.replace("A1", "A2") + ",\n"))
    with pytest.raises(CalculatorInputError, match=expected.replace("columns=11", "columns=12")):
        read_accounts(io.StringIO(HEADER + row + ",,\n"))
    with pytest.raises(CalculatorInputError, match=r"^<buffer>, line 3 \(data row 2\): columns=11 is not allowed: no more cells"):
        read_accounts(io.StringIO(HEADER + row + "\n" + row.replace("A1", "A2") + ",\n"))


def test_a_trailing_comma_in_a_dask_block_is_refused(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text(HEADER + "A1,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000.00,100.00,0,,13,\n", encoding="utf-8")
    with pytest.raises(CalculatorInputError, match=r"accounts.csv, block 0, data row 1 of the block: columns=11 is not allowed: "
                                                   r"no more cells than the header row, which has 10"):
        read_accounts_dask(str(path)).compute()


@pytest.mark.parametrize(
    ("cell", "allowed", "allowed_zh"),
    [
        ("2026-02-30", "a day that exists (February 2026 has 28 days)", "2026 年 2 月只有 28 天"),
        ("2024-02-30", "a day that exists (February 2024 has 29 days)", "2024 年 2 月只有 29 天"),
        ("2026-13-05", "a month from 1 to 12 (not 13)", "月份为 1 至 12，不是 13"),
        ("0000-05-05", "a date from 1900-01-01 to 2199-12-31", "1900-01-01 至 2199-12-31 之间的日期"),
    ],
)
def test_an_impossible_date_is_named_as_the_forms_name_it(cell, allowed, allowed_zh):
    # The CSV said only "a date YYYY-MM-DD"; calculators.dates.to_date (the forms' reader) names the cause.
    from calculators.dates import to_date

    with pytest.raises(CalculatorInputError) as form:
        to_date(cell, "statement_date")
    with pytest.raises(CalculatorInputError) as info:
        read_accounts(io.StringIO(HEADER + GOOD + f"A2,{cell},2026-05-23,2026-06-05,2026-04-30,1000,100,0,,0\n"))
    assert str(info.value) == f"<buffer>, line 3 (data row 2): statement_date={cell!r} is not allowed: {allowed}"
    assert info.value.allowed == form.value.allowed and info.value.allowed_zh == form.value.allowed_zh
    assert allowed_zh in info.value.message_zh
    # paid_date (which may be empty) too; a cell that is not YYYY-MM-DD at all keeps the file format's words.
    with pytest.raises(CalculatorInputError, match=r"paid_date='2026-05-32' is not allowed: a day that exists \(May 2026 has 31 days\)$"):
        read_accounts(io.StringIO(HEADER + "A1,2026-05-05,2026-05-23,2026-06-05,2026-04-30,1000,100,5,2026-05-32,0\n"))
    with pytest.raises(CalculatorInputError, match=r"statement_date='2026-5-5' is not allowed: a date YYYY-MM-DD$"):
        read_accounts(io.StringIO(HEADER + "A1,2026-5-5,2026-05-23,2026-06-05,2026-04-30,1000,100,0,,0\n"))


# --------------------------------------------------------------------------- Dask


def test_dask_partitions_equal_pandas():
    df = random_accounts(2_000, seed=6)
    ddf = dd.from_pandas(df, npartitions=4)
    assert ddf.npartitions == 4
    lazy = apply_cycle_dask(ddf, CMB)
    assert list(lazy.columns) == [*FRAME_COLUMNS, *RESULT_COLUMNS]
    result = lazy.compute()
    expected = apply_cycle(df, CMB)
    pd.testing.assert_frame_equal(result[list(RESULT_COLUMNS)], expected[list(RESULT_COLUMNS)])
    pd.testing.assert_frame_equal(result.drop(columns="account_id"), expected.drop(columns="account_id"))
    assert (result.account_id.astype(str) == expected.account_id).all()
    # Aggregates over partitions, the way a larger-than-memory run would report them.
    totals = lazy[["late_fee_fen", "interest_fen"]].sum().compute()
    assert totals.tolist() == [int(expected.late_fee_fen.sum()), int(expected.interest_fen.sum())]


def test_dask_reads_csv_blocks_and_validates_each(tmp_path):
    df = random_accounts(2_000, seed=7)
    first, second = tmp_path / "part-1.csv", tmp_path / "part-2.csv"
    write_accounts(df.iloc[:1000], first)
    write_accounts(df.iloc[1000:], second)
    ddf = read_accounts_dask(str(tmp_path / "part-*.csv"), blocksize=20_000)
    assert ddf.npartitions >= 4
    result = apply_cycle_dask(ddf, CMB).compute().reset_index(drop=True)
    expected = apply_cycle(df, CMB)
    pd.testing.assert_frame_equal(result[list(RESULT_COLUMNS)], expected[list(RESULT_COLUMNS)])
    # A bad cell in a later block is reported with the file, the block and the row's place in it.
    lines = first.read_text(encoding="utf-8").splitlines()
    cells = lines[900].split(",")
    cells[6] = "abc"
    lines[900] = ",".join(cells)
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CalculatorInputError, match=r"part-1.csv, block [1-9]\d*, data row \d+ .*: minimum_due='abc' is not allowed"):
        read_accounts_dask([first, second], blocksize=20_000).compute()
    with pytest.raises(CalculatorInputError, match=r"^urlpath="):
        read_accounts_dask(str(tmp_path / "none-*.csv"))
    with pytest.raises(CalculatorInputError, match=r"^ddf='DataFrame' is not allowed"):
        apply_cycle_dask(df, CMB)
