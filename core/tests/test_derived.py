"""``core.derived``: inside ``batched()`` each derived table is refreshed once, on leaving, for every
id its refreshes were asked for and every part of the rows any of them asked for; ``update_rows``
writes what ``bulk_update`` would, on both databases."""

import datetime

import pytest

from assurance.models import IGItemType, IGState
from core.audit import audit_context
from core.derived import batchable, batched, update_rows
from partnerships.models import Partnership


def table():
    calls = []

    @batchable
    def refresh(ids, items=None):
        calls.append((sorted(ids), None if items is None else sorted(items)))

    return refresh, calls


def test_outside_a_batch_each_refresh_runs_at_once():
    refresh, calls = table()
    refresh([1], items=["dspt"])
    refresh([2])
    assert calls == [([1], ["dspt"]), ([2], None)]


def test_inside_a_batch_one_refresh_on_leaving_for_all_ids_and_parts_asked():
    refresh, calls = table()
    with batched():
        refresh([1, 2], items=[])  # the IG gap alone
        refresh({2, 3}, items=["dspt"])
        refresh([4], items=["dpia", "dspt"])
        assert calls == []
    assert calls == [([1, 2, 3, 4], ["dpia", "dspt"])]


def test_a_refresh_of_every_part_wins_and_nested_batches_refresh_once():
    refresh, calls = table()
    other, other_calls = table()
    with batched():
        refresh([1], items=["dspt"])
        with batched():
            refresh([2])
            other([9])
        assert calls == other_calls == []
    assert calls == [([1, 2], None)]
    assert other_calls == [([9], None)]


def test_a_batch_that_fails_refreshes_nothing():
    refresh, calls = table()
    with pytest.raises(RuntimeError), batched():
        refresh([1])
        raise RuntimeError("the import's transaction is rolled back")
    assert calls == []
    refresh([2])
    assert calls == [([2], None)], "after the batch, refreshes run at once again"


@pytest.mark.django_db
def test_update_rows_writes_each_rows_own_values_of_every_type_and_no_other_row():
    with audit_context(source="test"):
        partnerships = [Partnership.objects.create(reference=f"P-{n:04d}", title=f"Partnership {n}") for n in range(4)]
    IGState.objects.all().delete()
    rows = IGState.objects.bulk_create(
        IGState(partnership_id=p.pk, item=IGItemType.DPIA, in_place_until=datetime.date(2026, 1, 1), in_progress=False)
        for p in partnerships
    )
    wanted = [(None, True), (datetime.date(2030, 3, 31), False), (datetime.date(9999, 12, 31), True)]
    for row, (until, in_progress) in zip(rows, wanted, strict=False):
        row.in_place_until, row.in_progress = until, in_progress
    update_rows(IGState, rows[:3], ("in_place_until", "in_progress"), batch_size=2)  # two statements
    stored = IGState.objects.order_by("pk").values_list("in_place_until", "in_progress")
    assert list(stored) == [*wanted, (datetime.date(2026, 1, 1), False)]
