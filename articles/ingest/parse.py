"""The parse stage: bytes from ``fetch`` become a ``ParsedArticle``.

HTML goes through trafilatura for the body and BeautifulSoup for the metadata the page
declares (JSON-LD, OpenGraph, meta tags). Plain text, typically an article copied out of a
browser, goes through line rules: navigation above the title, a title, an optional
standfirst and caption, the body, and the newsletter/copyright footer below it.
Every failure is a ``ParseError`` with a one-line reason.
"""

from __future__ import annotations

import codecs
import datetime
import itertools
import json
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import trafilatura
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag
from lxml.etree import LxmlError

from articles.ingest import arabic
from articles.ingest.errors import ParseError
from articles.ingest.fetch import FetchedDocument
from articles.ingest.identity import article_identity
from articles.ingest.linebreaks import normalise_line_breaks

# Fewer words than this is a teaser, an error page or a listing, not an article.
MIN_BODY_WORDS = 15

ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "BackgroundNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "Report",
    }
)


# --- hostile markup -------------------------------------------------------------------------
# Parsers pay for nesting and element count far beyond the bytes: 100,000 nested <div>s
# (1.1 MB) took 12-16 s, 4.4 MB of unclosed tags 44 CPU-seconds and 550 MB. One linear
# scan refuses such pages before any parser sees them. The limits are far above real
# pages (docs/ingestion.md has the figures measured on the extraction benchmark's pages).
MAX_HTML_DEPTH = 500
MAX_HTML_ELEMENTS = 20_000

_TAG_RE = re.compile(r"<(?:(!--)|(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*)")
# Elements that never hold children, or that the next sibling closes: no nesting from them.
_NOT_NESTING = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
        "command",
        "basefont",
        "bgsound",
        "frame",
        "image",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "caption",
        "rb",
        "rt",
        "rtc",
        "rp",
        "html",
        "head",
        "body",
    ]
)
# Their content is text to the parser, whatever it looks like.
_RAW_TEXT = frozenset(
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"]
)
_RAW_TEXT_END = {name: re.compile(rf"</{name}", re.IGNORECASE) for name in _RAW_TEXT}


def check_markup_limits(html: str) -> None:
    """Raise ParseError when the page nests deeper or holds more elements than the limits."""
    depth = elements = skip_to = 0
    for match in _TAG_RE.finditer(html):
        if match.start() < skip_to:
            continue
        if match.group(1):  # a comment: what is inside is not markup
            end = html.find("-->", match.end())
            if end < 0:
                return
            skip_to = end + 3
            continue
        elements += 1
        if elements > MAX_HTML_ELEMENTS:
            raise ParseError(f"hostile or broken markup: more than {MAX_HTML_ELEMENTS:,} elements")
        name = match.group(3).lower()
        if match.group(2):
            if depth and name not in _NOT_NESTING:
                depth -= 1
            continue
        if html.startswith("/>", match.end() - 1):
            continue
        if name in _RAW_TEXT:
            closing = _RAW_TEXT_END[name].search(html, match.end())
            if closing is None:
                return
            skip_to = closing.start()
        elif name not in _NOT_NESTING:
            depth += 1
            if depth > MAX_HTML_DEPTH:
                raise ParseError(
                    f"hostile or broken markup: elements nested more than {MAX_HTML_DEPTH:,} deep"
                )


@dataclass
class ParsedArticle:
    title: str
    standfirst: str = ""
    caption: str = ""
    body: str = ""  # paragraphs joined by "\n\n"
    authors: list[str] = field(default_factory=list)
    published: datetime.date | None = None
    source_name: str = ""
    url: str | None = None  # the article's identity (articles/ingest/identity.py)
    url_trusted: bool = False  # fetched from there or given by an editor: may update
    language: str = "en"
    boilerplate: list[str] = field(default_factory=list)  # lines removed, for the admin preview


def parse_document(
    doc: FetchedDocument,
    *,
    source_name: str | None = None,
    url: str | None = None,
    published: datetime.date | None = None,
) -> ParsedArticle:
    """Decode ``doc`` and parse it as HTML or plain text; arguments override what it says."""
    if not doc.content.strip():
        raise ParseError("empty file")
    text = decode(doc.content, doc.http_charset)
    if not text.strip():
        raise ParseError("empty file")
    content_type = (doc.content_type or "").lower()
    is_html = "html" in content_type or looks_like_html(text)
    parser = parse_html if is_html else parse_text
    return parser(
        text,
        source_name=source_name,
        url=url,
        page_url=doc.url,
        published=published,
    )


# --- decoding -----------------------------------------------------------------------------

_BOMS = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]{0,100}encoding=["']([A-Za-z0-9._:-]+)""")
_MAGIC_NUMBERS = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"\xfd7zXZ",
    b"RIFF",
    b"OggS",
    b"ID3",
)
_BINARY = "binary file, not an article"


