"""No lost updates: a save from a page opened before someone else's save is never silently applied.

For every kind of edit page (each generic edit page, the risk matrix, the tier thresholds, the IG
requirements grid): two people open the page; the other saves a change; the user then saves a
change of their own to another field. The user's save writes nothing at all (audit trail
included) and answers 409 with who changed what (the value when the page was opened, the value
now, and theirs), and the form of the current record with the user's change on it. Saving that
form as it stands keeps both changes, and the audit trail shows each person's own change only.
"""

import datetime
import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from accounts.models import Role
from agreements import services
from agreements.models import Agreement, AgreementStatus
from agreements.views import SendForCommentView, TerminateView
from assurance.models import IGRequirement
from core.audit import audit_context
from core.dates import local_today
from core.models import AuditEntry
from core.versions import VERSION_FIELD
from core.views import ObjectEditView
from partnerships.models import Partnership
from partnerships.views import PartnershipEditView
from tests.editing import submitted
from tests.rows import collect
from tests.urls import url_patterns, view_class
from tests.world import NHS_NUMBER, build_world, database_state, day, make_user

NEW_PASSWORD = "violet-harbour-lantern-42"  # noqa: S105 (a test user's password)
NOT_CHANGED = "You did not change it: it stays as it is now"


CASES = collect("STALE")


@pytest.fixture
def world(db):
    w = build_world(everything=True)
    w.users["second_administrator"] = make_user(
        "second_administrator", role=Role.ADMINISTRATOR, first_name="Sam", last_name="Okoro"
    )
    return w


def signed_in(world, who):
    client = Client()
    client.force_login(world.user(who))
    return client


def fill(values, changes, world):
    """``values`` with ``changes`` typed in (a callable value is computed; ``None`` unticks)."""
    values = dict(values)
    for name, value in changes.items():
        value = value(world) if callable(value) else value
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return values


def text(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def changes_table(body):
    """[(field, when opened, now, yours)] of the stale page's table (the mobile headings left out)."""
    table = re.search(r'<h2 id="changes-meanwhile".*?</table>', body, flags=re.S)
    assert table, "the page shows what changed"
    rows = []
    for row in re.findall(r"<tbody.*?</tbody>", table.group(0), flags=re.S)[0].split("</tr>")[:-1]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        rows.append(
            tuple(text(re.sub(r'<span class="nhsuk-table-responsive__heading".*?</span>', "", c)) for c in cells)
        )
    return rows


def record_entries(world, case, since):
    """Each person's audit entries about the record (or the grid) since ``since``: {name: fields}."""
    record = case.record(world) if case.record else None
    if record is IGRequirement:
        entries = AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(IGRequirement))
    else:
        url_record = record or _url_record(world, case)
        entries = AuditEntry.objects.filter(
            object_type=ContentType.objects.get_for_model(type(url_record)), object_id=url_record.pk
        )
    fields = {}
    for entry in entries.filter(id__gt=since).order_by("id"):
        fields.setdefault(entry.user_name, set()).update(entry.changed_fields)
    return fields


