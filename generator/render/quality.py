"""What the portal knows about the quality of the published data, as facts with their evidence.

Only what is certain is said: a report's publication against its deadline (and the days late), a
report that was due and is not there, the problems a report's original acknowledges (原文如此), and a
report whose every number equals the same agency's report of the year before. No ranking, no verdict:
each line names the report, the rule or the measure, and what was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import standard
from ..model import Agency, Report, Site

# Tables repeated from one year to the next are a fact worth showing only where they say something:
# two tables of zeros (a small office with no applications) are alike without being copied.
MIN_NONZERO_REPEATED = 3


@dataclass
class YearQuality:
    """One year's publication: the late reports (with their days), the undated, the missing agencies."""

    year: int
    expected: int
    on_time: int
    late: list[Report] = field(default_factory=list)
    unknown: list[Report] = field(default_factory=list)
    missing: list[Agency] = field(default_factory=list)


@dataclass
class Repeated:
    """A report whose tables 二、三、四 are, number for number, the agency's report of the year before."""

    report: Report
    previous: Report
    nonzero: int  # how many of the repeated cells are not zero


@dataclass
class Quality:
    years: list[YearQuality]
    acknowledged: list[Report]  # reports with 原文如此 notes, newest year first
    repeated: list[Repeated]


def _cells(report: Report) -> dict[str, object]:
    return {name: report.table(name) for name in standard.TABLES}


def _nonzero(value: object) -> int:
    if isinstance(value, dict):
        return sum(_nonzero(v) for v in value.values())
    if isinstance(value, list):
        return sum(_nonzero(v) for v in value)
    return int(isinstance(value, int | float) and not isinstance(value, bool) and value != 0)


def repeated_reports(agency: Agency) -> list[Repeated]:
    """The agency's public reports whose every number equals its public report of the year before."""
    public = {r.year: r for r in agency.public_reports}
    out = []
    for year, report in sorted(public.items()):
        previous = public.get(year - 1)
        if previous is None or previous.format != report.format:
            continue
        cells = _cells(report)
        nonzero = _nonzero(cells)
        if cells == _cells(previous) and nonzero >= MIN_NONZERO_REPEATED:
            out.append(Repeated(report, previous, nonzero))
    return out


def site_quality(site: Site) -> Quality:
    years = []
    for y in site.years:
        public = y.public_reports
        years.append(
            YearQuality(
                y.year,
                y.expected,
                sum(r.timeliness.status == "on_time" for r in public),
                sorted((r for r in public if r.timeliness.status == "late"), key=lambda r: -r.timeliness.days_late),
                [r for r in public if r.timeliness.status == "unknown"],
                list(y.missing),
            )
        )
    acknowledged = sorted((r for r in site.public_reports if r.notices), key=lambda r: (-r.year, r.slug))
    repeated = [x for a in site.agencies for x in repeated_reports(a)]
    return Quality(years, acknowledged, sorted(repeated, key=lambda x: (-x.report.year, x.report.slug)))


__all__ = ["MIN_NONZERO_REPEATED", "Quality", "Repeated", "YearQuality", "repeated_reports", "site_quality"]
