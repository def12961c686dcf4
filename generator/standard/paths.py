"""Field paths: where a value stands in a report's front matter (``applications.total[6]``)."""

from __future__ import annotations

from typing import Any

FieldPath = tuple[str | int, ...]


def get_path(data: Any, path: FieldPath) -> Any:
    """The value at ``path`` in parsed front matter, or None where the path leads nowhere."""
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def field_name(path: FieldPath) -> str:
    """``('applications', 'total', 0)`` → ``applications.total[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out