def decode(content: bytes, http_charset: str | None = None) -> str:
    """Bytes to text: BOM, then the HTTP charset, then <meta>, then detection.

    The order is the browser's (WHATWG "encoding sniffing"), except that before statistical
    detection we try strict UTF-8: it is by far the most common encoding and charset
    detection is least reliable on the short pages most likely to omit a declaration.
    """
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return _clean(content[len(bom) :].decode(encoding, errors="replace"))
    if content.startswith(_MAGIC_NUMBERS):
        raise ParseError(_BINARY)

    declared = _codec(http_charset)
    if declared:
        try:
            return _clean(content.decode(declared))
        except UnicodeDecodeError:
            pass  # a wrong header is common enough to deserve the rest of the chain

    if b"\x00" in content[:4096]:
        return _detect(content, require_wide=True)

    head = content[:4096]
    match = _META_CHARSET_RE.search(head) or _XML_ENCODING_RE.search(head)
    if match:
        meta = _codec(match.group(1).decode("ascii"))
        # A <meta> that can be read as ASCII cannot really be UTF-16 (WHATWG says: UTF-8).
        if meta and meta.startswith(("utf-16", "utf-32")):
            meta = "utf-8"
        if meta:
            try:
                return _clean(content.decode(meta))
            except UnicodeDecodeError:
                pass
    try:
        return _clean(content.decode("utf-8"))
    except UnicodeDecodeError:
        return _detect(content, require_wide=False)


def _detect(content: bytes, *, require_wide: bool) -> str:
    best = charset_normalizer.from_bytes(content[:200_000]).best()
    if best is None or (require_wide and not best.encoding.startswith(("utf_16", "utf_32"))):
        raise ParseError(_BINARY)
    return _clean(content.decode(best.encoding, errors="replace"))


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    # Browsers read Latin-1 and ASCII labels as windows-1252, and so do the pages.
    if name in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"
    return name


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """Refuse text that is mostly control characters; drop the few strays lxml rejects."""
    sample = text[:20_000]
    if sample:
        bad = len(_CONTROL_RE.findall(sample)) + sample.count("\ufffd")
        if bad / len(sample) > 0.02 or "\x00" in sample:
            raise ParseError(_BINARY)
    return _CONTROL_RE.sub("", normalise_line_breaks(text))


