"""The commit of an import, run by the background worker: the page's progress and result, the
reason a refused import gives, who may follow it, the command, and all or nothing.

Tasks run inline here (``tasks_run_inline``); the real worker, killed part-way, is
``test_import_worker.py``.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import AuditEntry
from core.roles import Role
from partnerships.importing import background, writing
from partnerships.models import ImportState, PartnerRole, Partnership, RegisterImport
from partnerships.tests.importing import build_world, database_counts, own_entries, write_csv
from partnerships.tests.test_import_page import GOOD_ROWS, preview_post, register_file, token_of, upload

HTMX = {"HX-Request": "true"}
ROWS = [
    ["Name", "Partners", "Type of arrangement", "Status"],
    ["Carers alliance", "Oxfordshire Mind; Restore", "Informal", "Live"],
    ["CAMHS partnership", "RWX", "S75", "Current"],
]
MAPPING = ["title", "partners", "arrangement_type", "status"]


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "staging"


@pytest.fixture
def world(users, make_user):
    return build_world(users, make_user)


@pytest.fixture
def coordinator(users, world):
    return users[Role.COORDINATOR]


def written():
    """What an import writes: partnerships, partner links and the audit entries of either."""
    return {
        "partnerships": Partnership.objects.count(),
        "partner_roles": PartnerRole.objects.count(),
        "audit": own_entries(AuditEntry.objects.all()).count(),
    }


def boom(*args, **kwargs):
    raise RuntimeError("the disk is full")


def test_the_page_queues_the_commit_polls_its_progress_and_shows_the_result(
    client_for, world, tmp_path, django_capture_on_commit_callbacks, coordinator
):
    client = client_for(Role.COORDINATOR)
    response = upload(client, register_file(tmp_path, *GOOD_ROWS))
    preview = client.get(response["Location"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = preview_post(client, token_of(response), preview, action="commit")
    run = RegisterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.state == ImportState.QUEUED and run.requested_by == coordinator
    assert Partnership.objects.count() == 0  # nothing written until the worker runs it

    waiting = client.get(run.get_absolute_url(), headers=HTMX)
    assert waiting.status_code == 200 and 'hx-trigger="every 2s"' in waiting.content.decode()
    assert "Waiting to start: Waiting for the worker (0%)" in waiting.content.decode()

    for callback in queued:  # the request's transaction commits: the task is queued (and runs inline here)
        callback()
    done = client.get(run.get_absolute_url(), headers=HTMX)
    assert done.status_code == 286  # htmx stops polling
    body = done.content.decode()
    assert "hx-trigger" not in body
    assert "Imported register.xlsx: 2 partnerships added, 0 updated, 1 new organisation." in body
    assert f'href="{reverse("partnerships:list")}"' in body
    assert Partnership.objects.count() == 2
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200 and "Imported register.xlsx: 2 partnerships added" in page.content.decode()
    run.refresh_from_db()
    assert run.rows == "" and run.summary["created"] == 2  # the rows are not kept once imported
    # Audited as the coordinator's import, as when the page wrote it itself.
    entries = own_entries(AuditEntry.objects.filter(source="import"))
    assert entries.count() == 2 + 1 + 3 and set(entries.values_list("user_name", flat=True)) == {"Ben Cahill"}
    assert AuditEntry.objects.filter(object_type__model="registerimport", user_name="Ben Cahill").exists()


def test_a_failed_import_shows_why_and_writes_nothing(client_for, world, monkeypatch, coordinator):
    run = background.queue(ROWS, 0, MAPPING, user=coordinator, name="register.csv")
    before = database_counts()
    monkeypatch.setattr(writing, "_add_partner_links", boom)  # after the partnerships are written
    background.run(run.pk)
    run.refresh_from_db()
    assert run.state == ImportState.FAILED and run.failure == "RuntimeError: the disk is full"
    after = database_counts()
    assert after.pop("partnerships.RegisterImport") == before.pop("partnerships.RegisterImport")
    assert after == before  # all or nothing: not one partnership, organisation, link or audit entry

    client = client_for(Role.COORDINATOR)
    response = client.get(run.get_absolute_url(), headers=HTMX)
    assert response.status_code == 286
    body = response.content.decode()
    assert "Nothing was imported" in body and "RuntimeError: the disk is full" in body
    assert "The register is as it was before the import." in body
    assert "Run the import again" in body

    # Run again, once the cause is gone: it is written, once.
    monkeypatch.undo()
    response = client.post(reverse("partnerships:import_again", args=[run.pk]))
    assert response.status_code == 302
    background.run(run.pk)  # the task (queued once the request's transaction commits)
    run.refresh_from_db()
    assert run.state == ImportState.DONE and run.attempt == 2
    assert Partnership.objects.filter(title__in=["Carers alliance", "CAMHS partnership"]).count() == 2


def test_the_worker_refuses_a_plan_the_register_no_longer_matches(world, coordinator):
    run = background.queue(ROWS, 0, MAPPING, user=coordinator, name="register.csv", expected="1:0")
    before = written()
    background.run(run.pk)
    run.refresh_from_db()
    assert run.state == ImportState.FAILED
    assert run.failure.startswith("The register changed after the preview, so this import would no longer do")
    assert written() == before


def test_problems_found_by_the_worker_are_named_by_row_and_column_never_by_value(world, coordinator):
    rows = [ROWS[0], ["", "Oxfordshire Mind", "Informal", "Live"]]
    run = background.queue(rows, 0, MAPPING, user=coordinator, name="register.csv")
    background.run(run.pk)
    run.refresh_from_db()
    assert run.state == ImportState.FAILED
    assert "Row 2, Name: Enter the partnership's name: every row needs one." in run.failure


def test_a_task_delivered_twice_imports_once(world, coordinator):
    run = background.queue(ROWS, 0, MAPPING, user=coordinator, name="register.csv")
    background.run(run.pk)
    after = written()
    background.run(run.pk)  # claimed already: nothing
    assert written() == after
    assert RegisterImport.objects.get(pk=run.pk).attempt == 1


def test_an_attempt_whose_import_was_queued_again_writes_nothing(world, coordinator):
    """An attempt whose import was queued again and claimed by another (its worker thought dead)
    before its writing transaction began writes nothing; once that transaction has begun, the
    other's claim waits for it (the row is locked) and then finds the import done."""
    run = background.queue(ROWS, 0, MAPPING, user=coordinator, name="register.csv")
    before = written()
    original = background._progress

    def claimed_by_another_meanwhile(pk, attempt, step, progress):
        original(pk, attempt, step, progress)
        RegisterImport.objects.filter(pk=pk).update(attempt=attempt + 1)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(background, "_progress", claimed_by_another_meanwhile)
        background.run(run.pk)
    assert written() == before
    assert RegisterImport.objects.get(pk=run.pk).state == ImportState.RUNNING  # the other attempt's


