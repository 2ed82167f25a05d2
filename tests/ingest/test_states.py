"""States, their forces and militias are found the way wire reports name them.

Fictional sentences written for these tests; the states, forces and cities are the shipped
gazetteer's.
"""

import pytest

from articles.ingest.gazetteer import Gazetteer
from articles.ingest.tag import tag_article
from tests.ingest.parsed import make_article


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_data_files()


def tagged(gazetteer, body):
    article = tag_article(make_article(title="", body=body), gazetteer)
    return {m.slug for m in article.actors}, {m.slug for m in article.locations}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Turkish soldiers opened the border gate at dawn.", "turkish-armed-forces"),
        ("Residents said Russian officers handed out bread.", "russian-armed-forces"),
        ("The town fell after Russian air strikes on its outskirts.", "russian-aerospace-forces"),
        ("Israeli patrols set up checkpoints south of the village.", "israel-defense-forces"),
        ("Iranian-backed militias hold the west bank of the river.", "iran"),
        ("Turkish-backed factions turned on each other in Afrin.", "turkey"),
        ("Lebanese officials said the crossing would reopen.", "lebanon"),
        # A country or ruler in the possessive, with or without its apostrophe
        ("Villagers said Syria's army shelled the road at night.", "syrian-government-forces"),
        ("Villagers said Syrias army shelled the road at night.", "syrian-government-forces"),
        ("Syria regime pounds the farms for a second day", "syrian-government-forces"),
        ("The deal returned the valley to Assads government.", "syrian-government-forces"),
        ("Residents fled as Assads forces closed in on the hill.", "syrian-government-forces"),
        ("Russias military denied carrying out the raid.", "russian-armed-forces"),
        ("Israels air strikes hit the depot before dawn.", "israeli-air-force"),
        # Syria reporting's "the regime", and "his regime" right after Assad
        (
            "Families fled Douma as the regime shelled it for a tenth day.",
            "syrian-government-forces",
        ),
        ("Protests against Bashar al-Assad and his regime spread.", "syrian-government-forces"),
        ("Army units then shelled the hills east of the town.", "syrian-government-forces"),
        ("The suburb has seen the worst regime attacks in Ghouta.", "syrian-government-forces"),
        # The country's short name as a nationality
        ("Six people died in US air strikes on the town.", "us-military"),
        ("Residents said U.S. raids went on all night.", "us-military"),
        # Two nationalities share the noun, also with "or" and "regime" between
        ("Russian or Syrian regime war planes hit the camp.", "russian-aerospace-forces"),
        ("Russian or Syrian regime war planes hit the camp.", "syrian-government-forces"),
        ("The push, backed by Russian air power, cut the road.", "russian-aerospace-forces"),
        ("Russian sappers cleared the old town's streets.", "russian-armed-forces"),
    ],
)
def test_a_nationality_before_a_force_or_an_office_names_that_state(gazetteer, body, expected):
    actors, _ = tagged(gazetteer, body)

    assert expected in actors


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Russian and Syrian warplanes struck the town overnight.",
            {"russian-aerospace-forces", "syrian-government-forces"},
        ),
        # A president in the possessive is both the person and his government
        (
            "The town went back to President Bashar al-Assads government.",
            {"bashar-al-assad", "syrian-government-forces"},
        ),
    ],
)
def test_two_actors_named_in_one_phrase_are_both_found(gazetteer, body, expected):
    actors, _ = tagged(gazetteer, body)

    assert expected <= actors


@pytest.mark.parametrize(
    ("body", "not_expected"),
    [
        # A title names the person, not the state acting
        ("The Russian Foreign Minister Sergei Lavrov met the envoy.", "russia"),
        # "in Syria forces ..." where a comma was stripped is no possessive
        (
            "Thousands fled the fighting in Syria forces loyal to him said.",
            "syrian-government-forces",
        ),
        # "the regime" of another state, and someone else's forces
        ("He said the regime in Tehran would not give way.", "syrian-government-forces"),
        ("The Lebanese army shut the crossing, and the army said so.", "syrian-government-forces"),
        ("The Iranian regime armed them, and the regime denied it.", "syrian-government-forces"),
        ("Assad met Vladimir Putin, who said his forces would stay.", "syrian-government-forces"),
    ],
)
def test_a_nationality_or_country_before_a_noun_is_not_always_the_actor(
    gazetteer, body, not_expected
):
    actors, _ = tagged(gazetteer, body)

    assert not_expected not in actors


@pytest.mark.parametrize(
    ("body", "state", "city"),
    [
        ("Ankara said the jet had violated its airspace.", "turkey", "ankara"),
        (
            "Diplomats said Washington and its allies would press for a vote.",
            "united-states",
            "washington",
        ),
        ("Riyadh and Damascus have agreed to reopen their embassies.", "saudi-arabia", "riyadh"),
        ("Moscow's offer was turned down by the rebels.", "russia", "moscow"),
    ],
)
def test_a_foreign_capital_that_speaks_or_acts_is_its_state_not_a_place(
    gazetteer, body, state, city
):
    actors, places = tagged(gazetteer, body)

    assert state in actors
    assert city not in places


@pytest.mark.parametrize(
    "body",
    [
        "BEIRUT (Reuters) - Shelling killed four people in Idlib on Monday, a monitor said.",
        "Talks in Moscow would resume next week, officials said.",
        "Delegates flew to Ankara on Tuesday for the talks.",
    ],
)
def test_a_capital_where_someone_is_stays_a_place(gazetteer, body):
    actors, places = tagged(gazetteer, body)

    assert places & {"beirut", "moscow", "ankara"}
    assert not actors & {"lebanon", "russia", "turkey"}


