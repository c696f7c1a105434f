"""Check the whole knowledge base: every YAML file loads and every cross-reference resolves.

The top of the ``procedures`` package: it reads through :mod:`.loader` (sources, glossary, role,
skills, stages, challenges), :mod:`.rules` (rules, scripts, red lines), :mod:`.exercises` and
:mod:`.situations` and :mod:`.roleplay` (the practice cases); none of them imports it back.
"""

from __future__ import annotations

from . import exercises, roleplay, rules, situations
from .loader import challenges, check_references, workflow


def validate_all() -> int:
    """Load every knowledge-base file and check cross-references; returns the number of files checked.

    >>> validate_all() > 30
    True
    """
    check_references()
    return (4 + len(workflow()) + len(challenges()) + rules.validate() + exercises.validate() + situations.validate()
            + roleplay.validate())
