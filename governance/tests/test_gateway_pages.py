"""The programme, decision and dispute pages as their users see them (who may use each page is the
permission matrix's: ``governance/tests/rows.py``, whose world has the ``programme``, ``reopen``
and ``dispute`` used here)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.attention import needs_attention
from governance import services
from governance.models import Dispute, Supersession
from tests.attention import items_of
from tests.fixtures import sign_in


def page(client, world, role, name, *args):
    sign_in(client, world, role)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_programme_page_shows_each_stage_its_lock_and_the_reopen_history(client, world):
    body = page(client, world, "auditor", "governance:programme", world.programme.pk)
    assert "1. Initiation" in body and "Start the bed base programme</a>, " in body
    assert body.count(">Locked</strong>") == 2 and body.count(">Open</strong>") == 1
    assert body.count(">Not open yet</strong>") == 1
    assert "The placement figures were revised." in body and "Waiting for a decision" in body
    assert "Refused</strong>" in body and "No public-interest justification was given." in body
    assert "Raise a decision on the open stage" not in body  # an auditor reads, the secretary runs it
    secretary = page(client, world, "coordinator", "governance:programme", world.programme.pk)
    assert "Raise a decision on the open stage" in secretary
    assert reverse("governance:reopen_approve", args=[world.reopen.pk]) in secretary


def test_an_approved_reopen_shows_the_superseded_decisions_kept_and_linked(client, world):
    services.approve_reopen(world.reopen, world.approval)
    programme = page(client, world, "executive", "governance:programme", world.programme.pk)
    assert "superseded by “Reopen the case for change”" in programme
    assert "Approved</strong>" in programme
    decision = page(client, world, "executive", "governance:decision", world.case_for_change.pk)
    assert "Superseded</strong> by" in decision and "approving a request to reopen the stage" in decision
    assert "Raised on the case for change stage of" in decision
    approval = page(client, world, "executive", "governance:decision", world.approval.pk)
    assert "Supersedes" in approval and "The case for change: fewer out-of-area placements" in approval


def test_the_dispute_page_shows_the_route_the_levels_reached_and_the_resolution(client, world):
    services.escalate_dispute(world.dispute, 2, "The chief executives are both conflicted.")
    body = page(client, world, "board_member", "governance:dispute", world.dispute.pk)
    assert "Partnership leads: reached" in body and "Chief executives: skipped" in body
    assert "Parent body or ICB: reached" in body and "The chief executives are both conflicted." in body
    assert "Independent mediation: not reached" in body
    assert "Open</strong> Now with Parent body or ICB." in body
    services.resolve_dispute(world.dispute, world.approval)
    body = page(client, world, "board_member", "governance:dispute", world.dispute.pk)
    assert "Resolved</strong> by" in body and "Reopen the case for change" in body
    decision = page(client, world, "board_member", "governance:decision", world.decision.pk)
    assert "resolving" in decision and Supersession.objects.filter(original=world.decision).exists()


def test_the_body_page_lists_its_programmes_and_open_disputes(client, world):
    body = page(client, world, "coordinator", "governance:detail", world.body.pk)
    assert "Forensic bed base programme</a>: options open" in body
    assert f'href="{world.dispute.get_absolute_url()}"' in body
    assert "Add programme" in body


def test_open_disputes_need_attention_in_one_query_however_many(client, world):
    today = timezone.localdate()
    titles = [item.title for item in needs_attention(world.user("coordinator"), today)]
    assert str(world.dispute) in titles
    assert not [i for i in needs_attention(world.user("owner"), today) if i.tag == "Dispute open"]
    with CaptureQueriesContext(connection) as few:
        items_of("disputes_open", world.user("coordinator"), today)
    services.raise_dispute(Dispute(decision=world.decision, organisation=world.home_trust, grounds="Not costed."))
    with CaptureQueriesContext(connection) as more:
        assert len(items_of("disputes_open", world.user("coordinator"), today)) == 2
    assert len(few) == len(more) == 1
