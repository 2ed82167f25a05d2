"""Build ``arabic_words.csv``: Arabic place names that are everyday words, and words that
only look like a proclitic in front of a place name.

Usage (wordfreq is a build-time tool, installed in a throwaway virtualenv, not the
project's)::

    python -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq
    /tmp/wf/bin/python articles/data/gazetteer/build_arabic_words.py

Syrian village lists are full of names that are ordinary Arabic: واسعة (wide), مطلع
(beginning), العلي (read على, "on"), حول (around), سلمية (peaceful). The tagger cannot
tell them apart from the words by spelling, so it takes them as places only with a cue
(``articles.ingest.arabic``). Which names those are is a matter of frequency, measured
here once with wordfreq's Arabic word list rather than written by hand:

- ``name`` rows: a one-word Arabic name of a village (Zipf frequency >= 3.5: a word met
  about three times in a million) or of a town, district, sub-district, region or landform
  (>= 4.0, higher because a town's own fame makes its name frequent). Cities, governorates
  and countries are left out: reporting names them bare, every day.
- ``whole`` rows: a word written as و ف ب ل ك plus a place name that is itself a commoner
  word than the name (وزارة "ministry" is not و + زارة, بصدد is not ب + صدد).

Rows are sorted, so the same gazetteer and wordfreq version give the same bytes.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from wordfreq import zipf_frequency  # noqa: E402

from articles.ingest import arabic  # noqa: E402
from articles.ingest.gazetteer import DATA_DIR, Gazetteer  # noqa: E402

OUTPUT = DATA_DIR / "arabic_words.csv"
VILLAGE_ZIPF = 3.5
PLACE_ZIPF = 4.0
PLACE_KINDS = frozenset({"town", "subdistrict", "district", "region", "landform"})
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")


def _zipf(word: str) -> float:
    return zipf_frequency(word, "ar")


def _written_forms(name: str) -> set[str]:
    """How text may write the name: with and without the article (a name without one is
    also met with it), with final ى for ي and ه for ة, as everyday spelling has it."""
    bare = name[2:] if name.startswith(arabic.ARTICLE) else name
    forms = {arabic.ARTICLE + bare}
    if not name.startswith(arabic.ARTICLE):
        forms.add(bare)
    for form in list(forms):
        if form.endswith("ي"):
            forms.add(form[:-1] + "ى")
        if form.endswith("ة"):
            forms.add(form[:-1] + "ه")
    return forms


def build(gazetteer: Gazetteer) -> list[tuple[str, str, float]]:
    rows: dict[tuple[str, str], float] = {}
    names: set[str] = set()
    for place in gazetteer.locations.values():
        for name in place.names:
            if not arabic.is_arabic(name) or len(name.split()) != 1:
                continue
            names.add(name)
            if place.kind == "village":
                threshold = VILLAGE_ZIPF
            elif place.kind in PLACE_KINDS:
                threshold = PLACE_ZIPF
            else:
                continue
            frequency = max(_zipf(form) for form in _written_forms(name))
            if frequency >= threshold:
                key = ("name", name)
                rows[key] = max(rows.get(key, 0.0), frequency)
    for name in names:
        if name.startswith(arabic.ARTICLE):
            continue  # بالرقة, والرقة: the article shows the proclitic for what it is
        own = _zipf(name)
        for proclitic in PROCLITICS:
            word = proclitic + name
            frequency = _zipf(word)
            if frequency >= VILLAGE_ZIPF and frequency > own:
                rows[("whole", word)] = frequency
    return sorted((use, word, freq) for (use, word), freq in rows.items())


def main() -> int:
    rows = build(Gazetteer.from_data_files())
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("use", "word", "zipf"))
        for use, word, frequency in rows:
            writer.writerow((use, word, f"{frequency:.2f}"))
    print(
        f"{OUTPUT}: {sum(r[0] == 'name' for r in rows)} names, "
        f"{sum(r[0] == 'whole' for r in rows)} whole words"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
