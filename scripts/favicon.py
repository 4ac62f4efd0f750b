"""Render the site's icon, static/icons/favicon.svg, to the PNG and ICO files browsers ask for.

    .venv/bin/python scripts/favicon.py

The SVG is the source (hand-written, 64 × 64): modern browsers use it directly. Older ones, iOS
home screens and ``/favicon.ico`` need bitmaps, drawn here by the same Chromium the browser tests
use (so the PNGs look exactly like the SVG) and scaled with Pillow. Commit the results.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parents[1] / "src" / "fagkonferanse" / "static" / "icons"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PNG_SIZES = {"favicon-32.png": 32, "apple-touch-icon.png": 180}
ICO_SIZES = [(16, 16), (32, 32), (48, 48)]


def render(svg: str, size: int = 512) -> Image.Image:
    """The SVG drawn at ``size`` × ``size`` pixels on a transparent background."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": size, "height": size})
        page.set_content(f'<html><body style="margin:0;background:transparent">'
                         f'<div style="width:{size}px;height:{size}px">{svg}</div></body></html>')
        png = page.locator("svg").screenshot(omit_background=True)
        browser.close()
    return Image.open(io.BytesIO(png)).convert("RGBA")


def main() -> None:
    large = render((ICONS / "favicon.svg").read_text(encoding="utf-8").replace("<svg ", '<svg width="100%" height="100%" ', 1))
    for name, size in PNG_SIZES.items():
        large.resize((size, size), Image.LANCZOS).save(ICONS / name, optimize=True)
    large.save(ICONS / "favicon.ico", sizes=ICO_SIZES)
    print("wrote", ", ".join([*PNG_SIZES, "favicon.ico"]), "to", ICONS)


if __name__ == "__main__":
    main()
