"""Front ends over the engine and the knowledge base: views (:mod:`.views`, :mod:`.rule_views`), the
browser-form registry (:mod:`.frontends`), ipywidgets (:mod:`.widgets`), input normalisation
(:mod:`.inputs`), the workflow diagram (:mod:`.workflow_diagram`) and its CJK font (:mod:`.cjkfont`).

Pages import these; the engine and ``procedures`` never do.
"""
