"""Kinds about the body: sections (H7), period (H8), narrative (S5); and a body with no prose."""

from __future__ import annotations

import re

from .. import standard
from ..content import Document, Section, body_sections
from ..errors import Severity
from ..standard import FieldPath, field_name, get_path, narrative
from .common import Judged, count, report, title
from .rules import Rule


def sections(j: Judged, rule: Rule) -> None:
    """H7: sections 一、五、六 present as ``##`` headings, recognisable and in order."""
    doc = j.doc
    seen: dict[str, Section] = {}
    last = -1
    for s in body_sections(doc.body, doc.body_line):
        accepted = standard.NARRATIVE_SECTIONS.get(s.numeral) or (standard.TABLE_SECTIONS[s.numeral],)
        if s.title not in accepted:
            report(
                doc,
                rule,
                "section_title",
                (s.line, 1),
                f"sections.{s.numeral}",
                f"{s.numeral}、{accepted[0]}",
                title=s.title,
                numeral=s.numeral,
                accepted="”或“".join(f"{s.numeral}、{a}" for a in accepted),
            )
        if s.numeral in seen:
            report(doc, rule, "section_twice", (s.line, 1), "", "", numeral=s.numeral, first=seen[s.numeral].line)
            continue
        order = standard.SECTION_ORDER.index(s.numeral)
        if order < last:
            report(doc, rule, "section_order", (s.line, 1), "", "", numeral=s.numeral)
        last = max(last, order)
        seen[s.numeral] = s
    for numeral, titles in standard.NARRATIVE_SECTIONS.items():
        if numeral not in seen:
            report(
                doc,
                rule,
                "section_missing",
                (doc.body_line, 1),
                f"sections.{numeral}",  # known_issues can say the original has no such part
                f"{numeral}、{titles[0]}",
                heading=f"## {numeral}、{titles[0]}",
            )


def empty_body(doc: Document) -> None:
    """A report whose body holds headings and nothing else (a fresh ``gongkai new``) is not ready to publish."""
    if not re.sub(r"^\s*#.*$", "", doc.body, flags=re.M).strip():
        doc.error((doc.body_line, 1), "BODY", "empty_body", severity=Severity.WARNING)


def period(j: Judged, rule: Rule) -> None:
    """H8: the title's year and the statistics period are the report's year."""
    doc, year = j.doc, j.ctx.year
    stated = j.data.get("title")
    if isinstance(stated, str):
        m = narrative.pattern("title_year").search(stated)
        if m and int(m.group(1)) != year:
            report(doc, rule, "title_year", doc.where(("title",)), "title", title("title"), found=m.group(1), year=year)
    for m in narrative.pattern("period").finditer(doc.body):
        if int(m.group(1)) != year or int(m.group(2)) != year:
            line = doc.body_line + doc.body.count("\n", 0, m.start())
            report(doc, rule, "period_year", (line, 1), "", "统计期限", quote=m.group(0), year=year)


def _total_column(name: str, rows: tuple[FieldPath, ...]) -> int:
    """The 总计 column of rows of table 三 or 四: their last."""
    return standard.width(name, standard.leaf_rows(name, rows[0])[0]) - 1


def narrative_figures(j: Judged, rule: Rule) -> None:
    """S5: figures quoted in 一、总体情况 agree with the tables."""
    doc, name = j.doc, j.name
    first = [s for s in body_sections(doc.body, doc.body_line) if s.numeral == "一"]
    if not first:
        return
    s = first[0]
    text = doc.body[s.start : s.end]

    def line_of(pos: int) -> int:
        return s.line + 1 + text.count("\n", 0, pos)

    def table_value(rows: tuple[FieldPath, ...], col: int) -> int | None:
        total = 0
        for p in rows:
            for r in standard.leaf_rows(name, p):
                v = count(get_path(doc.data, r + (col,)))
                if v is None:
                    return None
                total += v
        return total

    def contradicts(pos: int, quote: str, rows: tuple[FieldPath, ...], col: int, said: int, table: int) -> None:
        lbl = "、".join(standard.label(name, r + (col,)) for r in rows)
        fld = field_name(rows[0] + (col,))
        report(doc, rule, "narrative", (line_of(pos), 1), fld, lbl, quote=quote.strip(), said=said, table=table)

    taken: list[tuple[int, int]] = []  # where a combined phrase stands: no single phrase is read there
    for combined, phrases in ((True, narrative.combined_phrases()), (False, narrative.figure_phrases())):
        for phrase in phrases:
            col = _total_column(name, phrase.rows)
            for m in phrase.pattern.finditer(text):
                if any(m.start() < end and start < m.end() for start, end in taken):
                    continue
                if combined:
                    taken.append(m.span())
                table = table_value(phrase.rows, col)
                if table is not None and int(m.group(1)) != table:
                    contradicts(m.start(), m.group(0), phrase.rows, col, int(m.group(1)), table)
    outcomes = narrative.pattern("outcomes")
    for phrase in narrative.none_phrases():
        col = _total_column(name, phrase.rows)
        for m in phrase.pattern.finditer(text):
            clause = re.split(r"[，。；,;]", text[m.start() :], maxsplit=1)[0]
            if outcomes.search(clause):  # about how they ended, not how many there were
                continue
            table = table_value(phrase.rows, col)
            if table:
                contradicts(m.start(), m.group(0), phrase.rows, col, 0, table)
    for m in narrative.pattern("all_upheld").finditer(text):
        _all_upheld(j, rule, m.group(0), (line_of(m.start()), 1))


def _all_upheld(j: Judged, rule: Rule, quote: str, where: tuple[int, int]) -> None:
    """S5: the prose says every review and lawsuit was upheld (均获维持); then no other outcome may be counted."""
    doc, name = j.doc, j.name
    for row_path in standard.leaf_rows(name, ("appeals",)):
        n = standard.width(name, row_path)
        row = get_path(doc.data, row_path)
        complete = isinstance(row, list) and len(row) == n and all(count(v) is not None for v in row[:-1])
        others = range(1, n - 1)  # the outcomes but the first (结果维持) and the 总计
        if complete and any(row[i] for i in others):
            cols = [standard.label(name, (*row_path, i)) for i in others if row[i]]
            lbl = standard.label(name, row_path)
            report(doc, rule, "all_upheld", where, field_name(row_path), lbl, quote=quote, cells="、".join(cols))
