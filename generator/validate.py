"""Judge content: schema, the 勾稽 rules H1–H8 and S1–S7, timeliness, known_issues.

Input is what ``content`` read; output is a list of diagnostics, every one
located at the line of the offending value. Nothing here raises on bad content
and nothing stops at the first problem: all files are judged, then the CLI
decides the exit code.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from . import schemas, standard
from .content import Document, Section, SiteSource, body_sections
from .errors import Diagnostic, Severity
from .standard import FieldPath, field_name, get_path, narrative

# ------------------------------------------------------------------ rules data


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    kind: str
    field: str
    lhs: tuple[FieldPath, ...] = ()
    rhs: tuple[FieldPath, ...] = ()
    rows: FieldPath = ()
    label: str = "cell"  # what a finding is labelled by: its cell, or (a column rule) its column


def _path(dotted: str) -> FieldPath:
    return tuple(dotted.split("."))


@cache
def rules() -> tuple[Rule, ...]:
    data = yaml.safe_load(resources.files("generator").joinpath("schema/rules.yaml").read_text("utf-8"))
    return tuple(
        Rule(
            id=r["id"],
            severity=Severity(r["severity"]),
            kind=r["kind"],
            field=r["field"],
            lhs=tuple(_path(p) for p in r.get("lhs", [])),
            rhs=tuple(_path(p) for p in r.get("rhs", [])),
            rows=_path(r["rows"]) if "rows" in r else (),
            label=r.get("label", "cell"),
        )
        for r in data["rules"]
    )


# ------------------------------------------------------------------ helpers


def _count(value: Any) -> int | None:
    """A usable count, or None (blank, text, wrong type): rules skip it."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


FULLWIDTH = str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")
PLACEHOLDERS = {"/", "-", "—", "－", "--", "——", "／", "无", "空", "", "_"}
TYPE_WORDS = {
    "zh-CN": {
        "integer": "整数",
        "number": "数字",
        "string": "文字",
        "null": "null（空白）",
        "boolean": "true/false",
        "object": "键值映射",
        "array": "方括号列表",
    },
    "en": {
        "integer": "a whole number",
        "number": "a number",
        "string": "text",
        "null": "null (blank)",
        "boolean": "true/false",
        "object": "a mapping",
        "array": "a [list]",
    },
}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _title(*path: str | int) -> str:
    """The own title of a report field that is not a table cell (format, published, known_issues …)."""
    return str((standard.subschema("report-2021", path) or {}).get("title", ""))


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value}”"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


# ------------------------------------------------------------------ schema → diagnostics


def schema_diagnostics(doc: Document, name: str) -> None:
    """Check ``doc.data`` against schema ``name``; one diagnostic per violation."""
    for v in schemas.violations(name, doc.data):
        fld = field_name(v.path)
        lbl = standard.label(name, v.path)
        if v.kind == "unknown":
            key = v.path[-1]
            guess = difflib.get_close_matches(str(key), v.detail or [], n=1, cutoff=0.6)
            code = "unknown_key_guess" if guess else "unknown_key"
            allowed = "、".join(v.detail or []) or "（无）"
            doc.error(
                doc.where(v.path, key=True),
                "KEY",
                code,
                fld,
                "",
                key=key,
                guess=guess[0] if guess else "",
                allowed=allowed,
            )
        elif v.kind == "required":
            missing = v.path + (v.detail,)
            doc.error(
                doc.where(v.path, key=True),
                "REQUIRED",
                "required_key",
                field_name(missing),
                standard.label(name, missing),
                key=v.detail,
            )
        elif v.kind == "type":
            _type_diagnostic(doc, v, fld, lbl)
        elif v.kind == "count":
            _, hi = v.detail
            titles = [s.get("title", "") for s in v.schema.get("prefixItems", [])]
            doc.error(
                doc.where(v.path),
                "TYPE",
                "row_length",
                fld,
                lbl,
                expected=hi,
                found=len(v.value),
                columns="、".join(titles),
            )
        elif v.kind == "minimum":
            doc.error(doc.where(v.path), "H5", "negative", fld, lbl, value=v.value)
        elif v.kind == "enum":
            doc.error(
                doc.where(v.path),
                "TYPE",
                "enum",
                fld,
                lbl,
                value=_show(v.value),
                allowed="、".join(str(a) for a in v.detail),
            )
        elif v.kind == "minLength":
            doc.error(doc.where(v.path), "TYPE", "empty_text", fld, lbl)
        elif v.kind == "pattern":
            code = {
                "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "bad_date",
                "^https?://": "bad_url",
                "^[a-z0-9-]+$": "bad_slug_value",
                "^[HST][0-9]+$": "bad_rule_id",
            }.get(v.detail, "pattern")
            doc.error(doc.where(v.path), "TYPE", code, fld, lbl, value=_show(v.value), pattern=v.detail)


