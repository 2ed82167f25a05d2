from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_editors_group(sender, **kwargs):
    from articles.editors import ensure_editors_group

    ensure_editors_group()


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Archive"

    def ready(self):
        # After migrate, because permissions themselves are created in post_migrate.
        post_migrate.connect(_create_editors_group, sender=self)
        from articles.services import register_for_the_record

        register_for_the_record()
