"""Table assembly: the standard's rows (read from the schema) found in an original's rows, cell by cell."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schemas, standard
from ..messages import error_text
from ..standard import field_name
from .headers import header_texts, in_order
from .labels import UNIT_KEPT, UNIT_OTHER, UNIT_PRINTED, Value, is_value, norm, read_value
from .refusal import Message, UnreadableOriginal
from .rows import Row


@dataclass
class Spec:
    """A row of a table as the standard prints it: where it goes, its label, its cells."""

    path: tuple[str, ...]
    label: str  # as shown in messages: 三（三）不予公开 1.属于国家秘密
    keys: list[str]  # normalised labels that anchor it
    cells: list[str | int]  # object keys or list indexes
    cell_labels: list[str]
    decimal: set[str | int] = field(default_factory=set)
    unit_ok: set[str | int] = field(default_factory=set)
    numbering: str = ""  # how the standard numbers the row's own label: "digit" (3.其他) or "bracket" (（六）…)
    units: dict[str | int, str] = field(default_factory=dict)  # a cell's unit of money, from the schema (万元)


# A label's numbering tells a group from a row: (六) 其他 heads a group, 3.其他 is a row of it.
_NUMBERING = (
    ("bracket", re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")),
    ("digit", re.compile(r"^\s*\d+\s*[.．、]")),
)


def numbering(text: str) -> str:
    return next((kind for kind, pattern in _NUMBERING if pattern.match(text)), "")


def _node(name: str, path: tuple[str | int, ...]) -> dict[str, Any]:
    return standard.subschema(name, path) or {}


def _short(title: str) -> str:
    return re.sub(r"[(（][^)）]*[)）]$", "", title).strip()


def _unit(name: str, path: tuple[str, ...]) -> str:
    """The unit of money the schema gives a cell (“（单位：万元）”), or ""."""
    node = _node(name, path)
    found = re.search(r"单位[：:]\s*([^）)，,]+?元)", f"{node.get('title', '')} {node.get('description', '')}")
    return found.group(1) if found else ""


def table_specs(fmt: int) -> dict[str, list[Spec]]:
    """Rows of tables 二、三、四 for format ``fmt``, in the standard's order, from the JSON Schema."""
    name = schemas.report_schema_name(fmt)
    two: list[Spec] = []
    for key, sub in _node(name, ("proactive",)).get("properties", {}).items():
        node = _node(name, ("proactive", key))
        title = str(node.get("title", sub.get("title", key)))
        if "properties" in node:
            cells: list[str | int] = list(node["properties"])
            labels = [str(_node(name, ("proactive", key, str(c))).get("title", c)) for c in cells]
            types = {c: _node(name, ("proactive", key, str(c))).get("type") for c in cells}
        else:
            cells, labels, types = [0], [title], {0: node.get("type")}
        decimal = {c for c, t in types.items() if "number" in (t if isinstance(t, list) else [t])}
        unit_ok = {c for c, t in types.items() if "string" in (t if isinstance(t, list) else [t])}
        units = {c: u for c in decimal if (u := _unit(name, ("proactive", key) + (() if c == 0 else (str(c),))))}
        two.append(Spec(("proactive", key), title, [norm(title)], cells, labels, decimal, unit_ok, units=units))
    three: list[Spec] = []
    for row in standard.leaf_rows(name, ("applications",)):
        node = _node(name, row)
        columns = [str(c.get("title", "")) for c in node.get("prefixItems", [])]
        title = str(node.get("x-table-label") or node.get("title", ""))
        label = title
        if len(row) == 3:
            group = _node(name, row[:2])
            label = f"{group.get('title', '')} {title}"
        keys = {norm(title), norm(_short(title))}
        three.append(
            Spec(
                tuple(str(p) for p in row),
                label,
                sorted(keys),
                list(range(len(columns))),
                columns,
                numbering=numbering(title),
            )
        )
    four: list[Spec] = []
    for row in standard.leaf_rows(name, ("appeals",)):
        node = _node(name, row)
        columns = [str(c.get("title", "")) for c in node.get("prefixItems", [])]
        title = str(node.get("title", ""))
        four.append(Spec(tuple(str(p) for p in row), title, [norm(title)], list(range(len(columns))), columns))
    return {"二": two, "三": three, "四": four}


