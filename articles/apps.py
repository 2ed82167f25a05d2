from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using="default", **kwargs):
    # The shared cache is a table (settings.CACHES); createcachetable skips it when it is
    # there, so every migrate (make run, the benchmark's database, a deployment) has one.
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _create_editors_group(sender, **kwargs):
    from articles.editors import ensure_editors_group

    ensure_editors_group()


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Archive"

    def ready(self):
        # After migrate, because permissions themselves are created in post_migrate.
        post_migrate.connect(_create_editors_group, sender=self)
        post_migrate.connect(_create_cache_table, sender=self)
        from articles.generation import connect_signals

        connect_signals()
        from articles.services import register_for_the_record

        register_for_the_record()
