"""The search index's format: runs, keys, postings, shards (generator/searchindex.py), read back as the browser does."""

from __future__ import annotations

import gc
import gzip
import json
from array import array
from pathlib import Path

import pytest

from generator import searchindex as si
from generator.folders import Stage


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def read_posting(data: bytes, at: int, total: int, above: set[int] | None = None) -> tuple[set[int], int]:
    """The browser's decoding (search.js ``posting``), in Python."""
    kind = data[at]
    at += 1
    if kind == si.EMPTY:
        return set(), at
    if kind == si.ALL:
        return set(range(total)), at
    if kind == si.BITMAP:
        size = (total + 7) // 8
        bits = int.from_bytes(data[at : at + size], "little")
        return {i for i in range(total) if bits >> i & 1}, at + size
    if kind == si.LIST:
        length, at = read_varint(data, at)
        end, page, out = at + length, -1, set()
        while at < end:
            gap, at = read_varint(data, at)
            page += gap + 1
            out.add(page)
        return out, at
    assert kind == si.SAME and above is not None
    return above, at


def read_shard(data: bytes, total: int) -> dict[str, tuple[set[int], set[int], set[int]]]:
    out, at = {}, 0
    while at < len(data):
        length, at = read_varint(data, at)
        key = data[at : at + length].decode("utf-8")
        at += length
        page, at = read_posting(data, at, total)
        prose, at = read_posting(data, at, total, page)
        head, at = read_posting(data, at, total)
        out[key] = (page, prose, head)
    return out


def test_runs_are_cut_at_punctuation_lower_cased_and_normalised() -> None:
    assert si.runs("国办公开办函〔2021〕30号") == {"国办公开办函", "2021", "30号"}
    assert si.runs("Ｐdf　２０２５年，ABC") == {"pdf", "2025年", "abc"}
    assert si.runs("①号 ㎡") == {"1号"}  # ㎡ is a symbol, not a letter: on neither side of the index
    assert si.runs("") == set()


def test_grams_are_every_piece_of_one_to_three_characters() -> None:
    assert si.grams("信访举报") == {"信", "访", "举", "报", "信访", "访举", "举报", "信访举", "访举报"}
    assert si.grams("议") == {"议"}


@pytest.mark.parametrize(
    ("pages", "kind"),
    [([], si.EMPTY), (list(range(100)), si.ALL), ([3, 70], si.LIST), (list(range(0, 100, 2)), si.BITMAP)],
)
def test_a_posting_is_the_smallest_form_and_reads_back(pages: list[int], kind: int) -> None:
    for form in (pages, sum(1 << p for p in pages)):  # a sorted list or a bitmap: the same bytes
        data = si.posting(form, 100)
        assert data[0] == kind
        assert read_posting(data, 0, 100) == (set(pages), len(data))
    assert si.posting([3, 70], 100, same_as=[3, 70]) == bytes([si.SAME])
    assert si.posting(array("I", pages), 100) == si.posting(pages, 100)  # the page lists a writer holds


def test_no_cycle_collection_while_an_index_is_made_and_as_it_was_after() -> None:
    assert gc.isenabled()
    with si.collector_off():
        assert not gc.isenabled()
        with si.collector_off():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner one does not turn it back on
    assert gc.isenabled()


def test_the_hash_is_fnv1a_of_utf8() -> None:
    assert si.key_hash("") == 0x811C9DC5
    assert si.key_hash("a") == 0xE40C292C  # the published FNV-1a test vector
    assert si.key_hash("信访") == si.key_hash("信访") != si.key_hash("访信")


def _page(n: int, text: str, **kw: object) -> si.Page:
    return si.Page(url=f"p{n}/", kind="report", title=f"报告{n}", agency="某局", text=text, head=f"报告{n} 某局", **kw)


def test_a_written_index_finds_each_key_on_exactly_its_pages(tmp_path: Path) -> None:
    stage = Stage(tmp_path)
    writer = si.IndexWriter(stage.write_bytes, ["年度"], ["不予处理"])
    pages = [
        _page(
            0, "收到信访举报投诉类申请3件。", prose="收到信访举报投诉类申请3件。", year=2024, facets={"年度": "2024"}
        ),
        _page(
            1, "信息公开。行政复议 0", year=2025, facets={"年度": "2025"}, topics=[("不予处理", "信访举报投诉类申请")]
        ),
        _page(2, "举报电话12345热线", year=2025, facets={"年度": "2025"}),
    ]
    first, second = si.Batch(0), si.Batch(2)  # as two workers would make them
    for number, page in enumerate(pages):
        data, parts = si.prepare(page)
        (first if number < 2 else second).add(si.Batch.facts_of(page), parts)
        (first if number < 2 else second).fragments.append(data)
    writer.merge(first)
    writer.merge(second)
    stats = writer.finish()
    root = tmp_path / si.FOLDER
    meta = json.loads(gzip.decompress((root / "meta.bin").read_bytes()))
    assert meta["pages"] == 3 and meta["shards"] == stats.shards
    assert meta["columns"] == [["年度", ["2024", "2025"]]]
    assert meta["topics"] == [["不予处理", "信访举报投诉类申请"]]
    keys: dict[str, tuple[set[int], set[int], set[int]]] = {}
    for shard in (root / "shards").iterdir():
        entries = read_shard(gzip.decompress(shard.read_bytes()), 3)
        assert all(si.key_hash(k) & (meta["shards"] - 1) == int(shard.stem, 16) for k in entries)
        keys.update(entries)
    assert keys["信访"] == ({0}, {0}, set())
    assert keys["举报"][0] == {0, 2}
    assert keys["热线"][0] == {2} and keys["123"][0] == {2}
    assert keys["复议"][0] == {1} and keys["议"][0] == {1}
    assert keys["报告"][2] == {0, 1, 2}  # the head: title and agency
    assert "息公开" in keys and "。" not in keys
    columns = gzip.decompress((root / "columns.bin").read_bytes())
    assert list(memoryview(columns).cast("H")) == [1, 1, 1, 2024, 2025, 2025, 1, 2, 2]  # kind, year, 年度
    fragment = json.loads(gzip.decompress((root / "pages/0/1.bin").read_bytes()))
    assert fragment == {
        "url": "p1/",
        "kind": "report",
        "title": "报告1",
        "agency": "某局",
        "text": "信息公开。行政复议 0",
        "year": 2025,
    }
