"""Stand posters: a QR code that opens the stand's page and counts a visit, where the stand is in
words, its projects, A3 and A4, and a warning (and a refusal) while BASE_URL is localhost."""

from __future__ import annotations

import subprocess

import pytest

from fagkonferanse.checkin.models import StandVisit
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.printing import PrintOptionError, base_url_is_local, render_document
from fagkonferanse.venue.models import Location

from .conftest import (PUBLIC_BASE, page_size_mm, page_texts, print_cli, print_in_the_print_centre, qr_codes_per_page,
                       words_with_boxes)

STANDS = ["sarpsborg-kommune", "halden-kommune", "husbanken", "moss-kommune", "fredrikstad-kommune"]


def render(app, preview: bool = False, **options) -> bytes:
    with app.app_context():
        return render_document("posters", current_event(), options, preview=preview)


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_each_posters_code_opens_its_stand_page_and_counts_a_visit(public_app, tmp_path):
    pdf = render(public_app, size="a4")
    pages = qr_codes_per_page(pdf, tmp_path / "pages", dpi=100)
    assert pages == [[f"{PUBLIC_BASE}/stands/{slug}?from=poster"] for slug in STANDS]
    client = public_app.test_client()
    for [url] in pages:
        path = url.removeprefix(PUBLIC_BASE)
        response = client.get(path)
        assert response.status_code == 303
        slug = path.split("/")[2].split("?")[0]
        assert response.headers["Location"] == f"/stands/{slug}?fra=plakat"
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Du er her:" in page and page.count(">Du er her</text>") == 1
        with public_app.app_context():
            from fagkonferanse.stands.services import stand_by_slug

            assert stand_by_slug(current_event(), slug).organisation.name in page
    with public_app.app_context():
        visited = [visit.stand.slug for visit in db.session.scalars(db.select(StandVisit).order_by(StandVisit.id))]
    assert visited == STANDS


def test_a_poster_says_who_where_and_what_with_the_short_address(public_app, tmp_path):
    texts = [one_line(text) for text in page_texts(render(public_app, size="a4"), tmp_path)]
    def poster_of(slug: str) -> str:
        return next(text for text in texts if f"konferanse.example.no/stands/{slug}" in text)

    moss = poster_of("moss-kommune")
    assert "Her er vi: 2. etg, trappegangen" in moss
    assert "Jobbsjansen i Moss – Jobbsjansen (IMDi)" in moss and "Housing First" in moss
    assert "konferanse.example.no/stands/moss-kommune" in moss and "?from=poster" not in moss
    husbanken = poster_of("husbanken")
    assert "1. etg, rom H-113" in husbanken and "Veiviser Bolig for velferd – www.veiviseren.no" in husbanken
    sarpsborg = poster_of("sarpsborg-kommune")
    assert "1. etg, gangen utenfor H-113" in sarpsborg
    assert sarpsborg.count("■") == 9  # nine projects, all on one page


@pytest.mark.parametrize("size, millimetres", [("a3", (297.0, 420.0)), ("a4", (210.0, 297.0))])
def test_posters_come_in_a3_and_a4_one_page_per_stand(public_app, tmp_path, size, millimetres):
    pdf = render(public_app, size=size)
    assert page_size_mm(pdf, tmp_path) == millimetres
    assert len(page_texts(pdf, tmp_path)) == len(STANDS)


def test_one_stand_only(public_app, tmp_path):
    result, output = print_cli(public_app, tmp_path, "posters", "stand=halden-kommune")
    assert result.exit_code == 0, result.output
    [text] = page_texts(output.read_bytes(), tmp_path)
    assert "Halden kommune" in text and "Moss kommune" not in text
    unknown, _ = print_cli(public_app, tmp_path, "posters", "stand=finnes-ikke", name="x.pdf")
    assert unknown.exit_code == 1 and "stand='finnes-ikke' is not offered" in unknown.output


def test_a_long_organisation_name_shrinks_to_fit(public_app, tmp_path):
    with public_app.app_context():
        from fagkonferanse.stands.services import stand_by_slug

        stand = stand_by_slug(current_event(), "halden-kommune")
        stand.organisation.name = "Interkommunalt samarbeid om kvalifisering, bosetting og integrering i Halden og omegn"
        db.session.commit()
    pdf = render(public_app, size="a4", stand="halden-kommune")
    [text] = page_texts(pdf, tmp_path)
    assert "Interkommunalt samarbeid om kvalifisering, bosetting og integrering i Halden og omegn" in one_line(text)


