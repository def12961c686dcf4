"""Facts of the national standard beyond its tables: levels and deadlines, who may make 规章,
the notices, the narrative sections (条例 第四十九条, 立法法, 国办公开办函〔2019〕60号 and〔2021〕30号)."""

from __future__ import annotations

import datetime as dt

from .. import schemas

# The levels of agency, in the standard's order, with their Chinese names: agency.schema.json's
# ``level`` enum and its ``x-labels``.
LEVELS: dict[str, str] = dict(schemas.load_schema("agency")["properties"]["level"]["x-labels"])

# 条例第四十九条: a county-or-higher government's own report is due by 3月31日;
# departments by 1月31日; 乡镇 and 街道 are held to 1月31日 as local rules do.
GOVERNMENT_LEVELS = frozenset({"provincial_government", "city_government", "county_government"})

# 立法法: only these may make 规章 (S4).
RULE_MAKING_LEVELS = frozenset({"state_council_department", "provincial_government", "city_government"})

# How the open data says a report's timeliness and validation in Chinese (reports.csv; codes in reports-en.csv).
TIMELINESS_LABELS = {"on_time": "按时", "late": "逾期 {days} 天", "unknown": "未知（无发布日期）"}
VALIDATION_LABELS = {"passed": "校验通过", "acknowledged": "原文如此（已说明）"}

# The four 直辖市 are provincial-level units (宪法第三十条): their governments and departments are 省级.
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# A government's general office (办公厅 / 办公室) reports the 规章 its government made (S4).
GOVERNMENT_OFFICE_ENDINGS = ("人民政府办公厅", "人民政府办公室")
GOVERNMENT_OF_DEPARTMENT = {"provincial_department": "provincial_government", "city_department": "city_government"}


def may_report_rules(level: str, name: str | None) -> bool:
    """S4: the agency may report 规章 — it makes them (立法法), or it is the general office of a
    government that does (上海市人民政府办公厅, 某市人民政府办公室)."""
    if level in RULE_MAKING_LEVELS:
        return True
    government = GOVERNMENT_OF_DEPARTMENT.get(level)
    return bool(government and name and name.endswith(GOVERNMENT_OFFICE_ENDINGS))


FORMATS = (2019, 2021)
NOTICES = {2021: "国办公开办函〔2021〕30号", 2019: "国办公开办函〔2019〕60号"}

# The narrative sections a body must carry (H7), with the accepted titles.
NARRATIVE_SECTIONS: dict[str, tuple[str, ...]] = {
    "一": ("总体情况",),
    "五": ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况"),
    "六": ("其他需要报告的事项",),
}
# Sections rendered from the data; a body may add prose under them.
TABLE_SECTIONS: dict[str, str] = {
    "二": "主动公开政府信息情况",
    "三": "收到和处理政府信息公开申请情况",
    "四": "政府信息公开行政复议、行政诉讼情况",
}
SECTION_ORDER = ("一", "二", "三", "四", "五", "六")
# Titles of sections as published reports print them, besides the standard's own (import accepts them).
SECTION_VARIANTS: dict[str, tuple[str, ...]] = {
    "四": ("政府信息公开行政复议和行政诉讼情况",),
    "五": ("存在的主要问题改进措施",),
}


def section_titles(numeral: str) -> tuple[str, ...]:
    """Every title a section may carry: the standard's (first), those it accepts, those reports print."""
    own = NARRATIVE_SECTIONS.get(numeral) or (TABLE_SECTIONS[numeral],)
    return own + SECTION_VARIANTS.get(numeral, ())


# An agency's level from how its name ends (the first that fits), where the name is all there is.
LEVEL_BY_NAME_ENDING = (
    ("街道办事处", "subdistrict"),
    ("街道", "subdistrict"),
    ("镇人民政府", "township"),
    ("乡人民政府", "township"),
    ("镇", "township"),
    ("乡", "township"),
)


def default_format(year: int) -> int:
    """The format a report of ``year`` uses when the front matter does not say."""
    return 2021 if year >= 2021 else 2019


def deadline(level: str, year: int) -> dt.date:
    """The last day the report for ``year`` may be published on time."""
    return dt.date(year + 1, 3, 31) if level in GOVERNMENT_LEVELS else dt.date(year + 1, 1, 31)


def days_late(level: str, year: int, published: dt.date) -> int:
    """Days after the deadline (0 when on time)."""
    return max(0, (published - deadline(level, year)).days)


def default_title(name: str, year: int) -> str:
    return f"{name}{year}年政府信息公开工作年度报告"
