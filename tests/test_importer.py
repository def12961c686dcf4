"""``gongkai import``: every sample and layout imports to exactly the published numbers, or fails
precisely and writes nothing."""

from __future__ import annotations

import csv
import importlib.util
import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from generator import build as builder
from generator import cli, importer
from generator.content import read_report_file
from generator.importer import rows, unruled

from .conftest import BUNDLED_REPORT, make_corpus

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
SAMPLES = Path(__file__).parent / "fixtures" / "samples"
BUSY = FIXTURES / "busy-2023.md"
TABLES = ("proactive", "applications", "appeals")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def data_of(path: Path) -> dict[str, Any]:
    return dict(read_report_file(path, path.parent).data)


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------------- the reference report


def test_reference_report_imports_to_the_bundled_numbers_and_passes_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    code, out, _ = run(capsys, "import", str(SAMPLES / "hongqi-2025.txt"), "--content", str(content))
    assert code == 0, out
    assert files(content) == ["hongqi/2025.md", "hongqi/_agency.yaml"]
    imported, bundled = data_of(content / "hongqi/2025.md"), data_of(BUNDLED_REPORT)
    for key in (*TABLES, "format", "title"):
        assert imported[key] == bundled[key], key
    assert "known_issues" not in imported and "published" not in imported  # the original states no date
    agency = yaml.safe_load((content / "hongqi/_agency.yaml").read_text("utf-8"))
    assert agency == {"name": "红旗区人民政府办公室", "level": "county_department", "region": ["红旗区"], "since": 2025}
    assert "请核实" in (content / "hongqi/_agency.yaml").read_text("utf-8")
    body = (content / "hongqi/2025.md").read_text("utf-8").split("\n---\n", 1)[1]
    assert [line for line in body.splitlines() if line.startswith("## ")] == [
        "## 一、总体情况",
        "## 五、存在的主要问题及改进情况",
        "## 六、其他需要报告的事项",
    ]
    assert "（二）依申请公开：2025 年办理依申请公开 4 件" in body
    assert "gongkai check：0 个错误，1 个警告" in out  # T2: no publication date
    code, out, _ = run(capsys, "check", str(content))
    assert code == 0 and "0 个错误" in out


# ---------------------------------------------------------------------- layouts (report-format.md §9)


LAYOUTS = [
    ("busy-2023-tsv.txt", BUSY),  # ragged tab-separated rows
    ("busy-2023-pipe.txt", BUSY),  # pipe-flattened HTML, group labels on first rows only, |||| filler
    ("busy-2023-lines.txt", BUSY),  # one cell per line, header and label words split over lines
    ("busy-2023-paragraphs.txt", BUSY),  # one cell per paragraph, full-width digits
    ("busy-2023-pdf.txt", BUSY),  # label and numbers on one line; table 四 headers one character per line
    ("busy-2023-mdsplit.md", BUSY),  # table 三 in Markdown pieces with generic headers 数据1…, a stray header row
    ("busy-2023-traditional.txt", BUSY),  # traditional characters, 數(shù) artifacts
    ("old-2020-paragraphs.txt", FIXTURES / "old-2020.md"),  # the 2019 format, one cell per paragraph
    ("hongqi-2025.html", BUNDLED_REPORT),  # the official tables with rowspan and colspan
    ("hongqi-2025.docx", BUNDLED_REPORT),  # Word, merged cells
    ("busy-2023.html", BUSY),  # the official tables, every cell a different number
    ("busy-2023-layout-gbk.html", BUSY),  # GB2312, inside a layout table, end tags left out
    ("busy-2023.docx", BUSY),
    ("busy-2023-ruled.pdf", BUSY),  # printed to PDF: ruled tables, table 三 over three pages, rows cut by pages
    ("hongqi-2025-ruled.pdf", BUNDLED_REPORT),
    ("busy-2023-plain.pdf", BUSY),  # printed without borders: labels wrapped in narrow columns, numbers between
    ("hongqi-2025-plain.pdf", BUNDLED_REPORT),  # the same, a label column so narrow its text nearly meets the numbers
    ("old-2020-paragraphs.pdf", FIXTURES / "old-2020.md"),  # the 2019 format printed a cell a paragraph
    ("old-2020-ruled.pdf", FIXTURES / "old-2020.md"),  # the 2019 tables as plain grids (a Word table a section)
    ("old-2020-plain.pdf", FIXTURES / "old-2020.md"),  # the same without borders: captions in the label column
]


@pytest.mark.parametrize(("fixture", "source"), LAYOUTS, ids=[f for f, _ in LAYOUTS])
def test_every_layout_imports_to_the_same_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fixture: str, source: Path
) -> None:
    content = tmp_path / "content"
    code, out, err = run(capsys, "import", str(FIXTURES / fixture), "--content", str(content), "--agency", "x")
    assert code == 0, out + err
    written = next(content.glob("x/*.md"))
    imported, original = data_of(written), data_of(source)
    for key in (*TABLES, "format", "title"):
        assert imported[key] == original[key], key
    assert "known_issues" not in imported
    if "busy" in fixture and fixture.endswith((".txt", ".md")):
        assert imported["published"] == original["published"]  # read from the sign-off "（2024年1月23日）"
    if "busy" in fixture:
        assert written.read_text("utf-8").rstrip().endswith("未收取申请人的任何费用。")  # not the sign-off, footer
    code, out, _ = run(capsys, "check", str(content))
    assert code == 0 and "0 个错误" in out


