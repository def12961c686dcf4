"""The agencies of a corpus: every level across invented places, or every agency of one district;
the years each is expected to report, and which of those go missing."""

from __future__ import annotations

import math
import random

from .. import standard
from .spec import Agency, Options
from .text import (
    CITY_DEPARTMENTS,
    DISTRICT_DEPARTMENTS,
    PROVINCES,
    PROVINCIAL_DEPARTMENTS,
    STATE_DEPARTMENTS,
    SUBDISTRICTS,
    SYLLABLES,
    TOWNSHIPS,
)

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


def draw_agencies(rng: random.Random, options: Options) -> list[Agency]:
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
        ("subdistrict", "街道", standard.LEVELS["subdistrict"], "jiedao"),
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


def district_agencies(rng: random.Random, options: Options) -> list[Agency]:
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


def plan_years(rng: random.Random, agencies: list[Agency], options: Options) -> set[tuple[str, int]]:
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
