"""Plugins are discovered from all three sources, and every hook a plugin implements is honoured."""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

import pytest

from fagkonferanse import create_app
from fagkonferanse.extensions import db
from fagkonferanse.plugins import PluginError

from .conftest import make_app
from .pdftools import pdf_pages

TESTS = Path(__file__).parent
LOCAL_PLUGINS = TESTS / "local_plugins"


@pytest.fixture
def plugin_app(instance):
    app = make_app(instance, PLUGIN_FOLDERS=[str(LOCAL_PLUGINS)])
    yield app
    with app.app_context():
        db.engine.dispose()


def registered(app) -> set[str]:
    pm = app.extensions["fagkonferanse.plugins"]
    return {pm.get_name(plugin) for plugin in pm.get_plugins()}


def test_local_plugin_folder_is_loaded(plugin_app):
    assert any(name == "throwaway_plugin" for name in registered(plugin_app))


def test_core_domains_are_plugins_too(app):
    assert {"fagkonferanse.events.hooks", "fagkonferanse.programme.hooks",
            "fagkonferanse.stands.hooks"} <= registered(app)


def test_blueprint_template_and_navigation_hooks(plugin_app):
    client = plugin_app.test_client()
    page = client.get("/throwaway").get_data(as_text=True)
    assert "<h1>Kastet</h1>" in page
    assert '<a href="/throwaway">Kastelenke</a>' in client.get("/").get_data(as_text=True)


def test_stand_page_sections_hook(plugin_app):
    page = plugin_app.test_client().get("/stands/husbanken").get_data(as_text=True)
    assert "Seksjon fra testplugin" in page
    assert "<p>Stand husbanken</p>" in page


def test_export_format_hook_serves_a_url(plugin_app):
    response = plugin_app.test_client().get("/programme.throwaway.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "Kunnskap om praksisutvikling innen levekår og mangfold\n"


def test_printable_document_hook_and_print_command(plugin_app, tmp_path):
    output = tmp_path / "out.pdf"
    result = plugin_app.test_cli_runner().invoke(args=["print", "throwaway", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == b"%PDF-1.4 levekar-og-mangfold-2016"
    unknown = plugin_app.test_cli_runner().invoke(args=["print", "nothing", "-o", str(output)])
    assert unknown.exit_code != 0
    assert "available: " in unknown.output and "throwaway" in unknown.output


def test_register_commands_hook(plugin_app):
    result = plugin_app.test_cli_runner().invoke(args=["throwaway-hello"])
    assert result.output == "hello from throwaway\n"


def test_conference_loaded_hook_runs_during_init(tmp_path):
    app = make_app(tmp_path, PLUGIN_FOLDERS=[str(LOCAL_PLUGINS)])
    pm = app.extensions["fagkonferanse.plugins"]
    plugin = next(p for p in pm.get_plugins() if pm.get_name(p) == "throwaway_plugin")
    plugin.CALLS.clear()
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert plugin.CALLS == [("conference_loaded", ("levekar-og-mangfold-2016", "2016"))]
    with app.app_context():
        db.engine.dispose()


def test_installed_plugin_is_found_through_its_entry_point(tmp_path, monkeypatch, instance):
    """A package installed with an entry point in the group "fagkonferanse" is loaded."""
    site = tmp_path / "site"
    dist_info = site / "fk_entry_demo-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: fk-entry-demo\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text("[fagkonferanse]\nentry_demo = fk_entry_demo\n")
    (site / "fk_entry_demo.py").write_text(textwrap.dedent("""
        from fagkonferanse import hookimpl
        from fagkonferanse.plugin_types import NavLink

        @hookimpl
        def navigation_links(area, request):
            return [NavLink("Fra installert pakke", "/", order=98)]
    """))
    monkeypatch.syspath_prepend(str(site))
    app = make_app(instance)
    assert "entry_demo" in registered(app)
    assert "Fra installert pakke" in app.test_client().get("/programme").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_a_misspelt_hook_fails_loudly(tmp_path, instance):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "misspelt.py").write_text(
        "from fagkonferanse import hookimpl\n\n@hookimpl\ndef navigaton_links(area, request):\n    return []\n"
    )
    with pytest.raises(Exception, match="navigaton_links"):
        make_app(instance, PLUGIN_FOLDERS=[str(folder)])


def test_a_broken_plugin_names_itself(tmp_path, instance):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "broken.py").write_text("import no_such_module_anywhere\n")
    with pytest.raises(PluginError, match="plugin 'broken'"):
        make_app(instance, PLUGIN_FOLDERS=[str(folder)])


def test_a_missing_plugin_folder_is_an_error(tmp_path, instance):
    with pytest.raises(PluginError, match="does not exist"):
        create_app({"TESTING": True, "PLUGIN_FOLDERS": [str(tmp_path / "nope")]}, instance_path=instance)


def darkest_pixel(pdf: bytes, tmp_path: Path) -> int:
    """How dark the darkest spot on page 1 is (0 black … 255 white): was the black logo drawn?"""
    tmp_path.mkdir(exist_ok=True)
    with pdf_pages(pdf, tmp_path, dpi=50)[0] as page:
        return page.convert("L").getextrema()[0]


def test_print_asset_folders_hook_lets_a_plugin_print_its_own_logo(plugin_app, tmp_path, caplog):
    from fagkonferanse.pdf import html_to_pdf

    logo = LOCAL_PLUGINS / "throwaway_plugin" / "print-assets" / "logo.svg"
    copied = tmp_path / "logo.svg"
    copied.write_bytes(logo.read_bytes())
    page = '<img src="{}" style="width: 40mm; height: 40mm">'
    with plugin_app.app_context(), caplog.at_level(logging.WARNING, logger="weasyprint"):
        own = html_to_pdf(page.format(logo.as_uri()))
        outside = html_to_pdf(page.format(copied.as_uri()))
    assert darkest_pixel(own, tmp_path / "own") == 0
    assert darkest_pixel(outside, tmp_path / "outside") == 255
    assert f"refused to read {copied}: not one of the project's assets" in caplog.text


def test_without_the_plugin_its_logo_is_refused(app, tmp_path):
    from fagkonferanse.pdf import html_to_pdf

    logo = LOCAL_PLUGINS / "throwaway_plugin" / "print-assets" / "logo.svg"
    with app.app_context():
        pdf = html_to_pdf(f'<img src="{logo.as_uri()}" style="width: 40mm; height: 40mm">')
    assert darkest_pixel(pdf, tmp_path) == 255


def test_every_hook_is_listed_in_the_readme_plugin_guide():
    from fagkonferanse import hookspecs

    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    hooks = [name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "fagkonferanse_spec")]
    assert "print_asset_folders" in hooks
    assert [hook for hook in hooks if f"`{hook}(" not in readme] == []


