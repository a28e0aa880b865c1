"""Two people on one self-assessment: no answer or finding is lost to somebody else's save.

The answering page and the review page each write many answers at once. A save writes only the
answers the user changed; two people changing different answers both keep their change; when both
change the same answer, the second save writes nothing, answers 409 and shows who saved, the
answer when the page was opened, now, and theirs, with the form holding the user's own values (and
the current value where only the other person changed one), so that saving again applies them.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from core.versions import VERSION_FIELD
from self_assessments import services
from self_assessments.models import Answer, Assessment, Question, Section, Status
from self_assessments.tests.rows import question
from tests.editing import submitted
from tests.test_stale_saves import changes_table, text
from tests.world import database_state

pytestmark = pytest.mark.django_db

THEIRS = "Every two months, minuted by the chair."
YOURS = "Monthly, with minutes sent to members."


def signed_in(world, role):
    client = Client()
    client.force_login(world.user(role))
    return client


def stored(assessment, n):
    return Answer.objects.get(assessment=assessment, question=question(assessment.issue.version, n))


def answer_entries(assessment, since):
    """{who: [question ids]} of the answers' audit entries after ``since``."""
    ids = dict(Answer.objects.filter(assessment=assessment).values_list("pk", "question_id"))
    entries = AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(Answer), object_id__in=ids, id__gt=since
    )
    found = {}
    for entry in entries.order_by("id"):
        found.setdefault(entry.user_name, []).append(ids[entry.object_id])
    return found


def last_entry():
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def open_page(client, url):
    page = submitted(client.get(url).content.decode())
    assert page[VERSION_FIELD], "the page carries what it showed"
    return page


def test_two_people_answering_different_questions_both_keep_their_answer(world):
    a = world.assessment
    url = reverse("self_assessments:answer", args=[a.pk])
    you, them = signed_in(world, "contributor"), signed_in(world, "coordinator")
    yours, theirs = open_page(you, url), open_page(them, url)
    q1, q2 = question(world.sa_version, 1), question(world.sa_version, 2)
    since = last_entry()

    assert them.post(url, {**theirs, f"answer-{q1.pk}": THEIRS}).status_code == 302
    assert you.post(url, {**yours, f"answer-{q2.pk}": "30"}).status_code == 302

    assert (stored(a, 1).value, stored(a, 2).value) == (THEIRS, "30"), "the other person's answer stands"
    assert answer_entries(a, since) == {
        world.user("coordinator").get_full_name(): [q1.pk],
        world.user("contributor").get_full_name(): [q2.pk],
    }


def test_the_same_answer_changed_by_both_is_refused_shown_and_applied_when_saved_again(world):
    a = world.assessment
    url = reverse("self_assessments:answer", args=[a.pk])
    you, them = signed_in(world, "contributor"), signed_in(world, "coordinator")
    yours, theirs = open_page(you, url), open_page(them, url)
    q0, q1, q2 = (question(world.sa_version, n) for n in range(3))
    was = stored(a, 1).value
    assert them.post(url, {**theirs, f"answer-{q1.pk}": THEIRS, f"answer-{q2.pk}": "40"}).status_code == 302
    before = database_state()

    refused = you.post(url, {**yours, f"answer-{q1.pk}": YOURS, f"comment-{q1.pk}": "Since May.", "submit": "1"})

    assert refused.status_code == 409
    assert database_state() == before, "nothing written, audit trail included, and not submitted"
    body = refused.content.decode()
    assert re.search(r"<title>\s*Error: ", body)
    summary = text(re.search(r'<div class="nhsuk-error-summary".*?</ul>', body, flags=re.S).group(0))
    assert "Someone else changed the self-assessment after you opened this page." in summary
    assert f"{world.user('coordinator').get_full_name()} saved changes on" in summary
    assert changes_table(body) == [(q1.text, was, THEIRS, f"{YOURS}. Comment: Since May.")]
    again = submitted(body)
    assert again[f"answer-{q1.pk}"] == YOURS, "the user's own answer is kept in the form"
    assert again[f"answer-{q2.pk}"] == "40", "the other person's answer to a question the user left is shown"
    assert again[f"answer-{q0.pk}"] == "yes"

    assert you.post(url, {**again, "save": "1"}).status_code == 302
    assert (stored(a, 1).value, stored(a, 1).comment, stored(a, 2).value) == (YOURS, "Since May.", "40")


