"""What an editor sees the tagger do with people and with known names spelt otherwise.

Fictional sentences; the gazetteer is the small fixture one plus the groups and people
they name (names and spellings are facts from the public record).
"""

import dataclasses

import pytest

from articles.ingest.gazetteer import Gazetteer, GazetteerActor, GazetteerLocation
from articles.ingest.people import find_people
from articles.ingest.pipeline import describe
from articles.ingest.tag import EXTRACTOR, tag_article
from articles.vocabulary import PERSON_ROLES
from tests.ingest.fixtures_gazetteer import ACTORS, LOCATIONS
from tests.ingest.parsed import make_article

GAZETTEER = Gazetteer.build(
    [
        *ACTORS,
        GazetteerActor("jaish-al-izza", "Jaish al-Izza", "armed_group", ("Jaysh al-Izza",)),
        GazetteerActor("jaish-al-nasr", "Jaish al-Nasr", "armed_group", ("Army of Victory",)),
        GazetteerActor(
            "nour-al-din-al-zenki-movement",
            "Nour al-Din al-Zenki Movement",
            "armed_group",
            ("Nour al-Din al-Zenki", "Harakat Nour al-Din al-Zenki"),
        ),
        GazetteerActor("staffan-de-mistura", "Staffan de Mistura", "person"),
        GazetteerActor("israel", "Israel", "state"),
    ],
    [
        *LOCATIONS,
        GazetteerLocation("khan-shaykhun", "Khan Sheikhoun", "town", "idlib-governorate"),
        GazetteerLocation("israel", "Israel", "country"),
    ],
)


def tag(body, **fields):
    return tag_article(make_article(body=body, **fields), GAZETTEER)


def actor(tagged, slug):
    return next(m for m in tagged.actors if m.slug == slug)


def people(tagged):
    return [(c.name, c.role) for c in tagged.candidates if c.kind == "person"]


@pytest.mark.parametrize(
    ("written", "slug"),
    [
        ("Jaish al-Ezzah", "jaish-al-izza"),
        ("Jaish al-Naser", "jaish-al-nasr"),
        ("Nour Addien al-Zinki", "nour-al-din-al-zenki-movement"),
        ("the Turkistan Party", "turkistan-islamic-party"),
    ],
)
def test_a_known_group_under_another_spelling_is_tagged_as_that_group(written, slug):
    tagged = tag(f"Fighters of {written} shelled positions near Hama on Sunday.")

    mention = actor(tagged, slug)
    assert written.removeprefix("the ") in mention.written
    assert 0.9 <= mention.confidence < 1
    assert tagged.candidates == []


