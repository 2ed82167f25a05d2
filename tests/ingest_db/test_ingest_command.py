import io
import json

import pytest
from django.core.management import call_command

from articles.models import Actor, ActorMention, Article, Location, LocationMention, ReviewStatus
from tests.commands import run_ingest

pytestmark = pytest.mark.django_db

REPORT = """Skip to main content

Jund al-Aqsa fighters seize Khirbat al-Naqous

Rebels push into the al-Ghab plain as government forces regroup north of Hama

HAMA, Syria - Fighters from Jund al-Aqsa captured the village of Khirbat al-Naqous on Tuesday,
the Syrian Observatory for Human Rights said, after a night of shelling by government forces.

Ahrar al-Sham said its units held positions west of Latakia while talks continued in Geneva.

Stay informed with our newsletters
"""


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "naqous.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_ingesting_a_text_file_stores_the_article_with_its_tags(gazetteer_in_db, report_file):
    code, out, _ = run_ingest(
        str(report_file), "--source", "Levant Wire", "--published", "2016-04-19"
    )

    article = Article.objects.get()
    assert code == 0
    assert "1 created, 0 updated, 0 unchanged, 0 conflict, 0 failed" in out
    assert article.title == "Jund al-Aqsa fighters seize Khirbat al-Naqous"
    assert article.source.name == "Levant Wire"
    assert str(article.published_on) == "2016-04-19"
    assert "Stay informed" not in article.body
    assert {"jund-al-aqsa", "ahrar-al-sham", "syrian-observatory-for-human-rights"} <= set(
        article.actors.values_list("slug", flat=True)
    )
    naqous = LocationMention.objects.get(article=article, location__slug="khirbat-al-naqous")
    assert naqous.province.name == "Hama"
    assert (naqous.count, naqous.first_field, naqous.sentence) == (2, "title", article.title)
    assert article.primary_province.name == "Hama"


def test_ingesting_the_same_file_again_changes_nothing(gazetteer_in_db, report_file):
    run_ingest(str(report_file))

    code, out, _ = run_ingest(str(report_file))

    assert code == 0
    assert "0 created, 0 updated, 1 unchanged, 0 conflict, 0 failed" in out
    assert Article.objects.count() == 1


def test_a_changed_page_at_the_same_url_is_updated_not_duplicated(gazetteer_in_db, report_file):
    url = "https://levantwire.example/2016/04/naqous"
    run_ingest(str(report_file), "--url", url)
    report_file.write_text(REPORT.replace("on Tuesday", "on Tuesday morning"), encoding="utf-8")

    _, out, _ = run_ingest(str(report_file), "--url", url)

    assert "0 created, 1 updated" in out
    assert Article.objects.get().body.count("Tuesday morning") == 1


def test_a_bad_input_is_reported_and_the_rest_of_the_batch_is_stored(
    gazetteer_in_db, report_file, tmp_path
):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))

    code, out, err = run_ingest(str(empty), str(report_file), str(binary))

    assert code == 1
    assert "1 created, 0 updated, 0 unchanged, 0 conflict, 2 failed" in out
    assert f"FAILED {empty}: empty file" in err
    assert f"FAILED {binary}: binary file" in err
    assert Article.objects.count() == 1


def test_a_missing_path_is_a_failure_not_a_crash(gazetteer_in_db, tmp_path):
    code, _, err = run_ingest(str(tmp_path / "nowhere.html"))

    assert code == 1
    assert "nowhere.html" in err


def test_dry_run_json_describes_the_article_and_stores_nothing(gazetteer_in_db, report_file):
    code, out, _ = run_ingest(str(report_file), "--dry-run", "--json")

    line = json.loads(out)
    assert code == 0
    assert Article.objects.count() == 0
    assert line["input"] == str(report_file)
    assert line["error"] is None
    assert line["title"] == "Jund al-Aqsa fighters seize Khirbat al-Naqous"
    assert {
        "standfirst",
        "caption",
        "body",
        "published",
        "authors",
        "source",
        "url",
        "language",
        "actors",
        "locations",
        "primary_location",
    } <= set(line)
    naqous = next(loc for loc in line["locations"] if loc["slug"] == "khirbat-al-naqous")
    assert (naqous["province"], naqous["country"]) == ("Hama", "Syria")
    geneva = next(loc for loc in line["locations"] if loc["slug"] == "geneva")
    assert (geneva["province"], geneva["country"]) == (None, "Switzerland")
    jund = next(actor for actor in line["actors"] if actor["slug"] == "jund-al-aqsa")
    assert (jund["kind"], jund["mentions"]) == ("armed_group", 2)  # headline and body
    assert line["primary_location"]["province"] == "Hama"


def test_retagging_keeps_what_editors_confirmed_and_rejected(gazetteer_in_db, report_file):
    run_ingest(str(report_file))
    article = Article.objects.get()
    rejected = ActorMention.objects.get(article=article, actor__slug="ahrar-al-sham")
    rejected.review_status = ReviewStatus.REJECTED
    rejected.save()
    hand_added = ActorMention.objects.create(
        article=article,
        actor=Actor.objects.get(slug="hayat-tahrir-al-sham"),
        review_status=ReviewStatus.CONFIRMED,
    )

    call_command("retag", stdout=io.StringIO())

    assert ActorMention.objects.get(pk=rejected.pk).review_status == ReviewStatus.REJECTED
    assert ActorMention.objects.filter(pk=hand_added.pk).exists()
    assert ActorMention.objects.filter(article=article, actor__slug="jund-al-aqsa").exists()


def test_an_alias_an_editor_adds_is_found_after_retagging(gazetteer_in_db, tmp_path):
    path = tmp_path / "brigade.txt"
    path.write_text(
        "Clashes flare near Hama as Orontes Lions shell army posts\n\n"
        "The Orontes Lions said on Sunday that their fighters had shelled "
        "army positions on the edge of the al-Ghab plain, north-west of Hama.\n",
        encoding="utf-8",
    )
    run_ingest(str(path))
    jaish = Actor.objects.get(slug="jaish-al-nasr")
    jaish.aliases.append("Orontes Lions")
    jaish.save()

    call_command("retag", stdout=io.StringIO())

    assert Article.objects.get().actors.filter(slug="jaish-al-nasr").exists()


def test_reloading_the_gazetteer_keeps_aliases_editors_added(gazetteer_in_db):
    hts = Actor.objects.get(slug="hayat-tahrir-al-sham")
    hts.aliases.append("Tahrir al-Sham Committee")
    hts.save()

    call_command("load_gazetteer", stdout=io.StringIO())

    assert "Tahrir al-Sham Committee" in Actor.objects.get(slug="hayat-tahrir-al-sham").aliases


def test_the_villages_are_loaded_under_their_districts_and_reloading_changes_nothing(
    gazetteer_in_db,
):
    urum = Location.objects.get(slug="urum-as-sughra")
    assert urum.parent.slug == "mount-simeon-district"
    assert urum.province.slug == "aleppo"
    assert urum.path == "syria/aleppo/mount-simeon-district/urum-as-sughra"
    assert urum.needs_context
    assert Location.objects.filter(needs_context=True).count() > 10_000

    out = io.StringIO()
    call_command("load_gazetteer", stdout=out)

    assert "0 villages created, 0 updated" in out.getvalue()
