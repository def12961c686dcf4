"""Kinds equation, row_total, at_most: the 勾稽 rules between cells of tables 三 and 四 (H1–H4, S7)."""

from __future__ import annotations

from typing import Any

from .. import standard
from ..standard import FieldPath, field_name, get_path
from .common import Judged, count, report
from .rules import Rule


def _row_values(data: Any, path: FieldPath, columns: int) -> list[int | None] | None:
    row = get_path(data, path)
    if not isinstance(row, list) or len(row) != columns:
        return None
    return [count(v) for v in row]


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


def row_total(j: Judged, rule: Rule) -> None:
    """In every row under ``rule.rows``: the last cell is the sum of the others."""
    for row in standard.leaf_rows(j.name, rule.rows):
        n = standard.width(j.name, row)
        raw = _row_values(j.data, row, n)
        if raw is None or any(v is None for v in raw):
            continue
        values = [v for v in raw if v is not None]
        stated, parts = values[-1], values[:-1]
        if stated != sum(parts):
            cell = row + (n - 1,)
            report(
                j.doc,
                rule,
                "row_total",
                j.doc.where(cell),
                rule.field.format(row=field_name(row), col=n - 1),
                standard.label(j.name, cell),
                expected=sum(parts),
                terms="+".join(map(str, parts)),
                found=stated,
            )


def equation(j: Judged, rule: Rule) -> None:
    """Per column: the sum of the lhs rows equals (at_most: is at most) the sum of the rhs rows."""
    columns = standard.width(j.name, standard.leaf_rows(j.name, rule.lhs[0])[0])
    lhs = _column_sums(j.data, j.name, rule.lhs, columns)
    rhs = _column_sums(j.data, j.name, rule.rhs, columns)
    for col in range(columns):
        (found, found_parts), (expected, expected_parts) = lhs[col], rhs[col]
        if found is None or expected is None:
            continue
        broken = found != expected if rule.kind == "equation" else found > expected
        if not broken:
            continue
        cell = rule.lhs[0] + (col,)
        lbl = standard.applicant_column(j.name, col) if rule.label == "column" else standard.label(j.name, cell)
        report(
            j.doc,
            rule,
            f"rule_{rule.id}",
            j.doc.where(cell),
            rule.field.format(col=col),
            lbl,
            expected=expected,
            found=found,
            expected_terms="+".join(map(str, expected_parts)),
            found_terms="+".join(map(str, found_parts)),
        )


at_most = equation  # the same sums, compared with <=
