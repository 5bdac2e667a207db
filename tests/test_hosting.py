"""Behind a reverse proxy with HTTPS: the settings derived from the environment (xuanju/hosting.py),
a form posted through the proxy with the site's external origin, and `manage.py check --deploy`
under the documented production settings (deploy/xuanju.env)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests import factories as f
from xuanju.hosting import client_address, hosting

ROOT = Path(__file__).resolve().parent.parent
SITE = "xuanju.example.org"
PRODUCTION = {"XUANJU_ALLOWED_HOSTS": SITE, "XUANJU_HTTPS": "1", "XUANJU_PROXY": "1"}


def _settings(env: dict[str, str]) -> dict[str, object]:
    h = hosting(env)
    return {
        "ALLOWED_HOSTS": h.allowed_hosts,
        "CSRF_TRUSTED_ORIGINS": h.csrf_trusted_origins,
        "SECURE_PROXY_SSL_HEADER": h.proxy_ssl_header,
        "SESSION_COOKIE_SECURE": h.https,
        "CSRF_COOKIE_SECURE": h.https,
        "SECURE_SSL_REDIRECT": h.https,
        "SECURE_HSTS_SECONDS": h.hsts_seconds,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": h.hsts_subdomains,
    }


def test_the_settings_follow_the_environment():
    h = hosting({"XUANJU_ALLOWED_HOSTS": f"{SITE},.example.net", "XUANJU_HTTPS": "1", "XUANJU_PROXY": "1"})
    assert h.csrf_trusted_origins == [f"https://{SITE}", "https://*.example.net"]
    assert h.proxy_ssl_header == ("HTTP_X_FORWARDED_PROTO", "https")
    assert (h.hsts_seconds, h.hsts_subdomains, h.hsts_preload) == (365 * 24 * 3600, True, False)
    plain = hosting({})
    assert plain.allowed_hosts == ["localhost", "127.0.0.1", "[::1]"]
    assert (plain.https, plain.proxy, plain.proxy_ssl_header, plain.hsts_seconds) == (False, False, None, 0)
    assert "http://localhost" in plain.csrf_trusted_origins
    extra = hosting(
        {"XUANJU_ALLOWED_HOSTS": SITE, "XUANJU_CSRF_TRUSTED_ORIGINS": "https://portal.example.org"}
    )
    assert extra.csrf_trusted_origins[-1] == "https://portal.example.org"


def test_the_client_address_comes_from_the_proxy_only_behind_one():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}
    assert client_address(meta, proxy=True) == "203.0.113.9"  # the entry nginx appended
    assert client_address(meta, proxy=False) == "10.0.0.2"  # without a proxy the header is a claim
    assert client_address({"REMOTE_ADDR": "10.0.0.2"}, proxy=True) == "10.0.0.2"


def _through_proxy(**extra: str) -> dict[str, str]:
    return {
        "HTTP_HOST": SITE,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_FOR": "198.51.100.7",
    } | extra


@pytest.mark.django_db
def test_a_form_posted_through_the_https_proxy_with_the_external_origin_is_accepted():
    user = f.account("proxied", None, "org_department")
    with override_settings(**_settings(PRODUCTION)):
        client = Client(enforce_csrf_checks=True)
        page = client.get("/login/", **_through_proxy())
        assert page.status_code == 200
        assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        token = client.cookies["csrftoken"]
        assert token["secure"]
        form = {"username": user.username, "password": f.PASSWORD, "csrfmiddlewaretoken": token.value}
        refused = client.post("/login/", form, **_through_proxy(HTTP_ORIGIN="https://evil.example"))
        assert refused.status_code == 403
        response = client.post("/login/", form, **_through_proxy(HTTP_ORIGIN=f"https://{SITE}"))
        assert response.status_code == 302, response.content.decode()[:500]
        assert response["Location"] == "/"
        assert client.cookies["sessionid"]["secure"]


@pytest.mark.django_db
def test_plain_http_is_redirected_and_a_forged_proto_header_is_not_believed_without_a_proxy():
    with override_settings(**_settings(PRODUCTION)):
        response = Client().get("/login/", HTTP_HOST=SITE)
        assert (response.status_code, response["Location"]) == (301, f"https://{SITE}/login/")
    with override_settings(**_settings(PRODUCTION | {"XUANJU_PROXY": ""})):
        response = Client().get("/login/", **_through_proxy())
        assert response.status_code == 301


def _documented_environment() -> dict[str, str]:
    """deploy/xuanju.env, the production settings docs/deploy.md installs, with a fresh secret key
    and SQLite in a temporary folder instead of the PostgreSQL server of the example."""
    env: dict[str, str] = {}
    for line in (ROOT / "deploy" / "xuanju.env").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    assert {"XUANJU_ALLOWED_HOSTS", "XUANJU_HTTPS", "XUANJU_PROXY", "XUANJU_SECRET_KEY"} <= set(env)
    env["XUANJU_SECRET_KEY"] = secrets.token_urlsafe(50)
    del env["DATABASE_URL"]
    return env


def test_check_deploy_is_clean_under_the_documented_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XUANJU_", "DATABASE_URL", "DJANGO_"))}
    env |= _documented_environment() | {"XUANJU_DATA": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
