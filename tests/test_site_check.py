"""scripts/site_check.py finds what it is for: a broken link, an external request, an axe violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import site_check

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><main><h1>{title}</h1><p><a href="{link}">链接</a></p>{body}</main></body></html>
"""


def write_site(root: Path, defects: bool) -> Path:
    (root / "about").mkdir(parents=True)
    head = '<link rel="stylesheet" href="https://example.invalid/font.css">' if defects else ""
    body = '<img src="pic.png">' if defects else ""
    link = "missing/" if defects else "about/"
    (root / "index.html").write_text(PAGE.format(title="首页", head=head, body=body, link=link), encoding="utf-8")
    (root / "about/index.html").write_text(PAGE.format(title="关于", head="", body="", link="../"), encoding="utf-8")
    (root / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def summary(out: Path) -> dict[str, str]:
    last = (out / "summary.txt").read_text("utf-8").splitlines()[-1]
    assert last.startswith("SITE_CHECK ")
    return dict(item.split("=") for item in last.split()[1:])


@pytest.mark.parametrize("defects", [True, False])
def test_planted_defects_are_found_and_a_clean_site_passes(tmp_path: Path, defects: bool) -> None:
    site = write_site(tmp_path / "site", defects)
    out = tmp_path / "out"
    code = site_check.main([str(site), "/", "/about/", "--out", str(out), "--strict", "--skip", "nu,lighthouse"])
    figures = summary(out)
    problems = (out / "summary.txt").read_text("utf-8").splitlines()[:-1]
    if defects:
        assert code == 1
        assert (figures["broken_links"], figures["external_hosts"]) == ("1", "1")
        assert int(figures["axe"]) >= 1
        assert "broken link on index.html: missing/" in problems
        assert "external host requested: example.invalid" in problems
        assert any(p.startswith("axe image-alt (critical) on /") for p in problems)
    else:
        assert code == 0, problems
        assert (figures["broken_links"], figures["external_hosts"], figures["axe"]) == ("0", "0", "0")
        assert problems == []
