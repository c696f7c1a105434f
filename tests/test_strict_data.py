"""Issue 11, item 6: YAML read by the 1.2 core schema, unknown keys and impossible dates reported at their line,
and ``make check-data`` (``python -m procedures``) checking every profile without ever showing a traceback."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from calculators import CalculatorInputError, load_terms
from calculators.datafile import read_yaml
from calculators.terms import PROFILE_DIR, bundled_profiles
from procedures import ProcedureFileError
from procedures.loader import load_model
from procedures import schema

ROOT = Path(__file__).resolve().parents[1]


def _yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_is_read_with_the_1_2_core_schema(tmp_path):
    data, lines = read_yaml(_yaml(tmp_path, "\n".join([
        "octal_looking: 060", "octal: 0o17", "hex: 0x1F", "yes_word: yes", "no_word: no", "on_word: on", "Off_word: Off",
        "y: y", "time: 09:30", "bool: true", "Bool: False", "null_value: null", "tilde: ~", "rate: 0.0005", "exp: 1e3",
        "underscored: 1_000", "day: 2026-01-31", "signed: -12", "text: 060a", "sexagesimal: 190:20:30",
    ]) + "\n"))
    assert data == {
        "octal_looking": 60, "octal": 15, "hex": 31, "yes_word": "yes", "no_word": "no", "on_word": "on", "Off_word": "Off",
        "y": "y", "time": "09:30", "bool": True, "Bool": False, "null_value": None, "tilde": None, "rate": Decimal("0.0005"),
        "exp": Decimal("1e3"), "underscored": "1_000", "day": date(2026, 1, 31), "signed": -12, "text": "060a",
        "sexagesimal": "190:20:30",
    }
    assert type(data["octal_looking"]) is int and type(data["rate"]) is Decimal
    assert lines[("time",)] == 9


@pytest.mark.parametrize("value,problem", [("!!int 0b11", "'0b11' is not a whole number"), ("!!float abc", "'abc' is not a number"),
                                           ("\n    ? [a, b]\n    : 1", "a key must be a plain value")])
def test_a_value_the_schema_cannot_read_is_reported_at_its_own_line(tmp_path, value, problem):
    path = tmp_path / "bad.yml"
    path.write_text(f"code: x\nvalues:\n  grace_days: {value}\n", encoding="utf-8")
    done = _check_data(str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    line = 3 if value.startswith("!!") else 4
    assert f"{path}:{line}: invalid YAML: {problem}" in done.stderr, done.stderr


def test_impossible_date_is_reported_at_its_own_line(tmp_path):
    path = _yaml(tmp_path, "a: 1\nb:\n  c: 2\n  when: 2021-02-30\n")
    with pytest.raises(Exception) as info:
        read_yaml(path)
    assert info.value.problem_mark.line + 1 == 4 and "2021-02-30" in str(info.value)


def _bad_profile(tmp_path: Path, old: str, new: str, name: str = "bad.yml") -> tuple[Path, int]:
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, text[:text.index(old)].count("\n") + 1


def test_impossible_effective_date_in_a_profile_names_its_line(tmp_path):
    path, line = _bad_profile(tmp_path, "      effective: 2021-01-01\n      confidence: M\n  interest_basis:",
                              "      effective: 2021-02-30\n      confidence: M\n  interest_basis:")
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    assert str(info.value).startswith(f"{path}:{line}: ") and "2021-02-30" in str(info.value)


def test_octal_looking_value_in_a_profile_is_decimal(tmp_path):
    path, _ = _bad_profile(tmp_path, "  grace_days:\n    value: 3\n", "  grace_days:\n    value: 03\n")
    assert load_terms(path).grace_days == 3
    path, _ = _bad_profile(tmp_path, "  grace_days:\n    value: 3\n", "  grace_days:\n    value: yes\n", "bool.yml")
    with pytest.raises(CalculatorInputError, match=r"values.grace_days.value='yes' is not allowed"):
        load_terms(path)


@pytest.mark.parametrize("old,new,key,allowed", [
    ("currency: CNY\n", "currency: CNY\nissuer_nickname: 招行\n", "issuer_nickname", "code, issuer, label, currency, issuer_short"),
    ("  grace_days:\n    value: 3\n", "  grace_day:\n    value: 3\n", "values.grace_day", "daily_rate, daily_rate_cap, interest_basis"),
    ("  grace_days:\n    value: 3\n", "  grace_days:\n    value: 3\n    valeu: 4\n", "values.grace_days.valeu",
     "value, source, effective, confidence, note"),
])
def test_unknown_profile_key_names_file_line_key_and_allowed_keys(tmp_path, old, new, key, allowed):
    path, line = _bad_profile(tmp_path, old, new)
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    message = str(info.value)
    new_line = line + new.count("\n") - 1 if key.endswith("valeu") or key == "issuer_nickname" else line
    assert message.startswith(f"{path}:{new_line}: {key}=") and allowed in message
    assert "拼写错误" in info.value.allowed_zh
    for name in bundled_profiles():  # the bundled profiles have no unknown key
        load_terms(name)


def test_procedure_file_with_an_impossible_date_names_its_line(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text("sources:\n  - id: x\n    title: t\n    issued: 2021-02-30\n", encoding="utf-8")
    with pytest.raises(ProcedureFileError) as info:
        load_model(path, schema.SourceList)
    assert info.value.problems[0][0] == 4 and "2021-02-30" in info.value.problems[0][2]


def _check_data(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "procedures", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_check_data_validates_every_bundled_profile():
    done = _check_data()
    assert done.returncode == 0, done.stderr
    assert f"profiles: {len(bundled_profiles())} valid ({', '.join(bundled_profiles())})" in done.stdout


@pytest.mark.parametrize("case", ["unknown-key", "syntax", "bad-date", "not-utf8", "missing", "directory", "empty", "list",
                                  "nested-aliases"])
def test_check_data_reports_a_bad_profile_without_a_traceback(tmp_path, case):
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    path = tmp_path / "profile.yml"
    expected = str(path)
    if case == "unknown-key":
        path.write_text(text.replace("currency: CNY\n", "currency: CNY\nhotline: 95555\n"), encoding="utf-8")
        line = text[:text.index("currency: CNY\n")].count("\n") + 2
        expected = f"{path}:{line}: hotline='hotline' is not allowed: one of the known keys: code, issuer, label, currency"
    elif case == "syntax":
        path.write_text(text.replace("value: 0.0005\n", "value: [0.0005\n", 1), encoding="utf-8")
        expected = f"{path}:"
    elif case == "bad-date":
        path.write_text(text.replace("effective: 2021-01-01", "effective: 2021-02-30", 1), encoding="utf-8")
        line = text[:text.index("effective: 2021-01-01")].count("\n") + 1
        expected = f"{path}:{line}: invalid YAML: '2021-02-30' is not a calendar date"
    elif case == "not-utf8":
        path.write_bytes(text.encode("gb18030"))
        expected = f"{path}:1: not UTF-8 text"
    elif case == "missing":
        path = tmp_path / "nothing.yml"
        expected = f"{path}: no such file"
    elif case == "directory":  # (a folder without profiles: said so, session 34; it was "no such file")
        path = tmp_path
        expected = f"{path}: no profiles found in this folder"
    elif case == "nested-aliases":  # ("billion laughs": each level repeats the one before 9 times; it used to hang)
        levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]" for k in range(1, 10)]
        path.write_text(text + "\n".join(levels) + "\n", encoding="utf-8")
        line = text.count("\n") + 1  # (the anchored value: the node an alias repeats carries no mark of the alias)
        expected = f"{path}:{line}: invalid YAML: this value has an anchor (&name) that an alias (*name) repeats"
    elif case == "empty":
        path.write_text("", encoding="utf-8")
        expected = f"{path}:1: profile='NoneType' is not allowed"
    else:
        path.write_text("- 1\n- 2\n", encoding="utf-8")
        expected = f"{path}:1: profile='list' is not allowed"
    done = _check_data(str(path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert expected in done.stderr, done.stderr


def _bundled_copies(folder: Path) -> Path:
    """A new folder holding a copy of every bundled profile."""
    folder.mkdir()
    for name in bundled_profiles():
        (folder / f"{name}.yml").write_text((PROFILE_DIR / f"{name}.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_check_data_reports_a_broken_bundled_profile(tmp_path, monkeypatch, capsys):
    import procedures.__main__ as check

    folder = _bundled_copies(tmp_path / "profiles")
    (folder / "broken.yml").write_text("code: broken\nissuer: [\n", encoding="utf-8")
    monkeypatch.setattr(check, "PROFILE_DIR", folder)
    assert check.main([]) == 1
    err = capsys.readouterr().err
    assert f"{folder / 'broken.yml'}:3: invalid YAML" in err and "Traceback" not in err


def test_make_check_data_takes_a_profile_path(tmp_path):
    path, _ = _bad_profile(tmp_path, "  grace_days:\n    value: 3\n", "  grace_days:\n    value: 3\n    valeu: 4\n")
    done = subprocess.run(["make", "--no-print-directory", "check-data", f"PROFILE={path}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode != 0 and "valeu" in done.stderr and "Traceback" not in done.stderr


# --- session 33: numbers written as text, and a folder of profiles ----------------------------------------------


@pytest.mark.parametrize("value", ["1_0", "'1_0'", "０.１", "'１０'", "٥", "0.1_0", "'1 0'"])
def test_a_profile_number_in_other_digits_or_with_underscores_is_refused_at_its_line(tmp_path, value):
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    assert "\n    value: 10.00\n" in text  # the tolerance
    line = text[:text.index("\n    value: 10.00\n")].count("\n") + 2
    path = tmp_path / "typo.yml"
    path.write_text(text.replace("\n    value: 10.00\n", f"\n    value: {value}\n"), encoding="utf-8")
    done = _check_data(str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}:{line}: values.tolerance.value=" in done.stderr and "ASCII digits" in done.stderr, done.stderr
    with pytest.raises(CalculatorInputError, match="ASCII digits"):
        load_terms(path)


def test_a_quoted_ascii_number_in_a_profile_is_still_read(tmp_path):
    path = tmp_path / "quoted.yml"
    path.write_text((PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8").replace("\n    value: 10.00\n", "\n    value: '10.00'\n"),
                    encoding="utf-8")
    assert load_terms(path).tolerance == load_terms("cmb").tolerance == Decimal("10.00")


def test_check_data_takes_a_folder_of_profiles(tmp_path):
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    (tmp_path / "good.yml").write_text(text, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(text.replace("{3: 0.0090,", "{3: 0.00_90,"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a profile", encoding="utf-8")
    done = _check_data(str(tmp_path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{tmp_path / 'bad.yaml'}:" in done.stderr and "installment_rates.value[3]='0.00_90'" in done.stderr
    assert "good.yml" not in done.stderr and "notes.txt" not in done.stderr
    (tmp_path / "bad.yaml").unlink()
    done = _check_data(str(tmp_path))
    assert done.returncode == 0 and str(tmp_path / "good.yml") in done.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _check_data(str(empty))
    assert done.returncode == 1 and "no profiles found in this folder" in done.stderr


def test_a_rate_written_as_a_percent_is_told_how_to_write_it(tmp_path):
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    start = text.index("value:", text.index("late_fee_rate:"))
    path = tmp_path / "percent.yml"
    path.write_text(text[:start] + "value: 5" + text[text.index("\n", start):], encoding="utf-8")
    done = _check_data(str(path))
    assert done.returncode == 1 and "late_fee_rate[0].value=5" in done.stderr and "5 % is written 0.05" in done.stderr
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    assert "费率写成小数：5% 应写作 0.05" in info.value.allowed_zh


def test_make_book_with_a_broken_or_missing_profile_says_what_make_check_data_says(tmp_path, monkeypatch):
    from tools.build_book import main

    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    start = text.index("value:", text.index("late_fee_rate:"))
    bad = tmp_path / "percent.yml"
    bad.write_text(text[:start] + "value: 5" + text[text.index("\n", start):], encoding="utf-8")
    (tmp_path / "book").mkdir()
    for given, words in ((str(bad), "5 % is written 0.05"), (str(tmp_path / "missing.yml"), "no such file")):
        monkeypatch.setenv("HANDBOOK_PROFILE", given)
        problem = _check_data(given).stderr.splitlines()[1]
        assert words in problem
        assert main(["build", str(tmp_path / "book")]) == 2  # refused before Sphinx starts, with the same words
        assert problem in (tmp_path / "book" / "_build" / "html.failed").read_text(encoding="utf-8")


def test_a_profile_file_with_another_extension_is_checked_as_load_terms_reads_it(tmp_path, monkeypatch):
    (tmp_path / "bank.json").write_text((PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from procedures.__main__ import check_profile

    assert load_terms("bank.json").code == "cmb" and check_profile("bank.json") is None
    assert check_profile("nothere") == "nothere: no such file (give a bundled profile name or the path of a profile YAML file)"


# --- session 34: explicit YAML tags, spaces around a quoted number, -0 and tiny exponents ----------------------------


@pytest.mark.parametrize("value,problem", [
    ("!!int ٦٠", "is not a whole number"), ("!!int ６０", "is not a whole number"), ("!!int 6_0", "is not a whole number"),
    ("!!float 1_0.00", "is not a number"), ("!!float ١٠", "is not a number"),
    ('!!bool "yes"', "is not a boolean"), ("!!bool off", "is not a boolean")])
def test_an_explicit_tag_is_read_by_the_same_core_schema(tmp_path, value, problem):
    # a tester's probe (session 34): an explicit tag got round the strict reading of plain scalars
    path = tmp_path / "tagged.yml"
    path.write_text(f"code: x\nvalues:\n  grace_days: {value}\n", encoding="utf-8")
    done = _check_data(str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}:3: invalid YAML:" in done.stderr and problem in done.stderr, done.stderr


def test_explicit_tags_on_core_schema_text_still_read():
    data, _ = read_yaml_text("a: !!int 060\nb: !!float 10\nc: !!bool true\nd: !!float 0.25\n")
    assert data == {"a": 60, "b": Decimal("10"), "c": True, "d": Decimal("0.25")} and type(data["b"]) is Decimal


def read_yaml_text(text: str):
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.yml"
        path.write_text(text, encoding="utf-8")
        return read_yaml(path)


@pytest.mark.parametrize("quoted", ["' 10.00'", "'10.00 '"])
def test_a_quoted_number_with_spaces_around_it_is_read(tmp_path, quoted):
    # a reviewer's find (session 34): session 33's ASCII check refused what Decimal() had always read, naming digits
    path = tmp_path / "spaced.yml"
    path.write_text((PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8").replace("\n    value: 10.00\n", f"\n    value: {quoted}\n"),
                    encoding="utf-8")
    assert load_terms(path).tolerance == Decimal("10.00")


@pytest.mark.parametrize("value,cause", [("'1,000'", "commas"), ("'NaN'", "at most one decimal point")])
def test_a_quoted_number_that_is_no_plain_number_names_commas_and_points(tmp_path, value, cause):
    path = tmp_path / "comma.yml"
    path.write_text((PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8").replace("\n    value: 10.00\n", f"\n    value: {value}\n"),
                    encoding="utf-8")
    with pytest.raises(CalculatorInputError) as info:
        load_terms(path)
    assert cause in info.value.allowed and "逗号" in info.value.allowed_zh


def test_a_negative_zero_rate_is_zero_and_a_tiny_exponent_is_refused(tmp_path):
    # a tester's probe (session 34): -0.0 showed as "每期 -0%", and 1e-5000 filled the rate field with 5,000 characters
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    assert "{3: 0.0090," in text
    zero = tmp_path / "zero.yml"
    zero.write_text(text.replace("{3: 0.0090,", "{3: -0.0,"), encoding="utf-8")
    rate = load_terms(zero).installment_rates[3]
    assert rate == 0 and not rate.is_signed() and str(rate) == "0.0"
    tiny = tmp_path / "tiny.yml"
    tiny.write_text(text.replace("{3: 0.0090,", "{3: 1e-5000,"), encoding="utf-8")
    done = _check_data(str(tiny))
    assert done.returncode == 1 and "Traceback" not in done.stderr and "at most 12 decimal places" in done.stderr, done.stderr


def test_a_rate_written_as_a_decimal_percent_is_told_how_to_write_it(tmp_path):
    # a trainer's probe (session 34): "0.72" meant 0.72 % got only the range, with a Decimal repr
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    path = tmp_path / "percent.yml"
    path.write_text(text.replace("{3: 0.0090,", "{3: 0.90,"), encoding="utf-8")
    done = _check_data(str(path))
    assert done.returncode == 1 and "installment_rates.value[3]=0.90 is not allowed" in done.stderr
    assert "0.90 % is written 0.009" in done.stderr and "Decimal(" not in done.stderr, done.stderr


# --- session 34: make check-data PROFILE=folder, names and files, duplicates --------------------------------------------


def test_make_check_data_with_a_folder_of_valid_profiles_passes_and_checks_the_pages_with_each(tmp_path):
    # a tester's probe (session 34): the folder went into HANDBOOK_PROFILE and the exercises read it as one profile
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    (tmp_path / "mybank.yml").write_text(text.replace("code: cmb", "code: mybank"), encoding="utf-8")
    (tmp_path / "other.yml").write_text(text.replace("code: cmb", "code: other"), encoding="utf-8")
    done = subprocess.run(["make", "--no-print-directory", "check-data", f"PROFILE={tmp_path}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert str(tmp_path / "mybank.yml") in done.stdout and str(tmp_path / "other.yml") in done.stdout
    # one profile in the folder that the knowledge base's examples cannot use is named with that profile
    other = text.replace("code: cmb", "code: other")
    start = other.index("value:", other.index("negotiated_max_periods:"))
    (tmp_path / "other.yml").write_text(other[:start] + "value: 24" + other[other.index("\n", start):], encoding="utf-8")
    done = subprocess.run(["make", "--no-print-directory", "check-data", f"PROFILE={tmp_path}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode != 0 and f"(with profile {tmp_path / 'other.yml'})" in done.stderr and "Traceback" not in done.stderr


def test_a_bundled_name_is_looked_up_as_load_terms_looks_it_up_and_each_file_is_checked_once(tmp_path, monkeypatch, capsys):
    # a reviewer's finds (session 34): a broken file named "icbc" in the working folder hid the bundled profile, and the
    # bundled profiles given again as a folder were checked (and reported) twice
    import procedures.__main__ as check

    (tmp_path / "icbc").write_text("code: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert check.check_profile("icbc") is None  # the bundled profile, as load_terms("icbc") reads
    monkeypatch.chdir(ROOT)
    folder = _bundled_copies(tmp_path / "profiles")
    (folder / "cmb.yml").write_text("code: cmb\nissuer: [\n", encoding="utf-8")
    monkeypatch.setattr(check, "PROFILE_DIR", folder)
    assert check.main([str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.count("invalid YAML") == 1, err  # ("cmb" and profiles/cmb.yml are one file: reported once)


def test_a_misspelt_placeholder_in_a_profile_text_is_refused_at_its_line(tmp_path):
    # a trainer's probe (session 34): footer "⟦isuer⟧…" passed check-data, then failed the build in a page with a traceback
    text = (PROFILE_DIR / "cmb.yml").read_text(encoding="utf-8")
    start = text.index("footer:")
    line = text[:start].count("\n") + 1
    path = tmp_path / "token.yml"
    path.write_text(text[:start] + "footer: ⟦isuer⟧数字仅供培训\n" + text[text.index("\n", start) + 1:], encoding="utf-8")
    done = _check_data(str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}:{line}: footer='⟦isuer⟧' is not allowed: a known placeholder" in done.stderr, done.stderr
    path.write_text(text[:start] + "footer: ⟦issuer⟧培训用，违约金 ⟦late_fee_rate⟧、⟦late_fee:3000⟧ 元\n" + text[text.index("\n", start) + 1:],
                    encoding="utf-8")
    assert load_terms(path).footer.startswith("招商银行培训用，违约金 ⟦late_fee_rate⟧")  # (value tokens: filled by the pages)


def test_a_misspelt_value_key_is_named_not_the_whole_entry(tmp_path):
    # a trainer's probe (session 34): daily_rate: {valu: …} printed the whole mapping with its reprs
    path, line = _bad_profile(tmp_path, "  daily_rate:\n    - value: 0.0005\n", "  daily_rate:\n    - valu: 0.0005\n")
    done = _check_data(str(path))
    assert done.returncode == 1 and "values.daily_rate[0].valu='valu' is not allowed: one of the known keys: value, source" in done.stderr
    assert "Decimal(" not in done.stderr and "datetime" not in done.stderr
