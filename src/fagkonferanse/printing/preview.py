"""A picture of a PDF's first page, for the print centre's preview."""

from __future__ import annotations

import io


def first_page_png(pdf: bytes, width_px: int = 800) -> bytes:
    """Rasterise page 1 of ``pdf`` to a PNG about ``width_px`` wide."""
    import pypdfium2  # here, not at the top: every command would pay for loading pdfium

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = width_px / page.get_width()
        image = page.render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()
