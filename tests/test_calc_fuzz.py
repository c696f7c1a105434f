"""Bad-input fuzz of every public calculator function: only CalculatorInputError may escape.

Each case starts from a valid call and replaces one to three arguments (or
columns, or profile values) with garbage drawn by a seeded generator: ``None``,
booleans, floats including nan and inf, huge and negative integers, text such
as ``"abc"``, ``"1e999"`` and full-width digits, containers, datetimes, dates
in the wrong order and objects that are not terms.  A call may succeed (some
garbage is valid input, e.g. ``"12"`` for ``periods``); if it fails, the error
must be :class:`CalculatorInputError` (a ``ValueError``), name a field of the
function in the form ``field=value is not allowed: …``.  The cases are counted
and the count is checked (at least 10,000 in all).
"""

from __future__ import annotations

import io
import math
import random
import types
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest

import calculators
from calculators import (
    CalculatorInputError,
    Terms,
    bundled_profiles,
    delinquency_bucket,
    handbook_terms,
    installment_plan,
    late_fee,
    load_terms,
    minimum_payment,
    minimum_payment_payoff,
    negotiated_plan,
    overdue_projection,
    revolving_interest,
)
from calculators import amount_band, check_contact_plan, lint_script, overdraft_exposure
from calculators.batch import portfolio
from calculators.terms import PROFILE_ENV
from procedures.rules import conduct_rules, overdraft_rules, redlines

CMB = load_terms("cmb")
CONDUCT, OVERDRAFT, REDLINES = conduct_rules(), overdraft_rules(), redlines()
ICBC = load_terms("icbc")
D = date

#: Garbage of many types; some entries happen to be valid for some fields (that is fine).
GARBAGE: list[Any] = [
    None, True, False, 0, 1, -1, 2, 61, 121, 10**6, 2**63, -(2**63), 10**30, 10**5000, -(10**5000),
    0.1, -0.0, 1.5, 1e-9, 1e308, -1e308, math.nan, math.inf, -math.inf,
    "", " ", "abc", "1e999", "-1e999", "１２", "１２.５", "٣", "12.345", "-5", "+5", "5 ", "NaN", "nan", "Infinity", "-inf",
    "0x10", "1_000", "1,000", "10000", "0.01", "0.00", "0", "60", "61", "0.0066", "0.1", "1e3", "2026-05-05", "2026-13-01",
    "2026-02-30", "05/05/2026", "2026-05-05T00:00", "cmb", "icbc", "../cmb", "\x00", "None", "[]", "x" * 10_000,
    b"100", bytearray(b"1"), 1 + 2j, Fraction(1, 3), Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"),
    Decimal("1E+50"), Decimal("-0.00"), Decimal("0.001"), Decimal("12"), Decimal("1E-30"),
    [], [1], [None], [("2026-05-01", "100")], [("2026-05-01",)], [(D(2026, 5, 1), "100", 1)], [("abc", "100")],
    [(D(2026, 5, 1), "-100")], [(D(2026, 5, 1), "0")], [(D(1, 1, 1), "1")], ((D(2026, 6, 30), "5"),),
    {}, {"a": 1}, {"interest": "1"}, {"principal": "1"}, {"late_fees": "1e9"}, (1, 2), set(), frozenset({1}), object(),
    D(1, 1, 1), D(9999, 12, 31), D(2026, 5, 5), D(2026, 4, 1), D(2026, 7, 1), datetime(2026, 5, 5, 12, 0), datetime(2026, 5, 5),
    timedelta(days=1), np.int64(5), np.float64("nan"), np.datetime64("2026-05-05"), np.array([1, 2]),
    pd.Timestamp("2026-05-05"), pd.NaT, types.SimpleNamespace(**{k: getattr(CMB, k) for k in CMB.__dataclass_fields__}),
    CMB.to_dict(), CMB.cite("daily_rate"), Path("/nonexistent/profile.yml"), Path("/"), Path("/etc/hostname"),
    ICBC, CMB, range(3), iter([1, 2]), lambda: 1, Exception("x"), type,
]


