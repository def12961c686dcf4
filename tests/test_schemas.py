"""The compiled validator against jsonschema itself, and labels from the schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import schemas, standard

from .reports import consistent_tables

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from([1.5, -0.25]),
    st.text(max_size=3),
    st.lists(st.integers(0, 3), max_size=8),
    st.dictionaries(st.sampled_from(["a", "issued"]), st.integers(0, 2), max_size=2),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


@st.composite
def mutated_reports(draw: Any) -> dict[str, Any]:
    doc = copy.deepcopy(draw(consistent_tables()))
    doc.update(title="x", published="2026-01-20", format=2021)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(doc)[1:]))
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(ODD_VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["recieved", "extra", "rules"]))] = draw(ODD_VALUES)
        else:
            parent.append(draw(ODD_VALUES))
    return doc


def _ours(name: str, doc: Any) -> set[tuple]:
    out = set()
    for v in schemas.violations(name, doc):
        out.add(v.path[:-1] if v.kind == "unknown" else v.path)
    return out


def _reference(name: str, doc: Any) -> set[tuple]:
    validator = jsonschema.Draft202012Validator(schemas.load_schema(name))
    return {tuple(e.absolute_path) for e in validator.iter_errors(doc)}


@settings(max_examples=300, deadline=None)
@given(doc=mutated_reports())
def test_compiled_validator_agrees_with_jsonschema(doc: dict[str, Any]) -> None:
    assert _ours("report-2021", doc) == _reference("report-2021", doc)


@pytest.mark.parametrize("name", schemas.SCHEMA_NAMES)
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schemas.load_schema(name))


def test_every_field_has_a_chinese_title_and_description() -> None:
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                for key, sub in node["properties"].items():
                    assert "title" in sub and "description" in sub, f"{where}.{key}"
                    walk(sub, f"{where}.{key}")
            for key in ("prefixItems",):
                for i, sub in enumerate(node.get(key, [])):
                    assert "title" in sub, f"{where}[{i}]"
            for sub in node.get("$defs", {}).values():
                walk(sub, where)
            if isinstance(node.get("items"), dict):
                walk(node["items"], where + "[]")

    for name in schemas.SCHEMA_NAMES:
        walk(schemas.load_schema(name), name)


def test_labels() -> None:
    assert standard.label("report-2021", ("applications", "total", 0)) == "三（七）总计 · 自然人"
    assert (
        standard.label("report-2021", ("applications", "withheld", "security_stability", 6))
        == "三（三）不予公开 · 3.危及“三安全一稳定” · 总计"
    )
    assert standard.label("report-2021", ("appeals", "lawsuit_after_review", 0)) == "行政诉讼 · 复议后起诉 · 结果维持"
    assert standard.label("report-2019", ("proactive", "licensing", "change")) == "行政许可 · 本年增/减"
    assert len(standard.leaf_rows("report-2021", ("applications",))) == 25
    assert len(standard.leaf_rows("report-2019", ("applications",))) == 23


def test_unsupported_keyword_is_refused() -> None:
    with pytest.raises(ValueError, match="oneOf"):
        schemas._Compiler({}).compile({"oneOf": [{"type": "integer"}]})


def test_2019_cells_count() -> None:
    schema = schemas.load_schema("report-2019")
    pro = schema["properties"]["proactive"]["properties"]
    assert sum(len(v["properties"]) for v in pro.values()) == 22
    assert json.loads(schemas.schema_text("report-2021"))["$schema"] == "https://json-schema.org/draft/2020-12/schema"
