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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import yaml

from . import standard
from .charts import Chart
from .errors import TemplateError, UsageError
from .markdown import Markdown, Slugger
from .model import OUTCOME_KEYS, Agency, Report, Site, Year, csv_columns
from .standard import field_name

PACKAGE = Path(__file__).resolve().parent


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


# ---------------------------------------------------------------------- the official tables


@dataclass
class Cell:
    """One cell of an official table; ``value`` marks a data cell (``td``)."""

    text: str = ""
    header: bool = True
    rowspan: int = 1
    colspan: int = 1
    id: str = ""
    headers: str = ""
    scope: str = ""
    cls: str = ""
    field: str = ""  # front-matter path of a data cell
    blank: bool = False  # a null cell acknowledged as blank in the original


@dataclass
class Grid:
    id: str
    caption: str
    cls: str
    head: list[list[Cell]] = field(default_factory=list)
    bodies: list[list[list[Cell]]] = field(default_factory=list)
    cols: list[tuple[int, str]] = field(default_factory=list)  # (span, width) of each <col>
    colgroups: list[list[tuple[int, str]]] = field(default_factory=list)

    @property
    def parts(self) -> list[tuple[str, list[list[Cell]]]]:
        """``thead`` (when there is a head) and each ``tbody``, in order, with their rows."""
        return ([("thead", self.head)] if self.head else []) + [("tbody", body) for body in self.bodies]


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _td(report: Report, path: tuple[str | int, ...], headers: str, colspan: int = 1) -> Cell:
    value = report.value(path)
    name = field_name(path)
    return Cell(_fmt(value), header=False, colspan=colspan, headers=headers, field=name, blank=value is None)


def table_two(report: Report, t: dict[str, str]) -> Grid:
    name = report.schema_name
    printed = standard.layout(report.format, "proactive")
    grid = Grid("t2", printed["caption"], "gk t2", cols=[(1, "31%"), (3, "23%")])
    for n, group in enumerate(standard.proactive_groups(report.format), start=1):
        cap_id = f"t2-{n}"
        keys = group.rows
        body: list[list[Cell]] = [[Cell(group.caption, colspan=4, id=cap_id, scope="rowgroup", cls="cap")]]
        columns = standard.group_headers(report.format, group)
        spans = _spread(len(columns), 3)
        head = [Cell(printed["content_header"], id=f"{cap_id}-h0", scope="col")]
        head += [Cell(c, id=f"{cap_id}-h{i + 1}", scope="col", colspan=spans[i]) for i, c in enumerate(columns)]
        body.append(head)
        for r, key in enumerate(keys, start=1):
            node = standard.subschema(name, ("proactive", key)) or {}
            row_id = f"{cap_id}-r{r}"
            row = [Cell(node.get("title", key), id=row_id, scope="row", headers=f"{cap_id} {cap_id}-h0")]
            subkeys = list(node.get("properties", {})) or [None]
            for i, sub in enumerate(subkeys):
                path = ("proactive", key) if sub is None else ("proactive", key, sub)
                row.append(_td(report, path, f"{cap_id} {row_id} {cap_id}-h{i + 1}", colspan=spans[i]))
            body.append(row)
        grid.bodies.append(body)
    return grid


def _spread(n: int, total: int) -> list[int]:
    """Column spans for ``n`` value columns over ``total`` grid columns (the last takes the rest)."""
    if n >= total:
        return [1] * n
    return [1] * (n - 1) + [total - n + 1]


def _table_label(node: dict[str, Any]) -> str:
    label = str(node.get("x-table-label") or node.get("title", ""))
    return label[1:] if label.startswith("三（") else label


def table_three(report: Report, t: dict[str, str]) -> Grid:
    name = report.schema_name
    printed = standard.layout(report.format, "applications")
    grid = Grid(
        "t3",
        printed["caption"],
        "gk t3",
        colgroups=[[(1, "4em"), (1, "8em"), (1, "13em")], [(1, "4.5em")], [(5, "4.5em")], [(1, "4.5em")]],
    )
    col_titles = standard.columns(report.format, ("applications", "received"))
    grid.head = [
        [
            Cell(printed["corner"], header=False, rowspan=3, colspan=3, cls="corner"),
            Cell(printed["applicants"], colspan=7, scope="col", id="t3-app"),
        ],
        [
            Cell(col_titles[0], rowspan=2, scope="col", id="t3-c1", headers="t3-app"),
            Cell(printed["organisations"], colspan=5, scope="colgroup", id="t3-org", headers="t3-app"),
            Cell(col_titles[6], rowspan=2, scope="col", id="t3-c7", headers="t3-app"),
        ],
        [Cell(col_titles[i], scope="col", id=f"t3-c{i + 1}", headers="t3-app t3-org") for i in range(1, 6)],
    ]
    col_headers = ["t3-app t3-c1", *[f"t3-app t3-org t3-c{i}" for i in range(2, 7)], "t3-app t3-c7"]
    apps = (standard.subschema(name, ("applications",)) or {}).get("properties", {})
    result_keys = [k for k in apps if k not in ("received", "carried_over", "carried_forward")]
    result_rows = sum(len(standard.leaf_rows(name, ("applications", k))) for k in result_keys)
    rows: list[list[Cell]] = []
    n = 0

    def data_cells(path: tuple[str, ...], label_ids: str) -> list[Cell]:
        return [_td(report, (*path, c), f"{label_ids} {col_headers[c]}") for c in range(7)]

    for key in apps:
        node = standard.subschema(name, ("applications", key)) or {}
        if key in ("received", "carried_over", "carried_forward"):
            n += 1
            rid = f"t3-L1-{n}"
            rows.append(
                [Cell(node.get("title", key), colspan=3, scope="row", id=rid), *data_cells(("applications", key), rid)]
            )
            continue
        l1 = "t3-L1-r"
        prefix: list[Cell] = []
        if key == result_keys[0]:
            prefix = [Cell(printed["results"], rowspan=result_rows, scope="row", id=l1)]
        if "prefixItems" in node:
            n += 1
            rid = f"t3-L2-{n}"
            rows.append(
                [
                    *prefix,
                    Cell(_table_label(node), colspan=2, scope="row", id=rid, headers=l1),
                    *data_cells(("applications", key), f"{l1} {rid}"),
                ]
            )
            continue
        leaves = list(node.get("properties", {}).items())
        gid = f"t3-L2-{n + 1}"
        for i, (leaf_key, leaf) in enumerate(leaves):
            n += 1
            rid = f"t3-L3-{n}"
            group = [Cell(_table_label(node), rowspan=len(leaves), scope="row", id=gid, headers=l1)] if i == 0 else []
            rows.append(
                [
                    *(prefix if i == 0 else []),
                    *group,
                    Cell(leaf.get("title", leaf_key), scope="row", id=rid, headers=f"{l1} {gid}"),
                    *data_cells(("applications", key, leaf_key), f"{l1} {gid} {rid}"),
                ]
            )
            prefix = []
    grid.bodies = [rows]
    return grid


def table_four(report: Report, t: dict[str, str]) -> Grid:
    outcomes = standard.columns(report.format, ("appeals", "review"))
    printed = standard.layout(report.format, "appeals")
    grid = Grid("t4", printed["caption"], "gk t4")
    grid.head = [
        [
            Cell(printed["review"], colspan=5, scope="colgroup", id="t4-r"),
            Cell(printed["lawsuit"], colspan=10, scope="colgroup", id="t4-l"),
        ],
        [
            *[
                Cell(o, rowspan=2, scope="col", id=f"t4-r{i}", headers="t4-r", cls="leaf")
                for i, o in enumerate(outcomes)
            ],
            Cell(printed["direct"], colspan=5, scope="colgroup", id="t4-d", headers="t4-l"),
            Cell(printed["after_review"], colspan=5, scope="colgroup", id="t4-a", headers="t4-l"),
        ],
        [
            *[Cell(o, scope="col", id=f"t4-d{i}", headers="t4-l t4-d", cls="leaf") for i, o in enumerate(outcomes)],
            *[Cell(o, scope="col", id=f"t4-a{i}", headers="t4-l t4-a", cls="leaf") for i, o in enumerate(outcomes)],
        ],
    ]
    cells = [_td(report, ("appeals", "review", i), f"t4-r t4-r{i}") for i in range(5)]
    cells += [_td(report, ("appeals", "lawsuit", i), f"t4-l t4-d t4-d{i}") for i in range(5)]
    cells += [_td(report, ("appeals", "lawsuit_after_review", i), f"t4-l t4-a t4-a{i}") for i in range(5)]
    grid.bodies = [[cells]]
    return grid


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


