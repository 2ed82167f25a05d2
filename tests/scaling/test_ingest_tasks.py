"""Ingestion as background tasks: `manage.py ingest --enqueue` and the admin queue URLs,
`manage.py db_worker` processes ingest them; several workers given the same URLs store
each article, source and actor once, and a failed input is recorded with its reason."""

import io
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from articles.models import Actor, ActorMention, Article, LocationMention, Source
from articles.tasks import ingest_input, ingest_text
from tests.hardening.conftest import database_url, manage_env, store_gazetteer
from tests.hardening.corpus import UNKNOWN_GROUPS, article_text
from tests.ingest.fixtures_gazetteer import ACTORS

ROOT = Path(__file__).resolve().parents[2]
PAGES = 10
TEXTS = 3
WORKERS = 3


def page(n: int) -> bytes:
    """A web page; odd ones give a canonical URL on their own site (the one they are filed
    under), even ones are filed under the address they were fetched from."""
    title, body = article_text(n)
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    head = f"<title>{title}</title>"
    if n % 2:
        head += f'<link rel="canonical" href="/news/{n}/canonical">'
    html = f"<!doctype html><html><head>{head}</head><body><article><h1>{title}</h1>"
    return f"{html}{paragraphs}</article></body></html>".encode()


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_the_queue_is_empty(timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
        assert time.monotonic() < deadline, "the workers did not finish in time"
        time.sleep(0.2)


def stop(worker: subprocess.Popen) -> tuple[int, str]:
    worker.send_signal(signal.SIGTERM)  # graceful: finishes the task in hand, then exits
    try:
        output, _ = worker.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return worker.returncode, output


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_several_workers_ingesting_the_same_urls_store_each_article_once(page_server):
    store_gazetteer()
    urls = []
    for n in range(PAGES):
        page_server.pages[f"/news/{n}"] = (200, {}, page(n))
        urls.append(page_server.url(f"/news/{n}"))
    missing = page_server.url("/news/gone")
    pasted = ["\n\n".join(article_text(n)) for n in range(PAGES, PAGES + TEXTS)]
    env = manage_env(database_url(), INGEST_ALLOW_PRIVATE_URLS="1")
    workers = [start_worker(env) for _ in range(WORKERS)]
    try:
        for worker in workers:  # each is polling the queue once it says so
            assert "Starting worker" in worker.stdout.readline()
        # Texts from one new outlet, each twice, then every URL three times over: the
        # workers race to create the same source, articles and candidate actors.
        for text in pasted * 2:
            ingest_text.enqueue(text, "Orient Monitor")
        for _ in range(2):
            call_command("ingest", "--enqueue", *urls, stdout=io.StringIO())
        queued = [ingest_input.enqueue(url) for url in urls]
        failed = ingest_input.enqueue(missing)
        wait_until_the_queue_is_empty()
    finally:
        results = [stop(worker) for worker in workers]

    assert [code for code, _ in results] == [0] * WORKERS, results
    busy_workers = {
        w for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for w in ids
    }
    # They really did work side by side: at least two took tasks (how many join in depends
    # on how fast the first ones drain a queue of 40 tasks on a busy machine).
    assert len(busy_workers) >= 2
    assert Article.objects.count() == PAGES + TEXTS
    assert sorted(Article.objects.values_list("url", flat=True), key=str) == sorted(
        [*(page_server.url(f"/news/{n}/canonical") for n in range(1, PAGES, 2))]
        + [page_server.url(f"/news/{n}") for n in range(0, PAGES, 2)]
        + [None] * TEXTS,
        key=str,
    )
    assert sorted(Source.objects.values_list("name", flat=True)) == ["127.0.0.1", "Orient Monitor"]
    assert Actor.objects.count() == len(ACTORS) + len(UNKNOWN_GROUPS)  # candidates once each
    for article in Article.objects.all():  # every article saved whole, with its tags
        assert ActorMention.objects.filter(article=article).count() >= 2, article.title
        assert LocationMention.objects.filter(article=article).exists(), article.title
    others = DBTaskResult.objects.exclude(id=failed.id)
    assert list(others.exclude(status="SUCCESSFUL").values_list("traceback", flat=True)) == []
    outcomes = [ingest_input.get_result(result.id) for result in queued]
    assert [outcome.return_value["input"] for outcome in outcomes] == urls
    assert {outcome.return_value["status"] for outcome in outcomes} <= {"created", "unchanged"}
    failure = ingest_input.get_result(failed.id)
    assert failure.status == "FAILED"
    assert failure.args == [missing]
    assert failure.errors[0].traceback.splitlines()[-1] == (
        f"articles.tasks.IngestFailed: {missing}: HTTP 404 Not Found"
    )
