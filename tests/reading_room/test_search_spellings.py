"""Searching a name the way a journalist remembers it: other transliterations, the known
names of an actor or a place, and the everyday spellings of Arabic."""

import datetime
import io

import pytest
from django.core.management import call_command

from articles import search_query
from articles.gazetteer_db import gazetteer_from_database
from articles.models import Actor, ActorMention, Article, Location
from articles.services import retag_article
from tests.factories import ArticleFactory, SourceFactory, mention_article
from tests.reading_room.conftest import titles

pytestmark = pytest.mark.django_db

FRONTLINE = "Rebels storm Khirbat al-Naqous on the edge of Jabal al-Akrad"
# A fictional report, written for these tests, spelling its names one way.
FRONTLINE_STANDFIRST = "Jaish al-Islam and allied brigades open a front towards Latakia."
FRONTLINE_BODY = (
    "HAMA — Fighters of Jaish al-Islam crossed the al-Ghaab Plains before dawn and "
    "captured the village of Khirbat al-Naqous, a field commander said.\n\n"
    "From there the brigades pushed west into Jabal al-Akrad, the mountains that shield "
    "Latakia, while government artillery in rural Hama shelled the roads behind them."
)
NUSSRA = "Convoy ambushed on the Idlib road"
NUSSRA_BODY = (
    "Gunmen of Jabhat al-Nussra stopped a supply convoy near Saraqib on Sunday, "
    "witnesses said, and held its drivers for several hours."
)

ARABIC_SOURCE = "صوت الشمال"
ARABIC_REPORTS = {
    # Written for these tests: each spells its place the standard way.
    "idlib": ("قصف مدفعي على ريف إدلب", "سقطت قذائف على قرى في ريف إدلب الجنوبي صباح اليوم."),
    "hama": ("اشتباكات في محيط حماة", "دارت اشتباكات عنيفة على أطراف مدينة حماة ليلة أمس."),
    "hasakah": ("انقطاع المياه عن الحسكة", "توقفت محطة الضخ فانقطعت المياه عن مدينة الحسكة."),
    "qamishli": ("سوق القامشلي يعود للعمل", "فتحت المحال أبوابها في سوق القامشلي بعد أسبوع."),
    "busra": ("عودة الأهالي إلى بصرى الشام", "عادت عشرات العائلات إلى بصرى الشام هذا الأسبوع."),
}


@pytest.fixture(autouse=True)
def _fresh_names():
    """Each test's gazetteer, not the one a previous test cached in this process."""
    search_query.forget_names()
    yield
    search_query.forget_names()


@pytest.fixture
def gazetteer_in_db():
    call_command("load_gazetteer", stdout=io.StringIO())
    return gazetteer_from_database()


@pytest.fixture
def frontline(gazetteer_in_db):
    """The fictional frontline report, tagged by the tagger as ingestion tags it."""
    article = ArticleFactory(
        title=FRONTLINE,
        standfirst=FRONTLINE_STANDFIRST,
        body=FRONTLINE_BODY,
        published_on=datetime.date(2016, 8, 10),
    )
    retag_article(article, gazetteer_in_db)
    return article


@pytest.fixture
def nussra(gazetteer_in_db):
    article = ArticleFactory(
        title=NUSSRA, standfirst="", body=NUSSRA_BODY, published_on=datetime.date(2015, 5, 3)
    )
    retag_article(article, gazetteer_in_db)
    return article


@pytest.fixture
def arabic_reports(gazetteer_in_db):
    source = SourceFactory(name=ARABIC_SOURCE)
    return {
        key: ArticleFactory(
            source=source,
            title=title,
            standfirst="",
            body=body,
            language="ar",
            published_on=datetime.date(2019, 5, 20),
        )
        for key, (title, body) in ARABIC_REPORTS.items()
    }


def snippet_of(response, article) -> str:
    html = response.content.decode()
    row = html.split(f'href="{article.get_absolute_url()}"')[1]
    return row.split('class="result__snippet">')[1].split("</p>")[0]


@pytest.mark.parametrize(
    ("typed", "highlighted"),
    [
        ("Ghab", "Ghaab"),
        ("Lattakia", "Latakia"),
        ("Jebel Akrad", "Jabal al-Akrad"),
        ("Khirbet al-Naqous", "Khirbat al-Naqous"),
        ("Jaysh al-Islam", "Jaish al-Islam"),
        ("Hamah", "Hama"),
    ],
)
def test_searching_another_spelling_lists_the_report_with_its_own_spelling_highlighted(
    client, frontline, typed, highlighted
):
    response = client.get("/articles/", {"q": typed})

    assert titles(response) == [FRONTLINE]
    # The dateline's "HAMA" counts: which fragments ts_headline picks differs between
    # PostgreSQL versions, the highlighted word is the article's own either way.
    assert (
        f"<mark>{highlighted.split()[0]}</mark>".lower() in snippet_of(response, frontline).lower()
    )


def test_searching_hamah_highlights_hama_in_the_snippet(client, frontline):
    response = client.get("/articles/", {"q": "Hamah"})

    assert "<mark>hama</mark>" in snippet_of(response, frontline).lower()