def test_a_column_header_printed_short_is_taken_by_its_alias(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """社会公益 for 社会公益组织, 法律服务 for 法律服务机构 (the schema's x-aliases): the busy report still imports exactly."""
    text = (
        (FIXTURES / "busy-2023-tsv.txt").read_text("utf-8").replace("社会公益组织\t法律服务机构", "社会公益\t法律服务")
    )
    assert "社会公益组织" not in text
    original = tmp_path / "busy-2023.txt"
    original.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "import", str(original), "--content", str(tmp_path / "content"), "--agency", "x")
    assert code == 0, out + err
    imported = data_of(next((tmp_path / "content").glob("x/*.md")))
    assert all(imported[key] == data_of(BUSY)[key] for key in TABLES)
    broken = text.replace("社会公益\t法律服务", "法律服务\t社会公益")  # the order is still checked
    original.write_text(broken, encoding="utf-8")
    code, _, err = run(capsys, "import", str(original), "--content", str(tmp_path / "c2"), "--agency", "x")
    assert code == 1 and "表三的列头不全或顺序与国家格式不同" in err


def test_a_row_collapsed_to_one_value_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "import", str(FIXTURES / "busy-2023-collapsed.txt"), "--content", str(tmp_path))
    assert code == 1
    assert "第一处缺失：一、本年新收政府信息公开申请数量" in err and "压成了一个数" in err
    assert files(tmp_path) == []


# ---------------------------------------------------------------------- the truncated samples


TRUNCATED = [
    ("2020_huichang-zhongcunxiang.txt", "一、本年新收政府信息公开申请数量", 2019),
    ("2021_yueyang-xinfangju.txt", "一、本年新收政府信息公开申请数量", 2021),
    ("2022_taojiang-songmutangzhen.txt", "行政事业性收费", 2021),
    ("2022_xixian-taipingzhen.txt", "三（三）不予公开 4.保护第三方合法权益", 2021),
    ("2023_haizhu-guanzhoujiedao.txt", "三（三）不予公开 6.属于四类过程性信息", 2021),
    ("2024_longgang-qzfbm.txt", "三（三）不予公开 7.属于行政执法案卷", 2021),
]


@pytest.mark.parametrize(("sample", "first_missing", "fmt"), TRUNCATED, ids=[s for s, _, _ in TRUNCATED])
def test_truncated_samples_fail_naming_the_first_missing_row_then_import_partially(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: str, first_missing: str, fmt: int
) -> None:
    code, out, err = run(capsys, "import", str(SAMPLES / sample), "--content", str(tmp_path))
    assert code == 1, out
    assert f"第一处缺失：{first_missing}" in err and "未写入任何文件" in err
    assert files(tmp_path) == []

    code, out, err = run(
        capsys, "import", str(SAMPLES / sample), "--content", str(tmp_path), "--partial", "--name", "某街道办事处"
    )
    assert code == 0, out + err
    written = next(tmp_path.glob("*/*.md"))
    data = data_of(written)
    assert data["format"] == fmt
    notes = {(k["rule"], k["where"]): k["note"] for k in data["known_issues"]}
    assert any("原文缺失" in note for note in notes.values())
    reasons = {
        "原文没有这一行",
        "原文没有这一行（可能被截断）",
        "原文这一行的数不全",
        "原文没有表四（可能被截断）",
        "原文表四的数不全",
    }
    missing = {n.removeprefix("原文缺失（").removesuffix("）") for n in notes.values() if n.startswith("原文缺失（")}
    assert missing and missing <= reasons | {"导入时原文不完整"}  # said in words, as the message says it
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 0 and "0 个错误" in out


def test_what_the_truncated_samples_do_have_is_kept_exactly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(
        capsys,
        "import",
        str(SAMPLES / "2024_longgang-qzfbm.txt"),
        "--content",
        str(tmp_path),
        "--partial",
        "--name",
        "深圳市龙岗区某局",
    )
    data = data_of(tmp_path / "longgang-qzfbm/2024.md")
    assert data["proactive"]["normative_documents"] == {"issued": 5, "repealed": 1, "in_force": 25}
    assert data["applications"]["received"] == [58, 7, 0, 0, 1, 0, 66]
    assert data["applications"]["withheld"]["enforcement_files"] == [0, 0, 0, 0, 0, 0, None]  # cut off: null
    assert data["applications"]["withheld"]["inquiry_matters"] == [None] * 7
    issues = {(k["rule"], k["where"]) for k in data["known_issues"]}
    assert ("H6", "applications.withheld.enforcement_files[6]") in issues
    assert ("H6", "applications.withheld.inquiry_matters") in issues
    assert ("H7", "sections.六") in issues


def test_placeholders_in_the_original_become_null_with_their_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "import", str(SAMPLES / "2021_yueyang-xinfangju.txt"), "--content", str(tmp_path), "--partial")
    data = data_of(tmp_path / "yueyang-xinfangju/2021.md")
    assert data["proactive"]["rules"] == {"issued": None, "repealed": None, "in_force": None}
    assert data["proactive"]["normative_documents"] == {"issued": 21, "repealed": 0, "in_force": 21}
    notes = {(k["rule"], k["where"]): k["note"] for k in data["known_issues"]}
    assert notes[("H6", "proactive.licensing")] == "原文为“/”"


def test_s6_the_2022_report_citing_the_2019_notice_is_warned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "import", str(SAMPLES / "2022_xixian-taipingzhen.txt"), "--content", str(tmp_path), "--partial"
    )
    assert code == 0
    assert "S6 原文引用国办公开办函〔2019〕60号，但表格是 2021 年格式" in out


