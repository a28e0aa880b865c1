"""``core.loading.QuickPartialLoad``: a record read with a few of its fields is the record Django
would have built, and behaves like it (deferred fields load when read; saving writes what changed)."""

import datetime
from decimal import Decimal

import pytest
from django.db import models

from assurance.models import IGItem, IGItemType, RecordedStatus
from core.audit import audit_context
from core.models import AuditEntry
from partnerships.models import ArrangementType, Partnership, Status


@pytest.fixture
def partnership(db):
    with audit_context(source="test"):
        return Partnership.objects.create(
            reference="P-0101",
            title="Stroke network",
            arrangement_type=ArrangementType.MOU,
            status=Status.ACTIVE,
            annual_value=Decimal("250000"),
            next_review_date=datetime.date(2026, 3, 1),
        )


def django_built(model, names, values):
    return models.Model.from_db.__func__(model, "default", names, values)


def fields_of(record):
    return {name: value for name, value in record.__dict__.items() if name != "_state"}


@pytest.mark.django_db
def test_a_partly_read_partnership_is_what_django_builds(partnership):
    quick = Partnership.objects.only("reference", "title", "next_review_date").get(pk=partnership.pk)
    names = ["id", "reference", "title", "next_review_date"]
    usual = django_built(Partnership, names, [getattr(partnership, n) for n in names])
    assert fields_of(quick) == {**fields_of(usual), "_loaded_status": None, "_loaded_totals": (None, None)}
    assert quick.get_deferred_fields() == usual.get_deferred_fields()
    assert quick._state.adding is False and quick._state.db == "default"
    assert str(quick) == "P-0101 Stroke network"
    assert quick.get_absolute_url() == partnership.get_absolute_url()


@pytest.mark.django_db
def test_a_field_not_read_loads_when_asked(partnership, django_assert_num_queries):
    quick = Partnership.objects.only("reference").get(pk=partnership.pk)
    with django_assert_num_queries(1):
        assert quick.annual_value == Decimal("250000")


@pytest.mark.django_db
def test_saving_a_partly_read_partnership_writes_the_change_and_audits_it(partnership):
    quick = Partnership.objects.only("reference", "title").get(pk=partnership.pk)
    quick.title = "Stroke network (North)"
    with audit_context(source="test"):
        quick.save()
    fresh = Partnership.objects.get(pk=partnership.pk)
    assert (fresh.title, fresh.status, fresh.annual_value) == (
        "Stroke network (North)",
        Status.ACTIVE,
        Decimal("250000"),
    )
    entry = AuditEntry.objects.filter(object_id=partnership.pk, action="update").get()
    assert entry.changed_fields == ["title"]
    assert (entry.before["title"], entry.after["title"]) == ("Stroke network", "Stroke network (North)")


@pytest.mark.django_db
def test_a_partly_read_partnership_given_a_new_status_stamps_the_change(partnership):
    quick = Partnership.objects.only("reference").get(pk=partnership.pk)
    quick.status = Status.CLOSED
    with audit_context(source="test"):
        quick.save()
    fresh = Partnership.objects.get(pk=partnership.pk)
    assert fresh.status == Status.CLOSED
    assert fresh.status_changed_at is not None and fresh.status_changed_at > partnership.status_changed_at


@pytest.mark.django_db
def test_a_wholly_read_record_is_built_the_usual_way(partnership):
    whole = Partnership.objects.get(pk=partnership.pk)
    assert whole.get_deferred_fields() == set()
    assert whole._loaded_status == Status.ACTIVE


@pytest.mark.django_db
def test_an_ig_item_read_with_its_partnership_names_itself(partnership):
    with audit_context(source="test"):
        IGItem.objects.create(partnership=partnership, item=IGItemType.DPIA, status=RecordedStatus.IN_PLACE)
    item = IGItem.objects.select_related("partnership").only("item", "status", "partnership__reference").get()
    assert str(item) == "Data protection impact assessment (DPIA): in place"
    assert item.partnership.reference == "P-0101"
    assert item.get_deferred_fields() == {"approved_on", "review_on", "notes"}
