"""The Markdown configuration: Chinese heading ids, escaped HTML, no unsafe links."""

from __future__ import annotations

from bs4 import BeautifulSoup

from generator.markdown import Markdown, Slugger


def html(text: str, allow_html: bool = False) -> BeautifulSoup:
    return BeautifulSoup(Markdown(allow_html=allow_html).render(text), "html.parser")


def test_chinese_heading_ids_are_never_empty_and_unique() -> None:
    page = html("## 一、总体情况\n\n## 一、总体情况\n\n## ！！！\n\n### 存在问题：\n")
    assert [h["id"] for h in page.find_all(["h2", "h3"])] == ["一-总体情况", "一-总体情况-2", "section-3", "存在问题"]


def test_slugger_shared_across_sections_of_one_page() -> None:
    slugger = Slugger({"s1"})
    md = Markdown()
    first = BeautifulSoup(md.render("## 小结\n", slugger), "html.parser")
    second = BeautifulSoup(md.render("## 小结\n\n## S1\n", slugger), "html.parser")
    assert [h["id"] for h in first.find_all("h2") + second.find_all("h2")] == ["小结", "小结-2", "s1-2"]


def test_raw_html_is_escaped_unless_allowed() -> None:
    page = html('<script>alert("x")</script>\n\n<b>粗体</b>')
    assert page.find("script") is None and page.find("b") is None
    assert '<script>alert("x")</script>' in page.get_text()
    assert html("<b>粗体</b>", allow_html=True).find("b").get_text() == "粗体"


def test_unsafe_links_are_not_rendered() -> None:
    page = html("[点我](javascript:alert(1)) [看](vbscript:x) [好](https://www.gov.cn/)")
    assert [a["href"] for a in page.find_all("a")] == ["https://www.gov.cn/"]


def test_tables_render() -> None:
    page = html("| 项目 | 数量 |\n|---|---|\n| 信息 | 3 |\n")
    assert [td.get_text() for td in page.find_all("td")] == ["信息", "3"]


def test_heading_offset() -> None:
    page = BeautifulSoup(Markdown(heading_offset=1).render("## 小节\n"), "html.parser")
    assert page.find("h3") is not None


def _cases() -> list[tuple[str, dict[str, object], str, str]]:
    """tests/fixtures/markdown/cases.md: name [options], ``.``, input, ``.``, expected HTML, ``.``."""
    from pathlib import Path

    lines = (Path(__file__).parent / "fixtures/markdown/cases.md").read_text("utf-8").splitlines()
    cases = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].startswith("#"):
            i += 1
            continue
        name, parts = lines[i], []
        i += 2  # the name, then "."
        for _ in range(2):  # the input, then the expected HTML, each closed by "."
            end = lines.index(".", i)
            parts.append("\n".join(lines[i:end]) + "\n")
            i = end + 1
        options: dict[str, object] = {}
        if name.endswith("]"):
            name, _, opts = name[:-1].partition(" [")
            for item in opts.split(", "):
                key, _, value = item.partition("=")
                options[key] = True if value == "True" else int(value)
        cases.append((name, options, parts[0], parts[1]))
    return cases


import pytest  # noqa: E402


@pytest.mark.parametrize(("name", "options", "source", "expected"), _cases(), ids=[c[0] for c in _cases()])
def test_markdown_fixture_cases(name: str, options: dict, source: str, expected: str) -> None:
    assert Markdown(**options).render(source) == expected  # type: ignore[arg-type]


def test_allowed_html_keeps_markup_but_nothing_that_runs_or_loads() -> None:
    page = html(
        '<p onclick="steal()">说明 <a href="javascript:alert(1)">甲</a> <a href="vbscript:x">乙</a>'
        ' <a href="https://www.gov.cn/?a=1&amp;b=2" title="政府网">丙</a> <a href="/data/">丁</a>'
        ' <img src="data:image/png;base64,AAAA" onerror="steal()" alt="图"></p>\n\n'
        "<script>steal()</script><style>body{display:none}</style>"
        '<iframe src="https://evil.example/"></iframe><form action="/x"><input name="q"></form>\n\n'
        "<details><summary>展开</summary>细节</details>\n\n"
        "| 项目 | 数量 |\n|---|--:|\n| 信息 | 3 |\n",
        allow_html=True,
    )
    assert page.find(["script", "style", "iframe", "form", "input"]) is None
    assert all(not attr.startswith("on") for tag in page.find_all(True) for attr in tag.attrs)
    assert [a.get("href") for a in page.find_all("a")] == [None, None, "https://www.gov.cn/?a=1&b=2", "/data/"]
    assert page.find("a", title="政府网") is not None
    assert page.find("img").get("src") is None and page.find("img")["alt"] == "图"
    assert page.find("details").find("summary").get_text() == "展开"
    assert page.find("td", style="text-align:right").get_text() == "3"  # markdown-it's alignment stays
    assert "steal()" not in str(page)


def test_allowed_html_keeps_heading_ids() -> None:
    assert html("## 一、总体情况\n\n<h3 id='x'>三</h3>", allow_html=True).find("h2")["id"] == "一-总体情况"