# ---------------------------------------------------------------------- honesty


def test_blank_cells_and_broken_rules_are_kept_as_published(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (SAMPLES / "hongqi-2025.txt").read_text("utf-8")
    text = text.replace("规章\t0\t0\t0", "规章\t0\t\t0")  # a blank cell
    text = text.replace("行政许可\t0\t\t", "行政许可\t/\t\t")  # a placeholder
    text = text.replace("(七) 总计\t4\t0\t0\t0\t0\t0\t4", "(七) 总计\t5\t0\t0\t0\t0\t0\t5")  # a wrong total
    source = tmp_path / "hongqi-2025.txt"
    source.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "import", str(source), "--content", str(tmp_path / "content"))
    assert code == 0, out
    data = data_of(tmp_path / "content/hongqi/2025.md")
    assert data["proactive"]["rules"] == {"issued": 0, "repealed": None, "in_force": 0}
    assert data["proactive"]["licensing"] is None
    assert data["applications"]["total"] == [5, 0, 0, 0, 0, 0, 5]  # never "corrected"
    issues = {(k["rule"], k["where"]): k["note"] for k in data["known_issues"]}
    assert issues[("H6", "proactive.rules.repealed")] == "原文空白"
    assert issues[("H6", "proactive.licensing")] == "原文为“/”"
    assert issues[("H1", "applications[0]")] == "原文如此"
    assert issues[("H3", "applications.total[0]")] == "原文如此"
    code, out, _ = run(capsys, "check", str(tmp_path / "content"))
    assert code == 0 and "0 个错误" in out


def test_columns_in_another_order_are_refused_not_guessed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (SAMPLES / "hongqi-2025.txt").read_text("utf-8")
    source = tmp_path / "hongqi-2025.txt"
    source.write_text(text.replace("本年制发件数\t本年废止件数", "本年废止件数\t本年制发件数"), encoding="utf-8")
    code, _, err = run(capsys, "import", str(source), "--content", str(tmp_path / "content"))
    assert code == 1 and "表二的列头顺序与国家格式不同" in err
    source.write_text(text.replace("行政强制\t0\t\t", "行政强制\t0\t\t3"), encoding="utf-8")
    code, _, err = run(capsys, "import", str(source), "--content", str(tmp_path / "content"))
    assert code == 1 and "第一处缺失：行政强制" in err and "比国家格式多 1 个" in err
    source.write_text(text.replace("商业企业\t科研机构", "科研机构\t商业企业"), encoding="utf-8")
    code, _, err = run(capsys, "import", str(source), "--content", str(tmp_path / "content"))
    assert code == 1 and "表三的列头不全或顺序与国家格式不同" in err
    assert not (tmp_path / "content").exists()


def test_existing_file_is_never_overwritten_without_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sample = str(SAMPLES / "hongqi-2025.txt")
    assert run(capsys, "import", sample, "--content", str(tmp_path))[0] == 0
    report = tmp_path / "hongqi/2025.md"
    report.write_text(report.read_text("utf-8") + "\n编辑过。\n", encoding="utf-8")
    code, _, err = run(capsys, "import", sample, "--content", str(tmp_path))
    assert code == 2 and "已存在" in err and "--force" in err
    assert "编辑过。" in report.read_text("utf-8")
    assert run(capsys, "import", sample, "--content", str(tmp_path), "--force")[0] == 0
    assert "编辑过。" not in report.read_text("utf-8")


def test_dry_run_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "import", str(SAMPLES / "hongqi-2025.txt"), "--content", str(tmp_path), "--dry-run")
    assert code == 0 and files(tmp_path) == []
    assert "将写入" in out and "received:            [4, 0, 0, 0, 0, 0, 4]" in out


def test_flags_override_what_is_detected(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, _ = run(
        capsys,
        "import",
        str(FIXTURES / "busy-2023-tsv.txt"),
        "--content",
        str(tmp_path),
        "--agency",
        "hainan",
        "--published",
        "2024-01-30",
        "--level",
        "provincial_government",
        "--region",
        "海南省",
    )
    assert code == 0
    assert data_of(tmp_path / "hainan/2023.md")["published"] == "2024-01-30"
    agency = (tmp_path / "hainan/_agency.yaml").read_text("utf-8")
    assert "level: provincial_government" in agency and "region: [海南省]" in agency and "请核实" not in agency


def test_an_agency_already_in_content_is_found_by_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "hongqi-zhengfu-bangongshi"
    folder.mkdir()
    (folder / "_agency.yaml").write_text((BUNDLED_REPORT.parent / "_agency.yaml").read_text("utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "import", str(SAMPLES / "hongqi-2025.txt"), "--content", str(tmp_path))
    assert code == 0, out
    assert files(tmp_path) == ["hongqi-zhengfu-bangongshi/2025.md", "hongqi-zhengfu-bangongshi/_agency.yaml"]


# ---------------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        ('3.危及"三安全一稳定"', "3. 危及“三安全一稳定”"),
        ("规范性文件", "行政规范性文件"),
        ("一、本年新收政府信息公開申請數(shù)量", "一、本年新收政府信息公开申请数量"),
        ("结果 维持", "结果维持"),
        ("三（一）予以公开", "(一)予以公开"),
    ],
)
def test_labels_normalise_alike(a: str, b: str) -> None:
    assert importer.norm(a) == importer.norm(b)


@pytest.mark.parametrize(
    ("cell", "number"),
    [("２１１７", 2117), ("2,117", 2117), ("1 472", 1472), ("-2", -2), ("5件", 5), ("/", None), ("", None)],
)
def test_values_are_read_never_guessed(cell: str, number: int | None) -> None:
    value = importer.read_value(cell)
    assert value is not None and value.number == number
    assert importer.read_value("不予公开") is None


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("红旗区人民政府办公室", "county_department"),
        ("岳阳市信访局", "city_department"),
        ("桃江县松木塘镇人民政府", "township"),
        ("官洲街道办事处", "subdistrict"),
        ("海南省人民政府", "provincial_government"),
    ],
)
def test_level_is_guessed_from_the_name(name: str, level: str) -> None:
    assert importer.guess_level(name)[0] == level


