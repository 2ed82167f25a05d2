"""The archive's vocabularies have one owner, articles/vocabulary.py, readable without Django."""

import subprocess
import sys
from pathlib import Path

from articles import vocabulary
from articles.ingest import gazetteer
from articles.models import ActorKind, ActorLink, ActorStatus, LocationKind, ReviewStatus

ROOT = Path(__file__).resolve().parents[2]


def test_the_vocabulary_module_imports_without_django():
    code = (
        "import sys; import articles.vocabulary; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_admin_offers_exactly_the_kinds_and_statuses_the_vocabulary_names():
    assert ActorKind.choices == list(vocabulary.ACTOR_KINDS.items())
    assert LocationKind.choices == list(vocabulary.LOCATION_KINDS.items())
    assert ReviewStatus.choices == list(vocabulary.REVIEW_STATUSES.items())
    assert ActorStatus.choices == list(vocabulary.ACTOR_STATUSES.items())
    assert ActorLink.Relation.choices == list(vocabulary.ACTOR_RELATIONS.items())


def test_the_ingest_package_reads_the_same_vocabulary():
    assert gazetteer.ACTOR_KINDS is vocabulary.ACTOR_KINDS
    assert gazetteer.ACTOR_RELATIONS is vocabulary.ACTOR_RELATIONS
    assert gazetteer.LOCATION_KINDS is vocabulary.LOCATION_KINDS


def test_every_relation_reads_from_both_sides():
    assert set(vocabulary.INVERSE_RELATIONS) == set(vocabulary.ACTOR_RELATIONS)


def test_the_actors_file_checker_reads_the_vocabulary_without_the_project():
    result = subprocess.run(
        [sys.executable, "articles/data/gazetteer/build_actors_check.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout
