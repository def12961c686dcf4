"""Each rule of report-format.md §5 broken by a fixture: exact rule id, line and message."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import Severity

from .conftest import BUNDLED_AGENCY, ScratchSite, line_of, published
from .reports import consistent_tables, render


def only(diags, rule):
    found = [d for d in diags if d.rule == rule]
    assert found, f"no {rule} in {[(d.rule, d.message()) for d in diags]}"
    return found


def test_bundled_report_is_clean(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled))
    assert site.validate() == []


def test_h2_row_total_names_line_cell_and_arithmetic(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  disclosed:           [3, 0, 0, 0, 0, 0, 3]", "  disclosed:           [3, 0, 0, 0, 0, 0, 4]"
    )
    site.report(text)
    [h2] = only(site.errors(), "H2")
    line = line_of(text, "  disclosed:")
    col = text.splitlines()[line - 1].index("4]") + 1
    assert (h2.path, h2.line, h2.col) == ("content/hongqi-zhengfu-bangongshi/2025.md", line, col)
    assert h2.field == "applications.disclosed[6]"
    assert h2.label == "三（一）予以公开 · 总计"
    assert h2.message() == "总计应等于前几列之和：应为 3（3+0+0+0+0+0），实为 4"
    assert h2.message("en") == "the total must equal the sum of the other cells: expected 3 (3+0+0+0+0+0), found 4"


def test_h3_total_is_sum_of_outcomes(site: ScratchSite, bundled: str) -> None:
    # Move the 信访 application out of 不予处理 without fixing (七)总计: H3 on 总计, per column.
    text = published(bundled).replace(
        "    complaints:             [1, 0, 0, 0, 0, 0, 1]", "    complaints:             [0, 0, 0, 0, 0, 0, 0]"
    )
    site.report(text)
    h3 = only(site.errors(), "H3")
    assert [d.field for d in h3] == ["applications.total[0]", "applications.total[6]"]
    assert h3[0].line == line_of(text, "  total:")
    assert h3[0].label == "三（七）总计 · 自然人"
    assert h3[0].message() == (
        "（七）总计应等于各项办理结果之和（予以公开、部分公开、不予公开、无法提供、不予处理、其他处理）："
        "应为 3（3+0+0+0+0+0），实为 4"
    )


def test_h1_column_identity(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  carried_forward:     [0, 0, 0, 0, 0, 0, 0]", "  carried_forward:     [1, 0, 0, 0, 0, 0, 1]"
    )
    site.report(text)
    h1 = only(site.errors(), "H1")
    assert [d.field for d in h1] == ["applications[0]", "applications[6]"]
    assert h1[0].line == line_of(text, "  total:")
    assert h1[0].label == "申请人情况 · 自然人"
    assert h1[0].message() == (
        "本列勾稽关系不成立（第一项加第二项之和，应等于第三项加第四项之和）："
        "一、新收 + 二、上年结转 = 4（4+0），而（七）总计 + 四、结转下年度 = 5（4+1）"
    )


def test_h4_appeals_total(site: ScratchSite, bundled: str) -> None:
    text = re.sub(r"(?m)^(  lawsuit: +)\[0, 0, 0, 0, 0\]", r"\1[1, 0, 0, 0, 0]", published(bundled))
    site.report(text)
    [h4] = only(site.errors(), "H4")
    assert h4.line == line_of(text, "  lawsuit:")
    assert h4.field == "appeals.lawsuit[4]"
    assert h4.label == "行政诉讼 · 未经复议直接起诉 · 总计"
    assert h4.message() == "总计应等于前几列之和：应为 1（1+0+0+0），实为 0"


def test_h5_negative_count(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("  licensing: 0", "  licensing: -3")
    site.report(text)
    [h5] = only(site.errors(), "H5")
    assert (h5.line, h5.field, h5.label) == (line_of(text, "  licensing:"), "proactive.licensing", "行政许可")
    assert h5.message() == "不能是负数，实为 -3（规则 H5：件数和金额为非负数）"


def test_h6_blank_cell_is_an_error_until_acknowledged(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  disclosed:           [3, 0, 0, 0, 0, 0, 3]", "  disclosed:           [3, 0, 0, 0, 0, 0, null]"
    )
    site.report(text)
    [h6] = site.errors()
    assert (h6.rule, h6.line, h6.field) == ("H6", line_of(text, "  disclosed:"), "applications.disclosed[6]")
    assert h6.message().startswith("单元格空白（null）")
    # Acknowledged in known_issues: a notice, and the sums that needed the cell are not guessed.
    acked = text.replace(
        "---\n\n## 一",
        "known_issues:\n  - {rule: H6, where: 'applications.disclosed[6]', note: 原文总计栏空白}\n---\n\n## 一",
    )
    site.report(acked)
    diags = site.validate()
    assert [(d.severity, d.rule, d.note) for d in diags] == [(Severity.NOTICE, "H6", "原文总计栏空白")]


def test_known_issue_acknowledges_a_whole_row(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  disclosed:           [3, 0, 0, 0, 0, 0, 3]", "  disclosed:           [3, 0, 0, 0, 0, 0, 5]"
    )
    text = text.replace(
        "---\n\n## 一",
        "known_issues:\n  - {rule: H2, where: applications.disclosed, note: 原文如此}\n"
        "  - {rule: H3, where: applications.total, note: 原文如此}\n---\n\n## 一",
    )
    site.report(text)
    diags = site.validate()
    # The row total and the grand total are acknowledged; what follows from them is still said.
    assert {(d.severity, d.rule) for d in diags} == {
        (Severity.NOTICE, "H2"),
        (Severity.NOTICE, "H3"),
        (Severity.WARNING, "S5"),
        (Severity.WARNING, "S7"),
    }


def test_unmatched_known_issue_is_an_error(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "---\n\n## 一", "known_issues:\n  - {rule: H2, where: applications.received, note: 原文如此}\n---\n\n## 一"
    )
    site.report(text)
    [k] = site.errors()
    assert (k.rule, k.line, k.field) == ("KNOWN", line_of(text, "  - {rule: H2"), "known_issues[0]")
    assert k.message() == "known_issues 说明了 H2 @ applications.received，但该处没有 H2 问题；请删除或更正这条说明"


def test_h7_missing_section(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("## 六、其他需要报告的事项", "## 其他事项")
    site.report(text)
    [h7] = site.errors()
    assert h7.rule == "H7"
    assert h7.message() == "缺少章节：正文应有二级标题“## 六、其他需要报告的事项”（规则 H7：六个部分不能遗漏）"


def test_h7_accepts_the_long_title_of_section_five_and_rejects_others(site: ScratchSite, bundled: str) -> None:
    site.report(
        published(bundled).replace("## 五、存在的主要问题及改进情况", "## 五、政府信息公开工作存在的主要问题及改进情况")
    )
    assert site.validate() == []
    text = published(bundled).replace("## 五、存在的主要问题及改进情况", "## 五、问题")
    site.report(text)
    [h7] = site.errors()
    assert (h7.rule, h7.line) == ("H7", line_of(text, "## 五、问题"))


def test_h7_order(site: ScratchSite, bundled: str) -> None:
    text = published(bundled)
    five = text.index("## 五、")
    six = text.index("## 六、")
    swapped = text[:five] + text[six:] + "\n" + text[five:six]
    site.report(swapped)
    assert [d.code for d in site.errors()] == ["section_order"]


def test_h8_title_year(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("title: 红旗区人民政府办公室2025年", "title: 红旗区人民政府办公室2024年")
    site.report(text)
    [h8] = site.errors()
    assert (h8.rule, h8.line) == ("H8", 2)
    assert h8.message() == "标题中的年度 2024 与报告年度 2025 不一致"


def test_h8_statistics_period(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("现将有关工作情况汇报如下：", "统计期限自2024年1月1日起至2024年12月31日止。")
    site.report(text)
    [h8] = site.errors()
    assert (h8.rule, h8.line) == ("H8", line_of(text, "统计期限自2024年"))


def test_s4_township_reporting_rules(site: ScratchSite, bundled: str) -> None:
    site.agency("demo-town", "name: 示例镇人民政府\nlevel: township\nregion: [河南省, 新乡市, 红旗区, 示例镇]\n")
    text = published(bundled).replace(
        "  rules:               {issued: 0, repealed: 0, in_force: 0}",
        "  rules:               {issued: 2, repealed: 0, in_force: 2}",
    )
    site.report(text.replace("红旗区人民政府办公室", "示例镇人民政府"), slug="demo-town")
    s4 = only(site.validate(), "S4")
    assert {d.severity for d in s4} == {Severity.WARNING}
    assert [d.field for d in s4] == ["proactive.rules.issued", "proactive.rules.in_force"]
    assert (
        s4[0].message()
        == "本机关层级（乡镇人民政府）不能制定规章，但此处为 2（规则 S4：只有国务院部门、省级和设区的市人民政府可以制定规章）"
    )


def test_s3_stock_below_made(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  normative_documents: {issued: 0, repealed: 0, in_force: 0}",
        "  normative_documents: {issued: 5, repealed: 0, in_force: 2}",
    )
    site.report(text)
    [s3] = only(site.validate(), "S3")
    assert (s3.severity, s3.field) == (Severity.WARNING, "proactive.normative_documents.in_force")
    assert s3.line == line_of(text, "  normative_documents:")
    assert s3.message() == "现行有效件数 2 小于本年制发件数 5（行政规范性文件 · 本年制发件数）"


def test_s5_narrative_against_tables(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("其中，予以公开 3 件", "其中，予以公开 2 件")
    site.report(text)
    [s5] = site.validate()
    assert (s5.rule, s5.severity, s5.line) == ("S5", Severity.WARNING, line_of(text, "予以公开 2 件"))
    assert s5.label == "三（一）予以公开 · 总计"
    assert s5.message() == "正文写“予以公开 2 件”（2 件），但表格中为 3 件"


def test_s5_phrasings_from_real_reports(site: ScratchSite, bundled: str) -> None:
    prose = (
        "（二）依申请公开。全年共收到政府信息公开申请5件，上年结转0件；本年度办结4件，其中予以公开3件，"
        "部分公开0件，不予公开0件，无法提供0件，不予处理1件，其他处理0件；结转下年度继续办理0件。"
        "全年因政府信息公开被申请行政复议1件、提起行政诉讼0件。行政复议均获维持。"
    )
    text = published(bundled).replace(
        "（二）依申请公开：2025 年办理依申请公开 4 件，其中，予以公开 3 件，不作为政府信息公开申请处理 1 件。", prose
    )
    site.report(text)
    got = sorted((d.field, d.params["said"], d.params["table"]) for d in only(site.validate(), "S5"))
    assert got == [("appeals.review[4]", 1, 0), ("applications.received[6]", 5, 4)]


def test_s5_none_phrases(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("现将有关工作情况汇报如下：", "全年未收到政府信息公开申请。")
    site.report(text)
    [s5] = only(site.validate(), "S5")
    assert (s5.field, s5.params["table"]) == ("applications.received[6]", 4)


def test_s6_old_format_and_stale_notice(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("现将有关工作情况汇报如下：", "根据国办公开办函〔2019〕60号要求编制。")
    site.report(text)
    [s6] = only(site.validate(), "S6")
    assert (s6.severity, s6.line, s6.code) == (Severity.WARNING, line_of(text, "〔2019〕60号"), "stale_notice")
    assert s6.message() == "正文引用了 国办公开办函〔2019〕60号，但表格是 2021 年格式（规则 S6：沿用了旧模板？）"


def test_s7_disclosed_exceeds_total(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  partially_disclosed: [0, 0, 0, 0, 0, 0, 0]", "  partially_disclosed: [2, 0, 0, 0, 0, 0, 2]"
    )
    site.report(text)
    s7 = only(site.validate(), "S7")
    assert [(d.severity, d.field, d.line) for d in s7] == [
        (Severity.WARNING, "applications.disclosed[0]", line_of(text, "  disclosed:")),
        (Severity.WARNING, "applications.disclosed[6]", line_of(text, "  disclosed:")),
    ]
    assert s7[0].message() == "予以公开与部分公开之和（5，3+2）超过了（七）总计 4，疑似错列"


def test_s1_and_s2_across_years(site: ScratchSite, bundled: str) -> None:
    prev = published(bundled, "2025-01-20").replace("2025年", "2024年").replace("2025 年", "2024 年")
    prev = prev.replace("  carried_forward:     [0, 0, 0, 0, 0, 0, 0]", "  carried_forward:     [1, 0, 0, 0, 0, 0, 1]")
    prev = prev.replace("  total:               [4, 0, 0, 0, 0, 0, 4]", "  total:               [3, 0, 0, 0, 0, 0, 3]")
    prev = prev.replace(
        "    complaints:             [1, 0, 0, 0, 0, 0, 1]", "    complaints:             [0, 0, 0, 0, 0, 0, 0]"
    )
    prev = prev.replace(
        "  normative_documents: {issued: 0, repealed: 0, in_force: 0}",
        "  normative_documents: {issued: 0, repealed: 0, in_force: 7}",
    )
    prev = prev.replace("办理依申请公开 4 件", "办理依申请公开 3 件").replace("，不作为政府信息公开申请处理 1 件", "")
    site.report(prev, year=2024)
    site.report(published(bundled))
    diags = site.validate()
    assert [d.rule for d in diags if d.severity is Severity.ERROR] == []
    s1 = only(diags, "S1")
    assert [(d.path, d.field) for d in s1] == [
        ("content/hongqi-zhengfu-bangongshi/2025.md", "applications.carried_over[0]"),
        ("content/hongqi-zhengfu-bangongshi/2025.md", "applications.carried_over[6]"),
    ]
    assert s1[0].message() == "上年结转 0 与 2024 年度报告的“结转下年度继续办理” 1 不一致"
    [s2] = only(diags, "S2")
    assert s2.message() == "现行有效件数 0 与上年（2024）的 7 + 本年增加 0 − 本年废止 0 = 7 不一致"


def test_a_roll_up_follows_on_from_a_roll_up_only(site: ScratchSite, bundled: str) -> None:
    """S1 and S2 compare a roll-up (the region's figures) with the roll-up of the year before, not with the
    agency's own report: beside that, its carry-over and stocks are of another scope."""
    prev = published(bundled, "2025-01-20").replace("2025年", "2024年").replace("2025 年", "2024 年")
    prev = prev.replace(
        "  normative_documents: {issued: 0, repealed: 0, in_force: 0}",
        "  normative_documents: {issued: 0, repealed: 0, in_force: 7}",
    )
    site.report(prev, year=2024)
    rollup = published(bundled).replace("\nformat: ", "\nrollup: true\nformat: ", 1)
    assert "rollup: true" in rollup
    site.report(rollup)
    assert [d.rule for d in site.validate() if d.rule in ("S1", "S2")] == []
    site.report(prev.replace("\nformat: ", "\nrollup: true\nformat: ", 1), year=2024)  # both roll-ups: compared
    assert [d.rule for d in site.validate() if d.rule in ("S1", "S2")] == ["S2"]


def test_timeliness(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled, "2026-02-10"))
    [t1] = site.validate()
    assert (t1.rule, t1.severity, t1.line) == ("T1", Severity.WARNING, 3)
    assert t1.message() == "发布日期 2026-02-10 晚于法定期限 2026-01-31（县级部门），逾期 10 天"
    site.report(published(bundled, "2025-12-30"))
    [t3] = site.errors()
    assert (t3.rule, t3.message()) == ("T3", "发布日期 2025-12-30 早于 2025 年度结束，不可能是该年度的年报")
    site.report(bundled)
    [t2] = site.validate()
    assert (t2.rule, t2.severity) == ("T2", Severity.WARNING)


