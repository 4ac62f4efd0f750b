"""A fuzz pass over every public and organiser form: random text in every field never gives a 500,
and a refused form leaves the database exactly as it was (nothing half-saved).

Hypothesis fills a real form (fetched like a browser, with its CSRF token) with control
characters, huge strings, markup, Cyrillic and CJK, right-to-left marks, odd numbers and odd
dates and times. An accepted form must lead to pages that still render; anything else must have
changed nothing at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagkonferanse.accounts.services import create_organiser
from fagkonferanse.events.models import Organisation
from fagkonferanse.extensions import db

from ..admin.conftest import form_values
from ..conftest import ORGANISER_EMAIL, ORGANISER_PASSWORD, log_in, make_app
from ..databases import drop_database, new_database
from ..registration.conftest import register
from .helpers import changed_tables, database_snapshot
from .test_security import _post_multipart

EXAMPLES = 30

MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}", "{% raw %}", "%(name)s",
          "' OR 1=1 --", "<![CDATA[x]]>", "&amp;&lt;", "javascript:alert(1)", "\\x00\\u0000", "${jndi:ldap://x}"]
NUMBERS = ["-1", "0", "-0", "1e309", "99999999999999999999999", "NaN", "Infinity", "0x1F", "٣", "1,5", " 7 ",
           "1.0", "9" * 400, "-2147483649", "2**64"]
TIMES = ["25:61", "24:00", "10.15.", "9", "2016-02-30", "0000-00-00T00:00", "31.12.9999", "10:15:99", "−10:00",
         "12:00 PM", "T", "2016-11-09T10:15", "10:15+02:00", "99.99"]
SCRIPTS = "абвгдежзийклмнопрстуфхцчшщъыьэюяЖЩЁ漢字東京大学한국어ひらがなカタカナ٠١٢عربي\u202e\u200f"

nasty_text = st.one_of(
    st.text(max_size=300),  # any code point but surrogates: control characters included
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=40),
    st.text(alphabet=SCRIPTS, min_size=1, max_size=300),
    st.sampled_from(MARKUP + NUMBERS + TIMES + ["", " ", "\t\r\n", "\u00a0", "\u200b", "\ufeff"]),
    st.builds(lambda piece, count: piece * count, st.sampled_from(["x", "ø", "漢", "\u202e", "<", "\x00", " "]),
              st.integers(1_000, 200_000)),
)


@dataclass(frozen=True)
class Form:
    name: str
    path: str
    organiser: bool = True
    upload: str | None = None  # the file field's name, for upload forms
    saved_with: tuple[int, ...] = (302, 303)  # the answers that mean "saved"; any other saves nothing
    valid: tuple[tuple[str, str], ...] = ()  # what a person fills in first, so random text can also pass


FORMS = [
    Form("register", "/register", organiser=False,
         valid=(("name", "Fuzzy Fuzzesen"), ("email", "fuzz{n}@example.no"), ("organisation", "Fuzz kommune"),
                ("consent", "y"))),
    Form("ticket edit", "/ticket/{secret}/edit", organiser=False),
    Form("login", "/login", organiser=False, valid=(("email", ORGANISER_EMAIL), ("password", "feil-passord"))),
    Form("programme item (new)", "/admin/programme/new",
         valid=(("title", "Fuzz"), ("kind", "talk"), ("start", "12:40"), ("duration", "5"))),
    Form("programme item (edit)", "/admin/programme/{item}/edit"),
    Form("speaker", "/admin/speakers/new", valid=(("name", "Fuzzy"),)),
    Form("location", "/admin/locations/new", valid=(("name", "Fuzzrommet {n}"), ("floor", "2"))),
    Form("stand", "/admin/stands/new", valid=(("new_organisation", "Fuzz {n} AS"),)),
    Form("catalogue sheet", "/admin/catalogue/halden-en-dor-inn"),
    Form("exhibitor's catalogue sheet", "/catalogue/edit/{exhibitor_token}", organiser=False,
         saved_with=(200,), valid=(("submitted_by", "Fuzzy"),)),  # a thank-you page, not a redirect
    Form("attendee (organiser)", "/admin/attendees/new",
         valid=(("name", "Fuzzy"), ("email", "fuzzed{n}@example.no"), ("organisation", "Fuzz"))),
    Form("registration settings", "/admin/registration/"),
    Form("attendee import", "/admin/attendees/import", upload="file",
         valid=(("file", "navn;e-post;organisasjon\nImportert {n};import{n}@example.no;Fuzz\n"),)),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory, loaded_database):
    """One instance for the whole module: an organiser, a registration, an exhibitor link."""
    instance = tmp_path_factory.mktemp("form-fuzz") / "instance"
    new_database(instance, template=loaded_database)
    app = make_app(instance, RATELIMIT_ENABLED=False)
    with app.app_context():
        create_organiser(ORGANISER_EMAIL, ORGANISER_PASSWORD, "Ola Arrangør")
        db.session.commit()
    organiser = app.test_client()
    assert log_in(organiser).status_code == 302
    visitor = app.test_client()
    ticket = register(visitor, name="Fuzzy Fuzzesen", email="fuzz@example.no")
    links = organiser.get("/admin/catalogue/halden-en-dor-inn/links").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', links).group(1)
    created = organiser.post("/admin/catalogue/halden-en-dor-inn/links", data={"csrf_token": token, "days": "30"})
    link = re.search(r"/catalogue/edit/([A-Za-z0-9_-]+)", created.get_data(as_text=True))
    assert ticket.status_code == 303 and link, created.status_code
    values = {"secret": ticket.headers["Location"].rsplit("/", 1)[1], "item": 5, "exhibitor_token": link.group(1)}
    yield app, organiser, visitor, values
    with app.app_context():
        db.engine.dispose()
    drop_database(instance)


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_random_input_never_gives_a_server_error_or_a_half_saved_change(site, form):
    app, organiser, visitor, values = site
    client = organiser if form.organiser else visitor
    path = form.path.format(**values)
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    fields = sorted({name for name in form_values(page.get_data(as_text=True)) if name != "csrf_token"}
                    | {name for name, _value in form.valid})
    assert fields, path
    count = [0]

    @given(changes=st.dictionaries(st.sampled_from(fields), nasty_text, min_size=1, max_size=len(fields)))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,  # the same cases every run
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    def fill_in(changes):
        data = form_values(client.get(path).get_data(as_text=True))  # a fresh version number each time
        count[0] += 1
        for name, value in form.valid:
            data[name] = [value.format(n=count[0])]
        for name, value in changes.items():
            data[name] = [value]
        before = database_snapshot(app)
        if form.upload:
            content = data.pop(form.upload, [""])[0].encode("utf-8", "surrogatepass")
            response = _post_multipart(client, path, {**{k: v[0] for k, v in data.items()},
                                                      form.upload: (_bytes(content), "fuzz.csv")})
        else:
            response = client.post(path, data=data)
        assert response.status_code < 500, (path, changes, response.status_code)
        if response.status_code in form.saved_with:
            follow = client.get(response.headers.get("Location", path))
            assert follow.status_code < 500, (response.headers.get("Location", path), follow.status_code)
            for public in ("/", "/programme", "/stands", "/speakers", "/catalogue"):
                assert app.test_client().get(public).status_code < 500, public
        else:
            assert changed_tables(before, database_snapshot(app)) == [], (path, changes, response.status_code)

    fill_in()


def test_names_with_norwegian_capitals_are_recognised_the_second_time(admin_client, lookup):
    """Found by the fuzz pass: SQLite's lower() leaves Æ, Ø and Å alone, so a repeated name that
    starts with one slipped past the duplicate check into the unique constraint (a 500)."""
    from ..admin.conftest import submit

    first = submit(admin_client, "/admin/locations/new", {"name": "Øvre sal", "floor": "3"})
    again = submit(admin_client, "/admin/locations/new", {"name": "Øvre sal", "floor": "3"})
    assert first.status_code == 303 and again.status_code == 400
    assert "Det finnes allerede et sted som heter «Øvre sal»" in again.get_data(as_text=True)
    organisations = lookup.count(Organisation)
    for name in ("Ås kommune", "Ås kommune", "ÅS KOMMUNE"):
        assert submit(admin_client, "/admin/stands/new", {"organisation": "", "new_organisation": name}
                      ).status_code == 303
    assert lookup.count(Organisation) == organisations + 1


def test_a_section_of_nothing_but_control_characters_is_a_form_error(admin_client):
    """Found by the fuzz pass: Python counts "\x1f" as whitespace, so the section looked empty to
    the form and reached the text converter unchecked (a 500)."""
    from ..admin.conftest import submit

    response = submit(admin_client, "/admin/catalogue/halden-en-dor-inn", {"section_kommune": "\x1f\x1c"})
    assert response.status_code == 400 and "kontrolltegn" in response.get_data(as_text=True)


@pytest.mark.parametrize("path, field", [("/admin/locations/new", "floor"), ("/admin/registration/", "capacity"),
                                         ("/admin/catalogue/halden-en-dor-inn/links", "days")])
def test_a_number_of_four_hundred_digits_is_a_form_error(admin_client, path, field):
    """Found by the fuzz pass: WTForms' NumberRange turns the number into a float to check for NaN,
    which fails beyond 308 digits (a 500)."""
    from ..admin.conftest import submit

    assert submit(admin_client, path, {field: "9" * 400}).status_code == 400


def _bytes(content: bytes):
    import io

    return io.BytesIO(content)
