"""What the search index holds: every word a reader sees on each page, and its facets.

A page is indexed from its ``<main>`` as served — the title, agency, region, every paragraph of
the prose, every row of tables 二、三、四 (label and numbers), the 原文如此 notes and the theme's own
labels — nothing of the navigation or footer; a theme without ``<main>`` gets the same text made
from the report. The labels of the table rows a report recorded something in (信访举报投诉类申请,
属于四类过程性信息 …) are also facet values. Facets: 年度, 机关, 层级, 区划, the table rows (办理结果,
不予公开, 无法提供, 不予处理, 其他处理, 复议诉讼), 及时性, 数据校验. The index itself:
:mod:`generator.searchindex`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

from . import pool, schemas, standard
from .folders import Stage
from .model import Agency, Report, Site
from .searchindex import Batch, Facts, IndexStats, IndexWriter, Page, Parts, collector_off, fragment_path, prepare

TIMELINESS_LABELS = {"on_time": "按时发布", "late": "逾期发布", "unknown": "发布日期未知"}
VALIDATION_LABELS = {"passed": "数据校验通过", "acknowledged": "原文问题已说明"}
COLUMNS = ("年度", "机关", "层级", "区划", "及时性", "数据校验")  # one value a page, kept for every page


# ---------------------------------------------------------------------- the records


# Rows whose label is a topic a reader searches for (the outcomes, the reasons, the
# appeals); the running totals (新收, 结转, 总计 …) are in every report and say nothing.
TOPIC_ROWS = (
    ("applications", "disclosed"),
    ("applications", "partially_disclosed"),
    ("applications", "withheld"),
    ("applications", "unavailable"),
    ("applications", "not_processed"),
    ("applications", "other"),
    ("appeals",),
)
RESULT_FILTER = "办理结果"  # 予以公开, 部分公开, 其他处理 (a row without reasons)
APPEAL_FILTER = "复议诉讼"


def _topic(name: str, row: tuple[str | int, ...]) -> tuple[str, str]:
    """The filter a topic row belongs to and its value, in the standard's own words.

    ``("不予公开", "属于四类过程性信息")``, ``("办理结果", "部分公开")``, ``("复议诉讼", "行政复议")``.
    One filter per group keeps each filter file small: a query for 信访 downloads the
    不予处理 filter only (at 10,000 reports one file for all rows would weigh 80 KB).
    """
    if row[0] == "appeals":
        title = str((standard.subschema(name, row) or {}).get("title", ""))
        return APPEAL_FILTER, title.replace(" · ", "：")
    if len(row) == 3:
        return standard.short(name, row[:2]), standard.short(name, row)
    return RESULT_FILTER, standard.short(name, row)


def topics(report: Report) -> list[tuple[str, str]]:
    """The topic rows of tables 三、四 with a non-zero total this year, as (filter, value).

    They go into the index as filter values, not as words: a facet answers "which agencies
    withheld information as 过程性信息?", and the search page matches a query word against
    the values (信访 → 不予处理：信访举报投诉类申请). Every report prints every label, mostly
    beside a 0, so as words they would match everything and cost the index a third of its size.
    """
    return list(report.drawn("topics", lambda: tuple(_topics(report))))


def _topics(report: Report) -> list[tuple[str, str]]:
    name = report.schema_name
    out: list[tuple[str, str]] = []
    for group in TOPIC_ROWS:
        for row in standard.leaf_rows(name, group):
            values = report.row(row)
            if isinstance(values, list) and values and isinstance(values[-1], int) and values[-1] > 0:
                out.append(_topic(name, row))
    return out


def _numbers(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(_numbers(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_numbers(v) for v in value)
    return "" if value is None else str(value)


def table_lines(report: Report) -> list[str]:
    """Each row of tables 二、三、四 as the page prints it: its label, then its numbers.

    The labels are words a reader sees on every report (行政复议, 信访举报投诉类申请); a match
    on one shows that row, numbers and all, as the excerpt.
    """
    name, fmt, out = report.schema_name, report.format, []
    for group in standard.proactive_groups(fmt):
        out.append(f"{group.caption} {' '.join(standard.group_headers(fmt, group))}")
        for key in group.rows:
            title = str((standard.subschema(name, ("proactive", key)) or {}).get("title", ""))
            out.append(f"{title}：{_numbers(report.data.get('proactive', {}).get(key))}")
    for table in ("applications", "appeals"):
        for row in standard.leaf_rows(name, (table,)):
            out.append(f"{standard.label(name, row)}：{_numbers(report.row(row))}")
    return out


FACET_LIMIT = 60  # a facet with more values than this is left to typing (2,000 agency names are no list)


def _group_filters() -> list[str]:
    """One filter per group of table 三's rows (不予公开 …), in the standard's order, newest format first."""
    out: list[str] = []
    for fmt in sorted(standard.FORMATS, reverse=True):
        name = schemas.report_schema_name(fmt)
        out += [
            f
            for f in (standard.short(name, ("applications", g)) for g in standard.groups(name, "applications"))
            if f not in out
        ]
    return out


FACET_ORDER = (
    "年度",
    "机关",
    "层级",
    "区划",
    RESULT_FILTER,
    *_group_filters(),
    APPEAL_FILTER,
    "及时性",
    "数据校验",
)


def facets(site: Site) -> dict[str, Any]:
    """The search page's facets, written beside it at build time.

    ``{"facets": [[filter, [[value, reports], …]], …], "topics": [filters of table rows]}``.
    The page shows them (with these totals) before anything is typed, without touching the index.
    """
    counts: dict[str, dict[str, int]] = {}
    topic_keys: set[str] = set()

    def add(key: str, value: str) -> None:
        if value:
            counts.setdefault(key, {})
            counts[key][value] = counts[key].get(value, 0) + 1

    for agency in site.agencies:
        for report in agency.reports.values():
            if report.draft:
                continue
            add("年度", str(report.year))
            add("机关", agency.name)
            add("层级", agency.level_label)
            add("区划", agency.region[-1] if agency.region else "")
            for key, value in topics(report):
                topic_keys.add(key)
                add(key, value)
            add("及时性", TIMELINESS_LABELS[report.timeliness.status])
            add("数据校验", VALIDATION_LABELS[report.validation])
    out: list[list[Any]] = []
    for key in sorted(counts, key=lambda k: FACET_ORDER.index(k) if k in FACET_ORDER else len(FACET_ORDER)):
        values = counts[key]
        if len(values) > FACET_LIMIT:
            continue
        order = sorted(values, reverse=True) if key == "年度" else sorted(values, key=lambda v: (-values[v], v))
        out.append([key, [[v, values[v]] for v in order]])
    return {"facets": out, "topics": sorted(topic_keys, key=FACET_ORDER.index)}


# ---------------------------------------------------------------------- the pages' text

_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
# Not the page's words: scripts, styles, and the navigation (the breadcrumb's 首页 › 机关 is on every page).
_UNSEEN = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<template\b.*?</template>|<nav\b.*?</nav>", re.S)
_BLOCK = re.compile(  # the alternatives share their prefixes: a flat list of 35 names is four times slower
    r"</?(?:p|div|li|[uo]l|h[1-6]|t(?:r|able|head|body|foot)|caption|section|article|header|footer|aside|d[ltd]"
    r"|fig(?:ure|caption)|blockquote|pre|details|summary|form|fieldset|legend|br|hr)(?=[\s/>])[^>]*>"
)
_CELL = re.compile(r"</?t[dh](?=[\s/>])[^>]*>")
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[^\S\n]+")
_LINES = re.compile(r" ?\n[\s]*")


def main_text(page: str) -> str | None:
    """The words of a page's ``<main>`` as a reader sees them: a line per block, a table row's cells on one line."""
    main = _MAIN.search(page)
    if main is None:
        return None
    text = html.unescape(_TAG.sub("", _CELL.sub(" ", _BLOCK.sub("\n", _UNSEEN.sub("", main.group(1))))))
    return _LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def report_text(report: Report, agency: Agency) -> str:
    """A report's words made from the report, for a theme whose page has no ``<main>``."""
    lines = [report.title, f"{agency.level_label} {' '.join(agency.region)} {report.year}年度", report.preamble]
    for numeral, section in report.sections.items():
        lines += [f"{numeral}、{section.title}", section.markdown]
    lines += table_lines(report)
    lines += [f"原文如此：{n.label} {n.note}" for n in report.notices]
    return "\n".join(line for line in lines if line)