def test_government_deadline_is_march(site: ScratchSite, bundled: str) -> None:
    site.agency("hongqi-zhengfu", "name: 红旗区人民政府\nlevel: county_government\nregion: [河南省, 新乡市, 红旗区]\n")
    site.report(
        published(bundled, "2026-03-31").replace("红旗区人民政府办公室", "红旗区人民政府"), slug="hongqi-zhengfu"
    )
    assert site.validate() == []


def test_impossible_date(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled, "2026-02-30"))
    [d] = site.errors()
    assert (d.rule, d.line, d.message()) == ("TYPE", 3, "日期 2026-02-30 不存在")


def test_path_decides_agency_and_year(site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("format: 2021", "format: 2021\nyear: 2024\nagency: other")
    site.report(text)
    assert sorted(d.code for d in site.errors()) == ["agency_mismatch", "year_mismatch"]


def test_require_review(site: ScratchSite, bundled: str) -> None:
    site.write("gongkai.yaml", "title: 测试门户\nrequire_review: true\n")
    text = published(bundled).replace(
        "---\n\n## 一", "review:\n  - {stage: 初审, by: 张三, date: 2026-01-10}\n---\n\n## 一"
    )
    site.report(text)
    [r] = site.errors()
    assert r.message() == "站点要求“先审查、后公开”（require_review），此报告缺少三审记录：复审、终审"
    site.report(text.replace("format: 2021", "format: 2021\nstatus: draft"))
    assert site.errors() == []


# ---------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=consistent_tables())
def test_random_consistent_reports_pass(site: ScratchSite, tables) -> None:
    site.report(render(tables))
    assert [(d.rule, d.field, d.message()) for d in site.validate() if d.severity is not Severity.NOTICE] == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=consistent_tables(), data=st.data())
