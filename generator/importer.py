"""``gongkai import``: turn a published report (text, Markdown, HTML, .docx) into a content file.

Honest by construction: every number is read from the original and never changed.
Rows are anchored on their label text after normalisation (full-/half-width,
brackets, quotes, spaces, numbering, the 行政 prefix, traditional characters),
never on cell position alone; columns follow the standard's header order, which is
checked. A blank cell becomes ``null`` acknowledged as 原文空白; a rule the original
breaks is kept as published and acknowledged as 原文如此. A table that cannot be
read completely is an error naming the first missing row, and nothing is written
(unless ``partial``, which writes ``null`` for what is missing, acknowledged).

Reading produces :class:`Row` lists whatever the input: a tab-separated, pipe or
Markdown table row is a row of cells; a line of prose, or a table cell that a copy
put on a line of its own, is a row of one cell. The tables are then read from that
one stream, so every layout of ``report-format.md`` §9 goes through the same code.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schemas, standard
from .build import write_atomically
from .errors import GongkaiError, UsageError
from .messages import error_text
from .standard import field_name


class UnreadableOriginal(GongkaiError):
    """The original cannot be imported as it is (what is missing, where): exit 1, nothing written."""


@dataclass
class Row:
    cells: list[str]
    line: int  # in the original (1-based); for HTML and .docx the position among blocks

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


# ---------------------------------------------------------------------- reading


def read_rows(path: Path) -> list[Row]:
    """The original as rows of cells, whatever its kind."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_rows(path)
    if suffix in UNSUPPORTED:
        raise UsageError("in_file", file=path, error=UsageError(UNSUPPORTED[suffix]))
    raw = path.read_bytes()
    if b"\0" in raw[:4096]:
        raise UsageError("in_file", file=path, error=UsageError("import_binary"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as e:
            raise UsageError("in_file", file=path, error=UsageError("import_encoding")) from e
    if suffix in (".html", ".htm") or re.search(r"<(table|html|body)\b", text[:5000], re.I):
        return _html_rows(text)
    return _text_rows(text)


UNSUPPORTED = {  # the kinds of file that cannot be read, and the message saying what to do instead
    ".pdf": "import_pdf",
    ".doc": "import_doc",
    ".wps": "import_wps",
    ".xls": "import_excel",
    ".xlsx": "import_excel",
}

_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _text_rows(text: str) -> list[Row]:
    rows = []
    for i, raw_line in enumerate(text.splitlines(), 1):
        line = raw_line.rstrip()
        if not line.strip() or _MD_RULE.match(line.strip()):
            continue
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
        elif "|" in line and not line.lstrip().startswith("#"):
            body = line.strip()
            body = body[1:] if body.startswith("|") else body
            body = body[:-1] if body.endswith("|") else body
            cells = [c.strip() for c in body.split("|")]
        else:
            cells = [line.strip()]
        if any(cells):
            rows.append(Row(cells, i))
    return rows


_BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "title", "section", "article", "br", "caption",
    "tr", "td", "th", "table", "tbody", "thead", "tfoot", "center", "blockquote", "pre", "header", "footer", "main",
}  # fmt: skip
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed", "param"}
_SKIP = {"script", "style", "head", "noscript", "template"}


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[_Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children if not _skipped(c))

    def find(self, tags: set[str], into_tables: bool = True) -> list[_Node]:
        """Descendants with one of ``tags``, in document order."""
        out: list[_Node] = []
        for c in self.children:
            if isinstance(c, _Node):
                if c.tag in tags:
                    out.append(c)
                if into_tables or c.tag != "table":
                    out.extend(c.find(tags, into_tables))
        return out


def _skipped(node: _Node | str) -> bool:
    return isinstance(node, _Node) and node.tag in _SKIP


class _Tree(html.parser.HTMLParser):
    """A forgiving tree: unclosed cells, rows and paragraphs are closed where a browser would close them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]

    def _close(self, until: set[str], stop: set[str]) -> None:
        for k in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[k].tag
            if tag in stop:
                return
            if tag in until:
                del self.stack[k:]
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._close({"td", "th"}, {"table", "tr"})
        elif tag == "tr":
            self._close({"tr"}, {"table"})
        elif tag == "p":
            self._close({"p"}, {"table", "td", "th", "div", "li"})
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _html_rows(text: str) -> list[Row]:
    """Text blocks and data tables in document order.

    A table holding another table is page layout (old government sites wrap everything in
    one): it is read as blocks. A table holding none is data: rowspan and colspan are laid out
    on a grid, the places a merged cell covers left empty, as in a tab-separated copy.
    """
    tree = _Tree()
    tree.feed(text)
    tree.close()
    rows: list[Row] = []
    pending: list[str] = []

    def flush() -> None:
        joined = re.sub(r"[ \t\r\f\v]+", " ", "".join(pending))
        for line in joined.split("\n"):
            if line.strip():
                rows.append(Row([line.strip()], len(rows) + 1))
        pending.clear()

    def walk(node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                pending.append(child)
            elif child.tag in _SKIP:
                continue
            elif child.tag == "table" and not child.find({"table"}):
                flush()
                for cells in _grid(child):
                    rows.append(Row(cells, len(rows) + 1))
            elif child.tag in _BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(tree.root)
    flush()
    return rows


def _grid(table: _Node) -> list[list[str]]:
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.find({"tr"})):
        c = 0
        for cell in tr.find({"td", "th"}):
            while (r, c) in grid:
                c += 1
            span_r, span_c = _int(cell.attrs.get("rowspan")), _int(cell.attrs.get("colspan"))
            for dr in range(span_r):
                for dc in range(span_c):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = re.sub(r"\s+", " ", cell.text()).strip()
            c += span_c
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    out = [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
    return [cells for cells in out if any(cells)]


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _docx_rows(path: Path) -> list[Row]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as e:
        raise UsageError("import_needs_docx") from e
    document = docx.Document(str(path))
    rows: list[Row] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text.strip()
            if text:
                rows.append(Row([text], len(rows) + 1))
        elif tag == "tbl":
            above: list[Any] = []
            for row in Table(child, document).rows:
                cells: list[str] = []
                tcs = [cell._tc for cell in row.cells]
                for i, cell in enumerate(row.cells):
                    merged_left = i > 0 and tcs[i - 1] is tcs[i]
                    merged_above = i < len(above) and above[i] is tcs[i]
                    cells.append("" if merged_left or merged_above else cell.text.strip())
                above = tcs
                if any(cells):
                    rows.append(Row(cells, len(rows) + 1))
    return rows


# ---------------------------------------------------------------------- normalising

# Traditional forms met in mirror copies of these tables, to their simplified forms.
# (traditional, simplified) pairs, one pair a word.
_TRADITIONAL_PAIRS = (
    "數数 據据 開开 處处 請请 結结 復复 議议 訴诉 訟讼 總总 計计 規规 範范 號号 項项 資资 機机 "
    "關关 權权 屬属 於于 國国 穩稳 護护 務务 類类 過过 執执 詢询 沒没 現现 製制 補补 內内 確确 "
    "訪访 舉举 報报 無无 當当 認认 獲获 費费 繳缴 納纳 轉转 辦办 繼继 續续 維维 糾纠 審审 經经 "
    "從从 廢废 發发 許许 罰罚 強强 額额 萬万 採采 購购 團团 體体 組组 織织 業业 構构 會会 來来 "
    "決决 並并 為为 與与 個个 單单 應应 門门 們们 問问 題题 間间 統统 條条 際际 擬拟 營营 產产 "
    "勞劳 實实 對对 學学 點点 響响 運运 還还 進进 這这 選选 達达 邊边 東东 亞亚 區区 縣县 鄉乡 "
    "鎮镇 廳厅 員员 財财 稅税 險险 歸归 寫写 讓让 說说"
)
_TRADITIONAL = str.maketrans({pair[0]: pair[1] for pair in _TRADITIONAL_PAIRS.split()})
_PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]", re.I)  # 數(shù): artifacts of mirror sites
_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．,，]|[一二三四五六七八九十](?=[(（])|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])\s*"
)
_DROP = re.compile(r"[\s\"'“”‘’「」『』()（）【】\[\]、，,.．。:：;；/／·•*#]")


def norm(text: str) -> str:
    """A label as matched: no numbering, brackets, quotes, spaces, 行政 prefix; simplified, half-width."""
    t = _PINYIN.sub("", text)
    t = unicodedata.normalize("NFKC", t).translate(_TRADITIONAL).strip()
    for _ in range(3):
        t = _ENUM.sub("", t).strip()
    t = _DROP.sub("", t)
    return t.removeprefix("行政")


_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
BLANKS = {
    "": "原文空白",
    "/": "原文为“/”",
    "-": "原文为“-”",
    "—": "原文为“—”",
    "——": "原文为“——”",
    "－": "原文为“－”",
    "无": "原文为“无”",
}


@dataclass(frozen=True)
class Value:
    number: int | float | str | None
    note: str = ""  # why it is null, or how it was published


def read_value(cell: str, decimal: bool = False, unit_ok: bool = False) -> Value | None:
    """A cell as a value; None when the cell is not a value at all (it is text)."""
    t = unicodedata.normalize("NFKC", cell).strip()
    if t in BLANKS:
        return Value(None, BLANKS[t])
    compact = re.sub(r"(?<=\d)[\s,，](?=\d)", "", t).removesuffix("件").strip()
    if _NUMBER.match(compact):
        if "." in compact:
            return Value(float(compact)) if decimal else None
        return Value(int(compact))
    if unit_ok and re.match(r"^\d+(?:\.\d+)?\s*(元|万元|千元)$", compact):
        return Value(compact, "原文单位")
    return None


def is_value(cell: str) -> bool:
    return cell.strip() != "" and read_value(cell, decimal=True, unit_ok=True) is not None


# ---------------------------------------------------------------------- the tables, from the schema


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


def _node(name: str, path: tuple[str | int, ...]) -> dict[str, Any]:
    return standard.subschema(name, path) or {}


def _short(title: str) -> str:
    return re.sub(r"[(（][^)）]*[)）]$", "", title).strip()


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
        two.append(Spec(("proactive", key), title, [norm(title)], cells, labels, decimal, unit_ok))
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
        three.append(Spec(tuple(str(p) for p in row), label, sorted(keys), list(range(len(columns))), columns))
    four: list[Spec] = []
    for row in standard.leaf_rows(name, ("appeals",)):
        node = _node(name, row)
        columns = [str(c.get("title", "")) for c in node.get("prefixItems", [])]
        title = str(node.get("title", ""))
        four.append(Spec(tuple(str(p) for p in row), title, [norm(title)], list(range(len(columns))), columns))
    return {"二": two, "三": three, "四": four}


# ---------------------------------------------------------------------- reading the tables


Message = tuple[str, dict[str, Any]]  # a message code (locales/errors or cli) and its parameters
Why = Message  # why a row is incomplete
NO_PROBLEM: Why = ("", {})


@dataclass
class Missing:
    """A row, or some cells of it, that the original does not carry."""

    spec: Spec
    cells: list[str | int]
    why: Why
    line: int = 0

    def describe(self, lang: str = "zh-CN") -> str:
        names = [self.spec.cell_labels[self.spec.cells.index(c)] for c in self.cells]
        where = error_text("import_near_line", lang, line=self.line) if self.line else ""
        why = error_text(self.why[0], lang, **self.why[1])
        whole = len(self.cells) == len(self.spec.cells)
        code = "import_missing_row" if whole else "import_missing_cells"
        return error_text(code, lang, label=self.spec.label, where=where, why=why, cells="、".join(names))


@dataclass
class Reading:
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, where, note)
    missing: list[Missing] = field(default_factory=list)

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
    for used, (fr, fc) in enumerate(flat[:3], 1):
        cell = rows[fr].cells[fc]
        if not cell.strip() or is_value(cell):
            break
        parts.append(norm(cell))
        joined = "".join(parts)
        if not joined:
            continue
        for j in range(i, min(i + 4, len(specs))):
            for key in specs[j].keys:
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
        return read_value(cell, decimal=key in spec.decimal, unit_ok=key in spec.unit_ok)

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
        if v.note == "原文单位":
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
    header_text = ""
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
            header_text += "".join(norm(cell) for cell in cells)
    at, order = 0, []
    groups = standard.appeal_groups(fmt)
    for h in groups:
        found = header_text.find(norm(h), at)
        order.append(found)
        at = max(at, found + 1)
    if -1 in order:
        outcomes = "、".join(standard.columns(fmt, ("appeals", "review")))
        raise UnreadableOriginal(
            "import_appeal_header", groups=" → ".join(groups), outcomes=outcomes, line=rows[header_at].line
        )
    k = 0
    for spec in specs:
        got = values[k : k + len(spec.cells)]
        k += len(spec.cells)
        _store(spec, list(got), ("why_short_table_four", {}), line, reading)


def check_applicant_header(rows: list[Row], start: int, first_row: int, fmt: int) -> None:
    """Table 三's columns must be the standard's, in its order (自然人 … 其他, 总计)."""
    text = "".join(norm(cell) for r in range(start, first_row) for cell in rows[r].cells)
    if not text:
        return  # no header in the copy (cells only): the standard's order is all there is
    *applicants, total = standard.columns(fmt, ("applications", "received"))
    missing, at = [], 0
    for h in applicants:  # each after the one before it
        found = text.find(norm(h), at)
        if found < 0:
            missing.append(h)
        else:
            at = found + len(norm(h))
    if missing or total not in text:
        raise UnreadableOriginal(
            "import_applicant_header",
            missing=UnreadableOriginal("import_applicant_missing", columns="、".join(missing)) if missing else "",
            columns="、".join([*applicants, total]),
            first=rows[start].line,
            last=rows[max(start, first_row - 1)].line,
        )


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


# ---------------------------------------------------------------------- the document


_HEADING = re.compile(r"^#*\s*([一二三四五六])\s*[、.．]\s*(.+?)\s*$")
_TITLE = re.compile(r"^(?P<agency>.*?)\s*(?P<year>20\d\d)\s*年度?\s*(?:政府)?信息公开工作?年度报告\s*$")
_DATE = re.compile(r"(20\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_JUNK = re.compile(  # page furniture copied along with a report from a web page
    r"^(访问量|浏览次数|字号|打印|关闭|分享|来源[:：]|发布时间|【|您当前所在位置|当前位置|关怀版|无障碍"
    r"|主办单位|承办单位|主办[:：]|承办[:：]|网站标识码|网站识别码|版权所有|技术支持|联系我们|网站地图|.{0,12}ICP备|.{0,12}公网安备)"
)
_PERIOD = re.compile(r"(20\d\d)\s*年\s*1\s*月\s*1\s*日")


@dataclass
class Imported:
    """What the importer read: enough to write the content file and say what it did."""

    title: str
    agency: str
    year: int
    fmt: int
    fmt_reason: Message  # how the format was told (cli catalogue)
    published: dt.date | None
    source_url: str
    data: dict[str, Any]
    notes: list[tuple[str, str, str]]
    missing: list[Missing]
    preamble: list[str]
    sections: dict[str, tuple[str, list[str]]]  # numeral → (title, paragraphs)
    cited_notice: str = ""
    warnings: list[Message] = field(default_factory=list)  # cli catalogue


def _headings(rows: list[Row]) -> dict[str, tuple[int, str]]:
    """Where each of the six sections starts (first match in order), with the title as printed."""
    found: dict[str, tuple[int, str]] = {}
    order = "一二三四五六"
    for r, row in enumerate(rows):
        cells = [c for c in row.cells if c.strip()]
        if len(cells) != 1:
            continue
        m = _HEADING.match(cells[0].strip())
        if not m:
            continue
        numeral, title = m.group(1), m.group(2)
        if numeral in found or any(order.index(n) > order.index(numeral) for n in found):
            continue
        if any(
            norm(title).startswith(norm(t)) or norm(t).startswith(norm(title)) for t in standard.section_titles(numeral)
        ):
            found[numeral] = (r, f"{numeral}、{title.strip()}")
    return found


def parse(
    rows: list[Row], year: int | None = None, agency: str | None = None, hint_year: int | None = None
) -> Imported:
    """Read a report's title, prose and tables from its rows.

    The year comes from ``year``, else the title, else the statistics period, else ``hint_year``
    (the file name); the agency from ``agency``, else the title ("" when neither has it).
    """
    if not rows:
        raise UnreadableOriginal("import_empty")
    source_url = ""
    if rows[0].cells[0].lower().startswith("source:"):
        source_url = rows[0].cells[0].split(":", 1)[1].strip()
        rows = rows[1:]
    heads = _headings(rows)
    first_section = min((r for r, _ in heads.values()), default=len(rows))

    # Title, agency and year: from the title line (or the lines around it), flags win.
    title_row, found_agency, found_year = -1, "", 0
    for r in range(first_section):
        text = re.sub(r"\s+", "", rows[r].text)
        text = text.lstrip("#")
        m = _TITLE.match(text)
        if m:
            title_row, found_year = r, int(m.group("year"))
            found_agency = m.group("agency")
            if not found_agency and r > 0 and len(rows[r - 1].cells) == 1 and not _TITLE.match(rows[r - 1].text):
                found_agency = rows[r - 1].text.strip()
            if not found_agency and r + 1 < first_section and len(rows[r + 1].cells) == 1:
                found_agency = re.sub(r"\s+", "", rows[r + 1].text)
            if found_agency:
                break
    period = _PERIOD.search("\n".join(row.text for row in rows))  # 统计期限自2024年1月1日起…
    the_year = year or found_year or (int(period.group(1)) if period else 0) or (hint_year or 0)
    the_agency = agency or found_agency
    if not the_year:
        raise UsageError("import_no_year")
    title = standard.default_title(the_agency, the_year) if the_agency else ""

    # The format, from table 二's headers (the year only when they are not there).
    table_start = heads["二"][0] if "二" in heads else first_section
    table_end = heads["五"][0] if "五" in heads else len(rows)
    zone = "".join(norm(c) for r in range(table_start, table_end) for c in rows[r].cells)
    reason: Message = ("format_by_year", {"year": the_year})
    fmt = standard.default_format(the_year)
    for candidate in (2019, 2021):  # the older first: its headers are the more telling
        keys = _format_keys(candidate)
        if any(norm(k) in zone for k in keys):
            fmt, reason = candidate, ("format_by_headers", {"fmt": candidate, "headers": " / ".join(keys[:2])})
            break
    rows = rows[:table_start] + [_split_numbers(row) for row in rows[table_start:table_end]] + rows[table_end:]
    check_proactive_header(rows, table_start, table_end, fmt)
    specs = table_specs(fmt)
    reading = Reading()
    after_two = read_table(rows, specs["二"], table_start, table_end, reading)
    three_start = heads["三"][0] if "三" in heads else after_two
    four_start = heads["四"][0] if "四" in heads else None
    first_label = _first_label(rows, specs["三"], three_start, four_start or table_end)
    if first_label is not None:
        check_applicant_header(rows, three_start, first_label, fmt)
    after_three = read_table(rows, specs["三"], three_start, four_start or table_end, reading)
    read_appeals(rows, specs["四"], four_start if four_start is not None else after_three, table_end, reading, fmt)

    # Prose: the preamble and sections 一、五、六, paragraphs kept.
    def lines(a: int, b: int) -> list[str]:
        return [rows[r].text for r in range(a, b) if rows[r].text and not _JUNK.match(rows[r].text)]

    ends = sorted([r for r, _ in heads.values()] + [len(rows)])
    sections: dict[str, tuple[str, list[str]]] = {}
    for numeral in ("一", "五", "六"):
        if numeral in heads:
            r, heading = heads[numeral]
            nxt = min(e for e in ends if e > r)
            sections[numeral] = (heading, lines(r + 1, nxt))
    _drop_signature(sections, the_agency)
    preamble = lines(title_row + 1 if title_row >= 0 else 0, first_section)
    preamble = [p for p in preamble if re.sub(r"\s+", "", p) != the_agency and not _TITLE.match(re.sub(r"\s+", "", p))]
    all_text = "\n".join(row.text for row in rows if len(row.cells) == 1)
    cited = ""
    for notice in ("〔2021〕30号", "〔2019〕60号"):
        if re.sub(r"\s", "", notice) in re.sub(r"[\s\[\]（）()]", "", all_text.replace("[", "〔").replace("]", "〕")):
            cited = notice
    imported = Imported(
        title=title,
        agency=the_agency,
        year=the_year,
        fmt=fmt,
        fmt_reason=reason,
        published=_published(all_text, the_year),
        source_url=source_url,
        data=reading.data,
        notes=reading.notes,
        missing=reading.missing,
        preamble=preamble,
        sections=sections,
        cited_notice=cited,
    )
    expected = standard.default_format(the_year)
    if fmt != expected:
        imported.warnings.append(("import_s6_format", {"year": the_year, "expected": expected, "fmt": fmt}))
    if cited and cited != ("〔2021〕30号" if fmt == 2021 else "〔2019〕60号"):
        imported.warnings.append(("import_s6_notice", {"cited": cited, "fmt": fmt}))
    return imported


_TRAILING_NUMBERS = re.compile(r"^(?P<label>.*?[^\d\s.,，+\-])?\s*(?P<numbers>[+\-]?\d[\d,.]*(?:\s+[+\-]?\d[\d,.]*)*)$")


def _split_numbers(row: Row) -> Row:
    """A PDF text layer's row — label then numbers separated by spaces, in one cell — as cells.

    Only a single-cell row whose numbers are two or more, or follow a label: "4 0 0 0" and
    "一、本年新收… 4 0 0 0 0 0 4"; a number with a thousands separator ("2,117") stays one number.
    """
    if len(row.cells) != 1:
        return row
    text = unicodedata.normalize("NFKC", row.cells[0]).strip()
    m = _TRAILING_NUMBERS.match(text)
    if not m:
        return row
    numbers = m.group("numbers").split()
    label = (m.group("label") or "").strip()
    if len(numbers) < 2 and not (label and text[len(label) :].startswith((" ", "\t"))):
        return row
    return Row(([label] if label else []) + numbers, row.line)


_DATE_LINE = re.compile(r"^[（(]?\s*20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[)）]?$")


def _drop_signature(sections: dict[str, tuple[str, list[str]]], agency: str) -> None:
    """The sign-off after the last section (the agency's name, the date) is not prose of section 六.

    The date is still read as the publication date; the name is in ``_agency.yaml``.
    """
    if not sections:
        return
    last = sections[max(sections, key="一五六".index)][1]
    name = re.sub(r"\s+", "", agency)
    while last and (_DATE_LINE.match(last[-1].strip()) or (name and re.sub(r"\s+", "", last[-1]) == name)):
        last.pop()


def _first_label(rows: list[Row], specs: list[Spec], start: int, end: int) -> int | None:
    for r in range(start, end):
        for c in range(len(rows[r].cells)):
            if _find_label(rows, specs, 0, r, c) is not None:
                return r
    return None


def _published(text: str, year: int) -> dt.date | None:
    """The publication date the text states: a date after the report year (the statistics period is not one)."""
    for m in _DATE.finditer(text):
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        if day.year > year:
            return day
    return None


# ---------------------------------------------------------------------- writing


def guess_level(name: str) -> tuple[str, list[str]]:
    """A level and region guessed from an agency's name (人民政府办公室, 局, 镇, 街道办事处 …)."""
    units = re.findall(r".+?(?:自治区|自治州|省|市|州|县|区)", name)
    region: list[str] = []
    for unit in units:
        if len("".join(region) + unit) <= len(name) - 2:
            region.append(unit)
    for suffix, level in standard.LEVEL_BY_NAME_ENDING:  # the editor confirms the guess
        if name.endswith(suffix):
            return level, region or [name]
    last = region[-1] if region else ""
    if re.search(r"(省|自治区)$", last):
        government, department = "provincial_government", "provincial_department"
    elif re.search(r"(市|州|盟)$", last):
        government, department = "city_government", "city_department"
    else:
        government, department = "county_government", "county_department"
    if re.search(r"人民政府$", name):
        return government, region or [name]
    return department, region or [name]


@dataclass
class ImportResult:
    report: Path
    agency_file: Path | None  # written because the agency was new
    text: str
    agency_text: str
    imported: Imported
    acknowledged: list[dict[str, str]]
    diagnostics: list[Any]
    level_guessed: str = ""


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


def _existing_slug(content_dir: Path, name: str) -> str | None:
    import yaml

    for agency_file in sorted(content_dir.glob("*/_agency.yaml")):
        try:
            data = yaml.safe_load(agency_file.read_text("utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        names = [data.get("name")] + [f.get("name") for f in data.get("former_names") or [] if isinstance(f, dict)]
        if name in names:
            return agency_file.parent.name
    return None


def _default_slug(source: Path) -> str:
    stem = re.sub(r"(^|[-_.])20\d\d(?=$|[-_.])", "", source.stem).strip("-_.").lower().replace("_", "-")
    return stem


def import_report(
    source: Path,
    content_dir: Path,
    agency: str | None = None,
    year: int | None = None,
    name: str | None = None,
    published: dt.date | None = None,
    region: list[str] | None = None,
    level: str | None = None,
    force: bool = False,
    partial: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Read ``source``, check the result exactly as ``gongkai check`` would, and write it (unless ``dry_run``).

    Raises :class:`UnreadableOriginal` (incomplete tables, without ``partial``) or
    :class:`~generator.errors.UsageError`; in both cases nothing has been written.
    """
    from .content import AGENCY_FILE, SLUG_RE
    from .scaffold import agency_yaml, report_front_matter

    if not source.is_file():
        raise UsageError("no_such_path", path=source)
    named_year = re.search(r"(?<!\d)(20\d\d)(?!\d)", source.stem)
    try:
        imported = parse(
            read_rows(source), year=year, agency=name, hint_year=int(named_year.group(1)) if named_year else None
        )
    except UsageError as e:
        raise UsageError("in_file", file=source, error=e) from e
    if imported.missing and not partial:
        rows_in_tables = sum(len(specs) for specs in table_specs(imported.fmt).values())
        raise IncompleteOriginal(source, imported.missing, rows_in_tables, no_title=not imported.agency)
    if not imported.agency:
        raise UsageError("in_file", file=source, error=UsageError("import_no_agency"))
    imported.title = imported.title or standard.default_title(imported.agency, imported.year)
    slug = agency or _existing_slug(content_dir, imported.agency) or _default_slug(source)
    if not SLUG_RE.match(slug):
        raise UsageError("import_no_slug", slug=slug)
    folder = content_dir / slug
    report_path = folder / f"{imported.year}.md"
    if report_path.exists() and not force and not dry_run:
        raise UsageError("import_exists", path=report_path)

    agency_file = folder / AGENCY_FILE
    agency_text = ""
    level_guessed = ""
    if not agency_file.exists():
        guessed_level, guessed_region = guess_level(imported.agency)
        chosen_level = level or guessed_level
        if not level:
            level_guessed = f"{standard.LEVELS[chosen_level]}（{chosen_level}）"
        agency_text = agency_yaml(imported.agency, chosen_level, region or guessed_region, imported.year)
        if not level or not region:
            agency_text = "# 由 gongkai import 根据机关名称推测的层级和行政区划，请核实后删除本行\n" + agency_text

    acknowledged: list[dict[str, str]] = [{"rule": r, "where": w, "note": n} for r, w, n in imported.notes]
    for m in imported.missing:  # only with --partial
        cells = m.spec.cells
        wheres = [".".join(m.spec.path)] if len(m.cells) == len(cells) else [_where(m.spec, c) for c in m.cells]
        acknowledged.extend({"rule": "H6", "where": w, "note": f"原文缺失（{m.why}）"} for w in wheres)
    published_date = published or imported.published

    def text_with(known: list[dict[str, str]]) -> str:
        front = report_front_matter(
            imported.fmt,
            imported.title,
            imported.data,
            published=published_date.isoformat() if published_date else None,
            source_url=imported.source_url or None,
            known_issues=known,
        )
        return front + "\n" + body(imported)

    text = text_with(acknowledged)
    diagnostics = _check(content_dir, slug, imported.year, text, agency_text)
    failures = _unacknowledged(diagnostics, bool(imported.missing))
    if failures:  # the original breaks these rules: kept as published, acknowledged
        acknowledged.extend(failures)
        text = text_with(acknowledged)
        diagnostics = _check(content_dir, slug, imported.year, text, agency_text)
    result = ImportResult(
        report_path,
        agency_file if agency_text else None,
        text,
        agency_text,
        imported,
        acknowledged,
        diagnostics,
        level_guessed,
    )
    if dry_run:
        return result
    folder.mkdir(parents=True, exist_ok=True)
    if agency_text:
        with agency_file.open("x", encoding="utf-8") as f:
            f.write(agency_text)
    write_atomically(report_path, text.encode("utf-8"))
    return result


def _unacknowledged(diagnostics: list[Any], incomplete: bool) -> list[dict[str, str]]:
    from .errors import Severity

    out: list[dict[str, str]] = []
    for d in diagnostics:
        if d.severity is Severity.ERROR and d.field and d.rule.startswith(("H", "S")):
            note = "原文如此"
            if d.code == "section_missing":
                note = "原文缺失（导入时原文不完整）" if incomplete else "原文没有这一部分"
            issue = {"rule": d.rule, "where": d.field, "note": note}
            if issue not in out:
                out.append(issue)
    return out


def body(imported: Imported) -> str:
    """The prose: the preamble, then sections 一、五、六 as ``##`` headings, paragraphs kept."""
    parts = []
    if imported.preamble:
        parts.append("\n\n".join(imported.preamble) + "\n")
    for numeral in ("一", "五", "六"):
        if numeral in imported.sections:
            heading, paragraphs = imported.sections[numeral]
            parts.append(f"## {heading}\n\n" + "".join(p + "\n\n" for p in paragraphs).rstrip("\n") + "\n")
    return "\n".join(parts)


def _check(content_dir: Path, slug: str, year: int, text: str, agency_text: str) -> list[Any]:
    """What ``gongkai check`` will say about the new report, judged in a copy of its agency's folder."""
    import shutil
    import tempfile

    from . import content, validate
    from .content import AGENCY_FILE, CONFIG_NAME, CONTENT_DIR

    site_root = content_dir.resolve().parent
    with tempfile.TemporaryDirectory(prefix="gongkai-import-") as tmp:
        root = Path(tmp)
        config = site_root / CONFIG_NAME
        if config.is_file() and content_dir.resolve() == (site_root / CONTENT_DIR).resolve():
            shutil.copyfile(config, root / CONFIG_NAME)
        else:
            (root / CONFIG_NAME).write_text("title: gongkai import\n", encoding="utf-8")
        folder = root / CONTENT_DIR / slug
        existing = content_dir / slug
        if existing.is_dir():
            shutil.copytree(existing, folder)
        folder.mkdir(parents=True, exist_ok=True)
        if agency_text:
            (folder / AGENCY_FILE).write_text(agency_text, encoding="utf-8")
        (folder / f"{year}.md").write_text(text, encoding="utf-8")
        site = content.load_site(root)
        result = validate.validate_site(site)
    real = {
        f"{CONTENT_DIR}/{slug}/{year}.md": str(content_dir / slug / f"{year}.md"),
        f"{CONTENT_DIR}/{slug}/{AGENCY_FILE}": str(content_dir / slug / AGENCY_FILE),
    }
    return [d.at(real[d.path]) for d in result.diagnostics if d.path in real]


__all__ = [
    "ImportResult",
    "Imported",
    "IncompleteOriginal",
    "Row",
    "UnreadableOriginal",
    "import_report",
    "norm",
    "parse",
    "read_rows",
    "read_value",
    "table_specs",
]