def test_a_stand_with_very_many_projects_still_fits_one_page(public_app, tmp_path):
    with public_app.app_context():
        from fagkonferanse.stands.services import stand_by_slug
        from fagkonferanse_plugins.catalogue.models import ProjectSheet

        stand = stand_by_slug(current_event(), "moss-kommune")
        for number in range(40):
            db.session.add(ProjectSheet(event_id=stand.event_id, slug=f"ekstra-{number}", stand_id=stand.id,
                                        project_name=f"Ekstra prosjekt nummer {number} med et ganske langt navn",
                                        funding_scheme="Kommunale utviklingsmidler (KUM)", funding_body="IMDi",
                                        position=100 + number))
        db.session.commit()
    pdf = render(public_app, size="a4", stand="moss-kommune")
    [text] = page_texts(pdf, tmp_path)
    assert "Jobbsjansen i Moss" in text and "prosjekter til: se standens side" in text
    assert len(qr_codes_per_page(pdf, tmp_path / "pages", dpi=100)[0]) == 1  # the code is not covered


def test_a_stand_without_location_or_projects_still_gets_a_poster(public_app, tmp_path):
    with public_app.app_context():
        from fagkonferanse.stands.services import stand_by_slug

        stand = stand_by_slug(current_event(), "husbanken")
        stand.location = None
        from fagkonferanse_plugins.catalogue.models import CataloguePage

        for page in db.session.scalars(db.select(CataloguePage)):
            page.stand_id = None
        db.session.commit()
    [text] = page_texts(render(public_app, size="a4", stand="husbanken"), tmp_path)
    assert "Kom innom og snakk med oss." in text and "Her er vi" not in text


def test_localhost_is_warned_about_in_the_print_centre(app, admin_client):
    page = admin_client.get("/admin/print/posters/").get_data(as_text=True)
    assert 'class="flash flash-error print-warning" role="alert"' in page
    assert "http://127.0.0.1:5000" in page and "FAGKONFERANSE_BASE_URL" in page
    assert "Advarsel:" in admin_client.get("/admin/print/").get_data(as_text=True)
    # The preview still works; the download refuses until the organiser says "yes, just to try".
    assert admin_client.get("/admin/print/posters/preview.png").status_code == 200
    refused, nothing = print_in_the_print_centre(admin_client, "posters")
    assert "Utskriften mislyktes." in refused and "Plakatene er ikke skrevet ut" in refused and nothing is None
    allowed, pdf = print_in_the_print_centre(admin_client, "posters", allow_localhost="yes")
    assert "PDF-en er klar." in allowed and pdf.startswith(b"%PDF")


def test_localhost_is_warned_about_on_the_command_line_and_refused_unless_allowed(app, tmp_path):
    output = tmp_path / "plakater.pdf"
    output.write_bytes(b"the posters printed yesterday")
    refused = app.test_cli_runner().invoke(args=["print", "posters", "-o", str(output)])
    assert refused.exit_code == 1
    assert "Warning: Adressen i QR-kodene er http://127.0.0.1:5000" in refused.stderr
    assert "allow_localhost=yes" in refused.output
    assert output.read_bytes() == b"the posters printed yesterday"  # untouched
    allowed = app.test_cli_runner().invoke(args=["print", "posters", "-O", "allow_localhost=yes", "-o", str(output)])
    assert allowed.exit_code == 0 and "Warning:" in allowed.stderr
    assert output.read_bytes().startswith(b"%PDF")


def test_no_warning_with_a_public_address(public_app, tmp_path):
    result, _ = print_cli(public_app, tmp_path, "posters")
    assert result.exit_code == 0 and "Warning" not in result.stderr


@pytest.mark.parametrize("url, local", [
    ("http://127.0.0.1:5000", True), ("http://localhost:8000", True), ("http://[::1]:5000", True),
    ("http://0.0.0.0", True), ("http://app.localhost", True), ("http://127.1.2.3", True),
    ("https://konferanse.example.no", False), ("http://192.168.1.10:5000", False), ("https://localhost.no", False),
])
def test_what_counts_as_a_local_address(url, local):
    assert base_url_is_local(url) is local


def test_where_a_stand_is_in_words(app):
    from fagkonferanse_plugins.posters.location import location_in_words

    with app.test_request_context():
        def words(name, kind, floor):
            return location_in_words(Location(name=name, kind=kind, floor=floor, building="H"))

        assert words("Trappegangen i 2. etasje", "stairway", 2) == "2. etg, trappegangen"
        assert words("H-113", "room", 1) == "1. etg, rom H-113"
        assert words("Gangen ved kaffebaren", "corridor", 1) == "1. etg, gangen ved kaffebaren"
        assert words("Auditoriet", "room", 3) == "3. etg, auditoriet"
        assert location_in_words(None) == ""


