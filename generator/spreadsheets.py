"""The open data as spreadsheets: one row per report, one column per cell of the tables.

``reports.csv`` is for people: the standard's Chinese labels as headers and Chinese values
(县级部门, 按时, 逾期 3 天), as a spreadsheet opens it; ``reports-en.csv`` is the same table for
programs, headed by field paths with the codes of the content format. ``data/<year>.csv`` and
``data/agencies/<agency>.csv`` are slices of ``reports.csv``. The dictionary (``dictionary.json``)
maps each Chinese header to its field path. Every file is what Excel expects of a CSV: UTF-8 with
a BOM, CRLF line ends, fields quoted where they hold a comma, a quote or a line break.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

from . import standard
from .columns import Column, csv_columns
from .model import Report, Site

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (OWASP's "CSV injection"), kept as text by a leading ``'``.

    Excel and LibreOffice take ``=HYPERLINK(…)`` or ``@SUM(…)`` in a cell as a formula; a title or an
    agency name is written by editors and imported from the web, so every text cell that starts with
    one of :data:`FORMULA_START` is prefixed (numbers are numbers and stay as they are)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _line(cells: list[Any]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(cells)
    return buf.getvalue()


def absolute(site: Site, url: str) -> str:
    """A portal path as a full address where ``base_url`` is set (a spreadsheet has no page to be relative to)."""
    return site.config.base_url + quote(url, safe="/#?=&")


def _metadata(r: Report, site: Site, chinese: bool) -> dict[str, Any]:
    """The report's columns before its tables, in the codes of the content format or in Chinese."""
    agency = site.agency(r.slug)
    status = r.timeliness.status
    days_late = r.timeliness.days_late if r.published else None
    if chinese:
        level = standard.LEVELS.get(agency.level, agency.level)
        timeliness = standard.TIMELINESS_LABELS[status].format(days=days_late)
        validation = standard.VALIDATION_LABELS[r.validation]
        issues = "；".join(f"{n.label or n.field}（{n.rule}）：{n.note}" for n in r.notices)
    else:
        level, timeliness, validation = agency.level, status, r.validation
        issues = "; ".join(f"{n.rule}@{n.field}：{n.note}" for n in r.notices)
    return {
        "agency": r.slug,
        "agency_name": r.agency_name,
        "level": level,
        "region": "/".join(agency.region),
        "year": r.year,
        "format": r.format,
        "title": r.title,
        "published": r.published.isoformat() if r.published else "",
        "timeliness": timeliness,
        "deadline": r.timeliness.deadline.isoformat(),
        "days_late": "" if days_late is None else days_late,
        "validation": validation,
        "rollup": ("是" if r.rollup else "") if chinese else str(r.rollup).lower(),
        "known_issues": issues,
        "source_url": r.source_url,
        "url": absolute(site, r.url),
    }


def _cells(r: Report, columns: list[Column]) -> str:
    """The report's table cells as CSV fields (no line end): the same in both files, kept once."""
    values = r.values([c.path for c in columns if c.path])
    return _line(["" if v is None else v for v in values])[:-2]


def _row(r: Report, site: Site, columns: list[Column], chinese: bool) -> str:
    """A report's line: its metadata in the file's language, then its cells. Both parts are made once per
    report (``Report.derived``; the metadata per language and base_url, since it holds the page's address)."""
    base = site.config.base_url
    kind = ("csv-zh" if chinese else "csv-en") + (" " + base if base else "")
    meta_columns = [c for c in columns if not c.path]

    def metadata() -> str:
        meta = _metadata(r, site, chinese)
        return _line([spreadsheet_safe(meta[c.name]) for c in meta_columns])[:-2]

    return f"{r.drawn(kind, metadata)},{r.drawn('csv-cells', lambda: _cells(r, columns))}\r\n"


def table(site: Site, reports: list[Report], chinese: bool = True) -> bytes:
    """The CSV file of ``reports``: headed by the Chinese labels, or by the field paths (``chinese=False``)."""
    columns = csv_columns()
    head = _line([c.label if chinese else c.name for c in columns])
    return (BOM + head + "".join(_row(r, site, columns, chinese) for r in reports)).encode("utf-8")


def files(site: Site) -> dict[str, bytes]:
    """Every spreadsheet of the open data by its path in the site: the whole, per year, per agency."""
    public = site.public_reports
    out = {"data/reports.csv": table(site, public), "data/reports-en.csv": table(site, public, chinese=False)}
    for year in site.years:
        out[year.data_url] = table(site, year.public_reports)
    for agency in site.agencies:
        reports = agency.public_reports
        if reports:
            out[agency.data_url] = table(site, reports)
    return out


__all__ = ["BOM", "absolute", "files", "spreadsheet_safe", "table"]
