"""Render helpers: relative links, theme lookup and overrides."""

from __future__ import annotations

import pytest
import yaml

from generator import build as builder
from generator.render import relative

from .conftest import ScratchSite, published
from .htmlgrid import soup, text


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("", "", "./"),
        ("", "agencies/", "agencies/"),
        ("agencies/x/2025/", "", "../../../"),
        ("agencies/x/2025/", "agencies/x/", "../"),
        ("agencies/x/2025/", "years/2025/", "../../../years/2025/"),
        ("agencies/x/2025/", "assets/style.css", "../../../assets/style.css"),
        ("years/", "data/reports.csv", "../data/reports.csv"),
    ],
)
def test_relative(page: str, target: str, expected: str) -> None:
    assert relative(page, target) == expected


def test_site_override_replaces_one_template_and_one_string(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled))
    site.write(
        "overrides/templates/404.html",
        "{% extends 'default/404.html' %}{% block content %}<h1>没有这个页面</h1>{{ super() }}{% endblock %}",
    )
    site.write("overrides/locales/zh-CN.yaml", "nav_data: 数据下载\n")
    builder.build(site.root)
    page = soup(site.root / "site/404.html")
    assert [text(h) for h in page.find_all("h1")] == ["没有这个页面", "页面不存在"]
    assert "数据下载" in [text(a) for a in page.select(".site-nav a")]
    # Other templates still come from the default theme.
    assert text(soup(site.root / "site/index.html").find("h1")) == "测试门户"


def test_site_override_static_file(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled))
    site.write("overrides/static/style.css", "body { color: red; }\n")
    builder.build(site.root)
    assert (site.root / "site/assets/style.css").read_text("utf-8") == "body { color: red; }\n"
    assert (site.root / "site/assets/site.js").is_file()


def test_undefined_template_value_is_an_error(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled))
    site.write("overrides/templates/index.html", "{{ config.no_such_setting }}")
    with pytest.raises(Exception, match="no_such_setting"):
        builder.build(site.root)


def test_english_ui(site: ScratchSite, bundled: str) -> None:
    site.write("gongkai.yaml", "title: Test portal\nlanguage: en\n")
    site.report(published(bundled))
    builder.build(site.root)
    page = soup(site.root / "site/index.html")
    assert page.find("html")["lang"] == "en"
    assert [text(a) for a in page.select(".site-nav a")] == [
        "Home",
        "Agencies",
        "Regions",
        "Years",
        "Compare",
        "Open data",
        "Search",
    ]


HOSTILE = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>&amp;"


def test_hostile_strings_are_escaped_in_every_output(site: ScratchSite, bundled: str) -> None:
    """A title, an agency name, a former name and a note made of markup: text everywhere, never markup."""
    import json
    import xml.etree.ElementTree as ET

    from .conftest import BUNDLED_AGENCY, BUNDLED_SLUG

    agency = BUNDLED_AGENCY.read_text("utf-8").replace(
        "name: 红旗区人民政府办公室", "name: " + json.dumps("红旗区人民政府办公室" + HOSTILE)
    )
    site.write(
        "gongkai.yaml",
        f"title: {json.dumps('门户' + HOSTILE)}\ndescription: {json.dumps('简介' + HOSTILE)}\nbase_url: https://example.gov.cn/\n",
    )
    site.agency(text=agency)
    title = f"红旗区人民政府办公室2025年政府信息公开工作年度报告{HOSTILE}"
    report = published(bundled).replace(
        "title: 红旗区人民政府办公室2025年政府信息公开工作年度报告", "title: " + json.dumps(title)
    )
    site.report(report + f"\n\n{HOSTILE}\n")
    builder.build(site.root)
    out = site.root / "site"
    for page in [*out.rglob("*.html")]:
        doc = soup(page)
        assert doc.find("script", string=lambda s: s and "alert" in s) is None, page
        assert doc.find("img", attrs={"onerror": True}) is None, page
        assert all(not a.startswith("on") for tag in doc.find_all(True) for a in tag.attrs), page
    report_page = soup(out / "agencies" / BUNDLED_SLUG / "2025/index.html")
    assert text(report_page.find("h1")) == title
    assert report_page.find("meta", attrs={"name": "description"}) is not None
    feed = ET.parse(out / "feed.xml").getroot()  # well-formed XML with the text in it
    assert any(HOSTILE in (e.text or "") for e in feed.iter())
    assert json.loads((out / "agencies" / BUNDLED_SLUG / "2025/report.json").read_text("utf-8"))["title"] == title


def _with_gaps(bundled: str) -> str:
    """The bundled report with every cell of 三（三）不予公开 missing (as an import writes it) and 表四's
    复议 row blank in the original: 56 + 5 acknowledged cells."""
    _, fm, body = bundled.split("---\n", 2)
    data = yaml.safe_load(fm)
    issues = []
    for leaf in data["applications"]["withheld"]:
        data["applications"]["withheld"][leaf] = [None] * 7
        issues += [{"rule": "H6", "where": f"applications.withheld.{leaf}[{i}]", "note": "原文缺失"} for i in range(7)]
    data["appeals"]["review"] = [None] * 5
    issues += [{"rule": "H6", "where": f"appeals.review[{i}]", "note": "原文空白"} for i in range(5)]
    data["known_issues"] = issues
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body


def test_acknowledged_cells_are_grouped_by_table_and_note(site: ScratchSite, bundled: str) -> None:
    """Sixty-one acknowledged cells read as two lines, the cells listed on demand; each blank cell's
    hidden text is its own note, and the tables with blank cells carry a legend."""
    site.report(published(_with_gaps(bundled)))
    builder.build(site.root, search=False)
    page = soup(site.root / "site/agencies/hongqi-zhengfu-bangongshi/2025/index.html")
    items = page.select(".notices > ul > li")
    assert [text(li.find("strong")) for li in items] == ["表三中 56 个单元格", "表四中 5 个单元格"]
    assert "（规则 H6）：原文缺失" in text(items[0]) and "（规则 H6）：原文空白" in text(items[1])
    cells = items[0].select("details ol li")
    assert len(cells) == 56 and text(cells[0]) == "三（三）不予公开 · 1.属于国家秘密 · 自然人"
    assert text(items[0].find("summary")) == "查看是哪些单元格"
    assert "斜线底纹" in text(page.select_one(".notices .blank-legend"))
    legends = [s.get("aria-labelledby") for s in page.select(".report-section") if s.select_one(".blank-legend")]
    assert legends == ["s3", "s4"]
    hidden = {text(td.find(class_="visually-hidden")) for td in page.select("#t3 td.blank")}
    assert hidden == {"原文缺失"} and len(page.select("#t3 td.blank")) == 56
    assert {text(td) for td in page.select("#t4 td.blank")} == {"原文空白"}
