"""The shared world as pytest fixtures (a plugin of the root ``conftest.py``): ``shared_world``,
``world``, and the demo data: ``shared_demo``, ``demo``.

``shared_world`` is built once per module (everything: every app's records), inside a transaction
of its own that is rolled back after the module; each test runs in a savepoint within it
(pytest-django's ``db``), rolled back when the test ends, so every test starts from the same world.
Its documents are kept in a folder of the module's own. ``shared_demo`` is ``manage.py seed_demo``
run once per module in the same way (a test that needs an empty register belongs in a module
without it: the module's transaction holds the demo until its last test).
"""

import contextlib
import datetime
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from core.roles import Role
from tests.counting import Register
from tests.world import build_world, make_user


@contextlib.contextmanager
def held_for_module(django_db_blocker, **settings):
    """A transaction held open for a module's tests (each runs in a savepoint of it, pytest-django's
    ``db``) and rolled back after the last; ``settings`` overridden while the records are made."""
    with django_db_blocker.unblock(), override_settings(**settings), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    documents = tmp_path_factory.mktemp("documents")
    with held_for_module(django_db_blocker, DOCUMENT_STORAGE_DIR=documents):
        w = build_world(everything=True)
        w.documents_dir = documents
        w.sessions = signed_in_sessions(w.users)
        yield w


@pytest.fixture
def world(db, shared_world, settings):
    settings.DOCUMENT_STORAGE_DIR = shared_world.documents_dir
    return shared_world


def seed_demo():
    """Run ``manage.py seed_demo``; what it printed."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@dataclass(frozen=True)
class Demo:
    output: str  # what seed_demo printed
    documents: Path  # where its documents are stored


@pytest.fixture(scope="module")
def shared_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    documents = tmp_path_factory.mktemp("demo-documents")
    fast = ["tests.hashers.FastArgon2PasswordHasher"]
    with held_for_module(django_db_blocker, DOCUMENT_STORAGE_DIR=documents, PASSWORD_HASHERS=fast):
        yield Demo(seed_demo(), documents)


@pytest.fixture
def demo(db, shared_demo, settings):
    settings.DOCUMENT_STORAGE_DIR = shared_demo.documents
    return shared_demo


def signed_in_sessions(users):
    """{key: the session cookie of that user signed in}: made once for the module's tests, which
    each present one (a sign-in per test was a sixth of a permission test's time on PostgreSQL).
    Each lasts the day, whatever the idle timeout: a test's requests renew it only in their savepoint."""
    sessions = {}
    for key, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk__in=sessions.values()).update(expire_date=timezone.now() + datetime.timedelta(days=1))
    return sessions


def sign_in(client, world, role):
    """``client`` signed in as the world's user ``role`` (``anonymous``: left as it is)."""
    if role == "anonymous":
        return client
    session = world.sessions.get(role)
    if session is None or not Session.objects.filter(pk=session).exists():  # gone: a request signed out
        client.force_login(world.user(role))
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


# The query-count tests' growing register (``tests/counting.py``) and a coordinator's client.


@pytest.fixture
def register(db):
    return Register()


@pytest.fixture
def coordinator(client, db):
    client.force_login(make_user("coord", role=Role.COORDINATOR, first_name="Ben", last_name="Cahill"))
    return client
