"""The open data as spreadsheets: Chinese headers and values for people, field paths for programs,
slices per year and per agency, and the bytes Excel expects (UTF-8 BOM, CRLF, quoted fields)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from generator import build as builder

from .conftest import BUNDLED_SLUG, REPO, ScratchSite, published


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sheets") / "site"
    builder.build(REPO / "examples" / "demo", out, search=False)
    return out


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def test_every_spreadsheet_is_as_excel_expects_and_every_header_is_in_the_dictionary(demo: Path) -> None:
    dictionary = json.loads((demo / "data/dictionary.json").read_text("utf-8"))
    labels, names = {e["label"] for e in dictionary}, {e["name"] for e in dictionary}
    files = sorted((demo / "data").rglob("*.csv"))
    assert len(files) > 20  # reports.csv, reports-en.csv, a file per year and per agency
    for path in files:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), path  # CRLF, none bare
        header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert set(header) <= (names if path.name == "reports-en.csv" else labels), path


def test_reports_csv_speaks_chinese_and_reports_en_csv_keeps_the_codes(demo: Path) -> None:
    chinese, english = rows(demo / "data/reports.csv"), rows(demo / "data/reports-en.csv")
    assert len(chinese) == len(english) > 50
    pairs = {(c["机关层级"], e["level"]) for c, e in zip(chinese, english, strict=True)}
    assert ("县级部门", "county_department") in pairs and ("县级人民政府", "county_government") in pairs
    for c, e in zip(chinese, english, strict=True):
        assert (c["机关代码"], c["年度"]) == (e["agency"], e["year"])
        expected = {"on_time": "按时", "late": f"逾期 {e['days_late']} 天", "unknown": "未知（无发布日期）"}
        assert c["及时性"] == expected[e["timeliness"]]
        assert c["校验"] == {"passed": "校验通过", "acknowledged": "原文如此（已说明）"}[e["validation"]]
        assert c["一、本年新收政府信息公开申请数量 · 自然人"] == e["applications.received[0]"]
        assert c["页面"] == e["url"] == f"agencies/{e['agency']}/{e['year']}/"  # no base_url: a site path
    late = next(c for c in chinese if c["及时性"].startswith("逾期"))
    assert int(late["逾期天数"]) > 0
    acknowledged = next(c for c in chinese if c["校验"].startswith("原文如此"))
    assert "（H6）：" in acknowledged["已知问题"]  # where（rule）：note, in Chinese


def test_per_year_and_per_agency_files_are_slices_of_reports_csv(demo: Path) -> None:
    everything = rows(demo / "data/reports.csv")
    years = sorted({r["年度"] for r in everything})
    for year in years:
        assert rows(demo / f"data/{year}.csv") == [r for r in everything if r["年度"] == year]
    agencies = sorted({r["机关代码"] for r in everything})
    assert sorted(p.stem for p in (demo / "data/agencies").glob("*.csv")) == agencies
    for slug in agencies:
        mine = sorted((r for r in everything if r["机关代码"] == slug), key=lambda r: r["年度"])
        assert rows(demo / f"data/agencies/{slug}.csv") == mine  # the agency's years in order
    # and the pages link them
    year_page = (demo / f"years/{years[-1]}/index.html").read_text("utf-8")
    assert f'href="../../data/{years[-1]}.csv"' in year_page
    agency_page = (demo / f"agencies/{agencies[0]}/index.html").read_text("utf-8")
    assert f'href="../../data/agencies/{agencies[0]}.csv"' in agency_page


def test_addresses_are_absolute_with_base_url_and_awkward_text_is_quoted(site: ScratchSite, bundled: str) -> None:
    title = '红旗区人民政府办公室2025年"政府信息公开",工作年度报告'
    text = published(bundled).replace(
        "title: 红旗区人民政府办公室2025年政府信息公开工作年度报告", f"title: {json.dumps(title, ensure_ascii=False)}"
    )
    site.report(text)
    builder.build(site.root, base_url="https://example.gov.cn/nb/", search=False)
    raw = (site.root / "site/data/reports.csv").read_bytes().decode("utf-8-sig")
    assert '"红旗区人民政府办公室2025年""政府信息公开"",工作年度报告"' in raw  # quoted, quotes doubled
    [row] = rows(site.root / "site/data/reports.csv")
    assert row["标题"] == title
    assert row["页面"] == f"https://example.gov.cn/nb/agencies/{BUNDLED_SLUG}/2025/"
    [row_en] = rows(site.root / "site/data/reports-en.csv")
    assert row_en["url"] == row["页面"] and row_en["title"] == title


def test_drafts_are_in_no_spreadsheet(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled).replace("format: 2021", "format: 2021\nstatus: draft"))
    builder.build(site.root, search=False)
    data = site.root / "site/data"
    assert rows(data / "reports.csv") == rows(data / "reports-en.csv") == []
    assert not (data / "2025.csv").exists() and not (data / "agencies").exists()
    page = (site.root / "site/agencies" / BUNDLED_SLUG / "index.html").read_text("utf-8")
    assert ".csv" not in page.split("<main", 1)[1].split("</main>", 1)[0]
