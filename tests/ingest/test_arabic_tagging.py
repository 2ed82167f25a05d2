"""The tagger reads Arabic reporting: actors and places from their Arabic names, however
they are spelt, with the article and clitics attached, and the longest name winning."""

from types import SimpleNamespace

import pytest

from articles.ingest.gazetteer import DATA_DIR, Gazetteer, GazetteerActor, GazetteerLocation
from articles.ingest.tag import tag_article

# A fixture gazetteer in the shape h/places loads villages: Arabic names under districts.
ACTORS = [
    GazetteerActor(
        "syrian-democratic-forces",
        "Syrian Democratic Forces",
        "armed_group",
        ("SDF", "قوات سوريا الديمقراطية", "قسد"),
    ),
    GazetteerActor(
        "hayat-tahrir-al-sham",
        "Hayat Tahrir al-Sham",
        "armed_group",
        ("هيئة تحرير الشام", "تحرير الشام"),
    ),
    GazetteerActor("russia", "Russia", "state", ("روسيا", "روسية", "الروسية")),
]
LOCATIONS = [
    GazetteerLocation("syria", "Syria", "country", name_ar="سوريا"),
    GazetteerLocation("lebanon", "Lebanon", "country", name_ar="لبنان"),
    GazetteerLocation("idlib", "Idlib", "governorate", "syria", name_ar="إدلب"),
    GazetteerLocation("aleppo", "Aleppo", "governorate", "syria", name_ar="حلب"),
    GazetteerLocation("raqqa", "Raqqa", "governorate", "syria", name_ar="الرقة"),
    GazetteerLocation("hama", "Hama", "governorate", "syria", name_ar="حماة"),
    GazetteerLocation("rif-dimashq", "Rif Dimashq", "governorate", "syria", name_ar="ريف دمشق"),
    GazetteerLocation("damascus", "Damascus", "governorate", "syria", name_ar="دمشق"),
    GazetteerLocation("maarrat-district", "Maarrat al-Numan", "district", "idlib"),
    GazetteerLocation("kafr-nubl", "Kafr Nubl", "town", "maarrat-district", name_ar="كفرنبل"),
    GazetteerLocation("al-bara", "al-Bara", "village", "maarrat-district", name_ar="البارة"),
    GazetteerLocation("judaydat-yabus", "Judaydat Yabus", "town", "rif-dimashq", name_ar="جديدة"),
]
GAZETTEER = Gazetteer.build(ACTORS, LOCATIONS)


def tag(body, gazetteer=GAZETTEER, title=""):
    article = SimpleNamespace(title=title, standfirst="", caption="", body=body)
    return tag_article(article, gazetteer)


def places(tagged):
    return [m.slug for m in tagged.locations]


def actors(tagged):
    return [m.slug for m in tagged.actors]


@pytest.mark.parametrize("written", ["الرقة", "والرقة", "بالرقة", "للرقة", "فالرقة"])
def test_raqqa_with_the_article_and_attached_clitics_is_raqqa(written):
    assert places(tag(f"قصف على {written} صباح اليوم.")) == ["raqqa"]


@pytest.mark.parametrize("written", ["ادلب", "إدلب", "وإدلب", "بإدلب", "لإدلب", "وبإدلب"])
def test_everyday_spellings_and_bare_proclitics_find_idlib(written):
    assert places(tag(f"وصلت التعزيزات {written} مساء الأحد.")) == ["idlib"]


def test_hama_spelt_with_ha_is_hama_and_the_match_keeps_its_offsets():
    tagged = tag("قصف مدفعي على حماه وريفها.")
    span = tagged.locations[0].spans[0]
    assert places(tagged) == ["hama"]
    assert "قصف مدفعي على حماه وريفها."[span.start : span.end] == "حماه"


def test_a_word_that_is_itself_a_name_keeps_its_first_letter():
    # لبنان is Lebanon, not ل + بنان; وحلب is Aleppo because وحلب is no name of its own.
    assert places(tag("عاد اللاجئون من لبنان إلى حلب ووحلب.")) == ["lebanon", "aleppo"]


