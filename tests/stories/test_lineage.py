"""An actor's lineage with dates: shipped, drawn on the actor page, and a filter toggle."""

import datetime
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command

from articles.ingest.gazetteer import read_lineage_file
from articles.models import ActorLink
from tests.factories import ActorFactory, ActorLinkFactory, ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hts_lineage():
    """Nusra Front (2012) -> Jabhat Fateh al-Sham (2016) -> Hayat Tahrir al-Sham (2017), each
    named in one article, and an Islamic State of Iraq link that dates Nusra's start."""
    nusra = ActorFactory(name="Nusra Front")
    jfs = ActorFactory(name="Jabhat Fateh al-Sham")
    hts = ActorFactory(name="Hayat Tahrir al-Sham")
    isi = ActorFactory(name="Islamic State of Iraq")
    ActorLinkFactory(
        from_actor=jfs,
        to_actor=nusra,
        valid_from=datetime.date(2016, 7, 28),
        source_url="https://en.wikipedia.org/wiki/Al-Nusra_Front",
    )
    ActorLinkFactory(from_actor=hts, to_actor=jfs, valid_from=datetime.date(2017, 1, 28))
    ActorLinkFactory(
        from_actor=nusra,
        to_actor=isi,
        relation="part_of",
        valid_from=datetime.date(2012, 1, 23),
        valid_until=datetime.date(2013, 4, 10),
    )
    articles = {
        actor.slug: ArticleFactory(
            title=f"{actor.name} fighters take a hill", published_on=day, mentions=[actor]
        )
        for actor, day in [
            (nusra, datetime.date(2014, 5, 1)),
            (jfs, datetime.date(2016, 10, 1)),
            (hts, datetime.date(2019, 3, 1)),
        ]
    }
    return nusra, jfs, hts, articles


def test_an_actors_lineage_runs_from_the_first_name_to_the_last(hts_lineage):
    nusra, _jfs, hts, _ = hts_lineage

    assert [a.name for a in nusra.lineage()] == [
        "Nusra Front",
        "Jabhat Fateh al-Sham",
        "Hayat Tahrir al-Sham",
    ]
    assert hts.lineage() == nusra.lineage()


def test_the_actor_page_draws_the_lineage_as_dated_names_under_articles_per_month(
    client, hts_lineage
):
    page = client.get("/actors/hayat-tahrir-al-sham/")
    html = page.content.decode()

    drawing = page.context["timeline"]["drawing"]
    assert [era.label for era in drawing.eras] == [
        "Nusra Front, 2012 to 2016",
        "Jabhat Fateh al-Sham, 2016 to 2017",
        "Hayat Tahrir al-Sham, 2017 to today",
    ]
    assert drawing.chart.bars[0].month == datetime.date(2012, 1, 1)
    assert drawing.chart.total == 3
    assert "Jabhat Fateh al-Sham</a> successor of <a" in html
    assert "28 Jul 2016" in html
    assert 'href="https://en.wikipedia.org/wiki/Al-Nusra_Front"' in html


def test_the_actor_page_toggles_articles_of_the_whole_lineage(client, hts_lineage):
    *_, _articles = hts_lineage

    alone = client.get("/actors/hayat-tahrir-al-sham/")
    whole = client.get("/actors/hayat-tahrir-al-sham/", {"lineage": "1"})

    assert [a.title for a in alone.context["results"].page] == [
        "Hayat Tahrir al-Sham fighters take a hill"
    ]
    assert "Include its predecessors and successors (Nusra Front, Jabhat Fateh al-Sham)" in (
        alone.content.decode()
    )
    assert len(whole.context["results"].page) == 3
    assert "Only articles naming Hayat Tahrir al-Sham" in whole.content.decode()


def test_the_list_filter_includes_predecessors_and_successors_with_a_chip(client, hts_lineage):
    plain = client.get("/articles/", {"actor": "hayat-tahrir-al-sham"})
    lineage = client.get("/articles/", {"actor": "hayat-tahrir-al-sham", "lineage": "1"})

    assert len(plain.context["results"].page) == 1
    assert {a.title for a in lineage.context["results"].page} == {
        "Nusra Front fighters take a hill",
        "Jabhat Fateh al-Sham fighters take a hill",
        "Hayat Tahrir al-Sham fighters take a hill",
    }
    assert "With predecessors and successors" in lineage.content.decode()


def test_the_api_and_exports_take_the_lineage_filter_too(client, hts_lineage):
    query = {"actor": "nusra-front", "lineage": "1"}

    api = client.get("/api/articles/", query).json()
    exported = b"".join(client.get("/articles/export.csv", query).streaming_content).decode()

    assert api["count"] == 3
    assert exported.count("fighters take a hill") == 3