def test_door_scripts_hook_adds_a_script_to_the_door_page(plugin_app):
    from .conftest import log_in

    with plugin_app.app_context():
        from fagkonferanse.accounts.services import create_organiser

        create_organiser("dora@example.no", "dora-passord-2016", "Dora")
        db.session.commit()
    client = plugin_app.test_client()
    log_in(client, "dora@example.no", "dora-passord-2016")
    page = client.get("/admin/checkin").get_data(as_text=True)
    assert '<script src="/throwaway/door.js" defer></script>' in page
    assert page.count("/throwaway/door.js") == 1


# --- The contract: every core hook, plugin-declared hooks, requirements, switching off ---------


def test_the_throwaway_plugin_implements_every_hook_of_the_core(plugin_app):
    from fagkonferanse import hookspecs

    pm = plugin_app.extensions["fagkonferanse.plugins"]
    core_hooks = {name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "fagkonferanse_spec")}
    implemented = {impl.name for impl in pm.get_hookcallers(pm.get_plugin("throwaway_plugin"))}
    assert core_hooks - implemented == set()


def test_a_plugin_declares_a_hook_and_another_answers_it(plugin_app):
    assert plugin_app.test_client().get("/throwaway/answers").get_data(as_text=True) == "svar om stands"


def test_the_hook_of_a_missing_plugin_does_not_stop_one_that_answers_it_optionally(tmp_path, instance):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "answers_nobody.py").write_text(
        "from fagkonferanse import hookimpl\n\n@hookimpl(optionalhook=True)\ndef throwaway_question(topic):\n"
        "    return 'ingen spør'\n")
    app = make_app(instance, PLUGIN_FOLDERS=[str(folder)])
    assert "answers_nobody" in registered(app)


def test_a_plugin_that_needs_a_missing_plugin_stops_start_up(tmp_path, instance):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "needy.py").write_text('requires_plugins = ["kaffe"]\n')
    with pytest.raises(PluginError) as error:
        make_app(instance, PLUGIN_FOLDERS=[str(folder)])
    assert str(error.value) == "plugin 'needy' needs the plugin 'kaffe', which is not installed"


def test_dashboard_items_and_ticket_page_sections(plugin_app):
    from .conftest import log_in, ORGANISER_EMAIL, ORGANISER_PASSWORD
    from fagkonferanse.accounts.services import create_organiser
    from fagkonferanse.events.services import current_event
    from fagkonferanse.registration import services

    with plugin_app.app_context():
        create_organiser(ORGANISER_EMAIL, ORGANISER_PASSWORD, "Ola")
        outcome = services.register(current_event(), {"name": "Kari Nordmann", "email": "kari@example.no"})
        secret = outcome.registration.manage_secret
        db.session.commit()
    client = plugin_app.test_client()
    ticket = client.get(f"/ticket/{secret}").get_data(as_text=True)
    assert "Fra testpluginen</h2>" in ticket
    assert "<p>Status: confirmed</p>" in ticket
    assert client.get(f"/ticket/{secret}/data.json").get_json()["throwaway"] == {"seen": True}
    log_in(client)
    assert "Kastetall" in client.get("/admin/").get_data(as_text=True)


