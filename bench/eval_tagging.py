"""Score the tagger on the labelled demo and held-out articles, and time it.

    python -m bench.eval_tagging [--verbose] [--demo-dir DIR] [--heldout-dir DIR] [--repeat N]

(as a module: run as a script, ``bench/http.py`` would shadow the standard library's ``http``)

Two labelled sets: ``articles/data/demo/`` (44 articles; the gazetteer's latest places were
chosen from their misses, so its figures are partly in-sample) and ``articles/data/heldout/``
(16 articles written and labelled without looking at the gazetteer, and never used to change
it or the tagger). Each is scored and printed on its own; the held-out misses are always
listed, the demo's with ``--verbose``.

For each article in a set's ``labels.json`` this parses the file (parse.py),
tags it with the shipped gazetteer (``Gazetteer.from_data_files()``), resolves the label
names to gazetteer slugs by name or alias (a tagged "X countryside" is no false positive where
the label names the province X; a labelled actor the gazetteer knows as a person is one of
the article's people), and prints micro precision and recall for
actors, locations and province roll-up, primary-location accuracy and candidate recall.
Then it prints tagging speed (characters per CPU-second) and the cost of the same text
with the full gazetteer against one of 10% of its entries: matching should cost about
the same, since it grows with the text, not the gazetteer.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.ingest.fetch import read_path  # noqa: E402
from articles.ingest.gazetteer import Gazetteer  # noqa: E402
from articles.ingest.parse import parse_document  # noqa: E402
from articles.ingest.tag import (  # noqa: E402
    _ARTICLE,
    FIELDS,
    TaggedArticle,
    _alias_variants,
    normalise,
    tag_article,
)

DEMO_DIR = ROOT / "articles" / "data" / "demo"
HELDOUT_DIR = ROOT / "articles" / "data" / "heldout"
PEOPLE_DIR = ROOT / "articles" / "data" / "people"
# Real reporting: the texts stay in ../shared (never copied); the project keeps the labels.
FAKES_CSV = ROOT.parent / "shared" / "fakes" / "fakes-dev.csv"
FAKES_ACTORS = ROOT / "bench" / "fakes_actors.json"
# Arabic reports (fictional, Enab Baladi/SANA style): a tuning set and, under it, a
# held-out set labelled before any tuning and never tuned on.
ARABIC_DIR = ROOT / "articles" / "data" / "arabic"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def line(self, label: str) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return (
            f"{label:<18} precision {precision:6.1%}  recall {recall:6.1%}"
            f"  (tp {self.tp}, fp {self.fp}, fn {self.fn})"
        )


@dataclass
class Report:
    actors: Score = field(default_factory=Score)
    locations: Score = field(default_factory=Score)
    provinces: Score = field(default_factory=Score)
    candidates: Score = field(default_factory=Score)
    people: Score = field(default_factory=Score)
    groups: Score = field(default_factory=Score)  # actors that are not people
    roles_right: int = 0  # people found whose labelled role the tagger gave
    roles_total: int = 0  # people found that have a labelled role
    primary_right: int = 0
    primary_province_right: int = 0
    primary_total: int = 0


class Names:
    """Label names -> gazetteer slugs, through the tagger's own normalisation.

    A label names a thing as the text spells it, so a name resolves the way the tagger
    would match it in the text: under every variant of an alias the matcher compiles
    (inner "al" optional, plural), and without a leading article ("al-Qabu" is Qabu).
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.actors: dict[str, set[str]] = {}
        self.locations: dict[str, set[str]] = {}
        for actor in gazetteer.actors.values():
            for name in actor.names:
                for key in _keys(name):
                    self.actors.setdefault(key, set()).add(actor.slug)
        for place in gazetteer.locations.values():
            for name in place.names:
                for key in _keys(name):
                    self.locations.setdefault(key, set()).add(place.slug)
        # "Idlib countryside" (ريف إدلب) is the governorate's own land: a label naming the
        # province is not contradicted by the tagger also naming its countryside.
        self.countryside = {
            place.slug: place.parent_slug
            for place in gazetteer.locations.values()
            if place.kind == "region"
            and place.parent_slug in gazetteer.locations
            and gazetteer.locations[place.parent_slug].kind == "governorate"
            and normalise(place.name)
            == normalise(f"{gazetteer.locations[place.parent_slug].name} countryside")
        }

    @staticmethod
    def _lookup(index: dict[str, set[str]], name: str) -> set[str]:
        key = normalise(name)
        slugs = index.get(key, set())
        words = key.split()
        if not slugs and len(words) > 1 and words[0] == _ARTICLE:
            slugs = index.get(" ".join(words[1:]), set())
        return slugs

    def actor(self, name: str) -> set[str]:
        return self._lookup(self.actors, name)

    def location(self, label: dict) -> set[str]:
        slugs = self._lookup(self.locations, label["name"])
        province = label.get("province")
        return {slug for slug in slugs if self._province_name(slug) == _norm(province)}

    def _province_name(self, slug: str) -> str:
        province = self.gazetteer.province_of(slug)
        return _norm(province.name if province else None)

    def province_of(self, slug: str) -> str | None:
        province = self.gazetteer.province_of(slug)
        return province.name if province else None


