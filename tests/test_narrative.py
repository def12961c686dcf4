"""S5 and S4 on the wording of real reports: a finding published about an agency must be right.

The sentences below are written after the wording of published reports (a provincial 办公厅's and a
科委's, and others): consistent sentences must raise nothing (precision), wrong figures in the same
wording must each raise one warning (recall). The tables are the bundled report's with a few counts
changed so that every figure in play is non-zero where it matters: 予以公开 2 + 部分公开 1 = 3 of 4 办结,
不予处理 1, one 行政复议 (维持) and one 行政诉讼 (尚未审结).
"""

from __future__ import annotations

import pytest

from generator.importer.writing import guess_level

from .conftest import ScratchSite, published

OLD_PROSE = "（二）依申请公开：2025 年办理依申请公开 4 件，其中，予以公开 3 件，不作为政府信息公开申请处理 1 件。"


def _tables(text: str) -> str:
    for old, new in (
        ("  disclosed:           [3, 0, 0, 0, 0, 0, 3]", "  disclosed:           [2, 0, 0, 0, 0, 0, 2]"),
        ("  partially_disclosed: [0, 0, 0, 0, 0, 0, 0]", "  partially_disclosed: [1, 0, 0, 0, 0, 0, 1]"),
        ("  review:              [0, 0, 0, 0, 0]", "  review:              [1, 0, 0, 0, 1]"),
        ("  lawsuit:             [0, 0, 0, 0, 0]", "  lawsuit:             [0, 0, 0, 1, 1]"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    return text


def _s5(site: ScratchSite, bundled: str, prose: str) -> list[tuple[str, int, int]]:
    text = _tables(published(bundled))
    assert OLD_PROSE in text
    site.report(text.replace(OLD_PROSE, prose))
    found = [d for d in site.validate() if d.rule == "S5"]
    return sorted((d.field, d.params["said"], d.params["table"]) for d in found)


CONSISTENT = [
    "本年度办结申请 4 件，其中予以公开及部分公开 3 件，不予处理 1 件。",  # X及Y N 件 = X + Y
    "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",  # outcomes, not counts (there was one of each)
    "全年未发生行政复议被纠错的情况，行政诉讼案件尚未审结。",
    "办结 4 件，其中同意公开答复 2 件，部分公开的 1 件，无法提供的 0 件，不予处理的 1 件。",
    "全年因政府信息公开被申请行政复议和提起行政诉讼的，行政复议和行政诉讼共 2 起。",
    "结转下年度继续办理 0 件，转下一年度 0 件。",
]


@pytest.mark.parametrize("prose", CONSISTENT)
def test_consistent_sentences_raise_nothing(site: ScratchSite, bundled: str, prose: str) -> None:
    assert _s5(site, bundled, prose) == []


WRONG = [
    ("其中予以公开及部分公开 5 件。", ("applications.disclosed[6]", 5, 3)),
    ("其中同意公开答复 9 件。", ("applications.disclosed[6]", 9, 2)),
    ("无法提供的 10 件。", ("applications.unavailable[6]", 10, 0)),
    ("转下一年度办理 3 件。", ("applications.carried_forward[6]", 3, 0)),
    ("行政复议和行政诉讼共 5 起。", ("appeals.review[4]", 5, 2)),
    ("全年未发生行政复议。", ("appeals.review[4]", 0, 1)),  # a plain "none" is still read
    ("不予处理的 2 件。", ("applications.not_processed[6]", 2, 1)),
]


@pytest.mark.parametrize(("prose", "finding"), WRONG)
def test_wrong_figures_in_the_same_wording_are_each_found(
    site: ScratchSite, bundled: str, prose: str, finding: tuple[str, int, int]
) -> None:
    assert _s5(site, bundled, prose) == [finding]


def _rules(site: ScratchSite, bundled: str, name: str, level: str) -> list[str]:
    site.agency(text=f"name: {name}\nlevel: {level}\nregion: [上海市]\nsince: 2025\n")
    site.report(
        published(bundled).replace(
            "  rules:               {issued: 0, repealed: 0, in_force: 0}",
            "  rules:               {issued: 22, repealed: 0, in_force: 300}",
        )
    )
    return [d.field for d in site.validate() if d.rule == "S4"]


def test_s4_a_government_office_reports_its_governments_rules(site: ScratchSite, bundled: str) -> None:
    """上海市人民政府办公厅 is provincial (a 直辖市) and reports 上海市's 规章: nothing to warn of; a county
    government's office or a city bureau reporting 规章 still draws the warning."""
    assert guess_level("上海市人民政府办公厅") == ("provincial_department", ["上海市"])
    assert guess_level("重庆市人民政府") == ("provincial_government", ["重庆市"])
    assert guess_level("上海市浦东新区人民政府")[0] == "county_government"
    assert _rules(site, bundled, "上海市人民政府办公厅", "provincial_department") == []
    assert _rules(site, bundled, "新乡市人民政府办公室", "city_department") == []
    assert _rules(site, bundled, "红旗区人民政府办公室", "county_department") == [
        "proactive.rules.issued",
        "proactive.rules.in_force",
    ]
    assert _rules(site, bundled, "新乡市教育局", "city_department") == [
        "proactive.rules.issued",
        "proactive.rules.in_force",
    ]
