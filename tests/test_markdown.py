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