def _keys(name: str) -> set[str]:
    key = normalise(name)
    return {key, *_alias_variants(key.split())} if key else set()


def _norm(name: str | None) -> str:
    return normalise(name) if name else ""


def _match_labels(
    labels: list[tuple[str, set[str]]], predicted: set[str]
) -> tuple[int, list[str], list[str]]:
    """TP count, false negatives (label names) and false positives (slugs)."""
    covered: set[str] = set()
    tp, fn = 0, []
    for name, slugs in labels:
        if slugs & predicted:
            tp += 1
            covered |= slugs & predicted
        else:
            fn.append(name if slugs else f"{name} (not in gazetteer)")
        covered |= slugs
    fp = sorted(predicted - covered)
    return tp, fn, fp


# The labels' candidates have no kind: these words mark a group, an outlet or a body.
_NOT_PERSON = (
    "liwa katibat tajammu fawj alwiyat rabitat jaish harakat regiment brigade brigades "
    "command committee room council front army division wire agency news times post daily"
)
_NOT_PERSON_WORDS = frozenset(_NOT_PERSON.split())


def _looks_like_a_person(name: str) -> bool:
    words = name.split()
    if len(words) < 2 or name.isupper():
        return False
    return not any(w.lower().strip("'") in _NOT_PERSON_WORDS for w in words)


def _label_kind_is_person(label: dict, name: str) -> bool:
    return any(a["name"] == name and a.get("kind") == "person" for a in label.get("actors", []))


def _score_roles(label: dict, tagged: TaggedArticle, names: Names) -> tuple[int, int, list[str]]:
    """Of the labelled people the tagger found, how many got the labelled role ("" = none
    given by the text). Labels give roles on person actors and in ``roles``."""
    gold = {a["name"]: a["role"] for a in label.get("actors", []) if "role" in a}
    gold.update(label.get("roles", {}))
    by_slug = {m.slug: getattr(m, "role", "") for m in tagged.actors}
    by_name = {
        normalise(c.name): getattr(c, "role", "") for c in tagged.candidates if c.kind == "person"
    }
    right = total = 0
    wrong = []
    for name, role in gold.items():
        found = [by_slug[s] for s in names.actor(name) if s in by_slug]
        if not found and normalise(name) in by_name:
            found = [by_name[normalise(name)]]
        if not found:
            continue
        total += 1
        if found[0] == role:
            right += 1
        else:
            wrong.append(f"{name}: {found[0] or '-'} for {role or '-'}")
    return right, total, wrong


def _score_people(
    label: dict, tagged: TaggedArticle, names: Names
) -> tuple[int, list[str], list[str]]:
    """People: the labels' persons against known people tagged plus person candidates.

    The labels' people are their actors of kind person and the candidates that look like
    people's names (``_looks_like_a_person``). A label is found when its name resolves to
    a tagged person, or when a person candidate has the same key (``normalise``).
    """
    gazetteer = names.gazetteer
    known = {
        m.slug
        for m in tagged.actors
        if m.slug in gazetteer.actors and gazetteer.actors[m.slug].kind == "person"
    }
    found = {normalise(c.name): c.name for c in tagged.candidates if c.kind == "person"}
    tp, fn = 0, []
    covered_slugs: set[str] = set()
    covered_names: set[str] = set()
    # A labelled actor is a person when the label says so or the gazetteer knows them as one
    # (a label naming "Bashar al-Assad" with no kind still names a person).
    gold = [
        a["name"]
        for a in label.get("actors", [])
        if a.get("kind") == "person"
        or (
            "kind" not in a
            and any(gazetteer.actors[s].kind == "person" for s in names.actor(a["name"]))
        )
    ]
    gold += [name for name in label.get("candidates", []) if _looks_like_a_person(name)]
    for name in gold:
        slugs = names.actor(name)
        key = normalise(name)
        if slugs & known or key in found:
            tp += 1
        else:
            fn.append(name)
        covered_slugs |= slugs
        covered_names.add(key)
    fp = sorted(known - covered_slugs) + sorted(
        name for key, name in found.items() if key not in covered_names
    )
    return tp, fn, fp


