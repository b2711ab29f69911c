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

import json
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.browser import CHROMIUM, CHROMIUM_FLAGS, PHONE, WATCH_CSP, wait_for_worker
from support.lens_video import FPS, GLINT_AT, HEIGHT, WIDTH, write_video

pytestmark = pytest.mark.e2e

COUNT_NONE = "No place marked right now. That does not mean there is no camera."
MARK_LABEL = "Look closer here"
REFUSED = "The camera is not available, so use the method below"


# -- The videos (support/lens_video.py) ------------------------------------------

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


def test_infrared_mode_shows_when_it_is_on_and_when_it_is_off(server, browser, videos, output_dir):
    # Issue 26: with the front camera the screen faces the room, so the mode must be
    # unmistakable: the button pressed (and saying so), a status line a screen reader
    # announces, and a frame round the view; turned off, all of it goes back.
    with camera_phone(browser, videos["room"]) as page:
        page.goto(f"{server.url}/en/lens")
        root, button = page.locator("[data-lens]"), page.locator("[data-lens-ir]")
        status = page.locator("[data-lens-ir-status]")
        frame = "() => getComputedStyle(document.querySelector('[data-lens-view]'), '::after')" \
                ".borderTopStyle"
        assert button.get_attribute("aria-pressed") == "false"
        assert button.inner_text() == "Infrared mode (front camera)"
        assert status.get_attribute("role") == "status"  # in the page before it speaks
        assert status.is_hidden() and status.inner_text() == ""

        button.click()
        page.locator("[data-lens-view]").wait_for(state="visible", timeout=5_000)
        assert button.get_attribute("aria-pressed") == "true"
        assert button.inner_text() == "Infrared mode on (front camera)"
        assert status.is_visible()
        assert status.inner_text().startswith("Infrared mode: on.")
        assert root.get_attribute("data-infrared") is not None
        assert page.evaluate(frame) == "dashed"
        page.screenshot(path=output_dir / "issue18" / "infrared-on.png")

        button.click()
        page.wait_for_function("() => !document.querySelector('[data-lens]')"
                               ".hasAttribute('data-infrared')", timeout=5_000)
        assert button.get_attribute("aria-pressed") == "false"
        assert button.inner_text() == "Infrared mode (front camera)"
        assert status.is_hidden() and status.inner_text() == ""
        assert page.evaluate(frame) == "none"
        # The back camera, at once: the view comes back, now red.
        page.locator("[data-lens-view]").wait_for(state="visible", timeout=5_000)
