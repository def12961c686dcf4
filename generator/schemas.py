"""The JSON Schemas: loading, labels, and a compiled validator.

The schema files in ``generator/schema/`` are the single source of truth for
field names, types and Chinese labels. ``jsonschema`` checks a report in about
3.4 ms; a 10,000-report build would spend half a minute there. So we compile
the subset of draft 2020-12 the schemas use into plain closures (about 50×
faster) that report *every* violation, and the test suite checks the compiled
validator against ``jsonschema`` itself. An unsupported keyword in a schema is
refused at load time, so the two cannot drift apart silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

FieldPath = tuple[str | int, ...]  # as standard.paths.FieldPath (this module sits below standard)

SCHEMA_NAMES = ("report-2021", "report-2019", "agency", "site")
_ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description"}  # and every x-… key: gongkai's own annotations
_SUPPORTED = _ANNOTATIONS | {
    "$ref",
    "type",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "prefixItems",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "minLength",
    "pattern",
}


@dataclass(frozen=True)
class Violation:
    """One schema violation: where, which keyword, and what it needs."""

    path: FieldPath
    kind: str  # type | enum | required | unknown | count | minimum | minLength | pattern
    schema: dict[str, Any]
    value: Any = None
    detail: Any = None


Check = Callable[[Any, FieldPath, list[Violation]], None]


def schema_text(name: str) -> str:
    return resources.files("generator").joinpath(f"schema/{name}.schema.json").read_text("utf-8")


@cache
def load_schema(name: str) -> dict[str, Any]:
    data = json.loads(schema_text(name))
    assert isinstance(data, dict)
    return data


def report_schema_name(fmt: int) -> str:
    return f"report-{fmt}"


def _is_type(value: Any, t: str) -> bool:
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "string":
        return isinstance(value, str)
    if t == "null":
        return value is None
    if t == "boolean":
        return isinstance(value, bool)
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    raise ValueError(f"unknown JSON type {t}")


class _Compiler:
    def __init__(self, root: dict[str, Any]):
        self.root = root

    def resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported: {ref}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        assert isinstance(node, dict)
        return node

    def compile(self, schema: dict[str, Any] | bool) -> Check:
        if schema is True:
            return lambda v, p, out: None
        if schema is False:
            return lambda v, p, out: out.append(Violation(p, "unknown", {}, v))
        unknown = {k for k in set(schema) - _SUPPORTED if not k.startswith("x-")}
        if unknown:
            raise ValueError(f"schema keyword(s) not supported by the compiled validator: {sorted(unknown)}")
        if "$ref" in schema:
            # Our schemas do not recurse: inline the target, the referring keywords on top
            # (so a violation carries the field's own title).
            merged = {**self.resolve(schema["$ref"]), **{k: v for k, v in schema.items() if k != "$ref"}}
            return self.compile(merged)
        types = schema.get("type")
        type_list = [types] if isinstance(types, str) else list(types or [])
        sub: list[Check] = []
        if "enum" in schema:
            allowed = schema["enum"]
            sub.append(
                lambda v, p, out: (
                    None
                    if any(v == a and type(v) is type(a) for a in allowed)
                    else out.append(Violation(p, "enum", schema, v, allowed))
                )
            )
        if "minimum" in schema:
            lo = schema["minimum"]
            sub.append(
                lambda v, p, out: (
                    out.append(Violation(p, "minimum", schema, v, lo)) if _is_type(v, "number") and v < lo else None
                )
            )
        if "minLength" in schema:
            n = schema["minLength"]
            sub.append(
                lambda v, p, out: (
                    out.append(Violation(p, "minLength", schema, v, n)) if isinstance(v, str) and len(v) < n else None
                )
            )
        if "pattern" in schema:
            rx = re.compile(schema["pattern"])
            sub.append(
                lambda v, p, out: (
                    out.append(Violation(p, "pattern", schema, v, schema["pattern"]))
                    if isinstance(v, str) and not rx.search(v)
                    else None
                )
            )
        if "properties" in schema or "required" in schema or "additionalProperties" in schema:
            sub.append(self._object(schema))
        if "prefixItems" in schema or "items" in schema or "minItems" in schema or "maxItems" in schema:
            sub.append(self._array(schema))

        def check(v: Any, p: FieldPath, out: list[Violation]) -> None:
            if type_list and not any(_is_type(v, t) for t in type_list):
                out.append(Violation(p, "type", schema, v, type_list))
                return
            for c in sub:
                c(v, p, out)

        return check

    def _object(self, schema: dict[str, Any]) -> Check:
        props = {k: self.compile(s) for k, s in schema.get("properties", {}).items()}
        required = schema.get("required", [])
        extra = schema.get("additionalProperties", True)
        extra_check = None if extra is True else self.compile(extra)

        def check(v: Any, p: FieldPath, out: list[Violation]) -> None:
            if not isinstance(v, dict):
                return
            for key in required:
                if key not in v:
                    out.append(Violation(p, "required", schema, None, key))
            for key, value in v.items():
                c = props.get(key)
                if c is not None:
                    c(value, p + (key,), out)
                elif extra_check is not None:
                    if extra is False:
                        out.append(Violation(p + (key,), "unknown", schema, value, sorted(props)))
                    else:
                        extra_check(value, p + (key,), out)

        return check

    def _array(self, schema: dict[str, Any]) -> Check:
        prefix = [self.compile(s) for s in schema.get("prefixItems", [])]
        items = schema.get("items", True)
        rest = None if items is True else (None if items is False else self.compile(items))
        lo, hi = schema.get("minItems", 0), schema.get("maxItems")

        def check(v: Any, p: FieldPath, out: list[Violation]) -> None:
            if not isinstance(v, list):
                return
            n = len(v)
            if n < lo or (hi is not None and n > hi) or (items is False and n > len(prefix)):
                out.append(Violation(p, "count", schema, v, (lo, hi if hi is not None else len(prefix))))
            for i, item in enumerate(v):
                if i < len(prefix):
                    prefix[i](item, p + (i,), out)
                elif rest is not None:
                    rest(item, p + (i,), out)

        return check


@cache
def compiled(name: str) -> Check:
    """The compiled validator of schema ``name`` (report-2021, report-2019, agency, site)."""
    schema = load_schema(name)
    return _Compiler(schema).compile(schema)


def violations(name: str, data: Any) -> list[Violation]:
    out: list[Violation] = []
    compiled(name)(data, (), out)
    return out


# ------------------------------------------------------------------------ labels


def _deref(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node
