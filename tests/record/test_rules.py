"""The archive's rules have one owner: reader visibility, moving a place, raw SQL's database."""

import pytest

from articles import entity_counts
from articles.models import ActorLink, ActorMention, Article, Location, LocationMention
from tests.factories import (
    ActorFactory,
    ActorLinkFactory,
    ArticleFactory,
    PlaceFactory,
    ProvinceFactory,
    mention_article,
)

pytestmark = pytest.mark.django_db


def test_readers_see_tags_of_confirmed_actors_in_visible_articles_unless_rejected():
    shown = ArticleFactory(title="Shelling near Kafr Nabudah")
    hidden = ArticleFactory(title="A hidden report", is_hidden=True)
    nusra = ActorFactory(name="Nusra Front")
    candidate = ActorFactory(name="Liwa al-Fajr", status="candidate")
    kept = mention_article(shown, nusra)
    mention_article(shown, candidate)
    mention_article(hidden, nusra)
    mention_article(ArticleFactory(), nusra, review_status="rejected")

    assert list(ActorMention.objects.for_readers()) == [kept]
    assert entity_counts.per_actor()[nusra.pk] == 1


def test_readers_see_links_only_between_confirmed_actors():
    public = ActorLinkFactory()
    ActorLinkFactory(
        from_actor=ActorFactory(name="Liwa al-Fajr", status="candidate"),
        to_actor=public.to_actor,
    )

    assert list(ActorLink.objects.public()) == [public]


def test_an_actor_page_lists_only_links_to_confirmed_actors(client):
    link = ActorLinkFactory()
    ActorLinkFactory(
        from_actor=ActorFactory(name="Liwa al-Fajr", status="candidate"), to_actor=link.to_actor
    )

    page = client.get(link.to_actor.get_absolute_url()).content.decode()

    assert "Jabhat Fateh al-Sham" in page
    assert "Liwa al-Fajr" not in page


@pytest.fixture
def village_filed_under_the_wrong_province():
    hama = ProvinceFactory(name="Hama")
    idlib = ProvinceFactory(name="Idlib")
    village = PlaceFactory(name="Khan Shaykhun", parent=hama)
    hill = PlaceFactory(name="Tal Nasr", kind="landform", parent=village)
    article = ArticleFactory(title="Strikes on Khan Shaykhun", primary_location=village)
    Article.objects.filter(pk=article.pk).update(primary_province=hama)
    mention_article(article, village)
    mention_article(article, hill)
    return {"hama": hama, "idlib": idlib, "village": village, "hill": hill, "article": article}


def test_moving_a_place_moves_the_province_of_everything_inside_it_and_its_articles(
    village_filed_under_the_wrong_province,
):
    places = village_filed_under_the_wrong_province
    idlib = places["idlib"]

    places["village"].move_to(idlib)

    hill = Location.objects.get(pk=places["hill"].pk)
    assert hill.province == idlib
    assert hill.path == "syria/idlib/khan-shaykhun/tal-nasr"
    assert set(LocationMention.objects.values_list("province", flat=True)) == {idlib.pk}
    assert Article.objects.get(pk=places["article"].pk).primary_province == idlib
    assert list(Article.objects.public().mentioning_provinces([idlib])) == [places["article"]]
    assert not Article.objects.public().mentioning_provinces([places["hama"]]).exists()


def test_a_place_cannot_be_moved_inside_itself(village_filed_under_the_wrong_province):
    places = village_filed_under_the_wrong_province

    with pytest.raises(ValueError, match="Khan Shaykhun cannot be moved inside itself"):
        places["village"].move_to(places["hill"])


def test_an_editor_moving_a_place_in_the_admin_moves_its_articles_province_filter(
    editor_client, village_filed_under_the_wrong_province
):
    places = village_filed_under_the_wrong_province
    village, idlib = places["village"], places["idlib"]

    response = editor_client.post(
        f"/admin/articles/location/{village.pk}/change/",
        {
            "name": village.name,
            "slug": village.slug,
            "kind": village.kind,
            "parent": idlib.pk,
            "aliases": "",
            "name_ar": "",
            "pcode": "",
            "source": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    listing = editor_client.get("/articles/", {"province": "idlib"}).content.decode()
    assert "Strikes on Khan Shaykhun" in listing
    assert Location.objects.get(pk=places["hill"].pk).province == idlib
