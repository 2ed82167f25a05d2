"""Saving a new article takes shortcuts (its tags written in one statement, its story
entities taken from the tags it was just given); what is stored is what the long way stores."""

import io

import pytest
from django.core.management import call_command

from articles import stories
from articles.ingest.gazetteer import Gazetteer
from articles.ingest.pipeline import IngestOptions, prepare_input
from articles.ingest.save import save_article
from articles.models import ActorMention, Article, LocationMention, ReviewStatus
from bench.ingest import DEMO

pytestmark = pytest.mark.django_db


def test_a_new_articles_story_fingerprint_names_what_its_stored_tags_name(gazetteer_in_db):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())

    articles = list(Article.objects.select_related("story_fingerprint"))
    assert len(articles) > 40
    for article in articles:
        stored = article.story_fingerprint
        read_back = stories.fingerprint_of(article)  # from the mentions in the database
        assert stored.entities == sorted(read_back.entities), article.title
        assert tuple(stored.minhash) == read_back.minhash, article.title


def test_the_mentions_of_a_new_article_are_stored_as_the_tagger_found_them(gazetteer_in_db):
    tagged = prepare_input(
        str(DEMO / "41-afrin-captured-olive-branch.html"),
        Gazetteer.from_data_files(),
        IngestOptions(url="https://levantwire.example/afrin"),
    )
    article = save_article(tagged).article

    actors = {m.actor.slug: m for m in ActorMention.objects.filter(article=article)}
    for found in tagged.actors:
        stored = actors[found.slug]
        assert (stored.count, stored.first_field, stored.first_offset) == (
            found.count,
            found.first_field,
            found.first_offset,
        )
        assert stored.spans == [[s.field, s.start, s.end] for s in found.spans]
        assert stored.written == list(found.written)
        assert stored.sentence == found.sentence
        assert (stored.role, stored.confidence) == (found.role, found.confidence)
        assert stored.review_status == ReviewStatus.AUTO
        assert stored.extractor == tagged.extractor
    candidates = {c.name for c in tagged.candidates}
    assert candidates, "the page names groups the gazetteer lacks"
    assert candidates <= {m.actor.name for m in actors.values()}
    places = LocationMention.objects.filter(article=article).select_related("location")
    assert {m.location.slug for m in places} == {m.slug for m in tagged.locations}
    assert all(m.province_id == m.location.province_id for m in places)
    assert article.primary_location.slug == tagged.primary_location
