#!/usr/bin/env python3
"""Rebuild speed: a clean build, a build with nothing changed, and one edited report.

For each size N (reports from ../shared/bench/gen_corpus.py):
  clean      `gongkai build` with no cache and no previous output
  unchanged  the same build again (nothing changed)
  edit/disk  one report's prose edited, `gongkai build` (cache in .gongkai-cache/)
  edit/serve one report's prose edited, the rebuild `gongkai serve` runs (cache in memory);
             the browser reloads at the next poll of the watcher (at most 0.8 s later)

    python3 bench/rebuild_bench.py [--sizes 1000,10000] [--no-search] [--out bench/rebuild.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"
sys.path.insert(0, str(REPO))

from generator import build as builder  # noqa: E402
from generator.serve import Rebuilder  # noqa: E402


def edit(source: Path, n: int) -> None:
    report = sorted(source.glob("content/*/*.md"))[len(list(source.glob("content/*/*.md"))) // 2]
    report.write_text(report.read_text("utf-8") + f"\n编辑第 {n} 次。\n", encoding="utf-8")


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
            subprocess.run([sys.executable, str(GEN), str(n), str(source), "--seed", "11"], check=True,
                           capture_output=True)
            row: dict[str, float | int] = {"reports": n}
            t = time.perf_counter()
            builder.build(source, search=search)
            row["clean_s"] = time.perf_counter() - t
            t = time.perf_counter()
            result = builder.build(source, search=search)
            row["unchanged_s"] = time.perf_counter() - t
            assert result.unchanged
            edit(source, 1)
            t = time.perf_counter()
            builder.build(source, search=search)
            row["edit_disk_cache_s"] = time.perf_counter() - t
            served = Rebuilder(source, Path(tmp) / "served", search=search, log=lambda _: None)
            served.rebuild(force=True)
            times = []
            for i in range(2, 5):
                edit(source, i)
                t = time.perf_counter()
                served.rebuild()
                times.append(time.perf_counter() - t)
            row["edit_serve_s"] = sorted(times)[1]
            rows.append({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()})
            print(json.dumps(rows[-1]), flush=True)
    if args.out:
        args.out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "search": search, "results": rows},
                                       indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
