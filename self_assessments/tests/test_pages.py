"""The self-assessment pages: a contributor reaches only their organisation's assessments, answers
and submits (or is told what is missing), the coordinator reviews beside last round's answers and
returns or accepts; nothing typed as an NHS number is kept or shown back."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.dates import local_today
from self_assessments import services
from self_assessments.models import Answer, Assessment, AssessmentAction, Status
from self_assessments.tests.rows import OTHER_ANSWER, answer_all, page_opened, question
from tests.fixtures import sign_in
from tests.world import NHS_NUMBER, NHS_NUMBER_DIGITS, database_rows, database_state, pdf_upload

pytestmark = pytest.mark.django_db


def test_a_contributor_gets_404_for_another_organisations_assessment(client, world):
    sign_in(client, world, "contributor")
    other = world.other_assessment
    other_answer = other.answers.first()
    for url in (
        reverse("self_assessments:detail", args=[other.pk]),
        reverse("self_assessments:answer", args=[other.pk]),
        reverse("self_assessments:evidence_add", args=[other_answer.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in (404, 405), url
    evidence = other_answer.documents.first()
    assert client.get(reverse("self_assessments:evidence", args=[evidence.pk])).status_code == 404
    listing = client.get(reverse("self_assessments:list")).content.decode()
    assert world.partner_org.name in listing and world.other_org.name not in listing
    export = client.get(reverse("self_assessments:list"), {"export": "csv"})
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert export.status_code == 200 and world.partner_org.name in content.decode()
    assert world.other_org.name not in content.decode()
    own = client.get(reverse("self_assessments:detail", args=[world.assessment.pk])).content.decode()
    assert OTHER_ANSWER not in own and "Answer the questions" in own


def test_the_contributor_saves_comes_back_and_is_told_what_is_missing(client, world):
    sign_in(client, world, "contributor")
    _, (a,) = services.issue(world.sa_version, [world.partner_org], local_today() + datetime.timedelta(days=5))
    url = reverse("self_assessments:answer", args=[a.pk])
    q = [question(world.sa_version, i) for i in range(3)]
    response = client.post(url, {f"answer-{q[1].pk}": "Monthly", "save": "1", **page_opened(a)})
    assert response.status_code == 302
    assert Answer.objects.get(assessment=a, question=q[1]).value == "Monthly"
    response = client.post(url, {f"answer-{q[1].pk}": "Monthly", "submit": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Still missing before you can submit" in body
    assert f"{q[0]}</a> needs an answer." in body and f"{q[0]}</a> needs evidence." in body
    assert f"{q[1]}</a> needs" not in body
    assert Assessment.objects.get(pk=a.pk).status == Status.IN_PROGRESS


def test_an_nhs_number_in_an_answer_is_refused_not_kept_and_not_shown_back(client, world):
    sign_in(client, world, "contributor")
    url = reverse("self_assessments:answer", args=[world.assessment.pk])
    q = question(world.sa_version, 1)
    before = database_state()
    response = client.post(
        url, {f"answer-{q.pk}": f"Client {NHS_NUMBER} attends", f"comment-{q.pk}": NHS_NUMBER_DIGITS}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "NHS number" in body and NHS_NUMBER_DIGITS not in body and NHS_NUMBER not in body
    assert database_state() == before


def test_evidence_is_uploaded_through_the_document_store_and_a_page_posing_as_a_pdf_is_refused(client, world):
    sign_in(client, world, "contributor")
    answer = world.assessment.answers.get(question=question(world.sa_version, 0))
    url = reverse("self_assessments:evidence_add", args=[answer.pk])
    fake = pdf_upload("Policy.pdf")
    fake.file.write(b"")

    before = answer.documents.count()
    refused = client.post(url, {"file": SimpleUploadedFile("Policy.pdf", b"<html><script>alert(1)</script></html>")})
    assert refused.status_code == 400 and answer.documents.count() == before
    ok = client.post(url, {"file": pdf_upload("Safeguarding policy signed.pdf", "% signed")})
    assert ok.status_code == 302 and answer.documents.count() == before + 1


def test_the_review_shows_last_rounds_answers_then_return_resubmit_and_accept(client, world):
    coordinator = world.user("coordinator")
    _, (a,) = services.issue(world.sa_version, [world.partner_org], local_today() + datetime.timedelta(days=5))
    answer_all(a, world.sa_version, "Every six weeks now.", coordinator)
    services.submit(a)
    sign_in(client, world, "coordinator")
    url = reverse("self_assessments:review", args=[a.pk])
    page = client.get(url).content.decode()
    assert "Every six weeks now." in page and "Our trustees meet monthly at the Cowley office." in page  # last round
    assert "Not met" in page  # last round's finding
    q = [question(world.sa_version, i) for i in range(3)]
    before = database_state()
    refused = client.post(url, {"step": "return", "comment": ""})
    assert refused.status_code == 400 and "Say what the organisation must change" in refused.content.decode()
    assert database_state() == before
    assert client.post(url, {"step": "return", "comment": "Attach the signed policy."}).status_code == 302
    assert Assessment.objects.get(pk=a.pk).status == Status.RETURNED

    sign_in(client, world, "contributor")
    detail = client.get(reverse("self_assessments:detail", args=[a.pk])).content.decode()
    assert "Attach the signed policy." in detail
    answer_url = reverse("self_assessments:answer", args=[a.pk])
    assert client.post(answer_url, {"submit": "1"}).status_code == 302
    assert Assessment.objects.get(pk=a.pk).status == Status.RESUBMITTED

    sign_in(client, world, "coordinator")
    findings = {f"finding-{q[0].pk}": "met", f"finding-{q[1].pk}": "not_met", f"finding-{q[2].pk}": "not_applicable"}
    response = client.post(
        url,
        {
            **findings,
            f"note-{q[1].pk}": "No minutes.",
            "step": "accept",
            "action_owner": "Chair of trustees",
            **page_opened(a, "findings"),
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.ACCEPTED and a.score == 50  # met (1) and not met (1) equally weighted
    action = AssessmentAction.objects.get(assessment=a)
    sign_in(client, world, "contributor")
    detail = client.get(reverse("self_assessments:detail", args=[a.pk])).content.decode()
    assert "50.0%" in detail and "Chair of trustees" in detail and action.description.splitlines()[0] in detail
    assert "Mark done" not in detail  # the trust marks actions done


def test_accepting_without_every_finding_is_refused_and_nothing_is_written(client, world):
    sign_in(client, world, "coordinator")
    url = reverse("self_assessments:review", args=[world.submitted.pk])
    q = question(world.sa_version, 0)
    before = database_rows()
    response = client.post(
        url, {f"finding-{q.pk}": "met", "step": "accept", **page_opened(world.submitted, "findings")}
    )
    assert response.status_code == 400 and "Record a finding for every answer" in response.content.decode()
    assert database_rows() == before


def test_issuing_from_the_page_by_kind(client, world):
    sign_in(client, world, "coordinator")
    due = (local_today() + datetime.timedelta(days=14)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("self_assessments:issue"), {"version": world.sa_version.pk, "kinds": ["vcse"], "due_date": due}
    )
    assert response.status_code == 302
    assert Assessment.objects.filter(organisation=world.spare_org, issue__due_date__gt=local_today()).exists()


def test_the_organisation_page_lists_its_assessments(client, world):
    sign_in(client, world, "coordinator")
    page = client.get(reverse("organisations:detail", args=[world.partner_org.pk])).content.decode()
    assert "Self-assessments" in page and reverse("self_assessments:detail", args=[world.assessment.pk]) in page


@pytest.mark.parametrize(
    ("page", "role", "record"), [("review", "coordinator", "submitted"), ("answer", "contributor", "assessment")]
)
def test_the_review_and_answer_pages_cost_the_same_however_many_questions(client, world, page, role, record):
    from self_assessments.tests.rows import more_questions
    from tests.counting import measure

    assessment = getattr(world, record)
    if record == "assessment":

        def grow(w, n):
            more_questions(w, n)
            section = w.sa_version.sections.first()
            for q in section.questions.exclude(answers__assessment=assessment):
                Answer.objects.create(assessment=assessment, question=q)
    else:
        grow = more_questions
    sign_in(client, world, role)
    url = reverse(f"self_assessments:{page}", args=[assessment.pk])
    grow(world, 2)
    small, response = measure(client, url)
    shown = response.content.decode().count('id="question-')
    grow(world, 20)
    large, response = measure(client, url)
    assert response.content.decode().count('id="question-') == shown + 20
    assert small == large


def test_bad_review_input_is_refused_nothing_written_and_no_nhs_number_shown_back(client, world):
    sign_in(client, world, "coordinator")
    url = reverse("self_assessments:review", args=[world.submitted.pk])
    q = question(world.sa_version, 0)
    before = database_state()
    response = client.post(
        url,
        {
            f"finding-{q.pk}": "excellent",
            f"note-{q.pk}": f"Seen {NHS_NUMBER}",
            "step": "return",
            "comment": NHS_NUMBER_DIGITS,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Choose met, partly met, not met or not applicable." in body
    assert NHS_NUMBER_DIGITS not in body and NHS_NUMBER not in body
    assert database_state() == before
    response = client.post(url, {"step": "accept", "action_due": "31/02/2030"})
    assert response.status_code == 400 and "Enter a real date" in response.content.decode()


def test_a_question_of_a_version_in_use_cannot_be_edited_from_its_page(client, world):
    sign_in(client, world, "coordinator")
    q = question(world.sa_version, 0)
    url = reverse("self_assessments:question_edit", args=[q.pk])
    page = client.get(url).content.decode()
    assert "has been issued, so it is never edited" in page and 'name="text"' not in page
    before = database_state()
    response = client.post(url, {"text": "Changed", "answer_type": "text", "weight": "1"})
    assert response.status_code == 400 and database_state() == before
    version_page = client.get(reverse("self_assessments:version", args=[world.sa_version.pk])).content.decode()
    assert (
        "Make a new version" in version_page
        and reverse("self_assessments:question_edit", args=[q.pk]) not in version_page
    )
