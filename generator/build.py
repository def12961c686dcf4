"""``gongkai build``: the recipe, top to bottom (:meth:`Builder.run`).

0. Nothing changed since the last build into the folder: write nothing.
1. Gather and judge everything; if any content error is found, write nothing.
2. Decide the output folder, refusing dangerous ones before anything is deleted.
3. Model the site (reports unchanged since the last model are reused in ``serve``).
4. Render what changed and write every file into a fresh folder beside the output — or,
   in ``serve``, change its private folder in place where bytes differ.
5. Write the search index (in ``serve``: after the pages, by the caller).
6. Swap the fresh folder in atomically: a failed or interrupted build leaves the old site whole.

Every page carries a key naming everything it is made from; a page whose key is unchanged
is not rendered again. tests/test_incremental.py proves the result equal to a clean build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
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
from .messages import say
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

    def summary(self, lang: str = "zh-CN") -> str:
        return say(
            "unchanged" if self.unchanged else "built",
            lang,
            reports=say("n_reports", lang, count=self.reports),
            agencies=say("n_agencies", lang, count=self.agencies),
            years=say("n_years", lang, count=self.years),
            seconds=f"{self.seconds:.1f}",
        )


def build(
    source: Path,
    out: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    search: bool = True,
    cache: Cache | None = None,
) -> BuildResult:
    """Build the site at ``source`` into ``out`` (default ``source/site``): ``gongkai build``.

    ``cache`` is what an earlier run parsed and judged; without it, the cache in
    ``source/.gongkai-cache/`` is used and updated.
    """
    return Builder(source, out, base_url=base_url, drafts=drafts, search=search, cache=cache).run()


@dataclass
class PendingIndex:
    """A search index left to be written after the pages (``gongkai serve``)."""

    records: list[tuple[str, str]]
    facets: dict[str, Any]
    pagefind: Path


class Builder:
    """Builds one site into one folder, keeping what the next build of it can reuse.

    ``gongkai build`` makes one per run: files are parsed once per content (``.gongkai-cache/``),
    and the pages go into a fresh folder that replaces the old one whole. ``gongkai serve`` keeps
    one alive with ``live=True``: files whose time and size are unchanged are not read again, the
    reports of the model and what was drawn from each are kept, templates stay compiled, the
    private output folder is rewritten in place where bytes change, and the search index is left
    in :attr:`pending` for the caller to write once the pages are up.
    """

    def __init__(
        self,
        source: Path,
        out: Path | None = None,
        base_url: str | None = None,
        drafts: bool = False,
        search: bool = True,
        cache: Cache | None = None,
        live: bool = False,
    ) -> None:
        self.source = source.resolve()
        self.out_arg = out if out is not None else self.source / "site"
        self.target = self.out_arg.expanduser().resolve()
        self.base_url = base_url
        self.drafts = drafts
        self.search = search
        self.live = live
        self.options = repr((base_url, drafts, search))
        self.cache = cache if cache is not None or not live else Cache(trust_stat=True)
        self.reports: dict[str, model.Report] = {}  # live: the last model's reports by key
        self.env: tuple[str, jinja2.Environment] | None = None  # live: templates compiled for a theme stamp
        self.pages: dict[str, str] = {}  # live: each page's dependency key as last written
        self.written: dict[str, str] | None = None  # live: digest of each file in the output; None: unknown
        self.pending: PendingIndex | None = None

    def forget_output(self) -> None:
        """The output folder was changed behind our back (``serve`` error pages): trust nothing in it."""
        self.pages = {}
        self.written = None

    def prepare_index(self, pending: PendingIndex) -> Path:
        """Write a pending index into a folder beside the output (slow; the site stays served meanwhile)."""
        folder = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=self.target.parent))
        write_index(pending.records, folder, pending.pagefind)
        prune_bundle(folder)
        return folder

    def install_index(self, folder: Path, pending: PendingIndex) -> None:
        """Swap a prepared index in and say so on the search page (``facets.json`` loses ``pending``)."""
        old = self.target / "pagefind"
        if old.exists():
            os.replace(old, folder.with_name(folder.name + "-old"))
        os.replace(folder, old)
        shutil.rmtree(folder.with_name(folder.name + "-old"), ignore_errors=True)
        data = outputs.json_bytes(pending.facets)
        write_atomically(self.target / "search" / "facets.json", data)
        if self.written is not None:
            self.written["search/facets.json"] = content.digest(data)
        if self.pending is pending:
            self.pending = None

    def run(self) -> BuildResult:
        started = time.perf_counter()
        target = self.target

        # 0. Nothing changed since the last build into this folder (inputs, gongkai, options): done.
        #    (In serve the watcher has already seen a change.)
        inputs = ""
        previous: dict[str, Any] = {}
        if not self.live:
            inputs = inputs_key(self.source, self.options)
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
        cache = self.cache if self.cache is not None else Cache.load(self.source / CACHE_DIR)
        src = content.load_site(self.source, cache)
        validation = validate.validate_site(src, cache)
        if validation.errors:  # nothing is written, the cache neither
            raise ContentError(validation.diagnostics, {doc.rel: doc.lines for doc in src.documents()})

        # 2. The output folder, checked before anything is deleted; the search indexer, found before any work.
        out = check_output(self.source, self.out_arg)
        pagefind = find_pagefind(self.source) if self.search else None

        # 3. The model (reports unchanged since the last model are taken as they were).
        site = model.build_site(
            src,
            validation.diagnostics,
            include_drafts=self.drafts,
            memo=self.reports if self.live else None,
            derived=cache.derived_for,
        )
        if self.base_url is not None:
            site.config = dataclasses.replace(site.config, base_url=model.folder_url(self.base_url))
        theme = render.Theme.for_site(self.source, site.config.theme, site.config.language)
        stamp = inputs_stamp(self.source, theme)
        env = self.env[1] if self.env is not None and self.env[0] == stamp else None
        renderer = render.Renderer(site, theme, search=pagefind is not None, env=env)
        if self.live:
            self.env = (stamp, renderer.env)

        # 4. Pages and files: only what changed is rendered; all of it is written, or changed in place (serve).
        shared = repr((stamp, self.options, site.config))
        old_pages = self.pages if self.live else previous.get("pages", {})
        new_pages: dict[str, str] = {}
        writer = InPlace(out, self.written) if self.live else None
        self.forget_output()  # until this build has finished writing (a failure halfway leaves it unknown)
        index_stats: IndexStats | None = None
        with writer.session() if writer is not None else staging(out) as stage:
            page_urls: list[str] = []
            drafts_pages = {r.url + "index.html" for r in site.reports if r.draft}
            for path, key, make in renderer.planned():
                new_pages[path] = content.digest((shared + key).encode("utf-8"))
                if not (old_pages.get(path) == new_pages[path] and stage.reuse(out / path, path)):
                    page = _render_page(make)
                    stage.write_text(page.path, page.html)
                if path != "404.html" and path not in drafts_pages:
                    page_urls.append(path.removesuffix("index.html"))
            for report in site.public_reports:
                # report.json is made from exactly what the report's page is made from: same key.
                page_file, data_file = report.url + "index.html", report.url + "report.json"
                new_pages[data_file] = new_pages[page_file]
                if not (old_pages.get(data_file) == new_pages[data_file] and stage.reuse(out / data_file, data_file)):
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
            if pagefind is not None and self.live:
                # 5a. serve: the index is written after the pages are up; the search page says so meanwhile.
                self.pending = PendingIndex(list(records(site)), facets(site), pagefind)
                stage.write_bytes("search/facets.json", outputs.json_bytes({**self.pending.facets, "pending": True}))
            elif pagefind is not None:
                # 5b. build: the index is part of the site.
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
            }
        if writer is not None:
            self.pages, self.written = new_pages, writer.written
        cache.prune()  # what this build did not use: files deleted or changed, reports gone
        if self.cache is None:
            _save_cache(cache, self.source / CACHE_DIR)

        # 6. Done: the staging folder has been swapped in (or the live folder updated).
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


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader gets the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def link_or_copy(src: Path, dst: Path) -> None:
    """A hard link where the file system allows, else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


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


