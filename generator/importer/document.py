"""Document structure: title, year, agency, publication date, sections, where each table stands."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .. import standard
from ..errors import UsageError
from .headers import check_applicant_header
from .labels import norm
from .refusal import Message, UnreadableOriginal
from .rows import Row
from .tables import (
    Missing,
    Reading,
    Spec,
    _find_label,
    _format_keys,
    check_proactive_header,
    read_appeals,
    read_table,
    table_specs,
)

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
    guesses: list[Message] = field(default_factory=list)  # what was taken without being told (errors catalogue)


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
    title_row, found_agency, found_year = _title_line(rows, first_section)
    period = _PERIOD.search("\n".join(row.text for row in rows))  # 统计期限自2024年1月1日起…
    the_year = year or found_year or (int(period.group(1)) if period else 0) or (hint_year or 0)
    the_agency = agency or found_agency
    if not the_year:
        raise UsageError("import_no_year")

    # The format, from table 二's headers (the year only when they are not there); then the tables.
    table_start = heads["二"][0] if "二" in heads else first_section
    table_end = heads["五"][0] if "五" in heads else len(rows)
    fmt, reason = _format_of(rows, table_start, table_end, the_year)
    rows = rows[:table_start] + [_split_numbers(row) for row in rows[table_start:table_end]] + rows[table_end:]
    reading = _read_tables(rows, heads, table_start, table_end, fmt)

    # Prose: the preamble and sections 一、五、六, paragraphs kept.
    preamble, sections = _prose(rows, heads, title_row, first_section, the_agency)
    all_text = "\n".join(row.text for row in rows if len(row.cells) == 1)
    cited = _cited_notice(all_text)
    imported = Imported(
        title=standard.default_title(the_agency, the_year) if the_agency else "",
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
    imported.warnings.extend(reading.units)
    imported.guesses.extend(reading.guesses)
    expected = standard.default_format(the_year)
    if fmt != expected:
        imported.warnings.append(("import_s6_format", {"year": the_year, "expected": expected, "fmt": fmt}))
    if cited and cited != _notice_number(fmt):
        imported.warnings.append(("import_s6_notice", {"cited": cited, "fmt": fmt}))
    return imported


def _title_line(rows: list[Row], first_section: int) -> tuple[int, str, int]:
    """The title line before the first section: (its row, the agency it names, its year); (-1, "", 0) if none."""
    title_row, found_agency, found_year = -1, "", 0
    for r in range(first_section):
        text = re.sub(r"\s+", "", rows[r].text).lstrip("#")
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
    return title_row, found_agency, found_year


def _format_of(rows: list[Row], start: int, end: int, year: int) -> tuple[int, Message]:
    """The format table 二's headers tell (the older first: its headers are the more telling), else the year's."""
    zone = "".join(norm(c) for r in range(start, end) for c in rows[r].cells)
    for candidate in (2019, 2021):
        keys = _format_keys(candidate)
        if any(norm(k) in zone for k in keys):
            return candidate, ("format_by_headers", {"fmt": candidate, "headers": " / ".join(keys[:2])})
    return standard.default_format(year), ("format_by_year", {"year": year})


def _read_tables(rows: list[Row], heads: dict[str, tuple[int, str]], start: int, end: int, fmt: int) -> Reading:
    """Tables 二、三、四 where the headings (or the tables before them) place them, headers checked."""
    check_proactive_header(rows, start, end, fmt)
    specs = table_specs(fmt)
    reading = Reading()
    after_two = read_table(rows, specs["二"], start, end, reading)
    three_start = heads["三"][0] if "三" in heads else after_two
    four_start = heads["四"][0] if "四" in heads else None
    first_label = _first_label(rows, specs["三"], three_start, four_start or end)
    if first_label is not None:
        reading.guesses.extend(check_applicant_header(rows, three_start, first_label, fmt))
    after_three = read_table(rows, specs["三"], three_start, four_start or end, reading)
    read_appeals(rows, specs["四"], four_start if four_start is not None else after_three, end, reading, fmt)
    return reading


def _prose(
    rows: list[Row], heads: dict[str, tuple[int, str]], title_row: int, first_section: int, agency: str
) -> tuple[list[str], dict[str, tuple[str, list[str]]]]:
    """The preamble (after the title, before the first section) and sections 一、五、六, as paragraphs."""

    def lines(a: int, b: int) -> list[str]:
        return [rows[r].text for r in range(a, b) if rows[r].text and not _JUNK.match(rows[r].text)]

    ends = sorted([r for r, _ in heads.values()] + [len(rows)])
    sections: dict[str, tuple[str, list[str]]] = {}
    for numeral in standard.NARRATIVE_SECTIONS:
        if numeral in heads:
            r, heading = heads[numeral]
            nxt = min(e for e in ends if e > r)
            sections[numeral] = (heading, lines(r + 1, nxt))
    _drop_signature(sections, agency)
    preamble = lines(title_row + 1 if title_row >= 0 else 0, first_section)
    preamble = [p for p in preamble if re.sub(r"\s+", "", p) != agency and not _TITLE.match(re.sub(r"\s+", "", p))]
    return preamble, sections


def _notice_number(fmt: int) -> str:
    """〔2021〕30号: the notice of ``fmt`` as reports cite it."""
    return standard.NOTICES[fmt].removeprefix("国办公开办函")


def _cited_notice(text: str) -> str:
    """The notice the report's text cites (the last found), written as 〔2021〕30号; "" if none."""
    plain = re.sub(r"[\s\[\]（）()]", "", text.replace("[", "〔").replace("]", "〕"))
    cited = ""
    for fmt in sorted(standard.FORMATS, reverse=True):
        if _notice_number(fmt) in plain:
            cited = _notice_number(fmt)
    return cited


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
