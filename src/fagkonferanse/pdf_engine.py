"""WeasyPrint itself, loaded on the first PDF (:func:`fagkonferanse.pdf.html_to_pdf`): the
fetcher that lets a document read the project's assets only, and the fonts kept per thread."""

from __future__ import annotations

import mimetypes
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .pdf import STATIC_DIR, asset_path


def write_pdf(html: str, roots: Iterable[Path]) -> bytes:
    document = HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=AssetOnlyFetcher(roots))
    return document.write_pdf(font_config=font_config())


class AssetOnlyFetcher(URLFetcher):
    """A URL fetcher that serves files under ``roots`` and ``data:`` URIs, nothing else."""

    def __init__(self, roots: Iterable[Path]):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.roots = tuple(Path(root).resolve() for root in roots)

    def fetch(self, url: str, headers=None):
        if urlsplit(url).scheme.lower() == "data":
            return super().fetch(url, headers)
        path = asset_path(url, self.roots)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


class _KeptFontConfiguration(FontConfiguration):
    """A font configuration kept for the life of a process and thread (see :func:`font_config`).

    A forked child inherits the object, not the ownership of its folder of font files: only the
    process that made it removes that folder.
    """

    def __init__(self):
        super().__init__()
        self.pid = os.getpid()

    def __del__(self):
        if os.getpid() == self.pid:
            super().__del__()


_kept = threading.local()


def font_config() -> FontConfiguration:
    """This thread's font configuration, made once per process and thread.

    Every print template loads the same ``@font-face`` fonts; a fresh configuration per document
    read and registered them again each time — a third of a one-badge PDF (31 ms → 21 ms
    measured). WeasyPrint reuses a configuration's fonts by their descriptors; Pango's font map
    is not shared between threads (the job worker's threads, or a request's, may lay out at once), hence
    one per thread, and a forked worker makes its own.
    """
    kept = getattr(_kept, "config", None)
    if kept is None or kept.pid != os.getpid():
        kept = _kept.config = _KeptFontConfiguration()
    return kept


