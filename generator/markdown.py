"""The one Markdown configuration of the portal (markdown-it-py).

CommonMark plus tables. Raw HTML in a body is escaped, not rendered, unless the
site allows it; ``javascript:`` and other unsafe links are never rendered
(markdown-it's ``validateLink``). Where raw HTML is allowed, the page is cleaned by an
allow-list sanitiser (nh3, the Rust ``ammonia``): ordinary tags and attributes stay;
scripts, styles, event handlers, frames, forms and any URL but http(s), mailto and tel go.
Headings get ids that work for Chinese (never empty, de-duplicated per page: many generators ship empty ids for CJK
headings, python-markdown #54).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


class Slugger:
    """Unicode-preserving heading ids, unique within one page."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())
        self.count = 0

    def __call__(self, text: str) -> str:
        self.count += 1
        text = unicodedata.normalize("NFKC", text).strip().lower()
        # Keep letters and digits of every script (汉字 included); everything else becomes a hyphen.
        slug = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
        if not slug:
            slug = f"section-{self.count}"
        base, n = slug, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


def _heading_ids(slugger_for: Callable[[], Slugger]) -> Callable[[StateCore], None]:
    def rule(state: StateCore) -> None:
        slugger = slugger_for()
        tokens = state.tokens
        for i, token in enumerate(tokens):
            if token.type == "heading_open" and not token.attrGet("id"):
                inline = tokens[i + 1]
                text = "".join(c.content for c in (inline.children or []) if c.type in ("text", "code_inline"))
                token.attrSet("id", slugger(text))

    return rule


# What raw HTML may keep (allow_html): ammonia's defaults, plus heading ids (links to sections),
# a code block's language class and a table cell's alignment (markdown-it writes both).
_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    **{f"h{n}": {"id"} for n in range(1, 7)},
    "code": {"class"},
    "th": {*nh3.ALLOWED_ATTRIBUTES["th"], "style"},
    "td": {*nh3.ALLOWED_ATTRIBUTES["td"], "style"},
    "*": {"lang", "title", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise(html: str) -> str:
    """Raw HTML an editor wrote, without anything that runs or loads (see the module's docstring)."""
    return str(
        nh3.clean(
            html,
            attributes=_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            clean_content_tags={"script", "style"},
            filter_style_properties={"text-align"},
            link_rel=None,
        )
    )


class Markdown:
    """``render(text, slugger)`` → HTML; one instance per build."""

    def __init__(self, allow_html: bool = False, heading_offset: int = 0) -> None:
        self._slugger = Slugger()
        self.allow_html = allow_html
        self.md = MarkdownIt("commonmark", {"html": allow_html, "linkify": False, "typographer": False})
        self.md.enable("table")
        self.md.core.ruler.push("heading_ids", _heading_ids(lambda: self._slugger))
        self.heading_offset = heading_offset
        if heading_offset:
            self.md.core.ruler.push("heading_offset", self._shift_headings)

    def _shift_headings(self, state: StateCore) -> None:
        for token in state.tokens:
            if token.type in ("heading_open", "heading_close"):
                level = min(6, int(token.tag[1]) + self.heading_offset)
                token.tag = f"h{level}"

    def render(self, text: str, slugger: Slugger | None = None) -> str:
        self._slugger = slugger or Slugger()
        html = str(self.md.render(text))
        return sanitise(html) if self.allow_html else html
