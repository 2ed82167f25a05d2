#!/usr/bin/env python3
"""Check the demo labels against the project's gazetteer (standard library only).

Usage, from the repository root or anywhere::

    python articles/data/demo/check_labels.py [--text]

Every actor, location and primary location named in ``labels.json`` must resolve,
case-insensitively, to a gazetteer entry by its name or one of its aliases; the script
prints the ones that do not, and the ones that resolve through an alias rather than the
canonical name (the label should use the canonical name). It also checks that a
location's province and country agree with the gazetteer, that an actor's kind agrees,
and that no planted candidate (a group or person deliberately left out of the
gazetteer) resolves to any entry.

``--text`` additionally warns when none of a label's names occurs in the article file,
which catches labels for names an article never actually uses.

Exit status is 1 when anything does not resolve, else 0.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
GAZETTEER_DIR = DEMO_DIR.parent / "gazetteer"


def fold(name: str) -> str:
    return " ".join(name.casefold().split())


def load_actors(path: Path) -> tuple[dict[str, list[dict]], dict[str, dict]]:
    index: dict[str, list[dict]] = defaultdict(list)
    by_slug = {}
    for actor in json.loads(path.read_text(encoding="utf-8")):
        by_slug[actor["slug"]] = actor
        for name in (actor["name"], *actor.get("aliases", ())):
            index[fold(name)].append(actor)
    return index, by_slug


def load_locations(path: Path) -> tuple[dict[str, list[dict]], dict[str, dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_slug = {row["slug"]: row for row in rows}
    for row in rows:
        row["province"], row["country"] = _roll_up(row, by_slug)
    index: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        names = [row["name"], *row["aliases"].split("|"), row["name_ar"]]
        for name in names:
            if name.strip():
                index[fold(name)].append(row)
    return index, by_slug


def _roll_up(row: dict, by_slug: dict[str, dict]) -> tuple[str | None, str | None]:
    province = country = None
    seen = set()
    current = row
    while current is not None and current["slug"] not in seen:
        seen.add(current["slug"])
        if current["kind"] == "governorate" and province is None:
            province = current["name"]
        if current["kind"] == "country":
            country = current["name"]
        current = by_slug.get(current["parent_slug"])
    return province, country


def article_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".html":
        match = re.search(rb'charset=["\']?([\w-]+)', data[:2000])
        charset = match.group(1).decode() if match else "utf-8"
        text = data.decode({"windows-1256": "cp1256"}.get(charset.lower(), charset))
        text = re.sub(r"<[^>]+>", " ", text)
        import html

        return html.unescape(text)
    return data.decode("utf-8")


def occurs(names: list[str], text: str) -> bool:
    folded = fold(text)
    return any(re.search(r"(?<!\w)" + re.escape(fold(n)) + r"(?!\w)", folded) for n in names if n)


def main(argv: list[str]) -> int:
    check_text = "--text" in argv
    labels = json.loads((DEMO_DIR / "labels.json").read_text(encoding="utf-8"))
    actors, _actors_by_slug = load_actors(GAZETTEER_DIR / "actors.json")
    locations, _ = load_locations(GAZETTEER_DIR / "locations.csv")

    unresolved: dict[str, set[str]] = defaultdict(set)
    problems = 0
    for filename, label in labels.items():
        notes = []
        text = article_text(DEMO_DIR / filename) if check_text else ""

        for actor in label["actors"]:
            hits = actors.get(fold(actor["name"]), [])
            if not hits:
                unresolved["actor"].add(f"{actor['name']} ({actor['kind']})")
                notes.append(f"actor does not resolve: {actor['name']!r}")
                continue
            canonical = {hit["name"] for hit in hits}
            if actor["name"] not in canonical:
                notes.append(f"actor {actor['name']!r} is an alias of {sorted(canonical)}")
            if actor["kind"] not in {hit["kind"] for hit in hits}:
                notes.append(
                    f"actor {actor['name']!r} kind {actor['kind']} != gazetteer "
                    f"{sorted({h['kind'] for h in hits})}"
                )
            if check_text and not any(
                occurs([h["name"], *h.get("aliases", ())], text) for h in hits
            ):
                notes.append(f"warning: no name of actor {actor['name']!r} occurs in the text")

        places = list(label["locations"])
        if label["primary_location"]:
            places.append({**label["primary_location"], "primary": True})
        for place in places:
            hits = locations.get(fold(place["name"]), [])
            what = "primary location" if place.get("primary") else "location"
            if not hits:
                unresolved["location"].add(
                    f"{place['name']} ({place.get('province') or place.get('country')})"
                )
                notes.append(f"{what} does not resolve: {place['name']!r}")
                continue
            same_province = [h for h in hits if h["province"] == place.get("province")]
            if not same_province:
                notes.append(
                    f"{what} {place['name']!r}: province {place.get('province')!r} not among "
                    f"{sorted({str(h['province']) for h in hits})}"
                )
            elif "country" in place and not any(
                h["country"] == place["country"] for h in same_province
            ):
                notes.append(f"{what} {place['name']!r}: country {place['country']!r} != gazetteer")
            canonical = {h["name"] for h in same_province or hits}
            if place["name"] not in canonical:
                notes.append(f"{what} {place['name']!r} is an alias of {sorted(canonical)}")
            if check_text and not place.get("primary"):
                names = {
                    n for h in hits for n in (h["name"], *h["aliases"].split("|"), h["name_ar"])
                }
                if not occurs(sorted(names), text):
                    notes.append(
                        f"warning: no name of location {place['name']!r} occurs in the text"
                    )

        for name in label.get("candidates", []):
            if fold(name) in actors or fold(name) in locations:
                notes.append(f"candidate resolves but must not: {name!r}")

        if notes:
            problems += sum(1 for n in notes if not n.startswith("warning"))
            print(filename)
            for note in notes:
                print("   ", note)

    for what in ("actor", "location"):
        if unresolved[what]:
            print(f"\nUnresolved {what} names ({len(unresolved[what])}):")
            for name in sorted(unresolved[what]):
                print("   ", name)
    print(f"\n{len(labels)} articles, {problems} problems")
    return 1 if unresolved["actor"] or unresolved["location"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