_MARKUP_RE = re.compile(
    r"^\s*(?:<\?xml|<!doctype\s+html|<html|<head|<body|<meta|<title|<!--)", re.IGNORECASE
)
_BLOCK_TAG_RE = re.compile(r"</?(?:p|div|article|h[1-6]|section|span|a|br|li)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    if _MARKUP_RE.match(text[:1000]):
        return True
    return len(_BLOCK_TAG_RE.findall(text[:20_000])) >= 3


# --- shared text helpers ------------------------------------------------------------------


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _key(text: str) -> str:
    """Comparison form: case, punctuation and spacing differences do not count."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _guess_language(text: str) -> str:
    letters = [ch for ch in text[:5000] if ch.isalpha()]
    if letters and sum(1 for ch in letters if _ARABIC_RE.match(ch)) / len(letters) > 0.3:
        return "ar"
    return "en"


def _domain(url: str | None) -> str:
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_AR_MONTH = r"(?P<month_ar>" + "|".join(sorted(arabic.FOLDED_MONTHS, key=len, reverse=True)) + ")"
_AR_OTHER_MONTH = "(?:" + "|".join(arabic.FOLDED_MONTHS) + ")"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)[-/.](?P<mnum>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b", re.I
    ),
    re.compile(
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I
    ),
    # "12 آذار 2019", "3 تشرين الأول 2015", and the press's double form "12 مارس/آذار 2019".
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?:من\s+)?(?:شهر\s+)?{_AR_MONTH}"
        rf"(?:\s*/\s*{_AR_OTHER_MONTH})?\s*(?:\(\d{{1,2}}\)\s*)?[,\u060c]?\s+(?:عام\s+)?"
        r"(?P<year>(?:19|20)\d\d)(?!\d)"
    ),
)


def parse_date(value: str | None) -> datetime.date | None:
    """The first calendar date in ``value``: ISO, "18 April 2016", "April 18, 2016", or in
    Arabic with either month names and either digits ("١٨ نيسان ٢٠١٦", "18 أبريل 2016")."""
    if not value:
        return None
    value = arabic.western_digits(arabic.fold(value))
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(value):
            parts = match.groupdict()
            if parts.get("mnum"):
                month = int(parts["mnum"])
            elif parts.get("month_ar"):
                month = arabic.FOLDED_MONTHS[parts["month_ar"]]
            else:
                month = _MONTHS[parts["month"].lower()]
            try:
                return datetime.date(int(parts["year"]), month, int(parts["day"]))
            except ValueError:
                continue
    return None


_BY_RE = re.compile(r"^\s*(?:written\s+)?by[:\s]+", re.IGNORECASE)
_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*", re.IGNORECASE)


def split_authors(*values: str) -> list[str]:
    """Names from byline strings: no "By ", no URLs, no duplicates, in order."""
    names: list[str] = []
    for value in values:
        value = _BY_RE.sub("", _squash(value))
        for part in _AUTHOR_SPLIT_RE.split(value):
            name = part.strip(" .-\u2013\u2014")
            if (
                name
                and "://" not in name
                and "@" not in name
                and len(name) <= 80
                and name.casefold() not in {n.casefold() for n in names}
            ):
                names.append(name)
    return names


# --- boilerplate lines (shared by text and HTML bodies) -----------------------------------

_SOCIAL = (
    r"(?:share|tweet|email|e-mail|print|facebook|twitter|x|whatsapp|linkedin|telegram|reddit"
    r"|copy link|comments?)"
)
_JUNK_LINE_RES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"^{_SOCIAL}(?:\s*[|/·•,]?\s*{_SOCIAL})*\s*:?$",
        r"^share (?:this|on|via)\b.{0,60}$",
        r"^follow (?:us|[\w']+) on\b.{0,80}$",
        r"^(?:story continues below )?advertisement$",
        r"^read more\b.{0,150}$",
        r"^(?:see|watch) (?:also|more)\b.{0,150}$",
        r"^related(?: articles?| stories| coverage| content)?\s*:.{0,150}$",
        r"^.{0,200}\bclick here\b.{0,150}$",
        r"^(?:last )?updated(?: at| on)?:?\s+\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?.{0,20}$",
        # Unrendered CMS shortcodes: "[button link=...]Send us your review[/button]"
        r"^\[\w+[^\]]*\].{0,200}\[/\w+\]$",
        r"^(?:tell us what you think|what do you think|have your say)\b.{0,40}$",
        r"^(?:sign up|subscribe)\b.{0,200}$",
        r"^stay informed\b.{0,200}$",
        r"^.{0,120}\bnewsletters?\b.{0,120}$",
        r"^.{0,80}\bcookies?\b.{0,200}\b(?:accept|consent|policy|settings|use|preferences)\b.{0,80}$",
        r"^(?:accept|reject|manage) (?:all )?(?:cookies|preferences)\.?$",
        r"^listen to (?:this|the) (?:article|story)\b.{0,40}$",
        r"^\d+\s+min(?:ute)?s?\s+read$",
        r"^(?:image|photo|picture)\s+(?:credit|source)\s*:.{0,120}$",
        # Wire-service credits: "(Reporting by Jane Doe; Editing by John Roe)"
        r"^\((?:additional )?(?:reporting|writing|editing|compiled)\b.{0,200}\)$",
    )
)
# After one of these, nothing more is the article.
_FOOTER_RES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^(?:©|\(c\)|copyright\b)",
        r"\ball rights reserved\b",
        r"\bdelivers (?:independent|in-depth|unrivalled)\b",
        r"^our standards\s*:",
        r"^to learn more about republishing\b",
        r"^(?:related|more) (?:articles|stories|coverage|from [\w ]{1,40}|on this story)\s*:?$",
        r"^(?:most (?:read|popular|viewed)|trending now|recommended(?: for you)?)\s*:?$",
        r"^(?:leave a comment|\d+ comments|comments)\s*:?$",
    )
)


def _is_junk(line: str) -> bool:
    return any(pattern.search(line) for pattern in _JUNK_LINE_RES)


def _is_footer(line: str) -> bool:
    return any(pattern.search(line) for pattern in _FOOTER_RES)


_END_PUNCTUATION_RE = re.compile(r"[.!?:)\"'\u2019\u201d\u2026\u3002\uff01\uff1f\u061f]$")


def _is_trailing_label(paragraph: str) -> bool:
    return (
        _words(paragraph) <= 8
        and len(paragraph) <= 80
        and not _END_PUNCTUATION_RE.search(paragraph)
    )


# The note that closes many articles: how to reach or follow the writer.
_AUTHOR_NOTE_RE = re.compile(
    r"\bfollow (?:him|her|them|me) on (?:twitter|x|facebook|instagram)\b"
    r"|\bmay be reached at\b|\bcan be reached at\b|^have a (?:news )?tip\b",
    re.IGNORECASE,
)


def _is_author_note(paragraph: str) -> bool:
    return _words(paragraph) <= 60 and bool(_AUTHOR_NOTE_RE.search(paragraph))


def _clean_paragraphs(paragraphs: list[str], boilerplate: list[str]) -> list[str]:
    """Drop share/newsletter/cookie lines anywhere and everything from a footer line on."""
    kept: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if kept and _is_footer(paragraph):
            boilerplate.extend(paragraphs[index:])
            break
        if _is_junk(paragraph):
            boilerplate.append(paragraph)
        else:
            kept.append(paragraph)
    while kept and _is_author_note(kept[-1]):
        boilerplate.insert(len(boilerplate), kept.pop())
    # Tags and related headlines trail the text: short lines without a full stop.
    trailing: list[str] = []
    while kept and _is_trailing_label(kept[-1]):
        trailing.insert(0, kept.pop())
    boilerplate.extend(trailing)
    return kept


# --- plain text ---------------------------------------------------------------------------

_NAV_RES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^skip (?:to|navigation)\b.{0,30}$",
        r"^(?:main )?(?:menu|navigation|search|home|close|open menu|toggle navigation)$",
        r"^(?:sign in|log in|login|register|subscribe|donate|account|my account)$",
        # "News | Opinion | Video", "Home > Middle East > Syria"
        r"^(?:\S+(?: \S+){0,2}\s*(?:\||\u203a|\u00bb|>|/)\s*){2,}\S+(?: \S+){0,2}$",
    )
)
# A caption ends with its credit: (AFP), (Reuters), (AFP/File photo), (MEE/Jane Doe).
_CREDIT_RE = re.compile(r"\((?P<credit>[^()]{2,60})\)\s*$")
_CREDIT_WORDS_RE = re.compile(
    r"\b(?:AFP|Reuters|AP|EPA|Getty|Anadolu|SANA|Xinhua|MEE|photo|file|handout|supplied|"
    r"courtesy|screengrab|screenshot|social media|Twitter|Facebook|Telegram|"
    r"Shutterstock|Alamy|UNICEF|UNHCR|illustration)\b",
    re.IGNORECASE,
)
_DATELINE = (
    r"(?P<place>[A-Z][A-Z'\u2019.-]*[A-Z](?:[ -][A-Z][A-Z'\u2019.-]*[A-Z]){0,3})"
    r"(?:,\s*[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?"  # ", Syria" / ", April 18"
    r"(?:\s*,?\s*\d{1,2})?"
    r"(?:\s*\([^)]{2,40}\))?"  # (Reuters)
)
# "BEIRUT (Reuters) - ...", "HOMS, Syria \u2014 ...": the dash is spaced, unlike "UN-Arab".
_DATELINE_RE = re.compile(rf"^(?:{_DATELINE}\s*[-\u2013\u2014:]|{arabic.DATELINE})\s")
_LONE_DATELINE_RE = re.compile(rf"^(?:{_DATELINE}\s*[-\u2013\u2014:]?|{arabic.LONE_DATELINE})$")
_DATE_LABEL_RE = re.compile(
    r"^(?P<label>published(?: date| on| at)?|posted(?: on)?|first published|date|dated|"
    r"last update[ds]?|updated(?: on)?|modified)\s*:?\s*",
    re.IGNORECASE,
)
_CLOCK_RE = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:am|pm)?(?:\s*(?:utc|gmt|bst|cet|cest|est|edt|et|"
    r"[+-]\d{2}:?\d{2}))?\b",
    re.IGNORECASE,
)
_WEEKDAY_RE = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?,?", re.IGNORECASE
)
_SENTENCE_END_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]?$")


def parse_text(
    text: str,
    *,
    source_name: str | None = None,
    url: str | None = None,
    page_url: str | None = None,
    published: datetime.date | None = None,
) -> ParsedArticle:
    """An article copied out of a page as text: title, standfirst, caption, body, footer."""
    raw_lines = text.replace("\r", "\n").split("\n")
    lines = [_squash(line) for line in raw_lines]
    boilerplate: list[str] = []
    nonblank = [i for i, line in enumerate(lines) if line]
    if not nonblank:
        raise ParseError("empty file")

    position, masthead = _skip_navigation(raw_lines, lines, nonblank, boilerplate)
    if position >= len(nonblank):
        raise ParseError("no article text found")
    title = lines[nonblank[position]]
    rest = nonblank[position + 1 :]

    authors: list[str] = []
    found_date: datetime.date | None = None
    standfirst = caption = ""
    body_start = len(rest)
    for offset, index in enumerate(rest):
        line = lines[index]
        if _is_byline(line):
            names, byline_date = _read_byline(line)
            authors.extend(name for name in names if name not in authors)
            found_date = found_date or byline_date
            continue
        if _is_date_line(line):
            line_date = _published_from_line(line)
            found_date = found_date or line_date
            if line_date is None:
                boilerplate.append(line)
            continue
        if _is_caption(line):
            caption = caption or _caption_text(line)
            continue
        if _is_junk(line) or _is_nav(line) or _is_menu(raw_lines[index]):
            boilerplate.append(line)
            continue
        if not standfirst and _is_standfirst(lines, rest, offset):
            standfirst = line
            continue
        body_start = offset
        break

    body_lines = lines[rest[body_start] :] if body_start < len(rest) else []
    paragraphs: list[str] = []
    for paragraph in _paragraphs(body_lines):
        if _is_caption(paragraph):
            if caption:
                boilerplate.append(paragraph)
            else:
                caption = _caption_text(paragraph)
            continue
        paragraphs.append(paragraph)
    paragraphs = _merge_lone_dateline(paragraphs)
    paragraphs = _clean_paragraphs(paragraphs, boilerplate)
    body = "\n\n".join(paragraphs)
    if _words(body) < MIN_BODY_WORDS:
        raise ParseError("no article text found")

    article = ParsedArticle(
        title=title,
        standfirst=standfirst,
        caption=caption,
        body=body,
        authors=authors,
        published=published or found_date,
        source_name=source_name or masthead,
        url=url or page_url,
        url_trusted=bool(url or page_url),
        language=_guess_language(f"{title} {body}"),
        boilerplate=boilerplate,
    )
    return _finish(article, url or page_url, soup=None)


def _skip_navigation(
    raw_lines: list[str], lines: list[str], nonblank: list[int], boilerplate: list[str]
) -> tuple[int, str]:
    """Skip what a copied page has above its headline; return where the title is, and the
    masthead (the site's name just above its menu) when there is one."""
    masthead = ""
    position = 0
    while position < len(nonblank):
        index = nonblank[position]
        line = lines[index]
        is_menu = _is_nav(line) or _is_menu(raw_lines[index])
        # A headline has more than three words; shorter lines up here are the site's name,
        # a section label or stray menu items.
        if not (is_menu or _is_junk(line) or _words(line) <= 3):
            break
        following = index + 1
        if (
            not masthead
            and not is_menu
            and following < len(lines)
            and (_is_nav(lines[following]) or _is_menu(raw_lines[following]))
        ):
            masthead = line.title() if line.isupper() else line
        boilerplate.append(line)
        position += 1
    return position, masthead


def _is_nav(line: str) -> bool:
    return any(pattern.search(line) for pattern in _NAV_RES)


def _is_menu(raw_line: str) -> bool:
    """Menu items copied as one line: "News  Opinion  Video", "Home > Syria > Conflict"."""
    items = [item for item in re.split(r"\s{2,}|\s+[|>\u203a\u00bb/]\s+", raw_line.strip()) if item]
    return len(items) >= 3 and all(
        _words(item) <= 3 and not _SENTENCE_END_RE.search(item) for item in items
    )


_BYLINE_RE = re.compile(
    r"^(?:(?:written|words|reporting|text|story)\s+)?by\s+(?=[A-Z\u0600-\u06ff])", re.IGNORECASE
)


def _is_byline(line: str) -> bool:
    return bool(_BYLINE_RE.match(line)) and _words(line) <= 16 and not line.endswith(".")


def _read_byline(line: str) -> tuple[list[str], datetime.date | None]:
    """ "By Hala Mroueh | 7 May 2014" -> (["Hala Mroueh"], date(2014, 5, 7))."""
    names: list[str] = []
    found: datetime.date | None = None
    for part in re.split(r"\s+[|\u00b7\u2022]\s+", _BYLINE_RE.sub("", line)):
        day = parse_date(part)
        if day:
            found = found or day
        else:
            names.extend(split_authors(part))
    return names, found


def _is_date_line(line: str) -> bool:
    if len(line) > 120 or parse_date(line) is None:
        return False
    if _DATE_LABEL_RE.match(line):
        return True
    leftover = _CLOCK_RE.sub(" ", _WEEKDAY_RE.sub(" ", line))
    leftover = arabic.western_digits(arabic.fold(leftover))  # as parse_date reads it
    for pattern in _DATE_PATTERNS:
        leftover = pattern.sub(" ", leftover)
    return _words(leftover) <= 2


def _published_from_line(line: str) -> datetime.date | None:
    # "Published: 18 April 2016 | Last update: 3 May 2016": the first date is the publication;
    # a line that only says when it was updated says nothing about publication.
    label = _DATE_LABEL_RE.match(line)
    if label and label.group("label").lower().startswith(("last update", "updated", "modified")):
        return None
    return parse_date(line)


def _is_caption(line: str) -> bool:
    match = _CREDIT_RE.search(line)
    if not match or _words(line) > 70 or _words(line) < 3:
        return False
    credit = match.group("credit").strip()
    if _DATELINE_RE.match(line):
        return False
    return bool(
        _CREDIT_WORDS_RE.search(credit)
        or re.fullmatch(r"[A-Z]{2,6}(?:/.{1,40})?", credit)
        or "/" in credit
    )


_CAPTION_LABEL_RE = re.compile(r"^(?:photo|image|picture|pictured|above|top)\s*:\s*", re.I)


def _caption_text(line: str) -> str:
    return _CAPTION_LABEL_RE.sub("", line)


def _is_standfirst(lines: list[str], rest: list[int], offset: int) -> bool:
    line = lines[rest[offset]]
    if (
        _DATELINE_RE.match(line)
        or _LONE_DATELINE_RE.match(line)
        or _words(line) > 60
        or _breaks_mid_sentence(line)
    ):
        return False
    remaining = rest[offset + 1 :]
    if not remaining:
        return False
    if not _SENTENCE_END_RE.search(line):
        return True
    # A full sentence is a standfirst only when header matter separates it from the body.
    following = lines[remaining[0]]
    return _is_caption(following) or _is_byline(following) or _is_date_line(following)


def _paragraphs(lines: list[str]) -> Iterator[str]:
    """One paragraph per line, unless the text is hard-wrapped, when blank lines separate."""
    wrapped = _is_hard_wrapped(lines)
    block: list[str] = []
    for line in [*lines, ""]:
        if line and (wrapped or (block and _breaks_mid_sentence(block[-1]))):
            block.append(line)
            continue
        if line and _breaks_mid_sentence(line):
            # A long line cut after a lower-case word ("..., while the") goes on below.
            block.append(line)
            continue
        if block:
            yield " ".join(block)
            block = []
        if line:
            yield line


_FUNCTION_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "while",
        "as",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "for",
        "with",
        "into",
        "near",
        "that",
        "which",
        "who",
        "said",
        "says",
        "its",
        "their",
        "his",
        "her",
    }
)


