"""Operations on stored data: re-tagging, merging duplicate actors, keeping revisions."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from articles.ingest.gazetteer import Gazetteer
from articles.models import Actor, ActorLink, Article, ArticleRevision


def parsed_from_article(article: Article):
    from articles.ingest.parse import ParsedArticle

    return ParsedArticle(
        title=article.title,
        standfirst=article.standfirst,
        caption=article.caption,
        body=article.body,
        authors=list(article.authors),
        published=article.published_on,
        source_name=article.source.name,
        url=article.url,
        language=article.language,
    )


def record_revision(article: Article, reason: str, *, user=None) -> ArticleRevision:
    """Keep ``article``'s stored text as a revision; call it BEFORE changing the article,
    in the same transaction (``articles.ingest.save`` does for every update)."""
    stored = Article.objects.only("title", "standfirst", "caption", "body").get(pk=article.pk)
    return ArticleRevision.objects.create(
        article=article,
        title=stored.title,
        standfirst=stored.standfirst,
        caption=stored.caption,
        body=stored.body,
        reason=reason[:500],
    )


@transaction.atomic
def retag_article(article: Article, gazetteer: Gazetteer) -> None:
    # The ingestion stages are imported on use: web processes that never re-tag skip them.
    from articles.ingest.save import apply_tags
    from articles.ingest.tag import tag_article

    apply_tags(article, tag_article(parsed_from_article(article), gazetteer))


@transaction.atomic
def merge_actors(keep: Actor, duplicates: list[Actor]) -> Actor:
    """Fold ``duplicates`` into ``keep``: mentions, links and names move; duplicates go.

    Where an article names both, the counts add up and an editor's decision on either
    mention is kept (a confirmation wins over no review, a rejection over both).
    """
    rank = {"rejected": 2, "confirmed": 1, "auto": 0}
    for duplicate in duplicates:
        if duplicate.pk == keep.pk:
            continue
        kept_by_article = {m.article_id: m for m in keep.mentions.all()}
        for mention in duplicate.mentions.all():
            existing = kept_by_article.get(mention.article_id)
            if existing is None:
                mention.actor = keep
                mention.save(update_fields=["actor"])
                continue
            existing.count = F("count") + mention.count
            if rank[mention.review_status] > rank[existing.review_status]:
                existing.review_status = mention.review_status
            existing.save(update_fields=["count", "review_status"])
            mention.delete()
        for link in ActorLink.objects.filter(from_actor=duplicate).exclude(to_actor=keep):
            ActorLink.objects.get_or_create(
                from_actor=keep, to_actor=link.to_actor, relation=link.relation
            )
        for link in ActorLink.objects.filter(to_actor=duplicate).exclude(from_actor=keep):
            ActorLink.objects.get_or_create(
                from_actor=link.from_actor, to_actor=keep, relation=link.relation
            )
        known = {name.casefold() for name in keep.names}
        for name in duplicate.names:
            if name.casefold() not in known:
                keep.aliases.append(name)
                known.add(name.casefold())
        duplicate.delete()
    keep.save(update_fields=["aliases"])
    return keep
