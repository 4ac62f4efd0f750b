"""The plain-text form of sections that the edit forms use, and the contact links."""

from __future__ import annotations

import random

import pytest

from .conftest import plugin


def tf():
    return plugin().textformat


def test_every_section_of_the_2016_catalogue_round_trips(app):
    parsed = plugin().dataset.read_2016()
    sections = [blocks for unit in [*parsed.sheets, *parsed.recipes] for blocks in unit.sections.values()]
    sections += [blocks for page in parsed.pages for blocks in [*page.sections.values(), page.footer]]
    assert len(sections) > 150
    for blocks in sections:
        assert tf().text_to_blocks(tf().blocks_to_text(blocks)) == blocks


def _random_items(rng, depth):
    items = []
    for _ in range(rng.randint(1, 3)):
        children = _random_items(rng, depth + 1) if depth < 3 and rng.random() < 0.4 else []
        items.append({"text": _random_text(rng), "children": children})
    return items


def _random_text(rng):
    words = ["bolig", "- strek", "\\skråstrek", "Ærlig", "ø", "1.", "tlf: 12345678", "«sitat»", "-", "x"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 6))).strip()


def test_random_blocks_round_trip(app):
    rng = random.Random(2016)
    for _ in range(300):
        blocks = []
        for _ in range(rng.randint(0, 5)):
            if rng.random() < 0.5:
                blocks.append({"type": "paragraph", "text": _random_text(rng)})
            else:
                blocks.append({"type": "list", "items": _random_items(rng, 0)})
        assert tf().text_to_blocks(tf().blocks_to_text(blocks)) == blocks


def test_the_documented_format(app):
    text = ("Første avsnitt\nfortsetter her.\n\n- Punkt en\n  - Underpunkt\n    som fortsetter\n- Punkt to\n\n"
            "\\- Et avsnitt som starter med strek\n\n- Ny liste")
    assert tf().text_to_blocks(text) == [
        {"type": "paragraph", "text": "Første avsnitt fortsetter her."},
        {"type": "list", "items": [
            {"text": "Punkt en", "children": [{"text": "Underpunkt som fortsetter", "children": []}]},
            {"text": "Punkt to", "children": []}]},
        {"type": "paragraph", "text": "- Et avsnitt som starter med strek"},
        {"type": "list", "items": [{"text": "Ny liste", "children": []}]},
    ]
    assert tf().blocks_to_text([{"type": "paragraph", "text": "- strek"}]) == "\\- strek"


def test_sloppy_input_is_tidied(app):
    text = "\r\n\r\n  Avsnitt   med   luft  \r\n\r\n-\n-   \n\t- tab-innrykk\n      - for dypt innrykk\n- siste"
    assert tf().text_to_blocks(text) == [
        {"type": "paragraph", "text": "Avsnitt med luft"},
        {"type": "list", "items": [
            {"text": "tab-innrykk", "children": [{"text": "for dypt innrykk", "children": []}]},
            {"text": "siste", "children": []}]},
    ]
    assert tf().text_to_blocks("") == [] and tf().text_to_blocks("\n \n") == []


def test_what_cannot_be_stored_names_its_line(app):
    too_deep = "\n".join(f"{'  ' * level}- nivå {level}" for level in range(7))
    with pytest.raises(tf().TextFormatError, match="line 6"):
        tf().text_to_blocks(too_deep)
    with pytest.raises(tf().TextFormatError, match="line 2: control characters"):
        tf().text_to_blocks("ok\nbad \x07 bell")


@pytest.mark.parametrize("text, links", [
    ("Odd.gunnar.andreassen@nav.no mob. 91604523",
     [("mailto:Odd.gunnar.andreassen@nav.no", "Odd.gunnar.andreassen@nav.no"), ("tel:+4791604523", "91604523")]),
    ("Telefon 977 05 813", [("tel:+4797705813", "977 05 813")]),
    ("Prosjektansatt: Mai-Britt, 907 27 435, mai-britt.johannessen@nav.no",
     [("tel:+4790727435", "907 27 435"), ("mailto:mai-britt.johannessen@nav.no", "mai-britt.johannessen@nav.no")]),
    ("tlf.55553333 og +47 918 00 000", [("tel:+4755553333", "55553333"), ("tel:+4791800000", "+47 918 00 000")]),
    # Misprints in the booklet (7 and 9 digits) and a cut-off address stay plain text.
    ("tlf: 4796012, telefon: 915422627, erna.haug@hiof.", []),
    ("I arbeid pr. 09.10.16: 144", []),
    # RFC 6531: letters beyond ASCII belong to the address, which is linked whole or not at all.
    ("Bjørn Tore Utne - booppfølger Housing First Bjørn.tore.utne@moss.kommune.no",
     [("mailto:Bj%C3%B8rn.tore.utne@moss.kommune.no", "Bjørn.tore.utne@moss.kommune.no")]),
    ("(post@bærum.kommune.no), kåre@nav.no.", [("mailto:post@b%C3%A6rum.kommune.no", "post@bærum.kommune.no"),
                                                ("mailto:k%C3%A5re@nav.no", "kåre@nav.no")]),
    ("skriv til åse@nav.no2 eller ØYVIND@NAV.NO;", [("mailto:%C3%98YVIND@NAV.NO", "ØYVIND@NAV.NO")]),
])
def test_contact_links(app, text, links):
    segments = plugin().contacts.contact_segments(text)
    assert "".join(segment.text for segment in segments) == text
    assert [(s.href, s.text) for s in segments if s.href] == links
