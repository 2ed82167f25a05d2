"""Several writers at once (web processes, ingestion workers): every committed change is in
the figures, none lost, and the figures move when the writer commits."""

import threading

import pytest
from django.db import connection, connections, transaction

from articles import aggregates
from articles.models import Article, EntityFacet, EntityFigure, EntityKind
from tests.factories import ActorFactory, ArticleFactory, PlaceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def total(entity) -> int:
    figure = EntityFigure.objects.filter(
        kind=aggregates.Entity.of(entity).kind,
        entity_id=entity.pk,
        facet=EntityFacet.TOTAL,
        key=0,
    ).first()
    return figure.n if figure else 0


def test_a_change_is_counted_when_its_transaction_commits():
    nusra = ActorFactory(name="Nusra Front")
    with transaction.atomic():
        ArticleFactory(mentions=[nusra])
        assert total(nusra) == 0  # applied at commit, by the deferred trigger
    assert total(nusra) == 1


def test_workers_ingesting_at_once_lose_no_article():
    nusra = ActorFactory(name="Nusra Front")
    hama = PlaceFactory(name="Khirbat al-Naqous")
    errors = []
    barrier = threading.Barrier(4)

    def ingest(worker: int) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():  # one transaction per article, as ingestion does
                    ArticleFactory(mentions=[nusra, hama])
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ingest, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert total(nusra) == 20
    assert total(hama) == 20
    assert total(hama.parent) == 20  # the province it is in
    assert (
        EntityFigure.objects.filter(kind=EntityKind.SOURCE, facet=EntityFacet.TOTAL).get().n == 20
    )


def test_two_editors_hiding_and_re_tagging_one_article_at_once():
    nusra, jund = ActorFactory(name="Nusra Front"), ActorFactory(name="Jund al-Aqsa")
    article = ArticleFactory(mentions=[nusra])
    barrier = threading.Barrier(2)
    errors = []

    def hide() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                Article.objects.filter(pk=article.pk).update(is_hidden=True)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def re_tag() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                article.actor_mentions.update(actor=jund)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hide), threading.Thread(target=re_tag)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert (total(nusra), total(jund)) == (0, 0)  # hidden, whichever committed first
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_aggregatepending")
        assert cursor.fetchone()[0] == 0
