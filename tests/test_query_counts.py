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
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from agreements import lifecycle
from agreements.models import (
    ENDED_STATUSES,
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Consultation,
    Indicator,
    Milestone,
    MilestoneStatus,
    ScopeItem,
)
from agreements.selectors import local_today
from core.audit import audit_context
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


# --- agreements ------------------------------------------------------------------------------------


def today():
    return local_today()


def agreements_of(partnerships, start=0):
    """One agreement per partnership, in one of four situations by its index:

    0: in force, the term ending within 90 days; 1: approved, one party not yet signed;
    2: a draft with an overdue milestone; 3: in force for years, its past milestone complete.
    Written in bulk: these tests read agreements, the lifecycle tests write them.
    """
    orgs = list(Organisation.objects.order_by("pk")[:20])
    kinds = list(AgreementKind)
    rows = []
    for n, p in enumerate(partnerships, start=start):
        variant = n % 4
        status = [AgreementStatus.IN_FORCE, AgreementStatus.APPROVED, AgreementStatus.DRAFT][min(variant, 2)]
        if variant == 3:
            status = AgreementStatus.IN_FORCE
        term_end = today() + datetime.timedelta(days=5 + n % 80 if variant == 0 else 400 + n)
        rows.append(
            Agreement(
                partnership=p,
                kind=kinds[n % len(kinds)],
                title=f"Agreement {n:04d}",
                legally_binding=["no", "yes", "except"][n % 3],
                binding_exceptions="Confidentiality" if n % 3 == 2 else "",
                status=status,
                term_end_date=term_end,
            )
        )
    created = Agreement.objects.bulk_create(rows)
    signed_on = today() - datetime.timedelta(days=100)
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=a,
            organisation=orgs[(n + 7 * k) % len(orgs)],
            signed_on=None if (n % 4 == 2 or (n % 4 == 1 and k == 1)) else signed_on,
            signatory_name="" if n % 4 == 2 else f"Signatory {n}-{k}",
        )
        for n, a in enumerate(created, start=start)
        for k in range(2)
    )
    Milestone.objects.bulk_create(
        Milestone(
            agreement=a,
            title=f"Milestone of agreement {n:04d}",
            due_date=today() - datetime.timedelta(days=1 + n % 5)
            if n % 4 in (2, 3)
            else today() + datetime.timedelta(days=30),
            status=MilestoneStatus.COMPLETE if n % 4 == 3 else MilestoneStatus.ON_TRACK,
        )
        for n, a in enumerate(created, start=start)
    )
    return created


class Portfolio(Register):
    """The synthetic register, each partnership with an agreement (``agreements_of``)."""

    def grow_to(self, total):
        start = self.size
        super().grow_to(total)
        agreements_of(Partnership.objects.order_by("reference")[start:total], start=start)


@pytest.fixture
def portfolio(db):
    return Portfolio()


def _overdue_milestone(qs):
    late = Milestone.objects.filter(due_date__lt=today()).exclude(status=MilestoneStatus.COMPLETE)
    return qs.filter(pk__in=late.values("agreement")).exclude(status__in=ENDED_STATUSES)


AGREEMENT_LIST_VIEWS = {
    "everything, default order": ({}, lambda: Agreement.objects.all()),
    "milestone overdue, newest commencement first": (
        {"condition": "milestone_overdue", "sort": "-commencement_on"},
        lambda: _overdue_milestone(Agreement.objects.all()),
    ),
    "expiring within 90 days, by term end": (
        {"condition": "expiring_90_days", "sort": "term_end_date"},
        lambda: Agreement.objects.filter(
            status=AgreementStatus.IN_FORCE, term_end_date__lte=today() + datetime.timedelta(days=90)
        ),
    ),
    "unsigned by a party, by partnership": (
        {"condition": "unsigned_by_a_party", "sort": "-partnership"},
        lambda: Agreement.objects.filter(status=AgreementStatus.APPROVED, parties__signed_on__isnull=True).distinct(),
    ),
    "kind, binding and search, sorted by title": (
        {"q": "Agreement", "kind": "mou", "legally_binding": "no", "sort": "-title"},
        lambda: Agreement.objects.filter(kind="mou", legally_binding="no"),
    ),
    "party and status, sorted by status": (
        {"party": "Organisation 000", "status": "in_force", "sort": "status"},
        lambda: Agreement.objects.filter(
            status="in_force", parties__organisation__name__startswith="Organisation 000"
        ).distinct(),
    ),
}


