"""Content in two languages (``fagkonferanse.content``): which text a reader gets, and how it is marked.

The helper is called directly here; the pages, editors, exports and PDFs that use it have their
own tests beside theirs.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import render_template_string

from fagkonferanse.content import lang_attribute, localized, norwegian


def item(**fields):
    return SimpleNamespace(**{"title": "Velkommen", "title_en": "", **fields})


def test_an_english_page_gets_the_english_version_in_english():
    text = localized(item(title_en="Welcome"), "title", "en")
    assert (text.text, text.language, text.foreign) == ("Welcome", "en", False)
    assert text.__html__() == "Welcome"


def test_without_an_english_version_an_english_page_gets_the_norwegian_marked_nb():
    text = localized(item(), "title", "en")
    assert (text.text, text.language, text.foreign) == ("Velkommen", "nb", True)
    assert text.__html__() == '<span lang="nb">Velkommen</span>'
    assert text.lang_attr == ' lang="nb"'


def test_a_norwegian_page_never_gets_the_english_version():
    text = localized(item(title_en="Welcome"), "title", "nb")
    assert (text.text, text.language) == ("Velkommen", "nb")
    assert text.__html__() == "Velkommen"
    assert text.lang_attr == ""


def test_an_english_version_of_only_spaces_counts_as_none():
    assert localized(item(title_en="  \n"), "title", "en").text == "Velkommen"


def test_a_field_with_no_english_column_is_norwegian():
    organisation = SimpleNamespace(name="Moss kommune")
    text = localized(organisation, "name", "en")
    assert (text.text, text.language) == ("Moss kommune", "nb")


def test_the_text_is_escaped_inside_the_mark():
    text = localized(item(title="<b>Tull</b> & tøys"), "title", "en")
    assert text.__html__() == '<span lang="nb">&lt;b&gt;Tull&lt;/b&gt; &amp; tøys</span>'


def test_empty_content_prints_nothing_not_an_empty_span():
    text = localized(item(description="", description_en=""), "description", "en")
    assert not text
    assert text.__html__() == ""


def test_norwegian_only_content_and_containers():
    assert norwegian("Husbanken", "en").__html__() == '<span lang="nb">Husbanken</span>'
    assert norwegian("Husbanken", "nb").__html__() == "Husbanken"
    assert lang_attribute("nb", "en") == ' lang="nb"'
    assert lang_attribute("nb", "nb") == ""


def test_without_a_request_the_language_is_norwegian(app):
    with app.app_context():
        assert localized(item(title_en="Welcome"), "title").text == "Velkommen"


def test_the_visitors_language_cookie_chooses(app):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert localized(item(title_en="Welcome"), "title").text == "Welcome"
        assert localized(item(), "title").__html__() == '<span lang="nb">Velkommen</span>'
    with app.test_request_context(headers={"Cookie": "lang=nb"}):
        assert localized(item(title_en="Welcome"), "title").text == "Velkommen"


def test_templates_print_it_with_filters(app):
    source = ('<h1>{{ a|localized("title") }}</h1><h2>{{ b|localized("title") }}</h2>'
              '<title>{{ (b|localized("title")).text }}</title>'
              '<p{{ lang_attr("nb") }}>x</p><p>{{ "Moss kommune"|norwegian }}</p>')
    a, b = item(title_en="Welcome"), item(title="Lunsj")
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert render_template_string(source, a=a, b=b) == (
            '<h1>Welcome</h1><h2><span lang="nb">Lunsj</span></h2><title>Lunsj</title>'
            '<p lang="nb">x</p><p><span lang="nb">Moss kommune</span></p>')
    with app.test_request_context():
        assert render_template_string(source, a=a, b=b) == (
            "<h1>Velkommen</h1><h2>Lunsj</h2><title>Lunsj</title><p>x</p><p>Moss kommune</p>")
