"""Article text with its tagged actors and places turned into links, safely.

Mentions store their spans as ``[[field, start, end], ...]``; the text between spans is
escaped and each span is wrapped in ``<a class="actor|place">``. Nothing from the article
is ever let through unescaped. Spans that are malformed, out of range or overlap an
earlier one are skipped rather than trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.vocabulary import TextField

FIELDS = tuple(field.value for field in TextField)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Tag:
    start: int
    end: int
    css_class: str  # "actor" or "place"
    url: str
    title: str


def tags_by_field(mentions: list[tuple[str, str, str, list]]) -> dict[str, list[Tag]]:
    """``[(css_class, url, title, spans), ...]`` → ``{field: [Tag, ...]}``, sorted, no overlaps."""
    found: dict[str, list[Tag]] = {name: [] for name in FIELDS}
    for css_class, url, title, spans in mentions:
        for span in spans if isinstance(spans, list) else ():
            if not (isinstance(span, list | tuple) and len(span) == 3):
                continue
            field, start, end = span
            if field not in found or not isinstance(start, int) or not isinstance(end, int):
                continue
            if 0 <= start < end:
                found[field].append(Tag(start, end, css_class, url, title))
    for field, tags in found.items():
        tags.sort(key=lambda tag: (tag.start, -tag.end))
        kept: list[Tag] = []
        for tag in tags:
            if not kept or tag.start >= kept[-1].end:
                kept.append(tag)
        found[field] = kept
    return found


def render(text: str, tags: list[Tag], offset: int = 0) -> SafeString:
    """``text`` (which starts at ``offset`` in its field) with the tags inside it as links."""
    pieces: list[str] = []
    position = 0
    for tag in tags:
        start, end = tag.start - offset, tag.end - offset
        if start < position or end > len(text):
            continue
        pieces.append(escape(text[position:start]))
        pieces.append(
            format_html(
                '<a class="{}" href="{}" title="{}">{}</a>',
                tag.css_class,
                tag.url,
                tag.title,
                text[start:end],
            )
        )
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 -- every piece was escaped above


def paragraphs(text: str, tags: list[Tag]) -> list[SafeString]:
    """The text split on blank lines, each paragraph rendered with the tags inside it."""
    result = []
    start = 0
    bounds = [(m.start(), m.end()) for m in PARAGRAPH_BREAK.finditer(text)]
    for stop, next_start in [*bounds, (len(text), len(text))]:
        chunk = text[start:stop]
        if chunk.strip():
            inside = [tag for tag in tags if tag.start >= start and tag.end <= stop]
            result.append(render(chunk, inside, offset=start))
        start = next_start
    return result