def _breaks_mid_sentence(line: str) -> bool:
    """A long line that stops on a word no sentence or headline ends with ("..., while the")."""
    last_word = line.rsplit(maxsplit=1)[-1].rstrip(",;")
    return len(line) >= 50 and last_word in _FUNCTION_WORDS


def _is_hard_wrapped(lines: list[str]) -> bool:
    joined = [a for a, b in itertools.pairwise(lines) if a and b]
    if len(joined) < 3:
        return False
    typical = sum(1 for line in joined if 40 <= len(line) <= 80)
    return typical / len(joined) > 0.8 and max(len(line) for line in lines) <= 100


_DASHES = " -\u2013\u2014:"


def _merge_lone_dateline(paragraphs: list[str]) -> list[str]:
    # "ALEPPO, Syria" on a line of its own belongs to the paragraph it opens.
    if (
        len(paragraphs) > 1
        and _words(paragraphs[0]) <= 5
        and _LONE_DATELINE_RE.match(paragraphs[0])
    ):
        return [f"{paragraphs[0].rstrip(_DASHES)} — {paragraphs[1]}", *paragraphs[2:]]
    return paragraphs


# --- HTML ---------------------------------------------------------------------------------


@dataclass
class _Metadata:
    title: str = ""
    description: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime.date | None = None
    site_name: str = ""
    canonical: str | None = None
    language: str = ""
    article_body: str = ""


