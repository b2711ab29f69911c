"""The lens finder (issue 18) in Chromium with a fake camera playing videos made here.

Each video is a Y4M file (320 x 240, 15 frames a second, a 2 s loop Chromium plays
again and again) drawn with Pillow: a dim textured room swept by a shaking hand,
with sensor noise and dust sparkling for a single frame, and then

- `glint`: a 3 px bright point that stays put in the picture while the room shifts;
- `glint_in_room`: the same point fixed in the room, so it shifts with it;
- `room`: no point at all;
- `lamp`: a bright 40 px lamp and a 12 px reflection of a torch in a mirror;
- `gloss`: a glossy surface, its gradient and soft highlights sliding over it.

Figures (hits, misses, false marks per video) go to test-output/issue18/detection.json,
screenshots of the red view beside it.
"""

import io
import json
import math
import random
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from support.browser import CHROMIUM, CHROMIUM_FLAGS, PHONE, WATCH_CSP, wait_for_worker

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT, FPS, FRAMES = 320, 240, 15, 30
SWEEP = 12                      # px the hand moves the picture either way
GLINT_AT = (224, 84)            # in the picture (`glint`) or in the room (`glint_in_room`)
COUNT_NONE = "No place marked right now. That does not mean there is no camera."
MARK_LABEL = "Look closer here"
REFUSED = "The camera is not available, so use the method below"


# -- The videos -------------------------------------------------------------------

def sweep(frame: int) -> tuple[int, int]:
    """Where a shaking hand has moved the picture: a loop of FRAMES frames, at most
    about 2.5 px a frame either way, back where it began so the loop has no jump."""
    phase = 2 * math.pi * frame / FRAMES
    return round(SWEEP * math.sin(phase)), round(SWEEP / 2 * math.sin(2 * phase))


