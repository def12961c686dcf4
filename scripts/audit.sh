#!/usr/bin/env bash
# Build the bundled content and the demo, then audit both with ../shared/audit/site_audit.sh --strict
# (Lighthouse, axe, Nu HTML Checker, links, page weight, external hosts, screenshots, search).
# One-time set-up: bash ../shared/audit/site_audit.sh --install
set -euo pipefail
cd "$(dirname "$0")/.."
AUDIT=${AUDIT:-../shared/audit/site_audit.sh}
OUT=${OUT:-audit-out}
gongkai build
gongkai build examples/demo
bash "$AUDIT" --strict --out "$OUT/content" site / /agencies/ /agencies/hongqi-zhengfu-bangongshi/ \
  report=/agencies/hongqi-zhengfu-bangongshi/2025/ /years/ /years/2025/ /data/ "$@"
bash "$AUDIT" --strict --out "$OUT/demo" examples/demo/site / /agencies/ /agencies/hongqi-zhengfu/ \
  report=/agencies/hongqi-zhengfu/2025/ /years/ /years/2025/ /data/ "$@"
