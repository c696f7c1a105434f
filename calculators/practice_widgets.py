"""ipywidgets version of the exercise self-check, for trainees in JupyterLab (``make live``).

The same grading as the site (:func:`calculators.practice.grade`, through the
``exercise`` tool of :data:`calculators.frontends.TOOLS`): a text box, option
buttons or line check boxes, a 提交 button (Enter in the text box does the
same), the verdict and the worked solution, and a retry.  Test without a
browser: set ``widget.answer.value``, call ``widget.submit()`` and read
``widget.verdict`` and ``widget.result.value``.
"""

from __future__ import annotations

import html
import json
from typing import Any, Mapping

import ipywidgets as w

from .frontends import TOOLS
from .views import View

__all__ = ["ExerciseWidget"]


class ExerciseWidget:
    """One exercise's answer box.

    >>> key = {"id": "fee", "kind": "compute", "unit": "amount", "value": "40.00", "shown": "40.00 元", "label": "违约金",
    ...        "solution": "<p>800 × 5% = 40.00 元。</p>"}
    >>> box = ExerciseWidget(key)
    >>> box.answer.value = "４０元"
    >>> box.submit(); box.verdict
    'correct'
    """

    def __init__(self, key: Mapping[str, Any]) -> None:
        self.key = dict(key)
        self.tool = TOOLS["exercise"]
        kind = self.key["kind"]
        style = {"description_width": "initial"}
        if kind == "compute":
            self.answer: w.Widget = w.Text(description=f"你的答案（{self.key.get('label', '')}）", style=style,
                                           continuous_update=False)
        elif kind == "choice":
            self.answer = w.RadioButtons(options=list(self.key["options"]), value=None, description="你的选择", style=style)
        else:
            self.answer = w.SelectMultiple(options=[(f"第 {i} 条", str(i)) for i in range(1, int(self.key["count"]) + 1)],
                                           description="违规的记录（可多选）", style=style)
        self.button = w.Button(description="提交", button_style="primary")
        self.error = w.HTML()
        self.result = w.HTML()
        self.verdict = ""
        self.view: View | None = None
        self.button.on_click(lambda _button: self.submit())
        if kind == "compute":  # Enter (or leaving the box) submits, like the site form
            self.answer.observe(lambda _change: self.submit(), names="value")
        self.widget = w.VBox([w.HBox([self.answer, self.button]), self.error, self.result])

    def typed(self) -> str:
        """The answer as the grader reads it: text, a letter, or line numbers joined by commas."""
        value = self.answer.value
        if isinstance(value, tuple):
            return ",".join(value)
        return "" if value is None else str(value)

    def submit(self) -> None:
        """Grade the current answer and show the verdict and the solution (or the input error)."""
        self.view = self.tool.view({"key": json.dumps(self.key, ensure_ascii=False), "answer": self.typed()}, None)
        if not self.view.ok:
            self.verdict = ""
            self.error.value = f'<span role="alert" style="color:#b42318">{html.escape(self.view.error_message or "")}</span>'
            self.result.value = ""
            return
        self.error.value = ""
        self.verdict = self.view.summary["verdict"]
        self.result.value = self.view.html

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
