from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article, Story
from articles.stories import group_article


class Command(BaseCommand):
    help = (
        "Group stored articles into stories across outlets (what ingestion does for each new "
        "article), oldest first. By default only articles without a story; --all regroups "
        "every article an editor has not placed by hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="regroup every article (editors' splits and merges are kept)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        articles = Article.objects.order_by("published_on", "id")
        if not options["all"]:
            articles = articles.filter(story__isnull=True)
        before = Story.objects.count()
        ids = list(articles.values_list("pk", flat=True))
        for pk in tqdm(ids, unit="article", disable=options["quiet"] or not ids):
            # One by one, each in its own transaction, so each sees the ones before it.
            group_article(Article.objects.select_related("story").get(pk=pk))
        grouped = Article.objects.filter(story__isnull=False).count()
        stories = Story.objects.count()
        shared = Story.objects.with_report_counts().filter(n_reports__gt=1).count()
        self.stdout.write(
            f"Stories: {len(ids)} articles grouped; {grouped} articles in {stories} stories "
            f"({stories - before:+d}), {shared} of them reported more than once."
        )
