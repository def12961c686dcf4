"""gongkai's own search index: every word on every page, found where it stands as written.

Why not Pagefind: it matches the words its dictionary cut, so a phrase is found on the pages
where the dictionary happened to cut it the same way in the page as in the query (原文链接 on 88
of the 100 pages that show it); its PyPI build cuts Chinese differently from the browser (信访 and
every quoted phrase found nothing); it needs npm; and over the full text of 10,000 reports it took
5.8 GB. This index is what Chinese search means to a reader — substring, not dictionary luck —
and it is written by Python alone.

How: a page's text is cut into runs of letters and digits (punctuation and spaces end a run);
every one-, two- and three-character piece of a run is a *key*. A query's run of up to three
characters is one key; a longer run is all its three-character pieces, which must all be on the
page (and in practice then stand together: the search page checks the sentence it shows). For
each key the index keeps which pages have it — on the page at all, in the report's own prose, in
its title or agency name (for ranking) — as a bitmap or a list of page numbers, whichever is
smaller. Keys are spread over shard files by a hash the browser computes too, so one query
downloads a few small shards, the facet columns and the results it shows, never the whole index.

Files under ``search-index/`` (each is gzip; ``meta.bin``, JSON, tells the browser the rest):
``meta.bin``, ``columns.bin`` (each page's facet values), ``topics.bin`` (pages per table row),
``shards/<n>.bin`` (key → postings), ``pages/<k>/<n>.bin`` (one page's title, facts and text, for
the result list and its excerpt).
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import hashlib
import json
import re
import struct
import time
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeAlias

from . import pool

FORMAT = 1
FOLDER = "search-index"
GRAM = 3  # the longest key; a longer run is found by its three-character pieces
DENSE = 64  # a run on more than 1/64 of the pages is kept as a bitmap while the keys are united
KEYS_PER_JOB = 32  # keys a worker unites and encodes at a time
SHARD_BYTES = 6_000  # aimed-for size of a shard before gzip: a query downloads one to a few
PAGES_PER_FOLDER = 1000

RUN = re.compile(r"[^\W_]+")  # letters and digits of any script (the browser: /[\p{L}\p{N}]+/gu)


def runs(text: str) -> set[str]:
    """The distinct runs of letters and digits in ``text``, in lower case, each in NFKC (２０２５ → 2025).

    Cut first, normalised after (the browser does the same with a query): normalising a whole page
    costs more than everything else done to it, and the runs of a page are almost always normal."""
    found = set(RUN.findall(text.lower()))
    if unicodedata.is_normalized("NFKC", "".join(found)):
        return found
    out: set[str] = set()
    for run in found:
        out.update(
            RUN.findall(unicodedata.normalize("NFKC", run).lower())
            if not unicodedata.is_normalized("NFKC", run)
            else (run,)
        )
    return out


def grams(run: str) -> set[str]:
    """Every piece of one, two and three characters of a run: the keys a page is found by."""
    out = set(run)
    n = len(run)
    for size in range(2, GRAM + 1):
        out.update(run[i : i + size] for i in range(n - size + 1))
    return out


def key_hash(key: str) -> int:
    """FNV-1a (32 bits) of the key's UTF-8 bytes: the browser finds a key's shard with the same sum."""
    h = 0x811C9DC5
    for byte in key.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


# ---------------------------------------------------------------------- postings


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


_NONZERO = re.compile(rb"[^\x00]")


def _members(bits: int, size: int) -> list[int]:
    """The page numbers set in a bitmap (an int), ascending."""
    data = bits.to_bytes(size, "little")
    out: list[int] = []
    for match in _NONZERO.finditer(data):
        at, byte = match.start() * 8, data[match.start()]
        out.extend(at + b for b in range(8) if byte >> b & 1)
    return out


EMPTY, ALL, BITMAP, LIST, SAME = range(5)


PageList: TypeAlias = "list[int] | array[int]"  # page numbers, ascending; an ``array("I")`` where many are held at once


def posting(pages: int | PageList, total: int, same_as: int | PageList | None = None) -> bytes:
    """One set of pages (a bitmap as an int, or a sorted list), as the smallest of: none, all, a bitmap,
    a list of gaps (varints), "as above"."""
    if same_as is not None and pages == same_as:
        return bytes([SAME])
    count = pages.bit_count() if isinstance(pages, int) else len(pages)
    if count == 0:
        return bytes([EMPTY])
    if count == total:
        return bytes([ALL])
    size = (total + 7) // 8
    out = bytearray()
    if count * 2 >= size:  # a gap takes one to two bytes; a bitmap one bit a page
        out.append(BITMAP)
        out += (pages if isinstance(pages, int) else _bitmap(pages)).to_bytes(size, "little")
        return bytes(out)
    body = bytearray()
    last = -1
    for page in _members(pages, size) if isinstance(pages, int) else pages:
        _varint(page - last - 1, body)
        last = page
    out.append(LIST)
    _varint(len(body), out)
    return bytes(out + body)


def _bitmap(pages: PageList) -> int:
    if not pages:
        return 0
    data = bytearray(pages[-1] // 8 + 1)
    for page in pages:
        data[page >> 3] |= 1 << (page & 7)
    return int.from_bytes(data, "little")


def _gz(data: bytes, level: int = 9) -> bytes:
    return gzip.compress(data, compresslevel=level, mtime=0)


# ---------------------------------------------------------------------- the writer


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    """No cycle collection while an index is made: it makes millions of lists, arrays and strings and
    no cycles, and each collection walked them all again (a tenth of the index's time at 10,000 pages)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class Page:
    """One page as the index sees it: what a result shows, and the text it is found by."""

    url: str
    kind: str  # "report" or "agency"
    title: str
    agency: str
    text: str  # every word a reader sees in the page's <main>, a line per block
    head: str  # title, agency and region names: a match here ranks first
    prose: str = ""  # the report's own words: a match here ranks before one in the tables' labels only
    year: int | None = None
    published: str = ""
    facets: dict[str, str] = field(default_factory=dict)  # 年度, 机关, 层级 … → value
    topics: list[tuple[str, str]] = field(default_factory=list)  # table rows recorded: (filter, value)


@dataclass
class IndexStats:
    seconds: float
    records: int
    keys: int
    files: int
    bytes: int
    shards: int


def fragment(page: Page) -> bytes:
    """The file a result is shown from (gzip JSON)."""
    record: dict[str, str | int] = {
        "url": page.url,
        "kind": page.kind,
        "title": page.title,
        "agency": page.agency,
        "text": page.text,
    }
    if page.year is not None:
        record["year"] = page.year
    if page.published:
        record["published"] = page.published
    return _gz(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


Parts = tuple[list[str], list[str], list[str]]  # the distinct runs of a page's text, prose and head


def prepare(page: Page) -> tuple[bytes, Parts]:
    """What the writer needs of a page and can be made anywhere: its fragment, the distinct runs of
    its text, prose and head (the slow part of indexing, done in the build's workers)."""
    text = f"{page.text}\n{page.head}"  # the title, agency and region stand on the page, if not always in <main>
    parts = tuple(list(runs(part)) for part in (text, page.prose, page.head))
    return fragment(page), parts  # type: ignore[return-value]


def fragment_path(number: int) -> str:
    return f"{FOLDER}/pages/{number // PAGES_PER_FOLDER}/{number}.bin"


Found = tuple[dict[str, PageList], dict[str, PageList], dict[str, PageList]]  # text, prose, head: run → pages
Facts = tuple[int, int, dict[str, str], list[tuple[str, str]]]  # kind (0 agency, 1 report), year, facets, rows


@dataclass
class Batch:
    """Pages numbered ``first`` on, prepared together (in a worker) and merged into the writer in order:
    one merge of a few hundred runs' page lists instead of one append per run and page."""

    first: int
    facts: list[Facts] = field(default_factory=list)
    found: Found = field(default_factory=lambda: ({}, {}, {}))
    sizes: int = 0  # bytes of the fragments written
    fragments: list[bytes] = field(default_factory=list)  # those not written yet (see IndexWriter.merge)

    @staticmethod
    def facts_of(page: Page) -> Facts:
        return (0 if page.kind == "agency" else 1, page.year or 0, page.facets, page.topics)

    def add(self, facts: Facts, parts: Parts) -> None:
        number = self.first + len(self.facts)
        self.facts.append(facts)
        for found, part in zip(self.found, parts, strict=True):
            for run in part:
                pages = found.get(run)
                if pages is None:
                    found[run] = array("I", (number,))
                else:
                    pages.append(number)


class IndexWriter:
    """Takes the pages in batches, in order, then writes the index through ``write(rel, bytes)``."""

    def __init__(
        self, write: Callable[[str, bytes], None], columns: Iterable[str], topics: Iterable[str], most: int = 60
    ) -> None:
        self.write = write
        self.most = most  # a column with more values than this is not a facet (2,000 agency names are no list)
        self.started = time.perf_counter()
        self.count = 0
        self.files = 0
        self.bytes = 0
        self.columns = list(columns)
        self.values: dict[str, dict[str, int]] = {c: {} for c in self.columns}
        self.cells: dict[str, list[int]] = {c: [] for c in self.columns}  # value number + 1; 0: none
        self.topic_filters = list(topics)
        self.topics: dict[tuple[str, str], list[int]] = {}
        self.kinds: list[int] = []
        self.years: list[int] = []
        self.found: Found = ({}, {}, {})

    def _file(self, rel: str, data: bytes) -> None:
        self.write(f"{FOLDER}/{rel}", data)
        self.files += 1
        self.bytes += len(data)

    def merge(self, batch: Batch) -> None:
        """The next pages: their facts and runs; their fragments, where the batch holds them, are written
        here (at :func:`fragment_path`), else counted as written already."""
        assert batch.first == self.count, "batches are merged in the order of their pages"
        for offset, data in enumerate(batch.fragments):
            self.write(fragment_path(batch.first + offset), data)
        self.files += len(batch.facts)
        self.bytes += batch.sizes + sum(len(d) for d in batch.fragments)
        for kind, year, facets, topics in batch.facts:
            number = self.count
            self.count += 1
            self.kinds.append(kind)
            self.years.append(year)
            for column in self.columns:
                value = facets.get(column, "")
                numbers = self.values[column]
                self.cells[column].append(numbers.setdefault(value, len(numbers)) + 1 if value else 0)
            for topic in topics:
                self.topics.setdefault(topic, []).append(number)
        for found, part in zip(self.found, batch.found, strict=True):
            for run, pages in part.items():
                known = found.get(run)
                if known is None:
                    found[run] = pages
                else:
                    known.extend(pages)

    def _grouped(self) -> tuple[list[dict[str, list[PageList]]], dict[int, int]]:
        """For each part (page text, prose, head): key → the page lists of the runs that hold it; and the
        bitmaps of the runs on many pages (by ``id`` of their list), made once for every key they hold.

        A run's pieces are cut once, for all three parts (the head's runs are the text's; the prose's
        nearly all are), and not kept: at 100,000 pages they would outweigh the page lists.
        A run on few pages stays a list: at 100,000 pages a bitmap is 12.5 KB, and most titles are unique."""
        dense = max(1, self.count // DENSE)
        bitmaps: dict[int, int] = {}
        out: list[dict[str, list[PageList]]] = [{}, {}, {}]
        text, prose = self.found[:2]
        for run in {**text, **prose}:  # the head's runs are the text's
            keys = grams(run)
            for found, by_key in zip(self.found, out, strict=True):
                pages = found.get(run)
                if pages is None:
                    continue
                if len(pages) >= dense:
                    bitmaps[id(pages)] = _bitmap(pages)
                for key in keys:
                    held = by_key.get(key)
                    if held is None:
                        by_key[key] = [pages]
                    else:
                        held.append(pages)
        return out, bitmaps

    def _entries(self, jobs: int) -> list[tuple[int, bytes]]:
        """Every key's entry (key, pages with it, in the prose, in the head), with the key's hash; the
        unions and their encoding spread over ``jobs`` workers."""
        (text, prose, head), bitmaps = self._grouped()
        pages = self.count

        def union(lists: list[PageList] | None) -> int | list[int]:
            if not lists:
                return []
            if len(lists) == 1 and id(lists[0]) not in bitmaps:
                return list(lists[0])
            bits, sparse = 0, []
            for one in lists:
                if id(one) in bitmaps:
                    bits |= bitmaps[id(one)]
                else:
                    sparse.append(one)
            ids = sorted(set().union(*sparse)) if sparse else []
            return bits | _bitmap(ids) if bits else ids

        def encode(keys: list[str]) -> list[tuple[int, bytes]]:
            out = []
            for key in keys:
                on_page = union(text[key])
                raw = key.encode("utf-8")
                entry = bytearray()
                _varint(len(raw), entry)
                entry += raw
                entry += posting(on_page, pages) + posting(union(prose.get(key)), pages, on_page)
                entry += posting(union(head.get(key)), pages)
                out.append((key_hash(key), bytes(entry)))
            return out

        keys = sorted(text)
        chunks = [keys[i : i + KEYS_PER_JOB] for i in range(0, len(keys), KEYS_PER_JOB)]
        return [entry for part in pool.run(chunks, encode, jobs) for entry in part]

    def finish(self, jobs: int = 1) -> IndexStats:
        """Write the shards, the facet columns, the table rows and ``meta.bin``."""
        pages = self.count
        entries = self._entries(jobs)
        total = sum(len(entry) for _, entry in entries)
        ident = hashlib.sha256()
        for _, entry in entries:
            ident.update(entry)
        shards = 1
        while total / shards > SHARD_BYTES and shards < 1 << 16:
            shards *= 2
        grouped: list[bytearray] = [bytearray() for _ in range(shards)]
        for h, entry in entries:
            grouped[h & (shards - 1)] += entry
        for number, data in enumerate(grouped):
            if data:
                self._file(f"shards/{number:x}.bin", _gz(bytes(data)))
        kept = [c for c in self.columns if len(self.values[c]) <= self.most]
        columns = bytearray()
        for cells in (self.kinds, self.years, *(self.cells[c] for c in kept)):
            columns += struct.pack(f"<{pages}H", *cells)
        self._file("columns.bin", _gz(bytes(columns)))
        topic_keys = sorted(self.topics, key=lambda t: (self._topic_order(t[0]), t[1]))
        self._file("topics.bin", _gz(b"".join(posting(_bitmap(self.topics[t]), pages) for t in topic_keys)))
        meta = {
            "format": FORMAT,
            "id": ident.hexdigest()[:16],  # the files' version: the browser asks for shards/3.bin?v=<id>
            "pages": pages,
            "shards": shards,
            "gram": GRAM,
            "columns": [[c, sorted(self.values[c], key=self.values[c].__getitem__)] for c in kept],
            "topics": [list(t) for t in topic_keys],
        }
        self._file("meta.bin", _gz(json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")))
        seconds = time.perf_counter() - self.started
        return IndexStats(seconds, pages, len(entries), self.files, self.bytes, shards)

    def _topic_order(self, name: str) -> int:
        return self.topic_filters.index(name) if name in self.topic_filters else len(self.topic_filters)


__all__ = [
    "FOLDER",
    "Batch",
    "Facts",
    "IndexStats",
    "IndexWriter",
    "Page",
    "Parts",
    "collector_off",
    "fragment",
    "grams",
    "key_hash",
    "posting",
    "prepare",
    "runs",
]
