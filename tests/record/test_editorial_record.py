"""Every editorial action is on the record (who, what, when, why), merges and tag decisions
can be undone, article revisions can be restored, and readers see a corrections log."""

import pytest
from django.test import Client

from articles import services
from articles.models import (
    Actor,
    ActorLink,
    ActorMention,
    Article,
    EditorialChange,
    LocationMention,
)
from tests.factories import (
    ActorFactory,
    ActorLinkFactory,
    ArticleFactory,
    PlaceFactory,
    ProvinceFactory,
    mention_article,
)

pytestmark = pytest.mark.django_db

RECORD = "/admin/articles/editorialchange/"


def undo_in_admin(editor_client, change, reason="undo"):
    return editor_client.post(
        RECORD,
        {"action": "undo_selected", "_selected_action": [change.pk], "reason": reason},
        follow=True,
    )


@pytest.fixture
def report():
    nusra = ActorFactory(name="Nusra Front", aliases=["al-Nusra"])
    article = ArticleFactory(
        title="Nusra Front fighters reach Khirbat al-Naqous",
        body="Nusra Front fighters reached Khirbat al-Naqous on Monday, residents said.",
    )
    mention_article(article, nusra)
    mention_article(article, PlaceFactory())
    return article


def test_an_editor_rejecting_a_tag_is_on_the_record_with_their_name_and_reason(
    editor, editor_client, post_change_form, report
):
    response = post_change_form(
        f"/admin/articles/article/{report.pk}/change/",
        **{"actor_mentions-0-review_status": "rejected", "change_reason": "not named in it"},
    )

    assert response.status_code == 302
    change = EditorialChange.objects.get()
    assert (change.action, change.summary) == ("tag_decision", "Tag Nusra Front: rejected")
    assert (change.revision.user, change.revision.comment) == (editor, "not named in it")
    record = editor_client.get(RECORD).content.decode()
    assert "Tag Nusra Front: rejected" in record
    assert "not named in it" in record
    assert "rania" in record


def test_readers_see_what_was_corrected_and_when_but_not_who_or_why(editor, report):
    services.decide_tag(
        report.actor_mentions.get(), "rejected", user=editor, reason="Rania's private note"
    )

    page = Client().get(report.get_absolute_url()).content.decode()
    log = Client().get(f"/articles/{report.pk}/corrections/")

    assert f'<a href="/articles/{report.pk}/corrections/">1 correction</a>' in page
    assert log.status_code == 200
    text = log.content.decode()
    assert "Tag Nusra Front: rejected" in text
    assert "rania" not in text.lower()
    assert "private note" not in text


def test_an_undone_tag_decision_puts_the_tag_back_and_is_itself_on_the_record(
    editor, editor_client, report
):
    mention = report.actor_mentions.get()
    services.decide_tag(mention, "rejected", user=editor, reason="wrong group")
    decision = EditorialChange.objects.get()

    page = undo_in_admin(editor_client, decision, reason="it is the right group")

    mention.refresh_from_db()
    assert mention.review_status == "auto"
    assert "Undone: Tag Nusra Front: rejected" in page.content.decode()
    undo = EditorialChange.objects.get(undoes=decision)
    assert undo.revision.comment == "it is the right group"
    log = Client().get(f"/articles/{report.pk}/corrections/").content.decode()
    assert "(undone on" in log


def test_an_entry_cannot_be_undone_twice(editor, editor_client, report):
    services.decide_tag(report.actor_mentions.get(), "rejected", user=editor)
    decision = EditorialChange.objects.get()
    undo_in_admin(editor_client, decision)

    page = undo_in_admin(editor_client, decision).content.decode()

    assert "was already undone" in page
    assert EditorialChange.objects.count() == 2


def test_a_tag_added_by_an_editor_is_on_the_record_and_undoing_removes_it(
    editor, editor_client, post_change_form, report
):
    missed = ActorFactory(name="Syrian Observatory for Human Rights", kind="monitor_or_media")
    response = post_change_form(
        f"/admin/articles/article/{report.pk}/change/",
        **{
            "actor_mentions-TOTAL_FORMS": "2",
            "actor_mentions-1-actor": str(missed.pk),
            "actor_mentions-1-count": "1",
            "actor_mentions-1-review_status": "auto",
            "actor_mentions-1-article": str(report.pk),
            "change_reason": "quoted in the last paragraph",
        },
    )
    assert response.status_code == 302
    added = EditorialChange.objects.get()
    assert added.summary == "Tag added: Syrian Observatory for Human Rights"
    assert ActorMention.objects.get(actor=missed).review_status == "confirmed"

    undo_in_admin(editor_client, added)

    assert not ActorMention.objects.filter(actor=missed).exists()


