"""The lens finder's test videos, drawn with Pillow: a dim textured room swept by a
shaking hand, with sensor noise and dust, and the scene's lights (see
tests/lens/test_lens_browser.py for the scenes). Written as Y4M files Chromium's fake
camera plays in a loop; for the lens tests and bench/lens.py.
"""

import io
import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

WIDTH, HEIGHT, FPS, FRAMES = 320, 240, 15, 30
SWEEP = 12                      # px the hand moves the picture either way
GLINT_AT = (224, 84)            # in the picture (`glint`) or in the room (`glint_in_room`)


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