def parse_html(
    html: str,
    *,
    source_name: str | None = None,
    url: str | None = None,
    page_url: str | None = None,
    published: datetime.date | None = None,
) -> ParsedArticle:
    """A web page: metadata from what it declares, body from trafilatura."""
    check_markup_limits(html)
    try:
        with warnings.catch_warnings():
            # A fetched page is markup even when it reads like a file name (".HTM").
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(html, "lxml")
    except (LxmlError, ValueError) as exc:
        raise ParseError(f"unreadable HTML ({exc})") from None
    base_url = url or page_url
    meta = _metadata(soup, base_url)
    captions = _captions(soup)

    title = _strip_site_name(
        meta.title or _first_text(soup, "h1") or _first_text(soup, "title"), meta.site_name
    )
    boilerplate: list[str] = []
    paragraphs = _extract_paragraphs(html, base_url)
    if not paragraphs and meta.article_body:
        paragraphs = [p for p in (_squash(p) for p in meta.article_body.split("\n")) if p]
    paragraphs = _drop_captions(paragraphs, captions, boilerplate)
    paragraphs = _drop_heading_duplicates(paragraphs, title, meta.description, boilerplate)
    paragraphs = _drop_link_lists(paragraphs, soup, boilerplate)
    paragraphs = _clean_paragraphs(paragraphs, boilerplate)
    body = "\n\n".join(paragraphs)
    if _words(body) < MIN_BODY_WORDS:
        raise ParseError("no article text found")
    if not title:
        title = paragraphs[0][:200]
    identity = article_identity(editor_url=url, page_url=page_url, claimed_url=meta.canonical)
    # The outlet's name comes from the page only when the page's own address vouches for it.
    vouched_canonical = meta.canonical if identity.url == meta.canonical else None

    article = ParsedArticle(
        title=title,
        standfirst=meta.description,
        caption=captions[0] if captions else "",
        body=body,
        authors=meta.authors,
        published=published or meta.published,
        source_name=source_name or meta.site_name or _domain(vouched_canonical or base_url),
        url=identity.url,
        url_trusted=identity.trusted,
        language=meta.language or _guess_language(f"{title} {body}"),
        boilerplate=boilerplate,
    )
    return _finish(article, identity.url, soup=soup)