@pytest.mark.parametrize("view", sorted(AGREEMENT_LIST_VIEWS))
def test_the_agreements_list_costs_the_same_for_10_and_100_agreements(coordinator, portfolio, view):
    params, expected = AGREEMENT_LIST_VIEWS[view]
    url = reverse("agreements:list")
    counts = []
    for size in (10, 100):
        portfolio.grow_to(size)
        assert Agreement.objects.count() == size
        queries, response = measure(coordinator, url, params)
        matching = expected().count()
        assert matching > 0, "the data set has rows for this view at every size"
        assert total_shown(response) == matching
        assert table_rows(response) == min(matching, PAGE_SIZE)
        counts.append(queries)
    assert counts[0] == counts[1], f"{view}: {counts[0]} queries for 10 agreements, {counts[1]} for 100"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("params", [{}, {"condition": "milestone_overdue", "sort": "term_end_date"}])
def test_an_agreements_export_costs_the_same_for_10_and_100_agreements(coordinator, portfolio, params, fmt):
    url = reverse("agreements:list")
    counts = []
    for size in (10, 100):
        portfolio.grow_to(size)
        queries, response = measure(coordinator, url, {**params, "export": fmt})
        headers, rows = read_rows(response)
        expected = _overdue_milestone(Agreement.objects.all()) if params else Agreement.objects.all()
        assert sorted(r[headers.index("Title")] for r in rows) == sorted(expected.values_list("title", flat=True))
        assert all(r[headers.index("Parties")] for r in rows), "every row names its parties"
        counts.append(queries)
    assert counts[0] == counts[1], f"{counts[0]} queries for 10 agreements, {counts[1]} for 100"


def section_rows(response, section):
    """The rows of the table in one section (``<h2 id=...>``) of a page."""
    body = response.content.decode()
    match = re.search(rf'<h2 id="{section}">(.*?)(?:<h2 id=|$)', body, flags=re.S)
    assert match, f"the page has a {section} section"
    return table_rows(type("R", (), {"content": match.group(1).encode()}))


def add_to_agreement(agreement, count, start, users):
    """``count`` more parties (half of them signed, with a signed copy), milestones, documents,
    rounds of comment, scope items and indicators."""
    orgs = list(Organisation.objects.order_by("pk")[start : start + count])
    assert len(orgs) == count
    documents = AgreementDocument.objects.bulk_create(
        AgreementDocument(
            agreement=agreement,
            kind="signed_copy" if i % 2 else "draft",
            title=f"Document {i}",
            version=i + 1,
            file=f"agreements/{i:02d}/{i:064d}",
            original_name=f"Document {i}.pdf",
            content_type="application/pdf",
            size=1000 + i,
            sha256=f"{i:064d}",
            uploaded_by=users[i % len(users)],
        )
        for i in range(start, start + count)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=agreement,
            organisation=org,
            signatory_name=f"Signatory {i}" if i % 2 else "",
            signatory_position="Chief Executive" if i % 2 else "",
            signed_on=today() - datetime.timedelta(days=i) if i % 2 else None,
            signed_copy=document if i % 2 else None,
            recorded_by=users[i % len(users)] if i % 2 else None,
        )
        for i, (org, document) in enumerate(zip(orgs, documents, strict=True), start=start)
    )
    Milestone.objects.bulk_create(
        Milestone(
            agreement=agreement,
            title=f"Milestone {i}",
            due_date=today() + datetime.timedelta(days=i - 3),
            owner=f"Owner {i}",
            status=list(MilestoneStatus)[i % 4],
        )
        for i in range(start, start + count)
    )
    Consultation.objects.bulk_create(
        Consultation(agreement=agreement, body=f"Board {i}", date=today() - datetime.timedelta(days=i))
        for i in range(start, start + count)
    )
    ScopeItem.objects.bulk_create(
        ScopeItem(agreement=agreement, title=f"Work stream {i}") for i in range(start, start + count)
    )
    Indicator.objects.bulk_create(
        Indicator(agreement=agreement, measure=f"Measure {i}") for i in range(start, start + count)
    )