def room(rng: random.Random) -> Image.Image:
    """A dim room, larger than the picture by SWEEP each side: mottled walls, furniture,
    a pale picture frame whose corners and edges are bright but not glints."""
    size = (WIDTH + 2 * SWEEP, HEIGHT + 2 * SWEEP)
    walls = Image.effect_noise(size, 60).filter(ImageFilter.GaussianBlur(3))
    walls = walls.point(lambda v: 25 + v * 60 // 255)
    draw = ImageDraw.Draw(walls)
    for _ in range(6):
        x, y = rng.randrange(size[0] - 60), rng.randrange(size[1] - 40)
        draw.rectangle((x, y, x + rng.randrange(20, 60), y + rng.randrange(10, 40)),
                       fill=rng.randrange(35, 100))
    draw.rectangle((40, 150, 100, 190), outline=140, width=3)  # the picture frame
    draw.line((0, 120, size[0], 124), fill=110, width=2)        # a shelf's lit edge
    return walls.filter(ImageFilter.GaussianBlur(0.8))


def spot(diameter: float, blur: float, value: int = 255) -> Image.Image:
    """A bright disc, softened: a glint, a lamp, a reflection."""
    side = int(diameter + 6 * blur + 4)
    image = Image.new("L", (side, side), 0)
    middle = side / 2
    ImageDraw.Draw(image).ellipse((middle - diameter / 2, middle - diameter / 2,
                                   middle + diameter / 2, middle + diameter / 2), fill=value)
    return image.filter(ImageFilter.GaussianBlur(blur)) if blur else image


def highlight(width: float, height: float, peak: int = 255) -> Image.Image:
    """A soft gaussian highlight, as a light on glossy plastic or paint."""
    side_x, side_y = int(width * 3), int(height * 3)
    image = Image.new("L", (side_x, side_y))
    image.putdata([round(peak * math.exp(-(((x - side_x / 2) / width) ** 2
                                            + ((y - side_y / 2) / height) ** 2) / 2))
                   for y in range(side_y) for x in range(side_x)])
    return image


def brighten(picture: Image.Image, light: Image.Image, centre: tuple[float, float]) -> None:
    """Add a light at a centre: where it is brighter, it wins (as light does)."""
    x, y = round(centre[0] - light.width / 2), round(centre[1] - light.height / 2)
    region = picture.crop((x, y, x + light.width, y + light.height))
    picture.paste(ImageChops.lighter(region, light), (x, y))


def frames(scene: str, seed: int = 18):
    """The pictures of one scene's loop, in grey (a torch's light has no colour)."""
    rng = random.Random(seed)
    walls = room(rng)
    glint = spot(3, 0.5)
    if scene == "glint_in_room":
        brighten(walls, glint, (GLINT_AT[0] + SWEEP, GLINT_AT[1] + SWEEP))
    if scene == "lamp":
        brighten(walls, spot(40, 2), (100, 80))
        brighten(walls, spot(12, 1, 250), (250, 190))
    if scene == "gloss":
        panel = Image.linear_gradient("L").resize((150, 110)).point(lambda v: 50 + v * 150 // 255)
        walls.paste(panel, (150, 40))
    for number in range(FRAMES):
        dx, dy = sweep(number)
        picture = walls.crop((SWEEP - dx, SWEEP - dy, SWEEP - dx + WIDTH, SWEEP - dy + HEIGHT))
        if scene == "gloss":  # highlights slide over the panel as the hand moves
            brighten(picture, highlight(10, 10), (220 + dx // 2, 70 + dy // 2))
            brighten(picture, highlight(25, 3, 235), (200 + dx // 2, 120 + dy))
        if scene == "glint":
            brighten(picture, glint, GLINT_AT)
        noise = Image.effect_noise((WIDTH, HEIGHT), 5)
        picture = ImageChops.add(picture, noise, 1, -128)
        for _ in range(3):  # dust in the light, sensor sparkle: one frame each
            at = (rng.randrange(10, WIDTH - 10), rng.randrange(10, HEIGHT - 10))
            brighten(picture, spot(2, 0), at)
        yield picture


def write_video(scene: str, path: Path, fps: int = FPS) -> Path:
    """The scene as a Y4M file Chromium's fake camera plays in a loop (bench/lens.py
    plays it at 30 frames a second)."""
    grey = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with io.BytesIO() as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for picture in frames(scene):
            out.write(b"FRAME\n" + picture.tobytes() + grey + grey)
        path.write_bytes(out.getvalue())
    return path


@pytest.fixture(scope="module")
def videos(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lens-videos")
    return {scene: write_video(scene, folder / f"{scene}.y4m")
            for scene in ("glint", "glint_in_room", "room", "lamp", "gloss")}


# -- A phone with a fake camera -----------------------------------------------------

@contextmanager
def camera_phone(browser, video: Path | None, *, allow: bool = True, **context_options):
    """A phone page in its own Chromium, whose camera plays `video`.

    Chromium takes its camera from launch flags, so each video needs its own browser
    (launched through the suite's Playwright). Without `allow`, Chromium refuses
    every permission prompt, as when she taps "Block".
    """
    args = [*CHROMIUM_FLAGS, "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream" if allow else "--deny-permission-prompts"]
    if video:
        args.append(f"--use-file-for-fake-video-capture={video}")
    own = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    try:
        context = own.new_context(**PHONE, **context_options)
        context.add_init_script(WATCH_CSP)
        yield context.new_page()
    finally:
        own.close()


def stats(page) -> dict:
    return page.evaluate("() => window.__lensStats")


def rings(page) -> list[tuple[float, float]]:
    """Where each ring's centre is, in 0..1 of the view."""
    return page.evaluate("""() => {
        const view = document.querySelector('[data-lens-view]').getBoundingClientRect();
        return [...document.querySelectorAll('[data-lens-marks] .lens-mark')].map((ring) => {
            const r = ring.getBoundingClientRect();
            return [(r.x + r.width / 2 - view.x) / view.width,
                    (r.y + r.height / 2 - view.y) / view.height];
        });
    }""")


def near(position, expected, tolerance=0.10) -> bool:
    return all(abs(p - e) <= tolerance for p, e in zip(position, expected, strict=True))


def watch(page, seconds: float, expected: tuple[float, float] | None) -> dict:
    """Look at the rings ten times a second: a hit when the point is ringed, a miss when
    it is not, a false mark for each ring anywhere else."""
    figures = {"looks": 0, "hits": 0, "misses": 0, "false_marks": 0}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        shown = rings(page)
        figures["looks"] += 1
        on_point = [r for r in shown if expected and near(r, expected)]
        if expected:
            figures["hits" if on_point else "misses"] += 1
        figures["false_marks"] += len(shown) - len(on_point)
    s = stats(page)
    figures |= {"frames_analysed": s["analysed"], "rings_ever": s["marksEver"],
                "first_mark_ms": None if s["firstMarkAt"] is None
                else round(s["firstMarkAt"] - s["startedAt"])}
    return figures


def record(output_dir: Path, scene: str, figures: dict) -> None:
    path = output_dir / "issue18" / "detection.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    everything = json.loads(path.read_text()) if path.exists() else {}
    everything[scene] = figures
    path.write_text(json.dumps(everything, indent=2) + "\n")


def start(page, server) -> None:
    page.goto(f"{server.url}/en/lens")
    page.locator("[data-lens-start]").click()
    page.wait_for_function("() => window.__lensStats && window.__lensStats.analysed > 0",
                           timeout=5_000)


# -- The tests ----------------------------------------------------------------------

@pytest.mark.parametrize("scene", ["glint", "glint_in_room"])
def test_a_glint_is_ringed_within_a_second_where_it_is(server, browser, videos, output_dir, scene):
    expected = (GLINT_AT[0] / WIDTH, GLINT_AT[1] / HEIGHT)
    with camera_phone(browser, videos[scene]) as page:
        page.goto(f"{server.url}/en/lens")
        assert page.locator("[data-lens]").is_visible()
        assert page.locator("[data-lens-manual]").is_visible()  # always: it is the method
        page.locator("[data-lens-start]").click()
        page.wait_for_function("() => window.__lensStats.firstMarkAt !== null", timeout=5_000)
        s = stats(page)
        assert s["firstMarkAt"] - s["startedAt"] <= 1_000
        assert [r for r in rings(page) if near(r, expected)], rings(page)
        assert page.locator("[data-glint-count]").inner_text() == "Places to look closer: 1"
        assert page.locator("[data-glint-count]").get_attribute("aria-live") == "polite"
        assert page.locator(".lens-mark").first.inner_text() == MARK_LABEL

        figures = watch(page, 2, expected)  # one turn of the loop
        record(output_dir, scene, figures)
        assert figures["misses"] <= 1 and figures["false_marks"] == 0, figures

        # Every button she can reach is a 44 px target, on a 360 px screen.
        for button in page.locator("[data-lens] button:visible").all():
            box = button.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, button.inner_text()
        assert page.evaluate("() => window.__cspViolations") == []
        if scene == "glint":
            page.locator("[data-lens-view]").scroll_into_view_if_needed()
            page.screenshot(path=output_dir / "issue18" / "red-view-mark.png")
            # Zoomed in, the ring follows the point out from the middle.
            page.locator("[data-lens-zoom-in]").click()
            zoomed = tuple(0.5 + (e - 0.5) * 1.5 for e in expected)
            page.wait_for_timeout(300)
            assert [r for r in rings(page) if near(r, zoomed)], rings(page)
            page.screenshot(path=output_dir / "issue18" / "red-view-mark-zoomed.png")


# The issue asks for 10 s without a mark. The empty room gets the full 10 s; the lamp
# and the glossy surface 4 s, two turns of their 2 s loop: the detector keeps nothing
# for longer than half a second, so a third turn would see exactly what the first two did.
@pytest.mark.parametrize(("scene", "seconds"), [("room", 10), ("lamp", 4), ("gloss", 4)])
def test_no_ring_without_a_glint(server, browser, videos, output_dir, scene, seconds):
    with camera_phone(browser, videos[scene]) as page:
        start(page, server)
        figures = watch(page, seconds, None)
        record(output_dir, scene, figures)
        assert figures["rings_ever"] == 0 and figures["false_marks"] == 0, figures
        assert figures["frames_analysed"] >= seconds * FPS * 0.6, figures  # it did look
        assert page.locator("[data-glint-count]").inner_text() == COUNT_NONE
        if scene == "lamp":
            page.locator("[data-lens-view]").scroll_into_view_if_needed()
            page.screenshot(path=output_dir / "issue18" / "red-view-lamp-no-mark.png")


def test_a_refused_camera_shows_the_manual_method(server, browser, videos, output_dir):
    with camera_phone(browser, videos["glint"], allow=False) as page:
        page.goto(f"{server.url}/en/lens")
        page.locator("[data-lens-start]").click()
        status = page.locator("[data-lens-status]")
        status.filter(has_text=REFUSED).wait_for(timeout=5_000)
        assert page.locator("[data-lens-view]").is_hidden()
        assert page.locator("[data-lens-manual]").is_visible()
        assert page.locator("[data-glint-count]").inner_text() == ""
        status.scroll_into_view_if_needed()
        page.screenshot(path=output_dir / "issue18" / "camera-refused.png")


def test_no_request_while_the_camera_runs(server, browser, videos):
    with camera_phone(browser, videos["glint"]) as page:
        page.goto(f"{server.url}/en/lens")
        page.wait_for_load_state("networkidle")
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.locator("[data-lens-start]").click()
        page.wait_for_function("() => window.__lensStats.firstMarkAt !== null", timeout=5_000)
        page.wait_for_timeout(1_000)
        page.locator("[data-lens-stop]").click()
        assert requests == []
        assert page.locator("[data-lens-view]").is_hidden()
        assert page.evaluate("() => document.querySelector('[data-lens-video]').srcObject") is None


def test_it_opens_and_runs_offline_after_one_visit(server, browser, videos):
    with camera_phone(browser, videos["glint"], service_workers="allow") as page:
        # As a browser without WebCodecs (older Safari): frames are made small on the
        # page and sent as pixels, the other way lens.js has.
        page.add_init_script("delete window.VideoFrame;")
        page.goto(f"{server.url}/en/lens")
        wait_for_worker(page)
        page.context.set_offline(True)
        page.reload()
        assert page.locator("h1").inner_text() == "Lens finder"
        page.locator("[data-lens-start]").click()
        page.wait_for_function("() => window.__lensStats.firstMarkAt !== null", timeout=5_000)
        assert [r for r in rings(page) if near(r, (GLINT_AT[0] / WIDTH, GLINT_AT[1] / HEIGHT))]
