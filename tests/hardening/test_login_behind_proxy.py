"""Behind the documented reverse proxy the lock-out still tells visitors apart, and a login
lands somewhere sensible whatever `next` says."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import EDITOR_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


@pytest.fixture
def behind_the_proxy(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def through_proxy(visitor: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{visitor}, {PROXY}")


def login(client: Client, username: str, password: str):
    return client.post("/admin/login/", {"username": username, "password": password})


def test_a_stranger_behind_the_proxy_cannot_lock_an_editor_out(editor, behind_the_proxy):
    stranger, rania = through_proxy("203.0.113.9"), through_proxy("198.51.100.20")

    for _ in range(3):
        login(stranger, "rania", "guessing")
    stranger_again = login(stranger, "rania", EDITOR_PASSWORD)
    rania_logs_in = login(rania, "rania", EDITOR_PASSWORD)

    assert stranger_again.status_code in (403, 429)
    assert rania_logs_in.status_code == 302


def test_a_forged_forwarded_for_header_sent_past_the_proxy_is_ignored(editor, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    attacker = "192.0.2.66"

    for n in range(3):
        # A new made-up client address each time, straight to the app: still one attacker.
        Client(REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").post(
            "/admin/login/", {"username": "rania", "password": "guessing"}
        )
    locked = Client(REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR="198.51.100.99").post(
        "/admin/login/", {"username": "rania", "password": EDITOR_PASSWORD}
    )

    assert locked.status_code in (403, 429)


def test_without_trusted_proxies_the_forwarded_for_header_is_not_believed(editor, settings):
    from newsarchive.client_address import client_address

    settings.TRUSTED_PROXIES = []
    request = Client().get("/").wsgi_request
    request.META.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert client_address(request) == PROXY


def test_login_lands_on_the_admin_index(editor):
    response = login(Client(), "rania", EDITOR_PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_login_with_an_off_site_next_lands_on_the_admin_index_not_a_404(editor):
    response = Client().post(
        "/admin/login/?next=https://evil.example/phish",
        {"username": "rania", "password": EDITOR_PASSWORD, "next": "https://evil.example/phish"},
    )

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Client().get("/admin/").status_code == 302  # (a fresh client is not logged in)


def test_login_with_a_safe_next_goes_there(editor):
    response = Client().post(
        "/admin/login/?next=/admin/articles/actor/",
        {"username": "rania", "password": EDITOR_PASSWORD, "next": "/admin/articles/actor/"},
    )

    assert response["Location"] == "/admin/articles/actor/"


def test_a_reader_account_without_staff_rights_is_not_let_into_the_admin():
    User.objects.create_user("reader", password=EDITOR_PASSWORD)

    response = login(Client(), "reader", EDITOR_PASSWORD)

    assert response.status_code == 200  # the form again, with its error
