"""The portal as its readers meet it, in headless Chromium: on a phone (390 px), on a desktop (1366 px),
on paper (``page.pdf()``), with the sorting script and without it, and a 404 at any depth."""

from __future__ import annotations

import functools
import http.server
import io
import logging
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from playwright.sync_api import Browser, Page

from generator import build as builder

from .conftest import REPO
from .test_browser import PAGES, browser, server  # noqa: F401  (fixtures)

REPORT = PAGES["report"]
logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its font warnings on Chromium's PDFs
TABLE_PAGES = {
    "report": "table.gk",
    "year": "table.stack",
    "agency": "table.stack",
    "years": "table.stack",
    "quality": "table.stack",
    "region": "table.stack",
}


def _page(browser: Browser, width: int, height: int = 900, **options: Any) -> Page:  # noqa: F811
    return browser.new_context(viewport={"width": width, "height": height}, **options).new_page()


CELLS_OUTSIDE = """(selector) => [...document.querySelectorAll(`${selector} tbody td, ${selector} tfoot td`)].flatMap(td => {
  const r = td.getBoundingClientRect();
  const label = getComputedStyle(td, '::before').content;
  const problems = [];
  if (r.width === 0 || r.left < -0.5 || r.right > innerWidth + 0.5) problems.push('outside');
  if (!td.dataset.label || !label.includes(td.dataset.label.split('\\n').pop())) problems.push('no label: ' + label);
  return problems.length ? [td.textContent.trim() + ' ' + problems.join(', ')] : [];
})"""

ROW_LABELS = """(selector) => [...document.querySelectorAll(selector + ' tbody tr')].filter(tr => tr.querySelector('td'))
  .filter(tr => { const th = tr.querySelector('th[scope=row]');
                  return !th || th.getBoundingClientRect().width < 1 || !th.textContent.trim(); }).length"""


@pytest.mark.parametrize("kind", list(TABLE_PAGES))
def test_every_number_reads_with_its_labels_on_a_phone(browser: Browser, server: str, kind: str) -> None:  # noqa: F811
    """At 390 px each row is a block: every number cell lies inside the screen and shows its column's
    name above it, and every row shows its own label; nothing scrolls sideways."""
    page = _page(browser, 390, 844)
    page.goto(server + PAGES[kind])
    selector = TABLE_PAGES[kind]
    assert page.locator(selector + " td").count() > 10
    assert page.evaluate(CELLS_OUTSIDE, selector) == []
    assert page.evaluate(ROW_LABELS, selector.replace("table.gk", "table.t2, table.t3")) == 0  # 表四: one row
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()


def _cells(page: Page) -> tuple[Counter[str], list[str]]:
    """The roles of the accessibility tree's table nodes, and the names of its cells, as Chromium gives them."""
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    roles = Counter(n["role"]["value"] for n in nodes if not n.get("ignored"))
    table_roles = Counter(
        {k: v for k, v in roles.items() if k in ("table", "row", "cell", "columnheader", "rowheader")}
    )
    names = [n.get("name", {}).get("value", "") for n in nodes if n["role"]["value"] == "cell"]
    return table_roles, names


def test_screen_readers_get_the_same_table_on_a_phone_as_on_a_desktop(browser: Browser, server: str) -> None:  # noqa: F811
    """The blocks are CSS only: the table, its rows, header cells and data cells are the same in the
    accessibility tree at both widths, each number's name is the number (the shown column name is not
    read twice), and each number cell's ``headers`` name header cells with text."""
    trees = []
    for width in (1366, 390):
        page = _page(browser, width)
        page.goto(server + REPORT)
        trees.append(_cells(page))
        missing = page.evaluate("""() => [...document.querySelectorAll('table.gk td[headers]')].filter(td =>
            td.getAttribute('headers').split(' ').some(id => !document.getElementById(id)?.textContent.trim())).length""")
        assert missing == 0
        page.context.close()
    (wide_roles, wide_names), (phone_roles, phone_names) = trees
    assert wide_roles == phone_roles and wide_roles["table"] >= 3 and wide_roles["columnheader"] > 20
    assert phone_names == wide_names
    odd = [n for n in phone_names if not re.fullmatch(r"[\d.]+|原文空白.*|原文缺失.*", n)]
    assert odd == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]  # 表三's corner, a td


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_table_is_wider_than_its_box_on_a_desktop(browser: Browser, server: str, kind: str) -> None:  # noqa: F811
    page = _page(browser, 1366)
    page.goto(server + PAGES[kind])
    wide = page.evaluate("""() => [...document.querySelectorAll('table')].filter(t => t.offsetParent)
        .map(t => [t.className, t.getBoundingClientRect().width, t.parentElement.getBoundingClientRect().width])
        .filter(([, w, box]) => w > box + 1)""")
    assert wide == []
    # level names and dates stay on one line ("县级人民政府", not "县级/人民/政府")
    wrapped = page.evaluate("""() => [...document.querySelectorAll('td.level, td.date')].filter(td => {
        const range = document.createRange(); range.selectNodeContents(td);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1; }).length""")
    assert wrapped == 0
    page.context.close()


def _column(page: Page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "table.year-table tbody tr", f"rows => rows.map(r => r.cells[{index}].textContent.trim())"
    )


