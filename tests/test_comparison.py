"""The compare page's data (generator/comparison.py) and the page itself in Chromium: choose, share, reload, download."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page

from generator import comparison, model, regions, standard
from generator.model import FIGURE_KEYS

from .test_browser import browser, server  # noqa: F401  (fixtures)
from .test_reading import CELLS_OUTSIDE


def test_measures_are_the_same_in_both_formats_and_name_real_cells() -> None:
    old, new = standard.measures(2019), standard.measures(2021)
    assert [k for k, _, _ in old] == [k for k, _, _ in new]
    assert [label for _, label, _ in old] == [label for _, label, _ in new]  # named in the newest format's words
    assert [k for k, _, _ in new][: len(FIGURE_KEYS)] == list(FIGURE_KEYS)
    labels = dict((k, label) for k, label, _ in new)
    assert labels["withheld.process_information"] == "不予公开：属于四类过程性信息"
    assert labels["review.corrected"] == "行政复议：结果纠正"
    assert labels["proactive.licensing"] == "行政许可：本年处理决定数量"
    cells = {fmt: dict((k, c) for k, _, c in standard.measures(fmt)) for fmt in (2019, 2021)}
    assert cells[2019]["proactive.licensing"] == (("proactive", "licensing", "decisions"),)
    assert cells[2021]["proactive.licensing"] == (("proactive", "licensing"),)
    assert cells[2021]["lawsuit.corrected"] == (("appeals", "lawsuit", 1), ("appeals", "lawsuit_after_review", 1))


def _files(demo_built: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    index = json.loads((demo_built / "compare/index.json").read_text("utf-8"))
    files = [demo_built / comparison.group_file(i) for i in range(len(index["groups"]))]
    assert sorted(files) == sorted((demo_built / "compare/g").iterdir())
    return index, [json.loads(f.read_text("utf-8")) for f in files]


def test_each_region_file_holds_its_agencies_measures_as_published(demo_built: Path, demo_model: model.Site) -> None:
    index, groups = _files(demo_built)
    keys = [k for k, _ in index["measures"]]
    assert index["years"] == sorted(y.year for y in demo_model.years)
    assert [g["region"] for g in index["groups"]] == [list(p) for p, _ in regions.listed_under(demo_model)]
    seen = 0
    for group in groups:
        for record in group["agencies"]:
            agency = demo_model.agency(record["slug"])
            assert tuple(group["region"]) == agency.region_group
            assert sorted(record["years"]) == sorted(str(r.year) for r in agency.public_reports)
            for year, entry in record["years"].items():
                report = agency.reports[int(year)]
                values = dict(zip(keys, entry[0], strict=True))
                for key in FIGURE_KEYS:
                    assert values[key] == report.figures[key]
                row = report.row(("applications", "withheld", "process_information"))
                assert row is not None and values["withheld.process_information"] == row[-1]
                review = report.row(("appeals", "review"))
                assert review is not None and values["review.corrected"] == review[1]
                licensing = report.data["proactive"]["licensing"]
                expected = licensing["decisions"] if isinstance(licensing, dict) else licensing
                assert values["proactive.licensing"] == expected
                marked = {keys[i] for i in (entry[1] if len(entry) > 1 else [])}
                assert {k for k in marked if k in FIGURE_KEYS} == regions.flagged(report)
                seen += 1
    assert seen == len(demo_model.public_reports)


def test_a_blank_kept_as_published_is_unknown_and_the_row_is_marked(demo_model: model.Site) -> None:
    report = next(r for r in demo_model.reports if r.slug == "hongqi-caizhengju" and r.year == 2025)
    keys = [k for k, _, _ in standard.measures(report.format)]
    values, marked = comparison.report_measures(report)
    row = report.row(("applications", "withheld", "inquiry_matters"))
    assert row is not None and row[1] is None  # 原文空白, in a cell the measures do not sum
    assert values[keys.index("withheld.inquiry_matters")] == row[-1]
    assert {keys[i] for i in marked} == {"withheld", "withheld.inquiry_matters"}
    blanked = model.Report(**{**report.__dict__, "data": json.loads(json.dumps(report.data))})
    blanked.data["applications"]["received"][6] = None
    assert comparison.report_measures(blanked)[0][keys.index("received")] is None  # never 0


def test_a_notice_marks_the_measures_on_its_rows_and_no_others(demo_model: model.Site) -> None:
    report = next(r for r in demo_model.reports if r.format == 2021 and not r.notices)
    keys = [k for k, _, _ in standard.measures(2021)]

    def marked(field: str) -> set[str]:
        noticed = model.Report(**{**report.__dict__, "notices": [model.Notice("H2", field, "", "")]})
        return {keys[i] for i in comparison.report_measures(noticed)[1]}

    reasons = {k for k in keys if k.startswith("withheld.")}
    assert marked("applications.withheld") == {"withheld"} | reasons  # a group holds its rows
    assert marked("applications.withheld.state_secret[2]") == {"withheld", "withheld.state_secret"}
    assert marked("proactive.fees") == set()  # an item of table 二 is its own row, not all of 二
    assert marked("proactive.licensing") == {"proactive.licensing"}
    assert marked("appeals.review[1]") == {"review", "review.corrected"}


def test_roll_ups_are_named_so_the_page_leaves_them_out_of_sums(demo_built: Path) -> None:
    _, groups = _files(demo_built)
    records = {r["slug"]: r for g in groups for r in g["agencies"]}
    assert records["hongqi-zhengfu"]["rollups"] == ["2025"]
    assert all("rollups" not in r for slug, r in records.items() if slug != "hongqi-zhengfu")
    # the open data says it too, so that a researcher's sum does not count the region twice
    english = list(csv.DictReader(io.StringIO((demo_built / "data/reports-en.csv").read_text("utf-8-sig"))))
    assert {(r["agency"], r["year"]) for r in english if r["rollup"] == "true"} == {("hongqi-zhengfu", "2025")}
    assert {r["rollup"] for r in english} == {"true", "false"}
    chinese = list(csv.DictReader(io.StringIO((demo_built / "data/reports.csv").read_text("utf-8-sig"))))
    assert [r["机关代码"] for r in chinese if r["汇总报告"] == "是"] == ["hongqi-zhengfu"]
    records_json = json.loads((demo_built / "data/reports.json").read_text("utf-8"))
    flagged = [(r["agency"], r["year"]) for r in records_json["reports"] if r["rollup"]]
    assert flagged == [("hongqi-zhengfu", 2025)]


# ---------------------------------------------------------------------- in the browser


def _open(browser: Browser, url: str, width: int = 1366) -> Page:  # noqa: F811
    page = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True).new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_selector("table.compare-table")
    assert problems == []
    return page


def _view(page: Page) -> dict[str, Any]:
    """What the reader sees: the choices ticked and every table's text."""
    return page.evaluate("""() => ({
        region: document.getElementById('cmp-region').value,
        level: document.getElementById('cmp-level').value,
        agencies: [...document.querySelectorAll('input[name=a]:checked')].map(b => b.value),
        years: [...document.querySelectorAll('input[name=y]:checked')].map(b => b.value),
        measures: [...document.querySelectorAll('input[name=m]:checked')].map(b => b.value),
        chart: document.getElementById('cmp-chart').value,
        tables: [...document.querySelectorAll('table.compare-table')].map(t => t.innerText),
        lines: document.querySelectorAll('.compare-svg polyline').length,
    })""")