def _captions(soup: BeautifulSoup) -> list[str]:
    """Every <figcaption>; failing those, what older templates mark as a caption."""
    elements = soup.find_all("figcaption") or soup.select(
        '[class*="caption" i], [itemprop="caption"]'
    )
    texts = [_squash(element.get_text(" ")) for element in elements]
    return [text for text in texts if text and _words(text) <= 80]


def _extract_paragraphs(html: str, url: str | None) -> list[str]:
    try:
        text = trafilatura.extract(
            html,
            url=url,
            # Measured on bench/eval_extraction.py: precision mode and no comments score best.
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
            with_metadata=False,
        )
    except (LxmlError, ValueError):
        return []
    return [p for p in (_squash(line) for line in (text or "").split("\n")) if p]


def _drop_captions(paragraphs: list[str], captions: list[str], boilerplate: list[str]) -> list[str]:
    keys = [_key(caption) for caption in captions]
    kept = []
    for paragraph in paragraphs:
        key = _key(paragraph)
        if key and any(key == c or (len(key) >= 20 and key in c) for c in keys):
            boilerplate.append(paragraph)
        else:
            kept.append(paragraph)
    return kept


def _drop_link_lists(
    paragraphs: list[str], soup: BeautifulSoup, boilerplate: list[str]
) -> list[str]:
    """Drop runs of lines that are each the whole text of a link: related-article lists.

    A single linked line inside prose can be part of the story; two or more in a row are
    a list of other pages ("More on this", "Don't miss"), whatever the site calls it.
    """
    links = {_key(a.get_text(" ")) for a in soup.find_all("a")} - {""}

    def is_link(paragraph: str) -> bool:
        key = _key(re.sub(r"^[-\u2013\u2022*\s]+|\s*\[[A-Z ]+\]\W*$", "", paragraph))
        return _words(key) >= 3 and key in links

    flags = [is_link(paragraph) for paragraph in paragraphs]
    kept = []
    for index, paragraph in enumerate(paragraphs):
        in_run = flags[index] and (
            (index > 0 and flags[index - 1]) or (index + 1 < len(flags) and flags[index + 1])
        )
        (boilerplate if in_run else kept).append(paragraph)
    return kept