# ---------------------------------------------------------------------- reading the tables


Why = Message  # why a row is incomplete
NO_PROBLEM: Why = ("", {})


@dataclass
class Missing:
    """A row, or some cells of it, that the original does not carry."""

    spec: Spec
    cells: list[str | int]
    why: Why
    line: int = 0

    def reason(self, lang: str = "zh-CN") -> str:
        """Why the row is incomplete, in words (原文没有这一行 …)."""
        return error_text(self.why[0], lang, **self.why[1])

    def describe(self, lang: str = "zh-CN") -> str:
        names = [self.spec.cell_labels[self.spec.cells.index(c)] for c in self.cells]
        where = error_text("import_near_line", lang, line=self.line) if self.line else ""
        why = self.reason(lang)
        whole = len(self.cells) == len(self.spec.cells)
        code = "import_missing_row" if whole else "import_missing_cells"
        return error_text(code, lang, label=self.spec.label, where=where, why=why, cells="、".join(names))


@dataclass
class Reading:
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, where, note)
    missing: list[Missing] = field(default_factory=list)
    units: list[Message] = field(default_factory=list)  # amounts printed with a unit: what was made of each
    guesses: list[Message] = field(default_factory=list)  # columns taken by their place, not their header

    def lack(self, missing: Missing) -> None:
        """A row the original does not have: its cells are null (written only with ``--partial``)."""
        self.missing.append(missing)
        for cell in missing.spec.cells:
            _set(self.data, missing.spec.path, cell, None, len(missing.spec.cells))


def _set(data: dict[str, Any], path: tuple[str, ...], cell: str | int, value: Any, width: int) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    if isinstance(cell, int) and (width > 1 or path[0] != "proactive"):
        row = node.setdefault(path[-1], [None] * width)
        row[cell] = value
    elif isinstance(cell, int):
        node[path[-1]] = value
    else:
        node.setdefault(path[-1], {})[cell] = value


def _where(spec: Spec, cell: str | int) -> str:
    """The known_issues location of a cell: a table 二 count with one value is its row's path."""
    single = spec.path[0] == "proactive" and isinstance(cell, int)
    return field_name(spec.path if single else (*spec.path, cell))


def _find_label(rows: list[Row], specs: list[Spec], i: int, r: int, c: int) -> tuple[int, int] | None:
    """Which of the next rows (i … i+3) the cell at (r, c) — or it joined with the next cells — names.

    Returns (spec index, cells used by the label)."""
    parts: list[str] = []
    flat = [(r, cc) for cc in range(c, len(rows[r].cells))]
    rr = r + 1
    while len(flat) < 3 and rr < len(rows):  # a label split over lines: join up to three pieces
        flat.extend((rr, cc) for cc in range(len(rows[rr].cells)))
        rr += 1
    first = numbering(rows[r].cells[c])
    for used, (fr, fc) in enumerate(flat[:3], 1):
        cell = rows[fr].cells[fc]
        if not cell.strip() or is_value(cell):
            break
        parts.append(norm(cell))
        joined = "".join(parts)
        if not joined:
            continue
        for j in range(i, min(i + 4, len(specs))):
            # A group's heading is not a row of it: (六) 其他 is not 3.其他 (but （三）不予公开 1.属于… holds both).
            other = bool(first and specs[j].numbering and first != specs[j].numbering)
            for key in specs[j].keys:
                if other and joined == key:
                    continue
                if joined == key or (len(key) >= 4 and used == 1 and (joined.startswith(key) or joined.endswith(key))):
                    return j, used  # a label, one with its note, or one after its group's (三、…结果 予以公开)
    return None


