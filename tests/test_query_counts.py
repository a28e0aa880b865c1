"""Pages cost the same number of queries however big the register is.

Each test builds a small data set, counts the queries one page takes, grows the data set twenty
fold, and counts again: the two counts must be equal (no query per row), and the page must show
the rows it should (so an empty page cannot pass for a cheap one).
"""

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEntry, ServiceArea, StrategicObjective
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, Headline, PartnerRole, Partnership, Status
from tests.spreadsheets import read_rows
from tests.world import make_user

PAGE_SIZE = 50
STATUSES = [Status.ACTIVE, Status.DEVELOPING, Status.UNDER_REVIEW, Status.ACTIVE, Status.CLOSED]
VALUES = [None, "50000", "250000", "1500000", "99999.99", "100000", "8600000"]
KINDS = [OrganisationKind.NHS_TRUST, OrganisationKind.VCSE, OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.ACADEMIC]


class Register:
    """A synthetic register that can grow: partnerships with 2-3 partners, a lead and objectives."""

    def __init__(self, organisations=20):
        self.leads = [
            make_user(f"lead{i}", role=Role.LEAD, first_name=f"Lead{i}", last_name="Person") for i in range(5)
        ]
        self.objectives = [
            StrategicObjective.objects.create(number=i + 1, name=name)
            for i, name in enumerate(["Outstanding care", "Great place to work", "Population health"])
        ]
        self.areas = [ServiceArea.objects.create(name=n) for n in ("Forensic services", "Community services")]
        self.organisations = []
        self.size = 0
        self.add_organisations(organisations)

    def add_organisations(self, count):
        start = len(self.organisations)
        self.organisations += Organisation.objects.bulk_create(
            Organisation(name=f"Organisation {i:04d}", name_key=f"organisation {i:04d}", kind=KINDS[i % len(KINDS)])
            for i in range(start, start + count)
        )

    def grow_to(self, total):
        start, self.size = self.size, total
        created = Partnership.objects.bulk_create(
            Partnership(
                reference=f"P-{i:04d}",
                title=f"Partnership {i:04d}",
                arrangement_type=list(ArrangementType)[i % len(ArrangementType)],
                status=STATUSES[i % len(STATUSES)],
                end_date=datetime.date(2024, 3, 31) if STATUSES[i % len(STATUSES)] == Status.CLOSED else None,
                lead=self.leads[i % len(self.leads)],
                service_area=self.areas[i % 2],
                annual_value=Decimal(VALUES[i % len(VALUES)]) if VALUES[i % len(VALUES)] else None,
                material_contribution=i % 6 == 0,
                start_date=datetime.date(2019, 4, 1),
                next_review_date=datetime.date(2023, 1, 1) + datetime.timedelta(days=37 * i),
            )
            for i in range(start, total)
        )
        orgs = self.organisations
        PartnerRole.objects.bulk_create(
            PartnerRole(partnership=p, organisation=orgs[(n + 7 * k) % len(orgs)], role="member")
            for n, p in enumerate(created, start=start)
            for k in range(2 + n % 2)
        )
        through = Partnership.strategic_objectives.through
        through.objects.bulk_create(
            through(partnership=p, strategicobjective=self.objectives[(n + k) % 3])
            for n, p in enumerate(created, start=start)
            for k in range(1 + n % 2)
        )


@pytest.fixture
def register(db):
    return Register()


@pytest.fixture
def coordinator(client, db):
    client.force_login(make_user("coord", role=Role.COORDINATOR, first_name="Ben", last_name="Cahill"))
    return client