def _score_actors(
    label: dict, tagged: TaggedArticle, names: Names, report: Report
) -> tuple[list[str], list[str]]:
    """Add an article's actors (all kinds, and without people) to the report; return the
    false positives (slugs) and false negatives (label names) of all kinds."""
    gazetteer = names.gazetteer
    actor_labels = [(a["name"], names.actor(a["name"])) for a in label.get("actors", [])]
    # A name labelled as a candidate (the gazetteer lacked it when labelled) that the
    # gazetteer now knows is an actor to find, and no longer a candidate.
    now_known = [(c, names.actor(c)) for c in label.get("candidates", []) if names.actor(c)]
    actor_labels += now_known
    tp, fn, fp = _match_labels(actor_labels, {m.slug for m in tagged.actors})
    report.actors.add(tp, len(fp), len(fn))
    kinds = {slug: a.kind for slug, a in gazetteer.actors.items()}
    not_people = [
        (name, {s for s in slugs if kinds[s] != "person"})
        for name, slugs in actor_labels
        if not any(kinds[s] == "person" for s in slugs) and not _label_kind_is_person(label, name)
    ]
    group_tp, group_fn, group_fp = _match_labels(
        not_people, {m.slug for m in tagged.actors if kinds.get(m.slug) != "person"}
    )
    report.groups.add(group_tp, len(group_fp), len(group_fn))
    return fp, fn


def evaluate(
    demo_dir: Path, gazetteer: Gazetteer, verbose: bool
) -> tuple[Report, list[tuple[str, TaggedArticle]]]:
    labels = json.loads((demo_dir / "labels.json").read_text(encoding="utf-8"))
    names = Names(gazetteer)
    report = Report()
    tagged_articles = []
    for file_name, label in labels.items():
        article = parse_document(read_path(demo_dir / file_name))
        tagged = tag_article(article, gazetteer)
        tagged_articles.append((file_name, tagged))

        actor_errors = _score_actors(label, tagged, names, report)

        place_labels = [(p["name"], names.location(p)) for p in label.get("locations", [])]
        tp, fn, fp = _match_labels(place_labels, {m.slug for m in tagged.locations})
        labelled = {slug for _, slugs in place_labels for slug in slugs}
        fp = [slug for slug in fp if names.countryside.get(slug) not in labelled]
        report.locations.add(tp, len(fp), len(fn))
        place_errors = (fp, fn)

        gold_provinces = {_norm(p["province"]) for p in label.get("locations", [])} - {""}
        found_provinces = {_norm(names.province_of(m.slug)) for m in tagged.locations} - {""}
        report.provinces.add(
            len(gold_provinces & found_provinces),
            len(found_provinces - gold_provinces),
            len(gold_provinces - found_provinces),
        )

        tp, fn, fp = _score_people(label, tagged, names)
        report.people.add(tp, len(fp), len(fn))
        right, total, wrong_roles = _score_roles(label, tagged, names)
        report.roles_right += right
        report.roles_total += total
        people_errors = (fp, fn)

        gold_candidates = {normalise(c) for c in label.get("candidates", []) if not names.actor(c)}
        found_candidates = {normalise(c.name) for c in tagged.candidates}
        report.candidates.add(
            len(gold_candidates & found_candidates),
            len(found_candidates - gold_candidates),
            len(gold_candidates - found_candidates),
        )

        primary = label.get("primary_location")
        primary_ok = province_ok = False
        if primary:
            report.primary_total += 1
            got = tagged.primary_location
            primary_ok = got in names.location(primary)
            province_ok = bool(got) and _norm(names.province_of(got)) == _norm(
                primary.get("province")
            )
            report.primary_right += primary_ok
            report.primary_province_right += province_ok

        if verbose:
            print(f"\n{file_name}")
            print(f"  actors     fp {actor_errors[0]}  fn {actor_errors[1]}")
            print(f"  locations  fp {place_errors[0]}  fn {place_errors[1]}")
            print(f"  people     fp {people_errors[0]}  fn {people_errors[1]}")
            if wrong_roles:
                print(f"  roles      {wrong_roles}")
            print(
                f"  provinces  fp {sorted(found_provinces - gold_provinces)}"
                f"  fn {sorted(gold_provinces - found_provinces)}"
            )
            print(
                f"  candidates fp {sorted(found_candidates - gold_candidates)}"
                f"  fn {sorted(gold_candidates - found_candidates)}"
            )
            if primary:
                mark = "ok" if primary_ok else ("province ok" if province_ok else "WRONG")
                print(f"  primary    {tagged.primary_location} vs {primary['name']}: {mark}")
    return report, tagged_articles


