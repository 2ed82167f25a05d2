"""The held-out labelled set (articles/data/heldout/) is well-formed.

It is scored by ``bench/eval_tagging.py`` next to the demo set; it was written without
looking at the gazetteer, so it must never be used to change the gazetteer or the tagger.
"""

import json
from pathlib import Path

HELDOUT_DIR = Path(__file__).resolve().parents[2] / "articles" / "data" / "heldout"
DEMO_LABELS = HELDOUT_DIR.parent / "demo" / "labels.json"
KINDS = {
    "armed_group",
    "state",
    "person",
    "monitor_or_media",
    "state_force",
    "international_org",
    "political_body",
    "other",
}


def test_heldout_labels_cover_every_article_and_have_the_demo_keys() -> None:
    labels = json.loads((HELDOUT_DIR / "labels.json").read_text(encoding="utf-8"))
    articles = {p.name for p in HELDOUT_DIR.iterdir() if p.suffix in {".txt", ".html"}}
    demo_keys = set(next(iter(json.loads(DEMO_LABELS.read_text(encoding="utf-8")).values())))

    assert set(labels) == articles
    assert len(articles) == 16
    assert sum(name.endswith(".html") for name in articles) == 6
    for name, label in labels.items():
        assert set(label) == demo_keys, name
        assert label["actors"], name
        assert label["locations"], name
        for actor in label["actors"]:
            assert set(actor) == {"name", "kind"}, (name, actor)
            assert actor["kind"] in KINDS, (name, actor)
        for place in label["locations"]:
            assert set(place) == {"name", "province", "country"}, (name, place)
        assert set(label["primary_location"]) == {"name", "province"}, name
        assert (HELDOUT_DIR / name).stat().st_size > 0, name


ARABIC_DIR = HELDOUT_DIR.parent / "arabic"


def test_the_arabic_sets_label_every_report_with_places_and_a_primary_province() -> None:
    for folder, count in ((ARABIC_DIR, 13), (ARABIC_DIR / "heldout", 4)):
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        assert set(labels) == {p.name for p in folder.glob("*.txt")}
        assert len(labels) == count
        for name, label in labels.items():
            assert label["actors"], name
            assert label["locations"], name
            assert label["primary_location"]["province"], name
