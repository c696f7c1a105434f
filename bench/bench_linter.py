"""Benchmark of the red-line linter: precision and recall on the held-out test split, and speed.

Usage::

    python bench/bench_linter.py          # figures on the test split, per category, and timings
    python bench/bench_linter.py --dev    # the same on the development split (what the model was trained on)
    python bench/bench_linter.py --set FILE.tsv   # totals on sentences the project has never seen (format below)
    python bench/bench_linter.py --speed  # the timings only (a few seconds)

The corpus (``tests/data/linter-corpus/``) is split by paraphrase family
(:func:`tools.linter_corpus.split`); the model was trained on the development
split only.  ``tests/test_linter_metrics.py`` guards these figures.

``--set`` measures the linter on a file of labelled sentences kept outside the corpus (tab-separated
``label, category, kind, text``: :func:`tools.linter_corpus.read_labelled_set`) and prints totals only, never the
sentences, so that the file can be scored again without being read: recall per category, false alarms per kind of
compliant text, and which layer raised them.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from calculators.compliance.redline_model import default_model  # noqa: E402
from calculators.compliance.redlines import blank_scoped, lint  # noqa: E402
from procedures.rules import redlines  # noqa: E402
from tools.linter_corpus import (OK_KINDS, GUARDED_FAMILIES, GUARDED_FAMILIES_7, GUARDED_FAMILIES_8, GUARDED_FAMILIES_9,  # noqa: E402
                                 GUARDED_FAMILIES_10, GUARDED_FAMILIES_11, GUARDED_FAMILIES_12, GUARDED_FAMILIES_13, GUARDED_FAMILIES_14,
                                 GUARDED_FAMILIES_16, evaluate, guarded, guarded_families, lint_predictor, load, read_labelled_set, split)

#: The fixed parts of the test split that regression guards were set on (``tests/test_linter_metrics.py``): the test side
#: of the families listed in each file.
GUARDED_PARTS = {"guarded": GUARDED_FAMILIES, "guarded7": GUARDED_FAMILIES_7, "guarded8": GUARDED_FAMILIES_8, "guarded9": GUARDED_FAMILIES_9,
                 "guarded10": GUARDED_FAMILIES_10, "guarded11": GUARDED_FAMILIES_11, "guarded12": GUARDED_FAMILIES_12,
                 "guarded13": GUARDED_FAMILIES_13, "guarded14": GUARDED_FAMILIES_14, "guarded16": GUARDED_FAMILIES_16}

#: Texts of 20,000 characters: script-like text with punctuation, and the same without any punctuation.
SPEED_CHARS = 20_000


def speed_texts() -> dict[str, str]:
    """The long texts timed by :func:`timings` (compliant and violating sentences mixed)."""
    dev, _ = split(load())

    def fill(body: str) -> str:
        return (body * (SPEED_CHARS // len(body) + 1))[:SPEED_CHARS]

    mixed = fill("".join(item.text for item in dev))
    compliant = fill("".join(item.text for item in dev if not item.violation))
    bare = fill("".join(c for c in mixed if c not in "，。！？；：、“”‘’（）,.!?;:\n… "))
    # the worst kind of text found so far (session 25, a helper's probe): a finding every three characters, each read by
    # the context judge (the model scores these words between its veto and its threshold); linear, but slower
    dense = fill("老赖、穷鬼、人渣、无赖、瘪三、赖皮、")
    return {"compliant script": compliant, "half violations": mixed, "unpunctuated": bare,
            "one repeated character": "啊" * SPEED_CHARS, "negation words only": fill("不会没有"), "dense insult list": dense}


def timings(repeat: int = 5, clock=time.process_time) -> dict[str, float]:
    """Best-of-``repeat`` milliseconds to lint each text of :func:`speed_texts` (rules and model).

    The default clock is this process's CPU time, which other processes on a busy machine do not inflate;
    pass ``time.perf_counter`` for wall-clock time.
    """
    rules, model = redlines(), default_model()
    out = {}
    for name, text in speed_texts().items():
        best = float("inf")
        for _ in range(repeat):
            started = clock()
            lint(text, rules, model)
            best = min(best, clock() - started)
        out[name] = best * 1000
    return out


def print_speed(repeat: int = 5) -> None:
    """Print :func:`timings`, CPU and wall clock."""
    cpu = timings(repeat)
    wall = timings(repeat, clock=time.perf_counter)
    print(f"speed (rules + model, best of {repeat}, {SPEED_CHARS:,} characters; CPU time of this process, and wall clock;"
          "\non a shared machine these move by a third from one hour to the next: to compare two versions of the code,"
          "\ncount instructions with bench/bench_instructions.py):")
    for name, ms in cpu.items():
        print(f"  {name:<24}{ms:>7.1f} ms CPU {wall[name]:>7.1f} ms wall")


def measure(which: str = "test", without_judge: bool = False) -> dict:
    """Metrics of rules + model, rules only and model only on one split: ``test``, ``dev``, or one of the fixed parts
    of the test split that a set of regression guards was set on (:data:`GUARDED_PARTS`: ``guarded``, the test items of
    the families the corpus had when the first guards were set, ``tools.linter_corpus.guarded``; ``guarded7``,
    ``guarded8``, ``guarded9``, ``guarded10``, ``guarded11``, ``guarded12``, ``guarded13``, ``guarded14`` and
    ``guarded16``, those of the families it had in session 7, in session 8, at the end of session 8, at the end of
    session 9, at the end of session 10, at the end of session 11, at the end of session 12, at the end of session 13
    and from session 14 to 16).  ``without_judge``: also rules +
    model without the context judge (``combined_without_judge``), to show what the judge changes."""
    if which not in ("test", "dev", *GUARDED_PARTS):
        raise ValueError(f"which={which!r}: expected 'test', 'dev' or one of {', '.join(GUARDED_PARTS)}")
    items = load()
    dev, test = split(items)
    data = dev if which == "dev" else guarded(test, guarded_families(GUARDED_PARTS[which])) if which in GUARDED_PARTS else test
    rules, model = redlines(), default_model()
    combined = evaluate(data, lint_predictor(rules, model))
    rules_only = evaluate(data, lint_predictor(rules, None))
    # the model as the linter uses it: on the text with what a prohibition, a report head or a customer's turn
    # scopes over blanked (calculators.compliance.redlines.blank_scoped)
    model_only = evaluate(data, lambda text: {f.category for f in model.flags(text, scoped=blank_scoped(text, rules))})
    figures = {"corpus": len(items), "dev": len(dev), "test": len(test), "dev_violations": sum(i.violation for i in dev),
               "test_violations": sum(i.violation for i in test), "families": len({i.family for i in items}),
               "split": which, "combined": combined, "rules": rules_only, "model": model_only}
    if without_judge:
        figures["combined_without_judge"] = evaluate(data, lint_predictor(rules, replace(model, context=None)))
    return figures


def measure_set(path: Path) -> dict:
    r"""Totals of the linter (rules + model) on the labelled sentences of ``path`` (see
    :func:`tools.linter_corpus.read_labelled_set`): ``violations``, ``caught``, ``compliant``, ``false_alarms``,
    ``by_category`` (caught, of n), ``by_violation_kind`` (caught, of n, by the free ``kind`` of the violations: e.g.
    ``spoken``, ``written``), ``by_kind`` (false alarms, of n) and ``sources`` (false alarms with a rule finding, and
    with model findings only).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "unseen.tsv"
    >>> _ = path.write_text("V\tthreat\tspoken\t再不还钱小心我们打断你的腿\nOK\tok\tordinary\t您好，请问是李女士本人吗？\n",
    ...                     encoding="utf-8")
    >>> figures = measure_set(path)
    >>> figures["caught"], figures["violations"], figures["false_alarms"], figures["by_kind"]["ordinary"]
    (1, 1, 0, (0, 1))
    >>> figures["by_violation_kind"]
    {'spoken': (1, 1)}
    """
    rules, model = redlines(), default_model()
    items = read_labelled_set(path, [c.id for c in rules.categories])
    by_category: dict[str, list[int]] = {}
    by_violation_kind: dict[str, list[int]] = {}
    by_kind: dict[str, list[int]] = {}
    sources = {"rules": 0, "model": 0}
    for item in items:
        found = lint(item.text, rules, model)
        if item.violation:
            counts = by_category.setdefault(item.label, [0, 0])
            by_violation_kind.setdefault(item.kind, [0, 0])[0] += bool(found)
            by_violation_kind[item.kind][1] += 1
        else:
            counts = by_kind.setdefault(item.hard or "ordinary", [0, 0])
            if found:
                sources["rules" if any(f.source == "rule" for f in found) else "model"] += 1
        counts[0] += bool(found)
        counts[1] += 1
    return {"violations": sum(n for _, n in by_category.values()), "caught": sum(k for k, _ in by_category.values()),
            "compliant": sum(n for _, n in by_kind.values()), "false_alarms": sum(k for k, _ in by_kind.values()),
            "by_category": {k: tuple(v) for k, v in sorted(by_category.items())},
            "by_violation_kind": {k: tuple(v) for k, v in sorted(by_violation_kind.items())},
            "by_kind": {k: tuple(v) for k, v in sorted(by_kind.items(), key=lambda kv: OK_KINDS.index(kv[0]))},
            "sources": sources}


def print_set(path: Path) -> None:
    """Print :func:`measure_set` for ``path``."""
    def share(k: int, n: int) -> str:
        return f"{k}/{n} = {k / n:.1%}" if n else "none"

    f = measure_set(path)
    print(f"{path.name}: {f['violations']} violations, {f['compliant']} compliant (sentences not shown)")
    print(f"recall {share(f['caught'], f['violations'])}   false alarms {share(f['false_alarms'], f['compliant'])} "
          f"(with a rule finding {f['sources']['rules']}, model only {f['sources']['model']})")
    print("recall by category: " + ", ".join(f"{k} {c}/{n}" for k, (c, n) in f["by_category"].items()))
    print("recall by kind: " + ", ".join(f"{k} {c}/{n}" for k, (c, n) in f["by_violation_kind"].items()))
    print("false alarms by kind: " + ", ".join(f"{k} {c}/{n}" for k, (c, n) in f["by_kind"].items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="measure on the development split instead of the test split")
    parser.add_argument("--show", action="store_true", help="print the missed sentences and the false alarms")
    parser.add_argument("--set", type=Path, metavar="FILE",
                        help="measure on labelled sentences outside the corpus (tab-separated: label, category, kind, text); "
                             "totals only")
    parser.add_argument("--speed", action="store_true", help="print the timings only (a few seconds)")
    parser.add_argument("--repeat", type=int, default=5, metavar="N", help="timings: best of N lints of each text (default 5)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be a whole number of at least 1, not {args.repeat}")
    if args.speed:
        print_speed(args.repeat)
        return 0
    if args.set is not None:
        try:
            print_set(args.set)
        except (OSError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return 0
    figures = measure("dev" if args.dev else "test", without_judge=True)
    c = figures["combined"]
    print(f"corpus: {figures['corpus']} utterances in {figures['families']} paraphrase families; "
          f"development {figures['dev']} ({figures['dev_violations']} violations), "
          f"test {figures['test']} ({figures['test_violations']} violations); split by family")
    print(f"measured on: {figures['split']} split ({c['violations']} violations, {c['compliant']} compliant)\n")
    print(f"{'layer':<16}{'recall':>8}{'false alarms':>14}{'precision':>11}")
    for name in ("rules", "model", "combined"):
        m = figures[name]
        print(f"{name:<16}{m['recall']:>8.1%}{m['false_alarm_rate']:>14.1%}{m['precision']:>11.1%}")
    m = figures["combined_without_judge"]
    print(f"{'(without judge)':<16}{m['recall']:>8.1%}{m['false_alarm_rate']:>14.1%}{m['precision']:>11.1%}"
          "   rules + model without the context judge (calculators/compliance/redline_context.py)")
    if not args.dev:
        for which, what in (("guarded", "the first regression guards were set"),
                            ("guarded7", "the session-7 whole-split guards were set"),
                            ("guarded8", "the session-8 whole-split guards were set"),
                            ("guarded9", "the whole-split guards of the end of session 8 were set"),
                            ("guarded10", "the whole-split guards of session 9 were set"),
                            ("guarded11", "the whole-split guards of session 10 were set"),
                            ("guarded12", "the whole-split guards of session 11 were set"),
                            ("guarded13", "the whole-split guards of session 12 were set"),
                            ("guarded14", "the whole-split guards of session 13 were set"),
                            ("guarded16", "the whole-split guards of sessions 14 to 16 were set")):
            kept = measure(which)
            g = kept["combined"]
            print(f"\nof which the families the corpus had when {what} "
                  f"({g['violations']} violations, {g['compliant']} compliant; tests/data/linter-corpus/{GUARDED_PARTS[which].name}):")
            for name in ("rules", "model", "combined"):
                m = kept[name]
                print(f"{name:<16}{m['recall']:>8.1%}{m['false_alarm_rate']:>14.1%}{m['precision']:>11.1%}")
    print("\nper category (rules + model): recall = flagged at all; category recall = flagged with this category;"
          "\nprecision = of the items given this category, how many carry it")
    print(f"{'category':<24}{'n':>4}{'recall':>8}{'cat. recall':>13}{'precision':>11}")
    for name, s in c["categories"].items():
        if s["n"]:
            print(f"{name:<24}{s['n']:>4}{s['recall']:>8.1%}{s['category_recall']:>13.1%}{s['precision']:>11.1%}")
    if args.show:
        for item in c["missed"]:
            print("missed:", item.label, item.text)
        for item, found in c["false_alarms"]:
            print("false alarm:", found, item.text)
    print()
    print_speed(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
