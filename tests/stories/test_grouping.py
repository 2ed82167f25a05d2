"""Stories across outlets: grouping as articles come in, what readers see, what editors do."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command

from articles import services, stories
from articles.models import Article, EditorialChange, Story, StoryBucket
from tests.factories import ArticleFactory
from tests.stories.conftest import pair, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(named):
    """The Maarat al-Numan market strike, from Levant Wire and (a wire copy) Orient Monitor,
    and a school strike in the same town three days later, each grouped as it came in."""
    entities = [named.maarat, named.idlib, named.sohr, named.russia, named.white_helmets]
    copy, school = pair("wire-copy-maarat-market"), pair("negative-two-strikes-maarat")
    first = report(copy["a"], entities)
    second = report(copy["b"], entities)
    other = report(school["b"], entities)
    for article in (first, second, other):
        stories.group_article(article)
    for article in (first, second, other):
        article.refresh_from_db()
    return first, second, other


def test_a_wire_copy_from_another_outlet_joins_the_first_reports_story(market):
    first, copy, _ = market

    assert copy.story_id == first.story_id is not None
    assert first.story.title == "Air strikes on Maarat al-Numan market kill 31"
    assert str(first.story.first_published) == str(first.story.last_published) == "2019-07-22"


def test_a_second_strike_on_the_same_town_that_week_is_a_story_of_its_own(market):
    first, _, school = market

    assert school.story_id != first.story_id
    assert school.story.title == "School in Maarat al-Numan hit by air strike"


def test_an_arabic_translation_joins_the_english_report(named):
    shelling = pair("translation-khan-shaykhun-shelling")
    english = report(shelling["a"], [named.khan_shaykhun, named.hts, named.army, named.sohr])
    arabic = report(shelling["b"], [named.khan_shaykhun])  # no Arabic names for the groups yet

    stories.group_article(english)
    story = stories.group_article(arabic)

    assert set(story.articles.values_list("language", flat=True)) == {"en", "ar"}


def test_each_article_keeps_its_band_keys_in_postgresql_and_loses_them_with_it(market):
    first, _, _ = market

    assert StoryBucket.objects.filter(article=first).count() > 30
    first.delete()
    assert not StoryBucket.objects.filter(article_id=first.pk).exists()


def test_the_article_page_says_also_reported_by_one_outlet_with_a_link(client, market):
    first, copy, school = market

    page = client.get(first.get_absolute_url())

    assert "Also reported by 1 outlet" in page.content.decode()
    assert [a.pk for a in page.context["story_reports"]] == [copy.pk]
    assert copy.get_absolute_url() in page.content.decode()
    assert school.get_absolute_url() not in page.content.decode().split("Related articles")[0]


def test_search_lists_the_story_once_with_its_2_reports_folded_in_a_details(client, market):
    first, copy, school = market

    page = client.get("/articles/", {"q": "Maarat"})

    shown = {row.pk for row in page.context["results"].rows}
    assert len(shown) == 2
    assert school.pk in shown
    assert len(shown & {first.pk, copy.pk}) == 1
    html = page.content.decode()
    assert "<summary>2 reports of this story</summary>" in html
    assert html.count('<details class="result__story">') == 1


def test_a_hidden_report_is_neither_counted_nor_linked(client, market):
    first, copy, _ = market
    Article.objects.filter(pk=copy.pk).update(is_hidden=True)

    page = client.get(first.get_absolute_url())

    assert page.context["story_reports"] == []
    assert "Also reported by" not in page.content.decode()


def test_the_api_and_the_exports_carry_the_story_id(client, market):
    first, copy, _ = market

    api = client.get(f"/api/articles/{first.pk}/").json()
    listed = {row["id"]: row["story"] for row in client.get("/api/articles/").json()["results"]}
    exported = b"".join(client.get("/articles/export.csv").streaming_content).decode()

    assert api["story"] == first.story_id
    assert listed[copy.pk] == first.story_id
    rows = {int(row["id"]): row["story"] for row in csv.DictReader(io.StringIO(exported))}
    assert rows[copy.pk] == str(first.story_id)


def test_an_editor_splits_a_report_off_with_a_reason_and_regrouping_leaves_it(
    editor_client, editor, market
):
    first, copy, _ = market

    response = editor_client.post(
        "/admin/articles/article/",
        {
            "action": "split_story",
            "_selected_action": [copy.pk],
            "reason": "A different edition of the wire story",
        },
    )
    call_command("group_stories", "--all", "--quiet", stdout=io.StringIO())

    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.story_id != first.story_id
    assert copy.story_pinned
    entry = EditorialChange.objects.concerning(copy).get()
    assert entry.revision.user == editor
    assert entry.revision.comment == "A different edition of the wire story"
    assert entry.summary == "1 report(s) split off their story"


def test_undoing_a_split_puts_the_report_back_in_its_story(editor, market):
    first, copy, _ = market
    stories.split([copy], user=editor, reason="Looked like another edition")

    services.undo(EditorialChange.objects.concerning(copy).get(), user=editor)

    copy.refresh_from_db()
    assert copy.story_id == first.story_id
    assert not copy.story_pinned


def test_an_editor_merges_two_stories_into_the_oldest_on_the_record(editor_client, market):
    first, _, school = market
    kept, folded = first.story_id, school.story_id

    editor_client.post(
        "/admin/articles/story/",
        {
            "action": "merge_selected",
            "_selected_action": [kept, folded],
            "reason": "One bombing campaign",
        },
    )

    school.refresh_from_db()
    assert school.story_id == kept
    assert not Story.objects.filter(pk=folded).exists()
    assert Story.objects.get(pk=kept).last_published.isoformat() == "2019-07-25"
    entry = EditorialChange.objects.concerning(school).get()
    assert entry.revision.comment == "One bombing campaign"


def test_undoing_a_merge_brings_the_folded_story_back(editor, market):
    first, _, school = market
    kept, folded = first.story_id, school.story_id
    stories.merge(Story.objects.filter(pk__in=[kept, folded]), user=editor, reason="One campaign")

    services.undo(EditorialChange.objects.concerning(school).get(), user=editor)

    school.refresh_from_db()
    assert school.story_id == folded
    assert Story.objects.filter(pk=folded).exists()


def test_merging_without_a_reason_asks_for_one_and_changes_nothing(editor_client, market):
    first, _, school = market

    response = editor_client.post(
        "/admin/articles/story/",
        {"action": "merge_selected", "_selected_action": [first.story_id, school.story_id]},
    )

    assert response.status_code == 200
    assert "reason" in response.content.decode()
    school.refresh_from_db()
    assert school.story_id != first.story_id


def test_ingesting_two_outlets_reports_of_one_strike_files_them_as_one_story(db):
    from articles.gazetteer_db import gazetteer_from_database
    from articles.ingest.pipeline import IngestOptions, prepare_text
    from articles.ingest.save import save_article

    call_command("load_gazetteer", stdout=io.StringIO())
    gazetteer = gazetteer_from_database()
    paraphrase = pair("paraphrase-al-bab-car-bomb")
    saved = []
    for side in (paraphrase["a"], paraphrase["b"]):
        options = IngestOptions(
            source_name=side["source"], published=datetime.date.fromisoformat(side["published"])
        )
        tagged = prepare_text(f"{side['title']}\n\n{side['body']}", gazetteer, options)
        saved.append(save_article(tagged).article)

    assert saved[0].story_id == saved[1].story_id is not None
    assert saved[0].source != saved[1].source


def test_group_stories_files_articles_stored_before_grouping_existed(named):
    copy = pair("wire-copy-maarat-market")
    entities = [named.maarat, named.sohr, named.russia]
    report(copy["a"], entities), report(copy["b"], entities)
    ArticleFactory(title="Unrelated council meeting in Geneva", body="Delegates met.")
    out = io.StringIO()

    call_command("group_stories", "--quiet", stdout=out)

    assert Article.objects.filter(story__isnull=True).count() == 0
    assert Story.objects.count() == 2
    assert "3 articles grouped" in out.getvalue()
    assert "1 of them reported more than once" in out.getvalue()
