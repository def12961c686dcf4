"""Reading content files: front matter, locations, and what cannot be read at all."""

from __future__ import annotations

from pathlib import Path

from generator import content
from generator.errors import Severity

from .conftest import ScratchSite, line_of, published


def test_values_keep_their_file_line_and_column(tmp_path: Path, bundled: str) -> None:
    path = tmp_path / "2025.md"
    path.write_text(bundled, encoding="utf-8")
    doc = content.read_report_file(path, tmp_path)
    line = line_of(bundled, "  received:")
    assert doc.values[("applications", "received", 0)] == (line, bundled.splitlines()[line - 1].index("[4") + 2)
    assert doc.keys[("applications", "received")] == (line, 3)
    assert doc.data["applications"]["received"] == [4, 0, 0, 0, 0, 0, 4]
    assert doc.body.startswith("\n## 一、总体情况")
    assert doc.body_line == line_of(bundled, "---", 2) + 1


def test_dates_stay_as_written(tmp_path: Path, bundled: str) -> None:
    path = tmp_path / "2025.md"
    path.write_text(published(bundled), encoding="utf-8")
    assert content.read_report_file(path, tmp_path).data["published"] == "2026-01-20"


def test_bom_is_tolerated(site: ScratchSite, bundled: str) -> None:
    site.report(b"\xef\xbb\xbf" + published(bundled).encode("utf-8"))
    assert site.validate() == []


def test_yaml_syntax_error_names_file_and_line(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  received:            [4, 0, 0, 0, 0, 0, 4]", "  received:            [4, 0, 0, 0, 0, 0, 4"
    )
    site.report(text)
    [d] = site.validate()
    assert (d.path, d.rule, d.severity) == ("content/hongqi-zhengfu-bangongshi/2025.md", "YAML", Severity.ERROR)
    assert d.line == line_of(text, "  carried_over:")  # where PyYAML notices the unclosed list
    assert d.message() == "YAML 格式错误：方括号列表没有正确结束（缺少逗号或“]”）"


def test_tab_indentation(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("  licensing: 0", "\tlicensing: 0")
    site.report(text)
    [d] = site.validate()
    assert (d.rule, d.line) == ("YAML", line_of(text, "\tlicensing"))
    assert "制表符" in d.message()


def test_duplicate_key_is_an_error_at_its_own_line(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  carried_over:        [0, 0, 0, 0, 0, 0, 0]",
        "  carried_over:        [0, 0, 0, 0, 0, 0, 0]\n  received:            [9, 0, 0, 0, 0, 0, 9]",
    )
    site.report(text)
    [d] = site.validate()
    assert (d.rule, d.line, d.col, d.field) == ("DUP", line_of(text, "  received:", 2), 3, "applications.received")
    assert (
        d.message()
        == f"键“received”重复（第 {line_of(text, '  received:')} 行已有）；YAML 会悄悄只保留其中一个，请删除多余的一行"
    )


def test_gbk_file(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled).encode("gbk"))
    [d] = site.validate()
    assert (d.rule, d.line) == ("ENCODING", 2)  # the first Chinese character is in the title
    assert d.message().startswith("文件不是 UTF-8 编码（此处字节 0x")
    assert "看起来是 GBK/GB18030 编码" in d.message()


def test_full_width_digit(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("  received:            [4, 0,", "  received:            [４, 0,")
    site.report(text)
    [d] = site.validate()
    assert (d.rule, d.line, d.field, d.label) == (
        "TYPE",
        line_of(text, "  received:"),
        "applications.received[0]",
        "一、本年新收政府信息公开申请数量 · 自然人",
    )
    assert d.message() == "全角数字 ４：请改为半角数字 4"


def test_six_cell_row(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  received:            [4, 0, 0, 0, 0, 0, 4]", "  received:            [4, 0, 0, 0, 0, 4]"
    )
    site.report(text)
    [d] = site.validate()
    assert (d.rule, d.line, d.field) == ("TYPE", line_of(text, "  received:"), "applications.received")
    assert d.message() == "应有 7 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），实有 6 个"


def test_placeholder_slash(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("  penalties: 0", "  penalties: /")
    site.report(text)
    [d] = site.validate()
    assert (d.rule, d.code) == ("TYPE", "placeholder_cell")
    assert d.message().startswith("单元格写了 “/”：没有发生请填 0")


def test_misspelled_key_suggests(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("  carried_forward:", "  carried_foward:")
    site.report(text)
    diags = site.validate()
    [key] = [d for d in diags if d.rule == "KEY"]
    assert (key.line, key.col, key.field) == (line_of(text, "carried_foward"), 3, "applications.carried_foward")
    assert key.message() == "不认识的键“carried_foward”，是不是“carried_forward”？"
    [req] = [d for d in diags if d.rule == "REQUIRED"]
    assert req.message() == "缺少“carried_forward”"


def test_missing_front_matter(site: ScratchSite) -> None:
    site.report("# 报告\n\n正文\n")
    [d] = site.validate()
    assert (d.rule, d.line, d.message()) == (
        "FRONTMATTER",
        1,
        "缺少 YAML 前置数据：报告文件应以单独一行 --- 开头，数据之后再以 --- 结束",
    )


def test_unclosed_front_matter(site: ScratchSite) -> None:
    site.report("---\ntitle: x\n")
    assert [d.code for d in site.validate()] == ["unclosed_front_matter"]


def test_misplaced_files(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled))
    site.write("content/hongqi-zhengfu-bangongshi/2025-draft.md", "x")
    site.write("content/Bad_Slug/2025.md", "x")
    site.write("content/no-agency/2025.md", published(bundled))
    codes = sorted(d.code for d in site.validate() if d.severity is Severity.ERROR)
    assert codes == ["bad_report_name", "bad_slug", "no_agency_file"]


def test_find_site_root(tmp_path: Path) -> None:
    (tmp_path / "gongkai.yaml").write_text("title: x\n", encoding="utf-8")
    deep = tmp_path / "content" / "a"
    deep.mkdir(parents=True)
    assert content.find_site_root(deep) == tmp_path.resolve()


def test_locations_are_found_again_from_the_file(tmp_path: Path, bundled: str) -> None:
    """A document is read without locations; the first finding that needs one reads them from the file."""
    path = tmp_path / "2025.md"
    path.write_text(bundled, encoding="utf-8")
    lean = content.read_report_file(path, tmp_path)
    assert lean.located is None
    full = content.read_report_file(path, tmp_path, located=True)
    assert full.located is not None
    cell = ("applications", "received", 0)
    assert lean.where(cell) == full.where(cell) == (line_of(bundled, "  received:"), full.where(cell)[1])
    assert lean.lines == bundled.splitlines() and lean.keys == full.keys
    # The file changed since it was read: no locations rather than wrong ones.
    stale = content.read_report_file(path, tmp_path)
    path.write_text("\n\n" + bundled, encoding="utf-8")
    assert stale.where(cell) == (2, 1) and stale.lines == []


def test_a_duplicate_key_is_located_without_asking_for_locations(tmp_path: Path, bundled: str) -> None:
    path = tmp_path / "2025.md"
    text = bundled.replace("  received:", "  received: [1, 0, 0, 0, 0, 0, 1]\n  received:", 1)
    path.write_text(text, encoding="utf-8")
    doc = content.read_report_file(path, tmp_path)
    dup = [d for d in doc.diagnostics if d.rule == "DUP"]
    assert [(d.line, d.params["first_line"]) for d in dup] == [
        (line_of(text, "  received:") + 1, line_of(text, "  received:"))
    ]
