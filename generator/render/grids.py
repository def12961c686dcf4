"""The official tables 二、三、四 as grids of cells: the standard's layout, a report's numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import standard
from ..model import Report
from ..standard import field_name


@dataclass
class Cell:
    """One cell of an official table; ``value`` marks a data cell (``td``)."""

    text: str = ""
    header: bool = True
    rowspan: int = 1
    colspan: int = 1
    id: str = ""
    headers: str = ""
    scope: str = ""
    cls: str = ""
    field: str = ""  # front-matter path of a data cell
    blank: bool = False  # a null cell acknowledged as blank in the original
    path: tuple[str | int, ...] = ()  # the data cell's path (for filling a skeleton)
    label: str = ""  # a data cell's column, as a phone shows it above the number (rows become blocks)
    note: str = ""  # a blank cell's acknowledgement (原文空白, 原文缺失 …), said by its hidden text


@dataclass
class Grid:
    id: str
    caption: str
    cls: str
    head: list[list[Cell]] = field(default_factory=list)
    bodies: list[list[list[Cell]]] = field(default_factory=list)
    cols: list[tuple[int, str]] = field(default_factory=list)  # (span, width) of each <col>
    colgroups: list[list[tuple[int, str]]] = field(default_factory=list)

    @property
    def parts(self) -> list[tuple[str, list[list[Cell]]]]:
        """``thead`` (when there is a head) and each ``tbody``, in order, with their rows."""
        return ([("thead", self.head)] if self.head else []) + [("tbody", body) for body in self.bodies]


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _td(report: Report, path: tuple[str | int, ...], headers: str, label: str, colspan: int = 1) -> Cell:
    value = report.value(path)
    name = field_name(path)
    note = next((n.note for n in report.notices if n.field == name), "") if value is None else ""
    return Cell(
        _fmt(value),
        note=note,
        header=False,
        colspan=colspan,
        headers=headers,
        field=name,
        blank=value is None,
        path=path,
        label=label,
    )


def table_two(report: Report, t: dict[str, str]) -> Grid:
    name = report.schema_name
    printed = standard.layout(report.format, "proactive")
    grid = Grid("t2", printed["caption"], "gk t2", cols=[(1, "31%"), (3, "23%")])
    for n, group in enumerate(standard.proactive_groups(report.format), start=1):
        cap_id = f"t2-{n}"
        keys = group.rows
        body: list[list[Cell]] = [[Cell(group.caption, colspan=4, id=cap_id, scope="rowgroup", cls="cap")]]
        columns = standard.group_headers(report.format, group)
        spans = _spread(len(columns), 3)
        head = [Cell(printed["content_header"], id=f"{cap_id}-h0", scope="col")]
        head += [Cell(c, id=f"{cap_id}-h{i + 1}", scope="col", colspan=spans[i]) for i, c in enumerate(columns)]
        body.append(head)
        for r, key in enumerate(keys, start=1):
            node = standard.subschema(name, ("proactive", key)) or {}
            row_id = f"{cap_id}-r{r}"
            row = [Cell(node.get("title", key), id=row_id, scope="row", headers=f"{cap_id} {cap_id}-h0")]
            subkeys = list(node.get("properties", {})) or [None]
            for i, sub in enumerate(subkeys):
                path = ("proactive", key) if sub is None else ("proactive", key, sub)
                row.append(_td(report, path, f"{cap_id} {row_id} {cap_id}-h{i + 1}", columns[i], colspan=spans[i]))
            body.append(row)
        grid.bodies.append(body)
    return grid


def _spread(n: int, total: int) -> list[int]:
    """Column spans for ``n`` value columns over ``total`` grid columns (the last takes the rest)."""
    if n >= total:
        return [1] * n
    return [1] * (n - 1) + [total - n + 1]


def _table_label(node: dict[str, Any]) -> str:
    label = str(node.get("x-table-label") or node.get("title", ""))
    return label[1:] if label.startswith("三（") else label


def _three_head(printed: dict[str, Any], titles: tuple[str, ...]) -> tuple[list[list[Cell]], list[str]]:
    """Table 三's three header rows (申请人情况 over 自然人, 法人或其他组织 over the organisations, 总计),
    and the ``headers`` each column's cells name."""
    n = len(titles)  # 自然人, the organisations, 总计
    head = [
        [
            Cell(printed["corner"], header=False, rowspan=3, colspan=3, cls="corner"),
            Cell(printed["applicants"], colspan=n, scope="col", id="t3-app"),
        ],
        [
            Cell(titles[0], rowspan=2, scope="col", id="t3-c1", headers="t3-app"),
            Cell(printed["organisations"], colspan=n - 2, scope="colgroup", id="t3-org", headers="t3-app"),
            Cell(titles[-1], rowspan=2, scope="col", id=f"t3-c{n}", headers="t3-app"),
        ],
        [Cell(titles[i], scope="col", id=f"t3-c{i + 1}", headers="t3-app t3-org") for i in range(1, n - 1)],
    ]
    column_headers = ["t3-app t3-c1", *[f"t3-app t3-org t3-c{i}" for i in range(2, n)], f"t3-app t3-c{n}"]
    return head, column_headers


