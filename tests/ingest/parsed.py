"""Build the ParsedArticle the tagger receives, without going through parse.py's rules.

Until ``articles.ingest.parse`` exists this stands in for its dataclass with the fields
the contract names; once it exists the real class is used.
"""

import datetime
from dataclasses import dataclass, field

try:
    from articles.ingest.parse import ParsedArticle
except ImportError:  # parse.py is being written in parallel

    @dataclass
    class ParsedArticle:  # type: ignore[no-redef]
        title: str
        standfirst: str = ""
        caption: str = ""
        body: str = ""
        authors: list[str] = field(default_factory=list)
        published: datetime.date | None = None
        source_name: str = ""
        url: str | None = None
        language: str = "en"
        boilerplate: list[str] = field(default_factory=list)


def make_article(
    title: str = "", standfirst: str = "", caption: str = "", body: str = "", **extra
) -> ParsedArticle:
    fields = {"authors": [], "published": None, "url": None, "boilerplate": [], **extra}
    return ParsedArticle(title=title, standfirst=standfirst, caption=caption, body=body, **fields)
