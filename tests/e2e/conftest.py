"""Browser tests: Debian's headless Chromium, driven by Playwright, against pytest-django's
live server and a test database holding the real gazetteer and the demo articles.

Without /usr/bin/chromium or the playwright package every test here is skipped, with the
reason; with REQUIRE_BROWSER_TESTS=1 (set by .ci/run when Chromium is installed) they fail
instead, so CI cannot go green by quietly skipping them.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
# Playwright waits this long (ms) for an element, a navigation or an expect() before failing;
# generous because CI machines are shared and a live-server page can take a while there.
TIMEOUT_MS = 15_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def browser_unavailable() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements.txt)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _browser_available():
    reason = browser_unavailable()
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(f"REQUIRE_BROWSER_TESTS=1 but the browser tests cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def browser(_browser_available):
    """Headless Chromium for the tests of one module; Playwright stops after them."""
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this (the main) thread
    # from start() to stop(), even between browser calls. Django sees the running loop and
    # refuses every ORM call from the thread with SynchronousOnlyOperation, although nothing
    # here is async: the tests' own database work (loading the archive, creating the editor,
    # pytest-django's flush after each test) happens between browser calls, never inside
    # them, and the live server answers from its own threads. So Django's check is switched
    # off while Playwright runs, and restored (and Playwright stopped, with its loop) when
    # the module is done, so that the rest of the suite keeps the check.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        expect.set_options(timeout=TIMEOUT_MS)
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def archive(transactional_db):
    """The real gazetteer and the demo articles, loaded through the normal commands.

    live_server needs a transactional database, which is flushed after every test, so this
    runs once per test (about two seconds).
    """
    quiet = io.StringIO()
    call_command("load_gazetteer", stdout=quiet)
    call_command("load_demo", stdout=quiet, stderr=quiet)


class Console:
    """Console errors, uncaught page errors and CSP violations seen by one page."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message):
        # Chromium reports a CSP violation as a console error ("Refused to load/execute …").
        if message.type in {"error", "assert"} or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text} @ {message.location}")


@pytest.fixture
def new_page(browser, live_server, archive):
    """Open a page on the live server: ``new_page(viewport=PHONE, java_script_enabled=False)``.

    Each page gets its own browser context (cookies, viewport) and a ``page.console`` that
    collects its console errors; contexts are closed after the test.
    """
    contexts = []

    def open_page(viewport=DESKTOP, **options):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.console = Console(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def screenshot():
    """Save a full-page screenshot as tests/e2e/artifacts/<name>.png (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
