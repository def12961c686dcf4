"""Judge content: the schema, every rule of the rules table (schema/rules.yaml), timeliness, known_issues.

Each rule is a row of ``rules.yaml``; its kind is one small function (``site.REPORT_KINDS``,
``site.YEAR_KINDS``), so a new rule of an existing kind is a data change. Findings are
:class:`~generator.errors.Diagnostic` values, collected, never raised.
"""

from __future__ import annotations

from .common import ReportContext
from .rules import Rule, rules
from .site import REPORT_KINDS, YEAR_KINDS, Validation, report_format, validate_report, validate_site

__all__ = [
    "REPORT_KINDS",
    "YEAR_KINDS",
    "ReportContext",
    "Rule",
    "Validation",
    "report_format",
    "rules",
    "validate_report",
    "validate_site",
]