def _table(page: Page, measure: str) -> dict[str, list[str]]:
    rows = page.evaluate(
        """(m) => [...document.querySelectorAll(`table[data-measure="${m}"] tr`)].map(
            tr => [...tr.children].map(c => c.textContent.trim()))""",
        measure,
    )
    return {row[0]: row[1:] for row in rows}


def test_the_default_view_is_a_peer_group_with_sums_from_counts(
    browser: Browser,  # noqa: F811
    server: str,  # noqa: F811
    demo_model: model.Site,
) -> None:
    page = _open(browser, server + "compare/")
    view = _view(page)
    departments = [a for a in demo_model.agencies if a.level == "county_department"]
    assert view["region"] == "河南省/新乡市/红旗区" and view["level"] == "county_department"
    assert view["agencies"] == [a.slug for a in departments]  # the peer group, not every agency
    assert view["years"] == ["2025", "2024", "2023"]
    assert view["measures"] == ["received", "disclosed", "partially_disclosed", "withheld", "unavailable", "rate"]
    received = _table(page, "received")
    assert received["机关"] == ["2023", "2024", "2025"]
    for agency in departments:
        expected = [
            str(agency.reports[y].figures["received"]) if y in agency.reports else "无报告" for y in (2023, 2024, 2025)
        ]
        assert received[agency.name] == expected
    reports = [a.reports[2025] for a in departments if 2025 in a.reports]
    assert received["合计"][2] == str(sum(r.figures["received"] or 0 for r in reports))
    summed = {k: sum(r.figures[k] or 0 for r in reports) for k in ("disclosed", "partially_disclosed", "handled")}
    rate = (summed["disclosed"] + summed["partially_disclosed"]) / summed["handled"]
    assert _table(page, "rate")["合计"][2] == f"{rate * 100:.1f}%"  # from the sums, not an average of rates
    assert "※" in _table(page, "withheld")["红旗区财政局"][2]  # its 2025 不予公开 row has a blank cell
    assert view["lines"] == 8  # the chart draws the first eight; the note says so
    query = parse_qs(urlsplit(page.url).query)
    assert query["l"] == ["county_department"] and query["y"] == ["2023,2024,2025"]
    page.context.close()


