"""The e-mail reminders' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

import datetime
import uuid

from reminders.models import ReminderPreference, ReminderRun, SentReminder
from tests.rows import NOT_ALLOWED, NOT_FOUND, OK, SAVED, Change, Form, Page, everyone, only

NOT_A_KIND = "no_such_kind"


# Everyone signed in, a partner contributor too, chooses their own reminders (their own page
# without an id, or with their own id); someone else's is refused whatever the role.
PAGES = {
    "reminders:preferences": Page(
        get=everyone(OK, contributor=OK), post=everyone(NOT_ALLOWED, contributor=NOT_ALLOWED)
    ),
    "reminders:user_preferences": Page(
        args=lambda w: [w.user("owner").pk],
        get=only(OK, ["owner"], contributor=NOT_FOUND),
        post=only(SAVED, ["owner"], contributor=NOT_FOUND),
        data=lambda w: {"digest": "on"},
        effect=lambda w: ReminderPreference.objects.filter(user=w.user("owner")).exists(),
    ),
}

# The owning lead and their delegate typing the other lead's page.
THEIRS = {"reminders:user_preferences": (lambda w: [w.user("other_lead").pk], lambda w: {"digest": "on"})}

PARTNER_PAGES = {
    "reminders:preferences": lambda w: [[]],
    "reminders:user_preferences": lambda w: [[w.user("contributor").pk]],
}

AUDIT = {
    "reminders.ReminderPreference": Change(
        create=lambda w: ReminderPreference.objects.create(user=w.user("executive")),
        field="digest",
        shown_before=True,
        new_value=False,
        shown_after=False,
        parent=lambda w: w.user("executive"),
    ),
    # A day's run is written by bulk_create when it is scheduled (no entry), then saved once with
    # its counts: the run's one entry.
    "reminders.ReminderRun": Change(
        create=lambda w: ReminderRun.objects.create(day=datetime.date(2026, 3, 30)),
        field="reminders_sent",
        shown_before=0,
        new_value=12,
        shown_after=12,
    ),
    # Claims are bulk-written (no entry each; the run's entry counts them); one written by hand is audited.
    "reminders.SentReminder": Change(
        create=lambda w: SentReminder.objects.create(
            kind="reviews_overdue",
            item_pk=w.partnership.pk,
            user=w.user("owner"),
            occasion="due:2026-03-30",
            run=uuid.uuid4(),
        ),
        field="occasion",
        shown_before="due:2026-03-30",
        new_value="overdue-1:2026-03-30",
        shown_after="overdue-1:2026-03-30",
    ),
}

FORMS = {
    "reminders: a kind of reminder that is not offered, on your own page by id": Form(
        page="reminders:user_preferences",
        args=lambda w: [w.user("coordinator").pk],
        data=lambda w: {"kinds": [NOT_A_KIND]},
        errors={"kinds": "Select a valid choice"},
    ),
}
