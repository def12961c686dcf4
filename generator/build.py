"""``gongkai build``: the recipe, top to bottom (:func:`build`).

First the output folder is checked, refusing dangerous ones before anything is made or deleted,
and its lock is taken (one build a folder at a time). Then:

0. Clear what killed builds left beside the folder; nothing changed since the last build: write nothing.
1. Gather and judge everything; if any content error is found, write nothing.
2. Model the site.
3. Render what changed (a page whose key is unchanged is linked from the last build) and write
   every file into a fresh folder beside the output.
4. Write the search index into it.
5. Swap the fresh folder in atomically: a failed or interrupted build leaves the old site whole.

Every page carries a key naming everything it is made from. The steps are functions that
``gongkai serve`` (:mod:`generator.live`) composes its own way — in place, keeping its caches
in memory, the index after the pages. tests/test_incremental.py proves both equal to a clean build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import comparison, content, model, outputs, pool, render, spreadsheets, validate, workers
from .cache import CACHE_DIR, Cache, code_stamp
from .errors import ContentError, Diagnostic, Severity, UsageError
from .folders import MARKER, BuildLocked, Stage, clear_leftovers, locked, staging, tree
from .messages import say
from .search import facets, write_index
from .searchindex import IndexStats


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
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, in the recipe's order

    def summary(self, lang: str = "zh-CN") -> str:
        return say(
            "unchanged" if self.unchanged else "built",
            lang,
            reports=say("n_reports", lang, count=self.reports),
            agencies=say("n_agencies", lang, count=self.agencies),
            years=say("n_years", lang, count=self.years),
            seconds=f"{self.seconds:.1f}",
        )


LOCK_WAIT = 120.0  # seconds a build waits for another build of the same folder before it stops


@dataclass(frozen=True)
class Options:
    """What a build is asked for besides its source; part of every page's key."""

    base_url: str | None = None
    drafts: bool = False
    search: bool = True
    only: tuple[str, ...] = ()  # a partition: the agencies whose region begins with these parts

    @property
    def key(self) -> str:
        return repr((self.base_url, self.drafts, self.search, self.only))


def build(
    source: Path,
    out: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    search: bool = True,
    cache: Cache | None = None,
    only: tuple[str, ...] = (),
    wait: float = LOCK_WAIT,
    waiting: Callable[[int | None], None] | None = None,
) -> BuildResult:
    """Build the site at ``source`` into ``out`` (default ``source/site``): ``gongkai build``.

    ``cache`` is what an earlier run parsed and judged; without it, the cache in
    ``source/.gongkai-cache/`` is used and updated. Another build of the same output folder is
    waited for up to ``wait`` seconds (``waiting`` is told when that starts).
    """
    source = source.resolve()
    out_arg = out if out is not None else source / "site"
    target = check_output(source, out_arg)  # before the lock file is made beside it
    try:
        with locked(target, wait, waiting):
            return _build(source, target, Options(base_url, drafts, search, only), cache)
    except BuildLocked as e:
        raise UsageError("build_locked", out=e.out, pid=e.holder or "?", seconds=f"{e.wait:g}") from e


def _build(source: Path, out: Path, options: Options, cache: Cache | None) -> BuildResult:
    """The build's steps, with the lock of the output folder ``out`` (checked, resolved) held."""
    started = time.perf_counter()
    clock = Clock()
    search, only = options.search, options.only

    # 0. Nothing changed since the last build into this folder (inputs, gongkai, options): done.
    clear_leftovers(out)  # what builds killed before this one left beside it
    inputs, digests = inputs_key(source, options.key)
    previous = read_manifest(out)
    if previous.get("inputs") == inputs and (out / "index.html").is_file():
        return unchanged(out, previous, time.perf_counter() - started)
    clock.lap("unchanged")

    # 1. Gather and judge everything (files whose bytes did not change come from the cache).
    kept = cache if cache is not None else Cache.load(source / CACHE_DIR)
    kept.digests = digests
    clock.lap("cache")
    jobs = pool.jobs_wanted()
    with quiet_collector():
        src, validation = judge(source, kept, clock, jobs, only)

    # 2. The model and its renderer.
    site = model_site(src, validation, options, kept)
    theme = render.Theme.for_site(source, site.config.theme, site.config.language)
    stamp = inputs_stamp(source, theme)
    renderer = render.Renderer(site, theme, search=search)
    salt = page_salt(stamp, options, site)
    clock.lap("model")

    # 3. Pages and files, into a fresh folder beside the output (unchanged pages linked from the last build).
    index_stats: IndexStats | None = None
    with staging(out) as stage, quiet_collector():
        pages, page_urls = write_pages(stage, out, renderer, site, previous.get("pages", {}), salt, jobs)
        clock.lap("pages")
        write_files(stage, site, theme, page_urls, search=search)
        clock.lap("data")

        # 4. The search index is part of the site.
        if search:
            stage.write_bytes(
                "search/facets.json", outputs.json_bytes(facets(site))
            )  # first: the workers inherit its rows
            index_stats = write_index(site, page_reader(stage.root, out), stage, jobs)
            clock.lap("search")
        stage.manifest = manifest(inputs, pages, site, stage.count, validation)
    clock.lap("swap")

    # 5. Done: the staging folder has been swapped in; what this build did not use leaves the cache.
    if not only:  # a partition leaves the rest of the site's cache for the builds of the others
        kept.prune()
    if cache is None:
        _save_cache(kept, source / CACHE_DIR)
    clock.lap("cache_save")
    return dataclasses.replace(result(out, site, validation, stage.count, started, index_stats), timings=clock.laps)


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Keep Python's cycle collector off the objects made so far while a step makes many more.

    A build holds every report in memory; each full collection walks all of them, and a step
    that allocates a lot (parsing, rendering) triggers many: the cost grew with the square of
    the site's size. Frozen objects are not walked (and stay shared with forked workers); the
    step's own garbage is still collected as usual.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class Clock:
    """Seconds per step of a build (``gongkai build --timings``)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps[step] = self.laps.get(step, 0.0) + now - self.last
        self.last = now


# ---------------------------------------------------------------------- the steps (gongkai serve shares them)


def unchanged(target: Path, previous: dict[str, Any], seconds: float) -> BuildResult:
    """The last build's result, as recorded in its folder: nothing was written."""
    return BuildResult(
        out=target,
        reports=previous["reports"],
        agencies=previous["agencies"],
        years=previous["years"],
        seconds=seconds,
        diagnostics=[],
        files=previous["files"],
        unchanged=True,
        warnings=previous.get("warnings", 0),
    )