def test_a_plugin_owned_kind_of_mail_goes_through_the_outbox(plugin_app):
    from fagkonferanse import mail_committed, queue_mail
    from fagkonferanse.events.services import current_event
    from fagkonferanse.registration import services

    from .registration.conftest import outbox

    with plugin_app.app_context():
        registration = services.register(current_event(), {"name": "Kari Nordmann", "email": "kari@example.no"},
                                         notify=False).registration
        queue_mail(registration, "throwaway-hello")
        db.session.commit()
        mail_committed()
        with pytest.raises(ValueError, match="unknown mail kind 'throwaway-nope'"):
            queue_mail(registration, "throwaway-nope")
    [message] = outbox(plugin_app)
    assert message["Subject"] == "Hei Kari Nordmann"
    assert message["To"] == "Kari Nordmann <kari@example.no>"
    body = message.get_content()
    assert body.startswith("God dag, Kari Nordmann!\n\nKunnskap om praksisutvikling innen levekår og mangfold: http")
    assert "/ticket/" in body


def test_after_registration_and_after_checkin_are_called(plugin_app):
    from fagkonferanse.checkin.services import check_in
    from fagkonferanse.events.services import current_event
    from fagkonferanse.registration import services

    pm = plugin_app.extensions["fagkonferanse.plugins"]
    calls = pm.get_plugin("throwaway_plugin").CALLS
    calls.clear()
    with plugin_app.app_context():
        registration = services.register(current_event(), {"name": "Kari Nordmann", "email": "kari@example.no"},
                                         notify=False).registration
        check_in(registration, None)
        db.session.commit()
        assert calls == [("after_registration", "kari@example.no"), ("after_checkin", registration.id)]


def plugin_listing(app) -> list[str]:
    result = app.test_cli_runner().invoke(args=["plugins"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_disabled_plugins_switches_a_built_in_off_with_its_pages_and_documents(instance):
    app = make_app(instance, DISABLED_PLUGINS=["posters", "ical"])
    assert "posters" not in registered(app)
    lines = plugin_listing(app)
    assert "posters  [disabled]" in lines and "ical  [disabled]" in lines
    assert "booklet  [built-in]  needs catalogue" in lines
    client = app.test_client()
    assert client.get("/programme.ics").status_code == 404
    assert "programme.ics" not in client.get("/programme").get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["print", "posters", "-o", str(instance / "p.pdf")])
    assert result.exit_code == 1
    assert "no printable document called 'posters'; available: " in result.output
    assert "booklet" in result.output
    with app.app_context():
        db.engine.dispose()


def test_switching_off_a_plugin_another_needs_stops_start_up_with_a_message(instance):
    with pytest.raises(PluginError) as error:
        make_app(instance, DISABLED_PLUGINS=["catalogue"])
    assert str(error.value) == ("plugin 'booklet' needs the plugin 'catalogue', which is disabled "
                                "(disabled_plugins in config.toml)")
    app = make_app(instance, DISABLED_PLUGINS=["catalogue", "booklet"])
    assert app.test_client().get("/catalogue").status_code == 404
    assert app.test_client().get("/stands/husbanken").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_a_misspelt_disabled_plugin_is_an_error(instance):
    with pytest.raises(PluginError, match=r"disabled_plugins names postres, which is not installed \(installed: api, "):
        make_app(instance, DISABLED_PLUGINS=["postres"])
    with pytest.raises(PluginError, match="fagkonferanse.events.hooks is part of the core and cannot be disabled"):
        make_app(instance, DISABLED_PLUGINS=["fagkonferanse.events.hooks"])


def test_a_database_upgrades_with_a_plugin_switched_off(instance):
    """The catalogue's tables and revisions stay: Alembic must still find them to upgrade the rest."""
    from fagkonferanse import database

    app = make_app(instance, DISABLED_PLUGINS=["catalogue", "booklet"])
    with app.app_context():
        database.upgrade()
        assert database.is_initialised()
        db.engine.dispose()


def test_a_plugins_catalogue_translates_its_texts_but_not_the_cores(tmp_path, instance):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    folder = tmp_path / "plugins"
    messages = folder / "translations" / "en" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    catalog = Catalog(locale="en")
    catalog.add("Hilsen fra pluginen", "Greetings from the plugin")
    catalog.add("Program", "Plugin's programme")  # the core's text: the core's translation stays
    with (messages / "messages.mo").open("wb") as stream:
        write_mo(stream, catalog)
    (folder / "greeter.py").write_text(textwrap.dedent("""
        from pathlib import Path
        from flask_babel import gettext as _
        from fagkonferanse import NavLink, hookimpl

        @hookimpl
        def translation_folders():
            return [str(Path(__file__).parent / "translations")]

        @hookimpl
        def navigation_links(area, request):
            return [NavLink(_("Hilsen fra pluginen"), "/", order=98)] if area == "public" else None
    """))
    app = make_app(instance, PLUGIN_FOLDERS=[str(folder)])
    client = app.test_client()
    client.set_cookie("lang", "en")
    page = client.get("/stands").get_data(as_text=True)
    assert "Greetings from the plugin" in page
    assert ">Programme</a>" in page
    assert "Plugin's programme" not in page
    with app.app_context():
        db.engine.dispose()
