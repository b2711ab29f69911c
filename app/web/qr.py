"""QR codes as inline SVG and as PNG, drawn from the code's own module matrix.

One dark run of modules per row becomes one rectangle in a single path, so the
SVG is small, has no ids (a sheet of 24 stickers holds 24 of them) and stays
sharp at any size, on screen, in WeasyPrint and on paper.
"""

import io
from typing import Any, TypeAlias

import qrcode
import qrcode.constants
from markupsafe import Markup, escape
from PIL import Image

# types-qrcode makes QRCode generic in its image class (quoted: only in the stubs);
# we draw from the module matrix and never ask qrcode for an image.
Code: TypeAlias = "qrcode.QRCode[Any]"

QUIET_ZONE = 4  # modules of white around the code, as the standard asks
LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


def make(data: str, level: str = "Q") -> Code:
    """The smallest QR code holding `data` (qrcode picks alphanumeric mode when it can)."""
    code = qrcode.QRCode(error_correction=LEVELS[level], border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code


def svg(code: Code, label: str, css_class: str = "qr") -> Markup:
    """The code, quiet zone included, as an <svg> scaled by CSS."""
    matrix = code.get_matrix()
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return Markup(  # noqa: S704 (numbers we made, and an escaped label)
        f'<svg class="{escape(css_class)}" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="{escape(label)}" shape-rendering="crispEdges" '
        f'xmlns="http://www.w3.org/2000/svg"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{"".join(runs)}" fill="#000"/></svg>'
    )


def png(code: Code, pixels_per_module: int = 20) -> bytes:
    """The code as a black-and-white PNG, quiet zone included."""
    matrix = code.get_matrix()
    image = Image.new("1", (len(matrix), len(matrix)), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    side = len(matrix) * pixels_per_module
    out = io.BytesIO()
    image.resize((side, side), Image.Resampling.NEAREST).save(out, "PNG", optimize=True)
    return out.getvalue()
