"""Regions as a reader knows them — 省 → 市 → 区县 → 乡镇/街道 — with their agencies, reports and sums.

An agency stands in the region its ``region`` names (a 乡镇's region ends in the 乡镇 itself); a
region's *members* are its own agencies and those of every region below it. A region's sums for a
year add the members' published counts (a figure a report does not state as a number is left out of
the sum, and the sum says how many were left out); rates are computed from the summed counts.

A *peer group* is the agencies of one level listed under one region (all 乡镇 and 街道 of a district
are listed under the district): the agencies a reader compares with each other.

A report with ``rollup: true`` is its government's report for the whole region: its figures are shown
beside the sum of the other public reports of the same year in its agency's region and below, with
each difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import standard
from .model import FIGURE_KEYS, Agency, Report, Site, disclosure_rate, region_url
from .standard import FieldPath, field_name


@dataclass
class RegionYear:
    """One year of a region: its members' public reports, their summed figures, and who is missing."""

    year: int
    reports: list[Report]
    missing: list[Agency]
    totals: dict[str, int]
    unknown: dict[str, int]  # figure → reports that do not state it as a number (left out of the total)

    @property
    def disclosure_rate(self) -> float | None:
        return disclosure_rate(dict(self.totals))

    @property
    def summed(self) -> list[Report]:
        """The reports the totals add: all but roll-ups."""
        return [r for r in self.reports if not r.rollup]

    @property
    def partial(self) -> bool:
        """Some sum leaves out a report that does not state its figure as a number."""
        return any(self.unknown.values())


@dataclass
class Rollup:
    """A roll-up report beside the sum of the reports it sums up."""

    report: Report
    parts: list[Report]
    sums: dict[str, int]
    unknown: dict[str, int]
    differences: dict[str, int]  # figure → roll-up minus sum, where they differ

    @property
    def figures(self) -> list[tuple[str, int | None, int, int]]:
        """(figure, the roll-up's value, the sum, the difference) for every figure, in the standard's order."""
        return [
            (key, self.report.figures.get(key), self.sums[key], self.differences.get(key, 0)) for key in FIGURE_KEYS
        ]


# 乡镇 and 街道 are one tier (a district's 乡镇人民政府 and 街道办事处 are each other's peers).
PEER_TIER = {"subdistrict": "township"}


@dataclass
class PeerGroup:
    level: str  # the tier's first level (township for 乡镇 and 街道)
    agencies: list[Agency]

    @property
    def levels(self) -> list[str]:
        return [lv for lv in standard.LEVELS if lv == self.level or PEER_TIER.get(lv) == self.level]

    @property
    def level_label(self) -> str:
        present = {a.level for a in self.agencies}
        return "、".join(standard.LEVELS[lv] for lv in self.levels if lv in present)

    def year(self, year: int) -> RegionYear:
        """The group's public reports of ``year`` and their sums."""
        reports = _public(self.agencies, year)
        missing = [a for a in self.agencies if a.since <= year and year not in a.reports]
        return RegionYear(year, reports, missing, *sum_figures(reports))


@dataclass
class Region:
    path: tuple[str, ...]
    agencies: list[Agency] = field(default_factory=list)  # whose region is exactly this one
    children: list[Region] = field(default_factory=list)
    members: list[Agency] = field(default_factory=list)  # this region's and every region's below
    peers: list[PeerGroup] = field(default_factory=list)  # the agencies listed under this region, by level

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def url(self) -> str:
        return region_url(self.path)

    @property
    def parents(self) -> list[tuple[str, ...]]:
        return [self.path[:i] for i in range(1, len(self.path))]

    def years(self, site: Site) -> list[RegionYear]:
        """The region's years, newest first: every year of the site in which a member was due or reported."""
        out = []
        for y in site.years:
            reports = _public(self.members, y.year)
            missing = [a for a in self.members if a.since <= y.year and y.year not in a.reports]
            if reports or missing:
                totals, unknown = sum_figures(reports)
                out.append(RegionYear(y.year, reports, missing, totals, unknown))
        return out

    def rollups(self) -> list[Rollup]:
        """The roll-up reports of this region's own agencies, newest first, each beside the sum of its parts."""
        out = []
        for agency in self.agencies:
            for report in agency.public_reports:
                if report.rollup:
                    parts = _public(self.members, report.year, but=agency)
                    out.append(rollup(report, parts))
        return sorted(out, key=lambda r: -r.report.year)


