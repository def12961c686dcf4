"""known_issues: failures the original itself has, acknowledged; an acknowledgement must match one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content import Document
from ..errors import Diagnostic, Severity
from .common import title


@dataclass
class KnownIssue:
    index: int
    rule: str
    where: str
    note: str
    used: bool = False


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
                title("known_issues") + " · " + title("known_issues", 0, "where"),
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
                title("known_issues"),
                rule_id=k.rule,
                where=k.where,
            )
