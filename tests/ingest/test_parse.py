import datetime
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest.errors import IngestError, ParseError
from articles.ingest.fetch import FetchedDocument, read_path
from articles.ingest.parse import (
    ParsedArticle,
    decode,
    parse_date,
    parse_document,
    parse_html,
    parse_text,
    split_authors,
)

DEMO_DIR = Path(__file__).resolve().parents[2] / "articles" / "data" / "demo"
BODY = (
    "The council of the fictional town of Dayr Bahr said on Tuesday that the bridge over "
    "the river would reopen next week after repairs to its central span were completed."
)


def _doc(content: bytes, content_type: str | None = None, charset: str | None = None):
    return FetchedDocument(
        input="test", content=content, content_type=content_type, url=None, http_charset=charset
    )


def _page(name: str, pages_dir: Path) -> ParsedArticle:
    return parse_document(read_path(pages_dir / name))


# --- the seed article (../shared) ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed(shared_dir: Path) -> tuple[ParsedArticle, dict]:
    seed_dir = shared_dir / "seed"
    article = parse_document(read_path(seed_dir / "mee-syria-rebels-2016.txt"))
    gold = json.loads((seed_dir / "mee-syria-rebels-2016.gold.json").read_text())
    return article, gold


def test_seed_title_standfirst_and_caption_match_the_gold_labels(seed) -> None:
    article, gold = seed

    assert (article.title, article.standfirst, article.caption) == (
        gold["title"],
        gold["standfirst"],
        gold["image_caption"],
    )


def test_seed_body_runs_from_the_first_paragraph_to_the_last(seed) -> None:
    article, gold = seed

    assert article.body.startswith(gold["body_first_words"])
    assert article.body.endswith(gold["body_last_words"])


def test_seed_navigation_and_newsletter_lines_are_boilerplate_not_body(seed) -> None:
    article, gold = seed

    for phrase in gold["boilerplate_not_in_body"]:
        assert phrase not in article.body
        assert [line for line in article.boilerplate if line.startswith(phrase)] != []


def test_seed_takes_date_and_source_from_the_caller(shared_dir: Path) -> None:
    article = parse_document(
        read_path(shared_dir / "seed" / "mee-syria-rebels-2016.txt"),
        source_name="Middle East Eye",
        url="https://www.middleeasteye.net/news/syrian-rebels",
        published=datetime.date(2016, 4, 18),
    )

    assert (article.source_name, article.url, article.published, article.language) == (
        "Middle East Eye",
        "https://www.middleeasteye.net/news/syrian-rebels",
        datetime.date(2016, 4, 18),
        "en",
    )


# --- the demo articles (articles/data/demo) -----------------------------------------------


def _demo_cases() -> list[str]:
    labels = DEMO_DIR / "labels.json"
    return sorted(json.loads(labels.read_text())) if labels.is_file() else []


@pytest.mark.parametrize("name", _demo_cases())
def test_demo_article_parses_to_its_labels(name: str) -> None:
    label = json.loads((DEMO_DIR / "labels.json").read_text())[name]

    article = parse_document(read_path(DEMO_DIR / name))

    assert (article.title, article.standfirst, article.caption, article.authors) == (
        label["title"],
        label["standfirst"],
        label["caption"],
        label["authors"],
    )
    assert article.body.startswith(label["body_first_words"])
    assert article.body.endswith(label["body_last_words"])
    assert article.source_name == label["source"]
    if label["url"]:
        assert article.url == label["url"]
    # Some demo texts carry no date at all; those that do must give the labelled one.
    if article.published is not None:
        assert article.published.isoformat() == label["published"]


@pytest.mark.parametrize("name", _demo_cases())
def test_demo_article_body_keeps_out_read_more_and_newsletter_lines(name: str) -> None:
    article = parse_document(read_path(DEMO_DIR / name))

    assert [p for p in article.body.split("\n\n") if p.startswith(("Read more", "Sign up"))] == []


# --- plain text ---------------------------------------------------------------------------

