"""Search on examples/demo, through the real UI in headless Chromium (point 3 of the search issue)."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import Browser, Page, sync_playwright

from generator import build as builder
from scripts import search_check

from .conftest import REPO
from .htmlgrid import soup
from .test_browser import ARGS, CHROMIUM, _Quiet

DEMO = REPO / "examples" / "demo" / "content"
REPORTS = sorted(DEMO.glob("*/*.md"))
AGENCIES = {p.parent.name: yaml.safe_load(p.read_text("utf-8")) for p in DEMO.glob("*/_agency.yaml")}


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def title(path: Path) -> str:
    """The report's title: as written, or made from the agency's name (no demo agency was renamed)."""
    return front(path).get("title") or f"{AGENCIES[path.parent.name]['name']}{path.stem}年政府信息公开工作年度报告"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "site"
    builder.build(REPO / "examples" / "demo", out)
    return out


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with sync_playwright() as p:
        browser: Browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        pg = context.new_page()
        external: list[str] = []
        pg.on("request", lambda r: None if r.url.startswith(server) else external.append(r.url))
        pg.goto(server + "search/")
        yield pg
        assert external == []
        browser.close()


def search(page: Page, query: str) -> tuple[str, str, list[str], list[str]]:
    """Type ``query`` into the search box; (status, notes, first result titles, their meta lines)."""
    page.fill("#search-q", query)
    page.wait_for_function("q => document.getElementById('search-status').getAttribute('data-query') === q", arg=query)
    status = page.inner_text("#search-status")
    if not status.startswith("没有找到"):
        page.wait_for_function("q => document.getElementById('results').getAttribute('data-query') === q", arg=query)
    titles = page.eval_on_selector_all(".result-title a", "els => els.map(e => e.textContent)")
    metas = page.eval_on_selector_all(".result-meta", "els => els.map(e => e.textContent)")
    return status, page.inner_text("#search-notes"), titles, metas


@pytest.mark.parametrize("query", ["依申请公开", "申请"])
def test_words_of_every_report_find_every_report(page: Page, built: Path, query: str) -> None:
    """Words every report prints find every report, and the agency pages that print them too."""
    expected = _pages_showing(built, query)
    assert {title(p) for p in REPORTS} <= expected
    status, notes, _, _ = search(page, query)
    assert status == f"找到 {len(expected)} 个结果"
    assert notes == ""
    assert every_title(page) == expected


def _rows(fm: dict, *path: str) -> int:
    node = fm
    for part in path:
        node = node[part]
    if isinstance(node, dict):
        return sum(row[-1] for row in node.values())
    return node[-1]


# A row of tables 三、四 is found where the report recorded something in it (its total is not 0).
ROW_QUERIES = {
    "不予公开": ("applications", "withheld"),
    "过程性信息": ("applications", "withheld", "process_information"),
    "国家秘密": ("applications", "withheld", "state_secret"),
    "信访": ("applications", "not_processed", "complaints"),
    "行政复议": ("appeals", "review"),
    '"行政复议"': ("appeals", "review"),
}


def every_title(page: Page) -> set[str]:
    """The titles of all results of the current query, "更多" clicked until none are left."""
    while page.is_visible("#more"):
        shown = page.eval_on_selector_all(".result", "els => els.length")
        page.click("#more")
        page.wait_for_function("n => document.querySelectorAll('.result').length > n", arg=shown)
    return set(page.eval_on_selector_all(".result-title a", "els => els.map(e => e.textContent)"))


def _pages_showing(built: Path, text: str) -> set[str]:
    """The titles of the report and agency pages whose visible text (``<main>``) contains ``text``."""
    out = set()
    for page_file in [*built.glob("agencies/*/*/index.html"), *built.glob("agencies/*/index.html")]:
        main = soup(page_file).find("main")
        if text in "".join(main.get_text().split()):
            if page_file.parent.parent.name == "agencies":
                out.add(AGENCIES[page_file.parent.name]["name"])
            else:
                out.add(title(DEMO / page_file.parent.parent.name / f"{page_file.parent.name}.md"))
    return out


@pytest.mark.parametrize("query", list(ROW_QUERIES))
def test_a_row_label_finds_every_report_that_shows_it(page: Page, built: Path, query: str) -> None:
    """A table row's label is a word on every report page that prints the row, counted or not (full text);
    which reports recorded something in it is a facet (test_facets_filter_and_are_shared_in_the_url)."""
    expected = _pages_showing(built, query.strip('"'))
    assert expected, "the demo shows this row"
    status, notes, _, _ = search(page, query)
    assert status == f"找到 {len(expected)} 个结果"
    assert notes == ""
    assert every_title(page) == expected


@pytest.mark.parametrize("query", ["加强统筹联动", "三审三校", "组织参加", "12345热线", "国办公开办函"])
def test_a_phrase_of_the_prose_finds_the_pages_that_show_it(page: Page, built: Path, query: str) -> None:
    """The issue's phrases: every page that shows the phrase, no other, and the sentence that holds it as excerpt."""
    expected = _pages_showing(built, query)
    status, _, _, _ = search(page, query)
    assert status == (
        f"找到 {len(expected)} 个结果"
        if expected
        else f"没有找到与“{query}”相关的报告或机关。可以换一个词，或减少筛选条件。"
    )
    assert every_title(page) == expected
    if expected:
        first = page.eval_on_selector(".result-excerpt", "e => e.innerHTML")
        assert f"<mark>{query}</mark>" in first  # one mark for the phrase, not one per piece


