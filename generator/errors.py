"""Diagnostics as values, and the small exception hierarchy that maps to exit codes.

Every problem found in content is a :class:`Diagnostic` with a location; the
validator collects them all and the CLI decides the exit code once, at the end.
Exceptions are only for conditions that stop a command outright.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import Enum
from typing import Any

from .messages import error_text, render_message


class Severity(str, Enum):
    """How bad a finding is. A notice is an acknowledged failure (``known_issues``)."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True)
class Diagnostic:
    """One finding, located at ``path:line:col`` (1-based), in a content file.

    ``code`` names a message template (see ``locales/diagnostics.*.yaml``) filled
    with ``params``; ``rule`` is the rule id of report-format.md §5 (H1…, S1…)
    or a structural id (YAML, KEY, …); ``field`` is the front-matter path
    (``applications.total[0]``) and ``label`` its Chinese label from the schema.
    """

    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    code: str
    field: str = ""
    label: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict, compare=False, hash=False)
    note: str = ""  # the known_issues note when a failure was acknowledged

    def message(self, lang: str = "zh-CN") -> str:
        """The plain-words message in ``lang`` (Simplified Chinese by default)."""
        return render_message(self.code, self.params, lang)

    def at(self, path: str) -> Diagnostic:
        """The same finding shown at another path (a moved file, a path relative to the reader)."""
        return dataclasses.replace(self, path=path)

    def acknowledged(self, note: str) -> Diagnostic:
        """This failure as a notice: it is in the original and acknowledged."""
        return Diagnostic(
            self.path,
            self.line,
            self.col,
            Severity.NOTICE,
            self.rule,
            self.code,
            self.field,
            self.label,
            self.params,
            note,
        )

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.rule, self.field)

    def to_dict(self, lang: str = "zh-CN") -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "rule": self.rule,
            "field": self.field,
            "label": self.label,
            "message": self.message(lang),
            **({"note": self.note} if self.note else {}),
        }


SEVERITY_WORDS = {
    "zh-CN": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.NOTICE: "说明"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"},
}


def format_text(d: Diagnostic, lang: str = "zh-CN", source_line: str | None = None) -> str:
    """``path:line:col: 错误 H3 applications.total[0] 三（七）总计 · 自然人：message``."""
    where = f" {d.field}" if d.field else ""
    label = f" {d.label}：" if d.label else " "
    text = f"{d.path}:{d.line}:{d.col}: {SEVERITY_WORDS[lang][d.severity]} {d.rule}{where}{label}{d.message(lang)}"
    if d.note:
        text += (
            ("（原文如此：" if lang == "zh-CN" else " (as published: ") + d.note + ("）" if lang == "zh-CN" else ")")
        )
    if source_line is not None:
        text += "\n    " + source_line.rstrip("\n")
    return text


def format_github(d: Diagnostic, lang: str = "zh-CN") -> str:
    """A GitHub Actions workflow command, so CI annotates the offending line."""
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"}[d.severity]
    title = f"{d.rule} {d.field}".strip()
    body = (f"{d.label}：" if d.label else "") + d.message(lang)
    return f"::{kind} file={_gh_prop(d.path)},line={d.line},col={d.col},title={_gh_prop(title)}::{_gh_data(body)}"


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def format_json(diags: Iterable[Diagnostic], lang: str = "zh-CN") -> str:
    return json.dumps([d.to_dict(lang) for d in diags], ensure_ascii=False, indent=2)


class GongkaiError(Exception):
    """Base of the errors that stop a command; only ``cli`` catches them.

    Like a diagnostic it is a message code and its parameters (``locales/errors.*.yaml``), so the
    command says it in the reader's language; ``str()`` is the Chinese text. A parameter that is
    itself an error is said in the same language.
    """

    exit_code = 1

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.text())

    def text(self, lang: str = "zh-CN") -> str:
        shown = {k: v.text(lang) if isinstance(v, GongkaiError) else v for k, v in self.params.items()}
        return error_text(self.code, lang, **shown)


class ContentError(GongkaiError):
    """Content is invalid; the diagnostics say why (exit 1)."""

    def __init__(self, diagnostics: list[Diagnostic], lines: dict[str, list[str]] | None = None):
        super().__init__("content_errors", count=sum(d.severity is Severity.ERROR for d in diagnostics))
        self.diagnostics = diagnostics
        self.lines = lines or {}  # each file's lines by its path, for the source excerpt under a finding

    def source_line(self, d: Diagnostic) -> str | None:
        """The line of the file that ``d`` points at, as ``gongkai check`` shows it."""
        lines = self.lines.get(d.path, [])
        return lines[d.line - 1] if 0 < d.line <= len(lines) else None


class UsageError(GongkaiError):
    """The command line or the site layout is wrong (exit 2)."""

    exit_code = 2


class TemplateError(GongkaiError):
    """A theme template failed: says which template file and line (exit 1)."""

    def __init__(self, template: str, line: int, message: str):
        super().__init__("template_error", template=template, line=line, message=message)
        self.template = template
        self.line = line
        self.message = message
