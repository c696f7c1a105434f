"""Train the context judge of the red-line linter (``calculators/compliance/redline_context.json``).

Called by ``tools/train_linter.py`` after the model is trained (one command trains and checks both); see
:mod:`calculators.compliance.redline_context` for what the judge reads.

* Rows: every rule match the linter examines in a development utterance (``rule_candidates``). A match the rules
  keep in a violation is a positive row (a match the rules cancel in a violation is left out: it may be the
  negated mention beside the real violation); every match in a compliant utterance, cancelled or not, is a negative
  row.  The handbook's own examples of a red line add positive rows, its recommended lines negative rows, and the
  contrast examples of :data:`CONTRAST_PATH` positive rows (violations that reassure or deny in one clause and cross a line in
  the next, "您放心，我们不会骗您，下周就去您单位找您领导": the judge must not read the first clause as negating the
  second).
* Model: logistic regression, balanced classes, :data:`CONTEXT_C`; the :data:`CONTEXT_KEEP` largest weights by size
  are exported.
* Veto: chosen out of fold (:func:`choose_veto_out_of_fold`): the largest value of :data:`CONTEXT_STEPS` at which the
  judges of the other folds score at most :data:`CONTEXT_COST_LIMIT` of the development violations the rules flag below
  it.  It is then lowered pattern by pattern (along :data:`CONTEXT_GRID`) for the patterns that find a known violation
  (the handbook's examples of a red line, the regression sentences) that it would drop (:func:`choose_context_veto`),
  and red line by red line where, out of fold, a judge would leave a development violation with a finding of that red
  line unflagged (:func:`out_of_fold`).
* Reported out of fold (5 folds by paraphrase family): how many of the development findings the judge would drop,
  among violations (the linter's recall may still hold: the model scores the sentence) and compliant utterances.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable, Sequence

from calculators.compliance.redline_context import ContextJudge, context_features
from calculators.compliance.redline_model import LintModel
from calculators.compliance.redlines import finding_patterns, lint, rule_candidates

#: Violations written for the judge (not corpus items, in no figure): a reassurance or denial in one clause and a
#: violation in the next.  A review of session 12 found the judge reading "不会" in an earlier clause as negating the
#: match; the windows now stop at clause marks and these rows teach it the shape.  They stay out of the corpus (no
#: figure counts them); since session 15 the detector trains on them as extra rows too (``CONTRAST_ROWS`` in
#: tools/train_linter.py) (tests/data/context-judge/contrast.yml).
CONTRAST_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "context-judge" / "contrast.yml"
CONTEXT_C = 1.0
#: Weights exported (the largest by size), of about 58,000 features: 2,000 (35 KB) flagged exactly what 4,000 and 8,000
#: did on the text the veto was chosen on (below).
CONTEXT_KEEP = 2000
#: (History: until session 20 the judge's veto was a fixed value, 0.1, chosen in session 12 on text the rules and model
#: had not been tuned on: the test split, the held-out sides of three probes kept out of the corpus (20 to 22) and a
#: new probe (25) scored whole, 2,919 utterances (1,147 violations, 1,772 compliant, 153 of them flagged without the
#: judge).  With that judge, 0.05 dropped 8 of those 153 false alarms, 0.1 dropped 12 and lost no violation, 0.15
#: dropped 15 and lost 1, 0.2 dropped 19 and lost 2, 0.3 dropped 27 and lost 5.  With the windows cut at clause marks
#: and the contrast rows, on the test split and the held-out sides of probes 20 to 22, 2,619 utterances with 139 false
#: alarms without the judge: 0.1 dropped 13, 0.2 dropped 17, neither lost a violation; 0.1 was kept.  Since session 21
#: the veto is chosen on the development split alone, below.)
#:
#: The share of the development violations that the rules flag which the judges may score below the veto, out of
#: fold (an utterance counts when every rule finding in it scores below the veto): the limit the rule veto has too
#: (``VETO_COST_LIMIT`` in tools/train_linter.py).  Chosen in session 21, on the development split only.  At the end of
#: that session the rules alone flagged 3,317 development violations and 309 compliant utterances; out of fold a veto
#: of 0.1 scored 6 of those violations and 101 of those compliant utterances below it, 0.2 14 and 131, 0.35 31 and 169
#: (the choice), 0.45 48 and 187.  The model still scores the sentence of a dropped finding, so the linter loses fewer
#: violations than the judge alone would.
CONTEXT_COST_LIMIT = 0.01
#: The values the veto may take when chosen out of fold.
CONTEXT_STEPS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
#: The values the veto of a red line may take (see :func:`choose_context_veto`).
CONTEXT_GRID = (0.0, 0.02, *CONTEXT_STEPS)
FOLDS = 5


def rows(items: list[Any], rules: Any, extra_violations: Sequence[str] = (), extra_compliant: Sequence[str] = ()
         ) -> tuple[list[set[str]], list[int], list[str]]:
    """(feature sets, labels, groups) of the training rows of ``items`` (corpus items) and the extra texts."""
    features: list[set[str]] = []
    labels: list[int] = []
    groups: list[str] = []
    texts = [(item.text, item.violation, item.family) for item in items]
    texts += [(text, True, "handbook-violations") for text in extra_violations]
    texts += [(text, False, "handbook-lines") for text in extra_compliant]
    for text, violation, group in texts:
        for start, end, cancelled in rule_candidates(text, rules):
            if violation and cancelled:
                continue
            features.append(context_features(text, start, end))
            labels.append(int(violation))
            groups.append(group)
    return features, labels, groups


def contrast_violations(path: Path = CONTRAST_PATH) -> list[str]:
    """The texts of :data:`CONTRAST_PATH` (families of violations, as in the corpus)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [text for family in data["families"] for text in family["texts"]]