def _type_diagnostic(doc: Document, v: schemas.Violation, fld: str, lbl: str) -> None:
    expected = v.detail
    value = v.value
    loc = doc.where(v.path)
    words = "、".join(TYPE_WORDS["zh-CN"][t] for t in expected if t != "null")
    words_en = ", ".join(TYPE_WORDS["en"][t] for t in expected if t != "null")
    if isinstance(value, str) and ("integer" in expected or "number" in expected):
        half = value.translate(FULLWIDTH).replace(",", "").strip()
        if half != value and re.fullmatch(r"-?\d+(\.\d+)?", half):
            doc.error(loc, "TYPE", "fullwidth_digit", fld, lbl, value=value, fixed=half)
            return
        if value.strip() in PLACEHOLDERS:
            doc.error(loc, "TYPE", "placeholder_cell", fld, lbl, value=_show(value))
            return
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", value.strip()):
            doc.error(loc, "TYPE", "thousands_separator", fld, lbl, value=value, fixed=value.replace(",", ""))
            return
    if "array" in expected and not isinstance(value, list):
        doc.error(loc, "TYPE", "not_a_row", fld, lbl, value=_show(value))
        return
    doc.error(
        loc,
        "TYPE",
        "type_mismatch",
        fld,
        lbl,
        value=_show(value),
        expected=words,
        expected_en=words_en,
        found=TYPE_WORDS["zh-CN"][_type_name(value)],
        found_en=TYPE_WORDS["en"][_type_name(value)],
    )


# ------------------------------------------------------------------ one report


@dataclass
class ReportContext:
    """What judging one report needs to know besides the report itself."""

    slug: str
    year: int
    level: str | None  # None when _agency.yaml is unreadable
    agency_name: str | None
    require_review: bool = False


@dataclass
class KnownIssue:
    index: int
    rule: str
    where: str
    note: str
    used: bool = False


def report_format(doc: Document, year: int) -> int | None:
    fmt = doc.data.get("format") if isinstance(doc.data, dict) else None
    if fmt is None:
        return standard.default_format(year)
    return fmt if fmt in standard.FORMATS else None


def validate_report(doc: Document, ctx: ReportContext) -> None:
    """Judge one report; findings are appended to ``doc.diagnostics``."""
    if not isinstance(doc.data, dict):
        if doc.data is not None:
            doc.error((2, 1), "TYPE", "front_matter_not_mapping")
        return
    data = doc.data
    fmt = report_format(doc, ctx.year)
    if fmt is None:
        doc.error(
            doc.where(("format",)),
            "TYPE",
            "enum",
            "format",
            _title("format"),
            value=_show(data.get("format")),
            allowed="2019、2021",
        )
        return
    name = schemas.report_schema_name(fmt)
    schema_diagnostics(doc, name)
    _identity(doc, ctx)
    _dates(doc)
    _blank_and_units(doc, name)
    for rule in rules():
        _apply_rule(doc, name, rule)
    _documents_stock(doc, fmt)
    if ctx.level is not None:
        _rule_making(doc, fmt, ctx.level)
        _timeliness(doc, ctx)
    _format_version(doc, fmt, ctx.year)
    _sections(doc)
    _prose(doc)
    _period(doc, ctx)
    _narrative(doc, name)
    _review(doc, ctx)


def _identity(doc: Document, ctx: ReportContext) -> None:
    data = doc.data
    if "agency" in data and data["agency"] != ctx.slug:
        doc.error(
            doc.where(("agency",)),
            "PATH",
            "agency_mismatch",
            "agency",
            _title("agency"),
            value=_show(data["agency"]),
            slug=ctx.slug,
        )
    if "year" in data and data["year"] != ctx.year:
        doc.error(
            doc.where(("year",)),
            "PATH",
            "year_mismatch",
            "year",
            _title("year"),
            value=_show(data["year"]),
            year=ctx.year,
        )