def _random_garbage(rng: random.Random) -> Any:
    """Mostly the fixed pool; sometimes a random number, text or date (valid or not)."""
    roll = rng.random()
    if roll < 0.7:
        return rng.choice(GARBAGE)
    if roll < 0.8:
        return str(Decimal(rng.randint(-10**14, 10**15)).scaleb(-rng.randint(0, 4)))
    if roll < 0.87:
        return rng.randint(-10**4, 10**4)
    if roll < 0.94:
        return D(2026, 1, 1) + timedelta(days=rng.randint(-400, 800))
    return "".join(rng.choice("0123456789.-e+ 　１abc") for _ in range(rng.randint(0, 8)))


def _show(value: Any) -> str:
    """A short repr that survives 5,000-digit integers."""
    try:
        text = repr(value)
    except ValueError:
        text = f"<{type(value).__name__} too long to show>"
    return text if len(text) < 160 else text[:150] + "…"


class Counter:
    """Runs cases, counts them and collects any exception other than CalculatorInputError."""

    def __init__(self) -> None:
        self.cases = 0
        self.errors = 0
        self.problems: list[str] = []

    def run(self, name: str, call: Callable[[], Any], fields: set[str] | None, shown: Any) -> None:
        self.cases += 1
        try:
            call()
        except CalculatorInputError as err:
            self.errors += 1
            message = str(err)
            root = err.field.split("[")[0]
            if not isinstance(err, ValueError) or f"{err.field}=" not in message or "is not allowed:" not in message:
                self.problems.append(f"{name}({_show(shown)}): message lacks field/value/allowed: {message[:200]}")
            elif fields is not None and root not in fields:
                self.problems.append(f"{name}({_show(shown)}): field {err.field!r} is not one of {sorted(fields)}")
            elif not err.message_zh:
                self.problems.append(f"{name}({_show(shown)}): empty message_zh")
        except Exception as exc:  # noqa: BLE001 - exactly what the fuzz looks for
            self.problems.append(f"{name}({_show(shown)}): {type(exc).__name__}: {str(exc)[:200]}")


def _fuzz_kwargs(counter: Counter, rng: random.Random, name: str, function: Callable[..., Any], valid: dict[str, Any],
                 fields: set[str], cases: int) -> None:
    names = list(valid)
    for _ in range(cases):
        count = rng.choices((1, 2, 3), weights=(7, 2, 1))[0]
        chosen = rng.sample(names, min(count, len(names)))
        kwargs = dict(valid)
        for key in chosen:
            kwargs[key] = _random_garbage(rng)
        counter.run(name, lambda: function(**kwargs), fields, {k: kwargs[k] for k in chosen})