class Stage:
    """A folder being filled; paths are relative to the future site root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self.manifest: dict[str, Any] = {}
        self.folders: set[Path] = set()  # made already (one mkdir per folder, not per file)

    def _path(self, rel: str) -> Path:
        path = self.root / rel
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        self.count += 1
        return path

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> None:
        self._path(rel).write_bytes(data)

    def copy(self, src: Path, rel: str) -> None:
        shutil.copyfile(src, self._path(rel))

    def reuse(self, old: Path, rel: str) -> bool:
        """Take a file from the previous build (a hard link where the file system allows)."""
        if not old.is_file():
            return False
        link_or_copy(old, self._path(rel))
        return True


class InPlace(Stage):
    """The live folder of ``gongkai serve``, changed file by file where the bytes differ.

    Each file is replaced atomically (a reader gets the old or the new page, never half of
    one); files the build no longer makes are removed at the end; ``pagefind/`` belongs to
    the index writer. ``written`` is the digest of every file as last written (None: unknown,
    as on the first build or after the folder was overwritten with error pages).
    """

    KEPT = ("pagefind/", MARKER)

    def __init__(self, root: Path, written: dict[str, str] | None) -> None:
        super().__init__(root)
        self.before = written
        self.written: dict[str, str] = {}

    def write_bytes(self, rel: str, data: bytes) -> None:
        self.count += 1
        digest = content.digest(data)
        self.written[rel] = digest
        if self.before is None or self.before.get(rel) != digest:
            write_atomically(self.root / rel, data)

    def copy(self, src: Path, rel: str) -> None:
        self.write_bytes(rel, src.read_bytes())

    def reuse(self, old: Path, rel: str) -> bool:
        """The page is as it was: keep the file (known only while ``written`` is)."""
        if self.before is None or rel not in self.before:  # the folder is private to serve: what it wrote is there
            return False
        self.count += 1
        self.written[rel] = self.before[rel]
        return True

    @contextmanager
    def session(self) -> Iterator[InPlace]:
        self.root.mkdir(parents=True, exist_ok=True)
        yield self
        present = (
            set(self.before)
            if self.before is not None
            else {p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()}
        )
        for rel in present - set(self.written):
            if not rel.startswith(self.KEPT):
                path = self.root / rel
                path.unlink(missing_ok=True)
                for folder in path.parents:  # a clean build has no empty folders either
                    if folder == self.root or any(folder.iterdir()):
                        break
                    folder.rmdir()
        (self.root / MARKER).write_text(json.dumps({"live": True}), encoding="utf-8")


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