def _cells(data: Any, name: str) -> Iterable[tuple[FieldPath, Any]]:
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


def _blank_and_units(doc: Document, name: str) -> None:
    """H6: a blank (null) cell; H5: an amount kept as published in another unit."""
    for path, value in _cells(doc.data, name):
        if value is None and standard.subschema(name, path) is not None:
            _flag(doc, name, path, "H6", "blank_cell")
        elif isinstance(value, str) and path == ("proactive", "procurement", "amount"):
            doc.error(doc.where(path), "H5", "amount_unit", field_name(path), standard.label(name, path), value=value)


def _row_values(data: Any, path: FieldPath, columns: int) -> list[int | None] | None:
    row = get_path(data, path)
    if not isinstance(row, list) or len(row) != columns:
        return None
    return [_count(v) for v in row]


def _column_sums(
    data: Any, name: str, paths: tuple[FieldPath, ...], columns: int
) -> list[tuple[int | None, list[int]]]:
    """Per column: the sum over ``paths`` (groups expanded; None if a cell is unusable), and per-path sums."""
    per_path: list[list[int | None]] = []
    for p in paths:
        subtotal: list[int | None] = [0] * columns
        for r in standard.leaf_rows(name, p):
            values = _row_values(data, r, columns)
            for c in range(columns):
                s, v = subtotal[c], None if values is None else values[c]
                subtotal[c] = None if s is None or v is None else s + v
        per_path.append(subtotal)
    out: list[tuple[int | None, list[int]]] = []
    for c in range(columns):
        parts = [sub[c] for sub in per_path]
        if any(x is None for x in parts):
            out.append((None, []))
        else:
            ints = [x for x in parts if x is not None]
            out.append((sum(ints), ints))
    return out


def _apply_rule(doc: Document, name: str, rule: Rule) -> None:
    data = doc.data
    if rule.kind == "row_total":
        for row in standard.leaf_rows(name, rule.rows):
            n = standard.width(name, row)
            raw = _row_values(data, row, n)
            if raw is None or any(v is None for v in raw):
                continue
            values = [v for v in raw if v is not None]
            stated, parts = values[-1], values[:-1]
            if stated != sum(parts):
                cell = row + (n - 1,)
                doc.error(
                    doc.where(cell),
                    rule.id,
                    "row_total",
                    rule.field.format(row=field_name(row), col=n - 1),
                    standard.label(name, cell),
                    severity=rule.severity,
                    expected=sum(parts),
                    terms="+".join(map(str, parts)),
                    found=stated,
                )
        return
    columns = standard.width(name, standard.leaf_rows(name, rule.lhs[0])[0])
    lhs = _column_sums(data, name, rule.lhs, columns)
    rhs = _column_sums(data, name, rule.rhs, columns)
    for col in range(columns):
        (found, found_parts), (expected, expected_parts) = lhs[col], rhs[col]
        if found is None or expected is None:
            continue
        broken = found != expected if rule.kind == "equation" else found > expected
        if not broken:
            continue
        cell = rule.lhs[0] + (col,)
        lbl = standard.applicant_column(name, col) if rule.label == "column" else standard.label(name, cell)
        doc.error(
            doc.where(cell),
            rule.id,
            f"rule_{rule.id}",
            rule.field.format(col=col),
            lbl,
            severity=rule.severity,
            expected=expected,
            found=found,
            expected_terms="+".join(map(str, expected_parts)),
            found_terms="+".join(map(str, found_parts)),
        )


def _flag(
    doc: Document, name: str, path: FieldPath, rule: str, code: str, severity: Severity = Severity.ERROR, **params: Any
) -> None:
    """A finding about the field at ``path``: located at its value, named and labelled from schema ``name``."""
    doc.error(doc.where(path), rule, code, field_name(path), standard.label(name, path), severity=severity, **params)


def _documents_stock(doc: Document, fmt: int) -> None:
    """S3: the stock in force cannot be smaller than what was made this year."""
    pro = doc.data.get("proactive")
    if not isinstance(pro, dict):
        return
    made_key, stock_key = ("issued", "in_force") if fmt == 2021 else ("published", "published_total")
    name = schemas.report_schema_name(fmt)
    for key in ("rules", "normative_documents"):
        made = _count(get_path(pro, (key, made_key)))
        stock = _count(get_path(pro, (key, stock_key)))
        if made is not None and stock is not None and stock < made:
            path = ("proactive", key, stock_key)
            _flag(
                doc,
                name,
                path,
                "S3",
                "stock_below_made",
                severity=Severity.WARNING,
                stock=stock,
                made=made,
                made_label=standard.label(name, ("proactive", key, made_key)),
            )


