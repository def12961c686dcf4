"""The design holds: the national format is spelled in generator/standard/ and the schemas only,
every rule is a row of rules.yaml, and what standard says agrees with the schemas and the docs."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import yaml

from generator import schemas, standard, validate
from generator.messages import catalog

from .conftest import REPO

GENERATOR = REPO / "generator"


def _strings(node: Any, keys: tuple[str, ...], out: set[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys and isinstance(v, str):
                out.add(v)
            elif k in keys and isinstance(v, dict):
                _strings(v, tuple(v), out)
            _strings(v, keys, out)
    elif isinstance(node, list):
        for v in node:
            _strings(v, keys, out)


def format_labels() -> set[str]:
    """Every label of the national format: the tables' titles, layout wording and short names,
    the levels, the section titles (with and without their numbering)."""
    labels: set[str] = set()
    for fmt in standard.FORMATS:
        schema = schemas.load_schema(schemas.report_schema_name(fmt))
        for table in standard.TABLES:
            _strings(
                schema["properties"][table], ("title", "x-table-label", "x-short", "caption", "value_header"), labels
            )
            labels |= {v for v in standard.layout(fmt, table).values() if isinstance(v, str)}
        _strings(schema.get("$defs", {}), ("title",), labels)
    labels |= set(standard.LEVELS.values())
    for numeral in standard.SECTION_ORDER:
        labels |= set(standard.section_titles(numeral))
    numbering = re.compile(r"^(?:三)?[（(][一二三四五六七][)）]|^[一二三四五六]、|^\d+\.")
    labels |= {numbering.sub("", label) for label in labels}
    return {label for label in labels if re.search(r"[\u4e00-\u9fff]", label) and len(label) >= 2}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.add(id(value))
    return out


def test_no_label_of_the_national_format_is_written_in_code_outside_standard() -> None:
    labels = format_labels()
    assert {"自然人", "属于国家秘密", "不予公开", "第二十条第（一）项", "申请人情况", "街道办事处"} <= labels
    found = []
    for path in sorted(GENERATOR.rglob("*.py")):
        if "standard" in path.relative_to(GENERATOR).parts:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                found += [f"{path.relative_to(REPO)}:{node.lineno}: {label}" for label in labels if label in node.value]
    assert found == []


def test_the_guard_finds_a_label_where_one_is_written(tmp_path: Path) -> None:
    """The scan above is not blind: a label in a literal is found, one in a docstring is not."""
    source = 'def f():\n    """Rows such as 属于国家秘密."""\n    return "行：属于国家秘密"\n'
    tree = ast.parse(source)
    docs = _docstrings(tree)
    hits = [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and id(n) not in docs and "属于国家秘密" in str(n.value)
    ]
    assert hits == [3]


def test_levels_are_the_schemas() -> None:
    level = schemas.load_schema("agency")["properties"]["level"]
    assert list(standard.LEVELS) == level["enum"] == list(level["x-labels"])
    assert set(standard.GOVERNMENT_LEVELS) | set(standard.RULE_MAKING_LEVELS) <= set(standard.LEVELS)


def test_every_rule_in_the_docs_has_a_row_and_every_row_a_kind_and_its_messages() -> None:
    doc = (REPO / "docs/内容格式.md").read_text("utf-8")
    section = doc[doc.index("## 8. 规则") : doc.index("## 9.")]
    documented = re.findall(r"^\| ([HST]\d) \|", section, flags=re.M)
    rows = [r.id for r in validate.rules()]
    assert sorted(documented) == sorted(rows) and len(rows) == len(set(rows))
    kinds = set(validate.REPORT_KINDS) | set(validate.YEAR_KINDS)
    messages = catalog("zh-CN")
    for rule in validate.rules():
        assert rule.kind in kinds, rule.id
        assert rule.messages and all(code in messages for code in rule.messages), rule.id
    severities = {r.id: r.severity.value for r in validate.rules()}
    for rule_id, level in re.findall(r"^\| ([HST]\d) \| (错误|警告) \|", section, flags=re.M):
        assert severities[rule_id] == {"错误": "error", "警告": "warning"}[level], rule_id


def test_rules_name_cells_that_exist() -> None:
    """Every field path and cell key a rule names is a field of the schemas."""
    data = yaml.safe_load((GENERATOR / "schema/rules.yaml").read_text("utf-8"))["rules"]
    for row in data:
        for fmt in standard.FORMATS:
            name = schemas.report_schema_name(fmt)
            paths = [*row.get("lhs", []), *row.get("rhs", []), *([row["rows"]] if "rows" in row else [])]
            paths += [row[k] for k in ("from", "to", "row") if k in row]
            for path in paths:
                assert standard.subschema(name, tuple(path.split("."))) is not None, (row["id"], path)
            for stock in row.get("stocks", []):
                for key in row["cells"][fmt].values():
                    assert standard.subschema(name, (*stock.split("."), key)) is not None, (row["id"], stock, key)


def test_layout_and_figures_come_from_the_schemas() -> None:
    for fmt in standard.FORMATS:
        groups = standard.proactive_groups(fmt)
        laid_out = [row for g in groups for row in g.rows]
        name = schemas.report_schema_name(fmt)
        assert laid_out == list(standard.subschema(name, ("proactive",))["properties"])  # every row, once, in order
    assert standard.columns(2021, ("applications", "received"))[0] == "自然人"
    assert standard.figure_labels()["lawsuit"] == standard.layout(2021, "appeals")["lawsuit"]
    assert set(standard.figure_labels().values()) - {""} == set(standard.figure_labels().values())
