"""Random consistent reports (hypothesis strategies) and a renderer in the normative layout."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from generator import scaffold

LEAVES_2021 = [
    ("disclosed", None),
    ("partially_disclosed", None),
    *[
        ("withheld", k)
        for k in (
            "state_secret",
            "prohibited_by_law",
            "security_stability",
            "third_party_rights",
            "internal_affairs",
            "process_information",
            "enforcement_files",
            "inquiry_matters",
        )
    ],
    *[("unavailable", k) for k in ("not_held", "needs_creation", "still_unclear")],
    *[("not_processed", k) for k in ("complaints", "duplicate", "publications", "excessive", "confirmation")],
    *[("other", k) for k in ("no_correction", "fee_unpaid", "other")],
]


@st.composite
def consistent_tables(draw: Any) -> dict[str, Any]:
    """Tables 二、三、四 of a 2021-format report satisfying H1–H4 (and S7)."""
    small = st.integers(min_value=0, max_value=30)
    leaves = {leaf: [draw(small) for _ in range(6)] for leaf in LEAVES_2021}
    total6 = [sum(leaves[leaf][c] for leaf in LEAVES_2021) for c in range(6)]
    forward6 = [draw(small) for _ in range(6)]
    over6 = [draw(st.integers(0, total6[c] + forward6[c])) for c in range(6)]
    received6 = [total6[c] + forward6[c] - over6[c] for c in range(6)]

    def row(six: list[int]) -> list[int]:
        return [*six, sum(six)]

    apps: dict[str, Any] = {"received": row(received6), "carried_over": row(over6)}
    for group, key in LEAVES_2021:
        if key is None:
            apps[group] = row(leaves[(group, key)])
        else:
            apps.setdefault(group, {})[key] = row(leaves[(group, key)])
    apps["total"] = row(total6)
    apps["carried_forward"] = row(forward6)
    appeals = {
        k: row4 + [sum(row4)]
        for k in ("review", "lawsuit", "lawsuit_after_review")
        for row4 in [[draw(small) for _ in range(4)]]
    }
    issued = draw(small)
    proactive = {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": issued, "repealed": draw(small), "in_force": issued + draw(small)},
        "licensing": draw(small),
        "penalties": draw(small),
        "enforcement": draw(small),
        "fees": 0,
    }
    return {"proactive": proactive, "applications": apps, "appeals": appeals}


def render(
    tables: dict[str, Any],
    title: str = "红旗区人民政府办公室2025年政府信息公开工作年度报告",
    published: str = "2026-01-20",
) -> str:
    """The front matter `gongkai new` writes, filled with ``tables``, plus the three sections."""
    text = scaffold.report_front_matter(2021, title)
    text = text.replace("# published: YYYY-MM-DD", f"published: {published} #")
    lines = text.split("\n")
    out = []
    stack: list[str] = []
    for line in lines:
        stripped = line.split("#")[0].rstrip()
        indent = len(line) - len(line.lstrip(" "))
        if ":" in stripped and not line.lstrip().startswith("#"):
            key = stripped.strip().split(":")[0]
            level = indent // 2
            stack = stack[:level] + [key]
            value = _lookup(tables, stack)
            if isinstance(value, list):
                line = line.replace("[" + ", ".join("0" for _ in value) + "]", "[" + ", ".join(map(str, value)) + "]")
            elif isinstance(value, dict) and all(not isinstance(v, (dict, list)) for v in value.values()) and value:
                line = line.replace(
                    "{" + ", ".join(f"{k}: 0" for k in value) + "}",
                    "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}",
                )
            elif isinstance(value, int) and not isinstance(value, bool):
                line = line.replace(f"{key}: 0", f"{key}: {value}", 1)
        out.append(line)
    body = "\n## 一、总体情况\n\n总体情况。\n\n## 五、存在的主要问题及改进情况\n\n问题与改进。\n\n## 六、其他需要报告的事项\n\n无。\n"
    return "\n".join(out) + body


def _lookup(tables: dict[str, Any], keys: list[str]) -> Any:
    node: Any = tables
    for k in keys:
        if not isinstance(node, dict) or k not in node:
            return None
        node = node[k]
    return node
