"""The scratch app's rows of Accord's cross-cutting tests, as the checklist asks (``tests/rows.py``)."""

import datetime

from tests.rows import CHANGERS, OK, SAVED, Change, Export, Form, Growth, Page, only, reads
from tests.scratch_app.models import Visit


def build(w):
    """A visit to each partnership: ``visit`` (its follow-up overdue) and ``other_visit``."""
    w.visit = Visit.objects.create(
        partnership=w.partnership,
        visited_on=datetime.date(2026, 1, 5),
        follow_up_by=datetime.date(2026, 2, 1),
        note="Ward round at the Marlborough House medium secure unit.",
    )
    w.other_visit = Visit.objects.create(
        partnership=w.other_partnership, visited_on=datetime.date(2026, 1, 7), note="TalkingSpace Plus hub in Banbury."
    )


def private(w):
    return [w.visit.note, w.other_visit.note]


PAGES = {
    "scratch:list": reads(),
    "scratch:add": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, CHANGERS),
        post=only(SAVED, CHANGERS),
        data=lambda w: {"visited_on": "02/03/2026", "note": "Met the provider collaborative's leads."},
        effect=lambda w: Visit.objects.filter(partnership=w.partnership, visited_on=datetime.date(2026, 3, 2)).exists(),
    ),
}

THEIRS = {
    "scratch:add": (
        lambda w: [w.other_partnership.pk],
        lambda w: {"visited_on": "02/03/2026", "note": "Hijacked"},
    ),
}

EXPORTS = {
    "scratch:list": Export(
        key="Note",
        rows=lambda w, role: sorted([w.visit.note, w.other_visit.note]),
        filter={},
        filtered_rows=lambda w, role: sorted([w.visit.note, w.other_visit.note]),
    ),
}

AUDIT = {
    "scratch.Visit": Change(
        lambda w: Visit.objects.create(partnership=w.partnership, visited_on=datetime.date(2026, 4, 1), note="Visit"),
        "note",
        "Visit",
        None,
        None,
        parent=lambda w: w.partnership,
        actions=("create",),
    ),
}

FORMS = {
    "visit: nothing filled in": Form(
        "scratch:add",
        lambda w: [w.partnership.pk],
        lambda w: {},
        {"visited_on": "Enter the date of the visit.", "note": "Say what you saw."},
        role="owner",
    ),
}


def more_visits(w, n):
    for i in range(n):
        Visit.objects.create(partnership=w.partnership, visited_on=datetime.date(2025, 1, 1), note=f"Visit {i}")


QUERIES = {"scratch:list": Growth(more_visits)}
