"""Charts draw Chinese as glyph outlines from a CJK font: characters on every machine, never boxes."""

from __future__ import annotations

import re

import pytest

from calculators.ui import cjkfont
from procedures import workflow
from calculators.ui.workflow_diagram import workflow_svg


def test_workflow_diagram_uses_cjk_glyphs_for_every_character():
    svg = workflow_svg()
    glyph_fonts = {glyph.rsplit("-", 1)[0] for glyph in re.findall(r'<path id="([^"]+)"', svg)}
    assert glyph_fonts and all("CJK" in font or "SC" in font or "Han" in font for font in glyph_fonts), glyph_fonts
    assert "<text" not in svg  # no text left for the reader's fonts to (mis)render
    uses = len(re.findall(r"<use xlink:href=\"#", svg))
    drawn = sum(len(stage.title) + len(f"第 {stage.order} 步".replace(" ", "")) for stage in workflow())
    assert uses >= drawn  # every character of every box title is drawn (plus the legend)


def test_missing_cjk_font_is_an_error_that_says_what_to_install(monkeypatch):
    from matplotlib import font_manager

    cjkfont.cjk_font.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [f for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans"])
    with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
        cjkfont.cjk_font()
    cjkfont.cjk_font.cache_clear()
