"""``gongkai serve``'s builder: the build's steps, composed for a site that stays up while it changes.

It keeps, between rebuilds, what ``gongkai build`` keeps on disk or does not keep at all: files
whose time and size are unchanged are not read again, the model's reports and what was drawn
from each are kept, templates stay compiled, the private output folder is changed in place where
bytes differ, and the search index is left in :attr:`LiveBuilder.pending` to be written once the
pages are up (the search page says so meanwhile).
"""

from __future__ import annotations

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

from . import content, model, outputs, render
from .build import (
    BuildResult,
    Options,
    check_output,
    inputs_stamp,
    judge,
    manifest,
    model_site,
    page_reader,
    page_salt,
    result,
    write_files,
    write_pages,
)
from .cache import Cache
from .folders import MARKER, Stage, remove_file, write_atomically
from .search import Memo, facets, write_index
from .searchindex import FOLDER


@dataclass
class PendingIndex:
    """A search index left to be written after the pages."""

    site: model.Site
    served: Callable[[str], str | None]  # the pages as they are in the folder when the index is written
    facets: dict[str, Any]
    digests: dict[str, str]  # each file's digest as this build wrote it: pages unchanged are not read again


class InPlace(Stage):
    """The live folder of ``gongkai serve``, changed file by file where the bytes differ.

    Each file is replaced atomically (a reader gets the old or the new page, never half of
    one); files the build no longer makes are removed at the end; ``search-index/`` belongs to
    the index writer. ``written`` is the digest of every file as last written (None: unknown,
    as on the first build or after the folder was overwritten with error pages).
    """

    KEPT = (f"{FOLDER}/", MARKER)
    direct = False

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
                remove_file(self.root, rel)
        (self.root / MARKER).write_text(json.dumps({"live": True}), encoding="utf-8")


class LiveBuilder:
    """Builds one site into serve's private folder, again and again, keeping what the next build can reuse."""

    def __init__(self, source: Path, out: Path, drafts: bool = True, search: bool = True) -> None:
        self.source = source.resolve()
        self.out_arg = out
        self.target = out.expanduser().resolve()
        self.options = Options(None, drafts, search)
        self.cache = Cache(trust_stat=True)
        self.reports: dict[str, model.Report] = {}  # the last model's reports by key
        self.env: tuple[str, jinja2.Environment] | None = None  # templates compiled for a theme stamp
        self.pages: dict[str, str] = {}  # each page's dependency key as last written
        self.written: dict[str, str] | None = None  # digest of each file in the output; None: unknown
        self.pending: PendingIndex | None = None
        self.index_memo: Memo = {}  # what the last index made of each page (by the page's digest)

    def forget_output(self) -> None:
        """The output folder was changed behind our back (error pages): trust nothing in it."""
        self.pages = {}
        self.written = None

    def run(self) -> BuildResult:
        """The build's steps: judge, model (reports kept), render what changed, change the folder in place."""
        started = time.perf_counter()
        src, validation = judge(self.source, self.cache)
        out = check_output(self.source, self.out_arg)
        site = model_site(src, validation, self.options, self.cache, memo=self.reports)
        theme = render.Theme.for_site(self.source, site.config.theme, site.config.language)
        stamp = inputs_stamp(self.source, theme)
        env = self.env[1] if self.env is not None and self.env[0] == stamp else None
        renderer = render.Renderer(site, theme, search=self.options.search, env=env)
        self.env = (stamp, renderer.env)
        writer = InPlace(out, self.written)
        old_pages = self.pages
        self.forget_output()  # until this build has finished writing (a failure halfway leaves it unknown)
        with writer.session() as stage:
            pages, page_urls = write_pages(stage, out, renderer, site, old_pages, page_salt(stamp, self.options, site))
            write_files(stage, site, theme, page_urls, search=self.options.search)
            if self.options.search:  # the index is written after the pages are up; the search page says so
                self.pending = PendingIndex(site, page_reader(out), facets(site), writer.written)
                stage.write_bytes("search/facets.json", outputs.json_bytes({**self.pending.facets, "pending": True}))
            stage.manifest = manifest("", pages, site, stage.count, validation)
        self.pages, self.written = pages, writer.written
        self.cache.prune()  # what this build did not use: files deleted or changed, reports gone
        return result(out, site, validation, stage.count, started)

    def prepare_index(self, pending: PendingIndex) -> Path:
        """Write a pending index into a folder beside the output (slow; the site stays served meanwhile)."""
        folder = Path(tempfile.mkdtemp(prefix=".search-index-", dir=self.target.parent))
        write_index(pending.site, pending.served, Stage(folder), memo=(self.index_memo, pending.digests))
        return folder

    def install_index(self, folder: Path, pending: PendingIndex) -> None:
        """Swap a prepared index in and say so on the search page (``facets.json`` loses ``pending``)."""
        old = self.target / FOLDER
        if old.exists():
            os.replace(old, folder / "old")
        os.replace(folder / FOLDER, old)
        shutil.rmtree(folder, ignore_errors=True)
        data = outputs.json_bytes(pending.facets)
        write_atomically(self.target / "search" / "facets.json", data)
        if self.written is not None:
            self.written["search/facets.json"] = content.digest(data)
        if self.pending is pending:
            self.pending = None
