"""The reads of incidents: the lists' querysets, a partnership's incidents and what needs attention."""

import datetime
from dataclasses import dataclass

from django.db.models import DateField, F, Prefetch, Value
from django.db.models.functions import Cast
from django.utils.text import Truncator

from core.dates import day
from core.permissions import grant, scope
from incidents.models import STILL_OPEN, Incident
from organisations.models import Organisation

ATTENTION_DAYS = 28
PANEL_SIZE = 10


def incident_list():
    return Incident.objects.select_related("partnership", "reported_by")


def learning_digest():
    """The incidents whose learning was agreed, with the partners each is shared with (one query a
    page). Only the columns the digest shows are read: its download runs to thousands of rows."""
    own = [f.attname for f in Incident._meta.concrete_fields]
    return (
        incident_list()
        .learning_agreed_between()
        .only(*own, "partnership__reference", "partnership__title", "reported_by__name")
        .prefetch_related(Prefetch("shared_with", queryset=Organisation.objects.only("name").order_by("name")))
    )


def partnership_incidents(user, partnership):
    """(the latest incidents of ``partnership`` the user may see, how many there are, how many still open)."""
    visible = scope(user, "view", Incident.objects.filter(partnership=partnership))
    latest = list(visible.select_related("reported_by")[: PANEL_SIZE + 1])
    return latest[:PANEL_SIZE], len(latest) > PANEL_SIZE, sum(1 for i in latest if i.status in STILL_OPEN)


@dataclass(frozen=True)
class IncidentOpenTooLong:
    """An incident still open or under review more than four weeks after it was recorded."""

    incident: Incident
    due: datetime.date
    tag: str = "Incident open"
    colour: str = "orange"

    @property
    def title(self):
        return f"{self.incident.get_kind_display()}: {Truncator(self.incident.summary).chars(80)}"

    @property
    def url(self):
        return self.incident.get_absolute_url()

    @property
    def reference(self):
        return self.incident.partnership.reference

    @property
    def message(self):
        return (
            f"Recorded on {day(self.incident.recorded_on)} and still {self.incident.get_status_display().lower()}: "
            "review it and agree the learning."
        )


def open_too_long_rows(user, today):
    """The incidents of the partnerships the user leads open or under review for more than 28 days."""
    if grant(user, "view", Incident) is None:
        return Incident.objects.none()
    since = today - datetime.timedelta(days=ATTENTION_DAYS)
    incidents = Incident.objects.filter(partnership__lead=user, status__in=STILL_OPEN, recorded_on__lt=since)
    late = Value(datetime.timedelta(days=ATTENTION_DAYS))
    return incidents.select_related("partnership").annotate(attention_due=Cast(F("recorded_on") + late, DateField()))


def open_too_long_item(incident, today):
    return IncidentOpenTooLong(incident, incident.attention_due)
