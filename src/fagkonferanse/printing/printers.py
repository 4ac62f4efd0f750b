"""Sending a finished PDF straight to a printer on the server, through CUPS's ``lp``.

A badge printer at the door is set up once in CUPS (``lpadmin`` or CUPS's own web page on
port 631) and named in the app; a print job with a ``printer`` is then handed to ``lp -d
<printer>`` as soon as its PDF is made (:func:`fagkonferanse.printing.jobs.run_job`). ``lp``
is the CUPS client every Linux and macOS has; it is found on ``PATH`` and run without a shell,
with the PDF as a file argument, so neither a printer's name nor a document can reach a shell.
The job's title names the document, never a person: anyone on the server can list CUPS jobs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from flask_babel import gettext as _

LP_TIMEOUT = 30  # seconds: lp only hands the file to the local CUPS daemon, which queues it
LPSTAT_TIMEOUT = 5
# CUPS accepts up to 127 printable characters except space, "/", "#", "\" and quotes; a name
# starting with "-" would read as an option.
PRINTER_NAME = re.compile(r"^[^\s/#\\\"'\-][^\s/#\\\"']{0,126}$")


class PrinterError(RuntimeError):
    """The printer did not take the PDF; the message (in the organiser's language) says why."""


def valid_printer_name(name: str) -> bool:
    """True for a name CUPS could have given a printer (what ``lp -d`` accepts)."""
    return bool(PRINTER_NAME.match(name or ""))


def lp_command(path: Path, printer: str, title: str, media_mm: tuple[float, float] | None = None) -> list[str]:
    """The ``lp`` command line for one PDF. ``media_mm`` (width, height) asks for a custom page
    of the PDF's own size, which a label printer needs to know; other printers ignore it."""
    if not valid_printer_name(printer):
        raise PrinterError(_("«%(printer)s» er ikke et gyldig skrivernavn i CUPS.", printer=printer))
    command = ["lp", "-d", printer, "-t", title]
    if media_mm:
        width, height = (round(side, 1) for side in media_mm)
        command += ["-o", f"media=Custom.{width:g}x{height:g}mm"]
    return [*command, str(path)]


def send_to_printer(path: Path, printer: str, title: str, media_mm: tuple[float, float] | None = None) -> str:
    """Hand the PDF at ``path`` to CUPS for ``printer``; what ``lp`` answered ("request id is
    Zebra-12 (1 file(s))"). Raises :class:`PrinterError` when lp is missing or refuses."""
    command = lp_command(path, printer, title, media_mm)
    if shutil.which("lp") is None:
        raise PrinterError(_("Finner ikke kommandoen lp på serveren. Installer CUPS (Debian: cups og cups-client)."))
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=LP_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise PrinterError(_("Skriveren «%(printer)s» svarte ikke innen %(seconds)s sekunder.",
                             printer=printer, seconds=LP_TIMEOUT)) from None
    except OSError as error:
        raise PrinterError(_("Kunne ikke kjøre lp: %(error)s", error=error)) from None
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip() or f"exit {result.returncode}"
        raise PrinterError(_("Skriveren «%(printer)s» tok ikke imot utskriften: %(said)s", printer=printer,
                             said=said[:300]))
    return result.stdout.strip()[:200]


def known_printers() -> list[str]:
    """The printers CUPS on this server knows (``lpstat -e``), for the organiser to choose
    from; empty when CUPS is not installed or not running."""
    if shutil.which("lpstat") is None:
        return []
    try:
        result = subprocess.run(["lpstat", "-e"], capture_output=True, text=True, timeout=LPSTAT_TIMEOUT, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return []
    if result.returncode != 0:
        return []
    return sorted({line.strip() for line in result.stdout.splitlines() if valid_printer_name(line.strip())})
