"""The editors' admin: import and review articles, correct tags, curate the gazetteer."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from functools import cached_property

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import URLValidator
from django.db import models
from django.db.models import CharField, Count, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles import entity_counts, services, stories
from articles.ingest.errors import IngestError
from articles.ingest.linebreaks import normalise_line_breaks
from articles.models import (
    Actor,
    ActorKind,
    ActorLink,
    ActorMention,
    ActorStatus,
    Article,
    EditorialAction,
    EditorialChange,
    Location,
    LocationMention,
    PendingImport,
    ReviewStatus,
    Source,
    Story,
)
from articles.tasks import ingest_input, ingest_options, ingest_text

admin.site.site_header = "newsarchive editors"
admin.site.site_title = "newsarchive"
admin.site.index_title = "Archive administration"


# --- the editorial record ---------------------------------------------------------------


class ReasonActionForm(helpers.ActionForm):
    """The action bar, with the reason that goes on the record beside the action."""

    reason = forms.CharField(
        required=False,
        label="Reason",
        widget=forms.TextInput(attrs={"size": 40, "placeholder": "why (goes on the record)"}),
    )


def action_reason(request) -> str:
    return request.POST.get("reason", "")


class RecordedForm(forms.ModelForm):
    change_reason = forms.CharField(
        required=False,
        label="Reason for this change",
        help_text="Goes on the editorial record with your name; readers see what changed "
        "and when, never who or why.",
    )


def field_labels(model, names) -> str:
    return ", ".join(
        str(model._meta.get_field(name).verbose_name)
        for name in names
        if name != "change_reason" and any(f.name == name for f in model._meta.get_fields())
    )


class CappedPaginator(Paginator):
    """A changelist's pages without a COUNT(*) of the whole table: counting stops at the
    first row past ``cap``. Past it the list pages through the first ``cap`` rows and says
    "more than" that many; a filter or a search narrows it."""

    cap = 10_000

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


class CappedCountAdmin(admin.ModelAdmin):
    """For the big tables (articles, mentions, stories, the record): the changelist never
    counts more than ``CappedPaginator.cap`` rows, neither the filtered list nor the whole
    table (``show_full_result_count``)."""

    paginator = CappedPaginator
    show_full_result_count = False


def counted_changelist(counts: Callable[[], dict[int, int]], attribute: str) -> type[ChangeList]:
    """A changelist whose listed rows get ``attribute`` from ``counts()``: per-row counts
    from the generation-keyed cache (``articles.entity_counts``), not a GROUP BY over the
    mention or article table on every request (the column is not sortable for that)."""

    class CountedChangeList(ChangeList):
        def get_results(self, request):
            super().get_results(request)
            counted = counts()
            self.result_list = list(self.result_list)
            for row in self.result_list:
                setattr(row, attribute, counted.get(row.pk, 0))

    return CountedChangeList


class RecordedAdmin(admin.ModelAdmin):
    """Every save through the change form, and every change of an inline row, is an entry
    on the editorial record with the editor, the time and the reason they gave."""

    form = RecordedForm
    action_form = ReasonActionForm

    def record_edit(self, request, obj, form):
        """(action, summary, rows to snapshot) for an edited row; None records nothing."""
        stored = type(obj).objects.get(pk=obj.pk)
        return (
            EditorialAction.NAMES_EDITED,
            f"{stored}: {field_labels(type(obj), form.changed_data)} edited",
            [stored],
        )

    def save_model(self, request, obj, form, change):
        changed = [name for name in form.changed_data if name != "change_reason"]
        if not change or not changed:
            return self.save_unrecorded(request, obj, form, change)
        action, summary, before = self.record_edit(request, obj, form)
        with services.on_record(
            action,
            user=request.user,
            reason=form.cleaned_data.get("change_reason", ""),
            summary=summary,
            before=before,
        ):
            self.save_unrecorded(request, obj, form, change)

    def save_unrecorded(self, request, obj, form, change):
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Each added, changed or removed inline row (a tag, a link) is its own entry, so
        each can be undone alone."""
        reason = request.POST.get("change_reason", "")
        instances = formset.save(commit=False)
        for instance in instances:
            self.prepare_inline(instance)
            if instance.pk is None:
                action, summary = self.inline_summary(instance, None)
                with services.on_record(
                    action, user=request.user, reason=reason, summary=summary
                ) as entry:
                    instance.save()
                    entry.created.append(instance)
                continue
            stored = type(instance).objects.get(pk=instance.pk)
            action, summary = self.inline_summary(instance, stored)
            with services.on_record(
                action, user=request.user, reason=reason, summary=summary, before=[stored]
            ):
                instance.save()
        for obj in formset.deleted_objects:
            action, summary = self.inline_summary(obj, obj, removed=True)
            with services.on_record(
                action, user=request.user, reason=reason, summary=summary, before=[obj]
            ):
                obj.delete()
        formset.save_m2m()

    def prepare_inline(self, instance):
        pass

    def inline_summary(self, instance, stored, removed=False):
        if removed:
            return EditorialAction.NAMES_EDITED, f"Removed: {instance}"
        if stored is None:
            return EditorialAction.NAMES_EDITED, f"Added: {instance}"
        return EditorialAction.NAMES_EDITED, f"Changed: {instance}"

    def record_link(self, obj, label):
        """A link to this row's entries on the editorial record."""
        n = EditorialChange.objects.concerning(obj).count()
        url = reverse("admin:articles_editorialchange_changelist") + f"?{label}={obj.pk}"
        return format_html('<a href="{}">{} entries on the record</a>', url, n)


