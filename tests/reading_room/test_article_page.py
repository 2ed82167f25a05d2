"""One article: its text with tagged actors and places linked, and what surrounds it."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from articles import models, services
from tests.factories import ArticleFactory, PlaceFactory, SourceFactory, mention_article

pytestmark = pytest.mark.django_db


def test_the_article_page_shows_source_date_byline_and_original_link(client, archive):
    response = client.get(archive.naqous.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h1 id="article-title">Jund al-Aqsa storms Khirbat al-Naqous</h1>' in html
    assert '<time datetime="2016-09-01">1 September 2016</time>' in html
    assert "By <bdi>Rami Haddad</bdi>" in html
    assert 'href="https://levantwire.example/naqous"' in html


def test_tagged_actors_and_places_in_the_body_are_highlighted_links(client, archive):
    response = client.get(archive.naqous.get_absolute_url())

    assert response.context["body"] == [
        '<a class="actor" href="/actors/jund-al-aqsa/" title="Jund al-Aqsa">Jund al-Aqsa</a>'
        ' fighters entered <a class="place" href="/places/khirbat-al-naqous/" '
        'title="Khirbat al-Naqous">Khirbat al-Naqous</a> at dawn.',
        'The <a class="actor" href="/actors/syrian-arab-army/" title="Syrian Arab Army">'
        "Syrian Arab Army</a> shelled the village in the afternoon.",
    ]


def test_a_candidate_actor_or_a_rejected_tag_is_not_highlighted(client, archive):
    response = client.get(archive.market.get_absolute_url())
    html = response.content.decode()

    assert 'class="actor"' not in html.split('<div class="article__body">')[1].split("</div>")[0]
    assert response.context["actor_groups"] == []
    assert [place.name for place in response.context["places"]] == ["Khirbat al-Naqous"]


def test_the_side_panel_groups_actors_by_kind_and_names_where_it_happened(client, archive):
    response = client.get(archive.khan.get_absolute_url())

    groups = [
        (label, [a.name for a in actors]) for label, actors in response.context["actor_groups"]
    ]
    assert groups == [
        ("State force", ["Syrian Arab Army"]),
        ("State", ["Russia"]),
        ("Monitor or media", ["Syrian Observatory for Human Rights"]),
    ]
    html = response.content.decode()
    assert (
        '<a href="/places/khan-shaykhun/">Khan Shaykhun</a>, <a href="/places/idlib/">Idlib</a>'
        in html
    )


def test_a_city_named_like_its_province_is_named_once(client, archive):
    hama_city = PlaceFactory(
        name="Hama", slug="hama-city", kind=models.LocationKind.CITY, parent=archive.places.hama
    )
    article = ArticleFactory(
        title="Protest in Hama city",
        published_on=datetime.date(2021, 1, 1),
        primary_location=hama_city,
        primary_province=archive.places.hama,
        mentions=[hama_city],
    )

    page = client.get(article.get_absolute_url()).content.decode()
    listing = client.get("/articles/").content.decode()

    where = page.split("<h2>Where it happened</h2>")[1].split("</section>")[0]
    assert where.strip() == '<p><a href="/places/hama-city/">Hama</a></p>'
    places = page.split("<h2>Places</h2>")[1].split("</section>")[0]
    assert places.strip() == '<ul><li><a href="/places/hama-city/">Hama</a></li></ul>'
    assert "<span>Hama</span>" in listing
    assert "Hama, Hama" not in listing


def test_related_articles_are_those_sharing_the_most_actors_and_places(client, archive):
    response = client.get(archive.khan.get_absolute_url())

    # Naqous shares the army; the coast strike shares Russia; the hidden draft shares nothing.
    assert [a.title for a in response.context["related"]] == [
        "Russian jets strike the coast",
        "Jund al-Aqsa storms Khirbat al-Naqous",
    ]


def test_a_related_article_is_listed_with_its_outlet_and_date_and_never_when_hidden(
    client, archive
):
    ArticleFactory(
        title="Hidden report on Russian jets",
        is_hidden=True,
        published_on=datetime.date(2030, 1, 1),
        mentions=[archive.actors.russia, archive.actors.army],
    )

    html = client.get(archive.khan.get_absolute_url()).content.decode()

    related = html.split("<h2>Related articles</h2>")[1].split("</section>")[0]
    assert "Hidden report" not in related
    assert (
        f'<a href="{archive.latakia.get_absolute_url()}" lang="en" dir="ltr">Russian jets strike '
        'the coast</a> <span class="hint"><bdi>Levant Wire</bdi>, 20 Sep 2016</span>'
    ) in related


def test_a_wrong_slug_redirects_to_the_canonical_address(client, archive):
    response = client.get(f"/articles/{archive.naqous.pk}/old-title/")

    assert response.status_code == 301
    assert response["Location"] == archive.naqous.get_absolute_url()


def test_a_hidden_article_is_not_found(client, archive):
    response = client.get(archive.hidden.get_absolute_url())

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_script_in_title_is_shown_as_text(client, archive):
    article = ArticleFactory(
        title='<script>alert("x")</script> Raid',
        standfirst="<b onmouseover=alert(1)>bold</b>",
        body="Jund al-Aqsa <img src=x onerror=alert(1)> raided.\n\n<script>evil()</script>",
        mentions=[archive.actors.jund],
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Raid" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b onmouseover=alert(1)&gt;" in html
    assert "<script>" not in html
    assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "javascript:" not in html


def test_a_javascript_url_is_never_stored(archive):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(title="Raid", url="javascript:alert(1)")


def test_malformed_or_overlapping_spans_are_skipped_not_trusted(client, archive):
    article = ArticleFactory(title="Clashes", body="Russia and Jund al-Aqsa clashed.")
    mention_article(
        article,
        archive.actors.russia,
        spans=[["body", 0, 6], ["body", 3, 9], ["body", 500, 510], ["nowhere", 0, 1], "junk"],
    )

    response = client.get(article.get_absolute_url())

    assert response.context["body"] == [
        '<a class="actor" href="/actors/russia/" title="Russia">Russia</a>'
        " and Jund al-Aqsa clashed."
    ]


@pytest.mark.parametrize(("mentions", "reports"), [(1, 0), (5, 0), (5, 4)])
def test_the_article_page_queries_do_not_grow_with_mentions_or_reports(
    client, archive, mentions, reports, django_assert_num_queries
):
    story = models.Story.objects.create(title="Many tags")
    article = ArticleFactory(title="Many tags", body="Jund al-Aqsa, Russia, Hama.", story=story)
    targets = [
        archive.actors.jund,
        archive.actors.russia,
        archive.actors.army,
        archive.places.hama,
        archive.places.idlib,
    ][:mentions]
    for target in targets:
        mention_article(article, target)
    for n in range(reports):
        ArticleFactory(title=f"Report {n}", source=SourceFactory(name=f"Outlet {n}"), story=story)

    # The archive generation, the article, its actor and place mentions, the related
    # articles (ranked and read in one statement), the corrections count and the story's
    # other reports.
    with django_assert_num_queries(7):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert ("Also reported by 4 outlets" in response.content.decode()) == bool(reports)

    # Then the same page, rendered once for this generation: the generation and the slug.
    with django_assert_num_queries(2):
        again = client.get(article.get_absolute_url())
    assert again.content == response.content


def test_an_edit_shows_on_the_next_request_to_a_page_already_seen(
    client, archive, django_capture_on_commit_callbacks
):
    url = archive.naqous.get_absolute_url()
    assert 'class="actor" href="/actors/jund-al-aqsa/"' in client.get(url).content.decode()
    mention = models.ActorMention.objects.get(article=archive.naqous, actor=archive.actors.jund)

    with django_capture_on_commit_callbacks(execute=True):  # as the editor's request commits
        services.decide_tag(mention, models.ReviewStatus.REJECTED, reason="Not them")

    html = client.get(url).content.decode()
    assert 'class="actor" href="/actors/jund-al-aqsa/"' not in html
    assert '<a href="/actors/jund-al-aqsa/">Jund al-Aqsa</a>' not in html
    assert "1 correction" in html


def test_a_hidden_article_is_gone_at_once_even_when_its_page_was_seen(client, archive):
    url = archive.naqous.get_absolute_url()
    assert client.get(url).status_code == 200

    models.Article.objects.filter(pk=archive.naqous.pk).update(is_hidden=True)

    assert client.get(url).status_code == 404


def test_related_articles_read_a_bounded_number_of_mentions_per_actor(client, archive, monkeypatch):
    monkeypatch.setattr(models, "RELATED_FANOUT", 1)
    newest = ArticleFactory(
        title="Newest Russia report",
        published_on=datetime.date(2020, 1, 1),
        mentions=[archive.actors.russia],
    )

    response = client.get(archive.khan.get_absolute_url())

    # Per actor only the newest other mention is read: Russia gives the new report, the
    # army still gives Naqous; the older coast strike is not reached.
    assert [a.title for a in response.context["related"]] == [
        newest.title,
        "Jund al-Aqsa storms Khirbat al-Naqous",
    ]
