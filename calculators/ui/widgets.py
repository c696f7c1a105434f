"""ipywidgets front ends of the two calculators, for trainers in JupyterLab or Voila.

Thin views over :mod:`calculators.views`: a change of an input recomputes
through the public API.  What is typed in a text box is computed when typing
pauses (:data:`TYPING_PAUSE` after the last keystroke, as the site's forms wait),
not on every keystroke; a value set from code (``calc.inputs[name].value = …``,
or outside a running kernel) is computed at once.  A bad input shows the form's message
under its field (never a traceback) and clears the result, so no stale figure
stays on screen; a plausibility warning shows under its field next to the
result.  A published preset fills in the fields it sets and locks them, so what
is shown is what is computed.  Test them without a browser: set
``calc.inputs[name].value`` and read ``calc.errors[name].value``,
``calc.warnings[name].value`` and ``calc.result.value``.
"""

from __future__ import annotations

import asyncio
import html
from datetime import date

import ipywidgets as w

from ..display import percent
from .frontends import TOOLS, load_context
from .views import View, preset_fill

__all__ = ["TYPING_PAUSE", "ToolWidget", "OverdueCalculator", "PlanCalculator", "ContactPlanChecker", "OverdraftTracker", "ScriptLinter"]


#: Seconds without a keystroke after which a widget computes what was typed in a text box (the site's forms wait as long).
TYPING_PAUSE = 0.3


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the kernel serving the widgets (ipykernel runs one), or None outside a running loop."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class ToolWidget:
    """Inputs, per-field error labels and a result area, wired to one tool of :data:`calculators.frontends.TOOLS`."""

    kind = "overdue"

    def __init__(self, context=None) -> None:
        """``context``: the profile or rules object to use (default: the handbook's own)."""
        self.tool = TOOLS[self.kind]
        self.context = load_context(self.kind) if context is None else context
        self.fields, self.defaults = self.tool.fields, self.tool.defaults_for(self.context)
        self.inputs: dict[str, w.Widget] = {name: self._control(name, spec) for name, spec in self.fields.items()}
        self.errors = {name: w.HTML(layout=w.Layout(min_height="1.2em")) for name in self.fields}
        self.warnings = {name: w.HTML() for name in self.fields}
        self.result = w.HTML()
        self.view: View | None = None
        self._filling = False
        self._pending: asyncio.TimerHandle | None = None  # the recompute waiting for typing to pause
        rows = [w.VBox([self.inputs[name], self.errors[name], self.warnings[name]]) for name in self.fields]
        columns = "repeat(2, 1fr)" if len(rows) > 1 else "1fr"
        header = w.HTML(f"<p><b>{self.tool.title}</b></p>")
        self.widget = w.VBox([header, w.GridBox(rows, layout=w.Layout(grid_template_columns=columns)), self.result])
        for control in self.inputs.values():
            control.observe(self._changed, names="value")
        self.update()

    def _changed(self, change) -> None:
        """A value changed: text typed in the browser waits for a pause in typing; anything else is computed at once."""
        owner = change["owner"]
        # (ipywidgets holds a value sent by the browser in _property_lock while it notifies: pinned 8.1.9, and
        # tests/test_live_session.py sends the browser's messages to a real kernel)
        typed = isinstance(owner, (w.Text, w.Textarea)) and "value" in owner._property_lock
        loop = _running_loop() if typed and not self._filling else None
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if loop is None:
            self.update(change)
        else:
            self._pending = loop.call_later(TYPING_PAUSE, self._typed)

    def _typed(self) -> None:
        self._pending = None
        self.update()

    def fill(self, values: dict[str, str], *, lock: bool) -> None:
        """Set several inputs at once (one recompute, by the caller) and lock or unlock them."""
        self._filling = True
        try:
            for name, value in values.items():
                self.inputs[name].value = value
                self.inputs[name].disabled = lock
        finally:
            self._filling = False

    def _control(self, name: str, spec: tuple[str, str, str]) -> w.Widget:
        label, kind, _hint = spec
        value = self.defaults.get(name, "")
        hint = self.tool.hint_for(name, self.context)  # (the profile's own example value, as the site form's)
        style = {"description_width": "initial"}
        if kind == "date":
            return w.DatePicker(description=label, value=date.fromisoformat(value) if value else None, style=style)
        if kind == "textarea":
            return w.Textarea(description=label, value=value, placeholder=hint, style=style, continuous_update=True,
                              layout=w.Layout(width="100%", height=f"{max(4, value.count(chr(10)) + 2) * 1.6}em"))
        if kind == "select":  # the profile's published installment rates
            options = [("不用预设", "")] + [(f"{k} 期，每期 {percent(v)}", str(k)) for k, v in self.context.installment_rates.items()]
            return w.Dropdown(description=label, options=options, value="", style=style)
        return w.Text(description=label, value=value, placeholder=hint, style=style, continuous_update=True)

    def values(self) -> dict[str, str]:
        """The current inputs as the text the view expects (dates as ISO strings, empty when unset)."""
        out = {}
        for name, control in self.inputs.items():
            value = control.value
            out[name] = value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))
        return out

    def update(self, _change=None) -> None:
        if self._filling:
            return
        self.view = self.tool.view(self.values(), self.context)
        notes = dict(self.view.warnings)
        for name, label in self.errors.items():
            message = self.view.error_message if name == self.view.error_field else ""
            label.value = f'<span role="alert" style="color:#b42318">{html.escape(message)}</span>' if message else ""
            note = notes.get(name, "")
            self.warnings[name].value = f'<span style="color:#8a5a00">{html.escape(note)}</span>' if note else ""
        self.result.value = self.view.html if self.view.ok else "<p><i>请先更正上面标红的输入。</i></p>"

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class OverdueCalculator(ToolWidget):
    """Overdue-fee calculator: statement, payments made, cycles to project -> table and chart.

    >>> calc = OverdueCalculator()
    >>> calc.view.summary["total_late_fees"]
    '1,268.87'
    >>> calc.inputs["minimum_due"].value = "abc"
    >>> calc.errors["minimum_due"].value.startswith('<span'), calc.view.ok
    (True, False)
    """

    kind = "overdue"