def test_sampled_phrases_find_the_pages_that_show_them(page: Page, built: Path) -> None:
    """The issue's recall test: 40 phrases drawn (seeded) from the pages' blocks, typed as a reader would;
    recall ≥ 98 %, precision ≥ 90 %, and the first result's excerpt shows the phrase (≥ 95 % of phrases)."""
    pages = search_check.page_blocks(built)
    tally = search_check.Tally()
    for phrase in search_check.draw(pages, 40, seed=7):
        hrefs, excerpts = search_check.typed(page, phrase)
        tally.add(phrase, search_check.showing(pages, phrase), hrefs, excerpts)
    assert tally.recall >= 0.98 and tally.precision >= 0.90, tally.summary() + "\n" + "\n".join(tally.lines)
    assert tally.excerpts >= 0.95 * tally.phrases, tally.summary() + "\n" + "\n".join(tally.lines)


def test_an_agency_name_puts_that_agency_first(page: Page) -> None:
    name = AGENCIES["hongqi-caizhengju"]["name"]
    years = sorted((int(p.stem) for p in (DEMO / "hongqi-caizhengju").glob("*.md")), reverse=True)
    for query in (name, f'"{name}"'):
        status, _, titles, _ = search(page, query)
        assert status == f"找到 {len(years) + 1} 个结果"
        assert titles[0] == name
        assert titles[1 : len(years) + 1] == [f"{name}{y}年政府信息公开工作年度报告" for y in years]


def test_part_of_a_name(page: Page) -> None:
    status, _, titles, _ = search(page, "办公室")
    owners = [s for s, a in AGENCIES.items() if "办公室" in a["name"]]
    expected = sum(len(list((DEMO / s).glob("*.md"))) + 1 for s in owners)
    assert status == f"找到 {expected} 个结果"
    assert all("办公室" in t for t in titles)


def test_region(page: Page) -> None:
    status, _, _, _ = search(page, "红旗区")
    assert status == f"找到 {len(REPORTS) + len(AGENCIES)} 个结果"


@pytest.mark.parametrize("query", ["2025年", "红旗区 2025", "2025"])
def test_a_year_filters_by_year(page: Page, query: str) -> None:
    status, notes, titles, metas = search(page, query)
    expected = len(list(DEMO.glob("*/2025.md")))
    assert status == f"找到 {expected} 个结果"
    assert notes == "已按年度筛选：2025。"
    assert all("2025年政府信息公开工作年度报告" in t for t in titles)
    assert all("2025年度" in m for m in metas)


