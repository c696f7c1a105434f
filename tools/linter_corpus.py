"""The labelled corpus of the red-line linter: loading, the split by paraphrase family, and the metrics.

Used by ``tools/train_linter.py`` (trains on the development split),
``bench/bench_linter.py`` (measures on the test split) and the tests.
The corpus is ``tests/data/linter-corpus/*.yml`` (format in its README).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import yaml

__all__ = ["CORPUS_DIR", "OK", "Item", "load", "in_test", "split", "GUARDED_FAMILIES", "GUARDED_FAMILIES_7", "GUARDED_FAMILIES_8",
           "GUARDED_FAMILIES_9", "GUARDED_FAMILIES_10", "GUARDED_FAMILIES_11", "GUARDED_FAMILIES_12", "GUARDED_FAMILIES_13", "GUARDED_FAMILIES_14",
           "GUARDED_FAMILIES_16", "guarded_families",
           "guarded", "evaluate", "lint_predictor", "HARD_KINDS", "OK_KINDS", "read_labelled_set"]

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "linter-corpus"
#: The label of compliant utterances.
OK = "ok"


@dataclass(frozen=True)
class Item:
    """One utterance: its text, its label (a category id or ``ok``), its paraphrase family and hard-case tag; a violation
    of a labelled set (:func:`read_labelled_set`) also keeps the set's free ``kind`` (``spoken``, ``written`` …)."""

    text: str
    label: str
    family: str
    hard: str = ""
    kind: str = ""

    @property
    def violation(self) -> bool:
        return self.label != OK


def load(folder: Path = CORPUS_DIR) -> list[Item]:
    """Every utterance of the corpus, file by file (family ids must be unique, texts too).

    >>> items = load()
    >>> len(items) >= 600 and sum(i.violation for i in items) >= 300
    True
    """
    items: list[Item] = []
    families: set[str] = set()
    texts: set[str] = set()
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for family in data["families"]:
            label = family.get("category", data.get("category"))  # a family may carry its own category
            if not label:
                raise ValueError(f"{path.name}: family {family['id']!r} has no category (file or family)")
            if family["id"] in families:
                raise ValueError(f"{path.name}: family id {family['id']!r} used twice")
            families.add(family["id"])
            for text in family["texts"]:
                if text in texts:
                    raise ValueError(f"{path.name}: text {text!r} appears twice in the corpus")
                texts.add(text)
                items.append(Item(text, label, family["id"], family.get("hard", "")))
    return items


#: The kinds of hard compliant text (``hard:`` in the corpus; the ``kind`` column of a labelled set, with ``ordinary``).
HARD_KINDS = ("alarming", "negation-before", "negation-after", "quoted")
#: Every kind of compliant line in a labelled set, in the order reports list them.
OK_KINDS = (*HARD_KINDS, "ordinary")


def read_labelled_set(path: Path, categories: Iterable[str]) -> list[Item]:
    r"""Utterances labelled outside the corpus, to measure the linter on text it has never seen: a UTF-8 file of
    tab-separated lines ``label, category, kind, text`` (no header).  ``label`` is ``V`` (crosses a red line: its
    ``category`` is one of ``categories``; ``kind`` is free, e.g. ``spoken``) or ``OK`` (``category`` ``ok``; ``kind``
    one of :data:`HARD_KINDS` or ``ordinary``).  Each line is its own family (``<file stem>-<line number>``).

    A line that does not fit is an error naming the file, the line and what is allowed; nothing is skipped.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "s.tsv").write_text("V\tthreat\tspoken\t小心你的腿\nOK\tok\tquoted\t他说要打断我的腿\n", encoding="utf-8")
    >>> [(i.label, i.hard, i.family) for i in read_labelled_set(folder / "s.tsv", ["threat"])]
    [('threat', '', 's-1'), ('ok', 'quoted', 's-2')]
    >>> _ = (folder / "bad.tsv").write_text("V\tthret\tspoken\t小心你的腿\n", encoding="utf-8")
    >>> read_labelled_set(folder / "bad.tsv", ["threat"])
    Traceback (most recent call last):
    ...
    ValueError: bad.tsv, line 1: category 'thret' is not a red-line category (allowed: threat)
    """
    path = Path(path)
    known = list(categories)
    items: list[Item] = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}, line {number}"
        fields = line.split("\t")
        if len(fields) != 4:
            raise ValueError(f"{where}: {len(fields)} tab-separated fields; expected 4 (label, category, kind, text)")
        label, category, kind, text = (field.strip() for field in fields)
        if not text:
            raise ValueError(f"{where}: the text is empty")
        family = f"{path.stem}-{number}"
        if label == "V":
            if category not in known:
                raise ValueError(f"{where}: category {category!r} is not a red-line category (allowed: {', '.join(known)})")
            items.append(Item(text, category, family, kind=kind))
        elif label == "OK":
            if category != OK:
                raise ValueError(f"{where}: an OK line has category {category!r}; expected {OK!r}")
            if kind not in OK_KINDS:
                raise ValueError(f"{where}: kind {kind!r} of an OK line; allowed: {', '.join(OK_KINDS)}")
            items.append(Item(text, OK, family, "" if kind == "ordinary" else kind))
        else:
            raise ValueError(f"{where}: label {label!r}; expected V (violation) or OK (compliant)")
    if not items:
        raise ValueError(f"{path.name}: no labelled lines")
    return items