@pytest.fixture
def duplicates():
    keep = ActorFactory(name="Hayat Tahrir al-Sham", aliases=["HTS"])
    duplicate = ActorFactory(name="Tahrir al-Sham Committee", aliases=["HTS Committee"])
    shared = ArticleFactory(title="Both names in one report")
    only_duplicate = ArticleFactory(title="Only the committee is named")
    mention_article(shared, keep, count=2)
    mention_article(shared, duplicate, count=1, review_status="confirmed")
    mention_article(only_duplicate, duplicate)
    ActorLinkFactory(
        from_actor=duplicate, to_actor=ActorFactory(name="Jaysh al-Ahrar"), relation="part_of"
    )
    return {"keep": keep, "duplicate": duplicate, "shared": shared, "only": only_duplicate}


def merge_in_admin(editor_client, keep, duplicate, reason):
    chosen = {"action": "merge_selected", "_selected_action": [keep.pk, duplicate.pk]}
    editor_client.post("/admin/articles/actor/", chosen)
    return editor_client.post(
        "/admin/articles/actor/", {**chosen, "keep": keep.pk, "merge_reason": reason}
    )


def test_a_merged_actors_page_and_api_address_redirect_permanently_to_the_kept_actor(
    editor_client, duplicates
):
    keep, duplicate = duplicates["keep"], duplicates["duplicate"]

    merge_in_admin(editor_client, keep, duplicate, "same group")

    page = Client().get("/actors/tahrir-al-sham-committee/")
    api = Client().get("/api/actors/tahrir-al-sham-committee/")
    assert (page.status_code, page["Location"]) == (301, "/actors/hayat-tahrir-al-sham/")
    assert api.status_code == 301
    assert api["Location"].endswith("/api/actors/hayat-tahrir-al-sham/")
    assert Client().get(api["Location"]).json()["name"] == "Hayat Tahrir al-Sham"


def test_a_merge_is_on_the_record_and_undoing_it_gives_each_actor_back_its_tags_and_names(
    editor, editor_client, duplicates
):
    keep, duplicate = duplicates["keep"], duplicates["duplicate"]
    merge_in_admin(editor_client, keep, duplicate, "same group, two spellings")
    merge = EditorialChange.objects.get()
    assert merge.summary == "Tahrir al-Sham Committee merged into Hayat Tahrir al-Sham"
    assert (merge.revision.user, merge.revision.comment) == (editor, "same group, two spellings")
    assert ActorMention.objects.get(article=duplicates["shared"]).count == 3
    assert ActorLink.objects.filter(from_actor=keep, relation="part_of").exists()
    actor_log = Client().get("/actors/hayat-tahrir-al-sham/").content.decode()
    assert "1 correction" in actor_log

    undo_in_admin(editor_client, merge, reason="they are different bodies")

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("confirmed", None)
    assert keep.aliases == ["HTS"]
    shared_mentions = dict(
        ActorMention.objects.filter(article=duplicates["shared"]).values_list("actor", "count")
    )
    assert shared_mentions == {keep.pk: 2, duplicate.pk: 1}
    assert ActorMention.objects.get(article=duplicates["only"]).actor == duplicate
    assert not ActorLink.objects.filter(from_actor=keep).exists()
    assert Client().get("/actors/tahrir-al-sham-committee/").status_code == 200


def test_a_name_an_editor_merged_away_tags_the_kept_actor_in_later_imports(duplicates):
    from articles.ingest.save import _candidate_actor

    services.merge_actors(duplicates["keep"], [duplicates["duplicate"]])

    assert _candidate_actor("Tahrir al-Sham Committee", "armed_group") == duplicates["keep"]


def test_alias_edits_hiding_and_showing_are_each_on_the_record(
    editor, editor_client, post_change_form, report
):
    nusra = Actor.objects.get(name="Nusra Front")
    post_change_form(
        f"/admin/articles/actor/{nusra.pk}/change/",
        aliases="al-Nusra,Jabhat al-Nusra",
        change_reason="spelling used by Levant Wire",
    )
    chosen = {"_selected_action": [report.pk], "reason": "under legal review"}
    editor_client.post("/admin/articles/article/", {**chosen, "action": "hide_selected"})
    editor_client.post("/admin/articles/article/", {**chosen, "action": "show_selected"})

    entries = list(EditorialChange.objects.order_by("pk").values_list("action", "summary"))
    assert entries == [
        ("names_edited", "Nusra Front: aliases edited"),
        ("hidden", "Hidden from readers"),
        ("unhidden", "Shown to readers again"),
    ]
    assert Client().get(nusra.get_absolute_url()).status_code == 200
    actor_log = Client().get("/actors/nusra-front/corrections/").content.decode()
    assert "Nusra Front: aliases edited" in actor_log


