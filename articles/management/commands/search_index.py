"""``manage.py search_index rebuild | sync [--follow] | status``: the tantivy index beside
PostgreSQL (articles/search_index.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from articles import search_index

FOLLOW_INTERVAL_SECONDS = 1.0


class Command(BaseCommand):
    help = "Rebuild the search index from PostgreSQL, apply pending changes, or show its state."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        rebuild = commands.add_parser("rebuild", help="build a new index and swap it in")
        rebuild.add_argument("--threads", type=int, default=2, help="indexing threads")
        sync = commands.add_parser("sync", help="apply the changes recorded since")
        sync.add_argument(
            "--follow", action="store_true", help="keep applying changes as they are recorded"
        )
        commands.add_parser("status", help="which build is current and how far behind")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "rebuild":
            built = search_index.rebuild(progress=True, threads=options["threads"])
            self.stdout.write(
                f"Built {built.token}: {built.articles} articles in {built.seconds} s, "
                f"{built.size_mb} MB."
            )
        elif action == "sync":
            self._sync(follow=options["follow"])
        else:
            state = search_index.status()
            if not state.built:
                self.stdout.write("Not built: run `manage.py search_index rebuild`.")
                return
            self.stdout.write(
                f"Build {state.token} (version {state.version}) at {state.path}: "
                f"{state.documents if state.documents is not None else '?'} articles, "
                f"{state.pending} changes pending."
            )

    def _sync(self, *, follow: bool) -> None:
        while True:
            applied = search_index.sync()
            if applied is None:
                raise CommandError("The index is not built: run `manage.py search_index rebuild`.")
            if applied or not follow:
                self.stdout.write(f"Applied {applied} changes.")
            if not follow:
                return
            if not applied:
                time.sleep(FOLLOW_INTERVAL_SECONDS)
