"""Official tables rendered once per format and filled with each report's numbers.

The layout of tables 二、三、四 is the same for every report of a format; only the numbers differ.
So the theme's own ``grid`` macro is rendered once with a marker in every data cell, the result is
split at the markers, and each report's page joins the pieces with its own (escaped) numbers. The
first report of a format is rendered both ways and must come out the same, or the format keeps the
slow path; a report with a blank cell (rendered differently by the macro) takes the slow path too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from markupsafe import Markup, escape

from ..model import Report
from .grids import Cell, Grid, _fmt

MARK = re.compile("\ue000(\\d+)\ue001")


@dataclasses.dataclass
class Skeleton:
    """The pieces of a table's HTML between its data cells, and each data cell's path."""

    pieces: list[str]  # static HTML, then a cell's index, then static HTML …
    paths: list[tuple[str | int, ...]]

    def fill(self, report: Report, escaped: dict[str, str]) -> Markup | None:
        """The table with ``report``'s numbers; None where a cell is blank (the slow path says it)."""
        texts = []
        for value in report.values(self.paths):
            if value is None:
                return None
            text = _fmt(value)
            texts.append(escaped.get(text) or escaped.setdefault(text, str(escape(text))))
        return Markup("".join(p if i % 2 == 0 else texts[int(p)] for i, p in enumerate(self.pieces)))


def data_cells(grid: Grid) -> list[Cell]:
    return [c for _, rows in grid.parts for row in rows for c in row if c.field]


def build(grid: Grid, render: Callable[[Grid], Markup]) -> Skeleton:
    """Render ``grid`` with a marker for each data cell's text and split the result at the markers."""
    marked = dataclasses.replace(grid)
    index: dict[int, int] = {}

    def mark(row: list[Cell]) -> list[Cell]:
        out = []
        for c in row:
            if c.field:
                index[id(c)] = len(index)
                out.append(dataclasses.replace(c, text=f"\ue000{len(index) - 1}\ue001", blank=False))
            else:
                out.append(c)
        return out

    marked.head = [mark(row) for row in grid.head]
    marked.bodies = [[mark(row) for row in body] for body in grid.bodies]
    pieces = MARK.split(str(render(marked)))
    return Skeleton(pieces, [c.path for c in data_cells(grid)])


class Tables:
    """Each report's official tables, from a skeleton per (format, table) where that is exact."""

    def __init__(self, render: Callable[[Grid], Markup]) -> None:
        self.render = render
        self.skeletons: dict[tuple[int, str], Skeleton | None] = {}
        self.escaped: dict[str, str] = {}

    def html(self, report: Report, numeral: str, make: Callable[[], Grid]) -> Markup:
        key = (report.format, numeral)
        skeleton = self.skeletons.get(key)
        if skeleton is not None:
            filled = skeleton.fill(report, self.escaped)
            if filled is not None:
                return filled
        grid = make()
        slow = self.render(grid)
        if key not in self.skeletons and not any(c.blank for c in data_cells(grid)):
            candidate = build(grid, self.render)
            self.skeletons[key] = candidate if candidate.fill(report, self.escaped) == slow else None
        return slow


__all__ = ["Skeleton", "Tables", "build"]