TEXT = f"""Skip to main content
Daily Plains
News  Opinion  Video  Newsletters

Bridge over the river in Dayr Bahr to reopen next week

Repairs to the central span are finished months ahead of schedule
Workers weld the last beam of the Dayr Bahr bridge (AFP/File photo)

By Nour Haddad and Sami Fares
Published date: Monday 18 April 2016 14:53 UTC

{BODY}

Drivers have taken a forty-minute detour through the hills since the bridge closed in the winter.

Read more: Why the river keeps flooding

Stay informed with our newsletters

Sign up to get the latest alerts

© 2016 Daily Plains. All rights reserved.
"""


def test_plain_text_title_is_first_line_after_skip_link_and_menu() -> None:
    article = parse_text(TEXT)

    assert article.title == "Bridge over the river in Dayr Bahr to reopen next week"
    assert article.boilerplate[:3] == [
        "Skip to main content",
        "Daily Plains",
        "News Opinion Video Newsletters",
    ]


def test_plain_text_standfirst_is_the_line_after_the_title() -> None:
    assert parse_text(TEXT).standfirst == (
        "Repairs to the central span are finished months ahead of schedule"
    )


def test_plain_text_caption_is_the_line_ending_in_a_photo_credit() -> None:
    assert parse_text(TEXT).caption == (
        "Workers weld the last beam of the Dayr Bahr bridge (AFP/File photo)"
    )


def test_plain_text_byline_gives_authors_without_by() -> None:
    assert parse_text(TEXT).authors == ["Nour Haddad", "Sami Fares"]


def test_plain_text_published_date_comes_from_the_header_line() -> None:
    assert parse_text(TEXT).published == datetime.date(2016, 4, 18)


def test_plain_text_site_name_above_the_menu_becomes_the_source() -> None:
    assert parse_text(TEXT).source_name == "Daily Plains"


def test_plain_text_body_ends_before_read_more_and_newsletter_footer() -> None:
    article = parse_text(TEXT)

    assert article.body == (
        f"{BODY}\n\nDrivers have taken a forty-minute detour through the hills since the "
        "bridge closed in the winter."
    )
    assert article.boilerplate[3:] == [
        "Read more: Why the river keeps flooding",
        "Stay informed with our newsletters",
        "Sign up to get the latest alerts",
        "© 2016 Daily Plains. All rights reserved.",
    ]


def test_plain_text_caller_arguments_override_what_the_text_says() -> None:
    article = parse_text(
        TEXT,
        source_name="Plains Wire",
        url="https://x.example/a",
        published=datetime.date(2016, 4, 19),
    )

    assert (article.source_name, article.url, article.published) == (
        "Plains Wire",
        "https://x.example/a",
        datetime.date(2016, 4, 19),
    )


def test_plain_text_opening_with_a_dateline_has_no_standfirst(pages_dir: Path) -> None:
    article = _page("wire-dateline.txt", pages_dir)

    assert article.standfirst == ""
    assert article.body.startswith("MINAT SAHIL (Harbour Wire) - Fishing boats sailed out")
    assert (article.authors, article.published) == (["Layla Hanna"], datetime.date(2019, 10, 14))


def test_plain_text_wire_credits_and_share_lines_are_boilerplate(pages_dir: Path) -> None:
    article = _page("wire-dateline.txt", pages_dir)

    assert article.body.endswith("as he unloaded his first crates at the market.")
    assert article.boilerplate[-3:] == [
        "(Reporting by Layla Hanna; Editing by Omar Fares)",
        "Share this article Facebook Email",
        "© 2019 Harbour Wire. All rights reserved.",
    ]


def test_plain_text_lone_dateline_line_joins_the_first_paragraph() -> None:
    article = parse_text(f"A headline about the fictional Dayr Bahr bridge\n\nDAYR BAHR\n\n{BODY}")

    assert article.body == f"DAYR BAHR \u2014 {BODY}"


