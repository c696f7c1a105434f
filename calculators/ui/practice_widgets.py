"""ipywidgets version of the exercise self-check, for trainees in JupyterLab (``make live``).

The same grading as the site (:func:`calculators.ui.practice.grade`, through the
``exercise`` tool of :data:`calculators.frontends.TOOLS`): a text box, option
buttons or line check boxes, a 提交 button (Enter in the text box does the
same), the verdict and the worked solution, and a retry; a spot exercise
also takes a rewritten line (``widget.rewrite``, checked by the red-line
linter: :func:`calculators.ui.practice.check_rewrite`).  Test without a
browser: set ``widget.answer.value``, call ``widget.submit()`` and read
``widget.verdict`` and ``widget.result.value`` (``widget.rewrite.value``,
``submit_rewrite()``, ``rewrite_verdict``, ``rewrite_result`` for a rewrite).
"""

from __future__ import annotations

import html
import json
from typing import Any, Mapping

import ipywidgets as w

from .frontends import TOOLS
from .views import View

__all__ = ["ExerciseWidget", "RoleplayWidget"]


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
        self.context: Any = None  # the red lines, loaded on the first rewrite
        self.button.on_click(lambda _button: self.submit())
        if kind == "compute":  # Enter (or leaving the box) submits, like the site form
            self.answer.observe(lambda _change: self.submit(), names="value")
        rows: list[w.Widget] = [w.HBox([self.answer, self.button]), self.error, self.result]
        # A spot exercise can also be answered by rewriting an offending line (checked by the red-line linter).
        self.rewrite: w.Text | None = None
        self.rewrite_error, self.rewrite_result, self.rewrite_verdict = w.HTML(), w.HTML(), ""
        self.rewrite_view: View | None = None
        if kind == "spot":
            self.rewrite = w.Text(description="或者改写一条违规记录（须通过话术红线检查）", style=style, continuous_update=False,
                                  layout=w.Layout(width="90%"))
            rewrite_button = w.Button(description="提交", button_style="primary")
            rewrite_button.on_click(lambda _button: self.submit_rewrite())
            self.rewrite.observe(lambda _change: self.submit_rewrite(), names="value")
            rows += [w.HBox([self.rewrite, rewrite_button]), self.rewrite_error, self.rewrite_result]
        self.widget = w.VBox(rows)

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

    def submit_rewrite(self) -> None:
        """Check the rewritten line (spot exercises): verdict in ``rewrite_verdict``, reasons in ``rewrite_result``.

        >>> box = ExerciseWidget({"id": "s", "kind": "spot", "count": 2, "lines": [1], "shown": "第 1 条",
        ...                       "originals": ["打到客户单位，请同事转告他欠款逾期了。"], "solution": ""})
        >>> box.rewrite.value = "请转告他，再不还钱就等着坐牢吧！"
        >>> box.rewrite_verdict, "坐牢" in box.rewrite_result.value
        ('incorrect', True)
        """
        if self.rewrite is None:
            return
        if self.context is None:
            from .frontends import load_context

            self.context = load_context("exercise")
        view = self.tool.view({"key": json.dumps(self.key, ensure_ascii=False), "answer": self.rewrite.value, "mode": "rewrite"},
                              self.context)
        self.rewrite_view = view
        if not view.ok:
            self.rewrite_verdict = ""
            self.rewrite_error.value = f'<span role="alert" style="color:#b42318">{html.escape(view.error_message or "")}</span>'
            self.rewrite_result.value = ""
            return
        self.rewrite_error.value = ""
        self.rewrite_verdict = view.summary["verdict"]
        self.rewrite_result.value = view.html

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class RoleplayWidget:
    """A case role-play in JupyterLab: each step's situation, an answer box and 提交, then the debrief.

    The grading is the ``roleplay`` tool of :data:`calculators.frontends.TOOLS`
    (:mod:`calculators.ui.roleplay`), as on the site.  Test without a browser: set
    ``rp.answers[step_id].value``, call ``rp.submit(step_id)`` and read
    ``rp.verdicts[step_id]``; ``rp.show_debrief()`` fills ``rp.debrief``.
    """

    def __init__(self, key: Mapping[str, Any], context: Any = None) -> None:
        from .frontends import load_context

        self.key = dict(key)
        self.tool = TOOLS["roleplay"]
        self.context = load_context("roleplay") if context is None else context
        self.answers: dict[str, w.Widget] = {}
        self.errors: dict[str, w.HTML] = {}
        self.results: dict[str, w.HTML] = {}
        self.verdicts: dict[str, str] = {}
        self.given: dict[str, str] = {}
        rows = []
        style = {"description_width": "initial"}
        for number, step in enumerate(self.key["steps"], 1):
            ident = step["id"]
            prompt = f"<h4>第 {number} 步：{html.escape(step['title'])}</h4><p>{html.escape(step['situation'])}</p>"
            if step["kind"] == "choose":
                prompt += "<ul>" + "".join(f"<li><b>{k}</b>．{html.escape(o['text'])}</li>" for k, o in step["options"].items()) + "</ul>"
                control: w.Widget = w.RadioButtons(options=list(step["options"]), value=None, description="你的做法", style=style)
            else:
                label = {"say": "你会怎么说", "figure": "你的答案（元）", "plan": "你建议的期数"}[step["kind"]]
                control = w.Text(description=label, style=style, continuous_update=False,
                                 layout=w.Layout(width="90%" if step["kind"] == "say" else "auto"))
            button = w.Button(description="提交", button_style="primary")
            button.on_click(lambda _b, ident=ident: self.submit(ident))
            self.answers[ident], self.errors[ident], self.results[ident] = control, w.HTML(), w.HTML()
            rows.append(w.VBox([w.HTML(prompt), w.HBox([control, button]), self.errors[ident], self.results[ident]]))
        self.debrief = w.HTML()
        done = w.Button(description="查看复盘")
        done.on_click(lambda _b: self.show_debrief())
        self.widget = w.VBox(rows + [done, self.debrief])

    def submit(self, step_id: str) -> None:
        value = self.answers[step_id].value
        typed = "" if value is None else str(value)
        view = self.tool.view({"key": json.dumps(self.key, ensure_ascii=False), "step": step_id, "answer": typed}, self.context)
        if not view.ok:
            self.verdicts[step_id] = ""
            self.errors[step_id].value = f'<span role="alert" style="color:#b42318">{html.escape(view.error_message or "")}</span>'
            self.results[step_id].value = ""
            return
        self.given[step_id] = typed
        self.errors[step_id].value = ""
        self.verdicts[step_id] = view.summary["verdict"]
        self.results[step_id].value = view.html

    def show_debrief(self) -> None:
        view = self.tool.view({"key": json.dumps(self.key, ensure_ascii=False), "step": "debrief",
                               "answer": json.dumps(self.given, ensure_ascii=False)}, self.context)
        self.debrief.value = view.html

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
