"""Rendering a long document on every core: chunks of HTML laid out in worker processes.

WeasyPrint lays out one document on one core, and its memory grows with the document: a
thousand badges in one document take tens of seconds and hundreds of megabytes. A document
made of independent pages (badges, posters) is therefore cut into chunks of a hundred-odd pages'
worth of HTML; worker processes lay the chunks out side by side and the PDFs are joined in order
(pdfium, already used for previews, copies the pages without laying anything out again).

QR codes are made in the workers too, from a placeholder ``src="qr:N"`` in the chunk's HTML and
the chunk's list of texts to encode: N is the index in that list, and the placeholder becomes a
1-bit PNG ``data:`` URI (:mod:`.fastqr`: qrcode's modules at a third of the cost).

Start method: ``fork`` when the process runs a single thread (the CLI, a benchmark), because
the workers then start at once with WeasyPrint already imported; ``forkserver`` otherwise (a
threaded server: forking a process whose other threads may hold locks can deadlock). The worker
function lives in this importable module so a forkserver or spawned worker can find it.
"""

from __future__ import annotations

import gc
import io
import itertools
import multiprocessing
import os
import re
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..pdf import asset_roots, html_to_pdf

QR_PLACEHOLDER = re.compile(r'src="qr:(\d+)"')


@dataclass(frozen=True)
class Chunk:
    """One part of a document: complete HTML, and the texts its ``src="qr:N"`` images encode."""

    html: str
    qr_texts: tuple[str, ...] = ()


def render_chunk(chunk: Chunk, roots: Sequence[Path]) -> bytes:
    """Lay out one chunk as PDF bytes, its QR placeholders filled in (runs in a worker).

    ``roots`` are the asset folders the parent process computed: a worker has no application
    whose plugins it could ask.
    """
    from .fastqr import qr_png_data_uri  # qrcode's tables: only print runs need them

    html = QR_PLACEHOLDER.sub(lambda match: f'src="{qr_png_data_uri(chunk.qr_texts[int(match.group(1))])}"',
                              chunk.html)
    return html_to_pdf(html, roots)


def merge_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """The pages of ``pdfs`` one after another in one PDF (text stays text, images stay exact)."""
    if len(pdfs) == 1:
        return pdfs[0]
    import pypdfium2  # here, not at the top: every command would pay for loading pdfium

    merged = pypdfium2.PdfDocument.new()
    try:
        for pdf in pdfs:
            source = pypdfium2.PdfDocument(pdf)
            try:
                merged.import_pages(source)
            finally:
                source.close()
        buffer = io.BytesIO()
        merged.save(buffer)
        return buffer.getvalue()
    finally:
        merged.close()


def worker_count(chunks: int) -> int:
    """One worker per core, never more than there are chunks."""
    return max(1, min(chunks, os.cpu_count() or 1))


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _warm_up(chunk: Chunk, roots: Sequence[Path]) -> None:
    """Lay out the chunk's stylesheet with one line of text before forking, so the workers start
    with the text engine and the system fonts already loaded (measured here: a quarter of a
    second less for each worker's first chunk)."""
    head, body, _rest = chunk.html.partition("<body")
    if body:
        html_to_pdf(head + "<body><p>–</p></body></html>", roots)


def render_chunks(chunks: Iterable[Chunk], count: int, workers: int | None = None) -> bytes:
    """The whole document: every chunk laid out (in parallel when there are several), in order.

    ``chunks`` may be a generator producing ``count`` chunks: each is handed to a worker as soon
    as it is made, so writing the HTML of the next chunk overlaps laying out the first.
    """
    workers = min(workers or worker_count(count), count)
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        raise ValueError("nothing to render")
    roots = tuple(asset_roots())  # here, in the application: the workers have none to ask
    render = partial(render_chunk, roots=roots)
    if workers <= 1:
        pdfs = [render(chunk) for chunk in itertools.chain([first], chunks)]
    else:
        context = _context()
        forking = context.get_start_method() == "fork"
        # Forked workers inherit every object of this process (WeasyPrint, its fonts, the app).
        # Frozen, those are left out of the workers' garbage collections, which would walk them
        # again in each worker and write to pages the workers otherwise share: measured here,
        # about 5 % less CPU for 1000 badges. A process that was not frozen before (the tests)
        # is unfrozen after, so its garbage can still be collected; the command line's stays so.
        thaw = forking and gc.get_freeze_count() == 0
        if forking:
            _warm_up(first, roots)
            gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                pdfs = list(pool.map(render, itertools.chain([first], chunks)))
        finally:
            if thaw:
                gc.unfreeze()
    return merge_pdfs(pdfs)
