"""Factories that read like the archive's data: real group and place names, fictional text."""

import hashlib

import factory
from django.utils.text import slugify

from articles import models


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source
        django_get_or_create = ("slug",)

    name = "Levant Wire"
    slug = factory.LazyAttribute(lambda source: slugify(source.name))
    domain = factory.LazyAttribute(lambda source: f"{source.slug.replace('-', '')}.example")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Location
        django_get_or_create = ("slug",)

    name = "Syria"
    slug = factory.LazyAttribute(lambda loc: slugify(loc.name))
    kind = models.LocationKind.COUNTRY


class ProvinceFactory(CountryFactory):
    name = "Hama"
    kind = models.LocationKind.GOVERNORATE
    parent = factory.SubFactory(CountryFactory)


class PlaceFactory(CountryFactory):
    name = "Khirbat al-Naqous"
    kind = models.LocationKind.VILLAGE
    parent = factory.SubFactory(ProvinceFactory)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Actor
        django_get_or_create = ("slug",)

    name = "Jund al-Aqsa"
    slug = factory.LazyAttribute(lambda actor: slugify(actor.name))
    kind = models.ActorKind.ARMED_GROUP


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Article
        skip_postgeneration_save = True

    source = factory.SubFactory(SourceFactory)
    title = factory.Sequence(lambda n: f"Fighting flares in the al-Ghab plain, report {n}")
    standfirst = "Rebels and government forces trade artillery fire north of Hama."
    body = factory.Sequence(
        lambda n: f"Jund al-Aqsa fighters advanced on Khirbat al-Naqous at dawn (report {n})."
    )
    published_on = factory.Faker("date_between", start_date="-10y", end_date="today")
    content_hash = factory.LazyAttribute(
        lambda article: hashlib.sha256(f"{article.title}\n{article.body}".encode()).hexdigest()
    )

    @factory.post_generation
    def mentions(article, create, extracted, **kwargs):
        """``mentions=[actor_or_location, ...]`` links the article to each one."""
        for target in extracted or ():
            mention_article(article, target)


def find_spans(article, name):
    """Every occurrence of ``name`` in the article's fields, as stored ``[field, start, end]``."""
    spans = []
    for field in ("title", "standfirst", "caption", "body"):
        text, start = getattr(article, field), 0
        while name and (start := text.find(name, start)) != -1:
            spans.append([field, start, start + len(name)])
            start += len(name)
    return spans


def mention_article(article, target, *, count=1, review_status="auto", spans=None):
    first_offset = max(article.body.find(target.name), 0)
    fields = {
        "article": article,
        "count": count,
        "first_offset": first_offset,
        "sentence": article.body[:200],
        "review_status": review_status,
        "spans": find_spans(article, target.name) if spans is None else spans,
    }
    if isinstance(target, models.Actor):
        return models.ActorMention.objects.create(actor=target, **fields)
    return models.LocationMention.objects.create(
        location=target, province_id=target.province_id, **fields
    )


class ActorLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActorLink

    from_actor = factory.SubFactory(ActorFactory, name="Jabhat Fateh al-Sham")
    to_actor = factory.SubFactory(ActorFactory, name="Nusra Front")
    relation = "successor_of"
