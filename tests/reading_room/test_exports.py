"""CSV and JSON exports of the filtered set, and the timeline CSV."""

import csv
import io
import json

import pytest

from articles import exports, search_query
from tests.factories import ActorFactory, ArticleFactory, mention_article

pytestmark = pytest.mark.django_db


def download(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode()


def test_csv_for_actor_jund_al_aqsa_has_one_row_per_matching_article(client, archive):
    response, text = download(client, "/articles/export.csv", {"actor": "jund-al-aqsa"})

    rows = list(csv.DictReader(io.StringIO(text)))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="articles-')
    assert rows == [
        {
            "id": str(archive.naqous.pk),
            "url": "https://levantwire.example/naqous",
            "source": "Levant Wire",
            "published": "2016-09-01",
            "title": "Jund al-Aqsa storms Khirbat al-Naqous",
            "actors": "Jund al-Aqsa; Syrian Arab Army",
            "actor_kinds": "armed_group; state_force",
            "places": "Khirbat al-Naqous",
            "provinces": "Hama",
            "primary_place": "Khirbat al-Naqous",
            "story": "",  # not grouped: the factories store articles without ingesting them
        }
    ]


def test_json_export_gives_lists_for_the_multi_valued_columns(client, archive):
    response, text = download(client, "/articles/export.json", {"q": "chlorine"})

    records = json.loads(text)
    assert response["Content-Type"] == "application/json"
    assert records == [
        {
            "id": archive.khan.pk,
            "url": f"http://testserver{archive.khan.get_absolute_url()}",
            "source": "Orient Monitor",
            "published": "2017-04-04",
            "title": "Chlorine attack reported in Khan Shaykhun",
            "actors": ["Russia", "Syrian Arab Army", "Syrian Observatory for Human Rights"],
            "actor_kinds": ["state", "state_force", "monitor_or_media"],
            "places": ["Khan Shaykhun"],
            "provinces": ["Idlib"],
            "primary_place": "Khan Shaykhun",
            "story": None,
        }
    ]


def test_an_empty_json_export_is_an_empty_list(client, archive):
    _, text = download(client, "/articles/export.json", {"q": "nothingmatchesthis"})

    assert json.loads(text) == []


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, archive):
    evil = ActorFactory(name='=HYPERLINK("http://x")')
    article = ArticleFactory(
        title="+SUM(A1:A9)", body="-2+3 @cmd", published_on=None, mentions=[evil]
    )
    mention_article(article, archive.places.hama)

    _, text = download(client, "/articles/export.csv", {"q": "cmd"})

    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["title"] == "'+SUM(A1:A9)"
    assert row["actors"] == '\'=HYPERLINK("http://x")'
    assert row["published"] == ""


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"])
def test_neutralise_prefixes_formula_starts_with_an_apostrophe(value):
    assert exports.neutralise(value) == f"'{value}"


def test_exports_leave_out_hidden_articles_and_rejected_tags(client, archive):
    _, text = download(client, "/articles/export.csv", {"province": "hama"})

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["title"], r["actors"]) for r in rows] == [
        ("Market reopens in Hama", ""),
        ("Jund al-Aqsa storms Khirbat al-Naqous", "Jund al-Aqsa; Syrian Arab Army"),
    ]


def test_an_export_with_a_bad_filter_says_why_with_a_400(client, archive):
    response = client.get("/articles/export.csv", {"actor": "nobody", "published_after": "soon"})

    assert response.status_code == 400
    assert response.content.decode() == (
        "The filters could not be used:\n"
        "Actor: There is no actor “nobody” in the archive.\n"
        "Published on or after: Enter a date as YYYY-MM-DD, for example 2016-03-31."
    )


@pytest.mark.parametrize("articles", [1, 5])
def test_an_export_is_one_statement_whatever_the_number_of_rows(
    client, archive, articles, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    for n in range(articles):
        ArticleFactory(title=f"Bulk {n}", mentions=[archive.actors.russia, archive.places.hama])

    search_query.name_index()  # the gazetteer's names: read once per process, then cached
    # actor and place names once; the rows, with their mention ids aggregated in SQL,
    # streamed through one server-side cursor
    with django_assert_num_queries(3):
        _, text = download(client, "/articles/export.csv", {"q": "bulk"})

    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == articles
    assert {(r["actors"], r["actor_kinds"], r["places"], r["provinces"]) for r in rows} == {
        ("Russia", "state", "Hama", "Hama")
    }


def test_the_timeline_csv_counts_articles_per_month_with_empty_months(client, archive):
    response = client.get("/articles/timeline.csv", {"province": "hama"})

    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "month,articles",
        "2016-09,1",
        "2016-10,1",
    ]


def test_the_timeline_csv_fills_gaps_with_zero(client, archive):
    response = client.get("/articles/timeline.csv", {"source": "levant-wire"})

    assert response.content.decode().splitlines() == ["month,articles", "2016-09,2"]
    response = client.get("/articles/timeline.csv", {"sort": "oldest"})
    lines = response.content.decode().splitlines()
    assert lines[:4] == ["month,articles", "2016-09,2", "2016-10,1", "2016-11,0"]
    assert lines[-1] == "2017-04,1"
