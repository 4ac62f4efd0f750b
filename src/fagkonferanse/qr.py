"""QR codes for screens and for print, from one place.

Screens get inline SVG (crisp at any zoom). Print gets a 1-bit PNG with one pixel per module,
drawn by WeasyPrint with ``image-rendering: pixelated``: as exact as a vector path, and far
cheaper to lay out than a long SVG path (see the badge benchmark). Both keep the 4-module quiet
zone that scanners need.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import png
from markupsafe import Markup

QUIET_ZONE = 4


def qr_matrix(data: str) -> list[list[bool]]:
    """The code's modules, quiet zone included (True is dark)."""
    import qrcode  # here, not at the top: ~20 ms that every command would pay at start-up
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(data: str, label: str = "") -> Markup:
    """An inline SVG of the code: one path of run-length rectangles, crisp edges.

    ``label`` becomes the accessible name (say what the code is for, never personal data).
    """
    matrix = qr_matrix(data)
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    accessible = f'role="img" aria-label="{Markup.escape(label)}"' if label else 'aria-hidden="true"'
    return Markup(
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" {accessible}>'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def qr_png(data: str) -> bytes:
    """A 1-bit greyscale PNG, one pixel per module, quiet zone included."""
    matrix = qr_matrix(data)
    rows = [[0 if dark else 1 for dark in row] for row in matrix]
    buffer = io.BytesIO()
    png.Writer(len(rows), len(rows), greyscale=True, bitdepth=1).write(buffer, rows)
    return buffer.getvalue()


@lru_cache(maxsize=4096)
def qr_png_data_uri(data: str) -> str:
    """The PNG as a ``data:`` URI, for print templates (no file, no fetch)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")
