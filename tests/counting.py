"""What the query-count tests share: a synthetic register that grows, and how a page is measured.

Each test builds a small data set, counts the queries one page takes, grows the data set twenty
fold, and counts again: the two counts must be equal (no query per row), and the page must show
the rows it should (so an empty page cannot pass for a cheap one).
"""

import datetime
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import ServiceArea, StrategicObjective
from core.roles import Role
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, PartnerRole, Partnership, Status
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