def judge(
    source: Path, cache: Cache, clock: Clock | None = None, jobs: int = 1, only: tuple[str, ...] = ()
) -> tuple[content.SiteSource, validate.Validation]:
    """Read and judge the site (on ``jobs`` processes; ``only`` a partition); any content error stops the
    build before anything is written."""
    src = content.load_site(source, cache, jobs=jobs, only=only)
    if only and not src.agencies:
        raise UsageError("only_matches_nothing", only="/".join(only))
    if clock is not None:
        clock.lap("read")
    validation = validate.validate_site(src, cache, jobs=jobs)
    if clock is not None:
        clock.lap("validate")
    if validation.errors:  # nothing is written, the cache neither
        named = {d.path for d in validation.diagnostics}
        raise ContentError(validation.diagnostics, {doc.rel: doc.lines for doc in src.documents() if doc.rel in named})
    return src, validation


def model_site(
    src: content.SiteSource,
    validation: validate.Validation,
    options: Options,
    cache: Cache,
    memo: dict[str, model.Report] | None = None,
) -> model.Site:
    """The site's model (``memo``: reports kept from the last model, by key), with the base URL asked for."""
    site = model.build_site(
        src, validation.diagnostics, include_drafts=options.drafts, memo=memo, derived=cache.derived_for
    )
    if options.base_url is not None:
        site.config = dataclasses.replace(site.config, base_url=model.folder_url(options.base_url))
    return site


def page_salt(stamp: str, options: Options, site: model.Site) -> str:
    """What every page depends on besides its own inputs: the code and theme, the options, the settings."""
    return repr((stamp, options.key, site.config))


def write_pages(
    stage: Stage,
    out: Path,
    renderer: render.Renderer,
    site: model.Site,
    old_pages: dict[str, str],
    salt: str,
    jobs: int = 1,
) -> tuple[dict[str, str], list[str]]:
    """Every page and report.json, rendered where its key changed (on ``jobs`` processes, into a fresh
    folder); returns the keys and the sitemap's URLs."""
    new_pages: dict[str, str] = {}
    page_urls: list[str] = []
    drafts_pages = {r.url + "index.html" for r in site.reports if r.draft}
    to_render: list[workers.Make] = []
    for path, key, make in renderer.planned():
        new_pages[path] = content.digest((salt + key).encode("utf-8"))
        if not (old_pages.get(path) == new_pages[path] and stage.reuse(out / path, path)):
            to_render.append(make)
        if path != "404.html" and path not in drafts_pages:
            page_urls.append(path.removesuffix("index.html"))
    if stage.direct:  # a folder of this build's own: the workers (or this process) write the pages into it
        workers.render_into(stage.root, to_render, jobs)
        stage.count += len(to_render)
    else:
        for make in to_render:
            page = workers.render_page(make)
            stage.write_text(page.path, page.html)
    for report in site.public_reports:
        # report.json is made from exactly what the report's page is made from: same key.
        page_file, data_file = report.url + "index.html", report.url + "report.json"
        new_pages[data_file] = new_pages[page_file]
        if not (old_pages.get(data_file) == new_pages[data_file] and stage.reuse(out / data_file, data_file)):
            stage.write_bytes(data_file, outputs.report_json(report, site))
    return new_pages, page_urls


