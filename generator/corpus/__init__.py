"""Synthetic report corpora that pass every rule: the demo portal, the tests and the benchmarks.

``gongkai demo N DIR --seed S`` writes a site source of exactly N reports. The
numbers are drawn per agency and carried from year to year the way real ones are
(结转 of one year is the next year's 上年结转, the stock of 规章 and 规范性文件
follows what was made and repealed), so the hard rules H1–H4 and the soft rules
S1–S7 hold by construction and the prose quotes the tables' own figures. The
variety a portal meets is drawn too, at rates the caller sets: late reports,
missing reports, drafts, cells the original left blank (acknowledged in
``known_issues``). The same seed gives the same bytes. Nothing here is a real
agency's report: a generated site says ``sample: true``.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import standard
from ..content import AGENCY_FILE, CONTENT_DIR
from ..errors import UsageError
from ..scaffold import report_front_matter
from .agencies import district_agencies, draw_agencies, plan_years
from .numbers import draw_report
from .spec import Agency, Options
from .text import report_body

__all__ = ["Options", "Written", "generate"]


@dataclass
class Written:
    """What a generation wrote, for the caller's summary."""

    agencies: int = 0
    reports: int = 0
    missing: int = 0
    late: int = 0
    drafts: int = 0
    blanks: int = 0


def generate(out: Path, options: Options) -> Written:
    """Write ``out/gongkai.yaml`` and ``out/content/…`` for ``options``; what ``out/content/`` held is removed."""
    for name in ("late", "missing", "drafts", "blanks"):
        if not 0 <= getattr(options, name) <= 1:
            raise UsageError("bad_share", name=name, value=getattr(options, name))
    if options.reports < 1 or options.first_year > options.last_year:
        raise UsageError("bad_corpus_size")
    shutil.rmtree(out / CONTENT_DIR, ignore_errors=True)
    rng = random.Random(options.seed)
    agencies = district_agencies(rng, options) if options.district else draw_agencies(rng, options)
    missing = plan_years(rng, agencies, options)
    written = Written(agencies=len(agencies), missing=len(missing))
    drawn: dict[int, list[tuple[Agency, dict[str, Any]]]] = {}  # the district's reports of its last year
    (out / CONTENT_DIR).mkdir(parents=True, exist_ok=True)
    (out / "gongkai.yaml").write_text(_config(options), encoding="utf-8")
    for agency in agencies:
        folder = out / CONTENT_DIR / agency.slug
        folder.mkdir(exist_ok=True)
        (folder / AGENCY_FILE).write_text(_agency_yaml(agency), encoding="utf-8")
        state: dict[str, Any] = {}
        for year in range(agency.since, options.last_year + 1):
            report = draw_report(rng, agency, year, state)
            if (agency.slug, year) in missing:
                continue  # drawn all the same, so carry-over and stocks stay consistent across the gap
            text = _report_text(rng, agency, year, report, options, written)
            (folder / f"{year}.md").write_text(text, encoding="utf-8")
            written.reports += 1
            if options.district and year == options.last_year and "status: draft" not in text:
                drawn.setdefault(year, []).append((agency, report))
    if options.district and options.last_year in drawn:
        _write_rollup(out, rng, drawn[options.last_year], options.last_year)
    return written


# The difference planted in the demo's roll-up: one more 行政复议 upheld (结果维持 and 总计) than its parts have.
ROLLUP_DIFFERENCE = (("appeals", "review", 0), ("appeals", "review", 4))


def _write_rollup(out: Path, rng: random.Random, reports: list[tuple[Agency, dict[str, Any]]], year: int) -> None:
    """The district government's report of ``year`` made its roll-up: every table the sum of the other
    agencies' reports of that year, but for one planted difference (``ROLLUP_DIFFERENCE``), so the
    region page has a difference to show."""
    government = next((a for a, _ in reports if a.level == "county_government"), None)
    if government is None:
        return
    parts = [r for a, r in reports if a is not government]
    data = _summed(parts)
    for path in ROLLUP_DIFFERENCE:
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] += 1
    text = _report_text(rng, government, year, data, Options(reports=1), Written())
    text = text.replace("\nformat: ", "\nrollup: true                 # 本区汇总报告\nformat: ", 1)
    (out / CONTENT_DIR / government.slug / f"{year}.md").write_text(text, encoding="utf-8")