def test_changing_any_cell_of_tables_three_or_four_is_caught(site: ScratchSite, tables, data) -> None:
    rows = []
    for key, value in tables["applications"].items():
        if isinstance(value, dict):
            rows += [(("applications", key, leaf), "    " + leaf + ":") for leaf in value]
        else:
            rows.append((("applications", key), "  " + key + ":"))
    rows += [(("appeals", key), "  " + key + ":") for key in tables["appeals"]]
    path, needle = data.draw(st.sampled_from(rows))
    node = tables
    for k in path:
        node = node[k]
    col = data.draw(st.integers(0, len(node) - 1))
    delta = data.draw(st.integers(-node[col], 5).filter(lambda d: d != 0))
    node[col] += delta
    text = render(tables)
    site.report(text)
    errors = site.errors()
    assert errors, "a changed cell went unnoticed"
    assert line_of(text, needle) in {d.line for d in errors if d.rule in ("H1", "H2", "H3", "H4")}


def test_every_cell_of_the_bundled_tables_three_and_four_is_guarded(site: ScratchSite, bundled: str) -> None:
    """Changing any one of the 190 numbers of tables 三 and 四 is an error at that number's line."""
    base = published(bundled)
    lines = base.splitlines()
    cells = []
    in_tables = False
    for i, line in enumerate(lines):
        if line.startswith(("applications:", "appeals:")):
            in_tables = True
        elif line and not line.startswith(" "):
            in_tables = False
        m = re.match(r"^(\s+\w+:\s+)\[([^\]]*)\]", line)
        if in_tables and m:
            values = [int(v) for v in m.group(2).split(",")]
            cells += [(i, c, values) for c in range(len(values))]
    assert len(cells) == 175 + 15
    for i, c, values in cells:
        changed = list(values)
        changed[c] += 1
        mutated = list(lines)
        mutated[i] = re.sub(r"\[[^\]]*\]", "[" + ", ".join(map(str, changed)) + "]", lines[i], count=1)
        site.report("\n".join(mutated) + "\n")
        errors = site.errors()
        assert i + 1 in {d.line for d in errors}, (lines[i], c)
        assert all(d.rule in ("H1", "H2", "H3", "H4") for d in errors)


