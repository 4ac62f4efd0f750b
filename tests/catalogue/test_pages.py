"""Public pages: the catalogue, one sheet, recipes, the Veiviser page, and the stand pages."""

from __future__ import annotations

import re

import pytest

from fagkonferanse.extensions import db

from .conftest import sheet

HEADINGS = ["Kort beskrivelse av kommunen", "Kort beskrivelse av prosjektet", "Ønskede mål og resultater",
            "Prosjektets status og fremgang", "Faglig robusthet", "Suksesskriterier – prøving og feiling",
            "Samhandling med relevante aktører", "Overførbarhet", "Unikhet", "Kontaktinformasjon"]


def get(client, path):
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def main(body: str) -> str:
    return re.search(r"<main.*?</main>", body, re.S).group(0)


@pytest.mark.parametrize("path, text", [
    ("/catalogue", "Alle prosjekter"),
    ("/catalogue/jobbsjansen-i-moss", "Jobbsjansen i Moss"),
    ("/catalogue/klar-kunnskap-laering-arbeidsinkludering", "KLAR – Kunnskap læring arbeidsinkludering"),
    ("/catalogue/oppskrift/oppskrift-halden-en-dor-inn", "Vurdering av overførbarhet"),
    ("/catalogue/side/veiviser-bolig-for-velferd", "Alt på ett sted"),
    ("/catalogue/funding", "Tilskuddsordninger"),
    ("/catalogue/funding/kommunale-utviklingsmidler-kum", "Jobbintro"),
    ("/stands/moss-kommune", "Prosjekter på standen"),
    ("/stands/husbanken", "Veiviser Bolig for velferd"),
])
def test_every_page_answers_with_its_content(client, path, text):
    status, body = get(client, path)
    assert status == 200, path
    assert text in main(body)
    assert main(body).count("<h1") == 1


@pytest.mark.parametrize("path", ["/catalogue/finnes-ikke", "/catalogue/oppskrift/finnes-ikke",
                                  "/catalogue/side/finnes-ikke", "/catalogue/edit/finnes-ikke"])
def test_unknown_pages_are_404(client, path):
    assert client.get(path).status_code == 404


def test_public_navigation_links_the_catalogue(client):
    body = get(client, "/")[1]
    assert '<a href="/catalogue">Prosjektkatalog</a>' in body


def test_the_catalogue_lists_every_sheet_recipe_and_page(client):
    body = main(get(client, "/catalogue")[1])
    assert body.count('class="card sheet-card"') == 19
    assert "19 prosjekter" in body
    for text in ("Oppskrifter", "/catalogue/oppskrift/oppskrift-sarpsborg-jobbsjansen",
                 "/catalogue/side/veiviser-bolig-for-velferd", "Husbanken"):
        assert text in body
    for label in ("Søk i alle prosjektark", "Kommune eller eier", "Tilskuddsordning", "Tilskuddsgiver", "Målgruppe"):
        assert f">{label}</label>" in body


def test_a_sheet_shows_its_sections_in_template_order_with_their_headings(client):
    body = main(get(client, "/catalogue/sarpsborg-jobbsjansen")[1])
    positions = [body.index(f">{heading}</h2>") for heading in HEADINGS]
    assert positions == sorted(positions)  # "robusthet" was printed after "kontakt" in the booklet
    assert "Sarpsborg kommune" in body and 'href="/catalogue/funding/jobbsjansen">Jobbsjansen</a>' in body
    assert 'href="/stands/sarpsborg-kommune"' in body
    assert 'href="/catalogue/oppskrift/oppskrift-sarpsborg-jobbsjansen"' in body
    assert "Flere prosjekter fra Sarpsborg kommune" in body


def test_lists_stay_lists_with_sub_lists(client):
    body = main(get(client, "/catalogue/jobbsjansen-i-moss")[1])
    section = body.split('id="kommune"')[1].split("</section>")[0]
    assert re.search(r"<li>Andre prosjekter i kommunen:<ul>\s*<li>KUM – Kommunale Utviklingsmidler</li>", section)
    numbered = main(get(client, "/catalogue/halden-raskere-bosetting-2016")[1])
    assert '<ul class="numbered">' in numbered and "1. Redusert arbeidsledighet" in numbered


