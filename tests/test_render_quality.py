"""The data-quality page and the agency page's quality lines: facts with their evidence, never a ranking."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator import build as builder
from generator.render.quality import MIN_NONZERO_REPEATED, _nonzero

from .conftest import BUNDLED_AGENCY, BUNDLED_SLUG, REPO, ScratchSite, published
from .htmlgrid import soup, text


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("quality") / "site"
    builder.build(REPO / "examples" / "demo", out, search=False)
    return out


def test_each_year_lists_its_late_undated_and_missing_reports(demo: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((demo / "data/reports-en.csv").read_text("utf-8-sig"))))
    page = soup(demo / "quality/index.html")
    table = {
        text(tr.find("th")): [text(td) for td in tr.find_all("td")] for tr in page.select("table.sortable tbody tr")
    }
    years = sorted({r["year"] for r in rows}, reverse=True)
    assert list(table) == years
    for year in years:
        mine = [r for r in rows if r["year"] == year]
        late = sorted((r for r in mine if r["timeliness"] == "late"), key=lambda r: -int(r["days_late"]))
        missing = [text(a) for a in soup(demo / f"years/{year}/index.html").select("#year-missing ~ ul a")]
        on_time = sum(r["timeliness"] == "on_time" for r in mine)
        assert table[year] == [str(len(mine) + len(missing)), str(on_time), str(len(late)), "0", str(len(missing))]
        heading = page.find("h3", id=f"q-{year}")
        block = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h3", "h2"):
                break
            block.append(sibling)
        items = [li.get_text().strip() for ul in block if ul.name == "ul" for li in ul.find_all("li")]
        assert items[: len(late)] == [
            f"{r['agency_name']}：逾期 {r['days_late']} 天（" + items[i].split("（", 1)[1] for i, r in enumerate(late)
        ]
        assert items[len(late) :] == missing
    assert "排名" in text(page.find(class_="lead"))  # says it does not rank
    acknowledged = {text(a) for a in page.select("#q-acknowledged ~ ul a")}
    assert acknowledged == {f"{r['agency_name']} {r['year']}" for r in rows if r["validation"] == "acknowledged"}


def test_a_report_repeating_last_years_numbers_is_said_with_both_years(site: ScratchSite, bundled: str) -> None:
    site.agency(text=BUNDLED_AGENCY.read_text("utf-8").replace("since: 2025", "since: 2024"))
    site.report(published(bundled, "2025-01-20").replace("2025年", "2024年"), year=2024)
    site.report(published(bundled))  # every number as in 2024
    builder.build(site.root, search=False)
    expected = "红旗区人民政府办公室 2025：全部数字与 2024 年度报告相同（其中 "
    items = [li.get_text().strip() for li in soup(site.root / "site/quality/index.html").select("#q-repeated ~ ul li")]
    assert len(items) == 1 and items[0].startswith(expected)
    agency_page = soup(site.root / f"site/agencies/{BUNDLED_SLUG}/index.html")
    assert any(li.get_text().startswith("2025：全部数字与 2024 年度报告相同") for li in agency_page.select("main li"))
    # one number changed: no longer the same
    site.report(published(bundled).replace("  licensing: 0 ", "  licensing: 7 "))
    builder.build(site.root, search=False)
    assert soup(site.root / "site/quality/index.html").select("#q-repeated ~ ul li") == []


def test_tables_of_zeros_repeated_are_not_news() -> None:
    zeros = {"applications": {"received": [0] * 7}, "appeals": {"review": [0] * 5}, "proactive": {"fees": 0.0}}
    assert _nonzero(zeros) == 0 < MIN_NONZERO_REPEATED
    assert _nonzero({"a": [1, 0, 2], "b": {"c": 3, "d": None, "e": True}}) == 3
