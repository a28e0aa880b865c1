"""Small builders for the IG tests: organisations with DSPT statuses, partnerships, IG records and
agreements in a given state.

Agreements are written with ``bulk_create`` in the state a case needs (these tests read agreements;
the agreements' own tests check how the lifecycle reaches each state), and recorded with
``core.audit.record_bulk`` as every bulk write is, which keeps the derived IG state in step.
"""

import datetime

from agreements.models import Agreement, AgreementKind, AgreementStatus
from assurance.models import IGItem, IGItemType, RecordedStatus
from core.audit import record_bulk
from core.dates import local_today
from core.roles import Role
from organisations.dspt import expected_year, year_starting
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, DataSharing, PartnerRole, Partnership, Status
from tests.world import make_user

DAY = datetime.timedelta(days=1)


def today():
    return local_today()


def current_year():
    """The assessment year expected today: a status of this year is current."""
    return expected_year(today())


def last_year():
    """The year before: a status of this year is not current."""
    return year_starting(int(current_year()[:4]) - 1)


def organisation(name, status="", year=None, home=False, kind=OrganisationKind.VCSE):
    """An organisation with a DSPT status; ``year`` defaults to the current one when a status is given."""
    if status and year is None:
        year = current_year()
    return Organisation.objects.create(
        name=name, kind=kind, dspt_status=status, dspt_year=year or "", is_home_trust=home
    )


def home_trust():
    return Organisation.objects.filter(is_home_trust=True).first() or organisation(
        "Oxford Health NHS Foundation Trust", home=True, kind=OrganisationKind.FOUNDATION_TRUST
    )


_counter = {"n": 0}


def partnership(
    arrangement_type=ArrangementType.MOU, data_sharing="personal", partners=(), lead=None, status=Status.ACTIVE, **extra
):
    _counter["n"] += 1
    n = _counter["n"]
    p = Partnership.objects.create(
        reference=extra.pop("reference", f"IG-{n:04d}"),
        title=extra.pop("title", f"Partnership {n}"),
        arrangement_type=arrangement_type,
        data_sharing=data_sharing,
        status=status,
        lead=lead,
        end_date=extra.pop("end_date", datetime.date(2024, 3, 31) if status == Status.CLOSED else None),
        **extra,
    )
    PartnerRole.objects.create(partnership=p, organisation=home_trust())
    for org in partners:
        PartnerRole.objects.create(partnership=p, organisation=org)
    return p


def record(p, item, status=RecordedStatus.IN_PLACE, approved_on=None, review_on=None, notes=""):
    """An IG record. In place: approved a year ago and due for review in a year, unless told otherwise."""
    if status == RecordedStatus.IN_PLACE:
        approved_on = approved_on or today() - 365 * DAY
        review_on = review_on or today() + 365 * DAY
    return IGItem.objects.create(
        partnership=p, item=item, status=status, approved_on=approved_on, review_on=review_on, notes=notes
    )


def agreement(p, kind=AgreementKind.INFORMATION_SHARING, status=AgreementStatus.IN_FORCE, term_end_date=None):
    (made,) = Agreement.objects.bulk_create(
        [
            Agreement(
                partnership=p,
                kind=kind,
                title=f"{AgreementKind(kind).label} ({status})",
                status=status,
                term_end_date=term_end_date,
            )
        ]
    )
    record_bulk([made])
    return made


I = IGItemType  # noqa: E741
LEVELS = ["", *DataSharing.values]
DSPT = [
    ("standards_met", None),
    ("standards_exceeded", None),
    ("", ""),
    ("approaching_standards", None),
    ("standards_met", "stale"),
    ("not_published", None),
    ("standards_not_met", None),
]


class Register:
    """A register that can grow, each partnership's situation chosen by its index."""

    def __init__(self):
        self.leads = [
            make_user(f"lead{i}", role=Role.LEAD, first_name=f"Lead{i}", last_name="Person") for i in range(4)
        ]
        self.partners = [
            organisation(f"Partner {n}", status, last_year() if year == "stale" else year)
            for n, (status, year) in enumerate(DSPT)
        ]
        self.size = 0

    def grow_to(self, total):
        for n in range(self.size, total):
            self.add(n)
        self.size = total

    def add(self, n):
        arrangement_type = list(ArrangementType)[n % len(ArrangementType)]
        level = LEVELS[(n // 3) % len(LEVELS)]
        status = Status.CLOSED if n % 13 == 12 else Status.ACTIVE
        partners = [self.partners[n % len(self.partners)]] if n % 11 else []
        if n % 4 == 0:
            partners.append(self.partners[(n // 4) % len(self.partners)])
        p = partnership(
            arrangement_type,
            level,
            partners=list({o.pk: o for o in partners}.values()),
            lead=self.leads[n % len(self.leads)] if n % 7 else None,
            status=status,
            reference=f"P-{n:04d}",
            title=f"Partnership {n:04d}",
        )
        variant = n % 6
        if variant == 1:
            record(p, I.ISA)
            record(p, I.DPIA, RecordedStatus.IN_PROGRESS)
        elif variant == 2:
            record(p, I.DPIA, review_on=today())  # expiry today: still in place
            record(p, I.ROPA, review_on=today() - DAY)  # expired yesterday
            agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.DRAFT)
        elif variant == 3:
            agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.IN_FORCE, today() + 30 * DAY)
            agreement(p, AgreementKind.DATA_PROCESSING, AgreementStatus.SUPERSEDED)
            record(p, I.PRIVACY_NOTICE)
        elif variant == 4:
            agreement(p, AgreementKind.INFORMATION_SHARING, AgreementStatus.IN_FORCE, today() - DAY)
            for item in (I.DPIA, I.JOINT_CONTROLLER, I.CALDICOTT, I.PRIVACY_NOTICE, I.ROPA, I.DPA):
                record(p, item)
        return p
