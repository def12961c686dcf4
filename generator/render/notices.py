"""A report's acknowledged issues (原文如此), grouped so that a reader sees what kind of gap, where, how many.

An imported report can acknowledge a hundred blank cells one by one; listed so, the box above the text
runs to a screen of lines that all say the same. Grouped by table and by what the note says, it reads
"表三 43 个单元格：原文空白", and the cells are listed on demand (a group of three or fewer is
listed as it is: the template says where the line is drawn).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import standard
from ..model import Notice

# Where a notice's field lies: the official table its first path segment names (二、三、四).
_TABLE_OF = dict(zip(standard.TABLES, standard.TABLE_SECTIONS, strict=True))


@dataclass
class NoticeGroup:
    """Notices with one rule and one note in one table (``table`` "" for the prose, dates and title)."""

    table: str
    rule: str
    note: str
    places: list[str] = field(default_factory=list)  # each notice's label (or field), in the report's order
    cells: bool = False  # the places are table cells


def group_notices(notices: list[Notice]) -> list[NoticeGroup]:
    """Notices grouped by (table, rule, note), the groups in the order of their first notice."""
    groups: dict[tuple[str, str, str], NoticeGroup] = {}
    for n in notices:
        table = _TABLE_OF.get(n.field.split(".", 1)[0].split("[", 1)[0], "")
        key = (table, n.rule, n.note)
        if key not in groups:
            groups[key] = NoticeGroup(table, n.rule, n.note, cells=bool(table))
        groups[key].places.append(n.label or n.field)
    return list(groups.values())


def blank_tables(groups: list[NoticeGroup]) -> set[str]:
    """The tables (二、三、四) with a cell acknowledged as blank or missing (of :func:`group_notices`): they get
    a legend."""
    return {g.table for g in groups if g.cells and g.rule == "H6"}


__all__ = ["NoticeGroup", "blank_tables", "group_notices"]
