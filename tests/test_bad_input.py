"""The bad-input corpus (tests/bad_input/): each case, written into a copy of the bundled site, gives
exactly the diagnostics its file names, the exit code it names, and — where it is an error — a build
that writes nothing. One file a case; the format of a case is in tests/bad_input/README.md."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cli

from .conftest import REPO

CASES = sorted((Path(__file__).parent / "bad_input").glob("*.yaml"))
DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: (错误|警告) ")


def load_case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(case, dict) and {"case", "edits", "exit", "expect"} <= set(case), path.name
    return case


def bundled_copy(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "gongkai.yaml", root / "gongkai.yaml")
    return root


def apply(root: Path, edits: list[dict[str, Any]]) -> None:
    """Each edit changes one file of the site: replace, append, copy, text, bytes, repeat, symlink or delete."""
    for edit in edits:
        path = root / edit["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        if "replace" in edit:
            old, new = edit["replace"]
            text = path.read_text("utf-8")
            assert old in text, f"{edit['file']}: {old!r} not found"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        elif "append" in edit:
            path.write_text(path.read_text("utf-8") + edit["append"], encoding="utf-8")
        elif "copy" in edit:
            shutil.copy(root / edit["copy"], path)
        elif "text" in edit:
            path.write_text(edit["text"], encoding="utf-8")
        elif "bytes" in edit:
            path.write_bytes(bytes.fromhex(edit["bytes"]))
        elif "repeat" in edit:
            path.write_text(edit.get("head", "") + edit["repeat"] * edit["times"], encoding="utf-8")
        elif "symlink" in edit:
            path.symlink_to(edit["symlink"])
        elif edit.get("delete"):
            path.unlink()
        else:
            raise AssertionError(f"unknown edit {edit}")


def check_lines(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, list[str]]:
    """``gongkai check`` run in ``root``: its exit code and its diagnostic lines."""
    monkeypatch.chdir(root)
    code = cli.main(["check"])
    out = capsys.readouterr().out
    return code, [line for line in out.splitlines() if DIAGNOSTIC.match(line)]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What the bundled site says before any case is written into it (its own warnings)."""
    root = bundled_copy(tmp_path_factory.mktemp("baseline") / "site")
    mp = pytest.MonkeyPatch()
    try:
        mp.chdir(root)
        import io
        from contextlib import redirect_stdout

        buf = io.StringIO()
        with redirect_stdout(buf):
            assert cli.main(["check"]) == 0
        return {line for line in buf.getvalue().splitlines() if DIAGNOSTIC.match(line)}
    finally:
        mp.undo()


def test_the_corpus_has_its_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_input(
    path: Path,
    tmp_path: Path,
    baseline: set[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = load_case(path)
    root = bundled_copy(tmp_path / "site")
    apply(root, case["edits"])
    code, lines = check_lines(root, capsys, monkeypatch)
    assert [line for line in lines if line not in baseline] == case["expect"].strip().splitlines()
    assert code == case["exit"]
    built = cli.main(["build", "--quiet"])
    capsys.readouterr()
    assert built == case["exit"]
    assert (root / "site").is_dir() == (case["exit"] == 0)  # an error: nothing written at all
