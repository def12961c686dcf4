"""Regions, peer groups, sums and roll-ups (generator/regions.py) and their pages."""

from __future__ import annotations

from pathlib import Path

from generator import model, regions
from generator.model import FIGURE_KEYS

from .htmlgrid import soup, text

DISTRICT = ("河南省", "新乡市", "红旗区")


def _by_path(site: model.Site) -> dict[tuple[str, ...], regions.Region]:
    return {r.path: r for r in regions.regions(site)}


def test_every_prefix_of_every_region_is_a_region_with_its_members(demo_model: model.Site) -> None:
    found = _by_path(demo_model)
    for agency in demo_model.agencies:
        for depth in range(1, len(agency.region) + 1):
            assert agency in found[tuple(agency.region[:depth])].members
        assert agency in found[tuple(agency.region)].agencies
    assert len(found[("河南省",)].members) == len(demo_model.agencies)
    district = found[DISTRICT]
    assert [c.name for c in district.children] == ["关堤乡", "和合乡", "解放路街道", "文化街街道"]
    assert found[(*DISTRICT, "关堤乡")].url == "regions/河南省/新乡市/红旗区/关堤乡/"


def test_peer_groups_are_one_level_under_one_region_with_townships_and_subdistricts_together(
    demo_model: model.Site,
) -> None:
    district = _by_path(demo_model)[DISTRICT]
    tiers = {g.level: {a.level for a in g.agencies} for g in district.peers}
    assert tiers == {
        "county_government": {"county_government"},
        "county_department": {"county_department"},
        "township": {"township", "subdistrict"},
    }
    township = next(g for g in district.peers if g.level == "township")
    assert township.level_label == "乡镇人民政府、街道办事处" and len(township.agencies) == 4
    assert _by_path(demo_model)[("河南省",)].peers == []  # nobody is listed under the province itself


def test_sums_add_counts_leave_out_roll_ups_and_count_what_is_not_a_number(demo_model: model.Site) -> None:
    district = _by_path(demo_model)[DISTRICT]
    for year in district.years(demo_model):
        parts = [r for r in year.reports if not r.rollup]
        for key in FIGURE_KEYS:
            known = [r.figures[key] for r in parts if r.figures[key] is not None]
            assert year.totals[key] == sum(known)  # type: ignore[arg-type]
            assert year.unknown[key] == len(parts) - len(known)
        assert year.summed == parts
    # the year page's totals leave the roll-up out too: the district's sum is the year's
    y2025 = next(y for y in demo_model.years if y.year == 2025)
    assert y2025.totals == next(y for y in district.years(demo_model) if y.year == 2025).totals


def test_a_figure_left_blank_is_counted_out_of_the_sum(demo_model: model.Site) -> None:
    report = next(r for r in demo_model.reports if not r.rollup and r.year == 2024)
    blank = model.Report(**{**report.__dict__, "figures": {**report.figures, "received": None}})
    totals, unknown = regions.sum_figures([report, blank])
    assert totals["received"] == report.figures["received"] and unknown["received"] == 1
    assert totals["handled"] == 2 * report.figures["handled"]  # type: ignore[operator]


def test_the_demo_roll_up_differs_from_its_parts_in_exactly_the_planted_figure(demo_model: model.Site) -> None:
    district = _by_path(demo_model)[DISTRICT]
    [rollup] = district.rollups()
    assert rollup.report.slug == "hongqi-zhengfu" and rollup.report.year == 2025
    assert len(rollup.parts) == 15 and all(p.year == 2025 and not p.rollup for p in rollup.parts)
    assert rollup.differences == {"review": 1}
    value = {key: v for key, v, _, _ in rollup.figures}
    assert all(value[k] == rollup.sums[k] for k in FIGURE_KEYS if k != "review")


def test_a_roll_up_is_compared_only_where_the_sum_is_whole(demo_model: model.Site) -> None:
    district = _by_path(demo_model)[DISTRICT]
    [rollup] = district.rollups()
    part = rollup.parts[0]
    unknown = model.Report(**{**part.__dict__, "figures": {**part.figures, "review": None}})
    again = regions.rollup(rollup.report, [unknown, *rollup.parts[1:]])
    assert "review" not in again.differences and again.unknown["review"] == 1


def test_flagged_figures_are_those_whose_rows_carry_a_notice(demo_model: model.Site) -> None:
    marked = {(r.slug, r.year): regions.flagged(r) for r in demo_model.reports if r.notices}
    assert marked[("hongqi-caizhengju", 2025)] == {"withheld"}  # applications.withheld.inquiry_matters[1]
    assert marked[("hongqi-rensheju", 2024)] == {"partially_disclosed"}
    column = model.Notice("H1", "applications[0]", "", "")
    report = next(r for r in demo_model.reports if not r.notices)
    whole = model.Report(**{**report.__dict__, "notices": [column]})
    assert regions.flagged(whole) == {k for k in FIGURE_KEYS if k not in ("review", "lawsuit")}
    assert regions.flagged(report) == frozenset()


def test_region_page_shows_peers_sums_and_the_roll_up_difference(demo_built: Path, demo_model: model.Site) -> None:
    page = soup(demo_built / "regions/河南省/新乡市/红旗区/index.html")
    assert text(page.find("h1")) == "红旗区"
    crumbs = [text(a) for a in page.select("nav.breadcrumb a")]
    assert crumbs == ["首页", "区划", "河南省", "新乡市"]
    departments = page.find("h3", id="peers-county_department").find_next("table")
    names = [text(th) for th in departments.select("tbody th[scope=row]")]
    latest = {a.name: a.reports.get(2025) for a in demo_model.agencies if a.level == "county_department"}
    assert sorted(names) == sorted(latest)
    first = departments.select_one("tbody tr")
    report = latest[names[0]]
    assert report is not None
    cells = [text(td).rstrip("※") for td in first.find_all("td")]
    assert cells[0] == str(report.figures["received"]) and cells[-1].endswith("%")
    total = [text(td) for td in departments.select("tfoot td")]
    assert total[0] == str(sum(r.figures["received"] or 0 for r in latest.values() if r))
    differs = page.select("table.rollup-table tr.differs")
    assert [text(tr.find("th")) for tr in differs] == ["行政复议"]
    assert text(differs[0].find_all("td")[-1]) == "+1"
    government = page.find("h3", id="peers-county_government").find_next("table")
    assert "汇总报告" in text(government.select_one("tbody th")) and "0 份报告" in text(
        government.select_one("tfoot th")
    )
    assert page.select_one(".flag-mark") is not None  # the 2025 财政局 report has a blank cell in 不予公开


def test_regions_index_and_agency_pages_link_every_region(demo_built: Path) -> None:
    tree = soup(demo_built / "regions/index.html")
    hrefs = [a["href"] for a in tree.select("main .region-tree a")]
    assert hrefs[:3] == ["河南省/", "河南省/新乡市/", "河南省/新乡市/红旗区/"]
    for href in hrefs:
        assert (demo_built / "regions" / href / "index.html").is_file()
    agency = soup(demo_built / "agencies/hongqi-guandi-xiang/index.html")
    links = [a["href"] for a in agency.select(".facts a") if "regions/" in a["href"]]
    assert links[-1] == "../../regions/河南省/新乡市/红旗区/关堤乡/"
    sitemap = (demo_built / "sitemap.xml").read_text("utf-8")
    assert "<loc>regions/%E6%B2%B3%E5%8D%97%E7%9C%81/%E6%96%B0%E4%B9%A1%E5%B8%82/</loc>" in sitemap  # percent-encoded
