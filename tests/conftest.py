"""Shared fixtures: a scratch site in tmp_path, seeded with the bundled report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import build as builder
from generator import content, corpus, model, validate
from generator.errors import Diagnostic, Severity

REPO = Path(__file__).resolve().parent.parent
BUNDLED_SLUG = "hongqi-zhengfu-bangongshi"
BUNDLED_REPORT = REPO / "content" / BUNDLED_SLUG / "2025.md"
BUNDLED_AGENCY = REPO / "content" / BUNDLED_SLUG / "_agency.yaml"


def make_corpus(out: Path, reports: int, seed: int, district: bool = False, **shares: float) -> Path:
    """A generated site source of ``reports`` reports (``gongkai demo``), for tests that need many."""
    place = ("河南省", "新乡市", "红旗区") if district else ()
    corpus.generate(out, corpus.Options(reports=reports, seed=seed, district=place, **shares))
    return out


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based number of the line holding the ``nth`` occurrence of ``needle``."""
    seen = 0
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return i
    raise AssertionError(f"{needle!r} not in text")


@dataclass
class ScratchSite:
    root: Path

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def agency(self, slug: str = BUNDLED_SLUG, text: str | None = None) -> Path:
        return self.write(
            f"content/{slug}/_agency.yaml", text if text is not None else BUNDLED_AGENCY.read_text("utf-8")
        )

    def report(self, text: str | bytes, slug: str = BUNDLED_SLUG, year: int = 2025) -> Path:
        if not (self.root / "content" / slug / "_agency.yaml").exists():
            self.agency(slug)
        return self.write(f"content/{slug}/{year}.md", text)

    def validate(self) -> list[Diagnostic]:
        return validate.validate_site(content.load_site(self.root)).diagnostics

    def errors(self) -> list[Diagnostic]:
        return [d for d in self.validate() if d.severity is Severity.ERROR]


@pytest.fixture
def site(tmp_path: Path) -> ScratchSite:
    s = ScratchSite(tmp_path / "site")
    s.write("gongkai.yaml", "title: 测试门户\n")
    return s


@pytest.fixture
def bundled() -> str:
    """The bundled reference report's text (红旗区人民政府办公室 2025)."""
    return BUNDLED_REPORT.read_text("utf-8")


def published(text: str, date: str = "2026-01-20") -> str:
    """The bundled report with a publication date, so timeliness is known."""
    return text.replace("# published: 原文未写明发布日期，故不填（及时性记为“未知”）", f"published: {date}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current build (review the diff by eye before committing)",
    )


DEMO = REPO / "examples" / "demo"


@pytest.fixture(scope="session")
def demo_model() -> model.Site:
    """The model of examples/demo (no drafts), for tests that compute what its pages must show."""
    src = content.load_site(DEMO)
    return model.build_site(src, validate.validate_site(src).diagnostics)


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/demo built without search (read, never written to)."""
    out = tmp_path_factory.mktemp("demo-built") / "site"
    builder.build(DEMO, out, search=False)
    return out
