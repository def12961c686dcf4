"""Why an original cannot be imported as it is: the importer's errors, in the project's hierarchy."""

from __future__ import annotations

from typing import Any

from ..errors import GongkaiError

Message = tuple[str, dict[str, Any]]  # a message code (locales/errors or cli) and its parameters


class UnreadableOriginal(GongkaiError):
    """The original cannot be imported as it is (what is missing, where): exit 1, nothing written."""
