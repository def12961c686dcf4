#!/usr/bin/env python3
"""Rebuild speed: a clean build, a build with nothing changed, and one edited report.

For each size N (reports from `gongkai demo` (generator/corpus/)):
  clean        `gongkai build` with no cache and no previous output
  unchanged    the same build again (nothing changed)
  edit/disk    one report's prose edited, `gongkai build` (cache in .gongkai-cache/)
  serve/http   one report edited while `gongkai serve` runs: from the save until the page, fetched over
               HTTP every 20 ms, carries the edit (watcher + rebuild + write; the browser's reload follows)
  serve/index  the same save until the search index holds the edit (the search page says it is being
               updated until then)
  serve/build  the rebuild alone, in process (what serve/http spends building)

    python3 bench/rebuild_bench.py [--sizes 1000,10000] [--no-search] [--out bench/rebuild.json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import build as builder  # noqa: E402
from generator.serve import Rebuilder  # noqa: E402


def edit(report: Path, n: int) -> str:
    marker = f"编辑标记{n}号。"
    report.write_text(report.read_text("utf-8") + f"\n{marker}\n", encoding="utf-8")
    return marker


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return str(r.read().decode("utf-8"))


def until(check: object, timeout: float, step: float = 0.02) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if check():  # type: ignore[operator]
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(step)
    raise TimeoutError


def served_over_http(source: Path, search: bool, reports: list[Path]) -> tuple[list[float], list[float]]:
    """Edit while a real `gongkai serve` runs; seconds until the page shows it and until the index has it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "generator", "serve", str(source), "--port", str(port)]
    if not search:
        cmd.append("--no-search")
    proc = subprocess.Popen(
        cmd, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}/"
    page_times, index_times = [], []
    try:
        until(lambda: "<h1" in fetch(base), timeout=900, step=0.5)
        for i, report in enumerate(reports):
            url = base + "agencies/" + report.parent.name + "/" + report.stem + "/"
            time.sleep(1.5)  # the previous save's index settles
            marker = edit(report, 100 + i)
            saved = time.perf_counter()
            until(lambda: marker in fetch(url), timeout=120)  # noqa: B023
            page_times.append(time.perf_counter() - saved)
            if search:
                until(lambda: '"pending"' not in fetch(base + "search/facets.json"), timeout=300)
                index_times.append(time.perf_counter() - saved)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return page_times, index_times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    search = not args.no_search
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"gongkai-rebuild-{n}-") as tmp:
            source = Path(tmp) / "src"
            subprocess.run(
                [sys.executable, "-m", "generator", "demo", str(n), str(source), "--seed", "11"],
                check=True,
                capture_output=True,
            )
            reports = sorted(source.glob("content/*/*.md"))
            row: dict[str, float | int | list[float]] = {"reports": n}
            t = time.perf_counter()
            builder.build(source, search=search)
            row["clean_s"] = time.perf_counter() - t
            t = time.perf_counter()
            result = builder.build(source, search=search)
            row["unchanged_s"] = time.perf_counter() - t
            assert result.unchanged
            edit(reports[n // 2], 1)
            t = time.perf_counter()
            builder.build(source, search=search)
            row["edit_disk_cache_s"] = time.perf_counter() - t

            served = Rebuilder(source, Path(tmp) / "served", search=search, log=lambda _: None)
            served.rebuild(force=True)
            builds = []
            for i in range(2, 5):
                edit(reports[n // 3 + i], i)
                t = time.perf_counter()
                served.rebuild()
                builds.append(time.perf_counter() - t)
                served.indexer.idle(timeout=300)
            row["serve_build_s"] = statistics.median(builds)

            pages, indexes = served_over_http(source, search, [reports[n // 4 + i] for i in range(3)])
            row["serve_http_s"] = statistics.median(pages)
            row["serve_http_all_s"] = pages
            if indexes:
                row["serve_index_s"] = statistics.median(indexes)
            rows.append(
                {
                    k: round(v, 2) if isinstance(v, float) else [round(x, 2) for x in v] if isinstance(v, list) else v
                    for k, v in row.items()
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    if args.out:
        args.out.write_text(
            json.dumps({"date": time.strftime("%Y-%m-%d"), "search": search, "results": rows}, indent=1) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
