import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand

from articles import search_index
from articles.gazetteer_db import gazetteer_for_ingestion
from articles.ingest.errors import IngestError
from articles.ingest.pipeline import IngestOptions, prepare_input
from articles.ingest.save import save_article

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
# Other outlets' reports of some demo stories (labels name the story), loaded after them so
# the demo shows stories across outlets.
STORIES_DIR = DEMO_DIR.parent / "demo-stories"


class Command(BaseCommand):
    help = (
        "Load the demo archive: the project's own fictional articles in articles/data/demo/, "
        "and articles/data/demo-stories/ (other outlets' reports of some of them), ingested "
        "through the normal pipeline, which groups them into stories. Safe to re-run "
        "(unchanged articles are skipped)."
    )

    def handle(self, *args, **options):
        inputs = [
            (folder / name, label)
            for folder in (DEMO_DIR, STORIES_DIR)
            for name, label in sorted(
                json.loads((folder / "labels.json").read_text(encoding="utf-8")).items()
            )
        ]
        gazetteer = gazetteer_for_ingestion()
        outcomes: dict[str, int] = {}
        for path, label in inputs:
            # Plain text carries no metadata: the labels say where it was "published".
            published = label.get("published")
            ingest_options = IngestOptions(
                source_name=label.get("source"),
                url=label.get("url"),
                published=datetime.date.fromisoformat(published) if published else None,
            )
            try:
                tagged = prepare_input(str(path), gazetteer, ingest_options)
                status = save_article(tagged, source_name=label.get("source")).status
            except IngestError as error:
                self.stderr.write(f"FAILED {path.name}: {error}")
                status = "failed"
            outcomes[status] = outcomes.get(status, 0) + 1
        search_index.sync_if_built()
        summary = ", ".join(f"{count} {status}" for status, count in sorted(outcomes.items()))
        self.stdout.write(f"Demo articles: {summary}.")
