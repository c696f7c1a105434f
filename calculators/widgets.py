"""ipywidgets front ends of the two calculators, for trainers in JupyterLab or Voila.

Thin views over :mod:`calculators.views`: every change of an input recomputes
through the public API; a bad input shows the calculator's message next to its
field (never a traceback) and clears the result, so no stale figure stays on
screen.  Test them without a browser: set ``calc.inputs[name].value`` and read
``calc.errors[name].value`` and ``calc.result.value``.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from .terms import Terms, handbook_terms
from .views import OVERDUE_DEFAULTS, OVERDUE_FIELDS, PLAN_DEFAULTS, PLAN_FIELDS, View, overdue_view, plan_view

__all__ = ["OverdueCalculator", "PlanCalculator"]


class _Calculator:
    """Inputs, per-field error labels and a result area, wired to one view function."""

    fields: dict[str, tuple[str, str, str]] = {}
    defaults: dict[str, str] = {}
    render = staticmethod(overdue_view)  # the view function: (inputs, terms) -> View

    def __init__(self, terms: Terms | None = None) -> None:
        self.terms = terms or handbook_terms()
        self.inputs: dict[str, w.Widget] = {name: self._control(name, spec) for name, spec in self.fields.items()}
        self.errors = {name: w.HTML(layout=w.Layout(min_height="1.2em")) for name in self.fields}
        self.result = w.HTML()
        self.view: View | None = None
        rows = [w.VBox([self.inputs[name], self.errors[name]]) for name in self.fields]
        header = w.HTML(f"<p>条款配置：{self.terms.issuer}（{self.terms.code}）</p>")
        self.widget = w.VBox([header, w.GridBox(rows, layout=w.Layout(grid_template_columns="repeat(2, 1fr)")), self.result])
        for control in self.inputs.values():
            control.observe(self.update, names="value")
        self.update()

    def _control(self, name: str, spec: tuple[str, str, str]) -> w.Widget:
        label, kind, hint = spec
        value = self.defaults.get(name, "")
        style = {"description_width": "initial"}
        if kind == "date":
            return w.DatePicker(description=label, value=date.fromisoformat(value) if value else None, style=style)
        if kind == "textarea":
            return w.Textarea(description=label, value=value, placeholder=hint, style=style)
        if kind == "select":
            options = [("不用预设", "")] + [(f"{k} 期，每期 {v * 100:.2f}%", str(k)) for k, v in self.terms.installment_rates.items()]
            return w.Dropdown(description=label, options=options, value="", style=style)
        return w.Text(description=label, value=value, placeholder=hint, style=style)

    def values(self) -> dict[str, str]:
        """The current inputs as the text the view expects (dates as ISO strings, empty when unset)."""
        out = {}
        for name, control in self.inputs.items():
            value = control.value
            out[name] = value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))
        return out

    def update(self, _change=None) -> None:
        self.view = self.render(self.values(), self.terms)
        for name, label in self.errors.items():
            message = self.view.error_message if name == self.view.error_field else ""
            label.value = f'<span style="color:#b42318">{message}</span>' if message else ""
        self.result.value = self.view.html if self.view.ok else "<p><i>请先更正上面标红的输入。</i></p>"

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class OverdueCalculator(_Calculator):
    """Overdue-fee calculator: statement, payments made, cycles to project -> table and chart.

    >>> calc = OverdueCalculator()
    >>> calc.view.summary["total_late_fees"]
    '1,268.87'
    >>> calc.inputs["minimum_due"].value = "abc"
    >>> calc.errors["minimum_due"].value.startswith('<span'), calc.view.ok
    (True, False)
    """

    fields, defaults, render = OVERDUE_FIELDS, OVERDUE_DEFAULTS, staticmethod(overdue_view)


class PlanCalculator(_Calculator):
    """Repayment-plan calculator: principal, term, fee rate or a bank preset -> schedule and cost.

    >>> calc = PlanCalculator()
    >>> calc.view.summary["apr"], calc.view.summary["apr_simple"]
    ('14.31%', '14.62%')
    """

    fields, defaults, render = PLAN_FIELDS, PLAN_DEFAULTS, staticmethod(plan_view)
