"""The statistical layer of the red-line linter: a linear model over character n-grams and words.

The model is trained by ``tools/train_linter.py`` (scikit-learn, logistic
regression) on the development split of the labelled corpus in
``tests/data/linter-corpus/`` and exported as JSON (``redline_model.json``, package
data; the category namer below in ``redline_categories.json``, so that each file stays small).  Inference here uses the standard library only, so it runs in the
browser too, and it needs no word segmenter: every feature is a substring.

Features of one segment (a sentence, or a piece of at most :data:`MAX_SEGMENT`
characters of a long one; a question is scored with the sentence after it, :func:`windows`), each present or absent:

* character 1- to 3-grams (digits folded to ``0``, Latin letters lower-cased);
* words of 2 to 4 characters that jieba found in the training corpus (at
  inference a word is present when it occurs as a substring; the exported
  weight of a substring is the sum of its n-gram and word weights);
* ``~`` + each 2- or 3-gram of a clause that contains a negation cue, so
  that "不会上门" can weigh differently from "上门";
* ``#mention`` when the segment contains a quoted mention (blanked, see below).

Quoted mentions (“不要说‘…’”, “‘…’属于违规”) are blanked before scoring, the
same way during training.  A segment scores ``bias + sum(weights)``; it is
flagged "可能越线，需复核" when the logistic of that score reaches the
exported threshold, with the substrings that pushed it there as the reason.
A second linear model (one score per category) names the likely category.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from ..errors import CalculatorInputError
from .redline_context import ContextJudge, default_context
from .redline_text import alternation, char_class, mask_mentions, normalise, presence

__all__ = ["MAX_SEGMENT", "MODEL_PATH", "CATEGORIES_PATH", "CATEGORY_FIELDS", "LintModel",
           "ModelFlag", "normalise", "PUNCTUATION", "segments", "windows", "feature_set", "segment_features", "default_model"]

MODEL_PATH = Path(__file__).with_name("redline_model.json")
#: The category namer's part of the exported model (:data:`CATEGORY_FIELDS`), shipped beside :data:`MODEL_PATH`.
CATEGORIES_PATH = Path(__file__).with_name("redline_categories.json")
#: The fields of :meth:`LintModel.to_dict` that ``tools/train_linter.py`` writes to :data:`CATEGORIES_PATH`.
CATEGORY_FIELDS = ("categories", "category_bias", "category_weights")
#: Longest piece of text scored at once (long unpunctuated text is cut into pieces of this size).
MAX_SEGMENT = 60
_SENTENCE_END = "。！？!?\n；;…"
_SEGMENT = re.compile(f"[^{_SENTENCE_END}]{{0,{MAX_SEGMENT - 1}}}[{_SENTENCE_END}]|[^{_SENTENCE_END}]{{1,{MAX_SEGMENT}}}")
#: Where n-grams are cut: punctuation, quotation marks, brackets and spaces.
PUNCTUATION = re.compile(r"[\s，。！？；：,.!?;:…“”‘’「」『』（）()、《》\"'—\-/]+")
#: Structural feature: the segment talks about a quotation (a quoted mention, blanked to ``…`` by
#: :func:`~calculators.compliance.redline_text.mask_mentions` before featurising, in training and at inference).
MENTION_KEY = "#mention"
_MENTION = re.compile("[“「『‘《\"']…+[”」』’》\"']")


def segments(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the sentences of ``text``, long ones cut into pieces of at most :data:`MAX_SEGMENT` characters.

    >>> list(segments("您好。请问是本人吗？"))
    [(0, 3), (3, 10)]
    >>> [e - s for s, e in segments("啊" * 130)]
    [60, 60, 10]
    """
    for match in _SEGMENT.finditer(text):
        if match.group().strip():
            yield match.span()