def _time_tagging(articles: list[TaggedArticle], gazetteer: Gazetteer, repeat: int) -> float:
    """CPU seconds of the best of ``repeat`` passes over every article: the machine is
    shared, and wall time would measure the other work on it."""
    for tagged in articles:  # compile (and cache) the matcher and warm the word caches
        tag_article(tagged.article, gazetteer)
    passes = []
    for _ in range(repeat):
        started = time.process_time()
        for tagged in articles:
            tag_article(tagged.article, gazetteer)
        passes.append(time.process_time() - started)
    return min(passes)


def _tenth(gazetteer: Gazetteer) -> Gazetteer:
    actors = list(gazetteer.actors.values())[::10]
    locations = list(gazetteer.locations.values())[::10]
    return Gazetteer.build(actors, locations)


def _print_report(title: str, report: Report) -> None:
    print(f"\n{title}")
    print(report.actors.line("actors"))
    print(report.locations.line("locations"))
    print(report.provinces.line("province roll-up"))
    print(report.candidates.line("candidates"))
    print(report.people.line("people"))
    print(report.groups.line("actors w/o people"))
    if report.roles_total:
        print(f"{'roles':<18} right {report.roles_right}/{report.roles_total} people found")
    if report.primary_total:
        print(
            f"{'primary location':<18} exact {report.primary_right}/{report.primary_total}"
            f"  province {report.primary_province_right}/{report.primary_total}"
        )


# The FA-KES labels' sets: the first labelled articles (people only, the cues tuned on them),
# then even unit_ids (read to fix the tagger) and odd ones (read only for their scores).
FAKES_TUNED, FAKES_DEV, FAKES_CHECK = "people-only", "dev", "check"


def _fakes_set(unit_id: str, label: dict) -> str:
    if label.get("labelled") == "people":
        return FAKES_TUNED
    return FAKES_CHECK if int(unit_id) % 2 else FAKES_DEV


