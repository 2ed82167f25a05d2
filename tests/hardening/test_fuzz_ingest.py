"""Any bytes or text becomes an article or a clear IngestError, never another exception;
the tagger never points outside the text it was given."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.ingest.errors import IngestError
from articles.ingest.fetch import FetchedDocument
from articles.ingest.parse import ParsedArticle, parse_document, parse_html, parse_text
from articles.ingest.tag import FIELDS, tag_article
from tests.ingest.fixtures_gazetteer import ACTORS, LOCATIONS, fixture_gazetteer

GAZETTEER = fixture_gazetteer()
NAMES = sorted(
    {name for row in [*ACTORS, *LOCATIONS] for name in (row.name, *row.aliases)}, key=len
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces hostile or broken pages are made of.
HTML_PIECES = st.sampled_from(
    [
        "<html>",
        "</html>",
        "<head>",
        "<body>",
        "<p>",
        "</p>",
        "<article>",
        "</article>",
        "<h1>",
        "</h1>",
        "<title>",
        "</title>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        '<meta charset="utf-16">',
        '<meta charset="x-unknown">',
        '<meta property="og:title" content="',
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": ',
        '{"@graph": [',
        "]}",
        "null",
        '"',
        "'",
        "&amp;",
        "&lt;script&gt;",
        "&#0;",
        "&#x110000;",
        "&#xD800;",
        "&",
        "<",
        ">",
        "\x00",
        "\ufeff",
        "\u202e",
        "\r",
        "\n\n",
        "<br>",
        "<figure><figcaption>",
        "</figcaption></figure>",
        '<time datetime="',
        "2016-02-30",
        "99999-01-01",
        "By ",
        '<a href="javascript:alert(1)">',
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<p>" * 50,
        "Nusra Front",
        "Khirbat al-Naqous",
        "حماة",
        "Idlib —",
        "HAMA, Syria (Reuters) -",
    ]
)
HTML_LIKE = st.lists(st.one_of(HTML_PIECES, st.text(max_size=40)), max_size=60).map("".join)
CONTENT_TYPES = st.sampled_from([None, "text/html", "text/plain", "application/xhtml+xml", ""])
CHARSETS = st.sampled_from([None, "utf-8", "windows-1256", "utf-16", "latin-1", "bogus", ""])


def assert_article(article: ParsedArticle) -> None:
    assert isinstance(article, ParsedArticle)
    assert isinstance(article.title, str)
    assert article.title.strip()
    assert all(isinstance(getattr(article, name), str) for name in FIELDS)
    assert all(isinstance(author, str) for author in article.authors)


def parse_or_refuse(parse, value, **kwargs):
    try:
        article = parse(value, **kwargs)
    except IngestError as error:
        message = str(error)
    else:
        assert_article(article)
        return article
    # A refusal is one readable line for the user.
    assert message.strip()
    assert "\n" not in message
    return None


@FUZZ
@given(content=st.binary(max_size=3000), content_type=CONTENT_TYPES, charset=CHARSETS)
def test_any_bytes_give_an_article_or_an_ingest_error(content, content_type, charset):
    document = FetchedDocument("fuzz", content, content_type, None, charset)

    parse_or_refuse(parse_document, document)


@FUZZ
@given(html=HTML_LIKE, encoding=st.sampled_from(["utf-8", "utf-16", "cp1256"]))
def test_broken_html_bytes_give_an_article_or_an_ingest_error(html, encoding):
    content = html.encode(encoding, errors="replace")
    document = FetchedDocument("fuzz.html", content, "text/html", "https://x.example/a", None)

    parse_or_refuse(parse_document, document)


@FUZZ
@given(text=st.text(max_size=3000))
def test_any_text_gives_an_article_or_an_ingest_error(text):
    parse_or_refuse(parse_text, text)


@FUZZ
@given(html=HTML_LIKE)
@example(html=".HTM")  # reads like a file name to BeautifulSoup, which warns
def test_any_html_gives_an_article_or_an_ingest_error(html):
    parse_or_refuse(parse_html, html, page_url="https://news.example/story")


FIELD_TEXT = st.lists(
    st.one_of(st.sampled_from(NAMES), st.text(max_size=30), st.sampled_from([" ", ". ", "\n\n"])),
    max_size=25,
).map("".join)


@FUZZ
@given(title=FIELD_TEXT, standfirst=FIELD_TEXT, caption=FIELD_TEXT, body=FIELD_TEXT)
def test_tagging_never_points_outside_the_text(title, standfirst, caption, body):
    article = ParsedArticle(title=title, standfirst=standfirst, caption=caption, body=body)
    fields = {"title": title, "standfirst": standfirst, "caption": caption, "body": body}

    tagged = tag_article(article, GAZETTEER)

    for mention in [*tagged.actors, *tagged.locations]:
        assert mention.count >= 1
        assert mention.first_field in fields
        assert 0 <= mention.first_offset <= len(fields[mention.first_field])
        for span in mention.spans:
            text = fields[span.field]
            assert 0 <= span.start < span.end <= len(text), (span, len(text))
    for candidate in tagged.candidates:
        assert candidate.first_field in fields
        assert 0 <= candidate.first_offset <= len(fields[candidate.first_field])


@FUZZ
@given(html=HTML_LIKE)
def test_whatever_the_parser_returns_can_be_tagged(html):
    article = parse_or_refuse(parse_html, html)
    if article is not None:
        tagged = tag_article(article, GAZETTEER)
        for mention in [*tagged.actors, *tagged.locations]:
            for span in mention.spans:
                assert 0 <= span.start < span.end <= len(getattr(article, span.field))


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(html=HTML_LIKE)
def test_a_parsed_page_saves_and_renders(client, html):
    from articles.ingest.save import save_article

    article = parse_or_refuse(parse_html, html)
    if article is None:
        return
    saved = save_article(tag_article(article, GAZETTEER)).article

    response = client.get(saved.get_absolute_url(), follow=True)

    assert response.status_code == 200