def windows(text: str) -> Iterator[tuple[int, int, int]]:
    """Each segment of ``text`` (:func:`segments`) as (start, end, scored end): the text the model scores for it runs
    from ``start`` to ``scored end``.  A question is scored with the segment after it, its answer ("让您父母替您还？没有
    这个道理。" reads as compliant; the answer is also scored on its own), every other segment on its own.

    >>> list(windows("找您家人？不会的。您放心。"))
    [(0, 5, 9), (5, 9, 9), (9, 13, 13)]
    """
    spans = list(segments(text))
    for k, (start, end) in enumerate(spans):
        questioned = k + 1 < len(spans) and text[start:end].rstrip()[-1:] in ("？", "?")
        yield start, end, spans[k + 1][1] if questioned else end


#: Pieces up to this length are cut into n-grams by the precomputed slices below (a segment is at most MAX_SEGMENT long).
_SLICED = 128
#: The slices that cut a piece of each length into its 2-grams and its 3-grams (by length: no tuple is cut per piece).
_PAIRS = ((), (), *(tuple(slice(i, i + 2) for i in range(n - 1)) for n in range(2, _SLICED + 1)))
_TRIPLES = ((), (), *(tuple(slice(i, i + 3) for i in range(n - 2)) for n in range(2, _SLICED + 1)))


def feature_set(segment: str, negation: "re.Pattern | None", clause_marks: "re.Pattern | None" = None, max_word: int = 3,
                negated: Mapping[str, str] | None = None) -> set[str]:
    """The set of feature keys of one segment, built at C speed.

    The segment is cut at punctuation and spaces first (no n-gram spans punctuation); ``~`` n-grams come from
    the pieces that contain a negation cue.  (``clause_marks`` is accepted for compatibility; the cut is
    :data:`PUNCTUATION`.)  Lengths 1 to 3; longer words are looked up by :class:`LintModel` itself.  ``negated``, if
    given, maps each n-gram whose ``~`` key is wanted to that key: the ``~`` keys are then only those (a model passes
    the ones it weighs, and is spared building the others).

    >>> from calculators.compliance.redline_text import alternation
    >>> sorted(feature_set("不会上门。好", alternation(("不会",))))
    ['~上门', '~不会', '~不会上', '~会上', '~会上门', '上', '上门', '不', '不会', '不会上', '会', '会上', '会上门', '好', '门']
    >>> sorted(feature_set("别说“……”", None))
    ['#mention', '别', '别说', '说']
    >>> sorted(k for k in feature_set("不会上门。好", alternation(("不会",)), negated={"上门": "~上门"}) if k[0] == "~")
    ['~上门']
    """
    keys: set[str] = set()
    if "…" in segment and _MENTION.search(segment):  # (a blanked mention holds "…")
        keys.add(MENTION_KEY)
    add = keys.update
    # (the keys are added in the same order as always, 1-, 2-, 3-grams piece by piece, so that the set, and the order
    # in which the model sums its weights and ranks its drivers, is the same however the n-grams are cut)
    for piece in PUNCTUATION.split(segment):
        n = len(piece)
        if n < 2:
            if n:
                keys.add(piece)
            continue
        add(piece)
        if n > _SLICED:
            pairs = [piece[i:i + 2] for i in range(n - 1)]
            triples = [piece[i:i + 3] for i in range(n - 2)]
        elif negation is None:  # (no ~ n-grams: the n-grams go straight into the set)
            cut = piece.__getitem__
            add(map(cut, _PAIRS[n]))
            add(map(cut, _TRIPLES[n]))
            continue
        else:  # (the same n-grams, cut by precomputed slices: faster than building each slice)
            cut = piece.__getitem__
            pairs = list(map(cut, _PAIRS[n]))
            triples = list(map(cut, _TRIPLES[n]))
        add(pairs)
        add(triples)
        if negation is not None and negation.search(piece):
            if negated is None:
                add(["~" + pair for pair in pairs])
                add(["~" + triple for triple in triples])
            else:
                wanted = negated.get
                add(filter(None, map(wanted, pairs)))
                add(filter(None, map(wanted, triples)))
    return keys


