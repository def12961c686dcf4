#!/usr/bin/env python3
"""Search at scale: index time, peak memory, index size, and what one query costs a browser.

For each size N: generate N reports with `gongkai demo` (generator/corpus/), run `gongkai build`
in a child process (so its memory figures are its own), then load /search/ in headless
Chromium with a cold cache, type a query and measure the bytes fetched from /search-index/
(and the search page's own script) and the time from the last keystroke to the first results
on screen.

    python3 bench/search_bench.py [--sizes 1000,10000] [--queries 依申请公开,信访] [--out bench/search.json]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.chromium import CHROMIUM, FLAGS  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from generator import build
started = time.perf_counter()
r = build.build(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({
    "build_seconds": time.perf_counter() - started,
    "index_seconds": r.search.seconds, "records": r.search.records, "keys": r.search.keys,
    "index_files": r.search.files, "index_bytes": r.search.bytes, "shards": r.search.shards,
    "build_process_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "workers_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""

# The index step alone, on the site just built: its time and the memory it adds to the model's.
INDEX_CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
from generator import build, content, model, pool, search, validate
from generator.folders import Stage
src = content.load_site(Path(sys.argv[1]))
site = model.build_site(src, validate.validate_site(src).diagnostics)
search.facets(site)
before = int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS:")).split()[1]) / 1024
started = time.perf_counter()
with tempfile.TemporaryDirectory() as out:
    search.write_index(site, build.page_reader(Path(sys.argv[2])), Stage(Path(out)), pool.jobs_wanted())
print(json.dumps({
    "index_only_seconds": time.perf_counter() - started,
    "model_mb": before,
    "index_process_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "index_workers_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def browser_query(site: Path, queries: list[str], runs: int = 3) -> dict[str, dict[str, float]]:
    """Per query, the median of ``runs`` cold-cache runs: bytes of the search and time to first results."""
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    report: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for query in queries:
            runs_out: dict[str, list[float]] = {}
            for _ in range(runs):
                context = browser.new_context()  # a cold cache every run
                page = context.new_page()
                fetched: list[tuple[str, int]] = []

                def finished(request, fetched=fetched) -> None:  # type: ignore[no-untyped-def]
                    if "/search-index/" in request.url or request.url.endswith("search.js"):
                        s = request.sizes()
                        fetched.append((request.url, s["responseBodySize"] + s["responseHeadersSize"]))

                page.on("requestfinished", finished)
                page.goto(base + "search/")
                page.wait_for_function("document.getElementById('search-status').hasAttribute('data-query')")
                page.wait_for_load_state("networkidle")
                page.evaluate(
                    """q => { const i = document.getElementById('search-q'); i.value = q;
                              window.__typed = performance.now();
                              i.dispatchEvent(new Event('input', {bubbles: true})); }""",
                    query,
                )
                page.wait_for_function(
                    "q => document.getElementById('results').getAttribute('data-query') === q", arg=query, polling="raf"
                )
                elapsed = page.evaluate("performance.now() - window.__typed")
                page.wait_for_load_state("networkidle")
                fragments = [n for u, n in fetched if "/pages/" in u]
                kinds = {
                    "fixed_kb": sum(n for u, n in fetched if "/shards/" not in u and "/pages/" not in u),
                    "shards_kb": sum(n for u, n in fetched if "/shards/" in u),
                    "fragments_kb": sum(fragments),
                }
                total = sum(kinds.values())
                values = {k: v / 1024 for k, v in kinds.items()}
                values["total_kb"] = total / 1024
                values["requests"] = len(fetched)
                values["first_results_ms"] = elapsed
                for k, v in values.items():
                    runs_out.setdefault(k, []).append(v)
                context.close()
            report[query] = {k: round(sorted(v)[len(v) // 2], 1) for k, v in runs_out.items()}
        browser.close()
    httpd.shutdown()
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--queries", default="依申请公开,信访,过程性信息,行政复议,2025年,原文链接,三审三校,12345热线")
    ap.add_argument("--keep", type=Path, default=None, help="build into this folder and keep it (the last size)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        with (
            contextlib.nullcontext(str(args.keep))
            if args.keep
            else tempfile.TemporaryDirectory(prefix=f"gongkai-bench-{n}-") as tmp
        ):
            for old in ("src", "site"):
                shutil.rmtree(Path(tmp) / old, ignore_errors=True)
            src, site = Path(tmp) / "src", Path(tmp) / "site"
            subprocess.run(
                [sys.executable, "-m", "generator", "demo", str(n), str(src), "--seed", str(args.seed)],
                check=True,
                capture_output=True,
            )
            child = subprocess.run(
                [sys.executable, "-c", CHILD, str(src), str(site)], check=True, capture_output=True, text=True, cwd=REPO
            )
            row = {"reports": n, **json.loads(child.stdout.strip().splitlines()[-1])}
            alone = subprocess.run(
                [sys.executable, "-c", INDEX_CHILD, str(src), str(site)],
                check=True,
                capture_output=True,
                text=True,
                cwd=REPO,
            )
            row.update(json.loads(alone.stdout.strip().splitlines()[-1]))
            row["queries"] = browser_query(site, args.queries.split(","))
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    info = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "python": platform.python_version(),
        "results": results,
    }
    if args.out:
        args.out.write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
