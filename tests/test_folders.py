"""The output folder under stress: builds killed at random moments, two builds at once, stale folders."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import build as builder
from generator import folders
from generator.cache import Cache
from generator.errors import UsageError

from .conftest import REPO, make_corpus

KILLS = 50


def tree_bytes(out: Path) -> dict[str, bytes]:
    """Every file of a site (the marker aside: it names the source folder) with its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != builder.MARKER
    }


def _use(version: Path, source: Path) -> None:
    """Make ``source/content`` the content of ``version`` (every file rewritten, as a checkout does)."""
    shutil.rmtree(source / "content", ignore_errors=True)
    shutil.copytree(version, source / "content")


def _versions(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A site source and two versions of its content: B edits every report of A and drops one."""
    source = make_corpus(tmp_path / "src", 40, seed=3, district=True)
    a, b = tmp_path / "content-a", tmp_path / "content-b"
    shutil.copytree(source / "content", a)
    shutil.copytree(source / "content", b)
    reports = sorted(b.glob("*/*.md"))
    for report in reports[1:]:
        report.write_text(report.read_text("utf-8") + "\n补充说明：第二版。\n", encoding="utf-8")
    reports[0].unlink()
    return source, a, b


def _build_command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", str(source), "--out", str(out), "--quiet"]


def test_killed_builds_leave_the_old_site_or_the_new(tmp_path: Path) -> None:
    """SIGKILL at random moments of builds that do real work (the content alternating between two
    versions, search included): after each kill the site is exactly the last finished build or the
    new one, never missing or mixed; the build after the last kill equals a clean build."""
    source, a, b = _versions(tmp_path)
    out = tmp_path / "site"
    expected: dict[str, dict[str, bytes]] = {}
    for name, version in (("a", a), ("b", b)):
        _use(version, source)
        clean = tmp_path / f"clean-{name}"
        builder.build(source, clean, cache=Cache())
        expected[name] = tree_bytes(clean)
    assert expected["a"] != expected["b"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    _use(a, source)
    subprocess.run(_build_command(source, out), check=True, env=env, cwd=tmp_path)
    _use(b, source)
    started = time.perf_counter()  # how long a build of the other version takes here: the kills fall within it
    subprocess.run(_build_command(source, out), check=True, env=env, cwd=tmp_path)
    duration = time.perf_counter() - started
    standing, rng, finished = "b", random.Random(20261202), 0
    for kill in range(KILLS):
        wanted = "b" if standing == "a" else "a"
        _use(b if wanted == "b" else a, source)
        process = subprocess.Popen(_build_command(source, out), env=env, cwd=tmp_path)
        if kill == 1:  # one build let finish, so that the run surely has kills on both sides of the swap
            process.wait(timeout=120)
        else:  # the first kill falls at once (before the interpreter has even started), the rest at random
            time.sleep(0.01 if kill == 0 else rng.uniform(0.05, duration * 1.3))
        process.send_signal(signal.SIGKILL)
        process.wait()
        site = tree_bytes(out)
        now = next((name for name, files in expected.items() if files == site), None)
        assert now in (standing, wanted), (
            f"kill {kill}: site/ is neither the old build nor the new one: {len(site)} files, "
            f"{sorted(set(site) ^ set(expected[wanted]))[:5]} differ in name"
        )
        finished += now == wanted
        standing = now
    assert 0 < finished < KILLS, f"{finished} of {KILLS} kills fell after the swap (a build took ~{duration:.2f} s)"
    subprocess.run(_build_command(source, out), check=True, env=env, cwd=tmp_path)
    assert tree_bytes(out) == expected[wanted]  # the content last put in place
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # nothing left beside it


def test_a_second_build_waits_for_the_first_then_stops_with_a_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "site"
    told: list[int | None] = []
    with folders.locked(out, wait=1):
        started = time.perf_counter()
        with pytest.raises(UsageError) as caught:
            builder.build(REPO, out, search=False, wait=0.3, waiting=told.append)
        assert 0.3 <= time.perf_counter() - started < 5
    assert told == [os.getpid()]  # told once, with the holder's process id
    assert caught.value.code == "build_locked"
    assert str(caught.value) == (
        f"另一个 gongkai build（进程 {os.getpid()}）正在写入 {out}，等了 0.3 秒仍未结束："
        "请等它完成后再构建（或用 --wait 等更久）；网站保持不变"
    )
    assert not out.exists() and not (tmp_path / ".site.lock").exists()


def test_two_builds_at_once_both_succeed_one_after_the_other(tmp_path: Path) -> None:
    out = tmp_path / "site"
    results: list[object] = []

    def run() -> None:
        try:
            results.append(builder.build(REPO, out, search=False, cache=Cache()))
        except Exception as e:  # the test reports it
            results.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, builder.BuildResult) for r in results), results
    assert (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_what_killed_builds_left_beside_the_site_is_cleared(tmp_path: Path) -> None:
    out = tmp_path / "site"
    builder.build(REPO, out, search=False)
    page = (out / "index.html").read_bytes()
    (tmp_path / ".site.building-99999").mkdir()  # killed while writing
    (tmp_path / ".site.old-99998").mkdir()  # killed after a swap, before the old site was removed
    builder.build(REPO, out, search=False, cache=Cache())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (out / "index.html").read_bytes() == page


def test_a_site_parked_by_a_killed_two_step_swap_is_put_back(tmp_path: Path) -> None:
    """Where the system cannot exchange two folders in one step, a kill between the two renames
    leaves no site/ but the old one parked beside it: the next build puts it back first."""
    out = tmp_path / "site"
    builder.build(REPO, out, search=False)
    before = tree_bytes(out)
    os.replace(out, tmp_path / ".site.old-99997")
    builder.build(REPO, out, search=False)  # nothing changed: the site put back is the answer
    assert tree_bytes(out) == before


def test_swap_exchanges_two_folders(tmp_path: Path) -> None:
    new, out = tmp_path / "new", tmp_path / "out"
    new.mkdir()
    out.mkdir()
    (new / "f").write_text("new")
    (out / "f").write_text("old")
    folders.swap(new, out)
    assert (out / "f").read_text() == "new" and (new / "f").read_text() == "old"


def test_a_large_old_site_is_removed_apart_and_the_next_build_clears_what_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From REMOVED_APART files on, the old site is moved aside and removed by a detached process."""
    monkeypatch.setattr(folders, "REMOVED_APART", 1)
    out = tmp_path / "site"
    builder.build(REPO, out, search=False)  # a first build: nothing to remove
    assert (out / "index.html").is_file()
    builder.build(REPO, out, search=False, cache=Cache(), base_url="https://example.gov.cn/")
    deadline = time.monotonic() + 20
    while any(p.name.startswith(".site.old-") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert "https://example.gov.cn/" in (out / "sitemap.xml").read_text("utf-8")
    (tmp_path / ".site.old-99996").mkdir()  # one its process had not finished when this build starts
    builder.build(REPO, out, search=False, cache=Cache())
    assert not (tmp_path / ".site.old-99996").exists()


def test_a_file_taken_from_the_last_site_is_never_written_through(tmp_path: Path) -> None:
    """Reused files are hard links to the published ones: writing the same path again makes a new file."""
    out = tmp_path / "site"
    out.mkdir()
    (out / "page.html").write_text("published")
    stage = folders.Stage(tmp_path / "new")
    assert stage.reuse(out / "page.html", "page.html")
    stage.write_text("page.html", "rewritten")
    assert (out / "page.html").read_text() == "published"
    assert (tmp_path / "new" / "page.html").read_text() == "rewritten"
