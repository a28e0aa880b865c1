"""The agreements pages, and the register's agreement filters and attention panel, cost the same number of
queries however many agreements there are."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services
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
from core import registry
from core.attention import Queue
from core.audit import audit_context
from core.dates import local_today
from organisations.models import Organisation
from partnerships.models import Partnership, Status
from tests.counting import PAGE_SIZE, Register, measure, table_rows, total_shown
from tests.spreadsheets import read_rows
from tests.world import make_user


def _overdue(qs):
    return qs.filter(next_review_date__lt=timezone.localdate()).exclude(status=Status.CLOSED)


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
    services.send_for_comment(agreement)
    add_to_agreement(agreement, 1, 0, register.leads)
    services.approve(agreement)
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


def measure_panel(client):
    """(queries, response) for the "needs attention" panel as the register's htmx asks for it."""
    client.get(reverse("core:attention"), headers={"HX-Request": "true"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:attention"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    return len(queries), response


def attention_panel(response):
    """(items listed, whether it says there are more) of the register's "needs attention" panel."""
    body = " ".join(response.content.decode().split())
    match = re.search(r'id="needs-attention">(.*?)</div> </div>', body, flags=re.S)
    if not match:
        return 0, 0
    return match.group(1).count("<li>"), "And more: see" in match.group(1)


def attention_due(lead):
    """How many items the lead's panel has to choose from: every kind's (``core.attention``)."""
    return Queue(lead).count()


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
    """A lead's register, filtered by agreements, and the "needs attention" panel it loads above it."""
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
        panel_queries, panel = measure_panel(client)
        assert attention_panel(panel) == (min(due, 10), due > 10)
        counts.append((queries, panel_queries))
    assert attention_due(lead) > 10, "at 100 partnerships the panel has more than it shows"
    assert counts[0][0] == counts[1][0], (
        f"the register: {counts[0][0]} queries for 10 partnerships, {counts[1][0]} for 100"
    )
    # The panel: one query for the first items of every kind together, one for each kind among
    # them, one for their owners, and the session's: never more, whatever the register's size.
    most = len(registry.attention_sources()) + 4
    assert max(counts[0][1], counts[1][1]) <= most, f"the panel: {counts} queries, at most {most} allowed"
