import datetime
from unittest import mock

import pytest
from django.utils import timezone

from core.roles import Role
from partnerships.models import Partnership

LONDON_MORNING = datetime.time(7, 0)


def at(day, time=LONDON_MORNING):
    """An aware moment on ``day`` in Europe/London."""
    return timezone.make_aware(datetime.datetime.combine(day, time), timezone.get_default_timezone())


@pytest.fixture
def on_day():
    """``with on_day(d):`` makes "now" 07:00 in London on ``d`` (what the daily task sees)."""

    def moment(day, time=LONDON_MORNING):
        return mock.patch("django.utils.timezone.now", return_value=at(day, time))

    return moment


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD, username="anne.clarke", first_name="Anne", last_name="Clarke", email="anne@nhs.net")


@pytest.fixture
def make_partnership(db):
    counter = {"n": 0}

    def make(lead, review, **extra):
        counter["n"] += 1
        return Partnership.objects.create(
            reference=f"P-{900 + counter['n']:04d}",
            title=extra.pop("title", f"Talking therapies alliance {counter['n']}"),
            purpose=extra.pop("purpose", "Shared care for adults in Oxfordshire."),
            arrangement_type="alliance",
            lead=lead,
            next_review_date=review,
            **extra,
        )

    return make


def reminders_in(outbox, kind=None):
    keys = [m.extra_headers.get("X-Accord-Reminder", "") for m in outbox]
    return [k for k in keys if not k.startswith("digest/") and (kind is None or k.startswith(f"{kind}/"))]


def digests_in(outbox):
    return [m for m in outbox if m.extra_headers.get("X-Accord-Reminder", "").startswith("digest/")]
