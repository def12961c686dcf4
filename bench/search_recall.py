#!/usr/bin/env python3
"""Recall, precision and excerpts of the search page, as a reader types (issue: search every word a reader sees).

    .venv/bin/python bench/search_recall.py [--phrases 40] [--seed 7] [SITE_SOURCE]

Builds the site (default examples/demo) with its search index, serves it, and types phrases into
the search page in headless Chromium. Phrases are drawn (seeded) from the agency and report
pages' own visible text: runs of 2–6 Chinese characters within one block. A page "shows" a phrase
when one block of its ``<main>`` contains it (``scripts/search_check.py``). For each phrase: the
pages found (all result pages, after "更多"), those that show it, and whether the first result's
excerpt shows it.
Prints one line a phrase and the totals: recall = found ∩ showing / showing; precision = found ∩
showing / found.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from generator import build as builder  # noqa: E402
from scripts import search_check  # noqa: E402
from scripts.chromium import CHROMIUM, FLAGS  # noqa: E402


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", nargs="?", type=Path, default=REPO / "examples" / "demo")
    ap.add_argument("--phrases", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-recall-") as tmp:
        site = Path(tmp) / "site"
        builder.build(args.source, site)
        pages = search_check.page_blocks(site)
        phrases = search_check.draw(pages, args.phrases, args.seed)
        handler = functools.partial(Quiet, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        tally = search_check.Tally()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/search/")
            for phrase in phrases:
                hrefs, excerpts = search_check.typed(page, phrase)
                tally.add(phrase, search_check.showing(pages, phrase), hrefs, excerpts)
                print(tally.lines[-1])
            browser.close()
        httpd.shutdown()
    print(tally.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