def segment_features(segment: str, negations: Sequence[str], clause_marks: str, max_word: int = 4) -> set[str]:
    """Every feature key of one (normalised, mention-masked) segment.

    >>> sorted(segment_features("不会上门", ["不会"], "，"))
    ['~上门', '~不会', '~不会上', '~会上', '~会上门', '上', '上门', '不', '不会', '不会上', '会', '会上', '会上门', '门']
    """
    return feature_set(segment, alternation(tuple(negations)), char_class(clause_marks), max_word)


@dataclass(frozen=True)
class ModelFlag:
    """A segment the model flags: span, probability, likely category and the substrings that drove it."""

    span: tuple[int, int]
    probability: float
    category: str
    drivers: tuple[str, ...]


@dataclass(frozen=True)
class LintModel:
    """Exported weights of the linter model (see the module docstring).

    >>> model = default_model()
    >>> model.probability("今晚十点我们到你家门口等你。") > model.threshold
    True
    >>> model.probability("您好，请问是陈先生本人吗？") < model.threshold
    True
    """

    bias: float
    threshold: float
    weights: Mapping[str, float]
    categories: tuple[str, ...]
    category_bias: tuple[float, ...]
    category_weights: Mapping[str, tuple[tuple[int, float], ...]]
    negations: tuple[str, ...]
    mention_before: tuple[str, ...]
    mention_after: tuple[str, ...]
    clause_marks: str
    max_word: int
    info: Mapping[str, Any] = field(default_factory=dict, compare=False)
    #: A rule finding all of whose sentences the model scores below this probability is dropped (0: never); see
    #: :meth:`vetoed` and ``RULE_VETO`` in ``tools/train_linter.py``.
    veto: float = 0.0
    #: The veto for the findings of a category, where it is not :attr:`veto` (lower: the handbook's own examples of that
    #: red line need it; ``choose_veto`` in ``tools/train_linter.py``).
    category_veto: Mapping[str, float] = field(default_factory=dict)
    #: The veto for the findings of a rule pattern (by its regex as written), lower than its category's: a known violation
    #: that the pattern finds needs it (``choose_veto`` in ``tools/train_linter.py``); a finding takes the lowest of its
    #: category's veto and the vetoes of the patterns that made it (a pattern's veto never raises it).
    pattern_veto: Mapping[str, float] = field(default_factory=dict)
    #: Cues that hand a quotation to staff as a line to say: such a quotation is not blanked as a mention.
    prescriptive_before: tuple[str, ...] = ()
    #: The context judge (:class:`calculators.compliance.redline_context.ContextJudge`), or None: a rule finding whose
    #: context it scores below its veto is dropped (see :func:`calculators.compliance.redlines.lint`).
    context: ContextJudge | None = None
    _weight_keys: frozenset = field(init=False, repr=False, compare=False)
    _category_keys: frozenset = field(init=False, repr=False, compare=False)
    _category_vectors: dict = field(init=False, repr=False, compare=False)
    _long_heads: dict = field(init=False, repr=False, compare=False)
    _negation: Any = field(init=False, repr=False, compare=False)
    _negated: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_weight_keys", frozenset(self.weights))
        object.__setattr__(self, "_category_keys", frozenset(self.category_weights))
        # each key's weight for each category it weighs, as (category index, weight): a category's score is one exact sum
        # (a category listed twice for a key weighs their sum, as it always has)
        vectors: dict[str, tuple[tuple[int, float], ...]] = {}
        for key, pairs in self.category_weights.items():
            dense = [0.0] * len(self.categories)
            for index, weight in pairs:
                dense[index] += weight
            vectors[key] = tuple((index, weight) for index, weight in enumerate(dense) if weight)
        object.__setattr__(self, "_category_vectors", vectors)
        object.__setattr__(self, "_negation", presence(tuple(self.negations)))
        # the ``~`` keys that weigh something, by their n-gram (feature_set builds only these: the others add nothing)
        negated = {key[1:]: key for key in (*self.weights, *self.category_weights) if key.startswith("~")}
        object.__setattr__(self, "_negated", negated)
        # words longer than 3 characters are looked up as words, not as every 4-character substring
        long_words = sorted({k for k in (*self.weights, *self.category_weights) if len(k) > 3 and not k.startswith(("~", "#"))})
        # a long word is looked up only where its first three characters are an n-gram of the segment; one with
        # punctuation in them (no n-gram spans punctuation) is always looked up
        heads: dict[str, tuple[str, ...]] = {}
        for word in long_words:
            head = "" if PUNCTUATION.search(word[:3]) else word[:3]
            heads[head] = heads.get(head, ()) + (word,)
        object.__setattr__(self, "_long_heads", heads)

    @classmethod
    def from_dict(cls, data: Any) -> "LintModel":
        """Read the exported JSON data (raises :class:`CalculatorInputError` on a malformed file)."""
        try:
            categories = tuple(str(c) for c in data["categories"])
            return cls(
                bias=float(data["bias"]), threshold=float(data["threshold"]),
                weights={str(k): float(v) for k, v in data["weights"].items()},
                categories=categories, category_bias=tuple(float(b) for b in data["category_bias"]),
                category_weights={str(k): tuple((int(i), float(w)) for i, w in v) for k, v in data["category_weights"].items()},
                negations=tuple(data["negations"]), mention_before=tuple(data["mention_before"]),
                mention_after=tuple(data["mention_after"]), clause_marks=str(data["clause_marks"]),
                max_word=int(data["max_word"]), info=dict(data.get("info") or {}), veto=float(data.get("veto", 0.0)),
                category_veto={str(k): float(v) for k, v in (data.get("category_veto") or {}).items()},
                pattern_veto={str(k): float(v) for k, v in (data.get("pattern_veto") or {}).items()},
                prescriptive_before=tuple(str(c) for c in data.get("prescriptive_before") or ()),
                context=_context(data.get("context")))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CalculatorInputError("model", type(data).__name__, f"the linter model JSON written by tools/train_linter.py ({exc})",
                                       allowed_zh="tools/train_linter.py 导出的模型文件") from None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (what :meth:`from_dict` reads)."""
        return {"bias": self.bias, "threshold": self.threshold, "weights": dict(self.weights), "categories": list(self.categories),
                "category_bias": list(self.category_bias),
                "category_weights": {k: [list(p) for p in v] for k, v in self.category_weights.items()},
                "negations": list(self.negations), "mention_before": list(self.mention_before),
                "mention_after": list(self.mention_after), "clause_marks": self.clause_marks, "max_word": self.max_word,
                "info": dict(self.info), "veto": self.veto, "category_veto": dict(self.category_veto),
                "pattern_veto": dict(self.pattern_veto), "prescriptive_before": list(self.prescriptive_before),
                "context": self.context.to_dict() if self.context is not None else None}

    def veto_for(self, category: str, patterns: Sequence[str] = ()) -> float:
        """The veto for a rule finding of ``category`` made by ``patterns`` (their regexes as written): the lowest of
        its category's (:attr:`category_veto`, else :attr:`veto`) and the :attr:`pattern_veto` of those that have one.

        >>> model = LintModel.from_dict({**default_model().to_dict(), "veto": 0.05, "category_veto": {"threat": 0.01},
        ...                              "pattern_veto": {"坐牢": 0.0}})
        >>> model.veto_for("threat"), model.veto_for("exaggerated-legal"), model.veto_for("exaggerated-legal", ["坐牢", "蹲监狱"])
        (0.01, 0.05, 0.0)
        """
        default = self.category_veto.get(category, self.veto)
        if not self.pattern_veto or not patterns:
            return default
        return min(default, *(self.pattern_veto.get(pattern, default) for pattern in patterns))

    @property
    def vetoes(self) -> bool:
        """Whether any rule finding can be vetoed."""
        return bool(self.veto) or any(self.category_veto.values()) or any(self.pattern_veto.values())

    def prepare(self, text: str) -> str:
        """The text as the model sees it: quoted mentions blanked, digits and letters folded (same length)."""
        return normalise(mask_mentions(text, self.clause_marks, self.mention_before, self.mention_after, self.prescriptive_before))

    def _keys(self, segment: str) -> set[str]:
        negation = self._negation  # (literal cues: if the segment holds none, none of its pieces does)
        keys = feature_set(segment, negation if negation is not None and negation.search(segment) else None,
                           negated=self._negated)
        heads = self._long_heads
        for head in heads.keys() & keys:  # (see __post_init__)
            keys.update([word for word in heads[head] if word in segment])
        if "" in heads:
            keys.update([word for word in heads[""] if word in segment])
        return keys

    def _contributions(self, keys: set[str]) -> dict[str, float]:
        weights = self.weights
        return {key: weights[key] for key in keys & self._weight_keys}

    def _probability(self, keys: set[str]) -> float:
        # summed exactly (math.fsum), so the order in which a set yields its keys (it depends on the hash seed)
        # cannot change the last bits
        # (only the keys with a weight are looked up: a third of them)
        score = math.fsum([self.bias, *map(self.weights.__getitem__, keys & self._weight_keys)])
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, score))))

    def probability(self, segment: str) -> float:
        """The probability that one segment crosses a red line (the segment is prepared first)."""
        return self._probability(self._keys(self.prepare(segment)))

    def _category(self, keys: set[str]) -> str:
        # each category's score summed exactly (math.fsum): the same whatever the order of the keys or the platform;
        # a key adds only to the categories it weighs (a key weighs 1.7 of the 17 on average; exact zeros change no sum)
        vectors = self._category_vectors
        columns = [[bias] for bias in self.category_bias]
        for key in keys & self._category_keys:
            for index, weight in vectors[key]:
                columns[index].append(weight)
        scores = list(map(math.fsum, columns))
        return self.categories[max(range(len(scores)), key=scores.__getitem__)]

    def category(self, segment: str) -> str:
        """The most likely category of a flagged segment (prepared first)."""
        return self._category(self._keys(self.prepare(segment)))

    def vetoed(self, text: str, spans: Sequence[tuple[int, int]], scoped: str | None = None,
               prepared: str | None = None, by_sentence: bool = False) -> set[tuple[int, int]]:
        """The ``spans`` (rule findings) that the model reads as clearly compliant: every sentence a span overlaps
        scores below :attr:`veto`.  ``scoped`` and ``prepared`` as in :meth:`flags`; ``by_sentence``: each sentence is
        prepared on its own, as written (for a few spans in a long text, without preparing all of it).

        >>> model = LintModel.from_dict({**default_model().to_dict(), "veto": 0.1, "category_veto": {}})
        >>> text = "山不转水转，咱们以后说不定还会在一个项目组，保持联系啊。你再不还，小心你的腿。"
        >>> sorted(model.vetoed(text, [(0, 5), (33, 38)]))  # the proverb among colleagues, not the threat
        [(0, 5)]
        """
        if not self.veto or not spans:
            return set()
        highest = self.veto_scores(text, spans, scoped, prepared, by_sentence)
        return {span for span in highest if highest[span] < self.veto}

    def veto_scores(self, text: str, spans: Sequence[tuple[int, int]], scoped: str | None = None,
                    prepared: str | None = None, by_sentence: bool = False,
                    cut: Sequence[tuple[int, int, int]] | None = None) -> dict[tuple[int, int], float]:
        """For each of ``spans``, the highest probability among the sentences it overlaps (what :meth:`vetoed` compares
        with the veto; arguments as there; ``cut`` as in :meth:`flags`).

        >>> text = "您好。你再不还，小心你的腿。"
        >>> scores = default_model().veto_scores(text, [(8, 13)])
        >>> scores[(8, 13)] > 0.5
        True
        """
        if not spans:
            return {}
        if by_sentence:
            prepared = None
        elif prepared is None:
            prepared = self.prepare(text if scoped is None else scoped)
        highest: dict[tuple[int, int], float] = {}
        ordered = sorted(set(spans))
        first = 0  # the first span that may still overlap a later sentence
        for start, end, scored in windows(text) if cut is None else cut:
            while first < len(ordered) and ordered[first][1] <= start:
                first += 1
            probability = None
            k = first
            while k < len(ordered) and ordered[k][0] < end:
                if ordered[k][1] > start:
                    if probability is None:
                        probability = (self.probability(text[start:scored]) if prepared is None
                                       else self._probability(self._keys(prepared[start:scored])))
                    highest[ordered[k]] = max(highest.get(ordered[k], 0.0), probability)
                k += 1
        return {span: highest.get(span, 1.0) for span in ordered}

    def flags(self, text: str, skip: Sequence[tuple[int, int]] = (), scoped: str | None = None,
              prepared: str | None = None, cut: Sequence[tuple[int, int, int]] | None = None) -> list[ModelFlag]:
        """Segments of ``text`` the model flags, skipping segments that overlap a span in ``skip``.

        ``scoped``, if given, is ``text`` with what the rules scope out blanked (same length:
        ``calculators.compliance.redlines.blank_scoped``): the segments are cut on ``text`` and scored on ``scoped``.
        ``prepared``, if given, is :meth:`prepare` of ``scoped`` (or of ``text``), computed once by a caller that also
        asks :meth:`vetoed`.  ``cut``, if given, is ``tuple(windows(text))``, computed once by a caller that asks
        several times about the same text.

        >>> text = "您好。半夜三点我准时给你打电话，你别想睡。"
        >>> [f.category for f in default_model().flags(text)]
        ['late-night']
        >>> default_model().flags(text, cut=tuple(windows(text))) == default_model().flags(text)
        True
        """
        if scoped is not None and len(scoped) != len(text):
            raise ValueError("scoped must have the length of text (blanked, not cut)")
        if prepared is None:
            prepared = self.prepare(text if scoped is None else scoped)
        elif len(prepared) != len(text):
            raise ValueError("prepared must have the length of text (see LintModel.prepare)")
        out: list[ModelFlag] = []
        taken = sorted(skip)
        k = 0
        reach = 0  # the furthest end among the skip spans that start before this segment ends
        # sentences are cut on the original text: a blanked mention (``…``) must not end a sentence
        for start, end, scored in windows(text) if cut is None else cut:
            while k < len(taken) and taken[k][0] < end:
                reach = max(reach, taken[k][1])
                k += 1
            if k and reach > start:  # some skip span overlaps (spans starting before `end` that end after `start`)
                continue
            keys = self._keys(prepared[start:scored])
            probability = self._probability(keys)
            if probability >= self.threshold:
                found = self._contributions(keys)
                drivers: list[str] = []
                for key, weight in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])):  # (ties: in key order)
                    word = key.lstrip("~")
                    if weight <= 0 or len(drivers) == 5:
                        break
                    if len(word) > 1 and not any(word in d or d in word for d in drivers):
                        drivers.append(word)
                out.append(ModelFlag((start, end), round(probability, 3), self._category(keys), tuple(drivers)))
        return out


def _context(data: Any) -> ContextJudge | None:
    """The context judge of exported data (None: none)."""
    return None if data is None else ContextJudge.from_dict(data)


_DEFAULT: list[LintModel] = []


def default_model() -> LintModel:
    """The model shipped with the package (``redline_model.json`` and its category namer, ``redline_categories.json``)
    with its context judge (``redline_context.json``, if shipped), loaded once.

    >>> default_model() is default_model() and default_model().categories[0]
    'borrow-elsewhere'
    """
    if not _DEFAULT:
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        data.update(json.loads(CATEGORIES_PATH.read_text(encoding="utf-8")))
        model = LintModel.from_dict(data)
        _DEFAULT.append(replace(model, context=default_context()))
    return _DEFAULT[0]
