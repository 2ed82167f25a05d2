from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using="default", **kwargs):
    # The shared cache is a table (settings.CACHES) and the archive generation a sequence;
    # both are created only when missing, so every migrate (make run, the test and the
    # benchmark databases, a deployment) has them, and no migration file is needed.
    from django.core.management import call_command

    from articles.generation import create_sequence

    call_command("createcachetable", database=using, verbosity=0)
    create_sequence(using)


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
