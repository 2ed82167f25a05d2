"""How every tag can be checked: the provenance of one mention, as JSON. Plain Python.

``ingest --dry-run --json`` (from the tagger's dataclasses) and the API (from stored
mentions) give the same keys, ``PROVENANCE_FIELDS``: the actor's or place's ``aliases``,
the forms ``written`` in this article, every span's ``field``/``start``/``end``, the
first ``sentence``, and the ``extractor`` version that produced the mention.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the web process serialising stored mentions never loads the tagger
    from articles.ingest.tag import Mention, Span

PROVENANCE_FIELDS = ("aliases", "written", "spans", "sentence", "extractor")


def spans_json(spans: Iterable[Span | list | tuple]) -> list[dict[str, Any]]:
    """Spans as ``{"field", "start", "end"}``, from Span objects or stored triples."""
    rows = []
    for span in spans:
        field_name, start, end = (
            span if isinstance(span, list | tuple) else (span.field, span.start, span.end)
        )
        rows.append({"field": field_name, "start": start, "end": end})
    return rows


def mention_provenance(mention: Mention, aliases: Iterable[str], extractor: str) -> dict[str, Any]:
    return {
        "aliases": list(aliases),
        "written": list(mention.written),
        "spans": spans_json(mention.spans),
        "sentence": mention.sentence,
        "extractor": extractor,
    }
