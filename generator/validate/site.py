"""Judging a site: each report by the rules table, the rules across years, agencies and configuration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import pool, standard
from ..content import Document, SiteSource
from ..errors import Diagnostic, Severity
from . import cells, dates, prose, sums, years
from .common import Judged, ReportContext, show, title
from .known import reconcile_known_issues
from .rules import Rule, rules
from .schema_check import schema_diagnostics

# Each kind of rule (rules.yaml) and the function that checks it.
REPORT_KINDS: dict[str, Callable[[Judged, Rule], None]] = {
    "equation": sums.equation,
    "row_total": sums.row_total,
    "at_most": sums.at_most,
    "amounts": cells.amounts,
    "blanks": cells.blanks,
    "stock_floor": cells.stock_floor,
    "rule_making": cells.rule_making,
    "sections": prose.sections,
    "period": prose.period,
    "narrative": prose.narrative_figures,
    "format": dates.format_version,
    "deadline": dates.deadline,
    "date_stated": dates.date_stated,
    "after_year": dates.after_year,
}
YEAR_KINDS: dict[str, Callable[[Judged, Judged, Rule], None]] = {
    "carry_over": years.carry_over,
    "stock_flow": years.stock_flow,
}


def report_format(doc: Document, year: int) -> int | None:
    fmt = doc.data.get("format") if isinstance(doc.data, dict) else None
    if fmt is None:
        return standard.default_format(year)
    return fmt if fmt in standard.FORMATS else None


def validate_report(doc: Document, ctx: ReportContext) -> None:
    """Judge one report; findings are appended to ``doc.diagnostics``."""
    if not isinstance(doc.data, dict):
        if doc.data is not None:
            doc.error((2, 1), "TYPE", "front_matter_not_mapping")
        return
    fmt = report_format(doc, ctx.year)
    if fmt is None:
        value = show(doc.data.get("format"))
        doc.error(doc.where(("format",)), "TYPE", "enum", "format", title("format"), value=value, allowed="2019、2021")
        return
    judged = Judged(doc, ctx, fmt)
    schema_diagnostics(doc, judged.name)
    _identity(doc, ctx)
    dates.impossible_dates(doc)
    for rule in rules():
        check = REPORT_KINDS.get(rule.kind)
        if check is not None:
            check(judged, rule)
    prose.empty_body(doc)
    _review(doc, ctx)


def across_years(prev: Judged, cur: Judged) -> None:
    """The rules between an agency's report and its report of the year before. A roll-up (``rollup: true``,
    the whole region's figures) follows on from a roll-up only: beside the agency's own report of the year
    before, its carry-over and stocks are of another scope."""
    if bool(prev.data.get("rollup")) != bool(cur.data.get("rollup")):
        return
    for rule in rules():
        check = YEAR_KINDS.get(rule.kind)
        if check is not None:
            check(prev, cur, rule)


def _identity(doc: Document, ctx: ReportContext) -> None:
    """A front matter that repeats the agency or the year must agree with the file's path."""
    for key, expected, named in (("agency", ctx.slug, {"slug": ctx.slug}), ("year", ctx.year, {"year": ctx.year})):
        if key in doc.data and doc.data[key] != expected:
            loc = doc.where((key,))
            doc.error(loc, "PATH", f"{key}_mismatch", key, title(key), value=show(doc.data[key]), **named)


def _review(doc: Document, ctx: ReportContext) -> None:
    """The 三审 rule: with ``require_review``, a report to publish needs all three stages."""
    if not ctx.require_review or doc.data.get("status", "published") == "draft":
        return
    entries = doc.data.get("review")
    stages = {e.get("stage") for e in entries if isinstance(e, dict)} if isinstance(entries, list) else set()
    missing = [s for s in ("初审", "复审", "终审") if s not in stages]
    if missing:
        loc = doc.where(("review",), key=True) if "review" in doc.data else (2, 1)
        doc.error(loc, "REVIEW", "review_missing", "review", title("review"), missing="、".join(missing))


# ------------------------------------------------------------------ agency and site


def validate_agency(doc: Document, site: SiteSource) -> None:
    if not isinstance(doc.data, dict):
        if doc.data is not None:
            doc.error((1, 1), "TYPE", "agency_not_mapping")
        return
    schema_diagnostics(doc, "agency")
    parent = doc.data.get("parent")
    if isinstance(parent, str) and parent not in site.agencies and parent not in site.outside:
        doc.error(
            doc.where(("parent",)),
            "PATH",
            "unknown_parent",
            "parent",
            standard.label("agency", ("parent",)),
            parent=parent,
        )


def validate_config(doc: Document) -> None:
    if not isinstance(doc.data, dict):
        if doc.data is not None:
            doc.error((1, 1), "TYPE", "config_not_mapping")
        return
    schema_diagnostics(doc, "site")


