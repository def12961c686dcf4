"""The search index: Pagefind's extended build, driven from Python.

Pagefind 1.6.0's extended binary (npm) segments Chinese at index time the way
the browser's ``Intl.Segmenter`` does at query time; PyPI's 1.5.2 does not, and
then 信访 and every quoted phrase find nothing (``shared/search-notes.md``).

Each page is indexed from a record written for the index, not from the served
HTML: the report's title, agency, region and year, **every paragraph of its prose**
under its section heading, every row of tables 二、三、四 as printed (label, then
numbers), and the 原文如此 notes — every word a reader sees on the page, nothing of
the navigation or footer. The labels of the table rows a report recorded something
in (信访举报投诉类申请, 属于国家秘密 …) are also filter values (facets). The served
pages stay exactly as rendered, with no invisible characters. Filters: 年度, 机关, 层级,
区划, the table rows (办理结果, 不予公开, 无法提供, 不予处理, 其他处理, 复议诉讼),
及时性, 数据校验; sort by year.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from . import schemas, standard
from .errors import UsageError
from .markdown import Markdown
from .model import Agency, Report, Site

PACKAGE = Path(__file__).resolve().parent
BINARY_NAME = "pagefind_extended"

TIMELINESS_LABELS = {"on_time": "按时发布", "late": "逾期发布", "unknown": "发布日期未知"}
VALIDATION_LABELS = {"passed": "数据校验通过", "acknowledged": "原文问题已说明"}


def find_pagefind(site_root: Path | None = None) -> Path:
    """The extended binary: $GONGKAI_PAGEFIND, node_modules above the site or gongkai, or PATH."""
    env = os.environ.get("GONGKAI_PAGEFIND") or os.environ.get("PAGEFIND_BINARY_PATH")
    if env:
        path = Path(env)
        if not path.is_file():
            raise UsageError("pagefind_missing_env", path=path)
        return path
    starts = [p for p in (site_root, Path.cwd(), PACKAGE.parent) if p is not None]
    for start in starts:
        for folder in [start, *start.resolve().parents]:
            for candidate in sorted((folder / "node_modules" / "@pagefind").glob(f"*/bin/{BINARY_NAME}")):
                if candidate.is_file():
                    return candidate
    found = shutil.which(BINARY_NAME)
    if found:
        return Path(found)
    raise UsageError("pagefind_missing", binary=BINARY_NAME)


class PagefindService:
    """Pagefind's ``--service`` protocol: base64 JSON messages, each ended by a comma."""

    def __init__(self, binary: Path) -> None:
        self.proc = subprocess.Popen(
            [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.responses: dict[int, dict[str, Any]] = {}
        self.ready = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        buf = b""
        while True:
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                break
            buf += chunk
            while b"," in buf:
                message, buf = buf.split(b",", 1)
                data = json.loads(base64.b64decode(message))
                mid = data.get("message_id")
                if mid is None:
                    original = data.get("payload", {}).get("original_message")
                    mid = json.loads(original).get("message_id") if original else -1
                with self.ready:
                    self.responses[mid] = data["payload"]
                    self.ready.notify_all()
        with self.ready:
            self.ready.notify_all()

    def send(self, payload: dict[str, Any]) -> int:
        self.next_id += 1
        message = base64.b64encode(json.dumps({"message_id": self.next_id, "payload": payload}).encode("utf-8"))
        assert self.proc.stdin is not None
        self.proc.stdin.write(message + b",")
        return self.next_id

    def wait(self, mid: int) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.flush()
        with self.ready:
            while mid not in self.responses:
                if self.proc.poll() is not None and mid not in self.responses:
                    raise RuntimeError("Pagefind 意外退出")
                self.ready.wait(timeout=1)
            payload = self.responses.pop(mid)
        if payload.get("type") == "Error":
            raise RuntimeError(f"Pagefind 出错：{payload.get('message')}")
        return payload

    def peak_rss_kb(self) -> int:
        """The indexer's own peak memory (VmHWM; 0 where /proc is not there)."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return 0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung binary
            self.proc.kill()


@dataclass
class IndexStats:
    seconds: float
    records: int
    words: int
    files: int
    bytes: int
    peak_rss_kb: int


def write_index(records: Iterable[tuple[str, str]], out_dir: Path, binary: Path) -> IndexStats:
    """Index ``(url, html)`` records and write the bundle into ``out_dir`` (``…/pagefind``)."""
    started = time.perf_counter()
    service = PagefindService(binary)
    try:
        index_id = service.wait(service.send({"type": "NewIndex", "config": {"force_language": "zh-cn"}}))["index_id"]
        pending: list[int] = []
        words = count = 0
        for url, html in records:
            pending.append(service.send({"type": "AddFile", "index_id": index_id, "url": url, "file_contents": html}))
            count += 1
            if len(pending) >= 256:
                for mid in pending:
                    words += int(service.wait(mid).get("page_word_count", 0))
                pending.clear()
        for mid in pending:
            words += int(service.wait(mid).get("page_word_count", 0))
        service.wait(service.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(out_dir)}))
        peak = service.peak_rss_kb()
    finally:
        service.close()
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    seconds = time.perf_counter() - started
    return IndexStats(seconds, count, words, len(files), sum(p.stat().st_size for p in files), peak)


UNUSED_UI = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


def prune_bundle(bundle: Path) -> None:
    """Drop Pagefind's stock UIs: the theme has its own, labelled one."""
    for name in UNUSED_UI:
        (bundle / name).unlink(missing_ok=True)


# ---------------------------------------------------------------------- the records


def _filters(pairs: list[tuple[str, str]]) -> str:
    return "".join(f'<span data-pagefind-filter="{escape(k)}:{escape(v)}"></span>' for k, v in pairs if v)


def _meta(pairs: list[tuple[str, str]]) -> str:
    return "".join(f'<span data-pagefind-meta="{escape(k)}:{escape(v)}"></span>' for k, v in pairs if v)


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


PROSE = Markdown(heading_offset=1)  # the page's own renderer settings; raw HTML is left out of the index


def prose(report: Report) -> str:
    """Every paragraph of the report's text, under its section heading, as the page shows it.

    An index must never drop what a reader sees: every word of the prose is findable, and
    Pagefind's excerpt is then the sentence that matched.
    """
    parts = [PROSE.render(report.preamble)] if report.preamble else []
    for numeral, section in report.sections.items():
        parts.append(f"<h2>{escape(numeral)}、{escape(section.title)}</h2>{PROSE.render(section.markdown)}")
    return "".join(parts)


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


_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)


def report_record(report: Report, agency: Agency, page: str | None = None) -> str:
    """The page Pagefind indexes for a report (never served).

    With ``page`` (the report page as served), its ``<main>`` is indexed as it stands: every word a
    reader sees there, the theme's own labels (发布日期, 报告格式 …) included. Without it (or for a
    theme with no ``<main>``), a record made from the report (made once, ``Report.derived``).
    """
    main = _MAIN.search(page) if page else None
    if main is None:
        return str(report.drawn("record", lambda: _report_record(report, agency)))
    head = str(report.drawn("record_head", lambda: _report_record(report, agency, body=False)))
    return head.replace("</body></html>", main.group(1) + "</body></html>")


def _report_record(report: Report, agency: Agency, body: bool = True) -> str:
    region = " ".join(agency.region)
    parts = [
        f'<html lang="zh-CN"><head><title>{escape(report.title)}</title></head><body>',
        f'<h1 data-pagefind-weight="8">{escape(report.title)}</h1>',
        f"<p>{escape(agency.level_label)} {escape(region)} {report.year}年度</p>",
        _meta(
            [
                ("title", report.title),
                ("agency", report.agency_name),
                ("year", str(report.year)),
                ("published", report.published.isoformat() if report.published else ""),
                ("kind", "report"),
            ]
        ),
        _filters(
            [
                ("年度", str(report.year)),
                ("机关", agency.name),
                ("层级", agency.level_label),
                ("区划", agency.region[-1] if agency.region else ""),
                ("及时性", TIMELINESS_LABELS[report.timeliness.status]),
                ("数据校验", VALIDATION_LABELS[report.validation]),
            ]
        ),
        f'<span data-pagefind-sort="year:{report.year}"></span>',
    ]
    parts.append(_filters(topics(report)))
    if body:
        parts.append(prose(report))
        parts.extend(f"<p>{escape(line)}</p>" for line in table_lines(report))
        for notice in report.notices:
            parts.append(f"<p>原文如此：{escape(notice.label)} {escape(notice.note)}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def agency_record(agency: Agency) -> str:
    region = " ".join(agency.region)
    former = " ".join(f["name"] for f in agency.former_names)
    years = sorted(agency.reports)
    return "".join(
        [
            f'<html lang="zh-CN"><head><title>{escape(agency.name)}</title></head><body>',
            f'<h1 data-pagefind-weight="9">{escape(agency.name)}</h1>',
            f"<p>{escape(former)}</p>" if former else "",
            f"<p>{escape(agency.level_label)} {escape(region)} 历年政府信息公开工作年度报告"
            f"{'：' + '、'.join(f'{y}年度' for y in years) if years else ''}</p>",
            _meta([("title", agency.name), ("agency", agency.name), ("kind", "agency")]),
            _filters(
                [
                    ("机关", agency.name),
                    ("层级", agency.level_label),
                    ("区划", agency.region[-1] if agency.region else ""),
                ]
            ),
            "</body></html>",
        ]
    )


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
    Pagefind can list them itself (``pagefind.filters()``), but that downloads every filter
    of the index: 220 KB at 10,000 reports, for a page whose query budget is 250 KB.
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


def records(site: Site, pages: Callable[[str], str | None] | None = None) -> Iterator[tuple[str, str]]:
    """``(url, html)`` for every agency and report page; ``pages(url)``: a report page as written, if at hand."""
    for agency in site.agencies:
        yield agency.url, agency_record(agency)
        for report in agency.reports.values():
            if not report.draft:
                yield report.url, report_record(report, agency, pages(report.url) if pages is not None else None)


__all__ = [
    "IndexStats",
    "agency_record",
    "facets",
    "find_pagefind",
    "prune_bundle",
    "records",
    "report_record",
    "write_index",
]