def _rule_making(doc: Document, fmt: int, level: str) -> None:
    """S4: 规章 are made only by 国务院部门 and provincial and city governments (立法法)."""
    if level in standard.RULE_MAKING_LEVELS:
        return
    row = get_path(doc.data, ("proactive", "rules"))
    if not isinstance(row, dict):
        return
    name = schemas.report_schema_name(fmt)
    for key, value in row.items():
        if _count(value) and key in ("issued", "in_force", "made", "published", "published_total"):
            path = ("proactive", "rules", key)
            _flag(
                doc,
                name,
                path,
                "S4",
                "rules_level",
                severity=Severity.WARNING,
                value=value,
                level=standard.LEVELS.get(level, level),
            )


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _dates(doc: Document) -> None:
    """A date of the right form that names no real day (2026-02-30)."""
    candidates: list[tuple[FieldPath, Any]] = [(("published",), doc.data.get("published"))]
    reviews = doc.data.get("review")
    if isinstance(reviews, list):
        candidates += [(("review", i, "date"), e.get("date")) for i, e in enumerate(reviews) if isinstance(e, dict)]
    for path, raw in candidates:
        if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) and parse_date(raw) is None:
            doc.error(doc.where(path), "TYPE", "impossible_date", field_name(path), "日期", value=raw)


def _timeliness(doc: Document, ctx: ReportContext) -> None:
    """T1 late (warning), T2 no date (warning), T3 published before the year ended (error)."""
    raw = doc.data.get("published")
    assert ctx.level is not None
    if raw is None:
        doc.error((2, 1), "T2", "no_published", "published", _title("published"), severity=Severity.WARNING)
        return
    date = parse_date(raw)
    loc = doc.where(("published",))
    if date is None:
        return  # the form is the schema's business, an impossible day _dates'
    if date <= dt.date(ctx.year, 12, 31):
        doc.error(loc, "T3", "published_too_early", "published", _title("published"), value=raw, year=ctx.year)
        return
    late = standard.days_late(ctx.level, ctx.year, date)
    if late:
        doc.error(
            loc,
            "T1",
            "published_late",
            "published",
            _title("published"),
            severity=Severity.WARNING,
            value=raw,
            days=late,
            deadline=standard.deadline(ctx.level, ctx.year).isoformat(),
            level=standard.LEVELS.get(ctx.level, ctx.level),
        )


def _format_version(doc: Document, fmt: int, year: int) -> None:
    """S6: the format matches the year, and the notice cited matches the format."""
    loc = doc.where(("format",)) if "format" in doc.data else (2, 1)
    if fmt == 2019 and year >= 2021:
        doc.error(loc, "S6", "old_format", "format", _title("format"), severity=Severity.WARNING, year=year)
    elif fmt == 2021 and year < 2021:
        doc.error(loc, "S6", "early_format", "format", _title("format"), severity=Severity.WARNING, year=year)
    other = 2019 if fmt == 2021 else 2021
    m = narrative.notice_pattern(other).search(doc.body)
    if m:
        line = doc.body_line + doc.body.count("\n", 0, m.start())
        doc.error(
            (line, 1),
            "S6",
            "stale_notice",
            "format",
            _title("format"),
            severity=Severity.WARNING,
            cited=standard.NOTICES[other],
            fmt=fmt,
        )


