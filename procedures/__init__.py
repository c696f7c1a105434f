"""The handbook's knowledge base: validated YAML data that the pages render.

Files: ``sources.yml`` (cited documents), ``glossary.yml``, ``role.yml``,
``skills.yml``, ``workflow/*.yml`` (one per stage, procedure template) and
``challenges/*.yml``.  Load them through these functions; a malformed file
raises :class:`ProcedureFileError` naming file, line and field.  The special
situations (deceased debtors, complaints, agents, customers abroad …) are
``situations/*.yml`` in the same template, loaded by :mod:`procedures.situations`.

Check every file from the command line: ``python -m procedures``.
"""

from .loader import (
    ProcedureFileError,
    challenges,
    check_references,
    glossary,
    load_model,
    procedure,
    role,
    search_terms,
    skills,
    sources,
    workflow,
)
from .validate import validate_all

__all__ = [
    "ProcedureFileError",
    "challenges",
    "check_references",
    "glossary",
    "load_model",
    "procedure",
    "role",
    "search_terms",
    "skills",
    "sources",
    "validate_all",
    "workflow",
]