SCALAR_SPECS: list[tuple[str, Callable[..., Any], dict[str, Any], set[str], int]] = [
    ("late_fee", late_fee, {"minimum_due": "1000", "paid": "100", "terms": CMB, "statement_balance": "5000"},
     {"minimum_due", "paid", "terms", "statement_balance"}, 1500),
    ("minimum_payment", minimum_payment,
     {"general": "10000", "terms": CMB, "installment_due": "100", "previous_unpaid_minimum": "1000", "over_limit": "0",
      "fees": "50", "interest": "155"},
     {"general", "terms", "installment_due", "previous_unpaid_minimum", "over_limit", "fees", "interest"}, 1200),
    ("revolving_interest", revolving_interest,
     {"purchases": [(D(2026, 4, 30), "1000")], "payments": [(D(2026, 5, 23), "100")], "statement_date": D(2026, 5, 5),
      "due_date": D(2026, 5, 23), "next_statement_date": D(2026, 6, 5), "terms": CMB},
     {"purchases", "payments", "statement_date", "due_date", "next_statement_date", "terms"}, 1500),
    ("installment_plan", installment_plan, {"principal": "12000", "periods": 12, "monthly_fee_rate": "0.0066", "terms": CMB},
     {"principal", "periods", "monthly_fee_rate", "terms"}, 900),
    ("negotiated_plan", negotiated_plan,
     {"principal": "50000", "periods": 24, "terms": CMB, "interest": "3000", "fees": "100", "late_fees": "600",
      "waivers": {"late_fees": "600"}, "down_payment": "1000", "days_past_due": 95, "monthly_fee_rate": None,
      "annual_interest_rate": None},
     {"principal", "periods", "terms", "interest", "fees", "late_fees", "waivers", "down_payment", "days_past_due",
      "monthly_fee_rate", "annual_interest_rate"}, 1200),
    ("overdue_projection", overdue_projection,
     {"statement_balance": "10000", "minimum_due": "1000", "statement_date": D(2026, 5, 5), "due_date": D(2026, 5, 23),
      "cycles": 6, "terms": CMB, "payments": [(D(2026, 5, 20), "300")], "posting_date": D(2026, 4, 30)},
     {"statement_balance", "minimum_due", "statement_date", "due_date", "cycles", "terms", "payments", "posting_date",
      "next_statement_date"}, 900),
    ("minimum_payment_payoff", minimum_payment_payoff,
     {"balance": "10000", "terms": CMB, "statement_date": D(2026, 5, 5), "posting_date": D(2026, 4, 30), "max_months": 600},
     {"balance", "terms", "statement_date", "posting_date", "max_months"}, 400),
    ("delinquency_bucket", delinquency_bucket, {"days_past_due": 30}, {"days_past_due"}, 500),
    ("load_terms", load_terms, {"name_or_path": "cmb"}, {"name_or_path", "profile"}, 300),
    ("check_contact_plan", check_contact_plan,
     {"attempts": [{"time": "2026-03-02T21:30", "channel": "phone", "method": "手机1", "person": "debtor", "answered": True,
                    "content": "reminder", "recorded": True}], "rules": CONDUCT},
     {"attempts", "rules"}, 600),
    ("overdraft_exposure", overdraft_exposure,
     {"collections": [{"day": "2026-03-01", "method": "phone", "receipt_proved": True},
                      {"day": "2026-03-31", "method": "letter", "receipt_proved": True}],
      "unpaid_principal": "52000", "rules": OVERDRAFT, "overdue_since": "2026-02-10", "as_of": "2026-07-01"},
     {"collections", "unpaid_principal", "rules", "overdue_since", "as_of", "overdraft_rules", "bands", "min_gap_days"}, 600),
    ("amount_band", amount_band, {"unpaid_principal": "50000", "rules": OVERDRAFT}, {"unpaid_principal", "rules", "overdraft_rules"}, 300),
    ("lint_script", lint_script, {"text": "您好，请问是李女士本人吗？", "rules": REDLINES}, {"text", "rules"}, 400),
]


