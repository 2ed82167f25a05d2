"""``fetch -> parse -> tag`` for one input, and the JSON an editor or analyst sees of it.

Plain Python: the caller decides whether to save (``articles.ingest.save``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from articles.ingest.errors import IngestError
from articles.ingest.fetch import FetchedDocument, fetch_url, read_path
from articles.ingest.gazetteer import Gazetteer
from articles.ingest.parse import parse_document
from articles.ingest.provenance import mention_provenance
from articles.ingest.tag import Mention, TaggedArticle, tag_article


@dataclass(frozen=True)
class IngestOptions:
    source_name: str | None = None
    url: str | None = None
    published: datetime.date | None = None
    allow_private_urls: bool = False
    max_bytes: int = 20 * 1024 * 1024
    timeout_seconds: float = 15


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://")) or "://" in value[:12]


def fetch_input(value: str, options: IngestOptions) -> FetchedDocument:
    if is_url(value):
        return fetch_url(
            value,
            timeout=options.timeout_seconds,
            max_bytes=options.max_bytes,
            allow_private=options.allow_private_urls,
        )
    return read_path(value, max_bytes=options.max_bytes)


def prepare_document(
    document: FetchedDocument, gazetteer: Gazetteer, options: IngestOptions
) -> TaggedArticle:
    parsed = parse_document(
        document,
        source_name=options.source_name,
        url=options.url,
        published=options.published,
    )
    return tag_article(parsed, gazetteer)


def prepare_input(value: str, gazetteer: Gazetteer, options: IngestOptions) -> TaggedArticle:
    """Fetch, parse and tag one path or URL; IngestError says why it cannot be an article."""
    return prepare_document(fetch_input(value, options), gazetteer, options)


def prepare_text(
    text: str, gazetteer: Gazetteer, options: IngestOptions, *, name: str = "pasted text"
) -> TaggedArticle:
    document = FetchedDocument(
        input=name,
        content=text.encode("utf-8"),
        content_type="text/html" if text.lstrip()[:1] == "<" else "text/plain",
        url=options.url,
        http_charset="utf-8",
    )
    return prepare_document(document, gazetteer, options)


def describe(tagged: TaggedArticle, gazetteer: Gazetteer) -> dict[str, Any]:
    """The article and its tags as JSON-ready data (``ingest --dry-run --json``)."""
    article = tagged.article

    def location_json(slug: str, mention: Mention | None = None) -> dict[str, Any]:
        location = gazetteer.locations[slug]
        province = gazetteer.province_of(slug)
        country = gazetteer.country_of(slug)
        data = {
            "name": location.name,
            "slug": slug,
            "kind": location.kind,
            "province": province.name if province else None,
            "country": country.name if country else None,
        }
        if mention is not None:
            data["mentions"] = mention.count
            data.update(mention_provenance(mention, location.aliases, tagged.extractor))
        return data

    actors = []
    for mention in tagged.actors:
        actor = gazetteer.actors.get(mention.slug)
        if actor is not None:
            actors.append(
                {
                    "name": actor.name,
                    "slug": actor.slug,
                    "kind": actor.kind,
                    "mentions": mention.count,
                    "role": mention.role or None,
                    "confidence": mention.confidence,
                    **mention_provenance(mention, actor.aliases, tagged.extractor),
                }
            )
    primary = None
    if tagged.primary_location in gazetteer.locations:
        full = location_json(tagged.primary_location)
        primary = {key: full[key] for key in ("name", "slug", "province")}
    return {
        "title": article.title,
        "standfirst": article.standfirst,
        "caption": article.caption,
        "body": article.body,
        "published": article.published.isoformat() if article.published else None,
        "authors": list(article.authors),
        "source": article.source_name or None,
        "url": article.url,
        "language": article.language,
        "actors": actors,
        "locations": [
            location_json(m.slug, m) for m in tagged.locations if m.slug in gazetteer.locations
        ],
        "primary_location": primary,
        "candidates": [
            {
                "name": c.name,
                "kind": c.kind,
                "mentions": c.count,
                "role": c.role or None,
                "probably": c.probable,
                "probable_score": c.probable_score,
                "sentence": c.sentence,
                "extractor": tagged.extractor,
            }
            for c in tagged.candidates
        ],
    }


__all__ = [
    "IngestError",
    "IngestOptions",
    "describe",
    "fetch_input",
    "is_url",
    "prepare_input",
    "prepare_text",
]
