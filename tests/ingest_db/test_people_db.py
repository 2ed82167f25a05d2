"""People and spellings once stored: provenance on every mention, "probably X" for editors,
and one click to make a spelling an alias. Fictional text, the shipped gazetteer."""

import pytest

from articles.gazetteer_db import gazetteer_from_database
from articles.ingest.pipeline import IngestOptions, prepare_text
from articles.ingest.save import save_article
from articles.ingest.tag import EXTRACTOR
from articles.models import Actor, ActorMention, ActorStatus, LocationMention

pytestmark = pytest.mark.django_db

REPORT = (
    "Rebels shell government positions in northern Hama\n\n"
    "Fighters of Jaish al-Ezzah shelled army positions near Kafr Zita on Sunday.\n\n"
    "The attack answered weeks of air strikes, said Omar Saeed, a spokesman for the group. "
    "Jaish al-Azza fighters later withdrew toward Lattakia.\n\n"
    "UN envoy Staffan de Mistura told reporters in Geneva the talks would resume.\n"
)


@pytest.fixture
def stored(gazetteer_in_db):
    tagged = prepare_text(REPORT, gazetteer_from_database(), IngestOptions())
    return save_article(tagged).article


def test_every_stored_mention_keeps_its_written_forms_and_the_tagger_version(stored):
    group = ActorMention.objects.get(article=stored, actor__slug="jaish-al-izza")
    assert group.written == ["Jaish al-Ezzah"]
    assert group.extractor == EXTRACTOR
    assert 0.9 <= group.confidence < 1
    place = LocationMention.objects.get(article=stored, location__slug="latakia-city")
    assert place.written == ["Lattakia"]
    assert place.extractor == EXTRACTOR


def test_people_are_stored_with_their_role_and_unknown_ones_stay_hidden(stored):
    envoy = ActorMention.objects.get(article=stored, actor__slug="staffan-de-mistura")
    assert envoy.role == "official"
    spokesman = Actor.objects.get(name="Omar Saeed")
    assert (spokesman.kind, spokesman.status) == ("person", ActorStatus.CANDIDATE)
    assert ActorMention.objects.get(article=stored, actor=spokesman).role == "spokesman"
    assert not Actor.objects.public().filter(pk=spokesman.pk).exists()


def test_the_admin_shows_a_close_spelling_as_probably_the_known_group(editor_client, stored):
    response = editor_client.get("/admin/articles/actor/", {"status": "candidate"})

    page = response.content.decode()
    assert "Jaish al-Azza" in page
    assert "probably <a" in page
    assert "Jaish al-Izza</a> (0.8" in page


def test_one_click_adds_the_spelling_as_an_alias_of_the_probable_actor(editor_client, stored):
    candidate = Actor.objects.get(name="Jaish al-Azza")

    response = editor_client.post(
        "/admin/articles/actor/",
        {"action": "add_spelling_to_probable_actor", "_selected_action": [candidate.pk]},
        follow=True,
    )

    assert "Added as aliases: Jaish al-Azza -&gt; Jaish al-Izza." in response.content.decode()
    known = Actor.objects.get(slug="jaish-al-izza")
    assert "Jaish al-Azza" in known.aliases
    candidate.refresh_from_db()
    assert candidate.merged_into == known  # its page now redirects to the known actor
    assert ActorMention.objects.filter(article=stored, actor=known).exists()


def test_the_article_api_gives_each_tags_provenance(client, stored):
    data = client.get(f"/api/articles/{stored.pk}/").json()

    group = next(m for m in data["actor_mentions"] if m["slug"] == "jaish-al-izza")
    assert group["written"] == ["Jaish al-Ezzah"]
    assert "Jaysh al-Izza" in group["aliases"]
    assert group["extractor"] == EXTRACTOR
    assert group["spans"][0]["field"] in ("standfirst", "body")
    assert group["sentence"].startswith("Fighters of Jaish al-Ezzah shelled")
    envoy = next(m for m in data["actor_mentions"] if m["slug"] == "staffan-de-mistura")
    assert envoy["role"] == "official"
    place = next(m for m in data["place_mentions"] if m["slug"] == "latakia-city")
    assert place["written"] == ["Lattakia"]
    assert place["extractor"] == EXTRACTOR
    assert "Omar Saeed" not in {m["name"] for m in data["actor_mentions"]}
