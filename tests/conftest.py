from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder beside the checkout; tests that need it skip without it."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent (a plain clone has no ../shared); skipped")
    return SHARED_DIR


@pytest.fixture(autouse=True)
def _no_login_lockouts(settings):
    # django-axes has its own tests of throttling; elsewhere repeated logins must not lock.
    settings.AXES_ENABLED = False