def _take(rows: list[Row], spec: Spec, r: int, c: int) -> tuple[list[Value | None], int, int, Why]:
    """The values after a label ending at (r, c); returns values, where reading stopped, and a problem."""
    n = len(spec.cells)
    rest = rows[r].cells[c + 1 :]
    while rest and not rest[0].strip():
        rest = rest[1:]
    values: list[Value | None] = []

    def value(cell: str, k: int) -> Value | None:
        key = spec.cells[k]
        return read_value(cell, decimal=key in spec.decimal, unit_ok=key in spec.unit_ok, unit=spec.units.get(key, ""))

    if rest:  # the values stand in the label's row
        for k, cell in enumerate(rest[:n]):
            v = value(cell, k)
            if v is None:
                break
            values.append(v)
        filled = [k for k, v in enumerate(values) if v is not None and v.number is not None]
        if n >= 3 and len(values) == n and filled == [0] and not any(cell.strip() for cell in rest[1:]):
            return [], r + 1, 0, ("why_collapsed", {})
        extra = [cell for cell in rest[n:] if cell.strip() and is_value(cell)]
        if len(values) == n and extra:  # a number too many: which one is out of place cannot be told
            return [], r + 1, 0, ("why_too_many", {"found": n + len(extra), "extra": len(extra)})
        if len(values) == n:
            return values, r + 1, 0, NO_PROBLEM
        if any(cell.strip() for cell in rest):
            return values, r + 1, 0, ("why_short_row", {})
    # one cell per line or paragraph: the values follow, each on a row of its own
    rr = r + 1
    while rr < len(rows) and len(values) < n:
        cells = [cell for cell in rows[rr].cells if cell.strip()]
        if not cells:
            rr += 1
            continue
        took = 0
        for cell in cells:
            v = value(cell, len(values)) if len(values) < n else None
            if v is None or v.note == "原文空白":
                break
            values.append(v)
            took += 1
        if took < len(cells):
            break
        rr += 1
    return values, rr, 0, NO_PROBLEM if len(values) == n else ("why_short_row", {})


def read_table(rows: list[Row], specs: list[Spec], start: int, end: int, reading: Reading) -> int:
    """Read rows ``specs`` from ``rows[start:end]`` into ``reading``; returns the row after the last one read."""
    i = 0
    r, c = start, 0
    last_line = rows[start].line if start < len(rows) else 0
    while i < len(specs) and r < end:
        found = None
        while r < end and found is None:
            while c < len(rows[r].cells):
                hit = _find_label(rows, specs, i, r, c)
                if hit is not None:
                    found = (hit[0], r, c, hit[1])
                    break
                c += 1
            if found is None:
                r, c = r + 1, 0
        if found is None:
            break
        j, r, c, used = found
        for skipped in specs[i:j]:
            reading.lack(Missing(skipped, list(skipped.cells), ("why_no_row", {}), rows[r].line))
        spec = specs[j]
        # the label may span cells (and rows): continue after its last piece
        end_r, end_c = r, c + used - 1
        while end_c >= len(rows[end_r].cells):
            end_c -= len(rows[end_r].cells)
            end_r += 1
        values, r, c, problem = _take(rows, spec, end_r, end_c)
        last_line = rows[end_r].line
        _store(spec, values, problem, rows[end_r].line, reading)
        i = j + 1
    for spec in specs[i:]:
        reading.lack(Missing(spec, list(spec.cells), ("why_no_row_cut", {}), last_line))
    return r


def _store(spec: Spec, values: list[Value | None], problem: Why, line: int, reading: Reading) -> None:
    width = len(spec.cells)
    for k, cell in enumerate(spec.cells):
        v = values[k] if k < len(values) else None
        if v is None:
            _set(reading.data, spec.path, cell, None, width)
            continue
        _set(reading.data, spec.path, cell, v.number, width)
        if v.unit == UNIT_KEPT:
            reading.units.append(("import_unit_kept", {"where": _where(spec, cell), "number": v.number}))
        elif v.unit == UNIT_OTHER:
            reading.units.append(("import_unit_other", {"where": _where(spec, cell), "note": v.note}))
            reading.notes.append(("H6", _where(spec, cell), v.note))
        elif v.unit == UNIT_PRINTED:
            reading.notes.append(("H5", _where(spec, cell), f"原文如此：{v.number}"))
        elif v.note:
            reading.notes.append(("H6", _where(spec, cell), v.note))
    if len(values) < width:
        why = problem if problem[0] else ("why_short_row", {})
        reading.missing.append(Missing(spec, spec.cells[len(values) :], why, line))