# Django 6's behaviour today: a URL typed without a scheme is taken as https.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}
# An article's text, as the tagger's offsets count it.
ARTICLE_TEXT_FIELDS = ("title", "standfirst", "caption", "body")
# A previewed import waits this long on the server for the editor to save it.
PENDING_IMPORT_MAX_AGE = datetime.timedelta(days=1)
PENDING_IMPORTS_SESSION_KEY = "pending_imports"


class LineBreakCharField(forms.CharField):
    """Browsers submit textareas with CRLF; stored text has LF only, so an unchanged Save
    is unchanged (and shifts no highlight)."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_line_breaks(value) if isinstance(value, str) else value


class ArticleForm(RecordedForm):
    class Meta:
        model = Article
        # ArticleAdmin.fieldsets adds the other fields; these are the ones it must clean.
        fields = ARTICLE_TEXT_FIELDS
        field_classes = dict.fromkeys(ARTICLE_TEXT_FIELDS, LineBreakCharField)

    def clean(self):
        data = super().clean()
        if {"title", "body"} & set(self.changed_data) and data.get("title") and data.get("body"):
            from articles.ingest.save import content_hash

            digest = content_hash(data["title"], data["body"])
            twin = Article.objects.filter(content_hash=digest).exclude(pk=self.instance.pk)
            if twin := twin.first():
                raise ValidationError(
                    f"Another article already has this title and text: “{twin.title}” (#{twin.pk})."
                )
            self.instance.content_hash = digest
        return data


class NamesSearchMixin:
    """Admin (and autocomplete) search over the name and every alias."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        # array_to_string's type must be given: Django cannot infer text from an ArrayField
        # and a CharField, and would refuse the expression ("mixed types").
        queryset = queryset.annotate(
            alias_text=Func(
                F("aliases"), Value(" | "), function="array_to_string", output_field=CharField()
            )
        )
        return (
            queryset.filter(Q(name__icontains=search_term) | Q(alias_text__icontains=search_term)),
            False,
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "article_count"]
    formfield_overrides = HTTPS_URLS
    search_fields = ["name", "domain"]
    prepopulated_fields = {"slug": ["name"]}

    def get_changelist(self, request, **kwargs):
        return counted_changelist(entity_counts.all_per_source, "article_total")

    @admin.display(description="articles")
    def article_count(self, source):
        return source.article_total


class ActorLinkInline(admin.TabularInline):
    model = ActorLink
    fk_name = "from_actor"
    fields = ["relation", "to_actor", "valid_from", "valid_until", "source_url", "source_article"]
    autocomplete_fields = ["to_actor", "source_article"]
    formfield_overrides = HTTPS_URLS
    extra = 0
    verbose_name = "link to another actor"
    verbose_name_plural = "links to other actors (dated, with a source: an article or a URL)"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Goes on the record with the change (the object's history).",
    )


def _with_reason(model_admin, request, queryset, *, action, run, explanation, submit):
    """An action that asks for a reason first, then runs ``run(items, reason)``."""
    items = list(queryset)
    form = ReasonForm(request.POST if "reason" in request.POST else None)
    if form.is_valid():
        try:
            result = run(items, form.cleaned_data["reason"])
        except ValueError as error:
            model_admin.message_user(request, str(error), messages.ERROR)
            return None
        model_admin.message_user(request, result, messages.SUCCESS)
        return None
    return TemplateResponse(
        request,
        "admin/articles/story/reason.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": submit,
            "form": form,
            "items": items,
            "action": action,
            "explanation": explanation,
            "submit": submit,
            "opts": model_admin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


class MergeActorsForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Actor.objects.none(), widget=forms.RadioSelect, label="Keep this actor"
    )
    merge_reason = forms.CharField(
        required=False, label="Reason", help_text="Goes on the editorial record."
    )


@admin.register(Actor)
class ActorAdmin(NamesSearchMixin, RecordedAdmin):
    list_display = ["name", "kind", "status", "mention_count", "probably"]
    list_filter = ["status", "kind"]
    list_select_related = ["probable_actor"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ActorLinkInline]
    actions = [
        "merge_selected",
        "confirm_candidates",
        "reject_candidates",
        "add_spelling_to_probable_actor",
    ]
    fields = [
        "name",
        "slug",
        "kind",
        "status",
        "aliases",
        "description",
        "source",
        "probably",
        "merged_into",
        "record",
        "change_reason",
    ]
    readonly_fields = ["probably", "merged_into", "record"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            # Only a merge makes an actor "merged" (it must say where it went); undo the
            # merge on the editorial record to bring one back.
            kwargs["choices"] = [c for c in ActorStatus.choices if c[0] != ActorStatus.MERGED]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description="editorial record")
    def record(self, actor):
        return self.record_link(actor, "actor") if actor.pk else "-"

    def record_edit(self, request, obj, form):
        stored = Actor.objects.get(pk=obj.pk)
        if [name for name in form.changed_data if name != "change_reason"] == ["status"]:
            label = dict(ActorStatus.choices)[obj.status].lower()
            return EditorialAction.ACTOR_REVIEWED, f"{stored.name}: {label}", [stored]
        return super().record_edit(request, obj, form)

    def inline_summary(self, instance, stored, removed=False):
        verb = "removed" if removed else "added" if stored is None else "changed"
        return EditorialAction.NAMES_EDITED, f"Link {verb}: {instance}"

    def get_changelist(self, request, **kwargs):
        return counted_changelist(entity_counts.mentions_per_actor, "mention_total")

    @admin.display(description="probably", ordering="probable_score")
    def probably(self, actor):
        """ "probably Jaish al-Izza (0.84)": the known actor a candidate's name resembles."""
        if actor.probable_actor is None or actor.status != ActorStatus.CANDIDATE:
            return "-"
        url = reverse("admin:articles_actor_change", args=[actor.probable_actor.pk])
        return format_html(
            'probably <a href="{}">{}</a> ({})',
            url,
            actor.probable_actor.name,
            f"{actor.probable_score:.2f}",
        )

    @admin.action(
        description="Add the spelling as an alias of the probable actor (its mentions move)",
        permissions=["change"],
    )
    def add_spelling_to_probable_actor(self, request, queryset):
        adopted = []
        for candidate in queryset.filter(
            status=ActorStatus.CANDIDATE, probable_actor__isnull=False
        ).select_related("probable_actor"):
            known = candidate.probable_actor
            reason = action_reason(request) or f"{candidate.name} is a spelling of {known.name}"
            services.merge_actors(known, [candidate], user=request.user, reason=reason)
            adopted.append(f"{candidate.name} -> {known.name}")
        if not adopted:
            self.message_user(
                request, "None of the selected candidates has a probable actor.", messages.WARNING
            )
            return
        self.message_user(request, f"Added as aliases: {'; '.join(adopted)}.", messages.SUCCESS)

    @admin.display(description="articles")
    def mention_count(self, actor):
        return actor.mention_total

    @admin.action(description="Merge selected actors into one", permissions=["delete"])
    def merge_selected(self, request, queryset):
        actors = list(queryset)
        if len(actors) < 2:
            self.message_user(request, "Select at least two actors to merge.", messages.WARNING)
            return None
        form = MergeActorsForm(request.POST if "keep" in request.POST else None)
        form.fields["keep"].queryset = queryset
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merged = [actor.name for actor in actors if actor.pk != keep.pk]
            services.merge_actors(
                keep, actors, user=request.user, reason=form.cleaned_data["merge_reason"]
            )
            self.message_user(
                request, f"Merged {', '.join(merged)} into {keep.name}.", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:articles_actor_change", args=[keep.pk]))
        return TemplateResponse(
            request,
            "admin/articles/actor/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge actors",
                "form": form,
                "actors": actors,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Confirm selected candidates as gazetteer actors")
    def confirm_candidates(self, request, queryset):
        updated = services.set_actor_status(
            queryset, ActorStatus.CONFIRMED, user=request.user, reason=action_reason(request)
        )
        self.message_user(request, f"{updated} actors confirmed.", messages.SUCCESS)

    @admin.action(description="Reject selected candidates (hidden from readers)")
    def reject_candidates(self, request, queryset):
        updated = services.set_actor_status(
            queryset.filter(status=ActorStatus.CANDIDATE),
            ActorStatus.REJECTED,
            user=request.user,
            reason=action_reason(request),
        )
        self.message_user(request, f"{updated} candidates rejected.", messages.SUCCESS)


class ProvinceFilter(admin.SimpleListFilter):
    title = "province"
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return list(Location.objects.provinces().values_list("slug", "name"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if queryset.model is Article:
            return queryset.filter(
                Q(primary_province__slug=self.value())
                | Q(
                    id__in=LocationMention.objects.filter(province__slug=self.value()).values(
                        "article_id"
                    )
                )
            )
        return queryset.filter(province__slug=self.value())


@admin.register(Location)
class LocationAdmin(NamesSearchMixin, RecordedAdmin):
    list_display = ["name", "kind", "province", "country", "pcode"]
    list_filter = ["kind", ProvinceFilter]
    list_select_related = ["province", "country"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["province", "country", "path", "record"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "kind",
        "parent",
        "province",
        "country",
        "path",
        "name_ar",
        "aliases",
        "latitude",
        "longitude",
        "pcode",
        "geonames_id",
        "source",
        "record",
        "change_reason",
    ]

    @admin.display(description="editorial record")
    def record(self, place):
        return self.record_link(place, "place") if place.pk else "-"

    def record_edit(self, request, obj, form):
        stored = Location.objects.select_related("parent").get(pk=obj.pk)
        if "parent" in form.changed_data:
            old = stored.parent.name if stored.parent else "the top of the gazetteer"
            new = obj.parent.name if obj.parent else "the top of the gazetteer"
            return EditorialAction.PLACE_MOVED, f"{stored.name} moved from {old} to {new}", [stored]
        return super().record_edit(request, obj, form)

    def save_unrecorded(self, request, obj, form, change):
        if change and {"parent", "slug"} & set(form.changed_data):
            obj.move_to(obj.parent)  # everything inside it and copied from it follows
        else:
            super().save_unrecorded(request, obj, form, change)


class MentionInline(admin.TabularInline):
    extra = 0
    readonly_fields = ["sentence"]


class ActorMentionInline(MentionInline):
    model = ActorMention
    fields = ["actor", "count", "review_status", "sentence"]
    autocomplete_fields = ["actor"]
    verbose_name = "actor named"
    verbose_name_plural = "actors named (confirm or reject each tag)"


class LocationMentionInline(MentionInline):
    model = LocationMention
    fields = ["location", "count", "review_status", "sentence"]
    autocomplete_fields = ["location"]
    verbose_name = "place named"
    verbose_name_plural = "places named (confirm or reject each tag)"


class ActorKindFilter(admin.SimpleListFilter):
    title = "actor kind"
    parameter_name = "actor_kind"

    def lookups(self, request, model_admin):
        return ActorKind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(actor_mentions__actor__kind=self.value()).distinct()
        return queryset


class ReviewedFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [("no", "Has unreviewed tags"), ("yes", "All tags reviewed")]

    def queryset(self, request, queryset):
        unreviewed = Q(actor_mentions__review_status=ReviewStatus.AUTO) | Q(
            location_mentions__review_status=ReviewStatus.AUTO
        )
        ids = Article.objects.filter(unreviewed).values("id")
        if self.value() == "no":
            return queryset.filter(id__in=ids)
        if self.value() == "yes":
            return queryset.exclude(id__in=ids)
        return queryset


@admin.register(Article)
class ArticleAdmin(CappedCountAdmin, RecordedAdmin):
    form = ArticleForm
    list_display = ["title", "source", "published_on", "primary_province", "is_hidden"]
    formfield_overrides = HTTPS_URLS
    list_filter = [
        "is_hidden",
        ReviewedFilter,
        ActorKindFilter,
        ProvinceFilter,
        "source",
        "published_on",
    ]
    list_select_related = ["source", "primary_province"]
    date_hierarchy = "published_on"
    search_fields = ["title"]  # replaced by full-text search in get_search_results
    search_help_text = 'Full-text search: words, "exact phrase", or, -exclude'
    autocomplete_fields = ["primary_location"]
    readonly_fields = [
        "content_hash",
        "ingested_at",
        "updated_at",
        "primary_province",
        "story",
        "story_pinned",
        "record",
    ]
    exclude = ["search_vector"]
    inlines = [ActorMentionInline, LocationMentionInline]
    actions = ["retag_selected", "hide_selected", "show_selected", "split_story"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "source",
                    "url",
                    "published_on",
                    "authors",
                    "language",
                    "is_hidden",
                ]
            },
        ),
        ("Text", {"fields": ["standfirst", "caption", "body"]}),
        ("Where it happened", {"fields": ["primary_location", "primary_province"]}),
        ("Story", {"fields": ["story", "story_pinned"]}),
        (
            "Record",
            {"fields": ["content_hash", "ingested_at", "updated_at"], "classes": ["collapse"]},
        ),
        ("Editorial record", {"fields": ["record", "change_reason"]}),
    ]

    @admin.display(description="revisions and changes")
    def record(self, article):
        return self.record_link(article, "article") if article.pk else "-"

    def record_edit(self, request, obj, form):
        stored = Article.objects.get(pk=obj.pk)
        changed = [name for name in form.changed_data if name != "change_reason"]
        if changed == ["is_hidden"]:
            hidden = obj.is_hidden
            return (
                EditorialAction.HIDDEN if hidden else EditorialAction.UNHIDDEN,
                "Hidden from readers" if hidden else "Shown to readers again",
                [stored],
            )
        summary = f"{field_labels(Article, changed).capitalize()} corrected"
        return EditorialAction.ARTICLE_EDITED, summary, services.article_with_tags(stored)

    def prepare_inline(self, instance):
        # An editor who adds or edits a tag by hand has reviewed it.
        if instance.review_status == ReviewStatus.AUTO:
            instance.review_status = ReviewStatus.CONFIRMED
        if isinstance(instance, LocationMention):
            instance.province_id = instance.location.province_id

    def inline_summary(self, instance, stored, removed=False):
        was = None if stored is None else stored.review_status
        return services.tag_summary(instance, was=was, removed=removed)

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False

    def save_unrecorded(self, request, obj, form, change):
        if obj.primary_location_id:
            obj.primary_province_id = obj.primary_location.province_id
        super().save_unrecorded(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and set(ARTICLE_TEXT_FIELDS) & set(form.changed_data):
            # The tags' offsets point into the old text. Re-tagged in the admin's
            # transaction, after the inlines, so decisions made in this Save carry over.
            from articles.gazetteer_db import gazetteer_from_database

            services.retag_article(
                form.instance,
                gazetteer_from_database(),
                user=request.user,
                reason=form.cleaned_data.get("change_reason", "") or "the text was corrected",
            )

    @admin.action(description="Re-tag selected articles with the current gazetteer")
    def retag_selected(self, request, queryset):
        from articles.gazetteer_db import gazetteer_from_database
        from articles.services import retag_article

        gazetteer = gazetteer_from_database()
        articles = list(queryset.select_related("source"))
        for article in articles:
            retag_article(article, gazetteer, user=request.user, reason=action_reason(request))
        self.message_user(request, f"Re-tagged {len(articles)} articles.", messages.SUCCESS)

    @admin.action(description="Split selected articles off into a story of their own")
    def split_story(self, request, queryset):
        def run(articles, reason):
            story = stories.split(articles, user=request.user, reason=reason)
            return f"{len(articles)} article(s) now make story {story.pk}, “{story.title}”."

        return _with_reason(
            self,
            request,
            queryset.select_related("story"),
            action="split_story",
            run=run,
            explanation="These articles leave their stories and become one story of their own. "
            "Grouping will not move them again.",
            submit="Split off",
        )

    @admin.action(description="Hide selected articles from readers")
    def hide_selected(self, request, queryset):
        hidden = services.set_hidden(
            queryset, True, user=request.user, reason=action_reason(request)
        )
        self.message_user(request, f"{hidden} articles hidden.")

    @admin.action(description="Show selected articles to readers")
    def show_selected(self, request, queryset):
        shown = services.set_hidden(
            queryset, False, user=request.user, reason=action_reason(request)
        )
        self.message_user(request, f"{shown} articles shown.")

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_article_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Import a URL, a file or pasted text: preview the extraction and tags, then save."""
        # Imported here, not at the top: the extraction libraries are slow to import and
        # only editors importing need them, not every web process.
        from articles.gazetteer_db import gazetteer_for_ingestion
        from articles.ingest.pipeline import describe, prepare_document
        from articles.ingest.save import CONFLICT, save_article

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import an article",
            "opts": self.model._meta,
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            if "queue" in request.POST:
                return self._queue_import(request, form, context)
            options = ingest_options(
                form.cleaned_data["source"] or None,
                form.cleaned_data["url"] or None,
                form.cleaned_data["published"],
            )
            pending = None
            try:
                if form.cleaned_data.get("pending"):
                    pending = self._pending_import(request, form.cleaned_data["pending"])
                document = form.document(options, pending=pending)
                gazetteer = gazetteer_for_ingestion()
                tagged = prepare_document(document, gazetteer, options)
                if "save" in request.POST:
                    result = save_article(tagged, source_name=options.source_name)
            except IngestError as error:
                form.add_error(None, f"{form.input_name(pending)}: {error}")
                return render(request, "admin/articles/article/import.html", context)
            if "save" in request.POST:
                if result.status == CONFLICT:
                    form.add_error(None, f"{form.input_name(pending)}: {result.reason}")
                    return render(request, "admin/articles/article/import.html", context)
                if pending is not None:
                    self._forget_pending_import(request, pending)
                self.message_user(
                    request, f"“{result.article.title}”: {result.status}.", messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[result.article.pk])
                )
            pending = pending or self._keep_pending_import(request, document)
            context.update(
                preview=describe(tagged, gazetteer),
                carried=ImportForm.carry(pending, document, form.cleaned_data),
            )
        return render(request, "admin/articles/article/import.html", context)

    def _keep_pending_import(self, request, document) -> PendingImport:
        """Keep the previewed document on the server until the editor saves it."""
        PendingImport.objects.filter(
            created_at__lt=timezone.now() - PENDING_IMPORT_MAX_AGE
        ).delete()
        pending = PendingImport.objects.create(
            token=secrets.token_urlsafe(32),
            editor=request.user,
            input_name=document.input[:500],
            content=document.content,
            content_type=document.content_type or "",
        )
        tokens = request.session.get(PENDING_IMPORTS_SESSION_KEY, [])
        request.session[PENDING_IMPORTS_SESSION_KEY] = [*tokens[-19:], pending.token]
        return pending

    def _pending_import(self, request, token: str) -> PendingImport:
        pending = None
        if token in request.session.get(PENDING_IMPORTS_SESSION_KEY, []):
            pending = PendingImport.objects.filter(token=token, editor=request.user).first()
        if pending is None:
            raise IngestError(
                "the previewed document is no longer kept (saved already, or previewed more "
                "than a day ago); import it again"
            )
        return pending

    def _forget_pending_import(self, request, pending: PendingImport) -> None:
        tokens = request.session.get(PENDING_IMPORTS_SESSION_KEY, [])
        request.session[PENDING_IMPORTS_SESSION_KEY] = [t for t in tokens if t != pending.token]
        pending.delete()

    def _queue_import(self, request, form, context):
        """Hand a URL or pasted text to the background workers instead of previewing it."""
        data = form.cleaned_data
        if data.get("upload"):
            form.add_error(None, "A file cannot be queued: preview it and save it here.")
            return render(request, "admin/articles/article/import.html", context)
        source, url = data["source"] or None, data["url"] or None
        published = data["published"].isoformat() if data["published"] else None
        if data.get("text"):
            ingest_text.enqueue(data["text"], source, url, published)
            name = url or "the pasted text"
        else:
            ingest_input.enqueue(url, source, None, published)
            name = url
        self.message_user(
            request,
            f"Queued {name} for import. It appears in this list once a worker has stored it; "
            "if it cannot be imported, the reason is recorded in Task results.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))


class ImportForm(forms.Form):
    url = forms.URLField(
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        label="URL",
        help_text="Fetch this page; or give the original URL of a file or text below.",
    )
    upload = forms.FileField(required=False, label="File", help_text="A saved page or .txt file")
    text = LineBreakCharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        label="Pasted text",
        help_text="Plain text copied from a news page, or its HTML.",
    )
    source = forms.CharField(required=False, help_text="Outlet name, if the page does not say")
    published = forms.DateField(required=False, help_text="YYYY-MM-DD, if the page does not say")
    # Set after the preview: the token of the document kept on the server, so saving
    # stores exactly what the editor reviewed, however large.
    pending = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        given = [bool(data.get("pending")), bool(data.get("upload")), bool(data.get("text"))]
        if not any(given) and not data.get("url"):
            raise forms.ValidationError("Give a URL, a file or some text to import.")
        if sum(given[1:]) > 1:
            raise forms.ValidationError("Give either a file or pasted text, not both.")
        return data

    def input_name(self, pending: PendingImport | None = None) -> str:
        data = self.cleaned_data
        if pending is not None:
            return pending.input_name
        if data.get("upload"):
            return data["upload"].name
        if data.get("text"):
            return "pasted text"
        return data.get("url") or "input"

    def document(self, options, *, pending: PendingImport | None = None):
        from articles.ingest.fetch import FetchedDocument
        from articles.ingest.pipeline import fetch_input

        data = self.cleaned_data
        if pending is not None:
            return FetchedDocument(
                input=pending.input_name,
                content=bytes(pending.content),
                content_type=pending.content_type or None,
                url=options.url,
                http_charset=None,
            )
        if data.get("upload"):
            upload = data["upload"]
            if upload.size > options.max_bytes:
                raise IngestError(f"file too large ({upload.size:,} bytes)")
            return FetchedDocument(
                input=upload.name,
                content=upload.read(),
                content_type=upload.content_type,
                url=options.url,
                http_charset=None,
            )
        if data.get("text"):
            text = data["text"]
            return FetchedDocument(
                input="pasted text",
                content=text.encode("utf-8"),
                content_type="text/html" if text.lstrip().startswith("<") else "text/plain",
                url=options.url,
                http_charset="utf-8",
            )
        return fetch_input(data["url"], options)

    @staticmethod
    def carry(pending: PendingImport, document, cleaned_data: dict) -> dict:
        """The small fields the Save form sends back; the document stays on the server."""
        return {
            "pending": pending.token,
            "url": document.url or cleaned_data.get("url") or "",
            "source": cleaned_data.get("source") or "",
            "published": cleaned_data["published"].isoformat()
            if cleaned_data.get("published")
            else "",
        }


class ReviewMentionAdmin(CappedCountAdmin, RecordedAdmin):
    list_display = ["article", "target", "count", "review_status", "sentence"]
    list_editable = ["review_status"]
    list_filter = ["review_status"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]

    def record_edit(self, request, obj, form):
        stored = type(obj).objects.get(pk=obj.pk)
        action, summary = services.tag_summary(obj, was=stored.review_status)
        return action, summary, [stored]

    def save_model(self, request, obj, form, change):
        if change and form.changed_data == ["review_status"]:
            # The review list edits many rows at once: one entry per decision.
            services.decide_tag(
                obj, obj.review_status, user=request.user, reason=action_reason(request)
            )
            return
        super().save_model(request, obj, form, change)


@admin.register(ActorMention)
class ActorMentionAdmin(ReviewMentionAdmin):
    list_filter = ["review_status", "actor__kind", "actor__status"]
    list_select_related = ["article", "actor"]
    autocomplete_fields = ["actor"]
    search_fields = ["actor__name", "sentence"]

    @admin.display(description="actor", ordering="actor__name")
    def target(self, mention):
        return mention.actor


@admin.register(LocationMention)
class LocationMentionAdmin(ReviewMentionAdmin):
    list_filter = ["review_status", "location__kind", ProvinceFilter]
    list_select_related = ["article", "location"]
    autocomplete_fields = ["location"]
    search_fields = ["location__name", "sentence"]
    exclude = ["province"]

    @admin.display(description="place", ordering="location__name")
    def target(self, mention):
        return mention.location


class ConcerningFilter(admin.SimpleListFilter):
    """``?article=<id>`` (or actor, place): the entries about one row, linked from its page."""

    def lookups(self, request, model_admin):
        return ()  # reached by links from the article, actor and place pages

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            pk = int(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(**{f"{self.parameter_name}_ids__contains": [pk]})


class ArticleEntriesFilter(ConcerningFilter):
    title = parameter_name = "article"


class ActorEntriesFilter(ConcerningFilter):
    title = parameter_name = "actor"


class PlaceEntriesFilter(ConcerningFilter):
    title = parameter_name = "place"


@admin.register(EditorialChange)
class EditorialChangeAdmin(CappedCountAdmin):
    """The editorial record: read-only, except that an entry can be undone (on the record)."""

    list_display = ["when", "editor", "action", "summary", "reason", "undone"]
    list_filter = [
        "action",
        "revision__date_created",
        ArticleEntriesFilter,
        ActorEntriesFilter,
        PlaceEntriesFilter,
    ]
    list_select_related = ["revision__user", "undone_by__revision"]
    search_fields = ["summary", "revision__comment"]
    date_hierarchy = "revision__date_created"
    ordering = ["-revision__date_created", "-pk"]
    action_form = ReasonActionForm
    actions = ["undo_selected"]
    fields = ["when", "editor", "action", "summary", "reason", "undone", "snapshot"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="when", ordering="revision__date_created")
    def when(self, change):
        return change.revision.date_created

    @admin.display(description="editor", ordering="revision__user__username")
    def editor(self, change):
        return change.revision.user or "the ingest"

    @admin.display(description="reason")
    def reason(self, change):
        return change.revision.comment

    @admin.display(description="undone")
    def undone(self, change):
        undo = getattr(change, "undone_by", None)
        return f"undone {undo.revision.date_created:%Y-%m-%d %H:%M}" if undo else ""

    @admin.display(description="rows as they were before")
    def snapshot(self, change):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} {}: {}</li>",
                (
                    (v.content_type.model, v.object_id, v.object_repr)
                    for v in change.revision.version_set.select_related("content_type")
                ),
            ),
        )

    @admin.action(description="Undo selected changes (restore an article revision)")
    def undo_selected(self, request, queryset):
        reason = action_reason(request)
        # Newest first: undoing later changes before earlier ones keeps each undo exact.
        for change in queryset.order_by("-revision__date_created", "-pk"):
            try:
                services.undo(change, user=request.user, reason=reason)
            except services.CannotUndo as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
            else:
                self.message_user(request, f"Undone: {change.summary}", messages.SUCCESS)


class StoryArticleInline(admin.TabularInline):
    model = Article
    fields = ["title", "source", "published_on", "language", "story_pinned"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "report"
    verbose_name_plural = "reports of this story"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(CappedCountAdmin):
    """Stories are made by grouping; editors merge them (here) and split articles off (on
    the article list), with a reason that goes into each object's history."""

    list_display = ["title", "first_published", "last_published", "report_count"]
    search_fields = ["title"]
    date_hierarchy = "first_published"
    readonly_fields = ["title", "first_published", "last_published", "created_at"]
    inlines = [StoryArticleInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        # Counted per listed story (a correlated subquery PostgreSQL runs after the LIMIT),
        # not grouped over every article: a page of stories costs one page's reports.
        reports = (
            Article.objects.public()
            .filter(story=OuterRef("pk"))
            .order_by()
            .values("story")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(n_reports=Coalesce(Subquery(reports), 0))

    @admin.display(description="reports", ordering="n_reports")
    def report_count(self, story):
        return story.n_reports

    def has_add_permission(self, request):
        return False

    @admin.action(description="Merge selected stories into one", permissions=["change"])
    def merge_selected(self, request, queryset):
        def run(items, reason):
            keep = stories.merge(items, user=request.user, reason=reason)
            return f"Merged {len(items)} stories into story {keep.pk}, “{keep.title}”."

        return _with_reason(
            self,
            request,
            queryset,
            action="merge_selected",
            run=run,
            explanation="Every report of these stories moves to the oldest of them; the others "
            "are deleted. Grouping will not move these reports again.",
            submit="Merge",
        )
