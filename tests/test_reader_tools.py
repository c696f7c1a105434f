"""The reader-site tools' doctests (tools/ is not among pytest's doctest paths) and their small contracts."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["tools.a11y", "tools.search_zh", "tools.serve", "tools.offline"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_a11y_fixes_leave_other_markup_alone():
    from tools.a11y import fix_page

    untouched = '<p>讲师提示</p><input name="x" type="text"><h2>节</h2><h4 class="other">x</h4>'
    assert fix_page(untouched) == untouched


def test_index_and_query_share_the_figure_expression():
    """hb-search.js cuts figures with the same expression as the index side (tools/search_zh.py)."""
    from pathlib import Path

    from tools.search_zh import NUMBER

    script = (Path(__file__).resolve().parent.parent / "book" / "_static" / "hb-search.js").read_text(encoding="utf-8")
    assert f"const NUMBER = /{NUMBER.pattern}/g;" in script
