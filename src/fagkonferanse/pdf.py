"""Rendering PDFs with WeasyPrint: one helper for every print plugin.

Templates are ordinary Jinja templates with print CSS (``@page``, sizes in mm). WeasyPrint may
read only the project's own assets — fonts, images and stylesheets in the package's and the
plugins' ``static`` folders — and ``data:`` URIs; every network URL and every other file is
refused, as Indico does, so a name like ``<img src="http://…">`` typed into a form can neither
leak a request nor read the disk.
"""

from __future__ import annotations

from pathlib import Path
from urllib.request import url2pathname

from flask import render_template
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .resources import PACKAGE_DIR, builtin_plugins_dir

STATIC_DIR = PACKAGE_DIR / "static"


class AssetOnlyFetcher(URLFetcher):
    """A URL fetcher that serves files under ``roots`` and ``data:`` URIs, nothing else."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers=None):
        if url.startswith("file:"):
            path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"refused to read {path}: not one of the project's assets")
        elif not url.startswith("data:"):
            raise ValueError(f"refused to fetch {url}: documents may not use the network")
        return super().fetch(url, headers)


def asset_roots() -> list[Path]:
    """The folders print templates may read from."""
    return [STATIC_DIR, builtin_plugins_dir()]


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` (asset URLs relative to the package's static folder) as PDF bytes."""
    document = HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=AssetOnlyFetcher(asset_roots()))
    return document.write_pdf(font_config=FontConfiguration())


def render_pdf(template: str, **context) -> bytes:
    """Render a Jinja print template and lay it out as PDF bytes (needs an app context)."""
    return html_to_pdf(render_template(template, **context))
