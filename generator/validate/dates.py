"""Kinds about dates and the format: deadline (T1), date_stated (T2), after_year (T3), format (S6)."""

from __future__ import annotations

import datetime as dt
import re

from .. import standard
from ..content import Document
from ..standard import FieldPath, field_name, narrative
from .common import Judged, parse_date, report, title
from .rules import Rule


def impossible_dates(doc: Document) -> None:
    """A date of the right form that names no real day (2026-02-30)."""
    candidates: list[tuple[FieldPath, object]] = [(("published",), doc.data.get("published"))]
    reviews = doc.data.get("review")
    if isinstance(reviews, list):
        candidates += [(("review", i, "date"), e.get("date")) for i, e in enumerate(reviews) if isinstance(e, dict)]
    for path, raw in candidates:
        if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) and parse_date(raw) is None:
            doc.error(doc.where(path), "TYPE", "impossible_date", field_name(path), "日期", value=raw)


def date_stated(j: Judged, rule: Rule) -> None:
    """T2: the report says when it was published (timeliness is unknown otherwise)."""
    if j.ctx.level is not None and j.data.get("published") is None:
        report(j.doc, rule, "no_published", (2, 1), "published", title("published"))


def after_year(j: Judged, rule: Rule) -> None:
    """T3: a report cannot be published before the year it reports on has ended."""
    raw = j.data.get("published")
    date = parse_date(raw)
    if j.ctx.level is not None and date is not None and date <= dt.date(j.ctx.year, 12, 31):
        where = j.doc.where(("published",))
        report(j.doc, rule, "published_too_early", where, "published", title("published"), value=raw, year=j.ctx.year)


def deadline(j: Judged, rule: Rule) -> None:
    """T1: published by the deadline of the agency's level (late by how many days)."""
    level, year = j.ctx.level, j.ctx.year
    raw = j.data.get("published")
    date = parse_date(raw)
    if level is None or date is None or date <= dt.date(year, 12, 31):
        return  # no level, no usable date (T2, the schema, an impossible day), or too early (T3)
    late = standard.days_late(level, year, date)
    if late:
        report(
            j.doc,
            rule,
            "published_late",
            j.doc.where(("published",)),
            "published",
            title("published"),
            value=raw,
            days=late,
            deadline=standard.deadline(level, year).isoformat(),
            level=standard.LEVELS.get(level, level),
        )


def format_version(j: Judged, rule: Rule) -> None:
    """S6: the format matches the year, and the notice cited matches the format."""
    doc, fmt, year = j.doc, j.fmt, j.ctx.year
    wrong = "old_format" if fmt == 2019 and year >= 2021 else "early_format" if fmt == 2021 and year < 2021 else ""
    if wrong:
        loc = doc.where(("format",)) if "format" in doc.data else (2, 1)
        report(doc, rule, wrong, loc, "format", title("format"), year=year)
    other = 2019 if fmt == 2021 else 2021
    m = narrative.notice_pattern(other).search(doc.body)
    if m:
        line = doc.body_line + doc.body.count("\n", 0, m.start())
        report(
            doc,
            rule,
            "stale_notice",
            (line, 1),
            "format",
            title("format"),
            cited=standard.NOTICES[other],
            fmt=fmt,
        )
