"""PDF originals (pdfplumber): the text layer in reading order, tables by their ruling lines.

Most annual reports are published as PDF, usually a Word file printed to PDF. Each page gives
its tables (cells found from the drawn lines; a merged cell is one cell, the places it covers
left empty, as the HTML reader lays out rowspan and colspan) and its other lines of text, both
in the order they stand on the page. What every page repeats at its top or bottom (the report's
title as a running head, page numbers) is not the report. A table continued on the next page is
simply more rows: the tables stage anchors rows on their labels, not on where they stand.

A PDF without a text layer (a scan) is refused with a message saying so.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import UsageError
from . import unruled
from .rows import Row

# Fonts of Word-printed PDFs map some characters to the CJK Radicals Supplement (U+2E80–U+2EFF),
# which NFKC leaves alone (it maps the Kangxi radicals, U+2F00–U+2FDF): 人民 comes out as ⼈⺠.
RADICALS = str.maketrans(
    "⺠⻓⻔⻅⻋⻛⻜⻝⻢⻥⻦⻘⺟⻄⻆⻉⻚⻩⻬⻮⻳⻰⻣⻤⻨⺩⻁⺮⻑⻧⻈⻢",
    "民长门见车风飞食马鱼鸟青母西角贝页黄齐齿龟龙骨鬼麦王虎竹長鹵讠马",
)
MARGIN = 0.05  # of the page's height, at its top and bottom: where running heads, feet and page numbers stand
_PAGE_NUMBER = re.compile(r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")


_FOLDED = re.compile("[\u2f00-\u2fdf\uf900-\ufaff]")  # Kangxi radicals, CJK compatibility ideographs


def clean(text: str) -> str:
    """The characters a reader sees: radicals and compatibility ideographs back to the characters they
    stand for (and nothing else: full-width punctuation stays as published)."""
    return _FOLDED.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text).translate(RADICALS)


def _cell(value: str | None) -> str:
    # A cell's text wraps at the cell's width: the line breaks are the layout's, not the report's.
    return re.sub(r"\s*\n\s*", "", clean(value)).strip() if value else ""


def _closed(page: Any) -> dict[str, Any]:
    """Table settings that close a table the page cuts: a row split over two pages has no rule at the
    page's end (or start), so the ends of the vertical rules are taken as horizontal ones."""
    verticals = [e for e in page.edges if e.get("orientation") == "v"]
    if not verticals:
        return {}
    return {"explicit_horizontal_lines": [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]}


# top, cells, and for a line of text: whether it runs to the right margin (its paragraph may go on),
# and whether it begins a paragraph (Word's first-line indent, a heading's size, 一、 or （二） in front)
Item = tuple[float, list[str], bool, bool]
_OPENS = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．]|表[一二三四五])")


def _page_items(page: Any) -> list[Item]:
    """An :data:`Item` for every table row and every other line of text on one page, top to bottom."""
    items: list[Item] = []
    outside = page
    for table in page.find_tables(_closed(page)):
        outside = outside.outside_bbox(table.bbox)
        for row, cells in zip(table.rows, table.extract(), strict=False):
            texts = [_cell(c) for c in cells]
            if any(texts):
                items.append((row.bbox[1], texts, False, False))
    lines = [line for line in outside.extract_text_lines(return_chars=True) if line["text"].strip()]
    body = [i for i, line in enumerate(lines) if MARGIN < line["top"] / page.height < 1 - MARGIN]
    table_rows, found = unruled.read([unruled.pieces(lines[i], clean) for i in body])
    used = {body[i] for i in found}  # (running heads and feet stand in the margins: never in a table)
    items.extend((top, cells, False, False) for top, cells in table_rows)
    items.extend(_text_items([line for i, line in enumerate(lines) if i not in used]))
    items.sort(key=lambda item: item[0])
    return items