def _sections(doc: Document) -> None:
    """H7: sections 一、五、六 present as ``##`` headings, recognisable and in order."""
    sections = body_sections(doc.body, doc.body_line)
    seen: dict[str, Section] = {}
    last = -1
    for s in sections:
        accepted = standard.NARRATIVE_SECTIONS.get(s.numeral) or (standard.TABLE_SECTIONS[s.numeral],)
        if s.title not in accepted:
            doc.error(
                (s.line, 1),
                "H7",
                "section_title",
                f"sections.{s.numeral}",
                f"{s.numeral}、{accepted[0]}",
                title=s.title,
                numeral=s.numeral,
                accepted="”或“".join(f"{s.numeral}、{a}" for a in accepted),
            )
        if s.numeral in seen:
            doc.error((s.line, 1), "H7", "section_twice", "", "", numeral=s.numeral, first=seen[s.numeral].line)
            continue
        order = standard.SECTION_ORDER.index(s.numeral)
        if order < last:
            doc.error((s.line, 1), "H7", "section_order", "", "", numeral=s.numeral)
        last = max(last, order)
        seen[s.numeral] = s
    for numeral, titles in standard.NARRATIVE_SECTIONS.items():
        if numeral not in seen:
            doc.error(
                (doc.body_line, 1),
                "H7",
                "section_missing",
                f"sections.{numeral}",  # known_issues can say the original has no such part
                f"{numeral}、{titles[0]}",
                heading=f"## {numeral}、{titles[0]}",
            )


def _prose(doc: Document) -> None:
    """A report whose body holds headings and nothing else (a fresh ``gongkai new``) is not ready to publish."""
    if not re.sub(r"^\s*#.*$", "", doc.body, flags=re.M).strip():
        doc.error((doc.body_line, 1), "BODY", "empty_body", severity=Severity.WARNING)


def _period(doc: Document, ctx: ReportContext) -> None:
    """H8: the title's year and the statistics period are the report's year."""
    title = doc.data.get("title")
    if isinstance(title, str):
        m = narrative.pattern("title_year").search(title)
        if m and int(m.group(1)) != ctx.year:
            doc.error(
                doc.where(("title",)), "H8", "title_year", "title", _title("title"), found=m.group(1), year=ctx.year
            )
    for m in narrative.pattern("period").finditer(doc.body):
        if int(m.group(1)) != ctx.year or int(m.group(2)) != ctx.year:
            line = doc.body_line + doc.body.count("\n", 0, m.start())
            doc.error((line, 1), "H8", "period_year", "", "统计期限", quote=m.group(0), year=ctx.year)


def _narrative(doc: Document, name: str) -> None:
    """S5: figures quoted in 一、总体情况 agree with the tables."""
    sections = [s for s in body_sections(doc.body, doc.body_line) if s.numeral == "一"]
    if not sections:
        return
    s = sections[0]
    text = doc.body[s.start : s.end]

    def line_of(pos: int) -> int:
        return s.line + 1 + text.count("\n", 0, pos)

    def table_value(rows: tuple[FieldPath, ...], col: int) -> int | None:
        total = 0
        for p in rows:
            for r in standard.leaf_rows(name, p):
                v = _count(get_path(doc.data, r + (col,)))
                if v is None:
                    return None
                total += v
        return total

    def report(pos: int, quote: str, rows: tuple[FieldPath, ...], col: int, said: int, table: int) -> None:
        lbl = "、".join(standard.label(name, r + (col,)) for r in rows)
        doc.error(
            (line_of(pos), 1),
            "S5",
            "narrative",
            field_name(rows[0] + (col,)),
            lbl,
            severity=Severity.WARNING,
            quote=quote.strip(),
            said=said,
            table=table,
        )

    for phrase in narrative.figure_phrases():
        col = _total_column(name, phrase.rows)
        for m in phrase.pattern.finditer(text):
            table = table_value(phrase.rows, col)
            if table is not None and int(m.group(1)) != table:
                report(m.start(), m.group(0), phrase.rows, col, int(m.group(1)), table)
    for phrase in narrative.none_phrases():
        col = _total_column(name, phrase.rows)
        for m in phrase.pattern.finditer(text):
            table = table_value(phrase.rows, col)
            if table:
                report(m.start(), m.group(0), phrase.rows, col, 0, table)
    for m in narrative.pattern("all_upheld").finditer(text):
        for row_path in standard.leaf_rows(name, ("appeals",)):
            n = standard.width(name, row_path)
            row = get_path(doc.data, row_path)
            complete = isinstance(row, list) and len(row) == n and all(_count(v) is not None for v in row[:-1])
            others = range(1, n - 1)  # the outcomes but the first (结果维持) and the 总计
            if complete and any(row[i] for i in others):
                cols = [standard.label(name, (*row_path, i)) for i in others if row[i]]
                doc.error(
                    (line_of(m.start()), 1),
                    "S5",
                    "all_upheld",
                    field_name(row_path),
                    standard.label(name, row_path),
                    severity=Severity.WARNING,
                    quote=m.group(0),
                    cells="、".join(cols),
                )