def test_the_api_gives_each_link_its_dates_and_source(client, hts_lineage):
    links = client.get("/api/actors/jabhat-fateh-al-sham/").json()["links"]

    succession = next(link for link in links if link["actor"] == "nusra-front")
    assert succession == {
        "relation": "successor_of",
        "direction": "outgoing",
        "actor": "nusra-front",
        "valid_from": "2016-07-28",
        "valid_until": None,
        "source": "https://en.wikipedia.org/wiki/Al-Nusra_Front",
    }


def test_the_gazetteer_ships_dated_lineages_with_their_sources(db):
    call_command("load_gazetteer", stdout=io.StringIO())

    jfs = ActorLink.objects.get(
        from_actor__slug="jabhat-fateh-al-sham", to_actor__slug="nusra-front"
    )
    assert str(jfs) == "Jabhat Fateh al-Sham successor of Nusra Front, from 2016-07-28"
    assert jfs.source_url.startswith("https://en.wikipedia.org/")
    dated = set(
        ActorLink.objects.exclude(valid_from=None).values_list("from_actor__slug", "to_actor__slug")
    )
    assert {
        ("hayat-tahrir-al-sham", "jabhat-fateh-al-sham"),
        ("islamic-state", "islamic-state-of-iraq"),
        ("syrian-national-army", "free-syrian-army"),
        ("peoples-protection-units", "syrian-democratic-forces"),
        ("ahrar-al-sham", "islamic-front"),
        ("jaish-al-islam", "islamic-front"),
        ("suqour-al-sham", "islamic-front"),
        ("liwa-al-tawhid", "islamic-front"),
    } <= dated


def test_reloading_the_gazetteer_keeps_a_date_an_editor_set(db):
    call_command("load_gazetteer", stdout=io.StringIO())
    link = ActorLink.objects.get(from_actor__slug="islamic-state", relation="successor_of")
    link.valid_from = datetime.date(2013, 4, 9)
    link.save()

    call_command("load_gazetteer", stdout=io.StringIO())

    link.refresh_from_db()
    assert link.valid_from == datetime.date(2013, 4, 9)


def test_a_lineage_row_with_a_bad_date_names_the_file_and_line(tmp_path):
    path = tmp_path / "lineage.csv"
    path.write_text(
        "from_slug,relation,to_slug,valid_from,valid_until,source_url\n"
        "jabhat-fateh-al-sham,successor_of,nusra-front,28/07/2016,,\n",
        encoding="utf-8",
    )

    with pytest.raises(ValueError, match=r"lineage\.csv line 2: dates are YYYY-MM-DD"):
        read_lineage_file(path)


def test_an_editor_dates_a_link_in_the_admin_and_it_is_on_the_record(editor_client, hts_lineage):
    _nusra, jfs, hts, _ = hts_lineage
    link = ActorLink.objects.get(from_actor=hts, to_actor=jfs)
    data = {
        "name": hts.name,
        "slug": hts.slug,
        "kind": hts.kind,
        "status": hts.status,
        "aliases": "",
        "description": "",
        "links_out-TOTAL_FORMS": "1",
        "links_out-INITIAL_FORMS": "1",
        "links_out-0-id": str(link.pk),
        "links_out-0-from_actor": str(hts.pk),
        "links_out-0-relation": "successor_of",
        "links_out-0-to_actor": str(jfs.pk),
        "links_out-0-valid_from": "2017-01-28",
        "links_out-0-valid_until": "",
        "links_out-0-source_url": "https://en.wikipedia.org/wiki/Hayat_Tahrir_al-Sham",
        "links_out-0-source_article": "",
    }

    response = editor_client.post(f"/admin/articles/actor/{hts.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    link.refresh_from_db()
    assert link.source_url == "https://en.wikipedia.org/wiki/Hayat_Tahrir_al-Sham"
    entry = LogEntry.objects.get(object_id=str(hts.pk))
    assert entry.get_change_message() == (
        "Changed Source URL for actor link “Hayat Tahrir al-Sham successor of "
        "Jabhat Fateh al-Sham, from 2017-01-28”."
    )


def test_a_link_cannot_end_before_it_begins(db, hts_lineage):
    from django.db import IntegrityError

    nusra, jfs, *_ = hts_lineage
    link = ActorLink.objects.get(from_actor=jfs, to_actor=nusra)
    link.valid_until = datetime.date(2015, 1, 1)

    with pytest.raises(IntegrityError):
        link.save()
