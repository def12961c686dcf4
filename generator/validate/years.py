"""Kinds across an agency's consecutive years: carry_over (S1), stock_flow (S2)."""

from __future__ import annotations

from .. import standard
from ..standard import get_path
from .common import Judged, count, dotted, flag
from .rules import Rule


def carry_over(prev: Judged, cur: Judged, rule: Rule) -> None:
    """S1: this year's 上年结转 is last year's 结转下年度, column by column."""
    source, target = dotted(rule.params["from"]), dotted(rule.params["to"])
    forward, over = get_path(prev.data, source), get_path(cur.data, target)
    n = standard.width(cur.name, target)
    if isinstance(forward, list) and isinstance(over, list) and len(forward) == len(over) == n:
        for c in range(n):
            a, b = count(forward[c]), count(over[c])
            if a is not None and b is not None and a != b:
                flag(cur, rule, (*target, c), "carry_over", found=b, expected=a, prev_year=cur.ctx.year - 1)


def stock_flow(prev: Judged, cur: Judged, rule: Rule) -> None:
    """S2: the stock in force is last year's, plus what was added, less what was repealed."""
    before, now = rule.params["cells"][prev.fmt], rule.params["cells"][cur.fmt]
    for row in rule.params["stocks"]:
        base = dotted(row)
        prev_stock = count(get_path(prev.data, (*base, before["stock"])))
        added = count(get_path(cur.data, (*base, now["added"])))
        removed = count(get_path(cur.data, (*base, now["removed"]))) if "removed" in now else 0
        stock = count(get_path(cur.data, (*base, now["stock"])))
        if prev_stock is None or added is None or removed is None or stock is None:
            continue
        expected = prev_stock + added - removed
        if stock != expected:
            flag(
                cur,
                rule,
                (*base, now["stock"]),
                "stock",
                found=stock,
                expected=expected,
                prev=prev_stock,
                added=added,
                removed=removed,
                prev_year=cur.ctx.year - 1,
            )