@pytest.mark.parametrize(
    ("body", "country"),
    [
        ("The fighters had crossed from Turkey before dawn.", "turkey"),
        ("Most of them entered Syria through Turkey, the agency said.", "turkey"),
        ("Clashes broke out near the border with Turkey.", "turkey"),
        ("The group still holds towns in neighbouring Iraq.", "iraq"),
        ("Its supply lines run back to southern Lebanon.", "lebanon"),
        ("The province, which borders Iraq, is mostly desert.", "iraq"),
        ("Many of its men had fought in Iraq before the war.", "iraq"),
        ("The group (banned in Russia) claimed the attack.", "russia"),
        ("A monitoring group based in the UK counted the dead.", "united-kingdom"),
        ("It lost most of the land it held in Syria and Iraq.", "iraq"),
        ("Most of the volunteers came from Tunisia and Egypt.", "egypt"),
        ("The raids cut their roads across the desert and into Iraq.", "iraq"),
    ],
)
def test_a_country_the_sentence_only_crosses_is_a_place_not_the_state_acting(
    gazetteer, body, country
):
    actors, places = tagged(gazetteer, body)

    assert country in places
    assert country not in actors


def test_where_a_monitor_is_based_is_neither_a_state_nor_a_place(gazetteer):
    actors, places = tagged(gazetteer, "The U.K.-based Syrian Observatory said ten died.")

    assert "syrian-observatory-for-human-rights" in actors
    assert "united-kingdom" not in actors | places


def test_a_town_named_like_an_outlet_stays_a_town_where_things_happen(gazetteer):
    actors, places = tagged(gazetteer, "Fighting went on in al-Mayadeen on Monday.")

    assert "mayadin" in places
    assert "al-mayadeen" not in actors


def test_a_town_named_like_an_outlet_is_the_town_after_to_the(gazetteer):
    actors, places = tagged(gazetteer, "Families fled to the al-Mayadeen countryside.")

    assert "mayadin" in places
    assert "al-mayadeen" not in actors


def test_us_led_strikes_are_the_coalition_not_the_united_states_acting(gazetteer):
    actors, _ = tagged(gazetteer, "US-led coalition airstrikes killed ten civilians.")

    assert "us-led-coalition" in actors
    assert "united-states" not in actors


def test_a_state_that_acts_is_still_the_state(gazetteer):
    actors, _ = tagged(gazetteer, "Turkey denied the accusations on Saturday.")

    assert "turkey" in actors


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Militiamen known as shabiha entered homes at night.", "shabiha"),
        ("Coalition warplanes struck the silos before dawn.", "us-led-coalition"),
        ("Fighters of Ansar al-Tawhid shelled the army post.", "ansar-al-tawhid"),
        ("US-led air strikes hit the silos before dawn.", "us-led-coalition"),
        (
            "A truck bomb went off near offices of the Kurdish administration.",
            ("autonomous-administration-of-north-and-east-syria"),
        ),
        ("He told the TV station al-Mayadeen that the road was open.", "al-mayadeen"),
        ("In comments to al-Mayadeen he said the siege was over.", "al-mayadeen"),
        ("According to the Al Mayadeen broadcaster the siege goes on.", "al-mayadeen"),
        ("He urged Fatah al-Sham to leave the east of the city.", "jabhat-fateh-al-sham"),
        ("Army units broke the lines of the militants, FNA reports.", "fars-news-agency"),
    ],
)
def test_names_wire_reports_write_their_own_way_are_known_actors(gazetteer, body, expected):
    actors, _ = tagged(gazetteer, body)

    assert expected in actors


def test_a_states_defence_ministry_in_the_possessive_is_the_state(gazetteer):
    actors, _ = tagged(gazetteer, "Russia's defence ministry said the frigate fired at dawn.")

    assert actors == {"russia"}


@pytest.mark.parametrize(
    "body",
    [
        # Other stories' headlines after "Related" at the end of the page
        "Shelling hit the old market on Monday, killing four men and a boy, and wounding "
        "eleven others, medics at the town's only clinic said. The market had reopened a "
        "week earlier. ... 212 Related Turkish Army Shells Kurdish Positions Near Afrin "
        "Lavrov Meets UN Envoy in Geneva",
        # The site's keyword list before the lead
        "Tags Syria Turkey United Nations shelling. Shelling hit the old market on Monday.",
    ],
)
def test_the_actors_in_a_pages_related_headlines_or_keyword_list_are_not_tagged(gazetteer, body):
    actors, _ = tagged(gazetteer, body)

    assert not actors & {"turkish-armed-forces", "turkey", "united-nations", "sergei-lavrov"}


def test_an_actor_the_story_names_is_tagged_though_its_keyword_list_names_it_too(gazetteer):
    body = "Tags Syria Turkey shelling. Turkey said its guns had answered fire from the town."

    actors, _ = tagged(gazetteer, body)

    assert "turkey" in actors


@pytest.mark.parametrize(
    "body",
    [
        "State TV said the blast in the old market killed four people.",
        "Earlier state television had reported the blast but gave no figures.",
        "The city of Homs state television reported two barrel bombs.",  # a comma stripped
    ],
)
def test_a_bare_state_television_in_a_syria_report_is_syrian_state_television(gazetteer, body):
    actors, _ = tagged(gazetteer, body)

    assert actors == {"syrian-state-television"}


def test_state_television_is_not_syrias_where_the_article_names_another_states_channel(
    gazetteer,
):
    body = "Iranian state TV showed the convoy. Later state TV said it had reached the town."

    actors, _ = tagged(gazetteer, body)

    assert "syrian-state-television" not in actors