def test_contacts_are_mailto_and_tel_links(client):
    body = main(get(client, "/catalogue/moss-housing-first")[1])
    contact = body.split('id="kontakt"')[1]
    assert '<a href="mailto:Aud.kruse.gundersen@moss.kommune.no" class="contact-email">' in contact
    assert '<a href="tel:+4797705813" class="contact-phone">977 05 813</a>' in contact
    other = main(get(client, "/catalogue/jobbsjansen-i-moss")[1])
    assert "mailto:" not in other.split('id="kontakt"')[0]  # only the contact section gets links


def test_an_address_with_norwegian_letters_is_linked_whole_as_printed(client):
    """The booklet prints "Bjørn.tore.utne@…": the link covered only "rn.tore.utne@…" (RFC 6531)."""
    contact = main(get(client, "/catalogue/moss-housing-first")[1]).split('id="kontakt"')[1]
    assert ('Housing First <a href="mailto:Bj%C3%B8rn.tore.utne@moss.kommune.no" class="contact-email">'
            'Bjørn.tore.utne@moss.kommune.no</a>') in contact
    assert "mailto:rn.tore.utne" not in contact
    assert '<a href="tel:+4796096244" class="contact-phone">960 96 244</a>' in contact


def test_the_exhibitor_link_form_offers_the_whole_address(admin_client):
    from ..conftest import post_form

    links = "/admin/catalogue/moss-housing-first/links"
    form = admin_client.get(links).get_data(as_text=True)
    assert 'value="Aud.kruse.gundersen@moss.kommune.no, Bjørn.tore.utne@moss.kommune.no"' in form
    made = post_form(admin_client, links, {"recipient": "Bjørn.tore.utne@moss.kommune.no", "days": "14"})
    assert 'href="mailto:Bj%C3%B8rn.tore.utne@moss.kommune.no?subject=' in made.get_data(as_text=True)


def test_a_recipe_links_back_to_its_project(client):
    body = main(get(client, "/catalogue/oppskrift/oppskrift-jobbsjansen-i-moss")[1])
    assert 'href="/catalogue/jobbsjansen-i-moss">Jobbsjansen i Moss</a>' in body
    headings = ("Beskrivelse", "Premisser", "Styrker", "Vurdering av overførbarhet")
    positions = [body.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)


def test_sheet_text_is_shown_as_text_never_as_html(app, client):
    with app.app_context():
        found = sheet("jobbsjansen-i-moss")
        found.project_name = "<script>alert(1)</script>"
        found.sections = {**found.sections, "unikhet": [{"type": "paragraph", "text": "<b>fet</b> & «sitat»"}]}
        db.session.commit()
    body = get(client, "/catalogue/jobbsjansen-i-moss")[1]
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;b&gt;fet&lt;/b&gt; &amp; «sitat»" in body
    assert "&lt;script&gt;" in get(client, "/stands/moss-kommune")[1]


def test_stand_pages_list_their_projects_with_funding_and_links(client):
    moss = main(get(client, "/stands/moss-kommune")[1])
    projects = moss.split("Prosjekter på standen")[1]
    assert projects.count("<h3>") == 3
    for slug in ("jobbsjansen-i-moss", "moss-housing-first", "moss-bedre-norskopplaering-for-spor-1-elever-mal-og"):
        assert f'href="/catalogue/{slug}"' in projects
    assert "(IMDi)" in projects and "Oppskrift:" in projects
    sarpsborg = main(get(client, "/stands/sarpsborg-kommune")[1])
    assert sarpsborg.split("Prosjekter på standen")[1].count("<h3>") == 9
    husbanken = main(get(client, "/stands/husbanken")[1])
    assert "Prosjekter på standen" not in husbanken
    assert "Veiviser Bolig for velferd" in husbanken and 'href="https://www.veiviseren.no"' in husbanken


def test_a_hidden_sheet_disappears_from_every_public_page(app, client):
    with app.app_context():
        sheet("jobbsjansen-i-moss").status = "hidden"
        db.session.commit()
    assert client.get("/catalogue/jobbsjansen-i-moss").status_code == 404
    assert client.get("/catalogue/oppskrift/oppskrift-jobbsjansen-i-moss").status_code == 404
    assert "Jobbsjansen i Moss" not in get(client, "/catalogue")[1]
    assert "Jobbsjansen i Moss" not in get(client, "/stands/moss-kommune")[1]
    assert "Jobbsjansen i Moss" not in get(client, "/catalogue/funding")[1]
