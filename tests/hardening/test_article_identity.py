"""An article's identity is where it was fetched from, or the URL an editor gives: a page
claiming another outlet's article is refused as a conflict and the original is untouched,
on the command line, in the admin's import and through the background queue."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, EditorialAction, EditorialChange, Source
from articles.tasks import IngestFailed, ingest_input
from tests.commands import run_ingest

GENUINE_URL = "https://www.levantwire.example/news/2018/07/daraa-shelling"

pytestmark = pytest.mark.django_db


def page(title: str, body: str, *, canonical: str | None = None, site: str = "") -> bytes:
    head = f"<title>{title}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
        head += f'<meta property="og:url" content="{canonical}">'
    if site:
        head += f'<meta property="og:site_name" content="{site}">'
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<!doctype html><html><head>{head}</head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


GENUINE = page(
    "Shelling resumes in Daraa al-Balad",
    "Residents of Daraa al-Balad said government forces shelled the old quarter on Friday "
    "morning, the third day of bombardment this week.\n\nA local council member said two "
    "families had left for Nawa before the roads were closed to traffic again.",
    canonical=GENUINE_URL,
    site="Levant Wire",
)
FORGED = page(
    "Levant Wire retracts its Daraa report",
    "This fabricated notice says the outlet withdrew its reporting from Daraa al-Balad and "
    "apologised to its readers for every word of it.\n\nIt was written to be filed over the "
    "genuine article by anyone who can hand the archive a saved page.",
    canonical=GENUINE_URL,
    site="Levant Wire",
)


@pytest.fixture
def archived(gazetteer, tmp_path) -> Article:
    genuine = tmp_path / "genuine.html"
    genuine.write_bytes(GENUINE)
    code, _out, err = run_ingest(str(genuine), "--url", GENUINE_URL)
    assert code == 0, err
    return Article.objects.get(url=GENUINE_URL)


def assert_untouched(article: Article) -> None:
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Shelling resumes in Daraa al-Balad"
    assert stored.content_hash == article.content_hash
    assert stored.source.name == "Levant Wire"
    assert Article.objects.count() == 1
    assert not EditorialChange.objects.exists()


def test_a_saved_page_claiming_an_archived_article_is_a_conflict_and_the_original_is_untouched(
    archived, tmp_path
):
    evil = tmp_path / "evil.html"
    evil.write_bytes(FORGED)

    code, out, err = run_ingest(str(evil))

    assert code == 1
    assert "0 updated, 0 unchanged, 1 conflict, 0 failed" in out
    assert f"conflict: {evil}: conflict: the page claims to be {GENUINE_URL}" in out
    assert "the archived article is kept" in err
    assert_untouched(archived)


def test_a_page_fetched_from_another_site_claiming_an_archived_article_is_filed_as_its_own(
    archived, page_server, settings
):
    settings.INGEST_ALLOW_PRIVATE_URLS = True
    page_server.pages["/forged"] = (200, {}, FORGED)

    code, _out, err = run_ingest(page_server.url("/forged"))

    assert code == 0, err
    forged = Article.objects.exclude(pk=archived.pk).get()
    assert forged.url == page_server.url("/forged")  # not the canonical it claims
    assert forged.source.domain == "127.0.0.1"
    assert forged.source.name != "Levant Wire"  # a page cannot borrow an outlet's name
    stored = Article.objects.get(pk=archived.pk)
    assert stored.title == "Shelling resumes in Daraa al-Balad"


def test_a_queued_forged_page_fails_with_the_reason_and_keeps_the_original(archived, tmp_path):
    evil = tmp_path / "evil.html"
    evil.write_bytes(FORGED)

    # What a worker runs for "Queue for background import" and `ingest --enqueue`.
    with pytest.raises(IngestFailed, match="conflict: the page claims to be"):
        ingest_input.call(str(evil))

    assert_untouched(archived)


def test_the_admin_import_refuses_a_forged_page_with_the_reason(archived, editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("evil.html", FORGED, content_type="text/html")
    preview = editor_client.post("/admin/articles/article/import/", {"upload": upload})
    assert preview.status_code == 200

    response = editor_client.post(
        "/admin/articles/article/import/", {**preview.context["carried"], "save": "1"}
    )

    assert response.status_code == 200
    assert "the archived article is kept" in response.content.decode()
    assert_untouched(archived)


def test_an_update_the_editor_vouches_for_keeps_the_previous_version(archived, tmp_path):
    correction = tmp_path / "corrected.html"
    correction.write_bytes(GENUINE.replace(b"third day", b"fourth day"))

    code, out, err = run_ingest(str(correction), "--url", GENUINE_URL)

    assert code == 0, err
    assert "1 updated" in out
    stored = Article.objects.get(pk=archived.pk)
    assert "fourth day" in stored.body
    entry = EditorialChange.objects.concerning(stored).get()
    assert entry.action == EditorialAction.ARTICLE_UPDATED
    assert entry.revision.comment == f"updated from {GENUINE_URL}"
    kept = entry.revision.version_set.get(content_type__model="article").field_dict
    assert "third day" in kept["body"]
    assert kept["title"] == "Shelling resumes in Daraa al-Balad"


def test_a_same_site_canonical_is_accepted_for_a_fetched_page(gazetteer, page_server, settings):
    settings.INGEST_ALLOW_PRIVATE_URLS = True
    canonical = page_server.url("/news/daraa-shelling")
    page_server.pages["/amp/daraa"] = (
        200,
        {},
        GENUINE.replace(GENUINE_URL.encode(), canonical.encode()),
    )

    code, _, err = run_ingest(page_server.url("/amp/daraa"))

    assert code == 0, err
    assert Article.objects.get().url == canonical


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://levantwire.example/a", "//x/y"]
)
def test_url_must_be_http_or_https(gazetteer, tmp_path, url):
    saved = tmp_path / "genuine.html"
    saved.write_bytes(GENUINE)

    with pytest.raises(CommandError, match="--url must be an http:// or https:// address"):
        call_command("ingest", str(saved), "--url", url)

    assert not Article.objects.exists()


def test_the_database_refuses_a_non_web_article_url(archived):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=archived.pk).update(url="javascript:alert(1)")


def test_source_is_respected_or_refused_with_a_reason(archived, tmp_path):
    other = tmp_path / "other.html"
    other.write_bytes(GENUINE.replace(b"third day", b"fifth day"))

    code, _out, err = run_ingest(
        str(other), "--url", f"{GENUINE_URL}-2", "--source", "Crescent Ledger"
    )

    assert code == 1
    assert (
        "--source 'Crescent Ledger' does not match levantwire.example's source 'Levant Wire'" in err
    )
    assert Article.objects.count() == 1
    assert Source.objects.count() == 1


def test_an_outlet_filed_by_name_and_then_by_domain_is_one_source(gazetteer, tmp_path):
    text = tmp_path / "report.txt"
    text.write_text(
        "Talks resume in Geneva\n\nDelegations from the government and the opposition met "
        "in Geneva on Monday for a new round of talks under United Nations auspices, the "
        "first in eight months.\n"
    )
    saved = tmp_path / "genuine.html"
    saved.write_bytes(GENUINE)

    assert run_ingest(str(text), "--source", "Levant Wire")[0] == 0
    assert run_ingest(str(saved), "--url", GENUINE_URL, "--source", "Levant Wire")[0] == 0

    source = Source.objects.get()
    assert source.name == "Levant Wire"
    assert source.domain == "levantwire.example"
    assert source.articles.count() == 2
