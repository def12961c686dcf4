"""The portal's domain: sites, agencies, reports and years, with derived figures.

Built from validated content only. Every URL is decided here, in one place
(``Report.url``, ``Agency.url``, ``Year.url``): templates never compose paths.
Totals over agencies add counts only; rates are computed from summed counts,
never averaged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import schemas, standard
from .content import AgencySource, Document, SiteSource, body_sections, digest
from .errors import Diagnostic, Severity
from .standard import FieldPath, get_path

CellValue = int | float | str | None  # a cell as published: a count, an amount, a string kept as written, a blank


def region_url(path: Sequence[str]) -> str:
    """The page of a region (``regions/河南省/新乡市/``): its names, from the province down."""
    return "regions/" + "".join(f"{name}/" for name in path)


def folder_url(url: str) -> str:
    """A base URL as links are joined to it: ending in ``/``."""
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class SiteConfig:
    """``gongkai.yaml``; the official marks are all optional and shown only when set."""

    title: str
    description: str = ""
    region: str = ""
    base_url: str = ""
    language: str = "zh-CN"
    theme: str = "default"
    sample: bool = False
    require_review: bool = False
    allow_html: bool = False
    organizer: str = ""
    contact: str = ""
    site_id_code: str = ""
    site_domain: str = ""
    icp: str = ""
    police_record: str = ""
    police_record_code: str = ""
    report_error_url: str = ""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> SiteConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if known.get("base_url"):
            known["base_url"] = folder_url(str(known["base_url"]))
        return cls(**known)


FIGURE_KEYS, OUTCOME_KEYS = standard.FIGURE_KEYS, standard.OUTCOME_KEYS


def disclosure_rate(figures: dict[str, int | None]) -> float | None:
    """(予以公开 + 部分公开) / (七)总计, from counts (None when undefined)."""
    d, p, h = figures.get("disclosed"), figures.get("partially_disclosed"), figures.get("handled")
    if d is None or p is None or not h:
        return None
    return (d + p) / h


@dataclass(frozen=True)
class Timeliness:
    status: str  # on_time | late | unknown
    deadline: dt.date
    days_late: int = 0


@dataclass(frozen=True)
class Notice:
    """An acknowledged failure of the original (known_issues): shown as 原文如此."""

    rule: str
    field: str
    label: str
    note: str


@dataclass(frozen=True)
class BodySection:
    numeral: str
    title: str
    markdown: str


@dataclass
class Report:
    slug: str
    year: int
    format: int
    title: str
    agency_name: str  # the name the agency had that year
    published: dt.date | None
    timeliness: Timeliness
    source_url: str
    data: dict[str, Any]  # proactive / applications / appeals exactly as in the front matter
    preamble: str
    sections: dict[str, BodySection]
    notices: list[Notice]
    warnings: list[Diagnostic]
    source: str  # path of the content file, relative to the site root
    draft: bool = False
    rollup: bool = False  # the government's report for its whole region (区划页 sets it beside the sum of the rest)
    figures: dict[str, int | None] = field(default_factory=dict)
    digest: str = ""  # of the content file: what a rebuild compares
    key: str = ""  # of everything the report is made from (file, agency, findings): equal key, equal report
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # outputs drawn from it alone

    @property
    def url(self) -> str:
        return f"agencies/{self.slug}/{self.year}/"

    def value(self, path: FieldPath) -> CellValue:
        """The cell of tables 二、三、四 at ``path`` as published (None where blank or absent)."""
        return self.values([path])[0]

    def values(self, paths: Sequence[FieldPath]) -> list[CellValue]:
        """``value`` of each of ``paths``, each row looked up once (a table's cells share their rows)."""
        rows: dict[FieldPath, Any] = {}
        out: list[CellValue] = []
        for path in paths:
            prefix, last = path[:-1], path[-1]
            node = rows[prefix] if prefix in rows else rows.setdefault(prefix, get_path(self.data, prefix))
            if isinstance(last, int):
                found = node[last] if isinstance(node, list) and last < len(node) else None
            else:
                found = node.get(last) if isinstance(node, dict) else None
            out.append(found if isinstance(found, (int, float, str)) else None)
        return out

    def total(self, cells: Sequence[FieldPath]) -> int | None:
        """The sum of ``cells``, or None where one is blank or not a count (a figure not known is never 0)."""
        total = 0
        for value in self.values(cells):
            if not isinstance(value, int) or isinstance(value, bool):
                return None
            total += value
        return total

    def row(self, path: FieldPath) -> list[CellValue] | None:
        """A row of table 三 or 四 as published, or None where the report has no such row."""
        found = get_path(self.data, path)
        return list(found) if isinstance(found, list) else None

    def table(self, name: str) -> dict[str, Any]:
        """Table 二 (proactive), 三 (applications) or 四 (appeals) as published, for the open data."""
        found = self.data.get(name)
        return found if isinstance(found, dict) else {}

    def drawn(self, name: str, make: Callable[[], Any]) -> Any:
        """``make()``, once per report: what outputs draw from this report alone (kept in ``derived``)."""
        if name not in self.derived:
            self.derived[name] = make()
        return self.derived[name]

    @property
    def schema_name(self) -> str:
        return schemas.report_schema_name(self.format)

    @property
    def disclosure_rate(self) -> float | None:
        return disclosure_rate(self.figures)

    @property
    def validation(self) -> str:
        """``passed`` (数据校验通过) or ``acknowledged`` (原文问题已说明)."""
        return "acknowledged" if self.notices else "passed"


@dataclass
class Agency:
    slug: str
    name: str
    level: str
    region: list[str]
    parent: str | None
    website: str
    since: int
    former_names: list[dict[str, Any]]
    reports: dict[int, Report] = field(default_factory=dict)
    digest: str = ""

    @property
    def url(self) -> str:
        return f"agencies/{self.slug}/"

    @property
    def data_url(self) -> str:
        """The agency's public reports as a spreadsheet (written only where it has one)."""
        return f"data/agencies/{self.slug}.csv"

    @property
    def public_reports(self) -> list[Report]:
        return [r for _, r in sorted(self.reports.items()) if not r.draft]

    @property
    def feed_url(self) -> str:
        """The agency's own Atom feed (written only where it has a public report)."""
        return self.url + "feed.xml"

    @property
    def level_label(self) -> str:
        return standard.LEVELS.get(self.level, self.level)

    @property
    def region_group(self) -> tuple[str, ...]:
        """The region an agency is listed under: a 乡镇/街道's own name is not a group."""
        if self.level in ("township", "subdistrict") and len(self.region) > 1:
            return tuple(self.region[:-1])
        return tuple(self.region)

    def name_in(self, year: int) -> str:
        """The name the agency bore in ``year`` (``former_names`` with ``until``)."""
        for former in sorted(self.former_names, key=lambda f: f["until"]):
            if year <= former["until"]:
                return str(former["name"])
        return self.name

    def expected_years(self, last: int) -> list[int]:
        return list(range(self.since, last + 1))


@dataclass
class Year:
    year: int
    reports: list[Report]
    missing: list[Agency]
    totals: dict[str, int]

    @property
    def url(self) -> str:
        return f"years/{self.year}/"

    @property
    def data_url(self) -> str:
        return f"data/{self.year}.csv"

    @property
    def public_reports(self) -> list[Report]:
        """The year's reports but drafts (a reviewers' preview lists drafts too)."""
        return [r for r in self.reports if not r.draft]

    @property
    def expected(self) -> int:
        return len(self.reports) + len(self.missing)

    def count(self, status: str) -> int:
        return sum(r.timeliness.status == status for r in self.reports)

    @property
    def disclosure_rate(self) -> float | None:
        return disclosure_rate(dict(self.totals))


@dataclass
class Site:
    config: SiteConfig
    agencies: list[Agency]
    years: list[Year]  # newest first
    drafts_shown: bool = False

    @property
    def reports(self) -> list[Report]:
        """Every report, newest year first, then by agency order."""
        return [r for y in self.years for r in y.reports]

    @property
    def public_reports(self) -> list[Report]:
        """What may leave the portal as data (feeds, downloads, search): never a draft."""
        return [r for r in self.reports if not r.draft]

    @property
    def latest(self) -> Year | None:
        return self.years[0] if self.years else None

    @cached_property
    def _by_slug(self) -> dict[str, Agency]:
        return {a.slug: a for a in self.agencies}

    def has_agency(self, slug: str | None) -> bool:
        return slug in self._by_slug

    def agency(self, slug: str) -> Agency:
        """The agency with ``slug`` (called once per report and per table row: a lookup, not a scan)."""
        return self._by_slug[slug]


LEVEL_ORDER = {level: i for i, level in enumerate(standard.LEVELS)}


def _sections(body: str) -> tuple[str, dict[str, BodySection]]:
    found = body_sections(body, 1)
    preamble = body[: found[0].start].split("\n")
    # The preamble is what precedes the first section heading (minus that heading's own line).
    pre = "\n".join(preamble[:-2]) if found else body
    sections = {s.numeral: BodySection(s.numeral, s.title, body[s.start : s.end].strip("\n")) for s in found}
    return pre.strip("\n"), sections


def build_site(
    source: SiteSource,
    diagnostics: list[Diagnostic],
    include_drafts: bool = False,
    memo: dict[str, Report] | None = None,
    derived: Callable[[str], dict[str, Any]] | None = None,
) -> Site:
    """The model of a site whose content passed validation (no errors).

    ``memo`` holds the reports of an earlier model by :attr:`Report.key` (``gongkai serve``
    keeps it): a report whose file, agency and findings are unchanged is taken as it was,
    with what was already derived from it (``Report.derived``: its data row, index record …).
    ``derived`` gives that store by key across runs (``gongkai build`` keeps it in its cache).
    """
    reused: dict[str, Report] = {}
    config = SiteConfig.from_data(source.config.data if isinstance(source.config.data, dict) else {"title": ""})
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_path.setdefault(d.path, []).append(d)
    agencies: list[Agency] = []
    for slug, src in source.agencies.items():
        agency = _agency(slug, src)
        for year in sorted(src.reports):
            doc = src.reports[year]
            if not include_drafts and doc.data.get("status") == "draft":
                continue
            diags = by_path.get(doc.rel, [])
            key = digest(repr((doc.digest, doc.rel, agency.digest, diags)).encode("utf-8"))
            report = memo[key] if memo is not None and key in memo else _report(agency, year, doc, diags, key)
            if derived is not None:
                report.derived = derived(key)
            agency.reports[year] = reused[key] = report
        agencies.append(agency)
    if memo is not None:  # keep what this model uses, forget the rest
        memo.clear()
        memo.update(reused)
    agencies.sort(key=lambda a: (a.region_group, LEVEL_ORDER.get(a.level, 99), a.slug))
    return Site(config, agencies, _years(agencies), drafts_shown=include_drafts)


def _agency(slug: str, src: AgencySource) -> Agency:
    assert src.doc is not None and isinstance(src.doc.data, dict)
    a = src.doc.data
    years = sorted(src.reports)
    return Agency(
        slug=slug,
        name=a["name"],
        level=a["level"],
        region=list(a["region"]),
        parent=a.get("parent"),
        website=a.get("website", ""),
        since=a.get("since", years[0] if years else 0),
        former_names=list(a.get("former_names", [])),
        digest=src.doc.digest,
    )


def _timeliness(level: str, year: int, published: dt.date | None) -> Timeliness:
    deadline = standard.deadline(level, year)
    if published is None:
        return Timeliness("unknown", deadline)
    late = standard.days_late(level, year, published)
    return Timeliness("late" if late else "on_time", deadline, late)


def _report(agency: Agency, year: int, doc: Document, diags: list[Diagnostic], key: str) -> Report:
    data = doc.data
    published = dt.date.fromisoformat(data["published"]) if data.get("published") else None
    preamble, sections = _sections(doc.body)
    report = Report(
        slug=agency.slug,
        year=year,
        format=data.get("format") or standard.default_format(year),
        title=data.get("title") or standard.default_title(agency.name_in(year), year),
        agency_name=agency.name_in(year),
        published=published,
        timeliness=_timeliness(agency.level, year, published),
        source_url=data.get("source_url", ""),
        data={k: data[k] for k in ("proactive", "applications", "appeals")},
        preamble=preamble,
        sections=sections,
        notices=[Notice(d.rule, d.field, d.label, d.note) for d in diags if d.severity is Severity.NOTICE],
        warnings=[d for d in diags if d.severity is Severity.WARNING],
        source=doc.rel,
        draft=data.get("status") == "draft",
        rollup=data.get("rollup") is True,
        digest=doc.digest,
        key=key,
    )
    report.figures = {key: report.total(cells) for key, cells in standard.figure_cells(report.format)}
    return report


def _years(agencies: list[Agency]) -> list[Year]:
    all_years = sorted({y for a in agencies for y in a.reports})
    if not all_years:
        return []
    last = all_years[-1]
    first = min([all_years[0], *(a.since for a in agencies if a.since)])
    out = []
    for year in range(first, last + 1):
        reports = [a.reports[year] for a in agencies if year in a.reports]
        missing = [a for a in agencies if a.since <= year and year not in a.reports]
        if not reports and not missing:
            continue
        parts = [r for r in reports if not r.rollup]  # a roll-up repeats its region's reports: not added again
        totals = {key: sum(r.figures[key] or 0 for r in parts) for key in FIGURE_KEYS}
        out.append(Year(year, reports, missing, totals))
    return sorted(out, key=lambda y: -y.year)