def test_old_format_in_a_new_year(site: ScratchSite, bundled: str) -> None:
    site.report(published(bundled, "2023-01-20").replace("2025年", "2022年").replace("2025 年", "2022 年"), year=2022)
    text = (site.root / "content/hongqi-zhengfu-bangongshi/2022.md").read_text("utf-8")
    site.report(text.replace("format: 2021", "format: 2019"), year=2022)
    codes = {(d.rule, d.code) for d in site.validate()}
    assert ("S6", "old_format") in codes  # and the 2021-shaped tables no longer fit the 2019 schema:
    assert ("KEY", "unknown_key") in codes or ("KEY", "unknown_key_guess") in codes


def test_generated_corpus_both_formats_has_no_errors(tmp_path) -> None:
    """Reports of 2019–2025 from `gongkai demo` (consistent by construction): late ones warned, blanks acknowledged."""
    from generator import content, validate

    from .conftest import make_corpus

    out = make_corpus(tmp_path / "corpus", 300, seed=7, drafts=0.05, blanks=0.05)
    result = validate.validate_site(content.load_site(out))
    assert [d for d in result.diagnostics if d.severity is Severity.ERROR] == []
    # Late publication is drawn for about 10% of reports: timeliness warnings, nothing else.
    assert {d.rule for d in result.diagnostics if d.severity is Severity.WARNING} == {"T1"}
    assert {(d.rule, d.note) for d in result.diagnostics if d.severity is Severity.NOTICE} == {("H6", "原文空白")}
    assert result.warnings > 0