class PlanCalculator(ToolWidget):
    """Repayment-plan calculator: principal, term, fee rate or a bank preset -> schedule and cost.

    >>> calc = PlanCalculator()
    >>> calc.view.summary["apr"], calc.view.summary["apr_simple"]
    ('14.31%', '14.62%')

    Choosing a published preset fills in 期数 and 费率 and locks them:

    >>> calc.inputs["preset"].value = "3"
    >>> calc.inputs["periods"].value, calc.inputs["periods"].disabled, calc.view.summary["periods"]
    ('3', True, '3')
    """

    kind = "plan"

    def update(self, change=None) -> None:
        if change is not None and not self._filling and change.get("owner") is self.inputs["preset"]:
            preset = change["new"]
            if preset:
                self.fill(preset_fill(preset, self.context), lock=True)
            else:
                self.fill({}, lock=False)
                for name in ("periods", "monthly_fee_rate"):
                    self.inputs[name].disabled = False
        super().update(change)


class ContactPlanChecker(ToolWidget):
    """Contact-plan checker: paste a contact log, see each violation with its rule and source.

    >>> checker = ContactPlanChecker()
    >>> checker.view.summary["violations"]
    '2'
    """

    kind = "conduct"


class OverdraftTracker(ToolWidget):
    """Malicious-overdraft tracker: collection log and unpaid principal -> the countable facts.

    >>> OverdraftTracker().view.summary["band"]
    '数额较大'
    """

    kind = "overdraft"


class ScriptLinter(ToolWidget):
    """Red-line linter for draft scripts.

    >>> linter = ScriptLinter()
    >>> linter.inputs["text"].value = "您好，请问是李女士本人吗？"
    >>> linter.view.summary["findings"]
    '0'
    """

    kind = "lint"