def _summed(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Reports of one format summed cell by cell (tables 二、三、四; a blank counts as 0)."""
    tables = ("proactive", "applications", "appeals")
    return {k: _sum_cells([p[k] for p in parts]) if k in tables else v for k, v in parts[0].items()}


def _sum_cells(nodes: list[Any]) -> Any:
    first = nodes[0]
    if isinstance(first, dict):
        return {k: _sum_cells([n[k] for n in nodes]) for k in first}
    if isinstance(first, list):
        return [_sum_cells([n[i] for n in nodes]) for i in range(len(first))]
    if any(isinstance(n, float) for n in nodes):
        return round(sum(n or 0 for n in nodes), 2)  # an amount (万元)
    return sum(n or 0 for n in nodes)


# The footer an official portal carries, with values that belong to no site (all-zero numbers).
_SAMPLE_FOOTER = """\
# 页脚：政府网站应有的标识。以下均为示例值（全为 0 的编号不属于任何网站），真实门户按本单位的备案信息填写。
organizer: {district}人民政府办公室（示例）
contact: 0000-00000000（示例）
site_id_code: "0000000000"
site_domain: www.example.gov.cn
icp: 示例ICP备00000000号
police_record: 示例公网安备 00000000000000号
police_record_code: "00000000000000"
report_error_url: https://zfwzzc.www.gov.cn/
"""


def _config(options: Options) -> str:
    if options.district:
        place = "".join(options.district)
        district = options.district[-1]
        first, last = options.first_year, options.last_year
        return (
            f"# 示例站点：内容由 gongkai demo 生成（{options.reports} 份报告，{first}—{last} 年，"
            f"种子 {options.seed}），\n"
            "# 不是任何机关发布的真实报告。sample: true 让每个页面都标明“示例数据”。\n"
            f"title: {district}政府信息公开工作年度报告（示例）\n"
            f"region: {place}\n"
            f"description: {district}各机关 {first}—{last} 年度政府信息公开工作年度报告的示例门户："
            "按国家统一格式展示，每个数字都经过勾稽关系校验，数据可下载。\n"
            "sample: true\n" + _SAMPLE_FOOTER.format(district=district)
        )
    return (
        f"# 合成语料：gongkai demo 生成（{options.reports} 份报告，种子 {options.seed}），不是真实报告。\n"
        "title: 政府信息公开工作年度报告（合成语料）\n"
        "sample: true\n"
    )


def _agency_yaml(agency: Agency) -> str:
    lines = [
        f"name: {agency.name}",
        f"level: {agency.level}",
        "region: [" + ", ".join(agency.region) + "]",
    ]
    if agency.parent:
        lines.append(f"parent: {agency.parent}")
    lines += [f"website: https://{agency.slug}.gov.example/", f"since: {agency.since}"]
    return "\n".join(lines) + "\n"


def _published(rng: random.Random, agency: Agency, year: int, late: bool) -> dt.date:
    deadline = standard.deadline(agency.level, year)
    if late:
        return deadline + dt.timedelta(days=rng.randint(1, 60))
    first = dt.date(year + 1, 1, 5)
    return first + dt.timedelta(days=rng.randint(0, (deadline - first).days))


def _blank_one_cell(rng: random.Random, report: dict[str, Any]) -> dict[str, str] | None:
    """Blank a zero cell of an outcome row (as a copied table does) and say so in known_issues."""
    zeros = [
        (path, c)
        for path, row in _rows(report["applications"], ("applications",))
        if path[1] not in ("received", "carried_over", "total", "carried_forward")
        for c, v in enumerate(row[:6])
        if v == 0
    ]
    if not zeros:
        return None
    path, c = rng.choice(zeros)
    node: Any = report
    for key in path:
        node = node[key]
    node[c] = None
    return {"rule": "H6", "where": ".".join(path) + f"[{c}]", "note": "原文空白"}


def _rows(node: dict[str, Any], prefix: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], list[Any]]]:
    for key, value in node.items():
        if isinstance(value, list):
            yield (*prefix, key), value
        else:
            yield from _rows(value, (*prefix, key))


def _report_text(
    rng: random.Random, agency: Agency, year: int, report: dict[str, Any], options: Options, written: Written
) -> str:
    late = rng.random() < options.late
    draft = rng.random() < options.drafts
    issues = []
    if rng.random() < options.blanks:
        issue = _blank_one_cell(rng, report)
        if issue:
            issues.append(issue)
            written.blanks += 1
    written.late += late
    written.drafts += draft
    published = _published(rng, agency, year, late)
    front = report_front_matter(
        report["format"],
        standard.default_title(agency.name, year),
        data=report,
        published=published.isoformat(),
        source_url=f"https://{agency.slug}.gov.example/zfxxgk/ndbg/{year}.html",
        known_issues=issues or None,
    )
    if draft:
        front = front.replace("\nformat: ", "\nstatus: draft\nformat: ", 1)
    return front + "\n" + report_body(rng, agency.short, agency.level, year, report)
