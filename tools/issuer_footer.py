"""The page footer names the issuer of the selected terms profile.

``_config.yml`` cannot read the profile, so its ``html.extra_footer`` holds
profile tokens (``⟦footer⟧``, ``⟦issuer⟧`` …) and :func:`fill_footer`
replaces them when Sphinx reads the configuration (``config-inited``), from
the same profile every page uses (``calculators.handbook_terms``).  Connect it
in the build extension's ``setup()``::

    app.connect("config-inited", issuer_footer.fill_footer)

or load this module as a Sphinx extension of its own (it has a ``setup()``).
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["footer_html", "fill_footer", "setup"]


def footer_html(text: str, terms: Any = None) -> str:
    """``text`` with every profile token filled (HTML-escaped: the theme inserts the footer as HTML).

    >>> from calculators import load_terms
    >>> footer_html("本手册不构成法律意见；⟦footer⟧。", load_terms("icbc"))
    '本手册不构成法律意见；中国工商银行的违约金按公开资料，其余数字为行业通行做法，以领用合约为准。'
    >>> footer_html("<b>⟦issuer⟧</b>", load_terms("cmb"))
    '<b>招商银行</b>'
    """
    from procedures.render import PROFILE_TOKEN, fill_profile

    return PROFILE_TOKEN.sub(lambda match: html.escape(fill_profile(match.group(0), terms)), text)


def fill_footer(app: Any, config: Any) -> None:
    """Sphinx ``config-inited`` handler: fill the tokens of ``html_theme_options['extra_footer']``.

    >>> from types import SimpleNamespace
    >>> config = SimpleNamespace(html_theme_options={"extra_footer": "⟦issuer⟧", "show_navbar_depth": 1})
    >>> fill_footer(None, config)
    >>> from calculators import handbook_terms
    >>> config.html_theme_options == {"extra_footer": handbook_terms().issuer, "show_navbar_depth": 1}
    True
    """
    options = dict(config.html_theme_options or {})
    footer = options.get("extra_footer")
    if isinstance(footer, str) and "⟦" in footer:
        options["extra_footer"] = footer_html(footer)
        config.html_theme_options = options


def setup(app: Any) -> dict[str, Any]:
    """Load as a Sphinx extension of its own (alternative to connecting :func:`fill_footer`)."""
    app.connect("config-inited", fill_footer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
