"""Editors look names up: admin search and every autocomplete answer, by name or by alias."""

import pytest
from django.contrib import admin

from articles import services
from articles.models import Story
from tests.factories import ActorFactory, ArticleFactory, PlaceFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    nusra = ActorFactory(name="Jabhat al-Nusra", aliases=["Nusra Front", "al-Nusra"])
    naqous = PlaceFactory(aliases=["Khirbet Naqous"])
    ArticleFactory(
        title="Nusra Front fighters reach Khirbat al-Naqous",
        body="Nusra Front fighters reached Khirbat al-Naqous on Monday.",
        mentions=[nusra, naqous],
        source=SourceFactory(name="Levant Wire"),
    )
    services.set_hidden([ArticleFactory(title="A duplicate report")], True, reason="duplicate")
    Story.objects.create(title="Two outlets: Nusra Front reaches Khirbat al-Naqous")
    return {"actor": nusra, "place": naqous}


# What an editor types into each admin's search box, and a name the answer must show.
SEARCHES = {
    "article": ("Nusra", "Nusra Front fighters reach Khirbat al-Naqous"),
    "actor": ("Nusra Front", "Jabhat al-Nusra"),
    "location": ("Khirbet Naqous", "Khirbat al-Naqous"),
    "source": ("Levant", "Levant Wire"),
    "actormention": ("Jabhat", "Jabhat al-Nusra"),
    "locationmention": ("Khirbat", "Khirbat al-Naqous"),
    "editorialchange": ("duplicate", "Hidden from readers"),  # by the reason given
    "story": ("Khirbat", "Two outlets: Nusra Front reaches Khirbat al-Naqous"),
}


def test_every_admin_with_a_search_box_is_covered_here():
    searchable = {
        model._meta.model_name
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "articles" and model_admin.search_fields
    }
    assert searchable == set(SEARCHES)


@pytest.mark.parametrize("model_name", sorted(SEARCHES))
def test_admin_search_finds_by_name_or_alias(editor_client, archive, model_name):
    term, expected = SEARCHES[model_name]

    response = editor_client.get(f"/admin/articles/{model_name}/", {"q": term})

    assert response.status_code == 200
    assert expected in response.content.decode()


# (model holding the field, field, what the editor types, the name offered)
AUTOCOMPLETES = [
    ("actormention", "actor", "al-Nusra", "Jabhat al-Nusra"),  # adding a missed actor tag
    ("locationmention", "location", "Naqous", "Khirbat al-Naqous"),  # adding a missed place
    ("actorlink", "to_actor", "Nusra Front", "Jabhat al-Nusra"),  # an actor link
    ("location", "parent", "Khirbet", "Khirbat al-Naqous"),  # a place's parent
    ("article", "primary_location", "Khirbet Naqous", "Khirbat al-Naqous"),
    # the archived report a dated actor link cites as its source
    ("actorlink", "source_article", "Nusra", "Nusra Front fighters reach Khirbat al-Naqous"),
]


def test_every_autocomplete_in_the_admin_is_covered_here():
    declared = set()
    for model_admin in admin.site._registry.values():
        inlines = [inline(model_admin.model, admin.site) for inline in model_admin.inlines]
        for each in [model_admin, *inlines]:
            declared |= {(each.model._meta.model_name, f) for f in each.autocomplete_fields}
    assert declared == {(model, field) for model, field, _, _ in AUTOCOMPLETES}


@pytest.mark.parametrize(("model_name", "field", "term", "expected"), AUTOCOMPLETES)
def test_autocomplete_offers_the_name_an_editor_types(
    editor_client, archive, model_name, field, term, expected
):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": model_name, "field_name": field, "term": term},
    )

    assert response.status_code == 200
    assert expected in [result["text"] for result in response.json()["results"]]
