"""The 2019 "spring clean" of the register, told through ``review_rounds.services`` so that every
write is validated and audited.

Source: the "Trust partnerships update report" (spring 2019) lists as a next step for May–October
2019 a "'Spring clean' of partnership register and categorisation (e.g. by value and material
contribution to the Trust's strategic objectives)". Here the coordinator launched it over every
open partnership of the demo register on 13 May 2019 with a deadline of 31 July; most leads
confirmed their entries in June and July, one proposed closing a partnership, the round was closed
on 30 August, and a few confirmations came in after that (kept, marked late). The dates of the
responses are demo values.

:func:`seed` adds the round only when there is none of its title: a second run writes nothing.
"""

import datetime

from django.db import transaction

from accounts.models import User
from core.audit import audit_context
from core.demo import Seeded, counted
from review_rounds import services
from review_rounds.models import Outcome, ReviewRound

TITLE = "Register spring clean 2019"
LAUNCHED = datetime.date(2019, 5, 13)
DEADLINE = datetime.date(2019, 7, 31)
CLOSED = datetime.date(2019, 8, 30)
LATE = 3  # confirmations after the round closed
CLOSURE_REASON = "The pilot ended in March 2019 and the partners agreed not to renew it."


def seed():
    coordinator = User.objects.filter(username="ben.cahill").first()
    if coordinator is None or ReviewRound.objects.filter(title=TITLE).exists():
        return 0
    partnerships = services.open_partnerships()
    if not partnerships.exists():
        return 0
    with audit_context(user=coordinator, source="seed"), transaction.atomic():
        review_round = services.launch_round(
            TITLE,
            DEADLINE,
            partnerships,
            "All open partnerships",
            coordinator,
            today=LAUNCHED,
            now=services.launch_date(LAUNCHED),
        )
        tasks = list(review_round.tasks.select_related("round", "partnership", "assignee").order_by("pk"))
        on_time, late = (tasks[:-LATE], tasks[-LATE:]) if len(tasks) > LATE + 1 else (tasks, [])
        closing = _pilot(on_time)
        for n, task in enumerate(on_time):
            responded = datetime.date(2019, 6, 3) + datetime.timedelta(days=(n * 3) % 55)
            if task is closing:
                services.respond(task, Outcome.CLOSURE_PROPOSED, task.assignee, CLOSURE_REASON, today=responded)
            else:
                services.respond(task, Outcome.CONFIRMED, task.assignee, today=responded)
        services.close_round(review_round, coordinator, today=CLOSED, now=services.launch_date(CLOSED))
        for n, task in enumerate(late):
            services.respond(
                task,
                Outcome.CONFIRMED,
                task.assignee,
                note="Confirmed after the deadline.",
                today=CLOSED + datetime.timedelta(days=4 + 5 * n),
            )
    return 1


def _pilot(tasks):
    """The task whose lead proposes closing: the respiratory pilot's, else the second."""
    pilots = [task for task in tasks if "respiratory" in task.partnership.title.lower()]
    return pilots[0] if pilots else tasks[1] if len(tasks) > 1 else None


def demo_step():
    """``seed_demo``'s review round step."""
    return Seeded(added=counted(seed(), "review round"))
