import pytest

from articles.editors import EDITORS_GROUP, ensure_editors_group
from tests.factories import ActorFactory, ArticleFactory, PlaceFactory

pytestmark = pytest.mark.django_db


ADMIN_PAGES = [
    "/admin/",
    "/admin/articles/article/",
    "/admin/articles/article/add/",
    "/admin/articles/article/import/",
    "/admin/articles/actor/",
    "/admin/articles/location/",
    "/admin/articles/source/",
    "/admin/articles/actormention/",
    "/admin/articles/locationmention/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_editor_sees_every_admin_page(editor_client, url):
    ArticleFactory(mentions=[ActorFactory(), PlaceFactory()])

    response = editor_client.get(url)

    assert response.status_code == 200


def test_editor_sees_the_article_page_with_its_tags(editor_client):
    article = ArticleFactory(mentions=[ActorFactory(name="Jund al-Aqsa"), PlaceFactory()])

    response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")

    assert response.status_code == 200
    assert "Jund al-Aqsa" in response.content.decode()
    assert "Khirbat al-Naqous" in response.content.decode()


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_reader_is_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_editors_cannot_manage_user_accounts(editor_client):
    response = editor_client.get("/admin/auth/user/")

    assert response.status_code == 403


def test_editors_group_has_the_archive_permissions_and_reads_task_results_only():
    group = ensure_editors_group()

    apps = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert group.name == EDITORS_GROUP
    assert apps == {"articles", "django_tasks_database"}
    assert list(
        group.permissions.filter(content_type__app_label="django_tasks_database").values_list(
            "codename", flat=True
        )
    ) == ["view_dbtaskresult"]
    assert group.permissions.filter(codename="delete_location").exists() is False
    assert group.permissions.filter(codename="change_article").exists() is True