def test_report_year_before_since_after_this_year_and_empty_body_are_warned(site, bundled) -> None:
    import datetime as dt

    text = BUNDLED_AGENCY.read_text("utf-8")
    site.agency(text=re.sub(r"(?m)^since: .*\n", "", text) + "since: 2024\n")
    site.report(bundled.replace("2025年", "2023年").replace("2025 年", "2023 年"), year=2023)
    future = dt.date.today().year + 1
    site.report(bundled.replace("2025年", f"{future}年"), year=future)
    empty = (
        bundled.split("\n---\n", 1)[0]
        + "\n---\n\n## 一、总体情况\n\n## 五、存在的主要问题及改进情况\n\n## 六、其他需要报告的事项\n"
    )
    site.report(empty, year=2025)
    found = {(d.path.split("/")[-1], d.rule, d.code, d.severity) for d in site.validate()}
    assert ("2023.md", "PATH", "year_before_since", Severity.WARNING) in found
    assert (f"{future}.md", "PATH", "year_in_future", Severity.WARNING) in found
    assert ("2025.md", "BODY", "empty_body", Severity.WARNING) in found
    assert not any(code in ("year_before_since", "year_in_future") for p, _, code, _ in found if p == "2025.md")


def test_a_change_of_since_is_seen_though_the_report_is_judged_from_the_cache(site, bundled) -> None:
    """The cache keeps a report's own findings; since-dependent warnings are judged afresh each time."""
    from generator import content, validate
    from generator.cache import Cache

    text = BUNDLED_AGENCY.read_text("utf-8")
    site.agency(text=re.sub(r"(?m)^since: .*\n", "", text) + "since: 2025\n")
    site.report(bundled.replace("2025年", "2024年").replace("2025 年", "2024 年"), year=2024)
    cache = Cache()

    def codes() -> set[str]:
        return {d.code for d in validate.validate_site(content.load_site(site.root, cache), cache).diagnostics}

    assert "year_before_since" in codes()
    site.agency(text=re.sub(r"(?m)^since: .*\n", "", text) + "since: 2019\n")
    assert "year_before_since" not in codes()
    assert cache.judged  # the report's findings did come from the cache
