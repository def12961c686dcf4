"""``gongkai new``: start a year's report (and a new agency) in the normative layout.

The text is generated from the JSON Schema, so the keys and the Chinese label
comments on every row are exactly the ones the validator and the portal use.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import content, schemas, standard
from .content import AGENCY_FILE, CONTENT_DIR, SLUG_RE
from .errors import UsageError


def _props(node: dict[str, Any], name: str) -> dict[str, Any]:
    root = schemas.load_schema(name)
    out = {}
    for key, sub in node.get("properties", {}).items():
        out[key] = schemas._deref(root, sub)
    return out


def _key(text: str, width: int) -> str:
    """``text`` padded to ``width``, always followed by at least one space."""
    return (text + " ").ljust(width)


def _yaml_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string
    return str(value)


def _row(node: dict[str, Any], values: Any) -> str:
    cells = values if isinstance(values, list) else [0] * len(node["prefixItems"])
    return "[" + ", ".join(_yaml_value(v) for v in cells) + "]"


def report_front_matter(
    fmt: int,
    title: str,
    data: dict[str, Any] | None = None,
    published: str | None = None,
    source_url: str | None = None,
    known_issues: list[dict[str, str]] | None = None,
) -> str:
    """Front matter for format ``fmt``, one labelled line per row: all zeros, or ``data`` (from an import)."""
    name = schemas.report_schema_name(fmt)
    top = _props(schemas.load_schema(name), name)
    lines = [
        "---",
        f"title: {title}",
        f"published: {published}"
        if published
        else "# published: YYYY-MM-DD    # 发布日期：发布时填写；原文未写明则不填（及时性记为“未知”）",
        f"format: {fmt}                 # {standard.NOTICES[fmt]}",
        f"source_url: {source_url}" if source_url else "# source_url: https://...   # 原文链接（可选）",
    ]
    values = _Values(data or {})
    lines += _proactive_lines(top["proactive"], name, values)
    for table in ("applications", "appeals"):
        lines += _table_lines(table, top[table], name, values)
    if known_issues:
        lines.append("known_issues:                # 原文问题的说明（导入时记录，数字保持原文）")
        for issue in known_issues:
            lines.append(
                f"  - {{rule: {issue['rule']}, where: {json.dumps(issue['where'])}, "
                f"note: {json.dumps(issue['note'], ensure_ascii=False)}}}"
            )
    lines.append("---")
    return "\n".join(lines) + "\n"


class _Values:
    """The values written into a new front matter: the data's, or 0 where it has none."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __call__(self, *path: str) -> Any:
        node: Any = self.data
        for part in path:
            node = node.get(part, 0) if isinstance(node, dict) else 0
        return node


def _comment(text: str, width: int, body: str) -> str:
    return f"{body.ljust(width)}  # {text}"


def _proactive_lines(proactive: dict[str, Any], name: str, get: _Values) -> list[str]:
    """Table 二: one line a row, its cells in braces, labelled with the row's and the cells' titles."""
    lines = [_comment(proactive["title"], 27, "proactive:")]
    for key, node in _props(proactive, name).items():
        if node.get("type") == "object":
            cells = _props(node, name)
            body = (
                _key(f"  {key}:", 23)
                + "{"
                + ", ".join(f"{k}: {_yaml_value(get('proactive', key, k))}" for k in cells)
                + "}"
            )
            titles = " / ".join(c["title"] for c in cells.values())
            lines.append(_comment(f"{node['title']}: {titles}", 27, body))
        else:
            lines.append(_comment(node["description"], 27, f"  {key}: {_yaml_value(get('proactive', key))}"))
    return lines


def _table_lines(table: str, node: dict[str, Any], name: str, get: _Values) -> list[str]:
    """Table 三 or 四: the columns named once, then one labelled line a row (groups and their rows)."""
    lines = [_comment(node["title"], 27, f"{table}:")]
    rows = _props(node, name)
    first = next(iter(rows.values()))
    lines.append(f"  # columns: [{', '.join(c['title'] for c in first['prefixItems'])}]")
    for key, row in rows.items():
        if "prefixItems" in row:
            lines.append(_comment(row["title"], 43, _key(f"  {key}:", 23) + _row(row, get(table, key))))
            continue
        lines.append(_comment(row["title"], 43, f"  {key}:"))
        for leaf_key, leaf in _props(row, name).items():
            lines.append(
                _comment(leaf["title"], 43, _key(f"    {leaf_key}:", 28) + _row(leaf, get(table, key, leaf_key)))
            )
    return lines


