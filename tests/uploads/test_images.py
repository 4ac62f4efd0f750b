"""Uploaded images: PNG and JPEG re-encoded (no metadata, no smuggled bytes), other files refused,
and served from an address that can be cached for a year — an SVG with a policy that runs nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from fagkonferanse.extensions import db
from fagkonferanse.uploads.images import ImageRefused, clean_image, image_url, store_image


def png(size=(40, 20), text: dict | None = None, mode="RGB") -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (30, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Kameramerke"  # Make
    exif[0x8825] = {1: "N", 2: (59.0, 26.0, 0.0)}  # GPSInfo: where the photo was taken
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_png_keeps_its_pixels_and_loses_its_text_chunks():
    kind, data, width, height = clean_image(png(text={"Comment": "hemmelig notat"}))
    assert (kind, width, height) == ("image/png", 40, 20)
    assert b"hemmelig" not in data and Image.open(io.BytesIO(data)).size == (40, 20)


def test_a_jpeg_loses_its_exif_and_the_place_it_was_taken():
    raw = jpeg_with_gps()
    assert b"Kameramerke" in raw
    kind, data, width, height = clean_image(raw)
    assert (kind, width, height) == ("image/jpeg", 30, 30)
    assert b"Kameramerke" not in data and b"Exif" not in data


def test_bytes_hidden_after_the_picture_are_dropped():
    polyglot = png() + b"<html><script>alert(1)</script></html>"
    assert b"<script>" not in clean_image(polyglot)[1]


@pytest.mark.parametrize("raw, message", [
    (b"", "Filen er tom."),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "Filen er ikke et PNG-, JPEG- eller SVG-bilde."),
    (b"%PDF-1.7 not an image", "Filen er ikke et PNG-, JPEG- eller SVG-bilde."),
    (b"\x89PNG\r\n\x1a\n broken", "Bildet kan ikke leses: filen er skadet eller ikke et bilde."),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>", "Filen er ikke en gyldig SVG-tegning."),
    (b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), "Bildet er større enn 5 MB. Lagre det mindre og prøv igjen."),
])
def test_what_is_not_an_image_is_refused_with_a_reason(app, raw, message):
    with app.test_request_context(), pytest.raises(ImageRefused) as refused:
        clean_image(raw)
    assert str(refused.value) == message


def test_a_small_file_that_unpacks_to_a_huge_picture_is_refused(app):
    bomb = png(size=(8000, 6000), mode="1")  # 48 million pixels in a few kilobytes
    assert len(bomb) < 100_000
    with app.test_request_context(), pytest.raises(ImageRefused) as refused:
        clean_image(bomb)
    assert str(refused.value) == "Bildet har for mange piksler (8000 × 6000). Lagre det mindre."


def test_an_image_is_served_for_a_year_at_an_address_with_its_digest(app, client):
    with app.test_request_context():
        image = store_image(png())
        db.session.commit()
        address, digest = image_url(image), image.digest
    assert address == f"/images/{image.id}-{digest[:16]}.png"
    response = client.get(address)
    assert response.status_code == 200 and response.content_type == "image/png"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    for wrong in (f"/images/{image.id}-{'0' * 16}.png", f"/images/{image.id}-{digest[:16]}.svg",
                  f"/images/{image.id}-{digest[:8]}.png", f"/images/9999-{digest[:16]}.png"):
        assert client.get(wrong).status_code == 404, wrong


def test_an_svg_is_served_with_a_policy_that_runs_nothing(app, client):
    with app.test_request_context():
        image = store_image(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
                            b'<script>alert(2)</script><rect width="10" height="10"/></svg>')
        db.session.commit()
        address = image_url(image)
    response = client.get(address)
    assert response.content_type == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
    body = response.get_data(as_text=True)
    assert "alert" not in body and "<rect" in body
