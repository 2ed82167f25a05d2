"""The demo archive names each outlet once, and the home page counts them: an outlet whose first
demo article is plain text (filed by name) and whose later ones are web pages (filed by
domain) is one source, not two."""

import io

import pytest
from django.core.management import call_command

from articles.models import Source

pytestmark = pytest.mark.django_db


def test_the_demo_archive_has_each_outlet_once_and_the_home_page_counts_them(
    gazetteer_in_db, client
):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())

    names = [name.casefold() for name in Source.objects.values_list("name", flat=True)]
    assert sorted(names) == sorted(set(names))
    levant = Source.objects.get(name="Levant Wire")
    assert levant.domain == "levantwire.example"
    assert levant.articles.count() == 11
    page = client.get("/").content.decode()
    assert f"<dt>Sources</dt><dd>{len(names)}</dd>" in page
