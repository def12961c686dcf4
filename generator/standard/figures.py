"""The figures a reader compares across reports: which rows of tables 三 and 四 each sums (总计 column)."""

from __future__ import annotations

from functools import cache

from .. import schemas
from .labels import label, leaf_rows, short, subschema, width
from .layout import columns, layout, proactive_groups
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


# The measures a reader compares (/compare/): the figures, then the rows and columns readers ask about.
WITHHELD, UNAVAILABLE = ("applications", "withheld"), ("applications", "unavailable")
CORRECTED = 1  # table 四's column 结果纠正
PROACTIVE_COUNTS = ("licensing", "penalties")  # table 二's 本年处理决定数量 of 行政许可 and 行政处罚


@cache
def figure_cells(fmt: int) -> tuple[tuple[str, tuple[FieldPath, ...]], ...]:
    """Each figure and the cells it sums (the 总计, last cell, of each of its rows), in reports of format ``fmt``."""
    name = schemas.report_schema_name(fmt)
    return tuple((key, tuple(_total(name, row) for p in rows for row in leaf_rows(name, p))) for key, rows in FIGURES)


def measures(fmt: int, labels_fmt: int = 2021) -> tuple[tuple[str, str, tuple[FieldPath, ...]], ...]:
    """Each measure as (key, label, the cells it sums) for reports of format ``fmt``; labels in the words of
    format ``labels_fmt`` (one name for a measure whatever the report's format)."""
    name, words = schemas.report_schema_name(fmt), schemas.report_schema_name(labels_fmt)
    figure_names = figure_labels(labels_fmt)
    out = [(key, figure_names[key], cells) for key, cells in figure_cells(fmt)]
    for row in leaf_rows(name, WITHHELD):
        out.append((f"withheld.{row[-1]}", f"{short(words, WITHHELD)}：{short(words, row)}", (_total(name, row),)))
    not_held = (*UNAVAILABLE, "not_held")
    not_held_label = f"{short(words, UNAVAILABLE)}：{short(words, not_held)}"
    out.append(("unavailable.not_held", not_held_label, (_total(name, not_held),)))
    corrected = str(columns(labels_fmt, ("appeals", "review"))[CORRECTED])
    printed = layout(labels_fmt, "appeals")
    review_title, lawsuit_title = str(printed["review"]), str(printed["lawsuit"])
    out.append(("review.corrected", f"{review_title}：{corrected}", (("appeals", "review", CORRECTED),)))
    lawsuit_cells = (("appeals", "lawsuit", CORRECTED), ("appeals", "lawsuit_after_review", CORRECTED))
    out.append(("lawsuit.corrected", f"{lawsuit_title}：{corrected}", lawsuit_cells))
    for item in PROACTIVE_COUNTS:
        node = subschema(name, ("proactive", item)) or {}
        cell: FieldPath = ("proactive", item, "decisions") if "properties" in node else ("proactive", item)
        header = next(g.value_header for g in proactive_groups(labels_fmt) if item in g.rows)
        out.append((f"proactive.{item}", f"{label(words, ('proactive', item))}：{header}", (cell,)))
    return tuple(out)


def _total(name: str, row: FieldPath) -> FieldPath:
    return (*row, width(name, row) - 1)
