"""Text helpers shared by the red-line linter's rules and its model: clauses, quotations, negation.

Everything here is linear in the length of the text (one pass to index it,
then binary search per question), so that long unpunctuated text is as fast
as short sentences.  Standard library only (runs in the browser).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Iterable, Sequence

from .redline_hant import SIMPLIFIED, TRADITIONAL

__all__ = ["QUOTE_PAIRS", "TextIndex", "alternation", "contains_any", "fold_traditional", "last_between", "mask_mentions", "normalise", "presence"]

#: Opening quotation marks and their closing marks (straight ASCII quotes toggle).
QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》"}
#: Quotation marks; a straight single quote counts only where it is no apostrophe (not between two Latin letters:
#: "don't"), so that '废物' written with ASCII quotes is a quotation too.
_QUOTE_CHARS = re.compile("[" + re.escape("".join(QUOTE_PAIRS) + "".join(QUOTE_PAIRS.values()) + "\"'") + "]")
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


#: Digits, ASCII and full-width (:func:`normalise` folds them to ``0``; a regex, not ``str.translate``, which raises and
#: catches a KeyError for every character it leaves alone).
_DIGITS = re.compile("[0-9０-９]")


#: Traditional characters (:mod:`calculators.compliance.redline_hant`), each read as its simplified form.
_HANT = dict(zip(TRADITIONAL, SIMPLIFIED, strict=True))
_HANT_CHARS = re.compile("[" + re.escape(TRADITIONAL) + "]")


def fold_traditional(text: str) -> str:
    """``text`` with traditional characters read as simplified, one character for one (spans stay valid), so that
    rules and a model written in simplified characters read ``唔會打去你公司`` as ``唔会打去你公司``.

    >>> fold_traditional("唔會打去你公司，還錢啦")
    '唔会打去你公司，还钱啦'
    >>> fold_traditional("我们不会上门")  # (simplified text is left as it is)
    '我们不会上门'
    """
    return _HANT_CHARS.sub(lambda found: _HANT[found.group()], text)  # (one scan; no match: the same string back)


def normalise(text: str) -> str:
    """Fold digits to ``0`` and Latin letters to lower case (same length: spans stay valid).

    >>> normalise("交 500 元给HR")
    '交 000 元给hr'
    """
    return _DIGITS.sub("0", text).lower()


def _rests_by_first_char(words: Iterable[str]) -> list[tuple[str, set[str]]]:
    """(first character, the rests of the words that start with it), in character order; the rest of a one-character
    word is ``""`` (shared by :func:`alternation` and :func:`presence`)."""
    rests: dict[str, set[str]] = {}
    for word in set(words):
        rests.setdefault(word[:1], set()).add(word[1:])
    return sorted(rests.items())


@lru_cache(maxsize=64)
def alternation(words: tuple[str, ...]) -> re.Pattern | None:
    """One compiled regex that finds any of ``words`` (longest first), or ``None`` for no words.

    >>> alternation(("不", "不会")).search("我们不会").group(), alternation(())
    ('不会', None)
    """
    if not words:
        return None
    # the words grouped by their first character, each group's rests longest first: at each position the engine tries
    # only the group of the character there, and still finds the longest word that starts at the leftmost position
    # (the same matches as one alternation of all the words, longest first; two to three times faster on long cue lists)
    branches = []
    for first, tails in _rests_by_first_char(words):
        longer = "|".join(re.escape(t) for t in sorted(tails - {""}, key=lambda t: (-len(t), t)))
        if not longer:
            branches.append(re.escape(first))
        else:
            branches.append(re.escape(first) + "(?:" + longer + ")" + ("?" if "" in tails else ""))
    return re.compile("|".join(branches))


@lru_cache(maxsize=64)
def presence(words: tuple[str, ...]) -> re.Pattern | None:
    """A regex that finds *whether* one of ``words`` occurs (not which, nor where the longest starts): the words grouped
    by their first character, so that the engine tries only the words that start with the character at hand.

    >>> [bool(presence(("不会", "没有", "勿")).search(t)) for t in ("我们不会上门", "没空", "请勿", "")], presence(())
    ([True, False, True, False], None)
    """
    if not words:
        return None
    branches = []
    for first, tails in _rests_by_first_char(words):
        if "" in tails:  # the first character alone is a word: the longer ones add nothing to presence
            branches.append(re.escape(first))
        else:
            branches.append(re.escape(first) + "(?:" + "|".join(re.escape(t) for t in sorted(tails)) + ")")
    return re.compile("|".join(branches))


@lru_cache(maxsize=64)
def char_class(chars: str) -> re.Pattern:
    return re.compile("[" + re.escape(chars) + "]")


def contains_any(text: str, words: Iterable[str]) -> bool:
    """True if ``text`` contains one of ``words``.

    >>> contains_any("我们不会上门", ["不会", "没有"]), contains_any("上门", ["不会"])
    (True, False)
    """
    pattern = alternation(tuple(words))
    return pattern is not None and pattern.search(text) is not None


def last_between(positions: Sequence[int], low: int, high: int) -> int:
    """The last of the sorted ``positions`` in ``[low, high)``, or -1 (binary search).

    >>> last_between([2, 5, 9], 0, 9), last_between([2, 5, 9], 6, 9), last_between([], 0, 3)
    (5, -1, -1)
    """
    before = bisect_left(positions, high)
    return positions[before - 1] if before and positions[before - 1] >= low else -1


def first_at_or_after(positions: Sequence[int], low: int) -> int:
    """The index in the sorted ``positions`` of the first one at or after ``low`` (``len(positions)`` if none).

    >>> first_at_or_after([2, 5, 9], 5), first_at_or_after([2, 5, 9], 6), first_at_or_after([2, 5, 9], 10)
    (1, 2, 3)
    """
    return bisect_left(positions, low)


class TextIndex:
    """Clause boundaries and quotations of one text, indexed once.

    >>> index = TextIndex("你说“黑名单”吗？没有。", "，。？")
    >>> index.clause(3, 6)
    (0, 8)
    >>> index.quote_around(3, 6)
    (2, 6)
    >>> index.next_clause_end(8)
    11
    >>> TextIndex("严禁说'废物'这类词，don't。", "，。").quotes
    [(3, 6)]
    """

    def __init__(self, text: str, delimiters: str) -> None:
        self.text = text
        self.cuts = [m.start() for m in char_class(delimiters).finditer(text)] if delimiters else []
        self.quotes = self._quotes(text)
        self._quote_starts = [q[0] for q in self.quotes]

    @staticmethod
    def _quotes(text: str) -> list[tuple[int, int]]:
        """(open, close) positions of balanced, non-nested quotations, in order."""
        spans: list[tuple[int, int]] = []
        opened: int | None = None
        closer = ""
        for found in _QUOTE_CHARS.finditer(text):
            i, char = found.start(), found.group()
            if char == "'" and 0 < i < len(text) - 1 and text[i - 1] in _LATIN and text[i + 1] in _LATIN:
                continue  # an apostrophe ("don't")
            if opened is None:
                if char in QUOTE_PAIRS:
                    opened, closer = i, QUOTE_PAIRS[char]
                elif char in "\"'":
                    opened, closer = i, char
            elif char == closer:
                spans.append((opened, i))
                opened = None
            elif i - opened > 200:  # an unclosed quotation mark does not swallow the rest of the text
                opened = None
        return spans

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause around ``text[start:end]``: from after the previous delimiter to the next one."""
        before = bisect_left(self.cuts, start)
        clause_start = self.cuts[before - 1] + 1 if before else 0
        after = bisect_left(self.cuts, end)
        clause_end = self.cuts[after] if after < len(self.cuts) else len(self.text)
        return clause_start, clause_end

    def next_clause_end(self, position: int) -> int:
        """The end of the clause that starts after the delimiter at ``position``."""
        after = bisect_right(self.cuts, position)
        return self.cuts[after] if after < len(self.cuts) else len(self.text)

    def first_quote_reaching(self, position: int) -> int:
        """The index in :attr:`quotes` of the first quotation that may reach ``position`` or lie after it (quotations do
        not nest: only the last one opened at or before ``position`` can reach into it).

        >>> TextIndex("“甲”和“乙”", "，").first_quote_reaching(4)
        1
        """
        return max(0, bisect_right(self._quote_starts, position) - 1)

    def quote_around(self, start: int, end: int) -> tuple[int, int] | None:
        """The quotation (open, close) that contains ``text[start:end]``, if any."""
        i = bisect_right(self._quote_starts, start) - 1
        if i >= 0:
            open_at, close_at = self.quotes[i]
            if open_at < start and end <= close_at:
                return open_at, close_at
        return None

    def quotes_overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The quotations (at most two are checked: the one at ``start`` and the last one before ``end``)
        that overlap ``text[start:end]``."""
        found = []
        for i in {bisect_right(self._quote_starts, start) - 1, bisect_left(self._quote_starts, end) - 1}:
            if i >= 0:
                open_at, close_at = self.quotes[i]
                if open_at < end and start <= close_at:
                    found.append((open_at, close_at))
        return found

    def is_mention(self, quote: tuple[int, int], before_cues: Sequence[str], after_cues: Sequence[str], reach: int = 12,
                   prescriptive: Sequence[str] = ()) -> bool:
        """A quotation that is talked about (a training example, a report, a rule), not said to the customer:
        a cue such as “不要说” just before it or “属于” just after it, and none that hands it to staff as a line to say
        (``prescriptive``: “就说”, “可以直接说”)."""
        open_at, close_at = quote
        lead = self.text[max(0, open_at - reach):open_at]
        if prescriptive and contains_any(lead, prescriptive):
            return False
        return contains_any(lead, before_cues) or contains_any(self.text[close_at + 1:close_at + 1 + reach], after_cues)


def mask_mentions(text: str, delimiters: str, before_cues: Sequence[str], after_cues: Sequence[str],
                  prescriptive: Sequence[str] = ()) -> str:
    """``text`` with every quoted mention's content replaced by ``…`` (same length, so spans still match); a quotation
    that a ``prescriptive`` cue hands to staff as a line to say is kept.

    >>> mask_mentions("不要说“你就是老赖”，要礼貌。", "，。", ["不要说"], [])
    '不要说“……………”，要礼貌。'
    >>> mask_mentions("可以直接说“你就是老赖”。", "，。", ["说"], [], ["直接说"])
    '可以直接说“你就是老赖”。'
    """
    index = TextIndex(text, "")  # quotations only: the clause cuts are not needed here
    parts: list[str] = []
    last = 0
    for quote in index.quotes:
        if index.is_mention(quote, before_cues, after_cues, prescriptive=prescriptive):
            parts.append(text[last:quote[0] + 1])
            parts.append("…" * (quote[1] - quote[0] - 1))
            last = quote[1]
    parts.append(text[last:])
    return "".join(parts)