@dataclass
class Validation:
    """The outcome of judging a site: every diagnostic, in file and line order."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def notices(self) -> int:
        return sum(d.severity is Severity.NOTICE for d in self.diagnostics)

    def for_path(self, rel: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == rel]


FIRST_YEAR = 2019


def _judged_key(doc: Document, ctx: ReportContext) -> tuple[Any, ...]:
    """What a report's own findings depend on: its bytes, its path and its agency's level and name."""
    return ("report", doc.digest, doc.rel, ctx.slug, ctx.year, ctx.level, ctx.agency_name, ctx.require_review)


def _judge(doc: Document, ctx: ReportContext, cache: Any) -> None:
    """validate_report, or its findings from ``cache`` for the same bytes in the same context."""
    if cache is None:
        validate_report(doc, ctx)
        return
    key = _judged_key(doc, ctx)
    found = cache.get_judged(key)
    if found is None:
        validate_report(doc, ctx)
        cache.put_judged(key, doc.diagnostics)
    else:
        doc.diagnostics[:] = found


def _judge_ahead(
    site: SiteSource, known: dict[str, tuple[str | None, str | None]], require_review: bool, cache: Any, jobs: int
) -> None:
    """Judge the reports the cache has no findings for, on ``jobs`` forked processes, into the cache."""
    todo = []
    for agency in site.agencies.values():
        level, name = known[agency.slug]
        for year, doc in sorted(agency.reports.items()):
            ctx = ReportContext(agency.slug, year, level, name, require_review)
            if year >= FIRST_YEAR and cache.get_judged(_judged_key(doc, ctx)) is None:
                todo.append((doc, ctx))
    if not pool.worth_it(len(todo), jobs):
        return

    def judged(item: tuple[Document, ReportContext]) -> list[Diagnostic]:
        doc, ctx = item  # the worker's own copy: what validate_report adds stays there
        validate_report(doc, ctx)
        return doc.diagnostics

    for (doc, ctx), found in zip(todo, pool.run(todo, judged, jobs, step="validate"), strict=True):
        cache.put_judged(_judged_key(doc, ctx), found)


def _year_in_range(doc: Document, year: int, since: Any) -> None:
    """Warnings for a report of a year the agency did not exist in, or a year that has not begun."""
    if isinstance(since, int) and not isinstance(since, bool) and year < since:
        doc.error((1, 1), "PATH", "year_before_since", severity=Severity.WARNING, year=year, since=since)
    current = dt.date.today().year
    if year > current:
        doc.error((1, 1), "PATH", "year_in_future", severity=Severity.WARNING, year=year, current=current)


def validate_site(site: SiteSource, cache: Any = None, jobs: int = 1) -> Validation:
    """Judge every file of the site (the reports on ``jobs`` processes, into the cache), then the rules
    that span years."""
    validate_config(site.config)
    config = site.config.data if isinstance(site.config.data, dict) else {}
    require_review = config.get("require_review") is True
    known: dict[str, tuple[str | None, str | None]] = {}  # each agency's level and name, where its file is sound
    for agency in site.agencies.values():
        level = name = None
        if agency.doc is not None:
            validate_agency(agency.doc, site)
            if agency.doc.readable and not agency.doc.diagnostics:
                level, name = agency.doc.data.get("level"), agency.doc.data.get("name")
        known[agency.slug] = (level, name)
    if cache is not None:
        _judge_ahead(site, known, require_review, cache, jobs)
    for agency in site.agencies.values():
        level, name = known[agency.slug]
        formats: dict[int, int] = {}
        since = agency.doc.data.get("since") if agency.doc is not None and isinstance(agency.doc.data, dict) else None
        for year, doc in sorted(agency.reports.items()):
            if year < FIRST_YEAR:
                doc.error((1, 1), "PATH", "year_out_of_range", year=year)
                continue
            _judge(doc, ReportContext(agency.slug, year, level, name, require_review), cache)
            _year_in_range(doc, year, since)  # after: the cache keeps a report's own findings only
            if doc.readable:
                fmt = report_format(doc, year)
                if fmt is not None:
                    formats[year] = fmt
        for year, doc in sorted(agency.reports.items()):
            prev = agency.reports.get(year - 1)
            if prev is not None and year in formats and year - 1 in formats:
                prev_ctx = ReportContext(agency.slug, year - 1, level, name, require_review)
                cur_ctx = ReportContext(agency.slug, year, level, name, require_review)
                across_years(Judged(prev, prev_ctx, formats[year - 1]), Judged(doc, cur_ctx, formats[year]))
        for doc in agency.reports.values():
            if isinstance(doc.data, dict):
                reconcile_known_issues(doc)
    out = list(site.diagnostics)
    for doc in site.documents():
        out.extend(doc.diagnostics)
    out.sort(key=Diagnostic.sort_key)
    return Validation(out)
