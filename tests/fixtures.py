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
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

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


def sign_in(client, world, role):
    if role != "anonymous":
        client.force_login(world.user(role))
    return client


# The query-count tests' growing register (``tests/counting.py``) and a coordinator's client.


@pytest.fixture
def register(db):
    return Register()


@pytest.fixture
def coordinator(client, db):
    client.force_login(make_user("coord", role=Role.COORDINATOR, first_name="Ben", last_name="Cahill"))
    return client