def test_the_typed_spelling_is_still_searched_as_typed(client, frontline):
    response = client.get("/articles/", {"q": "Hamah artillery"})

    assert titles(response) == [FRONTLINE]
    assert "<mark>artillery</mark>" in snippet_of(response, frontline)


def test_excluding_a_name_excludes_its_other_spellings_too(client, frontline, nussra):
    response = client.get("/articles/", {"q": "commander OR convoy -Lattakia"})

    assert titles(response) == [NUSSRA]


def test_a_known_name_finds_the_articles_tagged_with_it_whatever_their_spelling(
    client, frontline, nussra
):
    assert ActorMention.objects.filter(article=nussra, actor__slug="nusra-front").exists()

    for typed in ("Jabhat al-Nusra", "Nusra Front", '"Nusra Front"'):
        response = client.get("/articles/", {"q": typed})

        assert titles(response) == [NUSSRA], typed


def test_an_article_found_through_its_tag_highlights_its_own_spelling(client, nussra):
    response = client.get("/articles/", {"q": "Nusra Front"})

    assert "<mark>Jabhat</mark> al-<mark>Nussra</mark>" in snippet_of(response, nussra)


def test_a_rejected_tag_does_not_make_an_article_found(client, nussra):
    ActorMention.objects.filter(article=nussra, actor__slug="nusra-front").update(
        review_status="rejected"
    )

    response = client.get("/articles/", {"q": "Nusra Front"})

    assert titles(response) == []


def test_an_alias_an_editor_adds_is_searched_at_once(client, gazetteer_in_db):
    ArticleFactory(title="Bread prices rise in Hama", body="Bakeries in Hama raised prices.")
    hama = Location.objects.get(slug="hama")

    assert titles(client.get("/articles/", {"q": "Hamat"})) == []
    hama.aliases.append("Hamat")
    hama.save()

    assert titles(client.get("/articles/", {"q": "Hamat"})) == ["Bread prices rise in Hama"]


def test_a_short_capital_name_is_not_a_common_word(client, gazetteer_in_db):
    ArticleFactory(
        title="The SDF holds the dam", body="The SDF said the dam is safe.", standfirst=""
    )
    islamic_state = Actor.objects.get(slug="islamic-state")

    assert search_query.read("IS").clauses[0][0].entities[0].slug == islamic_state.slug
    assert search_query.read("is dam").clauses[0][0].entities == ()
    assert titles(client.get("/articles/", {"q": "is dam"})) == ["The SDF holds the dam"]


def test_an_english_name_also_finds_the_arabic_report_of_that_place(client, arabic_reports):
    response = client.get("/articles/", {"q": "Idlib"})

    assert titles(response) == [ARABIC_REPORTS["idlib"][0]]
    assert "<mark>إدلب</mark>" in snippet_of(response, arabic_reports["idlib"])


@pytest.mark.parametrize(
    ("typed", "report", "highlighted"),
    [
        ("ادلب", "idlib", "إدلب"),
        ("حماه", "hama", "حماة"),
        ("الحسكه", "hasakah", "الحسكة"),
        ("القامشلى", "qamishli", "القامشلي"),
        ("بصري الشام", "busra", "بصرى"),
    ],
)
def test_an_everyday_arabic_spelling_finds_the_report_with_its_own_spelling_highlighted(
    client, arabic_reports, typed, report, highlighted
):
    response = client.get("/articles/", {"q": typed})

    assert titles(response) == [ARABIC_REPORTS[report][0]]
    assert f"<mark>{highlighted}</mark>" in snippet_of(response, arabic_reports[report])


def test_arabic_with_diacritics_and_tatweel_finds_the_plain_spelling(client, arabic_reports):
    response = client.get("/articles/", {"q": "حَمَـــاة"})

    assert titles(response) == [ARABIC_REPORTS["hama"][0]]


def test_arabic_articles_are_indexed_with_the_arabic_configuration(arabic_reports):
    vector = Article.objects.values_list("search_vector", flat=True).get(
        pk=arabic_reports["hasakah"].pk
    )

    assert "'حسك'" in vector  # the stemmer over the text as written
    assert "'حسكه'" in vector  # and over the folded text


def test_a_language_code_must_be_lowercase_iso639(arabic_reports):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=arabic_reports["hama"].pk).update(language="AR")


def test_a_place_filter_lists_reports_in_both_languages(client, frontline, arabic_reports):
    hama = Location.objects.get(slug="hama")
    mention_article(arabic_reports["hama"], hama)

    response = client.get("/articles/", {"province": "hama", "sort": "oldest"})

    assert titles(response) == [FRONTLINE, ARABIC_REPORTS["hama"][0]]


def test_an_actor_filter_lists_reports_in_both_languages(client, nussra, arabic_reports):
    nusra = Actor.objects.get(slug="nusra-front")
    mention_article(arabic_reports["idlib"], nusra)

    response = client.get("/articles/", {"actor": "nusra-front", "sort": "oldest"})

    assert set(titles(response)) == {NUSSRA, ARABIC_REPORTS["idlib"][0]}
