"""``manage.py rebuild_aggregates``: recount the maintained entity figures from scratch
(articles/aggregates.py), in one transaction, with a progress bar."""

from django.core.management.base import BaseCommand

from articles import aggregates


class Command(BaseCommand):
    help = "Recount the entity figures (actor, place, source pages and the home page)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=aggregates.REBUILD_BATCH, help="articles per step"
        )

    def handle(self, *args, **options):
        built = aggregates.rebuild(progress=True, batch=options["batch"])
        self.stdout.write(
            f"Counted {built.articles} articles into {built.figures} figures in "
            f"{built.seconds} s ({built.size_mb} MB)."
        )
