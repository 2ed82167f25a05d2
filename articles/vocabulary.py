"""The archive's vocabularies, owned here and nowhere else: plain Python, no Django.

The models build their ``TextChoices`` from these (``articles.models``), the ingest
pipeline and the gazetteer scripts read them directly, so a kind or a status is added,
renamed or relabelled in one place. Each vocabulary is a ``StrEnum`` of stored values and
a dict of their human labels, in display order.
"""

from __future__ import annotations

import enum


class ActorKind(enum.StrEnum):
    ARMED_GROUP = "armed_group"
    STATE_FORCE = "state_force"
    STATE = "state"
    POLITICAL_BODY = "political_body"
    INTERNATIONAL_ORG = "international_org"
    MONITOR_OR_MEDIA = "monitor_or_media"
    PERSON = "person"
    OTHER = "other"


ACTOR_KINDS: dict[str, str] = {
    ActorKind.ARMED_GROUP: "Armed group",
    ActorKind.STATE_FORCE: "State force",
    ActorKind.STATE: "State",
    ActorKind.POLITICAL_BODY: "Political body",
    ActorKind.INTERNATIONAL_ORG: "International organisation",
    ActorKind.MONITOR_OR_MEDIA: "Monitor or media",
    ActorKind.PERSON: "Person",
    ActorKind.OTHER: "Other",
}


class ActorStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    CANDIDATE = "candidate"
    REJECTED = "rejected"
    # Folded into another actor by an editor's merge; kept so that its URL redirects and
    # the merge can be undone.
    MERGED = "merged"


ACTOR_STATUSES: dict[str, str] = {
    ActorStatus.CONFIRMED: "In the gazetteer",
    ActorStatus.CANDIDATE: "Candidate (found in an article, not yet reviewed)",
    ActorStatus.REJECTED: "Rejected candidate",
    ActorStatus.MERGED: "Merged into another actor",
}


class ActorRelation(enum.StrEnum):
    AFFILIATED_WITH = "affiliated_with"
    PART_OF = "part_of"
    SUCCESSOR_OF = "successor_of"
    ALLIED_WITH = "allied_with"
    LEADER_OF = "leader_of"
    MEMBER_OF = "member_of"


# "X <relation> Y", as read on X's page.
ACTOR_RELATIONS: dict[str, str] = {
    ActorRelation.AFFILIATED_WITH: "affiliated with",
    ActorRelation.PART_OF: "part of",
    ActorRelation.SUCCESSOR_OF: "successor of",
    ActorRelation.ALLIED_WITH: "allied with",
    ActorRelation.LEADER_OF: "leader of",
    ActorRelation.MEMBER_OF: "member of",
}

# The same link as read on Y's page ("X successor_of Y" shows "Succeeded by X" on Y's).
INVERSE_RELATIONS: dict[str, str] = {
    ActorRelation.AFFILIATED_WITH: "Affiliates",
    ActorRelation.PART_OF: "Includes",
    ActorRelation.SUCCESSOR_OF: "Succeeded by",
    ActorRelation.ALLIED_WITH: "Allied with",
    ActorRelation.LEADER_OF: "Led by",
    ActorRelation.MEMBER_OF: "Members",
}


class LocationKind(enum.StrEnum):
    COUNTRY = "country"
    GOVERNORATE = "governorate"
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    REGION = "region"
    LANDFORM = "landform"


LOCATION_KINDS: dict[str, str] = {
    LocationKind.COUNTRY: "Country",
    LocationKind.GOVERNORATE: "Governorate",
    LocationKind.DISTRICT: "District",
    LocationKind.SUBDISTRICT: "Sub-district",
    LocationKind.CITY: "City",
    LocationKind.TOWN: "Town",
    LocationKind.VILLAGE: "Village",
    LocationKind.REGION: "Region",
    LocationKind.LANDFORM: "Landform",
}


class ReviewStatus(enum.StrEnum):
    """An editor's decision on one tag (a mention of an actor or a place)."""

    AUTO = "auto"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