def test_nothing_to_print_without_stands(app, tmp_path):
    with app.app_context():
        from fagkonferanse.stands.models import Stand

        for stand in db.session.scalars(db.select(Stand)):
            db.session.delete(stand)
        db.session.commit()
    result, output = print_cli(app, tmp_path, "posters", "allow_localhost=yes")
    assert result.exit_code == 1 and "ingen stands" in result.output and not output.exists()


def test_a_real_print_with_localhost_raises_a_clear_error(app):
    with pytest.raises(PrintOptionError, match="allow_localhost=yes"):
        render(app)


# --- The floor plan, the logo and the colour (issue 15) ----------------------------------------


def you_are_here(words, page: int) -> tuple[float, float]:
    """The middle of the "Du er her" tag on a page, in points from the top left."""
    on_page = [word for word in words if word.page == page]
    found = [(first, last) for first, second, last in zip(on_page, on_page[1:], on_page[2:])
             if (first.text, second.text, last.text) == ("Du", "er", "her")]
    assert len(found) == 1, f"page {page}: {len(found)} tags"
    first, last = found[0]
    return (first.x0 + last.x1) / 2, (first.y0 + last.y1) / 2


def marker_points(app, size: str) -> dict[str, dict[str, tuple[float, float]]]:
    """Where each poster draws every stand marker of its floor, in points on its page."""
    from fagkonferanse_plugins.posters.render import SIZES, poster

    from fagkonferanse.venue.plan import building_plans, plan_of_floor

    scale = SIZES[size][2]
    points = {}
    with app.test_request_context():
        plans = building_plans(current_event())
        from fagkonferanse.stands.services import stands

        for stand in stands(current_event()):
            shown = poster(stand, scale, plans, current_event())
            box, (view_x, view_y, view_width, _h) = shown.plan_box, shown.plan_view
            mm_per_unit = box.width / view_width
            plan = plan_of_floor(plans, stand.location)
            points[stand.slug] = {
                marker.stand.slug: (((box.x + (marker.at[0] - view_x) * mm_per_unit) * scale) * 72 / 25.4,
                                    ((box.y + (marker.at[1] - view_y) * mm_per_unit) * scale) * 72 / 25.4)
                for marker in plan.markers}
    return points


@pytest.mark.parametrize("size", ["a4", "a3"])
def test_at_150_dpi_every_code_decodes_and_du_er_her_points_at_its_own_stand(public_app, tmp_path, size):
    pdf = render(public_app, size=size)
    assert qr_codes_per_page(pdf, tmp_path / "pages", dpi=150) == [
        [f"{PUBLIC_BASE}/stands/{slug}?from=poster"] for slug in STANDS]
    words, _size = words_with_boxes(pdf, tmp_path / "words")
    markers = marker_points(public_app, size)
    scale = 1.0 if size == "a4" else 2 ** 0.5
    for page, slug in enumerate(STANDS, start=1):
        tag = you_are_here(words, page)
        distances = {other: ((tag[0] - x) ** 2 + (tag[1] - y) ** 2) ** 0.5 for other, (x, y) in markers[slug].items()}
        assert min(distances, key=distances.get) == slug, (page, distances)
        assert distances[slug] <= 32 * scale * 72 / 25.4, (page, distances[slug])  # within 32 mm on A4


def test_a_poster_shows_the_logo_and_the_stands_colour_with_readable_text(public_app, tmp_path):
    from PIL import Image

    from fagkonferanse.stands.editing import StandDetails, save_stand
    from fagkonferanse.stands.services import stand_by_slug

    logo = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><script>alert(1)</script>'
            b'<rect width="100" height="100" fill="#1d6b2f"/></svg>')
    with public_app.test_request_context():
        stand = stand_by_slug(current_event(), "husbanken")
        save_stand(current_event(), stand, StandDetails(organisation_id=stand.organisation_id,
                                                        location_id=stand.location_id, accent_colour="#FFD166",
                                                        logo=logo))
        db.session.commit()
        from fagkonferanse_plugins.posters.render import poster
        from fagkonferanse.venue.plan import building_plans

        shown = poster(stand, 1.0, building_plans(current_event()), current_event())
        assert (shown.accent, shown.accent_text, shown.accent_on_white) == ("#ffd166", "#000000", "#1d2330")
    pdf = render(public_app, size="a4", stand="husbanken")
    source = tmp_path / "colour.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(source), str(tmp_path / "colour")], check=True)
    image = Image.open(next(tmp_path.glob("colour*.png"))).convert("RGB")
    per_mm = image.width / 210
    assert image.getpixel((int(5 * per_mm), int(5 * per_mm))) == (255, 209, 102)  # the band
    assert image.getpixel((int(175 * per_mm), int(34 * per_mm))) == (29, 107, 47)  # the logo, in its tile
    [text] = page_texts(pdf, tmp_path)
    assert "Husbanken" in text and "alert" not in text