def test_a_short_stem_left_by_a_proclitic_is_not_a_name():
    gazetteer = Gazetteer.build([], [GazetteerLocation("ad", "Ad", "village", name_ar="عد")])
    assert places(tag("وصل بعد الظهر.", gazetteer)) == []


def test_village_names_match_with_a_clitic_attached():
    assert places(tag("سقطت قذائف على كفرنبل والبارة وبكفرنبل.")) == ["kafr-nubl", "al-bara"]


def test_syria_inside_the_sdf_name_is_not_the_place_syria():
    tagged = tag("قالت قوات سوريا الديمقراطية إنها صدت الهجوم.")
    assert actors(tagged) == ["syrian-democratic-forces"]
    assert places(tagged) == []


def test_russian_raids_name_russia_the_actor_not_the_place():
    tagged = tag("غارات روسية على ريف إدلب.")
    assert actors(tagged) == ["russia"]
    assert "russia" not in places(tagged)


def test_jdeideh_the_everyday_word_for_new_is_not_a_place():
    assert places(tag("أعلنت الحكومة خطة جديدة لإعادة الإعمار.")) == []


@pytest.mark.parametrize(
    "body",
    ["اعتقلت دورية شابين في جديدة صباح الأحد.", "سقطت قذيفة قرب جديدة في ريف دمشق."],
)
def test_jdeideh_is_the_town_after_a_locative_cue(body):
    assert "judaydat-yabus" in places(tag(body))


def test_a_new_plan_in_rif_dimashq_names_no_jdeideh():
    # The province named is no support: a report from Rif Dimashq is where جديدة is "new".
    assert places(tag("أعلنت المحافظة خطة جديدة في ريف دمشق.")) == ["rif-dimashq"]


def test_a_report_saying_qarya_jadida_names_no_village():
    # "A new village of tents": the adjective after قرية describes it, whatever is named near.
    assert places(tag("بنى النازحون قرية جديدة من الخيام في ريف دمشق.")) == ["rif-dimashq"]


# Villages and towns whose Arabic names are also everyday words, as the shipped list has them.
WORDS = Gazetteer.build(
    [
        GazetteerActor("turkey", "Turkey", "state", ("تركيا", "التركية", "التركي")),
    ],
    [
        GazetteerLocation("syria", "Syria", "country", name_ar="سوريا"),
        GazetteerLocation("turkey", "Turkey", "country", name_ar="تركيا"),
        GazetteerLocation(
            "deir-ez-zor", "Deir ez-Zor", "governorate", "syria", name_ar="دير الزور"
        ),
        GazetteerLocation("homs", "Homs", "governorate", "syria", name_ar="حمص"),
        GazetteerLocation("hasakah", "Al-Hasakah", "governorate", "syria", name_ar="الحسكة"),
        GazetteerLocation("al-hawl", "Al-Hawl", "town", "hasakah", ("الحول",), name_ar="الهول"),
        GazetteerLocation("at-tibni", "At-Tibni", "town", "deir-ez-zor", name_ar="التبني"),
        GazetteerLocation(
            "wasiah", "Wasiah", "village", "deir-ez-zor", name_ar="واسعة", needs_context=True
        ),
        GazetteerLocation(
            "matla", "Matla", "village", "hasakah", name_ar="مطلع", needs_context=True
        ),
        GazetteerLocation("zarah", "Zarah", "village", "homs", name_ar="زارة", needs_context=True),
    ],
)


@pytest.mark.parametrize(
    "body",
    [
        "تحدث المسؤول حول الوضع في الحسكة.",  # حول "around", not al-Hawl (الحول)
        "وتبنى تنظيم الدولة الهجوم في دير الزور.",  # the verb "claimed", not at-Tibni (التبني)
        "شنت قسد حملة أمنية واسعة في دير الزور.",  # "wide", not the hamlet Wasiah
        "نفذت الخلايا منذ مطلع العام عشرين هجوماً في الحسكة.",  # "the start of the year"
        "أعلنت وزارة الزراعة في حمص خطة جديدة.",  # the ministry, not و + the village Zarah
    ],
)
def test_everyday_words_in_a_report_are_not_the_villages_and_towns_of_the_same_name(body):
    named = places(tag(body, WORDS))
    assert named in (["hasakah"], ["deir-ez-zor"], ["homs"])


