"""Headless Chromium as this project runs it (tests, benchmarks, site checks): Debian's build, offline.

The flags keep Chromium off the network it would otherwise call at start (component updates,
sync, background services) and let it run as root in CI; Playwright adds --headless itself.
"""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
