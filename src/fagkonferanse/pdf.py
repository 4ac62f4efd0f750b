"""Rendering PDFs with WeasyPrint: one helper for every print plugin.

Templates are ordinary Jinja templates with print CSS (``@page``, sizes in mm). WeasyPrint may
read only the project's own assets — files in the core's ``static`` folder and in the folders
plugins name through the ``print_asset_folders`` hook — and ``data:`` URIs; every network URL
and every other file is refused, as Indico does, so a name like ``<img src="http://…">`` typed
into a form can neither leak a request nor read the disk.

The fetcher reads asset files itself instead of handing ``file:`` URLs to urllib: urllib drops
a ``#fragment`` or ``?query`` that a path check would have kept as part of the file name, so
``file:///etc/passwd#/../../static/style.css`` looked like an asset and opened ``/etc/passwd``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import has_app_context, render_template

from .resources import PACKAGE_DIR

STATIC_DIR = PACKAGE_DIR / "static"


class AssetRefused(ValueError):
    """A document asked for a file or URL it may not read; the message says which and why."""


def asset_path(url: str, roots: Iterable[Path]) -> Path:
    """The file a ``file:`` URL names, resolved, if it lies inside one of ``roots``.

    Refuses a host (``file://server/…`` is a network share), a query or a fragment (urllib would
    drop them, so the file opened would not be the one checked), a relative path, and anything
    that resolves — symbolic links followed — outside every root or to something not a file.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise AssetRefused(f"refused to fetch {url}: documents may not use the network")
    if parts.netloc or "?" in url or "#" in url:
        raise AssetRefused(f"refused to read {url}: a file URL with a host, query or fragment is not an asset")
    path = Path(url2pathname(parts.path))
    if not path.is_absolute():
        raise AssetRefused(f"refused to read {url}: not an absolute path")
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root) for root in roots) or not resolved.is_file():
        raise AssetRefused(f"refused to read {resolved}: not one of the project's assets")
    return resolved


def asset_roots() -> list[Path]:
    """The folders print templates may read from: the core's static folder, always, and every
    folder a plugin names through ``print_asset_folders`` (needs an app context for those)."""
    roots = [STATIC_DIR]
    if has_app_context():
        from .app import plugin_manager

        for folders in plugin_manager().hook.print_asset_folders():
            roots.extend(Path(folder) for folder in folders or ())
    return roots


def html_to_pdf(html: str, roots: Iterable[Path] | None = None) -> bytes:
    """Lay out ``html`` (asset URLs relative to the package's static folder) as PDF bytes.

    ``roots`` are the folders it may read; by default :func:`asset_roots`. A worker process
    without the application is given the roots its parent computed. WeasyPrint is imported here,
    on the first PDF, not when the application starts: a command that prints nothing does not
    pay the third of a second it takes to load.
    """
    from . import pdf_engine

    return pdf_engine.write_pdf(html, asset_roots() if roots is None else roots)


def render_pdf(template: str, **context) -> bytes:
    """Render a Jinja print template and lay it out as PDF bytes (needs an app context)."""
    return html_to_pdf(render_template(template, **context))
