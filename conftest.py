"""Shared test fixtures: a user of every role, and a Chromium that is Debian's, not downloaded."""

import os

import pytest

from core.roles import Role

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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


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
