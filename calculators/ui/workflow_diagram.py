"""The whole-workflow diagram, drawn from ``procedures/workflow/*.yml``.

Stages are boxes in their order; each ``next`` link is an arrow (the next
stage straight, a later stage arched above, a way back dashed and arched
below, with a legend).  The one-line summaries are in the table under it.  Output is SVG with glyphs as paths, so it renders offline in any
browser, with or without Chinese fonts.
"""

from __future__ import annotations

import io

from procedures import loader

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

    from .cjkfont import use_cjk_font

    use_cjk_font()
    stages = loader.workflow()
    index = {s.id: i for i, s in enumerate(stages)}
    width, gap, height = 2.4, 1.0, 1.1
    fig, ax = plt.subplots(figsize=(len(stages) * 2.5, 4.2))
    x_of = [i * (width + gap) for i in range(len(stages))]
    for i, stage in enumerate(stages):
        ax.add_patch(FancyBboxPatch((x_of[i], 0), width, height, boxstyle="round,pad=0.04,rounding_size=0.15",
                                    linewidth=1.4, edgecolor="#1f4e79", facecolor="#e8f0fa"))
        title = stage.title.replace("（", "\n（", 1) if len(stage.title) > 7 else stage.title
        ax.text(x_of[i] + width / 2, height * 0.78, f"第 {stage.order} 步", ha="center", va="center", fontsize=9, color="#1f4e79")
        ax.text(x_of[i] + width / 2, height * 0.38, title, ha="center", va="center", fontsize=11.5, weight="bold", linespacing=1.2)
    for stage in stages:
        a = index[stage.id]
        for target in stage.next:
            b = index[target]
            if b == a + 1:  # the normal next step
                start, end, style, color, line = (x_of[a] + width, height / 2), (x_of[b], height / 2), "arc3,rad=0", "#1f4e79", "-"
            elif b > a:  # a later stage directly: arched above
                start, end, style, color, line = (x_of[a] + width * 0.65, height), (x_of[b] + width * 0.35, height), "arc3,rad=-0.28", "#1f4e79", "-"
            else:  # back to an earlier stage when things change: arched below, dashed red
                start, end, style, color, line = (x_of[a] + width * 0.35, 0), (x_of[b] + width * 0.65, 0), "arc3,rad=-0.28", "#c0504d", "--"
            ax.add_patch(FancyArrowPatch(start, end, connectionstyle=style, arrowstyle="-|>", mutation_scale=14,
                                         linewidth=1.3, color=color, linestyle=line))
    right = x_of[-1] + width
    ax.text(0, -2.05, "蓝色实线：正常推进或直接进入后面的环节　　红色虚线：情况变化时回到前面的环节",
            ha="left", va="center", fontsize=9, color="#333333")
    ax.set_xlim(-0.2, right + 0.2)
    ax.set_ylim(-2.3, height + 2.3)
    ax.set_aspect("equal")
    ax.axis("off")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()
