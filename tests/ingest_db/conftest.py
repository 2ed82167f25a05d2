import io

import pytest
from django.core.management import call_command


@pytest.fixture
def gazetteer_in_db(db):
    """The shipped gazetteer, loaded as `make run` loads it."""
    call_command("load_gazetteer", stdout=io.StringIO())
