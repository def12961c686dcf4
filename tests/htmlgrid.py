"""Read built HTML with a real parser (BeautifulSoup on html.parser) and lay tables out as a grid."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, Tag


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def layout(table: Tag) -> list[list[Tag | None]]:
    """Every row of ``table`` expanded to its grid positions (rowspan and colspan honoured)."""
    grid: list[list[Tag | None]] = []
    pending: dict[tuple[int, int], Tag] = {}
    for r, tr in enumerate(table.find_all("tr")):
        row: list[Tag | None] = []
        c = 0
        cells = tr.find_all(["th", "td"], recursive=False)
        i = 0
        while i < len(cells) or (r, c) in pending:
            if (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
                continue
            cell = cells[i]
            i += 1
            rowspan = int(cell.get("rowspan", 1))
            colspan = int(cell.get("colspan", 1))
            for dc in range(colspan):
                row.append(cell)
                for dr in range(1, rowspan):
                    pending[(r + dr, c + dc)] = cell
            c += colspan
        grid.append(row)
    return grid


def data_cells(table: Tag) -> list[tuple[list[str], list[str], str]]:
    """Each data cell with the labels of its row (left of it) and of its column (header rows above)."""
    grid = layout(table)
    head_rows = len(table.find("thead").find_all("tr")) if table.find("thead") else 0
    out = []
    for r in range(head_rows, len(grid)):
        row = grid[r]
        for c, cell in enumerate(row):
            if cell is None or cell.name != "td" or "corner" in (cell.get("class") or []):
                continue
            if c > 0 and row[c - 1] is cell:
                continue  # the same cell spanning columns
            row_labels: list[str] = []
            for left in row[:c]:
                if left is not None and left.name == "th" and text(left) not in row_labels:
                    row_labels.append(text(left))
            col_labels: list[str] = []
            for h in range(head_rows):
                above = grid[h][c] if c < len(grid[h]) else None
                if above is not None and above.name == "th" and text(above) not in col_labels:
                    col_labels.append(text(above))
            out.append((row_labels, col_labels, text(cell)))
    return out
