import pytest

from articles.models import ActorMention, Article
from articles.services import merge_actors
from tests.factories import ActorFactory, ArticleFactory, mention_article

pytestmark = pytest.mark.django_db

PASTED = """Government forces shell Daraa al-Balad

Residents of Daraa al-Balad said government forces shelled the district on Friday, while the
Syrian Observatory for Human Rights reported clashes with the Free Syrian Army near Nawa.
"""


@pytest.fixture
def editor_client(editor_client, gazetteer_in_db):
    """The editor, with the gazetteer in the database for tagging imports."""
    return editor_client


def test_editor_previews_pasted_text_before_anything_is_saved(editor_client):
    response = editor_client.post(
        "/admin/articles/article/import/", {"text": PASTED, "source": "Levant Wire"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Review what was extracted" in page
    assert "Government forces shell Daraa al-Balad" in page
    assert "Free Syrian Army" in page
    assert Article.objects.count() == 0


def test_editor_saves_the_previewed_article(editor_client):
    preview = editor_client.post("/admin/articles/article/import/", {"text": PASTED})
    carried = preview.context["carried"]

    response = editor_client.post("/admin/articles/article/import/", {**carried, "save": "1"})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    assert article.actors.filter(slug="free-syrian-army").exists()


def test_an_import_that_cannot_be_parsed_says_why(editor_client):
    response = editor_client.post("/admin/articles/article/import/", {"text": "   "})

    assert response.status_code == 200
    assert "Give a URL, a file or some text to import." in response.content.decode()


def test_merging_duplicate_actors_moves_their_mentions_and_spellings(db):
    keep = ActorFactory(name="Hayat Tahrir al-Sham")
    duplicate = ActorFactory(name="Tahrir al-Sham Committee", aliases=["HTS Committee"])
    shared, only_duplicate = ArticleFactory(), ArticleFactory()
    mention_article(shared, keep, count=2)
    mention_article(shared, duplicate, count=1)
    mention_article(only_duplicate, duplicate)

    merge_actors(keep, [keep, duplicate])

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", keep)
    assert ActorMention.objects.get(article=shared).count == 3
    assert ActorMention.objects.get(article=only_duplicate).actor == keep
    keep.refresh_from_db()
    assert {"Tahrir al-Sham Committee", "HTS Committee"} <= set(keep.aliases)


def test_editor_follows_queued_imports_in_task_results_but_cannot_change_them(editor_client):
    listing = editor_client.get("/admin/django_tasks_database/dbtaskresult/")
    admin_home = editor_client.get("/admin/").content.decode()

    assert listing.status_code == 200
    assert "Task Results" in admin_home
    assert "/admin/django_tasks_database/dbtaskresult/add/" not in admin_home