def test_no_hits(page: Page) -> None:
    status, notes, titles, _ = search(page, "火星")
    assert status.startswith("没有找到与“火星”相关的报告或机关")
    assert notes == "以下词语在任何报告和机关页中都没有出现：“火星”。"
    assert titles == []


def test_every_word_must_match_and_a_word_on_no_page_is_named(page: Page) -> None:
    status, notes, titles, _ = search(page, "财政 火星")
    assert notes == "以下词语在任何报告和机关页中都没有出现：“火星”。"
    assert status.startswith("没有找到") and titles == []


def test_words_combine(page: Page, built: Path) -> None:
    """Two words: the results are the pages that show both (办公室 and 过程性信息, a row label on every report)."""
    expected = _pages_showing(built, "办公室") & _pages_showing(built, "过程性信息")
    assert 0 < len(expected) < len(REPORTS)
    status, _, _, _ = search(page, "办公室 过程性信息")
    assert status == f"找到 {len(expected)} 个结果"
    assert every_title(page) == expected


def test_state_lives_in_the_url_and_back_works(page: Page, server: str) -> None:
    page.goto(server + "search/?q=" + quote("信访"))
    page.wait_for_function("document.getElementById('results').getAttribute('data-query') === '信访'")
    assert page.input_value("#search-q") == "信访"
    page.fill("#search-q", "行政复议")
    page.press("#search-q", "Enter")
    page.wait_for_function("document.getElementById('results').getAttribute('data-query') === '行政复议'")
    assert "q=" + quote("行政复议") in page.url
    page.go_back()
    page.wait_for_function("document.getElementById('results').getAttribute('data-query') === '信访'")
    assert page.input_value("#search-q") == "信访"


def test_facets_filter_and_are_shared_in_the_url(page: Page, server: str) -> None:
    page.goto(server + "search/?q=" + quote("申请"))
    page.wait_for_function("document.getElementById('results').getAttribute('data-query') === '申请'")
    page.get_by_label("2024", exact=False).first.check()
    expected = len(list(DEMO.glob("*/2024.md")))
    page.wait_for_function(  # the live region says what the click did
        "n => document.getElementById('search-status').textContent === '已按“2024”筛选。找到 ' + n + ' 个结果'",
        arg=expected,
    )
    assert quote("年度") + "=2024" in page.url
    page.reload()
    page.wait_for_function(
        "n => document.getElementById('search-status').textContent === '找到 ' + n + ' 个结果'", arg=expected
    )
    assert page.is_checked("#facets input:checked")


def test_search_box_on_every_page_works_without_javascript(built: Path) -> None:
    for rel in ("index.html", "agencies/index.html", "agencies/hongqi-zhengfu/2025/index.html"):
        form = soup(built / rel).find("form", class_="header-search")
        assert form["action"].endswith("search/") and form["method"] == "get"
        field = form.find("input", attrs={"name": "q"})
        assert form.find("label", attrs={"for": field["id"]}) is not None
    page = soup(built / "search/index.html")
    assert "搜索需要浏览器启用 JavaScript" in page.find("noscript").get_text()
    assert page.find("label", attrs={"for": "search-q"}) is not None


def test_served_pages_carry_no_invisible_characters(built: Path) -> None:
    for path in built.rglob("*.html"):
        text = path.read_text("utf-8")
        assert "\u200b" not in text and "\u200c" not in text and "\ufeff" not in text, path


def test_no_search_builds_without_index_box_or_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    builder.build(REPO / "examples" / "demo", out, search=False)
    assert not (out / "search-index").exists() and not (out / "search").exists()
    assert not (out / "assets/search.js").exists()
    assert soup(out / "index.html").find("form", class_="header-search") is None


