"""Small builders for the governance tests: a body with terms of reference and members, a
meeting with attendance. Every write goes through ``governance.services`` or ``full_clean``."""

import datetime
import zoneinfo

from governance import services
from governance.models import Attendance, Body, BodyKind, Meeting, Membership, TermsOfReference
from organisations.models import Organisation

LONDON = zoneinfo.ZoneInfo("Europe/London")


def organisation(name, kind="nhs_trust"):
    return Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def body(name="Joint Commissioning Co-ordinators Committee", kind=BodyKind.JOINT_COMMITTEE, **terms):
    b = Body(name=name, kind=kind)
    b.full_clean()
    b.save()
    tor = TermsOfReference(body=b, effective_from=datetime.date(2018, 1, 1), **terms)
    tor.full_clean()
    tor.save()
    return b


def member(b, name, org, role="member", voting=True, deputy_for=None, starts=datetime.date(2018, 1, 1), ends=None):
    m = Membership(
        body=b,
        name=name,
        organisation=org,
        role=role,
        voting=voting,
        deputy_for=deputy_for,
        starts_on=starts,
        ends_on=ends,
    )
    m.full_clean()
    m.save()
    return m


def meeting(b, when=datetime.datetime(2026, 3, 12, 14, 0, tzinfo=LONDON), place="Civic Office, Doncaster"):
    return services.schedule_meeting(Meeting(body=b, starts_at=when, place=place))


def attend(mtg, *members, absent=()):
    for m in members:
        services.record_attendance(Attendance(meeting=mtg, membership=m, present=m not in absent))
