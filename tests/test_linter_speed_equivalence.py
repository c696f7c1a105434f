"""The linter's fast paths find exactly what the plain per-pattern scanners find (no timing here: speed is measured by
``bench/bench_linter.py``)."""

from __future__ import annotations

import math
import random

import pytest

from calculators.compliance import redlines as redlines_module
from calculators.compliance.redline_model import default_model, feature_set, windows
from calculators.compliance.redline_text import TextIndex
from calculators.compliance.redlines import (_SCANNER_FIRST, _Cues, _alternatives, _dispatch, _pieces, _scan, _scanner,
                                             _scoped_clauses, _scoped_pieces, clause_view)
from procedures.rules import redlines
from tools.linter_corpus import load


def _texts() -> list[str]:
    items = [item.text for item in load()]
    rng = random.Random(11)
    joined = ["".join(rng.sample(items, 40)) for _ in range(20)]
    bare = ["".join(c for c in text if c not in "，。！？；：、“”‘’（）,.!?;:\n… ") for text in joined]
    return items + joined + bare


def _plain(text: str, scanners) -> set[tuple[int, int, int]]:
    return {(k, *m.span(1)) for k, s in enumerate(scanners) for m in s.finditer(text) if m.start(1) != m.end(1)}


@pytest.fixture
def every_text_through_the_plan(monkeypatch):
    """Short texts too are scanned by the per-character plan (normally only texts of at least _DISPATCH_TEXT characters)."""
    monkeypatch.setattr(redlines_module, "_DISPATCH_TEXT", 0)


def test_the_scan_plan_finds_what_each_pattern_finds(every_text_through_the_plan):
    scanners = [p.scanner for category in redlines().categories for p in category.patterns]
    plan = _dispatch(tuple(s.pattern for s in scanners))
    # the fast path is in use: most patterns join the per-character scanners, some of them cut into pieces
    assert plan.table and plan.split and len(plan.alone) < len(scanners) // 4
    # and texts where one sentence comes again and again: a character occurs, and matches, far more often than the
    # scanner tries it one occurrence at a time (redlines._FIND_FIRST)
    items = load()
    repeated = [item.text * 40 for item in random.Random(5).sample([item for item in items if item.violation], 30)]
    for text in _texts() + repeated:
        found = _scan(text, scanners)
        assert len(found) == len(set(found)) and set(found) == _plain(text, scanners), text[:40]


def test_a_pattern_cut_into_pieces_matches_its_first_alternative(every_text_through_the_plan):
    # more than _DISPATCH_LIMIT first characters: cut into pieces; at "一二三" the first alternative ("一") wins, as in
    # the regex itself, although a later piece ("一二三") matches longer there
    scanners = [_scanner("一|二|三|四|五|六|七|八|九|十|百|一二三"), _scanner("(?<!不)(一|二|三|四|五|六|七|八|九|十|百|千)(万|块)")]
    plan = _dispatch(tuple(s.pattern for s in scanners))
    assert plan.split == {0, 1} and not plan.alone
    for text in ("一二三", "不一万，五块", "百万" * 10, "千块不一块"):
        assert sorted(_scan(text, scanners)) == sorted(_plain(text, scanners)), text
    assert sorted(_scan("一二三", scanners)) == [(0, 0, 1), (0, 1, 2), (0, 2, 3)]


def test_alternatives_keep_lookarounds_and_what_follows():
    assert _alternatives("(?<![院庭])(找|去)(你|您)家") == ["(?<![院庭])(?:找)(你|您)家", "(?<![院庭])(?:去)(你|您)家"]
    assert _alternatives(r"[|(](a|b)") is None  # a class first: not a group
    assert _alternatives("(a|b)+c") is None and _alternatives("(?P<x>a|b)c") is None
    assert _alternatives(r"a\|b") is None and _alternatives("a|(b|c)") == ["a", "(b|c)"]
    assert _pieces(".{0,2}找") is None  # a piece that could start anywhere: the pattern is scanned whole


def test_scanners_whose_first_characters_are_absent_find_nothing():
    patterns = [p for category in redlines().categories for p in category.patterns]
    for text in _texts()[:300]:
        present = set(text)
        for p in patterns:
            known = _SCANNER_FIRST.get(p.scanner.pattern)
            if known is not None and present.isdisjoint(known[0]):
                assert next(p.scanner.finditer(text), None) is None


def _scoped_by_piece(text: str, rules) -> list[tuple[int, int]]:
    """The scoped clauses as the per-piece definition gives them (_scoped_pieces over the whole text)."""
    index, cues, spans, position = TextIndex(text, rules.clause_delimiters), _Cues(rules), [], 0
    for piece, scoped in _scoped_pieces(index, 0, len(text), rules, cues):
        if scoped:
            spans.append((position, position + len(piece)))
        position += len(piece)
    return spans


