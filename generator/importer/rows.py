"""Readers: any original (text, Markdown, HTML, .docx) as one stream of rows of cells."""

from __future__ import annotations

import html.parser
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import megabytes
from ..errors import UsageError


@dataclass
class Row:
    cells: list[str]
    line: int  # in the original (1-based); for HTML and .docx the position among blocks

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


# The largest original read. A published report is a few hundred KB of HTML or text; reading HTML
# takes some fifty times its size in memory, so a text original is refused beyond 10 MB. A .docx
# (or a PDF) carries its pictures: 30 MB as a file, and 200 MB for all its parts unpacked (a "zip bomb" of a
# few KB can unpack to gigabytes: it is counted as it unpacks, not taken from its own header).
TEXT_LIMIT = 10 * 1024 * 1024
DOCX_LIMIT = 30 * 1024 * 1024
DOCX_UNPACKED_LIMIT = 200 * 1024 * 1024


def _refuse_larger(size: int, limit: int, code: str = "import_too_large") -> None:
    if size > limit:
        raise UsageError(code, size=megabytes(size), limit=megabytes(limit))


def read_rows(path: Path) -> list[Row]:
    """The original as rows of cells, whatever its kind."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_rows(path)
    if suffix == ".pdf":
        _refuse_larger(path.stat().st_size, DOCX_LIMIT)
        from .pdf import pdf_rows  # pdfplumber is loaded only for a PDF

        return pdf_rows(path)
    if suffix in UNSUPPORTED:
        raise UsageError(UNSUPPORTED[suffix])
    _refuse_larger(path.stat().st_size, TEXT_LIMIT)
    raw = path.read_bytes()
    if b"\0" in raw[:4096]:
        raise UsageError("import_binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as e:
            raise UsageError("import_encoding") from e
    if suffix in (".html", ".htm") or re.search(r"<(table|html|body)\b", text[:5000], re.I):
        return _html_rows(text)
    return _text_rows(text)


UNSUPPORTED = {  # the kinds of file that cannot be read, and the message saying what to do instead
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
    _check_docx_package(path)
    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx and lxml raise many kinds for a damaged package
        raise UsageError("import_docx_broken", error=str(e)[:200]) from e
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


def _check_docx_package(path: Path) -> None:
    """A .docx is a zip package: refuse one that is not (a renamed text file), is too large, or
    unpacks to more than :data:`DOCX_UNPACKED_LIMIT` (counted by unpacking, in pieces)."""
    _refuse_larger(path.stat().st_size, DOCX_LIMIT)
    if not zipfile.is_zipfile(path):
        raise UsageError("import_docx_not_zip")
    unpacked = 0
    try:
        with zipfile.ZipFile(path) as package:
            for member in package.infolist():
                with package.open(member) as part:
                    while piece := part.read(1 << 20):
                        unpacked += len(piece)
                        _refuse_larger(unpacked, DOCX_UNPACKED_LIMIT, "import_docx_unpacked")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as e:
        raise UsageError("import_docx_broken", error=str(e)[:200]) from e