def test_plain_text_hard_wrapped_paragraphs_are_rejoined(pages_dir: Path) -> None:
    article = _page("hard-wrapped.txt", pages_dir)

    assert article.body.split("\n\n")[0] == (
        "Parents and teachers in the fictional village of Beit Warda spent the weekend "
        "repainting the primary school, which reopens on Monday after a summer in which its "
        "roof was also repaired."
    )
    assert len(article.body.split("\n\n")) == 3
    assert article.caption == (
        "Pupils' drawings hang in a freshly painted corridor (Beit Warda School/Handout)"
    )
    assert article.published == datetime.date(2023, 9, 2)


def test_plain_text_without_body_is_no_article() -> None:
    with pytest.raises(ParseError) as excinfo:
        parse_text("Skip to main content\n\nA headline with nothing under it\n")

    assert str(excinfo.value) == "no article text found"


# --- HTML ---------------------------------------------------------------------------------


def test_html_json_ld_gives_title_authors_date_and_publisher(pages_dir: Path) -> None:
    article = _page("jsonld-newsarticle.html", pages_dir)

    assert article.title == "Water returns to Tel Harrin after pumping station repaired"
    assert article.standfirst == (
        "Engineers restore supply to the fictional town after a three-week outage"
    )
    assert article.authors == ["Mira Sadeq", "Yusuf Darwish"]
    assert article.published == datetime.date(2021, 3, 9)
    assert article.source_name == "The Valley Courier"
    assert article.language == "en"


def test_html_relative_canonical_link_is_resolved_against_the_page_url(pages_dir: Path) -> None:
    doc = read_path(pages_dir / "jsonld-newsarticle.html")

    article = parse_html(doc.content.decode(), page_url="https://valley.example/news?id=7")

    assert article.url == "https://valley.example/2021/03/tel-harrin-water"


def test_html_caption_is_the_first_figcaption_and_stays_out_of_the_body(pages_dir: Path) -> None:
    article = _page("jsonld-newsarticle.html", pages_dir)

    assert article.caption == (
        "Engineers inspect a repaired pump at the Tel Harrin station (Valley Courier/Staff)"
    )
    assert "Engineers inspect a repaired pump" not in article.body


def test_html_body_does_not_repeat_the_title_or_standfirst(pages_dir: Path) -> None:
    article = _page("jsonld-newsarticle.html", pages_dir)

    assert article.body.startswith("Running water returned to the town of Tel Harrin on Tuesday")
    assert article.body.endswith("could not cut off the whole town again.")
    assert len(article.body.split("\n\n")) == 4


def test_html_opengraph_only_page_strips_site_name_from_title(pages_dir: Path) -> None:
    article = _page("opengraph-only.html", pages_dir)

    assert (article.title, article.source_name, article.url, article.published) == (
        "Bakers in Qasr Nour reopen after flour deliveries resume",
        "Northern Ledger",
        "https://northern-ledger.example/news/qasr-nour-bakeries",
        datetime.date(2022, 11, 4),
    )
    assert article.authors == ["Salma Idris", "Karam Youssef"]
    assert article.standfirst == (
        "Three bakeries fire their ovens again as the first convoy in a month arrives"
    )


def test_html_json_ld_article_inside_graph_is_found(pages_dir: Path) -> None:
    article = _page("jsonld-graph.html", pages_dir)

    assert (article.title, article.authors, article.published, article.source_name) == (
        "Clinic in Wadi Sarr opens second ward",
        ["Rami Touma"],
        datetime.date(2020, 6, 18),
        "Plains Post",
    )
    assert article.url == "https://plains-post.example/clinic-second-ward"


@pytest.mark.parametrize(
    "json_ld",
    [
        '{"@graph": [{"@type": 5}]}',
        '{"@type": "NewsArticle", "author": 7, "headline": []}',
        "{oops",
    ],
)
def test_html_malformed_json_ld_is_ignored(json_ld: str) -> None:
    html = (
        f'<html><head><script type="application/ld+json">{json_ld}</script></head>'
        f"<body><article><h1>Bridge reopens</h1><p>{BODY}</p></article></body></html>"
    )

    article = parse_html(html)

    assert (article.title, article.authors, article.body) == ("Bridge reopens", [], BODY)


