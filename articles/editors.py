"""The "Editors" group: exactly the permissions editors need, and nothing of auth."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS_GROUP = "Editors"

EDITOR_PERMISSIONS = {
    "articles": {
        "article": ("view", "add", "change", "delete"),
        "actormention": ("view", "add", "change", "delete"),
        "locationmention": ("view", "add", "change", "delete"),
        # Merging duplicate actors deletes the duplicates.
        "actor": ("view", "add", "change", "delete"),
        "actorlink": ("view", "add", "change", "delete"),
        "location": ("view", "add", "change"),
        "source": ("view", "add", "change"),
        # The editorial record is read-only; undoing an entry adds a new one.
        "editorialchange": ("view",),
        # Editors split and merge stories; merging deletes the stories folded in.
        "story": ("view", "change", "delete"),
    },
    # Editors who queue an import follow it, and read why it failed, in "Task results".
    "django_tasks_database": {"dbtaskresult": ("view",)},
}


def ensure_editors_group() -> Group:
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    wanted = Q(pk__in=[])
    for app_label, models in EDITOR_PERMISSIONS.items():
        codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.set(Permission.objects.filter(wanted))
    return group
