"""The editor's kit: the pre-commit hook rejects a broken report; CI templates and settings parse."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import REPO, published


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "编辑",
            "GIT_AUTHOR_EMAIL": "e@example.gov.cn",
            "GIT_COMMITTER_NAME": "编辑",
            "GIT_COMMITTER_EMAIL": "e@example.gov.cn",
        },
    )


def test_pre_commit_hook_rejects_a_broken_report(tmp_path: Path, bundled: str) -> None:
    office = tmp_path / "office"
    office.mkdir()
    (office / "gongkai.yaml").write_text("title: 某区年报\n", encoding="utf-8")
    shutil.copytree(REPO / "content", office / "content")
    git(office, "init", "-q")
    git(office, "add", ".")
    git(office, "commit", "-qm", "年报")
    report = office / "content/hongqi-zhengfu-bangongshi/2025.md"
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def hook() -> subprocess.CompletedProcess[str]:
        git(office, "add", ".")
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pre_commit",
                "try-repo",
                str(REPO),
                "gongkai-check",
                "--files",
                "content/hongqi-zhengfu-bangongshi/2025.md",
            ],
            cwd=office,
            capture_output=True,
            text=True,
            env=env,
        )

    report.write_text(published(bundled).replace("  penalties: 0", "  penalties: -1"), encoding="utf-8")
    broken = hook()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "content/hongqi-zhengfu-bangongshi/2025.md:" in broken.stdout
    assert "错误 H5 proactive.penalties" in broken.stdout
    report.write_text(published(bundled), encoding="utf-8")
    fixed = hook()
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_hook_definition() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "gongkai-check" and hook["entry"] == "gongkai check" and hook["language"] == "python"


def test_ci_templates_and_editor_settings_parse() -> None:
    gh = yaml.safe_load((REPO / "generator/site_template/ci/github-actions.yml").read_text("utf-8"))
    steps = [s.get("run", "") for s in gh["jobs"]["check"]["steps"]]
    assert "gongkai check --format github" in steps
    gl = yaml.safe_load((REPO / "generator/site_template/ci/gitlab-ci.yml").read_text("utf-8"))
    assert gl["check"]["script"][-1].startswith("gongkai check")
    assert "gongkai build" in " ".join(gl["build"]["script"])
    settings = json.loads((REPO / ".vscode/settings.json").read_text("utf-8"))
    for schema in settings["yaml.schemas"]:
        assert (REPO / schema).is_file()
    assert (REPO / "docs/编辑指南.md").is_file()
