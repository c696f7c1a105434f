"""Reader text shows profile values in words, never configuration codes."""

from __future__ import annotations

from calculators.display import CHOICE_NAMES, describe_value
from calculators.terms import FIELD_SPECS


def test_every_coded_choice_has_a_reader_name():
    codes = {c for spec in FIELD_SPECS for c in (spec.choices or ()) if c.isascii()}
    assert codes and codes <= set(CHOICE_NAMES), sorted(codes - set(CHOICE_NAMES))
    for code in codes:
        shown = describe_value(code)
        assert shown != code and not any(ch.isascii() and ch.isalpha() for ch in shown), (code, shown)
