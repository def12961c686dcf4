#!/usr/bin/env python3
"""What a comparison costs a reader: the bytes the compare page downloads, at a given corpus size.

    python3 bench/compare_bench.py --reports 10000 [--seed 11] [--out bench/compare.json]

Generates the corpus (`gongkai demo`), builds it without search, then opens /compare/ in headless Chromium with a
cold cache twice — the default view (the first region's largest peer group) and a view of two regions — and counts
every byte the page fetched (HTML, CSS, scripts, JSON). Also lists the size of compare/index.json and of the region
files (smallest, median, largest), so the cost of any other view can be read off.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.chromium import CHROMIUM, FLAGS  # noqa: E402


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def fetched(site: Path, query: str) -> dict[str, float]:
    """Bytes (as served, uncompressed: Python's server does not gzip) the compare page fetched for ``query``."""
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_context().new_page()

            def done(response: object) -> None:
                body = response.body()  # type: ignore[attr-defined]
                sizes[response.url.split("?")[0]] = len(body)  # type: ignore[attr-defined]

            page.on("response", done)
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/compare/{query}")
            page.wait_for_selector("table.compare-table")
            seconds = time.perf_counter() - started
            browser.close()
    finally:
        httpd.shutdown()
    data = sum(v for k, v in sizes.items() if k.endswith(".json"))
    return {
        "total_kb": round(sum(sizes.values()) / 1024, 1),
        "json_kb": round(data / 1024, 1),
        "requests": len(sizes),
        "seconds_to_tables": round(seconds, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-compare-") as tmp:
        src, site = Path(tmp) / "src", Path(tmp) / "site"
        gongkai = [sys.executable, "-m", "generator"]
        subprocess.run(
            [*gongkai, "demo", str(args.reports), str(src), "--seed", str(args.seed)], check=True, capture_output=True
        )
        subprocess.run(
            [*gongkai, "build", str(src), "--out", str(site), "--no-search"], check=True, capture_output=True, cwd=REPO
        )
        index = json.loads((site / "compare/index.json").read_text("utf-8"))
        paths = sorted((site / "compare/g").iterdir())
        files = sorted(p.stat().st_size for p in paths)
        gz = sorted(len(gzip.compress(p.read_bytes())) for p in paths)
        two = ",".join("/".join(g["region"]) for g in index["groups"][:2])
        row = {
            "reports": args.reports,
            "regions": len(files),
            "index_kb": round((site / "compare/index.json").stat().st_size / 1024, 1),
            "region_file_kb": {
                "min": round(files[0] / 1024, 1),
                "median": round(statistics.median(files) / 1024, 1),
                "max": round(files[-1] / 1024, 1),
            },
            "region_file_gzip_kb": {"median": round(statistics.median(gz) / 1024, 1), "max": round(gz[-1] / 1024, 1)},
            "all_region_files_kb": round(sum(files) / 1024, 1),
            "default_view": fetched(site, ""),
            "two_regions": fetched(site, f"?g={two}"),
        }
    print(json.dumps(row, ensure_ascii=False))
    if args.out:
        info = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": f"{platform.machine()}, {platform.platform()}",
            "python": platform.python_version(),
            "results": [row],
        }
        args.out.write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
