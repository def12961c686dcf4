"""The national format, known in one place: every stage asks here.

The tables' rows, columns and labels are read from the JSON Schemas (``generator/schema/``),
which hold each field's official wording; the facts that are not tables (levels, deadlines,
notices, sections) are in :mod:`.facts`; field paths in :mod:`.paths`.
"""

from __future__ import annotations

from .facts import (
    FORMATS,
    GOVERNMENT_LEVELS,
    LEVEL_BY_NAME_ENDING,
    LEVELS,
    MUNICIPALITIES,
    NARRATIVE_SECTIONS,
    NOTICES,
    RULE_MAKING_LEVELS,
    SECTION_ORDER,
    TABLE_SECTIONS,
    TIMELINESS_LABELS,
    VALIDATION_LABELS,
    days_late,
    deadline,
    default_format,
    default_title,
    may_report_rules,
    section_titles,
)
from .figures import FIGURE_KEYS, FIGURES, OUTCOME_KEYS, figure_cells, figure_labels, measures
from .labels import TABLES, groups, label, leaf_rows, short, subschema, width
from .layout import (
    ProactiveGroup,
    appeal_groups,
    applicant_column,
    column_names,
    columns,
    group_headers,
    layout,
    proactive_groups,
)
from .paths import FieldPath, field_name, get_path

__all__ = [
    "FIGURES",
    "FIGURE_KEYS",
    "FORMATS",
    "GOVERNMENT_LEVELS",
    "LEVELS",
    "LEVEL_BY_NAME_ENDING",
    "MUNICIPALITIES",
    "NARRATIVE_SECTIONS",
    "NOTICES",
    "OUTCOME_KEYS",
    "RULE_MAKING_LEVELS",
    "SECTION_ORDER",
    "TABLES",
    "TABLE_SECTIONS",
    "TIMELINESS_LABELS",
    "VALIDATION_LABELS",
    "FieldPath",
    "ProactiveGroup",
    "appeal_groups",
    "applicant_column",
    "column_names",
    "columns",
    "days_late",
    "deadline",
    "default_format",
    "default_title",
    "field_name",
    "figure_cells",
    "figure_labels",
    "get_path",
    "group_headers",
    "groups",
    "label",
    "layout",
    "leaf_rows",
    "may_report_rules",
    "measures",
    "proactive_groups",
    "section_titles",
    "short",
    "subschema",
    "width",
]
