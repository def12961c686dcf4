"""``gongkai build``: the recipe, top to bottom.

1. Gather and judge everything; if any content error is found, write nothing.
2. Decide the output folder, refusing dangerous ones before anything is deleted.
3. Model, render and write every file into a fresh folder beside the output.
4. Swap it in atomically: a failed or interrupted build leaves the old site whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import content, model, outputs, render, validate
from .cache import CACHE_DIR, Cache, code_stamp
from .errors import ContentError, Diagnostic, Severity, UsageError
from .search import IndexStats, facets, find_pagefind, prune_bundle, records, write_index

MARKER = ".gongkai-site"  # written into every output folder, so a rebuild knows it may replace it


@dataclass
class BuildResult:
    out: Path
    reports: int
    agencies: int
    years: int
    seconds: float
    diagnostics: list[Diagnostic]
    files: int
    search: IndexStats | None = None
    unchanged: bool = False  # nothing changed since the last build into this folder: nothing was written
    warnings: int = 0

    def summary(self) -> str:
        if self.unchanged:
            return (
                f"无变化：{self.reports} 份报告，{self.agencies} 个机关，{self.years} 个年度，"
                f"用时 {self.seconds:.1f} 秒"
            )
        return (
            f"构建完成：{self.reports} 份报告，{self.agencies} 个机关，{self.years} 个年度，用时 {self.seconds:.1f} 秒"
        )


def build(
    source: Path,
    out: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    search: bool = True,
    cache: Cache | None = None,
) -> BuildResult:
    """Build the site at ``source`` into ``out`` (default ``source/site``).

    ``cache`` is what an earlier run parsed and judged (``gongkai serve`` keeps one in memory);
    without it, the cache in ``source/.gongkai-cache/`` is used and updated.
    """
    started = time.perf_counter()
    source = source.resolve()
    target = (out if out is not None else source / "site").expanduser().resolve()

    # 0. Nothing changed since the last build into this folder (inputs, gongkai, options): done.
    options = repr((base_url, drafts, search))
    inputs = inputs_key(source, options)
    previous = read_manifest(target)
    if previous.get("inputs") == inputs and (target / "index.html").is_file():
        return BuildResult(
            out=target,
            reports=previous["reports"],
            agencies=previous["agencies"],
            years=previous["years"],
            seconds=time.perf_counter() - started,
            diagnostics=[],
            files=previous["files"],
            unchanged=True,
            warnings=previous.get("warnings", 0),
        )

    # 1. Gather and judge everything (files whose bytes did not change come from the cache).
    on_disk = cache is None
    if cache is None:
        cache = Cache.load(source / CACHE_DIR)
    src = content.load_site(source, cache)
    validation = validate.validate_site(src, cache)
    cache.prune()
    if on_disk:
        _save_cache(cache, source / CACHE_DIR)
    if validation.errors:
        raise ContentError(validation.diagnostics)

    # 2. The output folder, checked before anything is deleted; the search indexer, found before any work.
    out = check_output(source, out if out is not None else source / "site")
    pagefind = find_pagefind(source) if search else None

    # 3. Model and render into a staging folder.
    site = model.build_site(src, validation.diagnostics, include_drafts=drafts)
    if base_url is not None:
        site.config = dataclasses.replace(site.config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    theme = render.Theme.for_site(source, site.config.theme, site.config.language)
    renderer = render.Renderer(site, theme, search=pagefind is not None)
    files = 0
    index_stats: IndexStats | None = None
    warnings = 0
    shared = repr((inputs_stamp(source, theme), options, site.config))
    old_pages: dict[str, str] = previous.get("pages", {})
    new_pages: dict[str, str] = {}
    reused = 0
    with staging(out) as stage:
        page_urls: list[str] = []
        drafts_pages = {r.url + "index.html" for r in site.reports if r.draft}
        for path, key, make in renderer.planned():
            if key is not None:
                new_pages[path] = _hash(shared + key)
            if key is not None and old_pages.get(path) == new_pages[path] and stage.reuse(out / path, path):
                reused += 1
            else:
                page = _render_page(make)
                stage.write_text(page.path, page.html)
            if path != "404.html" and path not in drafts_pages:
                page_urls.append(path.removesuffix("index.html"))
        for report in site.public_reports:
            # report.json is made from exactly what the report's page is made from: same key.
            page_file, data_file = report.url + "index.html", report.url + "report.json"
            if page_file in new_pages:
                new_pages[data_file] = new_pages[page_file]
            if not (old_pages.get(data_file) == new_pages.get(data_file) and stage.reuse(out / data_file, data_file)):
                stage.write_bytes(data_file, outputs.report_json(report, site))
        stage.write_bytes("data/reports.json", outputs.reports_json(site))
        stage.write_bytes("data/reports.csv", outputs.reports_csv(site))
        stage.write_bytes("data/dictionary.json", outputs.dictionary_json())
        for name, data in outputs.schema_files().items():
            stage.write_bytes(f"data/schema/{name}", data)
        stage.write_bytes("feed.xml", outputs.feed_xml(site))
        stage.write_bytes("sitemap.xml", outputs.sitemap_xml(site, page_urls))
        stage.write_bytes("robots.txt", outputs.robots_txt(site))
        for rel, file in theme.static_files().items():
            if rel == "search.js" and pagefind is None:
                continue
            stage.copy(file, "assets/" + rel)
        if pagefind is not None:
            index_stats = write_index(records(site), stage.root / "pagefind", pagefind)
            prune_bundle(stage.root / "pagefind")
            stage.write_bytes("search/facets.json", outputs.json_bytes(facets(site)))
        files = stage.count
        warnings = sum(d.severity is Severity.WARNING for d in validation.diagnostics)
        stage.manifest = {
            "inputs": inputs,
            "pages": new_pages,
            "reports": len(site.reports),
            "agencies": len(site.agencies),
            "years": len(site.years),
            "files": files,
            "warnings": warnings,
            "reused": reused,
        }

    # 4. Done: the staging folder has been swapped in.
    return BuildResult(
        out=out,
        reports=len(site.reports),
        agencies=len(site.agencies),
        years=len(site.years),
        seconds=time.perf_counter() - started,
        diagnostics=validation.diagnostics,
        files=files,
        search=index_stats,
        warnings=warnings,
    )


def _render_page(make: Callable[[], render.Page]) -> render.Page:
    """Render one page; a template error becomes a TemplateError naming the template file and line."""
    try:
        return make()
    except jinja2.TemplateError as e:
        raise render.template_error(e) from e


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and CACHE_DIR not in p.parts) if folder.is_dir() else []


def inputs_stamp(source: Path, theme: render.Theme) -> str:
    """gongkai's code and every file of the theme chain: what every page depends on."""
    h = hashlib.blake2b(code_stamp().encode(), digest_size=16)
    for folder in theme.folders:
        for f in _files(folder):
            h.update(str(f.relative_to(folder)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def inputs_key(source: Path, options: str) -> str:
    """Everything a build reads: content, configuration, themes (the site's and gongkai's), code, options."""
    h = hashlib.blake2b(options.encode(), digest_size=16)
    h.update(code_stamp().encode())
    for f in [
        source / content.CONFIG_NAME,
        *_files(source / content.CONTENT_DIR),
        *_files(source / "themes"),
        *_files(source / "overrides"),
        *_files(render.bundled_theme_dir()),
    ]:
        if f.is_file():
            h.update(str(f).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def read_manifest(out: Path) -> dict[str, Any]:
    """What the last build into ``out`` recorded in its marker file (empty if none)."""
    try:
        data = json.loads((out / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_cache(cache: Cache, folder: Path) -> None:
    with contextlib.suppress(OSError):  # a read-only checkout still builds; it only builds slower next time
        cache.save(folder)


def check_output(source: Path, out: Path) -> Path:
    """Refuse an output folder whose replacement would destroy something that is not a built site."""
    out = out.expanduser().resolve()
    forbidden = {
        Path("/"): "根目录",
        Path.home().resolve(): "用户主目录",
        source: "站点目录本身",
        source / content.CONTENT_DIR: "content/ 目录",
        source / "themes": "themes/ 目录",
    }
    if out in forbidden:
        raise UsageError(f"拒绝输出到 {out}（{forbidden[out]}）：构建会替换整个输出目录")
    if out in source.parents:
        raise UsageError(f"拒绝输出到 {out}：它包含站点目录，构建会替换整个输出目录")
    for inner in (source / content.CONTENT_DIR, source / "themes"):
        if inner in out.parents:
            raise UsageError(f"拒绝输出到 {out}：它在 {inner.name}/ 之中")
    if out.exists():
        if not out.is_dir():
            raise UsageError(f"拒绝输出到 {out}：这是一个文件")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise UsageError(f"拒绝输出到 {out}：目录不是空的，也不是 gongkai 生成的（缺少 {MARKER}）")
    return out


class Stage:
    """A folder being filled; paths are relative to the future site root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self.manifest: dict[str, Any] = {}

    def _path(self, rel: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        self.count += 1
        return path

    def write_text(self, rel: str, text: str) -> None:
        self._path(rel).write_text(text, encoding="utf-8", newline="\n")

    def write_bytes(self, rel: str, data: bytes) -> None:
        self._path(rel).write_bytes(data)

    def copy(self, src: Path, rel: str) -> None:
        shutil.copyfile(src, self._path(rel))

    def reuse(self, old: Path, rel: str) -> bool:
        """Take a file from the previous build (a hard link where the file system allows)."""
        if not old.is_file():
            return False
        target = self._path(rel)
        try:
            os.link(old, target)
        except OSError:
            shutil.copyfile(old, target)
        return True


@contextmanager
def staging(out: Path) -> Iterator[Stage]:
    """Build beside ``out``, then swap; on any failure the old ``out`` is untouched."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted build
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        stage = Stage(tmp)
        yield stage
        (tmp / MARKER).write_text(json.dumps(stage.manifest, sort_keys=True), encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
