"""What every check shares: the report being judged, usable values, how a finding is filed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import schemas, standard
from ..content import Document
from ..errors import Severity
from ..standard import FieldPath, field_name, get_path
from .rules import Rule


@dataclass
class ReportContext:
    """What judging one report needs to know besides the report itself."""

    slug: str
    year: int
    level: str | None  # None when _agency.yaml is unreadable
    agency_name: str | None
    require_review: bool = False


@dataclass
class Judged:
    """One report under judgement: its document, context, format and schema."""

    doc: Document
    ctx: ReportContext
    fmt: int

    @property
    def name(self) -> str:
        return schemas.report_schema_name(self.fmt)

    @property
    def data(self) -> Any:
        return self.doc.data


def count(value: Any) -> int | None:
    """A usable count, or None (blank, text, wrong type): rules skip it."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def show(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value}”"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def title(*path: str | int) -> str:
    """The own title of a report field that is not a table cell (format, published, known_issues …)."""
    return str((standard.subschema("report-2021", path) or {}).get("title", ""))


def dotted(path: str) -> FieldPath:
    return tuple(path.split("."))


def report(doc: Document, rule: Rule, code: str, loc: tuple[int, int], fld: str, lbl: str, **params: Any) -> None:
    """File a finding of ``rule`` (its id and severity) under one of its own message codes."""
    assert code in rule.messages, f"{rule.id} has no message {code}"
    doc.error(loc, rule.id, code, fld, lbl, severity=rule.severity, **params)


def flag(j: Judged, rule: Rule, path: FieldPath, code: str, doc: Document | None = None, **params: Any) -> None:
    """A finding about the field at ``path``: located at its value, named and labelled from the schema."""
    target = doc or j.doc
    report(target, rule, code, target.where(path), field_name(path), standard.label(j.name, path), **params)


def cells(data: Any, name: str) -> Iterable[tuple[FieldPath, Any]]:
    """Every table cell of the report with its path (tables 二、三、四)."""
    for table in ("applications", "appeals"):
        for row in standard.leaf_rows(name, (table,)):
            values = get_path(data, row)
            if isinstance(values, list):
                for i, v in enumerate(values):
                    yield row + (i,), v
    pro = data.get("proactive")
    if isinstance(pro, dict):
        for key, value in pro.items():
            if isinstance(value, dict):
                for sub, v in value.items():
                    yield ("proactive", key, sub), v
            else:
                yield ("proactive", key), value


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


WARNING = Severity.WARNING
