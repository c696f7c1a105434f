"""The registry of interactive tools and the two ways they reach readers: site forms and the browser.

Each tool (two calculators, three rule tools) is one :class:`Tool`: its form
fields and defaults, its view function, and the *context* it needs (a terms
profile or a rules object).  :func:`form_html` renders the static site's form
with a worked example computed at build time; :func:`browser_call` is what the
page's JavaScript calls inside Pyodide.  Widgets use the same registry
(:mod:`calculators.ui.widgets`).  Standard library only, except :func:`load_context`
which reads the YAML data on CPython.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..compliance.conduct import ConductRules
from ..compliance.overdraft import OverdraftRules
from ..display import percent
from ..compliance.redlines import RedlineRules
from ..terms import Terms
from .practice import ANSWER_FIELDS, exercise_view
from .roleplay import ROLEPLAY_FIELDS, PracticeContext, roleplay_view
from .rule_views import (
    CONDUCT_DEFAULTS,
    CONDUCT_FIELDS,
    LINT_DEFAULTS,
    LINT_FIELDS,
    OVERDRAFT_DEFAULTS,
    OVERDRAFT_FIELDS,
    conduct_view,
    lint_view,
    overdraft_view,
)
from .views import (OVERDUE_DEFAULTS, OVERDUE_FIELDS, PLAN_DEFAULTS, PLAN_FIELDS, View, overdue_defaults, overdue_view,
                    plan_defaults, plan_view, preset_fill)

__all__ = ["Tool", "TOOLS", "load_context", "contexts_for_browser", "form_html", "browser_call"]


@dataclass(frozen=True)
class Tool:
    kind: str
    title: str
    fields: Mapping[str, tuple[str, str, str]]
    defaults: Mapping[str, str]
    view: Callable[[Mapping[str, str], Any], View]
    context: str  # key of the context object: "terms", "conduct", "overdraft" or "redlines"
    from_dict: Callable[[Any], Any]
    #: The defaults for a given context, where they depend on it (the plan's example takes the profile's rate and
    #: longest term: views.plan_defaults); else :attr:`defaults`.
    adapt: Callable[[Any], Mapping[str, str]] | None = None

    def defaults_for(self, context: Any) -> Mapping[str, str]:
        """The form's starting values for ``context`` (the profile or rules the tool runs on)."""
        return self.adapt(context) if self.adapt is not None and context is not None else self.defaults

    def hint_for(self, name: str, context: Any) -> str:
        """Field ``name``'s hint for ``context``: a hint that quotes the general example value quotes this profile's
        instead ("例如 0.66" reads "例如 0.72" for a bank whose example rate is 0.72).

        >>> from dataclasses import replace
        >>> from decimal import Decimal
        >>> from calculators import load_terms
        >>> short = replace(load_terms("cmb"), installment_max_periods=6, installment_rates={6: Decimal("0.0072")})
        >>> TOOLS["plan"].hint_for("monthly_fee_rate", load_terms("cmb")), TOOLS["plan"].hint_for("monthly_fee_rate", short)
        ('百分数，例如 0.66 或 0.66%', '百分数，例如 0.72 或 0.72%')
        """
        hint = self.fields[name][2]
        general, own = self.defaults.get(name, ""), self.defaults_for(context).get(name, "")
        return hint.replace(general, own) if general and own and general != own and general in hint else hint


def _terms_from_dict(data: Any) -> Terms:
    return Terms.from_dict(data, origin="profile.json")


TOOLS: dict[str, Tool] = {
    tool.kind: tool for tool in (
        Tool("overdue", "逾期费用计算器", OVERDUE_FIELDS, OVERDUE_DEFAULTS, overdue_view, "terms", _terms_from_dict, overdue_defaults),
        Tool("plan", "还款方案计算器", PLAN_FIELDS, PLAN_DEFAULTS, plan_view, "terms", _terms_from_dict, plan_defaults),
        Tool("conduct", "联系计划合规检查", CONDUCT_FIELDS, CONDUCT_DEFAULTS, conduct_view, "conduct", ConductRules.from_dict),
        Tool("overdraft", "恶意透支风险节点核对", OVERDRAFT_FIELDS, OVERDRAFT_DEFAULTS, overdraft_view, "overdraft", OverdraftRules.from_dict),
        Tool("lint", "话术红线检查", LINT_FIELDS, LINT_DEFAULTS, lint_view, "redlines", RedlineRules.from_dict),
        # Exercise self-check (calculators.ui.practice): the page gives the key, the trainee the answer.
        Tool("exercise", "练习自测", ANSWER_FIELDS, {}, exercise_view, "redlines", RedlineRules.from_dict),
        # Case role-plays (calculators.ui.roleplay): the profile for plans and figures, the red lines for what is said.
        Tool("roleplay", "案例演练", ROLEPLAY_FIELDS, {}, roleplay_view, "practice", PracticeContext.from_dict),
    )
}