SECTIONS = ("parties", "comment", "documents", "scope", "milestones", "indicators")


@pytest.mark.parametrize("role", ["coordinator", "lead"])
def test_an_agreement_page_costs_the_same_with_1_or_15_of_each_record(client, register, role):
    register.grow_to(1)
    partnership = Partnership.objects.get()
    viewer = make_user(f"viewer-{role}", role=role, first_name="Vi", last_name="Ewer")
    if role == "lead":
        partnership.delegates.add(viewer)
    client.force_login(viewer)
    agreement = Agreement.objects.create(partnership=partnership, kind="mou", title="Memorandum of understanding")
    lifecycle.send_for_comment(agreement)
    add_to_agreement(agreement, 1, 0, register.leads)
    lifecycle.approve(agreement)
    url = agreement.get_absolute_url()

    small, response = measure(client, url)
    assert [section_rows(response, s) for s in SECTIONS] == [1] * len(SECTIONS)

    add_to_agreement(agreement, 14, 1, register.leads)
    with audit_context(user=register.leads[0]):
        for milestone in agreement.milestones.all()[:5]:
            milestone.owner = "Someone else"
            milestone.save()
    large, response = measure(client, url)
    assert [section_rows(response, s) for s in SECTIONS] == [15] * len(SECTIONS)
    body = response.content.decode()
    assert body.count("Record signature<span") == 8, "each of the 8 unsigned parties can be signed for"
    assert "Overdue</strong>" in body
    assert small == large, f"{small} queries with 1 of each record, {large} with 15"


def attention_panel(response):
    """(items listed, the "and N more" count) of the register's "needs attention" panel."""
    body = " ".join(response.content.decode().split())
    match = re.search(r'id="needs-attention">(.*?)</div> </div>', body, flags=re.S)
    if not match:
        return 0, 0
    more = re.search(r"And (\d+) more", match.group(1))
    return match.group(1).count("<li>"), int(more.group(1)) if more else 0


def attention_due(lead):
    """What the lead's panel must list: own agreements in force ending within 90 days (or ended),
    and overdue milestones of own agreements that have not ended."""
    own = Partnership.objects.filter(Q(lead=lead) | Q(delegates=lead)).values("pk")
    expiring = Agreement.objects.filter(
        partnership__in=own, status=AgreementStatus.IN_FORCE, term_end_date__lte=today() + datetime.timedelta(days=90)
    )
    late = Milestone.objects.filter(
        agreement__partnership__in=own, due_date__lt=today(), agreement__status__in=LIVE_STATUSES
    ).exclude(status=MilestoneStatus.COMPLETE)
    return expiring.count() + late.count()


LIVE_STATUSES = [s for s in AgreementStatus if s not in ENDED_STATUSES]


def _partnerships_with(condition):
    agreements = {
        "milestone_overdue": _overdue_milestone(Agreement.objects.all()),
        "expiring_90_days": Agreement.objects.filter(
            status=AgreementStatus.IN_FORCE, term_end_date__lte=today() + datetime.timedelta(days=90)
        ),
        "unsigned_by_a_party": Agreement.objects.filter(
            status=AgreementStatus.APPROVED, parties__signed_on__isnull=True
        ),
    }
    if condition == "no_signed_agreement":
        return Partnership.objects.exclude(agreements__status=AgreementStatus.IN_FORCE)
    return Partnership.objects.filter(pk__in=agreements[condition].values("partnership"))


@pytest.mark.parametrize(
    "params",
    [
        {"agreements": "milestone_overdue"},
        {"agreements": "expiring_90_days", "sort": "title"},
        {"agreements": "unsigned_by_a_party", "status": "active"},
        {"agreements": "no_signed_agreement", "sort": "-lead"},
    ],
    ids=lambda p: p["agreements"],
)
def test_the_register_with_an_agreement_filter_and_the_attention_panel_costs_the_same(client, portfolio, params):
    """A lead's register, filtered by agreements, with their "needs attention" panel above it."""
    lead = portfolio.leads[0]
    client.force_login(lead)
    url = reverse("partnerships:list")
    counts = []
    for size in (10, 100):
        portfolio.grow_to(size)
        if size == 100:  # delegated on two more partnerships: more than the panel shows
            lead.delegated_partnerships.add(*Partnership.objects.filter(reference__in=["P-0002", "P-0006"]))
        queries, response = measure(client, url, {**params, "partnerships": "all"})  # not only the lead's own
        expected = _partnerships_with(params["agreements"])
        if "status" in params:
            expected = expected.filter(status=params["status"])
        matching = expected.count()
        assert matching > 0
        assert total_shown(response) == matching
        assert table_rows(response) == min(matching, PAGE_SIZE)
        due = attention_due(lead)
        assert due > 0
        assert attention_panel(response) == (min(due, 10), max(due - 10, 0))
        counts.append(queries)
    assert attention_due(lead) > 10, "at 100 partnerships the panel has more than it shows"
    assert counts[0] == counts[1], f"{counts[0]} queries for 10 partnerships, {counts[1]} for 100"


