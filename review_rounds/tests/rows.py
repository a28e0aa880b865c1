"""The review rounds' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

import datetime

from django.utils import timezone

from core.dates import local_today
from partnerships.models import Partnership
from review_rounds import services
from review_rounds.models import Outcome, ReviewRound, ReviewTask, RoundStatus
from tests.rows import (
    KEEPERS,
    NHS_NUMBER_SHOWN,
    OK,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    changes,
    edits,
    only,
    pk_of,
    reads,
)
from tests.world import NHS_NUMBER, day

IN_A_MONTH = datetime.timedelta(days=30)


def _launch(w, title, partnerships):
    return services.launch_round(
        title,
        local_today() + IN_A_MONTH,
        Partnership.objects.filter(pk__in=[p.pk for p in partnerships]),
        "All open partnerships",
        w.user("coordinator"),
    )


def build(w):
    """``spring_round`` (open) over both partnerships: ``spring_task`` on the owner's (pending),
    ``other_spring_task`` on the other lead's; ``closed_round`` over the owner's, confirmed and closed."""
    w.spring_round = _launch(w, "Register spring clean 2026", [w.partnership, w.other_partnership])
    w.spring_task = w.spring_round.tasks.get(partnership=w.partnership)
    w.other_spring_task = w.spring_round.tasks.get(partnership=w.other_partnership)
    w.closed_round = _launch(w, "Register spring clean 2025", [w.partnership])
    w.closed_task = services.respond(
        w.closed_round.tasks.get(), Outcome.CONFIRMED, w.user("owner"), note="Checked with the partners."
    )
    w.closed_round = services.close_round(w.closed_round, w.user("coordinator"))


def private(w):
    return [w.spring_round.title, w.closed_round.title, w.closed_task.note]


def _task(w, name="spring_task"):
    return ReviewTask.objects.get(pk=getattr(w, name).pk)


def _future():
    return day(local_today() + IN_A_MONTH)


PAGES = {
    "review_rounds:list": reads(),
    "review_rounds:tasks": reads(),
    "review_rounds:detail": reads(pk_of("spring_round")),
    "review_rounds:task": reads(pk_of("spring_task")),
    "review_rounds:launch": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {"title": "Tier 1 review 2027", "deadline": _future(), "kind": "tier", "tier": "1"},
        effect=lambda w: ReviewTask.objects.filter(
            round__title="Tier 1 review 2027", partnership=w.partnership
        ).exists(),
    ),
    "review_rounds:close": Page(
        args=pk_of("spring_round"),
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        effect=lambda w: ReviewRound.objects.get(pk=w.spring_round.pk).status == RoundStatus.CLOSED,
    ),
    "review_rounds:respond": changes(
        pk_of("spring_task"),
        data=lambda w: {"outcome": "confirmed", "note": "Still as the register says."},
        effect=lambda w: _task(w).outcome in (Outcome.CONFIRMED, Outcome.UPDATED),
    ),
}

# The owner and their delegate on the other lead's task: 403.
THEIRS = {
    "review_rounds:respond": (
        pk_of("other_spring_task"),
        lambda w: {"outcome": "closure_proposed", "closure_reason": "Hijacked"},
    ),
}

EXPORTS = {
    "review_rounds:list": Export(
        key="Round",
        rows=lambda w, role: sorted(ReviewRound.objects.values_list("title", flat=True)),
        filter={"status": "closed"},
        filtered_rows=lambda w, role: [w.closed_round.title],
    ),
    # Every role of the trust reads every task.
    "review_rounds:tasks": Export(
        key="Partnership",
        rows=lambda w, role: sorted(str(t.partnership) for t in ReviewTask.objects.select_related("partnership")),
        filter={"outcome": "confirmed"},
        filtered_rows=lambda w, role: [str(w.partnership)],
    ),
}


def _new_round(w):
    now = timezone.now()
    return ReviewRound.objects.create(
        title="Tier 2 review 2027",
        launched_at=now,
        launched_on=local_today(now),
        launched_by=w.user("coordinator"),
        deadline=local_today() + IN_A_MONTH,
        scope_description="Tier 2: open partnerships",
    )


AUDIT = {
    # A round stays on record, its tasks with it: there is no deleting either.
    "review_rounds.ReviewRound": Change(
        _new_round,
        "title",
        "Tier 2 review 2027",
        "Tier 2 review 2027/28",
        "Tier 2 review 2027/28",
        actions=("create", "update"),
    ),
    "review_rounds.ReviewTask": Change(
        lambda w: ReviewTask.objects.create(
            round=w.spring_round, partnership=w.spare_partnership, assignee=w.user("coordinator")
        ),
        "outcome",
        "Not responded",
        "confirmed",
        "Confirmed: still accurate",
        parent=lambda w: w.spring_round,
        actions=("create", "update"),
    ),
}

FORMS = {
    "review round launch: no title, a deadline in the past, no tier chosen": Form(
        "review_rounds:launch",
        lambda w: [],
        lambda w: {"title": "", "deadline": "01/01/2020", "kind": "tier", "tier": ""},
        {
            "title": "Enter the title of the round",
            "deadline": "The deadline must be today",
            "tier": "Choose the tier to review.",
        },
    ),
    "review round launch: a service area with no open partnership": Form(
        "review_rounds:launch",
        lambda w: [],
        lambda w: {
            "title": "Learning disability review",
            "deadline": _future(),
            "kind": "service_area",
            "service_area": w.spare_area.pk,
        },
        {"kind": "No partnerships match that choice"},
    ),
    "review round launch: a register filter the register refuses, an NHS number in the title": Form(
        "review_rounds:launch",
        lambda w: [],
        lambda w: {"title": f"Review of {NHS_NUMBER}", "deadline": _future(), "kind": "filter", "register_filter": ""},
        {"title": NHS_NUMBER_SHOWN, "register_filter": "Paste the address of the register"},
    ),
    "review round launch: register filter values refused": Form(
        "review_rounds:launch",
        lambda w: [],
        lambda w: {
            "title": "Filtered review",
            "deadline": _future(),
            "kind": "filter",
            "register_filter": "/partnerships/?value_min=lots",
        },
        {"register_filter": "The register's filters refuse this"},
    ),
    "review task response: closure proposed without a reason, an NHS number in the note": Form(
        "review_rounds:respond",
        pk_of("spring_task"),
        lambda w: {"outcome": "closure_proposed", "closure_reason": "", "note": f"Call {NHS_NUMBER}"},
        {"closure_reason": "Say why the partnership should close.", "note": NHS_NUMBER_SHOWN},
        role="owner",
    ),
    "review task response: no answer chosen": Form(
        "review_rounds:respond",
        pk_of("spring_task"),
        lambda w: {"outcome": "", "note": ""},
        {"outcome": "Choose whether the partnership is still accurate or should close."},
        role="delegate",
    ),
}


def more_rounds(w, n):
    for i in range(n):
        _launch(w, f"Round {ReviewRound.objects.count()} {i}", [w.partnership])


def more_tasks(w, n):
    """``n`` more partnerships (each its own lead) in the spring round, not yet responded to."""
    from tests.world import make_user

    start = Partnership.objects.count()
    tasks = []
    for i in range(start, start + n):
        lead = make_user(f"lead{i}", first_name="Lead", last_name=str(i))
        partnership = Partnership.objects.create(
            reference=f"P-9{i:03d}", title=f"Partnership {i}", arrangement_type="informal", status="active", lead=lead
        )
        tasks.append(ReviewTask(round=w.spring_round, partnership=partnership, assignee=lead))
    ReviewTask.objects.bulk_create(tasks)


QUERIES = {
    "review_rounds:list": Growth(more_rounds),
    "review_rounds:tasks": Growth(more_tasks),
    "review_rounds:detail": Growth(more_tasks, args=pk_of("spring_round")),
    "review_rounds:task": Growth(
        edits(lambda w: w.partnership, "purpose", lambda i: f"Purpose {i}"), args=pk_of("spring_task")
    ),
}

STALE = {
    "a response to a review task": Stale(
        "review_rounds:respond",
        pk_of("spring_task"),
        theirs={"outcome": "closure_proposed", "closure_reason": "The pilot has ended."},
        yours={"outcome": "closure_proposed", "note": "Agreed with the partners."},
        row=("Why it should close", "Not recorded", "The pilot has ended.", None),
        their_fields={"outcome", "closure_reason", "responded_on", "responded_by"},
        your_fields={"note", "responded_by"},
    ),
}

RECORDS = {
    "review_rounds.ReviewRound": lambda w: w.spring_round,
    "review_rounds.ReviewTask": lambda w: w.spring_task,
}
