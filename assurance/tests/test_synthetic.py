"""``manage.py seed_bench``: the synthetic register's information governance (``assurance.synthetic``).

DSPT statuses and years on the organisations, levels of data sharing on the partnerships and IG
items in every state: valid, audited like the rest of the register, repeatable for a seed, and
varied enough that the IG status the selectors compute takes every value.
"""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Prefetch

from assurance import ig_state
from assurance.models import ITEMS, Assurance, IGItem, IGItemType
from assurance.selectors import (
    counted,
    gap_rows,
    has_gaps,
    partnership_ig,
    record_status,
    required_condition,
    requirement_matrix,
    status_expression,
)
from assurance.synthetic import IGGenerator
from core.dates import local_today
from core.models import AuditEntry
from organisations.dspt import DsptStatus, is_current_year
from organisations.models import Organisation
from partnerships.models import DataSharing, Partnership
from partnerships.synthetic import seed_bench

pytestmark = pytest.mark.django_db

STATES = set(Assurance.values)


def seed(count=200, *flags):
    out = StringIO()
    call_command("seed_bench", "--partnerships", str(count), "--risks", "0", *flags, stdout=out)
    return out.getvalue()


def sql_statuses(today, matrix):
    """{item: Counter of statuses} over the required items of every partnership that counts, as
    the gaps page and the register's filter compute them (SQL)."""
    partnerships = counted(Partnership.objects.all())
    found = {}
    for item in ITEMS:
        required = required_condition(item, matrix)
        if required is not None:
            rows = partnerships.filter(required).annotate(ig=status_expression(item, today))
            found[item] = Counter(rows.values_list("ig", flat=True))
    return found


def test_the_selectors_find_every_state_on_a_synthetic_register_of_200():
    out = seed(200)
    today, matrix = local_today(), requirement_matrix()
    statuses = sql_statuses(today, matrix)

    everything = sum(statuses.values(), Counter())
    assert set(everything) == STATES, everything
    # The recorded items (an ISA, required at every level but "none") and the partners' DSPT,
    # read from the organisations, each take every value.
    assert set(statuses[IGItemType.ISA]) == STATES, statuses[IGItemType.ISA]
    assert set(statuses[IGItemType.PARTNER_DSPT]) == STATES, statuses[IGItemType.PARTNER_DSPT]
    # Mostly in place, but plenty of gaps.
    assert everything[Assurance.IN_PLACE] > everything.total() / 3
    assert everything[Assurance.MISSING] > 0

    open_partnerships = counted(Partnership.objects.all())
    with_gaps = open_partnerships.filter(has_gaps(today)).count()
    assert 0 < with_gaps < open_partnerships.count()
    # The derived IG gaps (assurance.ig_state) name the very partnerships the per-item rules do.
    gapped = {row["pk"] for row in gap_rows(today, matrix=matrix).all_rows()}
    assert set(open_partnerships.filter(has_gaps(today)).values_list("pk", flat=True)) == gapped
    levels = set(Partnership.objects.values_list("data_sharing", flat=True))
    assert levels == {"", *DataSharing.values}, "every level of data sharing, and some not assessed"
    assert gap_rows(today, matrix=matrix).count() >= with_gaps
    assert f", {IGItem.objects.count():,} IG items" in out
    assert ig_state.rebuild() == 0  # the bulk writes kept the derived IG state in step


def test_the_page_rules_and_the_sql_agree_on_the_synthetic_register():
    """The partnership page's status (Python) of every required item is the gaps page's (SQL)."""
    seed(120)
    today, matrix = local_today(), requirement_matrix()
    partnerships = counted(Partnership.objects.all()).prefetch_related(
        Prefetch("ig_items", queryset=IGItem.objects.prefetch_related("documents")),
        "agreements",
        "partner_roles__organisation",
    )
    in_python = Counter()
    for p in partnerships:
        for state in partnership_ig(p, today, matrix).items:
            in_python[(state.item, str(state.status))] += 1
    in_sql = Counter(
        {(item, status): n for item, counts in sql_statuses(today, matrix).items() for status, n in counts.items()}
    )
    assert in_python == in_sql


def test_every_ig_record_and_dspt_is_valid_and_audited():
    seed(200)
    items = IGItem.objects.select_related("partnership")
    assert items.count() > 100
    for item in items:
        item.full_clean()  # in place: approved (not in the future) with a review date after it
    created = AuditEntry.objects.filter(action="create", source="bench")
    assert created.filter(object_type__model="igitem").count() == items.count()
    assert set(items.values_list("status", flat=True)) == {"in_place", "in_progress"}

    organisations = Organisation.objects.filter(is_home_trust=False)
    for org in organisations:
        org.full_clean()  # a status has a year, never a later one than this financial year's
    recorded = Counter(organisations.values_list("dspt_status", flat=True))
    assert {"", DsptStatus.STANDARDS_MET, DsptStatus.APPROACHING_STANDARDS} <= set(recorded), recorded
    assert len(recorded) >= 4 and recorded[DsptStatus.STANDARDS_MET] > organisations.count() / 3, recorded
    today = local_today()
    stale = [o for o in organisations.exclude(dspt_status="") if not is_current_year(o.dspt_year, today)]
    assert 0 < len(stale) < organisations.exclude(dspt_status="").count() / 2
    # The DSPT is written with the organisation, so its "created" entry shows it.
    org = organisations.exclude(dspt_status="").first()
    entry = created.get(object_type__model="organisation", object_id=org.pk)
    assert entry.after["dspt_status"] == org.get_dspt_status_display()
    assert entry.after["dspt_year"] == org.dspt_year


def snapshot():
    """The synthetic register's IG, by natural keys (primary keys differ between databases)."""
    return (
        sorted(Organisation.objects.values_list("name", "dspt_status", "dspt_year")),
        sorted(Partnership.objects.values_list("reference", "title", "data_sharing", "status")),
        sorted(
            IGItem.objects.values_list("partnership__reference", "item", "status", "approved_on", "review_on", "notes")
        ),
    )


def seeded_then_undone(**options):
    with transaction.atomic():
        seed_bench(150, risks=0, **options)
        found = snapshot()
        transaction.set_rollback(True)
    return found


def test_the_same_seed_gives_the_same_ig_and_the_ig_changes_nothing_else():
    first = seeded_then_undone(seed=5)
    assert first[2], "IG items were made"
    assert seeded_then_undone(seed=5) == first
    assert seeded_then_undone(seed=6)[2] != first[2]

    without = seeded_then_undone(seed=5, ig=False)
    assert without[2] == []
    assert {dspt for _, dspt, _ in without[0]} == {""}
    assert without[1] == first[1], "the partnerships drawn do not depend on the IG data"
    assert [name for name, _, _ in without[0]] == [name for name, _, _ in first[0]]


def test_an_item_in_each_state_is_what_the_selectors_call_it():
    """The generator's three states read back as in place, in progress and expired."""
    gen = IGGenerator(seed=1, today=local_today())
    p = Partnership(reference="P-1", title="One", arrangement_type="mou", data_sharing="personal")
    for state in ("in_place", "in_progress", "expired"):
        for _ in range(50):
            item = gen.item(p, IGItemType.DPIA, state)
            assert record_status(item, gen.today) == state