def _fit(features: list[set[str]], labels: list[int]) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(sorted(keys), 1) for keys in features])  # (sorted: no hash-seed order)
    return vec, LogisticRegression(C=CONTEXT_C, class_weight="balanced", max_iter=5000, random_state=0).fit(x, labels)


def export(vec: Any, clf: Any) -> tuple[float, dict[str, float], int]:
    """(bias, the kept weights, how many features there were)."""
    import numpy as np

    names = vec.get_feature_names_out()
    coef = clf.coef_[0]
    order = np.argsort(-np.abs(coef), kind="stable")[:CONTEXT_KEEP]
    weights = {str(names[k]): round(float(coef[k]), 4) for k in order}
    return round(float(clf.intercept_[0]), 4), {k: v for k, v in sorted(weights.items()) if v != 0}, len(names)


def lower_pattern_vetoes(top: float, grid: list[float], candidate: Callable[[dict[str, float]], LintModel], rules: Any,
                         examples: list[tuple[str, str]]) -> dict[str, float]:
    """The veto of each rule pattern that needs one below ``top``: ``top``, lowered along ``grid`` (then 0) for the
    patterns that make the findings of one of ``examples`` (the known violations) that ``lint`` with
    ``candidate(pattern vetoes)`` would not flag with its category, one step at a time until every example is flagged
    (or their vetoes are 0).  Shared by the model's rule veto (``tools/train_linter.choose_veto``) and the judge's
    (:func:`choose_context_veto`)."""
    steps = sorted({0.0, *(v for v in grid if v <= top)}, reverse=True)
    chosen: dict[str, float] = {}
    while True:
        model = candidate(chosen)
        lower: set[str] = set()
        for text, category in examples:
            if category not in {f.category for f in lint(text, rules, model)}:
                lower.update(p for (c, _), patterns in finding_patterns(text, rules).items() if c == category for p in patterns
                             if chosen.get(p, top) > 0)
        if not lower:
            break
        for pattern in lower:
            chosen[pattern] = max(v for v in steps if v < chosen.get(pattern, top))
    return dict(sorted(chosen.items()))


def choose_context_veto(model: dict, judge: dict, rules: Any, examples: list[tuple[str, str]],
                        top: float) -> dict[str, float]:
    """The veto of each rule pattern: ``top``, lowered along :data:`CONTEXT_GRID` (then 0) for the patterns that make
    the findings of one of ``examples`` (the known violations) that ``lint`` with ``model`` and the judge would not flag
    with its category (:func:`lower_pattern_vetoes`).  Returns :attr:`ContextJudge.pattern_veto`: one example the judge
    misreads lowers the veto of the patterns that find it only, not that of its whole red line (session 21; as the
    model's rule veto since session 16)."""
    return lower_pattern_vetoes(top, list(CONTEXT_GRID), lambda chosen: LintModel.from_dict(
        {**model, "context": {**judge, "veto": top, "category_veto": {}, "pattern_veto": chosen}}), rules, examples)


def fold_judges(items: list[Any], rules: Any, progress: Callable[[str], None] = print) -> tuple[dict[str, int], list[dict]]:
    """(the fold of each family, a judge trained without each fold): 5 folds of ``items`` by paraphrase family."""
    fold_of = {item.family: int(hashlib.sha256(item.family.encode("utf-8")).hexdigest(), 16) % FOLDS for item in items}
    contrast = contrast_violations()  # (read once for all folds)
    judges = []
    for fold in range(FOLDS):
        progress(f"  context judge, fold {fold + 1} of {FOLDS}")
        vec, clf = _fit(*rows([i for i in items if fold_of[i.family] != fold], rules, contrast)[:2])
        bias, weights, _ = export(vec, clf)
        judges.append({"bias": bias, "weights": weights, "veto": 0.0})
    return fold_of, judges


def veto_cost(scores: list[tuple[bool, float]], veto: float) -> tuple[int, int]:
    """(violations, compliant utterances) of ``scores`` (label, highest judge score of its rule findings) below ``veto``.

    >>> veto_cost([(True, 0.9), (True, 0.2), (False, 0.1), (False, 0.6)], 0.3)
    (1, 1)
    """
    return sum(1 for violation, p in scores if violation and p < veto), sum(1 for violation, p in scores if not violation and p < veto)


