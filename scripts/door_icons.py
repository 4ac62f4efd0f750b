"""Draw the door app's icons (static/door-icon-192.png, door-icon-512.png): a white tick in a
white ring on the site's blue, inside the middle 60 % so that a phone may crop it to any shape
("maskable"). Run from the repository: python scripts/door_icons.py"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parents[1] / "src" / "fagkonferanse" / "static"
ACCENT = (11, 92, 140)
WHITE = (255, 255, 255)


def icon(size: int) -> Image.Image:
    scale = 4  # drawn large and scaled down: smooth edges without anti-aliasing primitives
    big = size * scale
    image = Image.new("RGB", (big, big), ACCENT)
    draw = ImageDraw.Draw(image)
    ring = big * 0.30
    centre = big / 2
    draw.ellipse([centre - ring, centre - ring, centre + ring, centre + ring], outline=WHITE, width=round(big * 0.045))
    tick = [(centre - ring * 0.48, centre + ring * 0.02), (centre - ring * 0.12, centre + ring * 0.38),
            (centre + ring * 0.52, centre - ring * 0.34)]
    draw.line(tick, fill=WHITE, width=round(big * 0.06), joint="curve")
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    for size in (192, 512):
        icon(size).save(STATIC / f"door-icon-{size}.png", optimize=True)
        print(STATIC / f"door-icon-{size}.png")
