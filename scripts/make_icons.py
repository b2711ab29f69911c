"""Render the app icons from their SVG sources to the PNGs the manifest lists.

    .venv/bin/python scripts/make_icons.py

Run after editing static/icons/icon.svg or icon-maskable.svg; the PNGs are
committed so serving the app needs no image tools. Uses Debian's Chromium.
"""

from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
OUTPUTS = [("icon.svg", "icon-192.png", 192), ("icon.svg", "icon-512.png", 512),
           ("icon-maskable.svg", "icon-maskable-512.png", 512),
           ("icon-maskable.svg", "apple-touch-icon.png", 180)]
# Kept by every language's precache (app/offline/views.py): its few hundred colours,
# nearly all antialiasing at the edges, in a 256-colour palette (2.8 KB, not 6.4 KB;
# no pixel off by more than 30 of 255, none of them visible at its size).
PALETTE = {"icon-192.png"}

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox", "--disable-gpu"])
    for source, target, size in OUTPUTS:
        page = browser.new_page(viewport={"width": size, "height": size})
        svg = (ICONS / source).read_text().replace("<svg ", f"<svg width={size} height={size} ", 1)
        page.set_content(f'<body style="margin:0">{svg}</body>')
        page.screenshot(path=ICONS / target, omit_background=True)
        if target in PALETTE:
            with Image.open(ICONS / target) as image:
                paletted = image.convert("RGBA").quantize(256, Image.Quantize.FASTOCTREE,
                                                          dither=Image.Dither.NONE)
            paletted.save(ICONS / target, optimize=True)
        page.close()
        print(f"wrote {target}")
    browser.close()