def _drop_heading_duplicates(
    paragraphs: list[str], title: str, standfirst: str, boilerplate: list[str]
) -> list[str]:
    # Extractors often repeat the headline and standfirst as the first lines of the text. A
    # standfirst line that opens the text straight away, with no headline above it, is
    # usually the lead paragraph itself that the page also put in its description: keep it.
    headings = {_key(title)} - {""}
    if paragraphs and _key(paragraphs[0]) in headings:
        headings.add(_key(standfirst))
    while paragraphs and _key(paragraphs[0]) in headings:
        boilerplate.append(paragraphs.pop(0))
    return paragraphs


def _metadata(soup: BeautifulSoup, page_url: str | None) -> _Metadata:
    meta = _Metadata()
    ld = _json_ld_article(soup)
    og = _meta_values(soup)

    meta.title = (
        _squash(_text_of(ld.get("headline")) or _text_of(ld.get("name")))
        or og.get("og:title", "")
        or og.get("twitter:title", "")
    )
    meta.description = (
        _squash(_text_of(ld.get("description")))
        or og.get("og:description", "")
        or og.get("description", "")
        or og.get("twitter:description", "")
    )

    ld_authors = _json_ld_names(ld.get("author"))
    meta.authors = split_authors(*ld_authors) if ld_authors else []
    if not meta.authors:
        bylines = [og.get("author", ""), og.get("article:author", ""), og.get("byl", "")]
        meta.authors = split_authors(*[b for b in bylines if b])
    if not meta.authors:
        meta.authors = split_authors(
            *[
                _squash(el.get_text(" "))
                for el in soup.select('[rel="author"], [itemprop="author"]')
            ][:3]
        )

    for candidate in (
        _text_of(ld.get("datePublished")),
        og.get("article:published_time", ""),
        og.get("datepublished", ""),
        og.get("pubdate", ""),
        og.get("publishdate", ""),
        og.get("dc.date", ""),
        og.get("dcterms.created", ""),
        og.get("date", ""),
        _attr(soup.find(attrs={"itemprop": "datePublished"}), "content", "datetime"),
        _attr(soup.find("time", attrs={"datetime": True}), "datetime"),
        _text_of(ld.get("dateCreated")),
    ):
        meta.published = parse_date(candidate)
        if meta.published:
            break

    publisher = ld.get("publisher")
    meta.site_name = og.get("og:site_name", "") or (
        _json_ld_names(publisher)[0] if _json_ld_names(publisher) else ""
    )

    canonical = _attr(soup.find("link", rel="canonical"), "href") or og.get("og:url", "")
    canonical = canonical or _text_of(ld.get("url")) or _text_of(ld.get("mainEntityOfPage"))
    if canonical:
        absolute = urljoin(page_url or "", canonical)
        if urlsplit(absolute).scheme in {"http", "https"} and urlsplit(absolute).hostname:
            meta.canonical = absolute

    html_tag = soup.find("html")
    language = (
        _attr(html_tag, "lang", "xml:lang")
        or _text_of(ld.get("inLanguage"))
        or og.get("og:locale", "")
    )
    meta.language = re.split(r"[-_]", language.strip().lower())[0] if language.strip() else ""
    if not re.fullmatch(r"[a-z]{2,3}", meta.language):
        meta.language = ""

    meta.article_body = _text_of(ld.get("articleBody"))
    return meta