def test_html_broken_markup_still_gives_the_article(pages_dir: Path) -> None:
    article = _page("broken-markup.html", pages_dir)

    assert article.title == "Power cuts ease in Jisr Amal as new line is connected"
    assert article.body.startswith("Households in the fictional town of Jisr Amal")
    assert article.body.endswith("in case the cuts return in the summer heat.")


def test_html_page_without_an_article_is_refused(pages_dir: Path) -> None:
    with pytest.raises(ParseError) as excinfo:
        _page("no-article.html", pages_dir)

    assert str(excinfo.value) == "no article text found"


def test_html_cookie_newsletter_share_and_related_lines_stay_out_of_the_body(
    pages_dir: Path,
) -> None:
    article = _page("boilerplate-heavy.html", pages_dir)

    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("Farmers in the fictional village of Ain Zaytun")
    assert paragraphs[-1] == (
        "The village cooperative said it would press the olives together this year and share "
        "the oil between the families who lost the most trees."
    )
    assert len(paragraphs) == 4


def test_html_page_on_middle_east_eye_gets_its_source_name_and_clean_title() -> None:
    html = (
        "<html><head><title>Bridge reopens in Dayr Bahr | Middle East Eye</title></head>"
        f"<body><article><h1>Bridge reopens in Dayr Bahr</h1><p>{BODY}</p><p>{BODY}</p>"
        "</article></body></html>"
    )

    article = parse_html(html, page_url="https://www.middleeasteye.net/news/bridge-reopens")

    assert (article.title, article.source_name) == (
        "Bridge reopens in Dayr Bahr",
        "Middle East Eye",
    )


def test_html_without_site_name_falls_back_to_the_domain() -> None:
    html = f"<html><body><article><h1>Bridge reopens</h1><p>{BODY}</p></article></body></html>"

    article = parse_html(html, page_url="https://www.plains-post.example/a")

    assert (article.source_name, article.url) == (
        "plains-post.example",
        "https://www.plains-post.example/a",
    )


def test_text_document_that_looks_like_markup_is_parsed_as_html() -> None:
    html = f"<html><body><article><h1>Bridge reopens</h1><p>{BODY}</p></article></body></html>"

    article = parse_document(_doc(html.encode(), content_type="text/plain"))

    assert (article.title, article.body) == ("Bridge reopens", BODY)


# --- decoding -----------------------------------------------------------------------------

ARABIC_TITLE = "افتتاح مكتبة جديدة في بلدة تل الورد"


def test_windows_1256_page_declared_in_meta_decodes_to_arabic(pages_dir: Path) -> None:
    article = _page("arabic-windows-1256.html", pages_dir)

    assert (article.title, article.language) == (ARABIC_TITLE, "ar")
    assert article.body.startswith("افتتحت بلدة تل الورد الخيالية")


def test_arabic_page_without_declared_charset_is_detected(pages_dir: Path) -> None:
    article = _page("arabic-no-charset.html", pages_dir)

    assert (article.title, article.language) == (ARABIC_TITLE, "ar")


def test_arabic_text_file_without_declared_charset_is_detected(pages_dir: Path) -> None:
    article = _page("arabic-no-charset.txt", pages_dir)

    assert (article.title, article.language) == (ARABIC_TITLE, "ar")
    assert len(article.body.split("\n\n")) == 3


def test_http_charset_wins_over_detection() -> None:
    content = f"{ARABIC_TITLE}\n\n{BODY}".encode("cp1256")

    assert decode(content, "windows-1256") == f"{ARABIC_TITLE}\n\n{BODY}"


def test_utf16_page_with_bom_decodes(pages_dir: Path) -> None:
    article = _page("utf16-bom.html", pages_dir)

    assert article.title == "Library in Tal Ward reopens in old school building"
    assert article.body.endswith("\u201ca place to stay quiet\u201d, one volunteer said.")


def test_utf8_bom_is_not_part_of_the_title() -> None:
    article = parse_document(_doc(f"\ufeffBridge reopens in Dayr Bahr\n\n{BODY}".encode()))

    assert article.title == "Bridge reopens in Dayr Bahr"


