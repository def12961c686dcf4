"""How the standard prints its tables: table 二's groups and headers, the merged headers of 三 and 四.

Read from each report schema's ``x-layout`` annotations, beside the fields they lay out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import schemas
from .labels import subschema


@dataclass(frozen=True)
class ProactiveGroup:
    """One group of table 二: its caption (第二十条第（一）项), its rows, and the header of a single value."""

    caption: str
    rows: tuple[str, ...]
    value_header: str = ""


@cache
def layout(fmt: int, table: str) -> dict[str, Any]:
    """The ``x-layout`` of ``table`` (proactive, applications, appeals) in format ``fmt``."""
    node = subschema(schemas.report_schema_name(fmt), (table,)) or {}
    return dict(node.get("x-layout", {}))


@cache
def proactive_groups(fmt: int) -> tuple[ProactiveGroup, ...]:
    return tuple(
        ProactiveGroup(g["caption"], tuple(g["rows"]), g.get("value_header", ""))
        for g in layout(fmt, "proactive")["groups"]
    )
