"""The red-line linter in the browser (Pyodide) gives the same findings as the API, including the model's flags."""

from __future__ import annotations

import pytest

from helpers import open_ready
from test_browser_calculators import submit, table

pytestmark = pytest.mark.browser

LINTER = "book/scripts/linter.html"


def test_model_flags_in_the_browser_match_the_api(page, site_url):
    from calculators import lint_script
    from procedures.rules import redlines

    open_ready(page, site_url, LINTER)
    draft = "您好。你老婆工资卡在谁手上，拿来还。你就是个老赖。"
    submit(page, {"text": draft})
    expected = lint_script(draft, redlines())
    assert [f.source for f in expected] == ["model", "rule"]
    rows = table(page)
    assert [r[1] for r in rows] == [f"“{f.text}”" for f in expected]
    assert "可能越线，需复核" in rows[0][0] and all(f"“{w}”" in rows[0][0] for w in expected[0].drivers)
    assert "这不是合规审核结论" in page.inner_text(".hb-result")


def test_clean_draft_in_the_browser_says_what_was_checked(page, site_url):
    open_ready(page, site_url, LINTER)
    submit(page, {"text": "“黑名单”其实并不存在，逾期信息按规定报送征信，还清后保存五年。"})
    text = page.inner_text(".hb-result")
    assert "未发现越过红线的表述" in text and "统计模型" in text and "这不是合规审核结论" in text and table(page) == []
