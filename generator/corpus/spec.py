"""What a corpus is made of: the options it is drawn with, the agencies drawn."""

from __future__ import annotations

from dataclasses import dataclass


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
