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


@pytest.fixture
def plugin_app(instance):
    app = make_app(instance, PLUGIN_FOLDERS=[str(TESTS)])
    yield app
    with app.app_context():
        db.engine.dispose()


def registered(app) -> set[str]:
    pm = app.extensions["fagkonferanse.plugins"]
    return {pm.get_name(plugin) for plugin in pm.get_plugins()}


def test_local_plugin_folder_is_loaded(plugin_app):
    assert any(name.endswith(".throwaway_plugin") for name in registered(plugin_app))


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
    app = make_app(tmp_path, PLUGIN_FOLDERS=[str(TESTS)])
    pm = app.extensions["fagkonferanse.plugins"]
    plugin = next(p for p in pm.get_plugins() if pm.get_name(p).endswith(".throwaway_plugin"))
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

    logo = TESTS / "throwaway_plugin" / "print-assets" / "logo.svg"
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

    logo = TESTS / "throwaway_plugin" / "print-assets" / "logo.svg"
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
