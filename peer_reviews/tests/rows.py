"""The peer reviews' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

import datetime

from core.dates import local_today
from peer_reviews import services
from peer_reviews.models import KeyQuestion, ReviewAction, ReviewArea, ReviewRound, findings_field
from tests.rows import NHS_NUMBER_SHOWN, Change, Export, Form, Growth, Stale, changes, edits, pk_of, reads
from tests.world import NHS_NUMBER, day


def _round(w, partnership, title, organisation, owner):
    """A round of ``partnership`` (its five default areas), its first area rated and an action on it."""
    review_round = services.save_round(
        ReviewRound(partnership=partnership, title=title, start_date=datetime.date(2019, 10, 1)),
        [w.home_trust],
        [organisation],
    )
    area = services.rate(
        review_round.areas.first(),
        safe="good",
        well_led="requires_improvement",
        well_led_findings="No escalation route.",
    )
    action = services.add_action(
        area, "well_led", "Agree the escalation route", owner, local_today() + datetime.timedelta(days=30)
    )
    return review_round, area, action


def build(w):
    """A round on each of the two partnerships: ``review_round`` (its first area ``area`` rated,
    with ``review_action``; its last area ``unrated_area``) and ``other_review_round`` likewise."""
    w.review_round, w.area, w.review_action = _round(
        w, w.partnership, "Forensic network 2019", w.partner_org, w.user("owner")
    )
    w.unrated_area = w.review_round.areas.last()
    w.other_review_round, w.other_area, w.other_review_action = _round(
        w, w.other_partnership, "Talking Space Plus 2019", w.other_org, w.user("other_lead")
    )
    w.other_unrated_area = w.other_review_round.areas.last()


def round_data(r, **changes):
    data = {
        "title": r.title,
        "start_date": day(r.start_date),
        "end_date": day(r.end_date),
        "reviewing_organisations": [o.pk for o in r.reviewing_organisations.all()],
        "reviewed_organisations": [o.pk for o in r.reviewed_organisations.all()],
    }
    return data | changes


def ratings_data(area, **changes):
    data = {}
    for q in KeyQuestion:
        data[q.value] = getattr(area, q.value)
        data[findings_field(q.value)] = getattr(area, findings_field(q.value))
    return data | changes


def action_data(action, **changes):
    data = {
        "key_question": action.key_question,
        "description": action.description,
        "owner": action.owner_id,
        "due_date": day(action.due_date),
        "status": action.status,
    }
    return data | changes


def _area(w, name="area"):
    return ReviewArea.objects.get(pk=getattr(w, name).pk)


# Everyone signed in reads the rounds; the register's keepers and the partnership's own leads
# manage them.
PAGES = {
    "peer_reviews:list": reads(),
    "peer_reviews:detail": reads(pk_of("review_round")),
    "peer_reviews:history": reads(pk_of("review_round")),
    "peer_reviews:add": changes(
        lambda w: [w.partnership.pk],
        data=lambda w: {
            "title": "Forensic network 2020",
            "start_date": "01/10/2020",
            "end_date": "30/10/2020",
            "reviewing_organisations": [w.partner_org.pk],
            "reviewed_organisations": [w.home_trust.pk],
        },
        effect=lambda w: ReviewRound.objects.filter(
            partnership=w.partnership, title="Forensic network 2020", areas__name="Crisis support"
        ).exists(),
    ),
    "peer_reviews:edit": changes(
        pk_of("review_round"),
        data=lambda w: round_data(w.review_round, end_date="31/10/2019"),
        effect=lambda w: ReviewRound.objects.get(pk=w.review_round.pk).end_date == datetime.date(2019, 10, 31),
    ),
    "peer_reviews:area_add": changes(
        pk_of("review_round"),
        data=lambda w: {"name": "Carers support"},
        effect=lambda w: w.review_round.areas.filter(name="Carers support").exists(),
    ),
    "peer_reviews:area_edit": changes(
        pk_of("area"),
        data=lambda w: {"name": "Access"},
        effect=lambda w: _area(w).name == "Access",
    ),
    "peer_reviews:ratings": changes(
        pk_of("area"),
        data=lambda w: ratings_data(w.area, caring="outstanding"),
        effect=lambda w: _area(w).caring == "outstanding",
    ),
    "peer_reviews:area_remove": changes(
        pk_of("unrated_area"), effect=lambda w: not ReviewArea.objects.filter(pk=w.unrated_area.pk).exists()
    ),
    "peer_reviews:action_add": changes(
        pk_of("area"),
        data=lambda w: {
            "key_question": "safe",
            "description": "Audit the handover records",
            "owner": w.user("owner").pk,
            "due_date": "31/03/2027",
        },
        effect=lambda w: ReviewAction.objects.filter(area=w.area, description="Audit the handover records").exists(),
    ),
    "peer_reviews:action_edit": changes(
        pk_of("review_action"),
        data=lambda w: action_data(w.review_action, status="done"),
        effect=lambda w: ReviewAction.objects.get(pk=w.review_action.pk).status == "done",
    ),
}

# The pages the owning lead may use, on the other lead's partnership's records (403 for them).
THEIRS = {
    "peer_reviews:add": (
        lambda w: [w.other_partnership.pk],
        lambda w: {"title": "Hijacked", "start_date": "01/10/2020", "reviewing_organisations": [w.other_org.pk]},
    ),
    "peer_reviews:edit": (pk_of("other_review_round"), lambda w: round_data(w.other_review_round, title="Hijacked")),
    "peer_reviews:area_add": (pk_of("other_review_round"), lambda w: {"name": "Hijacked"}),
    "peer_reviews:area_edit": (pk_of("other_area"), lambda w: {"name": "Hijacked"}),
    "peer_reviews:ratings": (pk_of("other_area"), lambda w: ratings_data(w.other_area, safe="inadequate")),
    "peer_reviews:area_remove": (pk_of("other_unrated_area"), lambda w: {}),
    "peer_reviews:action_add": (
        pk_of("other_area"),
        lambda w: {"key_question": "safe", "description": "Hijacked", "owner": w.user("owner").pk},
    ),
    "peer_reviews:action_edit": (
        pk_of("other_review_action"),
        lambda w: action_data(w.other_review_action, description="Hijacked"),
    ),
}

EXPORTS = {
    # Every role reads every round.
    "peer_reviews:list": Export(
        key="Round",
        rows=lambda w, role: sorted(ReviewRound.objects.values_list("title", flat=True)),
        filter={"partnership": "P-0002"},
        filtered_rows=lambda w, role: [w.other_review_round.title],
    ),
}

AUDIT = {
    # A round stays on record (its areas and actions with it): there is no deleting one.
    "peer_reviews.ReviewRound": Change(
        lambda w: ReviewRound.objects.create(
            partnership=w.partnership, title="Forensic network 2021", start_date=datetime.date(2021, 10, 1)
        ),
        "title",
        "Forensic network 2021",
        "Forensic network 2021/22",
        "Forensic network 2021/22",
        parent=lambda w: w.partnership,
        actions=("create", "update"),
    ),
    "peer_reviews.ReviewArea": Change(
        lambda w: ReviewArea.objects.create(round=w.review_round, name="Carers support", position=9),
        "name",
        "Carers support",
        "Carers' support",
        "Carers' support",
        parent=lambda w: w.review_round,
    ),
    # An action is done, never deleted.
    "peer_reviews.ReviewAction": Change(
        lambda w: ReviewAction.objects.create(
            area=w.area,
            key_question="safe",
            description="Audit the handover records",
            owner=w.user("owner"),
            due_date=datetime.date(2027, 3, 31),
        ),
        "status",
        "Open",
        "done",
        "Done",
        parent=lambda w: w.area,
        actions=("create", "update"),
    ),
}

FORMS = {
    "peer review round: no title, end before start, an organisation not a partner": Form(
        "peer_reviews:add",
        lambda w: [w.partnership.pk],
        lambda w: {
            "title": "",
            "start_date": "01/10/2019",
            "end_date": "01/09/2019",
            "reviewing_organisations": [w.other_org.pk],
            "reviewed_organisations": [w.partner_org.pk],
        },
        {
            "title": "Enter the title of the round",
            "end_date": "The end date must be the same as or after the start date.",
            "reviewing_organisations": "Select a valid choice",
        },
        role="owner",
    ),
    "peer review round edit: no organisations, an NHS number in the title": Form(
        "peer_reviews:edit",
        pk_of("review_round"),
        lambda w: {"title": f"Round for {NHS_NUMBER}", "start_date": "01/10/2019"},
        {
            "title": NHS_NUMBER_SHOWN,
            "reviewing_organisations": "Choose at least one reviewing organisation.",
            "reviewed_organisations": "Choose at least one reviewed organisation.",
        },
    ),
    "operational area: the same name as another, whatever its case": Form(
        "peer_reviews:area_add",
        pk_of("review_round"),
        lambda w: {"name": w.area.name.upper()},
        {"name": "This round already reviews an operational area of that name."},
    ),
    "operational area rename: no name": Form(
        "peer_reviews:area_edit",
        pk_of("area"),
        lambda w: {"name": ""},
        {"name": "Enter the name of the operational area."},
        role="owner",
    ),
    "peer review action edit: an NHS number, no status": Form(
        "peer_reviews:action_edit",
        pk_of("review_action"),
        lambda w: action_data(w.review_action, description=f"Call {NHS_NUMBER}", status=""),
        {"description": NHS_NUMBER_SHOWN, "status": "Choose the status of the action."},
        role="delegate",
    ),
    "ratings: short of good without findings, findings without a rating, an NHS number": Form(
        "peer_reviews:ratings",
        pk_of("area"),
        lambda w: ratings_data(
            w.area,
            safe="inadequate",
            safe_findings="",
            effective="",
            effective_findings="Care plans not reviewed.",
            caring="good",
            caring_findings=f"Spoke with {NHS_NUMBER}",
        ),
        {
            "safe_findings": "Record the findings that make safe inadequate.",
            "effective": "Choose a rating for effective: the findings need one.",
            "caring_findings": NHS_NUMBER_SHOWN,
        },
    ),
    "peer review action: a key question not rated, nothing else filled in": Form(
        "peer_reviews:action_add",
        pk_of("area"),
        lambda w: {"key_question": "caring"},
        {
            "key_question": "Select a valid choice",
            "description": "Describe the action.",
            "owner": "Choose the person who owns the action.",
            "due_date": "Enter the date the action is due.",
        },
    ),
}


def more_rounds(w, n):
    for i in range(n):
        _round(w, w.partnership, f"Round {ReviewRound.objects.count()} {i}", w.partner_org, w.user("owner"))


def more_areas_and_actions(w, n):
    for _ in range(n):
        area = services.add_area(ReviewArea(round=w.review_round, name=f"Area {ReviewArea.objects.count()}"))
        services.rate(area, safe="good")
        services.add_action(area, "safe", "Keep it up", w.user("owner"), local_today())


QUERIES = {
    "peer_reviews:list": Growth(more_rounds),
    "peer_reviews:detail": Growth(more_areas_and_actions, args=pk_of("review_round")),
    "peer_reviews:history": Growth(
        edits(lambda w: w.review_round, "title", lambda i: f"Round {i}"), args=pk_of("review_round")
    ),
}

# Two people on each edit page, one saving first (tests/test_stale_saves.py).
STALE = {
    "peer review round": Stale(
        "peer_reviews:edit",
        pk_of("review_round"),
        theirs={"title": "Forensic network October 2019"},
        yours={"end_date": "31/10/2019"},
        row=("Title", "Forensic network 2019", "Forensic network October 2019", None),
        their_fields={"title"},
        your_fields={"end_date"},
    ),
    "ratings of an operational area": Stale(
        "peer_reviews:ratings",
        pk_of("area"),
        theirs={"safe": "outstanding"},
        yours={"caring": "good"},
        row=("Safe", "Good", "Outstanding", None),
        their_fields={"safe"},
        your_fields={"caring"},
    ),
    "renaming an operational area rated meanwhile": Stale(
        "peer_reviews:area_edit",
        pk_of("area"),
        their_page="peer_reviews:ratings",
        theirs={"safe": "outstanding"},
        yours={"name": "Access"},
        row=("Safe", "Good", "Outstanding", "Not on this page"),
        their_fields={"safe"},
        your_fields={"name"},
    ),
    "peer review action": Stale(
        "peer_reviews:action_edit",
        pk_of("review_action"),
        theirs={"status": "done"},
        yours={"description": "Agree the escalation route with every partner"},
        row=("Status", "Open", "Done", None),
        their_fields={"status"},
        your_fields={"description"},
    ),
}

RECORDS = {
    "peer_reviews.ReviewRound": lambda w: w.review_round,
    "peer_reviews.ReviewArea": lambda w: w.area,
    "peer_reviews.ReviewAction": lambda w: w.review_action,
}
