"""The standard's labels and rows, read from the JSON Schemas' titles (the one place they are spelled)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..schemas import _deref, load_schema
from .paths import FieldPath


@lru_cache(maxsize=4096)
def subschema(name: str, path: FieldPath) -> dict[str, Any] | None:
    """The (dereferenced) schema of the field at ``path``, or None if there is none."""
    root = load_schema(name)
    node = _deref(root, root)
    for part in path:
        if isinstance(part, int):
            prefix = node.get("prefixItems", [])
            if part < len(prefix):
                node = _deref(root, prefix[part])
            elif isinstance(node.get("items"), dict):
                node = _deref(root, node["items"])
            else:
                return None
        else:
            props = node.get("properties", {})
            if part not in props:
                return None
            node = _deref(root, props[part])
    return node


TABLES = ("proactive", "applications", "appeals")


@lru_cache(maxsize=4096)
def label(name: str, path: FieldPath) -> str:
    """The Chinese label of a field, e.g. ``三（七）总计 · 自然人``.

    Titles along the path are joined with `` · ``; the table's own title is left
    out (row titles already say which table), as are titles of list entries.
    """
    root = load_schema(name)
    node = _deref(root, root)
    parts: list[str] = []
    for depth, part in enumerate(path):
        if isinstance(part, int):
            prefix = node.get("prefixItems", [])
            if part < len(prefix):
                node = _deref(root, prefix[part])
                parts.append(node.get("title", ""))
                continue
            items = node.get("items")
            if not isinstance(items, dict):
                break
            node = _deref(root, items)
            parts.append(f"第 {part + 1} 项")
            continue
        props = node.get("properties", {})
        if part not in props:
            break
        node = _deref(root, props[part])
        if depth == 0 and part in TABLES and len(path) > 1:
            continue
        parts.append(node.get("title", ""))
    return " · ".join(p for p in parts if p)


@lru_cache(maxsize=1024)
def leaf_rows(name: str, path: FieldPath) -> tuple[FieldPath, ...]:
    """Rows (arrays of counts) at or under ``path``, in schema order."""
    node = subschema(name, path)
    if node is None:
        return ()
    if "prefixItems" in node:
        return (path,)
    out: list[FieldPath] = []
    for key in node.get("properties", {}):
        out.extend(leaf_rows(name, path + (key,)))
    return tuple(out)


_NUMBERING = re.compile(r"^(?:[一二三四五六]、|[一二三四]?（[一二三四五六七]）|\d+\.)")


def short(name: str, path: FieldPath) -> str:
    """A row's title without the standard's numbering: 三（三）不予公开 → 不予公开, 1.属于国家秘密 → 属于国家秘密."""
    node = subschema(name, path) or {}
    return _NUMBERING.sub("", str(node.get("title", ""))).strip()


def groups(name: str, table: str) -> tuple[str, ...]:
    """The keys of ``table``'s rows that are groups of rows (三（三）不予公开 and its reasons …), in order."""
    node = subschema(name, (table,)) or {}
    return tuple(k for k in node.get("properties", {}) if "properties" in (subschema(name, (table, k)) or {}))


def width(name: str, row: FieldPath) -> int:
    """How many cells a row of table 三 or 四 has (its columns, 总计 included)."""
    return len((subschema(name, row) or {}).get("prefixItems", []))
