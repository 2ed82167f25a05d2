"""Several processes ingesting overlapping batches at once store every article, source and
actor exactly once; a process killed mid-batch leaves nothing half-saved, and re-running
the batch completes it."""

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from articles.models import Actor, ActorMention, Article, LocationMention, Source
from tests.hardening.conftest import database_url, manage_env, store_gazetteer
from tests.hardening.corpus import write_batch
from tests.ingest.fixtures_gazetteer import ACTORS

ROOT = Path(__file__).resolve().parents[2]
BATCH = 24

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def start_ingest(paths, env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "ingest", *map(str, paths)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


def assert_each_article_complete():
    """Every stored article has all its tags: its mentions were saved with it."""
    for article in Article.objects.all():
        assert ActorMention.objects.filter(article=article).count() >= 2, article.title
        assert LocationMention.objects.filter(article=article).exists(), article.title


def test_overlapping_batches_in_parallel_store_everything_once(tmp_path):
    store_gazetteer()
    paths = write_batch(tmp_path, BATCH)
    env = manage_env(database_url())
    batches = []
    for seed in range(4):
        batch = paths[:] if seed % 2 else paths[seed * 4 :] + paths[: seed * 4]
        random.Random(seed).shuffle(batch)
        batches.append(batch)

    processes = [start_ingest(batch, env) for batch in batches]
    results = [finish(process) for process in processes]

    assert [code for code, _ in results] == [0] * len(processes), results
    assert all("0 failed" in output for _, output in results), results
    assert Article.objects.count() == BATCH
    assert Article.objects.values("content_hash").distinct().count() == BATCH
    assert sorted(Source.objects.values_list("name", flat=True)) == [
        "Unknown source",
        "levantwire.example",
        "northdesk.example",
        "orientmonitor.example",
    ]
    assert Actor.objects.count() == len(ACTORS) + 4  # the four candidate groups, once each
    assert_each_article_complete()


def test_a_batch_killed_mid_way_leaves_no_half_saved_article_and_reruns_to_completion(
    tmp_path,
):
    store_gazetteer()
    paths = write_batch(tmp_path, 60)
    env = manage_env(database_url())

    process = start_ingest(paths, env)
    deadline = time.monotonic() + 60
    while Article.objects.count() < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)  # reaps it and closes its pipes
    stored_before = Article.objects.count()
    assert_each_article_complete()

    code, output = finish(start_ingest(paths, env))

    assert process.returncode == -signal.SIGKILL
    assert 5 <= stored_before < 60
    assert code == 0, output
    assert f"{60 - stored_before} created" in output
    assert Article.objects.count() == 60
    assert_each_article_complete()
