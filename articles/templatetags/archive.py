"""Template helpers: filter-preserving links, safe highlights, safe outbound links."""

import datetime
from urllib.parse import urlsplit

from django import template
from django.utils.safestring import SafeString

from articles import search
from articles.ingest import arabic

register = template.Library()

REPEATABLE = {"actor", "province", "primary_province", "source"}


def _query(context) -> "QueryDict":  # noqa: F821
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        from django.http import QueryDict

        query = QueryDict(mutable=True)
    query.pop("page", None)
    return query


@register.simple_tag(takes_context=True)
def add_filter_url(context, facet) -> str:
    """The current URL's query with ``facet`` (a search.FacetValue) added, back on page 1."""
    query = _query(context)
    if facet.param == "year":
        query["published_after"] = f"{facet.value}-01-01"
        query["published_before"] = f"{facet.value}-12-31"
    elif facet.param in REPEATABLE:
        values = [v for v in query.getlist(facet.param) if v]
        if facet.value not in values:
            values.append(facet.value)
        query.setlist(facet.param, values)
    else:
        query[facet.param] = facet.value
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def remove_filter_url(context, param: str, value: str) -> str:
    """The current URL's query without one value of ``param``, back on page 1."""
    query = _query(context)
    query.setlist(param, [v for v in query.getlist(param) if v != value])
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def quoted(search_text: str) -> str:
    return search.quoted(search_text)


@register.filter
def highlight(snippet: str) -> SafeString:
    return search.highlight(snippet)


@register.filter
def safe_url(url: str) -> str:
    """The URL if it is http(s), else "" (no javascript: or data: links from the data)."""
    try:
        scheme = urlsplit(url or "").scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""


@register.filter
def plural(count: int, noun: str) -> str:
    """``3|plural:"article"`` → "3 articles"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


@register.filter
def counting(total: int, capped: bool) -> str:
    """The marked state of figures still being counted: "Counting all 2,000+ matches…"."""
    return f"Counting all {total:,}{'+' if capped else ''} matches…"


@register.filter
def arabic_date(day: datetime.date | None) -> str:
    """ "12 أيار 2019": an Arabic article's own date as its readers write it (the interface
    around it keeps English dates)."""
    if day is None:
        return ""
    return f"{day.day} {arabic.month_name(day.month)} {day.year}"
