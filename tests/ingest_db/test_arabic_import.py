"""An editor imports an Arabic report in the admin: the preview reads right to left and
shows the actors and places tagged from their Arabic names; saving keeps a Latin slug."""

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db

PASTED = """قوات النظام تقصف ريف إدلب الجنوبي

إدلب - عنب بلدي

قصفت قوات النظام بلدات في ريف إدلب الجنوبي، وقال المرصد السوري لحقوق الإنسان
إن هيئة تحرير الشام ردت باستهداف مواقعها.
"""


@pytest.fixture
def editor_client(editor_client, gazetteer_in_db):
    return editor_client


def test_the_import_preview_of_an_arabic_text_reads_right_to_left_with_its_tags(editor_client):
    response = editor_client.post("/admin/articles/article/import/", {"text": PASTED})

    page = response.content.decode()
    assert response.status_code == 200
    assert '<td dir="auto">قوات النظام تقصف ريف إدلب الجنوبي</td>' in page
    assert '<div class="module" dir="auto">' in page
    assert "<bdi>Hayat Tahrir al-Sham</bdi>" in page
    assert "<bdi>Syrian Observatory for Human Rights</bdi>" in page
    assert Article.objects.count() == 0


def test_the_saved_arabic_article_has_a_transliterated_slug_and_its_actors(editor_client):
    preview = editor_client.post("/admin/articles/article/import/", {"text": PASTED})
    editor_client.post(
        "/admin/articles/article/import/", {**preview.context["carried"], "save": "1"}
    )

    article = Article.objects.get()
    assert article.language == "ar"
    assert article.slug.startswith("qwt-lndhm-tqsf-ryf-dlb")
    assert article.actors.filter(slug="syrian-government-forces").exists()
    change_page = editor_client.get(
        f"/admin/articles/article/{article.pk}/change/"
    ).content.decode()
    assert "css/admin.css" in change_page
