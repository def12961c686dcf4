"""Kinds about single cells of table 二 and blanks: amounts (H5), blanks (H6), stock_floor (S3), rule_making (S4)."""

from __future__ import annotations

from .. import standard
from ..standard import get_path
from .common import Judged, cells, count, dotted, flag
from .rules import Rule


def amounts(j: Judged, rule: Rule) -> None:
    """H5: an amount kept as published in another unit (a string); negative counts are the schema's minimum."""
    kept = {dotted(p) for p in rule.params.get("cells", [])}
    for path, value in cells(j.data, j.name):
        if isinstance(value, str) and path in kept:
            flag(j, rule, path, "amount_unit", value=value)


def blanks(j: Judged, rule: Rule) -> None:
    """H6: a blank (null) cell of the tables."""
    for path, value in cells(j.data, j.name):
        if value is None and standard.subschema(j.name, path) is not None:
            flag(j, rule, path, "blank_cell")


def stock_floor(j: Judged, rule: Rule) -> None:
    """S3: the stock in force cannot be smaller than what was made this year."""
    keys = rule.params["cells"][j.fmt]
    for row in rule.params["stocks"]:
        base = dotted(row)
        made = count(get_path(j.data, (*base, keys["made"])))
        stock = count(get_path(j.data, (*base, keys["stock"])))
        if made is not None and stock is not None and stock < made:
            made_label = standard.label(j.name, (*base, keys["made"]))
            flag(j, rule, (*base, keys["stock"]), "stock_below_made", stock=stock, made=made, made_label=made_label)


def rule_making(j: Judged, rule: Rule) -> None:
    """S4: 规章 are made only by 国务院部门 and provincial and city governments (立法法), and reported
    by them or by their general office (standard.may_report_rules)."""
    level = j.ctx.level
    if level is None or standard.may_report_rules(level, j.ctx.agency_name):
        return
    base = dotted(rule.params["row"])
    row = get_path(j.data, base)
    if not isinstance(row, dict):
        return
    for key, value in row.items():
        if count(value) and key in rule.params["cells"]:
            flag(j, rule, (*base, key), "rules_level", value=value, level=standard.LEVELS.get(level, level))
