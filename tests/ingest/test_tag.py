"""What an editor sees the tagger do, on fictional sentences and a small gazetteer."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest.gazetteer import Gazetteer, GazetteerActor, GazetteerLocation
from articles.ingest.tag import Span, normalise, tag_article
from tests.ingest.fixtures_gazetteer import fixture_gazetteer
from tests.ingest.parsed import make_article

GAZETTEER = fixture_gazetteer()


def tag(**fields):
    return tag_article(make_article(**fields), GAZETTEER)


def actor_slugs(tagged):
    return sorted(m.slug for m in tagged.actors)


def location_slugs(tagged):
    return sorted(m.slug for m in tagged.locations)


def test_province_of_latakia_is_tagged_as_the_governorate():
    tagged = tag(body="Shelling hit the coastal province of Latakia overnight.")

    assert location_slugs(tagged) == ["latakia-governorate"]


@pytest.mark.parametrize(
    "body",
    [
        "New fronts opened in Latakia province this week.",
        "Fighting spread across Latakia and Hama provinces.",
        "Aid reached the Latakia governorate on Friday.",
        "Rebels massed in the countryside of Latakia.",
    ],
)
def test_latakia_with_a_province_word_is_the_governorate(body):
    tagged = tag(body=body)

    assert "latakia-governorate" in location_slugs(tagged)
    assert "latakia" not in location_slugs(tagged)


def test_latakia_and_hama_provinces_are_both_governorates():
    tagged = tag(body="Fighting spread across Latakia and Hama provinces.")

    assert location_slugs(tagged) == ["hama-governorate", "latakia-governorate"]


def test_west_of_latakia_is_the_city_rolled_up_to_latakia_province():
    tagged = tag(body="The hills west of Latakia were shelled at dawn.")

    assert location_slugs(tagged) == ["latakia"]
    assert GAZETTEER.province_of("latakia").slug == "latakia-governorate"


@pytest.mark.parametrize(
    "body",
    [
        "Residents in Latakia city queued for bread.",
        "The city of Latakia was calm on Sunday.",
        "A checkpoint near Latakia was attacked.",
    ],
)
def test_latakia_with_a_city_word_is_the_city(body):
    tagged = tag(body=body)

    assert location_slugs(tagged) == ["latakia"]


def test_latakia_without_a_cue_follows_the_sense_the_article_chose():
    tagged = tag(
        body="Rebels attacked the province of Latakia. The Latakia offensive stalled by noon."
    )

    assert location_slugs(tagged) == ["latakia-governorate"]
    assert tagged.locations[0].count == 2


def test_al_ghaab_plains_is_the_al_ghab_plain():
    tagged = tag(body="Columns advanced on the al-Ghaab Plains at first light.")

    assert location_slugs(tagged) == ["al-ghab-plain"]
    assert GAZETTEER.province_of("al-ghab-plain").slug == "hama-governorate"


@pytest.mark.parametrize(
    "spelling",
    ["Khirbat al-Naqous", "Khirbet al-Naqus", "Khirbat Naqous", "khirbat al naqous"],
)
def test_spellings_of_khirbat_al_naqous_are_one_village(spelling):
    tagged = tag(body=f"Shells fell on {spelling} at noon.")

    assert location_slugs(tagged) == ["khirbat-al-naqous"]


def test_jabal_akrad_without_the_article_is_jabal_al_akrad():
    tagged = tag(body="Snipers held the ridges of Jabal Akrad.")

    assert location_slugs(tagged) == ["jabal-al-akrad"]


def test_the_span_covers_the_name_as_written():
    body = "Snipers held the ridges of Jabal Akrad."
    tagged = tag(body=body)

    span = tagged.locations[0].spans[0]
    assert body[span.start : span.end] == "Jabal Akrad"
    assert span.field == "body"


def test_ahrar_ash_sham_is_ahrar_al_sham():
    tagged = tag(body="Ahrar ash-Sham denied the claim.")

    assert actor_slugs(tagged) == ["ahrar-al-sham"]


def test_bab_does_not_match_al_bab_nor_the_other_way():
    tagged = tag(body="Trucks crossed at Bab al-Hawa, far from al-Bab.")

    assert location_slugs(tagged) == ["al-bab", "bab-al-hawa"]


def test_turkey_in_a_newsletter_line_is_not_tagged():
    article = make_article(
        title="Talks resume in Geneva",
        body="Delegates met for a third day.",
        boilerplate=["Sign up for our newsletter, starting with Turkey Weekly"],
    )

    tagged = tag_article(article, GAZETTEER)

    assert "turkey" not in actor_slugs(tagged)
    assert "turkey" not in location_slugs(tagged)


def test_lowercase_us_is_not_the_united_states():
    tagged = tag(body="They told us the road was closed.")

    assert actor_slugs(tagged) == []


def test_capital_us_is_the_united_states_even_hyphenated():
    tagged = tag(body="Fighters fired US-made missiles, the UN-mediated truce aside.")

    assert actor_slugs(tagged) == ["united-nations", "united-states"]


def test_an_acronym_in_the_possessive_without_its_apostrophe_is_the_actor():
    tagged = tag(body="The UNs envoy met the UN's aid chief; the runs and puns went on.")

    assert [(m.slug, m.count) for m in tagged.actors] == [("united-nations", 2)]


def test_lowercase_is_is_not_islamic_state():
    tagged = tag(body="It is quiet. IS fighters withdrew.")

    assert [(m.slug, m.count) for m in tagged.actors] == [("islamic-state", 1)]


def test_turkey_the_state_acts_and_is_a_place_only_after_to():
    tagged = tag(body="Turkey closed the border. Thousands fled to Turkey anyway.")

    assert [(m.slug, m.count) for m in tagged.actors] == [("turkey", 2)]
    assert [(m.slug, m.count) for m in tagged.locations] == [("turkey", 1)]


def test_turkey_the_bird_is_not_a_state():
    tagged = tag(body="Families shared a roast turkey.")

    assert actor_slugs(tagged) == []


def test_syria_is_a_place():
    tagged = tag(body="Violence fell across Syria.")

    assert actor_slugs(tagged) == []
    assert location_slugs(tagged) == ["syria"]


def test_geneva_keeps_its_country():
    tagged = tag(body="Envoys gathered in Genève.")

    assert location_slugs(tagged) == ["geneva"]
    assert GAZETTEER.country_of("geneva").slug == "switzerland"


def test_a_group_named_after_a_place_is_the_group_only():
    tagged = tag(body="Liwa Suqur al-Ghab shelled the plain.")

    assert actor_slugs(tagged) == ["liwa-suqur-al-ghab"]
    assert location_slugs(tagged) == []


def test_a_place_alias_at_the_end_of_a_longer_name_is_not_that_place():
    tagged = tag(body="Suqour al-Sham fighters left Damascus, which locals call al-Sham.")

    assert [(m.slug, m.count) for m in tagged.locations] == [("damascus", 2)]


def test_longest_match_wins():
    tagged = tag(body="The United States of America voted.")

    assert [(m.slug, m.count) for m in tagged.actors] == [("united-states", 1)]
    assert tagged.actors[0].spans == [Span("body", 4, 28)]


def test_fields_are_tagged_separately_in_reading_order():
    tagged = tag(
        title="Shelling near Hama",
        standfirst="Ahrar al-Sham claims gains",
        caption="A fighter in Hama (AFP)",
        body="Ahrar al-Sham said it took two villages.",
    )

    ahrar = tagged.actors[0]
    assert (ahrar.slug, ahrar.count, ahrar.first_field, ahrar.first_offset) == (
        "ahrar-al-sham",
        2,
        "standfirst",
        0,
    )
    assert [s.field for s in ahrar.spans] == ["standfirst", "body"]
    assert tagged.locations[0].first_field == "title"


def test_mention_sentence_is_the_first_occurrences_sentence():
    tagged = tag(body="Night fell. Jaish al-Islam moved north. Jaish al-Islam then stopped.")

    assert tagged.actors[0].sentence == "Jaish al-Islam moved north."


def test_long_sentence_is_trimmed_to_400_characters():
    filler = "and the convoy went on " * 40
    tagged = tag(body=f"Families left {filler}until Jaish al-Islam stopped them {filler}.")

    sentence = tagged.actors[0].sentence
    assert len(sentence) <= 400
    assert "Jaish al-Islam" in sentence


def test_an_acronym_defined_in_the_text_is_an_alias_for_this_article():
    tagged = tag(body="Kataib Ansar al-Sham (KAS) shelled the plain. Later KAS fighters withdrew.")

    assert [(m.slug, m.count) for m in tagged.actors] == [("kataib-ansar-al-sham", 3)]


def test_an_unknown_body_with_an_acronym_is_a_candidate_counted_with_its_acronym():
    tagged = tag(
        body="The Northern Relief Council (NRC) sent trucks. The NRC said more would follow."
    )

    assert [(c.name, c.kind, c.count) for c in tagged.candidates] == [
        ("Northern Relief Council", "political_body", 3)
    ]


def test_unknown_armed_groups_are_candidates():
    tagged = tag(
        body="Fighters from Liwa al-Fursan and the 77th Brigade joined the Sultan "
        "Murad Shah Brigade near Hama. Liwa al-Fursan later withdrew."
    )

    assert [(c.name, c.kind, c.count) for c in tagged.candidates] == [
        ("Liwa al-Fursan", "armed_group", 2),
        ("77th Brigade", "armed_group", 1),
        ("Sultan Murad Shah Brigade", "armed_group", 1),
    ]


def test_a_possessive_ends_a_groups_name():
    tagged = tag(body="Liwa al-Fursan's commander Omar Sabri Talib said so.")

    assert [(c.name, c.kind) for c in tagged.candidates] == [
        ("Liwa al-Fursan", "armed_group"),
        ("Omar Sabri Talib", "person"),
    ]


def test_a_place_inside_an_unknown_groups_name_is_not_a_place():
    tagged = tag(body="The Free Idlib Army (FIA) said the FIA held its lines.")

    assert [(c.name, c.kind, c.count) for c in tagged.candidates] == [
        ("Free Idlib Army", "armed_group", 3)
    ]
    assert location_slugs(tagged) == []


def test_people_introduced_by_their_role_are_candidates():
    tagged = tag(
        body="Karim Haddad, a spokesman for the rebels, denied it. "
        "Talks envoy Lena Marsh Whitby arrived on Monday."
    )

    assert [(c.name, c.kind) for c in tagged.candidates] == [
        ("Karim Haddad", "person"),
        ("Lena Marsh Whitby", "person"),
    ]


def test_known_names_are_never_candidates():
    tagged = tag(body="Jaish al-Islam commander Bashar al-Assad, leader of the Nusra Front.")

    assert tagged.candidates == []


def test_primary_location_is_the_place_in_the_headline_not_the_foreign_dateline():
    tagged = tag(
        title="Shells hit market in Idlib",
        body="BEIRUT (Reuters) - At least nine people died in Idlib on Tuesday, "
        "monitors in Beirut said.",
    )

    assert tagged.primary_location == "idlib"


def test_primary_location_is_the_dateline_in_syria():
    tagged = tag(
        title="Rebels regroup",
        body="IDLIB, Syria — Fighters dug in on Monday. Delegates in Geneva were silent.",
    )

    assert tagged.primary_location == "idlib"


def test_primary_location_prefers_the_specific_scene_to_the_most_frequent_name():
    tagged = tag(
        title="Village of Khirbat al-Naqous shelled",
        body="Hama province saw strikes. Hama province is tense. Hama province waits.",
    )

    assert tagged.primary_location == "khirbat-al-naqous"


def test_primary_location_is_syria_only_when_nothing_more_specific():
    assert tag(body="Violence fell across Syria.").primary_location == "syria"
    assert tag(body="Violence in Syria fell, except in Hama.").primary_location == "hama"


def test_no_places_no_primary_location():
    assert tag(title="Talks stall", body="No one spoke.").primary_location is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("al-Ghab Plain", "al-Ghaab plains"),
        ("Jaysh al-Islam", "Jaish al-Islam"),
        ("Kata'ib", "Kataib"),
        ("Ahrar ash-Sham", "ahrar al sham"),
        ("Genève", "geneve"),
        ("Deir ez-Zor", "Dayr ez-Zor"),
        ("Tell Abyad", "Tal Abyad"),
        ("Committee for Peace", "Committee of Peace"),
    ],
)
def test_spelling_variants_normalise_alike(one, other):
    assert normalise(one).rstrip("s") == normalise(other).rstrip("s")


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(max_size=60),
    body=st.lists(
        st.sampled_from(
            [*"aAlLsS- '\u2019\u02bf.,()\n", "Latakia", "US", "al-", "Hama", "Brigade", "(HNC)"]
        )
    ).map("".join)
    | st.text(),
)
def test_any_text_gives_spans_inside_the_text(title, body):
    article = make_article(title=title, body=body)

    tagged = tag_article(article, GAZETTEER)

    mentions = [*tagged.actors, *tagged.locations]
    for mention in mentions:
        assert mention.count == len(mention.spans)
        for span in mention.spans:
            text = getattr(article, span.field)
            assert 0 <= span.start < span.end <= len(text)
    for candidate in tagged.candidates:
        assert candidate.count >= 1
        assert 0 <= candidate.first_offset < len(getattr(article, candidate.first_field))


# --- same names in different provinces, and place names inside longer names -----------

_SHARED_NAMES = Gazetteer.build(
    [GazetteerActor("rami-abdulrahman", "Rami Abdulrahman", "person")],
    [
        GazetteerLocation("syria", "Syria", "country"),
        GazetteerLocation("damascus-governorate", "Damascus", "governorate", "syria"),
        GazetteerLocation("damascus", "Damascus", "city", "damascus-governorate"),
        GazetteerLocation("tartus-governorate", "Tartus", "governorate", "syria"),
        GazetteerLocation("tartus", "Tartus", "city", "tartus-governorate"),
        GazetteerLocation("quneitra-governorate", "Quneitra", "governorate", "syria"),
        GazetteerLocation("quneitra", "Quneitra", "city", "quneitra-governorate"),
        GazetteerLocation("suwayda-governorate", "As-Suwayda", "governorate", "syria"),
        GazetteerLocation("al-hamidiyah", "Al Hamidiyah", "town", "tartus-governorate"),
        GazetteerLocation("al-hamidiyah-damascus", "al-Hamidiyah", "region", "damascus"),
        GazetteerLocation("al-hamidiyah-quneitra", "al-Hamidiyah", "village", "quneitra"),
        GazetteerLocation("rami", "Rami", "village", "suwayda-governorate"),
        GazetteerLocation("orontes", "Orontes", "landform", "syria"),
    ],
)


def shared_name_slugs(**fields):
    return sorted(m.slug for m in tag_article(make_article(**fields), _SHARED_NAMES).locations)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "A bomb went off in Damascus near al-Hamidiyah, in the old heart of the city.",
            ["al-hamidiyah-damascus", "damascus"],
        ),
        (
            "Shelling hit al-Hamidiyah, a village near the ceasefire line in Quneitra.",
            ["al-hamidiyah-quneitra", "quneitra"],
        ),
        ("Fishermen in al-Hamidiyah, south of Tartus, went out again.", ["al-hamidiyah", "tartus"]),
    ],
)
def test_a_name_shared_across_provinces_follows_the_province_the_article_names(body, expected):
    assert shared_name_slugs(body=body) == expected


def test_a_name_shared_across_provinces_without_context_takes_the_town():
    assert shared_name_slugs(body="Residents of al-Hamidiyah queued for bread.") == ["al-hamidiyah"]


@pytest.mark.parametrize(
    "body",
    [
        '"Nobody came," said Rami Salloum, a fisherman.',
        "The commander told Orontes Daily that the road was cut.",
        "The monitor's director, Rami Abdulrahman, gave the toll.",
    ],
)
def test_a_place_name_that_starts_a_longer_name_is_not_a_place(body):
    assert shared_name_slugs(body=body) == []


@pytest.mark.parametrize(
    "body",
    [
        '"We called the army," said a teacher from Rami. "Nobody came."',
        "Militants entered the villages of Rami and Tarba at dawn.",
        "Farms along the Orontes River were flooded.",
    ],
)
def test_a_place_name_followed_by_a_place_word_or_nothing_is_a_place(body):
    assert len(shared_name_slugs(body=body)) == 1


def test_a_place_name_in_a_title_case_headline_is_a_place():
    assert shared_name_slugs(title="Militants Storm Rami Overnight As Army Withdraws") == ["rami"]
