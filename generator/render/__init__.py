"""Pages through Jinja: theme lookup, the official table layouts, one function per page kind.

Theme lookup is a loader chain: the site's ``overrides/`` folder, then the
chosen theme (``themes/<name>/`` in the site, or bundled), then the bundled
default theme. ``{% extends "default/base.html" %}`` reaches the default theme
explicitly. Templates get ``StrictUndefined`` and autoescape: a missing value
is an error at build time, never a blank on a public page.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import jinja2
import yaml
from markupsafe import Markup

from .. import columns, regions, standard
from ..charts import Chart
from ..errors import TemplateError, UsageError
from ..markdown import Markdown, Slugger
from ..model import OUTCOME_KEYS, Agency, Report, Site, Year, region_url
from .grids import Grid, _fmt, table_four, table_three, table_two
from .notices import NoticeGroup, blank_tables, group_notices
from .quality import MIN_NONZERO_REPEATED, Quality, Repeated, repeated_reports, site_quality
from .skeleton import Tables

PACKAGE = Path(__file__).resolve().parent.parent


def bundled_theme_dir(name: str = "default") -> Path:
    """The bundled theme: inside the package when installed, at the repository top in a checkout."""
    for candidate in (PACKAGE / "themes" / name, PACKAGE.parent / "themes" / name):
        if (candidate / "templates").is_dir():
            return candidate
    raise UsageError("no_theme", name=name)


@dataclass
class Theme:
    """The folders a site's pages are drawn from, most specific first."""

    folders: list[Path]
    default: Path
    language: str

    @classmethod
    def for_site(cls, root: Path, name: str, language: str) -> Theme:
        default = bundled_theme_dir("default")
        folders = []
        if (root / "overrides").is_dir():
            folders.append(root / "overrides")
        if (root / "themes" / name).is_dir():
            folders.append(root / "themes" / name)
        elif name != "default":
            folders.append(bundled_theme_dir(name))
        folders.append(default)
        return cls(folders=folders, default=default, language=language)

    def environment(self) -> jinja2.Environment:
        loaders: list[jinja2.BaseLoader] = [
            jinja2.FileSystemLoader(str(f / "templates")) for f in self.folders if (f / "templates").is_dir()
        ]
        loaders.append(jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(self.default / "templates"))}))
        env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        return env

    def strings(self) -> dict[str, Any]:
        """UI strings: the default theme's locale file, overridden key by key by more specific folders."""
        merged: dict[str, Any] = {}
        for folder in reversed(self.folders):
            path = folder / "locales" / f"{self.language}.yaml"
            if path.is_file():
                data = yaml.safe_load(path.read_text("utf-8")) or {}
                for key, value in data.items():
                    if isinstance(value, dict) and isinstance(merged.get(key), dict):
                        merged[key] = {**merged[key], **{str(k): str(v) for k, v in value.items()}}
                    elif isinstance(value, dict):
                        merged[str(key)] = {str(k): str(v) for k, v in value.items()}
                    else:
                        merged[str(key)] = str(value)
        if not merged:
            raise UsageError("no_theme_locale", language=self.language)
        # The figures' short names are the standard's (figure_received …); a locale may translate them.
        return {**{f"figure_{k}": v for k, v in standard.figure_labels().items()}, **merged}

    def static_files(self) -> dict[str, Path]:
        """Files under ``static/``, keyed by their path in ``assets/``; specific folders win."""
        out: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for f in sorted(static.rglob("*")):
                    if f.is_file():
                        out[f.relative_to(static).as_posix()] = f
        return out


# ---------------------------------------------------------------------- charts


def agency_charts(agency: Agency, t: dict[str, str]) -> list[Chart]:
    years = sorted(agency.reports)
    if not years:
        return []
    reports = [agency.reports[y] for y in years]
    received = Chart(
        "chart-received", t["chart_received"], [t["figure_received"]], years, [[r.figures["received"] for r in reports]]
    )
    outcomes = Chart(
        "chart-outcomes",
        t["chart_outcomes"],
        [t[f"figure_{k}"] for k in OUTCOME_KEYS],
        years,
        [[r.figures[k] for r in reports] for k in OUTCOME_KEYS],
        stacked=True,
    )
    appeals = Chart(
        "chart-appeals",
        t["chart_appeals"],
        [t["figure_review"], t["figure_lawsuit"]],
        years,
        [[r.figures["review"] for r in reports], [r.figures["lawsuit"] for r in reports]],
    )
    return [received.layout(), outcomes.layout(), appeals.layout()]


