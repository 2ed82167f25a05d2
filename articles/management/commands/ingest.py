import datetime
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError
from tqdm import tqdm

from articles import search_index
from articles.gazetteer_db import gazetteer_for_ingestion
from articles.ingest.errors import IngestError
from articles.ingest.fetch import iter_inputs
from articles.ingest.identity import check_web_url
from articles.ingest.pipeline import describe, is_url
from articles.ingest.save import CONFLICT, CREATED, UNCHANGED, UPDATED
from articles.tasks import FAILED, ingest_input, ingest_one, ingest_options


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--published must be YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Ingest news pages, plain-text files, directories (recursively) or URLs: extract "
        "each article, tag its actors and places, and store it. Inputs that fail are "
        "reported with the reason; the rest of the batch is still stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--source", help="outlet name, when the page does not say")
        parser.add_argument("--url", help="original URL of a saved page or text file")
        parser.add_argument("--published", type=iso_date, help="publication date YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="extract and tag, store nothing")
        parser.add_argument("--json", action="store_true", help="one JSON object per input")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue each input for `manage.py db_worker` instead of ingesting it now",
        )

    def handle(self, *args, **options):
        inputs = list(self._expand(options["inputs"]))
        if options["url"] and len(inputs) > 1:
            raise CommandError("--url names one article; give it with a single input")
        if options["url"]:
            try:
                options["url"] = check_web_url(options["url"])
            except IngestError as error:
                raise CommandError(str(error)) from None
        if options["enqueue"] and options["dry_run"]:
            raise CommandError("--enqueue and --dry-run do not go together")
        try:
            if options["enqueue"]:
                self._enqueue(inputs, options)
            else:
                self._ingest(inputs, options)
        except (OperationalError, InterfaceError) as error:
            # Nothing more can be stored; every input after this one would fail the same way.
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason given"
            raise CommandError(f"database unavailable: {reason}") from None

    def _ingest(self, inputs, options):
        ingest = ingest_options(options["source"], options["url"], options["published"])
        gazetteer = gazetteer_for_ingestion()
        counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, CONFLICT: 0, FAILED: 0}
        failures: list[tuple[str, str]] = []
        show_progress = not options["json"] and len(inputs) > 1 and sys.stderr.isatty()
        for value in tqdm(inputs, unit="article", disable=not show_progress, file=sys.stderr):
            outcome = ingest_one(value, gazetteer, ingest, dry_run=options["dry_run"])
            counts[outcome.status] += 1
            if outcome.error:
                failures.append((outcome.status, outcome.error))
            if options["json"]:
                tagged = outcome.tagged
                data = {"input": value, **(describe(tagged, gazetteer) if tagged else {})}
                data.setdefault("title", None)
                data["status"] = outcome.status
                data["error"] = outcome.error
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            elif outcome.error:
                self.stderr.write(f"{outcome.status.upper()} {outcome.error}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"{outcome.status} {value}")
        if not options["dry_run"]:
            search_index.sync_if_built()  # the batch is in the index before the command ends
        if not options["json"]:
            verb = "would store" if options["dry_run"] else "stored"
            self.stdout.write(
                f"{len(inputs)} inputs ({verb}): {counts[CREATED]} created, "
                f"{counts[UPDATED]} updated, {counts[UNCHANGED]} unchanged, "
                f"{counts[CONFLICT]} conflict, {counts[FAILED]} failed"
            )
            for status, error in failures:
                self.stdout.write(f"  {status}: {error}")
        if failures:
            sys.exit(1)

    def _enqueue(self, inputs, options):
        """One task per input; the worker records each outcome in its task result."""
        published = options["published"].isoformat() if options["published"] else None
        queued = failed = 0
        for value in inputs:
            # The worker may run in another directory: it is given the whole path.
            target = value if is_url(value) else str(Path(value).resolve())
            if is_url(value) or Path(value).is_file():
                result = ingest_input.enqueue(target, options["source"], options["url"], published)
                status, error, task_id = "queued", None, result.id
                queued += 1
            else:
                status, error, task_id = FAILED, f"{value}: no such file", None
                failed += 1
            if options["json"]:
                data = {"input": value, "status": status, "error": error, "task_id": task_id}
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            elif error:
                self.stderr.write(f"FAILED {error}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"queued {target} (task {task_id})")
        if not options["json"]:
            self.stdout.write(
                f"{len(inputs)} inputs: {queued} queued for `manage.py db_worker`, {failed} failed"
            )
        if failed:
            sys.exit(1)

    def _expand(self, values):
        for value in values:
            if is_url(value):
                yield value
            else:
                # A missing path is reported as that input's failure, not a crash.
                yield from iter_inputs([value])
