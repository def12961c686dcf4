"""The ``gongkai`` command: exact output lines and exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import arguments, cli

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
    assert (
        out.splitlines()[-1] == "检查了 1 份报告，1 个机关文件，1 个站点配置：0 个错误，1 个警告，0 条已说明的原文问题"
    )


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
    assert "检查了 1 份报告，1 个机关文件，1 个站点配置：" in out.splitlines()[-1]


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
    assert (
        out.splitlines()[-1]
        == "checked 1 report, 1 agency file, 1 site configuration: 1 error, 0 warnings, 0 acknowledged"
    )


def test_warnings_pass_unless_strict(capsys, in_site: ScratchSite, bundled: str) -> None:
    in_site.report(bundled)  # no published date: a warning
    assert run(capsys, "check")[0] == 0
    assert run(capsys, "check", "--strict")[0] == 1


def test_check_given_files_reports_only_them(capsys, in_site: ScratchSite, bundled: str) -> None:
    in_site.report(published(bundled).replace("  penalties: 0", "  penalties: -1"))
    in_site.report(published(bundled, "2025-01-20").replace("2025年", "2024年"), year=2024)
    code, out, _ = run(capsys, "check", "content/hongqi-zhengfu-bangongshi/2024.md")
    # The one warning is the 2024 report's own: the bundled agency reports since 2025 (PATH year_before_since).
    assert "PATH" in out.splitlines()[0] and "2024.md" in out.splitlines()[0]
    assert out.splitlines()[-1] == "检查了 1 份报告：0 个错误，1 个警告，0 条已说明的原文问题"
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


def readme_command(marker: str) -> str:
    """The one-line command in the bash block after ``<!-- gongkai:<marker> -->`` in the README."""
    readme = (REPO / "README.md").read_text("utf-8")
    block = readme.split(f"<!-- gongkai:{marker} -->\n```bash\n", 1)[1].split("\n```", 1)[0]
    assert "\n" not in block
    return block


def test_ci_runs_exactly_the_readme_test_command(tmp_path: Path) -> None:
    """.ci/run takes the command out of the README itself; here its extraction is run and compared."""
    ci = (REPO / ".ci/run").read_text("utf-8")
    awk = next(line for line in ci.splitlines() if line.startswith("command="))
    script = f'repo={REPO}\n{awk}\nprintf %s "$command"'
    found = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout
    assert found == readme_command("test-command")
    assert found.endswith(".venv/bin/python -m pytest") and "python3 -m venv .venv" in found
    assert 'git clone --quiet "$repo" "$work/gongkai"' in ci and 'bash -c "$command"' in ci


def test_readme_main_command_makes_a_venv_and_serves_the_demo() -> None:
    main = readme_command("main-command")
    assert "python3 -m venv .venv" in main and "pip install" in main and "python3 -m pip" not in main
    assert main.endswith(".venv/bin/gongkai serve examples/demo --open")


def test_nothing_points_outside_the_repository() -> None:
    """A clone is the whole product: no file reads or links to a folder beside the repository."""
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    offenders = []
    for rel in tracked.splitlines():
        path = REPO / rel
        if path.suffix in {".docx", ".png", ".pdf"} or not path.is_file():
            continue
        text = path.read_text("utf-8", errors="replace")
        if "../" + "shared" in text or 'parent / "' + "shared" in text:
            offenders.append(rel)
    assert offenders == []


def test_init_makes_a_site_a_clerk_can_build_at_once(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import build

    code, _, _ = run(capsys, "init", str(tmp_path / "x"), "--region", "河南省/新乡市/红旗区")
    assert code == 0
    site = tmp_path / "x"
    config = yaml.safe_load((site / "gongkai.yaml").read_text("utf-8"))
    assert config == {"title": "红旗区政府信息公开工作年度报告", "region": "河南省新乡市红旗区"}
    assert (site / "content").is_dir()
    assert (site / ".gitignore").read_text("utf-8").split("\n")[1:4] == ["/site/", ".gongkai-cache/", ".venv/"]
    settings = json.loads((site / ".vscode/settings.json").read_text("utf-8"))
    assert all((site / schema).is_file() for schema in settings["yaml.schemas"])
    hook = yaml.safe_load((site / ".pre-commit-config.yaml").read_text("utf-8"))
    assert hook["repos"][0]["hooks"][0]["entry"] == "gongkai check"
    assert "gongkai check --format github" in (site / ".github/workflows/gongkai.yml").read_text("utf-8")
    monkeypatch.chdir(site)
    code, _, _ = run(
        capsys,
        "new",
        "hongqi-caizhengju",
        "2025",
        "--name",
        "红旗区财政局",
        "--level",
        "县级部门",
        "--region",
        "河南省/新乡市/红旗区",
    )
    assert code == 0
    assert "level: county_department" in (site / "content/hongqi-caizhengju/_agency.yaml").read_text("utf-8")
    result = build.build(site, search=False)
    assert result.reports == 1 and (site / "site/agencies/hongqi-caizhengju/2025/index.html").is_file()


def test_init_comments_every_setting_and_each_is_valid_when_uncommented(capsys, tmp_path: Path) -> None:
    from generator import schemas

    run(capsys, "init", str(tmp_path / "x"))
    text = (tmp_path / "x/gongkai.yaml").read_text("utf-8")
    uncommented = "\n".join(line[2:] if line.startswith("# ") and ": " in line else line for line in text.splitlines())
    config = yaml.safe_load(uncommented)
    assert set(config) == set(schemas.load_schema("site")["properties"])  # every setting is there
    assert schemas.violations("site", config) == []


def test_init_never_overwrites(capsys, tmp_path: Path) -> None:
    site = tmp_path / "x"
    site.mkdir()
    (site / "gongkai.yaml").write_text("title: 我的门户\n", encoding="utf-8")
    code, out, _ = run(capsys, "init", str(site))
    assert code == 0
    assert f"已存在，保留原样：{site / 'gongkai.yaml'}" in out.splitlines()
    assert (site / "gongkai.yaml").read_text("utf-8") == "title: 我的门户\n"


def test_new_outside_a_site_says_to_run_init(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", "x", "2025")
    assert code == 2 and "新建站点请先运行 gongkai init" in err


def test_level_takes_chinese_names_and_help_lists_them(capsys) -> None:
    assert arguments.level("街道办事处") == "subdistrict" and arguments.level("township") == "township"
    with pytest.raises(SystemExit):
        cli.main(["new", "--help"])
    assert "county_department（县级部门）" in capsys.readouterr().out.replace("\n", "").replace(" ", "")


def test_failed_build_writes_nothing_names_the_check_command_and_shows_the_line(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: str
) -> None:
    site = ScratchSite(tmp_path / "s")
    site.write("gongkai.yaml", "title: 测试门户\n")
    site.report(bundled.replace("  licensing: 0", "  licensing: -3"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "build", "s")
    assert code == 1
    assert out.splitlines()[1].strip().startswith("licensing: -3")  # the source line, as check shows it
    assert err.strip() == "构建失败：1 个错误，未写入任何文件。运行 gongkai check s 查看全部问题"
    assert sorted(p.name for p in site.root.iterdir()) == ["content", "gongkai.yaml"]  # no site/, no cache
    code, _, err = run(capsys, "build", "s", "--lang", "en")
    assert err.strip() == "build failed: 1 error, nothing was written. Run gongkai check s to see every problem"


def test_build_summary_in_english(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: str) -> None:
    site = ScratchSite(tmp_path / "s")
    site.write("gongkai.yaml", "title: 测试门户\n")
    site.report(bundled)
    monkeypatch.chdir(site.root)
    code, out, _ = run(capsys, "build", "--no-search", "--lang", "en")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "1 warning as well (run gongkai check to see it)"
    assert lines[1].startswith("built: 1 report, 1 agency, 1 year in ") and lines[1].endswith(" s (output: site)")
    code, out, _ = run(capsys, "build", "--no-search", "--lang", "en")
    assert out.splitlines()[-1].startswith("nothing changed: 1 report, 1 agency, 1 year, ")


def test_every_message_code_is_in_both_catalogues() -> None:
    """Each code the code says (say, error_text, an error's code) has its Chinese and English wording."""
    import re

    catalogues = {
        kind: {
            lang: yaml.safe_load((REPO / f"generator/locales/{kind}.{lang}.yaml").read_text("utf-8"))
            for lang in ("zh-CN", "en")
        }
        for kind in ("cli", "errors")
    }
    for kind, by_lang in catalogues.items():
        plain = {k for k in by_lang["en"] if not k.endswith("_one")}
        assert set(by_lang["zh-CN"]) == plain, kind
    source = "\n".join(p.read_text("utf-8") for p in (REPO / "generator").rglob("*.py"))
    used = set(re.findall(r'\b(?:UsageError|UnreadableOriginal|error_text)\(\s*"(\w+)"[,)]', source))
    used |= {c for c in re.findall(r'\("(\w+)", \{', source) if c.startswith(("why_", "format_", "import_"))}
    said = set(re.findall(r'\bsay\(\s*"(\w+)"[,)]', source))
    assert used and said
    assert used - set(catalogues["errors"]["zh-CN"]) - set(catalogues["cli"]["zh-CN"]) == set()
    assert said - set(catalogues["cli"]["zh-CN"]) == set()


def test_import_says_everything_in_english_with_lang_en(capsys, tmp_path: Path) -> None:
    samples = REPO / "tests/fixtures/samples"
    code, _, err = run(
        capsys, "import", str(samples / "2021_yueyang-xinfangju.txt"), "--content", str(tmp_path), "--lang", "en"
    )
    assert code == 1
    first, second = err.splitlines()[:2]
    assert first.startswith("gongkai: ") and "the original's tables are incomplete (table" in first
    assert second.startswith("  First gap: ")
    assert (
        not re.search(r"[，。：；（）]", err.replace("（", "").replace("）", ""))
        or "原文" not in err.split("First gap")[0]
    )
    code, out, _ = run(capsys, "import", str(samples / "hongqi-2025.txt"), "--content", str(tmp_path), "--lang", "en")
    assert code == 0
    assert "(a new agency)" in out and "format: table 二's headers are the 2021 format's" in out
    assert out.splitlines()[-1] == "gongkai check: 0 errors, 1 warning, 0 acknowledged"
    code, _, err = run(capsys, "import", str(tmp_path / "nope.txt"), "--content", str(tmp_path), "--lang", "en")
    assert (code, err.strip()) == (2, f"gongkai: {tmp_path / 'nope.txt'} does not exist")


def test_usage_errors_init_and_new_in_english(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", "x", "2025", "--lang", "en")
    assert code == 2 and err.startswith("gongkai: no gongkai.yaml: ") and err.strip().endswith("run gongkai init")
    code, out, _ = run(capsys, "init", "s", "--lang", "en")
    assert (
        code == 0
        and out.splitlines()[0] == "created s/gongkai.yaml"
        and out.splitlines()[-1].startswith("next: cd s && ")
    )
    code, _, err = run(capsys, "demo", "10", "d", "--late", "3", "--lang", "en")
    assert (code, err.strip()) == (2, "gongkai: --late 3.0: a share is between 0 and 1")
    assert not (tmp_path / "d").exists()


def test_build_timings_and_quiet(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: str) -> None:
    site = ScratchSite(tmp_path / "s")
    site.write("gongkai.yaml", "title: 测试门户\n")
    site.report(bundled)
    monkeypatch.chdir(site.root)
    code, out, _ = run(capsys, "build", "--no-search", "--timings", "--lang", "en")
    steps = [line.split(":")[0].strip() for line in out.splitlines() if line.startswith("  ")]
    assert code == 0 and steps == [
        "checking for changes",
        "reading the cache",
        "reading files",
        "validating",
        "modelling",
        "rendering pages",
        "open data and static files",
        "swapping the output in",
        "saving the cache",
    ]
    site.report(bundled.replace("在依申请公开工作中", "本年度在依申请公开工作中"))
    code, out, _ = run(capsys, "build", "--no-search", "--quiet")
    assert code == 0 and out.splitlines() == ["另有 1 个警告（运行 gongkai check 查看）"]  # the problems only


def test_a_progress_bar_in_a_terminal_and_nothing_in_a_pipe(tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import termios

    from .conftest import make_corpus

    source = make_corpus(tmp_path / "src", 30, seed=2)
    env = {**os.environ, "PYTHONPATH": str(REPO), "GONGKAI_PROGRESS_DELAY": "0"}
    cmd = [sys.executable, "-m", "generator", "build", str(source), "--no-search"]
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=slave, env=env, timeout=120)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.returncode == 0
    assert "生成页面: 100%|" in shown.decode("utf-8", "replace")  # the pages step, counted to its end
    shutil.rmtree(source / "site")
    piped = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert piped.returncode == 0 and "%|" not in piped.stderr and "%|" not in piped.stdout
