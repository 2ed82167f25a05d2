"""What the tagger finds, as canonical JSON: proof that a speed-up changed no result.

    python -m bench.tag_fingerprint > before.json
    ... change the tagger ...
    python -m bench.tag_fingerprint > after.json && cmp before.json after.json

Tags every text the project has: the labelled sets under ``articles/data/`` (demo, heldout,
arabic, arabic/heldout, people, demo-stories, the story pairs), the test pages under
``tests/fixtures/pages/``, and, when ``../shared`` is there, the seed report and the FA-KES
dev articles (read in place, never copied). Each text is dumped with everything
``tag_article`` returns: every mention with its spans, written forms, sentence, role and
confidence, every candidate with its guess, and the primary place. No database is needed.

Runs with ``PYTHONHASHSEED=0`` (it runs itself again so): the fuzzy guess among equally
close actors follows set order, which differs from one process to the next otherwise.

``--fields`` also tags each text one field at a time (title only, body only...), so paths
that only run on an empty or lone field are covered too.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.ingest.fetch import read_path  # noqa: E402
from articles.ingest.gazetteer import Gazetteer  # noqa: E402
from articles.ingest.parse import parse_document  # noqa: E402
from articles.ingest.tag import FIELDS, TaggedArticle, normalise, tag_article  # noqa: E402

DATA = ROOT / "articles" / "data"
FOLDERS = ("demo", "heldout", "arabic", "arabic/heldout", "people", "demo-stories")
PAGES = ROOT / "tests" / "fixtures" / "pages"
SHARED = ROOT.parent / "shared"
SEED = Path("seed") / "mee-syria-rebels-2016.txt"
FAKES = Path("fakes") / "fakes-dev.csv"


def _texts(shared: Path = SHARED) -> list[tuple[str, object]]:
    """(name, article) for every text, in a fixed order."""
    texts: list[tuple[str, object]] = []
    for folder in FOLDERS:
        for path in sorted((DATA / folder).glob("*")):
            if path.suffix in (".txt", ".html"):
                texts.append((f"{folder}/{path.name}", parse_document(read_path(path))))
    for path in sorted(PAGES.glob("*")):
        if path.suffix in (".txt", ".html"):
            try:
                texts.append((f"pages/{path.name}", parse_document(read_path(path))))
            except Exception as error:  # a page the parser refuses has nothing to tag
                print(f"skipped {path.name}: {type(error).__name__}", file=sys.stderr)
    pairs = json.loads((DATA / "stories" / "pairs.json").read_text(encoding="utf-8"))
    for pair in pairs:
        for side in ("a", "b"):
            report = pair[side]
            texts.append((f"stories/{pair['id']}/{side}", _fields(report["title"], report["body"])))
    if (shared / SEED).is_file():
        texts.append(("seed", parse_document(read_path(shared / SEED))))
    if (shared / FAKES).is_file():
        with (shared / FAKES).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                article = _fields(row["article_title"], row["article_content"])
                texts.append((f"fakes/{row['unit_id']}", article))
    return texts


def _fields(title: str, body: str, standfirst: str = "", caption: str = "") -> SimpleNamespace:
    return SimpleNamespace(title=title, standfirst=standfirst, caption=caption, body=body)


def _dump(tagged: TaggedArticle) -> dict:
    data = dataclasses.asdict(tagged)
    data.pop("article")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fields", action="store_true", help="also tag each field alone")
    parser.add_argument(
        "--shared", type=Path, default=SHARED, help="../shared, for a copy of the code elsewhere"
    )
    options = parser.parse_args(argv)
    if os.environ.get("PYTHONHASHSEED") != "0":
        arguments = sys.argv[1:] if argv is None else argv
        command = [sys.executable, "-m", "bench.tag_fingerprint", *arguments]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        return subprocess.run(command, env=env, check=False).returncode
    gazetteer = Gazetteer.from_data_files()
    result: dict[str, dict] = {}
    for name, article in _texts(options.shared):
        result[name] = _dump(tag_article(article, gazetteer))
        if options.fields:
            for field_name in FIELDS:
                text = getattr(article, field_name, "") or ""
                if text:
                    alone = _fields("", "")
                    setattr(alone, field_name, text)
                    result[f"{name}#{field_name}"] = _dump(tag_article(alone, gazetteer))
        # normalise() is the key search and the fuzzy index compare on: it must not move.
        result[name]["normalised"] = {
            field_name: normalise(getattr(article, field_name, "") or "") for field_name in FIELDS
        }
    # Sorted keys and a fixed layout: the same findings are the same bytes.
    json.dump(result, sys.stdout, sort_keys=True, indent=1, ensure_ascii=False)
    print()
    print(f"{len(result)} taggings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
