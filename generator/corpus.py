"""Synthetic report corpora that pass every rule: the demo portal, the tests and the benchmarks.

``gongkai demo N DIR --seed S`` writes a site source of exactly N reports. The
numbers are drawn per agency and carried from year to year the way real ones are
(结转 of one year is the next year's 上年结转, the stock of 规章 and 规范性文件
follows what was made and repealed), so the hard rules H1–H4 and the soft rules
S1–S7 hold by construction and the prose quotes the tables' own figures. The
variety a portal meets is drawn too, at rates the caller sets: late reports,
missing reports, drafts, cells the original left blank (acknowledged in
``known_issues``). The same seed gives the same bytes. Nothing here is a real
agency's report: a generated site says ``sample: true``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schemas, standard
from .content import AGENCY_FILE, CONTENT_DIR
from .corpus_text import (
    CITY_DEPARTMENTS,
    DISTRICT_DEPARTMENTS,
    PROVINCES,
    PROVINCIAL_DEPARTMENTS,
    STATE_DEPARTMENTS,
    SUBDISTRICTS,
    SYLLABLES,
    TOWNSHIPS,
    report_body,
)
from .scaffold import report_front_matter

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
# The share of agencies of each level in a corpus without --district.
LEVEL_SHARE: dict[str, float] = {
    "state_council_department": 0.03,
    "provincial_government": 0.02,
    "provincial_department": 0.08,
    "city_government": 0.05,
    "city_department": 0.20,
    "county_government": 0.08,
    "county_department": 0.29,
    "township": 0.15,
    "subdistrict": 0.10,
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


@dataclass(frozen=True)
class Options:
    """What to generate. Shares are of the reports (late, drafts, blanks) or of agency-years (missing)."""

    reports: int
    seed: int = 1
    first_year: int = 2019
    last_year: int = 2025
    district: tuple[str, ...] = ()
    district_slug: str = ""
    late: float = 0.10
    missing: float = 0.05
    drafts: float = 0.0
    blanks: float = 0.0


@dataclass
class Agency:
    slug: str
    name: str
    short: str  # how its own prose names it: 区财政局
    level: str
    region: list[str]
    since: int
    parent: str = ""
    scale: str = ""  # the level whose volume of applications it has, where not its own


@dataclass
class Written:
    """What a generation wrote, for the caller's summary."""

    agencies: int = 0
    reports: int = 0
    missing: int = 0
    late: int = 0
    drafts: int = 0
    blanks: int = 0


def generate(out: Path, options: Options) -> Written:
    """Write ``out/gongkai.yaml`` and ``out/content/…`` for ``options``; existing files are replaced."""
    for name in ("late", "missing", "drafts", "blanks"):
        if not 0 <= getattr(options, name) <= 1:
            raise ValueError(f"--{name} {getattr(options, name)}: a share is between 0 and 1")
    if options.reports < 1 or options.first_year > options.last_year:
        raise ValueError("at least one report and one year")
    rng = random.Random(options.seed)
    agencies = _district_agencies(rng, options) if options.district else _agencies(rng, options)
    missing = _plan_years(rng, agencies, options)
    written = Written(agencies=len(agencies), missing=len(missing))
    (out / CONTENT_DIR).mkdir(parents=True, exist_ok=True)
    (out / "gongkai.yaml").write_text(_config(options), encoding="utf-8")
    for agency in agencies:
        folder = out / CONTENT_DIR / agency.slug
        folder.mkdir(exist_ok=True)
        (folder / AGENCY_FILE).write_text(_agency_yaml(agency, agencies), encoding="utf-8")
        state: dict[str, Any] = {}
        for year in range(agency.since, options.last_year + 1):
            report = _draw_report(rng, agency, year, state)
            if (agency.slug, year) in missing:
                continue  # drawn all the same, so carry-over and stocks stay consistent across the gap
            text = _report_text(rng, agency, year, report, options, written)
            (folder / f"{year}.md").write_text(text, encoding="utf-8")
            written.reports += 1
    return written


# ------------------------------------------------------------------ agencies


def _place(rng: random.Random, used: set[str], syllables: int = 2) -> tuple[str, str]:
    """An invented place name (characters, pinyin), unique in the corpus."""
    for attempt in range(10_000):
        n = syllables + attempt // 200
        picks = [rng.choice(SYLLABLES) for _ in range(n)]
        name = "".join(p[0] for p in picks)
        if name not in used and len(set(name)) == n:
            used.add(name)
            return name, "".join(p[1] for p in picks)
    raise RuntimeError("ran out of place names")


