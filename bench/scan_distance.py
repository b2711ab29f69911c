"""Posters' QR codes: from how far a phone still reads them, for each format.

    .venv/bin/python bench/scan_distance.py [--runs 3] [--languages zh-hans]

Makes one poster per format through the builder, renders its PDF with the app's
own renderer (in-process, Flask test client), rasterises the PDF with poppler's
pdftoppm (as tests/posters/test_views.py does), then photographs it with a simulated
phone camera at growing distances: a 1920 px wide frame with a 70° horizontal
field of view, the sheet facing the camera on a grey wall at a random spot,
each pixel the average of the paper it sees, a slight gaussian blur (the lens)
and gaussian sensor noise. zxing (zxing-cpp) reads each frame; the farthest
distance at which it finds the poster's own link is the figure. Every run moves
the sheet and draws new noise; prints min, median and max over the runs, with
the load average. Targets: A4 >= 4 m, A5 >= 2.5 m, stickers >= 0.8 m.
"""

import argparse
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SPOTCHECK_INSTANCE_PATH", tempfile.mkdtemp(prefix="spotcheck-bench-"))

import zxingcpp  # noqa: E402
from PIL import Image, ImageChops, ImageFilter  # noqa: E402

from app import create_app  # noqa: E402
from app.content.posters import FORMATS, LANGUAGE_SETS  # noqa: E402

BASE = "https://spotcheck.example"
FRAME = (1920, 1080)  # a phone camera's video frame, landscape
FIELD_OF_VIEW = math.radians(70)  # horizontal
BLUR_PIXELS = 0.65  # the gaussian's radius: a slightly soft lens and focus
NOISE_SIGMA = 8  # grey levels of sensor noise (of 255)
WALL_GREY = 150
DPI = 200  # the paper's pixels, finer than the camera sees it at the nearest step
MM_PER_INCH = 25.4
NEAREST_CM, FARTHEST_CM = 20, 1200
COARSE_CM, STEP_CM = 25, 5
GIVE_UP_AFTER = 4  # misses in a row past the last read: it is out of reach
TARGETS_M = {"a4": 4.0, "a5": 2.5, "stickers-8": 0.8, "stickers-24": 0.8}


def make_poster(client, paper: str, languages: str) -> str:
    response = client.post("/en/posters/", data={"format": paper, "languages": languages,
                                                 "destination": "check-restroom"})
    return re.search(r"/en/posters/([0-9A-Z]{6})/poster\.pdf", response.get_data(as_text=True))[1]


def rasterise(pdf: bytes, folder: Path) -> Image.Image:
    source = folder / "poster.pdf"
    source.write_bytes(pdf)
    for old in folder.glob("page*"):
        old.unlink()
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-f", "1", "-l", "1", str(source),
                    str(folder / "page")], check=True, timeout=120)
    [page] = sorted(folder.glob("page*"))
    return Image.open(page).convert("L")


def photograph(sheet: Image.Image, distance_m: float, rng: random.Random) -> Image.Image:
    """What the camera sees of the sheet from `distance_m`, square on."""
    frame_mm = 2 * distance_m * 1000 * math.tan(FIELD_OF_VIEW / 2)
    pixels_per_mm = FRAME[0] / frame_mm
    scale = pixels_per_mm * MM_PER_INCH / DPI
    size = (max(1, round(sheet.width * scale)), max(1, round(sheet.height * scale)))
    # BOX: each camera pixel averages the paper under it, as a sensor does.
    seen = sheet.resize(size, Image.Resampling.BOX)
    frame = Image.new("L", FRAME, WALL_GREY)
    x = rng.randint(min(0, FRAME[0] - size[0]), max(0, FRAME[0] - size[0]))
    y = rng.randint(min(0, FRAME[1] - size[1]), max(0, FRAME[1] - size[1]))
    frame.paste(seen, (x, y))
    frame = frame.filter(ImageFilter.GaussianBlur(BLUR_PIXELS))
    noise = Image.effect_noise(FRAME, NOISE_SIGMA)  # centred on 128
    return ImageChops.add(frame, noise, scale=1.0, offset=-128)


def reads(image: Image.Image, expected: str) -> bool:
    return any(result.text == expected for result in zxingcpp.read_barcodes(image))


def farthest(sheet: Image.Image, expected: str, rng: random.Random) -> float:
    """The farthest distance, in metres, at which the code still reads (0 if never).

    Coarse steps first, until two misses in a row; then fine steps on from the
    last coarse read, until GIVE_UP_AFTER misses in a row."""
    best_cm = 0

    def try_at(distance_cm: int) -> bool:
        return reads(photograph(sheet, distance_cm / 100, rng), expected)

    for start, step, give_up in ((NEAREST_CM, COARSE_CM, 2), (None, STEP_CM, GIVE_UP_AFTER)):
        distance = start if start is not None else best_cm + step
        misses = 0
        while misses < give_up and distance <= FARTHEST_CM:
            if try_at(distance):
                best_cm, misses = max(best_cm, distance), 0
            else:
                misses += 1
            distance += step
    return best_cm / 100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="per format")
    parser.add_argument("--languages", default="zh-hans", choices=list(LANGUAGE_SETS))
    parser.add_argument("--formats", nargs="*", default=list(FORMATS), choices=list(FORMATS))
    args = parser.parse_args()
    app = create_app({"SETUP_LINK_ON_START": False, "PUBLIC_BASE_URL": BASE,
                      "POSTERS_PER_CLIENT_PER_HOUR": 0})
    client = app.test_client()
    print(f"camera: {FRAME[0]} px wide, {math.degrees(FIELD_OF_VIEW):.0f}° field of view, "
          f"blur radius {BLUR_PIXELS} px, noise sigma {NOISE_SIGMA}; steps of {STEP_CM} cm")
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"\n{'format':<12} {'languages':<11} {'runs':>4} {'min m':>6} {'median m':>9} "
          f"{'max m':>6} {'target':>7}")
    rng = random.Random()
    missed = []
    with tempfile.TemporaryDirectory(prefix="spotcheck-scan-") as folder:
        for paper in args.formats:
            code = make_poster(client, paper, args.languages)
            pdf = client.get(f"/en/posters/{code}/poster.pdf").get_data()
            sheet = rasterise(pdf, Path(folder))
            expected = f"{BASE.upper()}/P/{code}"
            runs = sorted(farthest(sheet, expected, rng) for _ in range(args.runs))
            target = TARGETS_M.get(paper)
            if target and runs[0] < target:
                missed.append(paper)
            print(f"{paper:<12} {args.languages:<11} {len(runs):>4} {runs[0]:6.2f} "
                  f"{statistics.median(runs):9.2f} {runs[-1]:6.2f} "
                  f"{f'>= {target}' if target else '':>7}", flush=True)
    print(f"\nload average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("every target met (by the minimum)" if not missed
          else f"targets NOT met by the minimum: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