def write_files(stage: Stage, site: model.Site, theme: render.Theme, page_urls: list[str], search: bool) -> None:
    """The open data, the feed, the sitemap, robots.txt and the theme's static files."""
    stage.write_bytes("data/reports.json", outputs.reports_json(site))
    for path, data in spreadsheets.files(site).items():
        stage.write_bytes(path, data)
    stage.write_bytes("data/dictionary.json", outputs.dictionary_json())
    for path, data in comparison.files(site).items():
        stage.write_bytes(path, data)
    for name, data in outputs.schema_files().items():
        stage.write_bytes(f"data/schema/{name}", data)
    stage.write_bytes("feed.xml", outputs.feed_xml(site))
    for agency in site.agencies:
        if agency.public_reports:
            stage.write_bytes(agency.feed_url, outputs.feed_xml(site, agency=agency))
    stage.write_bytes("sitemap.xml", outputs.sitemap_xml(site, page_urls))
    stage.write_bytes("robots.txt", outputs.robots_txt(site))
    for rel, file in theme.static_files().items():
        if rel == "search.js" and not search:
            continue
        stage.copy(file, "assets/" + rel)


def page_reader(*folders: Path) -> Callable[[str], str | None]:
    """A report page's HTML as this build left it: in the first of ``folders`` that has it (new, then kept)."""

    def read(url: str) -> str | None:
        for folder in folders:
            with contextlib.suppress(OSError):
                return (folder / url / "index.html").read_text("utf-8")
        return None

    return read


def manifest(
    inputs: str, pages: dict[str, str], site: model.Site, files: int, validation: validate.Validation
) -> dict[str, Any]:
    """What the output folder's marker records: the inputs' key, each page's key, the counts."""
    return {
        "inputs": inputs,
        "pages": pages,
        "reports": len(site.reports),
        "agencies": len(site.agencies),
        "years": len(site.years),
        "files": files,
        "warnings": sum(d.severity is Severity.WARNING for d in validation.diagnostics),
    }


def result(
    out: Path,
    site: model.Site,
    validation: validate.Validation,
    files: int,
    started: float,
    index_stats: IndexStats | None = None,
) -> BuildResult:
    return BuildResult(
        out=out,
        reports=len(site.reports),
        agencies=len(site.agencies),
        years=len(site.years),
        seconds=time.perf_counter() - started,
        diagnostics=validation.diagnostics,
        files=files,
        search=index_stats,
        warnings=sum(d.severity is Severity.WARNING for d in validation.diagnostics),
    )


def _files(folder: Path, links: bool = False) -> list[Path]:
    """Every file under ``folder`` (not the cache), in a fixed order; ``links``: symbolic links too, as links."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in (folder / rel for rel in tree(folder) if CACHE_DIR not in rel.split("/"))
        if (links and p.is_symlink()) or p.is_file()
    )


def inputs_stamp(source: Path, theme: render.Theme) -> str:
    """gongkai's code and every file of the theme chain: what every page depends on."""
    h = hashlib.blake2b(code_stamp().encode(), digest_size=16)
    for folder in theme.folders:
        for f in _files(folder):
            h.update(str(f.relative_to(folder)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def inputs_key(source: Path, options: str) -> tuple[str, dict[str, str]]:
    """Everything a build reads (content, configuration, themes, code, options) as one key, and
    the digest of each file read for it (the content stage takes these rather than read again)."""
    h = hashlib.blake2b(options.encode(), digest_size=16)
    h.update(code_stamp().encode())
    digests: dict[str, str] = {}
    for f in [
        source / content.CONFIG_NAME,
        *_files(source / content.CONTENT_DIR, links=True),
        *_files(source / "themes"),
        *_files(source / "overrides"),
        *_files(render.bundled_theme_dir()),
    ]:
        with contextlib.suppress(OSError):
            if f.is_symlink():  # not followed (content says so); a link made, changed or removed is a change
                h.update(f"{f}\0->{os.readlink(f)}\0".encode())
                continue
            st = f.stat()
            if st.st_size > content.REPORT_LIMIT:  # refused unread by content: its size and time stand for it
                h.update(f"{f}\0{st.st_size}:{st.st_mtime_ns}\0".encode())
                continue
            digests[str(f)] = content.digest(f.read_bytes())
            h.update(f"{f}\0{digests[str(f)]}\0".encode())
    return h.hexdigest(), digests


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
        Path("/"): "out_forbidden_root",
        Path.home().resolve(): "out_forbidden_home",
        source: "out_forbidden_site",
        source / content.CONTENT_DIR: "out_forbidden_content",
        source / "themes": "out_forbidden_themes",
    }
    if out in forbidden:
        raise UsageError("out_forbidden", out=out, what=UsageError(forbidden[out]))
    if out in source.parents:
        raise UsageError("out_contains_site", out=out)
    for inner in (source / content.CONTENT_DIR, source / "themes"):
        if inner in out.parents:
            raise UsageError("out_inside", out=out, inner=inner.name)
    if out.exists():
        if not out.is_dir():
            raise UsageError("out_is_file", out=out)
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise UsageError("out_not_ours", out=out, marker=MARKER)
    return out