def choose_veto_out_of_fold(items: list[Any], rules: Any, fold_of: dict[str, int], judges: list[dict]) -> tuple[float, dict[str, Any]]:
    """The largest value of :data:`CONTEXT_STEPS` at which the judges of the other folds score at most
    :data:`CONTEXT_COST_LIMIT` of the development utterances that are violations and that the rules alone flag below
    it (an utterance scores as its highest rule finding); 0 if none.  Returns it and the figures of each step."""
    read = [ContextJudge.from_dict(judge) for judge in judges]
    scores = []
    for item in items:
        found = lint(item.text, rules, None)
        if found:
            judge = read[fold_of[item.family]]
            scores.append((item.violation, max(judge.probability(item.text, f.span) for f in found)))
    violations = sum(1 for violation, _ in scores if violation)
    compliant = len(scores) - violations
    curve = {f"{step:.2f}": veto_cost(scores, step) for step in CONTEXT_STEPS}
    allowed = [step for step in CONTEXT_STEPS if curve[f"{step:.2f}"][0] <= CONTEXT_COST_LIMIT * violations]
    return (max(allowed) if allowed else 0.0), {"oof_rules_only_violations": violations, "oof_rules_only_compliant": compliant,
                                                "oof_veto_curve": curve}


def out_of_fold(items: list[Any], rules: Any, model: dict, fold_of: dict[str, int], judges: list[dict], veto: float,
                pattern_veto: dict[str, float] | None = None) -> tuple[dict[str, int], dict[str, float]]:
    """Out of fold (the judges of :func:`fold_judges`): of the development utterances the linter (with ``model``, no
    judge) flags with a rule finding, how many the judge would leave unflagged, violations and compliant; and the veto of
    each red line, starting from ``veto``, lowered along :data:`CONTEXT_GRID` for the red lines
    of the rule findings of every development violation the judge of its fold would leave unflagged, until none is
    (or the veto is 0); the judges have ``pattern_veto`` too.  Returns (figures, the red lines' vetoes where not ``veto``)."""
    plain = LintModel.from_dict({**model, "context": None})
    judges = [{**judge, "veto": veto, "pattern_veto": dict(pattern_veto or {})} for judge in judges]
    flagged = []  # (item, its fold, the red lines of its rule findings)
    for item in items:
        found = {f.category for f in lint(item.text, rules, plain) if f.source == "rule"}
        if found:
            flagged.append((item, fold_of[item.family], found))
    vetoes: dict[str, float] = {}
    lower = sorted(CONTEXT_GRID, reverse=True)
    while True:
        judged = [LintModel.from_dict({**model, "context": {**judge, "category_veto": vetoes}}) for judge in judges]
        lost = [found for item, fold, found in flagged if item.violation and not lint(item.text, rules, judged[fold])]
        dropped = sum(1 for item, fold, _ in flagged if not item.violation and not lint(item.text, rules, judged[fold]))
        changed = False
        for found in lost:
            for category in found:
                below = [v for v in lower if v < vetoes.get(category, veto)]
                if below:
                    vetoes[category] = below[0]
                    changed = True
        if not lost or not changed:
            break
    figures = {"oof_rule_flagged_violations": sum(1 for item, _, _ in flagged if item.violation), "oof_violations_lost": len(lost),
               "oof_rule_flagged_compliant": sum(1 for item, _, _ in flagged if not item.violation),
               "oof_false_alarms_dropped": dropped}
    return figures, {category: v for category, v in sorted(vetoes.items()) if v != veto}


def train_context(items: list[Any], rules: Any, model: dict, handbook_violations: list[tuple[str, str]],
                  handbook_lines: list[str], progress: Callable[[str], None] = print,
                  protected: list[tuple[str, str]] | None = None) -> dict:
    """The exported judge (JSON-ready), trained on ``items`` (the development split) for ``model`` (exported dict).
    Its veto may drop none of ``protected`` (default: ``handbook_violations``; ``tools/train_linter.py`` passes every
    known violation, the regression sentences too, as the rule veto's choice does)."""
    features, labels, _ = rows(items, rules, [text for text, _ in handbook_violations] + contrast_violations(), handbook_lines)
    vec, clf = _fit(features, labels)
    bias, weights, total = export(vec, clf)
    fold_of, judges = fold_judges(items, rules, progress)
    top, chosen = choose_veto_out_of_fold(items, rules, fold_of, judges)
    judge = {"bias": bias, "weights": weights, "veto": top, "category_veto": {}, "pattern_veto": {}}
    pattern_veto = choose_context_veto(model, judge, rules, handbook_violations if protected is None else protected, top)
    info = {"trained_on": "rule matches in the development split of tests/data/linter-corpus", "rows": len(labels),
            "positive_rows": sum(labels), "features": total, "kept": len(weights), "C": CONTEXT_C,
            "oof_chosen_veto": top, "cost_limit": CONTEXT_COST_LIMIT, **chosen}
    # a red line whose findings the judges would drop in a development violation out of fold gets a lower veto too
    figures, lowered = out_of_fold(items, rules, model, fold_of, judges, top, pattern_veto)
    info.update(figures)
    judge = {**judge, "category_veto": lowered, "pattern_veto": pattern_veto, "info": info}
    ContextJudge.from_dict(judge)  # (reads back)
    return judge