def test_those_places_are_tagged_where_the_report_names_them_as_places():
    tagged = tag(
        "عززت قسد الحراسة حول مخيم الهول، وقصفت المدفعية قرية مطلع في ريف الحسكة، "
        "واعتُقل شاب في التبني بدير الزور.",
        WORDS,
    )
    assert places(tagged) == ["al-hawl", "matla", "hasakah", "at-tibni", "deir-ez-zor"]


def test_the_turkish_border_is_no_turkish_action_and_turkish_territory_is_turkey():
    border = tag("نزحت العائلات نحو الحدود التركية.", WORDS)
    assert actors(border) == []
    assert places(border) == []
    territory = tag("انطلقت المسيرة من الأراضي التركية وقصف الجيش التركي القرى.", WORDS)
    assert places(territory) == ["turkey"]
    assert actors(territory) == ["turkey"]  # "the Turkish army shelled": Turkey acts


def test_the_arabic_dateline_names_the_primary_place():
    body = "إدلب - عنب بلدي — قصفت الطائرات بلدات في ريف حلب وحماة.\n\nوتواصل النزوح."
    assert tag(body).primary_location == "idlib"


@pytest.fixture(scope="module")
def shipped():
    return Gazetteer.from_data_files()


def test_actors_are_tagged_from_their_arabic_names_in_the_shipped_gazetteer(shipped):
    tagged = tag(
        "قالت هيئة تحرير الشام إن قوات النظام وقسد وتنظيم الدولة تبادلت القصف، "
        "بحسب المرصد السوري لحقوق الإنسان ووكالة سانا، بعد غارات روسية. "
        "وقال الدفاع المدني إن الجيش السوري قصف ريف حلب.",
        shipped,
    )
    assert set(actors(tagged)) == {
        "hayat-tahrir-al-sham",
        "syrian-government-forces",
        "syrian-democratic-forces",
        "islamic-state",
        "syrian-observatory-for-human-rights",
        "syrian-arab-news-agency",
        "russia",
        "syria-civil-defence",
    }


def test_an_outlet_named_after_syria_is_the_outlet_not_the_country(shipped):
    tagged = tag("درعا - تلفزيون سوريا — اغتال مسلحون قيادياً في طفس.", shipped)
    assert "syria-tv" in actors(tagged)
    assert "syria" not in places(tagged)


@pytest.mark.parametrize(
    ("body", "not_places"),
    [
        ("تحدث المسؤول حول الوضع الإنساني في الحسكة.", {"al-hawl"}),
        ("خرجت مظاهرات سلمية في مدينة حماة.", {"as-salamiyah"}),
        ("وتبنى تنظيم الدولة الهجوم على حاجز في دير الزور.", {"at-tibni"}),
        ("قال إن الفصائل تسعى إلى كسب الوقت في ريف حمص.", {"kessab"}),
        ("دعت الحكومة المؤقتة إلى وقف القتال في مدينة أعزاز بريف حلب.", {"al-waqf", "al-madinah"}),
    ],
)
def test_everyday_words_are_not_shipped_villages_and_towns(shipped, body, not_places):
    assert not not_places & set(places(tag(body, shipped)))


def test_at_least_200_actors_have_arabic_names(shipped):
    arabic = [a for a in shipped.actors.values() if any(_is_arabic(n) for n in a.aliases)]
    assert len(arabic) >= 200


def test_an_arabic_name_for_an_unknown_slug_is_an_error_naming_the_file_and_slug(tmp_path):
    (tmp_path / "actors.json").write_text("[]", encoding="utf-8")
    (tmp_path / "actors_ar.csv").write_text("slug,names_ar\nno-such-group,جماعة\n", "utf-8")
    (tmp_path / "locations.csv").write_text((DATA_DIR / "locations.csv").read_text("utf-8"))
    with pytest.raises(ValueError, match=r"actors_ar\.csv.*no-such-group"):
        Gazetteer.from_data_files(tmp_path)


def _is_arabic(text):
    return any("\u0600" <= c <= "\u06ff" for c in text)
