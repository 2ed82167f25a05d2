import datetime
import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.gazetteer_db import gazetteer_for_ingestion
from articles.ingest.errors import IngestError
from articles.ingest.fetch import iter_inputs
from articles.ingest.pipeline import IngestOptions, describe, is_url, prepare_input
from articles.ingest.save import CREATED, UNCHANGED, UPDATED, save_article

FAILED = "failed"


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

    def handle(self, *args, **options):
        inputs = list(self._expand(options["inputs"]))
        if options["url"] and len(inputs) > 1:
            raise CommandError("--url names one article; give it with a single input")
        ingest_options = IngestOptions(
            source_name=options["source"],
            url=options["url"],
            published=options["published"],
            allow_private_urls=settings.INGEST_ALLOW_PRIVATE_URLS,
            max_bytes=settings.INGEST_MAX_BYTES,
            timeout_seconds=settings.INGEST_TIMEOUT_SECONDS,
        )
        gazetteer = gazetteer_for_ingestion()
        counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, FAILED: 0}
        failures: list[tuple[str, str]] = []
        show_progress = not options["json"] and len(inputs) > 1 and sys.stderr.isatty()
        for value in tqdm(inputs, unit="article", disable=not show_progress, file=sys.stderr):
            outcome, error, tagged = self._one(value, gazetteer, ingest_options, options)
            counts[outcome] += 1
            if error:
                failures.append((value, error))
            if options["json"]:
                data = {"input": value, **(describe(tagged, gazetteer) if tagged else {})}
                data.setdefault("title", None)
                data["status"] = outcome
                data["error"] = error
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            elif error:
                self.stderr.write(f"FAILED {error}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"{outcome} {value}")
        if not options["json"]:
            verb = "would store" if options["dry_run"] else "stored"
            self.stdout.write(
                f"{len(inputs)} inputs ({verb}): {counts[CREATED]} created, "
                f"{counts[UPDATED]} updated, {counts[UNCHANGED]} unchanged, "
                f"{counts[FAILED]} failed"
            )
            for _, error in failures:
                self.stdout.write(f"  failed: {error}")
        if failures:
            sys.exit(1)

    def _expand(self, values):
        for value in values:
            if is_url(value):
                yield value
            else:
                # A missing path is reported as that input's failure, not a crash.
                yield from iter_inputs([value])

    def _one(self, value, gazetteer, ingest_options, options):
        try:
            tagged = prepare_input(value, gazetteer, ingest_options)
            if options["dry_run"]:
                return CREATED, None, tagged
            result = save_article(tagged, source_name=ingest_options.source_name)
            return result.status, None, tagged
        except IngestError as error:
            # Fetch errors already name their input; parse errors do not.
            message = str(error)
            return FAILED, message if value in message else f"{value}: {message}", None
        except Exception as error:  # one bad input must not stop the batch
            return FAILED, f"{value}: internal error ({type(error).__name__}: {error})", None
