"""The admin's lists of the big tables page through a large archive without counting it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.admin import CappedPaginator
from tests.factories import ActorFactory, ArticleFactory, mention_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_archive(monkeypatch):
    """Seven articles naming one actor, with the admin's count cap at five."""
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    actor = ActorFactory(name="Jaish al-Izza")
    for n in range(7):
        mention_article(ArticleFactory(title=f"Shelling report {n}"), actor)


def unbounded_counts(queries) -> list[str]:
    """Every COUNT(*) of a list (Django's paginator's, or the full count beside a search)
    that is not stopped by a LIMIT."""
    return [
        q["sql"] for q in queries if '"__count"' in q["sql"] and "LIMIT" not in q["sql"].upper()
    ]


LISTS = [
    "/admin/articles/article/",
    "/admin/articles/actormention/",
    "/admin/articles/locationmention/",
    "/admin/articles/story/",
    "/admin/articles/editorialchange/",
]


@pytest.mark.parametrize("url", LISTS)
def test_the_admins_big_lists_page_through_a_large_archive_without_counting_it(
    editor_client, large_archive, url
):
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url)

    assert response.status_code == 200
    assert unbounded_counts(queries) == []


def test_the_admins_article_list_says_more_than_the_cap_and_pages_up_to_it(
    editor_client, large_archive, settings
):
    response = editor_client.get("/admin/articles/article/", {"o": "1"})
    text = re.sub(r"\s+", " ", response.content.decode())

    assert "more than 5 articles" in text
    assert response.context["cl"].paginator.num_pages == 1  # 5 of 100 a page
    assert "Select all articles matching the list (more than 5)" in text


def test_a_search_in_the_admin_says_how_many_it_found_up_to_the_cap(editor_client, large_archive):
    small = editor_client.get("/admin/articles/article/", {"q": "nothing-like-this"})
    large = editor_client.get("/admin/articles/article/", {"q": "shelling"})

    assert "0 results" in small.content.decode()
    assert "more than 5 results" in large.content.decode()


@pytest.mark.parametrize(
    ("url", "row"),
    [
        ("/admin/articles/actor/", "Jaish al-Izza"),
        ("/admin/articles/source/", None),
    ],
)
def test_the_admins_actor_and_source_lists_show_their_counts_without_counting_per_request(
    editor_client, large_archive, url, row
):
    editor_client.get(url)  # counted once for this generation of the archive

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url)

    counts = {str(obj): obj for obj in response.context["cl"].result_list}
    if row:
        assert counts[row].mention_total == 7
    else:
        assert sum(source.article_total for source in counts.values()) == 7
    grouped = [q["sql"] for q in queries if "GROUP BY" in q["sql"]]
    assert grouped == []
