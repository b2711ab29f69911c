"""A phone's photo over slow 3G: how long from Send to the receipt on screen?

    .venv/bin/python bench/upload.py [--runs 3] [--new-only]

Starts the app as the browser tests do (gunicorn, a fresh instance folder), opens
the report form in Debian's Chromium at phone size, then throttles the network
with Chromium's emulation (Network.emulateNetworkConditions: 400 kbit/s up and
down, 400 ms latency: slow 3G), fills the form with a 12 MP, 4 MB phone JPEG
(tests/support/phone_photo.py) and times Send -> the receipt code on screen,
in the page itself.

Two paths, their runs alternating so both meet the same machine load:
 - "old": shrink-worker.js is blocked, so shrink.js sends the photo as it is,
   as the code before issue 27 did;
 - "new": the photo shrinks on the phone (static/js/shrink.js).
Each run is a fresh browser context: nothing cached, no service worker (she
would have one; blocked here, so its first-visit downloads share no bandwidth).

Prints each run, then min / median / max per path and the load average.
Target (issue 27): new median <= 15 s, and the photo sent <= 600 KB. Exits 1 if
either is missed.
"""

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.browser import CHROMIUM, CHROMIUM_FLAGS, PHONE, SEND, fill, running_server
from tests.support.phone_photo import phone_jpeg
from tests.support.servers import free_port

SLOW_3G = {"offline": False, "latency": 400,
           "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
TARGET_MS = 15_000
BUDGET_BYTES = 600 * 1024

# Before the page's own scripts: when Send is pressed, when the receipt code
# appears, and the size of the photo htmx sends (read after shrink.js put its
# copy in: window listeners run after the document's).
WATCH_SEND = """
window.__sendAt = null; window.__receiptAt = null; window.__photoBytes = null;
document.addEventListener("click", (event) => {
  const send = event.target.closest && event.target.closest("[type=submit]");
  if (send) window.__sendAt = performance.now();
}, true);
window.addEventListener("htmx:configRequest", (event) => {
  const photo = event.detail.formData.get("photo");
  window.__photoBytes = photo ? photo.size : null;
});
new MutationObserver(() => {
  if (window.__receiptAt === null && document.getElementById("receipt-code")) {
    window.__receiptAt = performance.now();
  }
}).observe(document, { childList: true, subtree: true });
"""


def one_run(browser, url: str, photo: bytes, shrink: bool, number: int) -> dict:
    context = browser.new_context(**PHONE, service_workers="block")
    context.add_init_script(WATCH_SEND)
    if not shrink:
        context.route("**/shrink-worker.js*", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{url}/en/report", wait_until="load")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    fill(page, "en", f"upload bench {'new' if shrink else 'old'} {number}")
    page.locator("#photo").set_input_files({"name": "IMG_0427.JPG", "mimeType": "image/jpeg",
                                            "buffer": photo})
    page.get_by_role("button", name=SEND["en"]).click()
    page.wait_for_function("() => window.__receiptAt !== null", timeout=300_000, polling=100)
    figures = page.evaluate("() => ({ms: window.__receiptAt - window.__sendAt, "
                            "bytes: window.__photoBytes})")
    context.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--new-only", action="store_true",
                        help="skip the old path (about 90 s a run)")
    args = parser.parse_args()
    paths = {"new": True} if args.new_only else {"old": False, "new": True}
    photo = phone_jpeg(orientation=6)
    print(f"photo: 4000 x 3000 JPEG, {len(photo):,} bytes; slow 3G: 400 kbit/s, 400 ms")
    results: dict[str, list[dict]] = {name: [] for name in paths}
    with tempfile.TemporaryDirectory() as tmp, \
            running_server(Path(tmp) / "instance", free_port(), Path(tmp) / "log") as server, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for number in range(1, args.runs + 1):
            for name, shrink in paths.items():
                run = one_run(browser, server.url, photo, shrink, number)
                results[name].append(run)
                print(f"  run {number} {name}: Send -> receipt {run['ms'] / 1000:5.1f} s, "
                      f"photo sent {run['bytes']:,} bytes, "
                      f"load average {os.getloadavg()[0]:.2f}", flush=True)
        browser.close()

    print(f"\nover {args.runs} runs (min / median / max), "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}:")
    for name, runs in results.items():
        seconds = [r["ms"] / 1000 for r in runs]
        sizes = sorted({r["bytes"] for r in runs})
        print(f"  {name}: Send -> receipt {min(seconds):.1f} / {statistics.median(seconds):.1f} / "
              f"{max(seconds):.1f} s; photo sent {', '.join(f'{b:,}' for b in sizes)} bytes")
    new = results["new"]
    ok = (statistics.median(r["ms"] for r in new) <= TARGET_MS
          and max(r["bytes"] for r in new) <= BUDGET_BYTES)
    print(f"  target: new <= {TARGET_MS / 1000:.0f} s and <= {BUDGET_BYTES // 1024} KB: "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
