"""The figures a reader compares across reports: which rows of tables 三 and 四 each sums (总计 column)."""

from __future__ import annotations

from .. import schemas
from .labels import subschema
from .layout import layout
from .paths import FieldPath

# (key, rows): a figure is the sum of its rows' 总计 (their last cell).
FIGURES: tuple[tuple[str, tuple[FieldPath, ...]], ...] = (
    ("received", (("applications", "received"),)),
    ("carried_over", (("applications", "carried_over"),)),
    ("handled", (("applications", "total"),)),
    ("disclosed", (("applications", "disclosed"),)),
    ("partially_disclosed", (("applications", "partially_disclosed"),)),
    ("withheld", (("applications", "withheld"),)),
    ("unavailable", (("applications", "unavailable"),)),
    ("not_processed", (("applications", "not_processed"),)),
    ("other", (("applications", "other"),)),
    ("carried_forward", (("applications", "carried_forward"),)),
    ("review", (("appeals", "review"),)),
    ("lawsuit", (("appeals", "lawsuit"), ("appeals", "lawsuit_after_review"))),
)
FIGURE_KEYS = tuple(key for key, _ in FIGURES)
# The outcomes of table 三 among the figures, in the standard's order.
OUTCOME_KEYS = ("disclosed", "partially_disclosed", "withheld", "unavailable", "not_processed", "other")


# A figure of several rows is named by the merged header the table prints over them.
MERGED_HEADER = {"lawsuit": ("appeals", "lawsuit")}


def figure_labels(fmt: int = 2021) -> dict[str, str]:
    """Each figure's short name (新收申请, 办结, 行政诉讼 …): its row's ``x-short``, or its merged header."""
    name = schemas.report_schema_name(fmt)
    out = {}
    for key, rows in FIGURES:
        if key in MERGED_HEADER:
            table, header = MERGED_HEADER[key]
            out[key] = str(layout(fmt, table)[header])
        else:
            out[key] = str((subschema(name, rows[0]) or {}).get("x-short", ""))
    return out
