"""Uploaded SVGs: drawing stays, everything that runs or reaches out goes (attacks one by one)."""

from __future__ import annotations

import re

import pytest

from fagkonferanse.uploads.svg import SvgRefused, sanitise_svg

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50">'


def clean(body: str, head: str = HEAD) -> str:
    return sanitise_svg((head + body + "</svg>").encode()).data.decode()


def assert_harmless(svg: str) -> None:
    """Nothing that runs, nothing that loads from elsewhere (namespace names are not addresses)."""
    lowered = re.sub(r'xmlns(:\w+)?="[^"]*"', "", svg.lower())
    for sign in ("<script", "javascript:", "onload", "onclick", "onerror", "onmouseover", "foreignobject",
                 "<iframe", "@import", "http:", "https:", "file:", "<animate", "<set", "data:text", "data:image/svg"):
        assert sign not in lowered, sign
    assert not re.search(r"\son\w+=", lowered)


ATTACKS = {
    "script": "<script>alert(document.cookie)</script>",
    "script in a namespace": '<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script>',
    "CDATA script": "<script><![CDATA[alert(1)]]></script>",
    "event handler": '<rect width="10" height="10" onclick="alert(1)" onmouseover="alert(2)"/>',
    "handler on the root": "",  # see test below, on <svg onload>
    "javascript link": '<a href="javascript:alert(1)"><text>klikk</text></a>',
    "xlink javascript link": '<a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a>',
    "external use": '<use href="https://evil.example/sprite.svg#x"/>',
    "external image": '<image href="http://evil.example/track.png" width="10" height="10"/>',
    "svg inside an image": '<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" width="5" height="5"/>',
    "html in foreignObject": '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/></foreignObject>',
    "xhtml element": '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
    "animate to javascript": '<a><animate attributeName="href" to="javascript:alert(1)"/><text>x</text></a>',
    "set to javascript": '<set attributeName="onmouseover" to="alert(1)"/>',
    "css import": "<style>@import url(https://evil.example/x.css); rect { fill: red }</style>",
    "css url": "<style>rect { fill: red; background: url(https://evil.example/t.png) }</style>",
    "css escaped url": "<style>rect { background: u\\72l(https://evil.example/t.png) }</style>",
    "css font face": "<style>@font-face { font-family: x; src: url(https://evil.example/f.woff) }</style>",
    "style attribute url": '<rect width="5" height="5" style="fill:red;background-image:url(https://evil.example/t)"/>',
    "presentation attribute url": '<rect width="5" height="5" fill="url(https://evil.example/p.svg#g)"/>',
    "filter image": '<filter id="f"><feImage href="https://evil.example/x.png"/></filter>',
    "css expression": '<rect width="5" height="5" style="width: expression(alert(1))"/>',
    "behaviour binding": '<rect width="5" height="5" style="behavior: url(x.htc); -moz-binding: url(x.xml#y)"/>',
}


@pytest.mark.parametrize("name", [name for name in ATTACKS if ATTACKS[name]])
def test_an_attack_is_taken_out(name):
    assert_harmless(clean(ATTACKS[name]))


def test_a_handler_on_the_svg_element_itself_goes():
    svg = clean("<rect width='5' height='5'/>", head=HEAD.replace("<svg ", '<svg onload="alert(1)" '))
    assert_harmless(svg)
    assert "<rect" in svg


def test_drawing_survives_the_cleaning():
    svg = clean(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
        '<style>.wall { stroke: #333; stroke-width: 2 } .room > rect { fill: url(#g) }</style>'
        '<g class="room" transform="translate(5 5)"><rect class="wall" width="40" height="20" fill="url(#g)"/>'
        '<text x="4" y="14" font-size="8">H-113</text></g><use xlink:href="#g"/>'
        '<a href="https://hiof.no"><circle cx="80" cy="25" r="10" style="fill: rgb(10, 20, 30)"/></a>')
    for kept in ('<linearGradient id="g">', 'stop-color="#fff"', ".wall{stroke:#333;stroke-width:2}", 'fill="url(#g)"',
                 '<text x="4" y="14" font-size="8">H-113</text>', 'transform="translate(5 5)"', 'href="#g"',
                 'style="fill:rgb(10, 20, 30)"', '<circle cx="80"'):
        assert kept in svg, kept
    assert "hiof.no" not in svg  # a link became a plain group
    assert ".room &gt; rect{fill:url(#g)}" in svg  # a child selector, escaped for XML as it must be


def test_a_raster_image_inside_may_stay():
    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    assert f'href="{pixel}"' in clean(f'<image href="{pixel}" width="5" height="5"/>')


def test_comments_processing_instructions_and_the_doctype_are_not_written_back():
    raw = ('<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/x.css"?>'
           '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
           + HEAD + '<!-- <script>alert(1)</script> --><rect width="5" height="5"/></svg>')
    svg = sanitise_svg(raw.encode()).data.decode()
    assert_harmless(svg)
    assert "DOCTYPE" not in svg and "<!--" not in svg and "<rect" in svg


@pytest.mark.parametrize("raw", [
    # The billion laughs: entities that expand to gigabytes.
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' + HEAD + "<text>&c;</text></svg>",
    # An external entity: reads a file of the server into the picture.
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + HEAD + "<text>&x;</text></svg>",
    # A parameter entity reaching out.
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % p SYSTEM "https://evil.example/x.dtd"> %p;]>' + HEAD + "</svg>",
])
def test_entity_declarations_are_refused(raw):
    with pytest.raises(SvgRefused) as refused:
        sanitise_svg(raw.encode())
    assert refused.value.reason == "entities"


@pytest.mark.parametrize("raw, reason", [
    (b"<html><script>alert(1)</script></html>", "not svg"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><rect/>", "xml"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><rect width='5' height='5'/></svg>", "no size"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 0 0'></svg>", "no size"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>" + b" " * (3 * 1024 * 1024) + b"</svg>", "size"),
])
def test_what_is_not_a_drawing_is_refused(raw, reason):
    with pytest.raises(SvgRefused) as refused:
        sanitise_svg(raw)
    assert refused.value.reason == reason


@pytest.mark.parametrize("attributes, size", [
    ('viewBox="0 0 800 400"', (800, 400)),
    ('width="200mm" height="100mm"', (756, 378)),
    ('width="400" viewBox="0 0 800 200"', (400, 100)),
])
def test_the_drawings_size_comes_from_width_height_or_viewbox(attributes, size):
    raw = f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}><rect width="1" height="1"/></svg>'
    assert (sanitise_svg(raw.encode()).width, sanitise_svg(raw.encode()).height) == size
