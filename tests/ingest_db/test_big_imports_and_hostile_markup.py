"""An editor's big import survives preview and save; hostile markup is refused quickly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.ingest.errors import IngestError
from articles.ingest.parse import parse_html
from articles.models import Article, PendingImport

PARAGRAPH = (
    "Residents of Daraa al-Balad said government forces shelled the district on Friday, "
    "while the Syrian Observatory for Human Rights reported clashes near Nawa. "
)


@pytest.fixture
def editor_client(editor_client, gazetteer_in_db):
    return editor_client


@pytest.mark.django_db
def test_a_big_upload_is_previewed_and_saved_without_travelling_back(editor_client):
    body = "\n\n".join(f"Report {n}. {PARAGRAPH * 3}" for n in range(6000))
    text = f"Government forces shell Daraa al-Balad\n\n{body}\n"
    assert len(text.encode()) > 2_500_000  # over Django's 2.5 MB form limit
    upload = SimpleUploadedFile("long-report.txt", text.encode(), content_type="text/plain")

    preview = editor_client.post("/admin/articles/article/import/", {"upload": upload})

    assert preview.status_code == 200
    carried = preview.context["carried"]
    # The page carries a token, not the document: Django's 2.5 MB form limit never applies.
    assert sum(len(str(value)) for value in carried.values()) < 10_000
    assert PendingImport.objects.count() == 1

    saved = editor_client.post("/admin/articles/article/import/", {**carried, "save": "1"})

    assert saved.status_code == 302
    article = Article.objects.get()
    assert article.title == "Government forces shell Daraa al-Balad"
    assert "Report 5999." in article.body  # the end of the document, saved whole
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "markup"),
    [
        ("100,000 nested divs", "<html><body>" + "<div>" * 100_000 + "x</body></html>"),
        ("4.4 MB of unclosed tags", "<html><body>" + "<p><b><i>a" * 400_000 + "</body></html>"),
    ],
)
def test_hostile_markup_is_refused_with_a_reason_before_it_is_parsed(name, markup):
    # Parsing these took 12-44 CPU-seconds and up to 550 MB before the guard; the guard's
    # linear scan refuses them in milliseconds (bench, not a timed test).
    with pytest.raises(IngestError, match="hostile or broken markup"):
        parse_html(markup, page_url="https://example.org/hostile")


def test_an_ordinary_long_page_still_parses():
    page = "<html><head><title>Long report</title></head><body><article>"
    page += "".join(f"<p>Report {n}: {PARAGRAPH}</p>" for n in range(2000))
    page += "</article></body></html>"

    parsed = parse_html(page, page_url="https://example.org/long")

    assert parsed.body.count("Daraa al-Balad") >= 1000


@pytest.mark.django_db
def test_pasted_text_over_the_form_limit_is_previewed(editor_client):
    body = "\n\n".join(f"Report {n}. {PARAGRAPH * 3}" for n in range(6000))
    text = f"Government forces shell Daraa al-Balad\n\n{body}\n"

    preview = editor_client.post("/admin/articles/article/import/", {"text": text})

    assert preview.status_code == 200
    assert "Review what was extracted" in preview.content.decode()
