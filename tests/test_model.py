"""The portal's model: timeliness, missing reports, former names, totals and rates from counts."""

from __future__ import annotations

import datetime as dt

from generator import content, model, validate

from .conftest import ScratchSite, published


def build_model(site: ScratchSite) -> model.Site:
    src = content.load_site(site.root)
    result = validate.validate_site(src)
    assert result.errors == 0, [d.message() for d in result.diagnostics]
    return model.build_site(src, result.diagnostics)


def test_timeliness_and_figures(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled, "2026-02-03"))
    m = build_model(site)
    [report] = m.reports
    assert report.timeliness == model.Timeliness("late", dt.date(2026, 1, 31), 3)
    assert report.figures["received"] == 4 and report.figures["handled"] == 4 and report.figures["not_processed"] == 1
    assert report.disclosure_rate == 0.75
    assert list(report.sections) == ["一", "五", "六"]


def test_missing_years_and_former_names(site: ScratchSite, bundled: str) -> None:
    site.agency(
        text="name: 红旗区人民政府办公室\nlevel: county_department\nregion: [河南省, 新乡市, 红旗区]\nsince: 2023\n"
        "former_names: [{name: 红旗区政府办, until: 2023}]\n"
    )
    site.report(published(bundled))
    m = build_model(site)
    years = {y.year: y for y in m.years}
    assert sorted(years) == [2023, 2024, 2025]
    assert [a.slug for a in years[2023].missing] == ["hongqi-zhengfu-bangongshi"]
    agency = m.agencies[0]
    assert agency.name_in(2023) == "红旗区政府办" and agency.name_in(2024) == "红旗区人民政府办公室"


def test_totals_add_counts_and_rates_come_from_sums(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled))
    other = published(bundled).replace("红旗区人民政府办公室", "红旗区财政局")
    other = other.replace(
        "  received:            [4, 0, 0, 0, 0, 0, 4]", "  received:            [0, 0, 0, 0, 0, 0, 0]"
    )
    other = other.replace(
        "  carried_over:        [0, 0, 0, 0, 0, 0, 0]", "  carried_over:        [4, 0, 0, 0, 0, 0, 4]"
    )
    other = other.replace(
        "  disclosed:           [3, 0, 0, 0, 0, 0, 3]", "  disclosed:           [0, 0, 0, 0, 0, 0, 0]"
    )
    other = other.replace(
        "    complaints:             [1, 0, 0, 0, 0, 0, 1]", "    complaints:             [4, 0, 0, 0, 0, 0, 4]"
    )
    other = other.replace("办理依申请公开 4 件，其中，予以公开 3 件", "办理依申请公开 4 件")
    site.agency("hongqi-caizhengju", "name: 红旗区财政局\nlevel: county_department\nregion: [河南省, 新乡市, 红旗区]\n")
    site.report(other, slug="hongqi-caizhengju")
    m = build_model(site)
    [year] = m.years
    assert year.totals["received"] == 4 and year.totals["handled"] == 8 and year.totals["disclosed"] == 3
    # (3 + 0) / 8, not the mean of 75 % and 0 %
    assert year.disclosure_rate == 3 / 8


def test_drafts_are_not_published(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled).replace("format: 2021", "format: 2021\nstatus: draft"))
    assert build_model(site).reports == []
