"""The FilterSets behind search, browse, exports and the API: one definition of each filter.

Every value comes from the query string and is parsed tolerantly: an unknown slug, a bad
date or a malformed search is a form error with a sentence a reader understands (the
views answer 400 with it), never a database error.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.core.validators import validate_slug
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from articles.models import (
    Actor,
    ActorKind,
    Article,
    ArticleQuerySet,
    Location,
    LocationKind,
    Source,
)
from articles.search import quoted

MAX_QUERY_LENGTH = 500
MAX_VALUES_PER_FILTER = 10


class SortOrder:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    choices = [(RELEVANCE, "Relevance"), (NEWEST, "Newest first"), (OLDEST, "Oldest first")]


class SlugsField(django_filters.fields.ModelMultipleChoiceField):
    """Several slugs: checked for shape and number before the single lookup query."""

    def __init__(self, *args, noun: str = "value", **kwargs):
        self.noun = noun
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = f"There is no {noun} “%(value)s” in the archive."

    def clean(self, value):
        values = [v for v in (value or []) if v not in ("", None)]
        if len(values) > MAX_VALUES_PER_FILTER:
            raise forms.ValidationError(
                f"Choose at most {MAX_VALUES_PER_FILTER} of each filter at a time."
            )
        for slug in values:
            try:
                validate_slug(slug)
            except forms.ValidationError:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], params={"value": slug[:80]}
                ) from None
        return super().clean(values)


class SlugField(django_filters.fields.ModelChoiceField):
    """One slug, checked for shape before the lookup query."""

    def __init__(self, *args, noun: str = "value", **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = f"There is no {noun} “%(value)s” in the archive."

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                validate_slug(value)
            except forms.ValidationError:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], params={"value": str(value)[:80]}
                ) from None
        return super().to_python(value)


# The API documents these as the slugs they take, not as the ids of the model choice.
@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SlugsField


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ModelChoiceFilter):
    field_class = SlugField


class FriendlyDateField(forms.DateField):
    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD, for example 2016-03-31."}


class DateFilter(django_filters.DateFilter):
    field_class = FriendlyDateField


@dataclass(frozen=True)
class Chip:
    """An active filter as the reader sees it, with what removes it from the URL."""

    param: str
    value: str
    label: str


class ArticleFilter(django_filters.FilterSet):
    """Search and browse. Repeated ``actor`` or ``province`` values narrow (all must be
    mentioned); repeated ``primary_province`` or ``source`` values widen (any of them)."""

    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Searches are limited to {MAX_QUERY_LENGTH} characters.",
            "null_characters_not_allowed": "The search contains a character that is not allowed.",
        },
    )
    actor = SlugsFilter(
        queryset=Actor.objects.public(),
        to_field_name="slug",
        method="filter_actor",
        noun="actor",
        label="Actor",
        help_text="Actor slug; repeat to require several actors.",
    )
    lineage = django_filters.BooleanFilter(
        method="filter_lineage",
        widget=forms.CheckboxInput,
        label="Include predecessors and successors",
        help_text="With `actor`: also articles naming the groups it succeeded or that succeeded "
        "it (Nusra Front, Jabhat Fateh al-Sham, Hayat Tahrir al-Sham).",
    )
    actor_kind = django_filters.ChoiceFilter(
        choices=ActorKind.choices, method="filter_actor_kind", label="Actor kind"
    )
    province = SlugsFilter(
        queryset=Location.objects.provinces(),
        to_field_name="slug",
        method="filter_province",
        noun="province",
        label="Province mentioned",
        help_text="Province slug: articles mentioning a place in it; repeat to require several.",
    )
    primary_province = SlugsFilter(
        method="filter_primary_province",
        queryset=Location.objects.provinces(),
        to_field_name="slug",
        noun="province",
        label="Where it happened",
        help_text="Province slug of the article's primary place; repeat for any of several.",
    )
    location = SlugFilter(
        queryset=Location.objects.all(),
        to_field_name="slug",
        method="filter_location",
        noun="place",
        label="Place",
        help_text="Place slug: articles mentioning it or any place inside it.",
    )
    source = SlugsFilter(
        method="filter_source",
        queryset=Source.objects.all(),
        to_field_name="slug",
        noun="source",
        label="Source",
        help_text="Source slug; repeat for any of several.",
    )
    published_after = DateFilter(
        field_name="published_on", lookup_expr="gte", label="Published on or after"
    )
    published_before = DateFilter(
        field_name="published_on", lookup_expr="lte", label="Published on or before"
    )
    sort = django_filters.ChoiceFilter(
        choices=SortOrder.choices,
        method="filter_sort",
        empty_label=None,
        label="Order",
        help_text="relevance (with a search; the default then), newest (default) or oldest.",
    )

    class Meta:
        model = Article
        fields = []

    def filter_q(self, queryset: ArticleQuerySet, name, value) -> ArticleQuerySet:
        return queryset.search(value)

    def filter_actor(self, queryset: ArticleQuerySet, name, value) -> ArticleQuerySet:
        if not self.form.cleaned_data.get("lineage"):
            return queryset.mentioning_actors(value)
        for actor in value:  # each actor stands for its whole lineage; several still narrow
            queryset = queryset.mentioning_any_actor(actor.lineage())
        return queryset

    def filter_lineage(self, queryset: ArticleQuerySet, name, value) -> ArticleQuerySet:
        return queryset  # read by filter_actor

    def filter_actor_kind(self, queryset: ArticleQuerySet, name, value) -> ArticleQuerySet:
        return queryset.mentioning_actor_kind(value)

    def filter_province(self, queryset: ArticleQuerySet, name, value) -> ArticleQuerySet:
        return queryset.mentioning_provinces(value)

    def filter_primary_province(self, queryset, name, value) -> ArticleQuerySet:
        return queryset.filter(primary_province__in=value) if value else queryset

    def filter_source(self, queryset, name, value) -> ArticleQuerySet:
        return queryset.filter(source__in=value) if value else queryset

    def filter_location(self, queryset: ArticleQuerySet, name, value) -> ArticleQuerySet:
        return queryset.mentioning_place(value)

    def filter_sort(self, queryset: ArticleQuerySet, name, value) -> ArticleQuerySet:
        return queryset  # applied last, in filter_queryset, once the search is known

    def filter_queryset(self, queryset: ArticleQuerySet) -> ArticleQuerySet:
        queryset = super().filter_queryset(queryset)
        return queryset.ordered_by(self.sort_order, searching=bool(self.search_text))

    @property
    def search_text(self) -> str:
        data = (
            self.form.cleaned_data if self.is_bound and hasattr(self.form, "cleaned_data") else {}
        )
        return (data.get("q") or "").strip()

    @property
    def sort_order(self) -> str:
        data = (
            self.form.cleaned_data if self.is_bound and hasattr(self.form, "cleaned_data") else {}
        )
        sort = data.get("sort") or ""
        if sort == SortOrder.RELEVANCE and not self.search_text:
            return SortOrder.NEWEST
        return sort or (SortOrder.RELEVANCE if self.search_text else SortOrder.NEWEST)

    def focus_province(self) -> tuple[str, Location] | None:
        """``(parameter, province)`` when the filters narrow to exactly one province, by
        ``province`` or by a ``location`` that is a province (the same articles): the map
        then draws that province's districts and places."""
        if not self.is_bound or not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        found = [("province", province) for province in data.get("province") or []]
        location = data.get("location")
        if location is not None and location.kind == LocationKind.GOVERNORATE:
            found.append(("location", location))
        provinces = {province.pk for _, province in found}
        return found[0] if len(provinces) == 1 else None

    def error_messages(self) -> list[str]:
        """One sentence per problem, naming the parameter the reader got wrong."""
        messages = []
        for name, errors in self.form.errors.items():
            label = self.filters[name].label if name in self.filters else name
            messages.extend(f"{label}: {error}" for error in errors)
        return messages

    def chips(self) -> list[Chip]:
        """The valid active filters, in URL order, for removable chips."""
        if not self.is_bound:
            return []
        self.errors  # noqa: B018 -- validates the form
        data = self.form.cleaned_data
        chips = []
        if self.search_text:
            chips.append(Chip("q", self.form.data.get("q", ""), quoted(self.search_text)))
        for actor in data.get("actor") or []:
            chips.append(Chip("actor", actor.slug, f"Actor: {actor.name}"))
        if data.get("lineage"):
            chips.append(
                Chip("lineage", self.form.data.get("lineage"), "With predecessors and successors")
            )
        if kind := data.get("actor_kind"):
            chips.append(Chip("actor_kind", kind, f"Actor kind: {ActorKind(kind).label}"))
        for province in data.get("province") or []:
            chips.append(Chip("province", province.slug, f"Mentions {province.name}"))
        for province in data.get("primary_province") or []:
            chips.append(Chip("primary_province", province.slug, f"Happened in {province.name}"))
        if location := data.get("location"):
            chips.append(Chip("location", location.slug, f"In or near {location.name}"))
        for source in data.get("source") or []:
            chips.append(Chip("source", source.slug, f"Source: {source.name}"))
        if after := data.get("published_after"):
            chips.append(
                Chip(
                    "published_after",
                    self.form.data.get("published_after"),
                    f"From {after:%-d %b %Y}",
                )
            )
        if before := data.get("published_before"):
            chips.append(
                Chip(
                    "published_before",
                    self.form.data.get("published_before"),
                    f"Until {before:%-d %b %Y}",
                )
            )
        return chips


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name or alias", max_length=200)
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices)

    class Meta:
        model = Actor
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(aliases__contains=[value]))


class LocationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=200)
    kind = django_filters.ChoiceFilter(choices=LocationKind.choices)
    province = SlugFilter(
        queryset=Location.objects.provinces(), to_field_name="slug", noun="province"
    )
    inside = SlugFilter(
        queryset=Location.objects.all(),
        to_field_name="slug",
        method="filter_inside",
        noun="place",
        help_text="Place slug: that place and everything inside it.",
    )

    class Meta:
        model = Location
        fields = []

    def filter_inside(self, queryset, name, value):
        return queryset & Location.objects.inside(value)


def lineage_requested(query) -> bool:
    """Whether a query string asks for ``lineage``, read as ArticleFilter reads it (the actor
    page's own actor is not a filter parameter)."""
    return bool(
        ArticleFilter.base_filters["lineage"].field.widget.value_from_datadict(query, {}, "lineage")
    )
