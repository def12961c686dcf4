#!/usr/bin/env bash
# Build the bundled content and the demo, then check both with scripts/site_check.py --strict
# (links, external hosts, page weight, axe-core, Nu HTML Checker, Lighthouse).
# Needs: the test command's installs plus Java (sudo apt-get install -y default-jre-headless) and `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
GONGKAI=${GONGKAI:-.venv/bin/gongkai}
PY=${PY:-.venv/bin/python}
OUT=${OUT:-audit-out}
"$GONGKAI" build
"$GONGKAI" build examples/demo
"$PY" scripts/site_check.py --strict --out "$OUT/content" site / /agencies/ /agencies/hongqi-zhengfu-bangongshi/ \
  /agencies/hongqi-zhengfu-bangongshi/2025/ /years/ /years/2025/ /data/ /quality/ /search/ /regions/ \
  /regions/河南省/新乡市/红旗区/ /compare/ "$@"
"$PY" scripts/site_check.py --strict --out "$OUT/demo" examples/demo/site / /agencies/ /agencies/hongqi-zhengfu/ \
  /agencies/hongqi-zhengfu/2025/ /agencies/hongqi-zhengfu/2019/ /years/ /years/2025/ /data/ /quality/ /search/ \
  /regions/ /regions/河南省/新乡市/红旗区/ /regions/河南省/新乡市/红旗区/关堤乡/ /compare/ "$@"
