"""Who may do what: readers read, editors edit; the API is read-only; CSRF on every form;
admin logins are throttled; nothing hidden, rejected or unconfirmed reaches a reader."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import Client

from articles.models import ActorStatus, Article, ReviewStatus
from tests.conftest import EDITOR_PASSWORD
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    PlaceFactory,
    ProvinceFactory,
    SourceFactory,
    mention_article,
)

pytestmark = pytest.mark.django_db

HIDDEN_WORD = "Zanoobiya"
# What a leak would show: searches echo the query word, never this phrase.
HIDDEN_PHRASE = "leak report"
REJECTED_ACTOR = "Liwa Rejected Example"
CANDIDATE_ACTOR = "Kataib Candidate Example"


@pytest.fixture
def archive():
    """One public article naming a public actor, a rejected tag and a candidate actor; one
    hidden article naming all of them, with a word found nowhere else."""
    hama = ProvinceFactory(name="Hama")
    village = PlaceFactory(name="Khirbat al-Naqous", parent=hama)
    jund = ActorFactory(name="Jund al-Aqsa")
    rejected = ActorFactory(name=REJECTED_ACTOR)
    candidate = ActorFactory(name=CANDIDATE_ACTOR, status=ActorStatus.CANDIDATE)
    source = SourceFactory(name="Levant Wire")
    body = f"Jund al-Aqsa, {REJECTED_ACTOR} and {CANDIDATE_ACTOR} fought in Khirbat al-Naqous."
    public = ArticleFactory(
        source=source,
        title="Fighting in Khirbat al-Naqous",
        body=body,
        url="https://levantwire.example/public",
        published_on=datetime.date(2016, 9, 1),
    )
    hidden = ArticleFactory(
        source=source,
        title=f"{HIDDEN_WORD} leak report",
        standfirst=f"{HIDDEN_WORD} {HIDDEN_PHRASE} standfirst",
        body=f"{HIDDEN_WORD} {HIDDEN_PHRASE}: {body}",
        url="https://levantwire.example/hidden",
        published_on=datetime.date(2016, 9, 2),
        is_hidden=True,
    )
    for article in (public, hidden):
        mention_article(article, jund)
        mention_article(article, village)
        mention_article(article, candidate)
        mention_article(article, rejected, review_status=ReviewStatus.REJECTED)
    return {"public": public, "hidden": hidden, "jund": jund, "candidate": candidate}


def page_text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


READER_URLS = [
    "/",
    "/articles/",
    "/articles/?q=Zanoobiya",
    "/articles/?q=Khirbat",
    "/articles/?actor=jund-al-aqsa",
    "/articles/?province=hama",
    "/articles/?location=khirbat-al-naqous",
    "/articles/?sort=oldest",
    "/articles/export.csv",
    "/articles/export.json",
    "/articles/export.csv?q=Zanoobiya",
    "/articles/timeline.csv?q=Zanoobiya",
    "/actors/",
    "/actors/jund-al-aqsa/",
    "/places/",
    "/places/hama/",
    "/places/khirbat-al-naqous/",
    "/sources/",
    "/api/articles/",
    "/api/articles/?q=Zanoobiya",
    "/api/actors/",
    "/api/actors/jund-al-aqsa/",
    "/api/places/",
]


def test_anonymous_readers_see_every_public_page(client, archive):
    for url in READER_URLS:
        assert client.get(url).status_code == 200, url


def test_no_reader_page_leaks_a_hidden_article(client, archive):
    hidden = archive["hidden"]
    urls = [*READER_URLS, archive["public"].get_absolute_url()]

    leaks = [url for url in urls if HIDDEN_PHRASE in page_text(client.get(url))]

    assert leaks == []
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/articles/{hidden.pk}/").status_code == 404
    assert client.get(f"/api/articles/{hidden.pk}/").status_code == 404


def test_hidden_article_is_not_counted_anywhere(client, archive):
    timeline = page_text(client.get("/articles/timeline.csv"))
    api = client.get("/api/articles/").json()

    assert api["count"] == 1
    assert timeline.strip().splitlines()[1:] == ["2016-09,1"]


def shown_as_tag(text: str, name: str) -> bool:
    """The article body names the actor; a tag is a link, a list entry, a column or a slug."""
    slug = name.lower().replace(" ", "-")
    return slug in text or f">{name}</a>" in text or f'"{name}"' in text or f"; {name}" in text


def test_candidate_actors_are_never_shown(client, archive):
    urls = [*READER_URLS, archive["public"].get_absolute_url()]

    leaks = [url for url in urls if shown_as_tag(page_text(client.get(url)), CANDIDATE_ACTOR)]

    assert leaks == []


def test_rejected_tags_are_never_shown(client, archive):
    public = archive["public"]
    urls = [
        public.get_absolute_url(),
        "/articles/",
        "/articles/?q=Khirbat",
        "/articles/export.csv",
        "/articles/export.json",
        "/api/articles/",
        f"/api/articles/{public.pk}/",
        "/actors/jund-al-aqsa/",
        "/places/hama/",
    ]

    leaks = [url for url in urls if shown_as_tag(page_text(client.get(url)), REJECTED_ACTOR)]
    rejected_page = page_text(client.get("/actors/liwa-rejected-example/"))

    assert leaks == []
    assert public.title not in rejected_page


def test_candidate_and_rejected_actor_pages_do_not_exist_for_readers(client, archive):
    assert client.get("/actors/kataib-candidate-example/").status_code == 404
    assert client.get("/api/actors/kataib-candidate-example/").status_code == 404
    assert client.get("/articles/", {"actor": "kataib-candidate-example"}).status_code == 400


def test_an_article_is_not_listed_under_an_actor_whose_tag_was_rejected(client, archive):
    response = client.get("/api/articles/", {"actor": "liwa-rejected-example"})

    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/articles/article/", "/admin/articles/article/import/"]
)
def test_anonymous_readers_are_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_import_is_refused_and_stores_nothing(client):
    response = client.post("/admin/articles/article/import/", {"text": "Clashes near Hama."})

    assert response.status_code == 302
    assert Article.objects.count() == 0


def test_a_logged_in_non_editor_cannot_import_or_edit(client, archive):
    staff = User.objects.create_user("visitor", password="x-long-password-1", is_staff=True)
    client.force_login(staff)
    public = archive["public"]

    import_page = client.post("/admin/articles/article/import/", {"text": "Clashes near Hama."})
    change = client.post(f"/admin/articles/article/{public.pk}/change/", {"title": "Changed"})

    assert import_page.status_code == 403
    assert change.status_code == 403
    assert Article.objects.count() == 2
    assert Article.objects.get(pk=public.pk).title == "Fighting in Khirbat al-Naqous"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/articles/", "/api/articles/{pk}/", "/api/actors/jund-al-aqsa/"]
)
def test_the_api_refuses_writes_without_a_login(client, archive, method, path):
    url = path.format(pk=archive["public"].pk)

    response = getattr(client, method)(
        url, data={"title": "x", "name": "x"}, content_type="application/json"
    )

    assert response.status_code in (401, 403, 405)
    assert Article.objects.get(pk=archive["public"].pk).title == "Fighting in Khirbat al-Naqous"
    assert Article.objects.count() == 2


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_api_is_read_only_even_for_editors(editor_client, archive, method):
    url = f"/api/articles/{archive['public'].pk}/"

    response = getattr(editor_client, method)(url, data={}, content_type="application/json")

    assert response.status_code in (403, 405)
    assert Article.objects.count() == 2


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def test_admin_forms_refuse_posts_without_a_csrf_token(editor, archive):
    client = csrf_client(editor)
    public = archive["public"]

    responses = {
        "import": client.post("/admin/articles/article/import/", {"text": "Clashes near Hama."}),
        "change": client.post(f"/admin/articles/article/{public.pk}/change/", {"title": "x"}),
        "delete": client.post(f"/admin/articles/article/{public.pk}/delete/", {"post": "yes"}),
        "action": client.post(
            "/admin/articles/article/",
            {"action": "hide_selected", "_selected_action": [public.pk]},
        ),
        "logout": client.post("/admin/logout/"),
    }

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 403)
    assert Article.objects.filter(is_hidden=False).count() == 1
    assert Article.objects.count() == 2


def test_admin_login_refuses_a_post_without_a_csrf_token(editor):
    response = csrf_client().post(
        "/admin/login/", {"username": "rania", "password": EDITOR_PASSWORD}
    )

    assert response.status_code == 403


def test_every_post_form_carries_a_csrf_token(editor, archive):
    client = csrf_client(editor)
    public = archive["public"]
    pages = [
        "/admin/login/",
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/import/",
        f"/admin/articles/article/{public.pk}/change/",
        f"/admin/articles/article/{public.pk}/delete/",
        "/admin/articles/actor/",
        "/admin/articles/actormention/",
        "/",
        "/articles/",
        public.get_absolute_url(),
    ]
    missing = []
    for url in pages:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        for form in soup.find_all("form"):
            if (form.get("method") or "get").lower() == "post" and not form.find(
                "input", attrs={"name": "csrfmiddlewaretoken"}
            ):
                missing.append(url)

    assert missing == []


def test_an_editor_with_the_token_can_hide_an_article(editor, archive):
    client = csrf_client(editor)
    public = archive["public"]
    page = client.get("/admin/articles/article/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(
        "/admin/articles/article/",
        {
            "action": "hide_selected",
            "_selected_action": [public.pk],
            "csrfmiddlewaretoken": token,
        },
    )

    assert response.status_code == 302
    assert Article.objects.get(pk=public.pk).is_hidden is True


def test_admin_login_is_locked_after_repeated_failures(client, editor, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5

    failures = [
        client.post("/admin/login/?next=/admin/", {"username": "rania", "password": "wrong"})
        for _ in range(5)
    ]
    locked = client.post("/admin/login/", {"username": "rania", "password": EDITOR_PASSWORD})
    after = client.get("/admin/")

    assert [r.status_code for r in failures[:4]] == [200] * 4
    assert failures[4].status_code in (403, 429)
    assert locked.status_code in (403, 429)
    assert after.status_code == 302  # still not logged in


def test_a_lockout_is_per_user_and_address(client, editor, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_user("samir", password=EDITOR_PASSWORD, is_staff=True)

    for _ in range(3):
        client.post("/admin/login/", {"username": "rania", "password": "wrong"})
    other = client.post("/admin/login/", {"username": "samir", "password": EDITOR_PASSWORD})

    assert other.status_code == 302