def _text_items(lines: list[dict[str, Any]]) -> list[Item]:
    """Lines of text as :data:`Item` s, with what tells whether a line goes on with the one before it."""
    items: list[Item] = []
    right = max((line["x1"] for line in lines), default=0.0)
    left = min((line["x0"] for line in lines), default=0.0)
    previous, bottom = 0.0, None
    for line in lines:
        size = line["bottom"] - line["top"]  # about one character's width in CJK text
        text = clean(line["text"]).strip()
        runs_on = line["x1"] >= right - 3 * size  # a line broken before punctuation ends a character or two short
        spaced = bottom is not None and line["top"] - bottom > 0.6 * size  # space between paragraphs
        opens = spaced or line["x0"] > left + size / 2 or abs(size - previous) > 0.1 * size or bool(_OPENS.match(text))
        items.append((line["top"], [text], runs_on, opens))
        previous, bottom = size, line["bottom"]
    return items


def _repeated(pages: list[list[Item]]) -> set[str]:
    """Lines that stand first or last on most pages: running heads and feet."""
    if len(pages) < 2:
        return set()
    ends: Counter[str] = Counter()
    for items in pages:
        lines = [cells[0] for _, cells, _, _ in items if len(cells) == 1]
        ends.update({*lines[:1], *lines[-1:]})
    return {text for text, n in ends.items() if n >= max(2, len(pages) // 2 + 1)}


def pdf_rows(path: Path) -> list[Row]:
    """The PDF's rows, in reading order, without running heads, feet and page numbers."""
    try:
        import pdfplumber
    except ImportError as e:
        raise UsageError("import_needs_pdf") from e
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings of printed PDFs, not the user's concern
    try:
        with pdfplumber.open(path) as pdf:
            pages = [_page_items(page) for page in pdf.pages]
            has_text = any(page.chars for page in pdf.pages)
    except Exception as e:  # pdfminer raises many kinds for a damaged file
        raise UsageError("import_pdf_broken", error=str(e)[:200]) from e
    if not has_text:
        raise UsageError("import_pdf_scan")
    return _stream(pages, _repeated(pages))


def _stream(pages: list[list[Item]], repeated: set[str]) -> list[Row]:
    """The pages' items as one stream of rows: running heads, feet and page numbers dropped, lines of
    a paragraph joined, a table's head repeated on a new page dropped, a row the page cut joined."""
    rows: list[Row] = []
    seen: set[tuple[str, ...]] = set()  # table rows met so far
    wraps = False  # the last line of text ran to the right margin: the next line of text goes on with it
    for items in pages:
        last_row = next((r for r in reversed(rows) if len(r.cells) > 1), None)
        continued = False  # this page's first table row (after a repeated head) may be the rest of a cut row
        for i, (_, cells, runs_on, indented) in enumerate(items):
            if len(cells) == 1:
                at_end = i in (0, len(items) - 1)
                if at_end and ((cells[0] in repeated and rows) or _PAGE_NUMBER.match(cells[0])):
                    continue  # (the first occurrence of a running head is the title itself)
                if wraps and not indented and rows and len(rows[-1].cells) == 1:
                    rows[-1].cells[0] += cells[0]
                else:
                    rows.append(Row(cells, len(rows) + 1))
                wraps = runs_on
                continue
            wraps = False
            if tuple(cells) in seen and not any(re.search(r"\d", c) for c in cells):
                continue  # the table's head, repeated at the top of a new page
            if not continued:
                continued = True
                if last_row is not None and _rest_of(cells, last_row):
                    continue
            seen.add(tuple(cells))
            rows.append(Row(cells, len(rows) + 1))
    return rows


def _rest_of(cells: list[str], row: Row) -> bool:
    """A row the page break cut: its label's last words alone at the top of the next page are joined
    to the label (a row with any number in it is a row of its own)."""
    filled = [i for i, c in enumerate(cells) if c]
    if len(cells) != len(row.cells) or len(filled) != 1 or re.search(r"\d", cells[filled[0]]):
        return False
    if not row.cells[filled[0]]:
        return False
    row.cells[filled[0]] += cells[filled[0]]
    return True
