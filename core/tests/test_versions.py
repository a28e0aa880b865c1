"""A record's version (``core.versions``): what moves it, what does not, and the check that refuses
a write from a version that is no longer the record's."""

import datetime

import pytest

from core.audit import audit_context
from core.versions import (
    StaleVersion,
    check_version,
    read_record_token,
    record_as,
    record_token,
    record_values,
    record_version,
)
from partnerships.models import Headline, Partnership
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def stored(record):
    return type(record)._base_manager.get(pk=record.pk)


def test_a_change_to_any_stored_field_or_link_moves_the_version_and_undoing_it_moves_it_back(world):
    p = stored(world.partnership)
    first = record_version(p)
    p.title = "Thames Valley and Wessex Forensic Network"
    p.save()
    assert record_version(stored(p)) != first
    p.title = "Thames Valley Forensic Network"
    p.save()
    assert record_version(stored(p)) == first, "the version is the stored values, not a count of saves"

    p.baf_themes.add(world.spare_theme)
    assert record_version(stored(p)) != first, "a link of a many-to-many field is part of the record"
    p.baf_themes.remove(world.spare_theme)
    world.user("other_lead").delegated_partnerships.add(p)
    assert record_version(stored(p)) != first, "so is one added from the other side"


def test_a_child_a_save_that_changes_nothing_and_another_record_leave_the_version_alone(world):
    p = stored(world.partnership)
    first = record_version(p)
    Headline.objects.create(partnership=p, date=datetime.date(2024, 4, 2), text="Contract extended to March 2027.")
    p.partner_roles.create(organisation=world.spare_org, role="funder")
    stored(p).save()  # moves updated_at, a timestamp of the save, not of the record
    other = stored(world.other_partnership)
    other.title = "Talking Space Plus (Oxfordshire)"
    other.save()
    assert record_version(stored(p)) == first


def test_the_check_passes_at_the_current_version_and_refuses_any_other(world):
    p = stored(world.partnership)
    version = record_version(p)
    check_version(p, version)
    for wrong in (None, "", record_version(stored(world.other_partnership))):
        with pytest.raises(StaleVersion):
            check_version(p, wrong)
    p.notes = "Review booked."
    p.save()
    with pytest.raises(StaleVersion):
        check_version(stored(p), version)


def test_a_token_gives_back_what_the_page_showed_and_only_on_its_own_records_page(world):
    p = stored(world.partnership)
    token = record_token(p)
    opened = read_record_token(p, token)
    assert opened.values == record_values(p)
    assert opened.version == record_version(p)
    assert read_record_token(stored(world.other_partnership), token) is None
    assert read_record_token(p, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert read_record_token(p, None) is None
    assert read_record_token(p, "not a token") is None


def test_a_secret_moves_the_version_but_never_travels_in_the_token(world):
    user = stored(world.user("executive"))
    first = record_version(user)
    with audit_context(user=world.user("administrator")):
        user.set_password("violet-harbour-lantern-42")
        user.save()
    user = stored(user)
    assert record_version(user) != first
    shown = repr(read_record_token(user, record_token(user)).values)
    assert user.password not in shown
    assert user.password.split("$")[-1] not in shown


def test_the_record_as_it_was_holds_the_values_the_page_showed(world):
    p = stored(world.partnership)
    opened = record_values(p)
    p.title, p.lead, p.annual_value = "Renamed", world.user("other_lead"), 1
    p.save()
    earlier = record_as(stored(p), opened)
    assert (earlier.title, earlier.lead, earlier.annual_value) == (
        "Thames Valley Forensic Network",
        world.user("owner"),
        world.partnership.annual_value,
    )
    assert Partnership.objects.get(pk=p.pk).title == "Renamed", "showing it writes nothing"