def _layouts() -> Any:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_many_reports_in_every_layout_import_to_their_own_numbers(tmp_path: Path) -> None:
    """Reports of both formats, with their own numbers, laid out every §9 way: read back exactly."""
    make_corpus(tmp_path / "corpus", 60, seed=8)
    make = _layouts()
    layouts = [
        make.tsv,
        make.pipe_flat,
        make.one_per_line,
        make.one_per_paragraph,
        make.pdf_text,
        make.markdown_split,
        make.traditional,
    ]
    every = sorted((tmp_path / "corpus/content").glob("*/*.md"))
    reports = [p for p in every if int(p.stem) <= 2020][:4] + [p for p in every if int(p.stem) > 2020][::8]
    formats = set()
    for md in reports:
        original = data_of(md)
        formats.add(original["format"])
        for layout in layouts:
            text = make.text_report(md, layout, fmt=original["format"])
            imported = importer.parse(importer._text_rows(text))
            assert imported.missing == [], (md.name, layout.__name__, imported.missing[0].describe())
            for key in TABLES:
                assert imported.data[key] == original[key], (md, layout.__name__, key)
            assert imported.fmt == original["format"] and imported.year == int(md.stem)
    assert formats == {2019, 2021}


def test_text_without_tables_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "mou-2024.txt"
    source.write_text("某某局2024年政府信息公开工作年度报告\n\n一、总体情况\n\n今年工作很好。\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(source), "--content", str(tmp_path / "content"))
    assert code == 1 and "原文中找不到统计表" in err
    other = tmp_path / "hello.txt"
    other.write_text("hello\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(other), "--content", str(tmp_path / "content"))
    assert code == 2 and f"{other}：原文中找不到报告年度" in err and "--year" in err
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize(
    ("name", "advice"), [("nb.pdf", "PDF 文件已损坏"), ("nb.doc", "另存为 .docx"), ("nb.bin", "不是文字文件")]
)
def test_files_it_cannot_read_are_named_with_what_to_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, advice: str
) -> None:
    source = tmp_path / name
    source.write_bytes(b"%PDF-1.7\0\0binary")
    code, _, err = run(capsys, "import", str(source), "--content", str(tmp_path / "content"))
    assert code == 2 and str(source) in err and advice in err


def test_a_partial_import_publishes_with_its_gaps_said(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """What --partial writes builds, and the report page tells readers what the original lacks."""
    (tmp_path / "gongkai.yaml").write_text("title: 导入试验\n", encoding="utf-8")
    run(
        capsys,
        "import",
        str(SAMPLES / "2024_longgang-qzfbm.txt"),
        "--content",
        str(tmp_path / "content"),
        "--partial",
        "--name",
        "深圳市龙岗区某局",
    )
    builder.build(tmp_path, search=False)
    page = BeautifulSoup((tmp_path / "site/agencies/longgang-qzfbm/2024/index.html").read_text("utf-8"), "html.parser")
    sections = {h.get_text(): h.find_next_sibling() for h in page.select("section.report-section h2")}
    assert sections["五、存在的主要问题及改进情况"].get_text() == "原文没有这一部分。"
    notices = [li.get_text(" ", strip=True) for li in page.select(".notices li")]
    assert "六、其他需要报告的事项 （规则 H7）：原文缺失（导入时原文不完整）" in notices
    data = data_of(tmp_path / "content/longgang-qzfbm/2024.md")
    nulls = sum(v is None for row in importer_rows(data["applications"]) for v in row)
    assert len(page.select("#t3 td.blank")) == nulls == 1 + 14 * 7  # the missing cells show blank, never as 0


def importer_rows(table: dict[str, Any]) -> list[list[Any]]:
    return [r for v in table.values() for r in ([v] if isinstance(v, list) else importer_rows(v))]


def _import_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, source: Path) -> str:
    """Import ``source``: refused with exit 2, nothing written; the message."""
    code, out, err = run(capsys, "import", str(source), "--content", str(tmp_path / "content"))
    assert code == 2 and out == "" and not (tmp_path / "content").exists()
    return err.strip()


def test_a_renamed_text_file_is_no_docx(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "nb-2025.docx"
    source.write_text("红旗区人民政府办公室2025年政府信息公开工作年度报告", encoding="utf-8")
    assert _import_refused(capsys, tmp_path, source) == (
        f"gongkai: {source}：这不是 .docx 文件（.docx 是一个压缩包，这个文件不是）：是否把别的文件改了扩展名？"
        "请用 Word 或 WPS 另存为 .docx 再导入"
    )


@pytest.mark.skipif(importlib.util.find_spec("docx") is None, reason="python-docx is the import extra")
def test_a_docx_zip_bomb_is_refused_as_it_unpacks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """300 KB that unpacks to 256 MB (the header could say anything: the bytes are counted)."""
    source = tmp_path / "bomb-2025.docx"
    shutil.copy(FIXTURES / "hongqi-2025.docx", source)
    with (
        zipfile.ZipFile(source, "a", compression=zipfile.ZIP_DEFLATED) as package,
        package.open("word/media/zeros.bin", "w", force_zip64=True) as part,
    ):
        for _ in range(16):
            part.write(bytes(16 << 20))
    assert source.stat().st_size < 1 << 20
    err = _import_refused(capsys, tmp_path, source)
    assert err.startswith(f"gongkai: {source}：.docx 解压后超过 200.0 MB（已解压 200.")
    assert err.endswith("MB 时停止）：这不像一份报告，可能是损坏的或恶意构造的文件，没有导入")


@pytest.mark.skipif(importlib.util.find_spec("docx") is None, reason="python-docx is the import extra")
def test_a_zip_that_is_no_word_document_is_named_broken(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "nb-2025.docx"
    with zipfile.ZipFile(source, "w") as package:
        package.writestr("readme.txt", "hi")
    err = _import_refused(capsys, tmp_path, source)
    assert err.startswith(f"gongkai: {source}：.docx 文件已损坏，无法读取（")
    assert err.endswith("）：请用 Word 或 WPS 打开并另存为 .docx 后再导入")


def test_an_original_over_the_size_limit_is_refused_unread(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "nb-2025.html"
    with source.open("wb") as f:
        f.truncate(rows.TEXT_LIMIT + (512 << 10))
    assert _import_refused(capsys, tmp_path, source) == (
        f"gongkai: {source}：文件有 10.5 MB，超过了导入的上限 10.0 MB：一份报告的原文不会这么大；"
        "请只保存报告本身（如网页另存为时不含附件）"
    )


def test_a_pdf_without_a_text_layer_is_refused_with_what_to_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = FIXTURES / "busy-2023-scan.pdf"  # pictures of the printed pages
    assert _import_refused(capsys, tmp_path, source) == (
        f"gongkai: {source}：这个 PDF 没有文字层（是扫描件或图片）：请找原文的网页或 Word 版本，或先用 OCR 软件"
        "（如 ocrmypdf -l chi_sim）加上文字层，再导入并逐个核对数字"
    )


def _line(top: float, *pieces: tuple[str, float, float]) -> list[unruled.Piece]:
    return [unruled.Piece(text, x0, x1, top) for text, x0, x1 in pieces]


def test_an_unruled_table_is_read_by_where_its_numbers_stand() -> None:
    """Without ruling lines: a header wrapped in its columns (商业企 over 业), a label wrapped beside its
    numbers, the next row from its numbered piece on; a place without a number is a blank cell, a
    paragraph below is left as text."""
    lines = [
        _line(88, ("自然人", 222, 253), ("商业企", 271, 303), ("总计", 513, 534)),
        _line(105, ("业", 282, 292)),
        _line(355, ("（三）不予公开", 100, 173), ("1.属", 188, 208)),
        _line(370, ("于国", 187, 208)),
        _line(377, ("8", 217, 223), ("0", 267, 273), ("9", 503, 509)),
        _line(385, ("家秘", 187, 208)),
        _line(400, ("密", 192, 203)),
        _line(418, ("2.其", 188, 208)),
        _line(433, ("他法", 187, 208)),
        _line(448, ("14", 217, 229), ("16", 503, 514)),
        _line(470, ("下一段正文，从左边距一直写到右边距，不是表格的一部分。", 48, 541)),
    ]
    rows, used = unruled.read(lines)
    assert [cells for _, cells in rows] == [
        ["", "自然人", "商业企", "总计"],
        ["", "", "业", ""],
        ["（三）不予公开1.属于国家秘密", "8", "0", "9"],
        ["2.其他法", "14", "", "16"],
    ]
    assert used == set(range(10))  # not the paragraph


def test_prose_around_an_unruled_table_stays_prose() -> None:
    """A paragraph above a table is not its header, and a line of text ending in a number after a
    justified gap is no row: both are left as text (nothing of the report's words goes into a cell)."""
    paragraph = _line(40, ("全年共收到申请，其中自然人申请占多数，具体情况见下表。", 48, 541))
    justified = _line(60, ("截至年底，本机关累计公开政府信息共计", 48, 520), ("15", 528, 541))
    table = [
        _line(90, ("信息内容", 105, 147), ("本年处理决定数量", 334, 418)),
        _line(110, ("行政许可", 105, 147), ("28", 208, 219)),
    ]
    for piece in [*justified, *table[1]]:
        piece.size = 10.5
    rows, used = unruled.read([paragraph, justified, *table])
    assert [cells for _, cells in rows] == [["信息内容", "本年处理决定数量"], ["行政许可", "28"]]
    assert used == {2, 3}


def test_pdf_text_keeps_the_characters_a_reader_sees() -> None:
    """Word-printed fonts give radicals (⼈⺠) for characters: they are read as 人民; punctuation stays full width."""
    from generator.importer.pdf import clean

    assert clean("海南省⼈⺠政府（⼀）主动公开，⻓期") == "海南省人民政府（一）主动公开，长期"


def test_a_batch_says_what_became_of_each_file_and_writes_the_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder of originals: one line a file (written, with gaps, refused and why), the count, exit 1 if
    any was refused; --report writes the same as a CSV."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("busy-2023-ruled.pdf", "hongqi-2025.html", "busy-2023-scan.pdf"):
        shutil.copy(FIXTURES / name, folder / name)
    shutil.copy(SAMPLES / "2021_yueyang-xinfangju.txt", folder / "yueyang-2021.txt")  # truncated: refused
    (folder / ".hidden.txt").write_text("not an original", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "import", "in", "--content", "c", "--report", "r.csv")
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[0] == (
        "已写入 c/busy-ruled/2023.md（2021 年格式，来自 in/busy-2023-ruled.pdf），校验：0 个错误、1 个警告；"
        "机关代码 busy-ruled 取自文件名 busy-2023-ruled.pdf（可用 --agency 指定），请核实；"
        "机关层级 省级人民政府（provincial_government） 与行政区划按名称推测，请核实 _agency.yaml"
    )
    assert lines[1].startswith("已拒绝 in/busy-2023-scan.pdf：这个 PDF 没有文字层")
    assert lines[2].startswith("已写入 c/hongqi/2025.md（2021 年格式，来自 in/hongqi-2025.html）")
    assert lines[3].startswith("已拒绝 in/yueyang-2021.txt：原文表格不完整（表三、四），未写入任何文件。 第一处缺失：")
    assert lines[4:] == ["共 4 个文件：写入 2 个（其中 0 个含已说明的原文问题），拒绝 2 个", "结果表已写入 r.csv"]
    table = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    assert [(r["file"], r["status"], r["report"]) for r in table] == [
        ("in/busy-2023-ruled.pdf", "written", "c/busy-ruled/2023.md"),
        ("in/busy-2023-scan.pdf", "refused", ""),
        ("in/hongqi-2025.html", "written", "c/hongqi/2025.md"),
        ("in/yueyang-2021.txt", "refused", ""),
    ]
    assert table[0]["year"] == "2023" and table[0]["format"] == "2021" and table[0]["warnings"] == "1"
    assert table[3]["message"].startswith("原文表格不完整")


def test_a_batch_with_partial_names_the_files_written_with_gaps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLES / "2021_yueyang-xinfangju.txt", tmp_path / "yueyang-2021.txt")
    shutil.copy(FIXTURES / "hongqi-2025.html", tmp_path / "hongqi-2025.html")
    code, out, _ = run(capsys, "import", "yueyang-2021.txt", "hongqi-2025.html", "--content", "c", "--partial")
    assert code == 0, out
    assert "处原文问题已在 known_issues 中说明" in out.splitlines()[0]  # yueyang (the order given), its gaps said
    assert out.splitlines()[-1] == "共 2 个文件：写入 2 个（其中 1 个含已说明的原文问题），拒绝 0 个"


def _blank_then_import(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, text: str) -> tuple[int, str]:
    tmp_path.mkdir(exist_ok=True)
    original = tmp_path / name
    original.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "import", str(original), "--content", str(tmp_path / "c"), "--agency", "b")
    return code, out + err


def test_an_empty_field_between_tabs_is_a_blank_cell_a_missing_field_is_a_gap(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A tab-separated copy keeps every tab of a row: an empty field is 原文空白 (null); a row with fewer
    fields than the table has columns is incomplete, and nothing is written."""
    tsv = (FIXTURES / "busy-2023-tsv.txt").read_text("utf-8")
    row = "三、本年度办理结果\t（一）予以公开\t923\t117\t5\t6\t41\t96\t1188"
    assert row in tsv
    code, out = _blank_then_import(capsys, tmp_path, "a-2023.txt", tsv.replace(row, row.replace("\t117\t", "\t\t")))
    assert code == 0, out
    imported = data_of(tmp_path / "c/b/2023.md")
    assert imported["applications"]["disclosed"] == [923, None, 5, 6, 41, 96, 1188]
    assert imported["known_issues"] == [{"rule": "H6", "where": "applications.disclosed[1]", "note": "原文空白"}]
    code, out = _blank_then_import(capsys, tmp_path / "short", "a-2023.txt", tsv.replace(row, row[: -len("\t1188")]))
    assert code == 1 and "第一处缺失：三（一）予以公开（原文第 41 行附近）：原文这一行的数不全，缺 总计" in out


def _html_with_a_blank(tmp_path: Path) -> Path:
    page = (FIXTURES / "busy-2023.html").read_text("utf-8")
    at = page.index(">117<", page.index(">923<"))
    (tmp_path / "a-2023.html").write_text(page[:at] + "><" + page[at + 5 :], encoding="utf-8")
    return tmp_path / "a-2023.html"


def _docx_with_a_blank(tmp_path: Path) -> Path:
    """A Word table's cell with no text (its paragraph empty)."""
    with zipfile.ZipFile(FIXTURES / "busy-2023.docx") as original:
        parts = {name: original.read(name) for name in original.namelist()}
    document = parts["word/document.xml"].decode("utf-8")
    at = document.index("<w:t>117</w:t>", document.index("<w:t>923</w:t>"))
    parts["word/document.xml"] = (document[:at] + document[at + len("<w:t>117</w:t>") :]).encode("utf-8")
    with zipfile.ZipFile(tmp_path / "a-2023.docx", "w") as blanked:
        for name, data in parts.items():
            blanked.writestr(name, data)
    return tmp_path / "a-2023.docx"


@pytest.mark.parametrize(
    "original",
    [
        _html_with_a_blank,  # <td></td>
        _docx_with_a_blank,
        lambda _: FIXTURES / "busy-2023-blank-ruled.pdf",  # busy-2023-ruled.pdf with that cell printed empty
    ],
    ids=["html", "docx", "ruled-pdf"],
)
def test_an_empty_cell_is_a_blank_cell_not_a_shorter_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, original: Any
) -> None:
    """One cell of table 三 (（一）予以公开 · 商业企业) left empty: 原文空白 (null), the rest exactly as published."""
    code, out, err = run(capsys, "import", str(original(tmp_path)), "--content", str(tmp_path / "c"), "--agency", "b")
    assert code == 0, out + err
    imported = data_of(tmp_path / "c/b/2023.md")
    assert imported["applications"]["disclosed"] == [923, None, 5, 6, 41, 96, 1188]
    assert imported["known_issues"] == [{"rule": "H6", "where": "applications.disclosed[1]", "note": "原文空白"}]
    assert all(imported[key] == data_of(BUSY)[key] for key in ("proactive", "appeals"))


@pytest.mark.parametrize(
    ("printed", "standard"),
    [
        ("(六) 其他", "（六）其他处理"),  # a group heading printed short (其他 is also the name of a row)
        ("（五）不予", "（五）不予处理"),
        ("(三)不予公开", "（三）不予公开"),  # half-width brackets
        ("总 计", "总计"),  # a space in a header
    ],
)
def test_group_headings_and_headers_printed_short(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, printed: str, standard: str
) -> None:
    tsv = (FIXTURES / "busy-2023-tsv.txt").read_text("utf-8")
    assert standard in tsv
    code, out = _blank_then_import(capsys, tmp_path, "a-2023.txt", tsv.replace(standard, printed))
    assert code == 0, out
    imported = data_of(tmp_path / "c/b/2023.md")
    assert all(imported[key] == data_of(BUSY)[key] for key in TABLES)
    assert "known_issues" not in imported


def test_every_guess_is_said_in_the_summary_and_at_the_top_of_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "import", str(FIXTURES / "hongqi-2025.html"), "--content", str(tmp_path / "c"))
    assert code == 0
    said = [
        "机关代码 hongqi 取自文件名 hongqi-2025.html（可用 --agency 指定），请核实",
        "机关层级 县级部门（county_department） 与行政区划按名称推测，请核实 _agency.yaml",
    ]
    assert [line.removeprefix("  推测：") for line in out.splitlines() if line.startswith("  推测：")] == said
    head = (tmp_path / "c/hongqi/2025.md").read_text("utf-8").splitlines()[:3]
    assert head == ["---", *(f"# gongkai import：{s}" for s in said)]
    code, out, _ = run(capsys, "import", str(FIXTURES / "hongqi-2025.html"), "--content", str(tmp_path / "d"),
                       "--agency", "hongqi", "--level", "county_department", "--region", "河南省/新乡市/红旗区")  # fmt: skip
    assert code == 0 and "推测" not in out
    assert not (tmp_path / "d/hongqi/2025.md").read_text("utf-8").splitlines()[1].startswith("# gongkai import")


def test_an_amount_with_the_columns_unit_is_its_number_with_another_it_is_not_converted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """4068.208万元 in the 万元 column is 4068.208 (said); 40682080元 is never divided silently: null, said."""
    tsv = (FIXTURES / "busy-2023-tsv.txt").read_text("utf-8")
    assert "行政事业性收费\t4068.208\t" in tsv
    code, out = _blank_then_import(
        capsys, tmp_path / "same", "a-2023.txt", tsv.replace("\t4068.208\t", "\t4068.208万元\t")
    )
    assert code == 0 and "  警告 proactive.fees：原文的金额带着本栏的单位，照录数字 4068.208" in out
    imported = data_of(tmp_path / "same/c/b/2023.md")
    assert imported["proactive"]["fees"] == 4068.208 and "known_issues" not in imported
    code, out = _blank_then_import(
        capsys, tmp_path / "other", "a-2023.txt", tsv.replace("\t4068.208\t", "\t40682080元\t")
    )
    assert code == 0, out
    imported = data_of(tmp_path / "other/c/b/2023.md")
    assert imported["proactive"]["fees"] is None
    assert imported["known_issues"] == [
        {"rule": "H6", "where": "proactive.fees", "note": "原文为“40682080元”，单位不是本栏的万元，未换算"}
    ]


def test_2019_tables_in_a_later_report_import_as_published_with_s6(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (FIXTURES / "old-2020-paragraphs.txt").read_text("utf-8").replace("2020年", "2022年")
    code, out = _blank_then_import(capsys, tmp_path, "old-2022.txt", text)
    assert code == 0, out
    assert "  警告 S6 报告年度 2022 应使用 2021 年格式，原文使用 2019 年格式" in out
    imported, original = data_of(tmp_path / "c/b/2022.md"), data_of(FIXTURES / "old-2020.md")
    assert imported["format"] == 2019 and all(imported[key] == original[key] for key in TABLES)


def test_a_report_without_its_title_line_takes_name_and_year_from_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = (FIXTURES / "busy-2023-tsv.txt").read_text("utf-8").splitlines(keepends=True)
    assert lines[0].startswith("海南省人民政府2023年")
    original = tmp_path / "untitled.txt"
    original.write_text("".join(lines[1:]), encoding="utf-8")
    c = str(tmp_path / "c")
    code, _, err = run(capsys, "import", str(original), "--content", c, "--agency", "b", "--name", "海南省人民政府")
    assert (
        code == 2
        and err.strip() == f"gongkai: {original}：原文中找不到报告年度（标题或统计期限中都没有）：请用 --year 指定"
    )
    code, out, err = run(
        capsys, "import", str(original), "--content", c, "--agency", "b", "--name", "海南省人民政府", "--year", "2023"
    )
    assert code == 0, out + err
    imported = data_of(tmp_path / "c/b/2023.md")
    assert imported["title"] == "海南省人民政府2023年政府信息公开工作年度报告"
    assert all(imported[key] == data_of(BUSY)[key] for key in TABLES)


def _table_three_header(tsv: str) -> tuple[list[str], int, int]:
    """The busy report's lines, and where table 三's header starts (申请人情况) and its last line (商业企业 …)."""
    lines = tsv.split("\n")
    top = next(k for k, line in enumerate(lines) if "申请人情况" in line)
    bottom = next(k for k, line in enumerate(lines) if "商业企业\t科研机构" in line)
    return lines, top, bottom


def _split_over_two_lines(tsv: str) -> str:
    lines, _, bottom = _table_three_header(tsv)
    return "\n".join(
        [*lines[:bottom], lines[bottom].replace("商业企业", "商业"), "\t\t\t企业\t\t\t\t\t", *lines[bottom + 1 :]]
    )


def _generic_headers(tsv: str) -> str:
    lines, top, bottom = _table_three_header(tsv)
    header = lines[top].split("\t")[0] + "\t\t" + "\t".join(f"数据{n}" for n in range(1, 8))
    return "\n".join([*lines[:top], header, *lines[bottom + 1 :]])


@pytest.mark.parametrize(
    ("variant", "said"),
    [
        (_split_over_two_lines, None),  # 商业 over 企业: the header says 商业企业, nothing is guessed
        (lambda t: t.replace("商业企业\t科研机构", "商业企业\t科研"), "“科研”→科研机构"),
        (
            _generic_headers,
            "“数据1”→自然人、“数据2”→商业企业、“数据3”→科研机构、“数据4”→社会公益组织、“数据5”→法律服务机构、"
            "“数据6”→其他、“数据7”→总计",
        ),
    ],
    ids=["split-over-lines", "one-short", "generic"],
)
def test_table_three_headers_not_the_standards_are_taken_by_place_and_said(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, variant: Any, said: str | None
) -> None:
    """A header that is recognisably the standard's: the columns are read by their place, exactly, and
    every column so taken is named in the summary and at the top of the file."""
    tsv = (FIXTURES / "busy-2023-tsv.txt").read_text("utf-8")
    code, out = _blank_then_import(capsys, tmp_path, "a-2023.txt", variant(tsv))
    assert code == 0, out
    written = tmp_path / "c/b/2023.md"
    assert all(data_of(written)[key] == data_of(BUSY)[key] for key in TABLES)
    guesses = [line.removeprefix("  推测：") for line in out.splitlines() if line.startswith("  推测：")]
    comments = [line for line in written.read_text("utf-8").splitlines() if line.startswith("# gongkai import：")]
    placed = [g for g in guesses if g.startswith("表三有列头")]
    if said is None:
        assert placed == []
    else:
        assert placed == [f"表三有列头不是国家格式的列名，按位置读取：{said}，请核实"]
        assert f"# gongkai import：{placed[0]}" in comments


def test_table_three_headers_that_name_other_columns_or_too_few_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """By place only when the header cannot be wrong about it: one naming another column, or fewer than
    half naming their own, is refused and nothing is written."""
    tsv = (FIXTURES / "busy-2023-tsv.txt").read_text("utf-8")
    lines, top, bottom = _table_three_header(tsv)
    few = lines[top].split("\t")[0] + "\t\t自然人\t甲\t乙\t丙\t丁\t戊\t总计"
    for k, text in enumerate(
        [
            tsv.replace("商业企业\t科研机构", "科研机构\t科研"),  # 科研机构 under the 商业企业 column
            "\n".join([*lines[:top], few, *lines[bottom + 1 :]]),  # 2 of 7 named
            _generic_headers(tsv).replace("数据3\t数据4", "数据4\t数据3"),  # numbered out of order
        ]
    ):
        code, out = _blank_then_import(capsys, tmp_path / str(k), "a-2023.txt", text)
        assert code == 1 and "表三的列头不全或顺序与国家格式不同" in out, out
        assert not (tmp_path / str(k) / "c").exists()


def test_table_three_as_an_empty_header_table_and_a_small_table_a_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Some sites print table 三's header as a table of its own with “-” in its cells, then every row as a
    small table of its own: the numbers are the rows', exactly."""
    page = (FIXTURES / "busy-2023.html").read_text("utf-8")
    at = page.index("申请人情况")
    start, end = page.rindex("<table", 0, at), page.index("</table>", at) + len("</table>")
    table = page[start:end]
    head = table.index("</thead>") + len("</thead>")
    row_html = [f"<tr>{r}</tr>" for r in table[head:].split("<tr>")[1:]]
    dashes = '<tbody><tr><td colspan="3">-</td>' + "<td>-</td>" * 7 + "</tr></tbody></table>\n"
    small = "".join(f"<table><tbody>{r.split('</tr>')[0]}</tr></tbody></table>\n" for r in row_html)
    assert small.count("<table>") == 25
    code, out = _blank_then_import(
        capsys, tmp_path, "a-2023.html", page[:start] + table[:head] + dashes + small + page[end:]
    )
    assert code == 0, out
    imported = data_of(tmp_path / "c/b/2023.md")
    assert all(imported[key] == data_of(BUSY)[key] for key in TABLES)
    assert "known_issues" not in imported