def _agencies(rng: random.Random, options: Options) -> list[Agency]:
    """Agencies of every level, in invented cities, counties and towns of real provinces."""
    wanted = _agencies_wanted(options)
    counts = {lv: round(wanted * share) for lv, share in LEVEL_SHARE.items()}
    counts["county_department"] += wanted - sum(counts.values())
    book = _Book(options.first_year)
    used: set[str] = set()
    for i in range(counts["state_council_department"]):
        name, abbr = STATE_DEPARTMENTS[i % len(STATE_DEPARTMENTS)]
        book.add(abbr, name, "本部门", "state_council_department", ["全国"])
    n_provinces = max(1, counts["provincial_government"], math.ceil(counts["provincial_department"] / 10))
    provinces = [PROVINCES[i % len(PROVINCES)] for i in range(n_provinces)]
    for prov, py in provinces[: counts["provincial_government"]]:
        book.add(f"{py}-zhengfu", f"{prov}人民政府", "省政府", "provincial_government", [prov])
    for i in range(counts["provincial_department"]):
        prov, py = provinces[i % n_provinces]
        name, abbr, short = PROVINCIAL_DEPARTMENTS[i // n_provinces % len(PROVINCIAL_DEPARTMENTS)]
        book.add(f"{py}-{abbr}", prov + name, "省" + short, "provincial_department", [prov])
    n_counties = max(
        1,
        counts["county_government"],
        math.ceil(counts["county_department"] / 8),
        math.ceil((counts["township"] + counts["subdistrict"]) / 6),
    )
    n_cities = max(1, counts["city_government"], math.ceil(counts["city_department"] / 10), math.ceil(n_counties / 5))
    cities = []
    for i in range(n_cities):
        prov, py = provinces[i % n_provinces]
        city, cpy = _place(rng, used)
        cities.append(([prov, city + "市"], f"{py}-{cpy}"))
    for region, slug in cities[: counts["city_government"]]:
        book.add(slug, f"{region[-1]}人民政府", "市政府", "city_government", region)
    for i in range(counts["city_department"]):
        region, cslug = cities[i % n_cities]
        name, abbr, short = CITY_DEPARTMENTS[i // n_cities % len(CITY_DEPARTMENTS)]
        book.add(f"{cslug}-{abbr}", region[-1] + name, "市" + short, "city_department", region, _if(book, cslug))
    counties = []
    for i in range(n_counties):
        region, cslug = cities[i % n_cities]
        county, kpy = _place(rng, used)
        counties.append(([*region, county + rng.choice("区县区")], f"{cslug}-{kpy}"))
    for region, slug in counties[: counts["county_government"]]:
        book.add(slug, f"{region[-1]}人民政府", region[-1][-1] + "政府", "county_government", region, "")
    for i in range(counts["county_department"]):
        region, kslug = counties[i % n_counties]
        name, abbr, short = CITY_DEPARTMENTS[i // n_counties % len(CITY_DEPARTMENTS)]
        book.add(
            f"{kslug}-{abbr}", region[-1] + name, region[-1][-1] + short, "county_department", region, _if(book, kslug)
        )
    for level, unit_suffix, name_suffix, slug_suffix in (
        ("township", "镇", "镇人民政府", "zhen"),
        ("subdistrict", "街道", "街道办事处", "jiedao"),
    ):
        for i in range(counts[level]):
            region, kslug = counties[i % n_counties]
            place, ppy = _place(rng, used)
            book.add(
                f"{kslug}-{ppy}-{slug_suffix}",
                place + name_suffix,
                "本" + unit_suffix,
                level,
                [*region, place + unit_suffix],
                _if(book, kslug),
            )
    return book.agencies


def _if(book: _Book, slug: str) -> str:
    """``slug`` as a parent where that agency is in the corpus, else no parent."""
    return slug if slug in book.slugs else ""


class _Book:
    """The agencies drawn so far, with slugs kept unique."""

    def __init__(self, since: int) -> None:
        self.since = since
        self.agencies: list[Agency] = []
        self.slugs: set[str] = set()

    def add(self, slug: str, name: str, short: str, level: str, region: list[str], parent: str = "") -> None:
        base, n = slug, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        self.agencies.append(Agency(slug, name, short, level, region, self.since, parent))


def _district_agencies(rng: random.Random, options: Options) -> list[Agency]:
    """Every agency of one district: its government, the government's office, departments, 乡镇 and 街道."""
    region = list(options.district)
    district = region[-1]
    prefix = options.district_slug or _pinyin(district[:-1]) or "district"
    wanted = max(2, _agencies_wanted(options))
    gov = Agency(f"{prefix}-zhengfu", f"{district}人民政府", f"{district}人民政府", "county_government", region, 0)
    office = Agency(
        f"{prefix}-zhengfu-bangongshi",
        f"{district}人民政府办公室",
        "区政府办",
        "county_department",
        region,
        0,
        gov.slug,
        scale="county_government",  # it answers most applications made to the district
    )
    out = [gov, office]
    departments = iter(DISTRICT_DEPARTMENTS)
    units = {"township": iter(TOWNSHIPS), "subdistrict": iter(SUBDISTRICTS)}
    used: set[str] = set()
    turn = 0
    while len(out) < wanted:
        if len(out) % 7 in (3, 6):  # about two 乡镇/街道 to five departments
            level = ("township", "subdistrict")[turn % 2]
            turn += 1
            kind, word = ("乡", "xiang") if level == "township" else ("街道", "jiedao")
            unit = next(units[level], None)
            if unit is None:
                place, ppy = _place(rng, used)
                unit = (place + kind, f"{ppy}-{word}")
            name = unit[0] + ("人民政府" if level == "township" else "办事处")
            short = "本" + (unit[0][-1] if level == "township" else "街道")
            out.append(Agency(f"{prefix}-{unit[1]}", name, short, level, [*region, unit[0]], 0, gov.slug))
            continue
        dept = next(departments, None)
        if dept is None:
            place, ppy = _place(rng, used)
            dept = (f"{place}服务中心", f"{ppy}-fwzx", f"{place}服务中心")
        out.append(
            Agency(f"{prefix}-{dept[1]}", district + dept[0], "区" + dept[2], "county_department", region, 0, gov.slug)
        )
    return out


def _agencies_wanted(options: Options) -> int:
    """Enough agencies for the reports and the missing ones, with room for the late starters."""
    span = options.last_year - options.first_year + 1
    return max(1, math.ceil(options.reports * (1 + options.missing) / (span * 0.92)))


def _pinyin(text: str) -> str:
    table = dict(SYLLABLES)
    return "".join(table[c] for c in text) if text and all(c in table for c in text) else ""


def _plan_years(rng: random.Random, agencies: list[Agency], options: Options) -> set[tuple[str, int]]:
    """Set each agency's first year so that the agency-years exceed the reports by the missing share;
    return the (slug, year) pairs left without a report, spread over the years."""
    span = options.last_year - options.first_year + 1
    for i, agency in enumerate(agencies):
        late_start = i == len(agencies) - 1 or (i > 1 and rng.random() < 0.12)
        agency.since = options.first_year + (rng.randrange(1, span) if late_start and span > 1 else 0)
    target = options.reports + round(options.reports * options.missing)
    count = sum(options.last_year + 1 - a.since for a in agencies)
    movable = agencies[2:]
    while count > target and movable:  # too many agency-years: some agencies start later
        agency = movable[-1]  # the newest agencies start latest
        if agency.since < options.last_year:
            agency.since += 1
            count -= 1
        else:
            movable.remove(agency)
    while count < target:  # too few: the late starters start earlier, a year at a time
        late = [a for a in agencies if a.since > options.first_year]
        if not late:
            if count < options.reports:
                raise ValueError(f"{options.reports} reports need more agencies than were drawn")
            break
        late[rng.randrange(len(late))].since -= 1
        count += 1
    slots = [(a.slug, y) for a in agencies for y in range(a.since, options.last_year + 1)]
    surplus = len(slots) - options.reports
    # Missing reports: weighted towards 乡镇/街道, never an agency's only report, round-robin over the years.
    weight = {a.slug: (3 if a.level in ("township", "subdistrict") else 1) for a in agencies}
    candidates = [s for s in slots if agencies[0].slug != s[0] and (len(agencies) < 2 or agencies[1].slug != s[0])]
    by_year: dict[int, list[tuple[str, int]]] = {}
    for slot in candidates:
        by_year.setdefault(slot[1], []).append(slot)
    for year_slots in by_year.values():
        rng.shuffle(year_slots)
        year_slots.sort(key=lambda s: -weight[s[0]])
    missing: set[tuple[str, int]] = set()
    left = {a.slug: options.last_year + 1 - a.since for a in agencies}
    years = sorted(by_year, reverse=True)
    while len(missing) < surplus and any(by_year.values()):
        for year in years:
            pool = by_year[year]
            while pool and len(missing) < surplus:
                slot = pool.pop(0)
                if left[slot[0]] > 1:
                    missing.add(slot)
                    left[slot[0]] -= 1
                    break
    if len(missing) < surplus:  # only the two fixed agencies are left to thin
        for slot in slots:
            if len(missing) == surplus:
                break
            if slot not in missing and left[slot[0]] > 1:
                missing.add(slot)
                left[slot[0]] -= 1
    return missing


def _config(options: Options) -> str:
    if options.district:
        place = "".join(options.district)
        district = options.district[-1]
        first, last = options.first_year, options.last_year
        return (
            f"# 示例站点：内容由 gongkai demo 生成（{options.reports} 份报告，{first}—{last} 年，"
            f"种子 {options.seed}），\n"
            "# 不是任何机关发布的真实报告。sample: true 让每个页面都标明“示例数据”。\n"
            f"title: {district}政府信息公开工作年度报告（示例）\n"
            f"region: {place}\n"
            f"description: {district}各机关 {first}—{last} 年度政府信息公开工作年度报告的示例门户："
            "按国家统一格式展示，每个数字都经过勾稽关系校验，数据可下载。\n"
            "sample: true\n"
        )
    return (
        f"# 合成语料：gongkai demo 生成（{options.reports} 份报告，种子 {options.seed}），不是真实报告。\n"
        "title: 政府信息公开工作年度报告（合成语料）\n"
        "sample: true\n"
    )


def _agency_yaml(agency: Agency, agencies: list[Agency]) -> str:
    lines = [
        f"name: {agency.name}",
        f"level: {agency.level}",
        "region: [" + ", ".join(agency.region) + "]",
    ]
    if agency.parent:
        lines.append(f"parent: {agency.parent}")
    lines += [f"website: https://{agency.slug}.gov.example/", f"since: {agency.since}"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ numbers


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


def _draw_report(rng: random.Random, agency: Agency, year: int, state: dict[str, Any]) -> dict[str, Any]:
    """One year's numbers, consistent with the agency's previous year kept in ``state``."""
    fmt = standard.default_format(year)
    name = schemas.report_schema_name(fmt)
    median, spread, documents, appeals = LEVEL_SCALE[agency.scale or agency.level]
    base = state.setdefault("base", median * math.exp(rng.gauss(0, spread)))
    received_total = _poisson(rng, base * rng.uniform(0.7, 1.3))
    received = _split(rng, received_total, APPLICANT_WEIGHT)
    carried_over = state.get("forward", [0] * 6)
    rows: dict[tuple[str, ...], list[int]] = {
        tuple(str(k) for k in r[1:]): [0] * 6 for r in schemas.leaf_rows(name, ("applications",))
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


# ------------------------------------------------------------------ the report file


def _published(rng: random.Random, agency: Agency, year: int, late: bool) -> dt.date:
    deadline = standard.deadline(agency.level, year)
    if late:
        return deadline + dt.timedelta(days=rng.randint(1, 60))
    first = dt.date(year + 1, 1, 5)
    return first + dt.timedelta(days=rng.randint(0, (deadline - first).days))


def _blank_one_cell(rng: random.Random, report: dict[str, Any]) -> dict[str, str] | None:
    """Blank a zero cell of an outcome row (as a copied table does) and say so in known_issues."""
    zeros = [
        (path, c)
        for path, row in _rows(report["applications"], ("applications",))
        if path[1] not in ("received", "carried_over", "total", "carried_forward")
        for c, v in enumerate(row[:6])
        if v == 0
    ]
    if not zeros:
        return None
    path, c = rng.choice(zeros)
    node: Any = report
    for key in path:
        node = node[key]
    node[c] = None
    return {"rule": "H6", "where": ".".join(path) + f"[{c}]", "note": "原文空白"}


def _rows(node: dict[str, Any], prefix: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], list[Any]]]:
    for key, value in node.items():
        if isinstance(value, list):
            yield (*prefix, key), value
        else:
            yield from _rows(value, (*prefix, key))


def _report_text(
    rng: random.Random, agency: Agency, year: int, report: dict[str, Any], options: Options, written: Written
) -> str:
    late = rng.random() < options.late
    draft = rng.random() < options.drafts
    issues = []
    if rng.random() < options.blanks:
        issue = _blank_one_cell(rng, report)
        if issue:
            issues.append(issue)
            written.blanks += 1
    written.late += late
    written.drafts += draft
    published = _published(rng, agency, year, late)
    front = report_front_matter(
        report["format"],
        standard.default_title(agency.name, year),
        data=report,
        published=published.isoformat(),
        source_url=f"https://{agency.slug}.gov.example/zfxxgk/ndbg/{year}.html",
        known_issues=issues or None,
    )
    if draft:
        front = front.replace("\nformat: ", "\nstatus: draft\nformat: ", 1)
    return front + "\n" + report_body(rng, agency.short, agency.level, year, report)
