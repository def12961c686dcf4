"""The data of the compare page (/compare/): every report's measures, split by the region its agency is listed under.

A comparison is made in the reader's browser from small files: ``compare/index.json`` (the measures,
the years, the regions and their files) and one ``compare/g/<n>.json`` a region (its agencies and, per
agency and year, each measure's value and which measures sum a cell with an acknowledged problem). A
reader who compares the 乡镇 of one district downloads that district's file only. A measure whose
cells are not all numbers (a blank kept as published) is ``null``: unknown, never 0.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from . import standard
from .model import Report, Site
from .regions import listed_under, touched

FOLDER = "compare"
RATE = ("rate", ("disclosed", "partially_disclosed", "handled"))  # 公开率 = (予以公开 + 部分公开) ÷ 办结, from sums


@functools.cache
def _measures(fmt: int) -> tuple[tuple[str, str, tuple[standard.FieldPath, ...]], ...]:
    return standard.measures(fmt)


def report_measures(report: Report) -> tuple[list[int | None], list[int]]:
    """Each measure of ``report`` in the order of :func:`standard.measures`, and the numbers of those whose
    cells' rows carry a 原文如此 notice."""
    measured = _measures(report.format)
    values = [report.total(cells) for _, _, cells in measured]
    marked = [i for i, (_, _, cells) in enumerate(measured) if touched(report, cells)]
    return values, marked


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def group_file(number: int) -> str:
    """The file of the region at ``number`` in ``index.json``'s ``groups`` (the page computes it the same way)."""
    return f"{FOLDER}/g/{number}.json"


def files(site: Site) -> dict[str, bytes]:
    """``compare/index.json`` and a file a region: what the compare page loads."""
    out: dict[str, bytes] = {}
    listing = []
    for number, (path, agencies) in enumerate(listed_under(site)):
        records = []
        for a in agencies:
            years: dict[str, Any] = {}
            for report in a.public_reports:
                values, marked = report_measures(report)
                years[str(report.year)] = [values, marked] if marked else [values]
            record = {"slug": a.slug, "name": a.name, "level": a.level, "url": a.url, "years": years}
            rollups = [str(r.year) for r in a.public_reports if r.rollup]
            if rollups:
                record["rollups"] = rollups  # shown, but not added to a sum: they sum the region's reports
            records.append(record)
        out[group_file(number)] = _json({"region": list(path), "agencies": records})
        levels: dict[str, int] = {}
        for a in agencies:
            levels[a.level] = levels.get(a.level, 0) + 1
        listing.append({"region": list(path), "levels": levels})  # its file: group_file(its position)
    out[f"{FOLDER}/index.json"] = _json(
        {
            "measures": [[key, label] for key, label, _ in _measures(max(standard.FORMATS))],
            "rate": [RATE[0], list(RATE[1])],
            "years": sorted({y.year for y in site.years}),
            "levels": standard.LEVELS,
            "groups": listing,
        }
    )
    return out


__all__ = ["FOLDER", "RATE", "files", "group_file", "report_measures"]