@pytest.mark.parametrize(
    "role", [Role.LEAD, Role.EXECUTIVE, Role.BOARD_MEMBER, Role.AUDITOR], ids=lambda role: role.value
)
def test_only_those_who_may_import_follow_or_rerun_an_import(client_for, world, role, coordinator):
    run = background.queue(ROWS, 0, MAPPING, user=coordinator, name="register.csv")
    RegisterImport.objects.filter(pk=run.pk).update(state=ImportState.FAILED, failure="The register changed.")
    client = client_for(role)
    assert client.get(run.get_absolute_url()).status_code == 403
    assert client.get(run.get_absolute_url(), headers=HTMX).status_code == 403
    assert client.post(reverse("partnerships:import_again", args=[run.pk])).status_code == 403
    assert RegisterImport.objects.get(pk=run.pk).state == ImportState.FAILED
    admin = client_for(Role.ADMINISTRATOR)
    assert admin.get(run.get_absolute_url()).status_code == 200


def test_a_running_import_is_not_run_again_until_it_has_stopped_moving(client_for, world, coordinator):
    run = background.queue(ROWS, 0, MAPPING, user=coordinator, name="register.csv")
    RegisterImport.objects.filter(pk=run.pk).update(state=ImportState.RUNNING, attempt=1)
    client = client_for(Role.COORDINATOR)
    body = client.get(run.get_absolute_url()).content.decode()
    assert "Run the import again" not in body
    client.post(reverse("partnerships:import_again", args=[run.pk]))
    assert RegisterImport.objects.get(pk=run.pk).state == ImportState.RUNNING


def test_the_command_queues_the_commit_and_waits_for_the_worker(tmp_path, world):
    path = write_csv(tmp_path / "register.csv", ROWS)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_register", str(path), stdout=out, stderr=err)
    assert "Imported: 2 created, 0 updated, 0 unchanged; 1 new organisation." in out.getvalue()
    run = RegisterImport.objects.get()
    assert run.state == ImportState.DONE and run.requested_by is None and run.name == "register.csv"


def test_the_command_says_why_the_worker_refused_and_exits_1(tmp_path, world, monkeypatch):
    path = write_csv(tmp_path / "register.csv", ROWS)
    before = written()
    monkeypatch.setattr(writing, "_add_partner_links", boom)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_register", str(path), stdout=out, stderr=err)
    assert failure.value.returncode == 1 and str(failure.value) == "Nothing was imported."
    assert "RuntimeError: the disk is full" in err.getvalue()
    assert "Imported" not in out.getvalue()
    assert written() == before


def test_the_command_can_queue_without_waiting(tmp_path, world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    path = write_csv(tmp_path / "register.csv", ROWS)
    out = io.StringIO()
    call_command("import_register", str(path), "--no-wait", stdout=out, stderr=io.StringIO())
    run = RegisterImport.objects.get()
    assert f"Queued as import {run.pk} for the worker (manage.py db_worker)." in out.getvalue()
    assert run.state == ImportState.QUEUED and Partnership.objects.filter(title="Carers alliance").count() == 0


def test_the_commit_asks_the_same_number_of_queries_for_more_rows(world, coordinator):
    """No query per row: lookups read up front, links prefetched for the audit, writes in bulk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n, start):
        rows = [ROWS[0]] + [
            [f"Bulk partnership {start + i}", f"Bulk partner {start + i}; Oxfordshire Mind", "Informal", "Live"]
            for i in range(n)
        ]
        run = background.queue(rows, 0, MAPPING, user=coordinator, name="register.csv")
        with CaptureQueriesContext(connection) as captured:
            background.run(run.pk)
        assert RegisterImport.objects.get(pk=run.pk).state == ImportState.DONE
        return [re.sub(r"^\d+ times: |_x\d+|\d+", "", q["sql"])[:70] for q in captured]

    queries(5, 0)  # the first import's totals are new; the next two both update them
    few, more = queries(5, 100), queries(80, 200)
    # Inserts go in batches (on SQLite, as many rows as its limit on parameters allows); the rest
    # is the same for 5 rows as for 80.
    reads = [q for q in few if not q.startswith("INSERT")], [q for q in more if not q.startswith("INSERT")]
    assert len(reads[0]) == len(reads[1]), [q for q in set(more) | set(few) if more.count(q) != few.count(q)]
    assert len(more) - len(few) <= 4
