"""Fuzzing: whatever the input, the front-matter reader, the validator, the Markdown renderer and
the importer's readers give a result or a diagnostic, never an unhandled exception.

The suite runs the ``ci`` profile (a few hundred inputs per target). The longer campaign the
README reports is ``HYPOTHESIS_PROFILE=campaign python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import content, validate
from generator.errors import Diagnostic, UsageError
from generator.importer import IncompleteOriginal, UnreadableOriginal, parse
from generator.importer.rows import _html_rows, _text_rows
from generator.markdown import Markdown

from .conftest import BUNDLED_AGENCY, BUNDLED_REPORT, BUNDLED_SLUG
from .test_schemas import mutated_reports

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("campaign", max_examples=5_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# What YAML, Markdown and the importers treat specially, with the Chinese that reports are made of.
SPECIAL = list("abcxyz019 .:-_[]{}&*!|>'\"#%@`,?=+~\\/<\n\t\r") + [
    "\ufeff",
    "\u3000",
    "：",
    "，",
    "５",
    "一、",
    "（二）",
]
LABELS = [
    "一、本年新收政府信息公开申请数量",
    "三（七）总计",
    "行政复议",
    "规章",
    "自然人",
    "<table>",
    "<tr><td>",
    "</td><td>",
    "|",
    "---",
    "2025年",
]
yaml_like = st.lists(st.sampled_from(SPECIAL), max_size=400).map("".join)
report_like = st.lists(st.sampled_from(SPECIAL + LABELS) | st.text(max_size=4), max_size=120).map("".join)


def _judged(doc: content.Document) -> None:
    assert all(isinstance(d, Diagnostic) for d in doc.diagnostics)
    assert doc.data is None or isinstance(doc.data, (dict, list, str, int, float, bool))


@given(front=yaml_like, body=st.text(max_size=100))
def test_front_matter_reader_always_answers(front: str, body: str) -> None:
    doc = content.Document(path=Path("x.md"), rel="x.md")
    content.split_report(f"---\n{front}\n---\n{body}", doc, located=True)
    _judged(doc)


@given(raw=st.binary(max_size=300) | yaml_like.map(lambda t: t.encode("utf-8")))
def test_any_bytes_as_a_report_or_a_yaml_file(raw: bytes) -> None:
    _judged(content.read_report_file(Path("/s/content/a/2025.md"), Path("/s"), raw=b"---\n" + raw))
    _judged(content.read_yaml_file(Path("/s/content/a/_agency.yaml"), Path("/s"), raw=raw))


def _site(root: Path) -> Path:
    if not root.exists():
        (root / "content" / BUNDLED_SLUG).mkdir(parents=True)
        (root / "gongkai.yaml").write_text("title: 测试\n", encoding="utf-8")
        shutil.copy(BUNDLED_AGENCY, root / "content" / BUNDLED_SLUG / "_agency.yaml")
    return root


SITE = Path(os.environ.get("PYTEST_FUZZ_SITE", "/tmp")) / f"gongkai-fuzz-{os.getpid()}"


@given(
    doc=mutated_reports(),
    extra=st.dictionaries(
        st.sampled_from(["known_issues", "review", "status"]),
        st.just([{"rule": "H2"}]) | st.text(max_size=5) | st.integers(),
        max_size=2,
    ),
)
def test_validator_always_answers(doc: dict[str, Any], extra: dict[str, Any]) -> None:
    """Mutated reports (values of every kind where numbers belong, keys missing or extra) are judged."""
    root = _site(SITE)
    text = "---\n" + yaml.safe_dump({**doc, **extra}, allow_unicode=True) + "---\n\n## 一、总体情况\n\n文字。\n"
    (root / "content" / BUNDLED_SLUG / "2025.md").write_text(text, encoding="utf-8")
    result = validate.validate_site(content.load_site(root))
    assert all(isinstance(d, Diagnostic) and d.path and d.line >= 1 for d in result.diagnostics)


@given(text=report_like)
def test_validator_over_edited_text_always_answers(text: str) -> None:
    """The bundled report with random text spliced into its front matter: a result or diagnostics."""
    root = _site(SITE)
    original = BUNDLED_REPORT.read_text("utf-8")
    cut = len(text) % 1500 + 4
    (root / "content" / BUNDLED_SLUG / "2025.md").write_text(original[:cut] + text + original[cut:], encoding="utf-8")
    result = validate.validate_site(content.load_site(root))
    assert all(isinstance(d, Diagnostic) for d in result.diagnostics)


@given(text=st.text(max_size=300) | report_like, allow_html=st.booleans())
def test_markdown_renders_anything(text: str, allow_html: bool) -> None:
    html = Markdown(allow_html=allow_html).render(text)
    assert isinstance(html, str)
    if allow_html:
        assert "<script" not in html.lower() and "javascript:" not in html.lower()


@given(text=report_like, as_html=st.booleans())
def test_importer_readers_always_answer(text: str, as_html: bool) -> None:
    rows = _html_rows(text) if as_html else _text_rows(text)
    with contextlib.suppress(UsageError, UnreadableOriginal, IncompleteOriginal):  # refused with a message: an answer
        parse(rows, hint_year=2025)


def teardown_module() -> None:
    shutil.rmtree(SITE, ignore_errors=True)
