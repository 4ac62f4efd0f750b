"""Every response carries the security headers; static files are cached long and versioned."""

from __future__ import annotations

import re

from .conftest import make_app


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/programme")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src-attr")[0]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http here


def test_no_page_has_inline_script(client, admin_client):
    for page_client, path in [(client, "/"), (client, "/programme"), (client, "/stands"),
                              (admin_client, "/admin/"), (admin_client, "/admin/programme")]:
        page = page_client.get(path).get_data(as_text=True)
        for script in re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S):
            assert script.strip() == "", f"inline script on {path}"
        assert not re.search(r"\son[a-z]+=", page), f"inline event handler on {path}"


def test_hsts_and_secure_cookies_behind_https(instance):
    app = make_app(instance, BASE_URL="https://konferanse.example.no")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/", base_url="https://konferanse.example.no")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_static_files_are_versioned_and_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    href = re.search(r'href="(/static/style\.css\?v=[0-9a-f]{12})"', page)
    assert href, "the stylesheet link carries a content version"
    with client.get(href.group(1)) as response:
        assert "max-age=31536000" in response.headers["Cache-Control"]


def test_health_endpoint(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
