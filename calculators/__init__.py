"""Exact calculators for credit-card collections: overdue fees, interest and repayment plans.

The public API (the contract that pages, widgets, the browser form and outside
checks rely on).  Dates are :class:`datetime.date` (ISO strings accepted),
amounts :class:`decimal.Decimal` yuan (strings and ints accepted), results
``Decimal`` rounded to the fen unless stated.  Bad input raises
:class:`CalculatorInputError`, a :class:`ValueError`.

Also here: the conduct checker (:func:`check_contact_plan`), the
malicious-overdraft tracker (:func:`overdraft_exposure`, :func:`amount_band`)
and the red-line linter (:func:`lint_script`); their rules are data loaded by
``procedures.rules`` (``conduct_rules()``, ``overdraft_rules()``, ``redlines()``).

The core imports nothing outside the standard library, so it also runs in the
browser (Pyodide).  ``calculators.batch.portfolio`` (pandas), ``calculators.ui.widgets``
(ipywidgets) and :func:`load_terms` reading YAML (PyYAML) are imported on use.

>>> from calculators import load_terms, late_fee
>>> late_fee("1000", "200", load_terms("cmb"))
Decimal('40.00')
"""

from .compliance.conduct import Attempt, ConductRules, Violation, check_contact_plan
from .delinquency import DelinquencyStatus, delinquency_bucket
from .errors import CalculatorInputError
from .fees import late_fee, minimum_payment
from .installments import Plan, PlanRow, installment_plan, negotiated_plan
from .interest import revolving_interest
from .compliance.overdraft import Collection, OverdraftExposure, OverdraftRules, amount_band, overdraft_exposure
from .projection import MinimumPaymentPayoff, Projection, minimum_payment_payoff, overdue_projection
from .compliance.redlines import Finding, RedlineRules
from .compliance.redlines import lint as lint_script
from .terms import Citation, Terms, bundled_profiles, handbook_terms, load_terms
from .moved import install as _install_moved_paths

_install_moved_paths()  # calculators.views, calculators.legal ...: deprecated paths of moved modules

__all__ = [
    "Attempt",
    "CalculatorInputError",
    "Citation",
    "Collection",
    "ConductRules",
    "DelinquencyStatus",
    "Finding",
    "MinimumPaymentPayoff",
    "OverdraftExposure",
    "OverdraftRules",
    "Plan",
    "PlanRow",
    "Projection",
    "RedlineRules",
    "Terms",
    "Violation",
    "amount_band",
    "bundled_profiles",
    "check_contact_plan",
    "delinquency_bucket",
    "handbook_terms",
    "installment_plan",
    "late_fee",
    "lint_script",
    "load_terms",
    "minimum_payment",
    "minimum_payment_payoff",
    "negotiated_plan",
    "overdraft_exposure",
    "overdue_projection",
    "revolving_interest",
]

__version__ = "0.1.0"
