"""The rules table (schema/rules.yaml): one row a rule, each checked by the function of its kind."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..errors import Severity
from ..standard import FieldPath


@dataclass(frozen=True)
class Rule:
    """A row of rules.yaml. ``params`` holds what a kind of its own reads (cells by name, stocks …)."""

    id: str
    severity: Severity
    kind: str
    messages: tuple[str, ...]
    field: str = ""
    lhs: tuple[FieldPath, ...] = ()
    rhs: tuple[FieldPath, ...] = ()
    rows: FieldPath = ()
    label: str = "cell"  # what a finding is labelled by: its cell, or (a column rule) its column
    params: dict[str, Any] = dc_field(default_factory=dict, compare=False, hash=False)


def _path(dotted: str) -> FieldPath:
    return tuple(dotted.split("."))


COMMON = {"id", "severity", "kind", "messages", "field", "lhs", "rhs", "rows", "label"}


@cache
def rules() -> tuple[Rule, ...]:
    data = yaml.safe_load(resources.files("generator").joinpath("schema/rules.yaml").read_text("utf-8"))
    return tuple(
        Rule(
            id=r["id"],
            severity=Severity(r["severity"]),
            kind=r["kind"],
            messages=tuple(r["messages"]),
            field=r.get("field", ""),
            lhs=tuple(_path(p) for p in r.get("lhs", [])),
            rhs=tuple(_path(p) for p in r.get("rhs", [])),
            rows=_path(r["rows"]) if "rows" in r else (),
            label=r.get("label", "cell"),
            params={k: v for k, v in r.items() if k not in COMMON},
        )
        for r in data["rules"]
    )


def of_kind(kind: str) -> Rule:
    """The one rule checked by ``kind``."""
    return next(r for r in rules() if r.kind == kind)