def test_a_choice_is_in_the_address_and_reloads_to_the_same_view(
    browser: Browser,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page = _open(browser, server + "compare/")
    page.select_option("#cmp-level", "subdistrict")  # the peer group: both 街道
    page.wait_for_function("document.querySelectorAll('input[name=a]').length === 2")
    page.uncheck("input[name=a][value=hongqi-jiefanglu-jiedao]")
    page.uncheck("input[name=y][value='2023']")
    page.check("input[name=y][value='2019']")
    page.check("input[name=m][value='review']")
    page.select_option("#cmp-chart", "review")
    before = _view(page)
    assert before["agencies"] == ["hongqi-wenhuajie-jiedao"] and before["level"] == "subdistrict"
    shared = page.url
    assert "l=subdistrict" in shared and "c=review" in shared and "jiefanglu" not in shared
    page.context.close()
    again = _open(browser, shared)
    assert _view(again) == before
    again.reload()
    again.wait_for_selector("table.compare-table")
    assert _view(again) == before
    again.context.close()


def test_agencies_of_two_regions_can_be_compared_and_the_address_keeps_both(
    browser: Browser,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page = _open(browser, server + "compare/?a=hongqi-caizhengju,hongqi-guandi-xiang&y=2024,2025&m=received")
    assert _view(page)["agencies"] == ["hongqi-caizhengju", "hongqi-guandi-xiang"]
    assert list(_table(page, "received"))[1:3] == ["红旗区财政局", "关堤乡人民政府"]
    page.context.close()


def test_the_csv_download_is_the_comparison_on_screen(
    browser: Browser,  # noqa: F811
    server: str,  # noqa: F811
    demo_model: model.Site,
) -> None:
    page = _open(browser, server + "compare/?l=township&y=2024,2025&m=received,rate")
    with page.expect_download() as info:
        page.click("#cmp-csv")
    raw = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename == "比较.csv"
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["区划", "机关", "层级", "年度", "新收申请", "公开率", "原文如此"]
    towns = [a for a in demo_model.agencies if a.level == "township"]
    body = [r for r in rows[1:] if r[1] != "合计"]
    assert any(r[5] == "" for r in body) and any(r[5].endswith("%") for r in body)
    assert len(body) == sum(y in a.reports for a in towns for y in (2024, 2025))
    for row in body:
        agency = next(a for a in towns if a.name == row[1])
        report = agency.reports[int(row[3])]
        assert row[0] == "河南省 新乡市 红旗区" and row[4] == str(report.figures["received"])
        rate = report.disclosure_rate
        assert row[5] == ("" if rate is None else f"{rate * 100:.1f}%")  # no rate where nothing was handled
    sums = [r for r in rows[1:] if r[1] == "合计"]
    assert [r[3] for r in sums] == ["2024", "2025"]
    assert sums[1][4] == str(sum(a.reports[2025].figures["received"] or 0 for a in towns if 2025 in a.reports))
    page.context.close()


def test_on_a_phone_every_number_shows_its_year_and_nothing_scrolls_sideways(
    browser: Browser,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page = _open(browser, server + "compare/", width=390)
    assert page.evaluate(CELLS_OUTSIDE, "table.compare-table") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()


def test_without_javascript_the_page_links_each_regions_peer_table(
    browser: Browser,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(server + "compare/")
    assert not page.is_visible("#compare-form")
    links = page.eval_on_selector_all("#compare-static ~ ul a", "as => as.map(a => a.getAttribute('href'))")
    assert links == ["../regions/河南省/新乡市/红旗区/#peers"]
    page.goto(server + "regions/河南省/新乡市/红旗区/#peers")
    assert page.locator("table.peer-table").count() == 3
    page.context.close()