def evaluate_fakes(
    csv_path: Path, labels_path: Path, gazetteer: Gazetteer, show: set[str]
) -> dict[str, tuple[Report, int]]:
    """Actors, people and roles in the FA-KES articles the project labelled (by unit_id),
    scored per set; the misses are printed for the sets in ``show``."""
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = {row["unit_id"]: row for row in csv.DictReader(handle)}
    names = Names(gazetteer)
    scores: dict[str, tuple[Report, int]] = {}
    for unit_id, label in labels.items():
        if unit_id.startswith("_") or unit_id not in rows:
            continue
        row = rows[unit_id]
        article = SimpleNamespace(
            title=row["article_title"], standfirst="", caption="", body=row["article_content"]
        )
        tagged = tag_article(article, gazetteer)
        which = _fakes_set(unit_id, label)
        report, count = scores.get(which, (Report(), 0))
        scores[which] = (report, count + 1)
        errors = []
        if which != FAKES_TUNED:
            fp, fn = _score_actors(label, tagged, names, report)
            if fp or fn:
                errors.append(f"actors fp {fp} fn {fn}")
        tp, fn, fp = _score_people(label, tagged, names)
        report.people.add(tp, len(fp), len(fn))
        right, total, wrong = _score_roles(label, tagged, names)
        report.roles_right += right
        report.roles_total += total
        if fp or fn:
            errors.append(f"people fp {fp} fn {fn}")
        if wrong:
            errors.append(f"roles {wrong}")
        if errors and which in show:
            print(f"  {unit_id} ({which}, {row['source']}): " + "\n    ".join(errors))
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="errors per article")
    parser.add_argument("--demo-dir", type=Path, default=DEMO_DIR)
    parser.add_argument("--heldout-dir", type=Path, default=HELDOUT_DIR)
    parser.add_argument("--people-dir", type=Path, default=PEOPLE_DIR)
    parser.add_argument("--arabic-dir", type=Path, default=ARABIC_DIR)
    parser.add_argument("--repeat", type=int, default=20, help="timing repetitions")
    parser.add_argument(
        "--show-check",
        action="store_true",
        help="also list the misses on the FA-KES check half (kept unread while tuning)",
    )
    options = parser.parse_args(argv)

    started = time.perf_counter()
    gazetteer = Gazetteer.from_data_files()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    tag_article(SimpleNamespace(title="", standfirst="", caption="", body=""), gazetteer)
    compiled = time.perf_counter() - started
    report, tagged = evaluate(options.demo_dir, gazetteer, options.verbose)
    _print_report(f"demo ({len(tagged)}, in-sample for the gazetteer)", report)

    if (options.heldout_dir / "labels.json").is_file():
        if not options.verbose:
            print("\nheld-out misses (fp: tagged but not labelled; fn: labelled but not tagged)")
        heldout, heldout_tagged = evaluate(options.heldout_dir, gazetteer, verbose=True)
        _print_report(f"held-out ({len(heldout_tagged)})", heldout)

    if (options.people_dir / "labels.json").is_file():
        print("\npeople set misses")
        people, people_tagged = evaluate(options.people_dir, gazetteer, verbose=True)
        _print_report(f"people set ({len(people_tagged)}, fictional, roles labelled)", people)

    if FAKES_CSV.is_file() and FAKES_ACTORS.is_file():
        show = {FAKES_TUNED, FAKES_DEV} | ({FAKES_CHECK} if options.show_check else set())
        print(f"\nFA-KES misses ({', '.join(sorted(show))})")
        fakes = evaluate_fakes(FAKES_CSV, FAKES_ACTORS, gazetteer, show)
        print("\nFA-KES dev, real reporting labelled by the project (bench/fakes_actors.json)")
        for which, title in (
            (FAKES_TUNED, "people only, cues tuned on them"),
            (FAKES_DEV, "even unit_ids, read to fix the tagger"),
            (FAKES_CHECK, "odd unit_ids, scored only"),
        ):
            if which in fakes:
                report, count = fakes[which]
                print(f"{which} ({count} articles, {title})")
                if which != FAKES_TUNED:
                    print(report.actors.line("  actors"))
                    print(report.groups.line("  actors w/o people"))
                print(report.people.line("  people"))
                print(
                    f"{'  roles':<18} right {report.roles_right}/{report.roles_total} people found"
                )

    if (options.arabic_dir / "labels.json").is_file():
        arabic, arabic_tagged = evaluate(options.arabic_dir, gazetteer, options.verbose)
        _print_report(f"Arabic ({len(arabic_tagged)}, tuned on)", arabic)
        arabic_heldout = options.arabic_dir / "heldout"
        if (arabic_heldout / "labels.json").is_file():
            print("\nArabic held-out misses")
            unseen, unseen_tagged = evaluate(arabic_heldout, gazetteer, verbose=True)
            _print_report(f"Arabic held-out ({len(unseen_tagged)})", unseen)

    articles = [t for _, t in tagged]
    chars = sum(len(getattr(t.article, name)) for t in articles for name in FIELDS)
    full = _time_tagging(articles, gazetteer, options.repeat)
    small_gazetteer = _tenth(gazetteer)
    small = _time_tagging(articles, small_gazetteer, options.repeat)
    size = len(gazetteer.actors) + len(gazetteer.locations)
    small_size = len(small_gazetteer.actors) + len(small_gazetteer.locations)
    print(
        f"\nspeed: {chars / full:,.0f} characters per CPU-second ({chars:,} characters, "
        f"{len(articles)} articles, {1000 * full / len(articles):.1f} ms an article, "
        f"best of {options.repeat} passes); gazetteer load {loaded:.2f}s, "
        f"matcher compile {compiled:.2f}s"
    )
    print(
        f"cost vs gazetteer size: {size} entries {full:.3f}s, {small_size} entries "
        f"{small:.3f}s, ratio {full / small:.2f} (about 1 means cost follows the text)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