def _url_record(world, case):
    match = resolve(reverse(case.page, args=case.args(world)))
    model = match.func.view_initkwargs.get("model") or match.func.view_class.model
    return model._base_manager.get(pk=match.kwargs["pk"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_stale_save_writes_nothing_shows_what_changed_and_can_be_applied_again(world, name):
    case = CASES[name]
    you, them = signed_in(world, case.you), signed_in(world, case.them)
    url = reverse(case.page, args=case.args(world))
    their_url = reverse(case.their_page, args=case.args(world)) if case.their_page else url
    yours = submitted(you.get(url).content.decode())
    theirs = submitted(them.get(their_url).content.decode())
    assert yours[VERSION_FIELD], "the page carries the version it was opened at"
    since = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()

    saved = them.post(their_url, fill(theirs, case.theirs, world))
    assert saved.status_code == 302, text(saved.content.decode())[:2000]
    before = database_state()

    refused = you.post(url, fill(yours, case.yours, world))

    assert refused.status_code == 409
    assert database_state() == before, "a stale save writes nothing, audit trail included"
    body = refused.content.decode()
    assert re.search(r"<title>\s*Error: ", body)
    summary = text(re.search(r'<div class="nhsuk-error-summary".*?</ul>', body, flags=re.S).group(0))
    assert "after you opened this page. Your changes have not been saved." in summary
    their_name = world.user(case.them).get_full_name()
    assert f"{their_name} saved changes on {day_in_words(local_today())} at " in summary
    label, opened, now, mine = case.row
    assert (label, opened, now, NOT_CHANGED if mine is None else mine) in changes_table(body)
    again = submitted(body)
    assert again[VERSION_FIELD] != yours[VERSION_FIELD], "the form now carries the current version"
    for name_, value in case.theirs.items():
        if case.their_page is None:
            assert again.get(name_) == _typed(value, world), f"{name_}: the current value is shown"
    for name_, value in case.yours.items():
        if name_ not in case.typed_again:
            assert again.get(name_) == _typed(value, world), f"{name_}: the user's value is kept"

    applied = you.post(url, {**again, **case.typed_again})

    assert applied.status_code == 302, text(applied.content.decode())[:2000]
    assert record_entries(world, case, since) == {
        their_name: case.their_fields,
        world.user(case.you).get_full_name(): case.your_fields,
    }


def _typed(value, world):
    value = value(world) if callable(value) else value
    return value


def day_in_words(date):
    return f"{date.day} {date:%B %Y}"


# --- the same field, children, no version, another page's version, NHS numbers -------------------


def _open_partnership(world, who):
    client = signed_in(world, who)
    url = reverse("partnerships:edit", args=[world.partnership.pk])
    return client, url, submitted(client.get(url).content.decode())


def test_when_both_change_the_same_field_the_user_sees_both_and_their_value_wins_only_when_saved_again(world):
    you, url, yours = _open_partnership(world, "owner")
    them, _, theirs = _open_partnership(world, "coordinator")
    assert them.post(url, {**theirs, "title": "Thames Valley and Wessex Forensic Network"}).status_code == 302

    refused = you.post(url, {**yours, "title": "Thames Valley Secure Care Network"})

    assert refused.status_code == 409
    assert changes_table(refused.content.decode()) == [
        (
            "Title",
            "Thames Valley Forensic Network",
            "Thames Valley and Wessex Forensic Network",
            "Thames Valley Secure Care Network",
        )
    ]
    assert Partnership.objects.get(pk=world.partnership.pk).title == "Thames Valley and Wessex Forensic Network"
    again = submitted(refused.content.decode())
    assert again["title"] == "Thames Valley Secure Care Network"
    assert you.post(url, again).status_code == 302
    titles = [
        (e.user_name, e.before["title"], e.after["title"])
        for e in AuditEntry.objects.for_object(world.partnership).filter(action="update").order_by("id")
        if "title" in e.changed_fields
    ]
    assert titles == [
        ("Ben Cahill", "Thames Valley Forensic Network", "Thames Valley and Wessex Forensic Network"),
        ("Anne Clarke", "Thames Valley and Wessex Forensic Network", "Thames Valley Secure Care Network"),
    ]


def test_a_new_headline_or_partner_does_not_make_the_partnerships_edit_stale(world):
    you, url, yours = _open_partnership(world, "owner")
    them = signed_in(world, "coordinator")
    headline = {"date": "02/04/2024", "text": "Contract extended to March 2027."}
    assert them.post(reverse("partnerships:headline_add", args=[world.partnership.pk]), headline).status_code == 302
    partner = {"organisation": world.spare_org.pk, "role": "funder"}
    assert them.post(reverse("partnerships:partner_add", args=[world.partnership.pk]), partner).status_code == 302

    assert you.post(url, {**yours, "annual_value": "70000000.00"}).status_code == 302
    assert Partnership.objects.get(pk=world.partnership.pk).annual_value == 70000000


def test_a_save_that_does_not_say_which_version_it_was_opened_at_writes_nothing(world):
    you, url, yours = _open_partnership(world, "owner")
    del yours[VERSION_FIELD]
    before = database_state()

    refused = you.post(url, {**yours, "title": "Thames Valley Secure Care Network"})

    assert refused.status_code == 428
    assert database_state() == before
    body = refused.content.decode()
    assert "could not tell which version of the partnership you opened" in text(body)
    assert changes_table(body) == [
        ("Title", "Not known", "Thames Valley Forensic Network", "Thames Valley Secure Care Network")
    ]
    again = submitted(body)
    assert again["title"] == "Thames Valley Secure Care Network"
    assert you.post(url, again).status_code == 302
    assert Partnership.objects.get(pk=world.partnership.pk).title == "Thames Valley Secure Care Network"


def test_another_records_version_or_an_altered_one_is_no_version_at_all(world):
    you, url, yours = _open_partnership(world, "coordinator")
    other_url = reverse("partnerships:edit", args=[world.other_partnership.pk])
    other_version = submitted(you.get(other_url).content.decode())[VERSION_FIELD]
    before = database_state()
    for version in (other_version, yours[VERSION_FIELD][:-2] + "xx"):
        response = you.post(url, {**yours, VERSION_FIELD: version, "title": "Hijacked"})
        assert response.status_code == 428
    assert database_state() == before


def test_a_stale_save_never_repeats_an_nhs_number_typed_into_it(world):
    you, url, yours = _open_partnership(world, "owner")
    them, _, theirs = _open_partnership(world, "coordinator")
    assert them.post(url, {**theirs, "title": "Thames Valley and Wessex Forensic Network"}).status_code == 302

    refused = you.post(url, {**yours, "notes": f"Referral for {NHS_NUMBER} delayed."})

    assert refused.status_code == 409
    body = refused.content.decode()
    for written in (NHS_NUMBER, NHS_NUMBER.replace(" ", "")):
        assert written not in body
    assert submitted(body)["notes"] == ""


# --- a save already under way when someone else's is committed ----------------------------------


def _under_way(view_class, world, who, url, data, pk):
    """A request that has already read its record (and checked the user's right on it)."""
    request = RequestFactory().post(url, data)
    request.user = world.user(who)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    view = view_class()
    view.setup(request, pk=pk)
    view.check()
    return view, request


def _saved_by(world, who, record, **values):
    with audit_context(user=world.user(who), source="web"):
        for name, value in values.items():
            setattr(record, name, value)
        record.save()


def test_a_change_committed_while_a_save_is_under_way_is_not_written_over(world):
    """The save reads the record again under a row lock: the copy the request read at its start is
    never what is written back."""
    _, url, yours = _open_partnership(world, "owner")
    pk = world.partnership.pk
    view, request = _under_way(PartnershipEditView, world, "owner", url, {**yours, "notes": "Board in May."}, pk)
    _saved_by(world, "coordinator", Partnership.objects.get(pk=pk), title="Thames Valley and Wessex Forensic Network")

    response = view.post(request, pk=pk)

    assert response.status_code == 409
    stored = Partnership.objects.get(pk=pk)
    assert (stored.title, stored.notes) == ("Thames Valley and Wessex Forensic Network", "")


def test_a_lifecycle_step_under_way_does_not_undo_an_edit_of_the_terms(world):
    draft = world.draft_agreement
    url = reverse("agreements:send_for_comment", args=[draft.pk])
    view, request = _under_way(SendForCommentView, world, "owner", url, {}, draft.pk)
    _saved_by(world, "coordinator", Agreement.objects.get(pk=draft.pk), purpose="Secure care for the Thames Valley.")

    response = view.post(request, pk=draft.pk)

    assert response.status_code == 302
    stored = Agreement.objects.get(pk=draft.pk)
    assert (stored.status, stored.purpose) == (AgreementStatus.OUT_FOR_COMMENT, "Secure care for the Thames Valley.")


def test_the_same_step_taken_twice_at_once_is_taken_once(world):
    """Two people terminate the same agreement from pages opened together: the second is refused."""
    agreement = world.agreement_in_force
    url = reverse("agreements:terminate", args=[agreement.pk])
    ended = local_today() - datetime.timedelta(days=1)
    view, request = _under_way(TerminateView, world, "owner", url, {"ended_on": day(ended)}, agreement.pk)
    with audit_context(user=world.user("coordinator"), source="web"):
        services.terminate(Agreement.objects.get(pk=agreement.pk), local_today())
    before = database_state()

    response = view.post(request, pk=agreement.pk)

    assert response.status_code == 400
    assert "This step is not possible while the agreement is “Terminated”." in text(response.content.decode())
    assert database_state() == before


def test_a_lifecycle_step_taken_meanwhile_is_shown_and_kept(world):
    """The agreement was sent for comment while its terms were open on someone's page: the page
    shows the new status (not a field of the form) and saving again keeps it."""
    draft = world.draft_agreement
    you = signed_in(world, "owner")
    url = reverse("agreements:edit", args=[draft.pk])
    yours = submitted(you.get(url).content.decode())
    them = signed_in(world, "coordinator")
    assert them.post(reverse("agreements:send_for_comment", args=[draft.pk])).status_code == 302

    refused = you.post(url, {**yours, "notice_period": "Six months' notice in writing"})

    assert refused.status_code == 409
    assert changes_table(refused.content.decode()) == [("Status", "Draft", "Out for comment", "Not on this page")]
    assert you.post(url, submitted(refused.content.decode())).status_code == 302
    stored = Agreement.objects.get(pk=draft.pk)
    assert (stored.status, stored.notice_period) == (AgreementStatus.OUT_FOR_COMMENT, "Six months' notice in writing")


def test_after_bad_input_the_corrected_form_saves(world):
    """A form sent back for bad input carries the version of the record as stored, not as typed."""
    you, url, yours = _open_partnership(world, "owner")
    bad = you.post(url, {**yours, "title": "Thames Valley Secure Care Network", "end_date": "01/01/2019"})
    assert bad.status_code == 400
    corrected = {**submitted(bad.content.decode()), "end_date": ""}

    assert you.post(url, corrected).status_code == 302
    assert Partnership.objects.get(pk=world.partnership.pk).title == "Thames Valley Secure Care Network"


def updates_a_record(pattern):
    """An edit page of a record that exists: a generic edit page with a ``pk``, or one of a single row."""
    view = view_class(pattern)
    if view is None or not issubclass(view, ObjectEditView):
        return False
    return "pk" in pattern.pattern.converters or view.is_create is False


def test_every_edit_page_has_a_stale_case():
    """So an edit page added to any app is tried with two people on it, like these."""
    pages = {name for name, pattern in url_patterns() if updates_a_record(pattern)}
    assert {"partnerships:edit", "core:tierthresholds_edit", "risks:matrix"} <= pages
    assert pages - {case.page for case in CASES.values()} == set(), "edit pages with no STALE case"
