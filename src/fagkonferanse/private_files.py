"""Files and folders holding personal data are readable by the site's own user only.

The database, its write-ahead log, backups, print jobs (badges carry names), the outbox and the
visit journal would otherwise be created with the process's umask — usually world-readable
(0644 in a 0755 folder) — so any other account on the server could copy the attendee list.
The secret key and the outbox's messages were already 0600; this module gives the rest the same.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
GROUP_AND_OTHERS = 0o077


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) with the folder itself readable by this user only.

    A folder that already exists is left as it is: it may be one the operator chose and shares
    on purpose (``-o /srv/shared/backup.db``). Folders that belong to the site are tightened with
    :func:`make_private` where they are used.
    """
    path = Path(path)
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    return path


def make_private(path: Path) -> None:
    """Take group and other permissions off ``path`` if it exists (a file made by an older
    version, or by a library that follows the umask): 0644 becomes 0600, 0755 becomes 0700."""
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return
    if current & GROUP_AND_OTHERS:
        os.chmod(path, current & ~GROUP_AND_OTHERS)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by this user only, before a library (SQLite) opens it;
    an existing file is made private."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    os.close(fd)
    make_private(path)