def test_a_retag_is_on_the_record_with_the_tags_it_replaced_and_can_be_undone(
    editor, editor_client, report
):
    ActorMention.objects.filter(article=report).update(count=7)  # tagged by an older tagger

    editor_client.post(
        "/admin/articles/article/",
        {
            "action": "retag_selected",
            "_selected_action": [report.pk],
            "reason": "gazetteer gained spellings",
        },
    )

    retag = EditorialChange.objects.get()
    assert (retag.action, retag.revision.comment) == ("retag", "gazetteer gained spellings")
    assert ActorMention.objects.get(article=report).count != 7
    undo_in_admin(editor_client, retag)
    assert ActorMention.objects.get(article=report).count == 7


def test_moving_a_place_is_on_the_record_and_readers_see_it_on_the_place_page(
    editor, editor_client, post_change_form
):
    hama, idlib = ProvinceFactory(name="Hama"), ProvinceFactory(name="Idlib")
    village = PlaceFactory(name="Khan Shaykhun", parent=hama)

    post_change_form(
        f"/admin/articles/location/{village.pk}/change/",
        parent=str(idlib.pk),
        change_reason="OCHA lists it in Idlib",
    )

    move = EditorialChange.objects.get()
    assert (move.action, move.summary) == ("place_moved", "Khan Shaykhun moved from Hama to Idlib")
    place_page = Client().get("/places/khan-shaykhun/").content.decode()
    assert "1 correction" in place_page
    assert (
        "moved from Hama to Idlib"
        in Client().get("/places/khan-shaykhun/corrections/").content.decode()
    )
    refusal = undo_in_admin(editor_client, move).content.decode()
    assert "move the place back instead" in refusal


def test_an_article_updated_by_an_ingest_keeps_its_previous_version_which_editors_restore(
    editor, editor_client, report
):
    # What the ingest does when a stored article's source changed: keep, then overwrite.
    services.record_revision(report, "updated from https://levantwire.example/nusra")
    Article.objects.filter(pk=report.pk).update(body="A rewritten body that names nobody.")
    ActorMention.objects.filter(article=report).delete()
    LocationMention.objects.filter(article=report).delete()
    revision = EditorialChange.objects.get()

    listing = editor_client.get(RECORD, {"article": report.pk}).content.decode()
    undo_in_admin(editor_client, revision, reason="the update was a broken page")

    assert "The text was updated from the original report" in listing
    assert "the ingest" in listing
    report.refresh_from_db()
    assert report.body.startswith("Nusra Front fighters reached Khirbat al-Naqous")
    assert list(report.actor_mentions.values_list("actor__name", flat=True)) == ["Nusra Front"]
    assert report.location_mentions.count() == 1
    log = Client().get(f"/articles/{report.pk}/corrections/").content.decode()
    assert "An earlier version was restored" in log


def test_editors_read_the_record_but_cannot_edit_or_delete_entries(editor, editor_client, report):
    services.set_hidden([report], True, user=editor, reason="legal review")
    change = EditorialChange.objects.get()

    listing = editor_client.get(RECORD)
    entry = editor_client.get(f"{RECORD}{change.pk}/change/")
    delete = editor_client.post(f"{RECORD}{change.pk}/delete/", {"post": "yes"})

    assert listing.status_code == entry.status_code == 200
    assert "legal review" in entry.content.decode()
    assert delete.status_code == 403
    assert EditorialChange.objects.filter(pk=change.pk).exists()


def test_an_actor_cannot_be_set_to_merged_by_hand(post_change_form):
    nusra = ActorFactory(name="Nusra Front")

    response = post_change_form(f"/admin/articles/actor/{nusra.pk}/change/", status="merged")

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    nusra.refresh_from_db()
    assert nusra.status == "confirmed"


def test_a_name_with_markup_is_shown_as_text_on_the_corrections_log(editor):
    actor = ActorFactory(name='<script>alert("x")</script> Brigade', slug="script-brigade")
    article = ArticleFactory(title="A report")
    services.decide_tag(mention_article(article, actor), "rejected", user=editor)

    log = Client().get(f"/articles/{article.pk}/corrections/").content.decode()

    assert "<script>alert" not in log
    assert "&lt;script&gt;alert" in log
