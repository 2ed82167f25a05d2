from pathlib import Path

import pytest

FIXTURE_PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


@pytest.fixture(autouse=True)
def _no_login_lockouts() -> None:
    """Override the project-wide autouse fixture of this name, which needs pytest-django's
    ``settings``: ingestion is plain Python, so these tests also run with ``-p no:django``.

    ``shared_dir`` (which skips when ../shared is absent) comes from tests/conftest.py.
    """


@pytest.fixture
def pages_dir() -> Path:
    return FIXTURE_PAGES
