"""Fixtures for the scaling tests: a second database standing in for a read replica."""

from __future__ import annotations

import io

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connections

from tests.hardening.conftest import _PageServer

REPLICA = "replica_test"


@pytest.fixture
def page_server():
    server = _PageServer()
    yield server
    server.close()


def _server_admin(settings_dict):
    """A connection to the server's maintenance database, for CREATE/DROP DATABASE."""
    admin = psycopg2.connect(
        dbname="postgres",
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
    )
    admin.autocommit = True
    return admin


@pytest.fixture(scope="module")
def replica_database(django_db_setup, django_db_blocker):
    """A real second database on the same server, NOT a test mirror of the primary.

    A row written only there can only reach a page through the router, which is how the
    tests tell a replica read from a primary read. It plays a replica that is lagging:
    whatever the primary gets afterwards, it does not. Its schema comes from migrate,
    as a new replica's would come from replicating the primary.
    """
    primary = connections["default"].settings_dict
    name = f"{primary['NAME']}_replica"  # test_<name>_replica: a test database's name
    admin = _server_admin(primary)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connections.settings[REPLICA] = {
        **primary,
        "NAME": name,
        "TEST": {**primary["TEST"], "NAME": name},
    }
    try:
        with django_db_blocker.unblock():
            call_command("migrate", database=REPLICA, verbosity=0, stdout=io.StringIO())
        yield REPLICA
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