def test_a_save_that_does_not_say_what_the_page_showed_is_refused(world):
    a = world.assessment
    url = reverse("self_assessments:answer", args=[a.pk])
    you = signed_in(world, "contributor")
    q1 = question(world.sa_version, 1)
    before = database_state()

    refused = you.post(url, {f"answer-{q1.pk}": YOURS, VERSION_FIELD: "forged"})

    assert refused.status_code == 428 and database_state() == before
    assert "could not tell which version of the self-assessment you opened" in text(refused.content.decode())
    assert you.post(url, submitted(refused.content.decode())).status_code == 302
    assert stored(a, 1).value == YOURS


def test_saving_an_unchanged_page_writes_nothing_dates_and_line_breaks_included(world):
    """A date shown as 30/03/2022 and a comment with line breaks come back as they were stored."""
    a = world.assessment
    section = Section.objects.get(version=world.sa_version)
    when = Question.objects.create(
        section=section, position=9, text="When were your accounts filed?", answer_type="date"
    )
    Answer.objects.create(assessment=a, question=when, value="2022-03-30")
    q0 = question(world.sa_version, 0)
    services.save_answers(a, {}, {q0.pk: "Board minutes:\nMarch\nJune"})
    url = reverse("self_assessments:answer", args=[a.pk])
    you = signed_in(world, "contributor")
    page = open_page(you, url)
    assert page[f"answer-{when.pk}"] == "30/03/2022"
    page[f"comment-{q0.pk}"] = page[f"comment-{q0.pk}"].replace("\n", "\r\n")  # as a browser sends it
    since = last_entry()

    assert you.post(url, {**page, "save": "1"}).status_code == 302
    assert answer_entries(a, since) == {}
    assert Answer.objects.get(assessment=a, question=when).value == "2022-03-30"


def test_save_and_upload_evidence_keeps_what_was_typed(world):
    a = world.assessment
    url = reverse("self_assessments:answer", args=[a.pk])
    you = signed_in(world, "contributor")
    q0, q1 = question(world.sa_version, 0), question(world.sa_version, 1)
    page = open_page(you, url)

    response = you.post(url, {**page, f"answer-{q1.pk}": YOURS, "evidence": str(q0.pk)})

    assert response.status_code == 302
    assert response["Location"] == reverse("self_assessments:evidence_add", args=[stored(a, 0).pk])
    assert stored(a, 1).value == YOURS
    assert Assessment.objects.get(pk=a.pk).status == Status.IN_PROGRESS


def test_two_reviewers_recording_the_same_finding_differently(world):
    a = world.submitted
    url = reverse("self_assessments:review", args=[a.pk])
    you, them = signed_in(world, "coordinator"), signed_in(world, "administrator")
    yours, theirs = open_page(you, url), open_page(them, url)
    q0, q1 = question(world.sa_version, 0), question(world.sa_version, 1)
    assert them.post(url, {**theirs, f"finding-{q0.pk}": "met", f"finding-{q1.pk}": "met"}).status_code == 302
    before = database_state()

    refused = you.post(url, {**yours, f"finding-{q0.pk}": "not_met", f"note-{q0.pk}": "No policy seen."})

    assert refused.status_code == 409 and database_state() == before
    body = refused.content.decode()
    assert changes_table(body) == [(q0.text, "Not reviewed", "Met", "Not met. Note: No policy seen.")]
    again = submitted(body)
    assert (again[f"finding-{q0.pk}"], again[f"finding-{q1.pk}"]) == ("not_met", "met")
    assert you.post(url, again).status_code == 302
    assert [stored(a, n).finding for n in (0, 1)] == ["not_met", "met"]


def test_a_reviewer_accepting_after_somebody_else_returned_it_is_refused(world):
    a = world.submitted
    url = reverse("self_assessments:review", args=[a.pk])
    you, them = signed_in(world, "coordinator"), signed_in(world, "administrator")
    yours, theirs = open_page(you, url), open_page(them, url)
    assert them.post(url, {**theirs, "step": "return", "comment": "Attach the insurance schedule."}).status_code == 302
    findings = {f"finding-{question(world.sa_version, n).pk}": "met" for n in range(3)}
    before = database_state()

    refused = you.post(url, {**yours, **findings, "step": "accept"})

    assert refused.status_code == 400 and database_state() == before
    assert "This self-assessment is returned: there is nothing to review." in text(refused.content.decode())
    assert Assessment.objects.get(pk=a.pk).status == Status.RETURNED
