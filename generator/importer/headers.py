"""The headers of tables 三 and 四 as an original prints them, checked against the standard's columns.

A header may be printed otherwise than the standard prints it: wrapped over lines, abbreviated, or
with generic names (数据1 …). Where it is still recognisably the standard's, its columns are taken
by their place and that is said; where it could be wrong about a column, the original is refused.
"""

from __future__ import annotations

import re

from .. import standard
from .labels import is_value, norm
from .refusal import Message, UnreadableOriginal
from .rows import Row

_GENERIC = re.compile(r"^(?:数据|数值|列|栏目?|第)\s*\d+\s*[列栏]?$")  # a header that names no column: 数据3, 第3列


def header_texts(header: list[Row]) -> tuple[str, str]:
    """A header's text read along its rows, and down its columns (a PDF's header wrapped in narrow
    columns: 行政 over 复议 in one column, 行政诉讼 beside it)."""
    width = max((len(row.cells) for row in header), default=0)
    across = "".join(norm(cell) for row in header for cell in row.cells)
    down = "".join(norm(row.cells[k]) for k in range(width) for row in header if k < len(row.cells))
    return across, down


def in_order(text: str, names: tuple[str, ...]) -> bool:
    at = 0
    for name in names:
        found = text.find(norm(name), at)
        if found < 0:
            return False
        at = found + 1
    return True


def check_applicant_header(rows: list[Row], start: int, first_row: int, fmt: int) -> list[Message]:
    """Table 三's columns must be the standard's, in its order (自然人 … 其他, 总计). Where the header as
    printed does not say so, the columns are taken by their position if the header is still recognisably
    the standard's (see :func:`_by_position`); returns what was so taken, said as a guess."""
    text = "".join(norm(cell) for r in range(start, first_row) for cell in rows[r].cells)
    if not text:
        return []  # no header in the copy (cells only): the standard's order is all there is
    *applicants, total = standard.column_names(fmt, ("applications", "received"))
    missing, at = [], 0
    for names in applicants:  # each after the one before it, under its title or a name reports print
        found = [(p, n) for n in names if (p := text.find(norm(n), at)) >= 0]
        if not found:
            missing.append(names[0])
        else:
            position, name = min(found, key=lambda f: (f[0], -len(norm(f[1]))))  # the longest name there
            at = position + len(norm(name))
    if not missing and total[0] in text:
        return []
    taken = _by_position(rows, start, first_row, fmt)
    if taken is not None:
        return taken
    raise UnreadableOriginal(
        "import_applicant_header",
        missing=UnreadableOriginal("import_applicant_missing", columns="、".join(missing)) if missing else "",
        columns="、".join(names[0] for names in (*applicants, total)),
        first=rows[start].line,
        last=rows[max(start, first_row - 1)].line,
    )


def _by_position(rows: list[Row], start: int, first_row: int, fmt: int) -> list[Message] | None:
    """Table 三's columns by their position under a header that is recognisably the standard's, or None.

    The header cells above each value of the first full row are joined top to bottom (商业 over 企业 is
    商业企业), the group titles (申请人情况, 法人或其他组织) taken out. Recognisable: as many value columns
    as the standard has, no header naming another column than the one at its place, and at least half
    of them naming their own — or every one a number in order (数据1 … 数据7). The others are read as
    the standard's column at their place, and said (one message)."""
    columns = standard.column_names(fmt, ("applications", "received"))
    printed = standard.layout(fmt, "applications")
    groups = [norm(printed[k]) for k in ("applicants", "organisations") if k in printed]
    positions = next(
        (
            p
            for r in range(first_row, min(first_row + 4, len(rows)))
            if len(p := _value_positions(rows[r])) == len(columns)
        ),
        None,
    )
    if positions is None:
        return None
    headers = []
    for k in positions:
        joined = "".join(norm(rows[r].cells[k]) for r in range(start, first_row) if k < len(rows[r].cells))
        for group in groups:
            joined = joined.replace(group, "")
        headers.append(joined)
    own = [any(norm(n) in h for n in names) for h, names in zip(headers, columns, strict=True)]
    other = [
        not own[i] and any(norm(n) in h for j, names in enumerate(columns) if j != i for n in names)
        for i, h in enumerate(headers)
    ]
    generic = all(_GENERIC.match(h) and h.endswith(str(i + 1)) for i, h in enumerate(headers) if not own[i])
    if any(other) or not (sum(own) * 2 >= len(columns) or generic):
        return None
    taken = [
        f"“{h or '（空白）'}”→{names[0]}"
        for i, (h, names) in enumerate(zip(headers, columns, strict=True))
        if not own[i]
    ]
    return [("import_guess_columns", {"columns": "、".join(taken)})] if taken else []


def _value_positions(row: Row) -> list[int]:
    """Where a row of table 三 has its values: its first cell that reads as one to its last (blanks between)."""
    found = [k for k, cell in enumerate(row.cells) if is_value(cell)]
    return list(range(found[0], found[-1] + 1)) if found else []
