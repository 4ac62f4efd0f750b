"""The print centre: finding, configuring and producing the documents plugins register."""

from __future__ import annotations

import ipaddress
import os
import tempfile
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask_babel import force_locale
from flask_babel import gettext as _

from ..app import plugin_manager
from ..content import SOURCE_LANGUAGE
from ..plugin_types import PrintableDocument, PrintOption

# Each language named in itself, as the site's language link does.
DOCUMENT_LANGUAGES = (("nb", "Norsk (bokmål)"), ("en", "English"))


class UnknownDocument(LookupError):
    """No plugin offers a document by that name; the message lists the ones that exist."""


class PrintOptionError(ValueError):
    """An option is unknown or has a value the document does not offer; the message says which."""


class NothingToPrint(ValueError):
    """The selection is empty (no attendees, no stands): the message says what was empty.

    Renderers raise it instead of producing an empty PDF.
    """


def language_option() -> PrintOption:
    """The ``language`` option of documents that print content (``-O language=en``): their fixed
    texts and dates in that language, and content in it where an organiser gave a version in it."""
    return PrintOption("language", _("Språk"), DOCUMENT_LANGUAGES, default=SOURCE_LANGUAGE,
                       help=_("Tekster som bare finnes på norsk, skrives på norsk."))


def in_document_language(options: dict[str, Any]) -> AbstractContextManager:
    """Render a document inside this: the locale of its ``language`` option (Norwegian without one),
    so ``gettext``, the date filters and :func:`fagkonferanse.content.localized` all follow it."""
    return force_locale(options.get("language") or SOURCE_LANGUAGE)


def printable_documents() -> dict[str, PrintableDocument]:
    """Every registered document by name, in the order plugins return them."""
    documents: dict[str, PrintableDocument] = {}
    for group in plugin_manager().hook.printable_documents():
        for document in group or ():
            documents.setdefault(document.name, document)
    return documents


def document_named(name: str) -> PrintableDocument | None:
    """The document called ``name``, or that once was (its ``aliases``); None when none is."""
    documents = printable_documents()
    if name in documents:
        return documents[name]
    return next((document for document in documents.values() if name in document.aliases), None)


def find_document(name: str) -> PrintableDocument:
    document = document_named(name)
    if document is None:
        available = ", ".join(sorted(printable_documents())) or "none"
        raise UnknownDocument(f"no printable document called {name!r}; available: {available}")
    return document


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so a failure never leaves a half-written file behind."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def resolve_options(document: PrintableDocument, given: dict[str, str]) -> dict[str, Any]:
    """Every option of ``document`` with a checked value: the given one or its default."""
    known = {option.name: option for option in document.options}
    unknown = sorted(set(given) - set(known))
    if unknown:
        names = ", ".join(sorted(known)) or "none"
        raise PrintOptionError(f"{document.name} has no option {unknown[0]!r}; its options: {names}")
    resolved: dict[str, Any] = {}
    for name, option in known.items():
        value = given.get(name, option.default)
        allowed = [choice for choice, _label in option.choices]
        if option.multiple:  # "3, 7," → "3,7": each item is checked on its own
            items = [item.strip() for item in value.split(",") if item.strip()]
            value = ",".join(items)
        else:
            items = [value]
        for item in items:
            if allowed and item not in allowed:
                raise PrintOptionError(f"{name}={item!r} is not offered; choose one of: {_listing(allowed)}")
        resolved[name] = value
    return resolved


def _listing(allowed: list[str], limit: int = 20) -> str:
    """The allowed values for a message; a long list (people, say) is cut short."""
    shown = ", ".join(allowed[:limit])
    return shown if len(allowed) <= limit else f"{shown} … ({len(allowed) - limit} more)"


def document_warnings(document: PrintableDocument, event: Any) -> list[str]:
    """What the organiser should know before printing ``document`` (empty when all is well)."""
    return list(document.warnings(event)) if document.warnings else []


def base_url_is_local(url: str) -> bool:
    """True when ``url`` points at this computer (localhost, 127.x, ::1, 0.0.0.0).

    QR codes printed with such an address open nothing on an attendee's phone: documents that
    print addresses warn about it (see ``PrintableDocument.warnings``).
    """
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def render_document(name: str, event: Any, given: dict[str, str], preview: bool = False) -> bytes:
    """The PDF bytes of document ``name`` for ``event``, options checked first."""
    document = find_document(name)
    options = resolve_options(document, given)
    options["preview"] = preview
    return document.render(event, options)


# One line in each print font and a 1-pixel image: what every printed document needs loaded.
WARM_UP_HTML = (
    '<html><head><style>@font-face { font-family: "Print Sans"; src: url("fonts/DejaVuSans.ttf"); }'
    '@font-face { font-family: "Print Sans"; font-weight: bold; src: url("fonts/DejaVuSans-Bold.ttf"); }'
    'html { font-family: "Print Sans", sans-serif; }</style></head><body><p>Æ <b>Ø</b></p>'
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==">'
    '</body></html>')


def warm_up_printing() -> None:
    """Load the PDF engine once in this process: WeasyPrint's C bindings, fontconfig and the print
    fonts, and the font metrics :mod:`.fit` measures text with.

    Measured (``bench_arrival``): the first badge of a process is ready 120 ms after its scan on
    an idle machine and up to 500 ms on a busy one without this, 75 ms with it, 30 ms for the
    next ones — and a badge printed on arrival must be ready within 300 ms of the scan.
    ``serve --production`` calls this in the master before it forks, so every worker starts with
    it loaded (shared, copy-on-write).
    """
    from ..pdf import html_to_pdf
    from .fit import widths

    widths("regular")
    widths("bold")
    html_to_pdf(WARM_UP_HTML)
