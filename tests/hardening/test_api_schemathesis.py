"""The API, driven from its own OpenAPI schema: whatever the parameters, never a 5xx."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    ActorFactory,
    ArticleFactory,
    PlaceFactory,
    ProvinceFactory,
    mention_article,
)


@pytest.fixture
def wsgi_app(db):
    """The real WSGI application, in-process, inside the test's transaction.

    Like Django's test client, stop the request signals from closing the connection (a
    connection inside the test transaction looks "obsolete" to close_old_connections).
    """
    from newsarchive.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app):
    hama = ProvinceFactory(name="Hama")
    village = PlaceFactory(name="Khirbat al-Naqous", parent=hama)
    jund = ActorFactory(name="Jund al-Aqsa")
    article = ArticleFactory(title="Jund al-Aqsa near Hama", published_on=datetime.date(2016, 9, 1))
    mention_article(article, jund)
    mention_article(article, village)
    # Answers with nulls in them: no URL, no date, no primary place, a place without a province.
    ArticleFactory(title="Undated report", url=None, published_on=None)
    PlaceFactory(name="Golan Heights", kind="region", parent=None)
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)


def operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


# Driven by hand rather than by schemathesis' pytest plugin, whose lazy-fixture loader does
# not run under pytest 9; the strategies and checks are schemathesis' own.
@pytest.mark.slow
def test_no_api_request_is_a_server_error(api_schema):
    tried = []
    for operation in operations(api_schema):
        tried.append(f"{operation.method.upper()} {operation.path}")

        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        @given(case=operation.as_strategy())
        def call(case):
            case.call_and_validate(checks=[not_a_server_error])

        call()

    assert sorted(tried) == [
        "GET /api/actors/",
        "GET /api/actors/{slug}/",
        "GET /api/articles/",
        "GET /api/articles/{id}/",
        "GET /api/places/",
        "GET /api/places/{slug}/",
    ]


@pytest.mark.slow
def test_every_api_answer_is_one_the_schema_describes(api_schema):
    """Status codes (200, 400, 404) and bodies, nulls included, are those the schema lists."""
    for operation in operations(api_schema):

        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        @given(case=operation.as_strategy())
        def call(case):
            case.call_and_validate(
                checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
            )

        call()
