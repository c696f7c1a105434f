"""What readers of the published site get (one Sphinx extension, set up by tools/handbook_sphinx.py).

* accessible theme markup (:mod:`tools.a11y`);
* search that segments questions like the index (:mod:`tools.search_zh`);
* the calculator engine cached once per reader, offline too (:mod:`tools.offline`);
* edit links only when ``repository.url`` in ``_config.yml`` is a real address: the shipped placeholder
  (``gitlab.example.com``) switches the theme's edit, repository and issues buttons off
  (:func:`procedures.render.repository_configured` decides, for the pages' data links too).
"""

from __future__ import annotations


def _edit_links(app, config) -> None:
    from procedures.render import repository_configured

    options = dict(config.html_theme_options or {})
    if not repository_configured(options.get("repository_url", "")):
        for button in ("use_edit_page_button", "use_repository_button", "use_issues_button", "use_source_button"):
            if options.get(button):
                options[button] = False
        config.html_theme_options = options


def setup(app) -> dict:
    app.setup_extension("tools.a11y")
    app.setup_extension("tools.search_zh")
    app.setup_extension("tools.offline")
    app.connect("config-inited", _edit_links)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