def test_a_name_only_close_to_a_known_group_is_a_candidate_probably_that_group():
    tagged = tag("Jaish al-Azza fighters withdrew from the hills north of Hama.")

    (candidate,) = tagged.candidates
    assert (candidate.name, candidate.kind) == ("Jaish al-Azza", "armed_group")
    assert candidate.probable == "jaish-al-izza"
    assert 0.75 <= candidate.probable_score < 0.9
    assert "jaish-al-izza" not in {m.slug for m in tagged.actors}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Homs Governor Talal Barazi said five people died.", [("Talal Barazi", "official")]),
        (
            "Karim Haddad, a spokesman for the rebels, denied the report.",
            [("Karim Haddad", "spokesman")],
        ),
        (
            "The attack was repelled, said rebel commander Abu Omar al-Halabi.",
            [("Abu Omar al-Halabi", "commander")],
        ),
        (
            "Lena Marsh, a resident of the town, told reporters the bakery had closed.",
            [("Lena Marsh", "resident")],
        ),
        (
            "Families queue for bread in the old city (Photo: Omar Haj Kadour/AFP)",
            [("Omar Haj Kadour", "journalist")],
        ),
        (
            "The convoy reached the town on Monday.\nReporting by Nadia Farah; Editing by "
            "Peter Graff",
            [("Nadia Farah", "journalist"), ("Peter Graff", "journalist")],
        ),
        (
            "Nine people were hurt, according to Hadi Rahmoun, a local doctor.",
            [("Hadi Rahmoun", "resident")],
        ),
        (
            "Sami Kaddour, an analyst in Beirut, expects more strikes.",
            [("Sami Kaddour", "analyst")],
        ),
        (
            "Eleven died in the raids said Observatory head Tarek Hamdan.",
            [("Tarek Hamdan", "monitor")],
        ),
        (
            "Al-Fajr Brigade chief Bilal Sawwan said the road was cut.",
            [("Bilal Sawwan", "commander")],
        ),
        (
            "The head of the OPCW-UN Joint Mission Marit Lindqvist told the council.",
            [("Marit Lindqvist", "official")],
        ),
        (
            "Archimandrite Elias Toma who works with the displaced said 15 were killed.",
            [("Elias Toma", "")],
        ),
        (
            "Wael Farha head of the press office at the brigade told the paper it held.",
            [("Wael Farha", "spokesman")],
        ),
        (
            "The fighting was close, the Observatorys director Samer Khoury said.",
            [("Samer Khoury", "monitor")],
        ),
    ],
)
def test_people_the_article_names_are_found_with_the_role_the_text_gives(body, expected):
    assert people(tag(body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Among the dead were Karim Fadel al-Sayegh Omar Nabil al-Rifai and Tarek Jamil Hamwi.",
            [("Karim Fadel al-Sayegh", ""), ("Omar Nabil al-Rifai", ""), ("Tarek Jamil Hamwi", "")],
        ),
        (
            "Smoke over the old market (REUTERS/Khalil Ashour)",
            [("Khalil Ashour", "journalist")],
        ),
        (
            "Rescuers search the ruins. Nadim Kassar / Getty Images",
            [("Nadim Kassar", "journalist")],
        ),
        (
            "Awful scenes tonight \u2014 Samer Daoud (@samerdaoud) July 4, 2016",
            [("Samer Daoud", "")],
        ),
        (
            "Reporting by Hani Bitar Amman newsroom; Editing by Lena Moss",
            [("Hani Bitar", "journalist"), ("Lena Moss", "journalist")],
        ),
        ("Osama Nasri, who runs a clinic in the town, asked for fuel.", [("Osama Nasri", "")]),
        (
            "The shell damaged two houses. M. Haddad/H. Nasr",
            [("M. Haddad", "journalist"), ("H. Nasr", "journalist")],
        ),
        (
            "The shell damaged two houses. Rima Saleh/ Dima",
            [("Rima Saleh", "journalist"), ("Dima", "journalist")],
        ),
        ("Two were hurt in the attack. R.J/ Lamis", [("Lamis", "journalist")]),
        (
            "It said it had killed senior commanders Omar Al Hadidi Alaa Al Din Al Hadidi and "
            "Salah Al Din Al Hadidi last week.",
            [
                ("Omar Al Hadidi", "commander"),
                ("Alaa Al Din Al Hadidi", ""),
                ("Salah Al Din Al Hadidi", ""),
            ],
        ),
        ("There is no bread left, Ahmed, 24, said.", [("Ahmed", "")]),
        ("There is no bread left Ahmed 24 said.", [("Ahmed", "")]),
        (
            "Nabil Hourani of the Levant Relief Network said the road was cut.",
            [("Nabil Hourani", "")],
        ),
        # Punctuation stripped before a title: the name ends where the title begins
        (
            '"It has to stop" said Mark Fellowes Regional Humanitarian Coordinator for Syria.',
            [("Mark Fellowes", "")],
        ),
        # A correspondent credited after the quote
        ('"Fuel has run out in the east" reported Fadi Kanaan.', [("Fadi Kanaan", "")]),
        # A caption's credit without the agency, the next headline run into it
        (
            "The fighting goes on. Photo Jane Doe Aid Convoy Reaches Town",
            [("Jane Doe", "journalist")],
        ),
        # A tweet whose month is in the page's own language
        (
            "The bus was hit this morning. Lina Haddad (linahaddad) 1 "
            "\u062f\u064a\u0633\u0645\u0628\u0631 2015 The blast",
            [("Lina Haddad", "")],
        ),
        # A possessive whose apostrophe was stripped, and an apposition without its comma
        ("Villagers were gassed by Rafiq Halabis forces in 1988.", [("Rafiq Halabi", "")]),
        (
            "The channel showed a picture of Abu Zaid the suicide bomber behind the blast.",
            [("Abu Zaid", "")],
        ),
        ("Among the dead is the group's emissary Abu Hamza.", [("Abu Hamza", "official")]),
        # A page's date and byline run into the text
        (
            "Clinic Shelled | Posted on May 3 2016 by Rana Mourad Clinic Shelled Doctors said",
            [("Rana Mourad", "journalist")],
        ),
    ],
)
def test_people_in_lists_credits_and_tweets_are_found(body, expected):
    assert people(tag(body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The clinic's surgeon Dr. Karam was among the dead.", [("Karam", "resident")]),
        ("The group's spokesman Nizar told reporters the road was cut.", [("Nizar", "spokesman")]),
        ("A witness named Lubna said the blast shook the street.", [("Lubna", "")]),
    ],
)
def test_one_word_names_after_a_title_or_named_are_people(body, expected):
    assert people(tag(body)) == expected


