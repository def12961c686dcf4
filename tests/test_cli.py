"""The ``gongkai`` command: exact output lines and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli

from .conftest import REPO, ScratchSite, line_of, published


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def in_site(site: ScratchSite, monkeypatch: pytest.MonkeyPatch) -> ScratchSite:
    monkeypatch.chdir(site.root)
    return site


def test_bundled_content_passes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert out.splitlines()[-1] == "检查了 3 个文件：0 个错误，1 个警告，0 条已说明的原文问题"


def test_one_changed_number_fails_with_file_line_and_rule(capsys, in_site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace(
        "  total:               [4, 0, 0, 0, 0, 0, 4]", "  total:               [4, 0, 0, 0, 0, 0, 5]"
    )
    in_site.report(text)
    code, out, _ = run(capsys, "check")
    assert code == 1
    line = line_of(text, "  total:")
    first = out.splitlines()[0]
    assert first.startswith(f"content/hongqi-zhengfu-bangongshi/2025.md:{line}:")
    assert " 错误 H1 applications[6] 申请人情况 · 总计：" in first
    assert "检查了 3 个文件：" in out.splitlines()[-1]


def test_source_line_is_shown_under_the_message(capsys, in_site: ScratchSite, bundled: str) -> None:
    in_site.report(published(bundled).replace("  penalties: 0", "  penalties: -1"))
    code, out, _ = run(capsys, "check")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith("错误 H5 proactive.penalties 行政处罚：不能是负数，实为 -1（规则 H5：件数和金额为非负数）")
    assert lines[1].startswith("      penalties: -1")


def test_json_format(capsys, in_site: ScratchSite, bundled: str) -> None:
    in_site.report(published(bundled).replace("  penalties: 0", "  penalties: -1"))
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 1
    [d] = json.loads(out)
    assert d["rule"] == "H5" and d["severity"] == "error" and d["field"] == "proactive.penalties"
    assert d["path"] == "content/hongqi-zhengfu-bangongshi/2025.md" and d["label"] == "行政处罚"


def test_github_format(capsys, in_site: ScratchSite, bundled: str) -> None:
    text = published(bundled).replace("  penalties: 0", "  penalties: -1")
    in_site.report(text)
    code, out, err = run(capsys, "check", "--format", "github")
    assert code == 1
    line = line_of(text, "  penalties:")
    assert out.splitlines() == [
        f"::error file=content/hongqi-zhengfu-bangongshi/2025.md,line={line},col=14,title=H5 proactive.penalties"
        "::行政处罚：不能是负数，实为 -1（规则 H5：件数和金额为非负数）"
    ]
    assert "检查了" in err


def test_english_messages(capsys, in_site: ScratchSite, bundled: str) -> None:
    in_site.report(published(bundled).replace("  penalties: 0", "  penalties: -1"))
    code, out, _ = run(capsys, "check", "--lang", "en")
    assert code == 1
    assert out.splitlines()[0].endswith(
        "error H5 proactive.penalties 行政处罚：must not be negative, found -1 (rule H5)"
    )
    assert out.splitlines()[-1] == "checked 3 files: 1 errors, 0 warnings, 0 acknowledged"


def test_warnings_pass_unless_strict(capsys, in_site: ScratchSite, bundled: str) -> None:
    in_site.report(bundled)  # no published date: a warning
    assert run(capsys, "check")[0] == 0
    assert run(capsys, "check", "--strict")[0] == 1


def test_check_given_files_reports_only_them(capsys, in_site: ScratchSite, bundled: str) -> None:
    in_site.report(published(bundled).replace("  penalties: 0", "  penalties: -1"))
    in_site.report(published(bundled, "2025-01-20").replace("2025年", "2024年"), year=2024)
    code, out, _ = run(capsys, "check", "content/hongqi-zhengfu-bangongshi/2024.md")
    assert out.splitlines()[-1] == "检查了 1 个文件：0 个错误，0 个警告，0 条已说明的原文问题"
    assert code == 0


def test_outside_a_site_is_a_usage_error(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check")
    assert code == 2
    assert "找不到 gongkai.yaml" in err


def test_missing_path_is_a_usage_error(capsys, in_site: ScratchSite) -> None:
    code, _, err = run(capsys, "check", "nope.md")
    assert (code, err.strip()) == (2, "gongkai: nope.md 不存在")


def test_new_creates_files_that_pass_check(capsys, in_site: ScratchSite) -> None:
    code, out, _ = run(
        capsys,
        "new",
        "demo-town",
        "2025",
        "--name",
        "示例镇人民政府",
        "--level",
        "township",
        "--region",
        "河南省/新乡市/红旗区/示例镇",
    )
    assert code == 0
    assert out.splitlines() == ["已创建 content/demo-town/_agency.yaml", "已创建 content/demo-town/2025.md"]
    agency = (in_site.root / "content/demo-town/_agency.yaml").read_text("utf-8")
    assert "region: [河南省, 新乡市, 红旗区, 示例镇]" in agency
    report = (in_site.root / "content/demo-town/2025.md").read_text("utf-8")
    assert "  received:            [0, 0, 0, 0, 0, 0, 0]  # 一、本年新收政府信息公开申请数量" in report
    assert "    complaints:             [0, 0, 0, 0, 0, 0, 0]  # 1.信访举报投诉类申请" in report
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert "0 个错误" in out.splitlines()[-1]


def test_new_2019_format_for_older_years(capsys, in_site: ScratchSite) -> None:
    run(capsys, "new", "demo-town", "2020", "--name", "示例镇人民政府", "--level", "township", "--region", "河南省")
    report = (in_site.root / "content/demo-town/2020.md").read_text("utf-8")
    assert "format: 2019" in report and "procurement:" in report
    assert run(capsys, "check")[0] == 0


def test_new_never_overwrites(capsys, in_site: ScratchSite, bundled: str) -> None:
    path = in_site.report(bundled)
    code, _, err = run(capsys, "new", "hongqi-zhengfu-bangongshi", "2025")
    assert code == 2
    assert "已存在，不会覆盖" in err
    assert path.read_text("utf-8") == bundled


def test_new_agency_needs_name_level_region(capsys, in_site: ScratchSite) -> None:
    code, _, err = run(capsys, "new", "demo-town", "2025", "--name", "示例镇人民政府")
    assert code == 2
    assert "新机关 demo-town 需要 --level、--region" in err
    assert not (in_site.root / "content/demo-town").exists()


def test_schema_out(capsys, tmp_path: Path) -> None:
    code, _, _ = run(capsys, "schema", "--out", str(tmp_path / "s"))
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == ["agency.schema.json", "report-2019.schema.json", "report-2021.schema.json", "site.schema.json"]
    assert (
        json.loads((tmp_path / "s/report-2021.schema.json").read_text("utf-8"))["properties"]["applications"]["title"]
        == "三、收到和处理政府信息公开申请情况"
    )


def test_python_dash_m(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "check", str(REPO)], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "0 个错误" in proc.stdout


def test_usage_error_from_argparse(capsys) -> None:
    with pytest.raises(SystemExit) as e:
        cli.main(["check", "--format", "xml"])
    assert e.value.code == 2


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    blocks = [b.split("```")[0].strip() for b in readme.split("```bash\n")[1:]]
    test_command = next(b for b in blocks if "pytest" in b)
    ci = (REPO / ".ci/run").read_text("utf-8").splitlines()
    assert ci[-1] == test_command
