"""The whole-workflow diagram, drawn from ``procedures/workflow/*.yml``.

Stages are boxes in their order; each ``next`` link is an arrow (forward links
between neighbours straight, longer jumps arched above, links back arched
below).  Output is SVG with glyphs as paths, so it renders offline in any
browser, with or without Chinese fonts.
"""

from __future__ import annotations

import io
import textwrap

from . import loader

__all__ = ["workflow_svg"]


def workflow_svg() -> str:
    """The diagram as an SVG document (text).

    >>> svg = workflow_svg()
    >>> svg.startswith("<?xml") and "<path" in svg
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from calculators.cjkfont import use_cjk_font

    use_cjk_font()
    stages = loader.workflow()
    index = {s.id: i for i, s in enumerate(stages)}
    width, gap = 2.2, 0.9
    fig, ax = plt.subplots(figsize=(len(stages) * 2.25, 3.6))
    x_of = [i * (width + gap) for i in range(len(stages))]
    for i, stage in enumerate(stages):
        box = FancyBboxPatch((x_of[i], 0), width, 1.0, boxstyle="round,pad=0.04,rounding_size=0.12",
                             linewidth=1.4, edgecolor="#1f4e79", facecolor="#e8f0fa")
        ax.add_patch(box)
        ax.text(x_of[i] + width / 2, 0.62, f"{stage.order}", ha="center", va="center", fontsize=10, color="#1f4e79")
        ax.text(x_of[i] + width / 2, 0.36, stage.title, ha="center", va="center", fontsize=12, weight="bold")
        summary = "\n".join(textwrap.wrap(stage.summary, 11)[:4])
        ax.text(x_of[i] + width / 2, -0.12, summary, ha="center", va="top", fontsize=8.5, color="#333333", linespacing=1.35)
    for stage in stages:
        a = index[stage.id]
        for target in stage.next:
            b = index[target]
            if b == a + 1:
                start, end, style = (x_of[a] + width, 0.5), (x_of[b], 0.5), "arc3,rad=0"
            elif b > a:
                start, end, style = (x_of[a] + width * 0.7, 1.0), (x_of[b] + width * 0.3, 1.0), "arc3,rad=-0.35"
            else:
                start, end, style = (x_of[a] + width * 0.3, 1.0), (x_of[b] + width * 0.7, 1.0), "arc3,rad=0.35"
            ax.add_patch(FancyArrowPatch(start, end, connectionstyle=style, arrowstyle="-|>", mutation_scale=14,
                                         linewidth=1.2, color="#c0504d" if b < a else "#1f4e79"))
    ax.set_xlim(-0.2, x_of[-1] + width + 0.2)
    ax.set_ylim(-1.35, 2.0)
    ax.set_aspect("equal")
    ax.axis("off")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()
