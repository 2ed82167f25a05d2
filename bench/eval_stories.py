"""Score story grouping on the labelled fixture pairs: precision and recall of "same story".

    python -m bench.eval_stories [--verbose]

``articles/data/stories/pairs.json`` holds pairs of fictional reports written for this
project, labelled same story or not: wire copies, rewrites, paraphrases, English/Arabic
translations, and hard negatives (two strikes on one town in one week, the same actors at
different events, the same kind of event two weeks apart). Each report is tagged with the
shipped gazetteer (the actors and places it names, not countries, as at save time), then
``story_match.decide`` settles the pair. Prints precision and recall over the pairs, the
recall per kind, and every wrong decision with its reason.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.ingest import story_match  # noqa: E402
from articles.ingest.gazetteer import Gazetteer  # noqa: E402
from articles.ingest.parse import ParsedArticle  # noqa: E402
from articles.ingest.tag import tag_article  # noqa: E402

PAIRS_FILE = ROOT / "articles" / "data" / "stories" / "pairs.json"


@dataclass
class PairResult:
    pair_id: str
    kind: str
    expected: bool
    decision: story_match.Decision


@dataclass
class StoryScore:
    results: list[PairResult] = field(default_factory=list)

    def _count(self, expected: bool, found: bool) -> int:
        return sum(r.expected == expected and r.decision.same == found for r in self.results)

    @property
    def precision(self) -> float:
        tp, fp = self._count(True, True), self._count(False, True)
        return tp / (tp + fp) if tp + fp else 0.0

    @property
    def recall(self) -> float:
        tp, fn = self._count(True, True), self._count(True, False)
        return tp / (tp + fn) if tp + fn else 0.0

    @property
    def wrong(self) -> list[PairResult]:
        return [r for r in self.results if r.expected != r.decision.same]


def report_fingerprint(report: dict, gazetteer: Gazetteer) -> story_match.Fingerprint:
    parsed = ParsedArticle(
        title=report["title"],
        body=report["body"],
        source_name=report["source"],
        published=datetime.date.fromisoformat(report["published"]),
        language=report["language"],
    )
    tagged = tag_article(parsed, gazetteer)
    places = [m.slug for m in tagged.locations if gazetteer.locations[m.slug].kind != "country"]
    return story_match.fingerprint(
        parsed.title,
        parsed.body,
        entities=story_match.entity_keys([m.slug for m in tagged.actors], places),
        day=parsed.published,
        language=parsed.language,
    )


def evaluate(gazetteer: Gazetteer, pairs_file: Path = PAIRS_FILE) -> StoryScore:
    score = StoryScore()
    for pair in json.loads(pairs_file.read_text(encoding="utf-8")):
        a = report_fingerprint(pair["a"], gazetteer)
        b = report_fingerprint(pair["b"], gazetteer)
        score.results.append(
            PairResult(pair["id"], pair["kind"], pair["same"], story_match.decide(a, b))
        )
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every pair's decision")
    args = parser.parse_args()
    score = evaluate(Gazetteer.from_data_files())
    positives = sum(r.expected for r in score.results)
    print(
        f"Stories ({len(score.results)} fixture pairs: {positives} same story, "
        f"{len(score.results) - positives} hard negatives)"
    )
    print(f"  precision {score.precision:.3f}  recall {score.recall:.3f}")
    kinds: dict[str, list[PairResult]] = {}
    for result in score.results:
        kinds.setdefault(result.kind, []).append(result)
    for kind, results in kinds.items():
        right = sum(r.expected == r.decision.same for r in results)
        print(f"  {kind}: {right}/{len(results)} right")
    for result in score.results if args.verbose else score.wrong:
        mark = "ok " if result.expected == result.decision.same else "WRONG"
        print(f"  {mark} {result.pair_id}: {result.decision.reason}")


if __name__ == "__main__":
    main()