def load_context(kind: str) -> Any:
    """The context object a tool runs with on CPython: the handbook's profile or the rules data."""
    context = TOOLS[kind].context
    if context == "terms":
        from ..terms import handbook_terms

        return handbook_terms()
    from procedures import rules  # YAML data, validated with pydantic: CPython only

    if context == "practice":
        from ..terms import handbook_terms

        return PracticeContext(handbook_terms(), rules.redlines())
    return {"conduct": rules.conduct_rules, "overdraft": rules.overdraft_rules, "redlines": rules.redlines}[context]()


def contexts_for_browser() -> dict[str, Any]:
    """Every context as JSON-ready data, keyed like :attr:`Tool.context` (written into the site's manifest)."""
    # "practice" is made of "terms" and "redlines": the page composes it (book/_static/practice.js), not sent twice.
    return {tool.context: load_context(tool.kind).to_dict() for tool in TOOLS.values() if tool.context != "practice"}


def form_html(kind: str, context: Any = None, defaults: Mapping[str, str] | None = None) -> str:
    """The site form of tool ``kind``, pre-filled, with the worked example computed now (the build)."""
    tool = TOOLS[kind]
    context = load_context(kind) if context is None else context
    values = {**tool.defaults_for(context), **(defaults or {})}
    controls = []
    for name, (label, input_type, _hint) in tool.fields.items():
        value = html.escape(values.get(name, ""))
        hint = tool.hint_for(name, context)
        ident = f"hb-{kind}-{name}"
        # The error and warning texts sit under the field, outside the <label>, linked to the control.
        common = f'name="{name}" id="{ident}" aria-describedby="{ident}-error {ident}-warning"'
        if input_type == "textarea":
            rows = max(3, value.count("\n") + 2)
            control = f'<textarea {common} rows="{rows}" placeholder="{html.escape(hint)}">{value}</textarea>'
        elif input_type == "select":  # the profile's published installment rates; each fills the fields it sets
            options = ['<option value="">不用预设，手动填写期数和费率</option>'] + [
                f'<option value="{k}" data-fill="{html.escape(json.dumps(preset_fill(str(k), context)))}">{k} 期，每期 {percent(v)}</option>'
                for k, v in context.installment_rates.items()]
            control = f'<select {common}>{"".join(options)}</select>'
        else:
            mode = ' inputmode="decimal"' if input_type == "text" else ""
            control = f'<input {common} type="{input_type}"{mode} value="{value}" placeholder="{html.escape(hint)}">'
        wide = " hb-wide" if input_type == "textarea" else ""
        controls.append(f'<div class="hb-field{wide}"><label for="{ident}">{html.escape(label)}</label>{control}'
                        f'<span class="hb-error" id="{ident}-error" data-for="{name}" role="alert"></span>'
                        f'<span class="hb-warning" id="{ident}-warning" data-for="{name}" aria-live="polite"></span></div>')
    example = tool.view(values, context)
    shown = example.html if example.ok else f"<p>{html.escape(example.error_message or '')}</p>"
    return (
        f'<div class="hb-calc" data-calc="{kind}" data-context="{tool.context}">'
        f'<form autocomplete="off" onsubmit="return false">{"".join(controls)}</form>'
        '<p class="hb-status" role="status">浏览器计算引擎未加载：下面是按默认输入在构建时算出的示例。'
        '加载完成后，修改任一输入，停顿片刻即自动重算（全部在本机浏览器中完成，不联网）。</p>'
        f'<div class="hb-result" aria-live="polite">{shown}</div></div>'
    )


_CONTEXTS: dict[tuple[str, str], Any] = {}


def browser_call(kind: str, payload: str, context_json: str) -> str:
    """Entry point for the in-browser forms: JSON inputs in, JSON ``{ok, html, summary, warnings}`` or ``{ok, field, message}`` out.

    ``warnings`` is a list of ``[field, message]`` plausibility notes shown under their fields.

    >>> from calculators import load_terms
    >>> out = json.loads(browser_call("plan", json.dumps(PLAN_DEFAULTS), json.dumps(load_terms("cmb").to_dict())))
    >>> out["ok"], out["summary"]["total_fee"]
    (True, '950.40')
    """
    tool = TOOLS[kind]
    key = (tool.context, context_json)
    if key not in _CONTEXTS:
        _CONTEXTS[key] = tool.from_dict(json.loads(context_json))
    view = tool.view(json.loads(payload), _CONTEXTS[key])
    if view.ok:
        return json.dumps({"ok": True, "html": view.html, "summary": view.summary, "warnings": [list(w) for w in view.warnings]},
                          ensure_ascii=False)
    return json.dumps({"ok": False, "field": view.error_field, "message": view.error_message}, ensure_ascii=False)
