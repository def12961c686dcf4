"""Everything that is not an HTML page: open data, feed, sitemap, robots.txt.

Deterministic by construction: no clock is read; orders are stable; the
feed's ``updated`` is the newest publication date in the content.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from . import columns, schemas, spreadsheets, standard
from .model import Agency, Report, Site


def report_record(report: Report, site: Site) -> dict[str, Any]:
    """One report as open data: metadata plus the tables exactly as in the front matter."""
    agency = site.agency(report.slug)
    return {
        "agency": report.slug,
        "agency_name": report.agency_name,
        "level": agency.level,
        "region": agency.region,
        "year": report.year,
        "format": report.format,
        "title": report.title,
        "published": report.published.isoformat() if report.published else None,
        "timeliness": {
            "status": report.timeliness.status,
            "deadline": report.timeliness.deadline.isoformat(),
            "days_late": report.timeliness.days_late if report.published else None,
        },
        "validation": report.validation,
        "rollup": report.rollup,
        "known_issues": [{"rule": n.rule, "where": n.field, "label": n.label, "note": n.note} for n in report.notices],
        "source_url": report.source_url or None,
        "url": report.url,
        "proactive": report.table("proactive"),
        "applications": report.table("applications"),
        "appeals": report.table("appeals"),
    }


def _json(data: Any) -> bytes:
    """Compact JSON, one line: Python's C encoder is used only without ``indent`` (5–10× faster)."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def json_bytes(data: Any) -> bytes:
    """Compact JSON for files a browser fetches."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _record_text(report: Report, site: Site) -> str:
    """A report's open-data record as compact JSON, made once per report (``Report.derived``)."""
    return str(
        report.drawn("json", lambda: json.dumps(report_record(report, site), ensure_ascii=False, separators=(",", ":")))
    )


def reports_json(site: Site) -> bytes:
    """Every public report; the records are joined as made, which is what one ``json.dumps`` would write."""
    head = json.dumps({"site": site.config.title}, ensure_ascii=False, separators=(",", ":"))[:-1]
    records = ",".join(_record_text(r, site) for r in site.public_reports)
    return (head + ',"reports":[' + records + "]}\n").encode("utf-8")


def report_json(report: Report, site: Site) -> bytes:
    return (_record_text(report, site) + "\n").encode("utf-8")


def dictionary_json() -> bytes:
    return _json(columns.dictionary())


def schema_files() -> dict[str, bytes]:
    return {f"{name}.schema.json": schemas.schema_text(name).encode("utf-8") for name in schemas.SCHEMA_NAMES}


_absolute = spreadsheets.absolute


def feed_xml(site: Site, limit: int = 100, agency: Agency | None = None) -> bytes:
    """Atom, newest reports first (by publication date; undated reports by year): the site's, or one agency's."""
    public = agency.public_reports if agency is not None else site.public_reports
    reports = sorted(
        public,
        key=lambda r: (r.published.isoformat() if r.published else f"{r.year + 1}-00", r.slug),
        reverse=True,
    )[:limit]
    dates = [r.published for r in public if r.published]
    updated = f"{max(dates).isoformat()}T00:00:00+08:00" if dates else "1970-01-01T00:00:00+08:00"
    base = site.config.base_url
    home, title = (agency.url, f"{agency.name} - {site.config.title}") if agency else ("", site.config.title)
    feed_id = base + home if base else "urn:gongkai:" + site.config.title + (":" + agency.slug if agency else "")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(feed_id)}</id>",
        f"  <updated>{updated}</updated>",
        f'  <link rel="alternate" href={quoteattr(base + home if base else "./")}/>',
        f'  <link rel="self" href={quoteattr(_absolute(site, home + "feed.xml"))}/>',
    ]
    for r in reports:
        when = f"{r.published.isoformat()}T00:00:00+08:00" if r.published else f"{r.year + 1}-01-01T00:00:00+08:00"
        entry_id = _absolute(site, r.url) if base else f"urn:gongkai:report:{r.slug}:{r.year}"
        lines += [
            "  <entry>",
            f"    <title>{escape(r.title)}</title>",
            f"    <id>{escape(entry_id)}</id>",
            f"    <link href={quoteattr(_absolute(site, r.url))}/>",
            f"    <updated>{when}</updated>",
            f"    <author><name>{escape(r.agency_name)}</name></author>",
            f"    <summary>{escape(_summary(r))}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _summary(r: Report) -> str:
    f = r.figures
    parts = [f"{r.agency_name}{r.year}年度政府信息公开工作年度报告。"]
    if f.get("received") is not None:
        handled = standard.figure_labels()["handled"]
        parts.append(f"本年新收政府信息公开申请 {f['received']} 件，{handled} {f['handled']} 件。")
    return "".join(parts)


def sitemap_xml(site: Site, page_urls: list[str]) -> bytes:
    lastmod: dict[str, str] = {}
    for r in site.public_reports:
        if r.published:
            lastmod[r.url] = r.published.isoformat()
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in page_urls:
        mod = f"<lastmod>{lastmod[url]}</lastmod>" if url in lastmod else ""
        lines.append(f"  <url><loc>{escape(_absolute(site, url))}</loc>{mod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(site: Site) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if site.config.base_url:
        lines.append(f"Sitemap: {site.config.base_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


__all__ = [
    "dictionary_json",
    "feed_xml",
    "report_json",
    "reports_json",
    "robots_txt",
    "schema_files",
    "sitemap_xml",
]