def table_three(report: Report, t: dict[str, str]) -> Grid:
    name = report.schema_name
    printed = standard.layout(report.format, "applications")
    grid = Grid(
        "t3",
        printed["caption"],
        "gk t3",
        colgroups=[[(1, "4em"), (1, "8em"), (1, "13em")], [(1, "4.5em")], [(5, "4.5em")], [(1, "4.5em")]],
    )
    col_titles = standard.columns(report.format, ("applications", "received"))
    grid.head, col_headers = _three_head(printed, col_titles)
    apps = (standard.subschema(name, ("applications",)) or {}).get("properties", {})
    result_keys = [k for k in apps if k not in ("received", "carried_over", "carried_forward")]
    result_rows = sum(len(standard.leaf_rows(name, ("applications", k))) for k in result_keys)
    rows: list[list[Cell]] = []
    n = 0

    def data_cells(path: tuple[str, ...], label_ids: str) -> list[Cell]:
        return [
            _td(report, (*path, c), f"{label_ids} {col_headers[c]}", col_titles[c]) for c in range(len(col_headers))
        ]

    for key in apps:
        node = standard.subschema(name, ("applications", key)) or {}
        if key in ("received", "carried_over", "carried_forward"):
            n += 1
            rid = f"t3-L1-{n}"
            rows.append(
                [Cell(node.get("title", key), colspan=3, scope="row", id=rid), *data_cells(("applications", key), rid)]
            )
            continue
        l1 = "t3-L1-r"
        prefix: list[Cell] = []
        if key == result_keys[0]:
            prefix = [Cell(printed["results"], rowspan=result_rows, scope="row", id=l1)]
        if "prefixItems" in node:
            n += 1
            rid = f"t3-L2-{n}"
            rows.append(
                [
                    *prefix,
                    Cell(_table_label(node), colspan=2, scope="row", id=rid, headers=l1),
                    *data_cells(("applications", key), f"{l1} {rid}"),
                ]
            )
            continue
        leaves = list(node.get("properties", {}).items())
        gid = f"t3-L2-{n + 1}"
        for i, (leaf_key, leaf) in enumerate(leaves):
            n += 1
            rid = f"t3-L3-{n}"
            group = [Cell(_table_label(node), rowspan=len(leaves), scope="row", id=gid, headers=l1)] if i == 0 else []
            rows.append(
                [
                    *(prefix if i == 0 else []),
                    *group,
                    Cell(leaf.get("title", leaf_key), scope="row", id=rid, headers=f"{l1} {gid}"),
                    *data_cells(("applications", key, leaf_key), f"{l1} {gid} {rid}"),
                ]
            )
            prefix = []
    grid.bodies = [rows]
    return grid


def table_four(report: Report, t: dict[str, str]) -> Grid:
    outcomes = standard.columns(report.format, ("appeals", "review"))
    printed = standard.layout(report.format, "appeals")
    grid = Grid("t4", printed["caption"], "gk t4")
    grid.head = [
        [
            Cell(printed["review"], colspan=5, scope="colgroup", id="t4-r"),
            Cell(printed["lawsuit"], colspan=10, scope="colgroup", id="t4-l"),
        ],
        [
            *[
                Cell(o, rowspan=2, scope="col", id=f"t4-r{i}", headers="t4-r", cls="leaf")
                for i, o in enumerate(outcomes)
            ],
            Cell(printed["direct"], colspan=5, scope="colgroup", id="t4-d", headers="t4-l"),
            Cell(printed["after_review"], colspan=5, scope="colgroup", id="t4-a", headers="t4-l"),
        ],
        [
            *[Cell(o, scope="col", id=f"t4-d{i}", headers="t4-l t4-d", cls="leaf") for i, o in enumerate(outcomes)],
            *[Cell(o, scope="col", id=f"t4-a{i}", headers="t4-l t4-a", cls="leaf") for i, o in enumerate(outcomes)],
        ],
    ]
    groups = [
        ("review", "t4-r t4-r", printed["review"]),
        ("lawsuit", "t4-l t4-d t4-d", printed["direct"]),
        ("lawsuit_after_review", "t4-l t4-a t4-a", printed["after_review"]),
    ]
    grid.bodies = [
        [
            [
                _td(report, ("appeals", key, i), f"{ids}{i}", f"{group}\n{o}")
                for key, ids, group in groups
                for i, o in enumerate(outcomes)
            ]
        ]
    ]
    return grid