@dataclass
class Page:
    path: str  # output file, relative to the site root
    html: str


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

    def _render(self, template: str, url: str | None, out: str, **context: Any) -> Page:
        site = self.site

        def link(target: str) -> str:
            if url is None:  # the 404 page is served at any path: link from the site's root path
                return self.root_path + target
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
            **context,
        )
        return Page(out, html)

    @property
    def root_path(self) -> str:
        """The site's path on its host: from ``base_url`` when set, else ``/``."""
        return urlsplit(self.site.config.base_url).path or "/"

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
            lambda: self._render("agencies.html", "agencies/", "agencies/index.html", groups=self.agency_groups()),
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
        for year in site.years:
            yield year.url + "index.html", year_keys[year.year], lambda y=year: self.year(y)  # type: ignore[misc]
        yield (
            "data/index.html",
            "data",
            lambda: self._render("data.html", "data/", "data/index.html", dictionary=data_dictionary()),
        )
        if self.search:
            yield (
                "search/index.html",
                "search",
                lambda: self._render("search.html", "search/", "search/index.html", search_strings=self.t["search_js"]),
            )
        yield "404.html", "404", lambda: self._render("404.html", None, "404.html")

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
        parent = self.site.agency(agency.parent) if agency.parent else None
        return self._render(
            "agency.html",
            agency.url,
            agency.url + "index.html",
            agency=agency,
            parent=parent,
            charts=agency_charts(agency, self.t),
            missing_years=missing,
        )

    def report(self, report: Report, agency: Agency) -> Page:
        slugger = Slugger({"s1", "s2", "s3", "s4", "s5", "s6", "t2", "t3", "t4", "main"})
        sections = {n: self.markdown.render(s.markdown, slugger) for n, s in report.sections.items()}
        years = sorted(agency.reports)
        i = years.index(report.year)
        prev_report = agency.reports[years[i - 1]] if i > 0 else None
        next_report = agency.reports[years[i + 1]] if i + 1 < len(years) else None
        return self._render(
            "report.html",
            report.url,
            report.url + "index.html",
            report=report,
            agency=agency,
            preamble=self.markdown.render(report.preamble, slugger) if report.preamble else "",
            sections=sections,
            section_titles=_section_titles(report),
            tables={
                "二": table_two(report, self.t),
                "三": table_three(report, self.t),
                "四": table_four(report, self.t),
            },
            prev_report=prev_report,
            next_report=next_report,
            notice=standard.NOTICES[report.format],
        )

    def year(self, year: Year) -> Page:
        return self._render("year.html", year.url, year.url + "index.html", year=year)


def _section_titles(report: Report) -> dict[str, str]:
    titles = {n: standard.NARRATIVE_SECTIONS[n][0] for n in standard.NARRATIVE_SECTIONS}
    titles.update(standard.TABLE_SECTIONS)
    for n, s in report.sections.items():
        if s.title:
            titles[n] = s.title
    return {n: titles[n] for n in standard.SECTION_ORDER}


def data_dictionary() -> list[dict[str, str]]:
    """Every column of ``reports.csv``: name, Chinese label, description (labels from the schemas)."""
    return [{"name": c.name, "label": c.label, "description": c.description} for c in csv_columns()]
