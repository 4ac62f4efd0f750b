"""HTTP hardening for every response: security headers, secure cookies, long-cached static files.

The Content-Security-Policy allows scripts and stylesheets from the site itself only: no inline
script anywhere (check-in and other enhancements load .js files). Inline ``style`` attributes are
allowed (``style-src-attr``) because the statistics bars set a CSS variable per bar; they cannot
run code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

STATIC_MAX_AGE = 365 * 24 * 3600
PROXY_HOPS = {"x_for": 1, "x_proto": 1, "x_host": 1}  # one reverse proxy in front: what ProxyFix trusts


def install(app: Flask) -> None:
    """Headers on every response; HTTPS-only cookies when the site's address is https://."""
    secure = app.config["BASE_URL"].startswith("https://")
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        app.config[key] = secure or bool(app.config.get(key))
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = STATIC_MAX_AGE
    if app.config.get("BEHIND_PROXY"):
        # One reverse proxy in front (nginx, Caddy): trust its X-Forwarded-For/Proto/Host.
        app.wsgi_app = ProxyFix(app.wsgi_app, **PROXY_HOPS)
    app.after_request(_security_headers)
    app.url_defaults(_version_static_urls)


def client_address(app: Flask, environ: dict) -> str:
    """The visitor's address as ``request.remote_addr`` will say, for code that runs in front of
    Flask and of the proxy fix (the page cache): behind a proxy, from its X-Forwarded-For."""
    if not app.config.get("BEHIND_PROXY"):
        return environ.get("REMOTE_ADDR") or "?"
    seen: list[str] = []
    ProxyFix(lambda fixed, _start: seen.append(fixed.get("REMOTE_ADDR") or "?"), **PROXY_HOPS)(dict(environ), None)
    return seen[0]


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


_versions: dict[str, str] = {}


def _version_static_urls(endpoint: str, values: dict) -> None:
    """``/static/style.css?v=<hash>``: browsers cache for a year and still get every new version."""
    if endpoint != "static" or "filename" not in values or "v" in values:
        return
    from flask import current_app

    filename = values["filename"]
    if filename not in _versions or current_app.debug:
        path = Path(current_app.static_folder) / filename
        _versions[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else ""
    if _versions[filename]:
        values["v"] = _versions[filename]
