"""The columns of the open data (reports.csv, reports-en.csv, dictionary.json): the report's metadata,
then every cell of both formats, each with its field path, Chinese label and description."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from . import schemas, standard
from .standard import field_name


@dataclass(frozen=True)
class Column:
    """A column of ``reports.csv``: its name (a field path), Chinese label and description."""

    name: str
    label: str
    description: str
    path: tuple[str | int, ...] = ()  # a table cell's path in the front matter; () for report metadata


def _field(key: str, schema_name: str, field: str, description: str) -> tuple[str, str, str]:
    """A column of a schema field: its label is the field's title."""
    return (key, standard.label(schema_name, (field,)), description)


def _coded(labels: dict[str, str]) -> str:
    """How a coded column reads in each file: reports.csv's Chinese value, then reports-en.csv's code."""
    return "、".join(labels.values()) + "（reports-en.csv 中依次为 " + "、".join(labels) + "）"


# What spreadsheets.spreadsheet_safe does, said in the data dictionary of each text column.
SPREADSHEET_SAFE = "；CSV 中以 = + - @、制表符或回车开头的文字前加一个 '，以免电子表格把它当作公式"
META_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("agency", "机关代码", "content/ 下的机关目录名，终身不变"),
    _field("agency_name", "agency", "name", "报告年度时的机关名称" + SPREADSHEET_SAFE),
    _field("level", "agency", "level", _coded(standard.LEVELS)),
    _field("region", "agency", "region", "由外到内，以 / 分隔" + SPREADSHEET_SAFE),
    _field("year", "report-2021", "year", "报告年度"),
    _field("format", "report-2021", "format", "2021（国办公开办函〔2021〕30号）或 2019（国办公开办函〔2019〕60号）"),
    _field("title", "report-2021", "title", "报告标题" + SPREADSHEET_SAFE),
    _field("published", "report-2021", "published", "YYYY-MM-DD；原文未写明时为空"),
    ("timeliness", "及时性", _coded(standard.TIMELINESS_LABELS).replace("{days}", "N")),
    ("deadline", "法定期限", "部门、乡镇、街道为次年 1月31日；县级以上人民政府本级为次年 3月31日"),
    ("days_late", "逾期天数", "发布日期晚于法定期限的天数（按时为 0，未知为空）"),
    ("validation", "校验", _coded(standard.VALIDATION_LABELS) + "；原文如此：原文存在已说明的问题"),
    _field(
        "rollup",
        "report-2021",
        "rollup",
        "“是”：本级政府就本行政区域所作的汇总报告，数字汇总了本区域各机关的报告，加总时不要再加它"
        "（reports-en.csv 中为 true / false）",
    ),
    _field(
        "known_issues",
        "report-2021",
        "known_issues",
        "原文问题说明：位置（规则）：说明，多条以 ；分隔（reports-en.csv 中为 规则@字段路径：说明，以 ; 分隔）"
        + SPREADSHEET_SAFE,
    ),
    _field("source_url", "report-2021", "source_url", "原文发布地址" + SPREADSHEET_SAFE),
    ("url", "页面", "本门户中该报告页面的地址（设置了 base_url 时为完整网址，否则为站内路径）"),
)


def _cell_paths(name: str) -> list[tuple[str | int, ...]]:
    out: list[tuple[str | int, ...]] = []
    proactive = standard.subschema(name, ("proactive",)) or {}
    for key in proactive.get("properties", {}):
        sub = standard.subschema(name, ("proactive", key)) or {}
        if "properties" in sub:
            out.extend(("proactive", key, k) for k in sub["properties"])
        else:
            out.append(("proactive", key))
    for table in ("applications", "appeals"):
        for row in standard.leaf_rows(name, (table,)):
            node = standard.subschema(name, row) or {}
            out.extend((*row, i) for i in range(len(node.get("prefixItems", []))))
    return out


def dictionary() -> list[dict[str, str]]:
    """Each column as the data dictionary gives it: ``label``, its header in reports.csv; ``name``, its header
    in reports-en.csv (a field path); and its description. The /data/ page and dictionary.json both show this."""
    return [{"label": c.label, "name": c.name, "description": c.description} for c in csv_columns()]


def csv_columns() -> list[Column]:
    """Metadata, then every cell of both formats (2021 first), named by field path."""
    return list(_csv_columns())


@functools.cache
def _csv_columns() -> tuple[Column, ...]:
    columns = [Column(n, label, desc) for n, label, desc in META_COLUMNS]
    seen: dict[str, int] = {}
    for fmt in (2021, 2019):
        name = schemas.report_schema_name(fmt)
        for path in _cell_paths(name):
            key = field_name(path)
            if key in seen:
                i = seen[key]
                columns[i] = Column(
                    key, columns[i].label, columns[i].description.replace("2021 年格式", "2021、2019 年格式"), path
                )
                continue
            node = standard.subschema(name, path) or {}
            seen[key] = len(columns)
            columns.append(
                Column(key, standard.label(name, path), f"{fmt} 年格式；{node.get('description', '')}", path)
            )
    return tuple(columns)