def flagged(report: Report) -> frozenset[str]:
    """The figures of ``report`` that sum a cell its original got wrong (a 原文如此 notice on it)."""
    return frozenset(key for key, cells in standard.figure_cells(report.format) if touched(report, cells))


def touched(report: Report, cells: Sequence[FieldPath]) -> bool:
    """Whether a 原文如此 notice of ``report`` lies on a row of ``cells``: on a cell of the row, the row, a group
    that holds it, or a column of its whole table (H1's ``applications[0]``)."""
    for note in report.notices:
        for cell in cells:
            row = cell[:-1] if isinstance(cell[-1], int) else cell  # a row of table 三 or 四, or an item of 二
            name = field_name(row)
            if note.field == name or note.field.startswith((name + ".", name + "[", f"{row[0]}[")):
                return True
            if name.startswith(note.field + "."):
                return True
    return False


def public_report(agency: Agency, year: int) -> Report | None:
    """The agency's report of ``year`` if it has one that is public (not a draft)."""
    report = agency.reports.get(year)
    return report if report is not None and not report.draft else None


def _public(agencies: list[Agency], year: int, but: Agency | None = None) -> list[Report]:
    return [r for a in agencies if a is not but and (r := public_report(a, year)) is not None]


def sum_figures(reports: list[Report]) -> tuple[dict[str, int], dict[str, int]]:
    """Each figure summed over ``reports`` where it is a number, and how many reports did not state it. A roll-up
    is not added: its figures are its region's reports' again."""
    totals = dict.fromkeys(FIGURE_KEYS, 0)
    unknown = dict.fromkeys(FIGURE_KEYS, 0)
    for r in reports:
        if r.rollup:
            continue
        for key in FIGURE_KEYS:
            value = r.figures.get(key)
            if value is None:
                unknown[key] += 1
            else:
                totals[key] += value
    return totals, unknown


def rollup(report: Report, parts: list[Report]) -> Rollup:
    sums, unknown = sum_figures(parts)
    differences = {}
    for key in FIGURE_KEYS:
        value = report.figures.get(key)
        if value is not None and not unknown[key] and value != sums[key]:
            differences[key] = value - sums[key]
    return Rollup(report, parts, sums, unknown, differences)


def listed_under(site: Site) -> list[tuple[tuple[str, ...], list[Agency]]]:
    """The agencies by the region they are listed under (a 乡镇 under its district), in the site's order."""
    found: dict[tuple[str, ...], list[Agency]] = {}
    for agency in site.agencies:
        found.setdefault(agency.region_group, []).append(agency)
    return list(found.items())


def regions(site: Site) -> list[Region]:
    """Every region any agency names, parents before children, in the order the agencies are listed."""
    found: dict[tuple[str, ...], Region] = {}
    for agency in site.agencies:
        path = tuple(agency.region)
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            region = found.get(prefix)
            if region is None:
                region = found[prefix] = Region(prefix)
                if depth > 1:
                    found[prefix[:-1]].children.append(region)
            region.members.append(agency)
        found[path].agencies.append(agency)
    for agency in site.agencies:  # the peer groups: agencies by the region they are listed under, and level
        region = found.get(agency.region_group)
        if region is None:
            continue
        tier = PEER_TIER.get(agency.level, agency.level)
        group = next((g for g in region.peers if g.level == tier), None)
        if group is None:
            region.peers.append(group := PeerGroup(tier, []))
        group.agencies.append(agency)
    order = {level: i for i, level in enumerate(standard.LEVELS)}
    for region in found.values():
        region.peers.sort(key=lambda g: order.get(g.level, len(order)))
    return list(found.values())


__all__ = [
    "PEER_TIER",
    "PeerGroup",
    "Region",
    "RegionYear",
    "Rollup",
    "flagged",
    "listed_under",
    "public_report",
    "regions",
    "rollup",
    "sum_figures",
    "touched",
]
