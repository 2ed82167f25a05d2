"""`manage.py ingest --enqueue` and the admin's import page queue inputs for the workers; an
unreachable database is one clear line from the command, not a traceback."""

import io
import json

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django_tasks_db.models import DBTaskResult

from tests.commands import run_ingest


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "naqous.txt"
    path.write_text("Fighting near Khirbat al-Naqous\n\nClashes were reported overnight.\n")
    return path


@pytest.mark.django_db
def test_enqueue_queues_each_input_with_its_whole_path_and_stores_nothing_yet(
    report_file, monkeypatch
):
    monkeypatch.chdir(report_file.parent)

    code, out, _ = run_ingest(
        "naqous.txt", "https://levantwire.example/a", "--source", "Levant", "--enqueue"
    )

    queued = DBTaskResult.objects.order_by("enqueued_at")
    assert code == 0
    assert out == "2 inputs: 2 queued for `manage.py db_worker`, 0 failed\n"
    assert [task.task_path for task in queued] == ["articles.tasks.ingest_input"] * 2
    assert [task.args_kwargs["args"] for task in queued] == [
        [str(report_file), "Levant", None, None],
        ["https://levantwire.example/a", "Levant", None, None],
    ]
    assert {task.status for task in queued} == {"READY"}


@pytest.mark.django_db
def test_enqueue_reports_a_missing_file_at_once_and_queues_the_rest(report_file):
    code, out, err = run_ingest(str(report_file), "no-such-report.txt", "--enqueue", "--json")

    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [(line["status"], line["error"]) for line in lines] == [
        ("queued", None),
        ("failed", "no-such-report.txt: no such file"),
    ]
    assert lines[0]["task_id"] == str(DBTaskResult.objects.get().id)
    assert err == ""


@pytest.mark.django_db
def test_an_editor_queues_a_url_from_the_import_page(editor_client):
    url = "https://levantwire.example/news/1"

    response = editor_client.post(
        "/admin/articles/article/import/", {"url": url, "queue": "1"}, follow=True
    )

    assert response.redirect_chain == [("/admin/articles/article/", 302)]
    assert f"Queued {url} for import." in response.content.decode()
    assert DBTaskResult.objects.get().args_kwargs["args"] == [url, None, None, None]


@pytest.mark.django_db
def test_a_file_cannot_be_queued_from_the_import_page(editor_client):
    upload = SimpleUploadedFile("report.txt", b"Fighting near Hama\n\nShelling overnight.\n")

    response = editor_client.post(
        "/admin/articles/article/import/", {"upload": upload, "queue": "1"}
    )

    assert response.status_code == 200
    assert "A file cannot be queued: preview it and save it here." in response.content.decode()
    assert not DBTaskResult.objects.exists()


@pytest.fixture
def database_refuses_connections(monkeypatch):
    def refuse(self, conn_params):
        raise psycopg2.OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    connection.close()
    monkeypatch.setattr(DatabaseWrapper, "get_new_connection", refuse)
    yield
    monkeypatch.undo()
    connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("enqueue", [[], ["--enqueue"]], ids=["ingest", "enqueue"])
def test_an_unreachable_database_is_one_clear_error(
    report_file, database_refuses_connections, enqueue
):
    with pytest.raises(CommandError) as error:
        call_command("ingest", str(report_file), *enqueue, stdout=io.StringIO())

    assert str(error.value) == (
        'database unavailable: connection to server at "127.0.0.1", port 5432 failed: '
        "Connection refused"
    )
