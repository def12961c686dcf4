"""Tables a PDF prints without ruling lines: their columns from where the numbers stand, their rows
from the numbers' lines.

A web page printed without borders, or a Word table with its borders off, leaves only text on
the page: a row's label wraps in its column (1.属 / 于国 / 家秘 / 密) with the row's numbers on a
line of their own in the middle, a column's header wraps (商业企 / 业). Read as lines, none of
that is a row. Here a *numbers line* (a label, then numbers set apart by wide gaps) makes a row;
the value columns are where its numbers stand (each column reaching halfway to the next); the
label is every piece of text left of the numbers from where the row's label begins (a numbered
piece: 2.其 …, （三）…) to where the next one begins, read column by column; the header is the
lines just above the first row, each cut into the same columns, so that a header wrapped over
lines stands in one column (the tables stage joins it top to bottom). What cannot be placed this
way is left as lines of text, and the tables stage refuses a table it cannot read: nothing is
guessed into a cell.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

GAP = 0.6  # a gap wider than this many characters ends a piece of text (a cell); a space is about 0.25
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")  # 本年增/减 may be negative
_OPENS = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])")


@dataclass
class Piece:
    text: str
    x0: float
    x1: float
    top: float
    size: float = 0.0  # the font's

    @property
    def number(self) -> bool:
        return bool(_NUMBER.match(self.text))


Line = list[Piece]
TableRow = tuple[float, list[str]]  # top, cells


def pieces(line: dict[str, Any], clean: Callable[[str], str]) -> Line:
    """A line of text cut where the gap between two characters is wider than :data:`GAP` characters."""
    chars = line["chars"]
    size = statistics.median_high(c["size"] for c in chars)  # the font's (a line's height may hold two lines)
    out: Line = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i]["x0"] - chars[i - 1]["x1"] > GAP * size:
            text = clean("".join(c["text"] for c in chars[start:i])).strip()
            if text:
                out.append(Piece(text, chars[start]["x0"], chars[i - 1]["x1"], line["top"], size))
            start = i
    return out


SET_APART = 1.5  # a label stands this many characters or more before a row's one number (a table's gap)


def _numbers(line: Line) -> list[Piece]:
    """The numbers of a numbers line (after its label, if any), or [] for any other line: a line of text
    whose last word is a number after a justified gap (…共计 15) is no row (a row of one number stands
    :data:`SET_APART`; with more, a label wrapped in a narrow column may nearly meet them)."""
    numbers = [p for p in line if p.number]
    if not numbers or any(not p.number for p in line if p.x0 > numbers[0].x0):
        return []
    label = [p for p in line if p.x0 < numbers[0].x0]
    if len(numbers) == 1 and label and numbers[0].x0 - label[-1].x1 < SET_APART * numbers[0].size:
        return []
    return numbers


def _starts(line: Line, numbers: list[Piece]) -> bool:
    """Whether a numbers line can begin a table: a label before its numbers, or three numbers or more
    (a number alone is a page number or a year; a row's label may be on the lines around it)."""
    return len(numbers) < len(line) or len(numbers) >= 3


def _overlap(a: Piece, b: Piece) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def _numbered(line: Line) -> bool:
    """Whether a piece of the line begins a label (2.其 …, （三）…, 一、…)."""
    return any(_OPENS.match(p.text) for p in line)


def _within(numbers: list[Piece], columns: list[Piece]) -> bool:
    """Every number under a different one of ``columns`` (a row with a blank place has fewer)."""
    taken = [next((k for k, c in enumerate(columns) if _overlap(p, c)), -1) for p in numbers]
    return -1 not in taken and len(set(taken)) == len(taken)


def _bounds(numbers: list[Piece]) -> list[float]:
    """Where each value column begins: at its numbers' left, or halfway from the column before."""
    return [numbers[0].x0 - 1] + [(a.x1 + b.x0) / 2 for a, b in itertools.pairwise(numbers)]


def _column_at(x: float, bounds: list[float]) -> int:
    """The value column ``x`` stands in (-1: left of them all, the label's)."""
    return max((k for k, b in enumerate(bounds) if x >= b), default=-1)


def _column(piece: Piece, bounds: list[float]) -> int:
    """The value column a piece's middle stands in."""
    return _column_at((piece.x0 + piece.x1) / 2, bounds)


def _label(found: list[Piece]) -> str:
    """A row's label from its pieces: column by column (pieces that overlap stand in one), top to bottom."""
    groups: list[list[Piece]] = []
    for piece in sorted(found, key=lambda p: p.x0):
        if groups and piece.x0 < max(p.x1 for p in groups[-1]):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return "".join(p.text for group in groups for p in sorted(group, key=lambda p: p.top))


def read(lines: list[Line]) -> tuple[list[TableRow], set[int]]:
    """The rows of every unruled table among ``lines`` (top to bottom), and which lines they used."""
    rows: list[TableRow] = []
    used: set[int] = set()
    anchors = [(i, n) for i, line in enumerate(lines) if (n := _numbers(line))]
    k = 0
    while k < len(anchors):
        if not _starts(lines[anchors[k][0]], anchors[k][1]):
            k += 1
            continue
        block = [anchors[k]]
        columns = anchors[k][1]
        while k + len(block) < len(anchors):
            nxt, numbers = anchors[k + len(block)]
            if not (_within(numbers, columns) or _within(columns, numbers)):
                break
            left = _bounds(columns)[0]
            if any(p.x0 >= left for i in range(block[-1][0] + 1, nxt) for p in lines[i]):
                break  # a header or text across the columns between them: a new table
            columns = max(columns, numbers, key=len)
            block.append(anchors[k + len(block)])
        start = max(used) + 1 if used else 0
        rows += _block(lines, block, columns, start, used)
        k += len(block)
    return rows, used


def _block(
    lines: list[Line], block: list[tuple[int, list[Piece]]], columns: list[Piece], start: int, used: set[int]
) -> list[TableRow]:
    """One table: its header lines (just above its first row) and its rows; ``columns``: the numbers of
    its fullest row, where its value columns stand."""
    bounds = _bounds(columns)
    width = len(bounds)
    first = block[0][0]
    labels: dict[int, list[Piece]] = {i: [p for p in lines[i] if p.x1 <= bounds[0]] for i, _ in block}
    # the first row's label may begin above its numbers: from its numbered piece on
    top = first
    for i in range(first - 1, start - 1, -1):
        if any(p.x0 >= bounds[0] for p in lines[i]):
            break
        if _numbered(lines[i]):
            top = i
    for i in range(top, first):
        labels[first] += lines[i]
    # pieces between two numbers lines: the later row's from the first numbered piece on
    for (a, _), (b, _) in itertools.pairwise(block):
        opens = next((i for i in range(a + 1, b) if _numbered(lines[i])), b)
        for i in range(a + 1, b):
            labels[a if i < opens else b] += lines[i]
    # and below the last one, the rest of its label: left of the numbers, not numbered, at a line's pitch
    # (a wider gap is the next row of the table: a caption, a heading)
    last = block[-1][0]
    pitch = _pitch(lines, block)
    while last + 1 < len(lines) and all(p.x1 <= bounds[0] for p in lines[last + 1]):
        if _numbered(lines[last + 1]) or lines[last + 1][0].top - lines[last][0].top > pitch:
            break
        last += 1
        labels[block[-1][0]] += lines[last]
    # lines left of the columns just above the first row, not numbered: the rest of a row the page cut
    rest = top
    while rest > start and all(p.x1 <= bounds[0] for p in lines[rest - 1]) and not _numbered(lines[rest - 1]):
        rest -= 1
    header = _header(lines, bounds, columns, start, rest)
    out: list[TableRow] = []
    for i in sorted(header):
        cells = [""] * (width + 1)
        for piece in lines[i]:
            k = _column(piece, bounds) + 1
            cells[k] += piece.text
        out.append((lines[i][0].top, cells))
    used.update(header)
    if rest < top and start == 0:  # the first table on the page: the tables stage joins it to the row it ends
        out.append((lines[rest][0].top, ["".join(p.text for i in range(rest, top) for p in lines[i])] + [""] * width))
        used.update(range(rest, top))
    for i, numbers in block:
        cells = [_label(labels[i])] + [""] * width
        for piece in numbers:
            cells[_column(piece, bounds) + 1] = piece.text
        out.append((min(p.top for p in labels[i]) if labels[i] else lines[i][0].top, cells))
    used.update(range(top, last + 1))
    return out


def _across(piece: Piece, columns: list[Piece]) -> bool:
    """Whether a piece stands over the numbers of two columns or more (a title; not a wide column's header)."""
    return sum(_overlap(piece, c) for c in columns) > 1


def _pitch(lines: list[Line], block: list[tuple[int, list[Piece]]]) -> float:
    """How far apart the lines of one cell stand (a little more, for rounding): the commonest distance
    between two lines of its labels (not its numbers lines, which stand between them, nor the odd
    nearer pair of two label columns); lines further apart than this are in different rows."""
    numbers_lines = {i for i, _ in block}
    tops = [lines[i][0].top for i in range(block[0][0], block[-1][0] + 1) if i not in numbers_lines]
    gaps = [round(b - a) for a, b in itertools.pairwise(tops) if b - a > 1]
    if gaps:
        return 1.1 * Counter(gaps).most_common(1)[0][0]
    return 1.55 * max(p.size for p in lines[block[0][0]])  # no label wraps: lines 1.3–1.5 sizes apart, rows more


def _header(lines: list[Line], bounds: list[float], columns: list[Piece], start: int, top: int) -> set[int]:
    """The lines just above a table's first row that stand in its columns: its header, wrapped or not.

    Going up from the first row, a line is the header's while it has a piece in the value columns; a
    line with a piece running from the label's side into them (a paragraph) or that is one piece over
    several (a title) ends it and is left as text; lines of the label's side only, above the header's
    first, are the corner's."""
    found: set[int] = set()
    for i in range(top - 1, start - 1, -1):
        inside = [p for p in lines[i] if p.x1 > bounds[0]]
        if not inside:
            if found:
                found.add(i)  # the corner's words, beside the header
                continue
            break
        if any(p.x0 < bounds[0] for p in inside) or (len(lines[i]) == 1 and _across(inside[0], columns)):
            break  # a paragraph running from the label's side into the columns, or a title over them
        found.add(i)
    return found
