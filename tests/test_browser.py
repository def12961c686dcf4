"""The built portal in real headless Chromium (Debian's chromium, driven by Playwright).

Loads the home, agency, year and report pages of the demo site: no console
error, no failed request, nothing from another host; saves screenshots at
1366 and 390 px into ``.screenshots/`` for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from generator import build as builder
from generator.serve import Rebuilder
from scripts.chromium import CHROMIUM
from scripts.chromium import FLAGS as ARGS

from .conftest import REPO, ScratchSite

SHOTS = REPO / ".screenshots"
PAGES = {
    "home": "",
    "agencies": "agencies/",
    "agency": "agencies/hongqi-zhengfu/",
    "report": "agencies/hongqi-zhengfu/2025/",
    "years": "years/",
    "year": "years/2025/",
    "data": "data/",
    "quality": "quality/",
    "regions": "regions/",
    "region": "regions/河南省/新乡市/红旗区/",
    "compare": "compare/",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser") / "site"
    builder.build(REPO / "examples" / "demo", out)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is needed: apt-get install chromium fonts-noto-cjk"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _visit(browser: Browser, server: str, path: str, width: int, height: int, shot: Path) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("request", lambda r: None if r.url.startswith(server) else problems.append(f"external: {r.url}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    response = page.goto(server + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("load")
    assert problems == []
    assert page.locator("h1").first.inner_text().strip()
    # Usable at 390 px: the page itself never scrolls sideways (wide official tables scroll in their own box).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(shot), full_page=True)
    context.close()


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_loads_cleanly_and_is_photographed(browser: Browser, server: str, kind: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        _visit(browser, server, PAGES[kind], width, height, SHOTS / f"{kind}-{width}.png")


def test_large_text_switch_persists_and_is_keyboard_reachable(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(6):  # brand, search box, search button, then the switch
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "a11y-toggle":
            break
    assert page.evaluate("document.activeElement.id") == "a11y-toggle"
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.classList.contains('large')")
    assert page.get_attribute("#a11y-toggle", "aria-pressed") == "true"
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert size == "20px"
    page.goto(server + PAGES["report"])  # another page: the choice is remembered
    assert page.evaluate("document.documentElement.classList.contains('large')")
    assert page.get_attribute("#a11y-toggle", "aria-pressed") == "true"
    page.click("#a11y-toggle")
    assert not page.evaluate("document.documentElement.classList.contains('large')")
    context.close()


def test_print_layout_hides_navigation(browser: Browser, server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + PAGES["report"])
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-nav')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('#t3')).display") == "table"
    SHOTS.mkdir(exist_ok=True)
    page.pdf(path=str(SHOTS / "report-print.pdf"), format="A4")
    context.close()


def test_serve_search_page_says_the_index_is_being_updated(
    browser: Browser, tmp_path: Path, site: ScratchSite, bundled: str
) -> None:
    """After an edit in serve the pages come first; until the index is in, the search page says so."""
    report = site.report(bundled)
    indexed: list[bool] = []
    rebuilder = Rebuilder(
        site.root, tmp_path / "serve", search=True, log=lambda _: None, on_indexed=lambda: indexed.append(True)
    )
    assert rebuilder.rebuild(force=True) and rebuilder.ok
    facets = rebuilder.root / "search" / "facets.json"
    assert "pending" not in json.loads(facets.read_text("utf-8"))  # the first build is complete
    report.write_text(bundled.replace("未收取申请人的任何费用。", "未收取任何费用（已更正）。"), encoding="utf-8")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(rebuilder.root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/search/"
    page = browser.new_page()
    try:
        with rebuilder.lock:  # the index writer waits for this lock to put its index in
            rebuilder.last = None
            assert rebuilder.builder.run() is not None
            pending = rebuilder.builder.pending
            assert pending is not None
            rebuilder.indexer.submit(pending)
            assert json.loads(facets.read_text("utf-8"))["pending"] is True
            page.goto(url)
            notice = page.locator("#search-pending")
            notice.wait_for(state="visible")
            assert "搜索索引正在更新" in notice.inner_text()
            page.screenshot(path=str(SHOTS / "search-pending.png"))
        assert rebuilder.indexer.idle(timeout=60) and indexed == [True]
        assert "pending" not in json.loads(facets.read_text("utf-8"))
        page.close()
        page = browser.new_page()  # a fresh cache: the test server revalidates by the second only
        page.goto(url + "?q=" + "红旗区")
        page.locator("#results li").first.wait_for()
        assert page.locator("#search-pending").is_hidden()
    finally:
        page.close()
        httpd.shutdown()


def test_serve_reloads_the_open_page_by_itself(browser: Browser, site: ScratchSite, bundled: str) -> None:
    """The whole loop as an editor sees it: a page open in Chromium changes after a save, with no click."""
    report = site.report(bundled)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(site.root), "--port", str(port), "--no-search"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    page = browser.new_page()
    try:
        url = f"http://127.0.0.1:{port}/agencies/hongqi-zhengfu-bangongshi/2025/"
        deadline = time.monotonic() + 30
        while True:
            try:
                page.goto(url)
                break
            except PlaywrightError:
                assert time.monotonic() < deadline, "gongkai serve did not start"
                time.sleep(0.2)
        page.wait_for_function("window.LiveReload !== undefined")  # the server's script, connected
        time.sleep(0.5)
        report.write_text(
            bundled.replace("未收取申请人的任何费用。", "本年度未收取任何费用（浏览器自动刷新）。"), encoding="utf-8"
        )
        page.wait_for_function(
            "document.body.innerText.includes('本年度未收取任何费用（浏览器自动刷新）。')", timeout=10_000
        )
        report.write_text(bundled.replace("  penalties: 0", "  penalties: -1"), encoding="utf-8")
        page.wait_for_selector("#gongkai-error", timeout=10_000)  # the error page, by itself too
        assert "不能是负数，实为 -1" in page.inner_text("body")
        report.write_text(bundled, encoding="utf-8")
        page.wait_for_selector("h1:has-text('红旗区人民政府办公室2025年政府信息公开工作年度报告')", timeout=10_000)
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=10)
