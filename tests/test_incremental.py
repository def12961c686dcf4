"""Incremental builds are byte-identical to clean builds, whatever sequence of changes came before."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import build as builder
from generator.cache import Cache
from generator.errors import ContentError, Diagnostic
from generator.serve import Rebuilder

from .conftest import make_corpus


def snapshot(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != builder.MARKER
    }


def attempt(source: Path, out: Path, cache: Cache | None) -> str | dict[str, bytes]:
    try:
        builder.build(source, out, search=False, cache=cache)
    except ContentError as e:
        return failure(e.diagnostics)
    return snapshot(out)


def failure(diagnostics: list[Diagnostic]) -> str:
    return "errors: " + "; ".join(
        sorted(f"{d.path}:{d.line}:{d.rule}" for d in diagnostics if d.severity.value == "error")
    )


def served(rebuilder: Rebuilder, errors: list[Diagnostic]) -> str | dict[str, bytes]:
    """What ``gongkai serve`` shows after a rebuild: the site, or (on errors) the error mirror."""
    rebuilder.rebuild(force=True)
    if not rebuilder.ok:
        page = (rebuilder.root / "index.html").read_text("utf-8")
        assert 'id="gongkai-error"' in page and rebuilder.root.resolve() == rebuilder.error_dir.resolve()
        return failure(errors)
    assert rebuilder.root.resolve() == rebuilder.site_dir.resolve()
    return snapshot(rebuilder.root)


def change(rng: random.Random, root: Path) -> str:
    """One random edit, addition, deletion or rename, as an editor would make it."""
    reports = sorted(root.glob("content/*/*.md"))
    agencies = sorted(p for p in (root / "content").iterdir() if p.is_dir())
    kind = rng.choice(
        [
            "prose",
            "title",
            "delete",
            "add",
            "rename",
            "agency",
            "theme",
            "config",
            "number",
            "stock",
            "break",
            "fix",
            "draft",
        ]
    )
    if kind == "prose" and reports:
        p = rng.choice(reports)
        p.write_text(p.read_text("utf-8") + f"\n补充说明第{rng.randint(1, 99)}条。\n", encoding="utf-8")
    elif kind == "title" and reports:
        p = rng.choice(reports)
        p.write_text(
            p.read_text("utf-8").replace("政府信息公开工作年度报告", "政府信息公开年度报告", 1), encoding="utf-8"
        )
    elif kind == "delete" and len(reports) > 3:
        rng.choice(reports).unlink()
    elif kind == "add" and reports:
        p = rng.choice(reports)
        other = rng.choice(agencies)
        if not (other / p.name).exists():
            shutil.copyfile(p, other / p.name)
    elif kind == "rename" and agencies:
        a = rng.choice(agencies)
        a.rename(a.with_name(a.name + "-x"))
    elif kind == "agency" and agencies:
        f = rng.choice(agencies) / "_agency.yaml"
        if f.exists():
            f.write_text(f.read_text("utf-8").replace("name: ", "name: 新", 1), encoding="utf-8")
    elif kind == "theme":
        t = root / "overrides/templates/404.html"
        t.parent.mkdir(parents=True, exist_ok=True)
        t.write_text(
            "{% extends 'default/404.html' %}{% block content %}<p>"
            + str(rng.randint(1, 9))
            + "</p>{{ super() }}{% endblock %}",
            encoding="utf-8",
        )
    elif kind == "config":
        c = root / "gongkai.yaml"
        c.write_text(c.read_text("utf-8").replace("title: ", f"title: 第{rng.randint(1, 9)}版", 1), encoding="utf-8")
    elif kind == "number" and reports:
        p = rng.choice(reports)
        p.write_text(p.read_text("utf-8").replace("  licensing: ", "  licensing: 1", 1), encoding="utf-8")
    elif kind == "stock" and reports:  # a warning (S2) on the next year's report: a change across files
        p = rng.choice(reports)
        p.write_text(p.read_text("utf-8").replace("in_force: ", "in_force: 9", 2), encoding="utf-8")
    elif kind == "break" and reports:  # an error: the build fails, serve shows the error mirror
        p = rng.choice(reports)
        p.write_text(p.read_text("utf-8").replace("  penalties: ", "  penalties: -", 1), encoding="utf-8")
    elif kind == "draft" and reports:  # a report becomes a draft (out of every public output), or is published
        p = rng.choice(reports)
        text = p.read_text("utf-8")
        toggled = (
            text.replace("status: draft\n", "")
            if "status: draft\n" in text
            else text.replace("\nformat: ", "\nstatus: draft\nformat: ", 1)
        )
        p.write_text(toggled, encoding="utf-8")
    elif kind == "fix":
        for p in reports:
            text = p.read_text("utf-8")
            if "penalties: -" in text:
                p.write_text(text.replace("penalties: -", "penalties: "), encoding="utf-8")
    return kind


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_changes_then_incremental_equals_clean(tmp_path: Path, seed: int) -> None:
    source = tmp_path / "src"
    make_corpus(source, 24, seed=seed, district=True)
    rng = random.Random(seed)
    incremental = tmp_path / "inc"
    errors: list[Diagnostic] = []
    rebuilder = Rebuilder(source, tmp_path / "served", drafts=False, search=False, log=lambda _: None)
    rebuilder.builder.run = _recording(rebuilder.builder.run, errors)  # type: ignore[method-assign]
    attempt(source, incremental, None)
    served(rebuilder, errors)
    for step in range(12):
        kind = change(rng, source)
        clean_out = tmp_path / f"clean-{step}"
        shutil.rmtree(source / ".gongkai-cache", ignore_errors=True)
        clean = attempt(source, clean_out, Cache())
        assert attempt(source, incremental, None) == clean, f"step {step}: {kind} (gongkai build, disk cache)"
        assert served(rebuilder, errors) == clean, f"step {step}: {kind} (gongkai serve, in memory, in place)"
        shutil.rmtree(clean_out, ignore_errors=True)


def _recording(run: Any, errors: list[Diagnostic]) -> Any:
    """``Builder.run``, keeping the diagnostics of a failed build for the comparison."""

    def wrapped() -> Any:
        errors.clear()
        try:
            return run()
        except ContentError as e:
            errors.extend(e.diagnostics)
            raise

    return wrapped


def test_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "src"
    make_corpus(source, 20, seed=4)
    first = builder.build(source, search=False)
    index = source / "site/index.html"
    before = index.stat().st_mtime_ns
    second = builder.build(source, search=False)
    assert second.unchanged and not first.unchanged
    assert (second.reports, second.agencies, second.years) == (first.reports, first.agencies, first.years)
    assert index.stat().st_mtime_ns == before
    assert second.summary().startswith("无变化：20 份报告")


def test_what_is_drawn_from_a_report_is_kept_between_builds(tmp_path: Path) -> None:
    """`gongkai build` keeps each report's data line and index record in .gongkai-cache/, by the report's key:
    an unchanged report is not serialised again, a changed one is."""
    source = tmp_path / "src"
    make_corpus(source, 6, seed=5)
    builder.build(source, search=False)
    cache = Cache.load(source / ".gongkai-cache")
    assert len(cache.derived) == 6 and all({"json", "csv-zh", "csv-en"} <= set(d) for d in cache.derived.values())
    # Mark one report's kept CSV line, then change another report and build again.
    key, kept = next(iter(cache.derived.items()))
    slug, _, _, _, year = kept["csv-en"].split(",")[:5]
    kept["csv-en"] = kept["csv-en"].replace(slug, slug + "-KEPT", 1)
    cache.save(source / ".gongkai-cache")
    other = next(p for p in sorted(source.glob("content/*/*.md")) if p != source / "content" / slug / f"{year}.md")
    other.write_text(other.read_text("utf-8") + "\n补充。\n", encoding="utf-8")
    builder.build(source, search=False)
    assert f"{slug}-KEPT," in (source / "site/data/reports-en.csv").read_text("utf-8-sig")  # taken as kept
    after = Cache.load(source / ".gongkai-cache")
    assert len(after.derived) == 6 and key in after.derived  # the changed report's old entry is gone


def test_serve_search_index_after_edits_equals_a_clean_build(tmp_path: Path) -> None:
    """serve re-indexes only the pages it rewrote (the rest from its memo): the index is the clean build's, byte for byte."""
    source = tmp_path / "src"
    make_corpus(source, 24, seed=5, district=True)
    reports = sorted(source.glob("content/*/*.md"))
    rebuilder = Rebuilder(source, tmp_path / "served", drafts=False, search=True, log=lambda _: None)
    rebuilder.indexer.submit = lambda pending: None  # type: ignore[method-assign]  # this test writes each index itself
    rebuilder.rebuild(force=True)

    def index(out: Path) -> dict[str, bytes]:
        return {k: v for k, v in snapshot(out).items() if k.startswith("search-index/")}

    edits = [
        lambda: reports[0].write_text(reports[0].read_text("utf-8") + "\n补充说明：火星计划。\n", encoding="utf-8"),
        lambda: reports[1].write_text(
            reports[1].read_text("utf-8").replace("\nformat: ", "\nstatus: draft\nformat: ", 1), encoding="utf-8"
        ),
        lambda: reports[2].unlink(),
        lambda: reports[3].write_text(
            reports[3].read_text("utf-8").replace("  licensing: ", "  licensing: 1", 1), encoding="utf-8"
        ),
    ]
    for step, edit in enumerate(edits):
        edit()
        rebuilder.rebuild(force=True)
        assert rebuilder.ok
        pending = rebuilder.builder.pending
        assert pending is not None
        read: list[str] = []
        pending.served = lambda url, served=pending.served, read=read: read.append(url) or served(url)  # type: ignore[misc]
        rebuilder.builder.install_index(rebuilder.builder.prepare_index(pending), pending)
        assert 0 < len(read) < 10  # the pages this edit changed (report, agency, neighbours), not all 30
        clean_out = tmp_path / f"clean-{step}"
        shutil.rmtree(source / ".gongkai-cache", ignore_errors=True)
        builder.build(source, clean_out, search=True, cache=Cache())
        assert index(rebuilder.root) == index(clean_out), f"after edit {step}"
        pages = [k for k in index(clean_out) if "/pages/" in k]
        assert len(rebuilder.builder.index_memo) == len(pages)  # one memo entry a page, none for pages gone
        shutil.rmtree(clean_out)
