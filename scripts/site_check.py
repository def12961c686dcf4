#!/usr/bin/env python3
"""Check a built portal the way its readers and the rules for government sites would.

    python3 scripts/site_check.py SITE_DIR [PAGE …] [--out DIR] [--strict] [--skip lighthouse,…]

Serves SITE_DIR on 127.0.0.1 and runs, with tools the repository installs itself
(`npm ci`: axe-core, vnu-jar, lighthouse; Debian: chromium, default-jre-headless):

- links: every href/src of every HTML file resolves to a file of the site;
- external: no page asks another host for anything (every request is recorded in Chromium);
- weight: bytes each sampled page transfers (HTML, CSS, JS, images), the largest reported;
- axe: axe-core's violations on each sampled page;
- nu: the Nu HTML Checker's errors over every HTML file;
- lighthouse: the four category scores of each sampled page (mobile preset).

PAGE is a URL path inside the site (default: / and the first page of each folder).
The last line is one line of figures (``SITE_CHECK …``); with --strict the exit code
is 1 when a link is broken, a host is external, axe or Nu finds anything, or a
Lighthouse score is below --min-score (default 95).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.chromium import CHROMIUM, FLAGS  # noqa: E402

MODULES = REPO / "node_modules"
CHECKS = ("links", "external", "weight", "axe", "nu", "lighthouse")


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.refs.append(value)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, reference) for every internal reference that names no file of the site."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Refs()
        parser.feed(page.read_text("utf-8", errors="replace"))
        for ref in parser.refs:
            parsed = urlparse(ref)
            if parsed.scheme or ref.startswith(("#", "//", "mailto:", "tel:", "data:")):
                continue
            path = unquote(parsed.path)
            if not path:
                continue
            target = (site / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append((page.relative_to(site).as_posix(), ref))
    return broken


def default_pages(site: Path) -> list[str]:
    pages = ["/"]
    for folder in sorted(p for p in site.iterdir() if p.is_dir() and (p / "index.html").is_file()):
        pages.append(f"/{folder.name}/")
        first = next((c for c in sorted(folder.iterdir()) if (c / "index.html").is_file()), None)
        if first is not None:
            pages.append(f"/{folder.name}/{first.name}/")
    return pages


def browser_checks(base: str, pages: list[str], out: Path, skip: set[str]) -> dict[str, object]:
    """Requests (external hosts, bytes) and axe-core on each page, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    axe_source = (MODULES / "axe-core" / "axe.min.js").read_text("utf-8")
    found: dict[str, object] = {"external": [], "weights": {}, "axe": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for path in pages:
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []
            page.on(
                "request",
                lambda r: None if r.url.startswith(base) else found["external"].append(r.url),  # type: ignore[attr-defined]
            )
            page.on(
                "response",
                lambda r, sizes=sizes: sizes.append(len(r.body()) if r.ok and r.url.startswith(base) else 0),
            )
            page.goto(urljoin(base, path), wait_until="networkidle")
            found["weights"][path] = round(sum(sizes) / 1024, 1)  # type: ignore[index]
            if "axe" not in skip:
                page.add_script_tag(content=axe_source)
                result = page.evaluate("async () => (await axe.run(document)).violations")
                found["axe"][path] = [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in result]  # type: ignore[index]
            context.close()
        browser.close()
    (out / "browser.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), "utf-8")
    return found


def nu_errors(site: Path, out: Path) -> list[dict[str, object]]:
    jar = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    proc = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--skip-non-html", str(site)],
        capture_output=True,
        text=True,
    )
    (out / "vnu.json").write_text(proc.stderr, "utf-8")
    messages = json.loads(proc.stderr or '{"messages": []}')["messages"]
    return [m for m in messages if m.get("type") == "error"]


def lighthouse(base: str, pages: list[str], out: Path) -> dict[str, dict[str, int]]:
    scores = {}
    for i, path in enumerate(pages):
        report = out / f"lighthouse-{i}.json"
        subprocess.run(
            [
                str(MODULES / ".bin" / "lighthouse"),
                urljoin(base, path),
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags=" + " ".join(["--headless=new", *FLAGS]),
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
        )
        categories = json.loads(report.read_text("utf-8"))["categories"]
        scores[path] = {k: round((v["score"] or 0) * 100) for k, v in categories.items()}
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("pages", nargs="*")
    ap.add_argument("--out", type=Path, default=Path("audit-out"))
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--skip", default="", help="comma-separated: " + ",".join(CHECKS))
    ap.add_argument("--min-score", type=int, default=95)
    args = ap.parse_args(argv)
    site: Path = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"site_check: {site} has no index.html (build it first)", file=sys.stderr)
        return 2
    skip = {s for s in args.skip.split(",") if s}
    args.out.mkdir(parents=True, exist_ok=True)
    pages = args.pages or default_pages(site)
    started = time.monotonic()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    problems: list[str] = []
    figures: dict[str, object] = {}
    try:
        if "links" not in skip:
            broken = broken_links(site)
            figures["broken_links"] = len(broken)
            problems += [f"broken link on {page}: {ref}" for page, ref in broken]
        found = browser_checks(base, pages, args.out, skip)
        external = sorted({urlparse(u).netloc for u in found["external"]})  # type: ignore[attr-defined]
        figures["external_hosts"] = len(external)
        problems += [f"external host requested: {h}" for h in external]
        weights: dict[str, float] = found["weights"]  # type: ignore[assignment]
        figures["max_page_kb"] = max(weights.values())
        if "axe" not in skip:
            axe: dict[str, list[dict[str, object]]] = found["axe"]  # type: ignore[assignment]
            figures["axe"] = sum(len(v) for v in axe.values())
            problems += [f"axe {v['id']} ({v['impact']}) on {p}" for p, vs in axe.items() for v in vs]
        if "nu" not in skip:
            errors = nu_errors(site, args.out)
            figures["nu_errors"] = len(errors)
            problems += [f"Nu: {m.get('url', '')}:{m.get('lastLine', '')}: {m.get('message')}" for m in errors]
        if "lighthouse" not in skip:
            scores = lighthouse(base, pages, args.out)
            for key in ("performance", "accessibility", "best-practices", "seo"):
                figures[f"lh_{key.replace('-', '_')}_min"] = low = min(s[key] for s in scores.values())
                if low < args.min_score:
                    problems.append(f"Lighthouse {key} {low} < {args.min_score}")
    finally:
        httpd.shutdown()
    for line in problems:
        print(line)
    figures["pages"] = len(pages)
    figures["secs"] = round(time.monotonic() - started)
    summary = "SITE_CHECK " + " ".join(f"{k}={v}" for k, v in figures.items())
    (args.out / "summary.txt").write_text("\n".join([*problems, summary]) + "\n", "utf-8")
    print(summary)
    return 1 if args.strict and problems else 0


if __name__ == "__main__":
    sys.exit(main())