def _head(name: str, agency: Agency) -> str:
    return " ".join([name, agency.name, *(f["name"] for f in agency.former_names), *agency.region])


def report_page(report: Report, agency: Agency, served: str | None) -> Page:
    text = main_text(served) if served else None
    prose = "\n".join(
        [report.preamble, *(s.markdown for s in report.sections.values()), *(n.note for n in report.notices)]
    )
    return Page(
        url=report.url,
        kind="report",
        title=report.title,
        agency=report.agency_name,
        text=text if text is not None else report_text(report, agency),
        head=_head(report.title + " " + report.agency_name, agency),
        prose=prose,
        year=report.year,
        published=report.published.isoformat() if report.published else "",
        facets=dict(zip(COLUMNS, _columns(report, agency), strict=True)),
        topics=topics(report),
    )


def _columns(report: Report | None, agency: Agency) -> tuple[str, ...]:
    region = agency.region[-1] if agency.region else ""
    if report is None:
        return ("", agency.name, agency.level_label, region, "", "")
    timeliness = TIMELINESS_LABELS[report.timeliness.status]
    return (str(report.year), agency.name, agency.level_label, region, timeliness, VALIDATION_LABELS[report.validation])


def agency_page(agency: Agency, served: str | None) -> Page:
    text = main_text(served) if served else None
    if text is None:
        years = "、".join(f"{y}年度" for y in sorted(agency.reports))
        text = f"{agency.name}\n{agency.level_label} {' '.join(agency.region)} 历年政府信息公开工作年度报告 {years}"
    return Page(
        url=agency.url,
        kind="agency",
        title=agency.name,
        agency=agency.name,
        text=text,
        head=_head(agency.name, agency),
        facets=dict(zip(COLUMNS, _columns(None, agency), strict=True)),
    )


