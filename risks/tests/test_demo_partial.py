"""``manage.py seed_demo`` on a demo database made before the risk profiles existed (in a module of
its own: it needs a register without the demo's risks, which the demo tests share)."""

import pytest

from agreements import demo as agreements_demo
from partnerships import demo as register_demo
from risks import demo as risks_demo
from risks.models import Risk
from tests.fixtures import seed_demo

pytestmark = pytest.mark.django_db


def test_a_register_seeded_before_the_risks_gets_only_what_is_missing():
    """A demo database made before the risk profiles existed: the command adds them, nothing else."""
    register_demo.seed()
    agreements_demo.seed()
    assert not Risk.objects.exists()
    output = seed_demo()
    summary = output.splitlines()[0]
    assert "12 risks, 3 “no significant risk” records" in summary
    assert "partnership" not in summary
    assert Risk.objects.count() == 12
    # A risk edited in the app is left as it is.
    edited = Risk.objects.get(title=risks_demo.BOB_RESOURCES)
    Risk.objects.filter(pk=edited.pk).update(owner="Someone else (edited in the app)")
    assert "nothing to add" in seed_demo()
    assert Risk.objects.get(pk=edited.pk).owner == "Someone else (edited in the app)"
