"""``gongkai build``: the pages and files, read back with a real HTML parser."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from generator import build as builder
from generator import cli, schemas, standard
from generator.cache import Cache
from generator.errors import ContentError, UsageError

from .conftest import BUNDLED_AGENCY, BUNDLED_SLUG, REPO, ScratchSite, published
from .htmlgrid import data_cells, layout, soup, text


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "site"
    builder.build(REPO, out)
    return out


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    builder.build(REPO / "examples" / "demo", out)
    return out


REPORT = "agencies/hongqi-zhengfu-bangongshi/2025/"


def test_all_pages_and_files(bundled_site: Path) -> None:
    expected = [
        "index.html",
        "404.html",
        "agencies/index.html",
        "agencies/hongqi-zhengfu-bangongshi/index.html",
        REPORT + "index.html",
        REPORT + "report.json",
        "years/index.html",
        "years/2025/index.html",
        "data/index.html",
        "data/reports.json",
        "data/reports.csv",
        "data/reports-en.csv",
        "data/2025.csv",
        "data/agencies/hongqi-zhengfu-bangongshi.csv",
        "data/dictionary.json",
        "data/schema/report-2021.schema.json",
        "data/schema/report-2019.schema.json",
        "data/schema/agency.schema.json",
        "data/schema/site.schema.json",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "assets/style.css",
        "assets/site.js",
    ]
    for rel in expected:
        assert (bundled_site / rel).is_file(), rel


def _expected_cells(fm: dict) -> list[tuple[list[str], str, str]]:
    """(row labels, column label, value) for each of the 175 cells of table 三, from the schema and the data."""
    name = schemas.report_schema_name(2021)
    out = []
    for row in standard.leaf_rows(name, ("applications",)):
        node = standard.subschema(name, row)
        labels = []
        if len(row) == 3:
            group = standard.subschema(name, row[:2])
            labels.append(group["title"].removeprefix("三"))
        title = node.get("x-table-label") or node["title"]
        labels.append(title.removeprefix("三") if title.startswith("三（") else title)
        values = fm
        for part in row:
            values = values[part]
        for c, col in enumerate(node["prefixItems"]):
            out.append((labels, col["title"], str(values[c])))
    return out


def test_report_page_shows_every_cell_in_its_row_and_column(bundled_site: Path) -> None:
    fm = front_matter(REPO / "content/hongqi-zhengfu-bangongshi/2025.md")
    page = soup(bundled_site / REPORT / "index.html")
    # 表三: 175 cells, each under its row labels and its column label.
    t3 = data_cells(page.find("table", id="t3"))
    assert len(t3) == 175
    for labels, column, value in _expected_cells(fm):
        matches = [v for rows, cols, v in t3 if rows[-len(labels) :] == labels and cols[-1] == column]
        assert matches == [value], (labels, column)
    # 表四: 15 cells under 行政复议 / 行政诉讼 · 未经复议直接起诉 / 复议后起诉.
    t4 = data_cells(page.find("table", id="t4"))
    assert len(t4) == 15
    groups = {
        "review": ["行政复议"],
        "lawsuit": ["行政诉讼", "未经复议直接起诉"],
        "lawsuit_after_review": ["行政诉讼", "复议后起诉"],
    }
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for key, heads in groups.items():
        for i, outcome in enumerate(outcomes):
            [v] = [v for _, cols, v in t4 if cols == [*heads, outcome]]
            assert v == str(fm["appeals"][key][i])
    # 表二: 10 cells, each on its row with its column header (the rows of a sub-table share one).
    t2 = page.find("table", id="t2")
    grid = layout(t2)
    found = {}
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is not None and cell.name == "td" and (c == 0 or row[c - 1] is not cell):
                header_row = next(
                    grid[h] for h in range(r, -1, -1) if grid[h][0] is not None and text(grid[h][0]) == "信息内容"
                )
                found[(text(row[0]), text(header_row[c]))] = text(cell)
    pro = fm["proactive"]
    assert found == {
        ("规章", "本年制发件数"): str(pro["rules"]["issued"]),
        ("规章", "本年废止件数"): str(pro["rules"]["repealed"]),
        ("规章", "现行有效件数"): str(pro["rules"]["in_force"]),
        ("行政规范性文件", "本年制发件数"): str(pro["normative_documents"]["issued"]),
        ("行政规范性文件", "本年废止件数"): str(pro["normative_documents"]["repealed"]),
        ("行政规范性文件", "现行有效件数"): str(pro["normative_documents"]["in_force"]),
        ("行政许可", "本年处理决定数量"): str(pro["licensing"]),
        ("行政处罚", "本年处理决定数量"): str(pro["penalties"]),
        ("行政强制", "本年处理决定数量"): str(pro["enforcement"]),
        ("行政事业性收费", "本年收费金额（单位：万元）"): str(pro["fees"]),
    }


def test_table_three_official_layout(bundled_site: Path) -> None:
    t3 = soup(bundled_site / REPORT / "index.html").find("table", id="t3")
    corner = t3.find("td", class_="corner")
    assert text(corner) == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert (corner["rowspan"], corner["colspan"]) == ("3", "3")
    results = t3.find("th", string="三、本年度办理结果")
    assert results["rowspan"] == "22"
    assert len(layout(t3)) == 28 and all(len(row) == 10 for row in layout(t3))


def test_report_page_sections_in_order_with_meta(bundled_site: Path) -> None:
    page = soup(bundled_site / REPORT / "index.html")
    h2 = [text(h) for h in page.select("section.report-section > h2")]
    assert h2 == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert text(page.find("h1")) == "红旗区人民政府办公室2025年政府信息公开工作年度报告"
    assert page.find("meta", attrs={"name": "ColumnType"})["content"] == "信息公开年报"
    assert page.find("meta", attrs={"name": "ArticleTitle"})["content"] == text(page.find("h1"))
    assert page.find("meta", attrs={"name": "PubDate"}) is None  # the original states no date
    assert page.find("meta", attrs={"name": "SiteIDCode"}) is None  # not an official portal: no official marks
    assert "数据校验通过" in text(page.find(class_="report-meta"))
    assert "发布日期未知" in text(page.find(class_="report-meta"))
    assert page.find("html")["lang"] == "zh-CN"


def test_report_json_and_csv_round_trip(bundled_site: Path) -> None:
    fm = front_matter(REPO / "content/hongqi-zhengfu-bangongshi/2025.md")
    record = json.loads((bundled_site / REPORT / "report.json").read_text("utf-8"))
    for key in ("proactive", "applications", "appeals"):
        assert record[key] == fm[key]
    assert (record["agency"], record["year"], record["published"]) == ("hongqi-zhengfu-bangongshi", 2025, None)
    assert record["timeliness"] == {"status": "unknown", "deadline": "2026-01-31", "days_late": None}
    raw = (bundled_site / "data/reports-en.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    [row] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    for name, value in row.items():
        m = re.fullmatch(r"(proactive|applications|appeals)((?:\.[a-z_]+)*)(?:\[(\d+)\])?", name)
        if not m:
            continue
        node = fm
        for part in (m.group(1) + m.group(2)).split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if m.group(3) is not None:
            node = node[int(m.group(3))] if isinstance(node, list) else None
        assert value == ("" if node is None or isinstance(node, (list, dict)) else str(node)), name


def test_dictionary_maps_each_chinese_header_to_its_field_path(bundled_site: Path) -> None:
    entries = json.loads((bundled_site / "data/dictionary.json").read_text("utf-8"))
    by_name = {e["name"]: e for e in entries}
    assert by_name["applications.total[0]"]["label"] == "三（七）总计 · 自然人"
    chinese = next(csv.reader(io.StringIO((bundled_site / "data/reports.csv").read_text("utf-8-sig"))))
    english = next(csv.reader(io.StringIO((bundled_site / "data/reports-en.csv").read_text("utf-8-sig"))))
    assert chinese == [e["label"] for e in entries] and len(set(chinese)) == len(chinese)
    assert english == [e["name"] for e in entries]
    page = soup(bundled_site / "data/index.html")
    rows = page.find("table", class_="dictionary").find("tbody").find_all("tr")
    assert [text(r.find("th")) for r in rows] == chinese
    assert [text(r.find("code")) for r in rows] == english


def test_internal_links_resolve(demo_site: Path) -> None:
    """Every relative link and asset of every page points at a file that was built."""
    broken = []
    for page in demo_site.rglob("*.html"):
        if page.name == "404.html":
            continue
        for tag in soup(page).find_all(["a", "link", "script"]):
            ref = tag.get("href") or tag.get("src")
            if not ref or ref.startswith(("http://", "https://", "#", "mailto:")):
                continue
            target = (page.parent / unquote(ref.split("#")[0].split("?")[0])).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append((page.relative_to(demo_site).as_posix(), ref))
    assert broken == []


def test_year_page_lists_reports_totals_and_missing(demo_site: Path) -> None:
    content = REPO / "examples/demo/content"
    fms = {p.parent.name: front_matter(p) for p in content.glob("*/2022.md")}
    agencies = {p.parent.name: yaml.safe_load(p.read_text("utf-8")) for p in content.glob("*/_agency.yaml")}
    page = soup(demo_site / "years/2022/index.html")
    table = page.find("table", class_="year-table")
    rows = table.find("tbody").find_all("tr")
    names = sorted(text(r.find("th")) for r in rows)
    assert names == sorted(agencies[s]["name"] for s in fms)
    totals = [text(td) for td in table.find("tfoot").find_all("td")]
    received = sum(fm["applications"]["received"][6] for fm in fms.values())
    handled = sum(fm["applications"]["total"][6] for fm in fms.values())
    assert (int(totals[0]), int(totals[2])) == (received, handled)
    missing = [s for s, a in agencies.items() if a.get("since", 9999) <= 2022 and s not in fms]
    assert missing, "the demo has a missing 2022 report"
    shown = [text(a) for a in page.find(id="year-missing").find_next("ul").find_all("a")]
    assert sorted(shown) == sorted(agencies[s]["name"] for s in missing)


def test_agency_page_history_and_charts(demo_site: Path) -> None:
    slug = "hongqi-zhengfu"
    page = soup(demo_site / f"agencies/{slug}/index.html")
    years = sorted(int(p.stem) for p in (REPO / "examples/demo/content" / slug).glob("*.md"))
    rows = page.find("table", class_="data").find("tbody").find_all("tr")
    assert [int(text(r.find("th"))) for r in rows] == sorted(years, reverse=True)
    charts = page.select("figure.chart")
    assert [c["id"] for c in charts] == ["chart-received", "chart-outcomes", "chart-appeals"]
    received = charts[0].find("table").find("tbody").find_all("tr")
    fm_received = {
        y: front_matter(REPO / "examples/demo/content" / slug / f"{y}.md")["applications"]["received"][6] for y in years
    }
    assert {int(text(r.th)): int(text(r.td)) for r in received} == fm_received
    assert charts[0].find("svg")["role"] == "img"


def test_late_report_is_marked(demo_site: Path) -> None:
    late = [
        p
        for p in (REPO / "examples/demo/content").glob("*/*.md")
        if str(front_matter(p).get("published", "0")) > f"{int(p.stem) + 1}-01-31"
        and yaml.safe_load((p.parent / "_agency.yaml").read_text("utf-8"))["level"] != "county_government"
    ]
    assert late
    page = soup(demo_site / f"agencies/{late[0].parent.name}/{late[0].stem}/index.html")
    assert page.find(class_="badge-late") is not None
    assert re.fullmatch(r"逾期 \d+ 天", text(page.find(class_="badge-late")))


def test_sample_banner_on_every_demo_page(demo_site: Path) -> None:
    for page in list(demo_site.rglob("*.html"))[:50]:
        assert soup(page).find(class_="banner-sample") is not None, page


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    builder.build(REPO / "examples" / "demo", a)
    builder.build(REPO / "examples" / "demo", b)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


def test_content_error_writes_nothing(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled))
    builder.build(site.root)
    before = {p: p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file()}
    site.report(published(bundled).replace("  penalties: 0", "  penalties: -1"))
    with pytest.raises(ContentError):
        builder.build(site.root)
    after = {p: p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_failure_half_way_leaves_the_old_site(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled))
    builder.build(site.root)
    before = {p: p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file()}
    # An override template that fails while rendering (StrictUndefined): pages were already being written.
    site.write(
        "overrides/templates/year.html",
        "{% extends 'default/year.html' %}{% block content %}{{ no_such_value }}{% endblock %}",
    )
    with pytest.raises(Exception, match="no_such_value"):
        builder.build(site.root)
    after = {p: p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("target", ["/", "~", ".", "content", "themes", "..", "content/x"])
def test_unsafe_output_folders_are_refused(site: ScratchSite, bundled: str, target: str) -> None:
    site.report(published(bundled))
    (site.root / "themes").mkdir()
    out = Path(target).expanduser() if target in ("/", "~") else site.root / target
    with pytest.raises(UsageError, match="拒绝输出"):
        builder.build(site.root, out)
    assert (site.root / "content/hongqi-zhengfu-bangongshi/2025.md").is_file()


def test_non_empty_foreign_folder_is_refused(site: ScratchSite, bundled: str, tmp_path: Path, capsys) -> None:
    site.report(published(bundled))
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"x")
    assert cli.main(["build", str(site.root), "--out", str(foreign)]) == 2
    assert "不是 gongkai 生成的" in capsys.readouterr().err
    assert (foreign / "cat.jpg").read_bytes() == b"x"


def test_build_summary_line(site: ScratchSite, bundled: str, capsys) -> None:
    site.report(published(bundled))
    assert cli.main(["build", str(site.root)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(r"构建完成：1 份报告，1 个机关，1 个年度，用时 \d+\.\d 秒（输出：.*site）", last)


def test_build_with_errors_exits_1(site: ScratchSite, bundled: str, capsys) -> None:
    site.report(published(bundled).replace("  penalties: 0", "  penalties: -1"))
    assert cli.main(["build", str(site.root)]) == 1
    captured = capsys.readouterr()
    assert "错误 H5 proactive.penalties" in captured.out
    assert "构建失败：1 个错误，未写入任何文件" in captured.err
    assert not (site.root / "site").exists()


def test_base_url_makes_absolute_feed_and_sitemap(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled))
    builder.build(site.root, base_url="https://example.gov.cn/nb")
    sitemap = (site.root / "site/sitemap.xml").read_text("utf-8")
    assert (
        "<loc>https://example.gov.cn/nb/agencies/hongqi-zhengfu-bangongshi/2025/</loc><lastmod>2026-01-20</lastmod>"
        in sitemap
    )
    feed = (site.root / "site/feed.xml").read_text("utf-8")
    assert '<link href="https://example.gov.cn/nb/agencies/hongqi-zhengfu-bangongshi/2025/"/>' in feed
    page = soup(site.root / "site" / REPORT / "index.html")
    assert page.find("link", rel="canonical")["href"] == "https://example.gov.cn/nb/" + REPORT
    assert "Sitemap: https://example.gov.cn/nb/sitemap.xml" in (site.root / "site/robots.txt").read_text("utf-8")
    # 404.html is served at any depth: every link and asset of it is a full address
    not_found = soup(site.root / "site/404.html")
    assert not_found.find("a", class_="brand")["href"] == "https://example.gov.cn/nb/"
    refs = [t.get("href") or t.get("src") for t in not_found.find_all(["a", "link", "script"])]
    local = [r for r in refs if r and not r.startswith(("https://beian", "https://www.beian", "#"))]
    assert local and all(r.startswith("https://example.gov.cn/nb/") for r in local), local


def test_official_marks_only_when_configured(site: ScratchSite, bundled: str) -> None:
    site.write(
        "gongkai.yaml",
        "title: 红旗区人民政府门户\norganizer: 红旗区人民政府办公室\nsite_id_code: '4107020001'\n"
        "icp: 豫ICP备00000000号\npolice_record: 豫公网安备 41070202000000号\npolice_record_code: '41070202000000'\n"
        "report_error_url: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4107020001\n",
    )
    site.report(published(bundled))
    builder.build(site.root)
    page = soup(site.root / "site/index.html")
    footer = text(page.find("footer"))
    assert "主办单位：红旗区人民政府办公室" in footer and "网站标识码：4107020001" in footer
    assert page.find("a", string="豫ICP备00000000号")["href"] == "https://beian.miit.gov.cn/"
    assert page.find("meta", attrs={"name": "SiteIDCode"})["content"] == "4107020001"
    assert page.find("a", string="我为政府网站找错") is not None


def test_each_site_says_whose_it_is_and_the_demo_shows_an_official_footer(bundled_site: Path, demo_site: Path) -> None:
    """The bundled site names its owner; the demo carries every mark an official portal's footer has, with
    sample values (all-zero numbers, marked 示例) that belong to no real site."""
    bundled_home = soup(bundled_site / "index.html")
    assert text(bundled_home.find(class_="brand")) == "红旗区人民政府办公室政府信息公开工作年度报告"
    assert "主办单位：红旗区人民政府办公室" in text(bundled_home.find("footer"))
    footer = soup(demo_site / "agencies/hongqi-zhengfu/2025/index.html").find("footer")
    marks = [text(li) for li in footer.select(".marks li")]
    assert [m.split("：")[0] for m in marks] == [
        "主办单位",
        "联系方式",
        "网站标识码",
        "ICP备案号",
        "公安机关备案号",
        "我为政府网站找错",
    ]
    assert "示例" in marks[0] and marks[2] == "网站标识码：0000000000"
    links = {text(a): a["href"] for a in footer.select(".marks a")}
    assert links["示例ICP备00000000号"] == "https://beian.miit.gov.cn/"
    assert links["示例公网安备 00000000000000号"].endswith("recordcode=00000000000000")


def test_2019_format_report_page(demo_site: Path) -> None:
    path = REPO / "examples/demo/content/hongqi-zhengfu/2019.md"
    fm = front_matter(path)
    assert fm["format"] == 2019
    page = soup(demo_site / "agencies/hongqi-zhengfu/2019/index.html")
    t2 = page.find("table", id="t2")
    assert len(t2.find_all("td")) == 22
    captions = [text(th) for th in t2.find_all("th", class_="cap")]
    assert captions[-1] == "第二十条第（九）项"
    t3 = page.find("table", id="t3")
    assert len(data_cells(t3)) == 23 * 7
    other = [cells for rows, cols, cells in data_cells(t3) if rows[-1] == "（六）其他处理"]
    assert other == [str(v) for v in fm["applications"]["other"]]
    assert "国办公开办函〔2019〕60号" in text(page.find(class_="report-head"))


def test_drafts_are_left_out_or_marked(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled, "2025-01-20").replace("2025年", "2024年").replace("2025 年", "2024 年"), year=2024)
    site.report(
        published(bundled).replace(
            "format: 2021", "format: 2021\nstatus: draft\nreview:\n  - {stage: 初审, by: 张三, date: 2026-01-10}"
        )
    )
    builder.build(site.root, search=False)
    out = site.root / "site"
    assert not (out / REPORT).exists()
    rows = list(csv.DictReader(io.StringIO((out / "data/reports-en.csv").read_text("utf-8-sig"))))
    assert [r["year"] for r in rows] == ["2024"]
    # The reviewers' preview: the draft is there, marked on its page and in the lists, and nowhere else.
    preview = site.root / "preview"
    builder.build(site.root, preview, drafts=True, search=False)
    page = soup(preview / REPORT / "index.html")
    assert text(page.find(class_="draft-mark")) == "草稿 · 未公开"
    assert "张三" not in (preview / REPORT / "index.html").read_text("utf-8")
    for rel in ("index.html", "agencies/index.html", "years/2024/index.html"):
        assert "草稿预览" in text(soup(preview / rel).find(class_="banner-draft"))
    assert "草稿" in text(soup(preview / "agencies/hongqi-zhengfu-bangongshi/index.html").find("table"))
    assert not (preview / REPORT / "report.json").exists()
    assert REPORT not in (preview / "sitemap.xml").read_text("utf-8")
    assert REPORT not in (preview / "feed.xml").read_text("utf-8")
    assert json.loads((preview / "data/reports.json").read_text("utf-8"))["reports"][0]["year"] == 2024


def test_build_output_carries_no_live_reload(demo_site: Path) -> None:
    assert not any("livereload" in p.read_text("utf-8") for p in demo_site.rglob("*.html"))


def test_csv_cells_are_values_never_a_group_of_another_format(demo_site: Path) -> None:
    """A 2019 report has groups (licensing: {previous_items, change, decisions}) where the 2021 columns
    hold one count: those cells are empty in reports.csv, never the group written out."""
    rows = list(csv.reader(io.StringIO((demo_site / "data/reports-en.csv").read_text("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert any(r[header.index("format")] == "2019" for r in body)
    licensing = header.index("proactive.licensing")
    assert all(r[licensing] == "" for r in body if r[header.index("format")] == "2019")
    assert not [c for r in body for c in r if c.startswith(("{", "["))]


def test_pages_rendered_on_two_processes_are_the_bytes_of_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker processes write what one process writes, file for file (the search index aside)."""
    from generator import pool

    from .conftest import make_corpus

    source = make_corpus(tmp_path / "src", 260, seed=3, drafts=0.02, blanks=0.03)
    built = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("GONGKAI_JOBS", jobs)
        out = tmp_path / f"site-{jobs}"
        builder.build(source, out, search=False, cache=Cache())
        built[jobs] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert len(built["1"]) > pool.FEWEST  # enough pages that two processes were used
    assert built["1"] == built["2"]


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != builder.MARKER
    }


