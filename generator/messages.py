"""Diagnostic message catalogs: Simplified Chinese first, English second.

Messages are data (``locales/diagnostics.<lang>.yaml``), so wording can be
reviewed and translated without touching the validator.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGS = ("zh-CN", "en")


@cache
def _load(kind: str, lang: str) -> dict[str, str]:
    """``locales/<kind>.<lang>.yaml``: diagnostics, or the lines the command prints (cli)."""
    text = resources.files("generator").joinpath(f"locales/{kind}.{lang}.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return {str(k): str(v) for k, v in data.items()}


def catalog(lang: str) -> dict[str, str]:
    return _load("diagnostics", lang)


class _Params(dict):  # type: ignore[type-arg]
    """Leaves an unknown placeholder visible rather than raising mid-report."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_message(code: str, params: dict[str, Any], lang: str = "zh-CN") -> str:
    template = catalog(lang).get(code) or catalog("zh-CN").get(code) or code
    return template.format_map(_Params(params))


def say(code: str, lang: str = "zh-CN", **params: Any) -> str:
    """A line the command prints, in ``lang``; ``count == 1`` picks the ``<code>_one`` wording if there is one."""
    return _render("cli", code, lang, params)


def error_text(code: str, lang: str = "zh-CN", **params: Any) -> str:
    """Why a command stopped (``locales/errors.<lang>.yaml``), in ``lang``."""
    return _render("errors", code, lang, params)


def _render(kind: str, code: str, lang: str, params: dict[str, Any]) -> str:
    table = _load(kind, lang if lang in LANGS else "zh-CN")
    template = (table.get(code + "_one") if params.get("count") == 1 else None) or table.get(code)
    if template is None:
        template = _load(kind, "zh-CN").get(code, code)
    return template.format_map(_Params(params))
