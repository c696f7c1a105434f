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

__all__ = ["CORPUS_DIR", "OK", "Item", "load", "split", "evaluate", "lint_predictor"]

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "linter-corpus"
#: The label of compliant utterances.
OK = "ok"


@dataclass(frozen=True)
class Item:
    """One utterance: its text, its label (a category id or ``ok``), its paraphrase family and hard-case tag."""

    text: str
    label: str
    family: str
    hard: str = ""

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


def _rank(family: str) -> str:
    return hashlib.sha256(family.encode("utf-8")).hexdigest()


def split(items: Iterable[Item]) -> tuple[list[Item], list[Item]]:
    """(development, test): in each label, families in order of a stable hash; every third goes to the test set.

    No family is in both sets, so no test sentence is a paraphrase of a development one.

    >>> dev, test = split(load())
    >>> not {i.family for i in dev} & {i.family for i in test}
    True
    """
    items = list(items)
    families_by_label: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if item.family not in families_by_label[item.label]:
            families_by_label[item.label].append(item.family)
    test_families = {family for families in families_by_label.values()
                     for index, family in enumerate(sorted(families, key=_rank)) if index % 3 == 1}
    return [i for i in items if i.family not in test_families], [i for i in items if i.family in test_families]


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