def in_test(family: str) -> bool:
    """Whether a paraphrase family belongs to the test set: the SHA-256 of its id, read as a number, is a multiple of 3.

    The side depends on the family's own id only, so adding (or removing) other families never moves an
    existing family from one set to the other, and figures stay comparable from one corpus version to the next.

    >>> [family for family in "abcdefgh" if in_test(family)]  # sha256("g") and sha256("h") are multiples of 3
    ['g', 'h']
    """
    return int(hashlib.sha256(family.encode("utf-8")).hexdigest(), 16) % 3 == 0


def split(items: Iterable[Item]) -> tuple[list[Item], list[Item]]:
    """(development, test): a family goes to the test set iff :func:`in_test` (its hash is a multiple of 3).

    No family is in both sets, so no test sentence is a paraphrase of a development one; and a family's side
    depends only on its own id, so adding families never moves existing ones (about a third land in the test set).

    >>> dev, test = split(load())
    >>> not {i.family for i in dev} & {i.family for i in test}
    True
    >>> dev, test = split([Item("坏", "insult", "a"), Item("更坏", "insult", "g"), Item("好", OK, "h")])
    >>> [i.family for i in dev], [i.family for i in test]
    (['a'], ['g', 'h'])
    """
    items = list(items)
    return [i for i in items if not in_test(i.family)], [i for i in items if in_test(i.family)]


#: The families the corpus had when the regression guards were set (``tests/test_linter_metrics.py``).
GUARDED_FAMILIES = CORPUS_DIR / "guarded-families.txt"
#: The families the corpus had when the whole-split guards ``FULL_*`` were set (session 7).
GUARDED_FAMILIES_7 = CORPUS_DIR / "guarded-families-7.txt"
#: The families the corpus had when the whole-split guards ``SPLIT_*`` were set (session 8, before two more probes).
GUARDED_FAMILIES_8 = CORPUS_DIR / "guarded-families-8.txt"
#: The families the corpus had when the whole-split guards ``WHOLE_*`` were set (end of session 8, before the eighth probe).
GUARDED_FAMILIES_9 = CORPUS_DIR / "guarded-families-9.txt"
#: The families the corpus had when the whole-split guards ``WHOLE9_*`` were set (session 9, before probes 9 and 16-19).
GUARDED_FAMILIES_10 = CORPUS_DIR / "guarded-families-10.txt"
#: The families the corpus had when the whole-split guards ``WHOLE10_*`` were set (session 10, before probes 23 and 24).
GUARDED_FAMILIES_11 = CORPUS_DIR / "guarded-families-11.txt"
#: The families the corpus had when the whole-split guards ``WHOLE11_*`` were set (session 11, before probe 25).
GUARDED_FAMILIES_12 = CORPUS_DIR / "guarded-families-12.txt"
#: The families the corpus had when the whole-split guards ``WHOLE12_*`` were set (session 12, before probes 26 to 28).
GUARDED_FAMILIES_13 = CORPUS_DIR / "guarded-families-13.txt"
#: The families the corpus had when the whole-split guards ``WHOLE13_*`` were set (end of session 13, before blind sets 12
#: and 13 and probes 31 and 32).
GUARDED_FAMILIES_14 = CORPUS_DIR / "guarded-families-14.txt"
#: The families the corpus had when the whole-split guards ``WHOLE14_*`` to ``WHOLE16_*`` were set (sessions 14 to 16,
#: before the spent blind sets 14 to 16 joined it).
GUARDED_FAMILIES_16 = CORPUS_DIR / "guarded-families-16.txt"


