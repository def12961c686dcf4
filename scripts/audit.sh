#!/usr/bin/env bash
# Build the bundled content and the demo, then audit both with ../shared/audit/site_audit.sh --strict
# (Lighthouse, axe, Nu HTML Checker, links, page weight, external hosts, screenshots, search).
# One-time set-up: bash ../shared/audit/site_audit.sh --install
set -euo pipefail
cd "$(dirname "$0")/.."
AUDIT=${AUDIT:-../shared/audit/site_audit.sh}
OUT=${OUT:-audit-out}
SEARCH=(--search-page /search/ --search-input "#search-q" --search-result ".result" --query "依申请公开,申请,信访")
gongkai build
gongkai build examples/demo
bash "$AUDIT" --strict --out "$OUT/content" site / /agencies/ /agencies/hongqi-zhengfu-bangongshi/ \
  report=/agencies/hongqi-zhengfu-bangongshi/2025/ /years/ /years/2025/ /data/ /search/ "${SEARCH[@]}" "$@"
bash "$AUDIT" --strict --out "$OUT/demo" examples/demo/site / /agencies/ /agencies/hongqi-zhengfu/ \
  report=/agencies/hongqi-zhengfu/2025/ /years/ /years/2025/ /data/ /search/ "${SEARCH[@]}" "$@"
