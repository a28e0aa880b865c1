"""The day's reminders and the week's digests, through the real task functions (the immediate
backend runs them inline): the right days, the right kinds, once only, each person's choice."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assurance.models import IGItem, RecordedStatus
from core.dates import day as written
from core.models import AuditEntry
from reminders import services, tasks
from reminders.models import ReminderPreference, ReminderRun, SentReminder

from .conftest import digests_in, reminders_in

DUE = datetime.date(2026, 3, 18)  # a Wednesday


def days(n):
    return datetime.timedelta(days=n)


def run(on_day, day):
    """The daily task of ``day``, run at 07:00 London that day; what it returned."""
    with on_day(day):
        return tasks.send_daily.enqueue().return_value


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://accord.example.nhs.uk"


def test_a_review_is_reminded_7_days_before_on_the_day_and_weekly_while_overdue(lead, make_partnership, on_day):
    make_partnership(lead, DUE)
    sent_on = {}
    for n in range(-10, 23):
        mail.outbox.clear()
        run(on_day, DUE + days(n))
        if reminders_in(mail.outbox, "reviews_overdue"):
            sent_on[n] = reminders_in(mail.outbox, "reviews_overdue")
    assert sorted(sent_on) == [-7, 0, 7, 14, 21]
    assert all(len(keys) == 1 for keys in sent_on.values())
    assert "/overdue-2:2026-03-18/" in sent_on[14][0]


def test_the_email_names_the_item_and_links_to_it_and_nothing_more(lead, make_partnership, on_day):
    partnership = make_partnership(lead, DUE, title="Carers hub", purpose="CONFIDENTIAL purpose text")
    run(on_day, DUE - days(7))
    [message] = [m for m in mail.outbox if "reviews_overdue" in m.extra_headers["X-Accord-Reminder"]]
    assert message.to == ["anne@nhs.net"]
    assert message.subject == "Reminder, due in 7 days: Carers hub"
    body = message.body
    assert "Partnership reviews overdue" in body  # the kind
    assert "What: Carers hub" in body and "Partnership or body: P-0901" in body
    assert f"Due: {written(DUE)} (due in 7 days)" in body
    assert f"https://accord.example.nhs.uk{partnership.get_absolute_url()}" in body
    assert "https://accord.example.nhs.uk/reminders/" in body  # where to turn them off
    assert "CONFIDENTIAL" not in body and "Its review was due" not in body  # no free text, no message


def test_several_kinds_each_falling_due_are_found(lead, make_partnership, on_day):
    """A kind listed from the day after it is due (reviews), one listed 30 days ahead (IG reviews),
    and one "due now" whatever the day (IG gaps), which is never reminded, only digested."""
    partnership = make_partnership(lead, DUE)
    IGItem.objects.create(
        partnership=partnership,
        item="dpia",
        status=RecordedStatus.IN_PLACE,
        approved_on=DUE - days(300),
        review_on=DUE,
    )
    for n in (-7, 0, 7):
        mail.outbox.clear()
        run(on_day, DUE + days(n))
        assert len(reminders_in(mail.outbox, "reviews_overdue")) == 1, n
        assert len(reminders_in(mail.outbox, "ig_reviews_due")) == 1, n
        assert reminders_in(mail.outbox, "ig_gaps") == []
    mail.outbox.clear()
    run(on_day, DUE + days(1))
    assert reminders_in(mail.outbox) == []


def test_a_second_run_sends_nothing_again(lead, make_partnership, on_day):
    for _ in range(3):
        make_partnership(lead, DUE)
    first = run(on_day, DUE)
    assert first["reminders"] == 3
    mail.outbox.clear()
    with on_day(DUE):
        again = services.send_reminders(DUE)  # the day run again by hand (the run itself says "already run")
        assert run(on_day, DUE)["skipped"] == "already run"
    assert (again.sent, again.already_sent) == (0, 3)
    assert mail.outbox == []
    assert SentReminder.objects.filter(kind="reviews_overdue").count() == 3


def test_a_worker_stopped_between_claiming_and_sending_never_sends_twice(lead, make_partnership, on_day, monkeypatch):
    """The first batch is claimed and the worker dies sending it: those are never sent again (at
    most once, counted as unconfirmed); the batch never tried is released and sent by the next run."""
    for _ in range(3):
        make_partnership(lead, DUE)
    monkeypatch.setattr(services, "SEND_BATCH", 2)

    class Killed(Exception):
        pass

    def die(self, messages):
        raise Killed

    with on_day(DUE), monkeypatch.context() as m:
        m.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", die)
        with pytest.raises(Killed):
            services.send_reminders(DUE)
    assert mail.outbox == []
    assert SentReminder.objects.filter(sent_at__isnull=True).count() == 2
    with on_day(DUE):
        after = services.send_reminders(DUE)
    assert (after.sent, after.already_sent) == (1, 2)
    assert len(reminders_in(mail.outbox)) == 1
    assert services.unconfirmed() == 2


def test_each_kind_can_be_turned_off_and_the_digest_too(make_user, lead, make_partnership, on_day):
    other = make_user(username="ben.lead", email="ben@nhs.net")
    make_partnership(lead, DUE)
    make_partnership(other, DUE)
    ReminderPreference.objects.create(user=lead, kinds_off=["reviews_overdue"], digest=False)
    monday = DUE + days(5)  # 23 March 2026
    assert monday.weekday() == 0
    run(on_day, DUE)
    assert [m.to for m in mail.outbox if "reviews_overdue/" in m.extra_headers["X-Accord-Reminder"]] == [
        ["ben@nhs.net"]
    ]
    mail.outbox.clear()
    run(on_day, monday)
    assert [m.to for m in digests_in(mail.outbox)] == [["ben@nhs.net"]]


def test_the_weekly_digest_lists_a_persons_items_soonest_first_once_a_week(lead, make_partnership, on_day):
    monday = datetime.date(2026, 3, 23)
    later = make_partnership(lead, monday + days(5), title="Due on Saturday")
    sooner = make_partnership(lead, monday - days(20), title="Long overdue")
    make_partnership(lead, monday + days(30), title="Not this month")
    result = run(on_day, monday)
    assert result["digests"] == 1
    [digest] = digests_in(mail.outbox)
    assert digest.to == ["anne@nhs.net"]
    body = digest.body
    assert body.index("Long overdue") < body.index("Due on Saturday")
    assert "Partnership reviews overdue: Not this month" not in body  # its review is a month off
    assert "IG gaps: Not this month" in body  # its IG gaps need attention now
    assert f"https://accord.example.nhs.uk{sooner.get_absolute_url()}" in body
    assert f"https://accord.example.nhs.uk{later.get_absolute_url()}" in body
    assert "20 days late" in body and "due in 5 days" in body
    mail.outbox.clear()
    with on_day(monday + days(2)):
        assert services.send_digests(monday + days(2)).sent == 0  # the same ISO week


def test_today_is_the_date_in_london_around_midnight(lead, make_partnership, on_day):
    """At 00:30 BST on 1 July (23:30 UTC on 30 June) it is 1 July; at 23:30 GMT on 31 December it
    is still 31 December."""
    make_partnership(lead, datetime.date(2026, 7, 1))
    make_partnership(lead, datetime.date(2026, 12, 31))
    with on_day(datetime.date(2026, 7, 1), datetime.time(0, 30)):
        summer = tasks.send_daily.enqueue().return_value
    assert summer["day"] == "2026-07-01" and summer["reminders"] == 1
    assert "/due:2026-07-01/" in reminders_in(mail.outbox)[-1]
    with on_day(datetime.date(2026, 12, 31), datetime.time(23, 30)):
        winter = tasks.send_daily.enqueue().return_value
    assert winter["day"] == "2026-12-31" and winter["reminders"] == 1


def test_one_audit_entry_per_run_with_its_counts(lead, make_partnership, on_day):
    for _ in range(4):
        make_partnership(lead, DUE)
    before = AuditEntry.objects.count()
    run(on_day, DUE)
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert [(e.object_label, e.action) for e in entries] == [(f"E-mail reminders of {written(DUE)}", "update")]
    assert entries[0].after["reminders_sent"] == 4
    assert ReminderRun.objects.get(day=DUE).reminders_sent == 4


def test_someone_without_an_email_address_is_counted_not_claimed(make_user, make_partnership, on_day):
    nobody = make_user(username="no.address", email="")
    make_partnership(nobody, DUE)
    result = run(on_day, DUE)
    assert result["reminders"] == 0 and result["without_address"] >= 1
    assert not SentReminder.objects.filter(user=nobody).exists()


def test_the_queries_do_not_grow_with_the_number_of_items(lead, make_partnership, on_day):
    def queries(n):
        SentReminder.objects.all().delete()
        for _ in range(n):
            make_partnership(lead, DUE)
        with on_day(DUE), CaptureQueriesContext(connection) as captured:
            outcome = services.send_reminders(DUE)
        assert outcome.sent >= n
        return len(captured)

    few = queries(3)
    many = queries(30)
    assert many == few
