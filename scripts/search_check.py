"""What a reader sees on a built site's pages, and what the search page answers: the recall check.

Used by the suite (``tests/test_search.py``) and by ``bench/search_recall.py``. The truth is read
with BeautifulSoup, independently of the index's own text extraction: a page *shows* a phrase when
the phrase stands within one block of its ``<main>`` (a paragraph, a heading, a list item, a table
cell), the navigation left out. Phrases are drawn (seeded) from those blocks.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from playwright.sync_api import Page

HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "caption",
    "thead", "tbody", "tfoot", "section", "article", "header", "footer", "aside", "dl", "dt", "dd", "figure",
    "figcaption", "blockquote", "pre", "details", "summary", "form", "fieldset", "legend", "br", "hr",
}  # fmt: skip
UNSEEN = {"nav", "script", "style", "template"}


def _blocks(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            out[-1] += str(child)
        elif isinstance(child, Tag) and child.name not in UNSEEN:
            if child.name in BLOCKS:
                out.append("")
            _blocks(child, out)
            if child.name in BLOCKS:
                out.append("")


def blocks(html: str) -> list[str]:
    """The text of each block of the page's ``<main>``, white space removed."""
    main = BeautifulSoup(html, "html.parser").find("main")
    out = [""]
    if isinstance(main, Tag):
        _blocks(main, out)
    return [b for b in ("".join(x.split()) for x in out) if b]


def page_blocks(site: Path) -> dict[str, list[str]]:
    """Every agency and report page of a built site: its URL path → its blocks."""
    out = {}
    for f in [*site.glob("agencies/*/index.html"), *site.glob("agencies/*/*/index.html")]:
        out["/" + f.parent.relative_to(site).as_posix() + "/"] = blocks(f.read_text("utf-8"))
    return out


def showing(pages: dict[str, list[str]], phrase: str) -> set[str]:
    return {url for url, bl in pages.items() if any(phrase in b for b in bl)}


def draw(pages: dict[str, list[str]], count: int, seed: int) -> list[str]:
    """``count`` distinct phrases of 2–6 Chinese characters, each cut from a block of a page."""
    rng, urls, out = random.Random(seed), sorted(pages), []
    while len(out) < count:
        runs = [r for b in pages[rng.choice(urls)] for r in HAN.findall(b)]
        if not runs:
            continue
        run = rng.choice(runs)
        n = rng.randint(2, min(6, len(run)))
        i = rng.randint(0, len(run) - n)
        if run[i : i + n] not in out:
            out.append(run[i : i + n])
    return out


def typed(page: Page, query: str) -> tuple[list[str], list[str]]:
    """Type ``query`` on the search page: every result's URL path (更多 clicked until none are left), the excerpts."""
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


class Tally:
    """Recall, precision and excerpts over the phrases checked."""

    def __init__(self) -> None:
        self.showing = self.found = self.both = self.excerpts = self.phrases = 0
        self.lines: list[str] = []

    def add(self, phrase: str, shown_on: set[str], hrefs: list[str], excerpts: list[str]) -> None:
        found = set(hrefs)
        ok = bool(excerpts) and phrase in "".join(excerpts[0].split())
        self.phrases += 1
        self.showing += len(shown_on)
        self.found += len(found)
        self.both += len(found & shown_on)
        self.excerpts += ok
        self.lines.append(
            f"{phrase}\tshowing {len(shown_on)}\tfound {len(found)}\tboth {len(found & shown_on)}\texcerpt {ok}"
        )

    @property
    def recall(self) -> float:
        return self.both / max(1, self.showing)

    @property
    def precision(self) -> float:
        return self.both / max(1, self.found)

    def summary(self) -> str:
        return f"recall {self.recall:.3f}  precision {self.precision:.3f}  excerpts {self.excerpts}/{self.phrases}"