def pages(site: Site, served: Callable[[str], str | None] | None = None) -> Iterator[Page]:
    """Every agency page and published report page, in the site's order; ``served(url)``: a page as written."""
    read = served or (lambda url: None)
    for agency in site.agencies:
        yield agency_page(agency, read(agency.url))
        for report in agency.reports.values():
            if not report.draft:
                yield report_page(report, agency, read(report.url))


SPAN = 16  # pages a worker prepares in one go (its runs come back as one small batch)


Memo = dict[str, tuple[str, Facts, Parts, bytes]]  # url → (page digest, facts, runs, fragment)


def write_index(
    site: Site,
    served: Callable[[str], str | None],
    stage: Stage,
    jobs: int = 1,
    memo: tuple[Memo, dict[str, str]] | None = None,
) -> IndexStats:
    """Index every page into ``stage``: the pages' text cut into runs, and their fragments written, by
    ``jobs`` workers (straight into the folder where the stage allows it); then the shards.

    ``memo`` (``gongkai serve``, one process): what was made of each page last time, and the digest of
    each page as written now; a page whose digest is unchanged is not read or cut again."""
    with collector_off():
        return _write_index(site, served, stage, jobs, memo)


def _write_index(
    site: Site,
    served: Callable[[str], str | None],
    stage: Stage,
    jobs: int,
    memo: tuple[Memo, dict[str, str]] | None,
) -> IndexStats:
    writer = IndexWriter(stage.write_bytes, COLUMNS, FACET_ORDER, FACET_LIMIT)
    items = [
        item
        for agency in site.agencies
        for item in [(agency, None), *((agency, r) for r in agency.reports.values() if not r.draft)]
    ]

    def one(number: int) -> tuple[Facts, Parts, bytes]:
        agency, report = items[number]
        url = agency.url if report is None else report.url
        digest = memo[1].get(f"{url}index.html", "") if memo else ""
        if memo and digest and url in memo[0] and memo[0][url][0] == digest:
            return memo[0][url][1:]
        page = agency_page(agency, served(url)) if report is None else report_page(report, agency, served(url))
        data, parts = prepare(page)
        facts = Batch.facts_of(page)
        if memo and digest:
            memo[0][url] = (digest, facts, parts, data)
        return facts, parts, data

    def made(span: range) -> Batch:
        batch = Batch(span.start)
        for number in span:
            facts, parts, data = one(number)
            batch.add(facts, parts)
            if stage.direct:
                path = stage.root / fragment_path(number)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                batch.sizes += len(data)
            else:
                batch.fragments.append(data)
        return batch

    spans = [range(i, min(i + SPAN, len(items))) for i in range(0, len(items), SPAN)]
    for batch in pool.each(spans, made, jobs if memo is None else 1, "search"):
        if stage.direct:
            stage.count += len(batch.facts)
        writer.merge(batch)
    if memo:
        for url in set(memo[0]) - {agency.url if report is None else report.url for agency, report in items}:
            del memo[0][url]
    return writer.finish(jobs)


__all__ = ["COLUMNS", "agency_page", "facets", "main_text", "pages", "report_page", "topics", "write_index"]
