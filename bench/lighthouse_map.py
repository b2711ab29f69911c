"""Lighthouse (mobile) on the map page of a database with published reports.

    .venv/bin/python bench/lighthouse_map.py --instance DIR [--runs 3]

DIR is an instance folder with published reports (bench/map_api.py --keep DIR
builds one; use a copy: the server writes to it). Starts gunicorn as the README
does on it, then runs Lighthouse (bench/package.json's, with Debian's Chromium,
its default mobile emulation and simulated Slow 4G with a 4x slower CPU) on
/en/map twice per run:

- "first visit": she has not agreed to the map, so the page is the list and
  the question about the tile host; nothing is drawn.
- "agreed": she agreed on an earlier visit (the key map.js keeps, set in the
  browser's profile before Lighthouse opens the page), so Leaflet builds the
  map and draws the reports: the heavy case.

Tile requests are blocked (no internet here, and their timing is not ours).
Prints, per run, the performance score, first contentful paint, largest
contentful paint, total blocking time, cumulative layout shift and the longest
main-thread task; then min / median / max of the score with the load average.
Target (issue 19): performance >= 95 on the map page at a million reports.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import local_server  # noqa: E402
from local_server import free_port  # noqa: E402

from tests.support.browser import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
TILE_HOST = "tile.openstreetmap.org"
TARGET_SCORE = 95


def install_lighthouse() -> None:
    """bench/package.json's Lighthouse, as bench/lighthouse.sh installs it."""
    subprocess.run(["bash", "-c", "source scripts/lib/install.sh && need_bench_tools"],
                   cwd=ROOT, check=True)


def agree_to_tiles(context, url: str) -> None:
    """What her earlier "show the map" left behind, set from a page that caches nothing."""
    page = context.new_page()
    page.goto(f"{url}/healthz")
    page.evaluate("() => localStorage.setItem('spotcheck.map-tiles', 'yes')")
    page.close()


def lighthouse(url: str, port: int, out: Path) -> dict:
    subprocess.run(
        [str(LIGHTHOUSE), url, f"--port={port}", "--disable-storage-reset", "--quiet",
         "--only-categories=performance", "--output=json", f"--output-path={out}",
         f"--blocked-url-patterns=*{TILE_HOST}*"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = json.loads(out.read_text())
    audits = report["audits"]
    tasks = audits.get("long-tasks", {}).get("details", {}).get("items", [])
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "longest": max((task["duration"] for task in tasks), default=0),
        "longest_url": max(tasks, key=lambda task: task["duration"])["url"] if tasks else "",
    }


def one_case(url: str, agreed: bool, work: Path) -> dict:
    """A fresh profile per case: Lighthouse then loads the page with nothing cached."""
    port = free_port()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(work / f"profile-{agreed}"), executable_path=CHROMIUM,
            args=[*CHROMIUM_FLAGS, f"--remote-debugging-port={port}"])
        try:
            if agreed:
                agree_to_tiles(context, url)
            return lighthouse(f"{url}/en/map", port, work / f"report-{agreed}.json")
        finally:
            context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", type=Path, required=True,
                        help="an instance folder with published reports (a copy: it is written to)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep Lighthouse's reports (JSON) in DIR")
    args = parser.parse_args()
    install_lighthouse()

    port = free_port()
    server = local_server.start_server(args.instance, port, wait_seconds=300,
                                       extra=("--no-control-socket",), WORKERS="2")
    url = f"http://127.0.0.1:{port}"
    scores = {"first visit": [], "agreed": []}
    try:
        print(f"{'run':>3} {'case':<12} {'score':>5} {'FCP':>6} {'LCP':>6} {'TBT':>5} "
              f"{'CLS':>6} {'longest task':>12}  (ms; load average)")
        for number in range(1, args.runs + 1):
            for case, agreed in (("first visit", False), ("agreed", True)):
                with tempfile.TemporaryDirectory() as work:
                    r = one_case(url, agreed, Path(work))
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        name = f"{number}-{case.replace(' ', '-')}.json"
                        (Path(work) / f"report-{agreed}.json").rename(args.keep / name)
                scores[case].append(r["score"])
                print(f"{number:>3} {case:<12} {r['score']:>5} {r['fcp']:6.0f} {r['lcp']:6.0f} "
                      f"{r['tbt']:5.0f} {r['cls']:6.3f} {r['longest']:12.0f}  "
                      f"{Path(r['longest_url']).name or '-'}; {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"\nperformance score over {args.runs} runs (min / median / max), "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}:")
    for case, values in scores.items():
        print(f"  {case:<12} {min(values)} / {statistics.median(values):.0f} / {max(values)} "
              f"(target >= {TARGET_SCORE})")
    return 0 if all(statistics.median(v) >= TARGET_SCORE for v in scores.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