def test_the_scoped_clauses_are_those_of_the_piece_by_piece_definition():
    rules = redlines()
    texts = _texts()
    # texts with scopes of every kind (a prohibition heading a clause, a list, a customer's turn, a quiz, a sanction)
    scoped_somewhere = 0
    for text in texts:
        view = clause_view(text, rules)
        fast = _scoped_clauses(TextIndex(view, rules.clause_delimiters), rules, _Cues(rules))
        assert fast == _scoped_by_piece(view, rules), text[:40]
        scoped_somewhere += bool(fast)
    assert scoped_somewhere > len(texts) // 10


def test_the_model_builds_every_key_it_weighs_and_scores_as_with_every_key():
    """The model builds only the ``~`` keys it weighs (``negated``) and looks up only keys with a weight: every key with a
    weight or a category weight is still there, and each window scores exactly as with every feature key."""
    model = default_model()
    weighed = set(model.weights) | set(model.category_weights)
    long_words = {word for words in model._long_heads.values() for word in words}
    negation = model._negation
    windows_seen = 0
    for text in _texts():
        prepared = model.prepare(text)
        for start, _, scored in windows(text):
            segment = prepared[start:scored]
            keys = model._keys(segment)
            every = feature_set(segment, negation if negation.search(segment) else None)
            every |= {word for word in long_words if word in segment}
            assert keys <= every and every & weighed <= keys, segment
            score = math.fsum([model.bias, *filter(None, map(model.weights.get, every))])
            assert model._probability(keys) == 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, score)))), segment
            windows_seen += 1
    assert windows_seen > 20_000


def _reference_context_features(text: str, start: int, end: int) -> set[str]:
    """context_features as first written (character by character), the definition the faster scans must keep."""
    from calculators.compliance.redline_context import CLAUSE_MARKS, HEAD, HEADING_MARKS, LEFT, QUESTION_MARKS, RIGHT, SENTENCE_ENDS
    from calculators.compliance.redline_text import normalise

    stops, keys = SENTENCE_ENDS + CLAUSE_MARKS, set()

    def grams(prefix, piece, sizes):
        for n in sizes:
            keys.update(prefix + piece[i:i + n] for i in range(len(piece) - n + 1))

    left = start
    while left > 0 and start - left < LEFT and text[left - 1] not in stops:
        left -= 1
    right = end
    while right < len(text) and right - end < RIGHT and text[right] not in stops:
        right += 1
    grams("<", normalise(text[left:start]), (1, 2, 3))
    grams(">", normalise(text[end:right]), (1, 2, 3))
    grams("=", normalise(text[start:end]), (1, 2, 3))
    asked = -1
    if right < len(text) and text[right] in stops:
        keys.add(">" + text[right])
        if text[right] not in SENTENCE_ENDS:
            after = stop = right + 1
            while stop < len(text) and stop - after < RIGHT and text[stop] not in SENTENCE_ENDS:
                stop += 1
            grams("»", normalise(text[after:stop]), (1, 2, 3))
            if stop < len(text) and text[stop] in QUESTION_MARKS:
                asked = stop
        elif text[right] in QUESTION_MARKS:
            asked = right
    if asked >= 0:
        after = asked + 1
        while after < len(text) and after - asked <= RIGHT and (text[after] in SENTENCE_ENDS or text[after].isspace()):
            after += 1
        stop = after
        while stop < len(text) and stop - after < RIGHT and text[stop] not in SENTENCE_ENDS:
            stop += 1
        grams("›", normalise(text[after:stop]), (1, 2, 3))
    head = start
    while head > 0 and start - head < 2 * LEFT and text[head - 1] not in SENTENCE_ENDS:
        head -= 1
    cut = next((k for k in range(head, start) if text[k] in CLAUSE_MARKS), start)
    if cut == start or text[cut] in HEADING_MARKS:
        grams("^" if cut == start else "ˆ", normalise(text[head:min(head + HEAD, start)]), (2, 3))
    before = text[max(head, start - 2 * LEFT):start]
    if max(before.rfind(c) for c in "“「『") > max(before.rfind(c) for c in "”」』"):
        keys.add("#quoted")
    return keys


def test_the_context_judge_reads_every_match_as_the_character_by_character_definition():
    from calculators.compliance.redline_context import context_features
    from calculators.compliance.redlines import rule_candidates

    rules = redlines()
    rng = random.Random(3)
    marks = "。！？!?\n，,；;：:…“”「」 、"
    shuffled = ["".join(rng.choice(marks) if rng.random() < 0.3 else c for c in text) for text in _texts()[:400]]
    checked = 0
    for text in _texts() + shuffled:
        spans = {(start, end) for start, end, _ in rule_candidates(text, rules)}
        spans |= {(k, min(len(text), k + rng.randint(1, 70))) for k in rng.sample(range(len(text)), min(3, len(text)))}
        for start, end in spans:  # (and spans anywhere, of any length: words at the text's ends, longer than the windows)
            assert context_features(text, start, end) == _reference_context_features(text, start, end), (text, start, end)
            checked += 1
    assert checked > 5000