# ---------------------------------------------------------------------- pages


def template_error(exc: BaseException) -> TemplateError:
    """Where a Jinja error happened: the template file and line, from the error or its traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(exc.filename or exc.name or "?", exc.lineno or 0, exc.message or str(exc))
    tb = exc.__traceback__
    where = ("?", 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return TemplateError(where[0], where[1], str(exc))


@functools.lru_cache(maxsize=1 << 16)
def relative(from_url: str, to_url: str) -> str:
    """A link from page ``from_url`` to ``to_url`` (both site-relative, directories end in /)."""
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url else ""
    if to_url.endswith("/") or to_url == "":
        target = to_url.rstrip("/") or "."
        rel = posixpath.relpath(target, base or ".")
        return "./" if rel == "." else rel + "/"
    return posixpath.relpath(to_url, base or ".")


# What each kind of page gives its template besides what every page gets (site, config, t, link …).
class AgenciesPage(TypedDict):
    groups: list[tuple[str, list[tuple[str, list[Agency]]]]]


class AgencyPage(TypedDict):
    agency: Agency
    parent: Agency | None
    charts: list[Chart]
    missing_years: list[int]
    repeated: list[Repeated]


class ReportPage(TypedDict):
    report: Report
    agency: Agency
    preamble: str
    sections: dict[str, str]
    section_titles: dict[str, str]
    tables: dict[str, Markup]
    prev_report: Report | None
    next_report: Report | None
    notice: str
    notice_groups: list[NoticeGroup]
    blank_tables: set[str]


class YearPage(TypedDict):
    year: Year


class DataPage(TypedDict):
    dictionary: list[dict[str, str]]


class QualityPage(TypedDict):
    quality: Quality
    min_nonzero: int


class RegionsPage(TypedDict):
    top: list[regions.Region]


class RegionPage(TypedDict):
    region: regions.Region
    years: list[regions.RegionYear]
    rollups: list[regions.Rollup]
    peer_year: int
    peer_sums: dict[str, regions.RegionYear]
    flagged: Callable[[Report], frozenset[str]]


class ComparePage(TypedDict):
    groups: list[tuple[tuple[str, ...], str, int]]
    measures: list[tuple[str, str]]
    years: list[int]


class SearchPage(TypedDict):
    search_strings: str | dict[str, str]


class NoContext(TypedDict):
    pass


PageContext = (
    AgenciesPage
    | AgencyPage
    | ReportPage
    | YearPage
    | DataPage
    | QualityPage
    | RegionsPage
    | RegionPage
    | ComparePage
    | SearchPage
    | NoContext
)


@dataclass
class Page:
    path: str  # output file, relative to the site root
    html: str


def css_content(text: str) -> Markup:
    """A locale string as the value of CSS ``content``: ``{page}`` and ``{pages}`` become the page
    counters, the rest CSS strings, escaped so that no quote ends them and no ``</style>`` ends the sheet."""
    parts = re.split(r"(\{pages?\})", text)
    out = []
    for part in parts:
        if part in ("{page}", "{pages}"):
            out.append(f"counter({part[1:-1]})")
        elif part:
            out.append('"' + re.sub(r'[\\"<>&\n]', lambda m: f"\\{ord(m.group()):x} ", part) + '"')
    return Markup(" ".join(out) or '""')


class Renderer:
    """Renders every page of a site model through the theme."""

    def __init__(self, site: Site, theme: Theme, search: bool = False, env: jinja2.Environment | None = None) -> None:
        """``env``: the theme's environment from an earlier build, templates compiled (same theme files only)."""
        self.site = site
        self.theme = theme
        self.search = search
        self.env = env if env is not None else theme.environment()
        self.t = theme.strings()
        self.markdown = Markdown(allow_html=site.config.allow_html, heading_offset=1)
        self.env.filters["number"] = _fmt
        self.env.filters["percent"] = lambda x: "—" if x is None else f"{x * 100:.1f}%"
        self.env.filters["date"] = lambda d: "" if d is None else f"{d.year}年{d.month}月{d.day}日"
        self.env.filters["isodate"] = lambda d: "" if d is None else d.isoformat()
        self.env.filters["css_content"] = css_content
        self.tables = Tables(self._grid)

    def _grid(self, grid: Grid) -> Markup:
        """A table through the theme's own ``grid`` macro."""
        macros = self.env.get_template("macros.html").module
        return Markup(macros.grid(grid, self.t))  # type: ignore[attr-defined]

    def _render(self, template: str, url: str | None, out: str, context: PageContext | None = None) -> Page:
        site = self.site

        def link(target: str) -> str:
            if url is None:  # the 404 page is served at any depth: full addresses where base_url is set
                return (self.site.config.base_url or "/") + target
            return relative(url, target)

        section = (url or "").split("/", 1)[0] or ("home" if url == "" else "")
        html = self.env.get_template(template).render(
            site=site,
            config=site.config,
            t=self.t,
            page_url=url,
            link=link,
            section=section,
            search_enabled=self.search,
            asset=lambda p: link("assets/" + p),
            levels=standard.LEVELS,
            region_url=region_url,
            **(context or {}),
        )
        return Page(out, html)

    def planned(self) -> Iterator[tuple[str, str, Callable[[], Page]]]:
        """Every page as (output path, dependency key, renderer).

        The key names everything the page is made from beyond what all pages share (theme,
        configuration, options: the caller's part of the key); a page whose key is unchanged
        since the last build need not be rendered again. Reports are named by
        :attr:`Report.key`, which covers their file, their agency and every finding on them.
        """
        site = self.site
        latest = site.latest.year if site.latest else 0
        digests = {a.slug: a.digest for a in site.agencies}
        year_keys = {
            y.year: repr((y.year, [r.key for r in y.reports], [(a.slug, a.digest) for a in y.missing]))
            for y in site.years
        }
        everything = repr((sorted(year_keys.items()), sorted(digests.items())))
        yield "index.html", "home" + everything, lambda: self._render("index.html", "", "index.html")
        yield (
            "agencies/index.html",
            repr([(a.slug, a.digest, sorted(a.reports)) for a in site.agencies]),
            lambda: self._render(
                "agencies.html", "agencies/", "agencies/index.html", AgenciesPage(groups=self.agency_groups())
            ),
        )
        for agency in site.agencies:
            reports = sorted(agency.reports.items())
            agency_key = repr((agency.digest, latest, digests.get(agency.parent or ""), [r.key for _, r in reports]))
            yield agency.url + "index.html", agency_key, lambda a=agency: self.agency(a)  # type: ignore[misc]
            years = [y for y, _ in reports]
            for _, report in reports:
                key = repr((report.key, years))
                yield report.url + "index.html", key, lambda r=report, a=agency: self.report(r, a)  # type: ignore[misc]
        yield "years/index.html", "years" + everything, lambda: self._render("years.html", "years/", "years/index.html")
        yield (
            "quality/index.html",
            "quality" + everything,
            lambda: self._render(
                "quality.html",
                "quality/",
                "quality/index.html",
                QualityPage(quality=site_quality(self.site), min_nonzero=MIN_NONZERO_REPEATED),
            ),
        )
        for year in site.years:
            yield year.url + "index.html", year_keys[year.year], lambda y=year: self.year(y)  # type: ignore[misc]
        found = regions.regions(site)
        top = [r for r in found if len(r.path) == 1]
        yield (
            "regions/index.html",
            "regions" + everything,
            lambda: self._render("regions.html", "regions/", "regions/index.html", RegionsPage(top=top)),
        )
        for region in found:
            members = [(a.slug, a.digest, [r.key for r in a.reports.values()]) for a in region.members]
            key = repr((region.path, latest, members))
            yield region.url + "index.html", key, lambda r=region: self.region(r)  # type: ignore[misc]
        yield "compare/index.html", "compare" + everything, self.compare
        yield (
            "data/index.html",
            "data",
            lambda: self._render("data.html", "data/", "data/index.html", DataPage(dictionary=columns.dictionary())),
        )
        if self.search:
            yield (
                "search/index.html",
                "search",
                lambda: self._render(
                    "search.html", "search/", "search/index.html", SearchPage(search_strings=self.t["search_js"])
                ),
            )
        yield "404.html", "404", lambda: self._render("404.html", None, "404.html")

    def agencies_page(self) -> AgenciesPage:
        return AgenciesPage(groups=self.agency_groups())

    def search_page(self) -> SearchPage:
        return SearchPage(search_strings=self.t["search_js"])

    def agency_groups(self) -> list[tuple[str, list[tuple[str, list[Agency]]]]]:
        groups: dict[tuple[str, ...], dict[str, list[Agency]]] = {}
        for a in self.site.agencies:
            groups.setdefault(a.region_group, {}).setdefault(a.level, []).append(a)
        out = []
        for region, levels in groups.items():
            ordered = [(standard.LEVELS.get(lv, lv), levels[lv]) for lv in standard.LEVELS if lv in levels]
            out.append((" ".join(region), ordered))
        return out

    def agency(self, agency: Agency) -> Page:
        last = self.site.latest.year if self.site.latest else 0
        missing = [y for y in agency.expected_years(last) if y not in agency.reports]
        # In a partition (``--only``) the parent may be built elsewhere: then it is not named here.
        parent = self.site.agency(agency.parent) if agency.parent and self.site.has_agency(agency.parent) else None
        charts = agency_charts(agency, self.t)
        context = AgencyPage(
            agency=agency, parent=parent, charts=charts, missing_years=missing, repeated=repeated_reports(agency)
        )
        return self._render("agency.html", agency.url, agency.url + "index.html", context)

    def report(self, report: Report, agency: Agency) -> Page:
        slugger = Slugger({"s1", "s2", "s3", "s4", "s5", "s6", "t2", "t3", "t4", "main"})
        sections = {n: self.markdown.render(s.markdown, slugger) for n, s in report.sections.items()}
        years = sorted(agency.reports)
        i = years.index(report.year)
        prev_report = agency.reports[years[i - 1]] if i > 0 else None
        next_report = agency.reports[years[i + 1]] if i + 1 < len(years) else None
        groups = group_notices(report.notices)
        context = ReportPage(
            report=report,
            agency=agency,
            preamble=self.markdown.render(report.preamble, slugger) if report.preamble else "",
            sections=sections,
            section_titles=_section_titles(report),
            tables={
                "二": self.tables.html(report, "二", lambda: table_two(report, self.t)),
                "三": self.tables.html(report, "三", lambda: table_three(report, self.t)),
                "四": self.tables.html(report, "四", lambda: table_four(report, self.t)),
            },
            prev_report=prev_report,
            next_report=next_report,
            notice=standard.NOTICES[report.format],
            notice_groups=groups,
            blank_tables=blank_tables(groups),
        )
        return self._render("report.html", report.url, report.url + "index.html", context)

    def region(self, region: regions.Region) -> Page:
        year = self.site.latest.year if self.site.latest else 0
        context = RegionPage(
            region=region,
            years=region.years(self.site),
            rollups=region.rollups(),
            peer_year=year,
            peer_sums={g.level: g.year(year) for g in region.peers},
            flagged=regions.flagged,
        )
        return self._render("region.html", region.url, region.url + "index.html", context)

    def compare(self) -> Page:
        context = ComparePage(
            groups=[(path, region_url(path), len(agencies)) for path, agencies in regions.listed_under(self.site)],
            measures=[(key, label) for key, label, _ in standard.measures(max(standard.FORMATS))],
            years=sorted((y.year for y in self.site.years), reverse=True),
        )
        return self._render("compare.html", "compare/", "compare/index.html", context)

    def year(self, year: Year) -> Page:
        return self._render("year.html", year.url, year.url + "index.html", YearPage(year=year))


def _section_titles(report: Report) -> dict[str, str]:
    titles = {n: standard.NARRATIVE_SECTIONS[n][0] for n in standard.NARRATIVE_SECTIONS}
    titles.update(standard.TABLE_SECTIONS)
    for n, s in report.sections.items():
        if s.title:
            titles[n] = s.title
    return {n: titles[n] for n in standard.SECTION_ORDER}