def _demo_copy(tmp_path: Path) -> Path:
    import shutil

    source = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", source, ignore=shutil.ignore_patterns("site", ".gongkai-cache"))
    return source


def test_an_edit_patches_the_site_in_place(tmp_path: Path) -> None:
    """After one edit only what changed is written; files kept stay the same files; the result is a clean build."""
    source = _demo_copy(tmp_path)
    out = tmp_path / "site"
    builder.build(source, out)
    reports = sorted((source / "content").glob("*/*.md"))
    edited, deleted, untouched = reports[0], reports[-1], reports[len(reports) // 2]
    untouched_page = out / "agencies" / untouched.parent.name / untouched.stem / "index.html"
    inode = untouched_page.stat().st_ino
    edited.write_text(edited.read_text("utf-8") + "\n补充说明：本段为测试所加。\n", encoding="utf-8")
    deleted.unlink()
    builder.build(source, out)
    assert untouched_page.stat().st_ino == inode  # kept where it was, not rewritten or relinked
    assert "本段为测试所加" in (out / "agencies" / edited.parent.name / edited.stem / "index.html").read_text("utf-8")
    assert not (out / "agencies" / deleted.parent.name / deleted.stem).exists()
    clean = tmp_path / "clean"
    builder.build(source, clean, cache=Cache())
    assert _tree_bytes(out) == _tree_bytes(clean)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
    manifest = json.loads((out / builder.MARKER).read_text("utf-8"))
    assert manifest["reports"] == len(reports) - 1 and "incomplete" not in manifest


def test_an_interrupted_patch_is_followed_by_a_full_build(tmp_path: Path) -> None:
    source = _demo_copy(tmp_path)
    out = tmp_path / "site"
    builder.build(source, out)
    page = next(out.glob("agencies/*/*/index.html"))
    inode = page.stat().st_ino
    (out / builder.MARKER).write_text(json.dumps({"incomplete": True}), encoding="utf-8")  # as a patch leaves it midway
    result = builder.build(source, out)
    assert not result.unchanged
    assert page.stat().st_ino != inode  # a fresh folder: nothing of the unfinished site was trusted
    clean = tmp_path / "clean"
    builder.build(source, clean, cache=Cache())
    assert _tree_bytes(out) == _tree_bytes(clean)


def test_only_builds_one_partition(site: ScratchSite, bundled: str, capsys) -> None:
    """``--only REGION``: the agencies whose region begins with it; a parent built elsewhere is no error."""
    site.report(published(bundled))  # 河南省/新乡市/红旗区
    agency = BUNDLED_AGENCY.read_text("utf-8")
    elsewhere = agency.replace("region: [河南省, 新乡市, 红旗区]", "region: [河北省, 石家庄市, 长安区]")
    site.agency("changan-zhengfu-bangongshi", elsewhere.replace("红旗区", "长安区"))
    site.report(published(bundled), slug="changan-zhengfu-bangongshi")
    site.agency("hongqi-caizhengju", agency + "parent: changan-zhengfu-bangongshi\n")
    site.report(published(bundled), slug="hongqi-caizhengju")
    assert cli.main(["build", str(site.root), "--only", "河南省/新乡市", "--no-search", "--quiet"]) == 0
    agencies = sorted(p.name for p in (site.root / "site" / "agencies").iterdir() if p.is_dir())
    assert agencies == ["hongqi-caizhengju", BUNDLED_SLUG]
    page = soup(site.root / "site/agencies/hongqi-caizhengju/index.html")
    assert "changan-zhengfu-bangongshi" not in str(page)  # its parent is in another partition: not linked
    data = json.loads((site.root / "site/data/reports.json").read_text("utf-8"))
    assert sorted(r["agency"] for r in data["reports"]) == ["hongqi-caizhengju", BUNDLED_SLUG]
    # The whole site, then the other partition, from the same cache.
    assert cli.main(["build", str(site.root), "--out", str(site.root / "all"), "--no-search", "--quiet"]) == 0
    assert (site.root / "all/agencies/changan-zhengfu-bangongshi/index.html").is_file()
    assert cli.main(["build", str(site.root), "--only", "河北省", "--out", str(site.root / "hb"), "--no-search"]) == 0
    assert sorted(p.name for p in (site.root / "hb/agencies").iterdir() if p.is_dir()) == ["changan-zhengfu-bangongshi"]
    capsys.readouterr()
    assert cli.main(["build", str(site.root), "--only", "火星省", "--out", str(site.root / "none")]) == 2
    assert "--only 火星省：没有哪个机关的所属行政区划" in capsys.readouterr().err
    assert not (site.root / "none").exists()


def test_csv_text_a_spreadsheet_would_run_is_kept_as_text(site: ScratchSite, bundled: str) -> None:
    """OWASP's CSV injection: text cells starting with = + - @ tab or CR get a leading ' (numbers do not)."""
    title = '=HYPERLINK("https://evil.example/","点我")红旗区人民政府办公室2025年政府信息公开工作年度报告'
    site.agency(
        text=BUNDLED_AGENCY.read_text("utf-8")
        .replace("name: 红旗区人民政府办公室", "name: '@SUM(1+1)红旗区人民政府办公室'")
        .replace("region: [河南省, 新乡市, 红旗区]", "region: ['-河南省', '+新乡市', 红旗区]")
    )
    site.report(
        published(bundled).replace("title: 红旗区人民政府办公室2025年政府信息公开工作年度报告", f"title: '{title}'")
    )
    builder.build(site.root)
    [row] = list(csv.DictReader(io.StringIO((site.root / "site/data/reports-en.csv").read_text("utf-8-sig"))))
    assert row["title"] == "'" + title
    assert row["agency_name"] == "'@SUM(1+1)红旗区人民政府办公室"
    assert row["region"] == "'-河南省/+新乡市/红旗区"
    assert row["applications.received[0]"] == "4" and row["agency"] == BUNDLED_SLUG
    [chinese] = list(csv.DictReader(io.StringIO((site.root / "site/data/reports.csv").read_text("utf-8-sig"))))
    assert (chinese["标题"], chinese["机关名称"]) == (row["title"], row["agency_name"])  # the same in both files
    page = soup(site.root / "site/agencies" / BUNDLED_SLUG / "2025/index.html")
    assert text(page.find("h1")) == title  # the page shows the title as written
    report = json.loads((site.root / "site/agencies" / BUNDLED_SLUG / "2025/report.json").read_text("utf-8"))
    assert report["title"] == title  # so does the JSON: only the CSV is for spreadsheets
    dictionary = {e["name"]: e for e in json.loads((site.root / "site/data/dictionary.json").read_text("utf-8"))}
    assert "以免电子表格把它当作公式" in dictionary["title"]["description"]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (errno.ENOSPC, "磁盘空间已满，请腾出空间后重试"),
        (errno.EACCES, "没有权限（请检查该目录的所有者和权限）"),
        (errno.EROFS, "这是只读的文件系统"),
    ],
)
def test_a_failed_write_names_the_path_and_leaves_the_old_site(
    site: ScratchSite,
    bundled: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: int,
    reason: str,
) -> None:
    """A full disk, a folder without permission, a read-only file system half-way through a build:
    one sentence naming the path, exit 2, the published site whole (tests run as root, where
    permissions do not bite: the failure is made where the build writes)."""
    site.report(published(bundled))
    builder.build(site.root)
    before = {p: p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file()}
    site.report(published(bundled).replace("（一）主动公开", "（一）主动公开工作"))
    real = builder.Stage.write_bytes

    def full_disk(self: builder.Stage, rel: str, data: bytes) -> None:
        if rel.startswith("data/"):
            raise OSError(error, os.strerror(error), str(self.root / rel))
        real(self, rel, data)

    monkeypatch.setattr(builder.Stage, "write_bytes", full_disk)
    monkeypatch.chdir(site.root)
    assert cli.main(["build"]) == 2
    err = capsys.readouterr().err.strip()
    assert re.fullmatch(
        rf"gongkai: 无法写入或读取 \S+/\.site\.building-\d+/data/\S+：{re.escape(reason)}；已发布的网站保持原样", err
    ), err
    assert {p: p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file()} == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".site")] == []