def test_fuzz_every_public_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20260505)
    counter = Counter()
    covered = set()
    for name, function, valid, fields, cases in SCALAR_SPECS:
        function(**valid)  # the starting point is valid
        _fuzz_kwargs(counter, rng, name, function, valid, fields, cases)
        covered.add(name)

    # load_terms on files that are not profiles: binary, empty, a list, bad values on known lines.
    text = (Path(calculators.__file__).with_name("profiles") / "cmb.yml").read_text(encoding="utf-8")
    bad_files = {"binary.yml": b"\xff\xfe\x00garbage", "empty.yml": b"", "list.yml": b"- 1\n- 2\n", "tab.yml": b"a:\n\t- b\n",
                 "dup.yml": text.replace("code: cmb", "code: cmb\ncode: x").encode()}
    for spec_name in ("daily_rate", "grace_days", "tolerance", "interest_basis", "installment_rates", "late_fee_min"):
        for value in ("abc", "-1", "1e999", "[]", "{}", "null", "true", "0x10", "１２"):
            marker = f"  {spec_name}:\n    value: "  # one entry, or the first of a dated list
            if marker not in text:
                marker = f"  {spec_name}:\n    - value: "
            start = text.index(marker) + len(marker)
            end = text.index("\n", start)
            bad_files[f"{spec_name}-{len(bad_files)}.yml"] = (text[:start] + value + text[end:]).encode()
    for file_name, content in bad_files.items():
        path = tmp_path / file_name
        path.write_bytes(content)
        counter.run("load_terms", lambda: load_terms(path), None, file_name)
        counter.run("load_terms", lambda: load_terms(str(path)), None, file_name)

    # handbook_terms reads the profile name from the environment.
    for value in ("", "cmb", "icbc", "abc", "../cmb", "CMB", " icbc ", "x" * 300, "/etc/hostname", "１２"):
        monkeypatch.setenv(PROFILE_ENV, value)
        counter.run("handbook_terms", handbook_terms, {"name_or_path", "profile"}, value)
    monkeypatch.delenv(PROFILE_ENV)
    covered.add("handbook_terms")

    # Terms.from_dict: garbage in one to three places of a valid profile dictionary.
    base = CMB.to_dict()
    spec_names = list(base["values"])
    for _ in range(800):
        data = {**base, "values": {k: [dict(e) for e in v] if isinstance(v, list) else dict(v) for k, v in base["values"].items()}}
        for _ in range(rng.choice((1, 1, 2, 3))):
            where = rng.random()
            if where < 0.15:
                data[rng.choice(("code", "issuer", "label", "currency"))] = _random_garbage(rng)
            elif where < 0.2:
                data["values"] = _random_garbage(rng)
                break
            elif where < 0.25:
                data = _random_garbage(rng)
                break
            else:
                entry = data["values"][rng.choice(spec_names)]
                entry = rng.choice(entry) if isinstance(entry, list) else entry  # one entry of a dated value
                entry[rng.choice(("value", "value", "value", "source", "effective", "confidence", "note"))] = _random_garbage(rng)
        counter.run("Terms.from_dict", lambda: Terms.from_dict(data), None, data if not isinstance(data, dict) else "…")
    covered.add("Terms")

    # Plan.payoff_amount.
    plans = [installment_plan("12000", 12, "0.0066", CMB), negotiated_plan("5000", 6, CMB, annual_interest_rate="0.12")]
    for _ in range(500):
        plan = rng.choice(plans)
        value = _random_garbage(rng)
        counter.run("Plan.payoff_amount", lambda: plan.payoff_amount(value), {"after_period"}, value)
    covered.add("Plan")

    # bundled_profiles takes no arguments; it must list the bundled files.
    assert bundled_profiles() == ["bocom", "ccb", "cmb", "icbc"]
    covered.add("bundled_profiles")

    # The portfolio functions.
    counter_before = counter.cases
    _fuzz_portfolio(counter, rng, tmp_path)
    assert counter.cases - counter_before >= 2000

    functions = {n for n in calculators.__all__ if callable(getattr(calculators, n)) and not isinstance(getattr(calculators, n), type)}
    assert functions <= covered, functions - covered
    assert not counter.problems, "\n".join(sorted(set(counter.problems))[:40]) + f"\n… {len(counter.problems)} problems in {counter.cases} cases"
    assert counter.cases >= 10_000, counter.cases
    assert counter.errors >= counter.cases // 2  # most garbage is rejected: the fuzz does reach the checks


