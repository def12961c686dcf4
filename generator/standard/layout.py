"""How the standard prints its tables: table 二's groups and headers, the merged headers of 三 and 四.

Read from each report schema's ``x-layout`` annotations, beside the fields they lay out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import schemas
from .labels import subschema
from .paths import FieldPath


@dataclass(frozen=True)
class ProactiveGroup:
    """One group of table 二: its caption (第二十条第（一）项), its rows, and the header of a single value."""

    caption: str
    rows: tuple[str, ...]
    value_header: str = ""


def layout(fmt: int, table: str) -> dict[str, Any]:
    """The ``x-layout`` of ``table`` (proactive, applications, appeals) in format ``fmt``."""
    return _x_layout(schemas.report_schema_name(fmt), table)


@cache
def _x_layout(name: str, table: str) -> dict[str, Any]:
    node = subschema(name, (table,)) or {}
    return dict(node.get("x-layout", {}))


def applicant_column(name: str, col: int) -> str:
    """A column of table 三 under its merged header: 申请人情况 · 自然人 (the column rule H1 speaks of it)."""
    title = (subschema(name, ("applications", "received", col)) or {}).get("title", "")
    return f"{_x_layout(name, 'applications')['applicants']} · {title}"


@cache
def proactive_groups(fmt: int) -> tuple[ProactiveGroup, ...]:
    return tuple(
        ProactiveGroup(g["caption"], tuple(g["rows"]), g.get("value_header", ""))
        for g in layout(fmt, "proactive")["groups"]
    )


def group_headers(fmt: int, group: ProactiveGroup) -> tuple[str, ...]:
    """The value columns a group of table 二 prints: its first row's cells, or its one value's header."""
    first = subschema(schemas.report_schema_name(fmt), ("proactive", group.rows[0])) or {}
    if "properties" in first:
        return tuple(str(sub.get("title", "")) for sub in first["properties"].values())
    return (group.value_header,)


def columns(fmt: int, row: FieldPath) -> tuple[str, ...]:
    """The column titles of a row of table 三 or 四 (``("applications", "received")``): 自然人 … 总计."""
    node = subschema(schemas.report_schema_name(fmt), row) or {}
    return tuple(str(c.get("title", "")) for c in node.get("prefixItems", []))


def appeal_groups(fmt: int) -> tuple[str, ...]:
    """Table 四's groups as printed, in order: 行政复议, then 行政诉讼's 未经复议直接起诉 and 复议后起诉."""
    printed = layout(fmt, "appeals")
    return (printed["review"], printed["direct"], printed["after_review"])


def column_names(fmt: int, row: FieldPath) -> tuple[tuple[str, ...], ...]:
    """Each column of a row of table 三 or 四 by every name a report may print it under: its title first,
    then its ``x-aliases`` (社会公益 for 社会公益组织)."""
    node = subschema(schemas.report_schema_name(fmt), row) or {}
    return tuple((str(c.get("title", "")), *c.get("x-aliases", [])) for c in node.get("prefixItems", []))