def read_appeals(rows: list[Row], specs: list[Spec], start: int, end: int, reading: Reading, fmt: int) -> None:
    """Table 四: headers (行政复议 … 复议后起诉), then one row of 15 numbers."""
    header_at = None
    for r in range(start, end):  # the first header cell: 行政复议, or its first character in a PDF copy
        if any(norm(cell) == "复议" or cell.strip() == "行" for cell in rows[r].cells):
            header_at = r
            break
    cells_needed = sum(len(s.cells) for s in specs)
    if header_at is None:
        for spec in specs:
            reading.lack(Missing(spec, list(spec.cells), ("why_no_table_four", {})))
        return
    header: list[Row] = []
    values: list[Value] = []
    line = rows[header_at].line
    for r in range(header_at, end):
        cells = [cell for cell in rows[r].cells if cell.strip()]
        numbers = [read_value(cell) for cell in cells]
        if cells and all(v is not None for v in numbers):
            values.extend(v for v in numbers if v is not None)
            line = rows[r].line
            if len(values) >= cells_needed:
                break
        elif values:
            break
        else:
            header.append(rows[r])
    groups = standard.appeal_groups(fmt)
    if not any(in_order(text, groups) for text in header_texts(header)):
        outcomes = "、".join(standard.columns(fmt, ("appeals", "review")))
        raise UnreadableOriginal(
            "import_appeal_header", groups=" → ".join(groups), outcomes=outcomes, line=rows[header_at].line
        )
    k = 0
    for spec in specs:
        got = values[k : k + len(spec.cells)]
        k += len(spec.cells)
        _store(spec, list(got), ("why_short_table_four", {}), line, reading)


def _format_keys(fmt: int) -> list[str]:
    """The first header of each group of table 二 in ``fmt``, without a unit: what tells the formats apart."""
    keys: list[str] = []
    for group in standard.proactive_groups(fmt):
        key = _short(standard.group_headers(fmt, group)[0])
        if key not in keys:
            keys.append(key)
    return keys


def _ordered_headers(fmt: int) -> list[tuple[str, ...]]:
    """Table 二's three-column headers (本年制发件数 … ; 2019: also 上一年项目数量 …): their order can be checked."""
    out: list[tuple[str, ...]] = []
    for group in standard.proactive_groups(fmt):
        headers = standard.group_headers(fmt, group)
        if len(headers) == 3 and headers not in out:
            out.append(headers)
    return out


def check_proactive_header(rows: list[Row], start: int, end: int, fmt: int) -> None:
    """Table 二's columns, where the copy prints them, must be in the standard's order."""
    for r in range(start, end):
        text = "".join(norm(cell) for cell in rows[r].cells)
        for columns in _ordered_headers(fmt):
            keys = [norm(c) for c in columns]
            found = [text.find(k) for k in keys]
            if all(p >= 0 for p in found) and found != sorted(found):
                raise UnreadableOriginal("import_proactive_header", line=rows[r].line, columns="、".join(columns))


class IncompleteOriginal(UnreadableOriginal):
    """The original's tables are not whole (and no --partial): the first gap, how many, what to do."""

    def __init__(self, source: Path, missing: list[Missing], rows_in_tables: int, no_title: bool) -> None:
        self.source, self.missing, self.rows_in_tables, self.no_title = source, missing, rows_in_tables, no_title
        super().__init__("import_incomplete")

    def text(self, lang: str = "zh-CN") -> str:
        missing = self.missing
        no_title = error_text("import_no_title_too", lang) if self.no_title else ""
        if sum(len(m.cells) == len(m.spec.cells) for m in missing) == self.rows_in_tables:
            return error_text("import_no_tables", lang, file=self.source) + no_title
        rows = [m for m in missing if len(m.cells) == len(m.spec.cells)]
        tables = sorted({_table_of(m.spec) for m in missing}, key="二三四".index)
        more = ""
        if len(missing) > 1:
            shown = "；".join(m.spec.label for m in rows[:5]) or error_text("import_none", lang)
            if len(rows) > 5:
                shown += error_text("import_more_rows", lang, count=len(rows))
            more = error_text("import_incomplete_more", lang, count=len(missing), rows=shown)
        return error_text(
            "import_incomplete",
            lang,
            file=self.source,
            tables="、".join(tables),
            first=missing[0].describe(lang),
            more=more,
            no_title=no_title,
        )


def _table_of(spec: Spec) -> str:
    return {"proactive": "二", "applications": "三", "appeals": "四"}[spec.path[0]]
