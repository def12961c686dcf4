"""The bundled site, built, file by file against reviewed output (tests/golden/bundled-site/).

A change that alters any page shows here as a diff to review. When the change is meant, run
``python -m pytest tests/test_golden.py --update-golden``, read ``git diff tests/golden`` by eye, commit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import build as builder

from .conftest import REPO

GOLDEN = REPO / "tests/golden/bundled-site"


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != builder.MARKER
    }


def test_bundled_site_matches_the_reviewed_output(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(REPO / "gongkai.yaml", source / "gongkai.yaml")
    shutil.copytree(REPO / "content", source / "content")
    builder.build(source, source / "site", search=False)
    built = files(source / "site")
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    golden = files(GOLDEN)
    assert sorted(built) == sorted(golden), "files added or missing"
    changed = [rel for rel in built if built[rel] != golden[rel]]
    assert changed == [], "changed: " + ", ".join(changed) + " (see the module docstring)"
