"""Reading PDFs the way a person would: rasterised pages, decoded QR codes, extracted text.

Uses poppler-utils (pdftoppm, pdftotext), installed by the project's setup, and zxing-cpp.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import zxingcpp
from PIL import Image


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_pages(pdf: bytes, tmp_path: Path, dpi: int = 150, first: int = 1, last: int | None = None) -> list[Image.Image]:
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    prefix = tmp_path / "page"
    command = ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(first)]
    if last:
        command += ["-l", str(last)]
    subprocess.run([*command, str(source), str(prefix)], check=True, capture_output=True)
    return [Image.open(path) for path in sorted(tmp_path.glob("page*.png"))]


def decode_qr_codes(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


def page_count(pdf: bytes, tmp_path: Path) -> int:
    source = tmp_path / "count.pdf"
    source.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
