"""Fixtures of the core tests: the small world of tests.world, and the coordinator signed in."""

import pytest

from tests.world import build_world


@pytest.fixture
def world(db, storage_dir):
    """Every kind of record, agreements, risks and IG included; documents in the test's own folder."""
    return build_world(everything=True)


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.user("coordinator"))
    return client
