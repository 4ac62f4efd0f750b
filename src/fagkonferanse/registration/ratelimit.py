"""A small in-process rate limiter for the registration form and the scan endpoints.

Enough for one server process (what ``fagkonferanse serve`` runs); Flask-Limiter with a shared
store replaces it when the site runs several processes. Limits are configured as
``RATE_LIMITS = {"register": "20/minute", "scan": "300/minute", …}`` and switched off with
``RATE_LIMIT_ENABLED = False`` (the concurrency test does, to hit the server from one address).

A refused request keeps what the person typed: views re-render the form with a 429 status and a
message to wait a little, never an error page.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque

from flask import current_app

DEFAULT_LIMITS = {
    "register": "20/minute",  # per address: an office behind one address can still register together
    "scan": "300/minute",     # per organiser: a door scans about one a second at the busiest
    "checkin-link": "60/minute",  # per address: the public /c/<code> page
    "visit": "120/minute",    # per address: poster scans; a venue's wifi is one address for everyone
}
_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RULE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)s?\s*$")
EXTENSION_KEY = "fagkonferanse.ratelimit"
MAX_KEYS = 50_000  # memory bound: forget everything if that many clients are being tracked


def parse_rule(rule: str) -> tuple[int, int]:
    """``"20/minute"`` → ``(20, 60)``: so many hits per so many seconds."""
    match = _RULE.match(rule or "")
    if not match:
        raise ValueError(f"not a rate limit: {rule!r} (write e.g. '20/minute')")
    return int(match.group(1)), _UNITS[match.group(2)]


class SlidingWindowLimiter:
    """At most ``limit`` hits per ``window`` seconds for each key (a sliding window)."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, window: int, now: float | None = None) -> bool:
        """Count a hit; False when the key is over its limit (the hit is then not counted)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._hits) > MAX_KEYS:
                self._hits.clear()
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True


def allow(name: str, who: str) -> bool:
    """True if ``who`` may make another ``name`` request now (always True when disabled)."""
    config = current_app.config
    if not config.get("RATE_LIMIT_ENABLED", True):
        return True
    rule = {**DEFAULT_LIMITS, **(config.get("RATE_LIMITS") or {})}.get(name)
    if not rule:
        return True
    limit, window = parse_rule(rule)
    limiter = current_app.extensions.setdefault(EXTENSION_KEY, SlidingWindowLimiter())
    return limiter.hit(f"{name}:{who}", limit, window)