def _meta_values(soup: BeautifulSoup) -> dict[str, str]:
    """<meta property|name|itemprop=... content=...>, the first of each, keys lowercased."""
    values: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = _attr(tag, "property", "name", "itemprop").strip().lower()
        content = _squash(_attr(tag, "content"))
        if key and content and key not in values:
            values[key] = content
    return values


def _json_ld_article(soup: BeautifulSoup) -> dict[str, Any]:
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        raw = (script.string or script.get_text() or "").strip()
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|\]\]>\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        for item in _json_ld_items(data):
            types = item.get("@type")
            type_list = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t in ARTICLE_TYPES for t in type_list):
                return item
    return {}


def _json_ld_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for element in data:
            yield from _json_ld_items(element)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _json_ld_items(data["@graph"])


def _json_ld_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, dict):
        return _json_ld_names(value.get("name"))
    if isinstance(value, list):
        return [name for element in value for name in _json_ld_names(element)]
    return []


def _text_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text_of(
            value.get("@id") or value.get("url") or value.get("name") or value.get("@value")
        )
    if isinstance(value, list) and value:
        return _text_of(value[0])
    return ""


def _attr(tag: Any, *names: str) -> str:
    if not isinstance(tag, Tag):
        return ""
    for name in names:
        value = tag.get(name)
        if isinstance(value, list):
            value = " ".join(value)
        if value:
            return str(value)
    return ""


def _first_text(soup: BeautifulSoup, name: str) -> str:
    tag = soup.find(name)
    return _squash(tag.get_text(" ")) if tag else ""


def _strip_site_name(title: str, site_name: str) -> str:
    title = _squash(title)
    if site_name:
        for separator in (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 "):
            suffix = f"{separator}{site_name}"
            if title.casefold().endswith(suffix.casefold()) and len(title) > len(suffix):
                return title[: -len(suffix)].strip()
            prefix = f"{site_name}{separator}"
            if title.casefold().startswith(prefix.casefold()) and len(title) > len(prefix):
                return title[len(prefix) :].strip()
    return title


# --- site adapters ------------------------------------------------------------------------

Adapter = Callable[[ParsedArticle, BeautifulSoup | None], ParsedArticle]


def _middle_east_eye(article: ParsedArticle, soup: BeautifulSoup | None) -> ParsedArticle:
    # MEE's <title> and og:title carry " | Middle East Eye", and copies of its pages often
    # arrive without og:site_name, leaving only the domain as a source name.
    source = article.source_name
    if not source or source.endswith("middleeasteye.net"):
        source = "Middle East Eye"
    return replace(
        article,
        title=_strip_site_name(article.title, "Middle East Eye"),
        source_name=source,
    )


SITE_ADAPTERS: dict[str, Adapter] = {
    "middleeasteye.net": _middle_east_eye,
}


def _finish(
    article: ParsedArticle, url: str | None, *, soup: BeautifulSoup | None
) -> ParsedArticle:
    domain = _domain(url)
    for site, adapter in SITE_ADAPTERS.items():
        if domain == site or domain.endswith(f".{site}"):
            return adapter(article, soup)
    return article
