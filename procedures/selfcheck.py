"""The skills self-assessment: score a trainee's ratings and point at what to practise.

The statements and the five-level scale come from ``procedures/skills.yml``.
:func:`score` is plain Python (tested); :func:`self_assessment_widget` is a thin
ipywidgets view for live training sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping, Sequence

from . import loader

__all__ = ["SkillScore", "score", "self_assessment_widget"]


@dataclass(frozen=True)
class SkillScore:
    skill_id: str
    name: str
    average: Decimal  # 1.0 .. 5.0, one decimal, half up
    growth: tuple[str, ...]


def score(ratings: Mapping[str, Sequence[int]]) -> list[SkillScore]:
    """Average each skill's ratings (1–5 per statement), weakest skill first.

    ``ratings`` maps every skill id to one rating per self-check statement.
    Ties keep the order of ``skills.yml``.

    >>> skills = loader.skills().skills
    >>> ratings = {s.id: [4] * len(s.self_check) for s in skills}
    >>> ratings["resilience"] = [2] * (len(ratings["resilience"]) - 1) + [5]   # e.g. 2, 2, 5 -> 3.0
    >>> result = score(ratings)
    >>> n = len(ratings["resilience"])
    >>> result[0].skill_id, result[0].average == (Decimal(2 * (n - 1) + 5) / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    ('resilience', True)
    """
    skills = loader.skills().skills
    known = {s.id: s for s in skills}
    if set(ratings) != set(known):
        raise ValueError(f"ratings must cover exactly the skills {sorted(known)}, got {sorted(ratings)}")
    results = []
    for skill in skills:
        values = list(ratings[skill.id])
        if len(values) != len(skill.self_check):
            raise ValueError(f"{skill.id}: {len(skill.self_check)} ratings expected (one per statement), got {len(values)}")
        if any(isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5 for v in values):
            raise ValueError(f"{skill.id}: each rating must be a whole number from 1 to 5, got {values}")
        average = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        results.append(SkillScore(skill.id, skill.name, average, tuple(skill.growth)))
    return sorted(results, key=lambda r: r.average)


def self_assessment_widget():
    """Sliders for every statement; the result updates on every change (live sessions)."""
    import ipywidgets as w

    data = loader.skills()
    sliders: dict[str, list] = {}
    boxes = []
    for skill in data.skills:
        sliders[skill.id] = [
            w.IntSlider(value=3, min=1, max=5, description="", continuous_update=False, layout=w.Layout(width="240px"))
            for _ in skill.self_check
        ]
        rows = [w.HBox([w.Label(text, layout=w.Layout(width="460px")), slider]) for text, slider in zip(skill.self_check, sliders[skill.id])]
        boxes.append(w.VBox([w.HTML(f"<b>{skill.name}</b>")] + rows))
    result = w.HTML()

    def update(_=None):
        scores = score({k: [s.value for s in v] for k, v in sliders.items()})
        weakest = scores[0]
        items = "".join(f"<li>{s.name}：{s.average}</li>" for s in scores)
        tips = "".join(f"<li>{t}</li>" for t in weakest.growth)
        result.value = f"<p>平均分（1–5，低分在前）：</p><ol>{items}</ol><p>建议优先练习：<b>{weakest.name}</b></p><ul>{tips}</ul>"

    for group in sliders.values():
        for slider in group:
            slider.observe(update, names="value")
    update()
    scale = "；".join(f"{i} = {label}" for i, label in enumerate(data.scale, 1))
    return w.VBox([w.HTML(f"<p>评分标准：{scale}</p>")] + boxes + [result])
