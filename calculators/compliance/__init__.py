"""Checked conduct rules: the contact-plan checker (:mod:`.conduct`), the malicious-overdraft tracker
(:mod:`.overdraft`) and the script red-line linter; :mod:`.ruledata` reads their rule data.

Standard library only (runs in the browser); the rules themselves are data in ``procedures/rules/``.
"""
