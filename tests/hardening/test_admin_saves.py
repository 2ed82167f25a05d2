"""Saving without changes changes nothing: the browser's CRLF line breaks never reach the
stored text, so highlights stay on their words. When an editor does change the body, the
article is re-tagged in the same Save and the editors' decisions carry over."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, transaction

from articles.models import ActorMention, Article
from tests.commands import run_ingest

pytestmark = pytest.mark.django_db

REPORT = """Shelling of Aleppo's old city resumes

Residents of Aleppo said Syrian government forces shelled the old city on Friday.

The Syrian Observatory for Human Rights said Ahrar al-Sham fighters answered with mortars.
"""


def browser_form_data(html: str) -> dict[str, str | list[str]]:
    """What a browser submits for the admin's change form: every field as shown, with
    textareas' line breaks sent as CRLF (the HTML standard's form encoding)."""
    form = BeautifulSoup(html, "html.parser").find("form", id="article_form")
    data: dict[str, str | list[str]] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "file"}:
            continue
        if field.name == "textarea":
            data[name] = field.text.removeprefix("\n").replace("\n", "\r\n")
        elif field.name == "select":
            chosen = field.find_all("option", selected=True)
            values = [option.get("value", "") for option in chosen]
            data[name] = values if field.has_attr("multiple") else (values[0] if values else "")
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


@pytest.fixture
def article(gazetteer, tmp_path) -> Article:
    report = tmp_path / "aleppo.txt"
    report.write_text(REPORT)
    assert run_ingest(str(report), "--source", "Levant Wire")[0] == 0
    return Article.objects.get()


def change_page(editor_client, article) -> str:
    return editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()


def test_pressing_save_without_changes_changes_nothing(editor_client, article):
    before = Article.objects.get(pk=article.pk)
    spans_before = {m.actor.slug: m.spans for m in ActorMention.objects.select_related("actor")}
    mention_ids = set(ActorMention.objects.values_list("id", flat=True))
    data = browser_form_data(change_page(editor_client, article))
    assert "\r\n" in data["body"]

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    after = Article.objects.get(pk=article.pk)
    assert "\r" not in after.body
    assert (after.body, after.standfirst, after.content_hash) == (
        before.body,
        before.standfirst,
        before.content_hash,
    )
    assert set(ActorMention.objects.values_list("id", flat=True)) == mention_ids
    assert {m.actor.slug: m.spans for m in ActorMention.objects.select_related("actor")} == (
        spans_before
    )


def test_the_highlights_stay_on_their_words_after_a_save(editor_client, article, client):
    data = browser_form_data(change_page(editor_client, article))
    editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    stored = Article.objects.get(pk=article.pk)
    for mention in ActorMention.objects.filter(article=stored).select_related("actor"):
        for field, start, end in mention.spans:
            assert getattr(stored, field)[start:end] in mention.actor.names


def test_editing_the_body_re_tags_the_article_and_keeps_the_editors_decisions(
    editor_client, article
):
    rejected = ActorMention.objects.get(actor__slug="syrian-observatory-for-human-rights")
    rejected.review_status = "rejected"
    rejected.save()
    data = browser_form_data(change_page(editor_client, article))
    data["body"] = (
        "The Syrian Observatory for Human Rights said Nusra Front fighters entered Aleppo, "
        "while Ahrar al-Sham withdrew.\r\n\r\nResidents said the old city was quiet by noon."
    )

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    stored = Article.objects.get(pk=article.pk)
    tags = dict(
        ActorMention.objects.filter(article=stored).values_list("actor__slug", "review_status")
    )
    assert tags["nusra-front"] == "auto"  # found in the new text
    assert tags["syrian-observatory-for-human-rights"] == "rejected"  # the decision stays
    observatory = ActorMention.objects.get(actor__slug="syrian-observatory-for-human-rights")
    field, start, end = observatory.spans[0]
    assert getattr(stored, field)[start:end] == "Syrian Observatory for Human Rights"
    assert stored.content_hash != article.content_hash


def test_the_database_refuses_a_carriage_return_in_an_article(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(body="one\r\ntwo")


def test_a_crlf_text_file_is_stored_with_lf_line_breaks(gazetteer, tmp_path):
    report = tmp_path / "windows.txt"
    report.write_bytes(REPORT.replace("\n", "\r\n").encode())

    assert run_ingest(str(report))[0] == 0

    assert "\r" not in Article.objects.get().body
