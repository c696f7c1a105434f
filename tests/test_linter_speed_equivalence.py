"""The linter's fast paths find exactly what the plain per-pattern scanners find (no timing here: speed is measured by
``bench/bench_linter.py``)."""

from __future__ import annotations

import random

from calculators.compliance.redlines import _SCANNER_FIRST, _dispatch
from procedures.rules import redlines
from tools.linter_corpus import load


def _texts() -> list[str]:
    items = [item.text for item in load()]
    rng = random.Random(11)
    joined = ["".join(rng.sample(items, 40)) for _ in range(20)]
    bare = ["".join(c for c in text if c not in "，。！？；：、“”‘’（）,.!?;:\n… ") for text in joined]
    return items + joined + bare


def _plain(text: str, patterns) -> set[tuple[int, int, int]]:
    return {(k, *m.span(1)) for k, p in enumerate(patterns) for m in p.scanner.finditer(text) if m.start(1) != m.end(1)}


def _dispatched(text: str, patterns) -> set[tuple[int, int, int]]:
    table, alone = _dispatch(tuple(p.scanner.pattern for p in patterns))
    found = {(k, *m.span(1)) for k in alone for m in patterns[k].scanner.finditer(text) if m.start(1) != m.end(1)}
    for char in set(text).intersection(table):
        regex, groups = table[char].compiled()
        for match in regex.finditer(text):
            found.update((k, *match.span(g)) for k, g in groups if match.start(g) != match.end(g))
    return found


def test_per_character_scanners_find_what_each_pattern_finds():
    patterns = [p for category in redlines().categories for p in category.patterns]
    table, alone = _dispatch(tuple(p.scanner.pattern for p in patterns))
    assert table and len(alone) < len(patterns)  # the fast path is in use
    for text in _texts():
        assert _dispatched(text, patterns) == _plain(text, patterns), text[:40]


def test_scanners_whose_first_characters_are_absent_find_nothing():
    patterns = [p for category in redlines().categories for p in category.patterns]
    for text in _texts()[:300]:
        present = set(text)
        for p in patterns:
            known = _SCANNER_FIRST.get(p.scanner.pattern)
            if known is not None and present.isdisjoint(known[0]):
                assert next(p.scanner.finditer(text), None) is None

