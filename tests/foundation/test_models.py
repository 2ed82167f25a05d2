import pytest
from django.db import IntegrityError, transaction

from articles.models import Location, LocationKind
from tests.factories import (
    ArticleFactory,
    CountryFactory,
    PlaceFactory,
    ProvinceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_a_second_article_with_the_same_url_is_refused():
    ArticleFactory(url="https://levantwire.example/2016/ghab-offensive")

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(url="https://levantwire.example/2016/ghab-offensive")


def test_the_same_text_cannot_be_stored_twice_even_without_a_url():
    first = ArticleFactory(url=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(url=None, content_hash=first.content_hash)


def test_many_articles_may_have_no_url():
    ArticleFactory(url=None)
    ArticleFactory(url=None)


def test_an_article_needs_a_title_and_a_body():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(title="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(body="")


def test_a_village_three_levels_down_knows_its_province_and_country():
    syria = CountryFactory(name="Syria")
    hama = ProvinceFactory(name="Hama", parent=syria)
    district = Location.objects.create(
        name="Al-Suqaylabiyah", slug="al-suqaylabiyah-district", kind="district", parent=hama
    )
    subdistrict = Location.objects.create(
        name="Ziyara", slug="ziyara-subdistrict", kind="subdistrict", parent=district
    )
    village = PlaceFactory(name="Khirbat al-Naqous", parent=subdistrict)

    village.refresh_from_db()
    assert (village.province, village.country) == (hama, syria)
    assert (
        village.path == "syria/hama/al-suqaylabiyah-district/ziyara-subdistrict/khirbat-al-naqous"
    )
    assert [place.name for place in village.ancestors()] == [
        "Syria",
        "Hama",
        "Al-Suqaylabiyah",
        "Ziyara",
    ]


def test_a_governorate_is_its_own_province():
    hama = ProvinceFactory(name="Hama")

    hama.refresh_from_db()
    assert hama.province == hama


def test_everything_inside_a_province_is_one_prefix_lookup():
    hama = ProvinceFactory(name="Hama")
    village = PlaceFactory(name="Khirbat al-Naqous", parent=hama)
    PlaceFactory(name="Kinsabba", parent=ProvinceFactory(name="Latakia"))

    assert list(Location.objects.inside(hama).order_by("name")) == [hama, village]


def test_a_country_cannot_have_a_parent():
    syria = CountryFactory(name="Syria")

    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(
            name="Atlantis", slug="atlantis", kind=LocationKind.COUNTRY, parent=syria
        )


def test_coordinates_must_be_on_the_globe():
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(name="Nowhere", slug="nowhere", kind="town", latitude=123.0)


def test_articles_from_one_domain_share_a_source():
    source = SourceFactory(name="Levant Wire")

    first, second = ArticleFactory(source=source), ArticleFactory(source=source)

    assert first.source_id == second.source_id


def test_the_search_vector_follows_the_text_without_any_code():
    article = ArticleFactory(title="Shelling in Latakia", body="Artillery hit the coast.")

    article.body = "A ceasefire held in Daraa."
    article.save()

    from articles.models import Article

    assert Article.objects.filter(search_vector="Daraa").get() == article
    assert not Article.objects.filter(search_vector="coast").exists()