def guarded_families(path: Path = GUARDED_FAMILIES) -> frozenset[str]:
    """The family ids listed in ``path`` (one per line; ``#`` starts a comment).

    >>> len(guarded_families())
    269
    """
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line)


def guarded(test: Iterable[Item], families: frozenset[str] | None = None) -> list[Item]:
    """The test items whose family is one of :func:`guarded_families`: a fixed set of utterances on which the
    regression guards set at that time keep applying, while later families enlarge the test split.

    >>> dev, test = split(load())
    >>> items = guarded(test)
    >>> 0 < len(items) < len(test) and all(in_test(i.family) for i in items)
    True
    """
    families = guarded_families() if families is None else families
    return [i for i in test if i.family in families]


Predictor = Callable[[str], set[str]]


def lint_predictor(rules, model=None) -> Predictor:
    """The categories ``calculators.compliance.redlines.lint`` reports for a text (``model=None``: rules only).

    >>> from procedures.rules import redlines
    >>> lint_predictor(redlines())("你就是个老赖。")
    {'insult'}
    """
    from calculators.compliance.redlines import lint

    return lambda text: {f.category for f in lint(text, rules, model)}


def evaluate(items: Iterable[Item], predict: Predictor) -> dict:
    """Detection and category metrics of ``predict`` on ``items``.

    * overall: ``recall`` (violations flagged at all), ``false_alarm_rate`` (compliant items flagged),
      ``precision`` (flagged items that are violations);
    * per category: ``recall`` (its items flagged at all), ``category_recall`` (flagged with this category),
      ``precision`` (items flagged with this category that carry it as their label);
    * ``missed`` and ``false_alarms``: the texts, for inspection.

    >>> items = [Item("坏", "insult", "a"), Item("好", OK, "b"), Item("也好", OK, "c")]
    >>> m = evaluate(items, lambda text: {"insult"} if "坏" in text or "也" in text else set())
    >>> m["recall"], m["false_alarm_rate"], m["categories"]["insult"]["precision"]
    (1.0, 0.5, 0.5)
    """
    items = list(items)
    per: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "detected": 0, "right": 0, "assigned": 0, "assigned_right": 0})
    missed, false_alarms = [], []
    tp = fp = fn = tn = 0
    for item in items:
        found = predict(item.text)
        for category in found:
            per[category]["assigned"] += 1
            per[category]["assigned_right"] += category == item.label
        if item.violation:
            stats = per[item.label]
            stats["n"] += 1
            if found:
                tp += 1
                stats["detected"] += 1
                stats["right"] += item.label in found
            else:
                fn += 1
                missed.append(item)
        elif found:
            fp += 1
            false_alarms.append((item, sorted(found)))
        else:
            tn += 1
    ratio = lambda a, b: a / b if b else float("nan")  # noqa: E731
    categories = {
        label: {"n": s["n"], "recall": ratio(s["detected"], s["n"]), "category_recall": ratio(s["right"], s["n"]),
                "precision": ratio(s["assigned_right"], s["assigned"]), "assigned": s["assigned"]}
        for label, s in sorted(per.items()) if s["n"] or s["assigned"]
    }
    return {
        "items": len(items), "violations": tp + fn, "compliant": fp + tn,
        "recall": ratio(tp, tp + fn), "false_alarm_rate": ratio(fp, fp + tn), "precision": ratio(tp, tp + fp),
        "categories": categories, "missed": missed, "false_alarms": false_alarms,
    }