def _total_column(name: str, rows: tuple[FieldPath, ...]) -> int:
    """The 总计 column of rows of table 三 or 四: their last."""
    return standard.width(name, standard.leaf_rows(name, rows[0])[0]) - 1


def _review(doc: Document, ctx: ReportContext) -> None:
    """The 三审 rule: with ``require_review``, a report to publish needs all three stages."""
    if not ctx.require_review or doc.data.get("status", "published") == "draft":
        return
    entries = doc.data.get("review")
    stages = {e.get("stage") for e in entries if isinstance(e, dict)} if isinstance(entries, list) else set()
    missing = [s for s in ("初审", "复审", "终审") if s not in stages]
    if missing:
        loc = doc.where(("review",), key=True) if "review" in doc.data else (2, 1)
        doc.error(loc, "REVIEW", "review_missing", "review", _title("review"), missing="、".join(missing))


# ------------------------------------------------------------------ across years (S1, S2)


def _across_years(prev: Document, cur: Document, prev_fmt: int, cur_fmt: int, year: int) -> None:
    name = schemas.report_schema_name(cur_fmt)
    forward = get_path(prev.data, ("applications", "carried_forward"))
    over = get_path(cur.data, ("applications", "carried_over"))
    if isinstance(forward, list) and isinstance(over, list) and len(forward) == len(over) == 7:
        for c in range(7):
            a, b = _count(forward[c]), _count(over[c])
            if a is not None and b is not None and a != b:
                path = ("applications", "carried_over", c)
                _flag(
                    cur,
                    name,
                    path,
                    "S1",
                    "carry_over",
                    severity=Severity.WARNING,
                    found=b,
                    expected=a,
                    prev_year=year - 1,
                )
    keys = {2021: ("issued", "repealed", "in_force"), 2019: ("published", None, "published_total")}
    for row in ("rules", "normative_documents"):
        prev_stock = _count(get_path(prev.data, ("proactive", row, keys[prev_fmt][2])))
        added_key, removed_key, stock_key = keys[cur_fmt]
        added = _count(get_path(cur.data, ("proactive", row, added_key)))
        removed = _count(get_path(cur.data, ("proactive", row, removed_key))) if removed_key else 0
        stock = _count(get_path(cur.data, ("proactive", row, stock_key)))
        if None in (prev_stock, added, removed, stock):
            continue
        assert prev_stock is not None and added is not None and removed is not None
        expected = prev_stock + added - removed
        if stock != expected:
            stock_path: FieldPath = ("proactive", row, stock_key)
            _flag(
                cur,
                name,
                stock_path,
                "S2",
                "stock",
                severity=Severity.WARNING,
                found=stock,
                expected=expected,
                prev=prev_stock,
                added=added,
                removed=removed,
                prev_year=year - 1,
            )


# ------------------------------------------------------------------ known_issues

WHERE_RE = re.compile(r"^((proactive|applications|appeals)(\.[a-z_]+)*(\[\d+\])?|sections\.[一二三四五六])$")


def _known_issues(doc: Document) -> list[KnownIssue]:
    entries = doc.data.get("known_issues") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list):
        return []
    out = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("rule", "where", "note")):
            continue  # the schema has reported it
        if not WHERE_RE.match(e["where"]):
            doc.error(
                doc.where(("known_issues", i, "where")),
                "KNOWN",
                "bad_where",
                f"known_issues[{i}].where",
                _title("known_issues") + " · " + _title("known_issues", 0, "where"),
                where=e["where"],
            )
            continue
        out.append(KnownIssue(i, e["rule"], e["where"], e["note"]))
    return out


def _covers(where: str, fld: str) -> bool:
    return fld == where or fld.startswith(where + ".") or fld.startswith(where + "[")


ACKNOWLEDGEABLE = re.compile(r"^[HS]\d+$")