@pytest.mark.parametrize(
    "body",
    [
        "The General Command said the front was calm.",
        "Shells fell on the Sheikh Saeed district overnight.",
    ],
)
def test_a_title_before_a_word_that_is_no_name_finds_no_one(body):
    assert people(tag(body)) == []


def test_a_person_quoted_without_a_role_is_found_without_one():
    assert people(tag("Yasmin Halabi told the agency that the road was cut.")) == [
        ("Yasmin Halabi", "")
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Khan Sheikhoun said goodbye to its last doctor.",
        "Jaish al-Nasr said its fighters had withdrawn.",
        "The Syrian Observatory for Human Rights said 20 people died.",
        "Wednesday said nothing; Monday told a different story.",
        "Comment via Facebook Related Pope Francis Prays for Peace in War-Torn Ukraine Iraq Syria",
        "He was known as Omar the Chechen The Pentagon announced in March that he had died.",
    ],
)
def test_places_groups_and_days_are_never_taken_for_people(body):
    assert people(tag(body)) == []


def test_a_known_person_is_tagged_with_the_role_the_text_gives():
    tagged = tag("Syrian President Bashar al-Assad said the war was not over.")

    mention = actor(tagged, "bashar-al-assad")
    assert mention.role == "official"
    assert people(tagged) == []


def test_a_known_person_under_another_spelling_is_that_person():
    tagged = tag("UN envoy Steffan De Mistura told the council the talks would resume.")

    mention = actor(tagged, "staffan-de-mistura")
    assert mention.written == ["Steffan De Mistura"]
    assert mention.role == "official"


def test_a_surname_alone_later_counts_for_the_person_named_in_full():
    tagged = tag(
        "Homs Governor Talal Barazi said the road was open. "
        "Barazi added that more buses would come."
    )

    (candidate,) = tagged.candidates
    assert (candidate.name, candidate.count) == ("Talal Barazi", 2)


def test_a_known_name_inside_a_persons_name_is_part_of_the_person():
    tagged = tag("Israeli Foreign Minister Israel Katz said the strikes would go on.")

    assert people(tagged) == [("Israel Katz", "official")]
    assert "israel" not in {m.slug for m in tagged.actors}
    assert "israel" not in {m.slug for m in tagged.locations}


def test_roles_come_from_one_vocabulary():
    found = find_people({"body": "Rebel spokesman Omar Saeed and Gen. Ahmad Kanaan spoke."})

    assert {person.role for person in found} <= set(PERSON_ROLES)
    assert [(p.name, p.role) for p in found] == [
        ("Omar Saeed", "spokesman"),
        ("Ahmad Kanaan", "commander"),
    ]


def test_every_mention_says_which_tagger_version_found_it_and_how_it_was_written():
    tagged = tag(
        "Jaish al-Ezzah shelled Lattakia. Later Jaysh al-Izza fighters entered Latakia.",
        title="Rebels shell Latakia",
    )

    assert tagged.extractor == EXTRACTOR
    assert actor(tagged, "jaish-al-izza").written == ["Jaish al-Ezzah", "Jaysh al-Izza"]
    assert next(m for m in tagged.locations if m.slug == "latakia").written == [
        "Latakia",
        "Lattakia",
    ]


def test_the_dry_run_json_gives_aliases_written_forms_spans_sentence_and_extractor():
    article = make_article(
        title="Shelling in Hama",
        body="Jaish al-Naser fighters shelled Hamah on Monday, said Omar Saeed, a spokesman.",
    )
    data = describe(tag_article(article, GAZETTEER), GAZETTEER)

    group = next(a for a in data["actors"] if a["slug"] == "jaish-al-nasr")
    assert group["aliases"] == ["Army of Victory"]
    assert group["written"] == ["Jaish al-Naser"]
    assert group["spans"] == [{"field": "body", "start": 0, "end": 14}]
    assert group["sentence"].startswith("Jaish al-Naser fighters shelled Hamah")
    assert group["extractor"] == EXTRACTOR
    assert group["confidence"] < 1
    place = next(p for p in data["locations"] if p["slug"] == "hama")
    assert {"aliases", "written", "spans", "sentence", "extractor"} <= set(place)
    assert "Hamah" in place["written"]
    (person,) = data["candidates"]
    assert (person["name"], person["role"], person["extractor"]) == (
        "Omar Saeed",
        "spokesman",
        EXTRACTOR,
    )


def test_the_mention_dataclass_keeps_its_old_fields_first():
    # save.py and the retag service build Mentions by keyword; the new fields have defaults.
    names = [f.name for f in dataclasses.fields(tag("Hama.").locations[0])]
    assert names[:6] == ["slug", "count", "first_field", "first_offset", "sentence", "spans"]
