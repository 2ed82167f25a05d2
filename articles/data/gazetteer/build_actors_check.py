"""Validate actors.json (stdlib only).

Usage::

    python articles/data/gazetteer/build_actors_check.py [path/to/actors.json]

Checks:
* every entry has slug, name, kind, aliases (list), description, links (list), and
  optionally a non-empty source;
* slugs are unique, lowercase ascii, hyphen-separated;
* kinds and link relations are the ones defined in articles/vocabulary.py;
* every link target is an existing slug, no self-links, no repeated links;
* no name/alias string belongs to two actors. Strings are compared
  case-insensitively, except short all-caps acronyms (<= 5 letters, e.g. "IS",
  "SNA"), which the tagger matches case-sensitively and are compared exactly.
  An acronym that equals another actor's ordinary alias ignoring case is
  reported as a warning;
* warnings for aliases that are ordinary words/phrases on a stop-list, very short
  aliases that are not all-caps acronyms, and aliases repeated inside one actor.

Prints counts per kind. Exit status 1 if there is any error (warnings do not fail).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path


def _load_vocabulary():
    """articles/vocabulary.py by its path: this script runs without Django or the project
    on sys.path, and the vocabulary module imports nothing but the standard library."""
    path = Path(__file__).resolve().parents[2] / "vocabulary.py"
    spec = importlib.util.spec_from_file_location("newsarchive_vocabulary", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # StrEnum looks its module up while the class is built
    spec.loader.exec_module(module)
    return module


_vocabulary = _load_vocabulary()
ACTOR_KINDS = set(_vocabulary.ACTOR_KINDS)
ACTOR_RELATIONS = set(_vocabulary.ACTOR_RELATIONS)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Ordinary words/phrases that must never be an alias: the tagger compiles every
# alias into one automaton, so these would tag unrelated text.
GENERIC = {
    "army",
    "the army",
    "coalition",
    "the coalition",
    "front",
    "forces",
    "the forces",
    "regime",
    "the regime",
    "government",
    "the government",
    "rebels",
    "the rebels",
    "opposition",
    "the opposition",
    "militants",
    "jihadists",
    "islamists",
    "militia",
    "militias",
    "state",
    "the state",
    "council",
    "committee",
    "brigade",
    "division",
    "legion",
    "movement",
    "party",
    "police",
    "security forces",
    "air force",
    "military",
    "the military",
    "troops",
    "islamic",
    "sham",
    "levant",
    "syria",
    "syrian",
    "damascus",
    "washington",
    "moscow",
    "ankara",
    "tehran",
    "riyadh",
    "amnesty",
    "trump",
    "guardian",
    "observatory",
    "victory",
    "conquest",
}


def is_acronym(alias: str) -> bool:
    """All-caps alias of at most five letters: matched case-sensitively."""
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return bool(letters) and letters.isupper() and len(letters) <= 5


def key(alias: str) -> str:
    return alias if is_acronym(alias) else alias.casefold()


def check(path: Path) -> int:
    errors: list[str] = []
    warnings: list[str] = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"ERROR: cannot read {path}: {exc}")
        return 1
    if not isinstance(data, list):
        print("ERROR: top level must be a list")
        return 1

    slugs: Counter[str] = Counter()
    for index, item in enumerate(data):
        where = f"entry {index}"
        if not isinstance(item, dict):
            errors.append(f"{where}: not an object")
            continue
        for field, kind in (
            ("slug", str),
            ("name", str),
            ("kind", str),
            ("aliases", list),
            ("description", str),
            ("links", list),
        ):
            if not isinstance(item.get(field), kind):
                errors.append(f"{where}: field {field!r} missing or not {kind.__name__}")
        # Where the entry comes from (e.g. "Wikipedia: Staffan de Mistura"); optional for
        # the entries of the first release, which SOURCES.md credits as a whole.
        if "source" in item and not (isinstance(item["source"], str) and item["source"].strip()):
            errors.append(f"{where}: field 'source' is not a non-empty string")
        slug = item.get("slug")
        if isinstance(slug, str):
            slugs[slug] += 1
            if not SLUG_RE.match(slug):
                errors.append(f"{slug}: slug is not lowercase ascii hyphenated")
        if item.get("kind") not in ACTOR_KINDS:
            errors.append(f"{slug}: unknown kind {item.get('kind')!r}")
        if not str(item.get("name", "")).strip():
            errors.append(f"{slug}: empty name")
        if not str(item.get("description", "")).strip():
            warnings.append(f"{slug}: empty description")
    for slug, count in slugs.items():
        if count > 1:
            errors.append(f"{slug}: slug used {count} times")

    known = set(slugs)
    owners: dict[str, set[str]] = defaultdict(set)  # key -> slugs
    spelled: dict[str, str] = {}  # key -> one spelling (for messages)
    acronyms: dict[str, set[str]] = defaultdict(set)  # casefolded acronym -> slugs
    for item in data:
        if not isinstance(item, dict):
            continue
        slug = item.get("slug")
        links_seen = set()
        for link in item.get("links") or []:
            if not isinstance(link, dict):
                errors.append(f"{slug}: link is not an object")
                continue
            relation, target = link.get("relation"), link.get("target")
            if relation not in ACTOR_RELATIONS:
                errors.append(f"{slug}: unknown relation {relation!r}")
            if target not in known:
                errors.append(f"{slug}: link target {target!r} does not exist")
            if target == slug:
                errors.append(f"{slug}: links to itself")
            if (relation, target) in links_seen:
                warnings.append(f"{slug}: repeated link {relation} {target}")
            links_seen.add((relation, target))

        own: set[str] = set()
        names = [item.get("name", ""), *list(item.get("aliases") or [])]
        for position, alias in enumerate(names):
            if not isinstance(alias, str) or not alias.strip():
                errors.append(f"{slug}: empty or non-string alias")
                continue
            if alias != alias.strip():
                errors.append(f"{slug}: alias {alias!r} has surrounding whitespace")
            k = key(alias)
            if k in own:
                warnings.append(f"{slug}: alias {alias!r} repeated within the actor")
                continue
            own.add(k)
            owners[k].add(slug)
            spelled.setdefault(k, alias)
            if is_acronym(alias):
                acronyms[alias.casefold()].add(slug)
            if alias.casefold() in GENERIC:
                errors.append(f"{slug}: alias {alias!r} is an ordinary word/phrase")
            letters = re.sub(r"[^A-Za-z]", "", alias)
            if position and len(letters) <= 3 and not is_acronym(alias):
                warnings.append(f"{slug}: very short alias {alias!r} is not an all-caps acronym")

    for k, who in sorted(owners.items()):
        if len(who) > 1:
            errors.append(f"alias {spelled[k]!r} used by several actors: {', '.join(sorted(who))}")
    for folded, who in sorted(acronyms.items()):
        others = owners.get(folded, set()) - who
        if others:
            warnings.append(
                f"acronym {folded.upper()!r} ({', '.join(sorted(who))}) equals an ordinary alias "
                f"of {', '.join(sorted(others))} ignoring case"
            )

    kinds = Counter(item.get("kind") for item in data if isinstance(item, dict))
    alias_total = sum(len(item.get("aliases") or []) for item in data if isinstance(item, dict))
    link_total = sum(len(item.get("links") or []) for item in data if isinstance(item, dict))
    print(f"{path}: {len(data)} actors, {alias_total} aliases, {link_total} links")
    for kind in sorted(ACTOR_KINDS):
        print(f"  {kind:18} {kinds.get(kind, 0)}")
    for message in warnings:
        print(f"WARNING: {message}")
    for message in errors:
        print(f"ERROR: {message}")
    print(f"{len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent / "actors.json"
    sys.exit(check(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