def test_a_linked_file_made_or_removed_is_a_change(site: ScratchSite, bundled: str, capsys) -> None:
    """Links under content/ are not followed, but adding one is not 无变化: the warning is shown."""
    site.report(published(bundled))
    builder.build(site.root)
    link = site.root / "content" / "hongqi-copy"
    link.symlink_to(BUNDLED_SLUG)
    result = builder.build(site.root)
    assert not result.unchanged and result.agencies == 1
    assert [d.code for d in result.diagnostics if d.code == "symlink_skipped"] == ["symlink_skipped"]
    link.unlink()
    assert not builder.build(site.root).unchanged
    assert builder.build(site.root).unchanged


def test_each_agency_has_its_own_feed(demo_site: Path, site: ScratchSite, bundled: str) -> None:
    """agencies/<slug>/feed.xml: that agency's public reports, newest first, linked from its page."""
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    for agency_dir in sorted((demo_site / "agencies").iterdir()):
        if not agency_dir.is_dir():
            continue
        slug = agency_dir.name
        years = sorted((int(p.name) for p in agency_dir.iterdir() if p.is_dir()), reverse=True)
        feed = ET.parse(agency_dir / "feed.xml").getroot()
        links = [e.find(f"{atom}link").get("href") for e in feed.findall(f"{atom}entry")]
        assert sorted(links, reverse=True) == [f"agencies/{slug}/{y}/" for y in years]
        assert feed.find(f"{atom}id").text == f"urn:gongkai:红旗区政府信息公开工作年度报告（示例）:{slug}"
        page = soup(agency_dir / "index.html")
        assert page.find("link", rel="alternate", href="feed.xml") is not None
        assert page.find("a", href="feed.xml") is not None
    # with base_url the ids and links are full addresses; an agency with only a draft has no feed
    site.report(published(bundled))
    site.report(published(bundled).replace("format: 2021", "format: 2021\nstatus: draft"), slug="other-office")
    builder.build(site.root, base_url="https://example.gov.cn/nb/", search=False)
    feed = ET.parse(site.root / "site/agencies" / BUNDLED_SLUG / "feed.xml").getroot()
    assert feed.find(f"{atom}id").text == f"https://example.gov.cn/nb/agencies/{BUNDLED_SLUG}/"
    assert feed.find(f"{atom}title").text == "红旗区人民政府办公室 - 测试门户"
    assert not (site.root / "site/agencies/other-office/feed.xml").exists()
