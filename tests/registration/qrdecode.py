"""Decode the QR code the ticket page draws, with a real decoder.

The page's inline SVG is rasterised here (its path is one rectangle per run of dark modules) and handed to
jsQR — the very decoder the door's camera scanner falls back to — running in Node.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

JSQR = Path(__file__).resolve().parents[2] / "src" / "fagkonferanse" / "static" / "vendor" / "jsqr" / "jsQR.js"
SCALE = 8

_NODE_SCRIPT = """
const jsQR = require(process.argv[1]);
let chunks = [];
process.stdin.on('data', c => chunks.push(c));
process.stdin.on('end', () => {
  const {width, height, pixels} = JSON.parse(Buffer.concat(chunks).toString());
  const data = new Uint8ClampedArray(Buffer.from(pixels, 'base64'));
  const found = jsQR(data, width, height);
  process.stdout.write(JSON.stringify(found ? found.data : null));
});
"""


def svg_modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """The SVG's size in modules and the dark modules (from the ``M x y h n v1 h-n z`` runs)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    dark = set()
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)", path):
        dark.update((int(x) + step, int(y)) for step in range(int(length)))
    return size, dark


def decode_svg(svg: str) -> str | None:
    import base64

    size, dark = svg_modules(svg)
    width = height = size * SCALE
    pixels = bytearray([255]) * (width * height * 4)
    for x, y in dark:
        for row in range(y * SCALE, (y + 1) * SCALE):
            start = (row * width + x * SCALE) * 4
            for offset in range(start, start + SCALE * 4, 4):
                pixels[offset:offset + 3] = b"\x00\x00\x00"
    node = shutil.which("node")
    assert node, "node is needed to run jsQR"
    payload = json.dumps({"width": width, "height": height, "pixels": base64.b64encode(bytes(pixels)).decode()})
    result = subprocess.run([node, "-e", _NODE_SCRIPT, str(JSQR)], input=payload, capture_output=True, text=True,
                            timeout=60, check=True)
    return json.loads(result.stdout)