def measure(client, url, params=None):
    """(queries, response) for one GET, after a first GET that warms per-process caches."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response


def table_rows(response):
    body = response.content.decode()
    if "<tbody" not in body:
        return 0
    return body.split("<tbody", 1)[1].split("</tbody>", 1)[0].count("<tr")


def total_shown(response):
    match = re.search(r"Showing \d+ to \d+ of (\d+)", " ".join(response.content.decode().split()))
    return int(match.group(1)) if match else 0


def _overdue(qs):
    return qs.filter(next_review_date__lt=timezone.localdate()).exclude(status=Status.CLOSED)


def _with_partner_kind(qs, kind):
    return qs.filter(Exists(PartnerRole.objects.filter(partnership=OuterRef("pk"), organisation__kind=kind)))


REGISTER_VIEWS = {
    "everything, default order": (lambda r: {}, lambda r: Partnership.objects.all()),
    "status and a tier-sorted page": (
        lambda r: {"status": "active", "sort": "tier"},
        lambda r: Partnership.objects.filter(status="active"),
    ),
    "tier 1": (
        lambda r: {"tier": "1", "sort": "-annual_value"},
        lambda r: Partnership.objects.with_tier().filter(tier=1),
    ),
    "partner kind, lead and search, sorted by lead": (
        lambda r: {"q": "Partnership", "partner_kind": "vcse", "lead": r.leads[1].pk, "sort": "-lead"},
        lambda r: _with_partner_kind(Partnership.objects.filter(lead=r.leads[1]), "vcse"),
    ),
    "objective, value range and overdue reviews": (
        lambda r: {
            "strategic_objective": r.objectives[0].pk,
            "value_min": "50000",
            "value_max": "10000000",
            "review_overdue": "on",
            "sort": "next_review_date",
        },
        lambda r: _overdue(
            Partnership.objects.filter(
                strategic_objectives=r.objectives[0], annual_value__gte=50000, annual_value__lte=10000000
            )
        ),
    ),
    "partner name, service area and type": (
        lambda r: {"partner": "Organisation 000", "service_area": r.areas[0].pk, "sort": "title"},
        lambda r: Partnership.objects.filter(
            Exists(
                PartnerRole.objects.filter(partnership=OuterRef("pk"), organisation__name__icontains="Organisation 000")
            ),
            service_area=r.areas[0],
        ),
    ),
}


@pytest.mark.parametrize("view", sorted(REGISTER_VIEWS))
def test_the_register_costs_the_same_for_10_and_200_partnerships(coordinator, register, view):
    params, expected = REGISTER_VIEWS[view]
    url = reverse("partnerships:list")
    counts = []
    for size in (10, 200):
        register.grow_to(size)
        queries, response = measure(coordinator, url, params(register))
        matching = expected(register).count()
        assert matching > 0, "the data set has rows for this view at every size"
        assert total_shown(response) == matching
        assert table_rows(response) == min(matching, PAGE_SIZE)
        counts.append(queries)
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries for 10 partnerships, {counts[1]} for 200"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_register_export_costs_the_same_for_10_and_200_partnerships(coordinator, register, fmt):
    url = reverse("partnerships:list")
    counts = []
    for size in (10, 200):
        register.grow_to(size)
        queries, response = measure(coordinator, url, {"export": fmt})
        _, rows = read_rows(response)
        assert len(rows) == size
        counts.append(queries)
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "params",
    [{}, {"kind": "vcse", "sort": "-partnership_count"}, {"q": "Organisation", "sort": "ods_code"}],
    ids=["everything", "kind, sorted by partnerships", "search, sorted by ODS code"],
)
def test_the_organisations_list_costs_the_same_for_10_and_200_organisations(coordinator, db, params):
    register = Register(organisations=10)
    register.grow_to(30)
    url = reverse("organisations:list")
    counts = []
    for size in (10, 200):
        register.add_organisations(size - len(register.organisations))
        queries, response = measure(coordinator, url, params)
        matching = Organisation.objects.filter(kind=params["kind"]).count() if "kind" in params else size
        assert table_rows(response) == min(matching, PAGE_SIZE)
        assert total_shown(response) == matching
        counts.append(queries)
    assert counts[0] == counts[1]


def add_audit_entries(total, users):
    """Real entries of several kinds, by several people (bulk-inserted: the log only reads them)."""
    kinds = [ContentType.objects.get_for_model(m) for m in (Partnership, Organisation, PartnerRole, Headline)]
    start = AuditEntry.objects.count()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            timestamp=timezone.now() - datetime.timedelta(hours=i),
            user=users[i % len(users)],
            user_name=str(users[i % len(users)]),
            action=["create", "update", "delete"][i % 3],
            object_type=kinds[i % len(kinds)],
            object_id=i,
            object_label=f"Record {i:04d}",
            changed_fields=["title"],
            before={"title": "Old"},
            after={"title": "New"},
        )
        for i in range(start, total)
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda u: {}, lambda u: AuditEntry.objects.all()),
        (lambda u: {"action": "update", "sort": "user_name"}, lambda u: AuditEntry.objects.filter(action="update")),
        (
            lambda u: {
                "object_type": ContentType.objects.get_for_model(Headline).pk,
                "user_name": "Lead1",
                "sort": "-object_label",
            },
            lambda u: AuditEntry.objects.filter(object_type__model="headline", user_name__contains="Lead1"),
        ),
    ],
    ids=["everything", "action, sorted by user", "kind and user, sorted by record"],
)
def test_the_audit_log_costs_the_same_for_10_and_200_entries(client, db, params, expected):
    users = [make_user(f"lead{i}", role=Role.LEAD, first_name=f"Lead{i}", last_name="Person") for i in range(3)]
    client.force_login(make_user("auditor", role=Role.AUDITOR))
    url = reverse("core:audit_log")
    counts = []
    for size in (10, 200):
        add_audit_entries(size, users)
        assert AuditEntry.objects.count() == size
        queries, response = measure(client, url, params(users))
        matching = expected(users).count()
        assert matching > 0
        assert table_rows(response) == min(matching, PAGE_SIZE)
        counts.append(queries)
    assert counts[0] == counts[1]


def shown_children(response):
    """(partners, headlines) listed on a partnership page, counted by their "change" links."""
    body = response.content.decode()
    partners = re.findall(r'href="/partnerships/partners/(\d+)/edit/"', body)
    headlines = re.findall(r'href="/partnerships/headlines/(\d+)/edit/"', body)
    return len(set(partners)), len(set(headlines))


def test_a_partnership_page_costs_the_same_with_1_or_20_partners_and_headlines(coordinator, register):
    register.grow_to(1)
    partnership = Partnership.objects.get()
    PartnerRole.objects.filter(partnership=partnership).exclude(pk=PartnerRole.objects.first().pk).delete()
    partnership.delegates.add(register.leads[2])
    Headline.objects.create(partnership=partnership, text="First headline", author=register.leads[0])
    url = reverse("partnerships:detail", args=[partnership.pk])

    small, response = measure(coordinator, url)
    assert shown_children(response) == (1, 1)

    register.add_organisations(20)
    existing = set(partnership.partner_roles.values_list("organisation", flat=True))
    fresh = itertools.islice((o for o in register.organisations if o.pk not in existing), 19)
    PartnerRole.objects.bulk_create(PartnerRole(partnership=partnership, organisation=o) for o in fresh)
    Headline.objects.bulk_create(
        Headline(partnership=partnership, text=f"Headline {i}", author=register.leads[i % 5]) for i in range(19)
    )
    partnership.delegates.add(*register.leads[3:])
    partnership.strategic_objectives.add(*register.objectives)
    large, response = measure(coordinator, url)
    assert shown_children(response) == (20, 20)
    assert small == large, f"{small} queries with 1 partner, {large} with 20"
