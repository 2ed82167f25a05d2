"""Site-wide promises: home page, error pages, static files, accessibility and CSP basics."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_the_home_page_shows_newest_articles_trends_and_totals(client, archive):
    response = client.get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert [a.title for a in response.context["newest"]][:2] == [
        "Chlorine attack reported in Khan Shaykhun",
        "Market reopens in Hama",
    ]
    # The last 30 days before 4 April 2017 hold only the Khan Shaykhun report.
    assert [(f.label, f.count) for f in response.context["top_actors"]] == [
        ("Russia", 1),
        ("Syrian Arab Army", 1),
        ("Syrian Observatory for Human Rights", 1),
    ]
    assert [(f.label, f.count) for f in response.context["top_provinces"]] == [("Idlib", 1)]
    assert response.context["totals"]["articles"] == 4
    assert '<input type="search" id="q" name="q"' in html


def test_the_home_page_works_on_an_empty_archive(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "The archive is empty so far." in response.content.decode()


def test_pages_have_a_language_a_skip_link_and_one_h1(client, archive):
    for url in [
        "/",
        "/articles/",
        "/actors/",
        "/places/",
        "/actors/russia/",
        "/places/idlib/",
        archive.khan.get_absolute_url(),
    ]:
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, url
        assert '<a class="skip-link" href="#main">' in html, url
        assert html.count("<h1") == 1, url
        # No template syntax leaks through (a {# comment #} must fit on one line).
        assert "{#" not in html, url
        assert "{%" not in html, url


def test_every_input_has_a_label(client, archive):
    html = client.get("/articles/").content.decode()

    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)
    assert ids == ["q", "published_after", "published_before", "sort"]
    for input_id in ids:
        assert f'<label for="{input_id}">' in html


def test_templates_have_no_inline_script_or_style():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert " style=" not in text, template
        assert "<style" not in text, template
        assert re.search(r"<script(?![^>]*\bsrc=)", text) is None, template


def test_the_missing_page_is_a_friendly_404(client, archive):
    response = client.get("/articles/999999/nothing/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_the_503_page_renders_without_any_context():
    html = render_to_string("503.html", request=None)

    assert "The archive is temporarily unavailable" in html
    assert '<html lang="en">' in html


def test_the_500_page_renders_without_any_context():
    assert "Something went wrong on our side" in render_to_string("500.html")


def test_static_files_are_served_by_the_app(client):
    for path, expected in [("/static/css/site.css", b":root"), ("/static/js/site.js", b"//")]:
        response = client.get(path)
        body = b"".join(response.streaming_content)
        response.close()
        assert response.status_code == 200
        assert body.startswith(expected) or expected in body[:200]


ICON_LINK = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


def test_pages_link_the_site_icon_and_it_is_served_as_an_image(client, archive):
    pages = [client.get(url).content.decode() for url in ("/", "/articles/", "/admin/login/")]
    errors = [render_to_string("500.html"), render_to_string("503.html")]

    icon = client.get("/static/favicon.svg")
    body = b"".join(icon.streaming_content)
    icon.close()

    assert all(ICON_LINK in html for html in pages + errors)
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert body.startswith(b"<svg")
    assert b"<script" not in body


def test_every_page_sends_the_content_security_policy(client, archive):
    response = client.get("/articles/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
