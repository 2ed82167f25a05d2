from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.gazetteer_db import gazetteer_from_database
from articles.models import Article
from articles.services import retag_article


class Command(BaseCommand):
    help = (
        "Re-tag stored articles with the gazetteer as it is now (after editors changed "
        "names or aliases). Mentions editors confirmed or rejected keep their decision."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="article ids (default: all)")

    def handle(self, *args, **options):
        gazetteer = gazetteer_from_database()
        articles = Article.objects.order_by("id")
        if options["ids"]:
            articles = articles.filter(id__in=options["ids"])
        total = articles.count()
        for article in tqdm(
            articles.iterator(chunk_size=500),
            total=total,
            unit="article",
            disable=total < 50 or options["verbosity"] == 0,
        ):
            retag_article(article, gazetteer)
        self.stdout.write(f"Re-tagged {total} articles.")
