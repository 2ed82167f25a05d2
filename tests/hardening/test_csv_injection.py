"""Spreadsheet formulas in exported cells are neutralised."""

import csv
import io

import pytest

from tests.factories import (
    ActorFactory,
    ArticleFactory,
    PlaceFactory,
    SourceFactory,
    mention_article,
)

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    # "\r=1+1" is refused earlier: stored article text holds no CR (article_text_lf_only).
]


def exported_rows(client, **params) -> list[dict]:
    response = client.get("/articles/export.csv", params)
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_exported_cell_starting_a_formula_is_shown_as_text(client, formula):
    article = ArticleFactory(
        source=SourceFactory(name=formula, slug="formula-source"),
        title=formula,
        body=f"{formula} in the body",
        url=None,
    )
    mention_article(article, ActorFactory(name=formula, slug="formula-actor"))
    mention_article(article, PlaceFactory(name=formula, slug="formula-place"))

    (row,) = exported_rows(client)

    for column in ("title", "source", "actors", "places"):
        assert row[column] == f"'{formula}", column


def test_ordinary_text_is_exported_unchanged(client):
    ArticleFactory(title="Shelling in Hama - 12 dead", source=SourceFactory(name="Levant Wire"))

    (row,) = exported_rows(client)

    assert row["title"] == "Shelling in Hama - 12 dead"
    assert row["source"] == "Levant Wire"
