"""Poster PDFs: how long WeasyPrint takes for each format, in each kind of language.

    .venv/bin/python bench/posters.py [--runs 20]

Makes one poster per format and language set through the builder, then times
GET /en/posters/<code>/poster.pdf in-process (Flask test client, no network),
after one unmeasured request per poster (fonts are loaded once per process).
Prints p50, p95 and max per format, and the PDF's size. Target: p50 <= 1 s for A4.
The first PDF also cuts Noto Sans CJK down to the posters' characters
(app/posters/fonts.py): the bench's instance folder is new, so it has none kept.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time

os.environ.setdefault("SPOTCHECK_INSTANCE_PATH", tempfile.mkdtemp(prefix="spotcheck-bench-"))

from app import create_app
from app.content.posters import FORMATS, LANGUAGE_SETS

TARGET_A4_SECONDS = 1.0
# One language set of each kind: Chinese alone, English alone, bilingual.
LANGUAGES = ("zh-hans", "en", "zh-hant+en")


def make_poster(client, paper: str, languages: str) -> str:
    response = client.post("/en/posters/", data={"format": paper, "languages": languages,
                                                 "destination": "check-restroom"})
    return re.search(r"/en/posters/([0-9A-Z]{6})/poster\.pdf", response.get_data(as_text=True))[1]


def timed_pdf(client, code: str) -> tuple[float, int]:
    started = time.perf_counter()
    with client.get(f"/en/posters/{code}/poster.pdf") as response:
        size = len(response.get_data())
    return time.perf_counter() - started, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="per format and language set")
    args = parser.parse_args()
    if not set(LANGUAGES) <= LANGUAGE_SETS.keys():
        raise SystemExit(f"unknown language sets in {LANGUAGES}")
    app = create_app({"SETUP_LINK_ON_START": False, "PUBLIC_BASE_URL": "https://spotcheck.example",
                      "POSTERS_PER_CLIENT_PER_HOUR": 0})
    client = app.test_client()
    started = time.perf_counter()
    first_code = make_poster(client, "a4", "zh-hans")
    first, _ = timed_pdf(client, first_code)  # the process's first PDF loads the fonts
    setup = time.perf_counter() - started
    print(f"first PDF in a fresh process: {first:.2f} s (with the app's setup {setup:.2f} s)")
    print(f"\n{'format':<12} {'languages':<11} {'runs':>4} {'p50 s':>7} {'p95 s':>7} "
          f"{'max s':>7} {'PDF bytes':>10}")
    a4_p50 = []
    for paper in FORMATS:
        for languages in LANGUAGES:
            code = make_poster(client, paper, languages)
            timed_pdf(client, code)  # warm: this poster's glyphs
            runs = [timed_pdf(client, code) for _ in range(args.runs)]
            seconds = sorted(s for s, _ in runs)
            p50 = statistics.median(seconds)
            if paper == "a4":
                a4_p50.append(p50)
            print(f"{paper:<12} {languages:<11} {len(runs):>4} {p50:7.3f} "
                  f"{seconds[int(len(seconds) * 0.95) - 1]:7.3f} {seconds[-1]:7.3f} "
                  f"{runs[0][1]:>10,}")
    met = max(a4_p50) <= TARGET_A4_SECONDS
    print(f"\nA4 p50 at most {max(a4_p50):.3f} s; target <= {TARGET_A4_SECONDS} s: "
          f"{'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
