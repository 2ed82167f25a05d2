"""The "Editors" group: exactly the permissions editors need, and nothing of auth."""

from django.contrib.auth.models import Group, Permission

EDITORS_GROUP = "Editors"

EDITOR_PERMISSIONS = {
    "article": ("view", "add", "change", "delete"),
    "actormention": ("view", "add", "change", "delete"),
    "locationmention": ("view", "add", "change", "delete"),
    # Merging duplicate actors deletes the duplicates.
    "actor": ("view", "add", "change", "delete"),
    "actorlink": ("view", "add", "change", "delete"),
    "location": ("view", "add", "change"),
    "source": ("view", "add", "change"),
}


def ensure_editors_group() -> Group:
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    codenames = [
        f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=codenames
    )
    group.permissions.set(permissions)
    return group
