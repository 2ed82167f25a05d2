"""Score the primary place on FA-KES: real reporting labelled with the governorate of its events.

    python -m bench.eval_fakes [--csv PATH] [--verbose]

Reads ``../shared/fakes/fakes-dev.csv`` (391 articles from 15 outlets, 2011-2018; columns in
its README.txt) and prints nothing but a skip line when the file is absent, so a plain clone
still runs ``make eval``. The article texts are only read here, never copied into the project.

Each article is tagged with the shipped gazetteer (title as the headline, the content as the
body) and its primary place rolled up to its province. The label names a governorate, with
"damascus" covering Rif Dimashq as well. Two figures beside the tagger's:

- a keyword baseline, the province of the first place named (title first, then body);
- the dev set split in two by ``unit_id`` (even/odd), so a rule that only helps one half
  shows up as a gap between them; the project's unseen half is scored the same way.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.ingest.gazetteer import Gazetteer  # noqa: E402
from articles.ingest.tag import FIELDS, TaggedArticle, tag_article  # noqa: E402

FAKES_CSV = ROOT.parent / "shared" / "fakes" / "fakes-dev.csv"

# FA-KES location label -> the province slugs that count as right.
LABEL_PROVINCES = {
    "aleppo": {"aleppo"},
    "damascus": {"damascus", "rif-dimashq"},
    "idlib": {"idlib"},
    "deir ezzor": {"deir-ez-zor"},
    "raqqa": {"raqqa"},
    "homs": {"homs"},
    "hasakeh": {"al-hasakah"},
    "hama": {"hama"},
    "daraa": {"daraa"},
    "lattakia": {"latakia"},
    "quneitra": {"quneitra"},
    "tartous": {"tartus"},
    "sweida": {"as-suwayda"},
}


@dataclass(frozen=True)
class Article:
    unit_id: str
    label: str
    title: str
    body: str
    source: str


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def __str__(self) -> str:
        share = self.right / self.total if self.total else 0.0
        return f"{share:.3f} ({self.right}/{self.total})"


def read_articles(path: Path) -> list[Article]:
    """One article per ``unit_id`` (the file repeats a few)."""
    seen: dict[str, Article] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            label = row["location"].strip().lower()
            if label not in LABEL_PROVINCES:
                raise SystemExit(f"{path}: unit {row['unit_id']} has unknown location {label!r}")
            seen.setdefault(
                row["unit_id"],
                Article(
                    unit_id=row["unit_id"],
                    label=label,
                    title=row["article_title"].strip(),
                    body=row["article_content"].strip(),
                    source=row["source"].strip(),
                ),
            )
    return list(seen.values())


def province_of(slug: str | None, gazetteer: Gazetteer) -> str | None:
    if not slug:
        return None
    return gazetteer.locations[slug].province_slug


def first_named_province(tagged: TaggedArticle, gazetteer: Gazetteer) -> str | None:
    """The keyword baseline: the province of the first Syrian place named."""
    spans = [
        (FIELDS.index(span.field), span.start, mention.slug)
        for mention in tagged.locations
        for span in mention.spans
        if gazetteer.locations[mention.slug].province_slug
    ]
    return province_of(min(spans)[2], gazetteer) if spans else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=FAKES_CSV)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    options = parser.parse_args(argv)
    if not options.csv.is_file():
        print(f"FA-KES: {options.csv} is absent (a plain clone has no ../shared); skipped")
        return 0

    gazetteer = Gazetteer.from_data_files()
    articles = read_articles(options.csv)
    tagger, baseline = Tally(), Tally()
    halves = {0: Tally(), 1: Tally()}
    confusions: Counter[tuple[str, str]] = Counter()
    for article in articles:
        tagged = tag_article(
            SimpleNamespace(title=article.title, standfirst="", caption="", body=article.body),
            gazetteer,
        )
        expected = LABEL_PROVINCES[article.label]
        got = province_of(tagged.primary_location, gazetteer)
        ok = got in expected
        tagger.add(ok)
        halves[int(article.unit_id) % 2].add(ok)
        baseline.add(first_named_province(tagged, gazetteer) in expected)
        if not ok:
            confusions[(article.label, got or "nothing")] += 1
            if options.verbose:
                print(
                    f"  {article.unit_id} {article.source}: {article.label} taken as "
                    f"{got or 'nothing'} (primary {tagged.primary_location}): {article.title[:70]}"
                )

    print(f"\nFA-KES dev ({len(articles)} real articles, {options.csv.name})")
    print(f"primary province   {tagger}")
    print(f"  even unit_id     {halves[0]}")
    print(f"  odd unit_id      {halves[1]}")
    print(f"keyword baseline   {baseline}  (province of the first place named)")
    if confusions:
        common = ", ".join(f"{label} as {got} {n}" for (label, got), n in confusions.most_common(6))
        print(f"commonest misses   {common}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