def test_the_index_needs_no_javascript_toolchain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site made by the Python package alone is searchable: no node_modules, no binary on PATH."""
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "site"
    builder.build(REPO, out)
    meta = json.loads(gzip.decompress((out / "search-index/meta.bin").read_bytes()))
    assert meta["pages"] == 2 and meta["format"] == 1  # the report and its agency
    assert (out / "search-index/columns.bin").read_bytes()[:2] == b"\x1f\x8b"


def test_index_pages_hold_every_paragraph_and_row_but_no_page_chrome(built: Path) -> None:
    from generator import content, model, search, validate

    src = content.load_site(REPO / "examples" / "demo")
    site = model.build_site(src, validate.validate_site(src).diagnostics)
    served = builder.page_reader(built)
    pages = {p.url: p for p in search.pages(site, served)}
    assert len(pages) == len(REPORTS) + len(AGENCIES)
    page = pages["agencies/hongqi-zhengfu/2025/"]
    body = "".join(page.text.split())
    assert "首页" not in body and "订阅" not in body  # the header and footer are not the report
    fm = front(DEMO / "hongqi-zhengfu/2025.md")
    prose = (DEMO / "hongqi-zhengfu/2025.md").read_text("utf-8").split("---\n", 2)[2]
    for paragraph in (p for p in prose.split("\n\n") if p.strip() and not p.strip().startswith("#")):
        words = "".join(soup_text(markdown_html(paragraph)).split())
        assert words in body  # every paragraph, whole, as the page shows it
    received = "".join(str(v) for v in fm["applications"]["received"])
    assert f"（一）本年新收政府信息公开申请数量{received}" in body or received in body
    complaints = fm["applications"]["not_processed"]["complaints"][6]
    assert (("不予处理", "信访举报投诉类申请") in page.topics) == (complaints > 0)


def soup_text(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text(" ")


def markdown_html(text: str) -> str:
    from generator.markdown import Markdown

    return Markdown().render(text)


def test_a_row_match_says_which_row(page: Page) -> None:
    search(page, "信访")
    rows = page.eval_on_selector_all(".result-rows", "els => els.map(e => e.textContent)")
    assert rows and all(r == "本年表格中有：不予处理：信访举报投诉类申请" for r in rows)


@pytest.fixture(scope="module")
def single_site_page(page: Page, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    """The search page of the bundled one-report site (a second tab of the module's browser)."""
    out = tmp_path_factory.mktemp("single") / "site"
    builder.build(REPO, out)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    pg = page.context.new_page()
    pg.goto(f"http://127.0.0.1:{httpd.server_address[1]}/search/")
    yield pg
    pg.close()
    httpd.shutdown()


def test_single_report_site_answers_honestly(single_site_page: Page) -> None:
    """The issue's cases: 行政复议 is on the report page (table 四) though its count is 0, and on the agency
    page (its table of years); 2024年 is on no page; 2025年 only filters, and says so."""
    status, notes, titles, _ = search(single_site_page, "行政复议")
    assert status == "找到 2 个结果" and notes == ""
    assert set(titles) == {"红旗区人民政府办公室", "红旗区人民政府办公室2025年政府信息公开工作年度报告"}
    status, notes, titles, _ = search(single_site_page, "2024年")
    assert status.startswith("没有找到") and titles == []
    assert notes == "以下词语在任何报告和机关页中都没有出现：“2024年”。"
    status, notes, titles, _ = search(single_site_page, "2025年")
    assert status == "找到 1 个结果" and notes == "已按年度筛选：2025。"
    assert titles == ["红旗区人民政府办公室2025年政府信息公开工作年度报告"]


def test_facets_are_short_and_skippable(page: Page, server: str) -> None:
    """A 跳到结果 link comes before the facets; a long facet shows its top five values, the rest behind 更多."""
    page.goto(server + "search/?q=" + quote("依申请公开"))
    page.wait_for_selector(".result")
    first_focus = page.evaluate(
        "() => [...document.querySelectorAll('#search-app a, #search-app input, #search-app button')]"
        ".filter(e => e.offsetParent !== null)[0].textContent"
    )
    assert first_focus == "跳到结果"
    assert page.get_attribute(".skip-results", "href") == "#results-title"
    agencies = page.locator("fieldset.facet", has=page.locator("legend", has_text="机关"))
    assert agencies.locator("li:visible").count() == 5
    toggle = agencies.locator(".facet-toggle")
    assert toggle.inner_text() == f"更多（共 {len(AGENCIES)} 项）"
    toggle.click()
    assert agencies.locator("li:visible").count() == len(AGENCIES)
    page.click(".skip-results")
    assert page.evaluate("() => document.activeElement.id") == "results-title"


def test_back_returns_to_the_query_before_however_fast_one_types(page: Page, server: str) -> None:
    """Typing a new query makes one history entry, whether Enter comes before the search starts or after."""
    for pause in (0, 400):
        page.goto(server + "search/?q=" + quote("信访"))
        page.wait_for_function("document.getElementById('results').getAttribute('data-query') === '信访'")
        page.fill("#search-q", "行政复议")
        page.wait_for_timeout(pause)
        page.press("#search-q", "Enter")
        page.wait_for_function("document.getElementById('results').getAttribute('data-query') === '行政复议'")
        page.go_back()
        page.wait_for_function("document.getElementById('results').getAttribute('data-query') === '信访'")
        assert page.input_value("#search-q") == "信访"


def _facet_counts(page: Page, legend: str) -> dict[str, int]:
    return page.evaluate(
        """legend => {
            const set = [...document.querySelectorAll('fieldset.facet')].find(f => f.querySelector('legend').textContent === legend);
            const out = {};
            if (set) set.querySelectorAll('label').forEach(l => {
                out[l.firstChild.textContent.trim()] = Number(l.querySelector('.facet-count').textContent);
            });
            return out;
        }""",
        legend,
    )


def test_facet_counts_are_for_the_current_query(page: Page, built: Path) -> None:
    """Before a query the facets count every report; with one, the results (here: 办公室's reports by year)."""
    page.goto(page.url.split("?")[0])
    page.wait_for_selector("fieldset.facet")
    totals = _facet_counts(page, "年度")
    assert totals == {str(y): len(list(DEMO.glob(f"*/{y}.md"))) for y in range(2019, 2026)}
    search(page, "办公室")
    owners = [s for s, a in AGENCIES.items() if "办公室" in a["name"]]
    by_year = {str(y): sum((DEMO / s / f"{y}.md").exists() for s in owners) for y in range(2019, 2026)}
    assert _facet_counts(page, "年度") == {y: n for y, n in by_year.items() if n}


def test_relevance_then_newest_first_on_request(page: Page, server: str) -> None:
    """信访: the reports whose table records a 信访 row come first (the row is named); 年度（新→旧） reorders
    every result by year, and the choice is kept in the address."""
    search(page, "信访")
    every_title(page)
    rows = page.eval_on_selector_all(".result", "els => els.map(e => !!e.querySelector('.result-rows'))")
    assert rows[0] and rows == sorted(rows, reverse=True) and not all(rows)
    page.get_by_label("年度（新→旧）").check()
    page.wait_for_function("() => location.search.includes('sort=year')")
    page.wait_for_function("document.getElementById('results').getAttribute('data-query') === '信访'")
    every_title(page)
    metas = page.eval_on_selector_all(".result-meta", "els => els.map(e => e.textContent)")
    years = [int(m.split("年度")[0][-4:]) for m in metas if "年度" in m]
    assert len(years) > 10 and years == sorted(years, reverse=True)
    page.get_by_label("相关度").check()
    page.wait_for_function("() => !location.search.includes('sort=year')")


def test_latin_is_found_whatever_its_case(page: Page, built: Path) -> None:
    """A web address on an agency page, typed in capitals and full-width: found (lower case, NFKC)."""
    expected = _pages_showing(built, "hongqi-caizhengju")
    assert expected
    for query in ("HONGQI-CAIZHENGJU", "ｈｏｎｇｑｉ－ｃａｉｚｈｅｎｇｊｕ"):
        status, _, _, _ = search(page, query)
        assert status == f"找到 {len(expected)} 个结果"
        assert every_title(page) == expected
