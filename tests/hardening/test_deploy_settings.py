"""Production settings: check --deploy is clean, and every page carries the security headers."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "newsarchive.settings",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "archive.example.org",
    # Never reached: neither command below opens a connection.
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    "PATH": os.environ.get("PATH", ""),
}


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env={**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def production_settings(**env: str) -> dict:
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = run_django(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_reports_no_issues_with_just_debug_off_a_key_and_hosts():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stderr


def test_production_defaults_are_https_only():
    values = production_settings()

    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_behind_a_tls_terminating_proxy_the_forwarded_scheme_is_trusted():
    values = production_settings(USE_X_FORWARDED_PROTO="1", SECURE_SSL_REDIRECT="0")

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/articles/", "/admin/login/", "/api/articles/"])
def test_pages_send_the_security_headers(client, url):
    response = client.get(url)

    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert response.status_code == 200
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_have_no_inline_script(client):
    from tests.hardening.inert import active_markup

    for url in ["/", "/articles/", "/admin/login/"]:
        assert active_markup(client.get(url).content.decode()) == [], url


@pytest.mark.django_db
def test_https_requests_get_hsts_and_plain_http_is_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = client.get("/admin/login/")
    proxied = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/admin/login/"
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_httponly_in_production(client, settings, editor):
    from tests.conftest import EDITOR_PASSWORD

    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True

    client.get("/admin/login/", secure=True)
    client.post("/admin/login/", {"username": "rania", "password": EDITOR_PASSWORD}, secure=True)

    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert client.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
