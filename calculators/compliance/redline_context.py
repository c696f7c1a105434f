"""The context judge of the red-line linter: a linear model that reads the words around a rule match.

The rules (``procedures/rules/redlines.yml``) cancel a match by lists of cues: a negation before or after it, a
prohibition or a report heading its clause or sentence, a quotation named as a mention.  Those lists catch the
wordings they list; a writer the project has never read brings new ones (a refusal after the match, "……，我劝住了";
a report head the lists lack).  The judge learns, from the development split of the labelled corpus, what the context
of a match looks like when it is said to a customer and when it is negated, forbidden, reported or quoted:

* training rows are the rule matches the linter examines (:func:`calculators.compliance.redlines.rule_candidates`):
  a match that the rules keep in a violation is a positive row; every match in a compliant utterance, cancelled by
  the rules or not, is a negative row (``tools/train_context.py`` adds the handbook's examples and some contrast rows);
* features (:func:`context_features`) are character 1- to 3-grams of the words before the match (``<``, up to
  :data:`LEFT` characters of its clause), of the words matched (``=``), after it (``>``, up to :data:`RIGHT`
  characters of its clause, and the mark that ends the clause), of the rest of its sentence after that clause (``»``,
  up to :data:`RIGHT` characters), of the sentence that answers it when its sentence is a question (``›``, up to
  :data:`RIGHT` characters: "上门堵人？我们不做这种事。") and of the head of its sentence (2- and 3-grams of its first
  :data:`HEAD` characters: ``^`` when the head is in the match's own clause, ``ˆ`` when it is a heading that ends in a
  colon, "质检记录：……"; the head of an earlier clause is not read, so that a reassurance, "我们不会骗您，下周就去您单位",
  does not read as a negation of the clause after it), and ``#quoted`` when the match lies inside quotation marks;
  digits and Latin letters are folded as for the model;
* :func:`calculators.compliance.redlines.lint` drops a rule finding that the judge scores below its veto, when the
  model does not flag the finding's sentence (its sentence is then scored by the model like any other).

Trained by ``tools/train_linter.py`` (scikit-learn) and exported as JSON (``redline_context.json``, package data);
inference here uses the standard library only, so it also runs in the browser.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import CalculatorInputError
from .redline_text import normalise

__all__ = ["CONTEXT_PATH", "ContextJudge", "context_features", "default_context", "LEFT", "RIGHT", "HEAD"]

CONTEXT_PATH = Path(__file__).with_name("redline_context.json")
#: Characters of the match's clause read before it.
LEFT = 16
#: Characters of the match's clause read after it; as many again of the rest of its sentence, read apart.
RIGHT = 12
#: Characters at the head of its sentence read as the head.
HEAD = 8
#: Where a sentence ends (the context of a match does not cross one, but for the answer to a question).
SENTENCE_ENDS = "。！？!?\n"
#: The marks that end a question: the judge also reads the sentence after one (its answer).
QUESTION_MARKS = "？?"
#: Where a clause ends inside a sentence: the words before and after the match are read within its clause, so that a
#: reassurance in an earlier clause ("我们不会骗您，下周就去您单位找您领导") does not count as a negation of it.
CLAUSE_MARKS = "，,；;：:…"
#: The clause marks after a heading ("质检记录：", "客户："): the head of an earlier clause is read only when it is one.
HEADING_MARKS = "：:"
_STOPS = SENTENCE_ENDS + CLAUSE_MARKS
_OPEN, _CLOSE = "“「『", "”」』"
# (the scans of context_features, run by the regex engine: the first mark of a kind from a position, or everything up to
# and including the last mark of a kind before one)
_FIRST_STOP = re.compile(f"[{re.escape(_STOPS)}]")
_UP_TO_LAST_STOP = re.compile(f"(?s).*[{re.escape(_STOPS)}]")
_FIRST_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_ENDS)}]")
_UP_TO_LAST_SENTENCE_END = re.compile(f"(?s).*[{re.escape(SENTENCE_ENDS)}]")
_FIRST_CLAUSE_MARK = re.compile(f"[{re.escape(CLAUSE_MARKS)}]")


#: The slices that cut a text of each length (up to :data:`_SLICED`) into its n-grams, by n (precomputed: the judge reads
#: short windows, and cutting by a tuple of slices runs at C speed).
_SLICED = 64


def _slices(n: int) -> tuple[tuple[slice, ...], ...]:
    return tuple(tuple(slice(i, i + n) for i in range(length - n + 1)) for length in range(_SLICED + 1))


_SLICES = {n: _slices(n) for n in (1, 2, 3)}


def _grams(prefix: str, text: str, sizes: tuple[int, ...], keys: set[str]) -> None:
    """Add ``prefix`` + each n-gram of ``text`` for n in ``sizes`` to ``keys``.

    >>> keys = set(); _grams("<", "严禁说", (1, 2), keys); sorted(keys)
    ['<严', '<严禁', '<禁', '<禁说', '<说']
    """
    length = len(text)
    if length > _SLICED:
        for n in sizes:
            keys.update(prefix + text[i:i + n] for i in range(length - n + 1))
        return
    cut, add = text.__getitem__, prefix.__add__
    for n in sizes:
        keys.update(map(add, map(cut, _SLICES[n][length])))


def context_features(text: str, start: int, end: int) -> set[str]:
    """The feature keys of the context of the match ``text[start:end]`` (see the module docstring).

    >>> sorted(context_features("严禁说坐牢。", 3, 5))
    ['<严', '<严禁', '<严禁说', '<禁', '<禁说', '<说', '=坐', '=坐牢', '=牢', '>。', '^严禁', '^严禁说', '^禁说']
    >>> sorted(k for k in context_features("坐牢？不存在的。", 0, 2) if k[0] == "›")  # a question's answer
    ['›不', '›不存', '›不存在', '›在', '›在的', '›存', '›存在', '›存在的', '›的']
    >>> text = "我们不会骗您，明天去您单位，我劝住了。"  # the match 去您单位: 不会 is in another clause
    >>> sorted(k for k in context_features(text, 9, 13) if k[0] in "<>»")
    ['<天', '<明', '<明天', '>，', '»了', '»住', '»住了', '»劝', '»劝住', '»劝住了', '»我', '»我劝', '»我劝住']
    >>> "#quoted" in context_features("不要说“坐牢”", 4, 6), "#quoted" in context_features("你要坐牢", 2, 4)
    (True, False)
    """
    length = len(text)
    # (each scan: at most so many characters, up to the first stop mark on the way)
    left = max(0, start - LEFT)
    found = _UP_TO_LAST_STOP.match(text, left, start)
    if found is not None:
        left = found.end()
    right = min(length, end + RIGHT)
    found = _FIRST_STOP.search(text, end, right)
    if found is not None:
        right = found.start()
    keys: set[str] = set()
    _grams("<", normalise(text[left:start]), (1, 2, 3), keys)
    _grams(">", normalise(text[end:right]), (1, 2, 3), keys)
    _grams("=", normalise(text[start:end]), (1, 2, 3), keys)
    asked = -1  # where the match's sentence ends in a question mark, if it does within the windows read
    if right < length and text[right] in _STOPS:
        keys.add(">" + text[right])  # the clause's end mark ("？": a question; "。": a statement)
        if text[right] not in SENTENCE_ENDS:  # the rest of the sentence, read apart ("……，我劝住了")
            after = right + 1
            stop = min(length, after + RIGHT)
            found = _FIRST_SENTENCE_END.search(text, after, stop)
            if found is not None:
                stop = found.start()
            _grams("»", normalise(text[after:stop]), (1, 2, 3), keys)
            if stop < length and text[stop] in QUESTION_MARKS:
                asked = stop
        elif text[right] in QUESTION_MARKS:
            asked = right
    if asked >= 0:  # a question: the sentence that answers it, read apart ("上门堵人？我们不做这种事。")
        after = asked + 1
        while after < length and after - asked <= RIGHT and (text[after] in SENTENCE_ENDS or text[after].isspace()):
            after += 1
        stop = min(length, after + RIGHT)
        found = _FIRST_SENTENCE_END.search(text, after, stop)
        if found is not None:
            stop = found.start()
        _grams("›", normalise(text[after:stop]), (1, 2, 3), keys)
    head = max(0, start - 2 * LEFT)
    found = _UP_TO_LAST_SENTENCE_END.match(text, head, start)
    if found is not None:
        head = found.end()
    # (the head of the match's own clause, or a heading ending in a colon; not an earlier clause: "我们不会骗您，下周就去您
    # 单位" is not negated by its head)
    found = _FIRST_CLAUSE_MARK.search(text, head, start)  # (bounded: 2 * LEFT characters)
    cut = start if found is None else found.start()
    if cut == start or text[cut] in HEADING_MARKS:
        _grams("^" if cut == start else "ˆ", normalise(text[head:min(head + HEAD, start)]), (2, 3), keys)
    before = text[max(head, start - 2 * LEFT):start]  # (within the sentence; bounded: linear time)
    if max(before.rfind(c) for c in _OPEN) > max(before.rfind(c) for c in _CLOSE):
        keys.add("#quoted")
    return keys


@dataclass(frozen=True)
class ContextJudge:
    """Exported weights of the context judge.

    >>> judge = ContextJudge(bias=2.0, weights={"»劝住": -6.0}, veto=0.1)  # (a hand-made judge)
    >>> said, reported = "明天就把你欠钱的事发朋友圈。", "她要把前男友欠钱的事发朋友圈，我劝住了。"
    >>> judge.probability(said, (9, 13)) > 0.5 > judge.veto > judge.probability(reported, (10, 14))
    True
    """

    bias: float
    weights: Mapping[str, float]
    #: A rule finding whose context scores below this probability is dropped (0: never); see ``CONTEXT_COST_LIMIT`` in
    #: ``tools/train_context.py`` (how it is chosen).
    veto: float = 0.0
    #: The veto for the findings of a category, where it is not :attr:`veto` (lower: out of fold, a judge would leave a
    #: development violation with a finding of that red line unflagged).
    category_veto: Mapping[str, float] = field(default_factory=dict)
    #: The veto for the findings that a pattern makes (keyed by its regex as written), where lower than the category's:
    #: one of the handbook's examples that the judge misreads lowers the veto of the patterns that find it only.
    pattern_veto: Mapping[str, float] = field(default_factory=dict)
    info: Mapping[str, Any] = field(default_factory=dict, compare=False)
    _keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_keys", frozenset(self.weights))

    @classmethod
    def from_dict(cls, data: Any) -> "ContextJudge":
        """Read the exported JSON data (raises :class:`CalculatorInputError` on a malformed file)."""
        try:
            judge = cls(bias=float(data["bias"]), weights={str(k): float(v) for k, v in data["weights"].items()},
                        veto=float(data.get("veto", 0.0)),
                        category_veto={str(k): float(v) for k, v in (data.get("category_veto") or {}).items()},
                        pattern_veto={str(k): float(v) for k, v in (data.get("pattern_veto") or {}).items()},
                        info=dict(data.get("info") or {}))
            wrong = [v for v in (judge.veto, *judge.category_veto.values(), *judge.pattern_veto.values()) if not 0.0 <= v < 0.5]
            if wrong:
                raise ValueError(f"a veto must be at least 0 and below 0.5, not {wrong[0]}")
            return judge
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CalculatorInputError("context", type(data).__name__, f"the context judge JSON written by tools/train_linter.py ({exc})",
                                       allowed_zh="tools/train_linter.py 导出的上下文模型文件") from None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (what :meth:`from_dict` reads)."""
        return {"bias": self.bias, "weights": dict(self.weights), "veto": self.veto, "category_veto": dict(self.category_veto),
                "pattern_veto": dict(self.pattern_veto), "info": dict(self.info)}

    def veto_for(self, category: str, patterns: Sequence[str] = ()) -> float:
        """The veto for a rule finding of ``category`` made by ``patterns`` (their regexes as written): the lowest of its
        category's (:attr:`category_veto`, else :attr:`veto`) and the :attr:`pattern_veto` of those that have one.

        >>> ContextJudge(0.0, {}, 0.1, {"insult": 0.02}).veto_for("insult"), ContextJudge(0.0, {}, 0.1).veto_for("threat")
        (0.02, 0.1)
        >>> judge = ContextJudge(0.0, {}, 0.3, pattern_veto={"坐牢": 0.05})
        >>> judge.veto_for("exaggerated-legal"), judge.veto_for("exaggerated-legal", ["坐牢", "蹲监狱"])
        (0.3, 0.05)
        """
        default = self.category_veto.get(category, self.veto)
        if not self.pattern_veto or not patterns:
            return default
        return min(default, *(self.pattern_veto.get(pattern, default) for pattern in patterns))

    def probability(self, text: str, span: tuple[int, int]) -> float:
        """The probability that the rule match at ``span`` in ``text`` is said to a customer (not negated, forbidden,
        reported or quoted), from its context alone."""
        keys = context_features(text, *span) & self._keys
        # summed exactly (math.fsum) in a fixed order, so the hash seed cannot change the last bits
        score = math.fsum([self.bias, *(self.weights[key] for key in sorted(keys))])
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, score))))


_DEFAULT: list[ContextJudge | None] = []


def default_context() -> ContextJudge | None:
    """The judge shipped with the package (``redline_context.json``), loaded once; None if the package has none.

    >>> judge = default_context()
    >>> judge is default_context() and 0 < judge.veto < 0.5
    True
    """
    if not _DEFAULT:
        _DEFAULT.append(ContextJudge.from_dict(json.loads(CONTEXT_PATH.read_text(encoding="utf-8")))
                        if CONTEXT_PATH.exists() else None)
    return _DEFAULT[0]
