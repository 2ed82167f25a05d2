"""Arabic articles read right to left, inside an English interface, in the right order."""

import datetime

import pytest

from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

TITLE = "غارات روسية على ريف إدلب الجنوبي"


@pytest.fixture
def arabic_article():
    return ArticleFactory(
        title=TITLE,
        standfirst="قصفت طائرات حربية بلدات في جبل الزاوية.",
        body="إدلب - قُتل أربعة مدنيين بغارات على بلدة كفرنبل.",
        language="ar",
        source=SourceFactory(name="عنب بلدي"),
        published_on=datetime.date(2019, 5, 20),
        authors=["أحمد حسن"],
    )


def test_an_arabic_title_gets_a_latin_slug_never_article(arabic_article):
    assert arabic_article.slug.startswith("ghrt-rwsyh-la-ryf-dlb")
    assert arabic_article.get_absolute_url().endswith(f"/{arabic_article.slug}/")


def test_the_arabic_article_page_is_marked_right_to_left(client, arabic_article):
    html = client.get(arabic_article.get_absolute_url()).content.decode()

    assert 'lang="ar" dir="rtl"' in html
    assert '<html lang="en">' in html  # the interface around it stays English


def test_the_arabic_article_shows_its_date_with_the_syrian_month_name(client, arabic_article):
    html = client.get(arabic_article.get_absolute_url()).content.decode()

    assert '<time datetime="2019-05-20">20 أيار 2019</time>' in html
    assert "By <bdi>أحمد حسن</bdi>" in html


def test_in_the_result_list_the_arabic_source_is_isolated_from_the_english_date(
    client, arabic_article
):
    html = client.get("/articles/").content.decode()

    assert f'lang="ar" dir="rtl"><a href="{arabic_article.get_absolute_url()}">{TITLE}</a>' in html
    assert '<bdi>عنب بلدي</bdi>\n    <time datetime="2019-05-20">20 May 2019</time>' in html


def test_english_articles_stay_left_to_right(client):
    article = ArticleFactory(title="Shelling resumes in Daraa", language="en")
    html = client.get(article.get_absolute_url()).content.decode()

    assert 'lang="en" dir="ltr"' in html
    assert article.slug == "shelling-resumes-in-daraa"