def reconcile_known_issues(doc: Document) -> None:
    """Acknowledged failures become notices; an acknowledgement matching nothing is an error."""
    issues = _known_issues(doc)
    if not issues:
        return
    out: list[Diagnostic] = []
    for d in doc.diagnostics:
        if d.severity is not Severity.NOTICE and ACKNOWLEDGEABLE.match(d.rule):
            match = next((k for k in issues if k.rule == d.rule and _covers(k.where, d.field)), None)
            if match is not None:
                match.used = True
                out.append(d.acknowledged(match.note))
                continue
        out.append(d)
    doc.diagnostics[:] = out
    for k in issues:
        if not k.used:
            doc.error(
                doc.where(("known_issues", k.index)),
                "KNOWN",
                "unmatched_known_issue",
                f"known_issues[{k.index}]",
                _title("known_issues"),
                rule_id=k.rule,
                where=k.where,
            )


# ------------------------------------------------------------------ agency and site


def validate_agency(doc: Document, site: SiteSource) -> None:
    if not isinstance(doc.data, dict):
        if doc.data is not None:
            doc.error((1, 1), "TYPE", "agency_not_mapping")
        return
    schema_diagnostics(doc, "agency")
    parent = doc.data.get("parent")
    if isinstance(parent, str) and parent not in site.agencies:
        doc.error(
            doc.where(("parent",)),
            "PATH",
            "unknown_parent",
            "parent",
            standard.label("agency", ("parent",)),
            parent=parent,
        )


def validate_config(doc: Document) -> None:
    if not isinstance(doc.data, dict):
        if doc.data is not None:
            doc.error((1, 1), "TYPE", "config_not_mapping")
        return
    schema_diagnostics(doc, "site")


@dataclass
class Validation:
    """The outcome of judging a site: every diagnostic, in file and line order."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def notices(self) -> int:
        return sum(d.severity is Severity.NOTICE for d in self.diagnostics)

    def for_path(self, rel: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == rel]


FIRST_YEAR = 2019


def _judge(doc: Document, ctx: ReportContext, cache: Any) -> None:
    """validate_report, or its findings from ``cache`` for the same bytes in the same context."""
    if cache is None:
        validate_report(doc, ctx)
        return
    key = ("report", doc.digest, doc.rel, ctx.slug, ctx.year, ctx.level, ctx.agency_name, ctx.require_review)
    found = cache.get_judged(key)
    if found is None:
        validate_report(doc, ctx)
        cache.put_judged(key, doc.diagnostics)
    else:
        doc.diagnostics[:] = found


def _year_in_range(doc: Document, year: int, since: Any) -> None:
    """Warnings for a report of a year the agency did not exist in, or a year that has not begun."""
    if isinstance(since, int) and not isinstance(since, bool) and year < since:
        doc.error((1, 1), "PATH", "year_before_since", severity=Severity.WARNING, year=year, since=since)
    current = dt.date.today().year
    if year > current:
        doc.error((1, 1), "PATH", "year_in_future", severity=Severity.WARNING, year=year, current=current)


def validate_site(site: SiteSource, cache: Any = None) -> Validation:
    """Judge every file of the site, then the rules that span years."""
    validate_config(site.config)
    config = site.config.data if isinstance(site.config.data, dict) else {}
    require_review = config.get("require_review") is True
    for agency in site.agencies.values():
        level = name = None
        if agency.doc is not None:
            validate_agency(agency.doc, site)
            if agency.doc.readable and not agency.doc.diagnostics:
                level, name = agency.doc.data.get("level"), agency.doc.data.get("name")
        formats: dict[int, int] = {}
        since = agency.doc.data.get("since") if agency.doc is not None and isinstance(agency.doc.data, dict) else None
        for year, doc in sorted(agency.reports.items()):
            if year < FIRST_YEAR:
                doc.error((1, 1), "PATH", "year_out_of_range", year=year)
                continue
            _year_in_range(doc, year, since)
            _judge(doc, ReportContext(agency.slug, year, level, name, require_review), cache)
            if doc.readable:
                fmt = report_format(doc, year)
                if fmt is not None:
                    formats[year] = fmt
        for year, doc in sorted(agency.reports.items()):
            prev = agency.reports.get(year - 1)
            if prev is not None and year in formats and year - 1 in formats:
                _across_years(prev, doc, formats[year - 1], formats[year], year)
        for doc in agency.reports.values():
            if isinstance(doc.data, dict):
                reconcile_known_issues(doc)
    out = list(site.diagnostics)
    for doc in site.documents():
        out.extend(doc.diagnostics)
    out.sort(key=Diagnostic.sort_key)
    return Validation(out)