def test_meta_charset_declared_latin1_reads_as_windows_1252() -> None:
    text = f'<meta charset="iso-8859-1"><p>Caf\u00e9 \u201cquoted\u201d {BODY}</p>'

    assert decode(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.4\n",
        b"abc\x00def\x00ghi",
        bytes(range(256)),
    ],
)
def test_binary_input_is_not_an_article(content: bytes) -> None:
    with pytest.raises(ParseError) as excinfo:
        parse_document(_doc(content))

    assert str(excinfo.value) == "binary file, not an article"


@pytest.mark.parametrize("content", [b"", b"   \n\t  \n"])
def test_empty_input_is_an_empty_file(content: bytes) -> None:
    with pytest.raises(ParseError) as excinfo:
        parse_document(_doc(content))

    assert str(excinfo.value) == "empty file"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=3000).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.text(max_size=500).map(lambda text: f"<html><p>{text}</p>".encode("utf-8", "replace")),
    ),
    content_type=st.sampled_from([None, "text/html", "text/plain"]),
    charset=st.sampled_from([None, "utf-8", "windows-1256", "utf-16", "no-such-charset"]),
)
def test_any_bytes_give_an_article_or_an_ingest_error(
    content: bytes, content_type: str | None, charset: str | None
) -> None:
    try:
        outcome: ParsedArticle | str = parse_document(_doc(content, content_type, charset))
    except IngestError as exc:
        outcome = str(exc)

    assert isinstance(outcome, ParsedArticle) or "\n" not in outcome


# --- small helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-04-18T14:53:00Z", datetime.date(2016, 4, 18)),
        ("Monday 18 April 2016 14:53 UTC", datetime.date(2016, 4, 18)),
        ("April 18, 2016", datetime.date(2016, 4, 18)),
        ("Mon, 18 Apr 2016 14:53:00 GMT", datetime.date(2016, 4, 18)),
        ("2016/02/30", None),
        ("yesterday", None),
    ],
)
def test_parse_date_reads_common_header_forms(value: str, expected: datetime.date | None) -> None:
    assert parse_date(value) == expected


def test_split_authors_drops_by_urls_and_duplicates() -> None:
    assert split_authors("By Nour Haddad, Sami Fares and Nour Haddad", "https://x.example/u") == [
        "Nour Haddad",
        "Sami Fares",
    ]


def test_html_related_links_and_author_note_are_boilerplate_not_body() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {n} tells how the fictional ferry at Wadi Tamar resumed crossings this"
        " week after the river fell, and what the boatmen said about the coming season.</p>"
        for n in range(1, 4)
    )
    html = (
        "<html><body><article><h1>Ferry at Wadi Tamar crosses again</h1>"
        f"{paragraphs}"
        '<p><a href="/a">Bakery in Tell Sabra reopens after repairs</a></p>'
        '<p><a href="/b">Schools in Jisr Amal start the term late</a></p>'
        '<p><a href="/c">Farmers near Wadi Tamar count flood losses</a></p>'
        "<p>Updated at 1:23 p.m.</p>"
        "<p>Have a tip? Lina Haddad may be reached at lina@example.org."
        " Follow her on Twitter.</p>"
        "</article></body></html>"
    )

    article = parse_html(html)

    assert article.body.startswith("Paragraph 1 tells how the fictional ferry")
    assert article.body.endswith("what the boatmen said about the coming season.")
    assert "Bakery in Tell Sabra" not in article.body
    assert any(line.startswith("Have a tip?") for line in article.boilerplate)


def test_html_lead_paragraph_also_used_as_the_description_stays_in_the_body() -> None:
    lead = (
        "The fictional ferry at Wadi Tamar carried its first passengers in a month on Sunday,"
        " after the river fell below the landing."
    )
    html = (
        f'<html><head><meta name="description" content="{lead}"></head><body><article>'
        f"<p>{lead}</p><p>{BODY}</p></article></body></html>"
    )

    article = parse_html(html)

    assert article.body.startswith("The fictional ferry at Wadi Tamar carried")
