"""The phrases reports' prose uses for the standard's figures, period and notices (narrative.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .paths import FieldPath


@dataclass(frozen=True)
class Phrase:
    """A way the prose states a figure: the pattern, and the rows whose 总计 it is."""

    pattern: re.Pattern[str]
    rows: tuple[FieldPath, ...]


@cache
def _data() -> dict[str, Any]:
    text = resources.files("generator").joinpath("standard/narrative.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _phrases(kind: str) -> tuple[Phrase, ...]:
    number = _data()["number"]
    return tuple(
        Phrase(re.compile(p["says"].replace("{N}", number)), tuple(tuple(r.split(".")) for r in p["rows"]))
        for p in _data()[kind]
    )


@cache
def figure_phrases() -> tuple[Phrase, ...]:
    """Phrases that quote a figure (its number is group 1): 收到政府信息公开申请 4 件 …"""
    return _phrases("figures")


@cache
def combined_phrases() -> tuple[Phrase, ...]:
    """Phrases that quote the sum of two figures: 予以公开及部分公开 208 件 …"""
    return _phrases("combined")


@cache
def none_phrases() -> tuple[Phrase, ...]:
    """Phrases that say a figure is zero: 未收到…申请, 未发生…行政复议 …"""
    return _phrases("none")


@cache
def pattern(key: str) -> re.Pattern[str]:
    """One of the single patterns: all_upheld, outcomes, period, title_year."""
    return re.compile(_data()[key])


@cache
def notice_pattern(fmt: int) -> re.Pattern[str]:
    """How a report cites the notice of format ``fmt`` (〔2021〕30号)."""
    return re.compile(_data()["notices"][fmt])