def test_year_table_sorts_by_a_column_and_is_whole_without_javascript(browser: Browser, server: str) -> None:  # noqa: F811
    page = _page(browser, 1366)
    page.goto(server + PAGES["year"])
    headers = page.locator("table.year-table thead th")
    names = [h.strip() for h in headers.all_inner_texts()]
    received = next(i for i, n in enumerate(names) if n.startswith("新收"))
    published = _column(page, received)
    button = headers.nth(received).locator("button")
    button.click()  # numbers: largest first
    assert headers.nth(received).get_attribute("aria-sort") == "descending"
    values = [int(v) for v in _column(page, received)]
    assert values == sorted(values, reverse=True) and sorted(map(int, published)) == sorted(values)
    button.click()
    assert headers.nth(received).get_attribute("aria-sort") == "ascending"
    assert [int(v) for v in _column(page, received)] == sorted(values)
    headers.nth(0).locator("button").press("Enter")  # keyboard, and text in Chinese order
    assert headers.nth(0).get_attribute("aria-sort") == "ascending"
    assert headers.nth(received).get_attribute("aria-sort") is None
    for kind in ("agency", "years"):  # the list pages' tables get the same buttons
        page.goto(server + PAGES[kind])
        table = page.locator("table.sortable")
        assert table.locator("thead th").count() == table.locator("thead th button").count() > 5
    page.context.close()
    plain = _page(browser, 1366, java_script_enabled=False)
    plain.goto(server + PAGES["year"])
    assert plain.locator("table.year-table thead button").count() == 0
    assert _column(plain, received) == published
    plain.context.close()


# Characters the PDF's CJK font gives as radicals from the supplement block, which NFKC leaves alone.
RADICALS = str.maketrans({"⺠": "民", "⻚": "页", "⻓": "长", "⻅": "见", "⻔": "门", "⻛": "风"})


def _n(text: str) -> str:
    """Text as compared: NFKC (Kangxi radicals → characters, full-width → ASCII), then :data:`RADICALS`."""
    return unicodedata.normalize("NFKC", text).translate(RADICALS)


def _pdf_pages(browser: Browser, url: str) -> list[str]:  # noqa: F811
    """Each printed page's text, whitespace removed (Chinese text comes out with spaces between runs)."""
    page = _page(browser, 1366)
    page.goto(url)
    data = page.pdf(prefer_css_page_size=True)
    page.context.close()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        # the PDF's CJK font maps some characters to their radicals (⼯ for 工): see _n
        return [re.sub(r"\s+", "", _n(p.extract_text() or "")) for p in pdf.pages]


def test_a_printed_report_has_page_numbers_its_address_and_the_source_url(browser: Browser, server: str) -> None:  # noqa: F811
    pages = _pdf_pages(browser, server + REPORT)
    assert len(pages) >= 3
    for n, text in enumerate(pages, start=1):
        assert text.endswith(f"第{n}页/共{len(pages)}页"), text[-200:]
        assert (server + REPORT) in text  # the page's address, from the address bar (no base_url here)
        assert _n("红旗区政府信息公开工作年度报告（示例）") in text  # the site's name
    assert _n("原文链接：查看原文（https://hongqi-zhengfu.gov.example/zfxxgk/ndbg/2025.html）") in pages[0]
    # 表三 starts where it is and runs on (not pushed to a fresh page after two rows), its header repeated
    start = next(i for i, t in enumerate(pages) if "表三收到和处理政府信息公开申请情况" in t)
    assert _n("（一）予以公开") in pages[start] and "1.属于国家秘密" in pages[start]
    assert all("申请人情况" in t for t in pages[start : start + 2])


def test_printed_address_comes_from_base_url_when_set(browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "site"
    builder.build(REPO, out, search=False, base_url="https://www.example.gov.cn/ndbg/")
    page = "agencies/hongqi-zhengfu-bangongshi/2025/"
    with _serving(out) as address:
        pages = _pdf_pages(browser, address + page)
    assert all(("https://www.example.gov.cn/ndbg/" + page) in t for t in pages)
    assert all(_n("红旗区人民政府办公室政府信息公开工作年度报告") in t for t in pages), pages[0][:300]


class _NotFound(http.server.SimpleHTTPRequestHandler):
    """A host that serves the site under /portal/ and answers a missing path with the site's 404.html."""

    def log_message(self, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "portal/404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _serving:
    def __init__(self, root: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _NotFound) -> None:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))

    def __enter__(self) -> str:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[str]:
    """The bundled site built for http://127.0.0.1:<port>/portal/ and served there."""
    served = _serving(tmp_path)
    address = served.__enter__()
    builder.build(REPO, tmp_path / "portal", search=False, base_url=address + "portal/")
    yield address + "portal/"
    served.__exit__()


def test_404_page_works_at_any_depth_of_a_site_in_a_sub_folder(browser: Browser, portal: str) -> None:  # noqa: F811
    page = _page(browser, 390)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and not r.url.endswith("/missing/") else None)
    response = page.goto(portal + "agencies/a/b/c/missing/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == "rgb(29, 79, 145)"
    )
    assert failed == []  # the stylesheet and the script loaded from the depth it was served at
    for href in page.eval_on_selector_all("main a", "links => links.map(a => a.href)"):
        assert page.request.get(href).status == 200, href
    page.context.close()
