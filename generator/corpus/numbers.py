"""A year's tables for one agency, drawn so that every rule holds and carried on from its last year."""

from __future__ import annotations

import math
import random
from typing import Any

from .. import schemas, standard
from .spec import Agency

# level: (median applications a year, spread, normative documents a year, appeals a year)
LEVEL_SCALE: dict[str, tuple[float, float, float, float]] = {
    "state_council_department": (600, 0.7, 10, 40),
    "provincial_government": (2000, 0.5, 18, 30),
    "provincial_department": (110, 0.8, 7, 5),
    "city_government": (450, 0.6, 10, 15),
    "city_department": (30, 0.9, 4, 1.2),
    "county_government": (220, 0.5, 7, 6),
    "county_department": (6, 1.0, 2, 0.3),
    "township": (1.5, 1.0, 0.4, 0.03),
    "subdistrict": (1.5, 1.0, 0.3, 0.03),
}
# How often each outcome row is chosen for one application, applicant columns aside.
OUTCOME_WEIGHT: dict[str, float] = {
    "disclosed": 50,
    "partially_disclosed": 8,
    "withheld": 6,
    "unavailable": 20,
    "not_processed": 9,
    "other": 7,
}
APPLICANT_WEIGHT = (80, 9, 1, 1, 3, 6)  # 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他


def _split(rng: random.Random, total: int, weights: tuple[float, ...] | list[float]) -> list[int]:
    """``total`` drawn into len(weights) parts by the weights (a multinomial draw, small totals exactly)."""
    parts = [0] * len(weights)
    whole = sum(weights)
    if total > 200:  # large totals: proportional with a little noise, the rest to the largest part
        for i, w in enumerate(weights):
            parts[i] = int(total * w / whole * rng.uniform(0.85, 1.15))
        while sum(parts) > total:
            parts[parts.index(max(parts))] -= 1
        parts[max(range(len(weights)), key=lambda i: weights[i])] += total - sum(parts)
        return parts
    cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
    for _ in range(total):
        x = rng.random() * whole
        parts[next(i for i, c in enumerate(cumulative) if x < c)] += 1
    return parts


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _row(parts: list[int]) -> list[int]:
    return [*parts, sum(parts)]


def draw_report(rng: random.Random, agency: Agency, year: int, state: dict[str, Any]) -> dict[str, Any]:
    """One year's numbers, consistent with the agency's previous year kept in ``state``."""
    fmt = standard.default_format(year)
    name = schemas.report_schema_name(fmt)
    median, spread, documents, appeals = LEVEL_SCALE[agency.scale or agency.level]
    base = state.setdefault("base", median * math.exp(rng.gauss(0, spread)))
    received_total = _poisson(rng, base * rng.uniform(0.7, 1.3))
    received = _split(rng, received_total, APPLICANT_WEIGHT)
    carried_over = state.get("forward", [0] * 6)
    rows: dict[tuple[str, ...], list[int]] = {
        tuple(str(k) for k in r[1:]): [0] * 6 for r in standard.leaf_rows(name, ("applications",))
    }
    groups = {key: [r for r in rows if r[0] == key] for key in OUTCOME_WEIGHT}
    forward = [0] * 6
    for c in range(6):
        available = received[c] + carried_over[c]
        forward[c] = _split(rng, available, (92, 8))[1] if available > 3 else 0
        by_group = _split(rng, available - forward[c], tuple(OUTCOME_WEIGHT.values()))
        for key, count in zip(OUTCOME_WEIGHT, by_group, strict=True):
            leaves = groups[key]
            for leaf, n in zip(leaves, _split(rng, count, [1.0 / (i + 1) for i in range(len(leaves))]), strict=True):
                rows[leaf][c] += n
    rows[("received",)], rows[("carried_over",)], rows[("carried_forward",)] = received, carried_over, forward
    rows[("total",)] = [received[c] + carried_over[c] - forward[c] for c in range(6)]
    state["forward"] = forward
    applications: dict[str, Any] = {}
    for path, parts in rows.items():
        node = applications
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = _row(parts)
    return {
        "format": fmt,
        "proactive": _proactive(rng, agency, fmt, state, documents),
        "applications": applications,
        "appeals": {
            key: _appeal(rng, appeals * share)
            for key, share in (("review", 1.0), ("lawsuit", 0.5), ("lawsuit_after_review", 0.2))
        },
    }


def _appeal(rng: random.Random, mean: float) -> list[int]:
    return _row(_split(rng, _poisson(rng, mean), (70, 8, 7, 15)))


def _proactive(rng: random.Random, agency: Agency, fmt: int, state: dict[str, Any], documents: float) -> dict[str, Any]:
    """Table 二, with stocks that follow last year's (S2) and 规章 only where they may be made (S4)."""
    makes_rules = agency.level in standard.RULE_MAKING_LEVELS
    stocks = state.setdefault("stocks", {})
    out: dict[str, Any] = {}
    for key, mean in (("rules", documents / 3 if makes_rules else 0), ("normative_documents", documents)):
        issued = _poisson(rng, mean)
        stock = stocks.get(key)
        if stock is None:
            stock = issued + (_poisson(rng, mean * 6) if mean else 0)
            repealed = 0
        else:
            repealed = min(stock, _poisson(rng, mean / 3)) if fmt == 2021 else 0
            stock = stock + issued - repealed
        stocks[key] = stock
        if fmt == 2021:
            out[key] = {"issued": issued, "repealed": repealed, "in_force": stock}
        else:
            made = issued + (_poisson(rng, 0.3) if mean else 0)
            out[key] = {"made": made, "published": issued, "published_total": stock}
    scale = state.setdefault("enforcement", math.exp(rng.gauss(math.log(40 if agency.level != "township" else 4), 1.0)))
    if fmt == 2021:
        out["licensing"] = _poisson(rng, scale * 2)
        out["penalties"] = _poisson(rng, scale)
        out["enforcement"] = _poisson(rng, scale / 5)
        out["fees"] = round(rng.uniform(0, scale), 2) if rng.random() < 0.3 else 0
        return out
    for key in ("licensing", "other_services", "penalties", "enforcement"):
        previous = state.setdefault("items_" + key, _poisson(rng, 40))
        change = rng.choice((0, 0, 0, 1, 2, -1))
        change = max(change, -previous)
        state["items_" + key] = previous + change
        out[key] = {"previous_items": previous, "change": change, "decisions": _poisson(rng, scale)}
    fees = state.setdefault("items_fees", _poisson(rng, 3))
    out["fees"] = {"previous_items": fees, "change": 0}
    items = _poisson(rng, 2)
    out["procurement"] = {"items": items, "amount": round(rng.uniform(5, 300), 2) if items else 0}
    return out
