"""Finding and producing the printable documents that plugins register."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from .app import plugin_manager
from .plugin_types import PrintableDocument


class UnknownDocument(LookupError):
    """No plugin offers a document by that name; the message lists the ones that exist."""


def printable_documents() -> dict[str, PrintableDocument]:
    """Every registered document by name, in the order plugins return them."""
    documents: dict[str, PrintableDocument] = {}
    for group in plugin_manager().hook.printable_documents():
        for document in group or ():
            documents.setdefault(document.name, document)
    return documents


def find_document(name: str) -> PrintableDocument:
    documents = printable_documents()
    if name not in documents:
        available = ", ".join(sorted(documents)) or "none"
        raise UnknownDocument(f"no printable document called {name!r}; available: {available}")
    return documents[name]


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


def render_document(name: str, event: Any, options: dict[str, Any]) -> bytes:
    """The PDF bytes of document ``name`` for ``event``."""
    return find_document(name).render(event, options)