REVIEW_STATUSES: dict[str, str] = {
    ReviewStatus.AUTO: "Not reviewed",
    ReviewStatus.CONFIRMED: "Confirmed",
    ReviewStatus.REJECTED: "Rejected",
}


class TextField(enum.StrEnum):
    """The article's tagged text fields, in reading order."""

    TITLE = "title"
    STANDFIRST = "standfirst"
    CAPTION = "caption"
    BODY = "body"


TEXT_FIELDS: dict[str, str] = {
    TextField.TITLE: "Title",
    TextField.STANDFIRST: "Standfirst",
    TextField.CAPTION: "Caption",
    TextField.BODY: "Body",
}


class PersonRole(enum.StrEnum):
    """The part a person plays in a report, where the text gives one."""

    OFFICIAL = "official"
    COMMANDER = "commander"
    SPOKESMAN = "spokesman"
    MONITOR = "monitor"
    JOURNALIST = "journalist"
    RESIDENT = "resident"
    ANALYST = "analyst"


PERSON_ROLES: dict[str, str] = {
    PersonRole.OFFICIAL: "Official",
    PersonRole.COMMANDER: "Commander",
    PersonRole.SPOKESMAN: "Spokesperson",
    PersonRole.MONITOR: "Monitor",
    PersonRole.JOURNALIST: "Journalist",
    PersonRole.RESIDENT: "Resident or witness",
    PersonRole.ANALYST: "Analyst",
}


class EditorialAction(enum.StrEnum):
    """What an entry on the editorial record did."""

    TAG_DECISION = "tag_decision"
    TAG_ADDED = "tag_added"
    TAG_REMOVED = "tag_removed"
    MERGE = "merge"
    ACTOR_REVIEWED = "actor_reviewed"
    NAMES_EDITED = "names_edited"
    HIDDEN = "hidden"
    UNHIDDEN = "unhidden"
    RETAG = "retag"
    PLACE_MOVED = "place_moved"
    ARTICLE_EDITED = "article_edited"
    ARTICLE_UPDATED = "article_updated"
    STORY_SPLIT = "story_split"
    STORIES_MERGED = "stories_merged"
    UNDO = "undo"


EDITORIAL_ACTIONS: dict[str, str] = {
    EditorialAction.TAG_DECISION: "Tag decision",
    EditorialAction.TAG_ADDED: "Tag added",
    EditorialAction.TAG_REMOVED: "Tag removed",
    EditorialAction.MERGE: "Actors merged",
    EditorialAction.ACTOR_REVIEWED: "Candidate actor reviewed",
    EditorialAction.NAMES_EDITED: "Names or details edited",
    EditorialAction.HIDDEN: "Hidden from readers",
    EditorialAction.UNHIDDEN: "Shown to readers again",
    EditorialAction.RETAG: "Re-tagged",
    EditorialAction.PLACE_MOVED: "Place moved",
    EditorialAction.ARTICLE_EDITED: "Article edited",
    EditorialAction.ARTICLE_UPDATED: "Article updated from its source",
    EditorialAction.STORY_SPLIT: "Reports split off their story",
    EditorialAction.STORIES_MERGED: "Stories merged",
    EditorialAction.UNDO: "Undone or restored",
}

# Entries whose snapshot holds an article together with all its tags: undoing one puts the
# article's tags back as they were, removing tags added since.
SNAPSHOTS_ARTICLE_TAGS = frozenset(
    {
        EditorialAction.RETAG,
        EditorialAction.ARTICLE_EDITED,
        EditorialAction.ARTICLE_UPDATED,
    }
)
# Moving a place back is another move (Location.move_to), not an undo of stored rows.
NOT_UNDOABLE = frozenset({EditorialAction.PLACE_MOVED})


def choices(enum_class: type[enum.StrEnum], labels: dict[str, str]) -> list[tuple[str, tuple]]:
    """``[(member name, (value, label)), ...]``: what Django's ``TextChoices(name, ...)``
    functional form takes, so the models' choices are built from this module."""
    missing = [member.value for member in enum_class if member not in labels]
    if missing:
        raise ValueError(f"{enum_class.__name__}: no label for {', '.join(missing)}")
    return [(member.name, (member.value, labels[member])) for member in enum_class]