# --- risk profiles on the register -----------------------------------------------------------------


def risks_of(partnerships, start=0):
    """Risks in bulk for each partnership, by its index: none (n % 4 == 0), or two to four risks
    in some of the six domains, some escalated, some past their review date, one closed; and
    "no significant risk" in the other domains of every third, which makes it complete."""
    from risks.models import NoSignificantRisk, Risk, RiskDomain

    domains = list(RiskDomain.values)
    risks, records = [], []
    for n, p in enumerate(partnerships, start=start):
        if n % 4 == 0:
            continue
        used = domains[: 2 + n % 3]
        for k, domain in enumerate(used):
            likelihood, consequence = 1 + (n + k) % 5, 1 + (2 * n + k) % 5
            closed = k == 1 and n % 5 == 0
            risks.append(
                Risk(
                    partnership=p,
                    domain=domain,
                    title=f"Risk {n}-{k}",
                    description="Cause, event and effect.",
                    owner="Owner",
                    inherent_likelihood=likelihood,
                    inherent_consequence=consequence,
                    current_likelihood=likelihood,
                    current_consequence=consequence,
                    target_likelihood=1,
                    target_consequence=1,
                    treatment="treat",
                    review_date=today() + datetime.timedelta(days=-3 if (n + k) % 7 == 0 else 60),
                    status="closed" if closed else "open",
                    closed_on=today() if closed else None,
                )
            )
        if n % 3 == 0:
            records += [NoSignificantRisk(partnership=p, domain=d) for d in domains if d not in used]
    Risk.objects.bulk_create(risks)
    NoSignificantRisk.objects.bulk_create(records)


class RiskRegister(Register):
    """The synthetic register with risk profiles (``risks_of``)."""

    def grow_to(self, total):
        start = self.size
        super().grow_to(total)
        risks_of(Partnership.objects.order_by("reference")[start:total], start=start)


def _profiles(status):
    from risks.selectors import filter_by_profile

    return filter_by_profile(Partnership.objects.all(), status)


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "-risk_highest_score"},
        {"risk_profile": "complete"},
        {"risk_profile": "review_overdue", "sort": "risk_highest_score"},
        {"risk_profile": "incomplete", "status": "active", "sort": "-title"},
        {"risk_profile": "not_required"},
    ],
    ids=lambda p: ", ".join(f"{k}={v}" for k, v in p.items()),
)
def test_the_register_with_risk_profiles_costs_the_same_for_10_and_200_partnerships(coordinator, db, params):
    """The "Risk profile" and "Highest current score" columns, their sort and the profile filter."""
    register = RiskRegister()
    url = reverse("partnerships:list")
    counts = []
    for size in (10, 200):
        register.grow_to(size)
        queries, response = measure(coordinator, url, params)
        expected = _profiles(params["risk_profile"]) if "risk_profile" in params else Partnership.objects.all()
        if "status" in params:
            expected = expected.filter(status=params["status"])
        matching = expected.count()
        assert matching > 0, "the data set has rows for this view at every size"
        assert total_shown(response) == matching
        assert table_rows(response) == min(matching, PAGE_SIZE)
        body = response.content.decode().split("<tbody", 1)[1]
        labels = (">Complete<", ">Incomplete<", ">Review overdue<", ">Not required<")
        assert sum(body.count(label) for label in labels) == table_rows(response), "every row shows its profile"
        counts.append(queries)
    assert counts[0] == counts[1], f"{counts[0]} queries for 10 partnerships, {counts[1]} for 200"