def _fuzz_portfolio(counter: Counter, rng: random.Random, tmp_path: Path) -> None:
    frame = portfolio.random_accounts(6, seed=11)
    frame_fields = set(portfolio.FRAME_COLUMNS) | {"df", "row", "terms"} | {f"terms.{n}" for n in Terms.__dataclass_fields__}

    # scalar_cycle: one garbage cell (or a garbage row).
    records = frame.to_dict("records")
    for _ in range(700):
        row = dict(rng.choice(records))
        for column in rng.sample(list(portfolio.FRAME_COLUMNS), rng.choice((1, 1, 2))):
            row[column] = _random_garbage(rng)
        terms = CMB if rng.random() < 0.9 else _random_garbage(rng)
        target = row if rng.random() < 0.95 else _random_garbage(rng)
        counter.run("scalar_cycle", lambda: portfolio.scalar_cycle(target, terms), frame_fields, row)

    # apply_cycle: a garbage column (cast to whatever dtype pandas infers), a garbage cell, or not a frame at all.
    for _ in range(700):
        roll = rng.random()
        df: Any = frame.copy()
        column = rng.choice(list(portfolio.FRAME_COLUMNS))
        if roll < 0.4:
            values = [_random_garbage(rng) for _ in range(len(df))]
            try:
                df[column] = pd.Series(values, dtype=object).infer_objects()
            except (TypeError, ValueError):
                df[column] = pd.Series(values, dtype=object)
        elif roll < 0.75:
            position = rng.randrange(len(df))
            if column in ("statement_balance_fen", "minimum_due_fen", "paid_fen", "days_past_due"):
                df[column] = df[column].astype(np.int64)
                df.loc[df.index[position], column] = rng.choice((-1, 2**62, -(2**62), 0, 10**14 + 1, 1))
            else:
                shift = rng.choice((-400, -40, -1, 1, 40, 40_000, -40_000))
                values = df[column].to_numpy().copy()
                values[position] = (pd.Timestamp("2026-05-05") + pd.Timedelta(days=shift)).to_datetime64()
                df[column] = values
        elif roll < 0.85:
            df = df.drop(columns=[column])
        elif roll < 0.95:
            df = _random_garbage(rng)
        terms = CMB if rng.random() < 0.9 else _random_garbage(rng)
        counter.run("apply_cycle", lambda: portfolio.apply_cycle(df, terms), frame_fields | {"df.columns"}, column)

    # read_accounts: garbage objects, missing files and CSV text with a garbage cell.
    header = ",".join(portfolio.CSV_COLUMNS)
    good_lines = portfolio.write_accounts(frame).splitlines()[1:]
    csv_fields = set(portfolio.CSV_COLUMNS) | {"path_or_buffer", "columns"}
    for _ in range(700):
        roll = rng.random()
        if roll < 0.15:
            source: Any = _random_garbage(rng)
        elif roll < 0.2:
            source = str(tmp_path / f"missing-{rng.randrange(1000)}.csv")
        else:
            lines = list(good_lines)
            index = rng.randrange(len(lines))
            cells = lines[index].split(",")
            cells[rng.randrange(len(cells))] = _show(_random_garbage(rng)).strip("'").replace("\n", " ")
            lines[index] = ",".join(cells)
            source = io.StringIO("\n".join([header, *lines]) + "\n")
        counter.run("read_accounts", lambda: portfolio.read_accounts(source), csv_fields, source)

    # write_accounts and random_accounts: garbage arguments.
    for _ in range(150):
        value = _random_garbage(rng)
        counter.run("write_accounts", lambda: portfolio.write_accounts(value), frame_fields, value)
        counter.run("random_accounts", lambda: portfolio.random_accounts(value if not isinstance(value, int) or abs(value) < 10**5 else 3),
                    {"n"}, value)
        counter.run("random_accounts", lambda: portfolio.random_accounts(2, seed=value), {"seed"}, value)

    # The Dask entry points: argument checks happen at call time.
    for _ in range(100):
        value = _random_garbage(rng)
        counter.run("apply_cycle_dask", lambda: portfolio.apply_cycle_dask(value, CMB), {"ddf"}, value)
        counter.run("read_accounts_dask", lambda: portfolio.read_accounts_dask(value), {"urlpath"}, value)
