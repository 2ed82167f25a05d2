"""Atom feeds of any filtered list: a search, an actor, a place, a source or any mix of them.

One feed takes the same query string as ``/articles/`` (``ArticleFilter``), so every list
page advertises its own filters as a feed, and a reader can follow a query, a group or a
province. Entries are the newest ``FEED_SIZE`` public articles, whatever the list's order.
"""

from __future__ import annotations

import datetime
import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from articles.filters import ArticleFilter
from articles.models import Article

FEED_SIZE = 50
SITE_NAME = "Syria news archive"
# Characters XML 1.0 cannot carry: a search typed with one must still get its feed.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return NOT_IN_XML.sub("", text or "")


class ArticleFeed(Feed):
    """Built around an already validated ``ArticleFilter`` (the view answers 400 before
    a feed is made from filters it cannot use)."""

    feed_type = Atom1Feed
    author_name = SITE_NAME

    def __init__(self, filterset: ArticleFilter) -> None:
        self.filterset = filterset

    def get_object(self, request, *args, **kwargs) -> ArticleFilter:
        self.full_path = request.get_full_path()
        return self.filterset

    def title(self, filterset: ArticleFilter) -> str:
        labels = [chip.label for chip in filterset.chips()]
        return xml_text(f"{SITE_NAME}: {', '.join(labels) if labels else 'newest articles'}")

    def subtitle(self, filterset: ArticleFilter) -> str:
        return f"The newest {FEED_SIZE} articles of this list, newest first."

    def link(self, filterset: ArticleFilter) -> str:
        query = filterset.data.copy()
        for name in ("page", "sort"):
            query.pop(name, None)
        encoded = query.urlencode()
        return reverse("articles:list") + (f"?{encoded}" if encoded else "")

    def feed_url(self, filterset: ArticleFilter) -> str:
        return self.full_path

    def items(self, filterset: ArticleFilter):
        return filterset.qs.for_listing().newest_first()[:FEED_SIZE]

    def item_title(self, article: Article) -> str:
        return xml_text(article.title)

    def item_description(self, article: Article) -> str:
        return xml_text(article.standfirst)

    def item_author_name(self, article: Article) -> str:
        return ", ".join(article.authors) or article.source.name

    def item_pubdate(self, article: Article) -> datetime.datetime:
        if article.published_on is None:
            return article.ingested_at
        midnight = datetime.datetime.combine(article.published_on, datetime.time())
        return timezone.make_aware(midnight, datetime.UTC)

    def item_updateddate(self, article: Article) -> datetime.datetime:
        return article.updated_at

    def item_categories(self, article: Article) -> list[str]:
        return [article.source.name]