def report_body() -> str:
    parts = []
    for numeral, titles in standard.NARRATIVE_SECTIONS.items():
        parts.append(f"## {numeral}、{titles[0]}\n\n")
    return "\n".join(parts)


def agency_yaml(name: str, level: str, region: list[str], since: int) -> str:
    return (
        f"name: {name}\n"
        f"level: {level}            # {standard.LEVELS[level]}\n"
        f"region: [{', '.join(region)}]\n"
        f"since: {since}\n"
    )


def create(
    site_root: Path,
    slug: str,
    year: int,
    name: str | None = None,
    level: str | None = None,
    region: list[str] | None = None,
) -> list[Path]:
    """Write ``content/<slug>/<year>.md`` (and ``_agency.yaml`` for a new agency); never overwrite."""
    if not SLUG_RE.match(slug):
        raise UsageError("bad_slug", slug=slug)
    if not 2019 <= year <= 2100:
        raise UsageError("bad_year", year=year)
    folder = site_root / CONTENT_DIR / slug
    report = folder / f"{year}.md"
    agency_file = folder / AGENCY_FILE
    if report.exists():
        raise UsageError("exists_kept", path=report.relative_to(site_root))
    written: list[Path] = []
    agency_name = name
    if not agency_file.exists():
        missing = [flag for flag, value in (("--name", name), ("--level", level), ("--region", region)) if not value]
        if missing:
            raise UsageError("new_agency_needs", slug=slug, flags="、".join(missing), file=f"{slug}/{AGENCY_FILE}")
        assert name and level and region
        if level not in standard.LEVELS:
            levels = "、".join(f"{k}（{v}）" for k, v in standard.LEVELS.items())
            raise UsageError("bad_level", level=level, levels=levels)
        folder.mkdir(parents=True, exist_ok=True)
        _write_new(agency_file, agency_yaml(name, level, region, year))
        written.append(agency_file)
    else:
        data = content.read_mapping(agency_file) or {}
        agency_name = agency_name or data.get("name") or slug
    fmt = standard.default_format(year)
    title = standard.default_title(agency_name or slug, year)
    _write_new(report, report_front_matter(fmt, title) + "\n" + report_body())
    written.append(report)
    return written


def _write_new(path: Path, text: str) -> None:
    with path.open("x", encoding="utf-8") as f:  # "x": fail rather than overwrite
        f.write(text)


# ------------------------------------------------------------------ gongkai init

TEMPLATE_DIR = Path(__file__).parent / "site_template"
# (file written, template it is made from); the schema files are written from the schemas themselves.
SITE_FILES = (
    ("gongkai.yaml", "gongkai.yaml"),
    (".gitignore", "gitignore"),
    (".vscode/settings.json", "vscode-settings.json"),
    (".pre-commit-config.yaml", "pre-commit-config.yaml"),
    (".github/workflows/gongkai.yml", "ci/github-actions.yml"),
)


def init_site(folder: Path, title: str | None = None, region: list[str] | None = None) -> tuple[list[Path], list[Path]]:
    """Start a site in ``folder``: configuration, content/, editor and CI files. Returns (written, kept):
    a file that exists already is kept as it is, never overwritten."""
    place = "".join(region or [])
    name = title or (f"{region[-1]}政府信息公开工作年度报告" if region else "政府信息公开工作年度报告")
    texts = {}
    for target, template in SITE_FILES:
        text = (TEMPLATE_DIR / template).read_text("utf-8")
        if target == "gongkai.yaml":
            region_line = f"region: {_yaml_value(place)}" if place else "# region: 某省某市某区"
            text = text.replace("{title}", _yaml_value(name)).replace("{region_line}", region_line)
        texts[target] = text
    for schema_name in schemas.SCHEMA_NAMES:
        texts[f"schema/{schema_name}.schema.json"] = schemas.schema_text(schema_name)
    written: list[Path] = []
    kept: list[Path] = []
    (folder / CONTENT_DIR).mkdir(parents=True, exist_ok=True)
    for target, text in texts.items():
        path = folder / target
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_new(path, text)
        written.append(path)
    return written, kept
