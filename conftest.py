"""Shared test fixtures: a user of every role, and a Chromium that is Debian's, not downloaded."""

import contextlib
import os

import pytest
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer
from whitenoise.base import WhiteNoise

from core.roles import Role
from tests.live_server import ANSWERING, OneRequestAtATime

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The shared world (``shared_world``, ``world``) that the cross-cutting tests and each app's own
# permission tests use; a test module with a ``world`` fixture of its own uses that one instead.
pytest_plugins = ("tests.fixtures",)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
TEST_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = CHROMIUM if os.path.exists(CHROMIUM) else "/usr/bin/chromium"
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, answering one request at a time (``tests/live_server.py``)."""
    server = LiveServer(request.config.getvalue("liveserver") or "localhost", start=False)
    server.thread.static_handler = OneRequestAtATime
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def requests_finished(request):
    """Before a browser test's database is flushed, wait until its page has no request in flight
    and the server has finished answering: a request answered during the flush writes into it (a
    session saved, a row pointing at one just deleted), which then fails and leaves the next
    test's world behind. Requested first so that it is torn down before the page and the
    database."""
    if "live_server" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    request.getfixturevalue("live_server")
    yield
    if page is not None:
        with contextlib.suppress(PlaywrightError):  # a page already closed: nothing of it is in flight
            page.wait_for_load_state("networkidle", timeout=10_000)
    with ANSWERING:
        pass


@pytest.fixture(scope="session", autouse=True)
def static_files_listed_once():
    """WhiteNoise lists the collected static files each time a test client builds its middleware:
    thousands of clients, 30 ms each. The files do not change during a run, so each folder is
    listed once and the list handed to every later middleware."""
    listed = {}
    list_folder = WhiteNoise.update_files_dictionary

    def once(self, root, prefix):
        key = (str(root), prefix)
        if key not in listed:
            before = set(self.files)
            list_folder(self, root, prefix)
            listed[key] = {url: found for url, found in self.files.items() if url not in before}
        self.files.update(listed[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoise, "update_files_dictionary", once)
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_inline(settings):
    """Background tasks run inline, in the test's transaction, through the real task functions;
    the one test of the worker itself switches back to the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def storage_dir(settings, tmp_path):
    """Keep every test's uploaded and seeded documents out of the real store under var/."""
    settings.DOCUMENT_STORAGE_DIR = tmp_path / "documents"
    return settings.DOCUMENT_STORAGE_DIR


@pytest.fixture
def make_user(db, django_user_model):
    """Create an active user of a role; the password is ``TEST_PASSWORD``."""
    counter = {"n": 0}

    def make(role=Role.LEAD, username=None, **extra):
        counter["n"] += 1
        username = username or f"{role}{counter['n']}"
        user = django_user_model(username=username, role=role, **extra)
        user.set_password(TEST_PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def users(make_user):
    """One user of each role, keyed by role value."""
    names = {
        Role.ADMINISTRATOR: ("Ada", "Admin"),
        Role.COORDINATOR: ("Ben", "Cahill"),
        Role.LEAD: ("Anne", "Clarke"),
        Role.EXECUTIVE: ("Martyn", "Ward"),
        Role.BOARD_MEMBER: ("Bea", "Board"),
        Role.AUDITOR: ("Aud", "Itor"),
    }
    return {
        role: make_user(role, username=role.value, first_name=first, last_name=last)
        for role, (first, last) in names.items()
    }


@pytest.fixture
def client_for(client, users):
    """A test client logged in as the user of ``role``."""

    def login(role):
        client.force_login(users[role])
        return client

    return login
