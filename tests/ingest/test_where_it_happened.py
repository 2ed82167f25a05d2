"""Where an article's events happen, as a reader of wire reporting would say it.

Fictional reports written for these tests; the places are real (facts) and come from the
shipped gazetteer.
"""

import pytest

from articles.ingest.gazetteer import Gazetteer
from articles.ingest.tag import tag_article
from tests.ingest.parsed import make_article


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_data_files()


def province(gazetteer, title, body):
    tagged = tag_article(make_article(title=title, body=body), gazetteer)
    return gazetteer.locations[tagged.primary_location].province_slug


def test_a_beirut_wire_report_about_a_blast_near_the_border_is_filed_under_idlib(gazetteer):
    # The lead says what happened, a later sentence where; the rest is background.
    body = (
        "BEIRUT (Reuters) - A car bomb killed at least 20 fighters near the Turkish border on "
        "Sunday, a war monitor said. Dozens more were wounded, some of them critically. "
        "No group has said it carried out the attack. The blast struck a checkpoint outside "
        "Sarmada in the Idlib countryside, the monitor said. Militants have attacked rebel "
        "towns in Aleppo province for months. An offensive in May saw them besiege Marea. "
        "Rebels pushed back an attack on Azaz in Aleppo province in June."
    )

    assert province(gazetteer, "Car bomb kills 20 fighters near Turkish border", body) == "idlib"


def test_a_report_opening_on_the_toll_is_filed_where_it_first_places_the_events(gazetteer):
    body = (
        "AMMAN (AFP) - Air strikes overnight killed 14 people, most of them women and children, "
        "a monitoring group said on Friday. They were crossing the river on rafts at dawn. "
        "Three children were among the dead. The raids hit boats near Mayadin on the "
        "Euphrates, the monitor said. Government forces attacked positions in Raqqa province "
        "this week. Fighting near Tabqa killed several fighters. Clashes were reported "
        "in the countryside of Raqqa."
    )

    assert province(gazetteer, "Air strikes kill 14 in eastern Syria", body) == "deir-ez-zor"


def test_a_headline_repeated_at_the_top_of_the_body_counts_its_places(gazetteer):
    body = (
        "Army Kills Gunmen in Qalamoun Advances in Deir Ezzor. The army killed six gunmen "
        "who were trying to reach a village in the mountains on Monday, a source said, and "
        "advanced in a neighbourhood of the eastern city where fighting has gone on for weeks."
    )
    tagged = tag_article(make_article(title="", body=body), gazetteer)

    qalamoun = next(m for m in tagged.locations if m.slug == "qalamoun")
    assert qalamoun.spans[0].start == body.index("Qalamoun")


def test_hader_in_quneitra_province_is_the_golan_village_not_the_aleppo_town(gazetteer):
    body = "A drone struck a car at the entrance of Hader in Quneitra province on Wednesday."
    tagged = tag_article(make_article(title="Drone strike near the Golan", body=body), gazetteer)

    assert "hadar" in {m.slug for m in tagged.locations}
    assert province(gazetteer, "Drone strike near the Golan", body) == "quneitra"


def test_the_shaar_gas_field_east_of_homs_is_in_homs_not_an_aleppo_quarter(gazetteer):
    body = (
        "Militants captured the Shaar gas field east of Homs on Thursday after a day of "
        "fighting, a monitor said."
    )

    assert province(gazetteer, "Militants seize gas field", body) == "homs"


def test_a_city_named_only_to_say_where_the_town_is_does_not_take_the_story(gazetteer):
    # The first place in the sentence is a landmark ("40 km south-west of Aleppo"): the
    # market is in Sarmin, in Idlib.
    body = (
        "Warplanes struck a crowded market on Sunday, rescuers said. The market lies 40 km "
        "south-west of Aleppo, in the town of Sarmin, and was full of shoppers."
    )

    assert province(gazetteer, "Strikes on a market kill six", body) == "idlib"


def test_a_headline_naming_the_nearby_city_does_not_outvote_the_town_the_lead_names(gazetteer):
    # "Idlib near Aleppo": Aleppo only says where Idlib is, in the headline as a reader
    # would take it too.
    body = (
        "Air strikes hit a residential building in the city of Idlib near Aleppo on "
        "Tuesday, killing nine civilians, local activists said."
    )

    assert province(gazetteer, "Air strikes kill nine civilians near Aleppo", body) == "idlib"


def test_a_sites_tag_list_run_into_the_lead_is_not_the_lead(gazetteer):
    # The site's keywords ("Tags Syria Hama ...") run straight into the first sentence of
    # the story, with no full stop between them.
    body = (
        "12 March 2016 Rescuers pulled survivors from the rubble after a night of raids. "
        "Tags Syria Hama airstrikes civil defence At least seven people were killed when "
        "warplanes hit a bakery in Saraqib on Monday, rescuers said."
    )

    assert province(gazetteer, "Raids kill seven at a bakery", body) == "idlib"


@pytest.mark.parametrize(
    "sentence",
    [
        "Shells fell on the Ghouta for a third day, residents said.",
        "Mortar rounds hit a school in the Syrian capital on Monday.",
    ],
)
def test_the_ghouta_and_the_syrian_capital_are_filed_under_damascus(gazetteer, sentence):
    assert province(gazetteer, "Three killed in shelling", sentence) in {"damascus", "rif-dimashq"}


def test_an_agency_dateline_in_small_letters_is_where_the_reporter_filed_from(gazetteer):
    # "Damascus, SANA - " is the dateline, as "DAMASCUS (SANA) - " would be: the lead's
    # place, not the agency's desk, is where it happened.
    body = (
        "Damascus, SANA - Army units destroyed positions of armed groups in the countryside "
        "of Idleb on Monday, a military source said."
    )

    assert province(gazetteer, "Army destroys positions of armed groups", body) == "idlib"


def test_the_sentence_repeating_the_headlines_toll_reports_the_headlines_event(gazetteer):
    # The lead names Aleppo first, but the 23 dead of the headline are in Saraqib.
    body = (
        "Warplanes pounded rebel areas across the north on Tuesday, a monitor said. In "
        "Aleppo province, crowds gathered at al-Bab for the funerals of four fighters. "
        "In Idlib, strikes on a market in Saraqib killed 23 civilians, rescuers said."
    )

    assert province(gazetteer, "Air strikes kill 23 civilians", body) == "idlib"
