"""Pick a font with Chinese glyphs for matplotlib, or fail loudly.

Charts are saved as SVG with the glyphs drawn as paths, so a reader's browser
shows the characters without needing any font; the build machine needs one
CJK font (Debian: ``fonts-noto-cjk``, installed by ``make book``).  Without it,
matplotlib would silently draw empty boxes: this module raises instead.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["PREFERRED_FONTS", "cjk_font", "use_cjk_font"]

#: Families tried in order (Linux, then Windows and macOS names).
PREFERRED_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The first installed family from :data:`PREFERRED_FONTS` (raises ``RuntimeError`` if none)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in PREFERRED_FONTS:
        if family in installed:
            return family
    raise RuntimeError(
        "No font with Chinese characters found for charts; install one, e.g. "
        "'sudo apt-get install fonts-noto-cjk' (Debian/Ubuntu), then rebuild. "
        f"Looked for: {', '.join(PREFERRED_FONTS)}"
    )


def use_cjk_font() -> str:
    """Configure matplotlib for Chinese text and SVG output with glyphs as paths."""
    import matplotlib

    family = cjk_font()
    matplotlib.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,  # CJK fonts often lack U+2212
        "svg.fonttype": "path",  # glyphs as outlines: no font needed to view
        "svg.hashsalt": "collections-handbook",  # stable ids, reproducible files
    })
    return family
