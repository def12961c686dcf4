#!/usr/bin/env python3
"""Recall, precision and excerpts of the search page, as a reader types (issue: search every word a reader sees).

    .venv/bin/python bench/search_recall.py [--phrases 40] [--seed 7] [SITE_SOURCE]

Builds the site (default examples/demo) with its search index, serves it, and types phrases into
the search page in headless Chromium. Phrases are drawn (seeded) from the report pages' own
visible text: runs of 2–6 Chinese characters. A page "shows" a phrase when the text of its
``<main>`` (white space removed) contains it. For each phrase: the report pages found (all
result pages, after "更多"), those that show it, and whether the first result's excerpt shows it.
Prints one line a phrase and the totals: recall = found ∩ showing / showing; precision = found ∩
showing / found.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import random
import re
import sys
import tempfile
import threading
from pathlib import Path

from bs4 import BeautifulSoup
from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from generator import build as builder  # noqa: E402
from scripts.chromium import CHROMIUM, FLAGS  # noqa: E402

RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def page_texts(site: Path) -> dict[str, str]:
    out = {}
    for f in site.glob("agencies/*/*/index.html"):
        main = BeautifulSoup(f.read_text("utf-8"), "html.parser").find("main")
        out["/" + f.parent.relative_to(site).as_posix() + "/"] = "".join(main.get_text().split())
    return out


def draw(texts: dict[str, str], count: int, seed: int) -> list[str]:
    rng, keys, out = random.Random(seed), sorted(texts), []
    while len(out) < count:
        run = rng.choice(RUN.findall(texts[rng.choice(keys)]))
        n = rng.randint(2, min(6, len(run)))
        i = rng.randint(0, len(run) - n)
        if run[i : i + n] not in out:
            out.append(run[i : i + n])
    return out


def typed(page: Page, query: str) -> tuple[list[str], list[str]]:
    page.fill("#search-q", query)
    page.wait_for_function("q => document.getElementById('search-status').getAttribute('data-query') === q", arg=query)
    if not page.inner_text("#search-status").startswith("没有找到"):
        page.wait_for_function("q => document.getElementById('results').getAttribute('data-query') === q", arg=query)
        while page.is_visible("#more"):
            shown = page.eval_on_selector_all(".result", "els => els.length")
            page.click("#more")
            page.wait_for_function("n => document.querySelectorAll('.result').length > n", arg=shown)
    hrefs = page.eval_on_selector_all(".result-title a", "els => els.map(e => new URL(e.href).pathname)")
    excerpts = page.eval_on_selector_all(".result-excerpt", "els => els.map(e => e.textContent)")
    return hrefs, excerpts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", nargs="?", type=Path, default=REPO / "examples" / "demo")
    ap.add_argument("--phrases", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-recall-") as tmp:
        site = Path(tmp) / "site"
        builder.build(args.source, site)
        texts = page_texts(site)
        phrases = draw(texts, args.phrases, args.seed)
        handler = functools.partial(Quiet, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        showing_total = found_total = hits = excerpts_ok = 0
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/search/")
            for phrase in phrases:
                hrefs, excerpts = typed(page, phrase)
                found = {h for h in hrefs if h in texts}
                showing = {k for k, t in texts.items() if phrase in t}
                ok = bool(excerpts) and phrase in "".join(excerpts[0].split())
                showing_total, found_total = showing_total + len(showing), found_total + len(found)
                hits, excerpts_ok = hits + len(found & showing), excerpts_ok + ok
                print(
                    f"{phrase}\tshowing {len(showing)}\tfound {len(found)}\tboth {len(found & showing)}\texcerpt {ok}"
                )
            browser.close()
        httpd.shutdown()
    recall, precision = hits / max(1, showing_total), hits / max(1, found_total)
    print(f"recall {recall:.3f}  precision {precision:.3f}  excerpts {excerpts_ok}/{len(phrases)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
