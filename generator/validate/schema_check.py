"""The JSON Schema's violations as diagnostics: unknown and missing keys, types, rows of the wrong length."""

from __future__ import annotations

import difflib
import re
from typing import Any

from .. import schemas, standard
from ..content import Document
from ..standard import field_name
from .common import report, show
from .rules import of_kind

FULLWIDTH = str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")
PLACEHOLDERS = {"/", "-", "—", "－", "--", "——", "／", "无", "空", "", "_"}
TYPE_WORDS = {
    "zh-CN": {
        "integer": "整数",
        "number": "数字",
        "string": "文字",
        "null": "null（空白）",
        "boolean": "true/false",
        "object": "键值映射",
        "array": "方括号列表",
    },
    "en": {
        "integer": "a whole number",
        "number": "a number",
        "string": "text",
        "null": "null (blank)",
        "boolean": "true/false",
        "object": "a mapping",
        "array": "a [list]",
    },
}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def schema_diagnostics(doc: Document, name: str) -> None:
    """Check ``doc.data`` against schema ``name``; one diagnostic per violation."""
    for v in schemas.violations(name, doc.data):
        fld = field_name(v.path)
        lbl = standard.label(name, v.path)
        if v.kind == "unknown":
            _unknown_key(doc, v, fld)
        elif v.kind == "required":
            missing = v.path + (v.detail,)
            doc.error(
                doc.where(v.path, key=True),
                "REQUIRED",
                "required_key",
                field_name(missing),
                standard.label(name, missing),
                key=v.detail,
            )
        elif v.kind == "type":
            _type_diagnostic(doc, v, fld, lbl)
        elif v.kind == "count":
            _, hi = v.detail
            titles = [s.get("title", "") for s in v.schema.get("prefixItems", [])]
            doc.error(
                doc.where(v.path),
                "TYPE",
                "row_length",
                fld,
                lbl,
                expected=hi,
                found=len(v.value),
                columns="、".join(titles),
            )
        elif v.kind == "minimum":
            report(doc, of_kind("amounts"), "negative", doc.where(v.path), fld, lbl, value=v.value)
        elif v.kind == "enum":
            doc.error(
                doc.where(v.path),
                "TYPE",
                "enum",
                fld,
                lbl,
                value=show(v.value),
                allowed="、".join(str(a) for a in v.detail),
            )
        elif v.kind == "minLength":
            doc.error(doc.where(v.path), "TYPE", "empty_text", fld, lbl)
        elif v.kind == "pattern":
            code = PATTERN_CODES.get(v.detail, "pattern")
            doc.error(doc.where(v.path), "TYPE", code, fld, lbl, value=show(v.value), pattern=v.detail)


# The schema's patterns and the message that says what each wants.
PATTERN_CODES = {
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "bad_date",
    "^https?://": "bad_url",
    "^[a-z0-9-]+$": "bad_slug_value",
    "^[HST][0-9]+$": "bad_rule_id",
}


def _unknown_key(doc: Document, v: schemas.Violation, fld: str) -> None:
    """A key the schema does not have: said with the nearest allowed key, if one is near."""
    key = v.path[-1]
    guess = difflib.get_close_matches(str(key), v.detail or [], n=1, cutoff=0.6)
    code = "unknown_key_guess" if guess else "unknown_key"
    allowed = "、".join(v.detail or []) or "（无）"
    where = doc.where(v.path, key=True)
    doc.error(where, "KEY", code, fld, "", key=key, guess=guess[0] if guess else "", allowed=allowed)


def _type_diagnostic(doc: Document, v: schemas.Violation, fld: str, lbl: str) -> None:
    expected = v.detail
    value = v.value
    loc = doc.where(v.path)
    words = "、".join(TYPE_WORDS["zh-CN"][t] for t in expected if t != "null")
    words_en = ", ".join(TYPE_WORDS["en"][t] for t in expected if t != "null")
    if isinstance(value, str) and ("integer" in expected or "number" in expected):
        narrow = value.translate(FULLWIDTH)
        half = narrow.replace(",", "").strip()
        if narrow != value and re.fullmatch(r"-?\d+(\.\d+)?", half):  # 1,234 alone is said below
            doc.error(loc, "TYPE", "fullwidth_digit", fld, lbl, value=value, fixed=half)
            return
        if value.strip() in PLACEHOLDERS:
            doc.error(loc, "TYPE", "placeholder_cell", fld, lbl, value=show(value))
            return
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", value.strip()):
            doc.error(loc, "TYPE", "thousands_separator", fld, lbl, value=value, fixed=value.replace(",", ""))
            return
    if "array" in expected and not isinstance(value, list):
        doc.error(loc, "TYPE", "not_a_row", fld, lbl, value=show(value))
        return
    doc.error(
        loc,
        "TYPE",
        "type_mismatch",
        fld,
        lbl,
        value=show(value),
        expected=words,
        expected_en=words_en,
        found=TYPE_WORDS["zh-CN"][_type_name(value)],
        found_en=TYPE_WORDS["en"][_type_name(value)],
    )
